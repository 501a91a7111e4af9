//! RODO (GDPR): the privacy notice's version and its acknowledgements, what is stored about a
//! person (for the export), and erasing it (anonymisation, retention).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    assignments, attachments, audit_log, editions, entries, institutions, login_addresses, outbox,
    privacy_consents, remembered_devices, reviews, sessions, site_texts, tokens, users,
};
use super::{DbConn, DbResult};
use crate::domain::edition::EditionState;

/// Where and when the user last signed in from each address.
pub fn sign_ins(c: &mut DbConn, user_id: i32) -> DbResult<Vec<(String, NaiveDateTime)>> {
    login_addresses::table
        .filter(login_addresses::user_id.eq(user_id))
        .order(login_addresses::last_login_at.desc())
        .select((login_addresses::address, login_addresses::last_login_at))
        .load(c)
}

/// Until when each of the user's remembered browsers is remembered.
pub fn remembered_until(c: &mut DbConn, user_id: i32) -> DbResult<Vec<NaiveDateTime>> {
    remembered_devices::table
        .filter(remembered_devices::user_id.eq(user_id))
        .order(remembered_devices::expires_at.asc())
        .select(remembered_devices::expires_at)
        .load(c)
}

/// The privacy notice's current version: 1 until an organiser first changes its text.
pub fn privacy_version(c: &mut DbConn) -> DbResult<i32> {
    Ok(site_texts::table
        .find(1)
        .select(site_texts::privacy_version)
        .first(c)
        .optional()?
        .unwrap_or(1))
}

/// Raises the privacy notice's version by one, in the statement (inside the transaction that
/// saves the texts, after the row exists).
pub fn bump_privacy_version(c: &mut DbConn) -> DbResult<()> {
    diesel::update(site_texts::table.find(1))
        .set(site_texts::privacy_version.eq(site_texts::privacy_version + 1))
        .execute(c)
        .map(|_| ())
}

/// Records that `user_id` acknowledged `version` at `now`; a second acknowledgement of the same
/// version (a double click) keeps the first. Returns whether this one was new.
pub fn acknowledge(
    c: &mut DbConn,
    user_id: i32,
    version: i32,
    now: NaiveDateTime,
) -> DbResult<bool> {
    use diesel::sql_types::{Integer, Timestamp};
    // The primary key decides between two acknowledgements at once; both backends know
    // `ON CONFLICT … DO NOTHING`, and the loser changes nothing.
    const SQL: &str = "INSERT INTO privacy_consents (user_id, version, at) VALUES ($1, $2, $3) \
                       ON CONFLICT (user_id, version) DO NOTHING";
    macro_rules! insert {
        ($conn:expr) => {
            diesel::sql_query(SQL)
                .bind::<Integer, _>(user_id)
                .bind::<Integer, _>(version)
                .bind::<Timestamp, _>(now)
                .execute($conn)?
        };
    }
    let new = match c {
        DbConn::Pg(pg) => insert!(pg),
        DbConn::Sqlite(lite) => insert!(lite),
    } > 0;
    diesel::update(users::table.find(user_id))
        .filter(users::privacy_version.lt(version))
        .set(users::privacy_version.eq(version))
        .execute(c)?;
    Ok(new)
}

/// A user's acknowledgements, oldest first: (version, time).
pub fn consents(c: &mut DbConn, user_id: i32) -> DbResult<Vec<(i32, NaiveDateTime)>> {
    privacy_consents::table
        .filter(privacy_consents::user_id.eq(user_id))
        .order(privacy_consents::version.asc())
        .select((privacy_consents::version, privacy_consents::at))
        .load(c)
}

/// Messages queued for a user or sent to their address: (id, kind, subject, body, status,
/// queued, sent).
#[derive(Queryable, Debug, Clone)]
pub struct MailRow {
    pub id: i32,
    pub kind: String,
    pub to_email: String,
    pub subject: String,
    pub body_text: String,
    pub status: crate::domain::mail::OutboxStatus,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

pub fn mail_to(c: &mut DbConn, user_id: i32, email: &str) -> DbResult<Vec<MailRow>> {
    outbox::table
        .filter(
            outbox::user_id
                .eq(user_id)
                .or(super::users::lower(outbox::to_email).eq(email.to_lowercase())),
        )
        .order(outbox::id.asc())
        .select((
            outbox::id,
            outbox::kind,
            outbox::to_email,
            outbox::subject,
            outbox::body_text,
            outbox::status,
            outbox::created_at,
            outbox::sent_at,
        ))
        .load(c)
}

/// Audit entries by a user or about them: (id, time, actor, kind, object type, object, details).
#[derive(Queryable, Debug, Clone)]
pub struct AuditRow {
    pub id: i32,
    pub at: NaiveDateTime,
    pub actor_id: Option<i32>,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i32>,
    pub details: String,
}

pub fn audit_about(c: &mut DbConn, user_id: i32) -> DbResult<Vec<AuditRow>> {
    audit_log::table
        .filter(
            audit_log::actor_id.eq(user_id).or(audit_log::object_type
                .eq("user")
                .and(audit_log::object_id.eq(user_id))),
        )
        .order(audit_log::id.asc())
        .select((
            audit_log::id,
            audit_log::at,
            audit_log::actor_id,
            audit_log::action,
            audit_log::object_type,
            audit_log::object_id,
            audit_log::details,
        ))
        .load(c)
}

/// A juror's review as the export shows it: (entry, status, total, comment, submitted).
pub type ReviewRow = (
    i32,
    crate::domain::review::ReviewStatus,
    Option<f64>,
    String,
    Option<NaiveDateTime>,
);

/// A juror's reviews.
pub fn reviews_by(c: &mut DbConn, juror_id: i32) -> DbResult<Vec<ReviewRow>> {
    reviews::table
        .filter(reviews::juror_id.eq(juror_id))
        .order(reviews::id.asc())
        .select((
            reviews::entry_id,
            reviews::status,
            reviews::total,
            reviews::comment,
            reviews::submitted_at,
        ))
        .load(c)
}

/// Entries of unpublished editions that a person created or an institution made, by id: what
/// keeps them from being anonymised.
pub fn open_entries_of_user(c: &mut DbConn, user_id: i32) -> DbResult<i64> {
    entries::table
        .inner_join(editions::table)
        .filter(entries::created_by.eq(user_id))
        .filter(editions::state.ne(EditionState::Published))
        .count()
        .get_result(c)
}

pub fn open_assignments_of(c: &mut DbConn, juror_id: i32) -> DbResult<i64> {
    assignments::table
        .inner_join(editions::table.on(editions::id.eq(assignments::edition_id)))
        .filter(assignments::juror_id.eq(juror_id))
        .filter(editions::state.ne(EditionState::Published))
        .count()
        .get_result(c)
}

pub fn open_entries_of_institution(c: &mut DbConn, institution_id: i32) -> DbResult<i64> {
    entries::table
        .inner_join(editions::table)
        .filter(entries::institution_id.eq(institution_id))
        .filter(editions::state.ne(EditionState::Published))
        .count()
        .get_result(c)
}

/// The placeholder that replaces an erased address: unique (the id) and undeliverable.
pub fn erased_email(user_id: i32) -> String {
    format!("usunieto-{user_id}@invalid")
}

/// Replaces a user's personal fields, ends their sessions and removes their tokens and known
/// addresses; erases the bodies of mail to them and their personal data in audit details.
pub fn erase_user(
    c: &mut DbConn,
    user_id: i32,
    old_email: &str,
    now: NaiveDateTime,
) -> DbResult<()> {
    let placeholder = erased_email(user_id);
    // Registration copies the first member's name into the institution's contact person: when
    // it is this person, that name and the contact phone go too (the institution's name stays).
    let before: Option<(String, Option<i32>)> = users::table
        .find(user_id)
        .select((users::name, users::institution_id))
        .first(c)
        .optional()?;
    if let Some((name, Some(inst))) = before
        && !name.trim().is_empty()
    {
        diesel::update(institutions::table.find(inst).filter(
            super::users::lower(institutions::contact_person).eq(name.trim().to_lowercase()),
        ))
        .set((
            institutions::contact_person.eq(""),
            institutions::phone.eq(""),
            institutions::updated_at.eq(now),
        ))
        .execute(c)?;
    }
    diesel::update(users::table.find(user_id))
        .set((
            users::email.eq(&placeholder),
            users::name.eq(""),
            users::password_hash.eq(None::<String>),
            users::affiliation.eq(None::<String>),
            users::disabled_at.eq(Some(now)),
            users::anonymised_at.eq(Some(now)),
            users::updated_at.eq(now),
        ))
        .execute(c)?;
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(c)?;
    diesel::delete(
        tokens::table.filter(
            tokens::user_id
                .eq(user_id)
                .or(super::users::lower_opt(tokens::email).eq(old_email.to_lowercase())),
        ),
    )
    .execute(c)?;
    diesel::delete(login_addresses::table.filter(login_addresses::user_id.eq(user_id)))
        .execute(c)?;
    diesel::update(
        outbox::table.filter(
            outbox::user_id
                .eq(user_id)
                .or(super::users::lower(outbox::to_email).eq(old_email.to_lowercase())),
        ),
    )
    .set((
        outbox::to_email.eq(&placeholder),
        outbox::to_name.eq(""),
        outbox::body_text.eq(""),
        outbox::body_html.eq(""),
    ))
    .execute(c)?;
    // Contact fields of the entries they wrote, and of any entry that names their address.
    diesel::update(
        entries::table.filter(
            entries::created_by
                .eq(user_id)
                .or(super::users::lower(entries::contact_email).eq(old_email.to_lowercase())),
        ),
    )
    .set((
        entries::contact_name.eq(""),
        entries::contact_email.eq(""),
        entries::contact_phone.eq(""),
    ))
    .execute(c)?;
    // Audit details that hold the address (invitations, account changes) or describe the user.
    diesel::update(
        audit_log::table.filter(
            audit_log::details.eq(old_email).or(audit_log::object_type
                .eq("user")
                .and(audit_log::object_id.eq(user_id))),
        ),
    )
    .set(audit_log::details.eq(""))
    .execute(c)?;
    Ok(())
}

/// Replaces an institution's personal fields (contact person, phone, address) and the contact
/// fields of its entries; the name stays, because published results name it.
pub fn erase_institution(c: &mut DbConn, institution_id: i32, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(institutions::table.find(institution_id))
        .set((
            institutions::contact_person.eq(""),
            institutions::phone.eq(""),
            institutions::street.eq(""),
            institutions::anonymised_at.eq(Some(now)),
            institutions::updated_at.eq(now),
        ))
        .execute(c)?;
    diesel::update(entries::table.filter(entries::institution_id.eq(institution_id)))
        .set((
            entries::contact_name.eq(""),
            entries::contact_email.eq(""),
            entries::contact_phone.eq(""),
        ))
        .execute(c)?;
    diesel::update(
        outbox::table
            .filter(outbox::institution_id.eq(institution_id))
            .filter(outbox::body_text.ne("")),
    )
    .set((outbox::body_text.eq(""), outbox::body_html.eq("")))
    .execute(c)?;
    diesel::update(
        audit_log::table
            .filter(audit_log::object_type.eq("institution"))
            .filter(audit_log::object_id.eq(institution_id)),
    )
    .set(audit_log::details.eq(""))
    .execute(c)?;
    Ok(())
}

/// Attachments of an institution's entries: (id, stored name).
pub fn attachments_of_institution(
    c: &mut DbConn,
    institution_id: i32,
) -> DbResult<Vec<(i32, String)>> {
    attachments::table
        .inner_join(entries::table)
        .filter(entries::institution_id.eq(institution_id))
        .order(attachments::id.asc())
        .select((attachments::id, attachments::stored_name))
        .load(c)
}

/// Stored names of the attachments of these entries (to delete the files after the commit).
pub fn attachment_files(c: &mut DbConn, entry_ids: &[i32]) -> DbResult<Vec<String>> {
    attachments::table
        .filter(attachments::entry_id.eq_any(entry_ids))
        .select(attachments::stored_name)
        .load(c)
}

// ---------------------------------------------------------------------------------------------
// Retention

/// A published edition: (id, name, published at, retention in years).
pub type PublishedEdition = (i32, String, Option<NaiveDateTime>, i32);

/// Published editions, oldest first.
pub fn published_editions(c: &mut DbConn) -> DbResult<Vec<PublishedEdition>> {
    editions::table
        .filter(editions::state.eq(EditionState::Published))
        .order(editions::id.asc())
        .select((
            editions::id,
            editions::name,
            editions::results_published_at,
            editions::retention_years,
        ))
        .load(c)
}

/// The newest edition's retention (for messages, which belong to no edition).
pub fn newest_retention(c: &mut DbConn) -> DbResult<Option<i32>> {
    editions::table
        .order(editions::id.desc())
        .select(editions::retention_years)
        .first(c)
        .optional()
}

/// Institutions with entries only in these editions (none elsewhere), not yet anonymised.
pub fn institutions_only_in(c: &mut DbConn, expired: &[i32]) -> DbResult<Vec<i32>> {
    let inside: Vec<i32> = entries::table
        .filter(entries::edition_id.eq_any(expired))
        .select(entries::institution_id)
        .distinct()
        .load(c)?;
    let elsewhere: Vec<i32> = entries::table
        .filter(entries::edition_id.ne_all(expired))
        .select(entries::institution_id)
        .distinct()
        .load(c)?;
    let done: Vec<i32> = institutions::table
        .filter(institutions::anonymised_at.is_not_null())
        .select(institutions::id)
        .load(c)?;
    Ok(inside
        .into_iter()
        .filter(|i| !elsewhere.contains(i) && !done.contains(i))
        .collect())
}

/// Jurors assigned only in these editions, not yet anonymised.
pub fn jurors_only_in(c: &mut DbConn, expired: &[i32]) -> DbResult<Vec<i32>> {
    let inside: Vec<i32> = assignments::table
        .filter(assignments::edition_id.eq_any(expired))
        .select(assignments::juror_id)
        .distinct()
        .load(c)?;
    let elsewhere: Vec<i32> = assignments::table
        .filter(assignments::edition_id.ne_all(expired))
        .select(assignments::juror_id)
        .distinct()
        .load(c)?;
    let done: Vec<i32> = users::table
        .filter(users::anonymised_at.is_not_null())
        .select(users::id)
        .load(c)?;
    Ok(inside
        .into_iter()
        .filter(|i| !elsewhere.contains(i) && !done.contains(i))
        .collect())
}

/// Attachments of the entries of these editions: (id, stored name).
pub fn attachments_of_editions(c: &mut DbConn, expired: &[i32]) -> DbResult<Vec<(i32, String)>> {
    attachments::table
        .inner_join(entries::table)
        .filter(entries::edition_id.eq_any(expired))
        .order(attachments::id.asc())
        .select((attachments::id, attachments::stored_name))
        .load(c)
}

pub fn delete_attachments(c: &mut DbConn, ids: &[i32]) -> DbResult<usize> {
    diesel::delete(attachments::table.filter(attachments::id.eq_any(ids))).execute(c)
}

/// Messages queued before `cutoff` whose text is still stored (sent or given up on).
pub fn old_bodies(c: &mut DbConn, cutoff: NaiveDateTime) -> DbResult<i64> {
    outbox::table
        .filter(outbox::created_at.lt(cutoff))
        .filter(outbox::body_text.ne("").or(outbox::body_html.ne("")))
        .filter(outbox::status.ne(crate::domain::mail::OutboxStatus::Queued))
        .count()
        .get_result(c)
}

pub fn erase_old_bodies(c: &mut DbConn, cutoff: NaiveDateTime) -> DbResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::created_at.lt(cutoff))
            .filter(outbox::body_text.ne("").or(outbox::body_html.ne("")))
            .filter(outbox::status.ne(crate::domain::mail::OutboxStatus::Queued)),
    )
    .set((outbox::body_text.eq(""), outbox::body_html.eq("")))
    .execute(c)
}
