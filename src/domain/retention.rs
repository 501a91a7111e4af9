//! How long personal data are kept: an edition's data until `retention_years` after its results
//! were published; then a daily job (and `konkurs retention`) erases them.

use chrono::{Months, NaiveDateTime};

/// The default retention an organiser can change per edition (years after publication).
pub const DEFAULT_YEARS: i32 = 5;
/// The longest retention the edition form accepts.
pub const MAX_YEARS: i32 = 50;

/// When an edition's personal data are due for erasure: `years` after publication (a
/// published date plus whole years, 29 February falling on 28 February).
pub fn expires_at(published: NaiveDateTime, years: i32) -> NaiveDateTime {
    let months = u32::try_from(years.clamp(0, MAX_YEARS)).unwrap_or(0) * 12;
    published
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDateTime::MAX)
}

/// Whether an edition published at `published` (if ever) has passed its retention at `now`.
pub fn expired(published: Option<NaiveDateTime>, years: i32, now: NaiveDateTime) -> bool {
    published.is_some_and(|p| expires_at(p, years) <= now)
}

/// Messages older than this are erased: `years` before `now`.
pub fn cutoff(now: NaiveDateTime, years: i32) -> NaiveDateTime {
    let months = u32::try_from(years.clamp(0, MAX_YEARS)).unwrap_or(0) * 12;
    now.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDateTime::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn data_expire_whole_years_after_publication() {
        assert_eq!(expires_at(at(2026, 6, 1), 5), at(2031, 6, 1));
        assert_eq!(expires_at(at(2028, 2, 29), 1), at(2029, 2, 28));
        assert!(!expired(Some(at(2026, 6, 1)), 5, at(2031, 5, 31)));
        assert!(expired(Some(at(2026, 6, 1)), 5, at(2031, 6, 1)));
        assert!(!expired(None, 0, at(2099, 1, 1)), "never published: kept");
        assert_eq!(cutoff(at(2031, 6, 1), 5), at(2026, 6, 1));
        assert_eq!(expires_at(at(2026, 6, 1), 500), at(2076, 6, 1));
    }
}
