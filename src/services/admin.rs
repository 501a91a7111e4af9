//! The organisers' administration: the outbox (what was sent, sending a failed message again)
//! and the audit log.

use chrono::NaiveDateTime;

use crate::db::audit::{self, AuditFilter, AuditRow};
use crate::db::outbox::{self, MessageRow};
use crate::db::{DbConn, DbError, tx};
use crate::domain::mail::OutboxStatus;

/// One page of the outbox.
pub struct OutboxList {
    pub rows: Vec<MessageRow>,
    /// How many messages pass the filter.
    pub total: i64,
    /// Messages per status, over the whole outbox.
    pub counts: Vec<(OutboxStatus, i64)>,
}

pub fn outbox_list(
    c: &mut DbConn,
    status: Option<OutboxStatus>,
    offset: i64,
    limit: i64,
) -> Result<OutboxList, DbError> {
    let (rows, total) = outbox::list(c, status, offset, limit)?;
    Ok(OutboxList {
        rows,
        total,
        counts: outbox::counts(c)?,
    })
}

/// Queues a message to be sent again, with an audit entry; `false` if there is no such message.
pub fn retry(c: &mut DbConn, organiser: i32, id: i32, now: NaiveDateTime) -> Result<bool, DbError> {
    tx(c, |c| {
        let found = outbox::requeue(c, id, now)?;
        if found {
            audit::record(
                c,
                Some(organiser),
                "outbox:retry",
                "outbox",
                Some(id),
                "",
                now,
            )?;
        }
        Ok::<_, DbError>(found)
    })
}

/// One page of the audit log.
pub struct AuditList {
    pub rows: Vec<AuditRow>,
    /// The names the rows mention.
    pub names: crate::domain::audit::Names,
    /// How many entries pass the filter.
    pub total: i64,
    /// Every action the log holds, for the filter.
    pub actions: Vec<String>,
    /// The action filtered by: the one asked for, if the log holds it.
    pub action: Option<String>,
}

pub fn audit_list(
    c: &mut DbConn,
    action: &str,
    object_type: Option<String>,
    object_id: Option<i32>,
    offset: i64,
    limit: i64,
) -> Result<AuditList, DbError> {
    // Every kind there is, and any the log holds that this version does not know.
    let mut actions: Vec<String> = crate::domain::audit::KINDS
        .iter()
        .map(ToString::to_string)
        .collect();
    for a in audit::distinct_actions(c)? {
        if !actions.contains(&a) {
            actions.push(a);
        }
    }
    let action = actions.iter().find(|a| *a == action).cloned();
    let f = AuditFilter {
        action: action.clone(),
        object_type,
        object_id,
        offset,
        limit,
    };
    let (rows, total) = audit::list(c, &f)?;
    let mut wanted = crate::domain::audit::Wanted::default();
    for r in &rows {
        wanted.add(&r.action, &r.object_type, r.object_id, &r.details);
    }
    let names = audit::names(c, &wanted)?;
    Ok(AuditList {
        rows,
        names,
        total,
        actions,
        action,
    })
}
