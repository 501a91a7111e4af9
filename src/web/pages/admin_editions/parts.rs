//! Categories and criteria are added, edited and deleted the same way: a form page of their
//! own, saved by the service, back to their list on the edition's page. The handlers here do
//! that once; each kind says what differs in its [`Part`] impl (`categories.rs`, `criteria.rs`).

use actix_web::{HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::de::DeserializeOwned;

use super::{StateForm, edition_error, organiser, show_page};
use crate::db::{DbConn, DbError};
use crate::services::editions::{self as svc, EditionError};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::render::{invalid, page, redirect};

/// A kind of part of an edition's set-up, implemented by its form.
pub trait Part: DeserializeOwned + Default + Send + 'static {
    /// The part as stored.
    type Row: Send + 'static;
    /// The checked values its service saves.
    type Data: Send + 'static;
    /// Its form page.
    type Page: Template + From<FormPage<Self>>;
    /// The anchor of its list on the edition's page.
    const LIST: &'static str;

    /// The form for a new part, with sensible starting values.
    fn blank() -> Self;
    /// The form filled in from a stored part.
    fn from_row(row: &Self::Row, layout: &Layout) -> Self;
    fn edition_of(row: &Self::Row) -> i32;
    /// Checks the form; on any error the messages are in `errors` and nothing is returned.
    fn validate(&self, errors: &mut Errors) -> Option<Self::Data>;
    /// The stored part and its edition's name.
    fn find(c: &mut DbConn, id: i32) -> Result<Option<(Self::Row, String)>, DbError>;
    /// Adds (`id` = `None`) or changes a part of the edition.
    fn save(
        c: &mut DbConn,
        me: i32,
        edition_id: i32,
        id: Option<i32>,
        data: &Self::Data,
        now: NaiveDateTime,
    ) -> Result<i32, EditionError>;
    fn delete(c: &mut DbConn, me: i32, id: i32, now: NaiveDateTime) -> Result<i32, EditionError>;
}

/// What a part's form page shows (its template reads these fields).
pub struct FormPage<F> {
    pub layout: Layout,
    pub edition_id: i32,
    /// The edition's name.
    pub edition: String,
    /// The part being edited; `None` for a new one.
    pub part_id: Option<i32>,
    pub form: F,
    pub errors: Errors,
}

/// A part's form page: its template over a [`FormPage`], whose fields the template reads
/// through `Deref`.
macro_rules! form_page {
    ($name:ident, $form:ty, $path:literal) => {
        #[derive(askama::Template)]
        #[template(path = $path)]
        pub struct $name($crate::web::pages::admin_editions::parts::FormPage<$form>);

        impl From<$crate::web::pages::admin_editions::parts::FormPage<$form>> for $name {
            fn from(p: $crate::web::pages::admin_editions::parts::FormPage<$form>) -> Self {
                $name(p)
            }
        }

        impl std::ops::Deref for $name {
            type Target = $crate::web::pages::admin_editions::parts::FormPage<$form>;
            fn deref(&self) -> &Self::Target {
                &self.0
            }
        }
    };
}
pub(super) use form_page;

fn back_to_list<P: Part>(edition_id: i32) -> HttpResponse {
    redirect(&urls::at(urls::admin_edition(edition_id), P::LIST))
}

/// The edition's name, or 404.
async fn edition_name(ctx: &Ctx, edition_id: i32) -> Result<String, AppError> {
    ctx.state
        .db
        .run(move |c| svc::edition_name(c, edition_id))
        .await?
        .ok_or(AppError::NotFound)
}

async fn find<P: Part>(ctx: &Ctx, id: i32) -> Result<(P::Row, String), AppError> {
    ctx.state
        .db
        .run(move |c| P::find(c, id))
        .await?
        .ok_or(AppError::NotFound)
}

/// `GET …/new`: the form for a new part of the edition.
pub async fn new<P: Part>(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let edition_id = id.into_inner();
    let edition = edition_name(&ctx, edition_id).await?;
    page(&P::Page::from(FormPage {
        layout: ctx.layout(),
        edition_id,
        edition,
        part_id: None,
        form: P::blank(),
        errors: Errors::new(ctx.lang),
    }))
}

/// `GET …/{id}`: the form of a stored part.
pub async fn edit<P: Part>(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let (row, edition) = find::<P>(&ctx, id).await?;
    let layout = ctx.layout();
    page(&P::Page::from(FormPage {
        edition_id: P::edition_of(&row),
        edition,
        part_id: Some(id),
        form: P::from_row(&row, &layout),
        errors: Errors::new(ctx.lang),
        layout,
    }))
}

/// `POST …/new`: adds a part to the edition.
pub async fn create<P: Part>(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<P>,
) -> Result<HttpResponse, AppError> {
    save::<P>(ctx, id.into_inner(), None, form).await
}

/// `POST …/{id}`: changes a stored part.
pub async fn update<P: Part>(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<P>,
) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let (row, _) = find::<P>(&ctx, id).await?;
    save::<P>(ctx, P::edition_of(&row), Some(id), form).await
}

async fn save<P: Part>(
    ctx: Ctx,
    edition_id: i32,
    part_id: Option<i32>,
    form: P,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let mut errors = Errors::new(ctx.lang);
    if let Some(data) = form.validate(&mut errors) {
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| P::save(c, me, edition_id, part_id, &data, now))
            .await
        {
            Ok(_) => {
                ctx.flash("flash.saved");
                return Ok(back_to_list::<P>(edition_id));
            }
            Err(e) => edition_error(&mut errors, e)?,
        }
    }
    let edition = edition_name(&ctx, edition_id).await?;
    invalid(&P::Page::from(FormPage {
        layout: ctx.layout().errors(&errors),
        edition_id,
        edition,
        part_id,
        form,
        errors,
    }))
}

/// `POST …/{id}/delete`: deletes a part; when the edition's state forbids it, the edition's
/// page says why.
pub async fn delete<P: Part>(
    ctx: Ctx,
    id: web::Path<i32>,
    _f: Form<StateForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let (row, _) = find::<P>(&ctx, id).await?;
    let edition_id = P::edition_of(&row);
    let now = ctx.now();
    match ctx.state.db.call(move |c| P::delete(c, me, id, now)).await {
        Ok(_) => {
            ctx.flash("flash.deleted");
            Ok(back_to_list::<P>(edition_id))
        }
        Err(EditionError::Field(_, key)) => {
            invalid(&show_page(&ctx, edition_id, None, Errors::new(ctx.lang), Some(key)).await?)
        }
        Err(EditionError::NotFound) => Err(AppError::NotFound),
        Err(EditionError::Db(e)) => Err(e.into()),
    }
}
