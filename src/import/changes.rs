//! What an import changes: the catalog being replaced against the new one, as the change feed
//! (`GET /changes`) serves it.
//!
//! For each resource (categories, then skills, then FAQ entries), the changes come in the order
//! a client applies them to its copy of the export:
//! 1. every `removed` item, in the old order;
//! 2. every `added` or `changed` item in ascending `position` (its 1-based place in the new
//!    export), with its whole new record.
//!
//! An item that moved (its `fields` include `position`) is taken out in step 1 and put back at
//! `position` in step 2, like an added one. Which items moved is decided by keeping the longest
//! run of items whose relative order is unchanged (a longest increasing subsequence): after the
//! removals and take-outs, the copy holds exactly those items in the new order, and inserting
//! the rest in ascending `position` rebuilds the new export exactly. An insertion in the middle
//! therefore moves nothing.

use std::collections::HashMap;

use serde::Serialize;

use crate::catalog::records::{CategoryRecord, FaqRecord, Records, SkillRecord};
use crate::db::{CatalogData, ChangeSet, NewChange, RemovedSkill};

/// A record the feed can compare field by field.
trait Compared: Serialize + PartialEq {
    const RESOURCE: &'static str;
    fn key(&self) -> String;
    /// The names of the fields that differ from `other`, in the record's order.
    fn changed_fields(&self, other: &Self) -> Vec<&'static str>;
}

macro_rules! fields {
    ($a:expr, $b:expr, $($field:ident => $name:literal),* $(,)?) => {{
        let mut out = Vec::new();
        $(if $a.$field != $b.$field { out.push($name); })*
        out
    }};
}

impl Compared for SkillRecord {
    const RESOURCE: &'static str = "skill";
    fn key(&self) -> String {
        self.slug.clone()
    }
    fn changed_fields(&self, o: &Self) -> Vec<&'static str> {
        fields!(self, o, name => "name", description => "description", category => "category",
            categories => "categories", aliases => "aliases", uri => "uri", skill_type => "skill_type", kind => "type")
    }
}

impl Compared for CategoryRecord {
    const RESOURCE: &'static str = "category";
    fn key(&self) -> String {
        self.slug.clone()
    }
    fn changed_fields(&self, o: &Self) -> Vec<&'static str> {
        fields!(self, o, name => "name", description => "description", code => "code", parent => "parent",
            skill_count => "skill_count")
    }
}

impl Compared for FaqRecord {
    const RESOURCE: &'static str = "faq";
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn changed_fields(&self, o: &Self) -> Vec<&'static str> {
        fields!(self, o, question => "question", answer => "answer", category => "category")
    }
}

/// The changes from `old` to `new`.
pub fn diff(old: &CatalogData, new: &CatalogData) -> ChangeSet {
    diff_records(&Records::from_data(old), &Records::from_data(new))
}

pub fn diff_records(old: &Records, new: &Records) -> ChangeSet {
    let mut changes = Vec::new();
    diff_list(&old.categories, &new.categories, &mut changes);
    diff_list(&old.skills, &new.skills, &mut changes);
    diff_list(&old.faqs, &new.faqs, &mut changes);

    let new_by_uri: HashMap<&str, &str> =
        new.skills.iter().filter_map(|s| Some((s.uri.as_deref()?, s.slug.as_str()))).collect();
    let kept: std::collections::HashSet<&str> = new.skills.iter().map(|s| s.slug.as_str()).collect();
    let removed_skills = old
        .skills
        .iter()
        .filter(|s| !kept.contains(s.slug.as_str()))
        .map(|s| RemovedSkill {
            slug: s.slug.clone(),
            uri: s.uri.clone(),
            replacement_slug: s.uri.as_deref().and_then(|u| new_by_uri.get(u)).map(|&slug| slug.to_owned()),
        })
        .collect();
    ChangeSet { changes, removed_skills }
}

fn diff_list<R: Compared>(old: &[R], new: &[R], out: &mut Vec<NewChange>) {
    let old_ix: HashMap<String, usize> = old.iter().enumerate().map(|(i, r)| (r.key(), i)).collect();
    let new_keys: Vec<String> = new.iter().map(R::key).collect();
    let new_set: std::collections::HashSet<&str> = new_keys.iter().map(String::as_str).collect();

    for r in old {
        let key = r.key();
        if !new_set.contains(key.as_str()) {
            out.push(NewChange {
                resource: R::RESOURCE,
                key,
                change: "removed",
                fields: None,
                position: None,
                record: None,
            });
        }
    }

    // The old places of the items that stay, in the new order; those off the longest increasing
    // run moved.
    let common: Vec<(usize, usize)> =
        new_keys.iter().enumerate().filter_map(|(n, k)| old_ix.get(k).map(|&o| (n, o))).collect();
    let stays = longest_increasing(&common.iter().map(|&(_, o)| o).collect::<Vec<_>>());
    let mut moved = vec![false; new.len()];
    for (i, &(n, _)) in common.iter().enumerate() {
        moved[n] = !stays[i];
    }

    for (n, (record, key)) in new.iter().zip(new_keys).enumerate() {
        let (change, fields) = match old_ix.get(&key) {
            None => ("added", None),
            Some(&o) => {
                let mut fields = record.changed_fields(&old[o]);
                if moved[n] {
                    fields.push("position");
                }
                if fields.is_empty() {
                    continue;
                }
                ("changed", Some(fields.join(",")))
            }
        };
        out.push(NewChange {
            resource: R::RESOURCE,
            key,
            change,
            fields,
            position: Some(n as i64 + 1),
            record: Some(serde_json::to_string(record).expect("records serialize")),
        });
    }
}

/// For each element, whether it belongs to one longest strictly increasing subsequence of `seq`
/// (patience sorting, O(n log n)).
fn longest_increasing(seq: &[usize]) -> Vec<bool> {
    // tails[k]: index in seq of the smallest tail of an increasing run of length k + 1.
    let mut tails: Vec<usize> = Vec::new();
    let mut before: Vec<Option<usize>> = vec![None; seq.len()];
    for (i, &v) in seq.iter().enumerate() {
        let k = tails.partition_point(|&t| seq[t] < v);
        before[i] = k.checked_sub(1).map(|p| tails[p]);
        if k == tails.len() {
            tails.push(i);
        } else {
            tails[k] = i;
        }
    }
    let mut in_run = vec![false; seq.len()];
    let mut at = tails.last().copied();
    while let Some(i) = at {
        in_run[i] = true;
        at = before[i];
    }
    in_run
}

#[cfg(test)]
mod tests {
    use super::*;

    fn faq(id: u32, answer: &str) -> FaqRecord {
        FaqRecord { id, question: format!("q{id}"), answer: answer.into(), category: "c".into() }
    }

    /// Applies changes as docs/IMPORT.md tells a client to.
    fn apply(old: &[FaqRecord], changes: &[NewChange]) -> Vec<FaqRecord> {
        let mut copy: Vec<FaqRecord> = old.to_vec();
        let out = |c: &NewChange| {
            c.change == "removed" || c.fields.as_deref().is_some_and(|f| f.split(',').any(|f| f == "position"))
        };
        copy.retain(|r| !changes.iter().any(|c| c.key == r.id.to_string() && out(c)));
        for c in changes.iter().filter(|c| c.change != "removed") {
            let record: FaqRecord = serde_json::from_str(c.record.as_deref().unwrap()).unwrap();
            let at = c.position.unwrap() as usize - 1;
            if c.change == "added" || out(c) {
                copy.insert(at, record);
            } else {
                copy[at] = record;
            }
        }
        copy
    }

    #[test]
    fn the_longest_increasing_run_stays() {
        assert_eq!(longest_increasing(&[0, 1, 2]), [true, true, true]);
        assert_eq!(longest_increasing(&[2, 0, 1]), [false, true, true]);
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
    }

    #[test]
    fn changes_rebuild_the_new_list_exactly() {
        let old = vec![faq(1, "a"), faq(2, "b"), faq(3, "c"), faq(4, "d"), faq(5, "e")];
        let cases = [
            vec![faq(5, "e"), faq(4, "d"), faq(3, "c"), faq(2, "b"), faq(1, "a")],
            vec![faq(6, "f"), faq(1, "a"), faq(3, "C"), faq(7, "g"), faq(5, "e")],
            vec![faq(3, "c"), faq(2, "b"), faq(1, "a")],
            vec![],
            old.clone(),
        ];
        for new in cases {
            let mut changes = Vec::new();
            diff_list(&old, &new, &mut changes);
            assert_eq!(apply(&old, &changes), new);
        }
    }

    #[test]
    fn a_change_names_its_fields_and_an_insertion_moves_nothing() {
        let old = vec![faq(1, "a"), faq(2, "b")];
        let new = vec![faq(1, "a"), faq(9, "z"), faq(2, "B")];
        let mut changes = Vec::new();
        diff_list(&old, &new, &mut changes);
        let summary: Vec<(&str, &str, Option<&str>, Option<i64>)> =
            changes.iter().map(|c| (c.key.as_str(), c.change, c.fields.as_deref(), c.position)).collect();
        assert_eq!(summary, [("9", "added", None, Some(2)), ("2", "changed", Some("answer"), Some(3))]);
    }
}
