//! The logged-in user's own pages: dashboard, settings, password.

use actix_web::HttpResponse;
use askama::Template;
use serde::Deserialize;

use crate::db::entries::EntryRow;
use crate::db::institutions::Institution;
use crate::db::notices::MailPrefs;
use crate::db::users;
use crate::domain::roles::Role;
use crate::domain::validate;
use crate::i18n::Lang;
use crate::services::accounts::{self, ChangeOutcome};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::editions::EditionView;
use crate::web::pages::{SelectOption, options};
use crate::web::render::{invalid, page, redirect};

#[derive(Template)]
#[template(path = "account/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    institution: Option<Institution>,
    current: Option<EditionView>,
    entries: Vec<EntryRow>,
    /// Published results of the entries (entry, award; `None`: no award).
    results: Vec<(i32, Option<crate::domain::awards::Award>)>,
    /// For organisers: messages waiting and failed in the outbox.
    queued: i64,
    failed: i64,
    users: i64,
    /// For organisers: what the accessibility statement and privacy notice still lack.
    site_gaps: Vec<String>,
    /// Two-factor sign-in is on and three or fewer recovery codes are left.
    recovery_low: bool,
}

pub async fn dashboard(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let user = ctx.require_user()?.clone();
    if user.role == Role::Juror {
        return Ok(redirect(&urls::jury()));
    }
    let (d, tf) = ctx
        .state
        .db
        .run(move |c| {
            Ok((
                accounts::dashboard(c, user.role, user.institution_id)?,
                crate::services::two_factor::status(c, user.id)?,
            ))
        })
        .await?;
    let site_gaps = if user.role == Role::Organiser {
        let gaps = ctx
            .state
            .db
            .call(crate::services::site::current_gaps)
            .await?;
        gaps.iter()
            .map(|g| crate::web::pages::site::gap_text(ctx.lang, g))
            .collect()
    } else {
        Vec::new()
    };
    page(&DashboardPage {
        layout: ctx.layout(),
        institution: d.institution,
        current: d.current.map(EditionView::new),
        entries: d.entries,
        results: d.results,
        queued: d.queued,
        failed: d.failed,
        users: d.users,
        site_gaps,
        recovery_low: tf.is_some_and(|s| crate::domain::two_factor::recovery_low(s.recovery_left)),
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SettingsForm {
    pub name: String,
    pub lang: String,
}

#[derive(Template)]
#[template(path = "account/settings.html")]
struct SettingsPage {
    layout: Layout,
    form: SettingsForm,
    email: String,
    langs: Vec<SelectOption>,
    errors: Errors,
    /// An organiser's email settings (`None` for others, who have none).
    mail: Option<MailPrefs>,
}

fn settings_page(
    ctx: &Ctx,
    form: SettingsForm,
    errors: Errors,
    mail: Option<MailPrefs>,
) -> SettingsPage {
    let email = ctx
        .user
        .as_ref()
        .map(|u| u.email.clone())
        .unwrap_or_default();
    SettingsPage {
        langs: options(
            Lang::ALL.iter().map(|l| (l.code(), l.native_name())),
            &form.lang,
        ),
        layout: ctx.layout().errors(&errors),
        form,
        email,
        errors,
        mail,
    }
}

/// The signed-in organiser's email settings; `None` for anyone else.
async fn mail_prefs(ctx: &Ctx) -> Result<Option<MailPrefs>, AppError> {
    let Some(u) = ctx.user.as_ref().filter(|u| u.role == Role::Organiser) else {
        return Ok(None);
    };
    let uid = u.id;
    Ok(Some(
        ctx.state
            .db
            .run(move |c| Ok(crate::db::notices::prefs(c, uid)?))
            .await?,
    ))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct MailForm {
    pub digest: String,
    pub juror_done: String,
}

/// `POST /account/mail`: an organiser's email settings (two checkboxes: any value is "on").
pub async fn mail_post(ctx: Ctx, Form(form): Form<MailForm>) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_role(Role::Organiser)?.id;
    let p = MailPrefs {
        digest: !form.digest.is_empty(),
        juror_done: !form.juror_done.is_empty(),
    };
    let now = ctx.now();
    let saved = ctx
        .state
        .db
        .run(move |c| crate::services::notices::save_prefs(c, uid, p, now))
        .await?;
    if !saved {
        return Err(AppError::Forbidden);
    }
    ctx.flash("flash.saved");
    Ok(redirect(&urls::at(urls::account_settings(), "mail")))
}

pub async fn settings_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let u = ctx.require_user()?;
    let form = SettingsForm {
        name: u.name.clone(),
        lang: u.lang.code().to_string(),
    };
    let mail = mail_prefs(&ctx).await?;
    page(&settings_page(&ctx, form, Errors::new(ctx.lang), mail))
}

pub async fn settings_post(
    ctx: Ctx,
    Form(form): Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_user()?.id;
    let mut errors = Errors::new(ctx.lang);
    errors.check("name", validate::required(&form.name, 120));
    let lang = Lang::from_code(&form.lang);
    if lang.is_none() {
        errors.add("lang", "err.choose");
    }
    let Some(lang) = lang.filter(|_| errors.is_empty()) else {
        let mail = mail_prefs(&ctx).await?;
        return invalid(&settings_page(&ctx, form, errors, mail));
    };
    let name = validate::clean(&form.name);
    let now = ctx.now();
    ctx.state
        .db
        .run(move |c| Ok(users::update_profile(c, uid, &name, lang.code(), now)?))
        .await?;
    // The account's language now applies to the pages too, until the user switches again.
    ctx.forget_lang_choice();
    ctx.flash("flash.saved");
    Ok(redirect(&urls::account_settings()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct PasswordForm {
    pub current: String,
    pub password: String,
    pub password_confirm: String,
}

#[derive(Template)]
#[template(path = "account/password.html")]
struct PasswordPage {
    layout: Layout,
    errors: Errors,
}

pub async fn password_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    ctx.require_user()?;
    page(&PasswordPage {
        layout: ctx.layout(),
        errors: Errors::new(ctx.lang),
    })
}

/// Changing the password ends every other session of the account; this one continues under a
/// new session id.
pub async fn password_post(
    ctx: Ctx,
    Form(form): Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_user()?.id;
    let mut errors = Errors::new(ctx.lang);
    if form.current.is_empty() {
        errors.add("current", "err.required");
    }
    let me = ctx.require_user()?;
    errors.check_new_password(
        &form.password,
        &form.password_confirm,
        &[&me.email, &me.name],
    );
    if !errors.is_empty() {
        return invalid(&PasswordPage {
            layout: ctx.layout().errors(&errors),
            errors,
        });
    }
    // The checks and the new hash on the hashing pool, with no database connection held.
    let stored = ctx
        .state
        .db
        .run(move |c| accounts::password_hash_of(c, uid))
        .await?;
    let mut turn = ctx.state.passwords.turn().await;
    let outcome = if turn.verify(form.current, stored.clone()).await? {
        let hash = turn.hash(form.password).await?;
        drop(turn);
        let checked = stored.unwrap_or_default();
        let now = ctx.now();
        ctx.state
            .db
            .run(move |c| accounts::change_password(c, uid, &checked, &hash, now))
            .await?
    } else {
        ChangeOutcome::WrongCurrent
    };
    match outcome {
        ChangeOutcome::Changed => {
            ctx.state.wake_mailer();
            ctx.login(uid);
            ctx.flash("flash.password_changed");
            Ok(redirect(&urls::account_settings()))
        }
        ChangeOutcome::WrongCurrent => {
            errors.add("current", "err.current_password");
            invalid(&PasswordPage {
                layout: ctx.layout().errors(&errors),
                errors,
            })
        }
    }
}

impl DashboardPage {
    fn status_label(&self, s: &crate::domain::entry::EntryStatus) -> &'static str {
        self.layout.t(s.label_key())
    }

    /// The entry's published result ("II miejsce", "wyróżnienie", no award), "" before then.
    fn result(&self, entry_id: impl std::borrow::Borrow<i32>) -> &'static str {
        let id = *entry_id.borrow();
        self.results
            .iter()
            .find(|(e, _)| *e == id)
            .map_or("", |(_, a)| {
                crate::web::pages::entries::result_label(self.layout.lang, *a)
            })
    }
}
