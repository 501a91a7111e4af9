//! The device cookie: after a successful login the browser gets a signed cookie naming the
//! account. A login from a browser that carries it for that account is not held back by the
//! per-account limit, so an attacker who spreads wrong passwords over many addresses cannot lock
//! the owner out of the browser they use (the per-address and per-pair limits still apply).

use actix_web::HttpRequest;
use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, CookieJar, Key, SameSite};
use chrono::NaiveDateTime;

pub const COOKIE: &str = "konkurs_device";
/// How long a browser stays recognised after its last login.
pub const VALID_DAYS: i64 = 90;

/// The account this browser last logged in to, when its cookie is genuine and recent.
pub fn trusted_user(req: &HttpRequest, key: &Key, now: NaiveDateTime) -> Option<i32> {
    let cookie = req.cookie(COOKIE)?;
    let mut jar = CookieJar::new();
    jar.add_original(cookie);
    let verified = jar.signed(key).get(COOKIE)?;
    let (uid, issued) = verified.value().split_once('.')?;
    let issued = chrono::DateTime::from_timestamp(issued.parse().ok()?, 0)?.naive_utc();
    let fresh = now - issued < chrono::Duration::days(VALID_DAYS) && issued <= now;
    fresh.then(|| uid.parse().ok()).flatten()
}

/// The signed cookie for `user_id`, issued at `now`.
pub fn cookie_for(user_id: i32, key: &Key, secure: bool, now: NaiveDateTime) -> Cookie<'static> {
    let mut jar = CookieJar::new();
    let value = format!("{user_id}.{}", now.and_utc().timestamp());
    jar.signed_mut(key).add(
        Cookie::build(COOKIE, value)
            .path("/")
            .http_only(true)
            .secure(secure)
            .same_site(SameSite::Lax)
            .max_age(CookieDuration::days(VALID_DAYS))
            .finish(),
    );
    jar.get(COOKIE)
        .cloned()
        .unwrap_or_else(|| Cookie::new(COOKIE, ""))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    fn key() -> Key {
        Key::from(&[7u8; 64])
    }

    fn request_with(c: &Cookie<'static>) -> HttpRequest {
        TestRequest::default().cookie(c.clone()).to_http_request()
    }

    #[test]
    fn a_genuine_recent_cookie_names_its_account() {
        let now = crate::domain::time::Clock::system().now();
        let c = cookie_for(42, &key(), true, now);
        assert!(c.http_only().unwrap_or(false));
        assert_eq!(trusted_user(&request_with(&c), &key(), now), Some(42));
        let later = now + chrono::Duration::days(VALID_DAYS + 1);
        assert_eq!(trusted_user(&request_with(&c), &key(), later), None);
    }

    #[test]
    fn a_forged_or_foreign_cookie_names_nobody() {
        let now = crate::domain::time::Clock::system().now();
        let forged = Cookie::new(COOKIE, format!("42.{}", now.and_utc().timestamp()));
        assert_eq!(trusted_user(&request_with(&forged), &key(), now), None);
        let other_key = Key::from(&[9u8; 64]);
        let c = cookie_for(42, &other_key, true, now);
        assert_eq!(trusted_user(&request_with(&c), &key(), now), None);
    }
}
