//! The command line: `serve`, `demo`, `migrate`, `create-organiser`.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use crate::config::{Config, DbArgs, ServeArgs};
use crate::db::Db;
use crate::domain::validate;
use crate::services::accounts::{self, OrganiserError};
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
        if let Some(link) = &running.setup_link {
            println!();
            println!(
                "No organiser account exists yet. Open this one-time link to create the first one:"
            );
            println!("  {link}");
            println!("(or run: konkurs create-organiser --email you@example.org)");
            println!();
        }
        running.server.await.map_err(|e| e.to_string())
    })
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
