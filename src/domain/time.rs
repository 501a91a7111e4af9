//! Time: stored in UTC, entered and shown in Europe/Warsaw, whatever the server's zone.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, LocalResult, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Europe::Warsaw;
use chrono_tz::Tz;

use crate::i18n::Lang;

/// The system time in UTC, to the microsecond (what both databases keep). Only the `Clock`
/// reads it: everything else asks its app's clock, which tests can move.
fn system_now() -> NaiveDateTime {
    let n = Utc::now().naive_utc();
    n.with_nanosecond(n.nanosecond() / 1000 * 1000).unwrap_or(n)
}

/// The time as one app sees it: the system clock plus an offset that in-process tests move
/// (`app.state.clock.advance(Duration::days(15))`). Cheap to clone; clones share the offset, so
/// the HTTP handlers, the session store and the outbox worker of one app see the same time,
/// while other apps in the same process keep their own.
#[derive(Clone, Debug, Default)]
pub struct Clock {
    offset_us: Arc<AtomicI64>,
}

impl Clock {
    /// The system clock, not moved. Also what one-off commands without an app use.
    pub fn system() -> Clock {
        Clock::default()
    }

    /// The current time in UTC, to the microsecond.
    pub fn now(&self) -> NaiveDateTime {
        system_now() + Duration::microseconds(self.offset_us.load(Ordering::Relaxed))
    }

    /// Moves this clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        let us = by.num_microseconds().unwrap_or(i64::MAX);
        self.offset_us.fetch_add(us, Ordering::Relaxed);
    }

    /// Makes `now()` read `at` from this moment on (time keeps running from there).
    pub fn set(&self, at: NaiveDateTime) {
        let us = (at - system_now()).num_microseconds().unwrap_or(0);
        self.offset_us.store(us, Ordering::Relaxed);
    }

    /// Back to the system time.
    pub fn reset(&self) {
        self.offset_us.store(0, Ordering::Relaxed);
    }
}

pub fn in_warsaw(utc: NaiveDateTime) -> DateTime<Tz> {
    Warsaw.from_utc_datetime(&utc)
}

/// "23.11.2026, 14:05 CET" in Polish, "23 Nov 2026, 14:05 CET" in English.
/// Written field by field: lists show hundreds of dates, and chrono's `format` parses its
/// pattern again for each one.
pub fn format(utc: NaiveDateTime, lang: Lang) -> String {
    use chrono::Datelike as _;
    use chrono_tz::OffsetName as _;
    use std::fmt::Write as _;
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let w = in_warsaw(utc);
    let zone = w.offset().abbreviation().unwrap_or("");
    let mut out = String::with_capacity(24);
    let (d, m, y, h, min) = (w.day(), w.month(), w.year(), w.hour(), w.minute());
    let _ = match lang {
        Lang::Pl => write!(out, "{d:02}.{m:02}.{y}, {h:02}:{min:02} {zone}"),
        Lang::En => write!(
            out,
            "{d} {} {y}, {h:02}:{min:02} {zone}",
            MONTHS[(m as usize).saturating_sub(1) % 12]
        ),
    };
    out
}

/// The value of an `<input type="datetime-local">` showing this instant in Warsaw time.
pub fn to_input(utc: NaiveDateTime) -> String {
    in_warsaw(utc).format("%Y-%m-%dT%H:%M").to_string()
}

#[derive(Debug, PartialEq, Eq)]
pub enum LocalTimeError {
    /// Not a date and time in the expected format.
    Invalid,
    /// Skipped by the spring change to summer time (e.g. 02:30 on the last Sunday of March).
    Nonexistent,
}

/// Parses a Warsaw wall-clock time ("2026-11-23T14:05", seconds optional, as the
/// `datetime-local` picker sends it; or "23.11.2026, 14:05" / "23.11.2026 14:05", as the picker
/// shows it in Polish and a browser without a picker lets one type it) into UTC. In the
/// autumn hour that happens twice, the earlier instant is taken, which errs towards the earlier
/// deadline rather than silently extending it.
pub fn parse_warsaw(input: &str) -> Result<NaiveDateTime, LocalTimeError> {
    let s = input.trim();
    let naive = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%d.%m.%Y, %H:%M"))
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%d.%m.%Y %H:%M"))
        .map_err(|_| LocalTimeError::Invalid)?;
    match Warsaw.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.naive_utc()),
        LocalResult::Ambiguous(earlier, _) => Ok(earlier.naive_utc()),
        LocalResult::None => Err(LocalTimeError::Nonexistent),
    }
}

/// Parses a date as the date picker sends it ("2026-03-15") or as people type what it shows in
/// Polish ("15.03.2026"); years outside 1990–2100 are refused as typing mistakes. The one date
/// parser of the portal: the entry form and the site texts both use it.
pub fn parse_date(input: &str) -> Option<chrono::NaiveDate> {
    let v = input.trim();
    chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .or_else(|_| chrono::NaiveDate::parse_from_str(v, "%d.%m.%Y"))
        .ok()
        .filter(|d| (1990..=2100).contains(&chrono::Datelike::year(d)))
}

/// Whole seconds left until `deadline`, or `None` once it has passed.
pub fn remaining(now: NaiveDateTime, deadline: NaiveDateTime) -> Option<Duration> {
    (now < deadline).then(|| deadline - now)
}

/// "3 dni 4 godz." / "3 days 4 h" style, for a countdown that needs no JavaScript; the words
/// and their plural forms come from the translation files.
pub fn format_remaining(d: Duration, lang: Lang) -> String {
    let total_min = d.num_minutes();
    let days = total_min / (60 * 24);
    let hours = (total_min / 60) % 24;
    let minutes = total_min % 60;
    if days > 0 {
        lang.tf("time.days_hours", &[("days", &days), ("hours", &hours)])
    } else if hours > 0 {
        lang.tf(
            "time.hours_minutes",
            &[("hours", &hours), ("minutes", &minutes)],
        )
    } else {
        lang.tf("time.minutes", &[("minutes", &minutes)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn utc(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(h, min, 0)
            .unwrap()
    }

    #[test]
    fn winter_and_summer_offsets() {
        // CET = UTC+1 in winter, CEST = UTC+2 in summer.
        assert_eq!(
            parse_warsaw("2026-11-23T14:05").unwrap(),
            utc(2026, 11, 23, 13, 5)
        );
        assert_eq!(
            parse_warsaw("2026-07-01T12:00").unwrap(),
            utc(2026, 7, 1, 10, 0)
        );
        assert_eq!(
            format(utc(2026, 11, 23, 13, 5), Lang::Pl),
            "23.11.2026, 14:05 CET"
        );
        assert_eq!(
            format(utc(2026, 7, 1, 10, 0), Lang::En),
            "1 Jul 2026, 12:00 CEST"
        );
        assert_eq!(to_input(utc(2026, 7, 1, 10, 0)), "2026-07-01T12:00");
    }

    #[test]
    fn dates_are_written_as_chrono_would_write_them() {
        // Every 7 hours 13 minutes over two years: both DST changes, every day and month.
        let mut t = utc(2025, 1, 1, 0, 0);
        while t < utc(2027, 1, 1, 0, 0) {
            let w = in_warsaw(t);
            assert_eq!(
                format(t, Lang::Pl),
                w.format("%d.%m.%Y, %H:%M %Z").to_string()
            );
            assert_eq!(
                format(t, Lang::En),
                w.format("%-d %b %Y, %H:%M %Z").to_string()
            );
            t += Duration::minutes(7 * 60 + 13);
        }
    }

    #[test]
    fn dst_gaps_and_overlaps() {
        // 29 March 2026: 02:00 → 03:00 does not exist.
        assert_eq!(
            parse_warsaw("2026-03-29T02:30"),
            Err(LocalTimeError::Nonexistent)
        );
        // 25 October 2026: 02:30 happens twice; the earlier (CEST, UTC+2) is taken.
        assert_eq!(
            parse_warsaw("2026-10-25T02:30").unwrap(),
            utc(2026, 10, 25, 0, 30)
        );
        assert_eq!(parse_warsaw("yesterday"), Err(LocalTimeError::Invalid));
        // As the Polish picker shows it, with or without the comma.
        assert_eq!(
            parse_warsaw("23.11.2026, 14:05"),
            parse_warsaw("2026-11-23T14:05")
        );
        assert_eq!(
            parse_warsaw("23.11.2026 14:05"),
            parse_warsaw("2026-11-23T14:05")
        );
        assert_eq!(
            parse_warsaw("2026-02-30T10:00"),
            Err(LocalTimeError::Invalid)
        );
    }

    #[test]
    fn dates_in_both_formats() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 3, 15);
        assert_eq!(parse_date("2026-03-15"), d);
        assert_eq!(parse_date(" 15.03.2026 "), d);
        assert_eq!(parse_date("31.02.2026"), None);
        assert_eq!(parse_date("15.03.1026"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn clock_moves_and_clones_share_it() {
        let a = Clock::system();
        let b = a.clone();
        let other = Clock::system();
        a.advance(Duration::days(15));
        assert!(b.now() - other.now() >= Duration::days(15) - Duration::seconds(5));
        let at = utc(2025, 2, 10, 9, 0);
        b.set(at);
        assert!((a.now() - at).num_seconds().abs() < 5);
        a.reset();
        assert!((a.now() - other.now()).num_seconds().abs() < 5);
    }

    #[test]
    fn remaining_time() {
        let now = utc(2026, 1, 1, 10, 0);
        assert!(remaining(now, now).is_none());
        let d = remaining(now, utc(2026, 1, 4, 14, 30)).unwrap();
        assert_eq!(format_remaining(d, Lang::Pl), "3 dni 4 godz.");
        assert_eq!(
            format_remaining(Duration::minutes(75), Lang::En),
            "1 h 15 min"
        );
    }
}
