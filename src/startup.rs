//! Building and starting the server: the database, the outbox worker, the HTTP app.

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{BrowserSession, CookieContentSecurity, TtlExtensionPolicy};
use actix_web::cookie::{Key, SameSite};
use actix_web::dev::Server;
use actix_web::middleware::from_fn;
use actix_web::{App, HttpServer, web};

use crate::config::Config;
use crate::db::Db;
use crate::domain::time::Clock;
use crate::mail::transport::Transport;
use crate::mail::worker::{Health, Worker};
use crate::services::accounts;
use crate::storage::Storage;
use crate::web::session_store::DbSessionStore;
use crate::web::{AppState, assets, client, error, form, middleware, pages};

pub const SESSION_COOKIE: &str = "konkurs_session";

/// A server that is listening but not yet awaited.
pub struct Running {
    pub server: Server,
    pub port: u16,
    pub state: web::Data<AppState>,
    /// The one-time link to create the first organiser, when there is none and it was made
    /// at this start (shown once).
    pub setup_link: Option<String>,
    /// What to say about the set-up link at start (made now, issued before, not needed).
    pub setup: accounts::SetupLink,
    /// The `/metrics` server on `KONKURS_METRICS_BIND` and its port, when configured. Not
    /// awaited here: it stops with the same shutdown signal as the main server.
    pub metrics_server: Option<(Server, u16)>,
    /// Send `true` to stop: both servers stop gracefully (within `KONKURS_SHUTDOWN_GRACE`)
    /// and the outbox worker drains.
    pub shutdown: tokio::sync::watch::Sender<bool>,
    /// The outbox worker; it ends after draining on shutdown.
    pub worker: actix_web::rt::task::JoinHandle<()>,
}

/// Opens the database (applying migrations), starts the outbox worker and binds the listener.
/// Must be called inside an actix/tokio runtime.
pub fn build(config: Config) -> Result<Running, String> {
    let db = Db::connect(
        config.database_url.clone(),
        config.db_pool_size,
        config.db_wait,
    )?;
    if config.migrate {
        db.migrate()?;
    } else {
        db.check_migrated()?;
    }
    let listener = TcpListener::bind(&config.bind)
        .map_err(|e| format!("cannot listen on {}: {e}", config.bind))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    build_with(config, db, listener, port)
}

pub fn build_with(
    mut config: Config,
    db: Db,
    listener: TcpListener,
    port: u16,
) -> Result<Running, String> {
    // With port 0 the real port is known only now; links must carry it.
    if config.base_url.ends_with(":0") {
        config.base_url = format!("{}{port}", config.base_url.trim_end_matches('0'));
    }
    if config.trusted_proxies.too_wide() {
        tracing::warn!(
            "KONKURS_TRUSTED_PROXIES trusts a very wide range: anybody in it can choose the \
             address the login limits count; list only the reverse proxies"
        );
    }
    if let Some(addr) = &config.metrics_bind
        && addr
            .parse::<std::net::SocketAddr>()
            .is_ok_and(|a| !a.ip().is_loopback())
    {
        tracing::warn!(
            address = %addr,
            "/metrics has no login and listens beyond this machine; keep it off public networks"
        );
    }
    let transport = Transport::from_url(config.smtp_url.as_deref())?;
    let from = config
        .mail_from
        .parse()
        .map_err(|e| format!("KONKURS_MAIL_FROM is not a valid address: {e}"))?;
    let signal = Arc::new(tokio::sync::Notify::new());
    let clock = Clock::system();
    let (shutdown, stop_rx) = tokio::sync::watch::channel(false);
    let storage = Storage::connect(&config.storage, &config.upload_dir())?;
    let mail_health = Arc::new(Health::default());
    mail_health.beat();
    let state = web::Data::new(AppState {
        db: db.clone(),
        config: config.clone(),
        mail_signal: signal.clone(),
        mail_health: mail_health.clone(),
        storage,
        clock: clock.clone(),
        metrics: Arc::new(crate::web::metrics::Metrics::new()),
        passwords: crate::web::passwords::Passwords::sized_to_cores(),
        pages: Arc::default(),
        personal: Arc::default(),
    });
    // Known before the first request, so public pages are kept from the start.
    if let Ok(v) = db
        .conn()
        .and_then(|mut c| Ok(crate::db::site::public_version(&mut c)?))
    {
        state.pages.set_version(v);
    }
    actix_web::rt::spawn(state.pages.clone().watch(db.clone(), stop_rx.clone()));
    // The daily retention (RODO); the app's clock decides when a day has passed, looked at as
    // often as the outbox is polled.
    actix_web::rt::spawn(crate::retention::daily(
        db.clone(),
        state.storage.clone(),
        clock.clone(),
        config.mail_poll,
        stop_rx.clone(),
    ));

    let worker = actix_web::rt::spawn(
        Worker {
            db: db.clone(),
            transport,
            from,
            signal,
            poll: config.mail_poll,
            health: mail_health,
            clock: clock.clone(),
            owner: format!(
                "{}:{}",
                std::process::id(),
                &crate::domain::token::generate()[..8]
            ),
            shutdown: stop_rx.clone(),
            grace: config.shutdown_grace,
        }
        .run_supervised(),
    );

    // Scheduled publications of results: at start (catching up) and every `schedule_poll`.
    actix_web::rt::spawn(every_poll(
        state.clone(),
        stop_rx.clone(),
        publish_on_schedule,
    ));
    // Organisers' daily digest of submitted entries: checked as often as the schedule.
    actix_web::rt::spawn(every_poll(state.clone(), stop_rx.clone(), send_digests));

    // Requests in flight, counted by the outermost middleware; the stop waits for them (below).
    let in_flight = InFlight::default();
    let main_handle = Arc::new(std::sync::OnceLock::new());
    let key = Key::from(&config.cookie_key);
    let store = DbSessionStore::new(db, clock);
    let app_state = state.clone();
    let counted = in_flight.clone();
    let shutdown_grace = state.config.shutdown_grace.as_secs();
    let server = HttpServer::new(move || {
        let session = SessionMiddleware::builder(store.clone(), key.clone())
            .cookie_name(SESSION_COOKIE.into())
            .cookie_secure(app_state.config.secure_cookies)
            .cookie_http_only(true)
            .cookie_same_site(SameSite::Lax)
            .cookie_content_security(CookieContentSecurity::Private)
            .session_lifecycle(
                BrowserSession::default()
                    .state_ttl(actix_web::cookie::time::Duration::seconds(
                        i64::try_from(app_state.config.session_idle.as_secs()).unwrap_or(i64::MAX),
                    ))
                    .state_ttl_extension_policy(TtlExtensionPolicy::OnStateChanges),
            )
            .build();
        App::new()
            .app_data(app_state.clone())
            .app_data(web::PayloadConfig::new(form::FORM_LIMIT))
            .wrap(from_fn(middleware::refuse_nul))
            .wrap(from_fn(middleware::head_as_get))
            .wrap(from_fn(middleware::lang))
            .wrap(from_fn(error::error_pages))
            .wrap(from_fn(crate::web::encoding::gzip_at_once))
            // Outside the compression: its pages are compressed in advance.
            .wrap(from_fn(crate::web::page_cache::serve))
            .wrap(from_fn(crate::web::encoding::slice_bodies))
            .wrap(middleware::security_headers(
                app_state.config.base_url.starts_with("https://"),
            ))
            .wrap(from_fn(middleware::request_log))
            .wrap(from_fn(crate::web::metrics::record))
            // Outermost: every step inside, the request log included, sees the real client.
            .wrap(from_fn(client::client_addr))
            .wrap(from_fn({
                let counted = counted.clone();
                move |req, next: actix_web::middleware::Next<_>| {
                    let guard = counted.enter();
                    async move {
                        let res = next.call(req).await;
                        drop(guard);
                        res
                    }
                }
            }))
            .route("/assets/{name}", web::get().to(assets::serve))
            .configure(pages::home::healthz_route)
            .service(
                web::scope("")
                    // Inside the session too, so an error page made here (a form body that
                    // cannot be read, a refused CSRF token) still shows who is signed in; the
                    // outer one only renders what this one did not.
                    // Innermost: answers from memory with the session's user already loaded.
                    .wrap(from_fn(crate::web::personal_cache::serve))
                    .wrap(from_fn(error::error_pages))
                    .wrap(session)
                    .configure(pages::configure)
                    .default_service(web::to(error::not_found)),
            )
    })
    // Small writes go out at once: a compressed page is sent in chunks, and Nagle's algorithm
    // held its last one back until the client's delayed ACK (about 40 ms per page).
    // Blocking work (queries, files) runs on a pool per worker; no more threads than
    // connections are useful, and each idle one keeps memory (512 by default).
    .worker_max_blocking_threads(
        usize::try_from(state.config.db_pool_size)
            .unwrap_or(16)
            .max(4),
    )
    .on_connect(|io, _| {
        if let Some(tcp) = io.downcast_ref::<actix_web::rt::net::TcpStream>() {
            let _ = tcp.set_nodelay(true);
        }
    })
    .listen(listener)
    .map_err(|e| e.to_string())?
    .shutdown_timeout(shutdown_grace)
    // Our own signal handling (`cli::serve`) sends on `shutdown`, which also drains the worker.
    // actix-server is told to stop only once our requests in flight are done (or the grace is
    // over): its own graceful stop sometimes ended at once with an upload still being read
    // (bug B2), and its forced `System::stop` 300 ms later then cut that connection.
    .shutdown_signal(in_flight.clone().drained(
        stop_rx.clone(),
        state.config.shutdown_grace,
        main_handle.clone(),
    ))
    .run();
    let _ = main_handle.set(server.handle());
    let metrics_server = match &state.config.metrics_bind {
        // Its stop also ends the whole actix System: it waits for the same requests.
        Some(addr) => Some(metrics_server(
            addr,
            &state,
            // Without the main server's handle: it neither pauses nor stops that server.
            in_flight.drained(stop_rx, state.config.shutdown_grace, Arc::default()),
        )?),
        None => None,
    };
    // Last: a link is issued (and shown once) only when every check of the start has passed.
    let setup = {
        let mut c = state.db.conn().map_err(|e| e.to_string())?;
        accounts::setup_link_at_start(&mut c, &state.config, state.clock.now())
            .map_err(|e| e.to_string())?
    };
    let setup_link = match &setup {
        accounts::SetupLink::New { link, .. } => Some(link.clone()),
        _ => None,
    };
    Ok(Running {
        server,
        port,
        state,
        setup_link,
        setup,
        metrics_server,
        shutdown,
        worker,
    })
}

/// `/metrics` on an address of its own (one worker thread is plenty for a scraper).
fn metrics_server(
    addr: &str,
    state: &web::Data<AppState>,
    stop: impl std::future::Future<Output = ()> + Send + 'static,
) -> Result<(Server, u16), String> {
    let listener =
        TcpListener::bind(addr).map_err(|e| format!("cannot listen on {addr} for metrics: {e}"))?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let state = state.clone();
    let server = HttpServer::new(move || {
        App::new()
            .app_data(state.clone())
            .configure(crate::web::metrics::configure)
    })
    .workers(1)
    .listen(listener)
    .map_err(|e| e.to_string())?
    .shutdown_timeout(1)
    .shutdown_signal(stop)
    .run();
    Ok((server, port))
}

/// The number of requests being handled: a request counts from the moment it reaches the app
/// until its handler has answered (or it is dropped), so an upload still being read counts.
#[derive(Clone, Default)]
struct InFlight(Arc<std::sync::atomic::AtomicUsize>);

/// Decrements the count when the request's future ends, however it ends.
struct Counted(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for Counted {
    fn drop(&mut self) {
        self.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
    }
}

impl InFlight {
    fn count(&self) -> usize {
        self.0.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Counts one request until the returned guard is dropped.
    fn enter(&self) -> Counted {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Counted(self.0.clone())
    }

    /// Resolves once `true` is sent on `shutdown` and then the requests in flight are done, or
    /// `grace` has passed since the signal. New connections are refused meanwhile (the main
    /// server is paused once its handle is known).
    async fn drained(
        self,
        shutdown: tokio::sync::watch::Receiver<bool>,
        grace: std::time::Duration,
        handle: Arc<std::sync::OnceLock<actix_web::dev::ServerHandle>>,
    ) {
        crate::mail::worker::stopping(shutdown).await;
        let deadline = tokio::time::Instant::now() + grace;
        if let Some(h) = handle.get() {
            h.pause().await;
        }
        while self.count() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        if self.count() > 0
            && let Some(h) = handle.get()
        {
            // The grace is over: close what is left now rather than grant actix's own
            // graceful wait a second grace. This stop is taken from the command channel,
            // which the server reads only while this future is pending (the command is sent
            // when `stop` is called; its completion is not needed).
            drop(h.stop(false));
            std::future::pending::<()>().await;
        }
    }
}

/// Runs `tick` at start and then every `schedule_poll`, until shutdown. Each tick logs its own
/// failure and is simply tried again at the next one.
async fn every_poll<F, Fut>(
    state: web::Data<AppState>,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
    tick: F,
) where
    F: Fn(web::Data<AppState>) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    loop {
        if *shutdown.borrow() {
            return;
        }
        tick(state.clone()).await;
        tokio::select! {
            () = tokio::time::sleep(state.config.schedule_poll) => {}
            changed = shutdown.changed() => {
                if changed.is_err() {
                    return;
                }
            }
        }
    }
}

/// Publishes the results whose scheduled time has come (`services::schedule::publish_due`);
/// wakes the outbox worker when it queued the announcement.
async fn publish_on_schedule(state: web::Data<AppState>) {
    let now = state.now();
    let cfg = state.config.clone();
    match state
        .db
        .call(move |c| crate::services::schedule::publish_due(c, &cfg, now))
        .await
    {
        Ok(done) => {
            if done.editions > 0 {
                crate::web::personal_cache::raise_version(&state).await;
                tracing::info!(
                    editions = done.editions,
                    messages = done.messages,
                    "scheduled results published"
                );
            }
            if done.messages > 0 {
                state.wake_mailer();
            }
        }
        Err(e) => tracing::error!(error = %e, "scheduled publication failed; retrying"),
    }
}

/// Sends the organisers' daily digests when due (`services::notices::send_digests`); each
/// organiser's digest is claimed in the database, so with several instances it goes out once.
async fn send_digests(state: web::Data<AppState>) {
    let now = state.now();
    let cfg = state.config.clone();
    match state
        .db
        .call(move |c| crate::services::notices::send_digests(c, &cfg, now))
        .await
    {
        Ok(done) => {
            if done.sent > 0 {
                tracing::info!(digests = done.sent, "organisers' digests queued");
                state.wake_mailer();
            }
        }
        Err(e) => tracing::error!(error = %e, "organisers' digest failed; retrying"),
    }
}
