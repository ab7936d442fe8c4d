//! `GET /versions`: every version the database recorded (one per import, the seed first), newest
//! first, up to the one being served.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::db::versions::{self, VersionRow};
use crate::domain::Page;
use crate::error::{ApiError, Problem};
use crate::response::{self, CachedResponse};
use crate::routes::meta::Counts;
use crate::served::Snapshot;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_versions);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct VersionsQuery {
    /// Page size.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 50, example = 10)]
    pub limit: Option<String>,
    /// How many versions to skip.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647, default = 0, example = 0)]
    pub offset: Option<String>,
}

/// How many items of one kind a version added, removed and changed.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"added": 187, "removed": 8, "changed": 0}))]
pub struct ChangeCounts {
    /// Items added.
    #[schema(example = 187)]
    pub added: i64,
    /// Items removed.
    #[schema(example = 8)]
    pub removed: i64,
    /// Items changed (in a field, or in their place in the catalog order).
    #[schema(example = 0)]
    pub changed: i64,
}

/// What a version changed against the version before it.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionChanges {
    /// The categories.
    pub categories: ChangeCounts,
    /// The skills.
    pub skills: ChangeCounts,
    /// The FAQ entries.
    pub faqs: ChangeCounts,
}

/// One version of the catalog: what an import wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct Version {
    /// The version's id: increasing, never reused; `/changes?since=` takes it.
    #[schema(example = 2)]
    pub id: i64,
    /// The catalog's content label at this version (the `version` of `GET /`).
    #[schema(example = "esco-6c6e234223fd0ed1")]
    pub label: String,
    /// When the import was written (RFC 3339, UTC).
    #[schema(example = "2026-12-01T09:30:00Z")]
    pub imported_at: String,
    /// Where the catalog came from: `article` (the seed), `esco` or `catalog` (exported files imported back).
    #[schema(example = "esco")]
    pub source: String,
    /// How many items the catalog held at this version.
    pub counts: Counts,
    /// The importer's summary.
    #[schema(example = "ESCO: 187 skills (1005 aliases) in 687 categories; 0 bad rows skipped")]
    pub summary: String,
    /// What this version changed against the one before it (the first version: nothing).
    pub changes: VersionChanges,
    /// Whether `/changes` still holds this version's changes (the last 10 versions' are kept).
    #[schema(example = true)]
    pub changes_kept: bool,
    /// Whether this is the version being served.
    #[schema(example = true)]
    pub current: bool,
}

impl Version {
    pub fn new(row: VersionRow, current: i64) -> Self {
        let counts = |added, removed, changed| ChangeCounts { added, removed, changed };
        Version {
            current: row.id == current,
            id: row.id,
            label: row.label,
            imported_at: row.imported_at,
            source: row.source,
            counts: Counts {
                categories: row.categories as usize,
                skills: row.skills as usize,
                faqs: row.faqs as usize,
            },
            summary: row.summary,
            changes: VersionChanges {
                categories: counts(row.categories_added, row.categories_removed, row.categories_changed),
                skills: counts(row.skills_added, row.skills_removed, row.skills_changed),
                faqs: counts(row.faqs_added, row.faqs_removed, row.faqs_changed),
            },
            changes_kept: !row.changes_pruned,
        }
    }
}

/// A page of versions, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct VersionPage {
    /// The versions of this page.
    pub data: Vec<Version>,
    /// How many versions there are, over all pages.
    #[schema(example = 2)]
    pub total: usize,
    /// The page size used.
    #[schema(example = 50)]
    pub limit: usize,
    /// How many versions were skipped.
    #[schema(example = 0)]
    pub offset: usize,
}

/// List versions
///
/// Every version of the catalog this database recorded, newest first: one per import (the seed
/// catalog written by the migrations is the first), up to the version being served. Each names
/// its source, counts, the importer's summary and how much it changed. The `Link` header carries
/// the `next` and `prev` pages.
#[utoipa::path(
    tag = "versions",
    operation_id = "list_versions",
    params(VersionsQuery),
    responses(
        (status = 200, description = "A page of versions.", body = VersionPage,
            headers(("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist.")),
            example = json!({"data": [{"id": 1, "label": "seed-2023.1", "imported_at": "2026-12-01T09:00:00Z",
                "source": "article", "counts": {"categories": 4, "skills": 8, "faqs": 5},
                "summary": "the seed catalog (data/article.txt), written by the database migrations",
                "changes": {"categories": {"added": 0, "removed": 0, "changed": 0},
                            "skills": {"added": 0, "removed": 0, "changed": 0},
                            "faqs": {"added": 0, "removed": 0, "changed": 0}},
                "changes_kept": true, "current": true}],
                "total": 1, "limit": 50, "offset": 0})),
        (status = 400, description = "`limit` or `offset` is out of range.",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/versions")]
pub async fn list_versions(
    req: HttpRequest,
    state: Data<AppState>,
    served: Snapshot,
) -> Result<HttpResponse, ApiError> {
    let query = crate::routes::query_string::query::<VersionsQuery>(&req)?;
    let page = Page::parse(query.limit.as_deref(), query.offset.as_deref())?;
    let key = format!("/versions?limit={}&offset={}", page.limit.get(), page.offset.get());
    served
        .cached(&req, &key, async || {
            let current = served.catalog.meta.version_id.unwrap_or_default();
            let (rows, total) =
                versions::list_versions(&state.db, current, page.limit.get(), page.offset.get()).await?;
            let body = VersionPage {
                data: rows.into_iter().map(|r| Version::new(r, current)).collect(),
                total,
                limit: page.limit.get(),
                offset: page.offset.get(),
            };
            let at = |offset: usize| format!("/versions?limit={}&offset={offset}", page.limit.get());
            let link = response::link_header(page.next_offset(total).map(at), page.prev_offset(total).map(at));
            Ok(CachedResponse::json(&body).with_link(link))
        })
        .await
}
