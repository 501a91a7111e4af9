//! Turning askama templates into responses.

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use askama::Template;

use crate::web::ctx::Layout;
use crate::web::error::AppError;
use crate::web::form;
use crate::web::page_cache::Shareable;
use crate::web::personal_cache::Personal;

/// Marks a response whose body is a finished page, so error-status pages we render ourselves
/// (a form with errors is 422) are not replaced by the generic error page.
#[derive(Clone, Copy, Debug)]
pub struct Rendered;

pub fn page<T: Template>(t: &T) -> Result<HttpResponse, AppError> {
    page_with_status(t, StatusCode::OK)
}

/// A page that reads the same for everyone not signed in (a public page): for such a visitor,
/// and when it carries no one-time message, it is marked to be kept and served from memory
/// ([`crate::web::page_cache`]) until it changes. `layout` is the page's own.
pub fn public_page<T: Template>(t: &T, layout: &Layout) -> Result<HttpResponse, AppError> {
    let mut res = page(t)?;
    if layout.user.is_none() && layout.flash.is_none() {
        res.extensions_mut().insert(Shareable {
            until: layout.changes_at(),
        });
    }
    Ok(res)
}

/// A signed-in page that depends only on its user, language, address and the data: marked to be
/// kept for this user ([`crate::web::personal_cache`]) unless it carries a one-time message or
/// errors. `layout` is the page's own.
pub fn personal_page<T: Template>(t: &T, layout: &Layout) -> Result<HttpResponse, AppError> {
    let mut res = page(t)?;
    if layout.flash.is_none() && !layout.has_errors {
        res.extensions_mut().insert(Personal {
            until: layout.changes_at(),
        });
    }
    Ok(res)
}

/// A form shown again with its errors: 422, the input kept.
pub fn invalid<T: Template>(t: &T) -> Result<HttpResponse, AppError> {
    page_with_status(t, StatusCode::UNPROCESSABLE_ENTITY)
}

pub fn page_with_status<T: Template>(t: &T, status: StatusCode) -> Result<HttpResponse, AppError> {
    // A form with errors: the summary at the top names each field by its label, which the
    // field macros record while rendering (`form::Errors::label_for`); the second pass has them.
    // (The summary says it was shown: no search through a page of hundreds of kilobytes.)
    form::take_summary_shown();
    let mut html = t.render()?;
    if form::take_summary_shown() {
        html = t.render()?;
        form::take_summary_shown();
    }
    let mut res = HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(html);
    res.extensions_mut().insert(Rendered);
    Ok(res)
}

/// 303 See Other: after a successful POST, the browser GETs the next page.
pub fn redirect(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}
