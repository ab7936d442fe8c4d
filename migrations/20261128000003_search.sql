-- Full-text search over skills (name, aliases, description), categories and FAQ entries.
-- `powerskills import` rebuilds the index with the same
-- statements as below (src/db/write.rs, REBUILD_SEARCH_INDEX).

CREATE VIRTUAL TABLE search_fts USING fts5 (
    kind UNINDEXED,   -- 'skill', 'category' or 'faq'
    key UNINDEXED,    -- the slug, or the FAQ id
    name,             -- skill or category name, FAQ question
    aliases,          -- a skill's aliases, ' | '-separated
    body,             -- description, FAQ answer
    tokenize = 'unicode61 remove_diacritics 2'
);

INSERT INTO search_fts (kind, key, name, aliases, body)
SELECT 'skill', s.slug, s.name,
       COALESCE((SELECT group_concat(a.alias, ' | ') FROM skill_aliases a WHERE a.skill_slug = s.slug), ''),
       s.description
FROM skills s ORDER BY s.position;

INSERT INTO search_fts (kind, key, name, aliases, body)
SELECT 'category', slug, name, '', description FROM categories ORDER BY position;

INSERT INTO search_fts (kind, key, name, aliases, body)
SELECT 'faq', CAST(id AS TEXT), question, '', answer FROM faqs ORDER BY id;
