//! Test support: the real server on a random port over a fresh database (SQLite file or a new
//! PostgreSQL database), a real SMTP server, and a cookie-keeping HTTP client.

pub mod client;
pub mod judging;
pub mod s3;
pub mod smtp;
pub mod webdriver;

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use actix_web::dev::ServerHandle;
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use konkurs::config::{Config, ServeArgs, StorageArgs};
use konkurs::db::DbConn;
use konkurs::web::AppState;

pub use client::{Client, Page};
pub use smtp::SmtpSink;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Runs `f` on both backends: the same test, the same assertions.
#[macro_export]
macro_rules! both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                let f: fn($crate::support::TestApp) = $body;
                if let Some(app) = $crate::support::TestApp::spawn($crate::support::Backend::Sqlite)
                {
                    f(app)
                }
            }
            #[test]
            fn postgres() {
                let f: fn($crate::support::TestApp) = $body;
                if let Some(app) =
                    $crate::support::TestApp::spawn($crate::support::Backend::Postgres)
                {
                    f(app)
                }
            }
        }
    };
}

pub fn ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

fn pg_admin_url() -> String {
    std::env::var("KONKURS_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into())
}

/// A PostgreSQL database made for one test and dropped after it.
pub struct PgDatabase {
    pub name: String,
    pub url: String,
}

impl PgDatabase {
    pub fn create() -> Option<PgDatabase> {
        let admin = format!("{}/postgres", pg_admin_url());
        let mut conn = match PgConnection::establish(&admin) {
            Ok(c) => c,
            Err(e) => {
                if ci() {
                    panic!("PostgreSQL is required with CI=true but unreachable at {admin}: {e}");
                }
                eprintln!("SKIPPED: PostgreSQL test (no server at {admin}: {e})");
                return None;
            }
        };
        let name = format!("konkurs_test_{}", &konkurs::domain::token::generate()[..16]);
        conn.batch_execute(&format!("CREATE DATABASE {name}"))
            .expect("create test database");
        Some(PgDatabase {
            url: format!("{}/{name}", pg_admin_url()),
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        if let Ok(mut conn) = PgConnection::establish(&format!("{}/postgres", pg_admin_url())) {
            let _ = conn.batch_execute(&format!(
                "DROP DATABASE IF EXISTS {} WITH (FORCE)",
                self.name
            ));
        }
    }
}

pub struct TestApp {
    pub base: String,
    pub smtp: SmtpSink,
    pub state: actix_web::web::Data<AppState>,
    pub setup_link: Option<String>,
    pub dir: PathBuf,
    /// The bucket attachments go to, for apps started with `spawn_s3`.
    pub s3: Option<s3::S3Bucket>,
    handle: ServerHandle,
    thread: Option<std::thread::JoinHandle<()>>,
    // Dropped last: the server must stop before its database goes.
    pg: Option<PgDatabase>,
}

pub struct Options {
    pub smtp: bool,
    pub session_idle: Option<Duration>,
    /// `KONKURS_TRUSTED_PROXIES` (the test client's peer is 127.0.0.1).
    pub trusted_proxies: Option<String>,
    /// Rows per page of the organisers' lists, set directly (below KONKURS_PAGE_SIZE's minimum
    /// of 10, so a few rows make several pages).
    pub page_size: Option<i64>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            smtp: true,
            // Tests move the clock by weeks past deadlines; the people in them stay logged in
            // (`idle_sessions_expire` sets its own).
            session_idle: Some(Duration::from_secs(365 * 24 * 60 * 60)),
            trusted_proxies: None,
            page_size: None,
        }
    }
}

impl TestApp {
    pub fn spawn(backend: Backend) -> Option<TestApp> {
        Self::spawn_with(backend, Options::default())
    }

    pub fn spawn_with(backend: Backend, opts: Options) -> Option<TestApp> {
        Self::spawn_in(backend, opts, None)
    }

    /// An app keeping attachments in a fresh bucket of the test S3 server (None: skipped).
    pub fn spawn_s3(backend: Backend) -> Option<TestApp> {
        let bucket = s3::S3Bucket::create()?;
        Self::spawn_in(backend, Options::default(), Some(bucket))
    }

    fn spawn_in(backend: Backend, opts: Options, s3: Option<s3::S3Bucket>) -> Option<TestApp> {
        let pg = match backend {
            Backend::Postgres => Some(PgDatabase::create()?),
            Backend::Sqlite => None,
        };
        Some(Self::spawn_over(pg, opts, s3, None))
    }

    /// An app over a PostgreSQL database that other instances already use (it owns the
    /// database from now on: dropped with the app), their bucket and their mail server.
    pub fn spawn_on(pg: PgDatabase, s3: Option<s3::S3Bucket>, smtp: SmtpSink) -> TestApp {
        Self::spawn_over(Some(pg), Options::default(), s3, Some(smtp))
    }

    fn spawn_over(
        pg: Option<PgDatabase>,
        opts: Options,
        s3: Option<s3::S3Bucket>,
        smtp: Option<SmtpSink>,
    ) -> TestApp {
        let dir = std::env::temp_dir().join(format!(
            "konkurs-it-{}",
            &konkurs::domain::token::generate()[..12]
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let db_url = match &pg {
            Some(p) => p.url.clone(),
            None => format!("sqlite://{}", dir.join("test.db").display()),
        };
        let smtp = smtp.unwrap_or_else(SmtpSink::start);
        let (handle, thread, state, setup_link, base) = start_server(
            &dir,
            &db_url,
            "127.0.0.1:0",
            opts.smtp.then(|| smtp.url()),
            &opts,
            storage_args(s3.as_ref()),
        );
        TestApp {
            base,
            smtp,
            state,
            setup_link,
            dir,
            s3,
            handle,
            thread: Some(thread),
            pg,
        }
    }

    /// Stops the server and starts a new one over the same database (and the same SMTP sink
    /// when `smtp` is true).
    pub fn restart(&mut self, smtp: bool) {
        self.stop();
        let db_url = match &self.pg {
            Some(p) => p.url.clone(),
            None => format!("sqlite://{}", self.dir.join("test.db").display()),
        };
        // Same address as before: links already sent by email must keep working.
        let bind = self.base.trim_start_matches("http://").to_string();
        let (handle, thread, state, setup_link, base) = start_server(
            &self.dir,
            &db_url,
            &bind,
            smtp.then(|| self.smtp.url()),
            &Options {
                session_idle: None,
                ..Options::default()
            },
            storage_args(self.s3.as_ref()),
        );
        self.handle = handle;
        self.thread = Some(thread);
        self.state = state;
        self.setup_link = setup_link;
        self.base = base;
    }

    /// A second instance of the portal over the same database (another process in production:
    /// its own server, outbox worker and data directory), sending to the same SMTP server.
    /// Drop it before `self`, which owns the database.
    pub fn second_instance(&self) -> TestApp {
        let dir = std::env::temp_dir().join(format!(
            "konkurs-it-{}",
            &konkurs::domain::token::generate()[..12]
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let db_url = match &self.pg {
            Some(p) => p.url.clone(),
            None => format!("sqlite://{}", self.dir.join("test.db").display()),
        };
        let (handle, thread, state, setup_link, base) = start_server(
            &dir,
            &db_url,
            "127.0.0.1:0",
            Some(self.smtp.url()),
            &Options::default(),
            storage_args(self.s3.as_ref()),
        );
        TestApp {
            base,
            smtp: self.smtp.clone(),
            state,
            setup_link,
            dir,
            s3: self.s3.clone(),
            handle,
            thread: Some(thread),
            pg: None,
        }
    }

    /// Stops this app's server and outbox worker; its database (and bucket) stay for other
    /// instances until the app is dropped.
    pub fn halt(&mut self) {
        self.stop();
    }

    /// Like [`TestApp::halt`], and says whether the server's thread ended cleanly (`false`
    /// when it panicked, e.g. while its runtime dropped what was still running).
    pub fn halt_cleanly(&mut self) -> bool {
        self.stop()
    }

    /// Stops the server; false when its thread panicked.
    fn stop(&mut self) -> bool {
        let h = self.handle.clone();
        let stopping =
            std::thread::spawn(move || actix_web::rt::System::new().block_on(h.stop(true)));
        // Bounded: a server that does not stop is reported, not a suite that hangs (its
        // runtime waits for every blocking task it started before it ends).
        join_within(stopping, "the server's stop");
        let Some(t) = self.thread.take() else {
            return true;
        };
        let name = t.thread().name().map(str::to_string);
        let joined = join_within(t, "the server's thread");
        // tokio catches a panic in the drop of a task it cancels and only prints it: the hook
        // below notes the thread it happened on.
        let caught = name.is_some_and(|n| {
            SERVER_PANICS
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(&n)
        });
        !caught && !matches!(joined, Some(Err(_)))
    }

    pub fn client(&self) -> Client {
        Client::new(&self.base)
    }

    /// Direct database access, to check what was stored.
    pub fn db<T>(&self, f: impl FnOnce(&mut DbConn) -> T) -> T {
        let mut conn = self.state.db.conn().expect("db connection");
        f(&mut conn)
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// The time by this app's clock (what its handlers and outbox worker see).
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.state.clock.now()
    }

    /// Moves this app's clock forward: deadlines and expiries pass without sleeping.
    pub fn advance(&self, by: chrono::Duration) {
        self.state.clock.advance(by);
    }
}

/// Numbers the server threads (`konkurs-server-N`).
static SERVERS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);

/// The names of server threads on which something panicked.
static SERVER_PANICS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Notes every panic on a server thread (`konkurs-server-N`), then reports it as usual.
fn watch_server_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let report = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if let Some(name) = std::thread::current().name()
                && name.starts_with("konkurs-server-")
            {
                SERVER_PANICS
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(name.to_string());
            }
            report(info);
        }));
    });
}

/// Joins `t` if it ends within 60 s; otherwise leaves it running and says so.
fn join_within<T>(t: std::thread::JoinHandle<T>, what: &str) -> Option<std::thread::Result<T>> {
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while !t.is_finished() {
        if std::time::Instant::now() > deadline {
            eprintln!("WARNING: {what} did not end within 60 s; left running");
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    Some(t.join())
}

impl Drop for TestApp {
    fn drop(&mut self) {
        let _ = self.stop();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

type Started = (
    ServerHandle,
    std::thread::JoinHandle<()>,
    actix_web::web::Data<AppState>,
    Option<String>,
    String,
);

fn start_server(
    dir: &std::path::Path,
    db_url: &str,
    bind: &str,
    smtp: Option<String>,
    opts: &Options,
    storage: StorageArgs,
) -> Started {
    let mut args = serve_args(dir);
    args.trusted_proxies.clone_from(&opts.trusted_proxies);
    args.storage = storage;
    args.db.database_url = Some(db_url.to_string());
    args.bind = bind.into();
    args.smtp_url = smtp;
    args.secret_key =
        Some(konkurs::domain::token::generate() + &konkurs::domain::token::generate());
    let mut config = Config::from_args(&args).expect("config");
    config.mail_poll = Duration::from_millis(200);
    config.schedule_poll = Duration::from_millis(200);
    // Enough that parallel-request tests wait on row locks, never on the pool, on a loaded machine.
    config.db_pool_size = 8;
    if let Some(idle) = opts.session_idle {
        config.session_idle = idle;
    }
    if let Some(size) = opts.page_size {
        config.page_size = size;
    }
    let (tx, rx) = mpsc::channel();
    watch_server_panics();
    let n = SERVERS.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let thread = std::thread::Builder::new()
        .name(format!("konkurs-server-{n}"))
        .spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let running = konkurs::startup::build(config).expect("server starts");
                let base = running.state.config.base_url.clone();
                tx.send((
                    running.server.handle(),
                    running.state.clone(),
                    running.setup_link.clone(),
                    base,
                ))
                .unwrap();
                let _ = running.server.await;
            });
        })
        .expect("server thread");
    let (handle, state, setup_link, base) = rx
        .recv_timeout(Duration::from_secs(60))
        .expect("server started");
    (handle, thread, state, setup_link, base)
}

/// `konkurs serve` with every flag at its default, on SQLite in `data_dir`, on a free port.
pub fn serve_args(data_dir: &std::path::Path) -> ServeArgs {
    ServeArgs {
        mail_from: "Konkurs <konkurs@test.example>".into(),
        ..ServeArgs::local(data_dir)
    }
}

/// The default directory, or the given bucket.
fn storage_args(s3: Option<&s3::S3Bucket>) -> StorageArgs {
    s3.map(s3::S3Bucket::args).unwrap_or_default()
}

// ---------------------------------------------------------------------------------------------
// Scenario helpers: the steps many tests start from, done the way a user does them.

pub const PASSWORD: &str = "długie hasło testowe 1";

pub struct Registered {
    pub email: String,
    pub client: Client,
}

/// A complete, valid registration form for `institution` and `email`; `overrides` replace fields.
pub fn registration<'a>(
    institution: &'a str,
    email: &'a str,
    overrides: &[(&'static str, &'a str)],
) -> Vec<(&'static str, &'a str)> {
    let mut form = vec![
        ("institution_name", institution),
        ("kind", "gmina_miejsko_wiejska"),
        ("teryt", "1418043"),
        ("street", "ul. Kościuszki 5"),
        ("postal_code", "05-500"),
        ("city", "Piaseczno"),
        ("phone", "22 701 75 00"),
        ("name", "Anna Nowak"),
        ("email", email),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
        ("consent", "yes"),
    ];
    for (k, v) in overrides {
        form.retain(|(fk, _)| fk != k);
        form.push((k, v));
    }
    form
}

/// Registers an institution through the form, confirms the address from the email, logs in.
pub fn register_applicant(app: &TestApp, email: &str, institution: &str) -> Registered {
    let c = app.client();
    let before = app.smtp.count_to(email);
    let page = c.submit(
        "/register",
        "/register",
        &registration(institution, email, &[]),
    );
    assert_eq!(page.status, 200, "registration failed: {}", page.body);
    assert!(page.url.ends_with("/register/sent"), "{}", page.url);
    let mail = app.smtp.wait_for(email, before);
    let link = mail.link(&app.url("/verify?token="));
    let confirm = c.get_abs(&link);
    assert_eq!(confirm.status, 200);
    let done = c.submit_abs(&link, "/verify", &[]);
    assert!(done.url.ends_with("/login"), "{}", done.url);
    login(&c, email, PASSWORD);
    Registered {
        email: email.to_string(),
        client: c,
    }
}

pub fn login(c: &Client, email: &str, password: &str) -> Page {
    let page = c.submit(
        "/login",
        "/login",
        &[("email", email), ("password", password)],
    );
    assert_eq!(page.status, 200, "login failed: {}", page.body);
    assert!(page.url.ends_with("/account"), "login went to {}", page.url);
    page
}

/// Creates the first organiser through the one-time set-up link and logs them in.
pub fn organiser(app: &TestApp) -> Client {
    let link = app
        .setup_link
        .clone()
        .expect("a fresh database offers a set-up link");
    let c = app.client();
    let page = c.submit_abs(
        &link,
        "/setup",
        &[
            ("name", "Olga Organizatorka"),
            ("email", "olga@mazovia.example"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    );
    assert!(
        page.url.ends_with("/account"),
        "set-up went to {} ({})",
        page.url,
        page.status
    );
    c
}

// ---------------------------------------------------------------------------------------------
// Editions and entries

/// A time as typed into a `datetime-local` field, in Warsaw time, to the second.
pub fn warsaw(t: chrono::NaiveDateTime) -> String {
    konkurs::domain::time::in_warsaw(t)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string()
}

pub struct Call {
    pub edition_id: i32,
    /// Category ids in order (I, II, III for the model).
    pub categories: Vec<i32>,
}

/// Creates an edition from the model through the organisers' form and opens its call, which
/// closes `closes_in` from now (by the app's clock; `close_call` moves past it).
pub fn open_call(app: &TestApp, org: &Client, slug: &str, closes_in: chrono::Duration) -> Call {
    let now = app.now();
    let opens = warsaw(now - chrono::Duration::hours(1));
    let closes = warsaw(now + closes_in);
    let judging = warsaw(now + closes_in + chrono::Duration::days(30));
    let page = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VI edycja"),
            ("name_en", "6th edition"),
            ("year", "2026"),
            ("slug", slug),
            ("opens_at", &opens),
            ("closes_at", &closes),
            ("judging_deadline", &judging),
            ("entries_per_category", "1"),
            (
                "rules",
                "# Regulamin\n\nZgłoszenia przyjmujemy **do terminu**.",
            ),
            (
                "rules_en",
                "# Rules\n\nEntries are accepted **until the deadline**.",
            ),
        ],
    );
    assert_eq!(page.status, 200, "edition not created: {}", page.body);
    let edition_id: i32 = page
        .url
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .expect("edition page");
    let opened = confirm(
        org,
        org.get(&format!("/admin/editions/{edition_id}/state?to=open")),
    );
    assert_eq!(opened.status, 200, "call not opened: {}", opened.body);
    opened.assert_contains("nabór zgłoszeń");
    let categories = app.db(|c| {
        use diesel::prelude::*;
        use konkurs::db::schema::categories;
        categories::table
            .filter(categories::edition_id.eq(edition_id))
            .order(categories::position)
            .select(categories::id)
            .load(c)
            .unwrap()
    });
    Call {
        edition_id,
        categories,
    }
}

/// A complete entry form for `category` with `title`; `overrides` replace fields.
pub fn entry_form(
    category: i32,
    title: &str,
    overrides: &[(&'static str, &str)],
) -> Vec<(&'static str, String)> {
    let mut f: Vec<(&'static str, String)> = vec![
        ("category_id", category.to_string()),
        ("title", title.to_string()),
        (
            "summary",
            "Portal map i danych przestrzennych gminy, dostępny dla mieszkańców.".into(),
        ),
        (
            "description",
            "Opis wdrożenia: cele, rozwiązanie, efekty i korzyści dla mieszkańców.".into(),
        ),
        ("started_on", "2024-02-01".into()),
        ("launched_on", "2025-06-30".into()),
        ("budget", "480 000,00".into()),
        ("funding", "Budżet gminy".into()),
        ("partners", "".into()),
        (
            "links",
            "https://mapy.gmina.example\nhttps://gmina.example/e-uslugi".into(),
        ),
        ("contact_name", "Anna Nowak".into()),
        ("contact_email", "anna@gmina.example".into()),
        ("contact_phone", "22 701 75 00".into()),
        ("accepted_rules", "yes".into()),
        ("accepted_privacy", "yes".into()),
        // The form's "review and submit" button: it saves and leads to the confirmation page.
        ("action", "review".into()),
    ];
    for (k, v) in overrides {
        f.retain(|(fk, _)| fk != k);
        f.push((k, v.to_string()));
    }
    f
}

/// Presses the button of a confirmation page (the page a final step leads to). A page that
/// is not a confirmation page (a form refused with its errors) is given back as it is.
pub fn confirm(c: &Client, page: Page) -> Page {
    let Some(button) = page.body.find("name=\"confirm\" value=\"yes\"") else {
        return page;
    };
    let marker = "<form method=\"post\" action=\"";
    let start = page.body[..button]
        .rfind(marker)
        .expect("the button's form")
        + marker.len();
    let end = start + page.body[start..].find('"').unwrap();
    let action = page.body[start..end].to_string();
    // The button's own name and value go with the form, as a browser sends them.
    c.submit_on(&page, &action, &[("confirm", "yes")])
}

/// Submits an entry the way an applicant does: the form's "review and submit" button saves it
/// and opens the confirmation page, whose button submits it.
pub fn submit_entry(c: &Client, page_path: &str, action: &str, fields: &[(&str, &str)]) -> Page {
    let review = c.submit(page_path, action, fields);
    confirm(c, review)
}

pub fn pairs<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, v)| (*k, v.as_str())).collect()
}

/// A small but real PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Count 0/Kids[]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

/// Moves the app's clock to one second after the edition's deadline for entries.
pub fn close_call(app: &TestApp, edition_id: i32) {
    use diesel::prelude::*;
    use konkurs::db::schema::editions;
    let deadline: chrono::NaiveDateTime = app.db(|c| {
        editions::table
            .find(edition_id)
            .select(editions::closes_at)
            .first(c)
            .unwrap()
    });
    app.advance(deadline - app.now() + chrono::Duration::seconds(1));
}
