//! Prefix suggestions over skill names and aliases (the typeahead's first source; when it has
//! fewer than asked, `GET /skills/autocomplete` fills up from the search index, which reads
//! typos and other word forms), from sorted in-memory indexes (it runs on
//! every keystroke): labels that start with the query come first, then labels with a word that
//! does; names before aliases, shorter labels first, then catalog order; one suggestion per skill.

use crate::catalog::{Skill, SkillIx};
use crate::domain::text::fold;

pub struct Autocomplete {
    labels: Vec<Label>,
    /// Label indexes sorted by folded label.
    by_label: Vec<u32>,
    /// (label index, byte offset of a word start after the first) sorted by the folded text from there.
    by_word: Vec<(u32, u32)>,
}

struct Label {
    folded: String,
    skill: SkillIx,
    /// Index into the skill's aliases, or `None` for its name.
    alias: Option<u32>,
}

/// One suggestion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub skill: SkillIx,
    /// `None` when the name matched, else the index of the alias that did.
    pub alias: Option<u32>,
    /// True when the label starts with the query; false when one of its later words does.
    pub starts_with: bool,
}

impl Autocomplete {
    pub fn new(skills: &[Skill]) -> Self {
        let mut labels = Vec::new();
        for (ix, s) in skills.iter().enumerate() {
            labels.push(Label { folded: fold(&s.name), skill: ix as SkillIx, alias: None });
            for (a, alias) in s.aliases.iter().enumerate() {
                labels.push(Label { folded: fold(alias), skill: ix as SkillIx, alias: Some(a as u32) });
            }
        }
        let mut by_label: Vec<u32> = (0..labels.len() as u32).collect();
        by_label.sort_unstable_by(|&a, &b| labels[a as usize].folded.cmp(&labels[b as usize].folded));
        let mut by_word = Vec::new();
        for (i, l) in labels.iter().enumerate() {
            let mut prev_alnum = true;
            for (at, c) in l.folded.char_indices() {
                let alnum = c.is_alphanumeric();
                if alnum && !prev_alnum && at > 0 {
                    by_word.push((i as u32, at as u32));
                }
                prev_alnum = alnum;
            }
        }
        by_word.sort_unstable_by(|&(a, ao), &(b, bo)| {
            labels[a as usize].folded[ao as usize..].cmp(&labels[b as usize].folded[bo as usize..])
        });
        Autocomplete { labels, by_label, by_word }
    }

    /// Up to `limit` suggestions for `query` (already trimmed; an empty one suggests nothing).
    pub fn suggest(&self, query: &str, limit: usize) -> Vec<Suggestion> {
        self.suggest_where(query, limit, |_| true)
    }

    /// Up to `limit` suggestions for `query` among the skills `keep` accepts (e.g. one type).
    pub fn suggest_where(&self, query: &str, limit: usize, keep: impl Fn(SkillIx) -> bool) -> Vec<Suggestion> {
        let q = fold(query);
        if q.is_empty() {
            return Vec::new();
        }
        let key = |l: &Label| (l.alias.is_some(), l.folded.len(), l.skill);

        let start = self.by_label.partition_point(|&i| self.labels[i as usize].folded.as_str() < q.as_str());
        let mut prefix: Vec<&Label> = self.by_label[start..]
            .iter()
            .map(|&i| &self.labels[i as usize])
            .take_while(|l| l.folded.starts_with(&q))
            .collect();
        prefix.sort_by_key(|l| key(l));

        let start =
            self.by_word.partition_point(|&(i, at)| &self.labels[i as usize].folded[at as usize..] < q.as_str());
        let mut word: Vec<&Label> = self.by_word[start..]
            .iter()
            .take_while(|&&(i, at)| self.labels[i as usize].folded[at as usize..].starts_with(&q))
            .map(|&(i, _)| &self.labels[i as usize])
            .collect();
        word.sort_by_key(|l| key(l));

        let mut out: Vec<Suggestion> = Vec::with_capacity(limit);
        for (labels, starts_with) in [(prefix, true), (word, false)] {
            for l in labels {
                if out.len() == limit {
                    return out;
                }
                if keep(l.skill) && !out.iter().any(|s| s.skill == l.skill) {
                    out.push(Suggestion { skill: l.skill, alias: l.alias, starts_with });
                }
            }
        }
        out
    }
}
