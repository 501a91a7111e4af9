//! What organisers are told by email without asking: the daily digest of entries submitted
//! (opt-in, at most one per day per organiser, none when nothing is new) and a notice when a
//! juror has submitted the last score of their list (on unless turned off). Their settings.

use chrono::NaiveDateTime;

use crate::config::Config;
use crate::db::editions::Edition;
use crate::db::notices::{self, MailPrefs, Submitted};
use crate::db::users::{self, User};
use crate::db::{DbConn, DbError, audit, tx};
use crate::domain::digest;
use crate::domain::roles::Role;
use crate::mail::{self, Content, with_lang};
use crate::services::accounts::recipient;
use crate::urls;

/// An organiser's settings, as the settings page shows them (`None` for anyone else).
pub fn prefs_of(c: &mut DbConn, user: &User) -> Result<Option<MailPrefs>, DbError> {
    if user.role != Role::Organiser {
        return Ok(None);
    }
    Ok(Some(notices::prefs(c, user.id)?))
}

/// Saves an organiser's settings with its audit record; `false` if the user is not an
/// organiser (nothing changed).
pub fn save_prefs(
    c: &mut DbConn,
    user_id: i32,
    p: MailPrefs,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    tx(c, |c| {
        let Some(u) = users::find(c, user_id)? else {
            return Ok(false);
        };
        if u.role != Role::Organiser {
            return Ok(false);
        }
        notices::save_prefs(c, u.id, p, now)?;
        audit::record(
            c,
            Some(u.id),
            "user:mail_settings",
            "user",
            Some(u.id),
            &format!(
                "digest={} juror_done={}",
                if p.digest { "on" } else { "off" },
                if p.juror_done { "on" } else { "off" }
            ),
            now,
        )?;
        Ok(true)
    })
}

/// What one run of the digest did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Digests {
    /// Organisers whose digest of today this run claimed.
    pub claimed: usize,
    /// Digests queued (claimed with something new to tell).
    pub sent: usize,
}

/// Sends today's digest to every organiser who wants one and has not had it: for each, one
/// transaction with the claim (a conditional UPDATE, so of several instances exactly one goes
/// on), the entries submitted since their previous digest and the message, if there are any.
/// Before `DIGEST_HOUR` (Warsaw) nothing is due.
pub fn send_digests(c: &mut DbConn, cfg: &Config, now: NaiveDateTime) -> Result<Digests, DbError> {
    let mut done = Digests::default();
    let Some(today) = digest::due_day(now) else {
        return Ok(done);
    };
    for id in notices::digest_due(c, &today)? {
        let sent = tx(c, |c| -> Result<Option<bool>, DbError> {
            let Some(since) = notices::claim_digest(c, id, &today, now)? else {
                return Ok(None);
            };
            let rows = notices::submitted_between(c, since, now)?;
            if rows.is_empty() {
                return Ok(Some(false));
            }
            let Some(u) = users::find(c, id)? else {
                return Ok(Some(false));
            };
            mail::enqueue(c, &recipient(&u), &digest_email(cfg, &u, &rows), now)?;
            Ok(Some(true))
        })?;
        if let Some(sent) = sent {
            done.claimed += 1;
            done.sent += usize::from(sent);
        }
    }
    Ok(done)
}

fn digest_email(cfg: &Config, u: &User, rows: &[Submitted]) -> Content {
    let to = recipient(u);
    let l = to.lang;
    let n = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let mut content = Content::new("organiser_digest", &to, "email.digest.subject")
        .p(l.tn("email.digest.body", n));
    let mut edition = None;
    for r in rows {
        if edition != Some(r.edition_id) {
            edition = Some(r.edition_id);
            content = content.detail(
                l.t("email.label.edition"),
                l.pick(&r.edition_name, &r.edition_name_en),
            );
        }
        let link = with_lang(&cfg.link(&urls::admin_entry(r.entry_id)), l);
        content = content.detail(
            r.ref_no.clone().unwrap_or_else(|| "—".into()),
            format!("{} ({}): {link}", r.title, r.institution),
        );
    }
    let editions: std::collections::BTreeSet<i32> = rows.iter().map(|r| r.edition_id).collect();
    let list = match editions.iter().next() {
        Some(id) if editions.len() == 1 => urls::admin_entries(*id),
        _ => urls::admin_editions(),
    };
    content
        .action(l.t("email.digest.action"), cfg.link(&list))
        .after(l.t("email.digest.settings"))
}

/// After a juror's score was submitted (inside that transaction): if it was the last one of
/// their list in the edition, tells the organisers who want to know. Each submission turns
/// one entry of the list from open to done, so the list becomes complete at exactly one of
/// them: once per completion. A reopened score submitted again completes the list again, and
/// tells again — the organiser reopened it, and the scores the ranking uses have changed.
pub fn juror_submitted(
    c: &mut DbConn,
    cfg: &Config,
    ed: &Edition,
    juror_id: i32,
    now: NaiveDateTime,
) -> Result<usize, DbError> {
    let (total, done) = notices::juror_progress(c, ed.id, juror_id)?;
    if total == 0 || done < total {
        return Ok(0);
    }
    let Some(juror) = users::find(c, juror_id)? else {
        return Ok(0);
    };
    let mut sent = 0;
    for org in notices::juror_done_recipients(c)? {
        let to = recipient(&org);
        let l = to.lang;
        let content = Content::new("juror_finished", &to, "email.juror_finished.subject")
            .p(l.t("email.juror_finished.body"))
            .detail(l.t("email.juror_finished.juror"), &juror.name)
            .detail(l.t("email.label.edition"), l.pick(&ed.name, &ed.name_en))
            .detail(l.t("email.juror_finished.count"), total.to_string())
            .action(
                l.t("email.juror_finished.action"),
                cfg.link(&urls::admin_juror(ed.id, juror_id)),
            )
            .after(l.t("email.juror_finished.settings"));
        mail::enqueue(c, &to, &content, now)?;
        sent += 1;
    }
    Ok(sent)
}
