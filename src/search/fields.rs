//! Ranking rules 4–6 (proximity, attribute, relevance) of one hit, from one scan of each of its
//! fields (see [`super::rank`] for the rules in order, docs/SEARCH.md for examples), and the
//! BM25F arithmetic that [`super::bound`] bounds them with.

use super::bound::Counts;
use super::exactness::NONE;
use super::index::{Field, SearchIndex};
use super::query::{How, Plan, Role, Word};
use super::rank::{MAX_WORDS, Masks, Ranked, WordMatch};

pub(super) const K1: f64 = 1.2;
const B: f64 = 0.75;
const WEIGHTS: [f64; 3] = [10.0, 5.0, 1.0];

/// BM25's term-frequency part for `count` occurrences in a field of `len` terms (fields of its
/// class average `avg`): increasing in `count`, decreasing in `len`, always below `K1 + 1`.
pub(super) fn tf_part(count: f64, len: f64, avg: f32) -> f64 {
    let len_norm = 1.0 - B + B * len / f64::from(avg);
    count * (K1 + 1.0) / (count + K1 * len_norm)
}

/// One matched word's share of rule 6's score, from its term-frequency part in each class of
/// field (`tf`: name, aliases, body).
pub(super) fn word_score(index: &SearchIndex, word: &Word, m: &WordMatch, tf: &[f64; 3]) -> f64 {
    let field_part: f64 = tf.iter().zip(WEIGHTS).map(|(t, w)| t * w).sum();
    let (idf, factor) = match m.how {
        How::Exact => (index.idf(m.term), 1.0),
        // A completion weighs as the typed beginning does (the rarest completion is not the
        // likeliest), and less the more of the word is still to come.
        How::Prefix => {
            let typed = word.text.chars().count() as f64;
            let whole = m.surface.map_or(typed, |s| index.surfaces[s as usize].chars.len() as f64);
            (word.prefix_idf, 0.8 * typed / whole.max(typed))
        }
        How::Typo => (index.idf(m.term), 1.0 / (1.0 + f64::from(m.typos))),
    };
    let weight = match word.role {
        Role::Core => 1.0,
        Role::Framing | Role::Stop => 0.1,
    };
    idf * field_part * factor * weight
}

/// Rules 4–6, from one scan of each field: proximity, attribute, BM25F.
pub(super) fn fields(index: &SearchIndex, plan: &Plan, masks: &Masks, hit: &mut Ranked) {
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let n = words.len();
    let doc = &index.docs[hit.doc as usize];
    let met = hit.words(plan);
    let matched: u16 = met.iter().enumerate().filter(|(_, m)| m.is_some()).fold(0, |m, (i, _)| m | 1 << i);
    let core: u16 = words.iter().enumerate().filter(|(_, w)| w.role == Role::Core).fold(0, |m, (i, _)| m | 1 << i);
    let core_matched = (matched & core).count_ones();
    let mut tf = [[0f64; 3]; MAX_WORDS];
    let mut best_proximity = u32::MAX;
    // (core words present, words present, attribute class, field)
    let mut best_field: Option<(u32, u32, u8, Field)> = None;
    let labels = doc.labels.iter().enumerate().map(|(i, l)| {
        (if i == 0 { Field::Name } else { Field::Alias((i - 1).min(u16::MAX as usize) as u16) }, l.terms.as_slice())
    });
    for (field, terms) in labels.chain(std::iter::once((Field::Body, doc.body.as_slice()))) {
        let class = field.class();
        let mut first_at = [u32::MAX; MAX_WORDS];
        let mut counts = [0u32; MAX_WORDS];
        let mut present: u16 = 0;
        for (p, &t) in terms.iter().enumerate() {
            let mut m = masks.any(t) & matched;
            present |= m;
            while m != 0 {
                let w = m.trailing_zeros() as usize;
                m &= m - 1;
                counts[w] += 1;
                if first_at[w] == u32::MAX {
                    first_at[w] = p as u32;
                }
            }
        }
        if present == 0 {
            continue;
        }
        for w in 0..n {
            if counts[w] > 0 {
                let part = tf_part(f64::from(counts[w]), terms.len() as f64, index.avg_len[usize::from(class)]);
                let cell = &mut tf[w][usize::from(class)];
                *cell = cell.max(part);
            }
        }
        // Proximity over the words the document matched, in query order.
        let mut proximity = 0u32;
        let mut prev: Option<u32> = None;
        for w in (0..n).filter(|&w| matched & (1 << w) != 0) {
            let at = first_at[w];
            if let Some(a) = prev {
                proximity += match (a, at) {
                    (u32::MAX, _) | (_, u32::MAX) => 8,
                    (a, b) if b > a => (b - a - 1).min(7),
                    (a, b) => (a - b + 1).min(7),
                };
            }
            prev = Some(at);
        }
        best_proximity = best_proximity.min(proximity);
        let candidate = ((present & core).count_ones(), present.count_ones(), class, field);
        if best_field.is_none_or(|b| {
            (candidate.0, candidate.1) > (b.0, b.1) || ((candidate.0, candidate.1) == (b.0, b.1) && class < b.2)
        }) {
            best_field = Some(candidate);
        }
    }
    let k = &mut hit.key;
    k.proximity = if matched.count_ones() > 1 { best_proximity.min(8 * MAX_WORDS as u32) } else { 0 };
    let (attribute, field) = match best_field {
        Some((c, _, class, field)) if c == core_matched => (class, field),
        Some((_, _, _, field)) => (3, field),
        None => (3, Field::Body),
    };
    k.attribute = attribute;
    if k.exactness == NONE && k.near_exactness == NONE {
        hit.field = field;
    }

    let mut score = 0.0;
    for (wi, m) in met.iter().enumerate() {
        let Some(m) = m else { continue };
        score += word_score(index, &words[wi], m, &tf[wi]);
    }
    k.score = score;
    hit.score = score;
}

/// Rules 4–6 of a hit that matched one query word, from its occurrence counts (`counts`, per
/// query word and class of field, as [`super::rank::rank`] read them from the postings) and the
/// document's lengths: the values [`fields`] computes, scanning only the aliases (each one's own
/// length counts), never the body. `false`, with nothing computed, when the counts cannot say.
pub(super) fn fields_from_counts(
    index: &SearchIndex,
    plan: &Plan,
    masks: &Masks,
    hit: &mut Ranked,
    counts: &[Counts],
) -> bool {
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let met = hit.words(plan);
    let mut matched = met.iter().enumerate().filter_map(|(wi, m)| m.map(|m| (wi, m)));
    let (Some((wi, m)), None) = (matched.next(), matched.next()) else { return false };
    let shape = &index.shapes[hit.doc as usize];
    let c = counts[wi];
    if c.contains(&u8::MAX) || shape.lens[0] == u16::MAX || shape.lens[2] == u16::MAX {
        return false;
    }
    let mut tf = [0f64; 3];
    // The first field that has the word: name, then the aliases in order, then the body.
    let mut field = None;
    if c[0] > 0 {
        tf[0] = tf_part(f64::from(c[0]), f64::from(shape.lens[0]), index.avg_len[0]);
        field = Some(Field::Name);
    }
    if c[1] > 0 {
        let bit = 1u16 << wi;
        for (i, label) in index.docs[hit.doc as usize].labels.iter().enumerate().skip(1) {
            let count = label.terms.iter().filter(|&&t| masks.any(t) & bit != 0).count();
            if count > 0 {
                let part = tf_part(count as f64, label.terms.len() as f64, index.avg_len[1]);
                tf[1] = tf[1].max(part);
                field.get_or_insert(Field::Alias((i - 1).min(u16::MAX as usize) as u16));
            }
        }
    }
    if c[2] > 0 {
        tf[2] = tf_part(f64::from(c[2]), f64::from(shape.lens[2]), index.avg_len[2]);
        field.get_or_insert(Field::Body);
    }
    let Some(field) = field else { return false };
    let k = &mut hit.key;
    k.proximity = 0;
    k.attribute = field.class();
    if k.exactness == NONE && k.near_exactness == NONE {
        hit.field = field;
    }
    let mut score = 0.0;
    score += word_score(index, &words[wi], &m, &tf);
    k.score = score;
    hit.score = score;
    true
}
