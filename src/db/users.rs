//! Accounts: applicants (members of an institution), jurors and organisers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{institutions, users};
use super::{DbConn, DbResult};
use crate::domain::paging::{PageRequest, Paging};
use crate::domain::roles::Role;

diesel::define_sql_function! {
    /// SQL `lower()`, so lookups by email use the unique index on `lower(email)`.
    fn lower(x: diesel::sql_types::Text) -> diesel::sql_types::Text;
}

diesel::define_sql_function! {
    /// `lower()` over a column that a left join makes nullable.
    #[sql_name = "lower"]
    fn lower_opt(x: diesel::sql_types::Nullable<diesel::sql_types::Text>) -> diesel::sql_types::Nullable<diesel::sql_types::Text>;
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub password_hash: Option<String>,
    pub role: Role,
    pub institution_id: Option<i32>,
    pub affiliation: Option<String>,
    pub lang: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The latest version of the privacy notice the user acknowledged.
    pub privacy_version: i32,
    pub anonymised_at: Option<NaiveDateTime>,
}

#[derive(Insertable)]
#[diesel(table_name = users)]
pub struct NewUser<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub password_hash: Option<&'a str>,
    pub role: Role,
    pub institution_id: Option<i32>,
    pub affiliation: Option<&'a str>,
    pub lang: &'a str,
    pub email_verified_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

pub fn insert(conn: &mut DbConn, new: &NewUser) -> DbResult<i32> {
    diesel::insert_into(users::table)
        .values(new)
        .returning(users::id)
        .get_result(conn)
}

pub fn find(conn: &mut DbConn, id: i32) -> DbResult<Option<User>> {
    users::table
        .find(id)
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Several users by id, in one query.
pub fn find_many(conn: &mut DbConn, ids: &[i32]) -> DbResult<Vec<User>> {
    users::table
        .filter(users::id.eq_any(ids))
        .select(User::as_select())
        .load(conn)
}

/// `email` must already be normalised (trimmed, lower-case).
pub fn find_by_email(conn: &mut DbConn, email: &str) -> DbResult<Option<User>> {
    users::table
        .filter(lower(users::email).eq(email))
        .select(User::as_select())
        .first(conn)
        .optional()
}

pub fn email_taken(conn: &mut DbConn, email: &str) -> DbResult<bool> {
    Ok(find_by_email(conn, email)?.is_some())
}

pub fn set_password(conn: &mut DbConn, id: i32, hash: &str, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(users::table.find(id))
        .set((users::password_hash.eq(hash), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn mark_verified(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(
        users::table
            .find(id)
            .filter(users::email_verified_at.is_null()),
    )
    .set((users::email_verified_at.eq(now), users::updated_at.eq(now)))
    .execute(conn)
    .map(|_| ())
}

pub fn set_disabled(
    conn: &mut DbConn,
    id: i32,
    at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(users::table.find(id))
        .set((users::disabled_at.eq(at), users::updated_at.eq(now)))
        .execute(conn)
        .map(|_| ())
}

pub fn update_profile(
    conn: &mut DbConn,
    id: i32,
    name: &str,
    lang: &str,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(users::table.find(id))
        .set((
            users::name.eq(name),
            users::lang.eq(lang),
            users::updated_at.eq(now),
        ))
        .execute(conn)
        .map(|_| ())
}

pub fn set_lang(conn: &mut DbConn, id: i32, lang: &str) -> DbResult<()> {
    diesel::update(users::table.find(id))
        .set(users::lang.eq(lang))
        .execute(conn)
        .map(|_| ())
}

pub fn count_organisers(conn: &mut DbConn) -> DbResult<i64> {
    users::table
        .filter(users::role.eq(Role::Organiser))
        .count()
        .get_result(conn)
}

pub fn count_all(conn: &mut DbConn) -> DbResult<i64> {
    users::table.count().get_result(conn)
}

/// The members of one institution, oldest first.
pub fn members(conn: &mut DbConn, institution_id: i32) -> DbResult<Vec<User>> {
    users::table
        .filter(users::institution_id.eq(institution_id))
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)
}

/// The members of several institutions, in one query.
pub fn members_of(conn: &mut DbConn, institution_ids: &[i32]) -> DbResult<Vec<User>> {
    users::table
        .filter(
            users::institution_id
                .eq_any(institution_ids.iter().map(|i| Some(*i)).collect::<Vec<_>>()),
        )
        .order(users::id.asc())
        .select(User::as_select())
        .load(conn)
}

/// A row of the organisers' user list: the account and its institution's name, in one query.
pub struct UserRow {
    pub user: User,
    pub institution: Option<String>,
}

pub struct UserFilter {
    pub role: Option<Role>,
    pub query: Option<String>,
    pub page: PageRequest,
}

/// One page of the users passing `f`, by id, and where that page lies.
pub fn list(conn: &mut DbConn, f: &UserFilter) -> DbResult<(Vec<UserRow>, Paging)> {
    let filtered = || {
        let mut q = users::table
            .left_join(institutions::table)
            .into_boxed::<<DbConn as diesel::Connection>::Backend>();
        if let Some(role) = f.role {
            q = q.filter(users::role.eq(role));
        }
        if let Some(text) = &f.query {
            let pattern = format!("%{}%", escape_like(&text.to_lowercase()));
            q = q.filter(
                lower(users::email)
                    .like(pattern.clone())
                    .escape('\\')
                    .or(lower(users::name).like(pattern.clone()).escape('\\'))
                    .or(lower_opt(institutions::name.nullable())
                        .like(pattern)
                        .escape('\\')),
            );
        }
        q
    };
    let total: i64 = filtered().count().get_result(conn)?;
    let paging = Paging::new(f.page, total);
    let rows: Vec<(User, Option<String>)> = filtered()
        .order(users::id.asc())
        .offset(paging.offset())
        .limit(paging.limit())
        .select((User::as_select(), institutions::name.nullable()))
        .load(conn)?;
    Ok((
        rows.into_iter()
            .map(|(user, institution)| UserRow { user, institution })
            .collect(),
        paging,
    ))
}

/// Escapes `%`, `_` and `\` so user text in a LIKE pattern matches literally.
pub fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Whether the account logged in from `address` at or after `since`.
pub fn logged_in_from(
    conn: &mut DbConn,
    user_id: i32,
    address: &str,
    since: NaiveDateTime,
) -> DbResult<bool> {
    use super::schema::login_addresses as la;
    diesel::select(diesel::dsl::exists(
        la::table
            .filter(la::user_id.eq(user_id))
            .filter(la::address.eq(address))
            .filter(la::last_login_at.ge(since)),
    ))
    .get_result(conn)
}

/// Remembers a successful login from `address` (one upsert, safe under concurrency).
pub fn remember_login_address(
    conn: &mut DbConn,
    user_id: i32,
    address: &str,
    now: NaiveDateTime,
) -> DbResult<()> {
    use diesel::sql_types::{Integer, Text, Timestamp};
    const SQL: &str = "INSERT INTO login_addresses (user_id, address, last_login_at) \
                       VALUES ($1, $2, $3) ON CONFLICT (user_id, address) \
                       DO UPDATE SET last_login_at = excluded.last_login_at";
    match conn {
        DbConn::Pg(pg) => diesel::sql_query(SQL)
            .bind::<Integer, _>(user_id)
            .bind::<Text, _>(address)
            .bind::<Timestamp, _>(now)
            .execute(pg)?,
        DbConn::Sqlite(s) => diesel::sql_query(SQL.replace('$', "?"))
            .bind::<Integer, _>(user_id)
            .bind::<Text, _>(address)
            .bind::<Timestamp, _>(now)
            .execute(s)?,
    };
    Ok(())
}

/// Forgets logins older than `before`.
pub fn purge_login_addresses(conn: &mut DbConn, before: NaiveDateTime) -> DbResult<usize> {
    use super::schema::login_addresses as la;
    diesel::delete(la::table.filter(la::last_login_at.lt(before))).execute(conn)
}
