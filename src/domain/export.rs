//! The `format` of a bulk export.

use super::{ParamError, truncate};

/// How an export is written: one JSON object per line, or CSV (RFC 4180) with a header row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    Ndjson,
    Csv,
}

impl ExportFormat {
    /// `format` is required: an export is large, so the client says what it wants.
    pub fn parse(raw: Option<&str>) -> Result<ExportFormat, ParamError> {
        match raw {
            Some("ndjson") => Ok(ExportFormat::Ndjson),
            Some("csv") => Ok(ExportFormat::Csv),
            None => Err(ParamError::new("format", "`format` is required: `ndjson` or `csv`")),
            Some(other) => {
                Err(ParamError::new("format", format!("`format` must be `ndjson` or `csv`, not `{}`", truncate(other))))
            }
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Ndjson => "ndjson",
            ExportFormat::Csv => "csv",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_is_ndjson_or_csv_and_required() {
        assert_eq!(ExportFormat::parse(Some("csv")).unwrap(), ExportFormat::Csv);
        assert_eq!(ExportFormat::parse(Some("ndjson")).unwrap(), ExportFormat::Ndjson);
        assert_eq!(ExportFormat::parse(Some("CSV")).unwrap_err().parameter, "format");
        assert_eq!(ExportFormat::parse(None).unwrap_err().parameter, "format");
    }
}
