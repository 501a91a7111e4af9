//! Entries: creating, saving, submitting and withdrawing them, their attachments, and the
//! organisers' formal decisions. The deadline and the limits are checked here, inside the
//! transaction, to the second.

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::db::editions::{self, Category, Edition};
use crate::db::entries::{self, Attachment, Entry, EntryFields, NewAttachment};
use crate::db::users::{self, User};
use crate::db::{DbConn, DbError, audit, institutions, lock_row, tx};
use crate::domain::edition::accepting_entries;
use crate::domain::entry::{self, EntryData, EntryStatus, Problem};
use crate::domain::roles::Role;
use crate::domain::time;
use crate::mail::{self, Content};
use crate::services::accounts::recipient;
use crate::urls;

/// The most attachments one entry can have.
pub const MAX_ATTACHMENTS: i64 = 5;
/// The largest attachment, in bytes.
pub const MAX_FILE: u64 = 10 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum EntryError {
    /// Outside the submission window (or the correction period).
    #[error("submissions are closed")]
    Closed,
    /// The institution has reached the edition's limit in this category.
    #[error("the limit of entries is reached")]
    LimitReached,
    /// Problems with fields: each field and the key of its message.
    #[error("invalid fields: {0:?}")]
    Fields(Vec<Problem>),
    #[error("too many attachments")]
    TooManyAttachments,
    #[error("no such entry")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::query_errors_into_db!(EntryError);

/// Who is asking, as far as entries are concerned.
#[derive(Clone, Copy, Debug)]
pub struct Viewer {
    pub user_id: i32,
    pub role: Role,
    pub institution_id: Option<i32>,
}

/// May this viewer see this entry? Applicants see their institution's entries, organisers all.
/// (Jurors see the entries assigned to them: see the jury rules.)
pub fn can_view(v: &Viewer, e: &Entry) -> bool {
    match v.role {
        Role::Organiser => true,
        Role::Applicant => v.institution_id == Some(e.institution_id),
        Role::Juror => false,
    }
}

/// `can_view`, with what only the database knows (a juror's assignment and conflicts).
pub fn may_view(c: &mut DbConn, v: &Viewer, e: &Entry) -> Result<bool, DbError> {
    crate::services::jury::may_view(c, v, e)
}

/// The entry if this applicant's institution owns it; anyone else gets nothing (a 404).
pub fn own_entry(
    c: &mut DbConn,
    v: &Viewer,
    id: i32,
) -> Result<Option<Entry>, diesel::result::Error> {
    Ok(entries::find(c, id)?
        .filter(|e| v.role == Role::Applicant && v.institution_id == Some(e.institution_id)))
}

pub fn is_accepting(e: &Edition, now: NaiveDateTime) -> bool {
    accepting_entries(e.state, e.opens_at, e.closes_at, now)
}

/// Whether the applicant may change this entry now.
pub fn is_editable(ed: &Edition, e: &Entry, now: NaiveDateTime) -> bool {
    entry::editable(e.status, e.correction_until, is_accepting(ed, now), now)
}

fn fields(category_id: i32, d: &EntryData) -> EntryFields {
    EntryFields {
        category_id,
        title: d.title.clone(),
        summary: d.summary.clone(),
        description: d.description.clone(),
        started_on: d.started_on,
        launched_on: d.launched_on,
        budget: d.budget.clone(),
        funding: d.funding.clone(),
        partners: d.partners.clone(),
        links: d.links.join("\n"),
        contact_name: d.contact_name.clone(),
        contact_email: d.contact_email.clone(),
        contact_phone: d.contact_phone.clone(),
        accepted_rules: d.accepted_rules,
        accepted_privacy: d.accepted_privacy,
    }
}

fn category_in(c: &mut DbConn, edition_id: i32, category_id: i32) -> Result<Category, EntryError> {
    editions::find_category(c, category_id)?
        .filter(|cat| cat.edition_id == edition_id)
        .ok_or(EntryError::Fields(vec![(
            "category_id",
            "entry.err_category",
        )]))
}

/// What saving does with the entry's status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Intent {
    /// Keep the status: a draft stays a draft, a submitted entry stays submitted (and complete).
    Save,
    /// Keep the status, but the entry must be complete: the step before the confirmation page
    /// (the form's "review and submit" button). The web form never submits directly.
    Check,
    /// Submit a draft, or resubmit an entry returned for correction (the demo data; applicants
    /// submit through the confirmation page, [`submit_saved`]).
    Submit,
}

/// Creates an entry in the edition's call. Returns its id.
// The time is one more explicit input (see `Clock`), not a reason to bundle the others.
#[allow(clippy::too_many_arguments)]
pub fn create(
    c: &mut DbConn,
    cfg: &Config,
    user: &User,
    edition_id: i32,
    category_id: i32,
    d: &EntryData,
    intent: Intent,
    now: NaiveDateTime,
) -> Result<i32, EntryError> {
    let inst = user.institution_id.ok_or(EntryError::NotFound)?;
    tx(c, |c| {
        // The limit is counted per institution: parallel saves of one institution wait here, so
        // each counts what the others committed.
        lock_row(c, "institutions", inst)?;
        let ed = editions::find(c, edition_id)?.ok_or(EntryError::NotFound)?;
        if !is_accepting(&ed, now) {
            return Err(EntryError::Closed);
        }
        let cat = category_in(c, ed.id, category_id)?;
        if intent != Intent::Save {
            let missing = entry::missing_for_submission(d);
            if !missing.is_empty() {
                return Err(EntryError::Fields(missing));
            }
        }
        if entries::count_active(c, ed.id, cat.id, inst, None)?
            >= i64::from(ed.entries_per_category)
        {
            return Err(EntryError::LimitReached);
        }
        let id = entries::insert(c, ed.id, inst, user.id, &fields(cat.id, d), now)?;
        audit::record(
            c,
            Some(user.id),
            "entry:create",
            "entry",
            Some(id),
            &d.title,
            now,
        )?;
        if intent == Intent::Submit {
            submit_now(c, cfg, user, id, &ed, &cat, now)?;
        }
        Ok(id)
    })
}

/// Locks the institution (for the limit on a change of category) and the applicant's own entry
/// (against a parallel submission, withdrawal or decision), then reads the entry: its status is
/// read after both are held.
fn lock_own_entry(c: &mut DbConn, user: &User, entry_id: i32) -> Result<Entry, EntryError> {
    if let Some(inst) = user.institution_id {
        lock_row(c, "institutions", inst)?;
    }
    lock_row(c, "entries", entry_id)?;
    entries::find(c, entry_id)?
        .filter(|e| Some(e.institution_id) == user.institution_id)
        .ok_or(EntryError::NotFound)
}

/// Saves changes to an entry (and submits it when asked).
// The time is one more explicit input (see `Clock`), not a reason to bundle the others.
#[allow(clippy::too_many_arguments)]
pub fn save(
    c: &mut DbConn,
    cfg: &Config,
    user: &User,
    entry_id: i32,
    category_id: i32,
    d: &EntryData,
    intent: Intent,
    now: NaiveDateTime,
) -> Result<(), EntryError> {
    tx(c, |c| {
        let e = lock_own_entry(c, user, entry_id)?;
        let ed = editions::find(c, e.edition_id)?.ok_or(EntryError::NotFound)?;
        if !is_editable(&ed, &e, now) {
            return Err(EntryError::Closed);
        }
        let status = e.status;
        // During a correction only that entry's content changes, not its category.
        let category_id = if status == EntryStatus::Returned {
            e.category_id
        } else {
            category_id
        };
        let cat = category_in(c, ed.id, category_id)?;
        let must_be_complete = intent != Intent::Save || status != EntryStatus::Draft;
        if must_be_complete {
            let missing = entry::missing_for_submission(d);
            if !missing.is_empty() {
                return Err(EntryError::Fields(missing));
            }
        }
        if cat.id != e.category_id
            && entries::count_active(c, ed.id, cat.id, e.institution_id, Some(e.id))?
                >= i64::from(ed.entries_per_category)
        {
            return Err(EntryError::LimitReached);
        }
        entries::update_fields(c, e.id, &fields(cat.id, d), now)?;
        if e.ref_no.is_some() && cat.id != e.category_id {
            assign_reference(c, &ed, &cat, e.id)?;
        }
        audit::record(
            c,
            Some(user.id),
            "entry:update",
            "entry",
            Some(e.id),
            &d.title,
            now,
        )?;
        if intent == Intent::Submit && matches!(status, EntryStatus::Draft | EntryStatus::Returned)
        {
            submit_now(c, cfg, user, e.id, &ed, &cat, now)?;
        }
        Ok(())
    })
}

/// The entry's fields as stored (already cleaned when they were saved).
fn stored_data(e: &Entry) -> EntryData {
    EntryData {
        title: e.title.clone(),
        summary: e.summary.clone(),
        description: e.description.clone(),
        started_on: e.started_on,
        launched_on: e.launched_on,
        budget: e.budget.clone(),
        funding: e.funding.clone(),
        partners: e.partners.clone(),
        links: e
            .links
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        contact_name: e.contact_name.clone(),
        contact_email: e.contact_email.clone(),
        contact_phone: e.contact_phone.clone(),
        accepted_rules: e.accepted_rules,
        accepted_privacy: e.accepted_privacy,
    }
}

/// What the confirmation page before submitting an entry shows.
pub struct Submission {
    pub details: EntryDetails,
    /// What the stored entry still lacks for submission (field, message key).
    pub missing: Vec<Problem>,
    /// The entry can be submitted now: a draft or a returned entry, within its deadline.
    pub submittable: bool,
}

/// The applicant's own entry as it would be submitted; `None` is a 404.
pub fn submission(
    c: &mut DbConn,
    v: &Viewer,
    id: i32,
    now: NaiveDateTime,
) -> Result<Option<Submission>, DbError> {
    let Some(e) = own_entry(c, v, id)? else {
        return Ok(None);
    };
    let Some(ed) = editions::find(c, e.edition_id)? else {
        return Ok(None);
    };
    let submittable =
        matches!(e.status, EntryStatus::Draft | EntryStatus::Returned) && is_editable(&ed, &e, now);
    let missing = entry::missing_for_submission(&stored_data(&e));
    Ok(details_in(c, e, ed)?.map(|details| Submission {
        details,
        missing,
        submittable,
    }))
}

/// Submits the entry as it is stored (the draft the form saved), after the applicant confirmed
/// it: the only way an entry becomes submitted. A second confirmation (a double click) finds it
/// submitted and changes nothing.
pub fn submit_saved(
    c: &mut DbConn,
    cfg: &Config,
    user: &User,
    entry_id: i32,
    now: NaiveDateTime,
) -> Result<(), EntryError> {
    tx(c, |c| {
        let e = lock_own_entry(c, user, entry_id)?;
        if e.status == EntryStatus::Submitted {
            return Ok(());
        }
        let ed = editions::find(c, e.edition_id)?.ok_or(EntryError::NotFound)?;
        if !matches!(e.status, EntryStatus::Draft | EntryStatus::Returned)
            || !is_editable(&ed, &e, now)
        {
            return Err(EntryError::Closed);
        }
        let missing = entry::missing_for_submission(&stored_data(&e));
        if !missing.is_empty() {
            return Err(EntryError::Fields(missing));
        }
        let cat = category_in(c, ed.id, e.category_id)?;
        submit_now(c, cfg, user, e.id, &ed, &cat, now)
    })
}

/// Gives the entry the next reference number in its category (e.g. "VI/II/007"). The number is
/// given once, at the first submission; it changes only when a submitted entry is moved to
/// another category before the deadline, since the category is part of it. Parallel
/// submissions to one category take turns on the category's row (on SQLite the transaction
/// already holds the database); the unique indexes would refuse a duplicate anyway.
fn assign_reference(
    c: &mut DbConn,
    ed: &Edition,
    cat: &Category,
    id: i32,
) -> Result<String, EntryError> {
    lock_row(c, "categories", cat.id)?;
    let seq = entries::next_ref_seq(c, cat.id)?;
    let no = entry::reference(&entry::edition_code(&ed.name, ed.year), &cat.code, seq);
    entries::set_reference(c, id, seq, &no)?;
    Ok(no)
}

/// Marks the entry submitted and queues the confirmation with its summary.
fn submit_now(
    c: &mut DbConn,
    cfg: &Config,
    user: &User,
    id: i32,
    ed: &Edition,
    cat: &Category,
    now: NaiveDateTime,
) -> Result<(), EntryError> {
    entries::mark_submitted(c, id, now)?;
    audit::record(c, Some(user.id), "entry:submit", "entry", Some(id), "", now)?;
    let mut e = entries::find(c, id)?.ok_or(EntryError::NotFound)?;
    if e.ref_no.is_none() {
        e.ref_no = Some(assign_reference(c, ed, cat, id)?);
    }
    let inst = institutions::find(c, e.institution_id)?
        .map(|i| i.name)
        .unwrap_or_default();
    let to = recipient(user);
    let l = to.lang;
    let ed_name = l.pick(&ed.name, &ed.name_en);
    let cat_name = l.pick(&cat.name, &cat.name_en);
    // Names and dates go into labelled details: the sentence never has to decline them.
    let content = Content::new("entry_submitted", &to, "email.submitted.subject")
        .p(l.t("email.submitted.body"))
        .detail(l.t("email.label.edition"), ed_name)
        .detail(l.t("entry.reference"), e.reference())
        .detail(l.t("entry.title"), &e.title)
        .detail(
            l.t("entry.category"),
            format!("{} {}", cat.code, l.quote(cat_name)),
        )
        .detail(l.t("email.label.institution"), inst)
        .detail(l.t("email.submitted.at"), time::format(now, l))
        .detail(l.t("entry.summary"), &e.summary)
        .action(l.t("email.submitted.action"), cfg.link(&urls::entry(id)))
        .after(l.tf(
            "email.submitted.until",
            &[("time", &time::format(ed.closes_at, l))],
        ));
    mail::enqueue(c, &to, &content, now)?;
    Ok(())
}

pub fn withdraw(
    c: &mut DbConn,
    user: &User,
    entry_id: i32,
    now: NaiveDateTime,
) -> Result<(), EntryError> {
    tx(c, |c| {
        lock_row(c, "entries", entry_id)?;
        let e = entries::find(c, entry_id)?
            .filter(|e| Some(e.institution_id) == user.institution_id)
            .ok_or(EntryError::NotFound)?;
        let ed = editions::find(c, e.edition_id)?.ok_or(EntryError::NotFound)?;
        if !entry::withdrawable(e.status, is_accepting(&ed, now)) {
            return Err(EntryError::Closed);
        }
        entries::set_status(c, e.id, EntryStatus::Withdrawn, now)?;
        audit::record(
            c,
            Some(user.id),
            "entry:withdraw",
            "entry",
            Some(e.id),
            &e.title,
            now,
        )?;
        Ok(())
    })
}

/// Checks that an attachment can be added now (before the file is moved into place).
pub fn check_can_attach(
    c: &mut DbConn,
    user: &User,
    entry_id: i32,
    now: NaiveDateTime,
) -> Result<Entry, EntryError> {
    let e = entries::find(c, entry_id)?
        .filter(|e| Some(e.institution_id) == user.institution_id)
        .ok_or(EntryError::NotFound)?;
    let ed = editions::find(c, e.edition_id)?.ok_or(EntryError::NotFound)?;
    if !is_editable(&ed, &e, now) {
        return Err(EntryError::Closed);
    }
    if entries::count_attachments(c, e.id)? >= MAX_ATTACHMENTS {
        return Err(EntryError::TooManyAttachments);
    }
    Ok(e)
}

/// Records a stored file as the entry's attachment; the checks run again inside the transaction.
pub fn add_attachment(
    c: &mut DbConn,
    user: &User,
    entry_id: i32,
    a: &NewAttachment,
    now: NaiveDateTime,
) -> Result<i32, EntryError> {
    tx(c, |c| {
        // Parallel uploads to one entry wait here, so each counts the others' attachments.
        lock_row(c, "entries", entry_id)?;
        check_can_attach(c, user, entry_id, now)?;
        let id = entries::insert_attachment(c, a, now)?;
        audit::record(
            c,
            Some(user.id),
            "attachment:add",
            "entry",
            Some(entry_id),
            a.original_name,
            now,
        )?;
        Ok(id)
    })
}

/// Removes an attachment; returns its stored name so the file can be deleted after commit.
pub fn remove_attachment(
    c: &mut DbConn,
    user: &User,
    entry_id: i32,
    attachment_id: i32,
    now: NaiveDateTime,
) -> Result<String, EntryError> {
    tx(c, |c| {
        lock_row(c, "entries", entry_id)?;
        let e = entries::find(c, entry_id)?
            .filter(|e| Some(e.institution_id) == user.institution_id)
            .ok_or(EntryError::NotFound)?;
        let a = entries::find_attachment(c, attachment_id)?
            .filter(|a| a.entry_id == e.id)
            .ok_or(EntryError::NotFound)?;
        let ed = editions::find(c, e.edition_id)?.ok_or(EntryError::NotFound)?;
        if !is_editable(&ed, &e, now) {
            return Err(EntryError::Closed);
        }
        entries::delete_attachment(c, a.id)?;
        audit::record(
            c,
            Some(user.id),
            "attachment:remove",
            "entry",
            Some(e.id),
            &a.original_name,
            now,
        )?;
        Ok(a.stored_name)
    })
}

/// An organiser's formal decision on a submitted entry.
#[derive(Clone, Debug)]
pub enum Decision {
    Accept,
    Reject {
        reason: String,
    },
    Return {
        reason: String,
        until: NaiveDateTime,
    },
}

pub fn decide(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    entry_id: i32,
    d: &Decision,
    now: NaiveDateTime,
) -> Result<(), EntryError> {
    tx(c, |c| {
        // Edition first (an accepted entry goes to the jurors of its category: no parallel change
        // of those), then the entry (one decision at a time); both read again once held.
        let edition_id = entries::find(c, entry_id)?
            .ok_or(EntryError::NotFound)?
            .edition_id;
        lock_row(c, "editions", edition_id)?;
        lock_row(c, "entries", entry_id)?;
        let e = entries::find(c, entry_id)?.ok_or(EntryError::NotFound)?;
        let ed = editions::find(c, e.edition_id)?.ok_or(EntryError::NotFound)?;
        apply_decision(c, cfg, organiser, &e, &ed, d, now)
    })
}

/// Records a decision on an entry whose edition and row the caller has locked (and read once
/// held): the status, the jurors' assignments of an accepted entry, the audit record and the
/// email to the applicant. `Closed` if the entry cannot be decided now.
fn apply_decision(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    e: &Entry,
    ed: &Edition,
    d: &Decision,
    now: NaiveDateTime,
) -> Result<(), EntryError> {
    if !entry::decidable(e.status, ed.closes_at, now) {
        return Err(EntryError::Closed);
    }
    let (status, note, until, action) = match d {
        Decision::Accept => (EntryStatus::Accepted, "", None, "entry:accept"),
        Decision::Reject { reason } => {
            (EntryStatus::Rejected, reason.as_str(), None, "entry:reject")
        }
        Decision::Return { reason, until } => {
            if *until <= now {
                return Err(EntryError::Fields(vec![("until", "entry.err_until_past")]));
            }
            (
                EntryStatus::Returned,
                reason.as_str(),
                Some(*until),
                "entry:return",
            )
        }
    };
    entries::decide(c, e.id, status, note, until, organiser, now)?;
    if status == EntryStatus::Accepted {
        crate::services::jury::assign_to_category_jurors(c, e, now)?;
    }
    audit::record(c, Some(organiser), action, "entry", Some(e.id), note, now)?;
    if let Some(author) = users::find(c, e.created_by)? {
        let to = recipient(&author);
        let l = to.lang;
        let subject = match status {
            EntryStatus::Accepted => "email.accepted.subject",
            EntryStatus::Rejected => "email.rejected.subject",
            _ => "email.returned.subject",
        };
        let mut content = Content::new("entry_decision", &to, subject).p(l.tf(
            match status {
                EntryStatus::Accepted => "email.accepted.body",
                EntryStatus::Rejected => "email.rejected.body",
                _ => "email.returned.body",
            },
            &[("title", &e.title)],
        ));
        content = content
            .detail(l.t("entry.reference"), e.reference())
            .detail(l.t("entry.title"), &e.title);
        if !note.is_empty() {
            content = content.detail(l.t("entry.decision_note"), note);
        }
        if let Some(u) = until {
            content = content.detail(l.t("entry.correction_until"), time::format(u, l));
        }
        content = content.action(l.t("email.submitted.action"), cfg.link(&urls::entry(e.id)));
        mail::enqueue(c, &to, &content, now)?;
    }
    Ok(())
}

/// What accepting several entries at once did.
#[derive(Debug, Default)]
pub struct Accepted {
    /// The entries accepted, in the order asked.
    pub accepted: Vec<Entry>,
    /// The entries of the edition left alone because they could not be accepted (any more):
    /// another organiser decided first, the applicant withdrew, the call is still open.
    pub left: Vec<Entry>,
}

/// Accepts the entries `ids` of one edition in one transaction, each exactly as [`decide`]
/// accepts one (assignments, audit record, email). Entries that cannot be accepted now are left
/// alone and returned in `left`; ids of other editions or of no entry are ignored. Rows are
/// locked in the order of their ids (edition first), the order every decision takes.
pub fn accept_many(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    edition_id: i32,
    ids: &[i32],
    now: NaiveDateTime,
) -> Result<Accepted, EntryError> {
    let mut sorted: Vec<i32> = ids.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let ed = editions::find(c, edition_id)?.ok_or(EntryError::NotFound)?;
        let mut done = std::collections::HashMap::new();
        for id in &sorted {
            let Some(e) = entries::find(c, *id)? else {
                continue;
            };
            if e.edition_id != edition_id {
                continue;
            }
            lock_row(c, "entries", e.id)?;
            let e = entries::find(c, e.id)?.ok_or(EntryError::NotFound)?;
            let ok = match apply_decision(c, cfg, organiser, &e, &ed, &Decision::Accept, now) {
                Ok(()) => true,
                Err(EntryError::Closed) => false,
                Err(err) => return Err(err),
            };
            done.insert(e.id, (e, ok));
        }
        let mut out = Accepted::default();
        let mut seen = std::collections::HashSet::new();
        for id in ids {
            if !seen.insert(*id) {
                continue;
            }
            if let Some((e, ok)) = done.remove(id) {
                if ok {
                    out.accepted.push(e);
                } else {
                    out.left.push(e);
                }
            }
        }
        Ok(out)
    })
}

// ---------------------------------------------------------------------------------------------
// Reads for the entry's pages

/// An entry with what its pages show beside it.
pub struct EntryDetails {
    pub entry: Entry,
    pub edition: Edition,
    pub category: Category,
    pub institution: String,
    pub attachments: Vec<Attachment>,
}

/// The entry's details; `None` if its edition or category is gone.
pub fn details(c: &mut DbConn, entry: Entry) -> Result<Option<EntryDetails>, DbError> {
    match editions::find(c, entry.edition_id)? {
        Some(edition) => details_in(c, entry, edition),
        None => Ok(None),
    }
}

/// [`details`] when the entry's edition is already at hand.
pub fn details_in(
    c: &mut DbConn,
    entry: Entry,
    edition: Edition,
) -> Result<Option<EntryDetails>, DbError> {
    let Some(category) = editions::find_category(c, entry.category_id)? else {
        return Ok(None);
    };
    let institution = institutions::find(c, entry.institution_id)?
        .map(|i| i.name)
        .unwrap_or_default();
    let attachments = entries::attachments(c, entry.id)?;
    Ok(Some(EntryDetails {
        entry,
        edition,
        category,
        institution,
        attachments,
    }))
}

/// What the entry form shows beside the typed fields.
pub struct FormParts {
    pub edition: Edition,
    pub categories: Vec<Category>,
    /// The attachments of the entry being edited (none for a new one).
    pub attachments: Vec<Attachment>,
}

/// The form's parts for an edition (and the entry being edited); `None` without the edition.
pub fn form_parts(
    c: &mut DbConn,
    edition_id: i32,
    entry_id: Option<i32>,
) -> Result<Option<FormParts>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let categories = editions::categories(c, edition.id)?;
    let attachments = match entry_id {
        Some(id) => entries::attachments(c, id)?,
        None => Vec::new(),
    };
    Ok(Some(FormParts {
        edition,
        categories,
        attachments,
    }))
}

/// What "a new entry" shows an applicant.
pub enum NewEntry {
    /// No call accepts entries now: the current edition, if any, to link to.
    Closed(Option<Edition>),
    /// The form, with the institution's phone as the contact's.
    Open { parts: FormParts, phone: String },
}

pub fn new_entry(
    c: &mut DbConn,
    institution_id: i32,
    now: NaiveDateTime,
) -> Result<NewEntry, DbError> {
    let current = editions::current(c)?;
    let Some(ed) = current.filter(|e| is_accepting(e, now)) else {
        return Ok(NewEntry::Closed(editions::current(c)?));
    };
    let phone = institutions::find(c, institution_id)?
        .map(|i| i.phone)
        .unwrap_or_default();
    let parts = FormParts {
        categories: editions::categories(c, ed.id)?,
        edition: ed,
        attachments: Vec::new(),
    };
    Ok(NewEntry::Open { parts, phone })
}

/// What editing an own entry shows: the form, or (after the deadline) the entry's page instead.
pub enum EditEntry {
    Form(Box<(Entry, FormParts)>),
    ReadOnly(i32),
}

/// `None` unless the applicant's institution owns the entry (a 404).
pub fn edit_entry(
    c: &mut DbConn,
    v: &Viewer,
    id: i32,
    now: NaiveDateTime,
) -> Result<Option<EditEntry>, DbError> {
    let Some(e) = own_entry(c, v, id)? else {
        return Ok(None);
    };
    let Some(parts) = form_parts(c, e.edition_id, Some(e.id))? else {
        return Ok(None);
    };
    Ok(Some(if is_editable(&parts.edition, &e, now) {
        EditEntry::Form(Box::new((e, parts)))
    } else {
        EditEntry::ReadOnly(e.id)
    }))
}

/// An applicant's own entry with the jury's feedback once results are out; `None` is a 404.
pub fn own_details(
    c: &mut DbConn,
    v: &Viewer,
    id: i32,
) -> Result<Option<(EntryDetails, Option<crate::services::results::Feedback>)>, DbError> {
    let Some(e) = own_entry(c, v, id)? else {
        return Ok(None);
    };
    let feedback = crate::services::results::feedback(c, &e)?;
    Ok(details(c, e)?.map(|d| (d, feedback)))
}

/// The entry's details if this viewer may see the entry; `None` is a 404.
pub fn viewable_details(
    c: &mut DbConn,
    v: &Viewer,
    id: i32,
) -> Result<Option<EntryDetails>, DbError> {
    match entries::find(c, id)? {
        Some(e) if may_view(c, v, &e)? => details(c, e),
        _ => Ok(None),
    }
}

/// An attachment of an entry this viewer may see; `None` is a 404.
pub fn viewable_attachment(
    c: &mut DbConn,
    v: &Viewer,
    entry_id: i32,
    attachment_id: i32,
) -> Result<Option<Attachment>, DbError> {
    match entries::find(c, entry_id)? {
        Some(e) if may_view(c, v, &e)? => {
            Ok(entries::find_attachment(c, attachment_id)?.filter(|a| a.entry_id == e.id))
        }
        _ => Ok(None),
    }
}
