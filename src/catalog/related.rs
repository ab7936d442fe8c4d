//! Related skills: ranked by what two skills share, weighted by how telling it is (a small
//! category or a rare word says more than a broad one): shared categories weigh
//! `ln(skills / category size)`, shared name words `ln(skills / skills with the word)`.

use std::collections::HashMap;

use super::{Catalog, Category, Skill, SkillIx};
use crate::domain::text::{is_stop_word, words};

/// Why a skill is listed as related (in order of preference on a tie).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Basis {
    /// It shares the skill's primary category.
    SameCategory,
    /// It shares another of the skill's categories.
    SharedCategories,
    /// Its name shares uncommon words with the skill's name.
    SharedWords,
}

impl Basis {
    pub fn as_str(self) -> &'static str {
        match self {
            Basis::SameCategory => "same_category",
            Basis::SharedCategories => "shared_categories",
            Basis::SharedWords => "shared_words",
        }
    }
}

/// Categories larger than this are too broad to suggest relations (the ESCO roots).
const MAX_CATEGORY: usize = 2000;
/// Words in more skill names than this are too common to suggest relations.
const MAX_WORD_SKILLS: usize = 300;

/// Name words → the skills whose names have them.
pub struct WordIndex {
    skills_by_word: HashMap<String, Vec<SkillIx>>,
}

impl WordIndex {
    pub fn new(skills: &[Skill]) -> Self {
        let mut skills_by_word: HashMap<String, Vec<SkillIx>> = HashMap::new();
        for (ix, s) in skills.iter().enumerate() {
            for w in name_words(s) {
                let list = skills_by_word.entry(w).or_default();
                if list.last() != Some(&(ix as SkillIx)) {
                    list.push(ix as SkillIx);
                }
            }
        }
        WordIndex { skills_by_word }
    }
}

fn name_words(s: &Skill) -> impl Iterator<Item = String> + '_ {
    words(&s.name).filter(|w| !is_stop_word(w) && w.chars().count() > 1)
}

fn weight(total: usize, size: usize) -> f64 {
    (total as f64 / size.max(1) as f64).ln().max(0.1)
}

/// Up to `limit` skills related to `ix`, most related first (ties in catalog order).
pub fn related(catalog: &Catalog, ix: SkillIx, limit: usize) -> Vec<(SkillIx, Basis)> {
    let total = catalog.skills.len();
    let skill = catalog.skill(ix);
    // candidate → (score, category score, word score, shares primary)
    let mut scores: HashMap<SkillIx, (f64, f64, bool)> = HashMap::new();
    for &c in &skill.categories {
        let category: &Category = catalog.category(c);
        if category.skills.len() > MAX_CATEGORY {
            continue;
        }
        let w = weight(total, category.skills.len());
        for &other in &category.skills {
            let e = scores.entry(other).or_default();
            e.0 += w;
            e.2 |= c == skill.category;
        }
    }
    for word in name_words(skill) {
        let Some(list) = catalog.words.skills_by_word.get(&word) else { continue };
        if list.len() > MAX_WORD_SKILLS {
            continue;
        }
        let w = weight(total, list.len());
        for &other in list {
            scores.entry(other).or_default().1 += w;
        }
    }
    scores.remove(&ix);
    let mut ranked: Vec<(SkillIx, f64, Basis)> = scores
        .into_iter()
        .map(|(other, (by_category, by_words, primary))| {
            let basis = if by_category >= by_words {
                if primary { Basis::SameCategory } else { Basis::SharedCategories }
            } else {
                Basis::SharedWords
            };
            (other, by_category + by_words, basis)
        })
        .collect();
    // Most related first; on a tie a shared category before shared words, then catalog order.
    ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then((a.2 as u8).cmp(&(b.2 as u8))).then(a.0.cmp(&b.0)));
    ranked.into_iter().take(limit).map(|(other, _, basis)| (other, basis)).collect()
}
