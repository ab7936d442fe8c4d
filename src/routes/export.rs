//! What the bulk exports (`/skills/export`, `/categories/export`, `/faqs/export`) share: the
//! `format` parameter, the two encodings, and the response (prepared once per catalog, so it has
//! an ETag and answers `If-None-Match`, and downloads as a file).

use std::sync::Arc;

use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse};
use bytes::Bytes;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::catalog::Catalog;
use crate::domain::ExportFormat;
use crate::error::ApiError;
use crate::response::CachedResponse;
use crate::routes::closed_set::ClosedSet;
use crate::served::Snapshot;
use crate::work::WorkQueue;

pub const NDJSON: &str = "application/x-ndjson";
pub const CSV: &str = "text/csv; charset=utf-8";

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `ndjson` (one JSON object per line, `application/x-ndjson`) or `csv` (RFC 4180 with a
    /// header row, `text/csv`).
    #[param(value_type = ExportFormatParam, example = "csv")]
    pub format: Option<String>,
}

/// The encoding of an export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(examples("csv"))]
pub enum ExportFormatParam {
    Ndjson,
    Csv,
}

impl ClosedSet for ExportFormatParam {
    fn meaning(&self) -> &'static str {
        match self {
            ExportFormatParam::Ndjson => "one JSON object per line (`application/x-ndjson`)",
            ExportFormatParam::Csv => "RFC 4180 CSV with a header row (`text/csv`)",
        }
    }
}

/// One exported item: a JSON object for NDJSON, a row under [`ExportRecord::CSV_HEADER`] for CSV.
pub trait ExportRecord: Serialize {
    const CSV_HEADER: &'static [&'static str];
    fn csv_row(&self) -> Vec<String>;
}

/// The export of every record `records` lists, as `query` asks: one generic handler for the
/// three export endpoints.
///
/// Built at most once per catalog, each compressed variant too (see
/// [`crate::response::Prepared`]), on the blocking pool through the bounded work queue: the
/// second identical request, in any encoding, is a read of the prepared bytes.
pub async fn send<R: ExportRecord + Send + 'static>(
    req: &HttpRequest,
    served: &Snapshot,
    work: &WorkQueue,
    query: &ExportQuery,
    resource: &'static str,
    records: fn(&Catalog) -> Vec<R>,
) -> Result<HttpResponse, ApiError> {
    let format = ExportFormat::parse(query.format.as_deref())?;
    let slot = served.prepared().slot(&format!("/{resource}/export?format={}", format.as_str()));
    let entry = slot
        .get_or_build({
            let (work, snapshot) = (work.clone(), served.share());
            async move { work.run(move || build(&records(&snapshot.catalog), format)).await? }
        })
        .await?;
    if let Some(encoding) = entry.negotiate(req) {
        let (work, entry) = (work.clone(), Arc::clone(&entry));
        slot.prepare_variant(encoding, async move { work.run(move || entry.prepare(encoding)).await }).await?;
    }
    let mut res = served.send(req, &entry);
    let disposition = format!("attachment; filename=\"powerskills-{resource}.{}\"", format.as_str());
    res.headers_mut()
        .insert(header::CONTENT_DISPOSITION, HeaderValue::from_str(&disposition).expect("an ASCII file name"));
    Ok(res)
}

fn build<R: ExportRecord>(records: &[R], format: ExportFormat) -> Result<CachedResponse, ApiError> {
    Ok(match format {
        ExportFormat::Ndjson => CachedResponse::new(ndjson(records), HeaderValue::from_static(NDJSON)),
        ExportFormat::Csv => CachedResponse::new(csv(records)?, HeaderValue::from_static(CSV)),
    })
}

fn ndjson<R: ExportRecord>(records: &[R]) -> Bytes {
    let mut body = Vec::new();
    for record in records {
        serde_json::to_writer(&mut body, record).expect("wire types always serialize");
        body.push(b'\n');
    }
    Bytes::from(body)
}

fn csv<R: ExportRecord>(records: &[R]) -> Result<Bytes, ApiError> {
    let internal = |e: csv::Error| ApiError::Internal(format!("csv export: {e}"));
    // RFC 4180: CRLF line ends, fields quoted only when they need it.
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::new());
    writer.write_record(R::CSV_HEADER).map_err(internal)?;
    for record in records {
        writer.write_record(record.csv_row()).map_err(internal)?;
    }
    let body = writer.into_inner().map_err(|e| ApiError::Internal(format!("csv export: {e}")))?;
    Ok(Bytes::from(body))
}
