//! Accounts without a session yet: registration and email verification, signing in and out with
//! the password reset, and invitations (a colleague, the first organiser).

mod invitations;
mod registration;
mod second_step;
mod sign_in;

pub use invitations::{invite_get, invite_post, setup_get, setup_post};
pub use registration::{
    register_get, register_post, register_sent, resend_get, resend_post, verify_get, verify_post,
};
pub use second_step::{code_get, code_post, finish_sign_in};
pub use sign_in::{forgot_get, forgot_post, login_get, login_post, logout_get, logout_post};
pub use sign_in::{reset_get, reset_post};

use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::institutions::InstitutionData;
use crate::domain::roles::INSTITUTION_KINDS;
use crate::domain::{time, validate};
use crate::services::accounts::TokenOutcome;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::Errors;
use crate::web::pages::{SelectOption, options};
use crate::web::render::{page, page_with_status};

// ---------------------------------------------------------------------------------------------
// Shared pieces

/// The fields of an institution's profile, as typed (registration and the profile page).
#[derive(Deserialize, Default, Debug, Clone)]
#[serde(default)]
pub struct InstitutionFields {
    pub institution_name: String,
    pub kind: String,
    pub teryt: String,
    pub street: String,
    pub postal_code: String,
    pub city: String,
    pub contact_person: String,
    pub phone: String,
}

impl InstitutionFields {
    pub fn from_data(d: &InstitutionData) -> Self {
        InstitutionFields {
            institution_name: d.name.clone(),
            kind: d.kind.clone(),
            teryt: d.teryt.clone().unwrap_or_default(),
            street: d.street.clone(),
            postal_code: d.postal_code.clone(),
            city: d.city.clone(),
            contact_person: d.contact_person.clone(),
            phone: d.phone.clone(),
        }
    }

    /// Checks every field; returns the clean data when all are valid.
    pub fn validate(&self, errors: &mut Errors) -> Option<InstitutionData> {
        errors.check(
            "institution_name",
            validate::required(&self.institution_name, 200),
        );
        if !crate::domain::roles::is_institution_kind(&self.kind) {
            errors.add("kind", "err.kind");
        }
        let teryt = match validate::teryt(&self.teryt) {
            Ok(t) => t,
            Err(key) => {
                errors.add("teryt", key);
                None
            }
        };
        errors.check("street", validate::required(&self.street, 200));
        errors.check("postal_code", validate::postal_code(&self.postal_code));
        errors.check("city", validate::required(&self.city, 100));
        errors.check(
            "contact_person",
            validate::required(&self.contact_person, 120),
        );
        errors.check("phone", validate::phone(&self.phone));
        errors.is_empty().then(|| InstitutionData {
            name: validate::clean(&self.institution_name),
            kind: self.kind.clone(),
            teryt,
            street: validate::clean(&self.street),
            postal_code: validate::clean(&self.postal_code),
            city: validate::clean(&self.city),
            contact_person: validate::clean(&self.contact_person),
            phone: validate::clean(&self.phone),
        })
    }
}

pub fn kind_options(layout: &Layout, selected: &str) -> Vec<SelectOption> {
    let labels: Vec<(&str, &str)> = INSTITUTION_KINDS
        .iter()
        .map(|k| (*k, layout.kind_label(k)))
        .collect();
    options(labels, selected)
}

/// The network address of the visitor, as the limits count it: the client behind a trusted
/// proxy, else the TCP peer (see `web::client`); for IPv6 its /64 network.
fn peer_ip(req: &HttpRequest) -> String {
    crate::domain::proxy::limit_network(crate::web::client::ClientAddr::of(req).ip)
}

#[derive(Template)]
#[template(path = "auth/message.html")]
struct MessagePage {
    layout: Layout,
    title: &'static str,
    paragraphs: Vec<String>,
    links: Vec<(String, &'static str)>,
}

/// The message shown on the email field when a limit on emails refuses a form.
pub fn mail_limit_message(ctx: &Ctx, until: chrono::NaiveDateTime) -> String {
    ctx.lang.tf(
        "err.mail_limit",
        &[("time", &time::format(until, ctx.lang))],
    )
}

fn message(
    ctx: &Ctx,
    title: &str,
    paragraphs: &[&str],
    links: Vec<(String, &'static str)>,
) -> Result<HttpResponse, AppError> {
    page(&MessagePage {
        layout: ctx.layout(),
        title: ctx.t(title),
        paragraphs: paragraphs.iter().map(|k| ctx.t(k).to_string()).collect(),
        links,
    })
}

/// Checks the token of an emailed link before its page is shown (nothing is used up):
/// `Ok(None)` when it works, `Ok(Some(page))` with the "link does not work" page (offering
/// `retry`) when it does not.
async fn dead_link_page(
    ctx: &Ctx,
    purpose: crate::db::tokens::Purpose,
    token: &str,
    retry: (String, &'static str),
) -> Result<Option<HttpResponse>, AppError> {
    use crate::services::accounts::{self, LinkError};
    let t = token.to_string();
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| accounts::check_link(c, purpose, &t, now))
        .await
    {
        Ok(()) => Ok(None),
        Err(LinkError::Dead(outcome)) => link_problem(ctx, outcome, retry).map(Some),
        Err(LinkError::Db(e)) => Err(e.into()),
    }
}

/// What a link from an email leads to when it no longer works.
pub(crate) fn link_problem(
    ctx: &Ctx,
    state: TokenOutcome,
    retry: (String, &'static str),
) -> Result<HttpResponse, AppError> {
    let text = match state {
        TokenOutcome::Expired => "link.expired",
        TokenOutcome::Used => "link.used",
        _ => "link.unknown",
    };
    page_with_status(
        &MessagePage {
            layout: ctx.layout(),
            title: ctx.t("link.title"),
            paragraphs: vec![ctx.t(text).to_string()],
            links: vec![retry],
        },
        actix_web::http::StatusCode::GONE,
    )
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    pub token: String,
}

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct EmailForm {
    pub email: String,
}

/// A service that emails a link to an address (a new verification link, a password reset),
/// answering the same whether or not the address has an account.
type SendLink = fn(
    &mut crate::db::DbConn,
    &crate::config::Config,
    &str,
    &str,
    chrono::NaiveDateTime,
) -> Result<(), crate::services::accounts::MailError>;

/// The POST of a form that only asks for an email address to send a link to: checks the
/// address, sends (within the limits on emails), and shows `done` — or the same form with the
/// message on the field.
async fn send_link(
    ctx: &Ctx,
    req: &HttpRequest,
    form: EmailForm,
    form_page: fn(&Ctx, EmailForm, Errors) -> EmailOnlyPage,
    send: SendLink,
    done: (&'static str, &[&'static str]),
) -> Result<HttpResponse, AppError> {
    use crate::services::accounts::MailError;
    let mut errors = Errors::new(ctx.lang);
    let email = validate::normalise_email(&form.email);
    if !errors.check("email", validate::email(&email)) {
        return crate::web::render::invalid(&form_page(ctx, form, errors));
    }
    let cfg = ctx.state.config.clone();
    let ip = peer_ip(req);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| send(c, &cfg, &email, &ip, now))
        .await;
    match result {
        Ok(()) => {}
        Err(MailError::Throttled(until)) => {
            errors.add_text("email", mail_limit_message(ctx, until));
            return page_with_status(
                &form_page(ctx, form, errors),
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Err(MailError::Db(e)) => return Err(e.into()),
    }
    ctx.state.wake_mailer();
    message(
        ctx,
        done.0,
        done.1,
        vec![(crate::urls::login(), "nav.login")],
    )
}

#[derive(Template)]
#[template(path = "auth/email_only.html")]
struct EmailOnlyPage {
    layout: Layout,
    title: &'static str,
    intro: &'static str,
    action: String,
    submit: &'static str,
    form: EmailForm,
    errors: Errors,
}
