//! Two-factor sign-in: turning it on and off, checking a code at sign-in (throttled like the
//! password), remembered browsers, the organisers' rule and their reset of a user's factor.

use chrono::{Duration, NaiveDateTime};

use crate::db::throttle::{self, Limit, Reservation, Wait};
use crate::db::users::{self, User};
use crate::db::{DbConn, DbError, audit, is_unique_violation, two_factor as db, tx};
use crate::domain::roles::Role;
use crate::domain::two_factor::{self as rules, TypedCode};
use crate::domain::{time, token};
use crate::mail::{self, Content};
use crate::services::accounts::recipient;

/// Code attempts per account, whatever the address: the password's per-pair policy (5 free
/// failures, then a wait doubling from 1 min to 15 min, forgotten after an hour).
pub const CODE_LIMIT: Limit = Limit {
    free: 5,
    window: Duration::hours(1),
    wait: Wait::Backoff {
        first: Duration::minutes(1),
        max: Duration::minutes(15),
    },
};

fn code_key(user_id: i32) -> String {
    format!("2fa:user:{user_id}")
}

/// What the account page shows about the second factor.
#[derive(Debug, Clone)]
pub struct Status {
    pub enabled_at: NaiveDateTime,
    pub recovery_left: i64,
}

pub fn status(c: &mut DbConn, user_id: i32) -> Result<Option<Status>, DbError> {
    let Some(tf) = db::find(c, user_id)? else {
        return Ok(None);
    };
    Ok(Some(Status {
        enabled_at: tf.enabled_at,
        recovery_left: db::recovery_left(c, user_id)?,
    }))
}

pub fn is_on(c: &mut DbConn, user_id: i32) -> Result<bool, DbError> {
    Ok(db::find(c, user_id)?.is_some())
}

/// Whether this account must set up the second factor before using the site: the rule is on,
/// the role is organiser or juror, and it has none.
pub fn setup_due(c: &mut DbConn, user_id: i32, role: Role) -> Result<bool, DbError> {
    if !matches!(role, Role::Organiser | Role::Juror) {
        return Ok(false);
    }
    Ok(db::required_for_staff(c)? && db::find(c, user_id)?.is_none())
}

#[derive(Debug, thiserror::Error)]
pub enum EnableError {
    #[error("the code does not match the secret")]
    WrongCode,
    #[error("already on")]
    AlreadyOn,
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for EnableError {
    fn from(e: diesel::result::Error) -> Self {
        if is_unique_violation(&e) {
            EnableError::AlreadyOn
        } else {
            EnableError::Db(e.into())
        }
    }
}

/// Turns the second factor on with the secret shown on the set-up page, once a code from it
/// matches. Returns the recovery codes, to be shown once; only their hashes are stored.
pub fn enable(
    c: &mut DbConn,
    master: &[u8],
    user_id: i32,
    secret: &str,
    code: &str,
    now: NaiveDateTime,
) -> Result<Vec<String>, EnableError> {
    let TypedCode::Totp(code) = rules::parse_code(code) else {
        return Err(EnableError::WrongCode);
    };
    let Some(step) = rules::matching_step(secret, &code, now) else {
        return Err(EnableError::WrongCode);
    };
    let codes = rules::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| rules::recovery_hash(c)).collect();
    tx(c, |c| {
        let sealed = rules::seal(secret, user_id, master);
        db::insert(c, user_id, &sealed, step, &hashes, now)?;
        audit::record(
            c,
            Some(user_id),
            "user:two_factor_enable",
            "user",
            Some(user_id),
            "",
            now,
        )?;
        if let Some(u) = users::find(c, user_id)? {
            notice_email(c, &u, Notice::On, now)?;
        }
        Ok::<_, EnableError>(())
    })?;
    Ok(codes)
}

#[derive(Debug, PartialEq, Eq)]
pub enum CodeOutcome {
    /// Accepted; `recovery` is `Some(codes left)` when a recovery code was used up.
    Ok { recovery: Option<i64> },
    /// Wrong, already used, or not a code at all (counted).
    Invalid,
    /// Too many wrong codes: try again after this time (nothing counted).
    Throttled(NaiveDateTime),
    /// The account has no second factor (any more).
    NotOn,
}

/// Checks a code in the transaction `c` is in; the reservation was made before.
fn check_code(
    c: &mut DbConn,
    master: &[u8],
    tf: &db::TwoFactor,
    typed: &str,
    now: NaiveDateTime,
) -> Result<CodeOutcome, diesel::result::Error> {
    match rules::parse_code(typed) {
        TypedCode::Totp(code) => {
            // A secret that does not open (a new server key) matches no code; recovery codes
            // still work.
            let Some(secret) = rules::unseal(&tf.secret, tf.user_id, master) else {
                return Ok(CodeOutcome::Invalid);
            };
            let Some(step) = rules::matching_step(&secret, &code, now) else {
                return Ok(CodeOutcome::Invalid);
            };
            if db::take_step(c, tf.user_id, step)? {
                Ok(CodeOutcome::Ok { recovery: None })
            } else {
                Ok(CodeOutcome::Invalid)
            }
        }
        TypedCode::Recovery(code) => {
            if db::use_recovery(c, tf.user_id, &rules::recovery_hash(&code), now)? {
                let left = db::recovery_left(c, tf.user_id)?;
                Ok(CodeOutcome::Ok {
                    recovery: Some(left),
                })
            } else {
                Ok(CodeOutcome::Invalid)
            }
        }
        TypedCode::Malformed => Ok(CodeOutcome::Invalid),
    }
}

/// Reserves one code attempt for the account; `Some(until)` when it is throttled.
fn reserve(
    c: &mut DbConn,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, diesel::result::Error> {
    match throttle::try_acquire(c, &code_key(user_id), CODE_LIMIT, now)? {
        Reservation::Granted => Ok(None),
        Reservation::Blocked(until) => Ok(Some(until)),
    }
}

/// The second step of a sign-in: one transaction that counts the attempt, checks the code and
/// uses it up (a wrong code stays counted; a right one clears the count).
pub fn verify(
    c: &mut DbConn,
    master: &[u8],
    user_id: i32,
    typed: &str,
    now: NaiveDateTime,
) -> Result<CodeOutcome, DbError> {
    Ok(tx(c, |c| {
        let Some(tf) = db::find(c, user_id)? else {
            return Ok(CodeOutcome::NotOn);
        };
        if let Some(until) = reserve(c, user_id, now)? {
            return Ok(CodeOutcome::Throttled(until));
        }
        let out = check_code(c, master, &tf, typed, now)?;
        if let CodeOutcome::Ok { recovery } = out {
            throttle::clear(c, &code_key(user_id))?;
            if let Some(left) = recovery {
                // Signed in with it (turning the factor off or making new codes with one is
                // recorded as that).
                audit::record(
                    c,
                    Some(user_id),
                    "user:two_factor_recovery",
                    "user",
                    Some(user_id),
                    "",
                    now,
                )?;
                if let Some(u) = users::find(c, user_id)? {
                    notice_email(c, &u, Notice::RecoveryUsed(left), now)?;
                }
            }
        }
        Ok::<_, diesel::result::Error>(out)
    })?)
}

/// Before the password is checked for turning the factor off: counts the attempt. `Some(until)`
/// when throttled.
pub fn disable_start(
    c: &mut DbConn,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<Option<NaiveDateTime>, DbError> {
    Ok(tx(c, |c| reserve(c, user_id, now))?)
}

#[derive(Debug, PartialEq, Eq)]
pub enum DisableOutcome {
    Done,
    WrongPassword,
    WrongCode,
    NotOn,
}

/// Turns the second factor off after the password was checked (`password_ok`) and with a code
/// (from the app or a recovery code): removes the secret, the codes and remembered browsers,
/// records it and tells the user by email.
pub fn disable_finish(
    c: &mut DbConn,
    master: &[u8],
    user_id: i32,
    password_ok: bool,
    typed: &str,
    now: NaiveDateTime,
) -> Result<DisableOutcome, DbError> {
    if !password_ok {
        return Ok(DisableOutcome::WrongPassword);
    }
    Ok(tx(c, |c| {
        let Some(tf) = db::find(c, user_id)? else {
            return Ok(DisableOutcome::NotOn);
        };
        if check_code(c, master, &tf, typed, now)? == CodeOutcome::Invalid {
            return Ok(DisableOutcome::WrongCode);
        }
        throttle::clear(c, &code_key(user_id))?;
        db::remove(c, user_id)?;
        audit::record(
            c,
            Some(user_id),
            "user:two_factor_disable",
            "user",
            Some(user_id),
            "",
            now,
        )?;
        if let Some(u) = users::find(c, user_id)? {
            notice_email(c, &u, Notice::Off, now)?;
        }
        Ok::<_, diesel::result::Error>(DisableOutcome::Done)
    })?)
}

/// The security messages about the account's second factor, in the recipient's language.
#[derive(Debug, Clone, Copy)]
enum Notice {
    On,
    Off,
    Reset,
    Regenerated,
    /// A recovery code signed in; this many are left.
    RecoveryUsed(i64),
}

fn notice_email(
    c: &mut DbConn,
    u: &User,
    notice: Notice,
    now: NaiveDateTime,
) -> Result<(), diesel::result::Error> {
    let to = recipient(u);
    let l = to.lang;
    let (kind, subject, body) = match notice {
        Notice::On => (
            "two_factor_on",
            "email.two_factor_on.subject",
            l.t("email.two_factor_on.body").to_string(),
        ),
        Notice::Off => (
            "two_factor_off",
            "email.two_factor_off.subject",
            l.t("email.two_factor_off.body").to_string(),
        ),
        Notice::Reset => (
            "two_factor_off",
            "email.two_factor_off.subject",
            l.t("email.two_factor_off.reset_body").to_string(),
        ),
        Notice::Regenerated => (
            "two_factor_codes",
            "email.two_factor_codes.subject",
            l.t("email.two_factor_codes.body").to_string(),
        ),
        Notice::RecoveryUsed(_) => (
            "two_factor_recovery",
            "email.two_factor_recovery.subject",
            l.t("email.two_factor_recovery.body").to_string(),
        ),
    };
    let when = if matches!(notice, Notice::RecoveryUsed(_)) {
        "email.two_factor_recovery.when"
    } else {
        "email.two_factor_off.when"
    };
    let mut content = Content::new(kind, &to, subject)
        .p(body)
        .detail(l.t(when), time::format(now, l));
    if let Notice::RecoveryUsed(left) = notice {
        content = content.detail(
            l.t("two_factor.recovery_codes"),
            l.tn("two_factor.recovery_left", left),
        );
        if rules::recovery_low(left) {
            content = content.p(l.t("email.two_factor_recovery.low"));
        }
    }
    let content = content.after(l.t("email.two_factor_off.not_you"));
    mail::enqueue(c, &to, &content, now).map(|_| ())
}

#[derive(Debug, PartialEq, Eq)]
pub enum RegenerateOutcome {
    /// The new codes, to be shown once; the old ones no longer work.
    Done(Vec<String>),
    WrongPassword,
    WrongCode,
    NotOn,
}

/// New recovery codes in place of all the old ones, after the password was checked
/// (`password_ok`, the attempt counted by [`disable_start`]) and with a current code from the
/// app (or a recovery code): recorded, and the user told by email.
pub fn regenerate(
    c: &mut DbConn,
    master: &[u8],
    user_id: i32,
    password_ok: bool,
    typed: &str,
    now: NaiveDateTime,
) -> Result<RegenerateOutcome, DbError> {
    if !password_ok {
        return Ok(RegenerateOutcome::WrongPassword);
    }
    let codes = rules::new_recovery_codes();
    let hashes: Vec<String> = codes.iter().map(|c| rules::recovery_hash(c)).collect();
    Ok(tx(c, |c| {
        let Some(tf) = db::find(c, user_id)? else {
            return Ok(RegenerateOutcome::NotOn);
        };
        if check_code(c, master, &tf, typed, now)? == CodeOutcome::Invalid {
            return Ok(RegenerateOutcome::WrongCode);
        }
        throttle::clear(c, &code_key(user_id))?;
        db::replace_recovery(c, user_id, &hashes)?;
        audit::record(
            c,
            Some(user_id),
            "user:two_factor_codes",
            "user",
            Some(user_id),
            "",
            now,
        )?;
        if let Some(u) = users::find(c, user_id)? {
            notice_email(c, &u, Notice::Regenerated, now)?;
        }
        Ok::<_, diesel::result::Error>(RegenerateOutcome::Done(codes))
    })?)
}

#[derive(Debug, PartialEq, Eq)]
pub enum ResetOutcome {
    Done,
    NotOn,
    NotFound,
    /// An organiser's own account: turning it off there needs the password and a code (a
    /// stolen session must not be enough).
    OwnAccount,
}

/// An organiser's reset of a user's second factor (a lost phone): removes it with the recovery
/// codes and remembered browsers, records it and tells the user by email. The user sets it up
/// again at the next sign-in if the rule requires it.
/// `actor` is `None` from the command line (an organiser locked out of their own account).
pub fn reset(
    c: &mut DbConn,
    actor: Option<i32>,
    target: i32,
    now: NaiveDateTime,
) -> Result<ResetOutcome, DbError> {
    if actor == Some(target) {
        return Ok(ResetOutcome::OwnAccount);
    }
    Ok(tx(c, |c| {
        let Some(u) = users::find(c, target)? else {
            return Ok(ResetOutcome::NotFound);
        };
        if !db::remove(c, target)? {
            return Ok(ResetOutcome::NotOn);
        }
        throttle::clear(c, &code_key(target))?;
        audit::record(
            c,
            actor,
            "user:two_factor_reset",
            "user",
            Some(target),
            &u.email,
            now,
        )?;
        notice_email(c, &u, Notice::Reset, now)?;
        Ok::<_, diesel::result::Error>(ResetOutcome::Done)
    })?)
}

/// Saves the site-wide rule; false (nothing recorded) when it already was so.
pub fn set_policy(
    c: &mut DbConn,
    actor: i32,
    required: bool,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    Ok(tx(c, |c| {
        if !db::set_required_for_staff(c, required, actor, now)? {
            return Ok(false);
        }
        audit::record(
            c,
            Some(actor),
            "site:two_factor_policy",
            "site",
            None,
            if required { "on" } else { "off" },
            now,
        )?;
        Ok::<_, diesel::result::Error>(true)
    })?)
}

/// What the confirmation of the rule shows: whether it is on now, and the organisers' and
/// jurors' accounts in use, all and those still without the second factor.
#[derive(Debug, Clone, Copy)]
pub struct PolicyPlan {
    pub required: bool,
    pub staff: i64,
    pub without: i64,
}

pub fn policy_plan(c: &mut DbConn) -> Result<PolicyPlan, DbError> {
    let (staff, without) = db::staff_counts(c)?;
    Ok(PolicyPlan {
        required: db::required_for_staff(c)?,
        staff,
        without,
    })
}

pub fn required_for_staff(c: &mut DbConn) -> Result<bool, DbError> {
    Ok(db::required_for_staff(c)?)
}

/// Remembers this browser for the account (recorded): returns the random token for its signed
/// cookie.
pub fn remember_device(
    c: &mut DbConn,
    user_id: i32,
    now: NaiveDateTime,
) -> Result<String, DbError> {
    let secret = token::generate();
    let expires = now + Duration::days(rules::REMEMBER_DAYS);
    tx(c, |c| {
        db::remember_device(c, user_id, &token::hash(&secret), expires, now)?;
        audit::record(
            c,
            Some(user_id),
            "user:two_factor_remember",
            "user",
            Some(user_id),
            "",
            now,
        )
    })?;
    Ok(secret)
}

/// Whether the browser's token is a remembered browser of this account that has not expired.
pub fn device_remembered(
    c: &mut DbConn,
    user_id: i32,
    secret: &str,
    now: NaiveDateTime,
) -> Result<bool, DbError> {
    if !token::looks_valid(secret) {
        return Ok(false);
    }
    Ok(db::device_remembered(
        c,
        user_id,
        &token::hash(secret),
        now,
    )?)
}
