//! The organisers' entry list as its URL states it: search, filters, sort, and the neighbours of
//! an entry in that order. Everything is parsed leniently: an unknown or malformed value is as if
//! it were absent, so no address can make the list fail.

use crate::domain::entry::EntryStatus;
use crate::urls::encode_query_value;

/// Folds text for search and sorting: lower case, without diacritics ("Łódź" → "lodz"), the same
/// in Rust for both databases (SQLite's `lower()` and `LIKE` know only ASCII).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars().flat_map(char::to_lowercase) {
        match c {
            'ą' | 'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' => out.push('a'),
            'ć' | 'ç' | 'č' | 'ĉ' | 'ċ' => out.push('c'),
            'ď' | 'đ' => out.push('d'),
            'ę' | 'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ě' => out.push('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => out.push('i'),
            'ł' | 'ľ' | 'ĺ' => out.push('l'),
            'ń' | 'ñ' | 'ň' => out.push('n'),
            'ó' | 'ò' | 'ô' | 'õ' | 'ö' | 'ø' | 'ő' | 'ō' => out.push('o'),
            'ŕ' | 'ř' => out.push('r'),
            'ś' | 'š' | 'ş' => out.push('s'),
            'ß' => out.push_str("ss"),
            'ť' | 'ţ' => out.push('t'),
            'ù' | 'ú' | 'û' | 'ü' | 'ů' | 'ű' | 'ū' => out.push('u'),
            'ý' | 'ÿ' => out.push('y'),
            'ź' | 'ż' | 'ž' => out.push('z'),
            // Typographic quotes and dashes as typed on a keyboard.
            '\u{201e}' | '\u{201d}' | '\u{201c}' => out.push('"'),
            '\u{2013}' | '\u{2014}' => out.push('-'),
            // Combining accents: text typed or pasted decomposed (NFD: "o" + U+0301 for "ó")
            // folds like its composed form.
            '\u{0300}'..='\u{036f}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A `LIKE` pattern that finds `needle` (already folded) anywhere, with `\` as the escape
/// character: `%`, `_` and `\` typed by the user match themselves.
pub fn contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

/// The longest search text taken (longer input is cut, never refused).
pub const SEARCH_MAX: usize = 200;

/// A column the list can be sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Reference,
    Category,
    Institution,
    Title,
    Status,
    Submitted,
    Award,
}

impl SortKey {
    pub const ALL: [SortKey; 7] = [
        SortKey::Reference,
        SortKey::Category,
        SortKey::Institution,
        SortKey::Title,
        SortKey::Status,
        SortKey::Submitted,
        SortKey::Award,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortKey::Reference => "reference",
            SortKey::Category => "category",
            SortKey::Institution => "institution",
            SortKey::Title => "title",
            SortKey::Status => "status",
            SortKey::Submitted => "submitted",
            SortKey::Award => "award",
        }
    }

    pub fn parse(s: &str) -> Option<SortKey> {
        SortKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// Which entries by the organisers' award decision.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AwardFilter {
    /// A place (1st, 2nd or 3rd).
    Place,
    /// An honourable mention.
    Mention,
    /// No award.
    None,
}

impl AwardFilter {
    pub const ALL: [AwardFilter; 3] = [AwardFilter::Place, AwardFilter::Mention, AwardFilter::None];

    pub fn as_str(self) -> &'static str {
        match self {
            AwardFilter::Place => "place",
            AwardFilter::Mention => "mention",
            AwardFilter::None => "none",
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            AwardFilter::Place => "entrylist.award_place",
            AwardFilter::Mention => "entrylist.award_mention",
            AwardFilter::None => "entrylist.award_none",
        }
    }

    pub fn parse(s: &str) -> Option<AwardFilter> {
        AwardFilter::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The list's state as kept in its URL (and carried to the entry pages and back).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ListQuery {
    pub category: Option<i32>,
    pub status: Option<EntryStatus>,
    /// The search text as typed (trimmed, cut at [`SEARCH_MAX`] characters).
    pub q: String,
    pub award: Option<AwardFilter>,
    /// `None`: the default order (category, institution, id).
    pub sort: Option<SortKey>,
    pub desc: bool,
}

#[derive(serde::Deserialize, Default)]
#[serde(default)]
struct Raw {
    category: String,
    status: String,
    q: String,
    award: String,
    sort: String,
    dir: String,
}

impl ListQuery {
    /// From a query string; a malformed one, or any bad value, is taken as absent.
    pub fn parse(query: &str) -> ListQuery {
        let raw: Raw = serde_html_form::from_str(query).unwrap_or_default();
        let sort = SortKey::parse(raw.sort.trim());
        ListQuery {
            category: raw.category.trim().parse().ok(),
            status: EntryStatus::parse(raw.status.trim()),
            q: raw.q.trim().chars().take(SEARCH_MAX).collect(),
            award: AwardFilter::parse(raw.award.trim()),
            sort,
            desc: sort.is_some() && raw.dir.trim() == "desc",
        }
    }

    /// The folded search text, if any.
    pub fn needle(&self) -> Option<String> {
        let f = fold(&self.q);
        (!f.is_empty()).then_some(f)
    }

    /// The query string (without `?`) that states this list; empty for the plain list.
    pub fn to_query(&self) -> String {
        self.pairs(self.sort, self.desc)
    }

    fn pairs(&self, sort: Option<SortKey>, desc: bool) -> String {
        let mut v: Vec<String> = Vec::new();
        if !self.q.is_empty() {
            v.push(format!("q={}", encode_query_value(&self.q)));
        }
        if let Some(c) = self.category {
            v.push(format!("category={c}"));
        }
        if let Some(s) = self.status {
            v.push(format!("status={}", s.as_str()));
        }
        if let Some(a) = self.award {
            v.push(format!("award={}", a.as_str()));
        }
        if let Some(k) = sort {
            v.push(format!("sort={}", k.as_str()));
            v.push(format!("dir={}", if desc { "desc" } else { "asc" }));
        }
        v.join("&")
    }

    /// `?` and the query string, or nothing for the plain list: to append to a path.
    pub fn suffix(&self) -> String {
        with_q(&self.to_query())
    }

    /// The suffix of the link in a column's header: sorted by it ascending, or descending when
    /// it is already sorted ascending by it. Goes back to the first page.
    pub fn sort_suffix(&self, key: SortKey) -> String {
        let desc = self.sort == Some(key) && !self.desc;
        with_q(&self.pairs(Some(key), desc))
    }

    /// `aria-sort` of a column's header: "ascending", "descending", or `None` when unsorted.
    pub fn aria_sort(&self, key: SortKey) -> Option<&'static str> {
        (self.sort == Some(key)).then_some(if self.desc { "descending" } else { "ascending" })
    }
}

fn with_q(q: &str) -> String {
    if q.is_empty() {
        String::new()
    } else {
        format!("?{q}")
    }
}

/// The entries before and after `current` in the list `ids` (in the list's order).
pub fn neighbours(ids: &[i32], current: i32) -> (Option<i32>, Option<i32>) {
    match ids.iter().position(|&i| i == current) {
        Some(at) => (at.checked_sub(1).map(|p| ids[p]), ids.get(at + 1).copied()),
        None => (None, None),
    }
}

/// The page (1-based, of `size` rows) on which `current` stands in `ids`; 1 if it is not there.
pub fn page_of(ids: &[i32], current: i32, size: i64) -> i64 {
    let at = ids.iter().position(|&i| i == current).unwrap_or(0);
    i64::try_from(at).unwrap_or(0) / size.max(1) + 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_polish_letters_and_case() {
        assert_eq!(fold("Łódź"), "lodz");
        assert_eq!(fold("ŁÓDŹ"), "lodz");
        assert_eq!(fold("łódź"), "lodz");
        // Decomposed (NFD), as some systems paste it.
        assert_eq!(fold("l\u{f3}dz\u{301}"), "lodz");
        assert_eq!(fold("lo\u{301}dz\u{301}"), "lodz");
        assert_eq!(fold("Zaz\u{307}o\u{301}\u{142}c\u{301}"), "zazolc");
        assert_eq!(
            fold("ZAŻÓŁĆ GĘŚLĄ JAŹŃ zażółć gęślą jaźń"),
            "zazolc gesla jazn zazolc gesla jazn"
        );
        assert_eq!(fold("Gmina Miasto Płock"), "gmina miasto plock");
        assert_eq!(fold("VI/II/007"), "vi/ii/007");
        assert_eq!(fold("„e-Urząd” – Straße"), "\"e-urzad\" - strasse");
    }

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(contains_pattern("lodz"), "%lodz%");
        assert_eq!(contains_pattern("100%_a\\b"), "%100\\%\\_a\\\\b%");
        assert_eq!(contains_pattern(""), "%%");
    }

    #[test]
    fn parses_leniently_and_round_trips() {
        let q = ListQuery::parse(
            "q=%C5%81%C3%B3d%C5%BA&category=3&status=submitted&award=place&sort=title&dir=desc&page=2",
        );
        assert_eq!(q.q, "Łódź");
        assert_eq!(q.category, Some(3));
        assert_eq!(q.status, Some(EntryStatus::Submitted));
        assert_eq!(q.award, Some(AwardFilter::Place));
        assert_eq!(q.sort, Some(SortKey::Title));
        assert!(q.desc);
        assert_eq!(ListQuery::parse(&q.to_query()), q);
        assert_eq!(
            q.to_query(),
            "q=%C5%81%C3%B3d%C5%BA&category=3&status=submitted&award=place&sort=title&dir=desc"
        );
        for bad in [
            "category=x&status=nope&award=gold&sort=%00&dir=sideways",
            "%%%&&&==",
            "category=99999999999999999999&q=",
            "q=%20%20",
        ] {
            assert_eq!(ListQuery::parse(bad), ListQuery::default(), "{bad}");
        }
        assert_eq!(ListQuery::default().suffix(), "");
        // A direction without a column means nothing.
        assert!(!ListQuery::parse("dir=desc").desc);
        let long = "a".repeat(500);
        assert_eq!(ListQuery::parse(&format!("q={long}")).q.len(), SEARCH_MAX);
    }

    #[test]
    fn header_links_toggle_the_direction() {
        let plain = ListQuery::parse("status=accepted");
        assert_eq!(
            plain.sort_suffix(SortKey::Title),
            "?status=accepted&sort=title&dir=asc"
        );
        assert_eq!(plain.aria_sort(SortKey::Title), None);
        let asc = ListQuery::parse("status=accepted&sort=title&dir=asc");
        assert_eq!(asc.aria_sort(SortKey::Title), Some("ascending"));
        assert_eq!(
            asc.sort_suffix(SortKey::Title),
            "?status=accepted&sort=title&dir=desc"
        );
        assert_eq!(
            asc.sort_suffix(SortKey::Submitted),
            "?status=accepted&sort=submitted&dir=asc"
        );
        let desc = ListQuery::parse("sort=title&dir=desc");
        assert_eq!(desc.aria_sort(SortKey::Title), Some("descending"));
        assert_eq!(desc.sort_suffix(SortKey::Title), "?sort=title&dir=asc");
    }

    #[test]
    fn neighbours_in_list_order() {
        let ids = [5, 3, 9, 1];
        assert_eq!(neighbours(&ids, 5), (None, Some(3)));
        assert_eq!(neighbours(&ids, 9), (Some(3), Some(1)));
        assert_eq!(neighbours(&ids, 1), (Some(9), None));
        assert_eq!(neighbours(&ids, 7), (None, None));
        assert_eq!(neighbours(&[], 7), (None, None));
        assert_eq!(page_of(&ids, 1, 2), 2);
        assert_eq!(page_of(&ids, 5, 2), 1);
        assert_eq!(page_of(&ids, 7, 2), 1);
    }
}
