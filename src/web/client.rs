//! The request's client behind a reverse proxy: its address (for the login throttle, the limits
//! on registrations and emails, remembered login addresses and the request log) and whether it
//! used https (for `Secure` cookies). Forwarding headers count only from a peer listed in
//! `KONKURS_TRUSTED_PROXIES`; from anyone else they are ignored, so they cannot be spoofed.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{HttpMessage, HttpRequest, web};

use crate::domain::proxy;
use crate::web::AppState;

/// Who sent the request, as [`client_addr`] found it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClientAddr {
    pub ip: IpAddr,
    /// Came over https: to a trusted proxy that said so in `X-Forwarded-Proto`.
    pub https: bool,
    /// The TCP peer is a trusted proxy (its `X-Request-Id` is kept, too).
    pub via_trusted_proxy: bool,
}

impl ClientAddr {
    /// This request's client; without the middleware (a bare test app), the TCP peer.
    pub fn of(req: &HttpRequest) -> ClientAddr {
        req.extensions()
            .get::<ClientAddr>()
            .copied()
            .unwrap_or_else(|| ClientAddr {
                ip: peer(req.peer_addr()),
                https: false,
                via_trusted_proxy: false,
            })
    }
}

fn peer(addr: Option<std::net::SocketAddr>) -> IpAddr {
    addr.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |a| a.ip().to_canonical())
}

/// Outermost middleware: puts the [`ClientAddr`] into the request's extensions, and on the way
/// out marks every cookie `Secure` when the client used https (directly by the base URL, or
/// through a trusted proxy). actix-session's own `cookie_secure` is fixed at start, so the
/// attribute is added here per request instead.
pub async fn client_addr(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let peer = peer(req.peer_addr());
    let (trusted, site_https) = match req.app_data::<web::Data<AppState>>() {
        Some(s) => (
            s.config.trusted_proxies.contains(peer).then(|| {
                let xff: Vec<&str> = req
                    .headers()
                    .get_all("x-forwarded-for")
                    .filter_map(|v| v.to_str().ok())
                    .collect();
                let proto = req
                    .headers()
                    .get("x-forwarded-proto")
                    .and_then(|v| v.to_str().ok());
                (
                    s.config.trusted_proxies.client(peer, &xff),
                    proxy::forwarded_https(proto),
                )
            }),
            s.config.secure_cookies,
        ),
        None => (None, false),
    };
    let client = match trusted {
        Some((ip, https)) => ClientAddr {
            ip,
            https,
            via_trusted_proxy: true,
        },
        None => ClientAddr {
            ip: peer,
            https: false,
            via_trusted_proxy: false,
        },
    };
    req.extensions_mut().insert(client);
    let mut res = next.call(req).await?;
    if client.https || site_https {
        secure_cookies(res.headers_mut());
    }
    Ok(res)
}

/// Adds `; Secure` to every `Set-Cookie` that lacks it.
fn secure_cookies(headers: &mut header::HeaderMap) {
    let cookies: Vec<HeaderValue> = headers.get_all(header::SET_COOKIE).cloned().collect();
    if cookies.is_empty() {
        return;
    }
    headers.remove(header::SET_COOKIE);
    for v in cookies {
        let secured = v.to_str().ok().and_then(|s| {
            let has = s
                .split(';')
                .skip(1)
                .any(|a| a.trim().eq_ignore_ascii_case("secure"));
            (!has).then(|| HeaderValue::from_str(&format!("{s}; Secure")).ok())?
        });
        headers.append(header::SET_COOKIE, secured.unwrap_or(v));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secure_is_added_once_to_every_cookie() {
        let mut h = header::HeaderMap::new();
        h.append(
            header::SET_COOKIE,
            HeaderValue::from_static("a=1; Path=/; HttpOnly"),
        );
        h.append(header::SET_COOKIE, HeaderValue::from_static("b=2; Secure"));
        h.append(header::SET_COOKIE, HeaderValue::from_static("secure=3"));
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/html"));
        secure_cookies(&mut h);
        let all: Vec<&str> = h
            .get_all(header::SET_COOKIE)
            .map(|v| v.to_str().unwrap())
            .collect();
        assert_eq!(
            all,
            [
                "a=1; Path=/; HttpOnly; Secure",
                "b=2; Secure",
                "secure=3; Secure"
            ]
        );
        assert!(h.contains_key(header::CONTENT_TYPE));
    }
}
