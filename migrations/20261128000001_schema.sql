-- The catalog schema. One catalog per database: the article's seed catalog (next migration) or
-- a taxonomy written by `powerskills import` (which replaces every row in one transaction).

-- The catalog's own metadata: exactly one row.
CREATE TABLE catalog (
    id           INTEGER PRIMARY KEY CHECK (id = 1),
    -- Changes whenever the catalog's content changes; servers compare it to know when to reload.
    version      TEXT    NOT NULL,
    source       TEXT    NOT NULL,
    title        TEXT    NOT NULL,
    publisher    TEXT    NOT NULL,
    year         INTEGER,
    introduction TEXT    NOT NULL,
    conclusion   TEXT    NOT NULL,
    attribution  TEXT,
    license      TEXT
) STRICT;

CREATE TABLE categories (
    slug        TEXT    NOT NULL PRIMARY KEY,
    name        TEXT    NOT NULL,
    description TEXT    NOT NULL,
    position    INTEGER NOT NULL UNIQUE,
    -- A taxonomy's hierarchy (ESCO skill groups); NULL for top-level categories.
    parent_slug TEXT    REFERENCES categories (slug),
    -- The code the source uses for this category (e.g. ESCO's `S1.2`), if any.
    code        TEXT
) STRICT;

CREATE TABLE skills (
    slug          TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    description   TEXT    NOT NULL,
    position      INTEGER NOT NULL UNIQUE,
    -- The skill's primary category; every membership (including this one) is in skill_categories.
    category_slug TEXT    NOT NULL REFERENCES categories (slug),
    -- The source's identifier (ESCO concept URI), if any.
    uri           TEXT    UNIQUE,
    -- `skill/competence`, `knowledge`, ... where the source says.
    skill_type    TEXT
) STRICT;

-- A skill may sit in several categories (ESCO skills sit under several groups).
CREATE TABLE skill_categories (
    skill_slug    TEXT NOT NULL REFERENCES skills (slug),
    category_slug TEXT NOT NULL REFERENCES categories (slug),
    PRIMARY KEY (skill_slug, category_slug)
) STRICT, WITHOUT ROWID;

CREATE INDEX skill_categories_by_category ON skill_categories (category_slug, skill_slug);

-- The names people search or write a skill by, besides its name.
CREATE TABLE skill_aliases (
    skill_slug TEXT NOT NULL REFERENCES skills (slug),
    alias      TEXT NOT NULL,
    PRIMARY KEY (skill_slug, alias)
) STRICT, WITHOUT ROWID;

CREATE TABLE faqs (
    id            INTEGER PRIMARY KEY,
    question      TEXT    NOT NULL,
    answer        TEXT    NOT NULL,
    category_slug TEXT    NOT NULL REFERENCES categories (slug)
) STRICT;
