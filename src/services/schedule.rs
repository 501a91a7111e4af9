//! Results on schedule: an organiser sets when the results are published (and whether the
//! announcement goes out then); until then only organisers see them, on the publication page;
//! at the time the running server publishes them, exactly once however many instances run,
//! and an instance started after the time catches up.

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::db::awards::{self, Laureate};
use crate::db::editions::{self, Category, Edition};
use crate::db::{DbConn, DbError, audit, lock_row, tx};
use crate::domain::edition::{self as edition_rules, EditionState};
use crate::services::results::{self, ResultsError};

/// Why the results cannot be scheduled now (a message key), if they cannot.
fn refusal(e: &Edition) -> Option<&'static str> {
    if e.state == EditionState::Published {
        Some("confirm.already_published")
    } else if e.state != EditionState::Judging {
        Some("results.err_not_judging")
    } else if e.protocol_finalised_at.is_none() {
        Some("edition.err_protocol")
    } else {
        None
    }
}

/// What the publication page shows: the schedule and the results as they will be published.
pub struct Publication {
    pub edition: Edition,
    pub categories: Vec<Category>,
    pub laureates: Vec<Laureate>,
    /// Why the publication cannot be scheduled now (a message key), if it cannot.
    pub refused: Option<&'static str>,
}

/// The publication page of an edition; `None` if there is no such edition.
pub fn publication(c: &mut DbConn, edition_id: i32) -> Result<Option<Publication>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    Ok(Some(Publication {
        categories: editions::categories(c, edition_id)?,
        laureates: awards::laureates(c, edition_id)?,
        refused: refusal(&edition),
        edition,
    }))
}

/// The details the audit log keeps of a schedule: the time (UTC) and whether it announces.
pub fn audit_details(at: NaiveDateTime, announce: bool) -> String {
    format!(
        "{} {}",
        at.format("%Y-%m-%dT%H:%M"),
        if announce { "announce" } else { "quiet" }
    )
}

/// Schedules (or reschedules) the publication for `at`, which must be in the future.
pub fn schedule(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    at: NaiveDateTime,
    announce: bool,
    now: NaiveDateTime,
) -> Result<(), ResultsError> {
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let e = editions::find(c, edition_id)?.ok_or(ResultsError::NotFound)?;
        if let Some(k) = refusal(&e) {
            return Err(ResultsError::Refused(k));
        }
        if at <= now {
            return Err(ResultsError::Refused("schedule.err_past"));
        }
        editions::set_schedule(c, e.id, Some(at), announce)?;
        audit::record(
            c,
            Some(organiser),
            "results:schedule",
            "edition",
            Some(e.id),
            &audit_details(at, announce),
            now,
        )?;
        Ok(())
    })
}

/// Cancels the scheduled publication; refused when none is scheduled (any more).
pub fn cancel(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    now: NaiveDateTime,
) -> Result<(), ResultsError> {
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let e = editions::find(c, edition_id)?.ok_or(ResultsError::NotFound)?;
        if e.state == EditionState::Published {
            return Err(ResultsError::Refused("confirm.already_published"));
        }
        if e.publish_at.is_none() {
            return Err(ResultsError::Refused("schedule.err_none"));
        }
        editions::set_schedule(c, e.id, None, false)?;
        audit::record(
            c,
            Some(organiser),
            "results:schedule_cancel",
            "edition",
            Some(e.id),
            "",
            now,
        )?;
        Ok(())
    })
}

/// What one run of the scheduler did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Published {
    /// Editions published by this run.
    pub editions: usize,
    /// Announcement messages queued.
    pub messages: usize,
}

/// Publishes every edition whose time has come, each in its own transaction: the claim (one
/// conditional UPDATE: only the instance that changes the row goes on), the step to
/// "published" under the same guard as by hand, the announcement's messages when asked for,
/// and the audit entry. An edition whose guard no longer holds has its schedule dropped and
/// the refusal recorded, rather than being retried for ever.
pub fn publish_due(c: &mut DbConn, cfg: &Config, now: NaiveDateTime) -> Result<Published, DbError> {
    let mut done = Published::default();
    for id in editions::due_for_publication(c, now)? {
        let outcome = tx(c, |c| -> Result<Option<usize>, DbError> {
            let Some(announce) = editions::claim_publication(c, id, now)? else {
                return Ok(None);
            };
            let Some(e) = editions::find(c, id)? else {
                return Ok(None);
            };
            let facts = crate::services::editions::facts(c, &e)?;
            if let Err(k) = edition_rules::check_transition(&facts, EditionState::Published, now) {
                audit::record(
                    c,
                    None,
                    "results:schedule_failed",
                    "edition",
                    Some(id),
                    k,
                    now,
                )?;
                return Ok(None);
            }
            editions::set_state(c, id, EditionState::Published, now)?;
            editions::set_results_published(c, id, now)?;
            let e = editions::find(c, id)?.unwrap_or(e);
            let messages = if announce {
                results::queue_announcement(c, cfg, &e, &[], now)?
            } else {
                0
            };
            audit::record(
                c,
                None,
                "results:publish_scheduled",
                "edition",
                Some(id),
                &messages.to_string(),
                now,
            )?;
            Ok(Some(messages))
        })?;
        if let Some(m) = outcome {
            done.editions += 1;
            done.messages += m;
        }
    }
    Ok(done)
}
