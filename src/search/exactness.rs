//! Rule 1 of ranking, exactness: whether the query is one of a document's labels, as typed or as
//! terms (see [`super::rank`] for the rules in order, docs/SEARCH.md for examples).

use super::index::{Doc, Shape, TermId};
use super::query::{Plan, Role, Word};
use super::rank::{MAX_WORDS, Masks, WordMatch};

/// No exactness.
pub const NONE: u8 = 6;

/// Levels: 0 the query is the name (folded words), 1 an alias, 2 the name without its
/// parenthesis; then, with the query's core words as terms: 3 the name's, 4 an alias's, 5 the
/// name's without its parenthesis; 6 none. Terms met by a correction count only `with_typos`.
/// `shape` (the document's) rules out most documents without reading their labels.
#[allow(clippy::too_many_arguments)]
pub fn exactness(
    doc: &Doc,
    shape: &Shape,
    plan: &Plan,
    words: &[Word],
    matches: &[Option<WordMatch>; MAX_WORDS],
    masks: &Masks,
    as_typed: bool,
    all_core: bool,
    with_typos: bool,
) -> (u8, Option<usize>) {
    let mut best: (u8, Option<usize>) = (NONE, None);
    let consider = |best: &mut (u8, Option<usize>), level: u8, label: usize| {
        if level < best.0 {
            *best = (level, Some(label));
        }
    };
    if as_typed && shape.folded_lens & (1 << (plan.folded.len() % 64)) != 0 {
        for (i, l) in doc.labels.iter().enumerate() {
            if l.folded == plan.folded {
                consider(&mut best, if i == 0 { 0 } else { 1 }, i);
            }
        }
        if doc.labels[0].base_folded.as_deref() == Some(plan.folded.as_str()) {
            consider(&mut best, 2, 0);
        }
    }
    if best.0 <= 2 || !all_core {
        return best;
    }
    // The word sequences a label may equal: the core words, or every word but stop words,
    // of those this document matched (a framing word it does not have is left out).
    let mut core = [0usize; MAX_WORDS];
    let mut n_core = 0;
    let mut non_stop = [0usize; MAX_WORDS];
    let mut n_non_stop = 0;
    for (i, (w, m)) in words.iter().zip(matches).enumerate() {
        if m.is_none() {
            continue;
        }
        if w.role == Role::Core {
            core[n_core] = i;
            n_core += 1;
        }
        if w.role != Role::Stop {
            non_stop[n_non_stop] = i;
            n_non_stop += 1;
        }
    }
    if shape.core_lens & (1 << n_core.min(31) | 1 << n_non_stop.min(31)) == 0 {
        return best;
    }
    let stands_for = |term: TermId, word: usize| {
        let m = if with_typos { masks.any(term) } else { masks.exact[term as usize] };
        m & (1 << word) != 0
    };
    let equal = |label: &[TermId]| {
        let is = |seq: &[usize]| label.len() == seq.len() && label.iter().zip(seq).all(|(&t, &w)| stands_for(t, w));
        is(&core[..n_core]) || is(&non_stop[..n_non_stop])
    };
    for (i, l) in doc.labels.iter().enumerate() {
        if equal(&l.core) {
            consider(&mut best, if i == 0 { 3 } else { 4 }, i);
        }
    }
    if doc.labels[0].base_core.as_deref().is_some_and(equal) {
        consider(&mut best, 5, 0);
    }
    best
}
