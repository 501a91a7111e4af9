//! Counters for limits (login attempts, emails sent to addresses the actor does not own), shared
//! by all instances through the database.
//!
//! The one primitive is [`try_acquire`]: a single `INSERT … ON CONFLICT (key) DO UPDATE … WHERE
//! <not blocked> RETURNING` statement that reserves an attempt *before* the work it guards. It
//! either counts the attempt and returns `Ok(())`, or changes nothing and returns the time the
//! key is free again. Because the check and the increment are one statement on one row (the row
//! is locked by the upsert on PostgreSQL, the database by `BEGIN IMMEDIATE` on SQLite), N
//! parallel requests never get more than the allowed number of attempts, and a new key never
//! fails with a duplicate-key error. A guarded action that turns out well can [`release`] its
//! reservation or [`clear`] the key.
//!
//! Each key has a [`Limit`]: a number of free attempts, then either a wait until the window ends
//! (a fixed window counted from the first attempt) or a growing delay (doubling up to a cap,
//! forgotten after a quiet window).

use std::fmt::Write;

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};

use super::schema::throttle;
use super::{DbConn, DbResult};

/// What happens after the free attempts.
#[derive(Clone, Copy, Debug)]
pub enum Wait {
    /// Refused until the window ends; the window starts with the first attempt.
    UntilWindowEnds,
    /// Each further attempt waits `first`, then twice as long each time, at most `max`. The
    /// window slides: the count is forgotten after `window` without attempts.
    Backoff { first: Duration, max: Duration },
}

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    /// Attempts allowed without waiting.
    pub free: i32,
    pub window: Duration,
    pub wait: Wait,
}

impl Limit {
    /// The delays after attempt `free`, `free + 1`, …, the last one being the cap.
    fn delays(&self) -> Vec<Duration> {
        match self.wait {
            Wait::UntilWindowEnds => Vec::new(),
            Wait::Backoff { first, max } => {
                let mut out = Vec::new();
                let mut d = first;
                while d < max {
                    out.push(d);
                    d = d * 2;
                }
                out.push(max);
                out
            }
        }
    }

    /// When the key is free again after its `hits`-th attempt in a window ending at `window_end`
    /// (for tests and for computing the first insert).
    pub fn free_at(
        &self,
        hits: i32,
        now: NaiveDateTime,
        window_end: NaiveDateTime,
    ) -> NaiveDateTime {
        if hits < self.free {
            return now;
        }
        match self.wait {
            Wait::UntilWindowEnds => window_end,
            Wait::Backoff { .. } => {
                let delays = self.delays();
                let i = usize::try_from(hits - self.free)
                    .unwrap_or(0)
                    .min(delays.len() - 1);
                now + delays[i]
            }
        }
    }
}

#[derive(QueryableByName)]
struct Hit {
    #[diesel(sql_type = Integer)]
    #[allow(dead_code)]
    hits: i32,
}

/// A key with fewer hits than its free attempts is never refused: parallel requests take `now`
/// before they reach the row, so a later one may have set `free_at` past an earlier one's `now`,
/// and a released reservation gives its attempt back.
///
/// The upsert for `limit`, with `$n` placeholders: $1 key, $2 now, $3 window end of a new
/// window, $4 free-at of a new key, $5… the free-at times of the backoff steps.
fn upsert_sql(limit: &Limit) -> String {
    let expired = "throttle.window_end <= $2";
    let hits = format!("(CASE WHEN {expired} THEN 1 ELSE throttle.hits + 1 END)");
    let window_end = match limit.wait {
        Wait::UntilWindowEnds => {
            format!("CASE WHEN {expired} THEN $3 ELSE throttle.window_end END")
        }
        Wait::Backoff { .. } => "$3".to_string(),
    };
    let free_at = match limit.wait {
        Wait::UntilWindowEnds => format!(
            "CASE WHEN {hits} < {free} THEN $2 ELSE {window_end} END",
            free = limit.free
        ),
        Wait::Backoff { .. } => {
            let steps = limit.delays();
            let mut s = format!("CASE WHEN {hits} < {free} THEN $2", free = limit.free);
            for (i, n) in (0..steps.len() - 1).zip(limit.free..) {
                let _ = write!(s, " WHEN {hits} = {n} THEN ${p}", p = 5 + i);
            }
            let _ = write!(s, " ELSE ${} END", 5 + steps.len() - 1);
            s
        }
    };
    format!(
        "INSERT INTO throttle (key, hits, window_end, free_at) VALUES ($1, 1, $3, $4) \
         ON CONFLICT (key) DO UPDATE SET hits = {hits}, window_end = {window_end}, free_at = {free_at} \
         WHERE throttle.hits < {free} OR throttle.free_at <= $2 OR {expired} \
         RETURNING hits",
        free = limit.free
    )
}

macro_rules! run_upsert {
    ($conn:expr, $db:ty, $sql:expr, $key:expr, $stamps:expr) => {{
        let mut q = diesel::sql_query($sql)
            .into_boxed::<$db>()
            .bind::<Text, _>($key.to_string());
        for t in $stamps {
            q = q.bind::<Timestamp, _>(*t);
        }
        q.get_results::<Hit>($conn)
    }};
}

/// The answer to a reservation: counted, or refused with nothing counted.
#[must_use]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reservation {
    Granted,
    /// Refused; the key is free again at this time.
    Blocked(NaiveDateTime),
}

/// Reserves one attempt on `key`: `Granted` when it is allowed (and counted), `Blocked(t)`
/// when the key is blocked until `t` (nothing is counted). One statement, safe under any
/// concurrency; call it before the work it guards. Inside a transaction the row stays locked
/// until the end of the transaction.
pub fn try_acquire(
    conn: &mut DbConn,
    key: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> DbResult<Reservation> {
    let window_end = now + limit.window;
    let mut stamps = vec![now, window_end, limit.free_at(1, now, window_end)];
    stamps.extend(limit.delays().into_iter().map(|d| now + d));
    let sql = upsert_sql(&limit);
    let rows = match conn {
        DbConn::Pg(pg) => run_upsert!(pg, diesel::pg::Pg, sql, key, &stamps)?,
        DbConn::Sqlite(s) => run_upsert!(
            s,
            diesel::sqlite::Sqlite,
            sql.replace('$', "?"),
            key,
            &stamps
        )?,
    };
    if !rows.is_empty() {
        return Ok(Reservation::Granted);
    }
    let (free_at, window_end): (NaiveDateTime, NaiveDateTime) = throttle::table
        .find(key)
        .select((throttle::free_at, throttle::window_end))
        .first(conn)?;
    Ok(Reservation::Blocked(free_at.min(window_end).max(now)))
}

/// Reserves an attempt on every key, or on none: when any key is blocked, returns the latest
/// time one of them is free again and the caller must roll its transaction back (the keys that
/// were counted would otherwise stay counted). Call inside `db::tx`.
pub fn try_acquire_all(
    conn: &mut DbConn,
    keys: &[(&str, Limit)],
    now: NaiveDateTime,
) -> DbResult<Reservation> {
    let mut blocked: Option<NaiveDateTime> = None;
    for (key, limit) in keys {
        if let Reservation::Blocked(until) = try_acquire(conn, key, *limit, now)? {
            blocked = Some(blocked.map_or(until, |b| b.max(until)));
        }
    }
    Ok(blocked.map_or(Reservation::Granted, Reservation::Blocked))
}

/// Gives back one reserved attempt (the guarded action went well and should not count).
pub fn release(conn: &mut DbConn, key: &str) -> DbResult<()> {
    diesel::update(throttle::table.find(key).filter(throttle::hits.gt(0)))
        .set(throttle::hits.eq(throttle::hits - 1))
        .execute(conn)
        .map(|_| ())
}

/// Forgets the key.
pub fn clear(conn: &mut DbConn, key: &str) -> DbResult<()> {
    diesel::delete(throttle::table.find(key))
        .execute(conn)
        .map(|_| ())
}

/// Forgets every key that starts with `prefix`.
pub fn clear_prefix(conn: &mut DbConn, prefix: &str) -> DbResult<usize> {
    let escaped = super::users::escape_like(prefix);
    diesel::delete(throttle::table.filter(throttle::key.like(format!("{escaped}%")).escape('\\')))
        .execute(conn)
}

/// The state of a key, for tests and diagnostics: (hits, free again at).
pub fn state(conn: &mut DbConn, key: &str) -> DbResult<Option<(i32, NaiveDateTime)>> {
    throttle::table
        .find(key)
        .select((throttle::hits, throttle::free_at))
        .first(conn)
        .optional()
}

/// Removes keys whose window ended and which are free again before `before`.
pub fn purge_older_than(conn: &mut DbConn, before: NaiveDateTime) -> DbResult<usize> {
    diesel::delete(
        throttle::table
            .filter(throttle::window_end.lt(before))
            .filter(throttle::free_at.lt(before)),
    )
    .execute(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let l = Limit {
            free: 5,
            window: Duration::hours(1),
            wait: Wait::Backoff {
                first: Duration::minutes(1),
                max: Duration::minutes(15),
            },
        };
        let m = |n| Duration::minutes(n);
        assert_eq!(l.delays(), vec![m(1), m(2), m(4), m(8), m(15)]);
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let end = now + l.window;
        assert_eq!(l.free_at(4, now, end), now);
        assert_eq!(l.free_at(5, now, end), now + m(1));
        assert_eq!(l.free_at(6, now, end), now + m(2));
        assert_eq!(l.free_at(9, now, end), now + m(15));
        assert_eq!(l.free_at(50, now, end), now + m(15));
        let sql = upsert_sql(&l);
        assert!(sql.contains("WHEN (CASE WHEN throttle.window_end <= $2 THEN 1 ELSE throttle.hits + 1 END) = 8 THEN $8"), "{sql}");
        assert!(sql.contains("ELSE $9 END"), "{sql}");
    }

    #[test]
    fn a_fixed_window_waits_for_its_end() {
        let l = Limit {
            free: 3,
            window: Duration::hours(1),
            wait: Wait::UntilWindowEnds,
        };
        let now = chrono::DateTime::from_timestamp(1_800_000_000, 0)
            .unwrap()
            .naive_utc();
        let end = now + l.window;
        assert_eq!(l.free_at(1, now, end), now);
        assert_eq!(l.free_at(3, now, end), end);
        assert!(!upsert_sql(&l).contains("$5"));
    }
}
