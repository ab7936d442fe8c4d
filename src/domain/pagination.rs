//! `limit` and `offset`: the pagination every list endpoint shares.

use super::{ParamError, truncate};

/// How many items a page holds: 1–100, default 50.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Limit(u32);

impl Limit {
    pub const MIN: u32 = 1;
    pub const MAX: u32 = 100;
    pub const DEFAULT: Limit = Limit(50);

    pub fn parse(raw: Option<&str>) -> Result<Limit, ParamError> {
        let Some(raw) = raw else { return Ok(Self::DEFAULT) };
        match raw.parse::<u32>() {
            Ok(n) if (Self::MIN..=Self::MAX).contains(&n) => Ok(Limit(n)),
            _ => Err(ParamError::new(
                "limit",
                format!("`limit` must be an integer from {} to {}, not `{}`", Self::MIN, Self::MAX, truncate(raw)),
            )),
        }
    }

    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// How many items to skip: 0 to 2,147,483,647 (fits every client's integer type), default 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Offset(u32);

impl Offset {
    pub const MAX: u32 = i32::MAX as u32;

    pub fn parse(raw: Option<&str>) -> Result<Offset, ParamError> {
        let Some(raw) = raw else { return Ok(Offset(0)) };
        match raw.parse::<u32>() {
            Ok(n) if n <= Self::MAX => Ok(Offset(n)),
            _ => Err(ParamError::new(
                "offset",
                format!("`offset` must be an integer from 0 to {}, not `{}`", Self::MAX, truncate(raw)),
            )),
        }
    }

    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// A page of a list: which slice of `total` items to return.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Page {
    pub limit: Limit,
    pub offset: Offset,
}

impl Page {
    pub fn parse(limit: Option<&str>, offset: Option<&str>) -> Result<Page, ParamError> {
        Ok(Page { limit: Limit::parse(limit)?, offset: Offset::parse(offset)? })
    }

    /// The index range of this page within `total` items.
    pub fn range(&self, total: usize) -> std::ops::Range<usize> {
        let start = self.offset.get().min(total);
        let end = start.saturating_add(self.limit.get()).min(total);
        start..end
    }

    /// The offset of the next page, if there are items after this one.
    pub fn next_offset(&self, total: usize) -> Option<usize> {
        let next = self.offset.get().saturating_add(self.limit.get());
        (next < total).then_some(next)
    }

    /// The offset of the previous page, if this page does not start at 0.
    pub fn prev_offset(&self, total: usize) -> Option<usize> {
        if self.offset.get() == 0 {
            return None;
        }
        // From past the end, "prev" is the last page that has items.
        let from = self.offset.get().min(total);
        Some(from.saturating_sub(self.limit.get()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_bounds() {
        assert_eq!(Limit::parse(None).unwrap().get(), 50);
        assert_eq!(Limit::parse(Some("1")).unwrap().get(), 1);
        assert_eq!(Limit::parse(Some("100")).unwrap().get(), 100);
        for bad in ["0", "101", "-1", "abc", "", "1e2", "4294967296"] {
            assert_eq!(Limit::parse(Some(bad)).unwrap_err().parameter, "limit", "{bad}");
        }
    }

    #[test]
    fn offset_bounds() {
        assert_eq!(Offset::parse(None).unwrap().get(), 0);
        assert_eq!(Offset::parse(Some("2147483647")).unwrap().get(), 2147483647);
        for bad in ["-1", "2147483648", "x"] {
            assert_eq!(Offset::parse(Some(bad)).unwrap_err().parameter, "offset", "{bad}");
        }
    }

    #[test]
    fn page_links() {
        let page = Page::parse(Some("3"), Some("3")).unwrap();
        assert_eq!(page.range(8), 3..6);
        assert_eq!(page.next_offset(8), Some(6));
        assert_eq!(page.prev_offset(8), Some(0));
        let last = Page::parse(Some("3"), Some("6")).unwrap();
        assert_eq!(last.range(8), 6..8);
        assert_eq!(last.next_offset(8), None);
        let past = Page::parse(Some("3"), Some("20")).unwrap();
        assert_eq!(past.range(8), 8..8);
        assert_eq!(past.prev_offset(8), Some(5));
        assert_eq!(Page::parse(None, Some(&u32::MAX.to_string())).ok(), None);
    }
}
