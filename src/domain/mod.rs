//! Typed values parsed from client input at the edge ("parse, don't validate"): once a handler
//! holds a [`Slug`], a [`Limit`] or a [`Page`], the rest of the code trusts it. Nothing here
//! knows about HTTP.

mod export;
mod pagination;
mod search;
mod skill_type;
mod slug;
pub mod text;

pub use export::ExportFormat;
pub use pagination::{Limit, Offset, Page, SEARCH_WINDOW};
pub use search::{ExtractText, SearchText};
pub use skill_type::SkillType;
pub use slug::{Slug, SlugList};

/// A client value that does not parse, naming the parameter it came in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParamError {
    pub parameter: &'static str,
    pub message: String,
}

impl ParamError {
    pub fn new(parameter: &'static str, message: impl Into<String>) -> Self {
        ParamError { parameter, message: message.into() }
    }
}

impl From<ParamError> for crate::error::ApiError {
    fn from(e: ParamError) -> Self {
        crate::error::ApiError::InvalidParameter { parameter: e.parameter, message: e.message }
    }
}

/// A FAQ entry's id: a positive integer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FaqId(u32);

impl FaqId {
    pub fn parse(raw: &str) -> Result<FaqId, ParamError> {
        match raw.parse::<u32>() {
            Ok(n) if n >= 1 => Ok(FaqId(n)),
            _ => Err(ParamError::new("id", format!("`id` must be a positive integer, not `{}`", truncate(raw)))),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }
}

/// Client input echoed in an error message is cut short, so a huge parameter cannot make a huge
/// error body.
pub(crate) fn truncate(raw: &str) -> String {
    const MAX: usize = 64;
    match raw.char_indices().nth(MAX) {
        Some((end, _)) => format!("{}…", &raw[..end]),
        None => raw.to_owned(),
    }
}

#[cfg(test)]
mod proptests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faq_id_accepts_positive_integers_only() {
        assert_eq!(FaqId::parse("5").unwrap().get(), 5);
        assert_eq!(FaqId::parse("0").unwrap_err().parameter, "id");
        assert!(FaqId::parse("-1").is_err());
        assert!(FaqId::parse("1.5").is_err());
        assert!(FaqId::parse("99999999999").is_err());
    }

    #[test]
    fn truncate_cuts_on_char_boundaries() {
        let long = "é".repeat(100);
        assert_eq!(truncate(&long).chars().count(), 65);
        assert_eq!(truncate("short"), "short");
    }
}
