//! The jury's work: invitations, categories and single entries assigned, the declaration of
//! impartiality, conflicts of interest, scoring with a comment, reopening, reminders.

use chrono::NaiveDateTime;
use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::db::editions::{self, Criterion, Edition};
use crate::db::entries::{self, Entry};
use crate::db::tokens::{self, Purpose, TokenFor, TokenState};
use crate::db::users::{self, NewUser};
use crate::db::{DbConn, DbError, audit, is_unique_violation, jury, lock_row, share_row, tx};
use crate::domain::chain::{self, ChainKind};
use crate::domain::edition::EditionState;
use crate::domain::entry::EntryStatus;
use crate::domain::roles::Role;
use crate::domain::{review, time};
use crate::i18n::Lang;
use crate::mail::{self, Content, Recipient};
use crate::services::accounts::{Actor, LinkError, TokenOutcome, mail_allowed, recipient};
use crate::services::entries::Viewer;
use crate::urls;

/// Problems with fields: (field name, message key).
pub type Problems = Vec<(String, &'static str)>;

#[derive(Debug, thiserror::Error)]
pub enum JuryError {
    /// Not assigned, or no such entry: the juror gets a 404.
    #[error("not assigned, or no such entry")]
    NotFound,
    /// The juror has not yet accepted the declaration for this edition.
    #[error("the declaration for edition {0} is not accepted")]
    NeedsDeclaration(i32),
    /// A conflict of interest with the entry's institution.
    #[error("conflict of interest")]
    Conflicted,
    /// Judging is not open (not the judging stage, past the deadline, or the protocol is final).
    #[error("judging is closed: {0}")]
    Closed(&'static str),
    /// As `Closed`, for an action named by another row's id: the edition it belongs to, so
    /// the organiser can be sent back to its page.
    #[error("the jury of edition {0} is locked: {1}")]
    ClosedIn(i32, &'static str),
    /// A submitted judgement is locked until an organiser reopens it.
    #[error("the judgement is locked")]
    Locked,
    /// Field problems: (field, message key).
    #[error("invalid fields: {0:?}")]
    Fields(Problems),
    #[error("the address has an account")]
    EmailTaken,
    /// Too many invitations: try again after this time.
    #[error("throttled until {0}")]
    Throttled(chrono::NaiveDateTime),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::query_errors_into_db!(JuryError);

/// Assignments and conflicts decide which scores count: they are locked once the protocol is
/// final (and so after publication). Holds the edition's row for the rest of the transaction, so
/// changes to one edition's jury (and acceptances, which assign entries, and the protocol) run
/// one at a time: each sees what the previous one wrote, and no insert collides with another.
fn jury_changeable(c: &mut DbConn, edition_id: i32) -> Result<(), JuryError> {
    lock_row(c, "editions", edition_id)?;
    let e = editions::find(c, edition_id)?.ok_or(JuryError::NotFound)?;
    if e.protocol_finalised_at.is_some() || e.state == EditionState::Published {
        return Err(JuryError::Closed("jury.err_finalised"));
    }
    Ok(())
}

/// Whether scores can change in this edition now; the error is the message key.
pub fn judging_open(e: &Edition, now: chrono::NaiveDateTime) -> Result<(), &'static str> {
    if e.state != EditionState::Judging {
        Err("jury.err_not_judging")
    } else if e.protocol_finalised_at.is_some() {
        Err("jury.err_finalised")
    } else if now >= e.judging_deadline {
        Err("jury.err_deadline")
    } else {
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Invitations

/// Invites a juror: the account exists at once (so the organisers can assign it), and the
/// emailed link lets its owner set a password.
// The time is one more explicit input (see `Clock`), not a reason to bundle the others.
#[allow(clippy::too_many_arguments)]
pub fn invite(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    edition_id: i32,
    name: &str,
    email: &str,
    affiliation: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<i32, JuryError> {
    tx(c, |c| {
        if users::email_taken(c, email)? {
            return Err(JuryError::EmailTaken);
        }
        // The unique index on the address decides when two invitations race past the check.
        let uid = users::insert(
            c,
            &NewUser {
                email,
                name,
                password_hash: None,
                role: Role::Juror,
                institution_id: None,
                affiliation: Some(affiliation),
                lang: lang.code(),
                email_verified_at: None,
                created_at: now,
                updated_at: now,
            },
        )
        .map_err(|e| {
            if is_unique_violation(&e) {
                JuryError::EmailTaken
            } else {
                e.into()
            }
        })?;
        send_invitation(c, cfg, organiser, uid, edition_id, now)?;
        audit::record(
            c,
            Some(organiser),
            "juror:invite",
            "user",
            Some(uid),
            email,
            now,
        )?;
        Ok(uid)
    })
}

/// The invitation names the edition the juror is invited to judge in, its judging deadline
/// (Warsaw time) and the categories: the juror's own once assigned, else all of the edition's.
fn send_invitation(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    uid: i32,
    edition_id: i32,
    now: chrono::NaiveDateTime,
) -> Result<(), JuryError> {
    let u = users::find(c, uid)?.ok_or(JuryError::NotFound)?;
    let ed = editions::find(c, edition_id)?.ok_or(JuryError::NotFound)?;
    let mine: HashSet<i32> = jury::juror_categories(c, edition_id)?
        .into_iter()
        .filter(|(j, _)| *j == uid)
        .map(|(_, cat)| cat)
        .collect();
    let categories: Vec<editions::Category> = editions::categories(c, edition_id)?
        .into_iter()
        .filter(|x| mine.is_empty() || mine.contains(&x.id))
        .collect();
    if let crate::db::throttle::Reservation::Blocked(until) =
        mail_allowed(c, Actor::Organiser(organiser), &u.email, now)?
    {
        return Err(JuryError::Throttled(until));
    }
    let secret = tokens::create(
        c,
        Purpose::InviteJuror,
        TokenFor {
            user_id: Some(uid),
            created_by: Some(organiser),
            ..Default::default()
        },
        now,
    )?;
    // The name was typed by an organiser: the greeting and the header stay without it.
    let to = crate::mail::Recipient {
        name: String::new(),
        ..recipient(&u)
    };
    let l = to.lang;
    let cats = categories
        .iter()
        .map(|x| format!("{} — {}", x.code, l.pick(&x.name, &x.name_en)))
        .collect::<Vec<_>>()
        .join("; ");
    let content = Content::new("invite_juror", &to, "email.juror_invite.subject")
        .p(l.t("email.juror_invite.body"))
        .detail(l.t("email.edition"), l.pick(&ed.name, &ed.name_en))
        .detail(
            l.t("email.judging_deadline"),
            time::format(ed.judging_deadline, l),
        )
        .detail(l.t("email.categories"), cats)
        .action(
            l.t("email.juror_invite.action"),
            cfg.link(&urls::with_token(urls::jury_invite(), &secret)),
        )
        .after(l.t("email.invite.expiry"));
    mail::enqueue(c, &to, &content, now)?;
    Ok(())
}

/// Sends a juror who has not set a password yet a fresh invitation.
pub fn reinvite(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    edition_id: i32,
    juror_id: i32,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        let u = users::find(c, juror_id)?
            .filter(|u| u.role == Role::Juror)
            .ok_or(JuryError::NotFound)?;
        if u.password_hash.is_some() {
            return Err(JuryError::Fields(vec![(
                "juror".into(),
                "jury.err_already_active",
            )]));
        }
        send_invitation(c, cfg, organiser, juror_id, edition_id, now)
    })
}

/// The juror sets a password (whose hash is `hash`) from the invitation; the address is
/// thereby confirmed.
pub fn accept_invitation(
    c: &mut DbConn,
    secret: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<TokenOutcome, DbError> {
    tx(c, |c| {
        let (state, tok) = tokens::consume(c, Purpose::InviteJuror, secret, now)?;
        let uid = match (state, tok.and_then(|t| t.user_id)) {
            (TokenState::Valid, Some(uid)) => uid,
            (TokenState::Expired, _) => return Ok(TokenOutcome::Expired),
            (TokenState::Used, _) => return Ok(TokenOutcome::Used),
            _ => return Ok(TokenOutcome::Unknown),
        };
        users::set_password(c, uid, hash, now)?;
        users::mark_verified(c, uid, now)?;
        crate::services::rodo::acknowledge_current(c, uid, now)?;
        audit::record(
            c,
            Some(uid),
            "juror:accept_invitation",
            "user",
            Some(uid),
            "",
            now,
        )?;
        Ok(TokenOutcome::Done(uid))
    })
}

// ---------------------------------------------------------------------------------------------
// What each juror judges

/// Sets the categories a juror judges in an edition: they are assigned every accepted entry of
/// the new ones and lose the entries of those removed.
pub fn set_categories(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    juror_id: i32,
    wanted: &[i32],
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        jury_changeable(c, edition_id)?;
        users::find(c, juror_id)?
            .filter(|u| u.role == Role::Juror)
            .ok_or(JuryError::NotFound)?;
        let valid: HashSet<i32> = editions::categories(c, edition_id)?
            .into_iter()
            .map(|x| x.id)
            .collect();
        let wanted: HashSet<i32> = wanted
            .iter()
            .copied()
            .filter(|id| valid.contains(id))
            .collect();
        let current: HashSet<i32> = jury::juror_categories(c, edition_id)?
            .into_iter()
            .filter(|(j, _)| *j == juror_id)
            .map(|(_, cat)| cat)
            .collect();
        for cat in current.difference(&wanted) {
            jury::remove_juror_category(c, juror_id, *cat)?;
            jury::unassign_category(c, juror_id, *cat)?;
        }
        for cat in wanted.difference(&current) {
            jury::add_juror_category(c, edition_id, juror_id, *cat)?;
            let pairs: Vec<(i32, i32)> = jury::accepted_in_category(c, *cat)?
                .into_iter()
                .map(|entry_id| (entry_id, juror_id))
                .collect();
            jury::assign_many(c, edition_id, &pairs, now)?;
        }
        audit::record(
            c,
            Some(organiser),
            "jury:categories",
            "user",
            Some(juror_id),
            &format!("{wanted:?}"),
            now,
        )?;
        Ok(())
    })
}

/// Adds or removes one entry from a juror's list.
pub fn set_assignment(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    entry_id: i32,
    juror_id: i32,
    assigned: bool,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        jury_changeable(c, edition_id)?;
        // Only an accepted entry of this edition: anything else is refused before any change.
        let e = entries::find(c, entry_id)?
            .filter(|e| e.status == EntryStatus::Accepted && e.edition_id == edition_id)
            .ok_or(JuryError::NotFound)?;
        users::find(c, juror_id)?
            .filter(|u| u.role == Role::Juror)
            .ok_or(JuryError::NotFound)?;
        if assigned {
            jury::assign(c, e.edition_id, e.id, juror_id, now)?;
        } else {
            jury::unassign(c, e.id, juror_id)?;
        }
        let action = if assigned {
            "jury:assign"
        } else {
            "jury:unassign"
        };
        audit::record(
            c,
            Some(organiser),
            action,
            "entry",
            Some(e.id),
            &juror_id.to_string(),
            now,
        )?;
        Ok(())
    })
}

/// A newly accepted entry goes to the jurors of its category.
pub fn assign_to_category_jurors(
    c: &mut DbConn,
    e: &Entry,
    now: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    let pairs: Vec<(i32, i32)> = jury::jurors_of_category(c, e.category_id)?
        .into_iter()
        .map(|juror| (e.id, juror))
        .collect();
    jury::assign_many(c, e.edition_id, &pairs, now)?;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Declarations and conflicts

pub fn declare(
    c: &mut DbConn,
    juror_id: i32,
    edition_id: i32,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        // A double click: the second waits for the first and then finds its declaration.
        lock_row(c, "users", juror_id)?;
        jury::declare(c, edition_id, juror_id, now)?;
        audit::record(
            c,
            Some(juror_id),
            "jury:declaration",
            "edition",
            Some(edition_id),
            "",
            now,
        )?;
        Ok(())
    })
}

/// Records a conflict (declared by the juror, or by an organiser on their behalf).
pub fn add_conflict(
    c: &mut DbConn,
    actor: i32,
    edition_id: i32,
    juror_id: i32,
    institution_id: i32,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        jury_changeable(c, edition_id)?;
        // Only a juror can have a conflict of interest.
        if users::find(c, juror_id)?.is_none_or(|u| u.role != Role::Juror) {
            return Err(JuryError::Fields(vec![("juror_id".into(), "err.choose")]));
        }
        let known: HashSet<i32> = jury::participating_institutions(c, edition_id)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        if !known.contains(&institution_id) {
            return Err(JuryError::Fields(vec![(
                "institution_id".into(),
                "jury.err_institution",
            )]));
        }
        if jury::add_conflict(c, edition_id, juror_id, institution_id, reason, actor, now)? {
            crate::services::chain::append(
                c,
                edition_id,
                ChainKind::ConflictDeclared,
                Some(actor),
                chain::conflict_key(juror_id, institution_id),
                Some(chain::conflict_state(reason)),
                now,
            )?;
            audit::record(
                c,
                Some(actor),
                "jury:conflict",
                "user",
                Some(juror_id),
                &format!("institution {institution_id}: {reason}"),
                now,
            )?;
        }
        Ok(())
    })
}

pub fn remove_conflict(
    c: &mut DbConn,
    organiser: i32,
    conflict_id: i32,
    now: NaiveDateTime,
) -> Result<i32, JuryError> {
    tx(c, |c| {
        // The edition first, like every change of the jury; then the row, read again.
        let edition_id = jury::conflict_edition(c, conflict_id)?.ok_or(JuryError::NotFound)?;
        jury_changeable(c, edition_id).map_err(|e| match e {
            JuryError::Closed(k) => JuryError::ClosedIn(edition_id, k),
            other => other,
        })?;
        let Some((edition_id, juror_id, inst)) = jury::remove_conflict(c, conflict_id)? else {
            // Removed by a parallel request meanwhile: done all the same.
            return Ok(edition_id);
        };
        crate::services::chain::append(
            c,
            edition_id,
            ChainKind::ConflictRemoved,
            Some(organiser),
            chain::conflict_key(juror_id, inst),
            None,
            now,
        )?;
        audit::record(
            c,
            Some(organiser),
            "jury:conflict_removed",
            "user",
            Some(juror_id),
            &format!("institution {inst}"),
            now,
        )?;
        Ok(edition_id)
    })
}

// ---------------------------------------------------------------------------------------------
// Access and scoring

/// The entry and its edition if this juror may open it now; otherwise why not.
pub fn open_entry(
    c: &mut DbConn,
    juror_id: i32,
    entry_id: i32,
) -> Result<(Entry, Edition), JuryError> {
    let e = entries::find(c, entry_id)?.ok_or(JuryError::NotFound)?;
    if !jury::is_assigned(c, e.id, juror_id)? {
        return Err(JuryError::NotFound);
    }
    let ed = editions::find(c, e.edition_id)?.ok_or(JuryError::NotFound)?;
    if !matches!(ed.state, EditionState::Judging | EditionState::Published) {
        return Err(JuryError::Closed("jury.err_not_judging"));
    }
    if jury::declared_at(c, ed.id, juror_id)?.is_none() {
        return Err(JuryError::NeedsDeclaration(ed.id));
    }
    if jury::has_conflict(c, ed.id, juror_id, e.institution_id)? {
        return Err(JuryError::Conflicted);
    }
    Ok((e, ed))
}

/// May this viewer see this entry (and its attachments)? Jurors: assigned, declared, no conflict.
/// Only refusals mean "no"; a failing database is an error.
pub fn may_view(c: &mut DbConn, v: &Viewer, e: &Entry) -> Result<bool, DbError> {
    Ok(match v.role {
        Role::Juror => match open_entry(c, v.user_id, e.id) {
            Ok(_) => true,
            Err(JuryError::Db(err)) => return Err(err),
            Err(_) => false,
        },
        _ => crate::services::entries::can_view(v, e),
    })
}

/// The weighted total of a complete set of points.
pub fn weighted_total(criteria: &[Criterion], points: &[(i32, i32)]) -> f64 {
    criteria
        .iter()
        .map(|cr| {
            points
                .iter()
                .find(|(id, _)| *id == cr.id)
                .map(|(_, p)| f64::from(*p) * cr.weight)
                .unwrap_or(0.0)
        })
        .sum()
}

/// Checks points typed for each criterion: whole numbers within range. With `complete`, every
/// criterion must have one. Returns the points and the problems (field `score-<id>`).
pub fn check_points(
    criteria: &[Criterion],
    typed: &[(i32, String)],
    complete: bool,
) -> (Vec<(i32, i32)>, Problems) {
    let mut points = Vec::new();
    let mut problems = Vec::new();
    for cr in criteria {
        let field = format!("score-{}", cr.id);
        let raw = typed
            .iter()
            .find(|(id, _)| *id == cr.id)
            .map(|(_, v)| v.trim())
            .unwrap_or("");
        if raw.is_empty() {
            if complete {
                problems.push((field, "jury.err_score_missing"));
            }
            continue;
        }
        match raw.parse::<i32>() {
            Ok(p) if (0..=cr.max_points).contains(&p) => points.push((cr.id, p)),
            _ => problems.push((field, "jury.err_score_range")),
        }
    }
    (points, problems)
}

/// How far a save of a juror's judgement goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreStep {
    /// A draft: whatever is typed and valid is kept, nothing has to be complete.
    Draft,
    /// A draft that must be complete: the step before the confirmation page ("submit…").
    Checked,
    /// The confirmed submission: complete, and locked afterwards.
    Submit,
}

/// Saves a juror's judgement (see [`ScoreStep`]).
pub fn save(
    c: &mut DbConn,
    juror_id: i32,
    entry_id: i32,
    typed: &[(i32, String)],
    comment: &str,
    step: ScoreStep,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        let (e, ed) = open_for_saving(c, juror_id, entry_id)?;
        save_in(c, juror_id, &e, &ed, typed, comment, step, now)
    })
}

/// [`open_entry`] for a save: a double submit must not insert the review twice, so saves of one
/// entry wait for each other here, and the second finds the review (and its lock) the first
/// wrote. The edition is held shared, so the protocol is not finalised under a score being saved.
fn open_for_saving(
    c: &mut DbConn,
    juror_id: i32,
    entry_id: i32,
) -> Result<(Entry, Edition), JuryError> {
    if let Some(e) = entries::find(c, entry_id)? {
        share_row(c, "editions", e.edition_id)?;
        lock_row(c, "entries", e.id)?;
    }
    open_entry(c, juror_id, entry_id)
}

/// The save itself, on an entry the juror may open; refuses before writing anything.
// The time is one more explicit input (see `Clock`), not a reason to bundle the others.
#[allow(clippy::too_many_arguments)]
fn save_in(
    c: &mut DbConn,
    juror_id: i32,
    e: &Entry,
    ed: &Edition,
    typed: &[(i32, String)],
    comment: &str,
    step: ScoreStep,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    let (complete, submit) = (step != ScoreStep::Draft, step == ScoreStep::Submit);
    judging_open(ed, now).map_err(JuryError::Closed)?;
    if jury::review(c, e.id, juror_id)?.is_some_and(|r| r.status.is_submitted()) {
        return Err(JuryError::Locked);
    }
    let criteria = editions::criteria(c, ed.id)?;
    let (points, mut problems) = check_points(&criteria, typed, complete);
    if let Err(k) = crate::domain::validate::optional_text(comment, 10_000) {
        problems.push(("comment".into(), k));
    }
    if complete && comment.trim().is_empty() {
        problems.push(("comment".into(), "jury.err_comment"));
    }
    if !problems.is_empty() {
        return Err(JuryError::Fields(problems));
    }
    let total = submit.then(|| weighted_total(&criteria, &points));
    let write = jury::ReviewWrite {
        edition_id: ed.id,
        entry_id: e.id,
        juror_id,
        comment: comment.trim(),
        points: &points,
        total,
    };
    jury::save_review(c, &write, now)?;
    if submit {
        crate::services::chain::append(
            c,
            ed.id,
            ChainKind::ScoreSubmitted,
            Some(juror_id),
            chain::score_key(e.id, juror_id),
            Some(chain::score_state(&points, comment.trim(), total)),
            now,
        )?;
        audit::record(
            c,
            Some(juror_id),
            "jury:submit",
            "entry",
            Some(e.id),
            "",
            now,
        )?;
    }
    Ok(())
}

/// An organiser reopens a submitted judgement so its juror can change it.
pub fn reopen(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    entry_id: i32,
    juror_id: i32,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    tx(c, |c| {
        let e = entries::find(c, entry_id)?
            .filter(|e| e.edition_id == edition_id)
            .ok_or(JuryError::NotFound)?;
        let ed = editions::find(c, e.edition_id)?.ok_or(JuryError::NotFound)?;
        judging_open(&ed, now).map_err(JuryError::Closed)?;
        if !jury::reopen(c, e.id, juror_id, now)? {
            return Err(JuryError::NotFound);
        }
        crate::services::chain::append(
            c,
            ed.id,
            ChainKind::ScoreReopened,
            Some(organiser),
            chain::score_key(e.id, juror_id),
            None,
            now,
        )?;
        audit::record(
            c,
            Some(organiser),
            "jury:reopen",
            "entry",
            Some(e.id),
            &juror_id.to_string(),
            now,
        )?;
        Ok(())
    })
}

/// Who is told when judging opens, with the number of entries theirs to judge: jurors with
/// work by [`jury::work`] whose account is active. A juror who has not accepted the invitation
/// cannot sign in yet; the invitation (and the dashboard after it) says the same.
pub fn judging_open_targets(
    c: &mut DbConn,
    edition_id: i32,
) -> Result<Vec<(users::User, i64)>, DbError> {
    let counts = review::tally(&jury::work(c, edition_id)?, |t| t.juror_id);
    let ids: Vec<i32> = counts.iter().map(|(j, _, _)| *j).collect();
    let jurors = users::find_many(c, &ids)?;
    Ok(counts
        .into_iter()
        .filter(|(_, assigned, _)| *assigned > 0)
        .filter_map(|(juror_id, assigned, _)| {
            jurors
                .iter()
                .find(|u| {
                    u.id == juror_id && u.disabled_at.is_none() && u.email_verified_at.is_some()
                })
                .map(|u| (u.clone(), assigned))
        })
        .collect())
}

/// When judging opens: each juror with work in the edition (by [`jury::work`]: assigned, not
/// conflicted) whose account is active gets the number of entries to judge, the deadline and
/// the link, queued in the caller's transaction. Returns how many were told.
pub fn notify_judging_open(
    c: &mut DbConn,
    cfg: &Config,
    ed: &Edition,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let declared: HashSet<i32> = jury::declarations(c, ed.id)?
        .into_iter()
        .map(|(j, _)| j)
        .collect();
    let mut n = 0;
    for (u, assigned) in judging_open_targets(c, ed.id)? {
        let juror_id = u.id;
        let to = recipient(&u);
        let l = to.lang;
        let mut content = Content::new("jury_judging_open", &to, "email.judging_open.subject")
            .p(l.t("email.judging_open.body"))
            .detail(l.t("email.edition"), l.pick(&ed.name, &ed.name_en))
            .detail(l.t("email.judging_open.count"), assigned.to_string())
            .detail(
                l.t("email.judging_deadline"),
                time::format(ed.judging_deadline, l),
            )
            .action(l.t("email.judging_open.action"), cfg.link(&urls::jury()));
        if !declared.contains(&juror_id) {
            content = content.after(l.t("email.judging_open.declaration"));
        }
        mail::enqueue(c, &to, &content, now)?;
        n += 1;
    }
    Ok(n)
}

/// Whether reminders may go out in this edition now; the error is the message key. Only while
/// judging is open: not before, not after the judging deadline, the protocol or publication.
pub fn reminders_allowed(e: &Edition, now: NaiveDateTime) -> Result<(), &'static str> {
    if e.state == EditionState::Published {
        Err("remind.err_published")
    } else if e.state != EditionState::Judging {
        Err("remind.err_not_judging")
    } else if e.protocol_finalised_at.is_some() {
        Err("remind.err_finalised")
    } else if now >= e.judging_deadline {
        Err("remind.err_deadline")
    } else {
        Ok(())
    }
}

/// The jurors a reminder goes to, with their judgements left: those with remaining work they
/// may do by [`jury::work`] (assigned, not conflicted, not submitted), accounts not disabled.
fn reminder_targets(c: &mut DbConn, edition_id: i32) -> Result<Vec<(users::User, i64)>, DbError> {
    let unfinished = review::remaining(&jury::work(c, edition_id)?);
    let ids: Vec<i32> = unfinished.iter().map(|(j, _)| *j).collect();
    let jurors = users::find_many(c, &ids)?;
    Ok(unfinished
        .into_iter()
        .filter_map(|(juror_id, left)| {
            jurors
                .iter()
                .find(|u| u.id == juror_id && u.disabled_at.is_none())
                .map(|u| (u.clone(), left))
        })
        .collect())
}

/// How long a reminder counts as recent: a juror reminded (queued or sent) within this time is
/// not reminded again, so a double click or a second organiser sends nothing twice.
pub const REMINDER_PAUSE_HOURS: i64 = 24;

/// A juror a reminder goes to now, with the message as they will read it.
pub struct Reminder {
    pub juror: users::User,
    /// Judgements still to submit.
    pub left: i64,
    pub to: Recipient,
    pub content: Content,
}

/// What the confirmation before reminders shows.
pub struct ReminderPlan {
    pub edition: Edition,
    /// Jurors who would be reminded now, each with the message.
    pub due: Vec<Reminder>,
    /// Jurors with work left who were reminded recently: (juror, judgements left, when).
    pub recent: Vec<(users::User, i64, NaiveDateTime)>,
    /// Why reminders cannot go out now (a message key), if they cannot.
    pub refused: Option<&'static str>,
}

fn reminder_content(cfg: &Config, ed: &Edition, u: &users::User, left: i64) -> Reminder {
    let to = recipient(u);
    let l = to.lang;
    let name = l.pick(&ed.name, &ed.name_en);
    let count = left.to_string();
    let content = Content::new("jury_reminder", &to, "email.reminder.subject")
        .p(l.tf(
            "email.reminder.body",
            &[
                ("edition", &name),
                ("left", &count),
                ("time", &time::format(ed.judging_deadline, l)),
            ],
        ))
        .action(l.t("email.reminder.action"), cfg.link(&urls::jury()));
    Reminder {
        juror: u.clone(),
        left,
        to,
        content,
    }
}

/// Who gets a reminder now and who was reminded recently (see [`REMINDER_PAUSE_HOURS`]).
/// One definition for the confirmation page and the sending.
fn plan_reminders(
    c: &mut DbConn,
    cfg: &Config,
    ed: &Edition,
    now: NaiveDateTime,
) -> Result<ReminderPlan, DbError> {
    let since = now - chrono::Duration::hours(REMINDER_PAUSE_HOURS);
    let latest: HashMap<i32, NaiveDateTime> =
        crate::db::outbox::latest_to_users(c, "jury_reminder", since)?
            .into_iter()
            .collect();
    let mut due = Vec::new();
    let mut recent = Vec::new();
    for (u, left) in reminder_targets(c, ed.id)? {
        match latest.get(&u.id) {
            Some(at) => recent.push((u, left, *at)),
            None => due.push(reminder_content(cfg, ed, &u, left)),
        }
    }
    Ok(ReminderPlan {
        edition: ed.clone(),
        due,
        recent,
        refused: reminders_allowed(ed, now).err(),
    })
}

/// The reminders as they would go out now; `None` if there is no such edition.
pub fn reminder_plan(
    c: &mut DbConn,
    cfg: &Config,
    edition_id: i32,
    now: NaiveDateTime,
) -> Result<Option<ReminderPlan>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    Ok(Some(plan_reminders(c, cfg, &edition, now)?))
}

/// Reminds every juror with judgements still to submit (see [`reminder_targets`]) who was not
/// reminded recently (see [`REMINDER_PAUSE_HOURS`]); refused outside judging (see
/// [`reminders_allowed`]). The edition's row is locked first, so of two requests at once the
/// second sees the first one's reminders. Returns (reminded now, reminded recently).
pub fn remind(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    edition_id: i32,
    now: NaiveDateTime,
) -> Result<(usize, usize), JuryError> {
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let ed = editions::find(c, edition_id)?.ok_or(JuryError::NotFound)?;
        reminders_allowed(&ed, now).map_err(|k| JuryError::ClosedIn(ed.id, k))?;
        let plan = plan_reminders(c, cfg, &ed, now)?;
        for r in &plan.due {
            mail::enqueue(c, &r.to, &r.content, now)?;
        }
        let n = plan.due.len();
        if n > 0 {
            audit::record(
                c,
                Some(organiser),
                "jury:remind",
                "edition",
                Some(edition_id),
                &n.to_string(),
                now,
            )?;
        }
        Ok((n, plan.recent.len()))
    })
}

// Organisers' pages: reads

/// A juror as the organisers' jury pages show them, with their progress by [`jury::work`].
pub struct JurorSummary {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub active: bool,
    pub categories: Vec<i32>,
    pub assigned: i64,
    pub done: i64,
    pub declared_at: Option<NaiveDateTime>,
}

/// Everything the organisers' jury page of one edition shows.
pub struct JuryOverview {
    pub edition: Edition,
    pub categories: Vec<editions::Category>,
    pub criteria: Vec<Criterion>,
    /// Jurors whose accounts are not disabled.
    pub jurors: Vec<JurorSummary>,
    /// Per category (in the order of `categories`): entries to judge, submitted reviews.
    pub by_category: Vec<(i64, i64)>,
    pub conflicts: Vec<jury::ConflictRow>,
    /// Institutions with entries in the edition: (id, name).
    pub institutions: Vec<(i32, String)>,
}

/// (entries to judge, submitted reviews) of `key` in a progress tally.
fn progress_of(tally: &[(i32, i64, i64)], key: i32) -> (i64, i64) {
    tally
        .iter()
        .find(|(k, _, _)| *k == key)
        .map_or((0, 0), |(_, a, d)| (*a, *d))
}

/// The organisers' jury page of an edition; `None` if there is no such edition.
pub fn jury_overview(c: &mut DbConn, edition_id: i32) -> Result<Option<JuryOverview>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let categories = editions::categories(c, edition_id)?;
    let criteria = editions::criteria(c, edition_id)?;
    let juror_categories = jury::juror_categories(c, edition_id)?;
    let progress = jury::progress_by_juror(c, edition_id)?;
    let declarations = jury::declarations(c, edition_id)?;
    let by_cat = jury::progress_by_category(c, edition_id)?;
    let jurors = jury::jurors(c)?
        .into_iter()
        .filter(|j| j.disabled_at.is_none())
        .map(|j| {
            let (assigned, done) = progress_of(&progress, j.id);
            JurorSummary {
                categories: juror_categories
                    .iter()
                    .filter(|(jid, _)| *jid == j.id)
                    .map(|(_, cat)| *cat)
                    .collect(),
                assigned,
                done,
                declared_at: declarations
                    .iter()
                    .find(|(jid, _)| *jid == j.id)
                    .map(|(_, t)| *t),
                id: j.id,
                name: j.name,
                email: j.email,
                affiliation: j.affiliation.unwrap_or_default(),
                active: j.verified_at.is_some(),
            }
        })
        .collect();
    Ok(Some(JuryOverview {
        by_category: categories
            .iter()
            .map(|cat| progress_of(&by_cat, cat.id))
            .collect(),
        conflicts: jury::conflicts(c, edition_id)?,
        institutions: jury::participating_institutions(c, edition_id)?,
        edition,
        categories,
        criteria,
        jurors,
    }))
}

/// Everything the organisers' page of one juror in one edition shows.
pub struct JurorOverview {
    pub edition: Edition,
    pub juror: JurorSummary,
    /// Every assignment, each with whether the juror has a conflict of interest with the
    /// entry's institution: a conflicted assignment is not the juror's work (see [`jury::work`])
    /// and is neither counted in `juror.assigned` nor judged.
    pub rows: Vec<(jury::AssignedRow, bool)>,
    /// Accepted entries not assigned to this juror: (id, "category — institution — title").
    pub others: Vec<(i32, String)>,
}

/// The organisers' page of a juror; `None` if there is no such edition or juror.
pub fn juror_overview(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
) -> Result<Option<JurorOverview>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let Some(u) = users::find(c, juror_id)?.filter(|u| u.role == Role::Juror) else {
        return Ok(None);
    };
    let conflicts = jury::conflicted_institutions(c, edition_id, juror_id)?;
    let assigned_rows = jury::assigned_to(c, juror_id, edition_id)?;
    let (to_judge, done) = jury::progress_of_rows(&assigned_rows, &conflicts);
    let conflicted: HashSet<i32> = conflicts.into_iter().collect();
    let rows: Vec<(jury::AssignedRow, bool)> = assigned_rows
        .into_iter()
        .map(|r| {
            let conflict = conflicted.contains(&r.institution_id);
            (r, conflict)
        })
        .collect();
    let assigned: HashSet<i32> = rows.iter().map(|(r, _)| r.entry_id).collect();
    let accepted = entries::ListFilter::status(EntryStatus::Accepted);
    let others = entries::for_edition(c, edition_id, &accepted)?
        .into_iter()
        .filter(|r| !assigned.contains(&r.id))
        .map(|r| {
            let label = format!("{} — {} — {}", r.category_code, r.institution, r.title);
            (r.id, label)
        })
        .collect();
    let categories = jury::juror_categories(c, edition_id)?
        .into_iter()
        .filter(|(j, _)| *j == juror_id)
        .map(|(_, cat)| cat)
        .collect();
    Ok(Some(JurorOverview {
        juror: JurorSummary {
            id: u.id,
            name: u.name,
            email: u.email,
            affiliation: u.affiliation.unwrap_or_default(),
            active: u.email_verified_at.is_some(),
            categories,
            assigned: to_judge,
            done,
            declared_at: jury::declared_at(c, edition_id, juror_id)?,
        },
        edition,
        rows,
        others,
    }))
}

// Jurors' pages: reads

/// One edition on a juror's dashboard.
pub struct JurorEdition {
    pub edition: Edition,
    pub declared_at: Option<NaiveDateTime>,
    /// Every assignment; those in `conflicts` are shown as conflicted, not as work.
    pub rows: Vec<jury::AssignedRow>,
    /// Institutions this juror has a conflict of interest with in the edition.
    pub conflicts: Vec<i32>,
    /// Institutions taking part that a conflict can still be declared with: (id, name).
    pub institutions: Vec<(i32, String)>,
    /// (entries to judge, submitted), by `db::jury::work`.
    pub progress: (i64, i64),
    /// The categories the juror judges (id, code): a ZIP of each one's attachments.
    pub zip_categories: Vec<(i32, String)>,
}

/// Everything a juror's dashboard shows: the editions this juror judges in.
pub fn juror_dashboard(c: &mut DbConn, juror_id: i32) -> Result<Vec<JurorEdition>, DbError> {
    let mut out = Vec::new();
    for edition_id in jury::juror_editions(c, juror_id)? {
        let Some(edition) = editions::find(c, edition_id)? else {
            continue;
        };
        let declared_at = jury::declared_at(c, edition_id, juror_id)?;
        let rows = jury::assigned_to(c, juror_id, edition_id)?;
        let conflicts: Vec<i32> = jury::conflicted_institutions(c, edition_id, juror_id)?;
        let institutions = jury::participating_institutions(c, edition_id)?
            .into_iter()
            .filter(|(id, _)| !conflicts.contains(id))
            .collect();
        // This juror's share of `jury::work`, from the rows at hand (not the whole edition's).
        let progress = jury::progress_of_rows(&rows, &conflicts);
        let zip_categories = crate::db::notices::juror_category_codes(c, edition_id, juror_id)?;
        out.push(JurorEdition {
            edition,
            declared_at,
            rows,
            conflicts,
            institutions,
            progress,
            zip_categories,
        });
    }
    // Work first: editions not yet published (judging under way), then the published ones,
    // each group newest first.
    out.sort_by_key(|je| {
        (
            je.edition.state == EditionState::Published,
            std::cmp::Reverse((je.edition.year, je.edition.opens_at, je.edition.id)),
        )
    });
    Ok(out)
}

/// Whether the juror judges anything in the edition: only there may they declare.
fn judges_in(c: &mut DbConn, juror_id: i32, edition_id: i32) -> Result<(), JuryError> {
    if jury::juror_editions(c, juror_id)?.contains(&edition_id) {
        Ok(())
    } else {
        Err(JuryError::NotFound)
    }
}

/// The juror accepts the declaration of impartiality for an edition they judge in.
pub fn juror_declares(
    c: &mut DbConn,
    juror_id: i32,
    edition_id: i32,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    judges_in(c, juror_id, edition_id)?;
    declare(c, juror_id, edition_id, now)
}

/// The juror declares a conflict of interest in an edition they judge in.
pub fn juror_declares_conflict(
    c: &mut DbConn,
    juror_id: i32,
    edition_id: i32,
    institution_id: i32,
    reason: &str,
    now: NaiveDateTime,
) -> Result<(), JuryError> {
    judges_in(c, juror_id, edition_id)?;
    add_conflict(
        c,
        juror_id,
        edition_id,
        juror_id,
        institution_id,
        reason,
        now,
    )
}

/// What a juror's page of one entry shows.
pub struct JurorEntry {
    pub details: crate::services::entries::EntryDetails,
    pub criteria: Vec<Criterion>,
    pub review: Option<jury::Review>,
    /// The points stored per criterion: (criterion id, points).
    pub points: Vec<(i32, i32)>,
    /// Why scores cannot change now (a message key), if they cannot.
    pub closed: Option<&'static str>,
    /// The entries before and after this one in the juror's list (their dashboard's order,
    /// without conflicted entries).
    pub prev: Option<i32>,
    pub next: Option<i32>,
}

/// The entry's page for this juror, or why not (`open_entry`'s refusals).
pub fn juror_entry(
    c: &mut DbConn,
    juror_id: i32,
    entry_id: i32,
    now: NaiveDateTime,
) -> Result<JurorEntry, JuryError> {
    let (e, ed) = open_entry(c, juror_id, entry_id)?;
    juror_entry_of(c, juror_id, e, ed, now)
}

fn juror_entry_of(
    c: &mut DbConn,
    juror_id: i32,
    e: Entry,
    ed: Edition,
    now: NaiveDateTime,
) -> Result<JurorEntry, JuryError> {
    let closed = judging_open(&ed, now).err();
    let criteria = editions::criteria(c, ed.id)?;
    let review = jury::review(c, e.id, juror_id)?;
    let points = match &review {
        Some(r) => jury::scores_of(c, r.id)?,
        None => Vec::new(),
    };
    // The juror's list as their dashboard shows it (two queries, whatever its length).
    let conflicts = jury::conflicted_institutions(c, ed.id, juror_id)?;
    let list: Vec<i32> = jury::assigned_to(c, juror_id, ed.id)?
        .into_iter()
        .filter(|r| !conflicts.contains(&r.institution_id))
        .map(|r| r.entry_id)
        .collect();
    let (prev, next) = crate::domain::listing::neighbours(&list, e.id);
    let details = crate::services::entries::details_in(c, e, ed)?.ok_or(JuryError::NotFound)?;
    Ok(JurorEntry {
        details,
        criteria,
        review,
        points,
        closed,
        prev,
        next,
    })
}

/// What became of a juror's score form.
pub enum Scored {
    Saved,
    /// Nothing was saved: the page again, with the problems ((field, message key); `form` for
    /// the whole form: judging closed, or the judgement locked).
    Refused(Box<JurorEntry>, Problems),
}

/// A juror saves a judgement from the score form: a draft, or (`ScoreStep::Checked`) a
/// complete draft on its way to the confirmation page. The access check (`open_entry`) runs
/// once, here: its refusals are the error; the form's problems come back with the page to show
/// them on.
// The time is one more explicit input (see `Clock`), not a reason to bundle the others.
#[allow(clippy::too_many_arguments)]
pub fn score(
    c: &mut DbConn,
    juror_id: i32,
    entry_id: i32,
    typed: &[(i32, String)],
    comment: &str,
    step: ScoreStep,
    now: NaiveDateTime,
) -> Result<Scored, JuryError> {
    tx(c, |c| {
        let (e, ed) = open_for_saving(c, juror_id, entry_id)?;
        let problems = match save_in(c, juror_id, &e, &ed, typed, comment, step, now) {
            Ok(()) => return Ok(Scored::Saved),
            Err(JuryError::Fields(list)) => list,
            Err(JuryError::Locked) => vec![("form".into(), "jury.err_locked")],
            Err(JuryError::Closed(k)) => vec![("form".into(), k)],
            Err(other) => return Err(other),
        };
        // `save_in` refuses before it writes: this transaction commits nothing.
        let page = juror_entry_of(c, juror_id, e, ed, now)?;
        Ok(Scored::Refused(Box::new(page), problems))
    })
}

/// The juror confirms the submission of the judgement as it is stored (the draft the score form
/// saved): it must be complete, and is locked afterwards. Problems (incomplete, closed, already
/// locked) come back with the page, nothing changed.
pub fn submit_stored(
    c: &mut DbConn,
    cfg: &Config,
    juror_id: i32,
    entry_id: i32,
    now: NaiveDateTime,
) -> Result<Scored, JuryError> {
    tx(c, |c| {
        let (e, ed) = open_for_saving(c, juror_id, entry_id)?;
        // One juror's submissions wait for each other, so the one that completes their list
        // sees the others and tells the organisers (`notices::juror_submitted`).
        lock_row(c, "users", juror_id)?;
        let stored = jury::review(c, e.id, juror_id)?;
        let (typed, comment) = match &stored {
            Some(r) => (
                jury::scores_of(c, r.id)?
                    .into_iter()
                    .map(|(id, p)| (id, p.to_string()))
                    .collect::<Vec<_>>(),
                r.comment.clone(),
            ),
            None => (Vec::new(), String::new()),
        };
        let step = ScoreStep::Submit;
        let problems = match save_in(c, juror_id, &e, &ed, &typed, &comment, step, now) {
            Ok(()) => {
                crate::services::notices::juror_submitted(c, cfg, &ed, juror_id, now)?;
                return Ok(Scored::Saved);
            }
            Err(JuryError::Fields(list)) => list,
            Err(JuryError::Locked) => vec![("form".into(), "jury.err_locked")],
            Err(JuryError::Closed(k)) => vec![("form".into(), k)],
            Err(other) => return Err(other),
        };
        let page = juror_entry_of(c, juror_id, e, ed, now)?;
        Ok(Scored::Refused(Box::new(page), problems))
    })
}

/// The juror named by a valid invitation link: (name, address), or what is wrong with the link.
pub fn juror_invitation(
    c: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> Result<(String, String), LinkError> {
    let (state, tok) = tokens::check(c, Purpose::InviteJuror, secret, now)?;
    let user = match (&state, tok.and_then(|t| t.user_id)) {
        (TokenState::Valid, Some(uid)) => users::find(c, uid)?,
        _ => None,
    };
    match (state, user) {
        (TokenState::Valid, Some(u)) => Ok((u.name, u.email)),
        (TokenState::Expired, _) => Err(LinkError::Dead(TokenOutcome::Expired)),
        (TokenState::Used, _) => Err(LinkError::Dead(TokenOutcome::Used)),
        _ => Err(LinkError::Dead(TokenOutcome::Unknown)),
    }
}
