//! The HTTP side: routes, thin handlers, the request context, middleware and page rendering.

pub mod assets;
pub mod chart;
pub mod client;
pub mod csrf;
pub mod ctx;
pub mod device;
pub mod encoding;
pub mod error;
pub mod form;
pub mod metrics;
pub mod middleware;
pub mod page_cache;
pub mod pages;
pub mod passwords;
pub mod personal_cache;
pub mod render;
pub mod session_store;
pub mod upload;

use std::sync::Arc;

use actix_web::web;

use crate::config::Config;
use crate::db::Db;
use crate::domain::time::Clock;
use crate::storage::Storage;

/// What every handler can reach: the database, the configuration and the outbox worker's bell.
pub struct AppState {
    pub db: Db,
    pub config: Config,
    pub mail_signal: Arc<tokio::sync::Notify>,
    /// The outbox worker's sign of life; `/healthz` fails when it is stale.
    pub mail_health: Arc<crate::mail::worker::Health>,
    pub storage: Storage,
    /// The app's time: the system clock in production; tests move it forward. Shared with the
    /// session store and the outbox worker of this app.
    pub clock: Clock,
    /// This app's request counters and gauges, served on `KONKURS_METRICS_BIND`.
    pub metrics: Arc<metrics::Metrics>,
    /// Password hashing and checking, a bounded number at once (outside any connection).
    pub passwords: passwords::Passwords,
    /// Public pages kept rendered for anonymous visitors.
    pub pages: Arc<page_cache::PageCache>,
    /// Signed-in pages kept rendered per user.
    pub personal: Arc<personal_cache::PersonalCache>,
}

impl AppState {
    /// Wakes the outbox worker after a transaction that queued email has committed.
    pub fn wake_mailer(&self) {
        self.mail_signal.notify_one();
    }

    /// The current time by this app's clock.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.clock.now()
    }
}

pub type State = web::Data<AppState>;
