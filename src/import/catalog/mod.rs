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

mod files;
mod rows;

use std::collections::HashSet;
use std::path::Path;

use self::files::read_rows;
use self::rows::{
    CATEGORY_COLUMNS, CATEGORY_REQUIRED, FAQ_COLUMNS, FAQ_REQUIRED, SKILL_COLUMNS, SKILL_REQUIRED, categories,
    category_from_csv, faq_from_csv, faqs, skill_from_csv, skills,
};
use super::BadRow;
use crate::db::{CatalogData, CatalogRow, NewCatalog, NewCategory};

/// The files to import; `None` keeps that part of the current catalog.
#[derive(Debug, Clone, Copy)]
pub struct Files<'a> {
    pub skills: &'a Path,
    pub categories: Option<&'a Path>,
    pub faqs: Option<&'a Path>,
}

pub use super::Parsed;

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
