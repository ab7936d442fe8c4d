//! Ranking: the documents a planned query meets, each with its ranking key, sorted by the
//! ranking rules in order (docs/SEARCH.md gives an example of each):
//!
//! 1. **exactness**: the query equals the name (then an alias), as folded words; then the
//!    query's core words, as terms, equal the name's (then an alias's) words;
//! 2. **words**: more core words matched first, then more framing and stop words, then the
//!    rarer words matched (the least informative words are dropped first);
//! 3. **typos**: fewer corrections first; with as many, a label that the corrected query
//!    equals (as exactness, above) first;
//! 4. **proximity**: the matched words closer together and in query order first;
//! 5. **attribute**: all words in the name, then in one alias, then in the body;
//! 6. **relevance**: a BM25F score (name 10, aliases 5, body 1);
//! 7. catalog order.

use std::cmp::Ordering;

use super::index::{DocId, DocKind, Field, SearchIndex, TermId};
use super::query::{How, Plan, Role};

/// The most words a query is matched with (the rest are ignored; see `SearchText::MAX_WORDS`).
pub const MAX_WORDS: usize = 16;

const K1: f64 = 1.2;
const B: f64 = 0.75;
const WEIGHTS: [f64; 3] = [10.0, 5.0, 1.0];

/// What one document matched.
#[derive(Debug, Clone)]
pub struct Ranked {
    pub doc: DocId,
    /// Per query word: the term met, how, and with how many typos (`None`: not matched).
    pub words: [Option<WordMatch>; MAX_WORDS],
    pub key: Key,
    /// The field that explains the match.
    pub field: Field,
    pub score: f64,
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
    pub optional_missing: u8,
    pub weight_missing: f64,
    pub typos: u8,
    pub near_exactness: u8,
    pub proximity: u32,
    pub attribute: u8,
    pub score: f64,
    pub doc: DocId,
}

impl Key {
    fn cmp(&self, other: &Key) -> Ordering {
        self.exactness
            .cmp(&other.exactness)
            .then(self.core_missing.cmp(&other.core_missing))
            .then(self.optional_missing.cmp(&other.optional_missing))
            .then(self.weight_missing.total_cmp(&other.weight_missing))
            .then(self.typos.cmp(&other.typos))
            .then(self.near_exactness.cmp(&other.near_exactness))
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

/// Every document the plan meets (at least one core word), and the first `first` of them in
/// ranking order (the rest unsorted after them).
pub fn rank(index: &SearchIndex, plan: &Plan, filter: &Filter, first: usize) -> (Vec<Ranked>, usize) {
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let mut slot: Vec<u32> = vec![u32::MAX; index.docs.len()];
    let mut found: Vec<Ranked> = Vec::new();
    let mut has_core: Vec<bool> = Vec::new();
    for (wi, w) in words.iter().enumerate() {
        for c in &w.candidates {
            let mut last = u32::MAX;
            for &(doc, _) in &index.postings[c.term as usize] {
                if doc == last {
                    continue;
                }
                last = doc;
                let s = slot[doc as usize];
                let at = if s == u32::MAX {
                    if !filter.allows(index, doc) {
                        slot[doc as usize] = u32::MAX - 1;
                        continue;
                    }
                    slot[doc as usize] = found.len() as u32;
                    found.push(Ranked {
                        doc,
                        words: [None; MAX_WORDS],
                        key: Key {
                            exactness: 0,
                            core_missing: 0,
                            optional_missing: 0,
                            weight_missing: 0.0,
                            typos: 0,
                            near_exactness: 6,
                            proximity: 0,
                            attribute: 0,
                            score: 0.0,
                            doc,
                        },
                        field: Field::Body,
                        score: 0.0,
                    });
                    has_core.push(false);
                    found.len() - 1
                } else if s == u32::MAX - 1 {
                    continue;
                } else {
                    s as usize
                };
                let better = match found[at].words[wi] {
                    None => true,
                    Some(m) => (c.typos, c.how) < (m.typos, m.how),
                };
                if better {
                    found[at].words[wi] =
                        Some(WordMatch { term: c.term, how: c.how, typos: c.typos, surface: c.surface });
                }
                if w.role == Role::Core {
                    has_core[at] = true;
                }
            }
        }
    }
    let mut hits: Vec<Ranked> = found.into_iter().zip(has_core).filter(|(_, core)| *core).map(|(r, _)| r).collect();
    for hit in &mut hits {
        key(index, plan, hit);
    }
    let total = hits.len();
    let first = first.min(total);
    if first > 0 && first < total {
        hits.select_nth_unstable_by(first - 1, |a, b| a.key.cmp(&b.key));
    }
    hits[..first].sort_unstable_by(|a, b| a.key.cmp(&b.key));
    (hits, total)
}

/// Fills in a hit's ranking key.
fn key(index: &SearchIndex, plan: &Plan, hit: &mut Ranked) {
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let doc = &index.docs[hit.doc as usize];
    let mut k = hit.key;
    let mut all_matched = true;
    for (w, m) in words.iter().zip(&hit.words) {
        match m {
            Some(m) => k.typos += m.typos,
            None => {
                all_matched = false;
                match w.role {
                    Role::Core => k.core_missing += 1,
                    Role::Framing | Role::Stop => k.optional_missing += 1,
                }
                k.weight_missing += w.weight;
            }
        }
    }

    // Exactness: the first level a label reaches, the label that reached it.
    let (level, mut exact_label) =
        exactness(doc, plan, words, &hit.words, all_matched && k.typos == 0, k.core_missing == 0, false);
    k.exactness = level;
    // The same with the corrections applied: it orders hits with as many typos (after the typo
    // rule, so that a correction never outranks a word as typed).
    k.near_exactness = 6;
    if level == 6 && k.typos > 0 {
        let (near, label) = exactness(doc, plan, words, &hit.words, false, k.core_missing == 0, true);
        k.near_exactness = near;
        exact_label = label;
    }

    // Proximity, attribute and BM25F, from one scan of each field.
    let matched: Vec<(usize, TermId, How, u8)> =
        hit.words.iter().enumerate().filter_map(|(i, m)| m.map(|m| (i, m.term, m.how, m.typos))).collect();
    let fields = doc
        .labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (if i == 0 { Field::Name } else { Field::Alias((i - 1).min(u16::MAX as usize) as u16) }, &l.terms)
        })
        .chain(std::iter::once((Field::Body, &doc.body)));
    let mut best_proximity = u32::MAX;
    let mut best_field: Option<(usize, u8, Field)> = None; // (words present, attribute class, field)
    let core_matched = matched.iter().filter(|m| words[m.0].role == Role::Core).count();
    let mut tf = vec![[0f64; 3]; matched.len()];
    for (field, terms) in fields {
        let class: u8 = match field {
            Field::Name => 0,
            Field::Alias(_) => 1,
            Field::Body => 2,
        };
        let len_norm = 1.0 - B + B * terms.len() as f64 / f64::from(index.avg_len[usize::from(class)]);
        // First position of each matched word in this field.
        let mut pos: Vec<Option<usize>> = vec![None; matched.len()];
        let mut counts = vec![0u32; matched.len()];
        for (p, t) in terms.iter().enumerate() {
            for (j, m) in matched.iter().enumerate() {
                if m.1 == *t {
                    counts[j] += 1;
                    if pos[j].is_none() {
                        pos[j] = Some(p);
                    }
                }
            }
        }
        for (j, &n) in counts.iter().enumerate() {
            if n > 0 {
                let n = f64::from(n);
                let part = n * (K1 + 1.0) / (n + K1 * len_norm);
                tf[j][usize::from(class)] = tf[j][usize::from(class)].max(part);
            }
        }
        // Core words count first: framing and stop words never decide the attribute.
        let present_core =
            pos.iter().zip(&matched).filter(|(p, m)| p.is_some() && words[m.0].role == Role::Core).count();
        let present = present_core * (MAX_WORDS + 1) + pos.iter().filter(|p| p.is_some()).count();
        if present == 0 {
            continue;
        }
        let mut proximity = 0u32;
        let in_order: Vec<Option<usize>> = pos.clone();
        for pair in in_order.windows(2) {
            proximity += match (pair[0], pair[1]) {
                (Some(a), Some(b)) if b > a => (b - a - 1).min(7) as u32,
                (Some(a), Some(b)) => ((a - b) + 1).min(7) as u32,
                _ => 8,
            };
        }
        best_proximity = best_proximity.min(proximity);
        if best_field.is_none_or(|(bp, bc, _)| present > bp || (present == bp && class < bc)) {
            best_field = Some((present, class, field));
        }
    }
    k.proximity = if matched.len() > 1 { best_proximity } else { 0 };
    let (attribute, field) = match best_field {
        Some((present, class, field)) if present / (MAX_WORDS + 1) == core_matched => (class, field),
        Some((_, _, field)) => (3, field),
        None => (3, Field::Body),
    };
    k.attribute = attribute;
    hit.field = match exact_label {
        Some(0) => Field::Name,
        Some(i) => Field::Alias((i - 1).min(u16::MAX as usize) as u16),
        None => field,
    };

    let mut score = 0.0;
    for (j, &(wi, term, how, typos)) in matched.iter().enumerate() {
        let field_part: f64 = tf[j].iter().zip(WEIGHTS).map(|(t, w)| t * w).sum();
        let factor = match how {
            How::Exact => 1.0,
            How::Prefix => 0.8,
            How::Typo => 1.0 / (1.0 + f64::from(typos)),
        };
        let weight = match words[wi].role {
            Role::Core => 1.0,
            Role::Framing | Role::Stop => 0.1,
        };
        score += index.idf(term) * field_part * factor * weight;
    }
    k.score = score;
    hit.score = score;
    hit.key = k;
}

/// Levels: 0 the query is the name (folded words), 1 an alias, 2 the name without its
/// parenthesis; then, with the query's core words as terms (no typo): 3 the name's, 4 an alias's,
/// 5 the name's without its parenthesis; 6 none.
fn exactness(
    doc: &super::index::Doc,
    plan: &Plan,
    words: &[super::query::Word],
    matches: &[Option<WordMatch>; MAX_WORDS],
    as_typed: bool,
    all_core: bool,
    with_typos: bool,
) -> (u8, Option<usize>) {
    let mut best: (u8, Option<usize>) = (6, None);
    let consider = |best: &mut (u8, Option<usize>), level: u8, label: usize| {
        if level < best.0 {
            *best = (level, Some(label));
        }
    };
    if as_typed {
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
    let terms = |keep: &dyn Fn(super::query::Role) -> bool| -> Option<Vec<TermId>> {
        let mut out = Vec::new();
        for (w, m) in words.iter().zip(matches) {
            if keep(w.role) {
                match m {
                    Some(m) if m.typos == 0 || with_typos => out.push(m.term),
                    Some(_) => return None,
                    None if w.role == Role::Core => return None,
                    None => {}
                }
            }
        }
        Some(out)
    };
    let core = terms(&|r| r == Role::Core);
    let non_stop = terms(&|r| r != Role::Stop);
    let equal = |label: &[TermId]| core.as_deref() == Some(label) || non_stop.as_deref() == Some(label);
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
