//! The few reads behind the organisers' charts and the announcement's progress: each one
//! set-based query over an index, aggregated in Rust.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{awards, entries, outbox};
use super::{DbConn, DbResult};
use crate::domain::entry::EntryStatus;
use crate::domain::mail::OutboxStatus;

/// (category id, submission time) of every entry of the edition that was submitted and not
/// taken back as a draft or withdrawn (index `entries_edition`).
pub fn submissions(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, NaiveDateTime)>> {
    let rows: Vec<(i32, Option<NaiveDateTime>)> = entries::table
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::status.ne_all([EntryStatus::Draft, EntryStatus::Withdrawn]))
        .filter(entries::submitted_at.is_not_null())
        .select((entries::category_id, entries::submitted_at))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(cat, at)| Some((cat, at?)))
        .collect())
}

/// One announcement message: (kind, institution, address, status).
pub type AnnouncementRow = (String, Option<i32>, String, OutboxStatus);

/// Every message of the announcement kinds queued since a time (index `outbox_kind_created`).
pub fn announcement_messages(
    c: &mut DbConn,
    kinds: &[&str],
    since: NaiveDateTime,
) -> DbResult<Vec<AnnouncementRow>> {
    outbox::table
        .filter(outbox::kind.eq_any(kinds))
        .filter(outbox::created_at.ge(since))
        .select((
            outbox::kind,
            outbox::institution_id,
            outbox::to_email,
            outbox::status,
        ))
        .load(c)
}

/// Institutions with an award or a mention in the edition (its announcement's laureates).
pub fn awarded_institutions(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<i32>> {
    awards::table
        .inner_join(entries::table)
        .filter(awards::edition_id.eq(edition_id))
        .select(entries::institution_id)
        .distinct()
        .load(c)
}
