-- Search runs on an in-memory index built with each catalog snapshot (src/search/): the FTS5
-- table is no longer read, and an import no longer needs to rebuild it.
DROP TABLE IF EXISTS search_fts;
