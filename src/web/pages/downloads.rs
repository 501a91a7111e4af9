//! All attachments of an entry or of a category as one ZIP, streamed as it is built (see
//! `storage::bundle`); who gets which files is decided by `services::downloads`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use askama::Template;
use futures_util::StreamExt;

use crate::services::downloads::{self as svc, ZipPlan};
use crate::storage::content_disposition;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::{AppError, chain};
use crate::web::pages::entries::viewer;
use crate::web::render::page_with_status;

#[derive(Template)]
#[template(path = "auth/message.html")]
struct EmptyPage {
    layout: Layout,
    title: &'static str,
    paragraphs: Vec<String>,
    links: Vec<(String, &'static str)>,
}

/// The archive, or (no files) a page saying there is nothing to download, with a way back.
fn respond(ctx: &Ctx, plan: ZipPlan, back: String) -> Result<HttpResponse, AppError> {
    if plan.files.is_empty() {
        return page_with_status(
            &EmptyPage {
                layout: ctx.layout(),
                title: ctx.t("zip.empty_title"),
                paragraphs: vec![ctx.t("zip.empty_body").to_string()],
                links: vec![(back, "zip.back")],
            },
            StatusCode::NOT_FOUND,
        );
    }
    let name = plan.filename.clone();
    let body = ctx.state.storage.zip(plan.files).map(move |piece| {
        piece.inspect_err(|e| {
            tracing::error!(archive = %name, error = %chain(e), "ZIP download broke off");
        })
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&plan.filename),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .streaming(body))
}

/// `GET /entries/{id}/attachments.zip`: for everyone who may see the entry.
pub async fn entry(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let v = viewer(ctx.require_user()?);
    let id = id.into_inner();
    let plan = ctx
        .state
        .db
        .run(move |c| svc::entry_zip(c, &v, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let back = match v.role {
        crate::domain::roles::Role::Organiser => crate::urls::admin_entry(id),
        crate::domain::roles::Role::Juror => crate::urls::jury_entry(id),
        crate::domain::roles::Role::Applicant => crate::urls::entry(id),
    };
    respond(&ctx, plan, back)
}

/// `GET /categories/{id}/attachments.zip`: organisers (every entry in the competition) and
/// the category's jurors (the entries on their list).
pub async fn category(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let v = viewer(ctx.require_user()?);
    let id = id.into_inner();
    let found = ctx
        .state
        .db
        .run(move |c| {
            let plan = svc::category_zip(c, &v, id)?;
            let edition = crate::db::notices::category_of(c, id)?.map(|(e, _)| e);
            Ok((plan, edition))
        })
        .await?;
    let (Some(plan), Some(edition)) = found else {
        return Err(AppError::NotFound);
    };
    let back = match v.role {
        crate::domain::roles::Role::Organiser => crate::urls::admin_edition(edition),
        _ => crate::urls::jury(),
    };
    respond(&ctx, plan, back)
}
