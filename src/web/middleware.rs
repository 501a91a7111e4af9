//! Middleware: language choice, security headers, request logs.

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::{DefaultHeaders, Next};
use actix_web::{HttpMessage, web};

use crate::i18n::Lang;
use crate::web::AppState;
use crate::web::ctx::RequestLang;

pub const LANG_COOKIE: &str = "lang";

/// Picks the language: `?lang=` (then remembered in a cookie for a year), else the cookie,
/// else Polish.
pub async fn lang(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let from_query = req
        .query_string()
        .split('&')
        .find_map(|p| p.strip_prefix("lang="))
        .and_then(Lang::from_code);
    let from_cookie = req
        .cookie(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()));
    let lang = from_query.or(from_cookie).unwrap_or_default();
    req.extensions_mut().insert(RequestLang { lang });
    let mut res = next.call(req).await?;
    if let Some(l) = from_query
        && from_cookie != Some(l)
    {
        let secure = res
            .request()
            .app_data::<web::Data<AppState>>()
            .is_some_and(|s| s.config.secure_cookies);
        let cookie = Cookie::build(LANG_COOKIE, l.code())
            .path("/")
            .max_age(CookieDuration::days(365))
            .same_site(SameSite::Lax)
            .http_only(true)
            .secure(secure)
            .finish();
        let _ = res.response_mut().add_cookie(&cookie);
    }
    Ok(res)
}

/// Headers on every response: no inline script or framing, no MIME sniffing, no referrer
/// outside the site (links carry one-time tokens in their query). With an https base URL, HSTS
/// tells browsers to use nothing else for a year (not for subdomains: the office's other sites
/// are not ours to decide for).
pub fn security_headers(https: bool) -> DefaultHeaders {
    let headers = DefaultHeaders::new()
        .add((
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'none'; object-src 'none'",
        ))
        .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .add((header::REFERRER_POLICY, "same-origin"))
        .add((header::X_FRAME_OPTIONS, "DENY"))
        .add((
            "Permissions-Policy",
            "camera=(), microphone=(), geolocation=(), interest-cohort=()",
        ))
        .add(("Cross-Origin-Opener-Policy", "same-origin"));
    if https {
        headers.add((header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        headers
    }
}

/// A percent-encoded NUL in the path or the query: no route or search can mean it, and
/// PostgreSQL refuses it in text with an error, so it is answered here (404 for a path, 400 for
/// a query) before anything reaches the database.
pub async fn refuse_nul(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    let has_nul = |s: &str| s.as_bytes().windows(3).any(|w| w == b"%00");
    if has_nul(req.uri().path()) {
        return Ok(req.error_response(crate::web::error::AppError::NotFound));
    }
    if req.uri().query().is_some_and(has_nul) {
        return Ok(req.error_response(crate::web::error::AppError::BadRequest));
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// One log line per request: id, method, path (never the query, which may hold a token),
/// status and duration. The id is also returned as `X-Request-Id`.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let id = crate::domain::token::generate()[..16].to_string();
    let method = req.method().clone();
    let path = req.path().to_string();
    req.extensions_mut().insert(RequestId(id.clone()));
    let result = next.call(req).await;
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    match result {
        Ok(mut res) => {
            let status = res.status().as_u16();
            if let Ok(v) = HeaderValue::from_str(&id) {
                res.headers_mut()
                    .insert(header::HeaderName::from_static("x-request-id"), v);
            }
            if status >= 500 {
                tracing::error!(request_id = %id, %method, %path, status, ms = format_args!("{ms:.1}"), "request");
            } else {
                tracing::info!(request_id = %id, %method, %path, status, ms = format_args!("{ms:.1}"), "request");
            }
            Ok(res)
        }
        Err(e) => {
            tracing::error!(request_id = %id, %method, %path, error = %e, ms = format_args!("{ms:.1}"), "request failed");
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test as http_test;
    use actix_web::{App, HttpResponse, web};

    fn hsts(https: bool) -> Option<String> {
        actix_web::rt::System::new().block_on(async move {
            let app = http_test::init_service(
                App::new()
                    .wrap(security_headers(https))
                    .route("/", web::get().to(HttpResponse::Ok)),
            )
            .await;
            let res =
                http_test::call_service(&app, http_test::TestRequest::get().uri("/").to_request())
                    .await;
            res.headers()
                .get(header::STRICT_TRANSPORT_SECURITY)
                .and_then(|v| v.to_str().ok())
                .map(str::to_string)
        })
    }

    #[test]
    fn hsts_only_when_the_site_is_https() {
        assert_eq!(hsts(true).as_deref(), Some("max-age=31536000"));
        assert_eq!(hsts(false), None);
    }
}
