//! Accepting a colleague's invitation, and the first-run set-up of an organiser.

use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use super::link_problem;
use crate::db::tokens::Purpose;
use crate::domain::validate;
use crate::services::accounts::{self, LinkError, OrganiserError, RegisterError, TokenOutcome};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::params;
use crate::web::render::{invalid, page, redirect};

// ---------------------------------------------------------------------------------------------
// Invitation of a colleague

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    pub token: String,
    pub name: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "auth/invite.html")]
struct InvitePage {
    layout: Layout,
    token: String,
    email: String,
    institution: String,
    name: String,
    errors: Errors,
}

async fn invitation(ctx: &Ctx, token: &str) -> Result<(String, String), LinkError> {
    let t = token.to_string();
    let now = ctx.now();
    ctx.state
        .db
        .call(move |c| accounts::member_invitation(c, &t, now))
        .await
}

pub async fn invite_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    match invitation(&ctx, &token).await {
        Ok((email, institution)) => page(&InvitePage {
            layout: ctx.layout(),
            token,
            email,
            institution,
            name: String::new(),
            errors: Errors::new(ctx.lang),
        }),
        Err(LinkError::Dead(state)) => link_problem(&ctx, state, (urls::login(), "nav.login")),
        Err(LinkError::Db(e)) => Err(e.into()),
    }
}

pub async fn invite_post(ctx: Ctx, Form(form): Form<AcceptForm>) -> Result<HttpResponse, AppError> {
    let (email, institution) = match invitation(&ctx, &form.token).await {
        Ok(found) => found,
        Err(LinkError::Dead(state)) => {
            return link_problem(&ctx, state, (urls::login(), "nav.login"));
        }
        Err(LinkError::Db(e)) => return Err(e.into()),
    };
    let mut errors = Errors::new(ctx.lang);
    errors.check("name", validate::required(&form.name, 120));
    errors.check_new_password(
        &form.password,
        &form.password_confirm,
        &[&email, &form.name],
    );
    let show = |ctx: &Ctx, errors: Errors, form: &AcceptForm| {
        invalid(&InvitePage {
            layout: ctx.layout().errors(&errors),
            token: form.token.clone(),
            email: email.clone(),
            institution: institution.clone(),
            name: form.name.clone(),
            errors,
        })
    };
    if !errors.is_empty() {
        return show(&ctx, errors, &form);
    }
    let hash = ctx.state.passwords.hash(form.password.clone()).await?;
    let (token, name, lang) = (form.token.clone(), validate::clean(&form.name), ctx.lang);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| {
            accounts::accept_invitation(c, Purpose::InviteMember, &token, &name, &hash, lang, now)
        })
        .await;
    match result {
        Ok(TokenOutcome::Done(uid)) => {
            ctx.login(uid);
            ctx.flash("flash.welcome");
            Ok(redirect(&urls::account()))
        }
        Ok(other) => link_problem(&ctx, other, (urls::login(), "nav.login")),
        Err(RegisterError::EmailTaken) => {
            errors.add("name", "err.email_taken_invite");
            show(&ctx, errors, &form)
        }
        // Accepting an invitation sends no email, so no limit applies to it.
        Err(e @ RegisterError::Throttled(_)) => Err(AppError::cause(e)),
        Err(RegisterError::Db(e)) => Err(e.into()),
    }
}

// ---------------------------------------------------------------------------------------------
// First organiser

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SetupForm {
    pub token: String,
    pub name: String,
    pub email: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    layout: Layout,
    token: String,
    name: String,
    email: String,
    errors: Errors,
}

async fn setup_allowed(ctx: &Ctx, token: &str) -> Result<bool, AppError> {
    let t = token.to_string();
    let now = ctx.now();
    Ok(ctx
        .state
        .db
        .run(move |c| accounts::setup_allowed(c, &t, now))
        .await?)
}

pub async fn setup_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    if !setup_allowed(&ctx, &token).await? {
        return link_problem(&ctx, TokenOutcome::Unknown, (urls::login(), "nav.login"));
    }
    page(&SetupPage {
        layout: ctx.layout(),
        token,
        name: String::new(),
        email: String::new(),
        errors: Errors::new(ctx.lang),
    })
}

pub async fn setup_post(ctx: Ctx, Form(form): Form<SetupForm>) -> Result<HttpResponse, AppError> {
    let mut errors = Errors::new(ctx.lang);
    errors.check("name", validate::required(&form.name, 120));
    let email = validate::normalise_email(&form.email);
    errors.check("email", validate::email(&email));
    errors.check_new_password(
        &form.password,
        &form.password_confirm,
        &[&email, &form.name],
    );
    let show = |ctx: &Ctx, errors: Errors, form: &SetupForm| {
        invalid(&SetupPage {
            layout: ctx.layout().errors(&errors),
            token: form.token.clone(),
            name: form.name.clone(),
            email: form.email.clone(),
            errors,
        })
    };
    if !errors.is_empty() {
        return show(&ctx, errors, &form);
    }
    let hash = ctx.state.passwords.hash(form.password.clone()).await?;
    let (token, name, lang) = (form.token.clone(), validate::clean(&form.name), ctx.lang);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| accounts::setup_first_organiser(c, &token, &email, &name, &hash, lang, now))
        .await;
    match result {
        Ok(uid) => {
            ctx.login(uid);
            ctx.flash("flash.setup_done");
            Ok(redirect(&urls::account()))
        }
        Err(OrganiserError::EmailTaken) => {
            errors.add("email", "err.email_taken");
            show(&ctx, errors, &form)
        }
        Err(OrganiserError::NotAllowed) => {
            link_problem(&ctx, TokenOutcome::Used, (urls::login(), "nav.login"))
        }
        Err(OrganiserError::Db(e)) => Err(e.into()),
    }
}
