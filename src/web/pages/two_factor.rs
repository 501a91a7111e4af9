//! Two-factor sign-in on the account: setting it up (QR code and secret, confirmed by a code),
//! its state, the recovery codes shown once, and turning it off (password and a code).

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use askama::Template;
use serde::Deserialize;

use crate::domain::time;
use crate::domain::two_factor as rules;
use crate::services::accounts;
use crate::services::two_factor::{
    self as svc, DisableOutcome, EnableError, RegenerateOutcome, Status,
};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::render::{invalid, page, page_with_status, redirect};

/// The secret offered on the set-up page, kept in the session until a code confirms it.
const SETUP_SECRET: &str = "tfa_setup";

#[derive(Template)]
#[template(path = "account/two_factor.html")]
struct TwoFactorPage {
    layout: Layout,
    errors: Errors,
    /// `Some` when it is on.
    status: Option<Status>,
    /// The site requires it of this account and it is not set up yet.
    due: bool,
    /// The set-up: the QR code (inline SVG) and the secret for typing by hand.
    qr: String,
    secret: String,
    notice: Option<String>,
}

impl TwoFactorPage {
    /// Few recovery codes are left: the page suggests new ones.
    fn recovery_low(&self) -> bool {
        self.status
            .as_ref()
            .is_some_and(|s| rules::recovery_low(s.recovery_left))
    }

    fn recovery_left_text(&self) -> String {
        match &self.status {
            Some(s) => self
                .layout
                .lang
                .tn("two_factor.recovery_left", s.recovery_left),
            None => String::new(),
        }
    }
}

/// The page for this account: the state when on, else the set-up with a secret kept in the
/// session (the same one on every view until it is confirmed).
async fn two_factor_page(
    ctx: &Ctx,
    errors: Errors,
    notice: Option<String>,
) -> Result<TwoFactorPage, AppError> {
    let u = ctx.require_signed_in()?;
    let uid = u.id;
    let status = ctx.state.db.run(move |c| svc::status(c, uid)).await?;
    let (qr, secret) = if status.is_some() {
        (String::new(), String::new())
    } else {
        let secret = match ctx.session.get::<String>(SETUP_SECRET).ok().flatten() {
            Some(s) => s,
            None => {
                let s = rules::new_secret();
                let _ = ctx.session.insert(SETUP_SECRET, &s);
                s
            }
        };
        (
            rules::qr_svg(
                &rules::otpauth_uri(&secret, &u.email),
                ctx.t("two_factor.qr_label"),
            ),
            rules::grouped(&secret),
        )
    };
    Ok(TwoFactorPage {
        layout: ctx.layout().errors(&errors),
        errors,
        status,
        due: ctx.two_factor_due,
        qr,
        secret,
        notice,
    })
}

pub async fn get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let p = two_factor_page(&ctx, Errors::new(ctx.lang), None).await?;
    page(&p)
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct EnableForm {
    pub code: String,
}

#[derive(Template)]
#[template(path = "account/recovery_codes.html")]
struct RecoveryCodesPage {
    layout: Layout,
    codes: Vec<String>,
    /// New codes in place of old ones (not the first set-up).
    regenerated: bool,
}

/// Turns it on when the code matches the secret shown; the answer shows the recovery codes,
/// once (they are not stored in a readable form, so there is no page to come back to).
pub async fn enable_post(ctx: Ctx, Form(form): Form<EnableForm>) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_signed_in()?.id;
    let Some(secret) = ctx.session.get::<String>(SETUP_SECRET).ok().flatten() else {
        return Ok(redirect(&urls::account_two_factor()));
    };
    let mut errors = Errors::new(ctx.lang);
    if form.code.trim().is_empty() {
        errors.add("code", "err.required");
        return invalid(&two_factor_page(&ctx, errors, None).await?);
    }
    let now = ctx.now();
    let master = ctx.state.config.cookie_key.clone();
    let outcome = ctx
        .state
        .db
        .call(move |c| svc::enable(c, &master, uid, &secret, &form.code, now))
        .await;
    match outcome {
        Ok(codes) => {
            ctx.state.wake_mailer();
            ctx.session.remove(SETUP_SECRET);
            let mut ctx = ctx;
            ctx.two_factor_due = false;
            page(&RecoveryCodesPage {
                layout: ctx.layout(),
                codes,
                regenerated: false,
            })
        }
        Err(EnableError::WrongCode) => {
            errors.add("code", "two_factor.setup_code_invalid");
            invalid(&two_factor_page(&ctx, errors, None).await?)
        }
        Err(EnableError::AlreadyOn) => Ok(redirect(&urls::account_two_factor())),
        Err(EnableError::Db(e)) => Err(AppError::from(e)),
    }
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct DisableForm {
    pub password: String,
    pub code: String,
}

/// Turns it off with the password and a code (from the app or a recovery code); the attempt is
/// counted like a code at sign-in.
pub async fn disable_post(
    ctx: Ctx,
    Form(form): Form<DisableForm>,
) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_user()?.id;
    let mut errors = Errors::new(ctx.lang);
    if form.password.is_empty() {
        errors.add("password", "err.required");
    }
    if form.code.trim().is_empty() {
        errors.add("code", "err.required");
    }
    if !errors.is_empty() {
        return invalid(&two_factor_page(&ctx, errors, None).await?);
    }
    let now = ctx.now();
    let ok = match password_unless_throttled(&ctx, uid, form.password).await? {
        Ok(ok) => ok,
        Err((notice, wait)) => {
            let p = two_factor_page(&ctx, errors, Some(notice)).await?;
            return page_with_status(&p, StatusCode::TOO_MANY_REQUESTS)
                .map(|r| retry_after(r, wait));
        }
    };
    let code = form.code;
    let master = ctx.state.config.cookie_key.clone();
    let outcome = ctx
        .state
        .db
        .run(move |c| svc::disable_finish(c, &master, uid, ok, &code, now))
        .await?;
    match outcome {
        DisableOutcome::Done => {
            ctx.state.wake_mailer();
            ctx.flash("flash.two_factor_disabled");
            Ok(redirect(&urls::account_two_factor()))
        }
        DisableOutcome::NotOn => Ok(redirect(&urls::account_two_factor())),
        DisableOutcome::WrongPassword => {
            errors.add("password", "err.current_password");
            invalid(&two_factor_page(&ctx, errors, None).await?)
        }
        DisableOutcome::WrongCode => {
            errors.add("code", "two_factor.code_invalid");
            invalid(&two_factor_page(&ctx, errors, None).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "account/new_codes.html")]
struct NewCodesPage {
    layout: Layout,
    errors: Errors,
    status: Status,
    notice: Option<String>,
}

impl NewCodesPage {
    fn recovery_left_text(&self) -> String {
        self.layout
            .lang
            .tn("two_factor.recovery_left", self.status.recovery_left)
    }
}

/// The form for new recovery codes; without the second factor on, its page.
async fn new_codes_page(
    ctx: &Ctx,
    errors: Errors,
    notice: Option<String>,
) -> Result<Option<NewCodesPage>, AppError> {
    let uid = ctx.require_user()?.id;
    let status = ctx.state.db.run(move |c| svc::status(c, uid)).await?;
    Ok(status.map(|status| NewCodesPage {
        layout: ctx.layout().errors(&errors),
        errors,
        status,
        notice,
    }))
}

pub async fn codes_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    match new_codes_page(&ctx, Errors::new(ctx.lang), None).await? {
        Some(p) => page(&p),
        None => Ok(redirect(&urls::account_two_factor())),
    }
}

/// New recovery codes with the password and a current code (counted like a code at sign-in);
/// the answer shows them once, and the old ones stop working.
pub async fn codes_post(ctx: Ctx, Form(form): Form<DisableForm>) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_user()?.id;
    let mut errors = Errors::new(ctx.lang);
    if form.password.is_empty() {
        errors.add("password", "err.required");
    }
    if form.code.trim().is_empty() {
        errors.add("code", "err.required");
    }
    if !errors.is_empty() {
        return match new_codes_page(&ctx, errors, None).await? {
            Some(p) => invalid(&p),
            None => Ok(redirect(&urls::account_two_factor())),
        };
    }
    let now = ctx.now();
    let ok = match password_unless_throttled(&ctx, uid, form.password).await? {
        Ok(ok) => ok,
        Err((notice, wait)) => {
            return match new_codes_page(&ctx, errors, Some(notice)).await? {
                Some(p) => page_with_status(&p, StatusCode::TOO_MANY_REQUESTS)
                    .map(|r| retry_after(r, wait)),
                None => Ok(redirect(&urls::account_two_factor())),
            };
        }
    };
    let code = form.code;
    let master = ctx.state.config.cookie_key.clone();
    let outcome = ctx
        .state
        .db
        .run(move |c| svc::regenerate(c, &master, uid, ok, &code, now))
        .await?;
    match outcome {
        RegenerateOutcome::Done(codes) => {
            ctx.state.wake_mailer();
            page(&RecoveryCodesPage {
                layout: ctx.layout(),
                codes,
                regenerated: true,
            })
        }
        RegenerateOutcome::NotOn => Ok(redirect(&urls::account_two_factor())),
        RegenerateOutcome::WrongPassword | RegenerateOutcome::WrongCode => {
            if outcome == RegenerateOutcome::WrongPassword {
                errors.add("password", "err.current_password");
            } else {
                errors.add("code", "two_factor.code_invalid");
            }
            match new_codes_page(&ctx, errors, None).await? {
                Some(p) => invalid(&p),
                None => Ok(redirect(&urls::account_two_factor())),
            }
        }
    }
}

/// The password check before a change to the second factor (turning it off, new codes): counted
/// against the sign-in throttle first. `Ok(matches)`, or `Err((notice, seconds to wait))` while
/// throttled.
async fn password_unless_throttled(
    ctx: &Ctx,
    uid: i32,
    password: String,
) -> Result<Result<bool, (String, i64)>, AppError> {
    let now = ctx.now();
    let mut turn = ctx.state.passwords.turn().await;
    let throttled = ctx
        .state
        .db
        .run(move |c| svc::disable_start(c, uid, now))
        .await?;
    if let Some(until) = throttled {
        let notice = ctx.lang.tf(
            "two_factor.throttled",
            &[("time", &time::format(until, ctx.lang))],
        );
        return Ok(Err((notice, (until - now).num_seconds().max(1))));
    }
    let stored = ctx
        .state
        .db
        .run(move |c| accounts::password_hash_of(c, uid))
        .await?;
    Ok(Ok(turn.verify(password, stored).await?))
}

/// A throttled answer says when to try again, as the sign-in's does.
fn retry_after(mut res: HttpResponse, seconds: i64) -> HttpResponse {
    res.headers_mut().insert(
        actix_web::http::header::RETRY_AFTER,
        actix_web::http::header::HeaderValue::from(seconds),
    );
    res
}
