//! Publishing the results on schedule: the results as they will be published (only organisers
//! see them before), the schedule, and setting, changing or cancelling it.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::awards::Laureate;
use crate::domain::roles::Role;
use crate::domain::time::{self, LocalTimeError};
use crate::services::results::ResultsError;
use crate::services::schedule::{self, Publication};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::editions::EditionView;
use crate::web::pages::results::{CategoryResults, group};
use crate::web::render::{invalid, page, redirect};

#[derive(Template)]
#[template(path = "admin/publication.html")]
struct PublicationPage {
    layout: Layout,
    ed: EditionView,
    results: Vec<CategoryResults>,
    /// Why the publication cannot be scheduled now (a message key), if it cannot.
    refused: Option<&'static str>,
    /// The form as typed (or as scheduled).
    publish_at: String,
    announce: bool,
    errors: Errors,
}

impl PublicationPage {
    fn place(&self, r: &Laureate) -> &'static str {
        self.layout.t(r.award.label_key())
    }
}

fn organiser(ctx: &Ctx) -> Result<i32, AppError> {
    Ok(ctx.require_role(Role::Organiser)?.id)
}

async fn load(ctx: &Ctx, id: i32) -> Result<Publication, AppError> {
    ctx.state
        .db
        .run(move |c| schedule::publication(c, id))
        .await?
        .ok_or(AppError::NotFound)
}

fn page_of(
    ctx: &Ctx,
    p: Publication,
    form: Option<ScheduleForm>,
    errors: Errors,
) -> PublicationPage {
    let (publish_at, announce) = match form {
        Some(f) => (f.publish_at, f.announce == "yes"),
        None => (
            p.edition.publish_at.map(time::to_input).unwrap_or_default(),
            p.edition.publish_announce,
        ),
    };
    PublicationPage {
        layout: ctx.layout().errors(&errors),
        results: group(p.categories, &p.laureates),
        refused: p.refused,
        ed: EditionView::new(p.edition),
        publish_at,
        announce,
        errors,
    }
}

pub async fn show(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let p = load(&ctx, id.into_inner()).await?;
    page(&page_of(&ctx, p, None, Errors::new(ctx.lang)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ScheduleForm {
    pub publish_at: String,
    /// `yes` when the announcement is to be sent at the same time.
    pub announce: String,
}

pub async fn schedule(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<ScheduleForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    let at = if form.publish_at.trim().is_empty() {
        errors.add("publish_at", "err.required");
        None
    } else {
        match time::parse_warsaw(&form.publish_at) {
            Ok(t) => Some(t),
            Err(LocalTimeError::Invalid) => {
                errors.add("publish_at", "err.datetime");
                None
            }
            Err(LocalTimeError::Nonexistent) => {
                errors.add("publish_at", "err.datetime_gap");
                None
            }
        }
    };
    if let Some(at) = at {
        let announce = form.announce == "yes";
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| schedule::schedule(c, me, id, at, announce, now))
            .await
        {
            Ok(()) => {
                ctx.flash("flash.publication_scheduled");
                return Ok(redirect(&urls::admin_publication(id)));
            }
            Err(ResultsError::Refused(k @ "schedule.err_past")) => errors.add("publish_at", k),
            Err(ResultsError::Refused(k)) => errors.add("form", k),
            Err(ResultsError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(AppError::cause(e)),
        }
    }
    let p = load(&ctx, id).await?;
    invalid(&page_of(&ctx, p, Some(form), errors))
}

/// The cancel button's form: nothing but the CSRF token.
#[derive(Deserialize, Default)]
pub struct CancelForm {}

pub async fn cancel(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(_): Form<CancelForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| schedule::cancel(c, me, id, now))
        .await
    {
        Ok(()) => ctx.flash("flash.publication_cancelled"),
        // Published or cancelled meanwhile (another tab, the scheduler): say so.
        Err(ResultsError::Refused(k)) => ctx.flash(k),
        Err(ResultsError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::cause(e)),
    }
    Ok(redirect(&urls::admin_publication(id)))
}
