//! Running a full-text search: FTS5 through [`db::search`], then typo tolerance (when nothing
//! matches, unknown words are replaced by the closest words of the index and the search runs
//! again), then why each hit matched.

use crate::catalog::Catalog;
use crate::db::{self, SearchHit};
use crate::domain::SearchText;
use crate::domain::text::words;

/// The hits of a search (the first `first` of them, or all), how many there are in all, and the
/// corrected query when typo tolerance stepped in.
pub struct Ranked {
    pub hits: Vec<SearchHit>,
    pub total: usize,
    pub corrected: Option<SearchText>,
}

pub async fn run(
    pool: &sqlx::SqlitePool,
    catalog: &Catalog,
    text: &SearchText,
    kind: Option<&str>,
    first: Option<usize>,
) -> Result<Ranked, sqlx::Error> {
    if text.words().is_empty() {
        return Ok(Ranked { hits: Vec::new(), total: 0, corrected: None });
    }
    let (hits, total) = fetch(pool, text, kind, first).await?;
    if total > 0 {
        return Ok(Ranked { hits, total, corrected: None });
    }
    let corrected: Vec<String> = text
        .words()
        .iter()
        .map(|w| match catalog.vocabulary.contains(w) {
            true => w.clone(),
            false => catalog.vocabulary.correct(w).map_or_else(|| w.clone(), str::to_owned),
        })
        .collect();
    if corrected == text.words() {
        return Ok(Ranked { hits, total, corrected: None });
    }
    let corrected = SearchText::from_words(corrected);
    let (hits, total) = fetch(pool, &corrected, kind, first).await?;
    Ok(Ranked { hits, total, corrected: Some(corrected) })
}

/// The first `first` hits (or all) and the number of all hits (counted only when the first ones
/// do not already tell).
async fn fetch(
    pool: &sqlx::SqlitePool,
    text: &SearchText,
    kind: Option<&str>,
    first: Option<usize>,
) -> Result<(Vec<SearchHit>, usize), sqlx::Error> {
    let fts = text.fts_query();
    let hits = db::search(pool, &fts, kind, first).await?;
    let total = match first {
        Some(n) if hits.len() >= n => db::count(pool, &fts, kind).await?,
        _ => hits.len(),
    };
    Ok((hits, total))
}

/// Which field of a hit matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    Name,
    Alias(String),
    Description,
}

/// Why a skill matched: its name when every word is in it, else the alias with the most words
/// (every word, when one has them all), else its description.
pub fn why_skill_matched(name: &str, aliases: &[String], query: &SearchText, in_name_or_alias: bool) -> Matched {
    if !in_name_or_alias {
        return Matched::Description;
    }
    let covered = |label: &str| {
        let label_words: Vec<String> = words(label).collect();
        query.words().iter().filter(|w| label_words.contains(w)).count()
    };
    let all = query.words().len();
    if covered(name) == all {
        return Matched::Name;
    }
    let best = aliases.iter().map(|a| (covered(a), a)).max_by_key(|(n, _)| *n);
    match best {
        Some((n, alias)) if n > 0 => Matched::Alias(alias.clone()),
        _ => Matched::Name,
    }
}

/// An FTS5 snippet made safe for HTML: the text escaped, the matches in `<mark>`.
pub fn highlight(snippet: &str) -> String {
    let mut out = String::with_capacity(snippet.len() + 16);
    for c in snippet.chars() {
        match c {
            '\u{2}' => out.push_str("<mark>"),
            '\u{3}' => out.push_str("</mark>"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_escapes_and_marks() {
        assert_eq!(highlight("a <b> & \u{2}SEO\u{3}"), "a &lt;b&gt; &amp; <mark>SEO</mark>");
    }

    #[test]
    fn why_a_skill_matched() {
        let q = SearchText::parse("q", "machine learning").unwrap();
        let aliases = vec!["ML".to_owned(), "machine learning".to_owned()];
        assert_eq!(why_skill_matched("Machine Learning Engineering", &aliases, &q, true), Matched::Name);
        assert_eq!(why_skill_matched("ML Engineering", &aliases, &q, true), Matched::Alias("machine learning".into()));
        assert_eq!(why_skill_matched("x", &aliases, &q, false), Matched::Description);
    }
}
