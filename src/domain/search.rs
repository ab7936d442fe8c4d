//! Search and extraction input: text from a client, which is never query syntax.

use super::ParamError;
use super::text::words;

/// A search query: the words of the client's text (letters and digits; everything else, query
/// operators included, separates words), folded to lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SearchText {
    words: Vec<String>,
}

impl SearchText {
    /// The longest query accepted, in characters.
    pub const MAX_CHARS: usize = 200;
    /// The canonical form of a query with no word.
    pub const NO_WORDS: &str = "*";
    /// The most words of a query that are searched; the rest are ignored.
    pub const MAX_WORDS: usize = 16;

    /// Any text of 1–200 characters is a query. Its first 16 words are searched; a text with no
    /// letter or digit has no word and finds nothing (it is not an error: every string the API
    /// documents as valid is answered 200).
    pub fn parse(parameter: &'static str, raw: &str) -> Result<SearchText, ParamError> {
        if raw.is_empty() {
            return Err(ParamError::new(parameter, format!("`{parameter}` must not be empty")));
        }
        if raw.chars().count() > Self::MAX_CHARS {
            return Err(ParamError::new(
                parameter,
                format!("`{parameter}` may be at most {} characters long", Self::MAX_CHARS),
            ));
        }
        Ok(SearchText { words: words(raw).take(Self::MAX_WORDS).collect() })
    }

    pub fn from_words(words: Vec<String>) -> SearchText {
        SearchText { words }
    }

    pub fn words(&self) -> &[String] {
        &self.words
    }

    /// The canonical text: the words, space-separated; `*` for a query with no word (it must
    /// still be a valid `q` in cache keys and `Link` targets, and finds nothing either way).
    pub fn canonical(&self) -> String {
        if self.words.is_empty() { Self::NO_WORDS.to_owned() } else { self.words.join(" ") }
    }
}

/// Text to extract skills from: non-empty UTF-8 within the size limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractText(String);

impl ExtractText {
    /// The largest text accepted, in bytes (32 KiB): three times a long job advert (2–10 KB)
    /// or CV, and the cost bound of an extraction (its cost grows with the text's distinct
    /// words; at 100 KiB a text of misspelt words cost 8–14 ms of CPU, RELIABILITY.md "Cost
    /// bound"). A longer document is sent in parts.
    pub const MAX_BYTES: usize = 32 * 1024;

    pub fn parse(text: String) -> Result<ExtractText, ParamError> {
        if text.len() > Self::MAX_BYTES {
            return Err(ParamError::new("text", format!("`text` may be at most {} bytes", Self::MAX_BYTES)));
        }
        // Empty means no character at all: whitespace-only text is text (with no skill in it).
        // "Blank" has no definition that every client's regex engine shares (U+0085, U+001C...).
        if text.is_empty() {
            return Err(ParamError::new("text", "`text` is empty"));
        }
        Ok(ExtractText(text))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_syntax_is_only_text() {
        let q = SearchText::parse("q", r#"NEAR("machine" AND learn*) OR ^x"#).unwrap();
        assert_eq!(q.words(), ["near", "machine", "and", "learn", "or", "x"]);
    }

    #[test]
    fn empty_and_long_queries_are_rejected_symbolic_ones_have_no_words() {
        assert_eq!(SearchText::parse("q", "").unwrap_err().parameter, "q");
        assert_eq!(SearchText::parse("q", &"a".repeat(201)).unwrap_err().parameter, "q");
        for symbolic in ["   ", "\"", "***", "😀", "()"] {
            assert_eq!(SearchText::parse("q", symbolic).unwrap().words(), [] as [&str; 0], "{symbolic:?}");
        }
        assert_eq!(SearchText::parse("q", &"a ".repeat(17)).unwrap().words().len(), 16);
        assert_eq!(SearchText::parse("q", "x").unwrap().words(), ["x"]);
    }

    #[test]
    fn a_query_with_no_word_has_a_canonical_form_that_parses() {
        // The fuzzer's crash input (fuzz/regressions/query_string/): `q=\x10\0\0\0`.
        let q = SearchText::parse("q", "\u{10}\0\0\0").unwrap();
        assert_eq!(q.canonical(), "*");
        assert_eq!(SearchText::parse("q", &q.canonical()).unwrap(), q);
    }

    #[test]
    fn extract_text_limits() {
        assert!(ExtractText::parse(String::new()).is_err());
        assert_eq!(ExtractText::parse(" \n".into()).unwrap().as_str(), " \n");
        assert!(ExtractText::parse("a".repeat(100 * 1024 + 1)).is_err());
        assert!(ExtractText::parse("SEO".into()).is_ok());
    }
}
