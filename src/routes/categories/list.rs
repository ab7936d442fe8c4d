//! `GET /categories`'s parameters and answer: every category, or those with some source codes,
//! in catalog or name order, whole or sparse.

use super::json::{CategoryList, CategorySummary};
use crate::catalog::order::Order;
use crate::catalog::{Catalog, CategoryIx};
use crate::error::ApiError;
use crate::response::CachedResponse;
use crate::routes::fields::{CATEGORY_FIELDS, FieldSet, SparseCategoryList};
use crate::routes::params::{CategoriesQuery, MAX_LIST_IDS, SortParam};
use crate::routes::query_string;

/// The parameters, parsed.
#[derive(Debug)]
pub struct CategoryParams {
    /// `code`, in the order asked; `None` when not given.
    codes: Option<Vec<String>>,
    sort: Option<Order>,
    fields: Option<FieldSet>,
}

impl CategoryParams {
    pub fn parse(qs: &str) -> Result<CategoryParams, ApiError> {
        let (codes, rest) = query_string::take_repeated(qs, "code");
        let query = query_string::query_from::<CategoriesQuery>(&rest)?;
        if codes.len() > MAX_LIST_IDS {
            return Err(ApiError::InvalidParameter {
                parameter: "code",
                message: format!("`code` may be repeated at most {MAX_LIST_IDS} times"),
            });
        }
        Ok(CategoryParams {
            codes: (!codes.is_empty()).then_some(codes),
            sort: query.sort.as_deref().map(SortParam::parse).transpose()?,
            fields: query.fields.as_deref().map(|raw| FieldSet::parse(raw, CATEGORY_FIELDS)).transpose()?,
        })
    }

    /// The canonical form of the request: its cache key.
    pub fn cache_key(&self) -> String {
        let mut qs = form_urlencoded::Serializer::new(String::new());
        for code in self.codes.iter().flatten() {
            qs.append_pair("code", code);
        }
        if let Some(sort) = self.sort {
            qs.append_pair("sort", SortParam::token_of(sort));
        }
        if let Some(fields) = &self.fields {
            qs.append_pair("fields", &fields.canonical());
        }
        format!("/categories?{}", qs.finish())
    }
}

/// The categories asked for, in order.
fn chosen(catalog: &Catalog, params: &CategoryParams) -> Vec<CategoryIx> {
    match &params.codes {
        Some(codes) => {
            let mut found: Vec<CategoryIx> = Vec::with_capacity(codes.len());
            for ix in codes.iter().filter_map(|code| catalog.lookup.category_by_code(code)) {
                if !found.contains(&ix) {
                    found.push(ix);
                }
            }
            if let Some(order) = params.sort {
                catalog.orders.categories.sort(&mut found, order);
            }
            found
        }
        None => catalog.orders.categories.all(params.sort.unwrap_or_default()).into_owned(),
    }
}

pub fn answer(catalog: &Catalog, params: &CategoryParams) -> CachedResponse {
    let data: Vec<_> = chosen(catalog, params).into_iter().map(|ix| CategorySummary::new(catalog, ix)).collect();
    let list = CategoryList { total: data.len(), data };
    match &params.fields {
        Some(fields) => CachedResponse::json(&SparseCategoryList::new(list, fields)),
        None => CachedResponse::json(&list),
    }
}
