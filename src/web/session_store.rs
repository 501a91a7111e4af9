//! actix-session's `SessionStore` over our own database, so sessions can be revoked (logout,
//! password change, disabled account) and shared by several instances.
//!
//! Only signed-in sessions get a row. A visitor who is not signed in still needs a session for
//! the CSRF token of the login and registration forms (and a flash message), but writing a row
//! for every anonymous GET let any crawler fill the table. Their state (a few short values) is
//! carried in the session key itself instead, prefixed with [`ANON`] and followed by its expiry:
//! actix-session keeps the key in a `Private` cookie (encrypted and authenticated with the
//! server's key), so the visitor can neither read nor alter it, and the CSRF check compares the
//! form's token with the one in that cookie — a double-submit token that no other site can
//! forge. Nothing of an anonymous session needs revoking: it never holds a user id (one that did
//! is refused on load), and signing in renews the session into a fresh row-backed key.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::NaiveDateTime;

use crate::db::{Db, sessions};
use crate::domain::time::Clock;
use crate::domain::token;
use crate::web::ctx::SESSION_UID;

type State = HashMap<String, String>;

/// The session's user as loaded with the session (one query for both), under a key the store
/// adds on load and removes before anything is stored.
const USER_KEY: &str = "_user";

/// The signed-in user's row as the session store loaded it.
#[derive(serde::Serialize, serde::Deserialize, Clone, Debug)]
pub struct LoadedUser {
    pub id: i32,
    pub email: String,
    pub name: String,
    pub role: String,
    pub institution_id: Option<i32>,
    pub lang: String,
    pub disabled: bool,
    /// The version of the privacy notice the user has yet to acknowledge, if any.
    #[serde(default)]
    pub privacy_pending: Option<i32>,
    /// The site requires a second factor of this organiser or juror, who has none yet.
    #[serde(default)]
    pub two_factor_due: bool,
    /// The signed-in pages' version read with the session (`web::personal_cache`).
    #[serde(default)]
    pub list_version: i64,
}

impl LoadedUser {
    fn from_row(
        u: &crate::db::users::User,
        privacy_version: i32,
        two_factor_due: bool,
        list_version: i64,
    ) -> LoadedUser {
        LoadedUser {
            id: u.id,
            email: u.email.clone(),
            name: u.name.clone(),
            role: u.role.as_str().to_string(),
            institution_id: u.institution_id,
            lang: u.lang.clone(),
            disabled: u.disabled_at.is_some(),
            privacy_pending: crate::services::rodo::pending_version(
                u.privacy_version,
                privacy_version,
            ),
            two_factor_due,
            list_version,
        }
    }
}

/// The user loaded with this request's session, if it has one.
pub fn loaded_user(session: &actix_session::Session) -> Option<LoadedUser> {
    session.get(USER_KEY).ok().flatten()
}

#[derive(Clone)]
pub struct DbSessionStore {
    db: Db,
    clock: Clock,
}

impl DbSessionStore {
    pub fn new(db: Db, clock: Clock) -> Self {
        DbSessionStore { db, clock }
    }

    fn expiry(&self, ttl: &Duration) -> NaiveDateTime {
        self.clock.now() + chrono::Duration::seconds(ttl.whole_seconds())
    }
}

fn user_id(state: &State) -> Option<i32> {
    state.get(SESSION_UID).and_then(|v| v.parse().ok())
}

/// Prefix of a session key that carries an anonymous session's state (`a.<expiry>.<json>`); a
/// row-backed key is 64 hex characters.
const ANON: &str = "a.";
/// The longest anonymous key: the encrypted cookie (about 4/3 of it plus 40 bytes) stays well
/// within the 4096 bytes browsers keep. A larger state (nothing the portal stores comes near)
/// falls back to a row.
const ANON_MAX: usize = 2048;

/// The state has a signed-in user: it must be a row, so it can be revoked.
fn signed_in(state: &State) -> bool {
    state.contains_key(SESSION_UID)
}

fn is_anon(key: &SessionKey) -> bool {
    key.as_ref().starts_with(ANON)
}

/// An anonymous key for `state`, or `None` when it holds a user or is too large.
fn anon_key(state: &State, expires: NaiveDateTime) -> Option<SessionKey> {
    if signed_in(state) {
        return None;
    }
    let json = serde_json::to_string(state).ok()?;
    let key = format!("{ANON}{}.{json}", expires.and_utc().timestamp());
    if key.len() > ANON_MAX {
        return None;
    }
    SessionKey::try_from(key).ok()
}

/// The state an anonymous key carries, when it has not expired by `now`.
fn anon_state(key: &str, now: NaiveDateTime) -> Option<State> {
    let (expires, json) = key.strip_prefix(ANON)?.split_once('.')?;
    let expires: i64 = expires.parse().ok()?;
    if expires <= now.and_utc().timestamp() {
        return None;
    }
    let state: State = serde_json::from_str(json).ok()?;
    (!signed_in(&state)).then_some(state)
}

fn new_key() -> SessionKey {
    // 256 random bits; the row is keyed by its hash.
    SessionKey::try_from(token::generate()).expect("64 characters is a valid session key")
}

impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        if is_anon(key) {
            // Expired or unreadable: the visitor starts a fresh session.
            return Ok(anon_state(key.as_ref(), self.clock.now()));
        }
        if !token::looks_valid(key.as_ref()) {
            return Ok(None);
        }
        let hash = token::hash(key.as_ref());
        // A database failure here must not fail the request with a bare error: the visitor
        // continues without a session and the page itself reports the outage.
        let now = self.clock.now();
        let row = match self
            .db
            .run(move |c| {
                // The two-factor rule on the same connection, in the same trip to the pool.
                let row = sessions::load(c, &hash, now)?;
                let due = match &row {
                    Some((_, Some(u), _, _)) => {
                        crate::services::two_factor::setup_due(c, u.id, u.role)?
                    }
                    _ => false,
                };
                Ok(row.map(|r| (r, due)))
            })
            .await
        {
            Ok(row) => row,
            Err(e) => {
                tracing::error!(error = %e, "session could not be loaded");
                None
            }
        };
        let Some(((json, user, privacy_version, list_version), two_factor_due)) = row else {
            return Ok(None);
        };
        let mut state: State =
            serde_json::from_str(&json).map_err(|e| LoadError::Deserialization(e.into()))?;
        state.remove(USER_KEY);
        if let Some(u) = user
            && let Ok(u) = serde_json::to_string(&LoadedUser::from_row(
                &u,
                privacy_version.unwrap_or(1),
                two_factor_due,
                list_version.unwrap_or(0),
            ))
        {
            state.insert(USER_KEY.to_string(), u);
        }
        Ok(Some(state))
    }

    async fn save(&self, mut state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
        state.remove(USER_KEY);
        if let Some(key) = anon_key(&state, self.expiry(ttl)) {
            return Ok(key);
        }
        let json = serde_json::to_string(&state).map_err(|e| SaveError::Serialization(e.into()))?;
        let key = new_key();
        let hash = token::hash(key.as_ref());
        let uid = user_id(&state);
        let expires = self.expiry(ttl);
        if let Err(e) = self
            .db
            .run(move |c| Ok(sessions::insert(c, &hash, uid, &json, expires)?))
            .await
        {
            // The cookie then points at nothing: the next request starts a fresh session.
            tracing::error!(error = %e, "session could not be saved");
        }
        Ok(key)
    }

    async fn update(
        &self,
        key: SessionKey,
        mut state: State,
        ttl: &Duration,
    ) -> Result<SessionKey, UpdateError> {
        state.remove(USER_KEY);
        // A change of kind gets a new key: anonymous → signed in is a fresh row (never an
        // identifier the visitor held before), signed in → anonymous drops the row.
        if is_anon(&key) || !signed_in(&state) {
            if !is_anon(&key)
                && let Err(e) = self.delete(&key).await
            {
                // The visitor's new key no longer points at the row; it expires by itself.
                tracing::error!(error = %e, "session row could not be deleted");
            }
            return self
                .save(state, ttl)
                .await
                .map_err(|e| UpdateError::Other(anyhow::anyhow!(e.to_string())));
        }
        let json =
            serde_json::to_string(&state).map_err(|e| UpdateError::Serialization(e.into()))?;
        let hash = token::hash(key.as_ref());
        let uid = user_id(&state);
        let expires = self.expiry(ttl);
        let changed = match self
            .db
            .run(move |c| Ok(sessions::update(c, &hash, uid, &json, expires)?))
            .await
        {
            Ok(n) => n,
            Err(e) => {
                tracing::error!(error = %e, "session could not be updated");
                return Ok(key);
            }
        };
        if changed == 1 {
            return Ok(key);
        }
        // The session was ended meanwhile (logout elsewhere, password change): keep what the
        // visitor was doing, but never bring the login back (an anonymous key, no row).
        state.remove(SESSION_UID);
        self.save(state, ttl)
            .await
            .map_err(|e| UpdateError::Other(anyhow::anyhow!(e.to_string())))
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
        if is_anon(key) {
            // Its expiry is inside the key; only a new key (a changed state) extends it.
            return Ok(());
        }
        let hash = token::hash(key.as_ref());
        let expires = self.expiry(ttl);
        if let Err(e) = self
            .db
            .run(move |c| Ok(sessions::touch(c, &hash, expires)?))
            .await
        {
            tracing::error!(error = %e, "session expiry could not be extended");
        }
        Ok(())
    }

    async fn delete(&self, key: &SessionKey) -> Result<(), anyhow::Error> {
        if is_anon(key) {
            return Ok(());
        }
        let hash = token::hash(key.as_ref());
        // Failing loudly here is right: a logout that did not end the session must not look done.
        self.db
            .run(move |c| Ok(sessions::delete(c, &hash)?))
            .await
            .map_err(|e| anyhow::anyhow!(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: i64) -> NaiveDateTime {
        chrono::DateTime::from_timestamp(s, 0).unwrap().naive_utc()
    }

    #[test]
    fn anonymous_state_travels_in_the_key_until_it_expires() {
        let state: State = [("csrf".to_string(), "\"abc\"".to_string())].into();
        let key = anon_key(&state, at(2_000)).unwrap();
        assert!(is_anon(&key));
        assert_eq!(anon_state(key.as_ref(), at(1_999)), Some(state));
        assert_eq!(anon_state(key.as_ref(), at(2_000)), None);
        assert_eq!(anon_state("a.x.{}", at(0)), None);
        assert_eq!(anon_state("a.5000.{not json", at(0)), None);
    }

    #[test]
    fn a_signed_in_or_oversized_state_never_goes_into_the_key() {
        let mut state: State = [(SESSION_UID.to_string(), "7".to_string())].into();
        assert!(anon_key(&state, at(2_000)).is_none());
        // Even a key claiming a user (which the server never writes) is refused on load.
        assert_eq!(anon_state(r#"a.5000.{"uid":"7"}"#, at(0)), None);
        state.clear();
        state.insert("flash".into(), "x".repeat(ANON_MAX));
        assert!(anon_key(&state, at(2_000)).is_none());
    }
}
