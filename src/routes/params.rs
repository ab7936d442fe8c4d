//! Query parameters shared by the list endpoints, and the `Link` header of their pages.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::catalog::order::Order;
use crate::domain::{Limit, Page, ParamError, SearchText, SkillType, SlugList};
use crate::error::ApiError;
use crate::routes::fields::{FAQ_FIELDS, FieldSet, SKILL_FIELDS};

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
    /// The order: `position` (catalog order, the default), `name` (by question, A to Z) or
    /// `-name` (Z to A); questions compare case- and accent-insensitively, ties keep catalog order.
    #[param(value_type = Option<SortParam>, example = "name")]
    pub sort: Option<String>,
    /// Only these fields of each entry, comma-separated (`fields=id,question`).
    #[param(value_type = Option<Vec<crate::routes::fields::FaqListField>>, style = Form, explode = false, min_items = 1, example = json!(["id", "question"]))]
    pub fields: Option<String>,
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
    /// How many items to skip. With `q`, a search pages through its first 1000 hits only:
    /// `offset` + `limit` may be at most 1000 (past it, a 400 naming `offset`; `total` still
    /// counts every hit, and the `next` link stops at hit 1000).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 2147483647, default = 0, example = 0)]
    pub offset: Option<String>,
    /// Only these skills, by slug: comma-separated, case-insensitive, at most 100 (the largest
    /// page); answered in the order asked, each once, with the slugs that name nothing in
    /// `not_found` and removed skills in `removed`. The default `limit` is then 100.
    #[param(value_type = Option<String>, pattern = r"^[^,]+(,[^,]+)*$", max_length = 10099, example = "nlp,seo")]
    pub slug: Option<String>,
    /// The order: `position` (catalog order, the default), `name` (A to Z) or `-name` (Z to A);
    /// names compare case- and accent-insensitively, ties keep catalog order.
    /// Not with `q` (search results are ranked by relevance); with `slug` or `uri`, the default
    /// is the order asked.
    #[param(value_type = Option<SortParam>, example = "name")]
    pub sort: Option<String>,
    /// Only these fields of each skill, comma-separated (`fields=slug,name`).
    #[param(value_type = Option<Vec<crate::routes::fields::SkillListField>>, style = Form, explode = false, min_items = 1, example = json!(["slug", "name"]))]
    pub fields: Option<String>,
}

/// `GET /categories`: the order and the fields (`code`, repeatable, is read apart).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CategoriesQuery {
    /// The order: `position` (catalog order, the default), `name` (A to Z) or `-name` (Z to A);
    /// names compare case- and accent-insensitively, ties keep catalog order.
    #[param(value_type = Option<SortParam>, example = "name")]
    pub sort: Option<String>,
    /// Only these fields of each category, comma-separated (`fields=slug,name`).
    #[param(value_type = Option<Vec<crate::routes::fields::CategoryListField>>, style = Form, explode = false, min_items = 1, example = json!(["slug", "name"]))]
    pub fields: Option<String>,
}

/// The order a list is sorted in, as `sort` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[schema(examples("name"))]
pub enum SortParam {
    #[serde(rename = "position")]
    Position,
    #[serde(rename = "name")]
    Name,
    #[serde(rename = "-name")]
    NameDesc,
}

impl crate::routes::closed_set::ClosedSet for SortParam {
    fn meaning(&self) -> &'static str {
        match self {
            SortParam::Position => "catalog order (the default; for the seed catalog, the article's order)",
            SortParam::Name => {
                "by name (FAQ entries: by question), A to Z, case- and accent-insensitive; ties in catalog order"
            }
            SortParam::NameDesc => "by name, Z to A; ties still in catalog order",
        }
    }
}

impl SortParam {
    const ALL: [SortParam; 3] = [SortParam::Position, SortParam::Name, SortParam::NameDesc];

    fn token(self) -> &'static str {
        match self {
            SortParam::Position => "position",
            SortParam::Name => "name",
            SortParam::NameDesc => "-name",
        }
    }

    /// `sort` parsed, or the 400 that lists the valid keys.
    pub fn parse(raw: &str) -> Result<Order, ApiError> {
        match Self::ALL.into_iter().find(|s| s.token() == raw) {
            Some(SortParam::Position) => Ok(Order::Position),
            Some(SortParam::Name) => Ok(Order::Name),
            Some(SortParam::NameDesc) => Ok(Order::NameDesc),
            None => Err(ApiError::InvalidChoice {
                parameter: "sort",
                message: format!(
                    "`sort` must be one of `position`, `name` or `-name`, not `{}`",
                    crate::domain::truncate(raw)
                ),
                valid: Self::ALL.iter().map(|s| s.token().to_owned()).collect(),
            }),
        }
    }

    pub fn token_of(order: Order) -> &'static str {
        match order {
            Order::Position => "position",
            Order::Name => "name",
            Order::NameDesc => "-name",
        }
    }
}

/// How many ids `slug` and `uri` may name together (the largest page).
pub const MAX_LIST_IDS: usize = crate::domain::Limit::MAX as usize;

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
    /// `sort`, when given.
    pub sort: Option<Order>,
    /// `fields`, when given.
    pub fields: Option<FieldSet>,
    /// `slug` and `uri` (skills only): the ids asked for, in order; `None` when neither is given.
    pub ids: Option<Ids>,
}

/// The ids a skills list asks for.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ids {
    pub slugs: Vec<String>,
    pub uris: Vec<String>,
}

impl ListParams {
    pub fn parse(query: &ListQuery) -> Result<ListParams, ApiError> {
        let params =
            Self::from_parts(None, query.category.as_deref(), query.limit.as_deref(), query.offset.as_deref())?;
        Ok(ListParams {
            sort: query.sort.as_deref().map(SortParam::parse).transpose()?,
            fields: query.fields.as_deref().map(|raw| FieldSet::parse(raw, FAQ_FIELDS)).transpose()?,
            ..params
        })
    }

    /// `GET /skills`'s parameters, with the `uri`s read apart (the one repeatable parameter).
    pub fn parse_skills(query: &SkillsQuery, uris: Vec<String>) -> Result<ListParams, ApiError> {
        let slugs: Option<Vec<String>> = query
            .slug
            .as_deref()
            .map(|raw| {
                raw.split(',')
                    .map(|s| match s.trim() {
                        "" => Err(ParamError::new("slug", "`slug` takes comma-separated slugs, none of them empty")),
                        s => Ok(s.to_owned()),
                    })
                    .collect()
            })
            .transpose()?;
        let ids = (slugs.is_some() || !uris.is_empty()).then(|| Ids { slugs: slugs.unwrap_or_default(), uris });
        if let Some(ids) = &ids {
            if ids.slugs.len() + ids.uris.len() > MAX_LIST_IDS {
                return Err(ParamError::new(
                    "slug",
                    format!(
                        "`slug` and `uri` may name at most {MAX_LIST_IDS} skills together; POST /skills/lookup takes up to 1000"
                    ),
                )
                .into());
            }
            if ids.uris.iter().any(String::is_empty) {
                return Err(ParamError::new("uri", "`uri` must not be empty").into());
            }
        }
        // With ids, every id asked for fits on the default page.
        let mut largest = itoa::Buffer::new();
        let limit = query.limit.as_deref().or(ids.as_ref().map(|_| largest.format(Limit::MAX)));
        let params = Self::from_parts(query.q.as_deref(), query.category.as_deref(), limit, query.offset.as_deref())?;
        let kind = query.kind.as_deref().map(|raw| SkillType::parse("type", raw)).transpose()?;
        let sort = query.sort.as_deref().map(SortParam::parse).transpose()?;
        if sort.is_some() && params.q.is_some() {
            return Err(ApiError::InvalidParameter {
                parameter: "sort",
                message: "`sort` does not combine with `q`: search results are ranked by relevance".into(),
            });
        }
        if ids.is_some() && params.q.is_some() {
            return Err(ApiError::InvalidParameter {
                parameter: "q",
                message: "`q` does not combine with `slug` or `uri`: ask for the ids, or search".into(),
            });
        }
        let fields = query.fields.as_deref().map(|raw| FieldSet::parse(raw, SKILL_FIELDS)).transpose()?;
        Ok(ListParams { kind, sort, fields, ids, ..params })
    }

    pub fn from_parts(
        q: Option<&str>,
        category: Option<&str>,
        limit: Option<&str>,
        offset: Option<&str>,
    ) -> Result<ListParams, ParamError> {
        let q = q.map(|raw| SearchText::parse("q", raw)).transpose()?;
        let page = Page::parse(limit, offset)?;
        // A search pages through a window of its best hits; a list pages through all its items.
        let page = if q.is_some() { page.within_search_window()? } else { page };
        Ok(ListParams {
            q,
            category: category.map(|raw| SlugList::parse("category", raw)).transpose()?,
            kind: None,
            page,
            sort: None,
            fields: None,
            ids: None,
        })
    }

    /// The canonical target of this request under `path` for `page` (parameters in a fixed
    /// order, categories sorted and lowercased): the cache key, and the target of `Link`
    /// relations. Written into one buffer: it is made on every request (slugs, numbers and type
    /// names are URL-safe as they are; only `q` needs encoding).
    pub fn target(&self, path: &str, page: Page) -> String {
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
        let mut pair = |name: &str, value: &str| {
            out.push_str(name);
            out.push('=');
            out.extend(form_urlencoded::byte_serialize(value.as_bytes()));
            out.push('&');
        };
        if let Some(ids) = &self.ids {
            if !ids.slugs.is_empty() {
                pair("slug", &ids.slugs.join(","));
            }
            for uri in &ids.uris {
                pair("uri", uri);
            }
        }
        if let Some(sort) = self.sort {
            pair("sort", SortParam::token_of(sort));
        }
        if let Some(fields) = &self.fields {
            pair("fields", &fields.canonical());
        }
        out.push_str("limit=");
        out.push_str(itoa::Buffer::new().format(page.limit.get()));
        out.push_str("&offset=");
        out.push_str(itoa::Buffer::new().format(page.offset.get()));
        out
    }

    /// The `Link` header of this page of `total` items under `path`.
    pub fn link(&self, path: &str, total: usize) -> Option<String> {
        let at = |page: Page| self.target(path, page);
        crate::response::link_header(self.page.next(total).map(at), self.page.prev(total).map(at))
    }

    pub fn cache_key(&self, path: &str) -> String {
        self.target(path, self.page)
    }
}
