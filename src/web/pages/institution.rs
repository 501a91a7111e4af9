//! An applicant's institution: its profile, its members, inviting a colleague.

use actix_web::HttpResponse;
use askama::Template;
use serde::Deserialize;

use crate::db::institutions::{self, Institution};
use crate::db::tokens::Token;
use crate::db::users::{self, User};
use crate::domain::roles::Role;
use crate::domain::validate;
use crate::services::accounts::{self, InviteError};
use crate::urls;
use crate::web::ctx::{Ctx, CurrentUser, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::SelectOption;
use crate::web::pages::auth::{InstitutionFields, kind_options, mail_limit_message};
use crate::web::render::{invalid, page, page_with_status, redirect};

/// The applicant and their institution's id; other roles have no institution page.
fn applicant(ctx: &Ctx) -> Result<(CurrentUser, i32), AppError> {
    let u = ctx.require_role(Role::Applicant)?;
    let inst = u.institution_id.ok_or(AppError::Forbidden)?;
    Ok((u.clone(), inst))
}

#[derive(Template)]
#[template(path = "institution/profile.html")]
struct ProfilePage {
    layout: Layout,
    form: InstitutionFields,
    kinds: Vec<SelectOption>,
    errors: Errors,
}

fn profile_page(ctx: &Ctx, form: InstitutionFields, errors: Errors) -> ProfilePage {
    let layout = ctx.layout().errors(&errors);
    ProfilePage {
        kinds: kind_options(&layout, &form.kind),
        layout,
        form,
        errors,
    }
}

pub async fn profile_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let (_, inst_id) = applicant(&ctx)?;
    let inst = ctx
        .state
        .db
        .run(move |c| Ok(institutions::find(c, inst_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let form = InstitutionFields::from_data(&data_of(&inst));
    page(&profile_page(&ctx, form, Errors::new(ctx.lang)))
}

fn data_of(i: &Institution) -> institutions::InstitutionData {
    institutions::InstitutionData {
        name: i.name.clone(),
        kind: i.kind.clone(),
        teryt: i.teryt.clone(),
        street: i.street.clone(),
        postal_code: i.postal_code.clone(),
        city: i.city.clone(),
        contact_person: i.contact_person.clone(),
        phone: i.phone.clone(),
    }
}

pub async fn profile_post(
    ctx: Ctx,
    Form(form): Form<InstitutionFields>,
) -> Result<HttpResponse, AppError> {
    let (user, inst_id) = applicant(&ctx)?;
    let mut errors = Errors::new(ctx.lang);
    let Some(data) = form.validate(&mut errors) else {
        return invalid(&profile_page(&ctx, form, errors));
    };
    let now = ctx.now();
    ctx.state
        .db
        .run(move |c| accounts::update_institution(c, user.id, inst_id, &data, now))
        .await?;
    ctx.flash("flash.saved");
    Ok(redirect(&urls::institution()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    pub email: String,
}

#[derive(Template)]
#[template(path = "institution/members.html")]
struct MembersPage {
    layout: Layout,
    institution: String,
    members: Vec<User>,
    pending: Vec<Token>,
    form: InviteForm,
    errors: Errors,
}

async fn members_page(
    ctx: &Ctx,
    inst_id: i32,
    form: InviteForm,
    errors: Errors,
) -> Result<MembersPage, AppError> {
    let now = ctx.now();
    let m = ctx
        .state
        .db
        .run(move |c| accounts::members(c, inst_id, now))
        .await?;
    Ok(MembersPage {
        layout: ctx.layout().errors(&errors),
        institution: m.institution,
        members: m.members,
        pending: m.pending,
        form,
        errors,
    })
}

pub async fn members_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let (_, inst_id) = applicant(&ctx)?;
    page(&members_page(&ctx, inst_id, InviteForm::default(), Errors::new(ctx.lang)).await?)
}

pub async fn invite_post(ctx: Ctx, Form(form): Form<InviteForm>) -> Result<HttpResponse, AppError> {
    let (user, inst_id) = applicant(&ctx)?;
    let mut errors = Errors::new(ctx.lang);
    let email = validate::normalise_email(&form.email);
    errors.check("email", validate::email(&email));
    if !errors.is_empty() {
        return invalid(&members_page(&ctx, inst_id, form, errors).await?);
    }
    let cfg = ctx.state.config.clone();
    let lang = ctx.lang;
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| {
            let inviter = users::find(c, user.id)?.ok_or(crate::db::DbError::Missing("user"))?;
            accounts::invite_member(c, &cfg, &inviter, &email, lang, now)
        })
        .await;
    match result {
        Ok(()) => {
            ctx.state.wake_mailer();
            ctx.flash("flash.invited");
            Ok(redirect(&urls::institution_members()))
        }
        Err(InviteError::Throttled(until)) => {
            errors.add_text("email", mail_limit_message(&ctx, until));
            page_with_status(
                &members_page(&ctx, inst_id, form, errors).await?,
                actix_web::http::StatusCode::TOO_MANY_REQUESTS,
            )
        }
        Err(InviteError::Db(e)) => Err(e.into()),
    }
}
