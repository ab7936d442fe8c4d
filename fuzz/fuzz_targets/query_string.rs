//! Query strings as `GET /skills` receives them: actix's `Query` extractor, then the typed
//! parameters. No panic; an accepted query's canonical form parses back to the same request.
#![no_main]

use actix_web::web::Query;
use libfuzzer_sys::fuzz_target;
use powerskills::routes::params::{ListParams, SkillsQuery};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let Ok(query) = Query::<SkillsQuery>::from_query(raw) else { return };
    let Ok(params) = ListParams::parse_skills(&query) else { return };
    let canonical = params.query_string(params.page.offset.get());
    let again = Query::<SkillsQuery>::from_query(&canonical).expect("the canonical query parses");
    let again = ListParams::parse_skills(&again).expect("the canonical query is valid");
    assert_eq!(again.query_string(again.page.offset.get()), canonical);
});
