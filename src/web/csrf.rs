//! Synchronizer-token CSRF protection: 256 random bits kept in the session, sent back as a
//! hidden `csrf` field on every POST and compared in constant time. For a visitor who is not
//! signed in the session lives only in its encrypted cookie (`web::session_store`), so there
//! the check is a double-submit of a token that only this server can mint; at login the token
//! is replaced.

use actix_session::Session;
use subtle::ConstantTimeEq;

use crate::domain::token;

const KEY: &str = "csrf";
pub const FIELD: &str = "csrf";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(KEY) {
        return t;
    }
    rotate(session)
}

/// A fresh token (at login, so a token seen before login is worthless after it).
pub fn rotate(session: &Session) -> String {
    let t = token::generate();
    let _ = session.insert(KEY, &t);
    t
}

pub fn verify(session: &Session, submitted: &str) -> bool {
    match session.get::<String>(KEY) {
        Ok(Some(expected)) => {
            !submitted.is_empty() && bool::from(expected.as_bytes().ct_eq(submitted.as_bytes()))
        }
        _ => false,
    }
}
