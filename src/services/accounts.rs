//! Account use cases: registration, verification, login, password reset and change,
//! invitations, the first organiser, disabling accounts. Each runs in one transaction with the
//! emails it sends, on a blocking thread (called through `Db::run`).

use chrono::{Duration, NaiveDateTime};

use crate::config::Config;
use crate::db::institutions::{self, InstitutionData};
use crate::db::tokens::{self, Purpose, TokenFor, TokenState};
use crate::db::users::{self, NewUser, User};
use crate::db::{DbConn, DbError, audit, is_unique_violation, sessions, throttle, tx};
use crate::domain::roles::Role;
use crate::domain::{password, time};
use crate::i18n::Lang;
use crate::mail::{self, Content, Recipient};

pub fn recipient(u: &User) -> Recipient {
    Recipient {
        email: u.email.clone(),
        name: u.name.clone(),
        lang: Lang::from_code(&u.lang).unwrap_or_default(),
        user_id: Some(u.id),
        institution_id: u.institution_id,
    }
}

fn verification_email(cfg: &Config, to: &Recipient, secret: &str) -> Content {
    let l = to.lang;
    Content::new("verify_email", to, "email.verify.subject")
        .p(l.t("email.verify.body"))
        .action(
            l.t("email.verify.action"),
            cfg.link(&format!("/verify?token={secret}")),
        )
        .after(l.t("email.verify.expiry"))
        .after(l.t("email.not_you"))
}

// ---------------------------------------------------------------------------------------------
// Registration and verification

pub struct Registration {
    pub institution: InstitutionData,
    pub name: String,
    pub email: String,
    pub password: String,
    pub lang: Lang,
}

#[derive(Debug)]
pub enum RegisterError {
    EmailTaken,
    Db(DbError),
}

impl From<diesel::result::Error> for RegisterError {
    fn from(e: diesel::result::Error) -> Self {
        if is_unique_violation(&e) {
            RegisterError::EmailTaken
        } else {
            RegisterError::Db(e.into())
        }
    }
}

/// Creates the institution and its first member, unverified, and sends the verification link.
pub fn register(c: &mut DbConn, cfg: &Config, r: &Registration) -> Result<i32, RegisterError> {
    let hash = password::hash(&r.password);
    tx(c, |c| {
        if users::email_taken(c, &r.email)? {
            return Err(RegisterError::EmailTaken);
        }
        let now = time::now();
        let inst = institutions::insert(c, &r.institution, now)?;
        let uid = users::insert(
            c,
            &NewUser {
                email: &r.email,
                name: &r.name,
                password_hash: Some(&hash),
                role: Role::Applicant.as_str(),
                institution_id: Some(inst),
                affiliation: None,
                lang: r.lang.code(),
                email_verified_at: None,
                created_at: now,
                updated_at: now,
            },
        )?;
        let secret = tokens::create(
            c,
            Purpose::VerifyEmail,
            TokenFor {
                user_id: Some(uid),
                ..Default::default()
            },
            now,
        )?;
        let to = Recipient {
            email: r.email.clone(),
            name: r.name.clone(),
            lang: r.lang,
            user_id: Some(uid),
            institution_id: Some(inst),
        };
        mail::enqueue(c, &to, &verification_email(cfg, &to, &secret))?;
        audit::record(
            c,
            Some(uid),
            "institution:register",
            "institution",
            Some(inst),
            &r.institution.name,
            now,
        )?;
        Ok(uid)
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum TokenOutcome {
    Done(i32),
    Expired,
    Used,
    Unknown,
}

fn refused(state: TokenState) -> TokenOutcome {
    match state {
        TokenState::Expired => TokenOutcome::Expired,
        TokenState::Used => TokenOutcome::Used,
        _ => TokenOutcome::Unknown,
    }
}

pub fn verify_email(c: &mut DbConn, secret: &str) -> Result<TokenOutcome, DbError> {
    tx(c, |c| {
        let now = time::now();
        let (state, tok) = tokens::consume(c, Purpose::VerifyEmail, secret, now)?;
        match (state, tok.and_then(|t| t.user_id)) {
            (TokenState::Valid, Some(uid)) => {
                users::mark_verified(c, uid, now)?;
                audit::record(
                    c,
                    Some(uid),
                    "user:verify_email",
                    "user",
                    Some(uid),
                    "",
                    now,
                )?;
                Ok(TokenOutcome::Done(uid))
            }
            (state, _) => Ok(refused(state)),
        }
    })
}

/// Emails that any visitor can trigger for an address are limited per address and hour.
const MAIL_LIMIT: throttle::Limit = throttle::Limit {
    max_failures: 5,
    window: Duration::hours(1),
};

fn mail_allowed(
    c: &mut DbConn,
    purpose: &str,
    email: &str,
    now: NaiveDateTime,
) -> Result<bool, diesel::result::Error> {
    let key = format!("mail:{purpose}:{email}");
    if throttle::blocked_until(c, &key, MAIL_LIMIT, now)?.is_some() {
        return Ok(false);
    }
    throttle::record_failure(c, &key, MAIL_LIMIT, now)?;
    Ok(true)
}

/// Sends a new verification link if the address belongs to an unverified account. The caller
/// answers the same way whatever happens here.
pub fn resend_verification(c: &mut DbConn, cfg: &Config, email: &str) -> Result<(), DbError> {
    tx(c, |c| {
        let now = time::now();
        let Some(u) = users::find_by_email(c, email)? else {
            return Ok(());
        };
        if u.email_verified_at.is_some()
            || u.disabled_at.is_some()
            || !mail_allowed(c, "verify", email, now)?
        {
            return Ok(());
        }
        let secret = tokens::create(
            c,
            Purpose::VerifyEmail,
            TokenFor {
                user_id: Some(u.id),
                ..Default::default()
            },
            now,
        )?;
        let to = recipient(&u);
        mail::enqueue(c, &to, &verification_email(cfg, &to, &secret))?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Login

pub const ACCOUNT_LIMIT: throttle::Limit = throttle::Limit {
    max_failures: 5,
    window: Duration::minutes(15),
};
pub const ADDRESS_LIMIT: throttle::Limit = throttle::Limit {
    max_failures: 30,
    window: Duration::minutes(15),
};

#[derive(Debug)]
pub enum LoginOutcome {
    Ok(User),
    /// Wrong email or password; the message does not say which.
    Invalid,
    /// Too many failures: try again after this time.
    Throttled(NaiveDateTime),
    /// Right password, but the address was never confirmed.
    Unverified,
    Disabled,
}

pub fn login(c: &mut DbConn, email: &str, pw: &str, ip: &str) -> Result<LoginOutcome, DbError> {
    let now = time::now();
    let acct_key = format!("login:acct:{email}");
    let ip_key = format!("login:ip:{ip}");
    let blocked = [
        throttle::blocked_until(c, &acct_key, ACCOUNT_LIMIT, now)?,
        throttle::blocked_until(c, &ip_key, ADDRESS_LIMIT, now)?,
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(until) = blocked {
        return Ok(LoginOutcome::Throttled(until));
    }
    let user = users::find_by_email(c, email)?;
    let ok = password::verify(pw, user.as_ref().and_then(|u| u.password_hash.as_deref()));
    let Some(user) = user.filter(|_| ok) else {
        tx(c, |c| {
            throttle::record_failure(c, &acct_key, ACCOUNT_LIMIT, now)?;
            throttle::record_failure(c, &ip_key, ADDRESS_LIMIT, now)
        })?;
        return Ok(LoginOutcome::Invalid);
    };
    if user.disabled_at.is_some() {
        return Ok(LoginOutcome::Disabled);
    }
    if user.email_verified_at.is_none() {
        return Ok(LoginOutcome::Unverified);
    }
    throttle::clear(c, &acct_key)?;
    Ok(LoginOutcome::Ok(user))
}

// ---------------------------------------------------------------------------------------------
// Passwords

pub fn request_password_reset(c: &mut DbConn, cfg: &Config, email: &str) -> Result<(), DbError> {
    tx(c, |c| {
        let now = time::now();
        let Some(u) = users::find_by_email(c, email)? else {
            return Ok(());
        };
        if u.disabled_at.is_some() || !mail_allowed(c, "reset", email, now)? {
            return Ok(());
        }
        let secret = tokens::create(
            c,
            Purpose::ResetPassword,
            TokenFor {
                user_id: Some(u.id),
                ..Default::default()
            },
            now,
        )?;
        let to = recipient(&u);
        let l = to.lang;
        let content = Content::new("reset_password", &to, "email.reset.subject")
            .p(l.t("email.reset.body"))
            .action(
                l.t("email.reset.action"),
                cfg.link(&format!("/password/reset?token={secret}")),
            )
            .after(l.t("email.reset.expiry"))
            .after(l.t("email.not_you"));
        mail::enqueue(c, &to, &content)?;
        Ok(())
    })
}

fn password_changed_email(c: &mut DbConn, u: &User) -> Result<(), diesel::result::Error> {
    let to = recipient(u);
    let l = to.lang;
    let content = Content::new("password_changed", &to, "email.password_changed.subject")
        .p(l.tf(
            "email.password_changed.body",
            &[("time", &time::format(time::now(), l))],
        ))
        .after(l.t("email.password_changed.not_you"));
    mail::enqueue(c, &to, &content).map(|_| ())
}

/// Sets a new password from a reset link. Every session of the account ends; the address is
/// confirmed (the link reached it).
pub fn reset_password(
    c: &mut DbConn,
    secret: &str,
    new_password: &str,
) -> Result<TokenOutcome, DbError> {
    let hash = password::hash(new_password);
    tx(c, |c| {
        let now = time::now();
        let (state, tok) = tokens::consume(c, Purpose::ResetPassword, secret, now)?;
        let uid = match (state, tok.and_then(|t| t.user_id)) {
            (TokenState::Valid, Some(uid)) => uid,
            (state, _) => return Ok(refused(state)),
        };
        let Some(u) = users::find(c, uid)?.filter(|u| u.disabled_at.is_none()) else {
            return Ok(TokenOutcome::Unknown);
        };
        users::set_password(c, uid, &hash, now)?;
        users::mark_verified(c, uid, now)?;
        sessions::delete_for_user(c, uid, None)?;
        throttle::clear(c, &format!("login:acct:{}", u.email))?;
        password_changed_email(c, &u)?;
        audit::record(
            c,
            Some(uid),
            "user:reset_password",
            "user",
            Some(uid),
            "",
            now,
        )?;
        Ok(TokenOutcome::Done(uid))
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum ChangeOutcome {
    Changed,
    WrongCurrent,
}

/// Changes the password after checking the current one; ends every session of the account
/// (the caller then renews its own).
pub fn change_password(
    c: &mut DbConn,
    user_id: i32,
    current: &str,
    new_password: &str,
) -> Result<ChangeOutcome, DbError> {
    let Some(u) = users::find(c, user_id)? else {
        return Ok(ChangeOutcome::WrongCurrent);
    };
    if !password::verify(current, u.password_hash.as_deref()) {
        return Ok(ChangeOutcome::WrongCurrent);
    }
    let hash = password::hash(new_password);
    tx(c, |c| {
        let now = time::now();
        users::set_password(c, user_id, &hash, now)?;
        sessions::delete_for_user(c, user_id, None)?;
        password_changed_email(c, &u)?;
        audit::record(
            c,
            Some(user_id),
            "user:change_password",
            "user",
            Some(user_id),
            "",
            now,
        )?;
        Ok(ChangeOutcome::Changed)
    })
}

// ---------------------------------------------------------------------------------------------
// Institution members

#[derive(Debug)]
pub enum InviteError {
    EmailTaken,
    Db(DbError),
}

impl From<diesel::result::Error> for InviteError {
    fn from(e: diesel::result::Error) -> Self {
        InviteError::Db(e.into())
    }
}

/// Invites a colleague into the inviter's institution; the link lets them set a password.
pub fn invite_member(
    c: &mut DbConn,
    cfg: &Config,
    inviter: &User,
    email: &str,
    name: &str,
    lang: Lang,
) -> Result<(), InviteError> {
    let Some(inst_id) = inviter.institution_id else {
        return Err(InviteError::Db(DbError::Canceled));
    };
    tx(c, |c| {
        if users::email_taken(c, email)? {
            return Err(InviteError::EmailTaken);
        }
        let now = time::now();
        let inst = institutions::find(c, inst_id)?.ok_or(InviteError::Db(DbError::Canceled))?;
        let secret = tokens::create(
            c,
            Purpose::InviteMember,
            TokenFor {
                institution_id: Some(inst_id),
                email: Some(email),
                created_by: Some(inviter.id),
                ..Default::default()
            },
            now,
        )?;
        let to = Recipient {
            email: email.to_string(),
            name: name.to_string(),
            lang,
            user_id: None,
            institution_id: Some(inst_id),
        };
        let content = Content::new("invite_member", &to, "email.invite.subject")
            .p(lang.tf(
                "email.invite.body",
                &[("inviter", &inviter.name), ("institution", &inst.name)],
            ))
            .action(
                lang.t("email.invite.action"),
                cfg.link(&format!("/invite?token={secret}")),
            )
            .after(lang.t("email.invite.expiry"));
        mail::enqueue(c, &to, &content)?;
        audit::record(
            c,
            Some(inviter.id),
            "institution:invite",
            "institution",
            Some(inst_id),
            email,
            now,
        )?;
        Ok(())
    })
}

/// Accepts an invitation (of a colleague or a juror): creates the account, already verified.
pub fn accept_invitation(
    c: &mut DbConn,
    purpose: Purpose,
    secret: &str,
    name: &str,
    pw: &str,
    lang: Lang,
) -> Result<TokenOutcome, RegisterError> {
    let hash = password::hash(pw);
    tx(c, |c| {
        let now = time::now();
        let (state, tok) = tokens::consume(c, purpose, secret, now)?;
        let tok = match (state, tok) {
            (TokenState::Valid, Some(t)) => t,
            (state, _) => return Ok(refused(state)),
        };
        let Some(email) = tok.email.clone() else {
            return Ok(TokenOutcome::Unknown);
        };
        if users::email_taken(c, &email)? {
            return Err(RegisterError::EmailTaken);
        }
        let role = if purpose == Purpose::InviteJuror {
            Role::Juror
        } else {
            Role::Applicant
        };
        let uid = users::insert(
            c,
            &NewUser {
                email: &email,
                name,
                password_hash: Some(&hash),
                role: role.as_str(),
                institution_id: tok.institution_id,
                affiliation: None,
                lang: lang.code(),
                email_verified_at: Some(now),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::record(
            c,
            Some(uid),
            "user:accept_invitation",
            "user",
            Some(uid),
            role.as_str(),
            now,
        )?;
        Ok(TokenOutcome::Done(uid))
    })
}

// ---------------------------------------------------------------------------------------------
// Organisers

/// If there is no organiser yet, a one-time link to create the first one (printed at start).
pub fn setup_link_if_needed(c: &mut DbConn, cfg: &Config) -> Result<Option<String>, DbError> {
    tx(c, |c| {
        if users::count_organisers(c)? > 0 {
            return Ok(None);
        }
        let secret = tokens::create(c, Purpose::Setup, TokenFor::default(), time::now())?;
        Ok(Some(cfg.link(&format!("/setup?token={secret}"))))
    })
}

#[derive(Debug)]
pub enum OrganiserError {
    EmailTaken,
    /// The set-up link was used, or an organiser exists already.
    NotAllowed,
    Db(DbError),
}

impl From<diesel::result::Error> for OrganiserError {
    fn from(e: diesel::result::Error) -> Self {
        if is_unique_violation(&e) {
            OrganiserError::EmailTaken
        } else {
            OrganiserError::Db(e.into())
        }
    }
}

fn insert_organiser(
    c: &mut DbConn,
    email: &str,
    name: &str,
    hash: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<i32, OrganiserError> {
    if users::email_taken(c, email)? {
        return Err(OrganiserError::EmailTaken);
    }
    let uid = users::insert(
        c,
        &NewUser {
            email,
            name,
            password_hash: Some(hash),
            role: Role::Organiser.as_str(),
            institution_id: None,
            affiliation: None,
            lang: lang.code(),
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::record(
        c,
        Some(uid),
        "user:create_organiser",
        "user",
        Some(uid),
        email,
        now,
    )?;
    Ok(uid)
}

/// `konkurs create-organiser`.
pub fn create_organiser(
    c: &mut DbConn,
    email: &str,
    name: &str,
    pw: &str,
) -> Result<i32, OrganiserError> {
    let hash = password::hash(pw);
    tx(c, |c| {
        insert_organiser(c, email, name, &hash, Lang::Pl, time::now())
    })
}

/// The first-run set-up page: the link works once, and only while there is no organiser.
pub fn setup_first_organiser(
    c: &mut DbConn,
    secret: &str,
    email: &str,
    name: &str,
    pw: &str,
    lang: Lang,
) -> Result<i32, OrganiserError> {
    let hash = password::hash(pw);
    tx(c, |c| {
        let now = time::now();
        if users::count_organisers(c)? > 0 {
            return Err(OrganiserError::NotAllowed);
        }
        match tokens::consume(c, Purpose::Setup, secret, now)? {
            (TokenState::Valid, _) => insert_organiser(c, email, name, &hash, lang, now),
            _ => Err(OrganiserError::NotAllowed),
        }
    })
}

#[derive(Debug, PartialEq, Eq)]
pub enum DisableOutcome {
    Done,
    NotFound,
    /// An organiser cannot lock themselves out.
    Yourself,
}

pub fn set_disabled(
    c: &mut DbConn,
    actor: i32,
    target: i32,
    disabled: bool,
) -> Result<DisableOutcome, DbError> {
    if actor == target {
        return Ok(DisableOutcome::Yourself);
    }
    tx(c, |c| {
        let now = time::now();
        let Some(u) = users::find(c, target)? else {
            return Ok(DisableOutcome::NotFound);
        };
        users::set_disabled(c, target, disabled.then_some(now), now)?;
        if disabled {
            sessions::delete_for_user(c, target, None)?;
        }
        let action = if disabled {
            "user:disable"
        } else {
            "user:enable"
        };
        audit::record(c, Some(actor), action, "user", Some(target), &u.email, now)?;
        Ok(DisableOutcome::Done)
    })
}

pub fn update_institution(
    c: &mut DbConn,
    actor: i32,
    inst_id: i32,
    data: &InstitutionData,
) -> Result<(), DbError> {
    tx(c, |c| {
        let now = time::now();
        institutions::update(c, inst_id, data, now)?;
        audit::record(
            c,
            Some(actor),
            "institution:update",
            "institution",
            Some(inst_id),
            &data.name,
            now,
        )?;
        Ok(())
    })
}
