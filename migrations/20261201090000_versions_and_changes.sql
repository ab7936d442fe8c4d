-- Versions, the change feed, removed skills and the skill type (issue #12).
--
-- Every import records a version; the catalog tables hold only the version being served (the
-- current one), and `changes` holds, per version, what changed against the version before it,
-- in the order a client applies it. Change rows of old versions are pruned (the importer keeps
-- the last 10 versions' changes, see src/db/versions.rs); the versions themselves are kept.

CREATE TABLE versions (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    -- The catalog's content label at that version (`catalog.version`: `seed-2023.1`, `esco-…`).
    label       TEXT    NOT NULL,
    -- RFC 3339 UTC, seconds.
    imported_at TEXT    NOT NULL,
    -- `article` (the seed), `esco`, `catalog` (exported files imported back).
    source      TEXT    NOT NULL,
    categories  INTEGER NOT NULL,
    skills      INTEGER NOT NULL,
    faqs        INTEGER NOT NULL,
    -- The importer's one-line summary (what `powerskills import` printed).
    summary     TEXT    NOT NULL,
    skills_added       INTEGER NOT NULL DEFAULT 0,
    skills_removed     INTEGER NOT NULL DEFAULT 0,
    skills_changed     INTEGER NOT NULL DEFAULT 0,
    categories_added   INTEGER NOT NULL DEFAULT 0,
    categories_removed INTEGER NOT NULL DEFAULT 0,
    categories_changed INTEGER NOT NULL DEFAULT 0,
    faqs_added         INTEGER NOT NULL DEFAULT 0,
    faqs_removed       INTEGER NOT NULL DEFAULT 0,
    faqs_changed       INTEGER NOT NULL DEFAULT 0,
    -- 1 once this version's change rows were pruned: a feed that needs them answers 410.
    changes_pruned     INTEGER NOT NULL DEFAULT 0 CHECK (changes_pruned IN (0, 1))
) STRICT;

-- What version `version_id` changed against the version before it, in order (`seq`).
CREATE TABLE changes (
    version_id INTEGER NOT NULL REFERENCES versions (id),
    seq        INTEGER NOT NULL,
    -- `category`, `skill` or `faq`.
    resource   TEXT    NOT NULL CHECK (resource IN ('category', 'skill', 'faq')),
    -- The slug, or the FAQ id as text.
    key        TEXT    NOT NULL,
    change     TEXT    NOT NULL CHECK (change IN ('added', 'removed', 'changed')),
    -- The names of the fields that changed, comma-separated (for `changed`).
    fields     TEXT,
    -- The 1-based place of the item in its export at this version (NULL for `removed`).
    position   INTEGER,
    -- The item as exported at this version, as JSON (NULL for `removed`).
    record     TEXT,
    PRIMARY KEY (version_id, seq)
) STRICT, WITHOUT ROWID;

-- Every skill an import removed, kept for good (for 410 answers on its slug). A slug that comes
-- back is deleted from here; one removed again is recorded anew.
CREATE TABLE removed_skills (
    slug             TEXT    NOT NULL PRIMARY KEY,
    uri              TEXT,
    version_id       INTEGER NOT NULL REFERENCES versions (id),
    removed_at       TEXT    NOT NULL,
    -- The skill that took its place: the same source URI under a new slug in the same import.
    replacement_slug TEXT
) STRICT;

CREATE INDEX removed_skills_by_uri ON removed_skills (uri);

-- The version the catalog tables hold.
ALTER TABLE catalog ADD COLUMN version_id INTEGER REFERENCES versions (id);

-- `skill` or `knowledge` (ESCO's `skill/competence` is `skill`; the source's own word stays in
-- `skill_type`).
ALTER TABLE skills ADD COLUMN kind TEXT NOT NULL DEFAULT 'skill' CHECK (kind IN ('skill', 'knowledge'));
UPDATE skills SET kind = 'knowledge' WHERE skill_type = 'knowledge';

-- The first version: the catalog this database holds now (the seed, or an earlier import).
INSERT INTO versions (label, imported_at, source, categories, skills, faqs, summary)
SELECT version, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), source,
       (SELECT COUNT(*) FROM categories), (SELECT COUNT(*) FROM skills), (SELECT COUNT(*) FROM faqs),
       CASE source WHEN 'article' THEN 'the seed catalog (data/article.txt), written by the database migrations'
                   ELSE 'the catalog this database held when versions were introduced' END
FROM catalog WHERE id = 1;

UPDATE catalog SET version_id = (SELECT MAX(id) FROM versions) WHERE id = 1;
