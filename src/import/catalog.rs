//! `powerskills import catalog`: a catalog from the files its exports write (`/skills/export`,
//! `/categories/export`, `/faqs/export`), CSV or NDJSON. docs/IMPORT.md lists every column.
//!
//! - The format is taken from the file name (`.csv`; `.ndjson`, `.jsonl`, `.json`), else from
//!   the content (a first non-blank `{` is NDJSON).
//! - CSV columns are found by their header name, in any order; the columns an export computes
//!   (`skill_count`) are read and ignored; an unknown column is an error (a typo would otherwise
//!   lose data silently).
//! - A file that is not given keeps that part of the catalog being replaced (its categories, its
//!   FAQ entries), and the catalog's metadata (title, publisher, attribution, licence) is always
//!   kept: an edited ESCO export imported back keeps ESCO's attribution.
//! - A bad row is reported by line and column and left out; a skill whose category was left out
//!   is left out too.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::Deserialize;

use super::BadRow;
use crate::db::{CatalogData, CatalogRow, FaqRow, NewCatalog, NewCategory, NewSkill};
use crate::domain::{SkillType, Slug, truncate};

/// The files to import; `None` keeps that part of the current catalog.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub skills: &'a Path,
    pub categories: Option<&'a Path>,
    pub faqs: Option<&'a Path>,
}

/// What reading the files produced.
#[derive(Debug)]
pub struct Parsed {
    pub catalog: NewCatalog,
    pub bad_rows: Vec<BadRow>,
    pub alias_count: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogFileError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}:1: {reason}")]
    Header { path: String, reason: String },
    #[error("{path}: no usable rows")]
    Empty { path: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Ndjson,
}

impl Format {
    /// From the file name's extension, else from the first non-blank byte.
    pub fn detect(path: &Path, bytes: &[u8]) -> Format {
        match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
            Some("csv") => Format::Csv,
            Some("ndjson" | "jsonl" | "json") => Format::Ndjson,
            // A CSV file has at least its header row; an NDJSON file of no items is empty.
            _ => match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
                Some(b'{') | None => Format::Ndjson,
                _ => Format::Csv,
            },
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SkillInput {
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
struct CategoryInput {
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
struct FaqInput {
    id: serde_json::Value,
    question: String,
    answer: String,
    category: String,
}

const SKILL_COLUMNS: [&str; 9] =
    ["slug", "name", "description", "category", "categories", "aliases", "uri", "skill_type", "type"];
const SKILL_REQUIRED: [&str; 3] = ["slug", "name", "category"];
const CATEGORY_COLUMNS: [&str; 6] = ["slug", "name", "description", "code", "parent", "skill_count"];
const CATEGORY_REQUIRED: [&str; 2] = ["slug", "name"];
const FAQ_COLUMNS: [&str; 4] = ["id", "question", "answer", "category"];
const FAQ_REQUIRED: [&str; 4] = ["id", "question", "answer", "category"];

/// Builds a row from a CSV record, given a lookup of its fields by column name.
type FromCsv<T> = fn(&dyn Fn(&str) -> Option<String>) -> T;

/// One row of a file, with the line it starts on.
struct Row<T> {
    line: u64,
    value: T,
}

/// Reads the files; `current` is the catalog being replaced (for the parts not given).
pub fn parse(files: Files<'_>, current: &CatalogData) -> Result<Parsed, CatalogFileError> {
    let mut bad = Vec::new();
    let mut hash = xxhash_rust::xxh3::Xxh3::new();

    let categories = match files.categories {
        Some(path) => {
            let bytes = read(path)?;
            hash.update(&bytes);
            let rows = read_rows(path, &bytes, &CATEGORY_COLUMNS, &CATEGORY_REQUIRED, &mut bad, category_from_csv)?;
            categories(&display(path), rows, &mut bad)
        }
        None => current
            .categories
            .iter()
            .map(|c| NewCategory {
                slug: c.slug.clone(),
                name: c.name.clone(),
                description: c.description.clone(),
                parent_slug: c.parent_slug.clone(),
                code: c.code.clone(),
            })
            .collect(),
    };
    if categories.is_empty() {
        let path = files.categories.map_or_else(|| "the current catalog".to_owned(), display);
        return Err(CatalogFileError::Empty { path });
    }
    let known: HashSet<&str> = categories.iter().map(|c| c.slug.as_str()).collect();

    let bytes = read(files.skills)?;
    hash.update(&bytes);
    let rows = read_rows(files.skills, &bytes, &SKILL_COLUMNS, &SKILL_REQUIRED, &mut bad, skill_from_csv)?;
    let (skills, alias_count) = skills(&display(files.skills), rows, &known, &mut bad);
    if skills.is_empty() {
        return Err(CatalogFileError::Empty { path: display(files.skills) });
    }

    let faqs = match files.faqs {
        Some(path) => {
            let bytes = read(path)?;
            hash.update(&bytes);
            let rows = read_rows(path, &bytes, &FAQ_COLUMNS, &FAQ_REQUIRED, &mut bad, faq_from_csv)?;
            faqs(&display(path), rows, &known, &mut bad)
        }
        None => {
            let mut kept = Vec::new();
            for f in &current.faqs {
                if known.contains(f.category_slug.as_str()) {
                    kept.push(f.clone());
                } else {
                    bad.push(BadRow {
                        file: "the current catalog".into(),
                        line: 0,
                        reason: format!("FAQ entry {}: category `{}` is not in the new catalog", f.id, f.category_slug),
                    });
                }
            }
            kept
        }
    };

    let meta = match &current.meta {
        Some(m) => CatalogRow { version: String::new(), source: "catalog".into(), version_id: None, ..m.clone() },
        None => CatalogRow {
            version: String::new(),
            source: "catalog".into(),
            title: "Imported catalog".into(),
            publisher: String::new(),
            year: None,
            introduction: String::new(),
            conclusion: String::new(),
            attribution: None,
            license: None,
            version_id: None,
        },
    };
    let meta = CatalogRow { version: format!("catalog-{:016x}", hash.digest()), ..meta };
    Ok(Parsed { catalog: NewCatalog { meta, categories, skills, faqs }, bad_rows: bad, alias_count })
}

fn read(path: &Path) -> Result<Vec<u8>, CatalogFileError> {
    std::fs::read(path).map_err(|source| CatalogFileError::Read { path: display(path), source })
}

fn display(path: &Path) -> String {
    path.display().to_string()
}

/// The rows of one file, CSV or NDJSON; a row that does not even have the right shape is a bad row.
fn read_rows<T: serde::de::DeserializeOwned>(
    path: &Path,
    bytes: &[u8],
    columns: &[&str],
    required: &[&str],
    bad: &mut Vec<BadRow>,
    from_csv: FromCsv<T>,
) -> Result<Vec<Row<T>>, CatalogFileError> {
    let file = display(path);
    let mut rows = Vec::new();
    match Format::detect(path, bytes) {
        Format::Ndjson => {
            let text = match std::str::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    let line = bytes[..e.valid_up_to()].iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                    bad.push(BadRow { file, line, reason: "not valid UTF-8; nothing after it was read".into() });
                    let valid = std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default();
                    return Ok(parse_ndjson(path, valid, bad));
                }
            };
            rows = parse_ndjson(path, text, bad);
        }
        Format::Csv => {
            let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(false).from_reader(bytes);
            let header: Vec<String> = match rdr.headers() {
                Ok(h) => h.iter().map(str::to_owned).collect(),
                Err(e) => return Err(CatalogFileError::Header { path: file, reason: csv_reason(&e) }),
            };
            let mut at: HashMap<&str, usize> = HashMap::new();
            for (i, name) in header.iter().enumerate() {
                if !columns.contains(&name.as_str()) {
                    return Err(CatalogFileError::Header {
                        path: file,
                        reason: format!("unknown column `{}` (the columns are {})", truncate(name), columns.join(",")),
                    });
                }
                if at.insert(name.as_str(), i).is_some() {
                    return Err(CatalogFileError::Header {
                        path: file,
                        reason: format!("column `{name}` appears twice"),
                    });
                }
            }
            if let Some(missing) = required.iter().find(|c| !at.contains_key(*c)) {
                return Err(CatalogFileError::Header {
                    path: file,
                    reason: format!("the required column `{missing}` is missing (required: {})", required.join(",")),
                });
            }
            for result in rdr.records() {
                match result {
                    Ok(record) => {
                        let line = line_at(bytes, record.position());
                        let get = |name: &str| at.get(name).map(|&i| record[i].to_owned());
                        rows.push(Row { line, value: from_csv(&get) });
                    }
                    Err(e) => bad.push(BadRow {
                        file: file.clone(),
                        line: line_at(bytes, e.position()),
                        reason: csv_reason(&e),
                    }),
                }
            }
        }
    }
    Ok(rows)
}

/// The 1-based line a CSV record starts on, counted from its byte offset (the csv crate's own
/// line count lags by one after a CRLF, which is how the exports end their lines).
fn line_at(bytes: &[u8], position: Option<&csv::Position>) -> u64 {
    let Some(position) = position else { return 0 };
    let mut at = (position.byte() as usize).min(bytes.len());
    while at < bytes.len() && matches!(bytes[at], b'\r' | b'\n') {
        at += 1;
    }
    bytes[..at].iter().filter(|&&b| b == b'\n').count() as u64 + 1
}

fn parse_ndjson<T: serde::de::DeserializeOwned>(path: &Path, text: &str, bad: &mut Vec<BadRow>) -> Vec<Row<T>> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line_no = i as u64 + 1;
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<T>(line) {
            Ok(value) => rows.push(Row { line: line_no, value }),
            Err(e) => bad.push(BadRow {
                file: display(path),
                line: line_no,
                reason: format!("column {}: {}", e.column(), strip_position(&e.to_string())),
            }),
        }
    }
    rows
}

/// serde_json's message without its own " at line 1 column N" (the line is the file's, here).
fn strip_position(message: &str) -> &str {
    message.rsplit_once(" at line ").map_or(message, |(m, _)| m)
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

fn nonempty(v: Option<String>) -> Option<String> {
    v.filter(|s| !s.is_empty())
}

fn list(v: Option<String>, separator: char) -> Vec<String> {
    v.map(|s| s.split(separator).filter(|p| !p.is_empty()).map(str::to_owned).collect()).unwrap_or_default()
}

fn skill_from_csv(get: &dyn Fn(&str) -> Option<String>) -> SkillInput {
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

fn category_from_csv(get: &dyn Fn(&str) -> Option<String>) -> CategoryInput {
    CategoryInput {
        slug: get("slug").unwrap_or_default(),
        name: get("name").unwrap_or_default(),
        description: get("description").unwrap_or_default(),
        code: nonempty(get("code")),
        parent: nonempty(get("parent")),
        skill_count: None,
    }
}

fn faq_from_csv(get: &dyn Fn(&str) -> Option<String>) -> FaqInput {
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

fn categories(file: &str, rows: Vec<Row<CategoryInput>>, bad: &mut Vec<BadRow>) -> Vec<NewCategory> {
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

fn skills(
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

fn faqs(file: &str, rows: Vec<Row<FaqInput>>, known: &HashSet<&str>, bad: &mut Vec<BadRow>) -> Vec<FaqRow> {
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
