//! Query parameters shared by the list endpoints, and the `Link` header of their pages.

use serde::Deserialize;
use utoipa::IntoParams;

use crate::domain::{Page, ParamError, SlugList};

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

/// [`ListQuery`], parsed.
#[derive(Debug, Clone)]
pub struct ListParams {
    pub category: Option<SlugList>,
    pub page: Page,
}

impl ListParams {
    pub fn parse(query: &ListQuery) -> Result<ListParams, ParamError> {
        Ok(ListParams {
            category: query.category.as_deref().map(|raw| SlugList::parse("category", raw)).transpose()?,
            page: Page::parse(query.limit.as_deref(), query.offset.as_deref())?,
        })
    }

    /// The canonical query string of this request at `offset` (parameters in a fixed order,
    /// categories sorted and lowercased): the cache key, and the target of `Link` relations.
    pub fn query_string(&self, offset: usize) -> String {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        if let Some(category) = &self.category {
            qs.append_pair("category", &category.canonical());
        }
        qs.append_pair("limit", &self.page.limit.get().to_string());
        qs.append_pair("offset", &offset.to_string());
        qs.finish()
    }

    /// The `Link` header of this page of `total` items under `path`.
    pub fn link(&self, path: &str, total: usize) -> Option<String> {
        let at = |offset: usize| format!("{path}?{}", self.query_string(offset));
        crate::response::link_header(self.page.next_offset(total).map(at), self.page.prev_offset(total).map(at))
    }

    pub fn cache_key(&self, path: &str) -> String {
        format!("{path}?{}", self.query_string(self.page.offset.get()))
    }
}
