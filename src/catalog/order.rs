//! The orders lists can be sorted in: catalog position (the default) and name, both ways.
//!
//! Names are compared by their folded form ([`crate::domain::text::fold`]: lowercase, common
//! Latin diacritics removed, as search folds them), so "élan", "Elan" and "elan" sort together;
//! equal folded names keep catalog order (in both directions), which makes every sort stable
//! and total. The ranks are computed once per catalog; sorting a filtered list is then a sort of
//! small integers, never a string comparison per request.

use std::borrow::Cow;
use std::cmp::Reverse;

use crate::domain::text::fold;

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Order {
    /// Catalog order.
    #[default]
    Position,
    /// By name, A to Z.
    Name,
    /// By name, Z to A.
    NameDesc,
}

/// The name rank of every item of one list: equal folded names share a rank.
#[derive(Debug, Default)]
pub struct NameRanks {
    rank: Vec<u32>,
    /// Every item by name, A to Z, then Z to A (ties in catalog order both times).
    by_name: Vec<u32>,
    by_name_desc: Vec<u32>,
}

impl NameRanks {
    /// Ranks `names` (in catalog order) by their folded form.
    pub fn new<'a>(names: impl Iterator<Item = &'a str>) -> Self {
        let folded: Vec<String> = names.map(fold).collect();
        let mut by_name: Vec<u32> = (0..folded.len() as u32).collect();
        by_name.sort_by(|&a, &b| folded[a as usize].cmp(&folded[b as usize]).then(a.cmp(&b)));
        let mut rank = vec![0u32; folded.len()];
        let mut current = 0u32;
        for (i, &ix) in by_name.iter().enumerate() {
            if i > 0 && folded[ix as usize] != folded[by_name[i - 1] as usize] {
                current += 1;
            }
            rank[ix as usize] = current;
        }
        let by_name_desc = {
            let mut items = by_name.clone();
            items.sort_unstable_by_key(|&i| (Reverse(rank[i as usize]), i));
            items
        };
        NameRanks { rank, by_name, by_name_desc }
    }

    /// Sorts item indexes (into the ranked list) in `order`; ties keep catalog order.
    pub fn sort(&self, items: &mut [u32], order: Order) {
        match order {
            Order::Position => items.sort_unstable(),
            Order::Name => items.sort_unstable_by_key(|&i| (self.rank[i as usize], i)),
            Order::NameDesc => items.sort_unstable_by_key(|&i| (Reverse(self.rank[i as usize]), i)),
        }
    }

    /// Every item, in `order` (precomputed).
    pub fn all(&self, order: Order) -> Cow<'_, [u32]> {
        match order {
            Order::Position => Cow::Owned((0..self.rank.len() as u32).collect()),
            Order::Name => Cow::Borrowed(&self.by_name),
            Order::NameDesc => Cow::Borrowed(&self.by_name_desc),
        }
    }
}

/// The name ranks of a catalog's three lists (FAQ entries by their question).
#[derive(Debug, Default)]
pub struct Orders {
    pub skills: NameRanks,
    pub categories: NameRanks,
    /// Indexed like [`super::Catalog::faqs`].
    pub faqs: NameRanks,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_sort_folded_and_ties_keep_catalog_order() {
        let names = ["beta", "Élan", "alpha", "elan", "Alpha"];
        let ranks = NameRanks::new(names.into_iter());
        assert_eq!(*ranks.all(Order::Name), [2, 4, 0, 1, 3]);
        assert_eq!(*ranks.all(Order::NameDesc), [1, 3, 0, 2, 4]);
        assert_eq!(*ranks.all(Order::Position), [0, 1, 2, 3, 4]);
        let mut some = vec![3, 0, 4];
        ranks.sort(&mut some, Order::Name);
        assert_eq!(some, [4, 0, 3]);
    }
}
