//! RODO (GDPR): a person's copy of their data, acknowledging the privacy notice, and
//! anonymising a person or an institution.

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::{DbConn, DbError, audit, entries, institutions, lock_row, rodo, tx, users};
use crate::domain::roles::Role;

/// Everything the portal stores about one user, as they download it.
#[derive(Serialize, Debug)]
pub struct Export {
    pub account: Account,
    pub privacy_acknowledgements: Vec<Acknowledgement>,
    pub institution: Option<Institution>,
    pub entries: Vec<Entry>,
    pub reviews: Vec<Review>,
    pub emails: Vec<Email>,
    pub audit: Vec<AuditEntry>,
    /// Addresses the account signed in from, with the last time (kept to warn of new ones).
    pub sign_ins: Vec<SignIn>,
    pub two_step_login: Option<TwoStepLogin>,
}

#[derive(Serialize, Debug)]
pub struct SignIn {
    pub address: String,
    pub last_at: NaiveDateTime,
}

/// Two-step login as stored: never the key or the codes themselves.
#[derive(Serialize, Debug)]
pub struct TwoStepLogin {
    pub enabled_at: NaiveDateTime,
    pub recovery_codes_left: i64,
    /// Expiry of each remembered browser.
    pub remembered_browsers_until: Vec<NaiveDateTime>,
}

#[derive(Serialize, Debug)]
pub struct Account {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: String,
    pub affiliation: Option<String>,
    pub language: String,
    pub email_verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Serialize, Debug)]
pub struct Acknowledgement {
    pub version: i32,
    pub at: NaiveDateTime,
}

#[derive(Serialize, Debug)]
pub struct Institution {
    pub id: i32,
    pub name: String,
    pub kind: String,
    pub teryt: Option<String>,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_person: String,
    pub phone: String,
    pub created_at: NaiveDateTime,
}

#[derive(Serialize, Debug)]
pub struct Entry {
    pub id: i32,
    pub edition_id: i32,
    pub reference: Option<String>,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub budget: String,
    pub funding: String,
    pub partners: String,
    pub links: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub status: String,
    pub submitted_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub attachments: Vec<String>,
}

#[derive(Serialize, Debug)]
pub struct Review {
    pub entry_id: i32,
    pub status: String,
    pub total: Option<f64>,
    pub comment: String,
    pub submitted_at: Option<NaiveDateTime>,
}

#[derive(Serialize, Debug)]
pub struct Email {
    pub id: i32,
    pub kind: String,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub status: String,
    pub queued_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

#[derive(Serialize, Debug)]
pub struct AuditEntry {
    pub at: NaiveDateTime,
    pub by_you: bool,
    pub action: String,
    pub object_type: String,
    pub object_id: Option<i32>,
    pub details: String,
}

/// The signed-in user's own data: their account, their institution and its entries (for an
/// applicant), their reviews (for a juror), the emails sent to them and the audit entries by or
/// about them. Nothing of another person's account.
pub fn export(c: &mut DbConn, user_id: i32) -> Result<Option<Export>, DbError> {
    let Some(u) = users::find(c, user_id)? else {
        return Ok(None);
    };
    let institution = match u.institution_id {
        Some(id) if u.role == Role::Applicant => institutions::find(c, id)?,
        _ => None,
    };
    let mut entry_list = Vec::new();
    if let Some(i) = &institution {
        for row in entries::for_institution(c, i.id)? {
            let Some(e) = entries::find(c, row.id)? else {
                continue;
            };
            let attachments = entries::attachments(c, e.id)?
                .into_iter()
                .map(|a| a.original_name)
                .collect();
            entry_list.push(Entry {
                id: e.id,
                edition_id: e.edition_id,
                reference: e.ref_no,
                title: e.title,
                summary: e.summary,
                description: e.description,
                budget: e.budget,
                funding: e.funding,
                partners: e.partners,
                links: e.links,
                contact_name: e.contact_name,
                contact_email: e.contact_email,
                contact_phone: e.contact_phone,
                status: e.status.as_str().to_string(),
                submitted_at: e.submitted_at,
                created_at: e.created_at,
                attachments,
            });
        }
    }
    let reviews = rodo::reviews_by(c, u.id)?
        .into_iter()
        .map(|(entry_id, status, total, comment, submitted_at)| Review {
            entry_id,
            status: status.as_str().to_string(),
            total,
            comment,
            submitted_at,
        })
        .collect();
    let emails = rodo::mail_to(c, u.id, &u.email)?
        .into_iter()
        .map(|m| Email {
            id: m.id,
            kind: m.kind,
            to: m.to_email,
            subject: m.subject,
            body: m.body_text,
            status: m.status.as_str().to_string(),
            queued_at: m.created_at,
            sent_at: m.sent_at,
        })
        .collect();
    let audit = rodo::audit_about(c, u.id)?
        .into_iter()
        .map(|a| AuditEntry {
            at: a.at,
            by_you: a.actor_id == Some(u.id),
            action: a.action,
            object_type: a.object_type,
            object_id: a.object_id,
            details: a.details,
        })
        .collect();
    let sign_ins = rodo::sign_ins(c, u.id)?
        .into_iter()
        .map(|(address, last_at)| SignIn { address, last_at })
        .collect();
    let two_step_login = match crate::db::two_factor::find(c, u.id)? {
        Some(t) => Some(TwoStepLogin {
            enabled_at: t.enabled_at,
            recovery_codes_left: crate::db::two_factor::recovery_left(c, u.id)?,
            remembered_browsers_until: rodo::remembered_until(c, u.id)?,
        }),
        None => None,
    };
    let privacy_acknowledgements = rodo::consents(c, u.id)?
        .into_iter()
        .map(|(version, at)| Acknowledgement { version, at })
        .collect();
    Ok(Some(Export {
        account: Account {
            id: u.id,
            email: u.email,
            name: u.name,
            role: u.role.as_str().to_string(),
            affiliation: u.affiliation,
            language: u.lang,
            email_verified_at: u.email_verified_at,
            disabled_at: u.disabled_at,
            created_at: u.created_at,
            updated_at: u.updated_at,
        },
        privacy_acknowledgements,
        institution: institution.map(|i| Institution {
            id: i.id,
            name: i.name,
            kind: i.kind,
            teryt: i.teryt,
            street: i.street,
            postal_code: i.postal_code,
            city: i.city,
            contact_person: i.contact_person,
            phone: i.phone,
            created_at: i.created_at,
        }),
        entries: entry_list,
        reviews,
        emails,
        audit,
        sign_ins,
        two_step_login,
    }))
}

// ---------------------------------------------------------------------------------------------
// The privacy notice

/// The version of the privacy notice a user still has to acknowledge, if any. Called for a
/// signed-in user after every other sign-in step (a password, a second factor) has passed.
pub fn pending_version(acknowledged: i32, current: i32) -> Option<i32> {
    (acknowledged < current).then_some(current)
}

/// Records that the user acknowledged the current version of the privacy notice (registration,
/// set-up, an accepted invitation, or the acknowledgement page). Call inside a transaction.
pub fn acknowledge_current(
    c: &mut DbConn,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<i32, DbError> {
    let version = rodo::privacy_version(c)?;
    rodo::acknowledge(c, user_id, version, now)?;
    Ok(version)
}

/// The acknowledgement page's POST: records the version the page showed, with an audit entry;
/// a version other than the current one (the text changed meanwhile) is not recorded.
pub fn acknowledge(
    c: &mut DbConn,
    user_id: i32,
    version: i32,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    tx(c, |c| {
        if rodo::privacy_version(c)? != version {
            return Ok(false);
        }
        if rodo::acknowledge(c, user_id, version, now)? {
            audit::record(
                c,
                Some(user_id),
                "privacy:acknowledge",
                "user",
                Some(user_id),
                &version.to_string(),
                now,
            )?;
        }
        Ok(true)
    })
}

// ---------------------------------------------------------------------------------------------
// Anonymisation

/// Why a person or an institution cannot be anonymised now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// They have entries in an edition whose results are not published yet.
    OpenEntries(i64),
    /// A juror with entries to judge in an edition not yet published.
    OpenJuryWork(i64),
    /// Organisers' accounts (one's own included) are not anonymised here.
    Organiser,
    AlreadyAnonymised,
    NotFound,
}

/// What anonymising a person would touch, for the confirmation page.
#[derive(Debug, Clone)]
pub struct UserPlan {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub refusal: Option<Refusal>,
}

pub fn user_plan(c: &mut DbConn, user_id: i32) -> Result<UserPlan, DbError> {
    let Some(u) = users::find(c, user_id)? else {
        return Ok(UserPlan {
            id: user_id,
            name: String::new(),
            email: String::new(),
            refusal: Some(Refusal::NotFound),
        });
    };
    let refusal = if u.anonymised_at.is_some() {
        Some(Refusal::AlreadyAnonymised)
    } else if u.role == Role::Organiser {
        Some(Refusal::Organiser)
    } else {
        let open = rodo::open_entries_of_user(c, u.id)?;
        let jury = rodo::open_assignments_of(c, u.id)?;
        if open > 0 {
            Some(Refusal::OpenEntries(open))
        } else if jury > 0 {
            Some(Refusal::OpenJuryWork(jury))
        } else {
            None
        }
    };
    Ok(UserPlan {
        id: u.id,
        name: u.name,
        email: u.email,
        refusal,
    })
}

/// Erases a person's personal data (see `db::rodo::erase_user`), with an audit entry that
/// names only who did it and when. Refuses as [`user_plan`] says, checked again under a lock.
pub fn anonymise_user(
    c: &mut DbConn,
    actor: Option<i32>,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<Result<(), Refusal>, DbError> {
    tx(c, |c| {
        lock_row(c, "users", user_id)?;
        let plan = user_plan(c, user_id)?;
        if let Some(r) = plan.refusal {
            return Ok(Err(r));
        }
        rodo::erase_user(c, user_id, &plan.email, now)?;
        audit::record(c, actor, "user:anonymise", "user", Some(user_id), "", now)?;
        Ok(Ok(()))
    })
}

/// What anonymising an institution would touch, for the confirmation page.
#[derive(Debug, Clone)]
pub struct InstitutionPlan {
    pub id: i32,
    pub name: String,
    /// Its members, who are anonymised with it.
    pub members: Vec<i32>,
    /// Its entries' attachments, deleted with it (files may hold personal data; the results
    /// keep only names): (id, stored name).
    pub attachments: Vec<(i32, String)>,
    pub refusal: Option<Refusal>,
}

pub fn institution_plan(c: &mut DbConn, institution_id: i32) -> Result<InstitutionPlan, DbError> {
    let Some(i) = institutions::find(c, institution_id)? else {
        return Ok(InstitutionPlan {
            id: institution_id,
            name: String::new(),
            members: Vec::new(),
            attachments: Vec::new(),
            refusal: Some(Refusal::NotFound),
        });
    };
    let members: Vec<i32> = users::members(c, i.id)?
        .into_iter()
        .filter(|u| u.anonymised_at.is_none())
        .map(|u| u.id)
        .collect();
    let refusal = if i.anonymised_at.is_some() {
        Some(Refusal::AlreadyAnonymised)
    } else {
        let open = rodo::open_entries_of_institution(c, i.id)?;
        (open > 0).then_some(Refusal::OpenEntries(open))
    };
    Ok(InstitutionPlan {
        attachments: rodo::attachments_of_institution(c, i.id)?,
        id: i.id,
        name: i.name,
        members,
        refusal,
    })
}

/// Erases an institution's contact data and its members' personal data, and deletes its
/// entries' attachments; its name stays, as published results name it. Returns the stored
/// names of the deleted attachments, whose files the caller removes after the commit
/// (`storage.remove`).
pub fn anonymise_institution(
    c: &mut DbConn,
    actor: Option<i32>,
    institution_id: i32,
    now: NaiveDateTime,
) -> Result<Result<Vec<String>, Refusal>, DbError> {
    tx(c, |c| {
        lock_row(c, "institutions", institution_id)?;
        let plan = institution_plan(c, institution_id)?;
        if let Some(r) = plan.refusal {
            return Ok(Err(r));
        }
        rodo::erase_institution(c, institution_id, now)?;
        for uid in plan.members {
            if let Some(u) = users::find(c, uid)? {
                rodo::erase_user(c, uid, &u.email, now)?;
                audit::record(c, actor, "user:anonymise", "user", Some(uid), "", now)?;
            }
        }
        let ids: Vec<i32> = plan.attachments.iter().map(|(id, _)| *id).collect();
        rodo::delete_attachments(c, &ids)?;
        // The details: how many attachments were deleted (no names).
        let details = if ids.is_empty() {
            String::new()
        } else {
            ids.len().to_string()
        };
        audit::record(
            c,
            actor,
            "institution:anonymise",
            "institution",
            Some(institution_id),
            &details,
            now,
        )?;
        Ok(Ok(plan.attachments.into_iter().map(|(_, s)| s).collect()))
    })
}

// ---------------------------------------------------------------------------------------------
// Retention

/// What the retention erases now (`konkurs retention --dry-run` prints it; the daily job does it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionPlan {
    /// Editions past their retention: (id, name).
    pub editions: Vec<(i32, String)>,
    /// Institutions whose entries are all in those editions.
    pub institutions: Vec<i32>,
    /// People to anonymise: the members of those institutions and jurors who judged only there.
    pub users: Vec<i32>,
    /// Attachments of those editions' entries: (id, stored name).
    pub attachments: Vec<(i32, String)>,
    /// Messages whose text is erased: older than the newest edition's retention.
    pub messages: i64,
    pub message_cutoff: NaiveDateTime,
    /// Remembered browsers (two-factor sign-in) past their 30 days: deleted.
    pub devices: i64,
}

impl RetentionPlan {
    pub fn is_empty(&self) -> bool {
        self.institutions.is_empty()
            && self.users.is_empty()
            && self.attachments.is_empty()
            && self.messages == 0
            && self.devices == 0
    }
}

pub fn retention_plan(c: &mut DbConn, now: NaiveDateTime) -> Result<RetentionPlan, DbError> {
    use crate::domain::retention;
    let editions: Vec<(i32, String)> = rodo::published_editions(c)?
        .into_iter()
        .filter(|(_, _, published, years)| retention::expired(*published, *years, now))
        .map(|(id, name, _, _)| (id, name))
        .collect();
    let ids: Vec<i32> = editions.iter().map(|(id, _)| *id).collect();
    let (institutions, mut people, attachments) = if ids.is_empty() {
        (Vec::new(), Vec::new(), Vec::new())
    } else {
        let institutions = rodo::institutions_only_in(c, &ids)?;
        let mut people = Vec::new();
        for i in &institutions {
            for u in users::members(c, *i)? {
                if u.anonymised_at.is_none() && u.role != Role::Organiser {
                    people.push(u.id);
                }
            }
        }
        people.extend(rodo::jurors_only_in(c, &ids)?);
        (
            institutions,
            people,
            rodo::attachments_of_editions(c, &ids)?,
        )
    };
    people.sort_unstable();
    people.dedup();
    let years = rodo::newest_retention(c)?.unwrap_or(retention::DEFAULT_YEARS);
    let message_cutoff = retention::cutoff(now, years);
    Ok(RetentionPlan {
        devices: crate::db::two_factor::expired_devices(c, now)?,
        messages: rodo::old_bodies(c, message_cutoff)?,
        message_cutoff,
        editions,
        institutions,
        users: people,
        attachments,
    })
}

/// Erases what [`retention_plan`] lists, in one transaction with an audit entry for each
/// person and institution (by nobody: the retention). Returns the plan carried out; the caller
/// removes the attachments' files after the commit (`storage.remove`).
pub fn apply_retention(c: &mut DbConn, now: NaiveDateTime) -> Result<RetentionPlan, DbError> {
    tx(c, |c| {
        let plan = retention_plan(c, now)?;
        for i in &plan.institutions {
            rodo::erase_institution(c, *i, now)?;
            audit::record(
                c,
                None,
                "institution:anonymise",
                "institution",
                Some(*i),
                "retention",
                now,
            )?;
        }
        for uid in &plan.users {
            if let Some(u) = users::find(c, *uid)? {
                rodo::erase_user(c, *uid, &u.email, now)?;
                audit::record(
                    c,
                    None,
                    "user:anonymise",
                    "user",
                    Some(*uid),
                    "retention",
                    now,
                )?;
            }
        }
        let ids: Vec<i32> = plan.attachments.iter().map(|(id, _)| *id).collect();
        rodo::delete_attachments(c, &ids)?;
        rodo::erase_old_bodies(c, plan.message_cutoff)?;
        crate::db::two_factor::purge_devices(c, now)?;
        Ok(plan)
    })
}

#[cfg(test)]
mod tests {
    use super::pending_version;

    #[test]
    fn a_newer_notice_is_pending_an_acknowledged_one_is_not() {
        assert_eq!(pending_version(1, 2), Some(2));
        assert_eq!(pending_version(0, 1), Some(1));
        assert_eq!(pending_version(2, 2), None);
        assert_eq!(pending_version(3, 2), None);
    }
}
