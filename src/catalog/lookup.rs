//! Finding skills and categories by the ids clients already hold: a skill's source URI (ESCO
//! concept URI), a category's source code (ESCO skill-group code), and the skills an import
//! removed (so that their slugs answer 410 Gone, not 404). Built once per catalog.

use std::collections::HashMap;

use super::{Category, CategoryIx, Skill, SkillIx};
use crate::db::RemovedSkillRow;

/// A skill an import removed, as a client is told of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    pub slug: String,
    pub uri: Option<String>,
    /// The version (`versions.id`) whose import removed it.
    pub version: i64,
    /// That version's label.
    pub version_label: String,
    /// When that import ran (RFC 3339 UTC).
    pub removed_at: String,
    /// The skill of the current catalog that took its place, when the import knew one.
    pub replacement: Option<SkillIx>,
}

/// What a list of ids resolves to, in the order asked.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Resolution<'a> {
    /// The skills found, each once, where first asked for.
    pub found: Vec<SkillIx>,
    /// The removed skills asked for, each once, where first asked for.
    pub removed: Vec<&'a Removed>,
    /// The slugs and URIs that name nothing, as given (each once).
    pub missing_slugs: Vec<String>,
    pub missing_uris: Vec<String>,
}

/// Resolves `slugs` (case-insensitive; one that is not a valid slug names nothing) and then
/// `uris` (exact) against `catalog`.
pub fn resolve<'a>(catalog: &'a super::Catalog, slugs: &[String], uris: &[String]) -> Resolution<'a> {
    let mut out = Resolution::default();
    let mut seen_skill = std::collections::HashSet::new();
    let mut seen_removed = std::collections::HashSet::new();
    let mut seen_missing = std::collections::HashSet::new();
    let mut take =
        |out: &mut Resolution<'a>, found: Option<SkillIx>, removed: Option<&'a Removed>, given: &str, uri: bool| {
            if let Some(ix) = found {
                if seen_skill.insert(ix) {
                    out.found.push(ix);
                }
            } else if let Some(r) = removed {
                if seen_removed.insert(r.slug.as_str()) {
                    out.removed.push(r);
                }
            } else if seen_missing.insert((uri, given.to_owned())) {
                if uri { out.missing_uris.push(given.to_owned()) } else { out.missing_slugs.push(given.to_owned()) }
            }
        };
    for raw in slugs {
        let slug = raw.to_ascii_lowercase();
        let found = catalog.skill_by_slug(&slug);
        let removed = found.is_none().then(|| catalog.lookup.removed_slug(&slug)).flatten();
        take(&mut out, found, removed, raw, false);
    }
    for uri in uris {
        let found = catalog.lookup.skill_by_uri(&catalog.skills, uri);
        let removed = found.is_none().then(|| catalog.lookup.removed_uri(uri)).flatten();
        take(&mut out, found, removed, uri, true);
    }
    out
}

/// The id maps of one catalog.
#[derive(Debug, Default)]
pub struct Lookup {
    /// (hash of the URI, skill), sorted: 12 bytes a skill where a map of owned URIs would take
    /// about 100 (ESCO's 13,939 URIs; its peak RSS has little room: BENCHMARKS.md).
    skill_by_uri: Vec<(u64, SkillIx)>,
    category_by_code: HashMap<String, CategoryIx>,
    removed: Vec<Removed>,
    removed_by_slug: HashMap<String, usize>,
    /// The removed skills by URI, for the URIs no current skill has (the newest removal wins).
    removed_by_uri: HashMap<String, usize>,
}

fn uri_hash(uri: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64(uri.as_bytes())
}

/// The first skill in `by_hash` whose URI is `uri` (equal hashes are checked against the text).
fn find_uri(by_hash: &[(u64, SkillIx)], skills: &[Skill], uri: &str) -> Option<SkillIx> {
    let hash = uri_hash(uri);
    let start = by_hash.partition_point(|&(h, _)| h < hash);
    by_hash[start..]
        .iter()
        .take_while(|&&(h, _)| h == hash)
        .map(|&(_, ix)| ix)
        .find(|&ix| skills[ix as usize].uri.as_deref() == Some(uri))
}

/// How many replacements are followed to reach a current skill (a replacement can itself be
/// removed later); past that, or on a cycle, there is no replacement.
const MAX_REPLACEMENT_HOPS: usize = 16;

impl Lookup {
    /// The maps of `skills` and `categories`; `removed` as the database keeps them, with
    /// `skill_by_slug` to resolve their replacements.
    pub fn new(
        skills: &[Skill],
        categories: &[Category],
        removed: Vec<RemovedSkillRow>,
        skill_by_slug: &HashMap<String, SkillIx>,
    ) -> Self {
        let mut skill_by_uri: Vec<(u64, SkillIx)> =
            skills.iter().enumerate().filter_map(|(i, s)| Some((uri_hash(s.uri.as_deref()?), i as SkillIx))).collect();
        // Sorted by hash, then catalog order: the first skill with a URI answers for it.
        skill_by_uri.sort_unstable();
        let category_by_code =
            categories.iter().enumerate().filter_map(|(i, c)| Some((c.code.clone()?, i as CategoryIx))).collect();
        // The database never keeps a current slug as removed; a row that says so anyway loses.
        let rows: Vec<RemovedSkillRow> = removed.into_iter().filter(|r| !skill_by_slug.contains_key(&r.slug)).collect();
        let row_by_slug: HashMap<&str, usize> = rows.iter().enumerate().map(|(i, r)| (r.slug.as_str(), i)).collect();
        let replacement = |row: &RemovedSkillRow| {
            let mut next = row.replacement_slug.as_deref()?;
            for _ in 0..MAX_REPLACEMENT_HOPS {
                if let Some(&ix) = skill_by_slug.get(next) {
                    return Some(ix);
                }
                next = rows[*row_by_slug.get(next)?].replacement_slug.as_deref()?;
            }
            None
        };
        let removed: Vec<Removed> = rows
            .iter()
            .map(|r| Removed {
                slug: r.slug.clone(),
                uri: r.uri.clone(),
                version: r.version_id,
                version_label: r.version_label.clone(),
                removed_at: r.removed_at.clone(),
                replacement: replacement(r),
            })
            .collect();
        let removed_by_slug = removed.iter().enumerate().map(|(i, r)| (r.slug.clone(), i)).collect();
        let has_skill = |uri: &str| find_uri(&skill_by_uri, skills, uri).is_some();
        let mut removed_by_uri: HashMap<String, usize> = HashMap::new();
        for (i, r) in removed.iter().enumerate() {
            let Some(uri) = r.uri.as_ref().filter(|u| !has_skill(u)) else { continue };
            let newer =
                removed_by_uri.get(uri).is_none_or(|&j| (r.version, &r.slug) > (removed[j].version, &removed[j].slug));
            if newer {
                removed_by_uri.insert(uri.clone(), i);
            }
        }
        Lookup { skill_by_uri, category_by_code, removed, removed_by_slug, removed_by_uri }
    }

    /// The skill of `skills` (the catalog's, which these maps were built from) whose source URI
    /// is exactly `uri`.
    pub fn skill_by_uri(&self, skills: &[Skill], uri: &str) -> Option<SkillIx> {
        find_uri(&self.skill_by_uri, skills, uri)
    }

    /// The category whose source code is exactly `code`.
    pub fn category_by_code(&self, code: &str) -> Option<CategoryIx> {
        self.category_by_code.get(code).copied()
    }

    /// The removed skill that had `slug` (a slug of the current catalog is never removed).
    pub fn removed_slug(&self, slug: &str) -> Option<&Removed> {
        self.removed_by_slug.get(slug).map(|&i| &self.removed[i])
    }

    /// The removed skill that had `uri`, when no current skill has it.
    pub fn removed_uri(&self, uri: &str) -> Option<&Removed> {
        self.removed_by_uri.get(uri).map(|&i| &self.removed[i])
    }

    /// Every removed skill, by slug.
    pub fn removed(&self) -> &[Removed] {
        &self.removed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::SkillType;

    fn skill(slug: &str, uri: Option<&str>) -> Skill {
        Skill {
            slug: slug.into(),
            name: slug.into(),
            description: String::new(),
            category: 0,
            categories: vec![0],
            aliases: vec![],
            uri: uri.map(Into::into),
            skill_type: None,
            kind: SkillType::Skill,
        }
    }

    fn row(slug: &str, uri: Option<&str>, version: i64, replacement: Option<&str>) -> RemovedSkillRow {
        RemovedSkillRow {
            slug: slug.into(),
            uri: uri.map(Into::into),
            version_id: version,
            version_label: format!("v{version}"),
            removed_at: "2026-12-01T12:00:00Z".into(),
            replacement_slug: replacement.map(Into::into),
        }
    }

    #[test]
    fn replacements_are_followed_to_a_current_skill() {
        let skills = [skill("c", Some("u:c")), skill("x", None)];
        let by_slug: HashMap<String, SkillIx> = [("c".to_owned(), 0), ("x".to_owned(), 1)].into();
        let removed = vec![
            row("a", Some("u:a"), 2, Some("b")),
            row("b", Some("u:a"), 3, Some("c")),
            row("loop1", None, 2, Some("loop2")),
            row("loop2", None, 2, Some("loop1")),
            row("gone", Some("u:c"), 2, None),
            row("x", None, 2, None),
        ];
        let lookup = Lookup::new(&skills, &[], removed, &by_slug);
        assert_eq!(lookup.removed_slug("a").unwrap().replacement, Some(0));
        assert_eq!(lookup.removed_slug("b").unwrap().replacement, Some(0));
        assert_eq!(lookup.removed_slug("loop1").unwrap().replacement, None);
        assert_eq!(lookup.removed_slug("x"), None, "a current slug is never removed");
        // The newest removal of a URI answers it; a URI a current skill has is that skill's.
        assert_eq!(lookup.removed_uri("u:a").unwrap().slug, "b");
        assert_eq!(lookup.removed_uri("u:c"), None);
        assert_eq!(lookup.skill_by_uri(&skills, "u:c"), Some(0));
        assert_eq!(lookup.skill_by_uri(&skills, "U:C"), None, "URIs compare exactly");
    }
}
