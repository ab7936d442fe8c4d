//! Slugs: the lowercase, hyphenated keys of categories and skills.

use super::{ParamError, truncate};

/// The longest slug accepted anywhere.
pub const MAX_SLUG_LEN: usize = 100;

/// A slug: 1–100 characters of `a-z`, `0-9` and single inner hyphens. Parsing lowercases, so
/// `AI` and `ai` name the same category.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Slug(String);

impl Slug {
    pub fn parse(parameter: &'static str, raw: &str) -> Result<Slug, ParamError> {
        if is_slug(raw.as_bytes()) {
            Ok(Slug(raw.to_ascii_lowercase()))
        } else {
            Err(ParamError::new(
                parameter,
                format!(
                    "`{parameter}` must be a slug (letters, digits and single hyphens, at most {MAX_SLUG_LEN} characters), not `{}`",
                    truncate(raw)
                ),
            ))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Makes a slug out of any label: lowercase ASCII words joined by hyphens.
    pub fn from_label(label: &str) -> Option<Slug> {
        let mut out = String::with_capacity(label.len());
        for c in label.chars().flat_map(char::to_lowercase) {
            let c = deunicode_char(c);
            if c.is_ascii_alphanumeric() {
                out.push(c);
            } else if !out.is_empty() && !out.ends_with('-') {
                out.push('-');
            }
        }
        while out.ends_with('-') {
            out.pop();
        }
        if out.len() > MAX_SLUG_LEN {
            out.truncate(MAX_SLUG_LEN);
            while out.ends_with('-') {
                out.pop();
            }
        }
        (!out.is_empty()).then_some(Slug(out))
    }
}

/// Whether `raw` is a slug in any case: 1–[`MAX_SLUG_LEN`] ASCII letters, digits and single
/// inner hyphens. One pass over the bytes: every list and detail request parses one.
fn is_slug(raw: &[u8]) -> bool {
    let (Some(&first), Some(&last)) = (raw.first(), raw.last()) else {
        return false;
    };
    let mut hyphen_before = false;
    raw.len() <= MAX_SLUG_LEN
        && first != b'-'
        && last != b'-'
        && raw.iter().all(|&b| {
            let hyphen = b == b'-';
            let fine = b.is_ascii_alphanumeric() || (hyphen && !hyphen_before);
            hyphen_before = hyphen;
            fine
        })
}

/// The few non-ASCII letters a label may carry, folded to ASCII for its slug.
fn deunicode_char(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
        'ç' => 'c',
        'è' | 'é' | 'ê' | 'ë' => 'e',
        'ì' | 'í' | 'î' | 'ï' => 'i',
        'ñ' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => 'o',
        'ù' | 'ú' | 'û' | 'ü' => 'u',
        'ý' | 'ÿ' => 'y',
        _ => c,
    }
}

impl std::fmt::Display for Slug {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A comma-separated list of slugs (`category=ai,blockchain`), deduplicated and sorted so that
/// the same set of slugs always has the same canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SlugList(Vec<Slug>);

impl SlugList {
    /// At most this many slugs in one list.
    pub const MAX_ITEMS: usize = 50;

    pub fn parse(parameter: &'static str, raw: &str) -> Result<SlugList, ParamError> {
        let mut slugs = Vec::with_capacity(1);
        for item in raw.split(',') {
            slugs.push(Slug::parse(parameter, item)?);
        }
        if slugs.len() > Self::MAX_ITEMS {
            return Err(ParamError::new(parameter, format!("`{parameter}` takes at most {} slugs", Self::MAX_ITEMS)));
        }
        slugs.sort();
        slugs.dedup();
        Ok(SlugList(slugs))
    }

    pub fn iter(&self) -> impl Iterator<Item = &Slug> {
        self.0.iter()
    }

    /// The canonical form: sorted, deduplicated, comma-joined.
    pub fn canonical(&self) -> String {
        let mut out = String::new();
        for (i, s) in self.0.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(s.as_str());
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercased_and_checked() {
        assert_eq!(Slug::parse("category", "AI").unwrap().as_str(), "ai");
        assert_eq!(Slug::parse("category", "Data-Science-2").unwrap().as_str(), "data-science-2");
        assert_eq!(Slug::parse("category", &"a".repeat(100)).unwrap().as_str().len(), 100);
        assert_eq!(Slug::parse("category", "x").unwrap().as_str(), "x");
        assert!(Slug::parse("category", " seo").is_err());
        for bad in ["", "-", "-ai", "ai-", "a--i", "a---i", "a_i", "ai!", "é", "aé", &"a".repeat(101)] {
            let err = Slug::parse("category", bad).unwrap_err();
            assert_eq!(err.parameter, "category", "{bad:?}");
        }
    }

    #[test]
    fn slug_lists_are_canonical() {
        let list = SlugList::parse("category", "blockchain,AI,ai").unwrap();
        assert_eq!(list.canonical(), "ai,blockchain");
        assert!(SlugList::parse("category", "ai,,blockchain").is_err());
        assert!(SlugList::parse("category", "").is_err());
    }

    #[test]
    fn labels_become_slugs() {
        assert_eq!(
            Slug::from_label("Search Engine Optimization (SEO)").unwrap().as_str(),
            "search-engine-optimization-seo"
        );
        assert_eq!(Slug::from_label("manage musical staff").unwrap().as_str(), "manage-musical-staff");
        assert_eq!(Slug::from_label("C++").unwrap().as_str(), "c");
        assert_eq!(Slug::from_label("Café déjà vu").unwrap().as_str(), "cafe-deja-vu");
        assert!(Slug::from_label("!!!").is_none());
    }
}
