//! Query strings as `GET /skills` receives them: the repeatable ids split off, the rest
//! deserialized, then the typed parameters (as `routes::skills::list` does). No panic; an
//! accepted query's canonical form (its cache key) parses back to the same request.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powerskills::routes::params::{self, ListParams, SkillsQuery};

fn parse(raw: &str) -> Option<ListParams> {
    let (uris, rest) = params::take_repeated(raw, "uri");
    let query = params::query_from::<SkillsQuery>(&rest).ok()?;
    ListParams::parse_skills(&query, uris).ok()
}

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    let Some(params) = parse(raw) else { return };
    let canonical = params.cache_key("/skills");
    let query = canonical.strip_prefix("/skills?").expect("the key is a /skills target");
    let again = parse(query).expect("the canonical query is valid");
    assert_eq!(again.cache_key("/skills"), canonical);
});
