//! Server-side session state for actix-session. Rows are keyed by the SHA-256 of the cookie's
//! session key and carry the user id, so logging out everywhere is one DELETE.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{list_version, sessions, site_texts, users};
use super::users::User;
use super::{DbConn, DbResult, on_backend};

/// A session's state, its user, the privacy notice's current version and the signed-in pages'
/// version (`web::personal_cache`).
pub type Loaded = (String, Option<User>, Option<i32>, Option<i64>);

/// The session's state and user, with the privacy notice's current version (`None` before an
/// organiser has saved the site's texts: version 1), in one query: every signed-in request
/// starts here. On the backend's own connection: its statement is cached by type, so diesel
/// does not write out and hash the SQL text on every request to find it (as through `DbConn`).
pub fn load(conn: &mut DbConn, key_hash: &str, now: NaiveDateTime) -> DbResult<Option<Loaded>> {
    on_backend!(conn, |c| {
        let privacy = site_texts::table
            .filter(site_texts::id.eq(1))
            .select(site_texts::privacy_version)
            .single_value();
        let lists = list_version::table
            .filter(list_version::id.eq(1))
            .select(list_version::version)
            .single_value();
        sessions::table
            .left_join(users::table)
            .filter(sessions::key_hash.eq(key_hash))
            .filter(sessions::expires_at.gt(now))
            .select((sessions::state, Option::<User>::as_select(), privacy, lists))
            .first(c)
            .optional()
    })
}

pub fn insert(
    conn: &mut DbConn,
    key_hash: &str,
    user_id: Option<i32>,
    state: &str,
    expires_at: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::key_hash.eq(key_hash),
            sessions::user_id.eq(user_id),
            sessions::state.eq(state),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Returns the number of rows changed (0 when the session was deleted meanwhile).
pub fn update(
    conn: &mut DbConn,
    key_hash: &str,
    user_id: Option<i32>,
    state: &str,
    expires_at: NaiveDateTime,
) -> DbResult<usize> {
    diesel::update(sessions::table.find(key_hash))
        .set((
            sessions::user_id.eq(user_id),
            sessions::state.eq(state),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)
}

pub fn touch(conn: &mut DbConn, key_hash: &str, expires_at: NaiveDateTime) -> DbResult<()> {
    diesel::update(sessions::table.find(key_hash))
        .set(sessions::expires_at.eq(expires_at))
        .execute(conn)
        .map(|_| ())
}

pub fn delete(conn: &mut DbConn, key_hash: &str) -> DbResult<()> {
    diesel::delete(sessions::table.find(key_hash))
        .execute(conn)
        .map(|_| ())
}

/// Ends every session of a user, except `keep` (the one that asked, if any).
pub fn delete_for_user(conn: &mut DbConn, user_id: i32, keep: Option<&str>) -> DbResult<usize> {
    let q = sessions::table.filter(sessions::user_id.eq(user_id));
    match keep {
        Some(k) => diesel::delete(q.filter(sessions::key_hash.ne(k))).execute(conn),
        None => diesel::delete(q).execute(conn),
    }
}

pub fn purge_expired(conn: &mut DbConn, now: NaiveDateTime) -> DbResult<usize> {
    diesel::delete(sessions::table.filter(sessions::expires_at.le(now))).execute(conn)
}

/// Raises the signed-in pages' version (migration `list_version`): after a write has committed,
/// in a statement of its own.
pub fn bump_list_version(conn: &mut DbConn) -> DbResult<()> {
    diesel::update(list_version::table.filter(list_version::id.eq(1)))
        .set(list_version::version.eq(list_version::version + 1))
        .execute(conn)
        .map(|_| ())
}
