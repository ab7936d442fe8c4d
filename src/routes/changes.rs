//! `GET /changes?since=VERSION`: what changed in the catalog since a version, in the order a
//! client applies it to its copy of the exports (the rules are in docs/IMPORT.md and
//! src/import/changes.rs).

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::catalog::records::{CategoryRecord, FaqRecord, SkillRecord};
use crate::db::versions::{self, ChangeRow, KEPT_CHANGES};
use crate::domain::{Page, ParamError, truncate};
use crate::error::{ApiError, Problem};
use crate::response::{self, CachedResponse};
use crate::served::Snapshot;
use crate::state::AppState;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_changes);
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ChangesQuery {
    /// The version the client holds (an `id` of `GET /versions`): the changes of every later
    /// version, up to the one served, are returned.
    #[param(value_type = u32, minimum = 1, maximum = 2147483647, example = 1)]
    pub since: Option<String>,
    /// Page size.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 50, example = 10)]
    pub limit: Option<String>,
    /// How many changes to skip.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647, default = 0, example = 0)]
    pub offset: Option<String>,
}

/// An item as exported at the change's version: a `SkillRecord`, `CategoryRecord` or `FaqRecord`
/// (as `resource` says).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
#[schema(example = json!({"slug": "ai", "name": "Artificial Intelligence and Machine Learning",
    "description": "The increasing reliance on AI and machine learning technologies is transforming industries.",
    "code": null, "parent": null, "skill_count": 2}))]
pub enum ChangedRecord {
    Skill(SkillRecord),
    Category(CategoryRecord),
    Faq(FaqRecord),
}

/// One change to one item.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"version": 2, "resource": "skill", "key": "nlp", "change": "changed",
    "fields": ["description"], "position": 3,
    "record": {"slug": "nlp", "name": "Natural Language Processing (NLP)",
        "description": "NLP enables machines to understand and interpret human language.",
        "category": "ai", "categories": ["ai"], "aliases": ["NLP"], "uri": null, "skill_type": null, "type": "skill"}}))]
pub struct Change {
    /// The version that made this change.
    #[schema(example = 2)]
    pub version: i64,
    /// What changed.
    #[schema(value_type = ChangeResource)]
    pub resource: String,
    /// The item's key: its slug, or the FAQ entry's id as text.
    #[schema(example = "nlp")]
    pub key: String,
    /// How it changed.
    #[schema(value_type = ChangeKind)]
    pub change: String,
    /// For `changed`: the fields that differ, in the record's order; `position` when the item
    /// moved in the catalog order.
    #[schema(example = json!(["description"]))]
    pub fields: Option<Vec<String>>,
    /// The item's 1-based place in its export at this version (not for `removed`).
    #[schema(example = 3, minimum = 1)]
    pub position: Option<i64>,
    /// The whole item as exported at this version (not for `removed`).
    #[schema(example = json!(null))]
    pub record: Option<ChangedRecord>,
}

/// The resource a change is about (the values of `Change.resource`, as the database stores them).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(examples("skill"))]
pub enum ChangeResource {
    Category,
    Skill,
    Faq,
}

impl crate::routes::closed_set::ClosedSet for ChangeResource {
    fn meaning(&self) -> &'static str {
        match self {
            ChangeResource::Category => "a category (`key` is its slug; `record` a categories export record)",
            ChangeResource::Skill => "a skill (`key` is its slug; `record` a skills export record)",
            ChangeResource::Faq => "a FAQ entry (`key` is its id; `record` a FAQ export record)",
        }
    }
}

/// How an item changed (the values of `Change.change`).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(examples("changed"))]
pub enum ChangeKind {
    Added,
    Removed,
    Changed,
}

impl crate::routes::closed_set::ClosedSet for ChangeKind {
    fn meaning(&self) -> &'static str {
        match self {
            ChangeKind::Added => "the item is new in this version",
            ChangeKind::Removed => "the item is gone in this version",
            ChangeKind::Changed => "some of its fields differ (listed in `fields`)",
        }
    }
}

impl Change {
    fn new(row: ChangeRow) -> Result<Change, ApiError> {
        let bad = |e: serde_json::Error| ApiError::Internal(format!("change {}/{}: {e}", row.version_id, row.seq));
        let record = match row.record.as_deref() {
            None => None,
            Some(json) => Some(match row.resource.as_str() {
                "skill" => ChangedRecord::Skill(serde_json::from_str(json).map_err(bad)?),
                "category" => ChangedRecord::Category(serde_json::from_str(json).map_err(bad)?),
                _ => ChangedRecord::Faq(serde_json::from_str(json).map_err(bad)?),
            }),
        };
        Ok(Change {
            version: row.version_id,
            resource: row.resource,
            key: row.key,
            change: row.change,
            fields: row.fields.map(|f| f.split(',').map(str::to_owned).collect()),
            position: row.position,
            record,
        })
    }
}

/// A page of changes, in the order they apply.
#[derive(Debug, Serialize, ToSchema)]
pub struct ChangePage {
    /// The version the changes start after (the request's `since`).
    #[schema(example = 1)]
    pub since: i64,
    /// The version the changes lead to: the one being served.
    #[schema(example = 2)]
    pub until: i64,
    /// The changes of this page.
    pub data: Vec<Change>,
    /// How many changes there are, over all pages.
    #[schema(example = 1)]
    pub total: usize,
    /// The page size used.
    #[schema(example = 50)]
    pub limit: usize,
    /// How many changes were skipped.
    #[schema(example = 0)]
    pub offset: usize,
}

fn parse_since(raw: Option<&str>) -> Result<i64, ParamError> {
    let raw = raw.ok_or_else(|| ParamError::new("since", "`since` is required: a version id of GET /versions"))?;
    match raw.parse::<u32>() {
        Ok(n) if (1..=i32::MAX as u32).contains(&n) => Ok(i64::from(n)),
        _ => Err(ParamError::new(
            "since",
            format!("`since` must be a version id (an integer from 1 to {}), not `{}`", i32::MAX, truncate(raw)),
        )),
    }
}

/// List changes since a version
///
/// Every change made by the versions after `since`, up to the version being served, in order:
/// per version, categories, then skills, then FAQ entries; for each, first the items removed,
/// then those added or changed in ascending `position`. A client that holds the exports of
/// version `since` gets exactly the current exports by applying them (docs/IMPORT.md):
/// remove every `removed` item and every item whose `fields` include `position`, then, in order,
/// put each other record at its `position` (inserting the added and moved ones, replacing the
/// changed ones). `since` equal to the version served answers an empty list.
///
/// The changes of the last 10 versions are kept: an older `since` is 410 Gone (fetch the
/// exports again, then follow the feed from the version served).
#[utoipa::path(
    tag = "versions",
    operation_id = "list_changes",
    params(ChangesQuery),
    responses(
        (status = 200, description = "A page of changes.", body = ChangePage,
            headers(("Link" = String, description = "RFC 8288 `next` and `prev` pages, when they exist.")),
            example = json!({"since": 1, "until": 2, "data": [
                {"version": 2, "resource": "skill", "key": "cryptocurrency-analysis", "change": "removed",
                 "fields": null, "position": null, "record": null}],
                "total": 1, "limit": 50, "offset": 0})),
        (status = 400, description = "`since` is missing or not a version id, or `limit` or `offset` is out of range.",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:powerskills:problem:invalid-parameter", "title": "Invalid parameter",
                "status": 400, "detail": "`since` is required: a version id of GET /versions",
                "instance": "/changes", "request_id": "7f3a9c01d2e4b5a6-00000001", "parameter": "since"})),
        (status = 404, description = "No version this server serves has the id `since`.",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:powerskills:problem:not-found", "title": "Not found", "status": 404,
                "detail": "no version has the id `99`", "instance": "/changes?since=99",
                "request_id": "7f3a9c01d2e4b5a6-00000001"})),
        (status = 410, description = "The version `since` is older than the changes kept (the last 10 versions').",
            body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:powerskills:problem:gone", "title": "Gone", "status": 410,
                "detail": "the changes after version 1 are no longer kept (the last 10 versions' are); the oldest `since` answered is 3: fetch the exports again",
                "instance": "/changes?since=1", "request_id": "7f3a9c01d2e4b5a6-00000001"})),
    )
)]
#[get("/changes")]
pub async fn list_changes(req: HttpRequest, state: Data<AppState>, served: Snapshot) -> Result<HttpResponse, ApiError> {
    let query = crate::routes::query_string::query::<ChangesQuery>(&req)?;
    let since = parse_since(query.since.as_deref())?;
    let page = Page::parse(query.limit.as_deref(), query.offset.as_deref())?;
    let at = |offset: usize| format!("/changes?since={since}&limit={}&offset={offset}", page.limit.get());
    // The feed up to the version served: the snapshot's, so that it agrees with every other read.
    served
        .cached(&req, &at(page.offset.get()), async || {
            let until = served.catalog.meta.version_id.unwrap_or_default();
            let not_found = || ApiError::NotFound { resource: "version", key_name: "id", key: since.to_string() };
            if since > until || versions::version(&state.db, since).await?.is_none() {
                return Err(not_found());
            }
            let oldest = versions::oldest_since(&state.db, until).await?;
            if since < oldest {
                return Err(ApiError::Gone(format!(
                    "the changes after version {since} are no longer kept (the last {KEPT_CHANGES} versions' are); \
                 the oldest `since` answered is {oldest}: fetch the exports again"
                )));
            }
            let (rows, total) =
                versions::changes_since(&state.db, since, until, page.limit.get(), page.offset.get()).await?;
            let data = rows.into_iter().map(Change::new).collect::<Result<Vec<_>, _>>()?;
            let body = ChangePage { since, until, data, total, limit: page.limit.get(), offset: page.offset.get() };
            let link = response::link_header(page.next_offset(total).map(at), page.prev_offset(total).map(at));
            Ok(CachedResponse::json(&body).with_link(link))
        })
        .await
}
