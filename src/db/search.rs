//! Full-text queries (SQLite FTS5, BM25 ranking). The query text is built by
//! [`crate::domain::SearchText`] from quoted words only: client input never reaches FTS5 as
//! query syntax.

use sqlx::SqlitePool;

/// One document that matched.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    /// `skill`, `category` or `faq`.
    pub kind: String,
    /// The slug, or the FAQ id.
    pub key: String,
    /// BM25 relevance (higher is better); names weigh 10, aliases 5, descriptions 1.
    pub score: f64,
    /// True when every word matched in the name or the aliases.
    pub in_name_or_alias: bool,
    /// The best fragment, with matches between U+0002 and U+0003.
    pub snippet: String,
}

/// Every document of `kind` (or of every kind) matching `fts_query`, best first: those matching
/// in name or aliases, then those matching elsewhere, each by BM25.
pub async fn search(pool: &SqlitePool, fts_query: &str, kind: Option<&str>) -> Result<Vec<SearchHit>, sqlx::Error> {
    sqlx::query_as::<_, SearchHit>(
        "WITH named AS (
             SELECT rowid FROM search_fts WHERE search_fts MATCH '{name aliases} : (' || ?1 || ')'
         )
         SELECT kind, key,
                -bm25(search_fts, 0.0, 0.0, 10.0, 5.0, 1.0) AS score,
                rowid IN (SELECT rowid FROM named) AS in_name_or_alias,
                snippet(search_fts, -1, char(2), char(3), '…', 16) AS snippet
         FROM search_fts
         WHERE search_fts MATCH ?1 AND (?2 IS NULL OR kind = ?2)
         ORDER BY in_name_or_alias DESC, score DESC, rowid",
    )
    .bind(fts_query)
    .bind(kind)
    .fetch_all(pool)
    .await
}
