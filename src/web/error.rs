//! One error type for handlers. Its response carries only a status and a message key; the
//! `error_pages` middleware turns it into a full page in the site layout and the user's language.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::{StatusCode, header};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::db::DbError;
use crate::web::ctx::{Ctx, Layout};
use crate::web::render::Rendered;

/// The cause of a 500, kept for the log and never shown to the user.
pub type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("forbidden")]
    Forbidden,
    /// A POST without the session's CSRF token: refused, nothing changed.
    #[error("missing or wrong CSRF token")]
    Csrf,
    #[error("bad request")]
    BadRequest,
    /// A form whose text is not valid UTF-8: refused rather than stored with replacement characters.
    #[error("form text is not valid UTF-8")]
    InvalidText,
    #[error("payload too large")]
    PayloadTooLarge,
    /// Not logged in: go to the login page and come back to `next`.
    #[error("login required")]
    LoginRequired(String),
    /// Signed in, but the site requires a second factor this account has not set up yet: go to
    /// its set-up page.
    #[error("two-factor set-up required")]
    TwoFactorSetup,
    /// Signed in, but a newer privacy notice awaits acknowledgement: go there, then to `next`.
    #[error("privacy notice to acknowledge")]
    PrivacyPending(String),
    /// Anything else: a 500 whose cause (and its chain) is logged once, when the response is built.
    #[error("internal error")]
    Internal(#[source] Cause),
}

impl AppError {
    /// A 500 for a cause that is not an error value: a broken invariant described in words.
    pub fn internal(what: impl Into<String>) -> AppError {
        AppError::Internal(what.into().into())
    }

    /// A 500 caused by `e`.
    pub fn cause(e: impl std::error::Error + Send + Sync + 'static) -> AppError {
        AppError::Internal(Box::new(e))
    }

    /// A 500 caused by `e` while doing `what` (for causes such as I/O errors that do not say).
    pub fn context(
        what: &'static str,
        e: impl std::error::Error + Send + Sync + 'static,
    ) -> AppError {
        AppError::cause(Failed {
            what,
            source: Box::new(e),
        })
    }
}

/// What failed, with why as its source.
#[derive(Debug, thiserror::Error)]
#[error("{what}")]
pub struct Failed {
    what: &'static str,
    source: Cause,
}

impl From<DbError> for AppError {
    fn from(e: DbError) -> Self {
        AppError::cause(e)
    }
}

impl From<diesel::result::Error> for AppError {
    fn from(e: diesel::result::Error) -> Self {
        AppError::cause(DbError::Query(e))
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> Self {
        AppError::cause(e)
    }
}

impl From<std::io::Error> for AppError {
    fn from(e: std::io::Error) -> Self {
        AppError::cause(e)
    }
}

/// The error and each of its sources, joined with ": " — one log line for the whole chain. A
/// source whose message the line already ends with (an error that repeats its cause) is not
/// repeated.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cur = e.source();
    while let Some(s) = cur {
        let msg = s.to_string();
        if !out.ends_with(&msg) {
            out.push_str(": ");
            out.push_str(&msg);
        }
        cur = s.source();
    }
    out
}

/// Which message the error page shows; kept in the response's extensions.
#[derive(Clone, Copy, Debug)]
pub struct ErrorMessage(pub &'static str);

impl ResponseError for AppError {
    fn status_code(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Forbidden | AppError::Csrf => StatusCode::FORBIDDEN,
            AppError::BadRequest | AppError::InvalidText => StatusCode::BAD_REQUEST,
            AppError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::LoginRequired(_) | AppError::TwoFactorSetup | AppError::PrivacyPending(_) => {
                StatusCode::SEE_OTHER
            }
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let AppError::TwoFactorSetup = self {
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, crate::urls::account_two_factor()))
                .finish();
        }
        if let AppError::LoginRequired(next) = self {
            let target = crate::urls::login_then(next);
            return HttpResponse::SeeOther()
                .insert_header((header::LOCATION, target))
                .finish();
        }
        if let AppError::PrivacyPending(next) = self {
            return HttpResponse::SeeOther()
                .insert_header((
                    header::LOCATION,
                    crate::urls::privacy_acknowledge_then(next),
                ))
                .finish();
        }
        if let AppError::Internal(cause) = self {
            tracing::error!(error = %chain(cause.as_ref()), "internal error");
        }
        let key = match self {
            AppError::Csrf => "error.csrf",
            AppError::InvalidText => "error.invalid_utf8",
            _ => message_for(self.status_code()),
        };
        let mut res = HttpResponse::build(self.status_code()).finish();
        res.extensions_mut().insert(ErrorMessage(key));
        res
    }
}

fn message_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        400 => "error.400",
        403 => "error.403",
        404 => "error.404",
        405 => "error.405",
        413 => "error.413",
        429 => "error.429",
        503 => "error.503",
        s if s >= 500 => "error.500",
        _ => "error.400",
    }
}

fn title_for(status: StatusCode) -> &'static str {
    match status.as_u16() {
        403 => "error.title_403",
        404 => "error.title_404",
        s if s >= 500 => "error.title_500",
        _ => "error.title_400",
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    status: u16,
    title: &'static str,
    message: &'static str,
}

/// Renders every error response that a handler did not render itself (404 for unknown paths,
/// extractor failures, `AppError`s) as a page in the layout, keeping any cookies set on the way.
pub async fn error_pages(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    // Holding a clone of the request across `next` would break routing (it needs the only
    // reference); errors returned as `Err` pass through — the session store never returns one.
    let res = next.call(req).await?.map_into_boxed_body();
    let status = res.status();
    if status.as_u16() < 400 || res.response().extensions().get::<Rendered>().is_some() {
        return Ok(res);
    }
    let (req, old) = res.into_parts();
    let key = old
        .extensions()
        .get::<ErrorMessage>()
        .map(|m| m.0)
        .unwrap_or_else(|| message_for(status));
    let ctx = Ctx::load_for_error(&req).await;
    let layout = ctx.layout();
    let page = ErrorPage {
        status: status.as_u16(),
        title: layout.t(title_for(status)),
        message: layout.t(key),
        layout,
    };
    let mut new = match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %chain(&e), "error page could not be rendered");
            HttpResponse::build(status).body("Error")
        }
    };
    for (name, value) in old.headers() {
        if name == header::SET_COOKIE || name == header::ALLOW || name == header::RETRY_AFTER {
            new.headers_mut().append(name.clone(), value.clone());
        }
    }
    // Done: an outer error_pages leaves it as it is.
    new.extensions_mut().insert(Rendered);
    Ok(ServiceResponse::new(req, new))
}

/// The fallback for paths that match no route.
pub async fn not_found() -> Result<HttpResponse, AppError> {
    Err(AppError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chain_names_every_cause_once() {
        #[derive(Debug, thiserror::Error)]
        #[error("outer")]
        struct Outer(#[source] std::io::Error);

        let db = crate::db::DbError::Query(diesel::result::Error::NotFound);
        let e = AppError::cause(crate::services::entries::EntryError::Db(db));
        assert_eq!(
            chain(&e),
            "internal error: database error: Record not found"
        );

        let e = AppError::cause(Outer(std::io::Error::other("inner")));
        assert_eq!(chain(&e), "internal error: outer: inner");

        let e = AppError::context("writing upload", std::io::Error::other("disk full"));
        assert_eq!(chain(&e), "internal error: writing upload: disk full");
    }
}
