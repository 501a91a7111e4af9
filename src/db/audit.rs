//! The audit log: who did what to which object, and when.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use std::collections::HashMap;

use super::schema::{audit_log, categories, editions, entries, institutions, outbox, users};
use super::{DbConn, DbResult};
use crate::domain::paging::{PageRequest, Paging};

pub fn record(
    conn: &mut DbConn,
    actor_id: Option<i32>,
    action: &str,
    object_type: &str,
    object_id: Option<i32>,
    details: &str,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(now),
            audit_log::actor_id.eq(actor_id),
            audit_log::action.eq(action),
            audit_log::object_type.eq(object_type),
            audit_log::object_id.eq(object_id),
            audit_log::details.eq(details),
        ))
        .execute(conn)
        .map(|_| ())
}

#[derive(Queryable, Clone, Debug)]
pub struct AuditRow {
    pub id: i32,
    pub at: NaiveDateTime,
    /// The actor's name and email.
    pub actor: Option<(String, String)>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i32>,
    pub details: String,
}

pub struct AuditFilter {
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<i32>,
    pub page: PageRequest,
}

/// One page of the log entries passing `f`, newest first, and where that page lies.
pub fn list(conn: &mut DbConn, f: &AuditFilter) -> DbResult<(Vec<AuditRow>, Paging)> {
    let filtered = || {
        let mut q = audit_log::table
            .left_join(users::table)
            .into_boxed::<<DbConn as diesel::Connection>::Backend>();
        if let Some(a) = &f.action {
            q = q.filter(audit_log::action.eq(a.clone()));
        }
        if let Some(t) = &f.object_type {
            q = q.filter(audit_log::object_type.eq(t.clone()));
        }
        if let Some(id) = f.object_id {
            q = q.filter(audit_log::object_id.eq(id));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let paging = Paging::new(f.page, total);
    let rows = filtered()
        .order(audit_log::id.desc())
        .offset(paging.offset())
        .limit(paging.limit())
        .select((
            audit_log::id,
            audit_log::at,
            (users::name, users::email).nullable(),
            audit_log::action,
            audit_log::object_type,
            audit_log::object_id,
            audit_log::details,
        ))
        .load(conn)?;
    Ok((rows, paging))
}

pub fn distinct_actions(conn: &mut DbConn) -> DbResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)
}

/// The names of the objects a page of the log mentions (`domain::audit::Wanted`), each kind
/// in one query.
pub fn names(
    conn: &mut DbConn,
    w: &crate::domain::audit::Wanted,
) -> DbResult<crate::domain::audit::Names> {
    let mut n = crate::domain::audit::Names::default();
    if !w.entries.is_empty() {
        let rows: Vec<(i32, String, String, Option<String>)> = entries::table
            .inner_join(institutions::table)
            .filter(entries::id.eq_any(&w.entries))
            .select((
                entries::id,
                institutions::name,
                entries::title,
                entries::ref_no,
            ))
            .load(conn)?;
        n.entries = rows
            .into_iter()
            .map(|(id, i, t, r)| (id, (i, t, r)))
            .collect();
    }
    if !w.editions.is_empty() {
        let rows: Vec<(i32, String, String)> = editions::table
            .filter(editions::id.eq_any(&w.editions))
            .select((editions::id, editions::name, editions::name_en))
            .load(conn)?;
        n.editions = rows.into_iter().map(|(id, a, b)| (id, (a, b))).collect();
    }
    if !w.users.is_empty() {
        let rows: Vec<(i32, String, String)> = users::table
            .filter(users::id.eq_any(&w.users))
            .select((users::id, users::name, users::email))
            .load(conn)?;
        n.users = rows.into_iter().map(|(id, a, b)| (id, (a, b))).collect();
    }
    if !w.institutions.is_empty() {
        n.institutions = institutions::table
            .filter(institutions::id.eq_any(&w.institutions))
            .select((institutions::id, institutions::name))
            .load::<(i32, String)>(conn)?
            .into_iter()
            .collect::<HashMap<_, _>>();
    }
    if !w.categories.is_empty() {
        n.categories = categories::table
            .filter(categories::id.eq_any(&w.categories))
            .select((categories::id, categories::code))
            .load::<(i32, String)>(conn)?
            .into_iter()
            .collect();
    }
    if !w.outbox.is_empty() {
        let rows: Vec<(i32, String, String)> = outbox::table
            .filter(outbox::id.eq_any(&w.outbox))
            .select((outbox::id, outbox::to_email, outbox::subject))
            .load(conn)?;
        n.outbox = rows.into_iter().map(|(id, a, b)| (id, (a, b))).collect();
    }
    Ok(n)
}
