//! Query parameters shared by the list endpoints, and the `Link` header of their pages.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{Page, ParamError, SearchText, SkillType, SlugList};

/// The item named by the path's `{slug}`, found with `find`, or the 404 of `resource` (a slug
/// that does not parse names nothing, so it is a 404 too). Returns the canonical slug with it.
pub fn path_slug<T>(
    req: &actix_web::HttpRequest,
    resource: &'static str,
    find: impl FnOnce(&str) -> Option<T>,
) -> Result<(crate::domain::Slug, T), crate::error::ApiError> {
    let raw = req.match_info().get("slug").unwrap_or_default();
    let not_found =
        || crate::error::ApiError::NotFound { resource, key_name: "slug", key: crate::domain::truncate(raw) };
    let slug = crate::domain::Slug::parse("slug", raw).map_err(|_| not_found())?;
    let found = find(slug.as_str()).ok_or_else(not_found)?;
    Ok((slug, found))
}

/// The query string parsed into `T` (unknown or repeated parameters are a 400).
pub fn query<T: serde::de::DeserializeOwned>(req: &actix_web::HttpRequest) -> Result<T, crate::error::ApiError> {
    actix_web::web::Query::<T>::from_query(req.query_string())
        .map(actix_web::web::Query::into_inner)
        .map_err(crate::error::ApiError::from)
}

/// `category`, `limit` and `offset`, as the client sent them. They arrive as text so that a bad
/// value is reported with the name of its parameter; [`ListParams::parse`] makes them typed.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only items in these categories: comma-separated category slugs, case-insensitive
    /// (a category includes the categories below it).
    #[param(value_type = Option<String>, pattern = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*(,[A-Za-z0-9]+(-[A-Za-z0-9]+)*)*$", max_length = 5049, example = "ai")]
    pub category: Option<String>,
    /// Page size.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 50, example = 10)]
    pub limit: Option<String>,
    /// How many items to skip.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647, default = 0, example = 0)]
    pub offset: Option<String>,
}

/// `GET /skills` takes [`ListQuery`]'s parameters and a search.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SkillsQuery {
    /// Search over names, aliases and descriptions (words only: quotes and operators are ignored;
    /// at most 200 characters; words after the 16th are ignored). Exact names first, then by the
    /// ranking rules of docs/SEARCH.md; typos are corrected and the last word is also a prefix;
    /// each hit says why it matched.
    #[param(value_type = Option<String>, min_length = 1, max_length = 200, example = "machine learning")]
    pub q: Option<String>,
    /// Only items in these categories: comma-separated category slugs, case-insensitive
    /// (a category includes the categories below it).
    #[param(value_type = Option<String>, pattern = r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*(,[A-Za-z0-9]+(-[A-Za-z0-9]+)*)*$", max_length = 5049, example = "ai")]
    pub category: Option<String>,
    /// Only skills of this type: `skill` or `knowledge` (combines with `category` and `q`).
    #[serde(rename = "type")]
    #[param(rename = "type", value_type = Option<SkillTypeParam>, example = "knowledge")]
    pub kind: Option<String>,
    /// Page size.
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, default = 50, example = 10)]
    pub limit: Option<String>,
    /// How many items to skip.
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647, default = 0, example = 0)]
    pub offset: Option<String>,
}

/// A skill's type, as the `type` filter names it.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
#[schema(examples("knowledge"))]
pub enum SkillTypeParam {
    Skill,
    Knowledge,
}

impl crate::routes::closed_set::ClosedSet for SkillTypeParam {
    fn meaning(&self) -> &'static str {
        match self {
            SkillTypeParam::Skill => {
                "a skill or competence (ESCO's `skill/competence`; every skill of the seed catalog)"
            }
            SkillTypeParam::Knowledge => "knowledge (ESCO's `knowledge`)",
        }
    }
}

/// A list request's parameters, parsed.
#[derive(Debug, Clone)]
pub struct ListParams {
    pub q: Option<SearchText>,
    pub category: Option<SlugList>,
    /// `type` (skills only).
    pub kind: Option<SkillType>,
    pub page: Page,
}

impl ListParams {
    pub fn parse(query: &ListQuery) -> Result<ListParams, ParamError> {
        Self::from_parts(None, query.category.as_deref(), query.limit.as_deref(), query.offset.as_deref())
    }

    pub fn parse_skills(query: &SkillsQuery) -> Result<ListParams, ParamError> {
        let params = Self::from_parts(
            query.q.as_deref(),
            query.category.as_deref(),
            query.limit.as_deref(),
            query.offset.as_deref(),
        )?;
        let kind = query.kind.as_deref().map(|raw| SkillType::parse("type", raw)).transpose()?;
        Ok(ListParams { kind, ..params })
    }

    pub fn from_parts(
        q: Option<&str>,
        category: Option<&str>,
        limit: Option<&str>,
        offset: Option<&str>,
    ) -> Result<ListParams, ParamError> {
        Ok(ListParams {
            q: q.map(|raw| SearchText::parse("q", raw)).transpose()?,
            category: category.map(|raw| SlugList::parse("category", raw)).transpose()?,
            kind: None,
            page: Page::parse(limit, offset)?,
        })
    }

    /// The canonical target of this request under `path` at `offset` (parameters in a fixed
    /// order, categories sorted and lowercased): the cache key, and the target of `Link`
    /// relations. Written into one buffer: it is made on every request (slugs, numbers and type
    /// names are URL-safe as they are; only `q` needs encoding).
    pub fn target(&self, path: &str, offset: usize) -> String {
        use std::fmt::Write as _;
        let mut out = String::with_capacity(path.len() + 48);
        out.push_str(path);
        out.push('?');
        if let Some(q) = &self.q {
            out.push_str("q=");
            out.extend(form_urlencoded::byte_serialize(q.canonical().as_bytes()));
            out.push('&');
        }
        if let Some(category) = &self.category {
            out.push_str("category=");
            for (i, slug) in category.iter().enumerate() {
                if i > 0 {
                    out.push_str("%2C");
                }
                out.push_str(slug.as_str());
            }
            out.push('&');
        }
        if let Some(kind) = self.kind {
            out.push_str("type=");
            out.push_str(kind.as_str());
            out.push('&');
        }
        let _ = write!(out, "limit={}&offset={offset}", self.page.limit.get());
        out
    }

    /// The `Link` header of this page of `total` items under `path`.
    pub fn link(&self, path: &str, total: usize) -> Option<String> {
        let at = |offset: usize| self.target(path, offset);
        crate::response::link_header(self.page.next_offset(total).map(at), self.page.prev_offset(total).map(at))
    }

    pub fn cache_key(&self, path: &str) -> String {
        self.target(path, self.page.offset.get())
    }
}
