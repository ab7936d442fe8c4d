//! Search and parameter input: every parser either refuses with its parameter's name or returns
//! a value; a search's words are never empty and its canonical form parses back to the same words.
#![no_main]

use libfuzzer_sys::fuzz_target;
use powerskills::domain::{FaqId, Limit, Offset, SearchText, Slug, SlugList};

fuzz_target!(|data: &[u8]| {
    let Ok(raw) = std::str::from_utf8(data) else { return };
    match SearchText::parse("q", raw) {
        Ok(text) => {
            assert!(text.words().iter().all(|w| !w.is_empty()));
            if !text.words().is_empty() {
                let again = SearchText::parse("q", &text.canonical()).expect("the canonical form is a query");
                assert_eq!(again.words(), text.words());
            }
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
