//! The search index's vocabulary, for typo tolerance: a query word the index does not know is
//! replaced by the closest known word (edit distance 1 for words of 4–5 letters, 2 from 6),
//! the most frequent on a tie. The words are those of the indexed texts, split and folded as
//! the index does (so the vocabulary needs no query of the index).

use std::collections::{HashMap, HashSet};

use crate::domain::text::{bounded_levenshtein, words};

pub struct Vocabulary {
    /// Known words and how many documents have them.
    docs: HashMap<String, i64>,
    /// Words grouped by length in characters, for the edit-distance scan.
    by_len: Vec<Vec<(Vec<char>, i64, String)>>,
}

impl Vocabulary {
    /// The vocabulary of `documents`, each an iterator of its texts.
    pub fn from_documents<'a>(documents: impl Iterator<Item = Vec<&'a str>>) -> Self {
        let mut docs: HashMap<String, i64> = HashMap::new();
        let mut seen = HashSet::new();
        for texts in documents {
            seen.clear();
            for w in texts.into_iter().flat_map(words) {
                if seen.insert(w.clone()) {
                    *docs.entry(w).or_default() += 1;
                }
            }
        }
        Self::new(docs.into_iter().collect())
    }

    pub fn new(terms: Vec<(String, i64)>) -> Self {
        let mut by_len: Vec<Vec<(Vec<char>, i64, String)>> = Vec::new();
        for (term, docs) in &terms {
            let chars: Vec<char> = term.chars().collect();
            if by_len.len() <= chars.len() {
                by_len.resize_with(chars.len() + 1, Vec::new);
            }
            by_len[chars.len()].push((chars, *docs, term.clone()));
        }
        Vocabulary { docs: terms.into_iter().collect(), by_len }
    }

    pub fn contains(&self, word: &str) -> bool {
        self.docs.contains_key(word)
    }

    /// The known word closest to `word`, if one is close enough.
    pub fn correct(&self, word: &str) -> Option<&str> {
        let chars: Vec<char> = word.chars().collect();
        let max = match chars.len() {
            0..=3 => return None,
            4..=5 => 1,
            _ => 2,
        };
        let mut best: Option<(usize, i64, &str)> = None;
        let lo = chars.len().saturating_sub(max);
        let hi = (chars.len() + max).min(self.by_len.len().saturating_sub(1));
        for group in self.by_len.get(lo..=hi).into_iter().flatten() {
            for (candidate, docs, term) in group {
                if let Some(d) = bounded_levenshtein(&chars, candidate, max) {
                    let better = match best {
                        None => true,
                        Some((bd, bdocs, _)) => d < bd || (d == bd && *docs > bdocs),
                    };
                    if better {
                        best = Some((d, *docs, term));
                    }
                }
            }
        }
        best.map(|(_, _, term)| term)
    }
}
