//! The organisers' administration: the outbox (what was sent, sending a failed message again)
//! and the audit log.

use chrono::NaiveDateTime;

use crate::db::audit::{self, AuditFilter, AuditRow};
use crate::db::outbox::{self, MessageRow};
use crate::db::{DbConn, DbError, tx};
use crate::domain::mail::OutboxStatus;
use crate::domain::paging::{PageRequest, Paging};

/// One page of the outbox.
pub struct OutboxList {
    pub rows: Vec<MessageRow>,
    /// Where the page lies among the messages that pass the filter.
    pub paging: Paging,
    /// Messages per status, over the whole outbox.
    pub counts: Vec<(OutboxStatus, i64)>,
}

pub fn outbox_list(
    c: &mut DbConn,
    status: Option<OutboxStatus>,
    page: PageRequest,
) -> Result<OutboxList, DbError> {
    let (rows, paging) = outbox::list(c, status, page)?;
    Ok(OutboxList {
        rows,
        paging,
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
    /// Where the page lies among the log entries that pass the filter.
    pub paging: Paging,
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
    page: PageRequest,
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
        page,
    };
    let (rows, paging) = audit::list(c, &f)?;
    let mut wanted = crate::domain::audit::Wanted::default();
    for r in &rows {
        wanted.add(&r.action, &r.object_type, r.object_id, &r.details);
    }
    let names = audit::names(c, &wanted)?;
    Ok(AuditList {
        rows,
        names,
        paging,
        actions,
        action,
    })
}
