//! RODO (GDPR) pages: a user's copy of their data, acknowledging a new privacy notice, and the
//! organisers' anonymisation of a person or an institution.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::domain::roles::Role;
use crate::domain::site_texts::Doc;
use crate::domain::validate;
use crate::i18n::Lang;
use crate::services::rodo::{self as svc, Refusal};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::Form;
use crate::web::pages::confirm::{ConfirmForm, ConfirmPage};
use crate::web::pages::params;
use crate::web::render::{page, redirect};

/// `GET /account/data`: everything stored about the signed-in user, as a JSON download.
pub async fn account_data(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_user()?.id;
    let data = ctx
        .state
        .db
        .run(move |c| svc::export(c, uid))
        .await?
        .ok_or(AppError::NotFound)?;
    let json = serde_json::to_vec_pretty(&data).map_err(AppError::cause)?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "application/json; charset=utf-8"))
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"konkurs-dane-{uid}.json\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(json))
}

// ---------------------------------------------------------------------------------------------
// The privacy notice's acknowledgement

#[derive(Template)]
#[template(path = "site/acknowledge.html")]
struct AcknowledgePage {
    layout: Layout,
    html: String,
    version: i32,
    next: String,
}

/// The new privacy notice and one button to acknowledge it; a user with nothing to
/// acknowledge goes on.
pub async fn acknowledge_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let u = ctx.require_user()?;
    let next = validate::local_redirect(&params(&req).next)
        .unwrap_or("")
        .to_string();
    let Some(version) = u.privacy_pending else {
        let to = if next.is_empty() {
            urls::account()
        } else {
            next
        };
        return Ok(redirect(&to));
    };
    let t = ctx.state.db.call(crate::services::site::texts).await?;
    let text = crate::web::pages::site::pick(ctx.lang, &t.privacy_pl, &t.privacy_en);
    page(&AcknowledgePage {
        layout: ctx.layout(),
        html: Doc::Privacy.render(text),
        version,
        next,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcknowledgeForm {
    pub version: String,
    pub next: String,
}

/// Records the acknowledgement of the version the page showed and goes on; if the notice
/// changed meanwhile, the page shows the newer one.
pub async fn acknowledge_post(
    ctx: Ctx,
    Form(f): Form<AcknowledgeForm>,
) -> Result<HttpResponse, AppError> {
    let uid = ctx.require_user()?.id;
    let next = validate::local_redirect(&f.next).map_or_else(urls::account, str::to_string);
    let Ok(version) = f.version.trim().parse::<i32>() else {
        return Ok(redirect(&urls::privacy_acknowledge_then(&next)));
    };
    let now = ctx.now();
    let done = ctx
        .state
        .db
        .run(move |c| svc::acknowledge(c, uid, version, now))
        .await?;
    if !done {
        return Ok(redirect(&urls::privacy_acknowledge_then(&next)));
    }
    ctx.flash("flash.privacy_acknowledged");
    Ok(redirect(&next))
}

// ---------------------------------------------------------------------------------------------
// Anonymisation

fn refusal_text(l: Lang, r: Refusal) -> String {
    match r {
        Refusal::OpenEntries(n) => l.tn("anonymise.refused_entries", n),
        Refusal::OpenJuryWork(n) => l.tn("anonymise.refused_jury", n),
        Refusal::Organiser => l.t("anonymise.refused_organiser").to_string(),
        Refusal::AlreadyAnonymised => l.t("anonymise.already").to_string(),
        Refusal::NotFound => l.t("error.404").to_string(),
    }
}

/// The confirmation before a person's data are erased: whose, and what goes; refused (409, no
/// button) while they have an entry or jury work in an edition not yet published.
pub async fn user_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let plan = ctx.state.db.run(move |c| svc::user_plan(c, id)).await?;
    if plan.refusal == Some(Refusal::NotFound) {
        return Err(AppError::NotFound);
    }
    let l = ctx.lang;
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("anonymise.user_title"),
        urls::admin_user_anonymise(id),
    )
    .lead(plan.name.clone())
    .detail(l.t("field.email"), plan.email.clone())
    .button(l.t("anonymise.button"))
    .back(urls::admin_users(), l.t("confirm.disable_back"));
    if let Some(r) = plan.refusal {
        p = p.refused(refusal_text(l, r));
    } else {
        p = p
            .effect(l.t("anonymise.user_effect"))
            .effect(l.t("anonymise.audit_effect"))
            .effect(l.t("anonymise.final"));
    }
    p.render()
}

pub async fn user_post(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    if f.confirm != "yes" {
        return Ok(redirect(&urls::admin_user_anonymise(id)));
    }
    let now = ctx.now();
    match ctx
        .state
        .db
        .run(move |c| svc::anonymise_user(c, Some(me), id, now))
        .await?
    {
        Ok(()) => {
            ctx.flash("flash.anonymised");
            Ok(redirect(&urls::admin_users()))
        }
        Err(Refusal::NotFound) => Err(AppError::NotFound),
        // The page says why, with no button.
        Err(_) => user_get(ctx, web::Path::from(id)).await,
    }
}

/// The confirmation before an institution's contact data and its members' data are erased.
pub async fn institution_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let plan = ctx
        .state
        .db
        .run(move |c| svc::institution_plan(c, id))
        .await?;
    if plan.refusal == Some(Refusal::NotFound) {
        return Err(AppError::NotFound);
    }
    let l = ctx.lang;
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("anonymise.institution_title"),
        urls::admin_institution_anonymise(id),
    )
    .lead(plan.name.clone())
    .detail(l.t("anonymise.members"), plan.members.len().to_string())
    .detail(
        l.t("anonymise.attachments"),
        plan.attachments.len().to_string(),
    )
    .button(l.t("anonymise.button"))
    .back(urls::admin_users(), l.t("confirm.disable_back"));
    if let Some(r) = plan.refusal {
        p = p.refused(refusal_text(l, r));
    } else {
        p = p
            .effect(l.t("anonymise.institution_effect"))
            .effect(l.t("anonymise.attachments_effect"))
            .effect(l.t("anonymise.name_kept"))
            .effect(l.t("anonymise.audit_effect"))
            .effect(l.t("anonymise.final"));
    }
    p.render()
}

pub async fn institution_post(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    if f.confirm != "yes" {
        return Ok(redirect(&urls::admin_institution_anonymise(id)));
    }
    let now = ctx.now();
    match ctx
        .state
        .db
        .run(move |c| svc::anonymise_institution(c, Some(me), id, now))
        .await?
    {
        Ok(files) => {
            // After the commit: a file left behind is an orphan nobody can reach.
            for stored in &files {
                ctx.state.storage.remove(stored).await;
            }
            ctx.flash("flash.anonymised");
            Ok(redirect(&urls::admin_users()))
        }
        Err(Refusal::NotFound) => Err(AppError::NotFound),
        Err(_) => institution_get(ctx, web::Path::from(id)).await,
    }
}
