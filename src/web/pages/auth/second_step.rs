//! The second step of signing in, after the password: the code from the authenticator app or a
//! recovery code. Until it is given the session holds only a pending, not-signed-in state (the
//! account, when the password was accepted, where to go next); the full session is created by
//! [`finish_sign_in`], which every way of signing in ends with, so a further step can chain
//! there.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::domain::time;
use crate::domain::two_factor::{PENDING_MINUTES, REMEMBER_DAYS};
use crate::services::two_factor::{self as svc, CodeOutcome};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::device;
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::render::{invalid, page, page_with_status, redirect};

/// The signed cookie of a remembered browser: a random token whose hash is stored.
pub const REMEMBER_COOKIE: &str = "konkurs_2fa";

const PENDING_UID: &str = "tfa_uid";
const PENDING_AT: &str = "tfa_at";
const PENDING_NEXT: &str = "tfa_next";

/// The token of this browser's remembered-device cookie, when its signature is genuine.
fn remembered_token(req: &HttpRequest, key: &Key) -> Option<String> {
    let cookie = req.cookie(REMEMBER_COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    Some(jar.signed(key).get(REMEMBER_COOKIE)?.value().to_string())
}

fn remember_cookie(token: String, key: &Key, secure: bool) -> Cookie<'static> {
    let mut jar = CookieJar::new();
    jar.signed_mut(key).add(
        Cookie::build(REMEMBER_COOKIE, token)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::days(REMEMBER_DAYS))
            .finish(),
    );
    jar.get(REMEMBER_COOKIE)
        .cloned()
        .unwrap_or_else(|| Cookie::new(REMEMBER_COOKIE, ""))
}

/// After the password was accepted for `user_id`: an account with a second factor, on a browser
/// it has not remembered, goes to the code step; any other is signed in.
pub async fn after_password(
    ctx: &Ctx,
    req: &HttpRequest,
    user_id: i32,
    next: String,
) -> Result<HttpResponse, AppError> {
    let key = Key::from(&ctx.state.config.cookie_key);
    let token = remembered_token(req, &key);
    let now = ctx.now();
    let needs_code = ctx
        .state
        .db
        .run(move |c| {
            if !svc::is_on(c, user_id)? {
                return Ok(false);
            }
            match token {
                Some(t) => Ok(!svc::device_remembered(c, user_id, &t, now)?),
                None => Ok(true),
            }
        })
        .await?;
    if !needs_code {
        return Ok(finish_sign_in(ctx, user_id, &next));
    }
    // A new session id for the pending state too; nothing of a previous session is kept.
    ctx.session.renew();
    ctx.session.clear();
    let _ = ctx.session.insert(PENDING_UID, user_id);
    let _ = ctx.session.insert(PENDING_AT, now.and_utc().timestamp());
    let _ = ctx.session.insert(PENDING_NEXT, next);
    Ok(redirect(&urls::login_code()))
}

/// Signs `user_id` in (a new session) and goes to `next`; the browser is remembered for the
/// login limits (`device`). Every way of signing in with a password ends here.
pub fn finish_sign_in(ctx: &Ctx, user_id: i32, next: &str) -> HttpResponse {
    let now = ctx.now();
    ctx.login(user_id);
    let mut res = redirect(next);
    let key = Key::from(&ctx.state.config.cookie_key);
    let secure = ctx.state.config.secure_cookies;
    let _ = res.add_cookie(&device::cookie_for(user_id, &key, secure, now));
    res
}

/// The account waiting for its code and where to go next, while the password is fresh enough.
fn pending(ctx: &Ctx) -> Option<(i32, String)> {
    let uid: i32 = ctx.session.get(PENDING_UID).ok().flatten()?;
    let at: i64 = ctx.session.get(PENDING_AT).ok().flatten()?;
    let age = ctx.now().and_utc().timestamp() - at;
    if !(0..=PENDING_MINUTES * 60).contains(&age) {
        return None;
    }
    let next: String = ctx
        .session
        .get(PENDING_NEXT)
        .ok()
        .flatten()
        .unwrap_or_default();
    Some((uid, next))
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct CodeForm {
    pub code: String,
    pub remember: String,
}

#[derive(Template)]
#[template(path = "auth/code.html")]
struct CodePage {
    layout: Layout,
    errors: Errors,
    remember: bool,
    notice: Option<String>,
    remember_label: String,
}

fn code_page(ctx: &Ctx, errors: Errors, remember: bool, notice: Option<String>) -> CodePage {
    CodePage {
        layout: ctx.layout().errors(&errors),
        errors,
        remember,
        notice,
        remember_label: ctx.lang.tn("two_factor.remember", REMEMBER_DAYS),
    }
}

pub async fn code_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    if ctx.user.is_some() {
        return Ok(redirect(&urls::account()));
    }
    if pending(&ctx).is_none() {
        return Ok(redirect(&urls::login()));
    }
    page(&code_page(&ctx, Errors::new(ctx.lang), false, None))
}

pub async fn code_post(ctx: Ctx, Form(form): Form<CodeForm>) -> Result<HttpResponse, AppError> {
    let Some((uid, next)) = pending(&ctx) else {
        ctx.flash("login.code_expired");
        return Ok(redirect(&urls::login()));
    };
    let remember = form.remember == "yes";
    let mut errors = Errors::new(ctx.lang);
    if form.code.trim().is_empty() {
        errors.add("code", "err.required");
        return invalid(&code_page(&ctx, errors, remember, None));
    }
    let now = ctx.now();
    let code = form.code.clone();
    let master = ctx.state.config.cookie_key.clone();
    let outcome = ctx
        .state
        .db
        .run(move |c| svc::verify(c, &master, uid, &code, now))
        .await?;
    let next =
        crate::domain::validate::local_redirect(&next).map_or_else(urls::account, str::to_string);
    match outcome {
        CodeOutcome::Ok { recovery } => {
            let token = if remember {
                Some(
                    ctx.state
                        .db
                        .run(move |c| svc::remember_device(c, uid, now))
                        .await?,
                )
            } else {
                None
            };
            let mut res = finish_sign_in(&ctx, uid, &next);
            match recovery {
                Some(left) if crate::domain::two_factor::recovery_low(left) => {
                    ctx.flash("flash.recovery_code_used_low");
                }
                Some(_) => ctx.flash("flash.recovery_code_used"),
                None => {}
            }
            if recovery.is_some() {
                ctx.state.wake_mailer();
            }
            if let Some(t) = token {
                let key = Key::from(&ctx.state.config.cookie_key);
                let secure = ctx.state.config.secure_cookies;
                let _ = res.add_cookie(&remember_cookie(t, &key, secure));
            }
            Ok(res)
        }
        // Turned off (an organiser's reset) after the password was accepted.
        CodeOutcome::NotOn => Ok(finish_sign_in(&ctx, uid, &next)),
        CodeOutcome::Invalid => {
            errors.add("code", "two_factor.code_invalid");
            invalid(&code_page(&ctx, errors, remember, None))
        }
        CodeOutcome::Throttled(until) => {
            ctx.state.metrics.login_throttled();
            let notice = ctx.lang.tf(
                "login.throttled",
                &[("time", &time::format(until, ctx.lang))],
            );
            let mut res = page_with_status(
                &code_page(&ctx, errors, remember, Some(notice)),
                StatusCode::TOO_MANY_REQUESTS,
            )?;
            let wait = (until - now).num_seconds().max(1);
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(wait),
            );
            Ok(res)
        }
    }
}
