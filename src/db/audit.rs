//! The audit log: who did what to which object, and when.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{audit_log, users};
use super::{DbConn, DbResult};

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
    pub actor: Option<String>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i32>,
    pub details: String,
}

pub struct AuditFilter {
    pub action: Option<String>,
    pub object_type: Option<String>,
    pub object_id: Option<i32>,
    pub limit: i64,
    pub offset: i64,
}

pub fn list(conn: &mut DbConn, f: &AuditFilter) -> DbResult<(Vec<AuditRow>, i64)> {
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
    let rows = filtered()
        .order(audit_log::id.desc())
        .offset(f.offset)
        .limit(f.limit)
        .select((
            audit_log::id,
            audit_log::at,
            users::email.nullable(),
            audit_log::action,
            audit_log::object_type,
            audit_log::object_id,
            audit_log::details,
        ))
        .load(conn)?;
    Ok((rows, total))
}

pub fn distinct_actions(conn: &mut DbConn) -> DbResult<Vec<String>> {
    audit_log::table
        .select(audit_log::action)
        .distinct()
        .order(audit_log::action.asc())
        .load(conn)
}
