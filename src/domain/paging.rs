//! Paging of long lists: which page was asked for, how many there are, which rows one shows.
//! Garbage, negative and too-large page numbers never fail: they become the nearest real page.

/// The page asked for (1-based, as parsed from `?page=`) and the rows per page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageRequest {
    pub page: i64,
    pub size: i64,
}

impl PageRequest {
    /// The page sizes KONKURS_PAGE_SIZE accepts (tests may set a smaller one directly).
    pub const MIN_SIZE: i64 = 10;
    pub const MAX_SIZE: i64 = 1000;
    pub const DEFAULT_SIZE: i64 = 200;

    /// `raw` is the text of `?page=`: anything that is not a whole number is page 1, a number
    /// below 1 is page 1 and a huge one the last page (clamped by [`Paging::new`]).
    pub fn parse(raw: &str, size: i64) -> PageRequest {
        let page = match raw.trim().parse::<i64>() {
            Ok(n) if n < 1 => 1,
            Ok(n) => n,
            // Digits too many for an i64: as far as possible, i.e. the last page.
            Err(_) if !raw.trim().is_empty() && raw.trim().bytes().all(|b| b.is_ascii_digit()) => {
                i64::MAX
            }
            Err(_) => 1,
        };
        PageRequest {
            page,
            size: size.clamp(1, Self::MAX_SIZE),
        }
    }

    /// Every row on one page of `size` rows, for callers (and tests) that want a first page.
    pub fn first(size: i64) -> PageRequest {
        PageRequest::parse("1", size)
    }
}

/// Where a page lies in a list of `total` rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Paging {
    /// The page shown, 1..=pages.
    pub page: i64,
    /// How many pages there are (at least 1, even for an empty list).
    pub pages: i64,
    /// Rows in the whole list (the COUNT query).
    pub total: i64,
    pub size: i64,
}

impl Paging {
    /// The page `req` asked for, moved into the list: past the end is the last page.
    pub fn new(req: PageRequest, total: i64) -> Paging {
        let size = req.size.max(1);
        let total = total.max(0);
        let pages = ((total + size - 1) / size).max(1);
        Paging {
            page: req.page.clamp(1, pages),
            pages,
            total,
            size,
        }
    }

    /// Rows before this page (SQL OFFSET).
    pub fn offset(&self) -> i64 {
        (self.page - 1) * self.size
    }

    /// Rows on a page (SQL LIMIT).
    pub fn limit(&self) -> i64 {
        self.size
    }

    /// 1-based number of the first row shown (0 for an empty list).
    pub fn first_row(&self) -> i64 {
        if self.total == 0 {
            0
        } else {
            self.offset() + 1
        }
    }

    /// 1-based number of the last row shown.
    pub fn last_row(&self) -> i64 {
        (self.offset() + self.size).min(self.total)
    }

    /// The page numbers a navigation shows: the first, the last, and two either side of the
    /// current one; `None` stands for a gap ("…"). At most 9 items, so it fits a phone screen.
    pub fn window(&self) -> Vec<Option<i64>> {
        let mut out = Vec::new();
        let (from, to) = ((self.page - 2).max(1), (self.page + 2).min(self.pages));
        if from > 1 {
            out.push(Some(1));
            if from > 2 {
                out.push(None);
            }
        }
        out.extend((from..=to).map(Some));
        if to < self.pages {
            if to < self.pages - 1 {
                out.push(None);
            }
            out.push(Some(self.pages));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(raw: &str, total: i64) -> Paging {
        Paging::new(PageRequest::parse(raw, 200), total)
    }

    #[test]
    fn garbage_and_out_of_range_pages_become_real_ones() {
        assert_eq!(at("abc", 1234).page, 1);
        assert_eq!(at("", 1234).page, 1);
        assert_eq!(at("-1", 1234).page, 1);
        assert_eq!(at("0", 1234).page, 1);
        assert_eq!(at("2.5", 1234).page, 1);
        assert_eq!(at("999", 1234).page, 7);
        assert_eq!(at("99999999999999999999999", 1234).page, 7);
        assert_eq!(at(" 3 ", 1234).page, 3);
        assert_eq!(at("5", 0).page, 1);
    }

    #[test]
    fn offsets_and_rows_shown() {
        let p = at("2", 1234);
        assert_eq!((p.pages, p.offset(), p.limit()), (7, 200, 200));
        assert_eq!((p.first_row(), p.last_row()), (201, 400));
        let last = at("7", 1234);
        assert_eq!((last.first_row(), last.last_row()), (1201, 1234));
        let empty = at("1", 0);
        assert_eq!(
            (empty.pages, empty.first_row(), empty.last_row()),
            (1, 0, 0)
        );
        let exact = at("2", 400);
        assert_eq!(
            (exact.pages, exact.first_row(), exact.last_row()),
            (2, 201, 400)
        );
    }

    #[test]
    fn size_is_kept_in_range() {
        assert_eq!(PageRequest::parse("1", 0).size, 1);
        assert_eq!(
            PageRequest::parse("1", 1_000_000).size,
            PageRequest::MAX_SIZE
        );
    }

    #[test]
    fn window_shows_ends_and_neighbours() {
        let w = |page: i64, pages: i64| {
            Paging::new(PageRequest { page, size: 10 }, pages * 10)
                .window()
                .into_iter()
                .map(|p| p.map_or("…".to_string(), |n| n.to_string()))
                .collect::<Vec<_>>()
                .join(" ")
        };
        assert_eq!(w(1, 1), "1");
        assert_eq!(w(1, 3), "1 2 3");
        assert_eq!(w(1, 10), "1 2 3 … 10");
        assert_eq!(w(5, 10), "1 … 3 4 5 6 7 … 10");
        assert_eq!(w(4, 10), "1 2 3 4 5 6 … 10");
        assert_eq!(w(10, 10), "1 … 8 9 10");
    }
}
