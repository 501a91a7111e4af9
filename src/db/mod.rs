//! Database access: one connection type over SQLite and PostgreSQL, chosen at run time from the
//! URL scheme, a pool, migrations for each backend, and one file of queries per area.

pub mod audit;
pub mod awards;
pub mod chain;
pub mod charts;
pub mod editions;
pub mod entries;
pub mod enums;
pub mod institutions;
pub mod jury;
pub mod notices;
pub mod outbox;
pub mod rodo;
pub mod schema;
pub mod sessions;
pub mod site;
mod sqlite_plans;
pub mod throttle;
pub mod tokens;
pub mod two_factor;
pub mod users;

use std::path::PathBuf;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use diesel::pg::PgConnection;
use diesel::prelude::*;
use diesel::r2d2::{self, ManageConnection};
use diesel::sqlite::SqliteConnection;
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
const PG_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");
/// The PostgreSQL advisory lock key that serialises migrations across instances ("konkurs" in
/// ASCII, so it does not collide with another application's key by chance).
const MIGRATION_LOCK: i64 = 0x006b_6f6e_6b75_7273;

/// One connection type for both backends, so every query is written once.
#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Pg(PgConnection),
    Sqlite(SqliteConnection),
}

pub type DbResult<T> = Result<T, diesel::result::Error>;

/// Where the data lives, parsed from `DATABASE_URL` once at start.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DbUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

impl DbUrl {
    /// `postgres://` or `postgresql://` selects PostgreSQL; `sqlite://PATH`, `sqlite:PATH` or a
    /// plain path selects SQLite. Anything else with a scheme is refused rather than guessed.
    pub fn parse(url: &str) -> Result<DbUrl, String> {
        let url = url.trim();
        if url.is_empty() {
            return Err("DATABASE_URL is empty".into());
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Ok(DbUrl::Postgres(url.to_string()));
        }
        if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() || path.starts_with(":memory:") {
                return Err("an SQLite database needs a file path (':memory:' is one database per connection)".into());
            }
            return Ok(DbUrl::Sqlite(PathBuf::from(path)));
        }
        if let Some((scheme, _)) = url.split_once(':') {
            let looks_like_scheme = !scheme.is_empty()
                && scheme.len() > 1
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-' || c == '.');
            if looks_like_scheme {
                return Err(format!(
                    "unsupported database URL scheme '{scheme}:': use postgres://… or sqlite://PATH"
                ));
            }
        }
        Ok(DbUrl::Sqlite(PathBuf::from(url)))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DbUrl::Postgres(_) => "PostgreSQL",
            DbUrl::Sqlite(_) => "SQLite",
        }
    }

    /// The URL without a password, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DbUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DbUrl::Postgres(u) => {
                // The password may be in the user part or in the query (`?password=`).
                let (base, query) = u
                    .split_once('?')
                    .map_or((u.as_str(), None), |(b, q)| (b, Some(q)));
                let base = match (base.find("://"), base.rfind('@')) {
                    (Some(s), Some(at)) if at > s => {
                        let user = base[s + 3..at].split(':').next().unwrap_or("");
                        format!("{}{user}:***@{}", &base[..s + 3], &base[at + 1..])
                    }
                    _ => base.to_string(),
                };
                match query {
                    None => base,
                    Some(q) => {
                        let q: Vec<String> = q
                            .split('&')
                            .map(|kv| match kv.split_once('=') {
                                Some((k, _)) if k.eq_ignore_ascii_case("password") => {
                                    format!("{k}=***")
                                }
                                _ => kv.to_string(),
                            })
                            .collect();
                        format!("{base}?{}", q.join("&"))
                    }
                }
            }
        }
    }
}

/// An r2d2 manager that picks the backend from the URL (diesel's derived `establish` would try
/// each backend in turn and hide the real error).
pub struct Manager {
    url: DbUrl,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error("cannot connect: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("cannot set up the connection: {0}")]
    Setup(#[from] diesel::result::Error),
}

/// A pooled connection: the connection and what the pool needs to know about it. Derefs to
/// [`DbConn`], so queries take it as one.
pub struct Conn {
    inner: DbConn,
    /// When it last finished a piece of work (or was opened).
    last_used: std::time::Instant,
    /// It failed a check: the pool closes it instead of handing it out again.
    broken: bool,
}

impl std::ops::Deref for Conn {
    type Target = DbConn;
    fn deref(&self) -> &DbConn {
        &self.inner
    }
}

impl std::ops::DerefMut for Conn {
    fn deref_mut(&mut self) -> &mut DbConn {
        &mut self.inner
    }
}

/// A connection idle for longer than this is checked (`SELECT 1`) before it is handed out: it
/// may have been closed meanwhile (a database restart, an idle timeout on the server). One in
/// steady use is not, which saves a statement — a round trip on PostgreSQL — per checkout.
const CHECK_IF_IDLE: Duration = Duration::from_secs(2);

impl Conn {
    /// Whether the connection answers; marks it broken (closed by the pool) when it does not.
    fn check(&mut self) -> bool {
        let ok = self.inner.batch_execute("SELECT 1").is_ok();
        self.broken |= !ok;
        ok
    }
}

impl ManageConnection for Manager {
    type Connection = Conn;
    type Error = ConnectError;

    fn connect(&self) -> Result<Conn, ConnectError> {
        let inner = self.open()?;
        Ok(Conn {
            inner,
            last_used: std::time::Instant::now(),
            broken: false,
        })
    }

    fn is_valid(&self, conn: &mut Conn) -> Result<(), ConnectError> {
        Ok(conn.inner.batch_execute("SELECT 1")?)
    }

    fn has_broken(&self, conn: &mut Conn) -> bool {
        conn.broken
    }
}

impl Manager {
    fn open(&self) -> Result<DbConn, ConnectError> {
        match &self.url {
            DbUrl::Postgres(url) => {
                let mut conn = PgConnection::establish(url)?;
                conn.batch_execute("SET TIME ZONE 'UTC'")?;
                Ok(DbConn::Pg(conn))
            }
            DbUrl::Sqlite(path) => {
                let path = path.to_string_lossy();
                sqlite_plans::install();
                let mut conn = SqliteConnection::establish(&path)?;
                // Per connection: wait instead of failing on a locked database, enforce foreign keys,
                // and a page cache of 1 MiB instead of 2 (every pooled connection has its own; the
                // operating system caches the file for all of them).
                conn.batch_execute(
                    "PRAGMA busy_timeout = 10000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; \
                     PRAGMA cache_size = -1024;",
                )
                ?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }
}

pub type Pool = r2d2::Pool<Manager>;

/// The shared handle every handler gets: a pool, used off the async threads.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    pub url: DbUrl,
    /// SQLite: a shared lock on the database's lock file while this handle lives, so that
    /// `konkurs restore` refuses to replace the file under a running portal.
    _in_use: Option<std::sync::Arc<std::fs::File>>,
}

/// A failure below the services: no connection, a failed query, a lost blocking task, or a row
/// that must exist and does not. Each keeps its cause as its `source`; the message repeats the
/// cause's too, for the many log lines that print only `%e` ([`crate::web::error::chain`] skips
/// the repetition).
#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("database unavailable: {0}")]
    Pool(#[from] r2d2::PoolError),
    #[error("database error: {0}")]
    Query(#[from] diesel::result::Error),
    #[error("database task canceled: {0}")]
    Canceled(#[source] actix_web::rt::task::JoinError),
    /// A row the caller relies on (the logged-in user, the inviter's institution) is gone.
    #[error("missing row: {0}")]
    Missing(&'static str),
}

impl Db {
    /// Opens the pool and applies pending migrations of the selected backend.
    pub fn open(url: DbUrl, max_size: u32) -> Result<Db, String> {
        let db = Db::connect(url, max_size, Duration::ZERO)?;
        db.migrate()?;
        Ok(db)
    }

    /// Opens the pool, waiting up to `wait` for the database to answer (it may be starting
    /// alongside the portal), with a log line for each failed try.
    pub fn connect(url: DbUrl, max_size: u32, wait: Duration) -> Result<Db, String> {
        if let DbUrl::Sqlite(path) = &url
            && let Some(dir) = path.parent()
            && !dir.as_os_str().is_empty()
        {
            crate::storage::create_private_dir(dir)
                .map_err(|e| format!("cannot create directory {}: {e}", dir.display()))?;
        }
        let mut in_use = None;
        if let DbUrl::Sqlite(path) = &url {
            create_private_file(path)
                .map_err(|e| format!("cannot create the database {}: {e}", path.display()))?;
            in_use = Some(std::sync::Arc::new(sqlite_in_use(path)?));
        }
        let pool = r2d2::Pool::builder()
            .max_size(max_size)
            .min_idle(Some(1))
            // Checked in `checkout` only when idle for a while (see `CHECK_IF_IDLE`).
            .test_on_check_out(false)
            .connection_timeout(Duration::from_secs(10))
            .build_unchecked(Manager { url: url.clone() });
        let deadline = std::time::Instant::now() + wait;
        loop {
            match pool.get_timeout(Duration::from_secs(2)) {
                Ok(_) => break,
                Err(e) if std::time::Instant::now() < deadline => {
                    tracing::warn!(
                        database = %url.redacted(), error = %e,
                        "the database does not answer yet; trying again for up to {} s",
                        wait.as_secs()
                    );
                    std::thread::sleep(Duration::from_secs(1));
                }
                Err(e) => {
                    return Err(format!(
                        "cannot connect to {} ({}): {e}",
                        url.backend_name(),
                        url.redacted()
                    ));
                }
            }
        }
        Ok(Db {
            pool,
            url,
            _in_use: in_use,
        })
    }

    /// Fails unless every migration of this program has been applied (for `--no-migrate`,
    /// where `konkurs migrate` is a deployment step of its own).
    pub fn check_migrated(&self) -> Result<(), String> {
        let mut conn = self.pool.get().map_err(|e| e.to_string())?;
        Self::schema_current(&mut conn)
    }

    /// Readiness: a connection within `within`, and the schema at this program's latest
    /// migration. The error says which is wrong.
    pub fn ready(&self, within: Duration) -> Result<(), String> {
        let mut conn = self
            .pool
            .get_timeout(within)
            .map_err(|e| format!("database unavailable: {e}"))?;
        conn.batch_execute("SELECT 1")
            .map_err(|e| format!("database unavailable: {e}"))?;
        Self::schema_current(&mut conn)
    }

    fn schema_current(conn: &mut DbConn) -> Result<(), String> {
        let pending = match conn {
            DbConn::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
            DbConn::Pg(c) => c.has_pending_migration(PG_MIGRATIONS),
        }
        .map_err(|e| format!("cannot read the applied migrations: {e}"))?;
        if pending {
            return Err(
                "the database schema is older than this program; run `konkurs migrate` first"
                    .into(),
            );
        }
        Ok(())
    }

    ///
    /// Several instances may start at once on a fresh database: one applies the migrations while
    /// the others wait (PostgreSQL: an advisory lock held for the whole run; SQLite: one
    /// `BEGIN IMMEDIATE` transaction, the database's write lock), then find nothing to do.
    pub fn migrate(&self) -> Result<(), String> {
        let failed = |e: &dyn std::fmt::Display| format!("migrations failed: {e}");
        let mut conn = self.pool.get().map_err(|e| e.to_string())?;
        match &mut **conn {
            DbConn::Sqlite(c) => {
                // WAL is a property of the file: set once, before anything else (and outside
                // a transaction). Two instances setting it at once is harmless.
                c.batch_execute("PRAGMA journal_mode = WAL;")
                    .map_err(|e| e.to_string())?;
                c.immediate_transaction(|c| {
                    c.run_pending_migrations(SQLITE_MIGRATIONS)
                        .map(|_| ())
                        .map_err(diesel::result::Error::QueryBuilderError)
                })
                .map_err(|e| failed(&e))?;
                tx(&mut conn, entries::backfill_search_keys).map_err(|e| failed(&e))?;
            }
            DbConn::Pg(c) => {
                c.batch_execute(&format!("SELECT pg_advisory_lock({MIGRATION_LOCK})"))
                    .map_err(|e| failed(&e))?;
                let result = c
                    .run_pending_migrations(PG_MIGRATIONS)
                    .map(|_| ())
                    .map_err(|e| failed(&e));
                // Under the same lock: the search keys of rows older than them.
                let result = result.and_then(|()| {
                    tx(&mut conn, entries::backfill_search_keys)
                        .map(|_| ())
                        .map_err(|e| failed(&e))
                });
                // Released before the error is looked at; the session ending releases it too.
                let unlocked =
                    conn.batch_execute(&format!("SELECT pg_advisory_unlock({MIGRATION_LOCK})"));
                result?;
                unlocked.map_err(|e| failed(&e))?;
            }
        }
        // Migrations and the backfill may change what the signed-in pages other instances keep
        // show (`web::personal_cache`).
        sessions::bump_list_version(&mut conn).map_err(|e| failed(&e))?;
        Ok(())
    }

    /// Connections of this instance's pool: (in use, idle), for the metrics endpoint.
    pub fn pool_use(&self) -> (u32, u32) {
        let s = self.pool.state();
        (s.connections - s.idle_connections, s.idle_connections)
    }

    /// A connection for blocking code (CLI, worker threads, tests).
    pub fn conn(&self) -> Result<r2d2::PooledConnection<Manager>, DbError> {
        Ok(checkout(&self.pool)?)
    }

    /// Runs blocking database work on the blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> Result<T, DbError>
    where
        F: FnOnce(&mut DbConn) -> Result<T, DbError> + Send + 'static,
        T: Send + 'static,
    {
        self.call(f).await
    }

    /// [`Db::run`] for a service call: the result has the service's own error type, which takes
    /// a failure to get a connection (or a lost task) as its `Db` variant — one `Result`, not a
    /// service's result inside the database's.
    pub async fn call<T, E, F>(&self, f: F) -> Result<T, E>
    where
        F: FnOnce(&mut DbConn) -> Result<T, E> + Send + 'static,
        T: Send + 'static,
        E: From<DbError> + Send + 'static,
    {
        let pool = self.pool.clone();
        actix_web::rt::task::spawn_blocking(move || {
            let mut conn = checkout(&pool).map_err(DbError::from)?;
            let result = f(&mut conn);
            // A failure may be the connection's: check it, so a dead one is not handed out again.
            if result.is_err() {
                conn.check();
            }
            conn.last_used = std::time::Instant::now();
            result
        })
        .await
        .map_err(DbError::Canceled)?
    }
}

/// A connection from the pool; one idle for a while is checked first, and a dead one is closed
/// and replaced (at most once per connection the pool can hold, then the pool's own wait).
fn checkout(pool: &Pool) -> Result<r2d2::PooledConnection<Manager>, r2d2::PoolError> {
    for _ in 0..pool.max_size() {
        let mut conn = pool.get()?;
        if conn.last_used.elapsed() < CHECK_IF_IDLE || conn.check() {
            return Ok(conn);
        }
    }
    pool.get()
}

/// Implements `From<diesel::result::Error>` for a service error whose `Db` variant holds a
/// [`DbError`] (`Db(#[from] DbError)`), so `?` on a query and [`tx`] work inside the service.
macro_rules! query_errors_into_db {
    ($($t:ty),+ $(,)?) => {$(
        impl From<diesel::result::Error> for $t {
            fn from(e: diesel::result::Error) -> Self {
                Self::Db(e.into())
            }
        }
    )+};
}
pub(crate) use query_errors_into_db;

/// Runs one statement on the concrete backend's connection, for what `MultiConnection` cannot
/// express: a multi-row `INSERT` of a `Vec` and `ON CONFLICT DO NOTHING` (both backends support
/// them; the query is written once and type-checked for each):
/// `on_backend!(c, |conn| diesel::insert_into(t).values(&rows).execute(conn))`.
macro_rules! on_backend {
    ($c:expr, |$conn:ident| $body:expr) => {
        match $c {
            $crate::db::DbConn::Pg($conn) => $body,
            $crate::db::DbConn::Sqlite($conn) => $body,
        }
    };
}
pub(crate) use on_backend;

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE` so a read-then-write never
/// fails with SQLITE_BUSY when another connection wrote in between; on PostgreSQL it is a plain
/// transaction. The closure must not open a transaction of its own.
pub fn tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Pg(_) => conn.transaction(f),
        DbConn::Sqlite(_) => {
            conn.batch_execute("BEGIN IMMEDIATE")?;
            match f(conn) {
                Ok(v) => {
                    if let Err(e) = conn.batch_execute("COMMIT") {
                        let _ = conn.batch_execute("ROLLBACK");
                        return Err(e.into());
                    }
                    Ok(v)
                }
                Err(e) => {
                    let _ = conn.batch_execute("ROLLBACK");
                    Err(e)
                }
            }
        }
    }
}

/// Locks one row until the end of the current transaction (opened with [`tx`]), so that a
/// "read, check, then write" after it cannot interleave with another transaction doing the same:
/// the second waits here until the first commits, then reads what the first wrote. Use it where a
/// rule spans rows no constraint can express (at most N entries, at most 5 attachments, one review
/// per juror and entry): lock the row that owns them (the institution, the entry, the edition)
/// before counting or looking.
///
/// PostgreSQL runs requests truly in parallel and each statement sees what was committed when it
/// started, so a count followed by an insert races without it. There it is
/// `SELECT … FOR NO KEY UPDATE`: the lock an UPDATE takes, which other lockers and writers of the
/// row wait for, but which still lets others insert rows that merely reference this one (a foreign
/// key takes only a key-share lock), so it cannot deadlock against such inserts.
///
/// On SQLite it does nothing: [`tx`] starts with `BEGIN IMMEDIATE`, which already admits one
/// writing transaction at a time to the whole database, so the read-check-write is serialised.
///
/// Lock order, to avoid deadlocks: edition, then institution, then entry.
pub fn lock_row(conn: &mut DbConn, table: &'static str, id: i32) -> DbResult<()> {
    lock(conn, table, id, "FOR NO KEY UPDATE")
}

/// Like [`lock_row`] but shared: any number of transactions may hold it at once, while a
/// [`lock_row`] (or an UPDATE) of the same row waits for all of them, and they for it. For work
/// that must not overlap a change of state of its parent (a score saved while the protocol is
/// being finalised) without serialising that work itself. A no-op on SQLite, as above.
pub fn share_row(conn: &mut DbConn, table: &'static str, id: i32) -> DbResult<()> {
    lock(conn, table, id, "FOR SHARE")
}

fn lock(conn: &mut DbConn, table: &'static str, id: i32, mode: &str) -> DbResult<()> {
    // The table name is spliced into the SQL: only fixed, plain names are accepted.
    assert!(
        !table.is_empty() && table.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
        "lock_row: not a table name: {table}"
    );
    match conn {
        DbConn::Pg(pg) => {
            diesel::sql_query(format!("SELECT id FROM {table} WHERE id = $1 {mode}"))
                .bind::<diesel::sql_types::Integer, _>(id)
                .execute(pg)?;
            Ok(())
        }
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// Creates an empty SQLite file readable by this user only (0600 on Unix), unless it exists:
/// SQLite then uses it as a new database, and gives its -wal and -shm files the same mode.
/// The lock file beside a SQLite database (`konkurs.db.lock`).
fn sqlite_lock_file(db: &std::path::Path) -> std::io::Result<std::fs::File> {
    let mut path = db.as_os_str().to_owned();
    path.push(".lock");
    let mut options = std::fs::OpenOptions::new();
    options.read(true).write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)
}

/// Marks the SQLite database at `db` as in use by this process (a shared lock, many holders).
fn sqlite_in_use(db: &std::path::Path) -> Result<std::fs::File, String> {
    let f = sqlite_lock_file(db)
        .map_err(|e| format!("cannot open the lock file of {}: {e}", db.display()))?;
    match f.try_lock_shared() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "{} is being restored from a backup; start again when that is done",
            db.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", db.display())),
    }
}

/// The SQLite database at `db` for this process alone (to replace it): refused while any
/// portal or command has it open. Released when the returned file is dropped.
pub fn sqlite_exclusive(db: &std::path::Path) -> Result<std::fs::File, String> {
    let f = sqlite_lock_file(db)
        .map_err(|e| format!("cannot open the lock file of {}: {e}", db.display()))?;
    match f.try_lock() {
        Ok(()) => Ok(f),
        Err(std::fs::TryLockError::WouldBlock) => Err(format!(
            "{} is in use by a running portal (or another konkurs command); stop it first",
            db.display()
        )),
        Err(std::fs::TryLockError::Error(e)) => Err(format!("cannot lock {}: {e}", db.display())),
    }
}

fn create_private_file(path: &std::path::Path) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// True when the error is a unique-constraint violation (a duplicate the user should be told about).
pub fn is_unique_violation(e: &diesel::result::Error) -> bool {
    matches!(
        e,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_selects_backend_by_scheme() {
        assert_eq!(
            DbUrl::parse("postgres://u@h/db").unwrap(),
            DbUrl::Postgres("postgres://u@h/db".into())
        );
        assert_eq!(
            DbUrl::parse("sqlite://data/x.db").unwrap(),
            DbUrl::Sqlite("data/x.db".into())
        );
        assert_eq!(
            DbUrl::parse("sqlite:x.db").unwrap(),
            DbUrl::Sqlite("x.db".into())
        );
        assert_eq!(
            DbUrl::parse("/tmp/k.db").unwrap(),
            DbUrl::Sqlite("/tmp/k.db".into())
        );
        assert_eq!(
            DbUrl::parse("konkurs.db").unwrap(),
            DbUrl::Sqlite("konkurs.db".into())
        );
        assert!(DbUrl::parse("mysql://x").is_err());
        assert!(DbUrl::parse("postgres:x").is_err());
        assert!(DbUrl::parse("sqlite://:memory:").is_err());
        assert!(DbUrl::parse("  ").is_err());
    }

    #[test]
    fn redacts_password() {
        let u = DbUrl::parse("postgres://app:s3cret@db:5432/k").unwrap();
        assert_eq!(u.redacted(), "postgres://app:***@db:5432/k");
        let u = DbUrl::parse("postgres://app@db/k?sslmode=require&password=p@ss&x=1").unwrap();
        assert_eq!(
            u.redacted(),
            "postgres://app:***@db/k?sslmode=require&password=***&x=1"
        );
    }
}
