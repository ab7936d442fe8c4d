//! Ranking: the documents a planned query meets, each with its ranking key, sorted by the
//! ranking rules in order (docs/SEARCH.md gives an example of each):
//!
//! 1. **exactness**: the query equals the name (then an alias, then the name without its
//!    parenthesis), as folded words; then the query's core words, as terms, equal the name's
//!    (then an alias's) words;
//! 2. **words**: more core words matched first, then the rarer ones (the least informative
//!    words are dropped first);
//! 3. **typos**: fewer corrections first; with as many, a label that the corrected query
//!    equals (as exactness, above) first; then more of the framing and stop words matched
//!    (they never outrank the words that name the skill);
//! 4. **proximity**: the matched words closer together and in query order first;
//! 5. **attribute**: all words in the name, then in one alias, then in the body;
//! 6. **relevance**: a BM25F score (name 10, aliases 5, body 1);
//! 7. catalog order.
//!
//! Rules 1–3 come from what the postings told about each document and from its labels; they
//! are computed for every hit. Rules 4–6 scan the document's fields ([`super::fields`]), so
//! they are computed only for the hits that can still reach the page asked for (a bucket sort:
//! the buckets before the page's boundary bucket, and of that bucket the hits whose bounds
//! ([`super::bound`]) say they may).

use std::cmp::Ordering;

use super::bound;
use super::exactness::{NONE, exactness};
use super::fields::{fields, fields_from_counts};
use super::index::{DocId, DocKind, Field, SearchIndex, TermId};
use super::query::{How, Plan, Role, Word};

/// The most words a query is matched with (the rest are ignored; see `SearchText::MAX_WORDS`).
pub const MAX_WORDS: usize = 16;

/// What one document matched.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub doc: DocId,
    /// Per query word: the candidate (index + 1 in the word's `candidates`) the document met
    /// it by, 0 when it did not (compact: every document a query reaches gets one).
    pub met_by: [u16; MAX_WORDS],
    pub key: Key,
    /// The field that explains the match.
    pub field: Field,
    pub score: f64,
    /// The document's row in the occurrence counts of [`rank`].
    at: u32,
    /// Whether those counts are complete (see `PASSED` in [`rank`]).
    counted: bool,
}

impl Ranked {
    /// How the document met each query word (`None`: not matched).
    pub fn words(&self, plan: &Plan) -> [Option<WordMatch>; MAX_WORDS] {
        let mut out = [None; MAX_WORDS];
        for (wi, w) in plan.words.iter().take(MAX_WORDS).enumerate() {
            if let Some(c) = self.met_by[wi].checked_sub(1).map(|c| &w.candidates[usize::from(c)]) {
                out[wi] = Some(WordMatch { term: c.term, how: c.how, typos: c.typos, surface: c.surface });
            }
        }
        out
    }
}

/// How a document matched one query word.
#[derive(Debug, Clone, Copy)]
pub struct WordMatch {
    pub term: TermId,
    pub how: How,
    pub typos: u8,
    /// The indexed word a correction read the query word as.
    pub surface: Option<u32>,
}

/// The ranking key: smaller is better, compared field by field.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Key {
    pub exactness: u8,
    pub core_missing: u8,
    pub weight_missing: f64,
    pub typos: u8,
    pub near_exactness: u8,
    pub optional_missing: u8,
    pub proximity: u32,
    pub attribute: u8,
    pub score: f64,
    pub doc: DocId,
}

impl Key {
    /// Rules 1–3.
    pub(super) fn cmp_buckets(&self, other: &Key) -> Ordering {
        self.exactness
            .cmp(&other.exactness)
            .then(self.core_missing.cmp(&other.core_missing))
            .then(self.weight_missing.total_cmp(&other.weight_missing))
            .then(self.typos.cmp(&other.typos))
            .then(self.near_exactness.cmp(&other.near_exactness))
            .then(self.optional_missing.cmp(&other.optional_missing))
    }

    /// Rules 1–7.
    pub(super) fn cmp(&self, other: &Key) -> Ordering {
        self.cmp_buckets(other)
            .then(self.proximity.cmp(&other.proximity))
            .then(self.attribute.cmp(&other.attribute))
            .then(other.score.total_cmp(&self.score))
            .then(self.doc.cmp(&other.doc))
    }
}

/// Which documents may be hits.
pub struct Filter<'a> {
    pub kind: Option<DocKind>,
    /// Only these items of `kind` (sorted indexes), e.g. the skills of some categories.
    pub within: Option<&'a [u32]>,
}

impl Filter<'_> {
    fn allows(&self, index: &SearchIndex, doc: DocId) -> bool {
        let d = &index.docs[doc as usize];
        if self.kind.is_some_and(|k| k != d.kind) {
            return false;
        }
        self.within.is_none_or(|w| w.binary_search(&d.item).is_ok())
    }
}

/// Which query words each term stands for: `exact[t]` as typed, as another form or as the
/// completion of the last word; `corrected[t]` as a correction. One bit per query word.
pub(super) struct Masks {
    pub(super) exact: Vec<u16>,
    pub(super) corrected: Vec<u16>,
}

impl Masks {
    fn new(index: &SearchIndex, words: &[Word]) -> Self {
        let mut exact = vec![0u16; index.postings.len()];
        let mut corrected = vec![0u16; index.postings.len()];
        for (wi, w) in words.iter().enumerate() {
            for c in &w.candidates {
                let masks = if c.typos == 0 { &mut exact } else { &mut corrected };
                masks[c.term as usize] |= 1 << wi;
            }
        }
        Masks { exact, corrected }
    }

    pub(super) fn any(&self, term: TermId) -> u16 {
        self.exact[term as usize] | self.corrected[term as usize]
    }
}

/// Every document the plan meets (at least one core word), with the page `offset..offset +
/// limit` in ranking order at those places, the best hit first (what `corrected_q` is read from),
/// the other hits before the page in no order, and the rest after the page, in no order.
pub fn rank(index: &SearchIndex, plan: &Plan, filter: &Filter, offset: usize, limit: usize) -> (Vec<Ranked>, usize) {
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let masks = Masks::new(index, words);
    let core_mask: u16 = words.iter().enumerate().filter(|(_, w)| w.role == Role::Core).fold(0, |m, (i, _)| m | 1 << i);

    // Every document a candidate term is posted in; per word, its best way of meeting it, and
    // how often its candidates occur in each class of field (for the bounds of rules 4–6).
    const UNSEEN: u32 = u32::MAX;
    const REFUSED: u32 = u32::MAX - 1;
    // Passed over by a completion that only refines (see below): if a later candidate finds it
    // after all, the completion's occurrences were not counted, so its bound is not used.
    const PASSED: u32 = u32::MAX - 2;
    let n = words.len();
    let mut slot: Vec<u32> = vec![UNSEEN; index.docs.len()];
    let mut found: Vec<Ranked> = Vec::new();
    let mut met: Vec<u16> = Vec::new();
    let mut counts: Vec<bound::Counts> = Vec::new();
    // Stop words never make a hit and are never required: their (long) postings are not read.
    // A completion of the last word only adds to documents that other words found, as in
    // Meilisearch, where the last word is the first dropped: "roast ma" does not list every
    // skill with a word starting with "ma".
    let other_core = |wi: usize| core_mask & !(1 << wi) != 0;
    for (wi, w) in words.iter().enumerate() {
        if w.role == Role::Stop {
            continue;
        }
        for (ci, c) in w.candidates.iter().enumerate().take(usize::from(u16::MAX) - 1) {
            let only_refines = c.how == How::Prefix && other_core(wi);
            let mut last = DocId::MAX;
            let mut at: Option<usize> = None;
            for &(doc, field) in &index.postings[c.term as usize] {
                if doc != last {
                    last = doc;
                    let passed = slot[doc as usize] == PASSED;
                    at = match slot[doc as usize] {
                        REFUSED => None,
                        UNSEEN | PASSED if only_refines => {
                            slot[doc as usize] = PASSED;
                            None
                        }
                        UNSEEN | PASSED if !filter.allows(index, doc) => {
                            slot[doc as usize] = REFUSED;
                            None
                        }
                        UNSEEN | PASSED => {
                            slot[doc as usize] = found.len() as u32;
                            found.push(Ranked {
                                doc,
                                met_by: [0; MAX_WORDS],
                                key: blank_key(doc),
                                field: Field::Body,
                                score: 0.0,
                                at: found.len() as u32,
                                counted: !passed,
                            });
                            met.push(0);
                            counts.extend(std::iter::repeat_n([0u8; 3], n));
                            Some(found.len() - 1)
                        }
                        s => Some(s as usize),
                    };
                    if let Some(at) = at {
                        let better = match found[at].met_by[wi].checked_sub(1) {
                            None => true,
                            Some(m) => {
                                let m = &w.candidates[usize::from(m)];
                                (c.typos, c.how) < (m.typos, m.how)
                            }
                        };
                        if better {
                            found[at].met_by[wi] = ci as u16 + 1;
                        }
                        met[at] |= 1 << wi;
                    }
                }
                if let Some(at) = at {
                    let cell = &mut counts[at * n + wi][usize::from(field.class())];
                    *cell = cell.saturating_add(1);
                }
            }
        }
    }
    let mut hits: Vec<Ranked> =
        found.into_iter().zip(met).filter(|(_, m)| m & core_mask != 0).map(|(r, _)| r).collect();
    for hit in &mut hits {
        buckets(index, plan, &masks, hit);
    }

    let total = hits.len();
    let first = if offset >= total { total.min(1) } else { offset.saturating_add(limit).clamp(1, total) };
    if first == 0 {
        return (hits, total);
    }
    // Only the hits up to the page's boundary bucket can reach the page: those of the buckets
    // before it (fewer than `first`) all do, and need rules 4–6 to be ordered; of the boundary
    // bucket, only the best `first - before` do, found by [`bound::best_of_bucket`].
    let mut before = 0;
    let mut end = total;
    if first < total {
        hits.select_nth_unstable_by(first - 1, |a, b| a.key.cmp_buckets(&b.key));
        let boundary = hits[first - 1].key;
        for i in 0..first {
            if hits[i].key.cmp_buckets(&boundary) == Ordering::Less {
                hits.swap(i, before);
                before += 1;
            }
        }
        end = first;
        for i in first..total {
            if hits[i].key.cmp_buckets(&boundary) == Ordering::Equal {
                hits.swap(i, end);
                end += 1;
            }
        }
    }
    let counts_of = |hit: &Ranked| hit.counted.then(|| &counts[hit.at as usize * n..][..n]);
    // A hit that matched one word needs no scan of its body: the counts say rules 4–6.
    let exact = |hit: &mut Ranked| {
        if scan_all() || !counts_of(hit).is_some_and(|c| fields_from_counts(index, plan, &masks, hit, c)) {
            fields(index, plan, &masks, hit);
        }
    };
    for hit in &mut hits[..before] {
        exact(hit);
    }
    let bucket = &mut hits[before..end];
    let wanted = first - before;
    // Bounds pay when most of the bucket stays off the page; on a deep page, every hit is scanned.
    if 2 * wanted >= bucket.len() || scan_all() {
        for hit in bucket.iter_mut() {
            exact(hit);
        }
        hits[..end].select_nth_unstable_by(first - 1, |a, b| a.key.cmp(&b.key));
    } else {
        let optimistic = |hit: &Ranked| bound::optimistic(index, plan, hit, counts_of(hit));
        bound::best_of_bucket(bucket, wanted, optimistic, exact);
    }
    // The hits before the page need no order among themselves, only the best of them.
    let page = &mut hits[..first];
    let from = offset.min(first - 1);
    if from > 0 {
        page.select_nth_unstable_by(from, |a, b| a.key.cmp(&b.key));
    }
    page[from..].sort_unstable_by(|a, b| a.key.cmp(&b.key));
    if from > 0 {
        let best = (0..from).min_by(|&a, &b| page[a].key.cmp(&page[b].key)).unwrap_or(0);
        page.swap(0, best);
    }
    (hits, total)
}

#[cfg(test)]
thread_local! {
    /// Tests set it to rank as before bounds and counts: every hit of every bucket scanned.
    pub(super) static SCAN_ALL: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

fn scan_all() -> bool {
    #[cfg(test)]
    return SCAN_ALL.get();
    #[cfg(not(test))]
    false
}

fn blank_key(doc: DocId) -> Key {
    Key {
        exactness: NONE,
        core_missing: 0,
        weight_missing: 0.0,
        typos: 0,
        near_exactness: NONE,
        optional_missing: 0,
        proximity: 0,
        attribute: 0,
        score: 0.0,
        doc,
    }
}

/// Rules 1–3.
fn buckets(index: &SearchIndex, plan: &Plan, masks: &Masks, hit: &mut Ranked) {
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let met = hit.words(plan);
    let doc = &index.docs[hit.doc as usize];
    let shape = &index.shapes[hit.doc as usize];
    let k = &mut hit.key;
    for (w, m) in words.iter().zip(&met) {
        match m {
            Some(m) => k.typos += m.typos,
            None => match w.role {
                Role::Core => {
                    k.core_missing += 1;
                    k.weight_missing += w.weight;
                }
                Role::Framing | Role::Stop => k.optional_missing += 1,
            },
        }
    }
    // A label equal to the query as typed has every word of it (stop words are not looked up).
    let as_typed = k.typos == 0 && k.core_missing == 0;
    let (level, label) = exactness(doc, shape, plan, words, &met, masks, as_typed, k.core_missing == 0, false);
    k.exactness = level;
    let mut exact_label = label;
    // The same with the corrections applied: it orders hits with as many typos (after the typo
    // rule, so that a correction never outranks a word as typed).
    if level == NONE && k.typos > 0 && k.core_missing == 0 {
        let (near, label) = exactness(doc, shape, plan, words, &met, masks, false, true, true);
        k.near_exactness = near;
        exact_label = label;
    }
    hit.field = match exact_label {
        Some(0) => Field::Name,
        Some(i) => Field::Alias((i - 1).min(u16::MAX as usize) as u16),
        None => Field::Body,
    };
}
