//! Reading one import file, CSV or NDJSON, into rows with their line numbers; a row that does not
//! even have the shape of a record is a bad row.

use std::collections::HashMap;
use std::path::Path;

use super::{CatalogFileError, Format, display};
use crate::domain::truncate;
use crate::import::BadRow;

/// Builds a row from a CSV record, given a lookup of its fields by column name.
pub(super) type FromCsv<T> = fn(&dyn Fn(&str) -> Option<String>) -> T;

/// One row of a file, with the line it starts on.
pub(super) struct Row<T> {
    pub line: u64,
    pub value: T,
}

/// The rows of one file, CSV or NDJSON; a row that does not even have the right shape is a bad row.
pub(super) fn read_rows<T: serde::de::DeserializeOwned>(
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
