//! The one text analyzer of the service: the search index, the queries, autocomplete and
//! extraction all turn text into terms here, so a word matches the same way everywhere.
//!
//! A text is split into **tokens**: maximal runs of letters and digits (everything else
//! separates), each with its code point and byte span in the original text. A token's
//! **surface** is its folded form (lowercase, common Latin diacritics removed, see
//! [`crate::domain::text::fold`]). Its **term** is the surface with American spellings mapped to
//! the British ones ESCO writes ([`super::spelling`]) and then stemmed with the Snowball English
//! (Porter 2) stemmer, so "negotiating" and "negotiate", "organize" and "organise" share a term.

use rust_stemmers::{Algorithm, Stemmer};

use crate::domain::text::strip_diacritic;

/// One word of a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The folded word.
    pub surface: String,
    /// Code point offsets in the text: `start..end`.
    pub start: usize,
    pub end: usize,
    /// Byte offsets in the text.
    pub byte_start: usize,
    pub byte_end: usize,
}

/// The tokens of `text`, in order.
pub fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    each_token(text, |surface, start, end, byte_start, byte_end| {
        out.push(Token { surface: surface.to_owned(), start, end, byte_start, byte_end });
    });
    out
}

/// Calls `f(surface, start, end, byte_start, byte_end)` for every token of `text`, folding
/// into one reused buffer (indexing a catalog folds about a million words).
pub fn each_token(text: &str, mut f: impl FnMut(&str, usize, usize, usize, usize)) {
    let mut buf = String::new();
    let mut start: Option<(usize, usize)> = None; // (char start, byte start)
    let mut chars = 0usize;
    for (byte, c) in text.char_indices() {
        if c.is_alphanumeric() {
            if start.is_none() {
                start = Some((chars, byte));
                buf.clear();
            }
            fold_into(&mut buf, c);
        } else if let Some((s, b)) = start.take()
            && !buf.is_empty()
        {
            f(&buf, s, chars, b, byte);
        }
        chars += 1;
    }
    if let Some((s, b)) = start
        && !buf.is_empty()
    {
        f(&buf, s, chars, b, text.len());
    }
}

/// Appends the folded form of `c` (see [`crate::domain::text::fold`]); lowercasing can add a
/// combining mark ("İ" becomes "i" + U+0307), which is no letter and is dropped.
fn fold_into(buf: &mut String, c: char) {
    if c.is_ascii() {
        buf.push(c.to_ascii_lowercase());
        return;
    }
    for l in c.to_lowercase() {
        let l = strip_diacritic(l);
        if l.is_alphanumeric() {
            buf.push(l);
        }
    }
}

/// Turns folded words into terms. Cheap to create; not shared between threads because the
/// stemmer holds no state worth sharing.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer { stemmer: Stemmer::create(Algorithm::English) }
    }
}

impl Analyzer {
    /// The term of a folded word (see the module docs).
    pub fn term(&self, surface: &str) -> String {
        self.with_term(surface, str::to_owned)
    }

    /// `f` of the term of a folded word, without copying it when it is the word itself (a
    /// lookup: extraction reads the term of every distinct word of up to 32 KiB of text).
    pub fn with_term<T>(&self, surface: &str, f: impl FnOnce(&str) -> T) -> T {
        let british = super::spelling::british(surface);
        let word = british.as_deref().unwrap_or(surface);
        // Digits and very short words are not stemmed ("r", "c", "3d", "ios" stay as they are).
        if word.len() <= 3 || word.bytes().any(|b| b.is_ascii_digit()) {
            return f(word);
        }
        f(&self.stemmer.stem(word))
    }

    /// The terms of a text's words, in order.
    pub fn terms(&self, text: &str) -> Vec<String> {
        tokens(text).into_iter().map(|t| self.term(&t.surface)).collect()
    }
}

/// Words that say little about which skill is meant: they never make a document a hit on their
/// own, and they are the first to be dropped from a query.
pub fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "and"
            | "are"
            | "as"
            | "at"
            | "be"
            | "by"
            | "for"
            | "from"
            | "in"
            | "into"
            | "is"
            | "of"
            | "on"
            | "or"
            | "our"
            | "the"
            | "to"
            | "us"
            | "we"
            | "will"
            | "with"
            | "you"
            | "your"
    )
}

/// Words that frame a skill in job adverts and CVs ("strong", "skills", "experience with"...).
/// `next` is the following query word, for the framings that are phrases ("knowledge of").
pub fn is_framing_word(w: &str, next: Option<&str>) -> bool {
    let followed_by = |words: &[&str]| next.is_some_and(|n| words.contains(&n));
    match w {
        "skills" | "skill" | "skilled" | "excellent" | "strong" | "good" | "solid" | "proven" | "demonstrated"
        | "extensive" | "outstanding" | "exceptional" | "great" | "proficient" | "proficiency" | "expertise"
        | "expert" | "experienced" | "familiarity" | "familiar" | "ability" | "able" | "capable" | "required"
        | "requirement" | "requirements" | "must" | "preferred" | "plus" | "years" | "year" | "hands" => true,
        "experience" => next.is_none_or(|n| matches!(n, "with" | "in" | "of" | "using" | "on")),
        "knowledge" => followed_by(&["of", "in", "on", "about"]),
        "understanding" | "background" | "competence" | "fluency" | "fluent" => followed_by(&["of", "in", "with"]),
        "working" => followed_by(&["knowledge", "experience"]),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_carry_code_point_and_byte_spans() {
        let t = tokens("Café-CRÈME, İx");
        let surfaces: Vec<&str> = t.iter().map(|t| t.surface.as_str()).collect();
        assert_eq!(surfaces, ["cafe", "creme", "ix"]);
        assert_eq!((t[0].start, t[0].end, t[1].start, t[1].end), (0, 4, 5, 10));
        assert_eq!(&"Café-CRÈME, İx"[t[1].byte_start..t[1].byte_end], "CRÈME");
    }

    #[test]
    fn inflections_and_spellings_share_a_term() {
        let a = Analyzer::default();
        assert_eq!(a.term("negotiating"), a.term("negotiate"));
        assert_eq!(a.term("organize"), a.term("organise"));
        assert_eq!(a.term("organizing"), a.term("organise"));
        assert_eq!(a.term("services"), a.term("service"));
        assert_eq!(a.term("color"), a.term("colour"));
        assert_eq!(a.term("r"), "r");
        assert_eq!(a.term("3d"), "3d");
    }

    #[test]
    fn framing_words() {
        assert!(is_framing_word("knowledge", Some("of")));
        assert!(!is_framing_word("knowledge", Some("management")));
        assert!(is_framing_word("experience", Some("with")));
        assert!(is_framing_word("strong", Some("sql")));
        assert!(!is_framing_word("sql", None));
    }
}
