//! What organisers are told by email and what downloads gather: their settings (the daily
//! digest of submitted entries, the notice when a juror finishes their list), the digest's
//! claim and rows, a juror's progress on their list, and the attachments of a category.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::entries::Attachment;
use super::schema::{
    assignments, attachments, categories, conflicts, editions, entries, institutions,
    juror_categories, organiser_mail, reviews, users,
};
use super::users::User;
use super::{DbConn, DbResult};
use crate::domain::entry::EntryStatus;
use crate::domain::review::ReviewStatus;
use crate::domain::roles::Role;

/// An organiser's email settings; without a stored row, [`MailPrefs::default`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MailPrefs {
    /// The daily digest of entries submitted (opt-in).
    pub digest: bool,
    /// A notice when a juror has submitted their last score (on unless turned off).
    pub juror_done: bool,
}

impl Default for MailPrefs {
    fn default() -> Self {
        MailPrefs {
            digest: false,
            juror_done: true,
        }
    }
}

pub fn prefs(c: &mut DbConn, user_id: i32) -> DbResult<MailPrefs> {
    let row: Option<(bool, bool)> = organiser_mail::table
        .find(user_id)
        .select((organiser_mail::digest, organiser_mail::juror_done))
        .first(c)
        .optional()?;
    Ok(
        row.map_or_else(MailPrefs::default, |(digest, juror_done)| MailPrefs {
            digest,
            juror_done,
        }),
    )
}

/// Stores the settings (call inside a transaction). Turning the digest on starts it at `now`:
/// the first one lists what was submitted after that, not the whole history.
pub fn save_prefs(c: &mut DbConn, user_id: i32, p: MailPrefs, now: NaiveDateTime) -> DbResult<()> {
    let was_on: Option<bool> = organiser_mail::table
        .find(user_id)
        .select(organiser_mail::digest)
        .first(c)
        .optional()?;
    match was_on {
        None => {
            diesel::insert_into(organiser_mail::table)
                .values((
                    organiser_mail::user_id.eq(user_id),
                    organiser_mail::digest.eq(p.digest),
                    organiser_mail::juror_done.eq(p.juror_done),
                    organiser_mail::digest_since.eq(now),
                ))
                .execute(c)?;
        }
        Some(on) => {
            diesel::update(organiser_mail::table.find(user_id))
                .set((
                    organiser_mail::digest.eq(p.digest),
                    organiser_mail::juror_done.eq(p.juror_done),
                ))
                .execute(c)?;
            if p.digest && !on {
                diesel::update(organiser_mail::table.find(user_id))
                    .set(organiser_mail::digest_since.eq(now))
                    .execute(c)?;
            }
        }
    }
    Ok(())
}

/// Organisers (active, not erased) with the digest on who have not had one on `today` (a
/// Warsaw date, `YYYY-MM-DD`).
pub fn digest_due(c: &mut DbConn, today: &str) -> DbResult<Vec<i32>> {
    organiser_mail::table
        .inner_join(users::table)
        .filter(organiser_mail::digest.eq(true))
        .filter(
            organiser_mail::digest_day
                .is_null()
                .or(organiser_mail::digest_day.lt(today)),
        )
        .filter(users::role.eq(Role::Organiser))
        .filter(users::disabled_at.is_null())
        .filter(users::anonymised_at.is_null())
        .order(users::id.asc())
        .select(users::id)
        .load(c)
}

/// Claims `today`'s digest for this organiser: one conditional UPDATE, so of two instances (or
/// threads) only one changes the row. Returns the start of the period the digest covers (the
/// previous digest's time) if this caller won, `None` if the digest is off or already claimed.
/// Call inside a transaction (the period is read before the row is moved on).
pub fn claim_digest(
    c: &mut DbConn,
    user_id: i32,
    today: &str,
    now: NaiveDateTime,
) -> DbResult<Option<NaiveDateTime>> {
    let Some(since) = organiser_mail::table
        .find(user_id)
        .select(organiser_mail::digest_since)
        .first::<NaiveDateTime>(c)
        .optional()?
    else {
        return Ok(None);
    };
    let n = diesel::update(
        organiser_mail::table
            .find(user_id)
            .filter(organiser_mail::digest.eq(true))
            .filter(
                organiser_mail::digest_day
                    .is_null()
                    .or(organiser_mail::digest_day.lt(today)),
            ),
    )
    .set((
        organiser_mail::digest_day.eq(today),
        organiser_mail::digest_since.eq(now),
    ))
    .execute(c)?;
    Ok((n == 1).then_some(since))
}

/// One line of the digest.
#[derive(Queryable, Clone, Debug)]
pub struct Submitted {
    pub entry_id: i32,
    pub edition_id: i32,
    pub edition_name: String,
    pub edition_name_en: String,
    pub ref_no: Option<String>,
    pub title: String,
    pub institution: String,
    pub submitted_at: Option<NaiveDateTime>,
}

/// Entries submitted in `(since, until]` and still in the competition (not withdrawn), by
/// edition and reference number.
pub fn submitted_between(
    c: &mut DbConn,
    since: NaiveDateTime,
    until: NaiveDateTime,
) -> DbResult<Vec<Submitted>> {
    entries::table
        .inner_join(editions::table)
        .inner_join(institutions::table)
        .filter(entries::submitted_at.gt(since))
        .filter(entries::submitted_at.le(until))
        .filter(entries::status.ne_all([EntryStatus::Draft, EntryStatus::Withdrawn]))
        .order((editions::id.asc(), entries::ref_no.asc(), entries::id.asc()))
        .select((
            entries::id,
            editions::id,
            editions::name,
            editions::name_en,
            entries::ref_no,
            entries::title,
            institutions::name,
            entries::submitted_at,
        ))
        .load(c)
}

/// Active organisers who want to hear when a juror finishes (no stored settings: yes).
pub fn juror_done_recipients(c: &mut DbConn) -> DbResult<Vec<User>> {
    users::table
        .left_join(organiser_mail::table)
        .filter(users::role.eq(Role::Organiser))
        .filter(users::disabled_at.is_null())
        .filter(users::anonymised_at.is_null())
        .filter(
            organiser_mail::juror_done
                .nullable()
                .is_null()
                .or(organiser_mail::juror_done.nullable().eq(true)),
        )
        .order(users::id.asc())
        .select(User::as_select())
        .load(c)
}

/// A juror's list in the edition (`jury::work_query`, for one juror): (entries on it, of them with the juror's review submitted).
pub fn juror_progress(c: &mut DbConn, edition_id: i32, juror_id: i32) -> DbResult<(i64, i64)> {
    let statuses: Vec<Option<ReviewStatus>> = super::jury::work_query!(edition_id)
        .filter(assignments::juror_id.eq(juror_id))
        .select(reviews::status.nullable())
        .load(c)?;
    let done = statuses
        .iter()
        .filter(|s| s.is_some_and(ReviewStatus::is_submitted))
        .count();
    Ok((
        i64::try_from(statuses.len()).unwrap_or(i64::MAX),
        i64::try_from(done).unwrap_or(i64::MAX),
    ))
}

/// One file of a category's download, with its entry's reference number.
#[derive(Clone, Debug)]
pub struct CategoryFile {
    pub ref_no: Option<String>,
    pub entry_id: i32,
    pub attachment: Attachment,
}

/// The attachments of a category's entries that are in the competition (submitted, returned,
/// accepted or rejected); with `juror`, only of the entries on that juror's list (assigned,
/// no conflict). By reference number, then upload order.
pub fn category_files(
    c: &mut DbConn,
    category_id: i32,
    juror: Option<i32>,
) -> DbResult<Vec<CategoryFile>> {
    let statuses = [
        EntryStatus::Submitted,
        EntryStatus::Returned,
        EntryStatus::Accepted,
        EntryStatus::Rejected,
    ];
    let rows: Vec<(Option<String>, Attachment)> = match juror {
        None => attachments::table
            .inner_join(entries::table)
            .filter(entries::category_id.eq(category_id))
            .filter(entries::status.eq_any(statuses))
            .order((
                entries::ref_no.asc(),
                entries::id.asc(),
                attachments::id.asc(),
            ))
            .select((entries::ref_no, Attachment::as_select()))
            .load(c)?,
        Some(juror_id) => attachments::table
            .inner_join(
                entries::table.inner_join(
                    assignments::table.on(assignments::entry_id
                        .eq(entries::id)
                        .and(assignments::juror_id.eq(juror_id))),
                ),
            )
            .left_join(
                conflicts::table.on(conflicts::edition_id
                    .eq(entries::edition_id)
                    .and(conflicts::juror_id.eq(juror_id))
                    .and(conflicts::institution_id.eq(entries::institution_id))),
            )
            .filter(conflicts::id.nullable().is_null())
            .filter(entries::category_id.eq(category_id))
            .filter(entries::status.eq_any(statuses))
            .order((
                entries::ref_no.asc(),
                entries::id.asc(),
                attachments::id.asc(),
            ))
            .select((entries::ref_no, Attachment::as_select()))
            .load(c)?,
    };
    Ok(rows
        .into_iter()
        .map(|(ref_no, attachment)| CategoryFile {
            ref_no,
            entry_id: attachment.entry_id,
            attachment,
        })
        .collect())
}

/// The categories a juror judges in an edition (id, code), by position: their ZIPs.
pub fn juror_category_codes(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
) -> DbResult<Vec<(i32, String)>> {
    juror_categories::table
        .inner_join(categories::table)
        .filter(juror_categories::edition_id.eq(edition_id))
        .filter(juror_categories::juror_id.eq(juror_id))
        .order(categories::position.asc())
        .select((categories::id, categories::code))
        .load(c)
}

/// A category with its edition's id and code, for the download's name.
pub fn category_of(c: &mut DbConn, category_id: i32) -> DbResult<Option<(i32, String)>> {
    categories::table
        .find(category_id)
        .select((categories::edition_id, categories::code))
        .first(c)
        .optional()
}
