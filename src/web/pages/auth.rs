//! Registration, email verification, login and logout, password reset, invitations and the
//! first-run set-up of an organiser.

use actix_web::cookie::Key;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use askama::Template;
use serde::Deserialize;

use crate::db::institutions;
use crate::db::institutions::InstitutionData;
use crate::db::tokens::{self, Purpose, TokenState};
use crate::domain::roles::INSTITUTION_KINDS;
use crate::domain::{time, validate};
use crate::services::accounts::{
    self, LoginOutcome, MailError, OrganiserError, RegisterError, Registration, TokenOutcome,
};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::device;
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::{SelectOption, options, params};
use crate::web::render::{invalid, page, page_with_status, redirect};

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

/// The network address of the visitor, as the limits count it (today the TCP peer).
fn peer_ip(req: &HttpRequest) -> String {
    req.peer_addr()
        .map(|a| a.ip().to_string())
        .unwrap_or_else(|| "unknown".into())
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

/// What a link from an email leads to when it no longer works.
fn link_problem(
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

fn outcome_of(state: TokenState) -> TokenOutcome {
    match state {
        TokenState::Valid => TokenOutcome::Done(0),
        TokenState::Expired => TokenOutcome::Expired,
        TokenState::Used => TokenOutcome::Used,
        TokenState::Unknown => TokenOutcome::Unknown,
    }
}

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
    let reg = Registration {
        institution,
        name: validate::clean(&form.name),
        email,
        password: form.password.clone(),
        lang: ctx.lang,
    };
    let cfg = ctx.state.config.clone();
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| accounts::register(c, &cfg, &reg, &ip, now))
        .await;
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

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TokenForm {
    pub token: String,
}

#[derive(Template)]
#[template(path = "auth/verify.html")]
struct VerifyPage {
    layout: Layout,
    token: String,
}

/// The link from the email shows a button: a mail scanner that follows links changes nothing.
pub async fn verify_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    let t = token.clone();
    let now = ctx.now();
    let (state, _) = ctx
        .state
        .db
        .run(move |c| Ok(tokens::check(c, Purpose::VerifyEmail, &t, now)?))
        .await?;
    if state != TokenState::Valid {
        return link_problem(
            &ctx,
            outcome_of(state),
            (urls::verify_resend(), "verify.resend_link"),
        );
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

#[derive(Deserialize, Default, Debug)]
#[serde(default)]
pub struct EmailForm {
    pub email: String,
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
    let mut errors = Errors::new(ctx.lang);
    let email = validate::normalise_email(&form.email);
    if !errors.check("email", validate::email(&email)) {
        return invalid(&resend_page(&ctx, form, errors));
    }
    let cfg = ctx.state.config.clone();
    let ip = peer_ip(&req);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| accounts::resend_verification(c, &cfg, &email, &ip, now))
        .await;
    match result {
        Ok(()) => {}
        Err(MailError::Throttled(until)) => {
            errors.add_text("email", mail_limit_message(&ctx, until));
            return page_with_status(
                &resend_page(&ctx, form, errors),
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Err(MailError::Db(e)) => return Err(e.into()),
    }
    ctx.state.wake_mailer();
    message(
        &ctx,
        "verify.resend_title",
        &["verify.resend_done"],
        vec![(urls::login(), "nav.login")],
    )
}

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
    let outcome = ctx
        .state
        .db
        .run(move |c| accounts::login_from(c, &email, &pw, &ip, device_user, now))
        .await?;
    match outcome {
        LoginOutcome::Ok(user) => {
            ctx.login(user.id);
            let next = match validate::local_redirect(&form.next) {
                Some(next) => next.to_string(),
                None => urls::account(),
            };
            let mut res = redirect(&next);
            let secure = ctx.state.config.secure_cookies;
            let _ = res.add_cookie(&device::cookie_for(user.id, &key, secure, now));
            Ok(res)
        }
        LoginOutcome::Invalid => {
            errors.add("email", "login.invalid");
            invalid(&login_page(&ctx, form, errors, None, false))
        }
        LoginOutcome::Throttled(until) => {
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
    let mut errors = Errors::new(ctx.lang);
    let email = validate::normalise_email(&form.email);
    if !errors.check("email", validate::email(&email)) {
        return invalid(&forgot_page(&ctx, form, errors));
    }
    let cfg = ctx.state.config.clone();
    let ip = peer_ip(&req);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| accounts::request_password_reset(c, &cfg, &email, &ip, now))
        .await;
    match result {
        Ok(()) => {}
        Err(MailError::Throttled(until)) => {
            errors.add_text("email", mail_limit_message(&ctx, until));
            return page_with_status(
                &forgot_page(&ctx, form, errors),
                StatusCode::TOO_MANY_REQUESTS,
            );
        }
        Err(MailError::Db(e)) => return Err(e.into()),
    }
    ctx.state.wake_mailer();
    message(
        &ctx,
        "forgot.title",
        &["forgot.done", "register.sent_spam"],
        vec![(urls::login(), "nav.login")],
    )
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
    let t = token.clone();
    let now = ctx.now();
    let (state, _) = ctx
        .state
        .db
        .run(move |c| Ok(tokens::check(c, Purpose::ResetPassword, &t, now)?))
        .await?;
    if state != TokenState::Valid {
        return link_problem(
            &ctx,
            outcome_of(state),
            (urls::password_forgot(), "forgot.again"),
        );
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
    let now = ctx.now();
    let outcome = ctx
        .state
        .db
        .run(move |c| accounts::reset_password(c, &form.token, &form.password, now))
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

async fn invitation(
    ctx: &Ctx,
    token: &str,
) -> Result<Result<(String, String), TokenOutcome>, AppError> {
    let t = token.to_string();
    let now = ctx.now();
    Ok(ctx
        .state
        .db
        .run(move |c| {
            let (state, tok) = tokens::check(c, Purpose::InviteMember, &t, now)?;
            let Some(tok) = tok.filter(|_| state == TokenState::Valid) else {
                return Ok(Err(outcome_of(state)));
            };
            let inst = match tok.institution_id {
                Some(id) => institutions::find(c, id)?
                    .map(|i| i.name)
                    .unwrap_or_default(),
                None => String::new(),
            };
            Ok(Ok((tok.email.unwrap_or_default(), inst)))
        })
        .await?)
}

pub async fn invite_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    match invitation(&ctx, &token).await? {
        Ok((email, institution)) => page(&InvitePage {
            layout: ctx.layout(),
            token,
            email,
            institution,
            name: String::new(),
            errors: Errors::new(ctx.lang),
        }),
        Err(state) => link_problem(&ctx, state, (urls::login(), "nav.login")),
    }
}

pub async fn invite_post(ctx: Ctx, Form(form): Form<AcceptForm>) -> Result<HttpResponse, AppError> {
    let (email, institution) = match invitation(&ctx, &form.token).await? {
        Ok(found) => found,
        Err(state) => return link_problem(&ctx, state, (urls::login(), "nav.login")),
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
    let (token, name, pw, lang) = (
        form.token.clone(),
        validate::clean(&form.name),
        form.password.clone(),
        ctx.lang,
    );
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| {
            accounts::accept_invitation(c, Purpose::InviteMember, &token, &name, &pw, lang, now)
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
        .run(move |c| {
            let (state, _) = tokens::check(c, Purpose::Setup, &t, now)?;
            Ok(state == TokenState::Valid && crate::db::users::count_organisers(c)? == 0)
        })
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
    let (token, name, pw, lang) = (
        form.token.clone(),
        validate::clean(&form.name),
        form.password.clone(),
        ctx.lang,
    );
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| accounts::setup_first_organiser(c, &token, &email, &name, &pw, lang, now))
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
