//! Counting failed logins per account and per address, in a fixed window, shared by all instances.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::login_throttle;
use super::{DbConn, DbResult};

#[derive(Clone, Copy, Debug)]
pub struct Limit {
    pub max_failures: i32,
    pub window: Duration,
}

/// When the key is blocked, the time at which it is free again.
pub fn blocked_until(
    conn: &mut DbConn,
    key: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> DbResult<Option<NaiveDateTime>> {
    let row: Option<(i32, NaiveDateTime)> = login_throttle::table
        .find(key)
        .select((login_throttle::failures, login_throttle::window_start))
        .first(conn)
        .optional()?;
    Ok(match row {
        Some((failures, start)) if failures >= limit.max_failures && start + limit.window > now => {
            Some(start + limit.window)
        }
        _ => None,
    })
}

pub fn record_failure(
    conn: &mut DbConn,
    key: &str,
    limit: Limit,
    now: NaiveDateTime,
) -> DbResult<()> {
    let row: Option<NaiveDateTime> = login_throttle::table
        .find(key)
        .select(login_throttle::window_start)
        .first(conn)
        .optional()?;
    match row {
        Some(start) if start + limit.window > now => {
            diesel::update(login_throttle::table.find(key))
                .set(login_throttle::failures.eq(login_throttle::failures + 1))
                .execute(conn)?;
        }
        Some(_) => {
            diesel::update(login_throttle::table.find(key))
                .set((
                    login_throttle::failures.eq(1),
                    login_throttle::window_start.eq(now),
                ))
                .execute(conn)?;
        }
        None => {
            // Two failures at once (PostgreSQL runs them in parallel) both find no row: the
            // second counts on the row the first inserted rather than failing on its key.
            // `ON CONFLICT` does not compile through the MultiConnection: run it on the backend.
            let upsert = diesel::insert_into(login_throttle::table)
                .values((
                    login_throttle::key.eq(key),
                    login_throttle::failures.eq(1),
                    login_throttle::window_start.eq(now),
                ))
                .on_conflict(login_throttle::key)
                .do_update()
                .set(login_throttle::failures.eq(login_throttle::failures + 1));
            match conn {
                DbConn::Pg(pg) => upsert.execute(pg)?,
                DbConn::Sqlite(sqlite) => upsert.execute(sqlite)?,
            };
        }
    }
    Ok(())
}

pub fn clear(conn: &mut DbConn, key: &str) -> DbResult<()> {
    diesel::delete(login_throttle::table.find(key))
        .execute(conn)
        .map(|_| ())
}

pub fn purge_older_than(conn: &mut DbConn, before: NaiveDateTime) -> DbResult<usize> {
    diesel::delete(login_throttle::table.filter(login_throttle::window_start.lt(before)))
        .execute(conn)
}
