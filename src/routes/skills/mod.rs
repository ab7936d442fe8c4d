//! `/skills`: the catalog's skills, their search, autocomplete and extraction from text.

mod autocomplete;
mod detail;
mod export;
pub mod extract;
mod ids_json;
pub mod json;
mod list;
mod lookup;

pub(crate) use list::round;

use utoipa_actix_web::service_config::ServiceConfig;

pub fn configure(cfg: &mut ServiceConfig) {
    // Fixed paths before `/skills/{slug}`, which would otherwise take them.
    cfg.service(list::list_skills)
        .service(autocomplete::autocomplete_skills)
        .service(extract::extract_skills)
        .service(export::export_skills)
        .service(lookup::get_skill_by_uri)
        .service(lookup::lookup_skills)
        .service(detail::get_skill);
}
