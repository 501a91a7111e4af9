//! The command line: `serve`, `demo`, `migrate`, `create-organiser`, `setup-link`, `backup`,
//! `restore`, `audit verify`.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use crate::config::{Config, DbArgs, ServeArgs, StorageArgs};
use crate::db::{Db, DbUrl};
use crate::domain::validate;
use crate::services::accounts::{self, OrganiserError, SetupLink};
use crate::startup::Running;
use crate::storage::Storage;
use crate::urls;

#[derive(clap::Parser, Debug)]
#[command(
    name = "konkurs",
    version,
    about = "Portal for a public-sector awards competition"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(clap::Subcommand, Debug)]
pub enum Command {
    /// Start the portal (applies pending migrations first)
    Serve(ServeArgs),
    /// Load the model edition (VI edycja) into an empty database, then serve it like `serve`
    Demo(ServeArgs),
    /// Apply pending database migrations and exit
    Migrate(DbArgs),
    /// Create an organiser account; the password is read from KONKURS_PASSWORD or stdin
    CreateOrganiser {
        /// Email address to log in with
        #[arg(long)]
        email: String,
        /// Name shown to others [default: the part of the email before @]
        #[arg(long)]
        name: Option<String>,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Turn off two-step login of an account (a lost phone and recovery codes); the user is emailed
    ResetTwoFactor {
        /// Email address of the account
        #[arg(long)]
        email: String,
        #[command(flatten)]
        db: DbArgs,
    },
    /// Print a new one-time link to create the first organiser (the earlier link stops working)
    SetupLink(ServeArgs),
    /// Copy the database and the attachments into a new directory, while the portal runs
    Backup {
        /// A directory that does not exist yet (or is empty)
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Erase personal data past each edition's retention (the running portal does it daily)
    Retention {
        /// Only print what would be erased
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Put a backup made by `konkurs backup` in place (stop the portal first)
    Restore {
        /// The backup directory
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that already holds data
        #[arg(long)]
        force: bool,
        #[command(flatten)]
        db: DbArgs,
        #[command(flatten)]
        storage: StorageArgs,
    },
    /// Check the tamper-evident record of the jury's work
    Audit {
        #[command(subcommand)]
        command: AuditCommand,
    },
}

#[derive(clap::Subcommand, Debug)]
pub enum AuditCommand {
    /// Recompute every edition's hash chain and compare it with the scores, conflicts, awards
    /// and protocols in the database; exits with status 1 and names the first record that does
    /// not match
    Verify(DbArgs),
}

pub fn init_tracing() {
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;
    let filter: Targets = std::env::var("RUST_LOG")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            Targets::new()
                .with_default(tracing::Level::INFO)
                .with_target("actix_server", tracing::Level::WARN)
                .with_target("actix_session", tracing::Level::WARN)
        });
    // KONKURS_LOG_FORMAT=json: one JSON object per line, for a log collector.
    let json = std::env::var("KONKURS_LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    let registry = tracing_subscriber::registry().with(filter);
    let _ = if json {
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .json()
                    .flatten_event(true)
                    .with_target(false),
            )
            .try_init()
    } else {
        // Colours only on a terminal: logs sent to a file or a collector stay plain text.
        registry
            .with(
                tracing_subscriber::fmt::layer()
                    .with_target(false)
                    .with_ansi(std::io::stdout().is_terminal()),
            )
            .try_init()
    };
}

pub fn run(cli: Cli) -> ExitCode {
    init_tracing();
    let result = match cli.command {
        Command::Serve(args) => serve(&args, false),
        Command::Demo(args) => serve(&args, true),
        Command::Migrate(args) => migrate(&args),
        Command::CreateOrganiser { email, name, db } => {
            create_organiser(&email, name.as_deref(), &db)
        }
        Command::ResetTwoFactor { email, db } => reset_two_factor(&email, &db),
        Command::SetupLink(args) => setup_link(&args),
        Command::Backup { to, db, storage } => backup(&to, &db, &storage),
        Command::Retention {
            dry_run,
            db,
            storage,
        } => retention(dry_run, &db, &storage),
        Command::Restore {
            from,
            force,
            db,
            storage,
        } => restore(&from, force, &db, &storage),
        Command::Audit {
            command: AuditCommand::Verify(db),
        } => audit_verify(&db),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn serve(args: &ServeArgs, demo: bool) -> Result<(), String> {
    let config = Config::from_args(args)?;
    if demo {
        load_demo(&config)?;
    }
    actix_web::rt::System::new().block_on(async move {
        let running = crate::startup::build(config.clone())?;
        let url = &running.state.config.base_url;
        tracing::info!(
            database = %config.database_url.redacted(),
            smtp = config.smtp_url.is_some(),
            "konkurs listening on {} ({})",
            config.bind,
            url
        );
        announce_setup_link(&running.setup);
        let Running {
            server,
            metrics_server,
            shutdown,
            worker,
            ..
        } = running;
        if let Some((metrics, port)) = metrics_server {
            tracing::info!(port, "metrics at /metrics");
            actix_web::rt::spawn(metrics);
        }
        // SIGTERM or Ctrl-C: stop accepting, let requests in flight finish and the outbox
        // worker drain, each within the grace period; then exit.
        let grace = config.shutdown_grace;
        let shutdown = std::sync::Arc::new(shutdown);
        let signalled = std::sync::Arc::new(std::sync::OnceLock::new());
        {
            let (shutdown, signalled) = (shutdown.clone(), signalled.clone());
            actix_web::rt::spawn(async move {
                let name = termination().await;
                let _ = signalled.set(tokio::time::Instant::now());
                tracing::info!(
                    signal = name,
                    "stopping: finishing requests and mail in flight for up to {} s",
                    grace.as_secs()
                );
                let _ = shutdown.send(true);
            });
        }
        let served = server.await.map_err(|e| e.to_string());
        // Also when the server ended for another reason: the worker gives its claims back.
        let _ = shutdown.send(true);
        let since = signalled
            .get()
            .copied()
            .unwrap_or_else(tokio::time::Instant::now);
        let deadline = since + grace + std::time::Duration::from_secs(2);
        if tokio::time::timeout_at(deadline, worker).await.is_err() {
            tracing::warn!(
                "the outbox worker did not stop in time; its leases expire on their own"
            );
        }
        tracing::info!("stopped");
        served
    })
}

/// Waits for SIGTERM or SIGINT (Ctrl-C) and says which.
async fn termination() -> &'static str {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => tokio::select! {
                _ = term.recv() => "SIGTERM",
                _ = tokio::signal::ctrl_c() => "SIGINT",
            },
            Err(e) => {
                tracing::warn!(error = %e, "cannot listen for SIGTERM");
                let _ = tokio::signal::ctrl_c().await;
                "SIGINT"
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
        "Ctrl-C"
    }
}

fn utc(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

/// The set-up link is shown once, when it is made; later starts only say that it exists.
fn announce_setup_link(setup: &SetupLink) {
    match setup {
        SetupLink::NotNeeded => {}
        SetupLink::New { link, expires_at } => {
            println!();
            println!(
                "No organiser account exists yet. Open this one-time link to create the first one:"
            );
            println!("  {link}");
            println!(
                "It is valid until {} and is shown only now, not at the next start.",
                utc(*expires_at)
            );
            println!("(or run: konkurs create-organiser --email you@example.org)");
            println!();
        }
        SetupLink::Issued {
            created_at,
            expires_at,
        } => tracing::warn!(
            "no organiser account exists yet; a one-time set-up link was issued at {} and is \
             valid until {}. For a new link (the old one stops working) run `konkurs setup-link`, \
             or create the account with `konkurs create-organiser --email you@example.org`",
            utc(*created_at),
            utc(*expires_at)
        ),
    }
}

fn setup_link(args: &ServeArgs) -> Result<(), String> {
    let config = Config::from_args(args)?;
    let db = Db::open(config.database_url.clone(), 1)?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let now = crate::domain::time::Clock::system().now();
    match accounts::renew_setup_link(&mut conn, &config, now).map_err(|e| e.to_string())? {
        SetupLink::New { link, expires_at } => {
            println!(
                "A new one-time link to create the first organiser (any earlier one no longer works):"
            );
            println!("  {link}");
            println!("It is valid until {}.", utc(expires_at));
            Ok(())
        }
        _ => {
            Err("an organiser account exists already: organisers add others from the portal".into())
        }
    }
}

/// The attachments' storage for a command that runs beside (or instead of) the portal.
fn open_storage(args: &DbArgs, storage: &StorageArgs) -> Result<Storage, String> {
    let url = storage.storage_url(&args.data_dir)?;
    Storage::connect(&url, &args.data_dir.join("uploads"))
}

/// The database of a command that reads or erases what is there: a SQLite file that does not
/// exist is a mistyped path, not an empty portal (opening it would create one and report
/// "nothing to do").
fn existing_database(args: &DbArgs) -> Result<DbUrl, String> {
    let url = args.database_url()?;
    if let DbUrl::Sqlite(path) = &url
        && !path.exists()
    {
        return Err(format!(
            "there is no database at {} (check --data-dir or DATABASE_URL)",
            path.display()
        ));
    }
    Ok(url)
}

fn retention(dry_run: bool, args: &DbArgs, storage: &StorageArgs) -> Result<(), String> {
    let db = Db::open(existing_database(args)?, 1)?;
    let storage = open_storage(args, storage)?;
    // A one-off command with no running app: the system clock.
    let now = crate::domain::time::Clock::system().now();
    let plan = actix_web::rt::System::new().block_on(async {
        if dry_run {
            crate::retention::dry_run(&db, now).await
        } else {
            crate::retention::run(&db, &storage, now).await
        }
    });
    let plan = plan.map_err(|e| crate::web::error::chain(&e))?;
    if dry_run {
        println!("Dry run: nothing was changed. Would erase:");
    } else {
        println!("Erased:");
    }
    println!("{}", crate::retention::describe(&plan));
    Ok(())
}

fn backup(to: &std::path::Path, args: &DbArgs, storage: &StorageArgs) -> Result<(), String> {
    let url = args.database_url()?;
    let storage = open_storage(args, storage)?;
    let m = crate::backup::backup(&url, &storage, to)?;
    let what = if m.database_included {
        "the database"
    } else {
        "beside the database dump"
    };
    // Counts as "label: n", which needs no plural forms.
    println!(
        "Backup written to {} ({what}, schema {}): users: {}, entries: {}, attachments: {}; attachment files copied: {}.",
        to.display(),
        m.schema_version,
        m.users,
        m.entries,
        m.attachments,
        m.attachment_files
    );
    if !m.missing_attachments.is_empty() {
        println!(
            "WARNING: attachments missing from the storage (not in the backup): {}",
            m.missing_attachments.join(", ")
        );
    }
    Ok(())
}

fn restore(
    from: &std::path::Path,
    force: bool,
    args: &DbArgs,
    storage: &StorageArgs,
) -> Result<(), String> {
    let url = args.database_url()?;
    let storage = open_storage(args, storage)?;
    match crate::backup::restore(from, &url, &storage, force)? {
        crate::backup::Restored::Sqlite { database, files } => {
            println!(
                "Restored the database into {} (attachment files: {files}); start the portal (it applies any newer migrations).",
                database.display()
            );
        }
        crate::backup::Restored::Postgres { files, steps } => {
            println!("Attachment files restored: {files}. Restore the PostgreSQL database with:");
            println!("  {steps}");
            println!("then start the portal (it applies any newer migrations).");
        }
    }
    Ok(())
}

/// Loads the model edition and prints the accounts it made.
fn load_demo(config: &Config) -> Result<(), String> {
    let db = Db::open(config.database_url.clone(), 2)?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let loaded = crate::demo::load(&mut conn, config)?;
    println!();
    println!("Loaded the model edition „VI edycja” of Samorządowy Lider Cyfryzacji:");
    println!("  results:  {}", config.link(&urls::results(&loaded.slug)));
    println!("  the call: {}", config.link(&urls::edition(&loaded.slug)));
    println!();
    println!("Accounts (all with the password {}):", loaded.password);
    for a in &loaded.accounts {
        println!("  {:<10} {:<45} {}", a.role.as_str(), a.email, a.name);
    }
    println!();
    Ok(())
}

/// `konkurs audit verify`: one line per edition, then the verdict.
fn audit_verify(args: &DbArgs) -> Result<(), String> {
    let url = existing_database(args)?;
    let db = Db::connect(url, 1, std::time::Duration::from_secs(args.db_wait))?;
    db.check_migrated()?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let v = crate::services::chain::verify(&mut conn).map_err(|e| e.to_string())?;
    for (id, records, head) in &v.editions {
        println!(
            "edition {id}: records: {records}, head: {}",
            head.as_deref().unwrap_or("-")
        );
    }
    match v.mismatch {
        None => {
            println!("The jury's record is intact.");
            Ok(())
        }
        Some(m) => Err(format!("the jury's record does not match: {m}")),
    }
}

fn migrate(args: &DbArgs) -> Result<(), String> {
    let url = args.database_url()?;
    Db::connect(url.clone(), 1, std::time::Duration::from_secs(args.db_wait))?.migrate()?;
    println!(
        "Migrations applied to {} ({}).",
        url.backend_name(),
        url.redacted()
    );
    Ok(())
}

/// The password comes from KONKURS_PASSWORD or stdin, never from the command line (where
/// other users could read it in the process list).
fn read_password() -> Result<String, String> {
    if let Ok(pw) = std::env::var("KONKURS_PASSWORD")
        && !pw.is_empty()
    {
        return Ok(pw);
    }
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    if interactive {
        eprint!("Password (at least 12 characters, not shown): ");
        let _ = std::io::stderr().flush();
        set_echo(false);
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if interactive {
        set_echo(true);
        eprintln!();
    }
    read.map_err(|e| format!("cannot read the password: {e}"))?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

fn set_echo(on: bool) {
    let _ = std::process::Command::new("stty")
        .arg(if on { "echo" } else { "-echo" })
        .stdin(std::process::Stdio::inherit())
        .status();
}

fn reset_two_factor(email: &str, args: &DbArgs) -> Result<(), String> {
    use crate::services::two_factor::{self, ResetOutcome};
    let email = validate::normalise_email(email);
    let db = Db::open(args.database_url()?, 1)?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let now = crate::domain::time::Clock::system().now();
    let user = crate::db::users::find_by_email(&mut conn, &email)
        .map_err(|e| crate::web::error::chain(&e))?
        .ok_or_else(|| format!("no account with the address {email}"))?;
    match two_factor::reset(&mut conn, None, user.id, now) {
        Ok(ResetOutcome::Done) => {
            println!("Two-step login turned off for {email}; a message will tell them.");
            Ok(())
        }
        Ok(ResetOutcome::NotOn) => Err(format!("{email} does not have two-step login turned on")),
        Ok(ResetOutcome::NotFound) => Err(format!("no account with the address {email}")),
        // The command line acts as no account: never its own.
        Ok(ResetOutcome::OwnAccount) => Err(format!("{email}: not reset")),
        Err(e) => Err(crate::web::error::chain(&e)),
    }
}

fn create_organiser(email: &str, name: Option<&str>, args: &DbArgs) -> Result<(), String> {
    let email = validate::normalise_email(email);
    validate::email(&email).map_err(|_| format!("'{email}' is not a valid email address"))?;
    let name = name
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_string)
        .unwrap_or_else(|| email.split('@').next().unwrap_or("").to_string());
    validate::required(&name, 120).map_err(|_| {
        "the name must be one line of at most 120 characters, without control or invisible characters"
            .to_string()
    })?;
    let pw = read_password()?;
    validate::new_password(&pw, &[&email, &name]).map_err(|key| {
        if key == "err.password_weak" {
            "the password is easy to guess: use a longer one, e.g. a few unrelated words"
                .to_string()
        } else {
            format!(
                "the password must have at least {} characters (and at most {})",
                crate::domain::password::MIN_LEN,
                crate::domain::password::MAX_LEN
            )
        }
    })?;
    // Hashed before the connection is opened.
    let hash = crate::domain::password::hash(&pw);
    let db = Db::open(args.database_url()?, 1)?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    // A one-off command with no running app: the system clock.
    let now = crate::domain::time::Clock::system().now();
    match accounts::create_organiser(&mut conn, &email, &name, &hash, now) {
        Ok(_) => {
            println!("Organiser account created for {email}.");
            Ok(())
        }
        Err(OrganiserError::EmailTaken) => Err(format!(
            "an account with the address {email} already exists"
        )),
        Err(OrganiserError::NotAllowed) => Err("not allowed".into()),
        Err(OrganiserError::Db(e)) => Err(crate::web::error::chain(&e)),
    }
}
