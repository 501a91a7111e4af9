//! When the organisers' daily digest of submitted entries goes out: once per Warsaw day, from
//! `DIGEST_HOUR` o'clock Warsaw time (so it covers the previous day and the night, and arrives
//! before the working day).

use chrono::NaiveDateTime;
use chrono::{Datelike, Timelike};

use crate::domain::time::in_warsaw;

/// The Warsaw hour from which the day's digest is sent.
pub const DIGEST_HOUR: u32 = 7;

/// The Warsaw date (`YYYY-MM-DD`, which sorts as it reads) whose digest is due at `now`, or
/// `None` before `DIGEST_HOUR` (the previous day's was due then, and counts as that day's).
pub fn due_day(now: NaiveDateTime) -> Option<String> {
    let w = in_warsaw(now);
    (w.hour() >= DIGEST_HOUR).then(|| format!("{:04}-{:02}-{:02}", w.year(), w.month(), w.day()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn the_digest_is_due_from_seven_in_warsaw() {
        // Winter: UTC+1.
        assert_eq!(due_day(utc("2026-11-30 05:59")), None);
        assert_eq!(
            due_day(utc("2026-11-30 06:00")).as_deref(),
            Some("2026-11-30")
        );
        assert_eq!(
            due_day(utc("2026-11-30 22:30")).as_deref(),
            Some("2026-11-30")
        );
        assert_eq!(due_day(utc("2026-11-30 23:30")), None);
        // Summer: UTC+2.
        assert_eq!(due_day(utc("2026-07-01 04:59")), None);
        assert_eq!(
            due_day(utc("2026-07-01 05:00")).as_deref(),
            Some("2026-07-01")
        );
    }
}
