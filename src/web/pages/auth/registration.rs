//! Registration of an institution with its first applicant, and confirming the address.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::{
    EmailForm, EmailOnlyPage, InstitutionFields, TokenForm, dead_link_page, kind_options,
    link_problem, mail_limit_message, message, peer_ip, send_link,
};
use crate::db::tokens::Purpose;
use crate::domain::validate;
use crate::services::accounts::{self, RegisterError, Registration, TokenOutcome};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::{SelectOption, params};
use crate::web::render::{invalid, page, page_with_status, redirect};

// ---------------------------------------------------------------------------------------------
// Registration

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct RegisterForm {
    #[serde(flatten)]
    pub inst: InstitutionFields,
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
    #[serde(deserialize_with = "crate::web::form::checkbox")]
    pub consent: bool,
}

#[derive(Template)]
#[template(path = "auth/register.html")]
struct RegisterPage {
    layout: Layout,
    form: RegisterForm,
    kinds: Vec<SelectOption>,
    errors: Errors,
}

fn register_page(ctx: &Ctx, form: RegisterForm, errors: Errors) -> RegisterPage {
    let layout = ctx.layout().errors(&errors);
    RegisterPage {
        kinds: kind_options(&layout, &form.inst.kind),
        layout,
        form,
        errors,
    }
}

pub async fn register_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    if ctx.user.is_some() {
        return Ok(redirect(&urls::account()));
    }
    page(&register_page(
        &ctx,
        RegisterForm::default(),
        Errors::new(ctx.lang),
    ))
}

/// A known address is answered exactly like a new one (its owner gets a notice by email).
pub async fn register_post(
    ctx: Ctx,
    req: HttpRequest,
    Form(mut form): Form<RegisterForm>,
) -> Result<HttpResponse, AppError> {
    let mut errors = Errors::new(ctx.lang);
    // The person registering is the institution's contact person unless they say otherwise.
    if form.inst.contact_person.trim().is_empty() {
        form.inst.contact_person = form.name.clone();
    }
    let inst = form.inst.validate(&mut errors);
    // The contact person is not on this form: it is the name, whose own error says what is wrong.
    errors.remove("contact_person");
    errors.check("name", validate::required(&form.name, 120));
    let email = validate::normalise_email(&form.email);
    errors.check("email", validate::email(&email));
    errors.check_new_password(
        &form.password,
        &form.password_confirm,
        &[&email, &form.name, &form.inst.institution_name],
    );
    if !form.consent {
        errors.add("consent", "err.consent");
    }
    let fail = |ctx: &Ctx, mut form: RegisterForm, errors: Errors| {
        form.password.clear();
        form.password_confirm.clear();
        invalid(&register_page(ctx, form, errors))
    };
    let ip = peer_ip(&req);
    let Some(institution) = inst.filter(|_| errors.is_empty()) else {
        return fail(&ctx, form, errors);
    };
    let now = ctx.now();
    let limited = email.clone();
    let result = match ctx
        .state
        .db
        .call(move |c| accounts::register_reserve(c, &limited, &ip, now))
        .await
    {
        Ok(()) => {
            // Hashed on the pool between the two steps, with no connection held.
            let reg = Registration {
                institution,
                name: validate::clean(&form.name),
                email,
                password_hash: ctx.state.passwords.hash(form.password.clone()).await?,
                lang: ctx.lang,
            };
            let cfg = ctx.state.config.clone();
            ctx.state
                .db
                .call(move |c| accounts::register(c, &cfg, &reg, now))
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) | Err(RegisterError::EmailTaken) => {
            ctx.state.wake_mailer();
            Ok(redirect(&urls::register_sent()))
        }
        Err(RegisterError::Throttled(until)) => {
            errors.add_text("email", mail_limit_message(&ctx, until));
            form.password.clear();
            form.password_confirm.clear();
            page_with_status(
                &register_page(&ctx, form, errors),
                StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(RegisterError::Db(e)) => Err(e.into()),
    }
}

pub async fn register_sent(ctx: Ctx) -> Result<HttpResponse, AppError> {
    message(
        &ctx,
        "register.sent_title",
        &["register.sent_body", "register.sent_spam"],
        vec![
            (urls::verify_resend(), "verify.resend_link"),
            (urls::login(), "nav.login"),
        ],
    )
}

// ---------------------------------------------------------------------------------------------
// Email verification

#[derive(Template)]
#[template(path = "auth/verify.html")]
struct VerifyPage {
    layout: Layout,
    token: String,
}

/// The link from the email shows a button: a mail scanner that follows links changes nothing.
pub async fn verify_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    let retry = (urls::verify_resend(), "verify.resend_link");
    if let Some(dead) = dead_link_page(&ctx, Purpose::VerifyEmail, &token, retry).await? {
        return Ok(dead);
    }
    page(&VerifyPage {
        layout: ctx.layout(),
        token,
    })
}

pub async fn verify_post(ctx: Ctx, Form(form): Form<TokenForm>) -> Result<HttpResponse, AppError> {
    let now = ctx.now();
    let outcome = ctx
        .state
        .db
        .run(move |c| accounts::verify_email(c, &form.token, now))
        .await?;
    match outcome {
        TokenOutcome::Done(_) => {
            ctx.flash("flash.verified");
            Ok(redirect(&if ctx.user.is_some() {
                urls::account()
            } else {
                urls::login()
            }))
        }
        other => link_problem(&ctx, other, (urls::verify_resend(), "verify.resend_link")),
    }
}

fn resend_page(ctx: &Ctx, form: EmailForm, errors: Errors) -> EmailOnlyPage {
    EmailOnlyPage {
        layout: ctx.layout().errors(&errors),
        title: ctx.t("verify.resend_title"),
        intro: ctx.t("verify.resend_intro"),
        action: urls::verify_resend(),
        submit: ctx.t("verify.resend_submit"),
        form,
        errors,
    }
}

pub async fn resend_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    page(&resend_page(
        &ctx,
        EmailForm::default(),
        Errors::new(ctx.lang),
    ))
}

pub async fn resend_post(
    ctx: Ctx,
    req: HttpRequest,
    Form(form): Form<EmailForm>,
) -> Result<HttpResponse, AppError> {
    send_link(
        &ctx,
        &req,
        form,
        resend_page,
        accounts::resend_verification,
        ("verify.resend_title", &["verify.resend_done"]),
    )
    .await
}
