//! Pages over HTTP against their limit: the release `konkurs serve` binary and a bare actix-web
//! server that serves the very same bytes, loaded in turn by `wrk` in one run (issue 11).
//!
//!     cargo bench --bench pages                       # SQLite in a temporary directory
//!     BENCH_SECONDS=5 cargo bench --bench pages       # a quicker look (default 10 s per run)
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cargo bench --bench pages
//!
//! Needs `wrk` on the PATH (`apt-get install wrk`). The PostgreSQL database must exist and be
//! empty. Environment: BENCH_SECONDS (length of each wrk run), BENCH_CONNECTIONS (default 16),
//! BENCH_DATABASE_URL (PostgreSQL instead of a temporary SQLite file), BENCH_PREPARE_ONLY (build
//! the data sets, print their directory and stop: for profiling a server by hand). BENCH_BARE and
//! BENCH_BARE_PORT are internal: the benchmark re-executes itself with them as the bare server.
//!
//! Data: the model edition exactly as `konkurs demo` loads it (published, 3 categories, 13
//! institutions, places 1–3 and mentions), an older published edition for the archive, and an
//! edition in judging with 200 accepted entries all assigned to one juror (100 of them scored,
//! half submitted) and an organiser account. Each page is fetched once; the bare server (2
//! workers) then serves those bytes at the same path with the same Content-Type. Each page is
//! loaded with `wrk -t2 -c<connections> -d<seconds>s --latency` against konkurs, then against the
//! bare server; konkurs's VmRSS is sampled every 100 ms during its runs. Every page is then run
//! again as a browser asks for it, `Accept-Encoding: gzip, deflate, br, zstd` (the bare server
//! serving konkurs's encoded bytes), and the signed-in lists once more with a hard reload's
//! `Cache-Control: no-cache` on top (rendered and compressed on every request).
//!
//! Prints the figures beside the targets; exits non-zero only if a run errored (a non-2xx
//! response, a socket error, a page that stopped answering 200) or wrk is missing.

mod common;

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::{TS, insert_rows};
use diesel::connection::SimpleConnection;
use konkurs::config::{Config, DbArgs, ServeArgs};
use konkurs::db::{Db, DbConn, DbUrl};

const PASSWORD: &str = "lantern orchard quietly forty-two";
const JUROR: &str = "juror@bench.example";
const ORGANISER: &str = "organiser@bench.example";
const ENTRIES: usize = 200;
const JUDGING_SLUG: &str = "vii-edycja";
const TARGET_PUBLIC_RATIO: f64 = 50.0;
const TARGET_PRIVATE_RATIO: f64 = 10.0;
const TARGET_PRIVATE_P99_MS: f64 = 10.0;
const TARGET_RSS_MB: f64 = 30.0;
/// What Chromium and Firefox send.
const BROWSER_ENCODINGS: &str = "gzip, deflate, br, zstd";

fn env_or(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn temp_dir() -> PathBuf {
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let d = std::env::temp_dir().join(format!("konkurs-pages-{}-{nanos}", std::process::id()));
    std::fs::create_dir_all(&d).expect("create the data directory");
    d
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn serve_args(url: &str, dir: &Path) -> ServeArgs {
    ServeArgs {
        db: DbArgs {
            database_url: Some(url.to_string()),
            data_dir: dir.to_path_buf(),
            db_wait: 0,
        },
        mail_from: "Bench <bench@example.org>".into(),
        secret_key: Some("k".repeat(64)),
        ..ServeArgs::local(dir)
    }
}

/// The archive's older edition and the edition in judging, with raw statements (set-based
/// inserts that pick ids by subquery, so they do not depend on what the demo created).
fn seed(c: &mut DbConn, pw_hash: &str) {
    let bench = format!("(SELECT id FROM editions WHERE slug = '{JUDGING_SLUG}')");
    let juror = format!("(SELECT id FROM users WHERE email = '{JUROR}')");
    let organiser = format!("(SELECT id FROM users WHERE email = '{ORGANISER}')");
    c.batch_execute("BEGIN").expect("begin");
    c.batch_execute(&format!(
        "INSERT INTO editions (slug, name, name_en, year, rules, rules_en, opens_at, closes_at, judging_deadline, \
         entries_per_category, state, state_changed_at, created_at, updated_at, blind_judging, aggregation, show_scores, \
         protocol_finalised_at, results_published_at) VALUES \
         ('v-edycja', 'V edycja', '5th edition', 2024, '', '', '2024-03-01 08:00:00', '2024-04-30 21:59:00', \
          '2024-05-31 21:59:00', 1, 'published', '2024-06-14 10:00:00', '2024-02-01 08:00:00', '2024-06-14 10:00:00', \
          FALSE, 'mean', TRUE, '2024-06-03 08:00:00', '2024-06-14 10:00:00'), \
         ('{JUDGING_SLUG}', 'VII edycja', '7th edition', 2026, '# Regulamin', '# Rules', {TS}, '2026-02-01 00:00:00', \
          '2999-01-01 00:00:00', 1, 'judging', '2026-02-02 00:00:00', {TS}, {TS}, FALSE, 'mean', FALSE, NULL, NULL);"
    ))
    .expect("editions");
    for slug in ["v-edycja", JUDGING_SLUG] {
        insert_rows(
            c,
            "INSERT INTO categories (edition_id, code, name, name_en, description, description_en, position)",
            ["I", "II", "III"].iter().enumerate().map(|(i, code)| {
                format!(
                    "((SELECT id FROM editions WHERE slug = '{slug}'), '{code}', 'Kategoria {code}', 'Category {code}', \
                     'Opis kategorii {code}.', 'About category {code}.', {i})"
                )
            }),
        );
    }
    insert_rows(
        c,
        "INSERT INTO criteria (edition_id, name, name_en, description, description_en, max_points, weight, levels, levels_en, position)",
        (0..5).map(|i| {
            format!("({bench}, 'Kryterium {i}', 'Criterion {i}', '', '', 10, 1.0, '', '', {i})")
        }),
    );
    insert_rows(
        c,
        "INSERT INTO institutions (name, kind, street, postal_code, city, contact_person, phone, created_at, updated_at)",
        (0..ENTRIES.div_ceil(3)).map(|i| {
            format!("('Gmina testowa {i:03}', 'gmina_wiejska', 'ul. Testowa 1', '00-001', 'Testowo', 'Osoba {i}', '22 000 00 00', {TS}, {TS})")
        }),
    );
    insert_rows(
        c,
        "INSERT INTO users (email, name, password_hash, role, lang, email_verified_at, created_at, updated_at)",
        [
            (JUROR, "Juror Testowy", "juror"),
            (ORGANISER, "Organizator Testowy", "organiser"),
        ]
        .iter()
        .map(|(email, name, role)| {
            format!("('{email}', '{name}', '{pw_hash}', '{role}', 'pl', {TS}, {TS}, {TS})")
        }),
    );
    // Both have read the current privacy notice (else every page leads to acknowledging it).
    let version = "COALESCE((SELECT privacy_version FROM site_texts WHERE id = 1), 1)";
    c.batch_execute(&format!(
        "INSERT INTO privacy_consents (user_id, version, at) \
         SELECT id, {version}, {TS} FROM users WHERE email IN ('{JUROR}', '{ORGANISER}'); \
         UPDATE users SET privacy_version = {version} WHERE email IN ('{JUROR}', '{ORGANISER}');"
    ))
    .expect("privacy consents");
    c.batch_execute(&format!(
        "INSERT INTO entries (edition_id, category_id, institution_id, created_by, title, summary, description, budget, \
         funding, partners, links, contact_name, contact_email, contact_phone, accepted_rules, accepted_privacy, status, \
         submitted_at, decision_note, created_at, updated_at) \
         SELECT c.edition_id, c.id, i.id, {organiser}, 'Projekt cyfryzacji: ' || i.name || ', kategoria ' || c.code, \
         'Krótki opis projektu.', '', '', '', '', '', 'Osoba kontaktowa', 'kontakt@bench.example', '22 000 00 00', \
         TRUE, TRUE, 'accepted', {TS}, '', {TS}, {TS} \
         FROM institutions i CROSS JOIN categories c \
         WHERE i.name LIKE 'Gmina testowa %' AND c.edition_id = {bench} ORDER BY i.id, c.position LIMIT {ENTRIES};\
         INSERT INTO juror_categories (edition_id, juror_id, category_id) \
         SELECT {bench}, {juror}, c.id FROM categories c WHERE c.edition_id = {bench};\
         INSERT INTO declarations (edition_id, juror_id, accepted_at) VALUES ({bench}, {juror}, {TS});\
         INSERT INTO assignments (edition_id, entry_id, juror_id, created_at) \
         SELECT e.edition_id, e.id, {juror}, {TS} FROM entries e WHERE e.edition_id = {bench};\
         INSERT INTO reviews (edition_id, entry_id, juror_id, comment, status, total, submitted_at, updated_at) \
         SELECT e.edition_id, e.id, {juror}, 'Uzasadnienie oceny.', 'submitted', NULL, {TS}, {TS} \
         FROM entries e WHERE e.edition_id = {bench} AND e.id % 4 = 0;\
         INSERT INTO reviews (edition_id, entry_id, juror_id, comment, status, total, submitted_at, updated_at) \
         SELECT e.edition_id, e.id, {juror}, 'Szkic oceny.', 'draft', NULL, NULL, {TS} \
         FROM entries e WHERE e.edition_id = {bench} AND e.id % 4 = 2;\
         INSERT INTO scores (review_id, criterion_id, points) \
         SELECT r.id, c.id, (r.entry_id + c.position) % 11 FROM reviews r JOIN criteria c ON c.edition_id = r.edition_id \
         WHERE r.edition_id = {bench};\
         UPDATE reviews SET total = (SELECT SUM(s.points * c.weight) FROM scores s JOIN criteria c ON c.id = s.criterion_id \
         WHERE s.review_id = reviews.id) WHERE edition_id = {bench} AND status = 'submitted';\
         COMMIT;"
    ))
    .expect("the edition in judging");
    c.batch_execute("ANALYZE").expect("analyze");
}

/// The server process, killed when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait_for(url: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while ureq::get(url).call().is_err() {
        assert!(Instant::now() < deadline, "{url} did not answer");
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn start_konkurs(dir: &Path, url: &str) -> (Server, String) {
    let port = free_port();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_konkurs"));
    for var in [
        "DATABASE_URL",
        "KONKURS_SECRET_KEY",
        "KONKURS_SMTP_URL",
        "KONKURS_BASE_URL",
    ] {
        cmd.env_remove(var);
    }
    let child = cmd
        .env("RUST_LOG", "warn")
        .env("DATABASE_URL", url)
        .args([
            "serve",
            "--bind",
            &format!("127.0.0.1:{port}"),
            "--data-dir",
        ])
        .arg(dir)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start konkurs serve");
    let server = Server(child);
    let base = format!("http://127.0.0.1:{port}");
    wait_for(&format!("{base}/healthz"));
    (server, base)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .new_agent()
}

/// Logs in over HTTP like a browser; returns the Cookie header the session needs.
fn login(base: &str, email: &str) -> String {
    let agent = agent();
    let body = agent
        .get(format!("{base}/login"))
        .call()
        .expect("GET /login")
        .body_mut()
        .read_to_string()
        .expect("login page");
    let marker = "name=\"csrf\" value=\"";
    let at = body.find(marker).expect("a CSRF field") + marker.len();
    let csrf = &body[at..at + 64];
    let res = agent
        .post(format!("{base}/login"))
        .send_form([
            ("csrf", csrf),
            ("email", email),
            ("password", PASSWORD),
            ("next", ""),
        ])
        .expect("POST /login");
    assert_eq!(res.status(), 303, "login of {email}");
    let jar = agent.cookie_jar_lock();
    let cookie = jar
        .iter()
        .map(|c| format!("{}={}", c.name(), c.value()))
        .collect::<Vec<_>>()
        .join("; ");
    jar.release();
    cookie
}

struct Captured {
    status: u16,
    content_type: String,
    content_encoding: Option<String>,
    body: Vec<u8>,
}

/// One GET with explicit headers (no cookie jar: the same request wrk will send).
fn fetch(url: &str, cookie: Option<&str>, encoding: Option<&str>) -> Captured {
    let mut req = agent().get(url);
    if let Some(c) = cookie {
        req = req.header("Cookie", c);
    }
    if let Some(e) = encoding {
        req = req.header("Accept-Encoding", e);
    }
    let mut res = req.call().expect("GET a page");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = header("content-type").unwrap_or_default();
    let content_encoding = header("content-encoding");
    let status = res.status().as_u16();
    let body = res
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .expect("page body");
    Captured {
        status,
        content_type,
        content_encoding,
        body,
    }
}

#[derive(Debug, Default, Clone, Copy)]
struct Wrk {
    rps: f64,
    p99_ms: f64,
    errors: u64,
}

/// A wrk duration such as `635.91us`, `1.20ms`, `2.01s`, in milliseconds.
fn duration_ms(s: &str) -> Option<f64> {
    let split = s.find(|c: char| c.is_ascii_alphabetic())?;
    let (n, unit) = s.split_at(split);
    let n: f64 = n.parse().ok()?;
    Some(match unit {
        "us" => n / 1000.0,
        "ms" => n,
        "s" => n * 1000.0,
        "m" => n * 60_000.0,
        _ => return None,
    })
}

fn parse_wrk(out: &str) -> Result<Wrk, String> {
    let mut w = Wrk::default();
    let (mut rps, mut p99, mut in_latency) = (None, None, false);
    for line in out.lines().map(str::trim) {
        if line.starts_with("Latency Distribution") {
            in_latency = true;
        } else if in_latency && line.starts_with("99%") {
            p99 = line.split_whitespace().nth(1).and_then(duration_ms);
        } else if let Some(v) = line.strip_prefix("Requests/sec:") {
            rps = v.trim().parse().ok();
        } else if let Some(v) = line.strip_prefix("Non-2xx or 3xx responses:") {
            w.errors += v.trim().parse::<u64>().unwrap_or(1);
        } else if let Some(v) = line.strip_prefix("Socket errors:") {
            w.errors += v
                .split(',')
                .filter_map(|p| p.split_whitespace().nth(1)?.parse::<u64>().ok())
                .sum::<u64>();
        }
    }
    w.rps = rps.ok_or_else(|| format!("no Requests/sec in wrk's output:\n{out}"))?;
    w.p99_ms = p99.ok_or_else(|| format!("no 99% latency in wrk's output:\n{out}"))?;
    Ok(w)
}

fn wrk(url: &str, headers: &[String], seconds: u64, connections: u64) -> Result<Wrk, String> {
    let mut cmd = Command::new("wrk");
    cmd.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    for h in headers {
        cmd.arg("-H").arg(h);
    }
    let out = cmd.arg(url).output().map_err(|e| format!("run wrk: {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    if !out.status.success() {
        return Err(format!(
            "wrk failed: {text}{}",
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    parse_wrk(&text)
}

/// VmRSS of a process, in MB.
fn rss_mb(pid: u32) -> Option<f64> {
    status_mb(pid, "VmRSS:")
}

/// A size line of /proc/<pid>/status (`VmRSS:`, `RssAnon:`, `RssFile:`), in MB.
fn status_mb(pid: u32, field: &str) -> Option<f64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|l| l.starts_with(field))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb as f64 / 1024.0)
}

/// The bare server: every captured body at its path, with its Content-Type (and
/// Content-Encoding), nothing else. Run as `BENCH_BARE=dir BENCH_BARE_PORT=port <this binary>`.
mod bare {
    use std::collections::HashMap;
    use std::path::Path;

    use actix_web::http::header::{CONTENT_ENCODING, CONTENT_TYPE};
    use actix_web::web::{self, Bytes};
    use actix_web::{App, HttpRequest, HttpResponse, HttpServer};

    type Pages = HashMap<String, (String, String, Bytes)>;

    async fn page(req: HttpRequest, pages: web::Data<Pages>) -> HttpResponse {
        match pages.get(req.path()) {
            Some((ct, ce, body)) => {
                let mut r = HttpResponse::Ok();
                r.insert_header((CONTENT_TYPE, ct.as_str()));
                if !ce.is_empty() {
                    r.insert_header((CONTENT_ENCODING, ce.as_str()));
                }
                r.body(body.clone())
            }
            None => HttpResponse::NotFound().finish(),
        }
    }

    pub fn run(dir: &Path, port: u16) -> std::io::Result<()> {
        let manifest = std::fs::read_to_string(dir.join("manifest"))?;
        let mut pages = Pages::new();
        for line in manifest.lines() {
            let mut f = line.split('\t');
            let (Some(path), Some(ct), Some(ce), Some(file)) =
                (f.next(), f.next(), f.next(), f.next())
            else {
                continue;
            };
            let body = Bytes::from(std::fs::read(dir.join(file))?);
            pages.insert(path.into(), (ct.into(), ce.into(), body));
        }
        let pages = web::Data::new(pages);
        actix_web::rt::System::new().block_on(async move {
            HttpServer::new(move || {
                App::new()
                    .app_data(pages.clone())
                    .default_service(web::to(page))
            })
            .workers(2)
            .bind(("127.0.0.1", port))?
            .run()
            .await
        })
    }
}

struct Page {
    name: &'static str,
    path: String,
    /// None: anonymous.
    cookie: Option<String>,
    public: bool,
}

struct Row {
    name: &'static str,
    public: bool,
    bytes: usize,
    konkurs: Wrk,
    bare: Wrk,
}

impl Row {
    fn ratio(&self) -> f64 {
        100.0 * self.konkurs.rps / self.bare.rps
    }

    fn met(&self) -> bool {
        if self.public {
            self.ratio() >= TARGET_PUBLIC_RATIO
        } else {
            self.ratio() >= TARGET_PRIVATE_RATIO && self.konkurs.p99_ms < TARGET_PRIVATE_P99_MS
        }
    }
}

/// `targeted`: the targets apply (they are for pages served as kept; a page rendered on
/// every request is shown for what it costs).
fn print_table(title: &str, rows: &[Row], targeted: bool) {
    println!();
    println!("{title}");
    println!(
        "page                          bytes      req/s    p99 ms bare req/s  bare p99  ratio %               target result"
    );
    for r in rows {
        let target = if !targeted {
            "-".to_string()
        } else if r.public {
            format!(">= {TARGET_PUBLIC_RATIO:.0} %")
        } else {
            format!(">= {TARGET_PRIVATE_RATIO:.0} %, p99 < {TARGET_PRIVATE_P99_MS:.0} ms")
        };
        println!(
            "{:<26} {:>8} {:>10.0} {:>9.2} {:>10.0} {:>9.2} {:>8.1} {:>20} {}",
            r.name,
            r.bytes,
            r.konkurs.rps,
            r.konkurs.p99_ms,
            r.bare.rps,
            r.bare.p99_ms,
            r.ratio(),
            target,
            match (targeted, r.met()) {
                (false, _) => "",
                (true, true) => "met",
                (true, false) => "MISSED",
            }
        );
    }
}

#[allow(clippy::too_many_lines)]
fn main() {
    if let Ok(dir) = std::env::var("BENCH_BARE") {
        let port = u16::try_from(env_or("BENCH_BARE_PORT", 0)).unwrap_or(0);
        if let Err(e) = bare::run(Path::new(&dir), port) {
            eprintln!("bare server: {e}");
            std::process::exit(1);
        }
        return;
    }
    if Command::new("wrk")
        .arg("-v")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_err()
    {
        eprintln!("wrk is not installed: apt-get install wrk");
        std::process::exit(2);
    }
    let seconds = env_or("BENCH_SECONDS", 10);
    let connections = env_or("BENCH_CONNECTIONS", 16);
    let dir = temp_dir();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("konkurs.db").display()));

    // The data sets.
    let started = Instant::now();
    let judging_id = {
        let db_url = DbUrl::parse(&url).expect("database url");
        println!("backend: {}", db_url.backend_name());
        let db = Db::open(db_url, 2).expect("open the database");
        let config = Config::from_args(&serve_args(&url, &dir)).expect("config");
        let mut c = db.conn().expect("a connection");
        konkurs::demo::load(&mut c, &config).expect("the model edition");
        seed(&mut c, &konkurs::domain::password::hash(PASSWORD));
        let editions = konkurs::db::editions::list_all(&mut c).expect("editions");
        editions
            .iter()
            .find(|e| e.slug == JUDGING_SLUG)
            .expect("the edition in judging")
            .id
    };
    println!(
        "data sets built in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    if std::env::var_os("BENCH_PREPARE_ONLY").is_some() {
        // For profiling by hand: `konkurs serve --data-dir <dir>` under perf or callgrind.
        println!("data directory kept: {}", dir.display());
        return;
    }

    let (konkurs_server, base) = start_konkurs(&dir, &url);
    let pid = konkurs_server.0.id();
    std::thread::sleep(Duration::from_millis(500));
    let idle_start = rss_mb(pid).unwrap_or(f64::NAN);
    let juror = login(&base, JUROR);
    let organiser = login(&base, ORGANISER);

    let pages = [
        Page {
            name: "home",
            path: "/".into(),
            cookie: None,
            public: true,
        },
        Page {
            name: "call (judging edition)",
            path: format!("/editions/{JUDGING_SLUG}"),
            cookie: None,
            public: true,
        },
        Page {
            name: "results (model edition)",
            path: "/editions/vi-edycja/results".into(),
            cookie: None,
            public: true,
        },
        Page {
            name: "archive",
            path: "/editions".into(),
            cookie: None,
            public: true,
        },
        Page {
            name: "juror's list (200)",
            path: "/jury".into(),
            cookie: Some(juror),
            public: false,
        },
        Page {
            name: "organiser's entries (200)",
            path: format!("/admin/editions/{judging_id}/entries"),
            cookie: Some(organiser.clone()),
            public: false,
        },
        Page {
            name: "organiser's ranking (200)",
            path: format!("/admin/editions/{judging_id}/ranking"),
            cookie: Some(organiser),
            public: false,
        },
    ];

    // Capture the bytes; the bare server serves plain ones at the same path, encoded ones
    // (for the gzip table) under /__gz.
    let bare_dir = dir.join("bare");
    std::fs::create_dir_all(&bare_dir).expect("bare dir");
    let mut manifest = String::new();
    let mut sizes = HashMap::new();
    let mut failed = false;
    for (n, p) in pages.iter().enumerate() {
        let got = fetch(&format!("{base}{}", p.path), p.cookie.as_deref(), None);
        let text = String::from_utf8_lossy(&got.body);
        let listed = text.matches("Projekt cyfryzacji").count();
        println!(
            "{:<26} {} {:>7} bytes, {} {}",
            p.name,
            got.status,
            got.body.len(),
            got.content_type,
            if p.public {
                String::new()
            } else {
                format!("({listed} mentions of entry titles)")
            }
        );
        if got.status != 200 {
            eprintln!("{} answered {}", p.path, got.status);
            failed = true;
        }
        std::fs::write(bare_dir.join(format!("{n}")), &got.body).expect("write body");
        let _ = writeln!(manifest, "{}\t{}\t\t{n}", p.path, got.content_type);
        sizes.insert((p.path.clone(), false), got.body.len());
        {
            let gz = fetch(
                &format!("{base}{}", p.path),
                p.cookie.as_deref(),
                Some(BROWSER_ENCODINGS),
            );
            std::fs::write(bare_dir.join(format!("{n}.gz")), &gz.body).expect("write body");
            let _ = writeln!(
                manifest,
                "/__gz{}\t{}\t{}\t{n}.gz",
                p.path,
                gz.content_type,
                gz.content_encoding.clone().unwrap_or_default()
            );
            println!(
                "{:<26}     {:>7} bytes as a browser asks (Content-Encoding: {})",
                "",
                gz.body.len(),
                gz.content_encoding.as_deref().unwrap_or("none")
            );
            sizes.insert((p.path.clone(), true), gz.body.len());
        }
    }
    std::fs::write(bare_dir.join("manifest"), manifest).expect("write manifest");
    if failed {
        drop(konkurs_server);
        std::process::exit(1);
    }

    let bare_port = free_port();
    let bare_server = Server(
        Command::new(std::env::current_exe().expect("this binary"))
            .env("BENCH_BARE", &bare_dir)
            .env("BENCH_BARE_PORT", bare_port.to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the bare server"),
    );
    let bare_base = format!("http://127.0.0.1:{bare_port}");
    wait_for(&format!("{bare_base}/"));
    let idle = rss_mb(pid).unwrap_or(f64::NAN);

    // konkurs's memory every 100 ms; the peak counts only while konkurs is under load.
    let under_load = Arc::new(AtomicBool::new(false));
    let sampling = Arc::new(AtomicBool::new(true));
    let peak = Arc::new(Mutex::new(0.0_f64));
    let sampler = {
        let (under_load, sampling, peak) = (under_load.clone(), sampling.clone(), peak.clone());
        std::thread::spawn(move || {
            while sampling.load(Ordering::Relaxed) {
                if under_load.load(Ordering::Relaxed)
                    && let Some(rss) = rss_mb(pid)
                {
                    let mut p = peak.lock().expect("peak");
                    *p = p.max(rss);
                }
                std::thread::sleep(Duration::from_millis(100));
            }
        })
    };

    let mut errors = Vec::new();
    let mut run = |p: &Page, gzip: bool, fresh: bool| -> Option<Row> {
        let mut headers = Vec::new();
        if let Some(c) = &p.cookie {
            headers.push(format!("Cookie: {c}"));
        }
        if gzip {
            headers.push(format!("Accept-Encoding: {BROWSER_ENCODINGS}"));
        }
        // A signed-in page is kept rendered for its user; a hard reload's header renders it
        // anew on every request (the cost when something changed between two requests).
        if fresh {
            headers.push("Cache-Control: no-cache".into());
        }
        under_load.store(true, Ordering::Relaxed);
        let k = wrk(&format!("{base}{}", p.path), &headers, seconds, connections);
        under_load.store(false, Ordering::Relaxed);
        // wrk counts only statuses >= 400: a session lost to a redirect would pass unseen.
        let after = fetch(&format!("{base}{}", p.path), p.cookie.as_deref(), None);
        if after.status != 200 {
            errors.push(format!("{}: {} after the run", p.name, after.status));
        }
        let bare_path = if gzip {
            format!("/__gz{}", p.path)
        } else {
            p.path.clone()
        };
        let b = wrk(
            &format!("{bare_base}{bare_path}"),
            &[],
            seconds,
            connections,
        );
        match (k, b) {
            (Ok(k), Ok(b)) => {
                for (who, w) in [("konkurs", k), ("bare", b)] {
                    if w.errors > 0 {
                        errors.push(format!("{}: {who}: {} errors", p.name, w.errors));
                    }
                }
                Some(Row {
                    name: p.name,
                    public: p.public,
                    bytes: sizes.get(&(p.path.clone(), gzip)).copied().unwrap_or(0),
                    konkurs: k,
                    bare: b,
                })
            }
            (k, b) => {
                for e in [k.err(), b.err()].into_iter().flatten() {
                    errors.push(format!("{}: {e}", p.name));
                }
                None
            }
        }
    };
    let plain: Vec<Row> = pages.iter().filter_map(|p| run(p, false, false)).collect();
    let gzip: Vec<Row> = pages.iter().filter_map(|p| run(p, true, false)).collect();
    let peak_kept = *peak.lock().expect("peak");
    let fresh: Vec<Row> = pages
        .iter()
        .filter(|p| !p.public)
        .filter_map(|p| run(p, true, true))
        .collect();
    sampling.store(false, Ordering::Relaxed);
    sampler.join().expect("sampler");
    let idle_after = rss_mb(pid).unwrap_or(f64::NAN);
    let (anon, file) = (
        status_mb(pid, "RssAnon:").unwrap_or(f64::NAN),
        status_mb(pid, "RssFile:").unwrap_or(f64::NAN),
    );
    let peak = *peak.lock().expect("peak");
    drop(bare_server);
    drop(konkurs_server);
    let _ = std::fs::remove_dir_all(&dir);

    println!();
    println!(
        "wrk -t2 -c{connections} -d{seconds}s --latency, konkurs then a bare actix-web server (2 workers) \
         serving the same bytes ({} cores)",
        std::thread::available_parallelism().map_or(1, std::num::NonZero::get)
    );
    print_table("plain (no Accept-Encoding)", &plain, true);
    print_table(
        &format!(
            "as a browser asks, Accept-Encoding: {BROWSER_ENCODINGS} (bare server: konkurs's encoded bytes)"
        ),
        &gzip,
        true,
    );
    print_table(
        "signed-in pages rendered and compressed on every request (a browser's hard reload: Cache-Control: no-cache)",
        &fresh,
        false,
    );
    println!();
    let verdict = |mb: f64| if mb < TARGET_RSS_MB { "met" } else { "MISSED" };
    println!(
        "konkurs RSS: idle {idle_start:.1} MB at start, {idle:.1} MB after the logins, {idle_after:.1} MB after the runs \
         (of which {anon:.1} MB anonymous, {file:.1} MB mapped files); peak under load {peak_kept:.1} MB with the \
         pages kept (target < {TARGET_RSS_MB:.0} MB: {}), {peak:.1} MB including the runs rendering every request ({})",
        verdict(peak_kept),
        verdict(peak),
    );
    println!(
        "{}",
        link_order_report(Path::new(env!("CARGO_BIN_EXE_konkurs")))
    );
    for e in &errors {
        println!("error: {e}");
    }
    if !errors.is_empty() {
        std::process::exit(1);
    }
}

/// How much of src/link-order.txt the executable's symbols still match (src/build.rs): names
/// change with the compiler and the dependencies, and a stale list costs memory, not a failure.
fn link_order_report(binary: &Path) -> String {
    let listed =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/link-order.txt"))
            .unwrap_or_default();
    let listed: Vec<&str> = listed
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    let Ok(out) = Command::new("nm")
        .arg("--defined-only")
        .arg(binary)
        .output()
    else {
        return "link order: nm (binutils) is not installed, not checked".into();
    };
    let symbols: std::collections::HashSet<&str> = std::str::from_utf8(&out.stdout)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.split_whitespace().nth(2))
        .collect();
    let found = listed.iter().filter(|n| symbols.contains(**n)).count();
    format!(
        "link order: {found} of the {} functions in src/link-order.txt are in the executable{}",
        listed.len(),
        if found * 10 < listed.len() * 9 {
            " (stale: run python3 benches/link_order.py)"
        } else {
            ""
        }
    )
}
