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
use crate::web::client::ClientAddr;
use crate::web::ctx::RequestLang;

pub const LANG_COOKIE: &str = "lang";

/// Picks the language for a visitor who is not signed in: `?lang=` (then remembered in a cookie
/// for a year), else the cookie, else Polish. For a signed-in user `Ctx::load` then decides
/// (`?lang=`, else a switch made in this session, else the account's language).
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
    req.extensions_mut()
        .insert(RequestLang { lang, from_query });
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

/// HEAD is answered as GET without the body (actix-http leaves a HEAD response's body out by
/// itself): uptime monitors and link checkers that use HEAD see what a browser would.
pub async fn head_as_get(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    if req.method() == actix_web::http::Method::HEAD {
        req.head_mut().method = actix_web::http::Method::GET;
    }
    next.call(req).await
}

#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// One log line per request: id, client address, method, path (never the query, which may hold
/// a token), status and duration. The id is also returned as `X-Request-Id`; one that a trusted
/// proxy sent is kept (so its log and ours match), any other is replaced by a fresh one.
pub async fn request_log(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let start = Instant::now();
    let client = ClientAddr::of(req.request());
    let id = req
        .headers()
        .get(X_REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|id| client.via_trusted_proxy && crate::domain::proxy::valid_request_id(id))
        .map_or_else(
            || crate::domain::token::generate()[..16].to_string(),
            str::to_string,
        );
    let ip = client.ip;
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
                    .insert(header::HeaderName::from_static(X_REQUEST_ID), v);
            }
            if status >= 500 {
                tracing::error!(request_id = %id, client = %ip, %method, %path, status, ms = format_args!("{ms:.1}"), "request");
            } else {
                tracing::info!(request_id = %id, client = %ip, %method, %path, status, ms = format_args!("{ms:.1}"), "request");
            }
            Ok(res)
        }
        Err(e) => {
            tracing::error!(request_id = %id, client = %ip, %method, %path, error = %e, ms = format_args!("{ms:.1}"), "request failed");
            Err(e)
        }
    }
}

const X_REQUEST_ID: &str = "x-request-id";

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

    /// A writer into a shared buffer, to read what was logged.
    #[derive(Clone)]
    struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

    impl std::io::Write for Captured {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The log and the returned `X-Request-Id` of one request from `client` carrying `id`.
    fn logged(client: ClientAddr, id: Option<&'static str>) -> (String, String) {
        use actix_web::dev::Service;
        let out = Captured(std::sync::Arc::default());
        let writer = out.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(move || writer.clone())
            .finish();
        let returned = tracing::subscriber::with_default(subscriber, || {
            actix_web::rt::System::new().block_on(async move {
                let app = http_test::init_service(
                    App::new()
                        .wrap(actix_web::middleware::from_fn(request_log))
                        .wrap_fn(move |req, srv| {
                            req.extensions_mut().insert(client);
                            srv.call(req)
                        })
                        .route("/", web::get().to(HttpResponse::Ok)),
                )
                .await;
                let mut req = http_test::TestRequest::get().uri("/");
                if let Some(id) = id {
                    req = req.insert_header(("X-Request-Id", id));
                }
                let res = http_test::call_service(&app, req.to_request()).await;
                res.headers()
                    .get("x-request-id")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_string()
            })
        });
        let log = String::from_utf8(out.0.lock().unwrap().clone()).unwrap();
        (log, returned)
    }

    #[test]
    fn every_request_line_names_the_client_and_a_trusted_id_is_kept() {
        let proxied = ClientAddr {
            ip: "203.0.113.7".parse().unwrap(),
            https: true,
            via_trusted_proxy: true,
        };
        let (log, id) = logged(proxied, Some("edge-42.a:b_c"));
        assert_eq!(id, "edge-42.a:b_c");
        assert!(log.contains("client=203.0.113.7"), "{log}");
        assert!(log.contains("request_id=edge-42.a:b_c"), "{log}");
        // A malformed id, even from a trusted proxy, is replaced.
        let (_, id) = logged(proxied, Some("no spaces"));
        assert_eq!(id.len(), 16);
        // From anyone else the id is always ours.
        let direct = ClientAddr {
            ip: "198.51.100.9".parse().unwrap(),
            https: false,
            via_trusted_proxy: false,
        };
        let (log, id) = logged(direct, Some("edge-42"));
        assert_eq!(id.len(), 16);
        assert!(log.contains("client=198.51.100.9"), "{log}");
        assert!(log.contains(&format!("request_id={id}")), "{log}");
    }
}
