//! Configuration from command-line flags and environment variables, validated once at start.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha2::{Digest, Sha512};

use crate::db::DbUrl;
use crate::storage::StorageUrl;

/// Flags shared by every command that opens the database.
#[derive(clap::Args, Clone, Debug)]
pub struct DbArgs {
    /// Database: `sqlite://PATH` or a plain path for SQLite, `postgres://…` for PostgreSQL
    /// [default: DATA_DIR/konkurs.db]
    #[arg(long, env = "DATABASE_URL", hide_env_values = true)]
    pub database_url: Option<String>,
    /// Directory for the SQLite file, the generated secret key and uploaded attachments
    #[arg(long, env = "KONKURS_DATA_DIR", default_value = "data")]
    pub data_dir: PathBuf,
    /// Seconds to wait at start for the database to answer
    #[arg(long, env = "KONKURS_DB_WAIT", default_value_t = 30)]
    pub db_wait: u64,
}

/// Where attachments are kept (any command that reads or writes them).
#[derive(clap::Args, Clone, Debug, Default)]
pub struct StorageArgs {
    /// Where attachments are kept: `file://PATH` or `s3://BUCKET?endpoint=URL&region=REGION`
    /// (any S3-compatible store) [default: file://DATA_DIR/uploads]
    #[arg(long, env = "KONKURS_STORAGE_URL")]
    pub storage_url: Option<String>,
    /// Access key for an s3:// storage
    #[arg(long, env = "KONKURS_S3_ACCESS_KEY", hide_env_values = true)]
    pub s3_access_key: Option<String>,
    /// Secret key for an s3:// storage
    #[arg(long, env = "KONKURS_S3_SECRET_KEY", hide_env_values = true)]
    pub s3_secret_key: Option<String>,
}

impl ServeArgs {
    /// Every flag at its default (as `konkurs serve` without flags or environment), on SQLite in
    /// `data_dir`, listening on a free local port: for tests and benchmarks, which change what
    /// they need with `..ServeArgs::local(dir)`.
    pub fn local(data_dir: &Path) -> ServeArgs {
        ServeArgs {
            db: DbArgs {
                database_url: None,
                data_dir: data_dir.to_path_buf(),
                db_wait: 0,
            },
            bind: "127.0.0.1:0".into(),
            base_url: None,
            smtp_url: None,
            mail_from: "Konkurs <konkurs@localhost>".into(),
            secret_key: None,
            db_pool_size: None,
            session_idle: 120,
            shutdown_grace: 10,
            page_size: 200,
            no_migrate: false,
            metrics_bind: None,
            trusted_proxies: None,
            storage: StorageArgs::default(),
        }
    }
}

impl StorageArgs {
    /// The configured storage; `data_dir` gives the default directory.
    pub fn storage_url(&self, data_dir: &Path) -> Result<StorageUrl, String> {
        StorageUrl::parse(
            non_empty(&self.storage_url).as_deref(),
            non_empty(&self.s3_access_key).as_deref(),
            non_empty(&self.s3_secret_key).as_deref(),
            &data_dir.join("uploads"),
        )
    }
}

/// Flags of `konkurs serve` (and `konkurs demo`).
#[derive(clap::Args, Clone, Debug)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DbArgs,
    /// Address and port to listen on
    #[arg(long, env = "KONKURS_BIND", default_value = "127.0.0.1:8080")]
    pub bind: String,
    /// Public address of the portal, used in links sent by email [default: http://BIND]
    #[arg(long, env = "KONKURS_BASE_URL")]
    pub base_url: Option<String>,
    /// SMTP server for outgoing mail, e.g. smtp://127.0.0.1:2525, smtp://user:pass@host:587?tls=required
    /// or smtps://host; without it messages stay in the outbox
    #[arg(long, env = "KONKURS_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// Sender of outgoing mail
    #[arg(
        long,
        env = "KONKURS_MAIL_FROM",
        default_value = "Konkurs <konkurs@localhost>"
    )]
    pub mail_from: String,
    /// Key for signing and encrypting cookies, at least 64 bytes [default: generated once into DATA_DIR/secret.key]
    #[arg(long, env = "KONKURS_SECRET_KEY", hide_env_values = true)]
    pub secret_key: Option<String>,
    /// Database connections kept open by this instance (1–256) [default: SQLite 2 per core, at least 4; PostgreSQL 16]
    #[arg(long, env = "KONKURS_DB_POOL_SIZE")]
    pub db_pool_size: Option<u32>,
    /// Minutes without a request after which a signed-in session ends (5–1440)
    #[arg(long, env = "KONKURS_SESSION_IDLE", default_value_t = 120)]
    pub session_idle: u64,
    /// Seconds that requests in flight may take to finish after SIGTERM or Ctrl-C (1–300)
    #[arg(long, env = "KONKURS_SHUTDOWN_GRACE", default_value_t = 10)]
    pub shutdown_grace: u64,
    /// Rows per page of the organisers' lists (entries, users, outbox, audit log) (10–1000)
    #[arg(long, env = "KONKURS_PAGE_SIZE", default_value_t = 200)]
    pub page_size: u64,
    /// Do not apply pending migrations at start (run `konkurs migrate` as a step of its own);
    /// the portal then refuses to start on an older schema
    #[arg(long, env = "KONKURS_NO_MIGRATE")]
    pub no_migrate: bool,
    /// Address and port for `/metrics` (Prometheus text format), e.g. 127.0.0.1:9090; off when
    /// unset. Keep it off the public network: it is not behind a login
    #[arg(long, env = "KONKURS_METRICS_BIND")]
    pub metrics_bind: Option<String>,
    /// Reverse proxies whose X-Forwarded-For and X-Forwarded-Proto are believed: comma-separated
    /// IPs or CIDR ranges (e.g. 127.0.0.1,10.0.0.0/8) [default: none]
    #[arg(long, env = "KONKURS_TRUSTED_PROXIES")]
    pub trusted_proxies: Option<String>,
    #[command(flatten)]
    pub storage: StorageArgs,
}

#[derive(Clone, Debug)]
pub struct Config {
    pub bind: String,
    pub base_url: String,
    pub data_dir: PathBuf,
    pub database_url: DbUrl,
    pub smtp_url: Option<String>,
    pub mail_from: String,
    /// 64 bytes derived from the configured secret (SHA-512), for actix's cookie `Key`.
    pub cookie_key: Vec<u8>,
    pub secure_cookies: bool,
    /// How often the outbox worker looks for due messages when nobody wakes it.
    pub mail_poll: Duration,
    /// How often the server looks for a scheduled publication of results that is due.
    pub schedule_poll: Duration,
    /// How long a session lives without any request.
    pub session_idle: Duration,
    pub db_pool_size: u32,
    /// How long to wait at start for the database to answer.
    pub db_wait: Duration,
    /// How long requests in flight may take to finish when the server is stopped.
    pub shutdown_grace: Duration,
    /// Rows per page of the organisers' lists.
    pub page_size: i64,
    /// Apply pending migrations at start (false: refuse to start on an older schema).
    pub migrate: bool,
    /// Where `/metrics` is served, when it is.
    pub metrics_bind: Option<String>,
    /// Peers whose forwarding headers name the client (empty: the TCP peer is the client).
    pub trusted_proxies: crate::domain::proxy::TrustedProxies,
    /// Where attachments are kept.
    pub storage: StorageUrl,
}

pub const MIN_SECRET_LEN: usize = 64;

fn in_range(name: &str, v: u64, min: u64, max: u64) -> Result<(), String> {
    if (min..=max).contains(&v) {
        Ok(())
    } else {
        Err(format!("{name} must be between {min} and {max}, got {v}"))
    }
}

fn non_empty(v: &Option<String>) -> Option<String> {
    v.as_ref()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

impl DbArgs {
    pub fn database_url(&self) -> Result<DbUrl, String> {
        match non_empty(&self.database_url) {
            Some(url) => DbUrl::parse(&url),
            None => Ok(DbUrl::Sqlite(self.data_dir.join("konkurs.db"))),
        }
    }
}

/// Connections when none is configured. SQLite works on this machine's cores with one writer at
/// a time: more connections than twice the cores add memory (each keeps its page cache, its
/// prepared statements and a blocking thread) and no speed (a juror's list under 16 clients: 4
/// connections served 40 % more requests than 16). PostgreSQL requests also wait on the network
/// and on locks, so more of them can be in progress.
fn default_pool_size(url: &DbUrl) -> u32 {
    match url {
        DbUrl::Sqlite(_) => {
            let cores = std::thread::available_parallelism().map_or(2, std::num::NonZero::get);
            u32::try_from(cores * 2).unwrap_or(16).clamp(4, 16)
        }
        DbUrl::Postgres(_) => 16,
    }
}

impl Config {
    pub fn from_args(args: &ServeArgs) -> Result<Config, String> {
        let data_dir = args.db.data_dir.clone();
        crate::storage::create_private_dir(&data_dir).map_err(|e| {
            format!(
                "cannot create the data directory {}: {e}",
                data_dir.display()
            )
        })?;
        let database_url = args.db.database_url()?;
        let db_pool_size = match args.db_pool_size {
            Some(n) => {
                in_range("KONKURS_DB_POOL_SIZE", n.into(), 1, 256)?;
                n
            }
            None => default_pool_size(&database_url),
        };
        in_range("KONKURS_SESSION_IDLE", args.session_idle, 5, 1440)?;
        in_range("KONKURS_SHUTDOWN_GRACE", args.shutdown_grace, 1, 300)?;
        in_range("KONKURS_PAGE_SIZE", args.page_size, 10, 1000)?;
        let bind = args.bind.trim().to_string();
        if bind.parse::<std::net::SocketAddr>().is_err() && !bind.contains(':') {
            return Err(format!("KONKURS_BIND must be HOST:PORT, got '{bind}'"));
        }
        let metrics_bind = non_empty(&args.metrics_bind);
        if let Some(m) = &metrics_bind
            && m.parse::<std::net::SocketAddr>().is_err()
            && !m.contains(':')
        {
            return Err(format!("KONKURS_METRICS_BIND must be HOST:PORT, got '{m}'"));
        }
        let base_url = match non_empty(&args.base_url) {
            Some(u) => u.trim_end_matches('/').to_string(),
            None => format!("http://{bind}"),
        };
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(format!(
                "KONKURS_BASE_URL must start with http:// or https://, got '{base_url}'"
            ));
        }
        let secret = match non_empty(&args.secret_key) {
            Some(s) => {
                check_secret(&s)?;
                s
            }
            None => load_or_create_secret(&data_dir.join("secret.key"))?,
        };
        let smtp_url = non_empty(&args.smtp_url);
        if let Some(url) = &smtp_url
            && !(url.starts_with("smtp://") || url.starts_with("smtps://"))
        {
            return Err("KONKURS_SMTP_URL must start with smtp:// or smtps://".into());
        }
        let storage = args.storage.storage_url(&data_dir)?;
        let mail_from = args.mail_from.trim().to_string();
        if mail_from.parse::<lettre::message::Mailbox>().is_err() {
            return Err(format!(
                "KONKURS_MAIL_FROM is not a valid address: '{mail_from}' (e.g. \"Konkurs <konkurs@example.org>\")"
            ));
        }
        let trusted_proxies = crate::domain::proxy::TrustedProxies::parse(
            args.trusted_proxies.as_deref().unwrap_or(""),
        )
        .map_err(|e| {
            format!(
                "KONKURS_TRUSTED_PROXIES: {e} (expected IPs or CIDR ranges separated by commas)"
            )
        })?;
        Ok(Config {
            secure_cookies: base_url.starts_with("https://"),
            bind,
            base_url,
            data_dir,
            database_url,
            smtp_url,
            mail_from,
            cookie_key: Sha512::digest(secret.as_bytes()).to_vec(),
            mail_poll: Duration::from_secs(5),
            schedule_poll: Duration::from_secs(20),
            session_idle: Duration::from_secs(60 * args.session_idle),
            db_pool_size,
            shutdown_grace: Duration::from_secs(args.shutdown_grace),
            page_size: i64::try_from(args.page_size).unwrap_or(200),
            db_wait: Duration::from_secs(args.db.db_wait),
            migrate: !args.no_migrate,
            metrics_bind,
            trusted_proxies,
            storage,
        })
    }

    /// The default attachment directory; with S3, where uploads are received.
    pub fn upload_dir(&self) -> PathBuf {
        self.data_dir.join("uploads")
    }

    /// An absolute link for emails and the console.
    pub fn link(&self, path_and_query: &str) -> String {
        format!("{}{}", self.base_url, path_and_query)
    }
}

fn check_secret(s: &str) -> Result<(), String> {
    if s.len() < MIN_SECRET_LEN {
        return Err(format!(
            "KONKURS_SECRET_KEY is too short: {} bytes, at least {MIN_SECRET_LEN} are needed \
             (for example the output of `openssl rand -hex 64`)",
            s.len()
        ));
    }
    Ok(())
}

/// In development the key is generated once and kept in the data directory, readable only by
/// its owner, so sessions survive restarts.
fn load_or_create_secret(path: &Path) -> Result<String, String> {
    if path.exists() {
        let s = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read the secret key {}: {e}", path.display()))?;
        let s = s.trim().to_string();
        check_secret(&s).map_err(|e| format!("{e} (in {})", path.display()))?;
        return Ok(s);
    }
    let mut bytes = [0u8; 64];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    let secret = crate::domain::token::hex(&bytes);
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options
        .open(path)
        .map_err(|e| format!("cannot create the secret key {}: {e}", path.display()))?;
    file.write_all(secret.as_bytes())
        .and_then(|_| file.write_all(b"\n"))
        .map_err(|e| format!("cannot write the secret key {}: {e}", path.display()))?;
    tracing::info!(path = %path.display(), "generated a new secret key");
    Ok(secret)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(dir: &Path) -> ServeArgs {
        ServeArgs::local(dir)
    }

    #[test]
    fn local_args_are_the_defaults_of_the_command_line() {
        #[derive(clap::Parser)]
        struct Cli {
            #[command(flatten)]
            serve: ServeArgs,
        }
        let dir = Path::new("data");
        let parsed = <Cli as clap::Parser>::try_parse_from([
            "konkurs",
            "--bind",
            "127.0.0.1:0",
            "--db-wait",
            "0",
        ])
        .unwrap()
        .serve;
        // Only where the environment sets nothing (the test runs with a clean KONKURS_*).
        if std::env::vars().any(|(k, _)| k.starts_with("KONKURS_") || k == "DATABASE_URL") {
            return;
        }
        assert_eq!(
            format!("{parsed:?}"),
            format!("{:?}", ServeArgs::local(dir))
        );
    }

    #[test]
    fn generates_a_private_secret_once_and_reuses_it() {
        let dir =
            std::env::temp_dir().join(format!("konkurs-cfg-{}", crate::domain::token::generate()));
        let a = Config::from_args(&args(&dir)).unwrap();
        let b = Config::from_args(&args(&dir)).unwrap();
        assert_eq!(a.cookie_key, b.cookie_key);
        assert_eq!(a.cookie_key.len(), 64);
        assert_eq!(a.database_url, DbUrl::Sqlite(dir.join("konkurs.db")));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("secret.key"))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn operating_limits_come_from_variables_within_bounds() {
        let dir = std::env::temp_dir().join(format!("konkurs-cfg-{}", &token_suffix()));
        let mut a = args(&dir);
        a.db_pool_size = Some(5);
        a.session_idle = 30;
        a.shutdown_grace = 25;
        a.page_size = 10;
        let c = Config::from_args(&a).unwrap();
        assert_eq!(c.page_size, 10);
        assert_eq!(c.db_pool_size, 5);
        assert_eq!(c.session_idle, Duration::from_secs(30 * 60));
        assert_eq!(c.shutdown_grace, Duration::from_secs(25));
        for (pool, idle, grace) in [(0, 120, 10), (300, 120, 10), (16, 1, 10), (16, 120, 0)] {
            let mut a = args(&dir);
            (a.db_pool_size, a.session_idle, a.shutdown_grace) = (Some(pool), idle, grace);
            let e = Config::from_args(&a).expect_err("out of range");
            assert!(e.contains("must be between"), "{e}");
        }
        for size in [0, 9, 1001] {
            let mut a = args(&dir);
            a.page_size = size;
            let e = Config::from_args(&a).expect_err("page size out of range");
            assert!(
                e.contains("KONKURS_PAGE_SIZE must be between 10 and 1000"),
                "{e}"
            );
        }
        // Unset: by backend.
        let sqlite = Config::from_args(&args(&dir)).unwrap().db_pool_size;
        assert!((4..=16).contains(&sqlite), "{sqlite}");
        let mut a = args(&dir);
        a.db.database_url = Some("postgres://postgres@127.0.0.1/x".into());
        assert_eq!(Config::from_args(&a).unwrap().db_pool_size, 16);
        std::fs::remove_dir_all(dir).ok();
    }

    fn token_suffix() -> String {
        crate::domain::token::generate()[..8].to_string()
    }

    #[test]
    fn refuses_short_secret_and_bad_urls() {
        let dir =
            std::env::temp_dir().join(format!("konkurs-cfg-{}", crate::domain::token::generate()));
        let mut a = args(&dir);
        a.secret_key = Some("too short".into());
        let err = Config::from_args(&a).unwrap_err();
        assert!(err.contains("at least 64"), "{err}");
        a.secret_key = Some("k".repeat(64));
        assert!(Config::from_args(&a).is_ok());
        a.base_url = Some("ftp://x".into());
        assert!(Config::from_args(&a).is_err());
        a.base_url = Some("https://konkurs.mazovia.pl/".into());
        let c = Config::from_args(&a).unwrap();
        assert!(c.secure_cookies);
        assert_eq!(c.link("/login"), "https://konkurs.mazovia.pl/login");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn trusted_proxies_are_parsed_and_a_bad_entry_refused() {
        let dir = std::env::temp_dir().join(format!("konkurs-cfg-{}", &token_suffix()));
        let mut a = args(&dir);
        let c = Config::from_args(&a).unwrap();
        assert!(c.trusted_proxies.is_empty());
        a.trusted_proxies = Some("127.0.0.1, 10.0.0.0/8, fd00::/8".into());
        let c = Config::from_args(&a).unwrap();
        assert!(c.trusted_proxies.contains("10.2.3.4".parse().unwrap()));
        assert!(c.trusted_proxies.contains("fd12::1".parse().unwrap()));
        assert!(!c.trusted_proxies.contains("192.0.2.1".parse().unwrap()));
        a.trusted_proxies = Some("127.0.0.1, 10.0.0.0/40".into());
        let e = Config::from_args(&a).unwrap_err();
        assert!(
            e.contains("KONKURS_TRUSTED_PROXIES") && e.contains("10.0.0.0/40"),
            "{e}"
        );
        std::fs::remove_dir_all(dir).ok();
    }
}
