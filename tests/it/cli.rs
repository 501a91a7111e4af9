//! The command line, run as a user runs it: the built binary in a fresh data directory.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::{Client, PASSWORD, PgDatabase, login};

pub(crate) fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_konkurs"));
    c.env_remove("DATABASE_URL")
        .env_remove("KONKURS_SECRET_KEY")
        .env_remove("KONKURS_SMTP_URL")
        .env_remove("KONKURS_PASSWORD")
        .env_remove("KONKURS_BASE_URL")
        .env("RUST_LOG", "warn");
    c
}

pub(crate) fn temp_dir() -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!(
        "konkurs-cli-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Starts `konkurs serve` on a free port and returns it with the lines it printed until ready.
pub(crate) struct Served {
    pub(crate) child: std::process::Child,
    pub(crate) base: String,
    pub(crate) setup_link: Option<String>,
    /// What it printed while starting.
    pub(crate) printed: Vec<String>,
    output: std::sync::mpsc::Receiver<String>,
}

impl Served {
    /// What the server printed since the last call (waiting briefly for late lines).
    pub(crate) fn output(&self) -> Vec<String> {
        let mut out = Vec::new();
        while let Ok(l) = self.output.recv_timeout(Duration::from_millis(500)) {
            out.push(l);
        }
        out
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

// The child is killed and waited for in `Served::drop`.
#[allow(clippy::zombie_processes)]
pub(crate) fn serve(dir: &std::path::Path, extra: &[&str]) -> Served {
    serve_logging(dir, extra, "warn")
}

#[allow(clippy::zombie_processes)]
pub(crate) fn serve_logging(dir: &std::path::Path, extra: &[&str], log: &str) -> Served {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = bin()
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .args(extra)
        .env("RUST_LOG", log)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let base = format!("http://127.0.0.1:{port}");
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut setup_link = None;
    let mut printed = Vec::new();
    loop {
        if let Ok(line) = rx.recv_timeout(Duration::from_millis(100)) {
            if let Some(at) = line.find("http")
                && line.contains("/setup?token=")
            {
                setup_link = Some(line[at..].trim().to_string());
            }
            printed.push(line);
        }
        if ureq::get(format!("{base}/healthz")).call().is_ok() {
            // Give the console a moment to print the set-up link.
            while let Ok(line) = rx.recv_timeout(Duration::from_millis(300)) {
                if let Some(at) = line.find("http")
                    && line.contains("/setup?token=")
                {
                    setup_link = Some(line[at..].trim().to_string());
                }
                printed.push(line);
            }
            return Served {
                child,
                base,
                setup_link,
                printed,
                output: rx,
            };
        }
        assert!(Instant::now() < deadline, "konkurs serve did not start");
    }
}

#[test]
fn serve_on_a_fresh_directory_prints_a_one_time_setup_link() {
    let dir = temp_dir();
    let served = serve(&dir, &[]);
    // SQLite file, generated key with owner-only permissions.
    assert!(dir.join("konkurs.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("secret.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let link = served
        .setup_link
        .clone()
        .expect("the console shows a set-up link");
    assert!(link.starts_with(&served.base), "{link}");
    let c = Client::new(&served.base);
    let page = c.submit(
        &link,
        "/setup",
        &[
            ("name", "Admin"),
            ("email", "admin@mazovia.example"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    );
    assert!(page.url.ends_with("/account"), "{}", page.url);
    drop(served);
    // With an organiser present, a restart prints no link.
    let again = serve(&dir, &[]);
    assert!(again.setup_link.is_none());
    login(&Client::new(&again.base), "admin@mazovia.example", PASSWORD);
    drop(again);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn create_organiser_reads_the_password_from_stdin_or_environment() {
    let dir = temp_dir();
    let mut child = bin()
        .args([
            "create-organiser",
            "--email",
            "Org@Mazovia.example",
            "--name",
            "Org",
            "--data-dir",
        ])
        .arg(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{PASSWORD}\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("org@mazovia.example"));

    // The same address again is refused with a message.
    let out = bin()
        .args([
            "create-organiser",
            "--email",
            "org@mazovia.example",
            "--data-dir",
        ])
        .arg(&dir)
        .env("KONKURS_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("already exists"));

    // A short password is refused and nothing is created.
    let out = bin()
        .args([
            "create-organiser",
            "--email",
            "other@mazovia.example",
            "--data-dir",
        ])
        .arg(&dir)
        .env("KONKURS_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 12"));

    let served = serve(&dir, &[]);
    assert!(
        served.setup_link.is_none(),
        "an organiser exists, no set-up link"
    );
    login(&Client::new(&served.base), "org@mazovia.example", PASSWORD);
    drop(served);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_configuration_is_refused_with_a_clear_message() {
    let dir = temp_dir();
    let out = bin()
        .args(["serve", "--secret-key", "too-short", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("at least 64"));
    let out = bin()
        .args(["migrate", "--database-url", "mysql://x/y", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
    let out = bin()
        .args([
            "migrate",
            "--database-url",
            "postgres://nobody@127.0.0.1:1/none",
            "--data-dir",
        ])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("PostgreSQL"));
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn migrate_works_on_both_backends() {
    let dir = temp_dir();
    let out = bin()
        .args(["migrate", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("SQLite"));
    if let Some(pg) = PgDatabase::create() {
        let out = bin()
            .args(["migrate", "--database-url", &pg.url, "--data-dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("PostgreSQL"));
        // Running it twice is harmless.
        let out = bin()
            .args(["migrate", "--database-url", &pg.url, "--data-dir"])
            .arg(&dir)
            .output()
            .unwrap();
        assert!(out.status.success());
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn request_logs_carry_an_id_and_never_a_secret() {
    let dir = temp_dir();
    let served = serve_logging(&dir, &[], "info");
    let link = served.setup_link.clone().expect("set-up link");
    let token = link.rsplit('=').next().unwrap().to_string();
    let c = Client::new(&served.base);
    let secret_pw = "tajne haslo do logow 42";
    c.submit(
        &link,
        "/setup",
        &[
            ("name", "Admin"),
            ("email", "log@mazovia.example"),
            ("password", secret_pw),
            ("password_confirm", secret_pw),
        ],
    );
    let fake = "f".repeat(64);
    c.get(&format!("/password/reset?token={fake}"));
    let cookie = c.cookie(konkurs::startup::SESSION_COOKIE).expect("session");
    let logs = served.output().join("\n");
    assert!(logs.contains("request_id"), "{logs}");
    assert!(
        logs.contains("/password/reset") && logs.contains("status=410"),
        "{logs}"
    );
    for secret in [token.as_str(), fake.as_str(), secret_pw, cookie.as_str()] {
        assert!(
            !logs.contains(secret),
            "a secret leaked into the logs: {secret}"
        );
    }
    drop(served);
    std::fs::remove_dir_all(&dir).ok();
}

/// KONKURS_LOG_FORMAT=json: every log line is one JSON object (here: the tries while waiting for
/// a database that does not answer, then the clear error).
#[test]
fn logs_can_be_json_lines() {
    let dir = temp_dir();
    let out = bin()
        .env("KONKURS_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .env("DATABASE_URL", "postgres://postgres@127.0.0.1:9/none")
        .args(["migrate", "--db-wait", "5", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().filter(|l| !l.trim().is_empty()).collect();
    assert!(
        !lines.is_empty(),
        "no log lines; stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for l in &lines {
        let v: serde_json::Value =
            serde_json::from_str(l).unwrap_or_else(|e| panic!("not JSON ({e}): {l}"));
        assert_eq!(v["level"], "WARN", "{l}");
        assert!(
            v["message"]
                .as_str()
                .unwrap_or("")
                .contains("does not answer yet"),
            "{l}"
        );
    }
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot connect to PostgreSQL"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The set-up link is shown once, when it is made: a later start without an organiser only
/// says that one was issued and until when; `konkurs setup-link` makes a new one and the old
/// one stops working.
#[test]
fn the_setup_link_is_printed_once_and_renewed_on_request() {
    let dir = temp_dir();
    let first = serve(&dir, &[]);
    let old = first
        .setup_link
        .clone()
        .expect("first start shows the link");
    // Its path: the next start listens on another port.
    let old = old[first.base.len()..].to_string();
    drop(first);

    let again = serve(&dir, &[]);
    assert!(again.setup_link.is_none(), "the link is not printed again");
    let said = again.printed.join("\n");
    assert!(
        said.contains("set-up link was issued at") && said.contains("valid until"),
        "{said}"
    );
    assert!(said.contains("konkurs setup-link"), "{said}");
    // The link from the first start still works until it is replaced.
    assert_eq!(Client::new(&again.base).get(&old).status, 200);

    let out = bin()
        .args(["setup-link", "--bind"])
        .arg(again.base.trim_start_matches("http://"))
        .arg("--data-dir")
        .arg(&dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let new = stdout
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix(&again.base)
                .map(|_| l.trim().to_string())
        })
        .unwrap_or_else(|| panic!("no link in: {stdout}"));
    assert!(!new.ends_with(&old));
    let c = Client::new(&again.base);
    let dead = c.get(&old);
    assert_ne!(dead.status, 200, "the old link no longer works");
    let page = c.submit(
        &new,
        "/setup",
        &[
            ("name", "Admin"),
            ("email", "admin@mazovia.example"),
            ("password", PASSWORD),
            ("password_confirm", PASSWORD),
        ],
    );
    assert!(page.url.ends_with("/account"), "{}", page.url);
    // With an organiser, there is nothing to renew.
    let out = bin()
        .args(["setup-link", "--data-dir"])
        .arg(&dir)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("organiser account exists"));
    drop(again);
    std::fs::remove_dir_all(&dir).ok();
}

/// An organiser who lost the phone and the recovery codes: `konkurs reset-two-factor` turns the
/// second step off from the command line, and says so for an account without it.
#[test]
fn reset_two_factor_from_the_command_line() {
    use crate::two_factor::{code_at, secret_on};
    let dir = temp_dir();
    let out = bin()
        .args([
            "create-organiser",
            "--email",
            "org@mazovia.example",
            "--data-dir",
        ])
        .arg(&dir)
        .env("KONKURS_PASSWORD", PASSWORD)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let served = serve(&dir, &[]);
    let c = Client::new(&served.base);
    login(&c, "org@mazovia.example", PASSWORD);
    let setup = c.get("/account/two-factor");
    let secret = secret_on(&setup);
    let now = chrono::Utc::now().naive_utc();
    let done = c.submit_on(
        &setup,
        "/account/two-factor",
        &[("code", &code_at(&secret, now))],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    let fresh = Client::new(&served.base);
    let step = fresh.submit(
        "/login",
        "/login",
        &[("email", "org@mazovia.example"), ("password", PASSWORD)],
    );
    assert!(step.url.ends_with("/login/code"), "{}", step.url);

    let reset = || {
        bin()
            .args([
                "reset-two-factor",
                "--email",
                "Org@Mazovia.example",
                "--data-dir",
            ])
            .arg(&dir)
            .output()
            .unwrap()
    };
    let out = reset();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("turned off"));
    let again = Client::new(&served.base);
    login(&again, "org@mazovia.example", PASSWORD);
    let out = reset();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("does not have two-step login"));
    drop(served);
    std::fs::remove_dir_all(&dir).ok();
}
