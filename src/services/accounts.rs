//! Account use cases: registration, verification, login, password reset and change,
//! invitations, the first organiser, disabling accounts. Each runs in one transaction with the
//! emails it sends, on a blocking thread (called through `Db::run`).

use chrono::{Duration, NaiveDateTime};
use diesel::connection::SimpleConnection;

use crate::config::Config;
use crate::db::institutions::{self, InstitutionData};
use crate::db::throttle::{self, Limit, Reservation, Wait};
use crate::db::tokens::{self, Purpose, TokenFor, TokenState};
use crate::db::users::{self, NewUser, User};
use crate::db::{DbConn, DbError, audit, is_unique_violation, sessions, tx};
use crate::domain::roles::Role;
use crate::domain::{password, time};
use crate::i18n::Lang;
use crate::mail::{self, Content, Recipient};
use crate::urls;

pub fn recipient(u: &User) -> Recipient {
    Recipient {
        email: u.email.clone(),
        name: u.name.clone(),
        lang: Lang::from_code(&u.lang).unwrap_or_default(),
        user_id: Some(u.id),
        institution_id: u.institution_id,
    }
}

/// A recipient addressed without a name: used for mail whose name someone else may have chosen
/// (a registration with another person's address, an invitation), so no chosen text stands in
/// the greeting or the `To:` header.
fn unnamed(to: Recipient) -> Recipient {
    Recipient {
        name: String::new(),
        ..to
    }
}

fn verification_email(cfg: &Config, to: &Recipient, secret: &str) -> Content {
    let l = to.lang;
    Content::new("verify_email", to, "email.verify.subject")
        .p(l.t("email.verify.body"))
        .action(
            l.t("email.verify.action"),
            cfg.link(&urls::with_token(urls::verify(), secret)),
        )
        .after(l.t("email.verify.expiry"))
        .after(l.t("email.verify.not_you"))
}

// ---------------------------------------------------------------------------------------------
// Registration and verification

pub struct Registration {
    pub institution: InstitutionData,
    pub name: String,
    pub email: String,
    /// The password's hash, made after [`register_reserve`] (on the server, on its hashing pool).
    pub password_hash: String,
    pub lang: Lang,
}

#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    /// Only when accepting an invitation: registration itself never says so.
    #[error("the address has an account")]
    EmailTaken,
    /// Too many emails from this actor or to this address: try again after this time.
    #[error("throttled until {0}")]
    Throttled(NaiveDateTime),
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A duplicate address is told as such; any other failure is the database's.
impl From<diesel::result::Error> for RegisterError {
    fn from(e: diesel::result::Error) -> Self {
        if is_unique_violation(&e) {
            RegisterError::EmailTaken
        } else {
            RegisterError::Db(e.into())
        }
    }
}

/// The first step of a registration: counts it against the limits on the visitor's network
/// address `actor` and on the address `email` (see [`mail_allowed`]) before the password is
/// hashed, so refused requests cost little.
pub fn register_reserve(
    c: &mut DbConn,
    email: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), RegisterError> {
    tx(c, |c| {
        match mail_allowed(c, Actor::Address(actor), email, now)? {
            Reservation::Granted => Ok(()),
            Reservation::Blocked(until) => Err(RegisterError::Throttled(until)),
        }
    })
}

/// Creates the institution and its first member, unverified, and sends the verification link
/// (after [`register_reserve`] and hashing the password). For an address that already has an
/// account nothing is created: its owner gets a short notice instead, and the caller answers
/// exactly as for a new address.
pub fn register(
    c: &mut DbConn,
    cfg: &Config,
    r: &Registration,
    now: NaiveDateTime,
) -> Result<(), RegisterError> {
    let result = tx(c, |c| {
        if let Some(owner) = users::find_by_email(c, &r.email)? {
            let to = unnamed(recipient(&owner));
            mail::enqueue(c, &to, &registered_again_email(cfg, &to), now)?;
            return Ok(());
        }
        let inst = institutions::insert(c, &r.institution, now)?;
        let uid = users::insert(
            c,
            &NewUser {
                email: &r.email,
                name: &r.name,
                password_hash: Some(&r.password_hash),
                role: Role::Applicant,
                institution_id: Some(inst),
                affiliation: None,
                lang: r.lang.code(),
                email_verified_at: None,
                created_at: now,
                updated_at: now,
            },
        )?;
        // The form's consent box: the notice's current version, recorded with the account.
        crate::services::rodo::acknowledge_current(c, uid, now)?;
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
            name: String::new(),
            lang: r.lang,
            user_id: Some(uid),
            institution_id: Some(inst),
        };
        mail::enqueue(c, &to, &verification_email(cfg, &to, &secret), now)?;
        audit::record(
            c,
            Some(uid),
            "institution:register",
            "institution",
            Some(inst),
            &r.institution.name,
            now,
        )?;
        Ok(())
    });
    match result {
        // The same address registered at the same moment by another request: answered as a
        // registration of a known address (nothing created, nothing to say).
        Err(RegisterError::EmailTaken) => Ok(()),
        other => other,
    }
}

/// To the owner of an address someone tried to register again.
fn registered_again_email(cfg: &Config, to: &Recipient) -> Content {
    let l = to.lang;
    Content::new("registered_again", to, "email.registered_again.subject")
        .p(l.t("email.registered_again.body"))
        .p(l.t("email.registered_again.if_you"))
        .action(l.t("nav.login"), cfg.link(&urls::login()))
        .after(l.tf(
            "email.registered_again.reset",
            &[(
                "link",
                &mail::with_lang(&cfg.link(&urls::password_forgot()), l),
            )],
        ))
        .after(l.t("email.not_you"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
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

pub fn verify_email(
    c: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> Result<TokenOutcome, DbError> {
    tx(c, |c| {
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

// ---------------------------------------------------------------------------------------------
// Email to addresses the actor does not own

/// Who makes the portal write to an address that is not their own.
#[derive(Clone, Copy, Debug)]
pub enum Actor<'a> {
    /// A visitor, by network address (registration, a new confirmation link, password reset).
    Address(&'a str),
    /// A logged-in applicant (inviting a colleague).
    Applicant(i32),
    /// An organiser (inviting a juror): more generous limits, and a count per recipient of
    /// their own, so that visitors cannot use up an organiser's invitations.
    Organiser(i32),
}

/// Emails a visitor's network address can cause per hour (registrations, confirmation links,
/// password resets together).
pub const MAIL_BY_ADDRESS: Limit = Limit {
    free: 10,
    window: Duration::hours(1),
    wait: Wait::UntilWindowEnds,
};
/// Colleague invitations per applicant and day.
pub const MAIL_BY_APPLICANT: Limit = Limit {
    free: 10,
    window: Duration::hours(24),
    wait: Wait::UntilWindowEnds,
};
/// Juror invitations per organiser and day.
pub const MAIL_BY_ORGANISER: Limit = Limit {
    free: 200,
    window: Duration::hours(24),
    wait: Wait::UntilWindowEnds,
};
/// Emails any visitor or applicant can cause to one address per hour.
pub const MAIL_TO_ADDRESS: Limit = Limit {
    free: 3,
    window: Duration::hours(1),
    wait: Wait::UntilWindowEnds,
};
/// Juror invitations to one address per hour.
pub const MAIL_TO_ADDRESS_BY_ORGANISER: Limit = Limit {
    free: 5,
    window: Duration::hours(1),
    wait: Wait::UntilWindowEnds,
};

/// Reserves one email from `actor` to `to_email` against both limits (the actor's and the
/// recipient's), atomically. On `Blocked(until)` nothing may be sent and the caller must roll its
/// transaction back. Call inside `db::tx`, before any other write.
pub fn mail_allowed(
    c: &mut DbConn,
    actor: Actor<'_>,
    to_email: &str,
    now: NaiveDateTime,
) -> Result<Reservation, diesel::result::Error> {
    let to_email = mailbox_of(to_email);
    let (actor_key, actor_limit, to_key, to_limit) = match actor {
        Actor::Address(ip) => (
            format!("mail:ip:{ip}"),
            MAIL_BY_ADDRESS,
            format!("mail:to:{to_email}"),
            MAIL_TO_ADDRESS,
        ),
        Actor::Applicant(id) => (
            format!("mail:user:{id}"),
            MAIL_BY_APPLICANT,
            format!("mail:to:{to_email}"),
            MAIL_TO_ADDRESS,
        ),
        Actor::Organiser(id) => (
            format!("mail:user:{id}"),
            MAIL_BY_ORGANISER,
            format!("mail:to-by-organiser:{to_email}"),
            MAIL_TO_ADDRESS_BY_ORGANISER,
        ),
    };
    throttle::try_acquire_all(c, &[(&actor_key, actor_limit), (&to_key, to_limit)], now)
}

/// The mailbox an address delivers to, for counting: `jan+1@x.pl` and `jan+2@x.pl` reach the
/// same person, so they share one recipient limit.
fn mailbox_of(email: &str) -> String {
    match email.rsplit_once('@') {
        Some((local, domain)) => {
            let local = local.split('+').next().unwrap_or(local);
            format!("{local}@{domain}").to_lowercase()
        }
        None => email.to_lowercase(),
    }
}

/// A request for an email to an address the actor does not own, refused by a limit or failed.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// Too many emails: try again after this time.
    #[error("throttled until {0}")]
    Throttled(NaiveDateTime),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::query_errors_into_db!(MailError);

/// Sends a new verification link if the address belongs to an unverified account. The caller
/// answers the same way whatever happens here, except when a limit refuses (which counts known
/// and unknown addresses alike).
pub fn resend_verification(
    c: &mut DbConn,
    cfg: &Config,
    email: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), MailError> {
    tx(c, |c| {
        if let Reservation::Blocked(until) = mail_allowed(c, Actor::Address(actor), email, now)? {
            return Err(MailError::Throttled(until));
        }
        let Some(u) = users::find_by_email(c, email)? else {
            return Ok(());
        };
        if u.email_verified_at.is_some() || u.disabled_at.is_some() {
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
        let to = unnamed(recipient(&u));
        mail::enqueue(c, &to, &verification_email(cfg, &to, &secret), now)?;
        Ok(())
    })
}

// ---------------------------------------------------------------------------------------------
// Login

/// Login throttling: three counters, each reserved atomically *before* the password is checked
/// (so parallel requests never get more checks than allowed), and a growing delay instead of a
/// lock-out:
///
/// - per account and network address ([`PAIR_LIMIT`]): 5 free failures, then a wait of 1 min
///   that doubles with each further failure (1, 2, 4, 8 min) up to 15 min;
/// - per network address ([`ADDRESS_LIMIT`]), whatever the account: 30 free failures, then the
///   same growing delay;
/// - per account ([`ACCOUNT_LIMIT`]), whatever the address: 10 free failures, then the same
///   growing delay — but it does not apply to an address from which the account logged in
///   during the last 30 days ([`KNOWN_ADDRESS_FOR`]), so an attacker spreading guesses over
///   many addresses cannot keep the owner out of their account; a password reset clears it.
///
/// A successful login clears the pair counter and gives back its reservation on the other two
/// (so it neither counts nor wipes an attacker's failures). Counts are forgotten after an hour
/// without attempts. The address is a plain string (today the TCP peer).
pub const PAIR_LIMIT: Limit = Limit {
    free: 5,
    window: Duration::hours(1),
    wait: LOGIN_BACKOFF,
};
pub const ADDRESS_LIMIT: Limit = Limit {
    free: 30,
    window: Duration::hours(1),
    wait: LOGIN_BACKOFF,
};
pub const ACCOUNT_LIMIT: Limit = Limit {
    free: 10,
    window: Duration::hours(1),
    wait: LOGIN_BACKOFF,
};
const LOGIN_BACKOFF: Wait = Wait::Backoff {
    first: Duration::minutes(1),
    max: Duration::minutes(15),
};
/// How long an address from which an account logged in stays exempt from the account counter.
pub const KNOWN_ADDRESS_FOR: Duration = Duration::days(30);

fn pair_key(email: &str, ip: &str) -> String {
    format!("login:pair:{email}|{ip}")
}

fn account_key(email: &str) -> String {
    format!("login:acct:{email}")
}

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

#[derive(Debug, thiserror::Error)]
enum Reserve {
    #[error("throttled until {0}")]
    Refused(NaiveDateTime),
    #[error(transparent)]
    Db(#[from] diesel::result::Error),
}

/// Logs in with `email` and `pw` from the network address `ip` at `now` (see [`PAIR_LIMIT`]
/// for the throttling policy).
pub fn login(
    c: &mut DbConn,
    email: &str,
    pw: &str,
    ip: &str,
    now: NaiveDateTime,
) -> Result<LoginOutcome, DbError> {
    login_from(c, email, pw, ip, None, now)
}

/// [`login`] from a browser that may carry a device cookie: `device_user` is the account its
/// genuine cookie names. A browser known to the account, like an address known to it, is not
/// held back by the per-account limit.
///
/// The three steps in one call, checking the password on this thread with the connection held:
/// for tools and tests. The server runs [`login_start`], checks the password on its hashing
/// pool with no connection held, then runs [`login_finish`].
pub fn login_from(
    c: &mut DbConn,
    email: &str,
    pw: &str,
    ip: &str,
    device_user: Option<i32>,
    now: NaiveDateTime,
) -> Result<LoginOutcome, DbError> {
    match login_start(c, email, ip, device_user, now)? {
        LoginStart::Throttled(until) => Ok(LoginOutcome::Throttled(until)),
        LoginStart::Check(attempt) => {
            let ok = password::verify(pw, attempt.stored_hash());
            login_finish(c, *attempt, ok, now)
        }
    }
}

/// A login attempt whose counters are reserved and whose password is still to be checked.
#[derive(Debug)]
pub struct LoginAttempt {
    user: Option<User>,
    known: bool,
    ip: String,
    pair: String,
    addr: String,
    acct: String,
}

impl LoginAttempt {
    /// The hash to check the password against; `None` for an unknown address (check it
    /// against the dummy hash all the same, see [`password::verify`]).
    pub fn stored_hash(&self) -> Option<&str> {
        self.user.as_ref().and_then(|u| u.password_hash.as_deref())
    }
}

#[derive(Debug)]
pub enum LoginStart {
    /// Too many failures: try again after this time (nothing counted, nothing to check).
    Throttled(NaiveDateTime),
    /// Counted: check the password, then [`login_finish`].
    Check(Box<LoginAttempt>),
}

/// The first step of a login: finds the account and reserves the throttle counters, *before*
/// the password is checked, so parallel requests never get more checks than allowed.
pub fn login_start(
    c: &mut DbConn,
    email: &str,
    ip: &str,
    device_user: Option<i32>,
    now: NaiveDateTime,
) -> Result<LoginStart, DbError> {
    let user = users::find_by_email(c, email)?;
    let known = match &user {
        Some(u) => {
            device_user == Some(u.id)
                || users::logged_in_from(c, u.id, ip, now - KNOWN_ADDRESS_FOR)?
        }
        None => false,
    };
    let attempt = LoginAttempt {
        user,
        known,
        ip: ip.to_string(),
        pair: pair_key(email, ip),
        addr: format!("login:ip:{ip}"),
        acct: account_key(email),
    };
    let mut keys = vec![
        (attempt.pair.as_str(), PAIR_LIMIT),
        (attempt.addr.as_str(), ADDRESS_LIMIT),
    ];
    if !known {
        keys.push((attempt.acct.as_str(), ACCOUNT_LIMIT));
    }
    let reserved = tx(c, |c| match throttle::try_acquire_all(c, &keys, now)? {
        Reservation::Granted => Ok(()),
        Reservation::Blocked(until) => Err(Reserve::Refused(until)),
    });
    match reserved {
        Ok(()) => Ok(LoginStart::Check(Box::new(attempt))),
        Err(Reserve::Refused(until)) => Ok(LoginStart::Throttled(until)),
        Err(Reserve::Db(e)) => Err(e.into()),
    }
}

/// The last step of a login, after the password check (`ok`). A failure stays counted; a
/// success clears the pair counter, gives back the other reservations and remembers the
/// address.
pub fn login_finish(
    c: &mut DbConn,
    attempt: LoginAttempt,
    ok: bool,
    now: NaiveDateTime,
) -> Result<LoginOutcome, DbError> {
    let LoginAttempt {
        user,
        known,
        ip,
        pair,
        addr,
        acct,
    } = attempt;
    let Some(user) = user.filter(|_| ok) else {
        return Ok(LoginOutcome::Invalid);
    };
    tx(c, |c| {
        throttle::clear(c, &pair)?;
        throttle::release(c, &addr)?;
        if !known {
            throttle::release(c, &acct)?;
        }
        if user.disabled_at.is_none() && user.email_verified_at.is_some() {
            users::remember_login_address(c, user.id, &ip, now)?;
        }
        Ok::<_, diesel::result::Error>(())
    })?;
    if user.disabled_at.is_some() {
        return Ok(LoginOutcome::Disabled);
    }
    if user.email_verified_at.is_none() {
        return Ok(LoginOutcome::Unverified);
    }
    Ok(LoginOutcome::Ok(user))
}

// ---------------------------------------------------------------------------------------------
// Passwords

/// Sends a reset link if the address belongs to an enabled account. Known and unknown addresses
/// cost the same: the same limit is reserved, and for an unknown address the same token and
/// message are written inside a savepoint that is then rolled back. The caller answers the same.
pub fn request_password_reset(
    c: &mut DbConn,
    cfg: &Config,
    email: &str,
    actor: &str,
    now: NaiveDateTime,
) -> Result<(), MailError> {
    tx(c, |c| {
        if let Reservation::Blocked(until) = mail_allowed(c, Actor::Address(actor), email, now)? {
            return Err(MailError::Throttled(until));
        }
        let user = users::find_by_email(c, email)?.filter(|u| u.disabled_at.is_none());
        let to = match &user {
            Some(u) => unnamed(recipient(u)),
            None => Recipient {
                email: email.to_string(),
                name: String::new(),
                lang: Lang::default(),
                user_id: None,
                institution_id: None,
            },
        };
        if user.is_none() {
            c.batch_execute("SAVEPOINT reset_unknown")?;
        }
        let secret = tokens::create(
            c,
            Purpose::ResetPassword,
            TokenFor {
                user_id: to.user_id,
                ..Default::default()
            },
            now,
        )?;
        let l = to.lang;
        let content = Content::new("reset_password", &to, "email.reset.subject")
            .p(l.t("email.reset.body"))
            .action(
                l.t("email.reset.action"),
                cfg.link(&urls::with_token(urls::password_reset(), &secret)),
            )
            .after(l.t("email.reset.expiry"))
            .after(l.t("email.not_you"));
        mail::enqueue(c, &to, &content, now)?;
        if user.is_none() {
            c.batch_execute(
                "ROLLBACK TO SAVEPOINT reset_unknown; RELEASE SAVEPOINT reset_unknown",
            )?;
        }
        Ok(())
    })
}

fn password_changed_email(
    c: &mut DbConn,
    u: &User,
    now: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    let to = recipient(u);
    let l = to.lang;
    let content = Content::new("password_changed", &to, "email.password_changed.subject")
        .p(l.tf(
            "email.password_changed.body",
            &[("time", &time::format(now, l))],
        ))
        .after(l.t("email.password_changed.not_you"));
    mail::enqueue(c, &to, &content, now).map(|_| ())
}

/// Sets a new password from a reset link. Every session of the account ends; the address is
/// confirmed (the link reached it).
/// `hash` is the new password's, made beforehand (on the server, on its hashing pool).
pub fn reset_password(
    c: &mut DbConn,
    secret: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<TokenOutcome, DbError> {
    tx(c, |c| {
        let (state, tok) = tokens::consume(c, Purpose::ResetPassword, secret, now)?;
        let uid = match (state, tok.and_then(|t| t.user_id)) {
            (TokenState::Valid, Some(uid)) => uid,
            (state, _) => return Ok(refused(state)),
        };
        let Some(u) = users::find(c, uid)?.filter(|u| u.disabled_at.is_none()) else {
            return Ok(TokenOutcome::Unknown);
        };
        users::set_password(c, uid, hash, now)?;
        users::mark_verified(c, uid, now)?;
        sessions::delete_for_user(c, uid, None)?;
        // Remembered browsers skip the second step no longer.
        crate::db::two_factor::forget_devices(c, uid)?;
        // The link reached the owner: their login counters start again.
        throttle::clear(c, &account_key(&u.email))?;
        throttle::clear_prefix(c, &pair_key(&u.email, ""))?;
        password_changed_email(c, &u, now)?;
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

/// The stored hash of an account's password, for checking the current password before a
/// change (`None`: no password or no account).
pub fn password_hash_of(c: &mut DbConn, user_id: i32) -> Result<Option<String>, DbError> {
    Ok(users::find(c, user_id)?.and_then(|u| u.password_hash))
}

/// Changes the password once the current one has been checked against `checked` (the hash
/// from [`password_hash_of`]); `new_hash` is the new password's. If the password changed in
/// between, the check no longer holds and nothing changes. Ends every session of the account
/// (the caller then renews its own).
pub fn change_password(
    c: &mut DbConn,
    user_id: i32,
    checked: &str,
    new_hash: &str,
    now: NaiveDateTime,
) -> Result<ChangeOutcome, DbError> {
    tx(c, |c| {
        let Some(u) = users::find(c, user_id)? else {
            return Ok(ChangeOutcome::WrongCurrent);
        };
        if u.password_hash.as_deref() != Some(checked) {
            return Ok(ChangeOutcome::WrongCurrent);
        }
        users::set_password(c, user_id, new_hash, now)?;
        sessions::delete_for_user(c, user_id, None)?;
        crate::db::two_factor::forget_devices(c, user_id)?;
        password_changed_email(c, &u, now)?;
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

/// A colleague invitation is refused the same ways as any email to another's address.
pub type InviteError = MailError;

/// Invites a colleague into the inviter's institution; the link lets them set a password.
/// Limited per inviter and per address. An address that already has an account is answered the
/// same (the invitation is recorded and listed as pending) but gets no email, so the form
/// reveals nothing about other people's accounts. The message greets nobody by name and states
/// the inviter and the institution as labelled details below a fixed text.
pub fn invite_member(
    c: &mut DbConn,
    cfg: &Config,
    inviter: &User,
    email: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<(), InviteError> {
    let Some(inst_id) = inviter.institution_id else {
        return Err(InviteError::Db(DbError::Missing("inviter's institution")));
    };
    tx(c, |c| {
        if let Reservation::Blocked(until) =
            mail_allowed(c, Actor::Applicant(inviter.id), email, now)?
        {
            return Err(InviteError::Throttled(until));
        }
        let inst = institutions::find(c, inst_id)?
            .ok_or(InviteError::Db(DbError::Missing("institution")))?;
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
        if !users::email_taken(c, email)? {
            let to = Recipient {
                email: email.to_string(),
                name: String::new(),
                lang,
                user_id: None,
                institution_id: Some(inst_id),
            };
            let content = Content::new("invite_member", &to, "email.invite.subject")
                .p(lang.t("email.invite.body"))
                .detail(lang.t("email.invite.institution"), &inst.name)
                .detail(lang.t("email.invite.inviter"), &inviter.name)
                .action(
                    lang.t("email.invite.action"),
                    cfg.link(&urls::with_token(urls::invite(), &secret)),
                )
                .after(lang.t("email.invite.expiry"))
                .after(lang.t("email.invite.not_expected"));
            mail::enqueue(c, &to, &content, now)?;
        }
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

/// Accepts an invitation (of a colleague or a juror): creates the account, already verified,
/// with the password whose hash is `hash`.
pub fn accept_invitation(
    c: &mut DbConn,
    purpose: Purpose,
    secret: &str,
    name: &str,
    hash: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<TokenOutcome, RegisterError> {
    tx(c, |c| {
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
                password_hash: Some(hash),
                role,
                institution_id: tok.institution_id,
                affiliation: None,
                lang: lang.code(),
                email_verified_at: Some(now),
                created_at: now,
                updated_at: now,
            },
        )?;
        crate::services::rodo::acknowledge_current(c, uid, now)?;
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

/// What a start says about the first organiser's set-up link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SetupLink {
    /// An organiser exists: no link.
    NotNeeded,
    /// Made now, to be shown once: the secret is not stored, only its hash.
    New {
        link: String,
        expires_at: NaiveDateTime,
    },
    /// Made at an earlier start and still valid; it cannot be shown again (`konkurs setup-link`
    /// makes a new one).
    Issued {
        created_at: NaiveDateTime,
        expires_at: NaiveDateTime,
    },
}

/// At start: with no organiser yet, a one-time link to create the first one, made only when no
/// valid one was issued before (so it is printed once, not at every start).
pub fn setup_link_at_start(
    c: &mut DbConn,
    cfg: &Config,
    now: NaiveDateTime,
) -> Result<SetupLink, DbError> {
    tx(c, |c| {
        // Instances starting at once would each see no link and make one (the later revoking
        // the one the other printed): on PostgreSQL they take turns (SQLite's write
        // transaction already does).
        if let DbConn::Pg(pg) = c {
            diesel::connection::SimpleConnection::batch_execute(
                pg,
                "SELECT pg_advisory_xact_lock(7036211590)",
            )?;
        }
        if users::count_organisers(c)? > 0 {
            return Ok(SetupLink::NotNeeded);
        }
        if let Some(t) = tokens::latest_valid(c, Purpose::Setup, now)? {
            return Ok(SetupLink::Issued {
                created_at: t.created_at,
                expires_at: t.expires_at,
            });
        }
        new_setup_token(c, cfg, now)
    })
}

/// `konkurs setup-link`: a new set-up link, which revokes any earlier one; `NotNeeded` when an
/// organiser exists.
pub fn renew_setup_link(
    c: &mut DbConn,
    cfg: &Config,
    now: NaiveDateTime,
) -> Result<SetupLink, DbError> {
    tx(c, |c| {
        if users::count_organisers(c)? > 0 {
            return Ok(SetupLink::NotNeeded);
        }
        new_setup_token(c, cfg, now)
    })
}

fn new_setup_token(c: &mut DbConn, cfg: &Config, now: NaiveDateTime) -> Result<SetupLink, DbError> {
    // `tokens::create` revokes the earlier set-up tokens.
    let secret = tokens::create(c, Purpose::Setup, TokenFor::default(), now)?;
    Ok(SetupLink::New {
        link: cfg.link(&urls::with_token(urls::setup(), &secret)),
        expires_at: now + Purpose::Setup.lifetime(),
    })
}

#[derive(Debug, thiserror::Error)]
pub enum OrganiserError {
    #[error("the address has an account")]
    EmailTaken,
    /// The set-up link was used, or an organiser exists already.
    #[error("not allowed")]
    NotAllowed,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A duplicate address is told as such; any other failure is the database's.
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
            role: Role::Organiser,
            institution_id: None,
            affiliation: None,
            lang: lang.code(),
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        },
    )?;
    crate::services::rodo::acknowledge_current(c, uid, now)?;
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

/// `konkurs create-organiser`, with the password whose hash is `hash`.
pub fn create_organiser(
    c: &mut DbConn,
    email: &str,
    name: &str,
    hash: &str,
    now: NaiveDateTime,
) -> Result<i32, OrganiserError> {
    tx(c, |c| insert_organiser(c, email, name, hash, Lang::Pl, now))
}

/// The first-run set-up page: the link works once, and only while there is no organiser.
/// `hash` is the password's.
pub fn setup_first_organiser(
    c: &mut DbConn,
    secret: &str,
    email: &str,
    name: &str,
    hash: &str,
    lang: Lang,
    now: NaiveDateTime,
) -> Result<i32, OrganiserError> {
    tx(c, |c| {
        if users::count_organisers(c)? > 0 {
            return Err(OrganiserError::NotAllowed);
        }
        match tokens::consume(c, Purpose::Setup, secret, now)? {
            (TokenState::Valid, _) => insert_organiser(c, email, name, hash, lang, now),
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
    /// A person whose data were erased stays blocked (the account has no address or password).
    Erased,
}

pub fn set_disabled(
    c: &mut DbConn,
    actor: i32,
    target: i32,
    disabled: bool,
    now: NaiveDateTime,
) -> Result<DisableOutcome, DbError> {
    if actor == target {
        return Ok(DisableOutcome::Yourself);
    }
    tx(c, |c| {
        let Some(u) = users::find(c, target)? else {
            return Ok(DisableOutcome::NotFound);
        };
        if u.anonymised_at.is_some() {
            return Ok(DisableOutcome::Erased);
        }
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
    now: NaiveDateTime,
) -> Result<(), DbError> {
    tx(c, |c| {
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

// ---------------------------------------------------------------------------------------------
// Reads for the pages that emailed links open (nothing is used up)

/// Why the page an emailed link opens cannot be shown.
#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    /// Expired, used or unknown: the visitor is told which and offered a way on.
    #[error("the link does not work ({0:?})")]
    Dead(TokenOutcome),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::query_errors_into_db!(LinkError);

/// Whether the link's token is valid now; otherwise what is wrong with it.
pub fn check_link(
    c: &mut DbConn,
    purpose: Purpose,
    secret: &str,
    now: NaiveDateTime,
) -> Result<(), LinkError> {
    let (state, _) = tokens::check(c, purpose, secret, now)?;
    match state {
        TokenState::Valid => Ok(()),
        other => Err(LinkError::Dead(refused(other))),
    }
}

/// A colleague's invitation: (the invited address, the institution's name), or what is wrong
/// with the link.
pub fn member_invitation(
    c: &mut DbConn,
    secret: &str,
    now: NaiveDateTime,
) -> Result<(String, String), LinkError> {
    let (state, tok) = tokens::check(c, Purpose::InviteMember, secret, now)?;
    let Some(tok) = tok.filter(|_| state == TokenState::Valid) else {
        return Err(LinkError::Dead(refused(state)));
    };
    let institution = match tok.institution_id {
        Some(id) => institutions::find(c, id)?
            .map(|i| i.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    Ok((tok.email.unwrap_or_default(), institution))
}

/// The first-run set-up link works while it is valid and no organiser exists.
pub fn setup_allowed(c: &mut DbConn, secret: &str, now: NaiveDateTime) -> Result<bool, DbError> {
    let (state, _) = tokens::check(c, Purpose::Setup, secret, now)?;
    Ok(state == TokenState::Valid && users::count_organisers(c)? == 0)
}

// ---------------------------------------------------------------------------------------------
// Reads for a user's own pages

/// What a user's dashboard shows.
pub struct Dashboard {
    /// The applicant's institution.
    pub institution: Option<institutions::Institution>,
    pub current: Option<crate::db::editions::Edition>,
    /// The institution's entries.
    pub entries: Vec<crate::db::entries::EntryRow>,
    /// The published results of those entries (entry, award; `None`: no award).
    pub results: Vec<(i32, Option<crate::domain::awards::Award>)>,
    /// For organisers: messages waiting and failed in the outbox, and the number of accounts.
    pub queued: i64,
    pub failed: i64,
    pub users: i64,
}

pub fn dashboard(
    c: &mut DbConn,
    role: Role,
    institution_id: Option<i32>,
) -> Result<Dashboard, DbError> {
    use crate::db::outbox::{self, OutboxStatus};
    let institution = match institution_id {
        Some(id) => institutions::find(c, id)?,
        None => None,
    };
    let current = crate::db::editions::current(c)?;
    let entries = match institution_id {
        Some(id) => crate::db::entries::for_institution(c, id)?,
        None => Vec::new(),
    };
    let results = crate::services::results::institution_results(c, institution_id)?;
    let (mut queued, mut failed, mut n_users) = (0, 0, 0);
    if role == Role::Organiser {
        for (status, n) in outbox::counts(c)? {
            match status {
                OutboxStatus::Queued => queued = n,
                OutboxStatus::Failed => failed = n,
                OutboxStatus::Sent => {}
            }
        }
        n_users = users::count_all(c)?;
    }
    Ok(Dashboard {
        results,
        institution,
        current,
        entries,
        queued,
        failed,
        users: n_users,
    })
}

/// An institution's members and the invitations still open.
pub struct Members {
    pub institution: String,
    pub members: Vec<User>,
    pub pending: Vec<tokens::Token>,
}

pub fn members(
    c: &mut DbConn,
    institution_id: i32,
    now: NaiveDateTime,
) -> Result<Members, DbError> {
    let institution = institutions::find(c, institution_id)?
        .map(|i| i.name)
        .unwrap_or_default();
    Ok(Members {
        institution,
        members: users::members(c, institution_id)?,
        pending: tokens::pending_invitations(c, institution_id, now)?,
    })
}

#[cfg(test)]
mod mailbox_tests {
    use super::mailbox_of;

    #[test]
    fn sub_addresses_share_their_mailbox() {
        assert_eq!(mailbox_of("victim+1@gmina.pl"), "victim@gmina.pl");
        assert_eq!(mailbox_of("Victim+a+b@Gmina.PL"), "victim@gmina.pl");
        assert_eq!(mailbox_of("jan@gmina.pl"), "jan@gmina.pl");
    }
}
