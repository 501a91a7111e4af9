//! actix-session's `SessionStore` over our own database, so sessions can be revoked (logout,
//! password change, disabled account) and shared by several instances.

use std::collections::HashMap;

use actix_session::storage::{LoadError, SaveError, SessionKey, SessionStore, UpdateError};
use actix_web::cookie::time::Duration;
use chrono::NaiveDateTime;

use crate::db::{Db, sessions};
use crate::domain::time::Clock;
use crate::domain::token;
use crate::web::ctx::SESSION_UID;

type State = HashMap<String, String>;

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

fn new_key() -> SessionKey {
    // 256 random bits; the row is keyed by its hash.
    SessionKey::try_from(token::generate()).expect("64 characters is a valid session key")
}

impl SessionStore for DbSessionStore {
    async fn load(&self, key: &SessionKey) -> Result<Option<State>, LoadError> {
        if !token::looks_valid(key.as_ref()) {
            return Ok(None);
        }
        let hash = token::hash(key.as_ref());
        // A database failure here must not fail the request with a bare error: the visitor
        // continues without a session and the page itself reports the outage.
        let now = self.clock.now();
        let row = match self
            .db
            .run(move |c| Ok(sessions::load(c, &hash, now)?))
            .await
        {
            Ok(row) => row,
            Err(e) => {
                tracing::error!(error = %e, "session could not be loaded");
                None
            }
        };
        match row {
            None => Ok(None),
            Some(json) => serde_json::from_str(&json)
                .map(Some)
                .map_err(|e| LoadError::Deserialization(e.into())),
        }
    }

    async fn save(&self, state: State, ttl: &Duration) -> Result<SessionKey, SaveError> {
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
        // visitor was doing, but never bring the login back.
        state.remove(SESSION_UID);
        self.save(state, ttl)
            .await
            .map_err(|e| UpdateError::Other(anyhow::anyhow!(e.to_string())))
    }

    async fn update_ttl(&self, key: &SessionKey, ttl: &Duration) -> Result<(), anyhow::Error> {
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
        let hash = token::hash(key.as_ref());
        // Failing loudly here is right: a logout that did not end the session must not look done.
        self.db
            .run(move |c| Ok(sessions::delete(c, &hash)?))
            .await
            .map_err(|e| anyhow::anyhow!(e.to_string()))
    }
}
