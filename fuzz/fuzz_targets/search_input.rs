//! Search and parameter input: every parser either refuses with its parameter's name or returns
//! a value; a search's FTS5 query is only ever quoted words.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powerskills::domain::{FaqId, Limit, Offset, SearchText, Slug, SlugList};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    match SearchText::parse("q", raw) {
        Ok(text) => {
            let query = text.fts_query();
            let expected: Vec<String> = text.words().iter().map(|w| format!("\"{w}\"")).collect();
            assert_eq!(query, expected.join(" "));
            assert!(text.words().iter().all(|w| !w.is_empty() && w.chars().all(char::is_alphanumeric)));
        }
        Err(e) => assert_eq!(e.parameter, "q"),
    }
    if let Err(e) = Slug::parse("slug", raw) {
        assert_eq!(e.parameter, "slug");
    }
    if let Err(e) = SlugList::parse("category", raw) {
        assert_eq!(e.parameter, "category");
    }
    if let Err(e) = Limit::parse(Some(raw)) {
        assert_eq!(e.parameter, "limit");
    }
    if let Err(e) = Offset::parse(Some(raw)) {
        assert_eq!(e.parameter, "offset");
    }
    if let Err(e) = FaqId::parse(raw) {
        assert_eq!(e.parameter, "id");
    }
});
