//! Full-text queries (SQLite FTS5, BM25 ranking). The query text is built by
//! [`crate::domain::SearchText`] from quoted words only: client input never reaches FTS5 as
//! query syntax.

use sqlx::SqlitePool;

/// One document that matched.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SearchHit {
    /// The document's row in the index (for [`snippets`]).
    pub rowid: i64,
    /// `skill`, `category` or `faq`.
    pub kind: String,
    /// The slug, or the FAQ id.
    pub key: String,
    /// BM25 relevance (higher is better); names weigh 10, aliases 5, descriptions 1.
    pub score: f64,
    /// True when every word matched in the name or the aliases.
    pub in_name_or_alias: bool,
}

/// The documents of `kind` (or of every kind) matching `fts_query`, best first: those matching
/// in name or aliases, then those matching elsewhere, each by BM25; the first `limit` of them
/// (all when `None`). Only the rows asked for leave SQLite.
pub async fn search(
    pool: &SqlitePool,
    fts_query: &str,
    kind: Option<&str>,
    limit: Option<usize>,
) -> Result<Vec<SearchHit>, sqlx::Error> {
    sqlx::query_as::<_, SearchHit>(
        "SELECT rowid, kind, key, -bm25(search_fts, 0.0, 0.0, 10.0, 5.0, 1.0) AS score,
                rowid IN (SELECT rowid FROM search_fts WHERE search_fts MATCH '{name aliases} : (' || ?1 || ')')
                    AS in_name_or_alias
         FROM search_fts
         WHERE search_fts MATCH ?1 AND (?2 IS NULL OR kind = ?2)
         ORDER BY in_name_or_alias DESC, score DESC, rowid
         LIMIT ?3",
    )
    .bind(fts_query)
    .bind(kind)
    .bind(limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX)))
    .fetch_all(pool)
    .await
}

/// How many documents of `kind` (or of every kind) match `fts_query`.
pub async fn count(pool: &SqlitePool, fts_query: &str, kind: Option<&str>) -> Result<usize, sqlx::Error> {
    let n: i64 =
        sqlx::query_scalar("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?1 AND (?2 IS NULL OR kind = ?2)")
            .bind(fts_query)
            .bind(kind)
            .fetch_one(pool)
            .await?;
    Ok(usize::try_from(n).unwrap_or(0))
}

/// The best fragment of each of `rowids` for `fts_query`, matches between U+0002 and U+0003
/// (computed for one page of hits only: a snippet re-reads its document).
pub async fn snippets(
    pool: &SqlitePool,
    fts_query: &str,
    rowids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, sqlx::Error> {
    let ids = serde_json::to_string(rowids).expect("integers serialize");
    let rows = sqlx::query_as::<_, (i64, String)>(
        "SELECT rowid, snippet(search_fts, -1, char(2), char(3), '…', 16)
         FROM search_fts
         WHERE search_fts MATCH ?1 AND rowid IN (SELECT value FROM json_each(?2))",
    )
    .bind(fts_query)
    .bind(ids)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}
