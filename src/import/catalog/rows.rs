//! The rows of each file, checked: what makes a skill, a category or a FAQ entry importable, and
//! the reason, by column, when it is not.

use std::collections::{HashMap, HashSet};

use serde::Deserialize;

use super::files::Row;
use crate::db::{FaqRow, NewCategory, NewSkill};
use crate::domain::{SkillType, Slug, truncate};
use crate::import::BadRow;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct SkillInput {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
    category: String,
    #[serde(default)]
    categories: Vec<String>,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    uri: Option<String>,
    #[serde(default)]
    skill_type: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct CategoryInput {
    slug: String,
    name: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    parent: Option<String>,
    /// Computed by the export; ignored.
    #[serde(default)]
    #[allow(dead_code)]
    skill_count: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct FaqInput {
    id: serde_json::Value,
    question: String,
    answer: String,
    category: String,
}

pub(super) const SKILL_COLUMNS: [&str; 9] =
    ["slug", "name", "description", "category", "categories", "aliases", "uri", "skill_type", "type"];
pub(super) const SKILL_REQUIRED: [&str; 3] = ["slug", "name", "category"];
pub(super) const CATEGORY_COLUMNS: [&str; 6] = ["slug", "name", "description", "code", "parent", "skill_count"];
pub(super) const CATEGORY_REQUIRED: [&str; 2] = ["slug", "name"];
pub(super) const FAQ_COLUMNS: [&str; 4] = ["id", "question", "answer", "category"];
pub(super) const FAQ_REQUIRED: [&str; 4] = ["id", "question", "answer", "category"];

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn list(v: Option<String>, separator: char) -> Vec<String> {
    v.map(|s| s.split(separator).filter(|p| !p.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
}

pub(super) fn skill_from_csv(get: &dyn Fn(&str) -> Option<String>) -> SkillInput {
    SkillInput {
        slug: get("slug").unwrap_or_default(),
        name: get("name").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        category: get("category").unwrap_or_default(),
        categories: list(get("categories"), ';'),
        aliases: list(get("aliases"), '|'),
        uri: nonempty(get("uri")),
        skill_type: nonempty(get("skill_type")),
        kind: nonempty(get("type")),
    }
}

pub(super) fn category_from_csv(get: &dyn Fn(&str) -> Option<String>) -> CategoryInput {
    CategoryInput {
        slug: get("slug").unwrap_or_default(),
        name: get("name").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        code: nonempty(get("code")),
        parent: nonempty(get("parent")),
        skill_count: None,
    }
}

pub(super) fn faq_from_csv(get: &dyn Fn(&str) -> Option<String>) -> FaqInput {
    FaqInput {
        id: serde_json::Value::String(get("id").unwrap_or_default()),
        question: get("question").unwrap_or_default(),
        answer: get("answer").unwrap_or_default(),
        category: get("category").unwrap_or_default(),
    }
}

/// A slug as a file must write it: already canonical (lowercase), since it is a key.
fn slug(raw: &str) -> Result<String, String> {
    match Slug::parse("slug", raw) {
        Ok(s) if s.as_str() == raw => Ok(raw.to_owned()),
        _ => Err(format!(
            "`{}` is not a slug (lowercase letters, digits and single inner hyphens, at most 100 characters)",
            truncate(raw)
        )),
    }
}

pub(super) fn categories(file: &str, rows: Vec<Row<CategoryInput>>, bad: &mut Vec<BadRow>) -> Vec<NewCategory> {
    let mut seen = HashSet::new();
    let mut ok: Vec<(u64, NewCategory)> = Vec::new();
    for Row { line, value: c } in rows {
        let mut fail = |column: &str, reason: String| {
            bad.push(BadRow { file: file.into(), line, reason: format!("column `{column}`: {reason}") })
        };
        let slug_ = match slug(&c.slug) {
            Ok(s) => s,
            Err(reason) => {
                fail("slug", reason);
                continue;
            }
        };
        if c.name.trim().is_empty() {
            fail("name", format!("category `{slug_}` has no name"));
            continue;
        }
        if let Some(parent) = &c.parent
            && let Err(reason) = slug(parent)
        {
            fail("parent", reason);
            continue;
        }
        if !seen.insert(slug_.clone()) {
            fail("slug", format!("category `{slug_}` appears twice"));
            continue;
        }
        ok.push((
            line,
            NewCategory { slug: slug_, name: c.name, description: c.description, parent_slug: c.parent, code: c.code },
        ));
    }
    // A parent must be a category of the file, and the hierarchy must not loop; until nothing
    // changes, drop the categories whose parent was dropped.
    loop {
        let present: HashMap<&str, Option<&str>> =
            ok.iter().map(|(_, c)| (c.slug.as_str(), c.parent_slug.as_deref())).collect();
        let mut drop = Vec::new();
        for (i, (line, c)) in ok.iter().enumerate() {
            let Some(parent) = c.parent_slug.as_deref() else { continue };
            let reason = if !present.contains_key(parent) {
                Some(format!("category `{}`: the parent `{parent}` is not a category of the file", c.slug))
            } else {
                let mut at = Some(parent);
                let mut steps = 0;
                while let Some(p) = at {
                    if p == c.slug || steps > present.len() {
                        break;
                    }
                    at = present.get(p).copied().flatten();
                    steps += 1;
                }
                at.is_some().then(|| format!("category `{}`: its parents loop back to it", c.slug))
            };
            if let Some(reason) = reason {
                bad.push(BadRow { file: file.into(), line: *line, reason: format!("column `parent`: {reason}") });
                drop.push(i);
            }
        }
        if drop.is_empty() {
            break;
        }
        for i in drop.into_iter().rev() {
            ok.remove(i);
        }
    }
    ok.into_iter().map(|(_, c)| c).collect()
}

pub(super) fn skills(
    file: &str,
    rows: Vec<Row<SkillInput>>,
    known: &HashSet<&str>,
    bad: &mut Vec<BadRow>,
) -> (Vec<NewSkill>, usize) {
    let mut slugs = HashSet::new();
    let mut uris = HashSet::new();
    let mut out = Vec::new();
    let mut alias_count = 0;
    'rows: for Row { line, value: s } in rows {
        let mut fail = |column: &str, reason: String| {
            bad.push(BadRow { file: file.into(), line, reason: format!("column `{column}`: {reason}") })
        };
        let slug_ = match slug(&s.slug) {
            Ok(v) => v,
            Err(reason) => {
                fail("slug", reason);
                continue;
            }
        };
        if s.name.trim().is_empty() {
            fail("name", format!("skill `{slug_}` has no name"));
            continue;
        }
        let mut categories = vec![s.category.clone()];
        for c in s.categories {
            if !categories.contains(&c) {
                categories.push(c);
            }
        }
        for (i, c) in categories.iter().enumerate() {
            if !known.contains(c.as_str()) {
                let column = if i == 0 { "category" } else { "categories" };
                fail(column, format!("skill `{slug_}`: `{}` is not a category of the catalog", truncate(c)));
                continue 'rows;
            }
        }
        let kind = match s.kind.as_deref() {
            None => SkillType::from_source(s.skill_type.as_deref()),
            Some(raw) => match SkillType::from_name(raw) {
                Some(t) => t,
                None => {
                    fail("type", format!("skill `{slug_}`: `{}` is neither `skill` nor `knowledge`", truncate(raw)));
                    continue;
                }
            },
        };
        if let Some(uri) = &s.uri
            && !uris.insert(uri.clone())
        {
            fail("uri", format!("skill `{slug_}`: the uri `{}` is another skill's too", truncate(uri)));
            continue;
        }
        if !slugs.insert(slug_.clone()) {
            fail("slug", format!("skill `{slug_}` appears twice"));
            continue;
        }
        let mut aliases: Vec<String> = Vec::new();
        for a in s.aliases {
            if !a.is_empty() && !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        alias_count += aliases.len();
        out.push(NewSkill {
            slug: slug_,
            name: s.name,
            description: s.description,
            categories,
            aliases,
            uri: s.uri,
            skill_type: s.skill_type,
            kind,
        });
    }
    (out, alias_count)
}

pub(super) fn faqs(file: &str, rows: Vec<Row<FaqInput>>, known: &HashSet<&str>, bad: &mut Vec<BadRow>) -> Vec<FaqRow> {
    let mut ids = HashSet::new();
    let mut out = Vec::new();
    for Row { line, value: f } in rows {
        let mut fail = |column: &str, reason: String| {
            bad.push(BadRow { file: file.into(), line, reason: format!("column `{column}`: {reason}") })
        };
        let id = match &f.id {
            serde_json::Value::Number(n) => n.as_u64(),
            serde_json::Value::String(s) => s.parse::<u64>().ok(),
            _ => None,
        }
        .filter(|&n| (1..=u64::from(u32::MAX)).contains(&n));
        let Some(id) = id else {
            fail("id", format!("`{}` is not a positive integer", truncate(&f.id.to_string())));
            continue;
        };
        if f.question.trim().is_empty() {
            fail("question", format!("FAQ entry {id} has no question"));
            continue;
        }
        if f.answer.trim().is_empty() {
            fail("answer", format!("FAQ entry {id} has no answer"));
            continue;
        }
        if !known.contains(f.category.as_str()) {
            fail("category", format!("FAQ entry {id}: `{}` is not a category of the catalog", truncate(&f.category)));
            continue;
        }
        if !ids.insert(id) {
            fail("id", format!("FAQ entry {id} appears twice"));
            continue;
        }
        out.push(FaqRow { id: id as i64, question: f.question, answer: f.answer, category_slug: f.category });
    }
    // The catalog's order of FAQ entries is by id.
    out.sort_by_key(|f| f.id);
    out
}
