//! A query, planned against an index: each word's role (core, framing, stop) and every term it
//! may match (the word itself or another form of it, a correction within its typo budget, and,
//! for the last word, the words it begins).

use super::analyzer::{Analyzer, is_framing_word, is_stop_word};
use super::index::{SearchIndex, TermId};

/// The most typo corrections one query word expands to (the closest, most frequent first).
pub const MAX_CORRECTIONS_PER_WORD: usize = 8;
/// The most words a prefix (the last query word) expands to (the most frequent first).
pub const MAX_PREFIX_EXPANSIONS: usize = 256;
/// A prefix's completions stop once they name this many documents between them (counted per
/// completion; the most frequent come first, and the first is always taken): a cost bound for
/// one- and two-letter prefixes ("a" begins words of most skills), which otherwise ranked
/// thousands of hits (~20 ms on ESCO).
pub const MAX_PREFIX_POSTINGS: u32 = 4_000;
/// Query words past this many are not corrected for typos (a cost bound: the scan of the
/// vocabulary is the costliest step of a query).
pub const MAX_CORRECTED_WORDS: usize = 8;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Names the skill: at least one core word must match for a document to be a hit.
    Core,
    /// Frames a skill in job adverts ("strong", "experience with"): optional, ranks after core.
    Framing,
    /// A stop word ("of", "and"): optional.
    Stop,
}

/// How a query word met a term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum How {
    /// The same word, or another form of it ("negotiating" → "negotiate").
    Exact,
    /// The query's last word is the beginning of the indexed word ("lea" → "learning").
    Prefix,
    /// A correction ("machne" → "machine").
    Typo,
}

#[derive(Debug, Clone)]
pub struct Candidate {
    pub term: TermId,
    pub typos: u8,
    pub how: How,
    /// The indexed word met, for a correction: what the response says the word became.
    pub surface: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Word {
    pub text: String,
    pub role: Role,
    /// How much matching this word says (the rarer, the more): its own term's IDF, or the
    /// rarest of its candidates when the word itself is not indexed.
    pub weight: f64,
    /// The weight of a completion of this word (the last one): that of its most frequent
    /// completion, i.e. of what was typed so far.
    pub prefix_idf: f64,
    pub candidates: Vec<Candidate>,
}

pub struct Plan {
    pub words: Vec<Word>,
    /// The query's folded words joined by spaces: what an exact label equals.
    pub folded: String,
}

/// Typos allowed in a word of `len` letters: none up to 4, 1 for 5–8, 2 from 9.
pub fn typo_budget(len: usize) -> usize {
    match len {
        0..=4 => 0,
        5..=8 => 1,
        _ => 2,
    }
}

pub fn plan(index: &SearchIndex, analyzer: &Analyzer, words: &[String], prefix_last: bool) -> Plan {
    let mut planned: Vec<Word> = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let next = words.get(i + 1).map(String::as_str);
            let role = if is_stop_word(w) {
                Role::Stop
            } else if is_framing_word(w, next) {
                Role::Framing
            } else {
                Role::Core
            };
            Word { text: w.clone(), role, weight: 0.0, prefix_idf: 0.0, candidates: Vec::new() }
        })
        .collect();
    // A query of framing and stop words only ("skills", "of") is about those words.
    if !planned.iter().any(|w| w.role == Role::Core) {
        for w in &mut planned {
            if w.role == Role::Framing || !planned_has_non_stop(words) {
                w.role = Role::Core;
            }
        }
    }
    let last = planned.len().saturating_sub(1);
    let mut corrected_words = 0;
    for (i, w) in planned.iter_mut().enumerate() {
        let own = index.term(analyzer, &w.text);
        if let Some(term) = own {
            w.candidates.push(Candidate { term, typos: 0, how: How::Exact, surface: None });
        }
        if prefix_last && i == last {
            add_prefixes(index, w);
        }
        // Only a word that no indexed text has as written is corrected: it is a typo or a word
        // the catalog does not use (a cost bound too: the vocabulary scan is the costliest step).
        let budget = typo_budget(w.text.chars().count());
        let known = index.surface_by_text.contains_key(w.text.as_str());
        if budget > 0 && !known && w.role != Role::Stop && corrected_words < MAX_CORRECTED_WORDS {
            corrected_words += 1;
            add_corrections(index, w, budget);
        }
        w.weight = match own {
            Some(t) => index.idf(t),
            None => w.candidates.iter().map(|c| index.idf(c.term)).fold(0.0, f64::max),
        };
        w.prefix_idf = w
            .candidates
            .iter()
            .filter(|c| c.how == How::Prefix)
            .map(|c| index.idf(c.term))
            .fold(f64::INFINITY, f64::min)
            .min(w.weight.max(0.0));
        if !w.prefix_idf.is_finite() {
            w.prefix_idf = w.weight;
        }
    }
    Plan { words: planned, folded: words.join(" ") }
}

fn planned_has_non_stop(words: &[String]) -> bool {
    words.iter().any(|w| !is_stop_word(w))
}

fn add_prefixes(index: &SearchIndex, w: &mut Word) {
    let range = index.prefix_range(&w.text);
    let start = range.start;
    let mut found: Vec<(u32, TermId, u32)> = index.surfaces[range]
        .iter()
        .enumerate()
        .filter(|(_, s)| s.text.len() > w.text.len())
        .map(|(i, s)| (index.doc_freq[s.term as usize], s.term, (start + i) as u32))
        .collect();
    found.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.2.cmp(&b.2)));
    let mut seen = std::collections::HashSet::new();
    found.retain(|f| seen.insert(f.1));
    let mut postings = 0u32;
    for (doc_freq, term, surface) in found.into_iter().take(MAX_PREFIX_EXPANSIONS) {
        postings = postings.saturating_add(doc_freq);
        if postings > MAX_PREFIX_POSTINGS && postings > doc_freq {
            break;
        }
        if !w.candidates.iter().any(|c| c.term == term) {
            w.candidates.push(Candidate { term, typos: 0, how: How::Prefix, surface: Some(surface) });
        }
    }
}

/// Indexed words within `budget` typos (Damerau: a transposition is one) that share the
/// query word's first letter.
fn add_corrections(index: &SearchIndex, w: &mut Word, budget: usize) {
    let chars: Vec<char> = w.text.chars().collect();
    let Some(first) = chars.first() else { return };
    let mut buf = [0u8; 4];
    let range = index.prefix_range(first.encode_utf8(&mut buf));
    let mut found: Vec<(usize, u32, u32)> = Vec::new(); // (typos, -df, surface)
    let mut rows = Rows::default();
    for (offset, s) in index.surfaces[range.clone()].iter().enumerate() {
        if s.chars.len().abs_diff(chars.len()) > budget {
            continue;
        }
        if let Some(d) = bounded_damerau_in(&chars, &s.chars, budget, &mut rows)
            && d > 0
        {
            found.push((d, u32::MAX - index.doc_freq[s.term as usize], (range.start + offset) as u32));
        }
    }
    found.sort_unstable();
    let mut added = 0;
    for (d, _, surface) in found {
        if added == MAX_CORRECTIONS_PER_WORD {
            break;
        }
        let term = index.surfaces[surface as usize].term;
        if w.candidates.iter().any(|c| c.term == term) {
            continue;
        }
        w.candidates.push(Candidate { term, typos: d as u8, how: How::Typo, surface: Some(surface) });
        added += 1;
    }
}

/// The optimal-string-alignment distance (Damerau–Levenshtein where a transposition of two
/// neighbours is one edit) between `a` and `b`, if it is at most `max`.
pub fn bounded_damerau(a: &[char], b: &[char], max: usize) -> Option<usize> {
    bounded_damerau_in(a, b, max, &mut Rows::default())
}

/// Three rows of the edit-distance table, reused across the words of a vocabulary scan.
#[derive(Default)]
pub struct Rows([Vec<usize>; 3]);

pub fn bounded_damerau_in(a: &[char], b: &[char], max: usize, rows: &mut Rows) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let n = b.len();
    let [prev2, prev, cur] = &mut rows.0;
    for row in [&mut *prev2, &mut *prev, &mut *cur] {
        row.clear();
        row.resize(n + 1, 0);
    }
    for (j, v) in prev.iter_mut().enumerate() {
        *v = j;
    }
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=n {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (prev[j - 1] + cost).min(prev[j] + 1).min(cur[j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(prev2[j - 2] + 1);
            }
            cur[j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(prev2, prev);
        std::mem::swap(prev, cur);
    }
    (prev[n] <= max).then_some(prev[n])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn budgets_by_length() {
        assert_eq!([4, 5, 8, 9].map(typo_budget), [0, 1, 1, 2]);
    }

    #[test]
    fn a_transposition_is_one_typo() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(bounded_damerau(&c("mangaement"), &c("management"), 2), Some(1));
        assert_eq!(bounded_damerau(&c("machne"), &c("machine"), 1), Some(1));
        assert_eq!(bounded_damerau(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(bounded_damerau(&c("same"), &c("same"), 0), Some(0));
    }
}
