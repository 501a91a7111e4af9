//! Signing in and out, and resetting a forgotten password.

use actix_web::cookie::Key;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    EmailForm, EmailOnlyPage, TokenForm, dead_link_page, link_problem, peer_ip, send_link,
};
use crate::db::tokens::Purpose;
use crate::domain::{time, validate};
use crate::services::accounts::{self, LoginOutcome, LoginStart, TokenOutcome};
use crate::urls;
use crate::web::AppState;
use crate::web::ctx::{Ctx, Layout};
use crate::web::device;
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::params;
use crate::web::render::{invalid, page, page_with_status, redirect};

// ---------------------------------------------------------------------------------------------
// Login and logout

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

#[derive(Template)]
#[template(path = "auth/login.html")]
struct LoginPage {
    layout: Layout,
    form: LoginForm,
    errors: Errors,
    /// Shown above the form: logged out, account not confirmed, disabled, throttled.
    notice: Option<String>,
    unverified: bool,
}

fn login_page(
    ctx: &Ctx,
    mut form: LoginForm,
    errors: Errors,
    notice: Option<String>,
    unverified: bool,
) -> LoginPage {
    form.password.clear();
    LoginPage {
        layout: ctx.layout().errors(&errors),
        form,
        errors,
        notice,
        unverified,
    }
}

pub async fn login_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let p = params(&req);
    let next = validate::local_redirect(&p.next).unwrap_or("").to_string();
    if ctx.user.is_some() {
        let to = if next.is_empty() {
            urls::account()
        } else {
            next
        };
        return Ok(redirect(&to));
    }
    let notice = match p.bye.as_str() {
        "1" => Some(ctx.t("login.logged_out").to_string()),
        "reset" => Some(ctx.t("login.password_reset").to_string()),
        _ => None,
    };
    page(&login_page(
        &ctx,
        LoginForm {
            next,
            ..Default::default()
        },
        Errors::new(ctx.lang),
        notice,
        false,
    ))
}

/// A login in three steps: the counters are reserved, the password is checked on the hashing
/// pool with no database connection held, then the counters are settled. The pool's turn is
/// taken first and kept to the end, so the attempts in flight stay bounded however many wait.
async fn login(
    state: &AppState,
    email: String,
    pw: String,
    ip: String,
    device_user: Option<i32>,
) -> Result<LoginOutcome, AppError> {
    let mut turn = state.passwords.turn().await;
    // The time of the attempt is when its turn comes, not when it joined the queue.
    let now = state.now();
    let start = state
        .db
        .run(move |c| accounts::login_start(c, &email, &ip, device_user, now))
        .await?;
    let attempt = match start {
        LoginStart::Throttled(until) => return Ok(LoginOutcome::Throttled(until)),
        LoginStart::Check(attempt) => *attempt,
    };
    let ok = turn
        .verify(pw, attempt.stored_hash().map(str::to_string))
        .await?;
    let outcome = state
        .db
        .run(move |c| accounts::login_finish(c, attempt, ok, now))
        .await?;
    drop(turn);
    Ok(outcome)
}

pub async fn login_post(
    ctx: Ctx,
    req: HttpRequest,
    Form(form): Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = Errors::new(ctx.lang);
    let email = validate::normalise_email(&form.email);
    errors.check("email", validate::email(&email));
    if form.password.is_empty() {
        errors.add("password", "err.required");
    }
    if !errors.is_empty() {
        return invalid(&login_page(&ctx, form, errors, None, false));
    }
    let ip = peer_ip(&req);
    let pw = form.password.clone();
    let key = Key::from(&ctx.state.config.cookie_key);
    let now = ctx.now();
    let device_user = device::trusted_user(&req, &key, now);
    let outcome = login(&ctx.state, email, pw, ip, device_user).await?;
    match outcome {
        LoginOutcome::Ok(user) => {
            let next = match validate::local_redirect(&form.next) {
                Some(next) => next.to_string(),
                None => urls::account(),
            };
            super::second_step::after_password(&ctx, &req, user.id, next).await
        }
        LoginOutcome::Invalid => {
            errors.add("email", "login.invalid");
            invalid(&login_page(&ctx, form, errors, None, false))
        }
        LoginOutcome::Throttled(until) => {
            ctx.state.metrics.login_throttled();
            let notice = ctx.lang.tf(
                "login.throttled",
                &[("time", &time::format(until, ctx.lang))],
            );
            let mut res = page_with_status(
                &login_page(&ctx, form, errors, Some(notice), false),
                StatusCode::TOO_MANY_REQUESTS,
            )?;
            let wait = (until - now).num_seconds().max(1);
            res.headers_mut().insert(
                actix_web::http::header::RETRY_AFTER,
                actix_web::http::header::HeaderValue::from(wait),
            );
            Ok(res)
        }
        LoginOutcome::Unverified => {
            let notice = ctx.t("login.unverified").to_string();
            page_with_status(
                &login_page(&ctx, form, errors, Some(notice), true),
                actix_web::http::StatusCode::FORBIDDEN,
            )
        }
        LoginOutcome::Disabled => {
            let notice = ctx.t("login.disabled").to_string();
            page_with_status(
                &login_page(&ctx, form, errors, Some(notice), false),
                actix_web::http::StatusCode::FORBIDDEN,
            )
        }
    }
}

#[derive(Template)]
#[template(path = "auth/logout.html")]
struct LogoutPage {
    layout: Layout,
}

/// Logging out changes state, so it is a POST; a GET (a bookmarked link) shows the button.
pub async fn logout_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    if ctx.user.is_none() {
        return Ok(redirect(&urls::login()));
    }
    page(&LogoutPage {
        layout: ctx.layout(),
    })
}

pub async fn logout_post(ctx: Ctx, _form: Form<TokenForm>) -> Result<HttpResponse, AppError> {
    ctx.logout();
    Ok(redirect(&urls::with_query(urls::login(), "bye", 1)))
}

// ---------------------------------------------------------------------------------------------
// Forgotten password

fn forgot_page(ctx: &Ctx, form: EmailForm, errors: Errors) -> EmailOnlyPage {
    EmailOnlyPage {
        layout: ctx.layout().errors(&errors),
        title: ctx.t("forgot.title"),
        intro: ctx.t("forgot.intro"),
        action: urls::password_forgot(),
        submit: ctx.t("forgot.submit"),
        form,
        errors,
    }
}

pub async fn forgot_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    page(&forgot_page(
        &ctx,
        EmailForm::default(),
        Errors::new(ctx.lang),
    ))
}

/// Answers the same whether or not the address has an account.
pub async fn forgot_post(
    ctx: Ctx,
    req: HttpRequest,
    Form(form): Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    send_link(
        &ctx,
        &req,
        form,
        forgot_page,
        accounts::request_password_reset,
        ("forgot.title", &["forgot.done", "register.sent_spam"]),
    )
    .await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct NewPasswordForm {
    pub token: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "auth/reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    errors: Errors,
}

pub async fn reset_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    let retry = (urls::password_forgot(), "forgot.again");
    if let Some(dead) = dead_link_page(&ctx, Purpose::ResetPassword, &token, retry).await? {
        return Ok(dead);
    }
    page(&ResetPage {
        layout: ctx.layout(),
        token,
        errors: Errors::new(ctx.lang),
    })
}

pub async fn reset_post(
    ctx: Ctx,
    Form(form): Form<NewPasswordForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = Errors::new(ctx.lang);
    errors.check_new_password(&form.password, &form.password_confirm, &[]);
    if !errors.is_empty() {
        return invalid(&ResetPage {
            layout: ctx.layout().errors(&errors),
            token: form.token,
            errors,
        });
    }
    let hash = ctx.state.passwords.hash(form.password).await?;
    let now = ctx.now();
    let outcome = ctx
        .state
        .db
        .run(move |c| accounts::reset_password(c, &form.token, &hash, now))
        .await?;
    match outcome {
        TokenOutcome::Done(_) => {
            ctx.state.wake_mailer();
            // Whoever was logged in on this browser is logged out with every other session.
            ctx.session.purge();
            Ok(redirect(&urls::with_query(urls::login(), "bye", "reset")))
        }
        other => link_problem(&ctx, other, (urls::password_forgot(), "forgot.again")),
    }
}
