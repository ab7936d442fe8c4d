//! `limit` and `offset`: the pagination every list endpoint shares, and the window a search
//! pages through.

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
    /// Where the pages end, whatever `total` is: [`SEARCH_WINDOW`] for a search (see
    /// [`Page::within_search_window`]), none for a list.
    window: Option<u32>,
}

/// How deep a search pages: a page of hits must end within the first 1,000 (`offset + limit`
/// at most this), as Meilisearch's `maxTotalHits` and Elasticsearch's `max_result_window` bound
/// theirs. Ranking a page costs in proportion to its end, so this bounds the costliest search;
/// `total` still counts every hit, so a client can say "1,234 results, refine your query".
pub const SEARCH_WINDOW: u32 = 1_000;

impl Page {
    pub fn parse(limit: Option<&str>, offset: Option<&str>) -> Result<Page, ParamError> {
        Ok(Page { limit: Limit::parse(limit)?, offset: Offset::parse(offset)?, window: None })
    }

    /// This page as a page of search hits: one that ends within the first [`SEARCH_WINDOW`]
    /// hits, else a 400 naming `offset` and the window. Its `next` page is cut at the window.
    pub fn within_search_window(self) -> Result<Page, ParamError> {
        let end = u64::from(self.offset.0) + u64::from(self.limit.0);
        if end > u64::from(SEARCH_WINDOW) {
            return Err(ParamError::new(
                "offset",
                format!(
                    "a search pages through its first {SEARCH_WINDOW} hits only: `offset` + `limit` may be at most \
                     {SEARCH_WINDOW}, not {end} ({} + {}); `total` counts every hit, refine the query to reach the others",
                    self.offset.0, self.limit.0
                ),
            ));
        }
        Ok(Page { window: Some(SEARCH_WINDOW), ..self })
    }

    /// The next page, if there are items after this one (within the window, cut to end at it).
    pub fn next(&self, total: usize) -> Option<Page> {
        let window = self.window.map_or(usize::MAX, |w| w as usize);
        self.next_offset(total.min(window)).map(|next| Page {
            offset: Offset(next as u32),
            // `next` < `window` here, so the cut page holds at least one item.
            limit: Limit(self.limit.0.min((window - next).try_into().unwrap_or(u32::MAX))),
            window: self.window,
        })
    }

    /// The previous page, if this page does not start at 0 (from past the end, the last page
    /// that has items). It ends where this one starts, so it is within the window too.
    pub fn prev(&self, total: usize) -> Option<Page> {
        self.prev_offset(total).map(|offset| Page { offset: Offset(offset as u32), ..*self })
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

    fn search_page(limit: u32, offset: u32) -> Result<Page, ParamError> {
        Page::parse(Some(&limit.to_string()), Some(&offset.to_string()))?.within_search_window()
    }

    #[test]
    fn a_search_page_ends_within_the_window() {
        let last = search_page(100, 900).unwrap();
        assert_eq!((last.offset.get(), last.limit.get()), (900, 100));
        assert_eq!(search_page(1, 999).unwrap().offset.get(), 999);
        let past = search_page(100, 901).unwrap_err();
        assert_eq!(past.parameter, "offset");
        assert_eq!(
            past.message,
            "a search pages through its first 1000 hits only: `offset` + `limit` may be at most 1000, not 1001 \
             (901 + 100); `total` counts every hit, refine the query to reach the others"
        );
        assert_eq!(search_page(1, 1000).unwrap_err().parameter, "offset");
        assert_eq!(search_page(100, Offset::MAX).unwrap_err().parameter, "offset");
    }

    #[test]
    fn a_search_pages_next_link_stops_at_the_window() {
        let at = |p: Page| (p.offset.get(), p.limit.get());
        // 14,000 hits: the next page is cut to end at hit 1,000, and there is none after it.
        assert_eq!(search_page(30, 960).unwrap().next(14_000).map(at), Some((990, 10)));
        assert_eq!(search_page(10, 990).unwrap().next(14_000), None);
        assert_eq!(search_page(100, 800).unwrap().next(14_000).map(at), Some((900, 100)));
        assert_eq!(search_page(100, 900).unwrap().next(14_000), None);
        // Fewer hits than the window: the list's rule, same limit.
        assert_eq!(search_page(30, 0).unwrap().next(50).map(at), Some((30, 30)));
        assert_eq!(search_page(30, 30).unwrap().next(50), None);
        assert_eq!(search_page(30, 960).unwrap().prev(14_000).map(at), Some((930, 30)));
        // A list has no window.
        assert_eq!(Page::parse(Some("100"), Some("900")).unwrap().next(14_000).map(at), Some((1000, 100)));
    }
}
