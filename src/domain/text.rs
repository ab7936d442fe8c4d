//! Text normalization shared by search, autocomplete and extraction.

/// Lowercase with the common Latin diacritics removed, as the full-text index (`unicode61
/// remove_diacritics 2`) folds its tokens.
pub fn fold(s: &str) -> String {
    s.chars().flat_map(char::to_lowercase).map(strip_diacritic).collect()
}

/// The words of `s`: maximal runs of letters and digits, folded.
pub fn words(s: &str) -> impl Iterator<Item = String> + '_ {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        // Lowercasing can add a combining mark ("İ" becomes "i" + U+0307), which is no letter:
        // drop it, as the full-text index's tokenizer (remove_diacritics) does. Found by fuzzing.
        .map(|w| fold(w).chars().filter(|c| c.is_alphanumeric()).collect::<String>())
        .filter(|w| !w.is_empty())
}

pub fn strip_diacritic(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ğ' => 'g',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ł' | 'ľ' => 'l',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        _ => c,
    }
}

/// Words too common to say anything about how two skills relate.
pub fn is_stop_word(w: &str) -> bool {
    matches!(
        w,
        "a" | "an"
            | "and"
            | "as"
            | "at"
            | "by"
            | "for"
            | "from"
            | "in"
            | "into"
            | "of"
            | "on"
            | "or"
            | "the"
            | "to"
            | "with"
            | "use"
            | "using"
    )
}

/// The edit distance between `a` and `b` if it is at most `max`.
pub fn bounded_levenshtein(a: &[char], b: &[char], max: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (prev[b.len()] <= max).then_some(prev[b.len()])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_and_words() {
        assert_eq!(fold("Café CRÈME"), "cafe creme");
        assert_eq!(words("E-commerce (NLP), ML!").collect::<Vec<_>>(), ["e", "commerce", "nlp", "ml"]);
        // The fuzzer's crash input (fuzz/regressions/search_input/): "İ" lowercases to two chars.
        assert_eq!(words("0000000000030İ0").collect::<Vec<_>>(), ["0000000000030i0"]);
        assert_eq!(words("İstanbul").collect::<Vec<_>>(), ["istanbul"]);
    }

    #[test]
    fn levenshtein_is_bounded() {
        let c = |s: &str| s.chars().collect::<Vec<_>>();
        assert_eq!(bounded_levenshtein(&c("machne"), &c("machine"), 2), Some(1));
        assert_eq!(bounded_levenshtein(&c("blokchain"), &c("blockchain"), 2), Some(1));
        assert_eq!(bounded_levenshtein(&c("kitten"), &c("sitting"), 2), None);
        assert_eq!(bounded_levenshtein(&c("kitten"), &c("sitting"), 3), Some(3));
    }
}
