//! Property tests of everything that parses client input: any string either parses into a value
//! that round-trips, or is refused with an error naming its parameter; nothing panics.

use proptest::prelude::*;

use super::*;

/// Strings a client could send: any Unicode, plus the characters these parsers care about.
fn client_text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), "[a-zA-Z0-9,\\- \"*()^]{0,120}", "\\PC{0,250}", "[0-9İıǅĲßΣς\u{10}\0 ]{0,20}"]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn slugs_parse_or_name_their_parameter(raw in client_text()) {
        match Slug::parse("slug", &raw) {
            Ok(slug) => {
                prop_assert_eq!(slug.as_str(), raw.to_ascii_lowercase());
                prop_assert_eq!(Slug::parse("slug", slug.as_str()).unwrap(), slug);
            }
            Err(e) => prop_assert_eq!(e.parameter, "slug"),
        }
    }

    #[test]
    fn well_formed_slugs_are_accepted(raw in "[a-z0-9]{1,10}(-[a-z0-9]{1,10}){0,8}") {
        let slug = Slug::parse("slug", &raw).unwrap();
        prop_assert_eq!(slug.as_str(), raw.as_str());
    }

    #[test]
    fn labels_always_make_valid_slugs(label in any::<String>()) {
        if let Some(slug) = Slug::from_label(&label) {
            prop_assert_eq!(Slug::parse("slug", slug.as_str()).unwrap(), slug);
        }
    }

    #[test]
    fn slug_lists_parse_to_a_canonical_form(raw in client_text()) {
        match SlugList::parse("category", &raw) {
            Ok(list) => {
                let canonical = list.canonical();
                let again = SlugList::parse("category", &canonical).unwrap();
                prop_assert_eq!(again.canonical(), canonical);
                prop_assert!(list.iter().count() <= SlugList::MAX_ITEMS);
            }
            Err(e) => prop_assert_eq!(e.parameter, "category"),
        }
    }

    #[test]
    fn limits_offsets_and_pages(
        limit in client_text(), offset in client_text(), digits in "[+0-9]{1,12}", n in any::<u64>(), total in 0usize..10_000
    ) {
        // Accepted values are the integer the text spells ("+5" and "05" are 5) and re-parse to
        // themselves; every other text names its parameter.
        for raw in [limit, digits.clone(), n.to_string()] {
            match Limit::parse(Some(&raw)) {
                Ok(l) => {
                    prop_assert_eq!(Some(l.get() as u64), raw.parse::<u64>().ok());
                    prop_assert_eq!(Limit::parse(Some(&l.get().to_string())).unwrap(), l);
                }
                Err(e) => prop_assert_eq!(e.parameter, "limit"),
            }
        }
        for raw in [offset, digits, n.to_string()] {
            match Offset::parse(Some(&raw)) {
                Ok(o) => {
                    prop_assert_eq!(Some(o.get() as u64), raw.parse::<u64>().ok());
                    prop_assert_eq!(Offset::parse(Some(&o.get().to_string())).unwrap(), o);
                }
                Err(e) => prop_assert_eq!(e.parameter, "offset"),
            }
        }
        if let Ok(page) = Page::parse(Some(&(n % 100 + 1).to_string()), Some(&(n % 5000).to_string())) {
            let range = page.range(total);
            prop_assert!(range.start <= range.end && range.end <= total);
            prop_assert!(range.len() <= page.limit.get());
            if let Some(next) = page.next_offset(total) { prop_assert!(next < total); }
            if let Some(prev) = page.prev_offset(total) { prop_assert!(prev < page.offset.get()); }
        }
    }

    #[test]
    fn faq_ids(raw in client_text(), n in any::<u32>()) {
        for raw in [raw, n.to_string()] {
            match FaqId::parse(&raw) {
                Ok(id) => prop_assert_eq!(Some(id.get()), raw.parse::<u32>().ok()),
                Err(e) => prop_assert_eq!(e.parameter, "id"),
            }
        }
    }

    #[test]
    fn search_text_is_only_ever_words(raw in client_text()) {
        match SearchText::parse("q", &raw) {
            Ok(text) => {
                prop_assert!(text.words().len() <= SearchText::MAX_WORDS);
                // Every word is letters and digits: never an operator, never a stray quote.
                for word in text.words() {
                    prop_assert!(!word.is_empty() && word.chars().all(char::is_alphanumeric), "{word:?}");
                }
                // The canonical text parses to the same words.
                prop_assert_eq!(SearchText::parse("q", &text.canonical()).unwrap(), text);
            }
            Err(e) => {
                prop_assert_eq!(e.parameter, "q");
                prop_assert!(raw.is_empty() || raw.chars().count() > SearchText::MAX_CHARS);
            }
        }
    }

    #[test]
    fn extract_text(raw in client_text()) {
        match ExtractText::parse(raw.clone()) {
            Ok(text) => prop_assert_eq!(text.as_str(), raw.as_str()),
            Err(e) => {
                prop_assert_eq!(e.parameter, "text");
                prop_assert!(raw.is_empty());
            }
        }
    }
}
