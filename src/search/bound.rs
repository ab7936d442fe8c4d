//! Bounds on ranking rules 4–6 (proximity, attribute, relevance) from what the postings told
//! about a hit, so that of a bucket of thousands of tied hits (`a`, `the`, `of` with `limit=100`)
//! only those that can still reach the page have their fields scanned. The order is exactly the
//! one a scan of every hit gives: a hit is left out only when even its best possible key is worse
//! than that of as many scanned hits as the page needs from the bucket.
//!
//! The bounds come from the occurrence counts [`super::rank::rank`] gathers from the postings
//! (per hit, per query word, per class of field) and from the document's [`Shape`]:
//! - proximity: at least 8 for each pair of consecutive matched words that no field of a class
//!   can hold both of (0 when one word matched, as the rule says);
//! - attribute: at least the first class of field that has every matched core word;
//! - relevance: BM25F with each class's occurrences all in its shortest field.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use super::fields::{K1, tf_part, word_score};
use super::index::SearchIndex;
use super::query::{Plan, Role};
use super::rank::{Key, MAX_WORDS, Ranked};

/// Occurrences of one query word's candidates in a hit's name, aliases and body (saturated).
pub(super) type Counts = [u8; 3];

/// The best key `hit` can have once rules 4–6 are computed (rules 1–3 as computed, the same
/// document): no better than its exact key. With no `counts` (they are incomplete), the best key
/// of all: the hit is scanned.
pub(super) fn optimistic(index: &SearchIndex, plan: &Plan, hit: &Ranked, counts: Option<&[Counts]>) -> Key {
    let mut key = hit.key;
    let Some(counts) = counts else {
        key.proximity = 0;
        key.attribute = 0;
        key.score = f64::INFINITY;
        return key;
    };
    let words = &plan.words[..plan.words.len().min(MAX_WORDS)];
    let met = hit.words(plan);
    let matched: u16 = met.iter().enumerate().filter(|(_, m)| m.is_some()).fold(0, |m, (i, _)| m | 1 << i);
    let core: u16 = words.iter().enumerate().filter(|(_, w)| w.role == Role::Core).fold(0, |m, (i, _)| m | 1 << i);
    // Per class of field, the matched words some field of that class has.
    let mut present = [0u16; 3];
    for (w, c) in counts.iter().enumerate() {
        for class in 0..3 {
            if c[class] > 0 {
                present[class] |= 1 << w;
            }
        }
    }
    let present = present.map(|p| p & matched);

    key.proximity = 0;
    if matched.count_ones() > 1 {
        let order: Vec<usize> = (0..words.len()).filter(|&w| matched & (1 << w) != 0).collect();
        let least = present
            .iter()
            .filter(|&&p| p != 0)
            .map(|&p| {
                let apart = order.windows(2).filter(|pair| p & (1 << pair[0]) == 0 || p & (1 << pair[1]) == 0);
                8 * apart.count() as u32
            })
            .min()
            .unwrap_or(u32::MAX);
        key.proximity = least.min(8 * MAX_WORDS as u32);
    }

    let core_matched = matched & core;
    key.attribute = (0..3u8).find(|&class| present[usize::from(class)] & core_matched == core_matched).unwrap_or(3);

    let shape = &index.shapes[hit.doc as usize];
    let mut score = 0.0;
    for (wi, m) in met.iter().enumerate() {
        let Some(m) = m else { continue };
        let mut tf = [0f64; 3];
        for class in 0..3 {
            tf[class] = match counts[wi][class] {
                0 => 0.0,
                u8::MAX => K1 + 1.0,
                c => tf_part(f64::from(c), f64::from(shape.lens[class]), index.avg_len[class]),
            };
        }
        score += word_score(index, &words[wi], m, &tf);
    }
    // The same arithmetic as the exact score on larger or equal inputs; the margin only guards
    // against rounding at the saturated counts.
    key.score = score * (1.0 + 1e-9);
    key
}

/// Rules 4–7 of a key as integers, ordered as [`Key::cmp`] orders keys of one bucket (tied on
/// rules 1–3, so those need no comparing): proximity, attribute, the score (higher first, in
/// `f64::total_cmp`'s order), the document. Sorting a bucket of thousands of hits (`q=a` on
/// ESCO: 12,282) compared whole `Key`s field by field; these compare as three integers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
struct InBucket(u64, u64, u32);

impl InBucket {
    fn of(key: &Key) -> Self {
        let bits = key.score.to_bits();
        // `total_cmp`'s order as an unsigned integer, then reversed: a higher score first.
        let ascending = if bits >> 63 == 1 { !bits } else { bits | 1 << 63 };
        InBucket(u64::from(key.proximity) << 8 | u64::from(key.attribute), !ascending, key.doc)
    }
}

/// Moves the best `k` hits of `bucket` (hits tied on rules 1–3, `k` < its length) to its front,
/// with rules 4–6 computed by `exact`; the others follow, in no order and mostly not computed.
/// Hits are computed in the order of their `optimistic` keys until the next one's cannot beat
/// the `k`-th best computed so far.
pub(super) fn best_of_bucket(
    bucket: &mut [Ranked],
    k: usize,
    optimistic: impl Fn(&Ranked) -> Key,
    mut exact: impl FnMut(&mut Ranked),
) {
    let mut order: Vec<(InBucket, u32)> =
        bucket.iter().enumerate().map(|(i, h)| (InBucket::of(&optimistic(h)), i as u32)).collect();
    // The best `k` computed so far, the worst on top.
    let mut best: BinaryHeap<ByKey> = BinaryHeap::with_capacity(k + 1);
    let mut from = 0;
    'chunks: while from < order.len() {
        // The next best optimistic keys, a chunk at a time (most buckets end in the first).
        let take = (2 * k).max(64).min(order.len() - from);
        let rest = &mut order[from..];
        if take < rest.len() {
            rest.select_nth_unstable_by_key(take - 1, |a| a.0);
        }
        rest[..take].sort_unstable_by_key(|a| a.0);
        for (bound, i) in &rest[..take] {
            if best.len() == k && best.peek().is_some_and(|worst| bound.cmp(&worst.0) == Ordering::Greater) {
                break 'chunks;
            }
            let hit = &mut bucket[*i as usize];
            exact(hit);
            best.push(ByKey(InBucket::of(&hit.key), *i));
            if best.len() > k {
                best.pop();
            }
        }
        from += take;
    }
    let mut chosen: Vec<u32> = best.into_iter().map(|b| b.1).collect();
    chosen.sort_unstable();
    for (to, &i) in chosen.iter().enumerate() {
        bucket.swap(to, i as usize);
    }
}

/// A computed key, ordered as ranking orders keys of one bucket.
#[derive(PartialEq, Eq, PartialOrd, Ord)]
struct ByKey(InBucket, u32);

#[cfg(test)]
mod tests {
    use super::*;

    /// Keys of one bucket compare as their integers do, scores of every sign and size included.
    #[test]
    fn in_bucket_integers_order_as_keys_do() {
        let base = Key {
            exactness: 3,
            core_missing: 0,
            weight_missing: 0.5,
            typos: 1,
            near_exactness: 2,
            optional_missing: 0,
            proximity: 0,
            attribute: 0,
            score: 0.0,
            doc: 0,
        };
        let scores = [f64::NEG_INFINITY, -2.5, -0.0, 0.0, 1e-300, 0.75, 2.8541, 1e300, f64::INFINITY];
        let mut keys = Vec::new();
        for (i, &score) in scores.iter().enumerate() {
            for proximity in [0, 8, 9, 128] {
                for attribute in [0, 1, 3] {
                    for doc in [0, 7, u32::MAX] {
                        keys.push(Key { proximity, attribute, score, doc: doc ^ i as u32, ..base });
                    }
                }
            }
        }
        for a in &keys {
            for b in &keys {
                assert_eq!(InBucket::of(a).cmp(&InBucket::of(b)), a.cmp(b), "{a:?} {b:?}");
            }
        }
    }
}
