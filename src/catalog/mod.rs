//! The catalog: loaded once from the database into memory, immutable afterwards, with the
//! lookups the domain needs (by slug, by category, by type), the extraction automaton and the
//! related-skills index. It knows nothing of HTTP: the snapshot that serves it, with its search
//! indexes and response cache, is [`crate::served::Served`]. A new catalog (after an import) is
//! a new value swapped in whole, never an edit of this one.

pub mod extract;
pub mod lookup;
pub mod order;
pub mod records;
pub mod related;

use std::collections::HashMap;

use self::extract::Extractor;
use self::related::WordIndex;

use crate::db::{CatalogData, CatalogRow};
use crate::domain::{SkillType, SlugList};

/// Index of a category in [`Catalog::categories`].
pub type CategoryIx = u32;
/// Index of a skill in [`Catalog::skills`].
pub type SkillIx = u32;

pub struct Catalog {
    pub meta: CatalogRow,
    /// In catalog order.
    pub categories: Vec<Category>,
    /// In catalog order (for the seed catalog, the article's order).
    pub skills: Vec<Skill>,
    /// By id.
    pub faqs: Vec<Faq>,
    category_by_slug: HashMap<String, CategoryIx>,
    skill_by_slug: HashMap<String, SkillIx>,
    faq_by_id: HashMap<u32, usize>,
    /// The skills of each type (indexed by `SkillType as usize`), in catalog order.
    skills_by_type: [Vec<SkillIx>; 2],
    /// The automaton that finds skills in text.
    pub extractor: Extractor,
    /// Name words → skills, for related skills.
    pub words: WordIndex,
    /// Skills by source URI, categories by source code, and the skills imports removed.
    pub lookup: lookup::Lookup,
    /// The name orders of skills, categories and FAQ entries.
    pub orders: order::Orders,
}

#[derive(Debug)]
pub struct Category {
    pub slug: String,
    pub name: String,
    pub description: String,
    pub code: Option<String>,
    pub parent: Option<CategoryIx>,
    pub children: Vec<CategoryIx>,
    /// Skills in this category or any category below it, in catalog order.
    pub skills: Vec<SkillIx>,
}

#[derive(Debug)]
pub struct Skill {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// The skill's primary category.
    pub category: CategoryIx,
    /// Every category the skill sits in directly, primary first.
    pub categories: Vec<CategoryIx>,
    pub aliases: Vec<String>,
    pub uri: Option<String>,
    /// The source's own word for the type (ESCO: `skill/competence`, `knowledge`), if any.
    pub skill_type: Option<String>,
    /// `skill` or `knowledge`.
    pub kind: SkillType,
}

#[derive(Debug)]
pub struct Faq {
    pub id: u32,
    pub question: String,
    pub answer: String,
    pub category: CategoryIx,
}

impl std::fmt::Debug for Catalog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Catalog")
            .field("version", &self.meta.version)
            .field("categories", &self.categories.len())
            .field("skills", &self.skills.len())
            .field("faqs", &self.faqs.len())
            .finish_non_exhaustive()
    }
}

/// Data the database should never hold (its constraints forbid it), reported instead of a panic.
#[derive(Debug, thiserror::Error)]
#[error("inconsistent catalog: {0}")]
pub struct CatalogError(String);

/// A `category` filter named a category the catalog does not have.
#[derive(Debug)]
pub struct UnknownCategory {
    pub given: String,
    /// Every category slug, when there are few enough to list.
    pub valid: Option<Vec<String>>,
}

/// The catalog's items, for indexes built beside the catalog's own ([`Catalog::build_with`]).
#[derive(Clone, Copy)]
pub struct Parts<'a> {
    pub skills: &'a [Skill],
    pub categories: &'a [Category],
    pub faqs: &'a [Faq],
}

/// Runs `build`, logging how long it took (start-up time is a target: BENCHMARKS.md).
pub(crate) fn timed<T>(what: &'static str, build: impl FnOnce() -> T) -> T {
    let started = std::time::Instant::now();
    let built = build();
    tracing::debug!(index = what, ms = started.elapsed().as_secs_f64() * 1000.0, "index built");
    built
}

impl Catalog {
    pub fn from_data(data: CatalogData) -> Result<Catalog, CatalogError> {
        Ok(Self::build_with(data, |_| ())?.0)
    }

    /// The catalog of `data`, and what `also` builds from its items, side by side with the
    /// catalog's own indexes (they are independent: the ESCO start-up time is a target).
    pub fn build_with<T: Send>(
        data: CatalogData,
        also: impl FnOnce(Parts<'_>) -> T + Send,
    ) -> Result<(Catalog, T), CatalogError> {
        let meta = data.meta.ok_or_else(|| CatalogError("no catalog row".into()))?;
        let category_by_slug: HashMap<String, CategoryIx> =
            data.categories.iter().enumerate().map(|(i, c)| (c.slug.clone(), i as CategoryIx)).collect();
        let category_ix = |slug: &str| {
            category_by_slug.get(slug).copied().ok_or_else(|| CatalogError(format!("unknown category `{slug}`")))
        };

        let mut categories = Vec::with_capacity(data.categories.len());
        for row in &data.categories {
            let parent = row.parent_slug.as_deref().map(category_ix).transpose()?;
            categories.push(Category {
                slug: row.slug.clone(),
                name: row.name.clone(),
                description: row.description.clone(),
                code: row.code.clone(),
                parent,
                children: Vec::new(),
                skills: Vec::new(),
            });
        }
        for i in 0..categories.len() {
            if let Some(p) = categories[i].parent {
                categories[p as usize].children.push(i as CategoryIx);
            }
        }

        let removed = data.removed;
        let skill_by_slug: HashMap<String, SkillIx> =
            data.skills.iter().enumerate().map(|(i, s)| (s.slug.clone(), i as SkillIx)).collect();
        let mut skills = Vec::with_capacity(data.skills.len());
        for row in data.skills {
            let category = category_ix(&row.category_slug)?;
            let kind = SkillType::from_name(&row.kind)
                .ok_or_else(|| CatalogError(format!("skill `{}` has the unknown type `{}`", row.slug, row.kind)))?;
            skills.push(Skill {
                slug: row.slug,
                name: row.name,
                description: row.description,
                category,
                categories: vec![category],
                aliases: Vec::new(),
                uri: row.uri,
                skill_type: row.skill_type,
                kind,
            });
        }
        let skill_ix = |slug: &str| {
            skill_by_slug.get(slug).copied().ok_or_else(|| CatalogError(format!("unknown skill `{slug}`")))
        };
        for (skill, category) in &data.memberships {
            let (s, c) = (skill_ix(skill)?, category_ix(category)?);
            let skill = &mut skills[s as usize];
            if !skill.categories.contains(&c) {
                skill.categories.push(c);
            }
        }
        for (skill, alias) in data.aliases {
            skills[skill_ix(&skill)? as usize].aliases.push(alias);
        }

        // Each category lists its skills and those of every category below it.
        for (s, skill) in skills.iter().enumerate() {
            let mut seen = Vec::new();
            for &c in &skill.categories {
                let mut at = Some(c);
                while let Some(ix) = at {
                    if seen.contains(&ix) {
                        break;
                    }
                    seen.push(ix);
                    categories[ix as usize].skills.push(s as SkillIx);
                    at = categories[ix as usize].parent;
                }
            }
        }

        let mut faqs = Vec::with_capacity(data.faqs.len());
        for row in data.faqs {
            let id = u32::try_from(row.id).map_err(|_| CatalogError(format!("faq id {} out of range", row.id)))?;
            faqs.push(Faq {
                id,
                question: row.question,
                answer: row.answer,
                category: category_ix(&row.category_slug)?,
            });
        }
        let faq_by_id = faqs.iter().enumerate().map(|(i, f)| (f.id, i)).collect();
        let skills_by_type = SkillType::ALL
            .map(|t| skills.iter().enumerate().filter(|(_, s)| s.kind == t).map(|(i, _)| i as SkillIx).collect());

        // The derived indexes are independent: build them side by side (ESCO start-up time).
        let (extractor, words, also) = std::thread::scope(|scope| {
            let parts = Parts { skills: &skills, categories: &categories, faqs: &faqs };
            let extractor = scope.spawn(|| timed("extraction automaton", || Extractor::new(&skills)));
            let also = scope.spawn(move || also(parts));
            let words = timed("related-skills index", || WordIndex::new(&skills));
            (
                extractor.join().expect("extraction automaton builds"),
                words,
                also.join().expect("the snapshot's indexes build"),
            )
        });

        let lookup = lookup::Lookup::new(&skills, &categories, removed, &skill_by_slug);
        let orders = order::Orders {
            skills: order::NameRanks::new(skills.iter().map(|s| s.name.as_str())),
            categories: order::NameRanks::new(categories.iter().map(|c| c.name.as_str())),
            faqs: order::NameRanks::new(faqs.iter().map(|f| f.question.as_str())),
        };

        let catalog = Catalog {
            lookup,
            orders,
            extractor,
            words,
            meta,
            categories,
            skills,
            faqs,
            category_by_slug,
            skill_by_slug,
            faq_by_id,
            skills_by_type,
        };
        Ok((catalog, also))
    }

    pub fn category(&self, ix: CategoryIx) -> &Category {
        &self.categories[ix as usize]
    }

    pub fn skill(&self, ix: SkillIx) -> &Skill {
        &self.skills[ix as usize]
    }

    pub fn category_by_slug(&self, slug: &str) -> Option<CategoryIx> {
        self.category_by_slug.get(slug).copied()
    }

    pub fn skill_by_slug(&self, slug: &str) -> Option<SkillIx> {
        self.skill_by_slug.get(slug).copied()
    }

    pub fn faq_by_id(&self, id: u32) -> Option<&Faq> {
        self.faq_by_id.get(&id).map(|&i| &self.faqs[i])
    }

    /// The categories named by a `category` filter, or the first unknown one (with the valid slugs).
    pub fn resolve_categories(&self, list: &SlugList) -> Result<Vec<CategoryIx>, UnknownCategory> {
        list.iter()
            .map(|slug| {
                self.category_by_slug(slug.as_str())
                    .ok_or_else(|| UnknownCategory { given: slug.to_string(), valid: self.listable_category_slugs() })
            })
            .collect()
    }

    /// Every category slug, when there are few enough to list in an error message.
    fn listable_category_slugs(&self) -> Option<Vec<String>> {
        const MAX_LISTED: usize = 100;
        (self.categories.len() <= MAX_LISTED).then(|| self.categories.iter().map(|c| c.slug.clone()).collect())
    }

    /// The skills in any of `categories`, in catalog order.
    pub fn skills_in(&self, categories: &[CategoryIx]) -> Vec<SkillIx> {
        match categories {
            [one] => self.category(*one).skills.clone(),
            many => {
                let mut all: Vec<SkillIx> =
                    many.iter().flat_map(|&c| self.category(c).skills.iter().copied()).collect();
                all.sort_unstable();
                all.dedup();
                all
            }
        }
    }

    /// The skills of type `kind`, in catalog order.
    pub fn skills_of_type(&self, kind: SkillType) -> &[SkillIx] {
        &self.skills_by_type[kind as usize]
    }

    /// The skills a `category` and `type` filter leave (both optional), in catalog order;
    /// `None` when neither filters.
    pub fn filtered_skills(&self, categories: Option<&[CategoryIx]>, kind: Option<SkillType>) -> Option<Vec<SkillIx>> {
        match (categories, kind) {
            (None, None) => None,
            (Some(c), None) => Some(self.skills_in(c)),
            (None, Some(t)) => Some(self.skills_of_type(t).to_vec()),
            (Some(c), Some(t)) => Some(self.skills_in(c).into_iter().filter(|&s| self.skill(s).kind == t).collect()),
        }
    }

    /// True when a FAQ entry is about one of `categories` (or one below them).
    pub fn faq_in(&self, faq: &Faq, categories: &[CategoryIx]) -> bool {
        let mut at = Some(faq.category);
        while let Some(c) = at {
            if categories.contains(&c) {
                return true;
            }
            at = self.category(c).parent;
        }
        false
    }
}
