//! `GET /skills/autocomplete`: suggestions while typing.

use actix_web::web::Data;
use actix_web::{HttpRequest, HttpResponse, get};
use serde::Deserialize;
use utoipa::IntoParams;

use super::json::{LabelKind, MatchType, Suggestion, SuggestionList};
use crate::catalog::SkillIx;
use crate::domain::SearchText;
use crate::domain::{ParamError, SkillType, truncate};
use crate::error::{ApiError, Problem};
use crate::response::CachedResponse;
use crate::routes::json::Overloaded;
use crate::search::{DocKind, Field, Filter};
use crate::served::Snapshot;
use crate::work::WorkQueue;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct AutocompleteQuery {
    /// What has been typed so far (1–100 characters, case-insensitive; leading and trailing
    /// spaces ignored).
    #[param(value_type = String, min_length = 1, max_length = 100, example = "mach")]
    pub q: Option<String>,
    /// How many suggestions at most.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 50, default = 10, example = 10)]
    pub limit: Option<String>,
    /// Only skills of this type: `skill` or `knowledge`.
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<crate::routes::params::SkillTypeParam>, example = "knowledge")]
    pub kind: Option<String>,
}

const MAX_Q: usize = 100;
const MAX_LIMIT: usize = 50;
const DEFAULT_LIMIT: usize = 10;

fn parse(query: &AutocompleteQuery) -> Result<(String, usize, Option<SkillType>), ParamError> {
    let q = query.q.as_deref().ok_or_else(|| ParamError::new("q", "`q` is required"))?;
    if q.is_empty() || q.chars().count() > MAX_Q {
        return Err(ParamError::new("q", format!("`q` must be 1 to {MAX_Q} characters, not `{}`", truncate(q))));
    }
    // Leading and trailing spaces are ignored; a `q` of spaces only matches nothing.
    let q = q.trim();
    let limit = match query.limit.as_deref() {
        None => DEFAULT_LIMIT,
        Some(raw) => match raw.parse::<usize>() {
            Ok(n) if (1..=MAX_LIMIT).contains(&n) => n,
            _ => {
                return Err(ParamError::new(
                    "limit",
                    format!("`limit` must be an integer from 1 to {MAX_LIMIT}, not `{}`", truncate(raw)),
                ));
            }
        },
    };
    let kind = query.kind.as_deref().map(|raw| SkillType::parse("type", raw)).transpose()?;
    Ok((q.to_owned(), limit, kind))
}

/// Autocomplete skills
///
/// Skills whose name or an alias starts with what has been typed, then those with a later word
/// that does; names before aliases, shorter labels first. One suggestion per skill, with the
/// label that matched. `type` keeps only skills of that type. No match is a 200 with an empty list.
#[utoipa::path(
    tag = "skills",
    operation_id = "autocomplete_skills",
    params(AutocompleteQuery),
    responses(
        (status = 200, description = "Suggestions, best first.", body = SuggestionList,
            example = json!({"data": [{"slug": "machine-learning-engineering", "name": "Machine Learning Engineering",
                "label": "Machine Learning Engineering", "matched": "name", "match_type": "prefix"}]})),
        (status = 400, description = "`q` is missing, empty or too long, `limit` is out of range, or `type` is neither `skill` nor `knowledge`.",
            body = Problem, content_type = "application/problem+json"),
        Overloaded,
    )
)]
#[get("/skills/autocomplete")]
pub async fn autocomplete_skills(
    req: HttpRequest,
    served: Snapshot,
    work: Data<WorkQueue>,
) -> Result<HttpResponse, ApiError> {
    let (q, limit, kind) = parse(&crate::routes::query_string::query::<AutocompleteQuery>(&req)?)?;
    let mut key = format!("/skills/autocomplete?q={}&limit={limit}", crate::domain::text::fold(&q));
    if let Some(kind) = kind {
        key = format!("{key}&type={}", kind.as_str());
    }
    served
        .cached(&req, &key, async || {
            let catalog = &served.catalog;
            let suggestion = |ix: SkillIx, alias: Option<u32>, match_type: MatchType| {
                let skill = catalog.skill(ix);
                let (label, matched) = match alias {
                    Some(a) => (skill.aliases[a as usize].clone(), LabelKind::Alias),
                    None => (skill.name.clone(), LabelKind::Name),
                };
                Suggestion { slug: skill.slug.clone(), name: skill.name.clone(), label, matched, match_type }
            };
            let prefixed =
                served.autocomplete.suggest_where(&q, limit, |s| kind.is_none_or(|k| catalog.skill(s).kind == k));
            let mut seen: Vec<SkillIx> = prefixed.iter().map(|s| s.skill).collect();
            let mut data: Vec<Suggestion> = prefixed
                .into_iter()
                .map(|s| {
                    suggestion(s.skill, s.alias, if s.starts_with { MatchType::Prefix } else { MatchType::WordPrefix })
                })
                .collect();
            // Fewer than asked: the search index reads typos and other forms of the words.
            // That fill-up is a search, so it runs in the work queue like every search not
            // answered before (503 past it); the prefix lookup above stays on the worker.
            if data.len() < limit
                && let Ok(text) = SearchText::parse("q", &q)
            {
                let snapshot = served.share();
                let hits = work
                    .run(move || {
                        let within = kind.map(|k| snapshot.catalog.skills_of_type(k));
                        let filter = Filter { kind: Some(DocKind::Skill), within };
                        snapshot.search.search(&text, &filter, 0, limit).hits
                    })
                    .await?;
                for hit in hits {
                    let alias = match hit.field {
                        Field::Name => None,
                        Field::Alias(a) => Some(u32::from(a)),
                        Field::Body => continue,
                    };
                    if data.len() == limit || seen.contains(&hit.item) {
                        continue;
                    }
                    seen.push(hit.item);
                    data.push(suggestion(hit.item, alias, MatchType::Fuzzy));
                }
            }
            Ok(CachedResponse::json(&SuggestionList { data }))
        })
        .await
}
