//! Ranking 10,000 entries, each scored by 5 of 50 jurors on 6 criteria (300,000 scores), and
//! the juror's entry list page under concurrent load.
//!
//!     cargo bench --bench ranking                       # SQLite in a temporary directory
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cargo bench --bench ranking
//!
//! The PostgreSQL database must exist and be empty. Figures are printed; see README.md.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

mod common;

use common::{TS, insert_rows};
use diesel::connection::SimpleConnection;
use konkurs::config::{Config, DbArgs, ServeArgs};
use konkurs::db::{Db, DbConn, DbUrl, editions};

const ENTRIES: usize = 10_000;
const JURORS: usize = 50;
const PER_ENTRY: usize = 5;
const CRITERIA: usize = 6;
const CATEGORIES: usize = 3;
const INSTITUTIONS: usize = 2_000;

/// Builds the edition with raw multi-row inserts in one transaction; returns (edition id, juror 1 id).
fn seed(c: &mut DbConn, pw_hash: &str) -> (i32, i32) {
    c.batch_execute("BEGIN").unwrap();
    c.batch_execute(&format!(
        "INSERT INTO editions (slug, name, name_en, year, rules, rules_en, opens_at, closes_at, judging_deadline, \
         entries_per_category, state, state_changed_at, created_at, updated_at, blind_judging, aggregation, show_scores) \
         VALUES ('bench', 'Bench', 'Bench', 2026, '', '', {TS}, {TS}, '2999-01-01 00:00:00', 1, 'judging', {TS}, {TS}, {TS}, FALSE, 'mean', FALSE);"
    ))
    .unwrap();
    let edition = 1;
    insert_rows(
        c,
        "INSERT INTO categories (edition_id, code, name, name_en, description, description_en, position)",
        (0..CATEGORIES)
            .map(|i| format!("({edition}, 'C{i}', 'Kategoria {i}', 'Category {i}', '', '', {i})")),
    );
    insert_rows(
        c,
        "INSERT INTO criteria (edition_id, name, name_en, description, description_en, max_points, weight, levels, levels_en, position)",
        (0..CRITERIA).map(|i| {
            format!(
                "({edition}, 'Kryterium {i}', 'Criterion {i}', '', '', 10, {}, '', '', {i})",
                1.0 + (i % 2) as f64
            )
        }),
    );
    insert_rows(
        c,
        "INSERT INTO institutions (name, kind, street, postal_code, city, contact_person, phone, created_at, updated_at)",
        (0..INSTITUTIONS).map(|i| format!("('Gmina {i}', 'gmina_wiejska', 'ul. 1', '00-001', 'X', 'Y', '22 000 00 00', {TS}, {TS})")),
    );
    insert_rows(
        c,
        "INSERT INTO users (email, name, password_hash, role, lang, email_verified_at, created_at, updated_at)",
        (0..JURORS).map(|i| format!("('juror{i}@bench.example', 'Juror {i}', '{pw_hash}', 'juror', 'pl', {TS}, {TS}, {TS})")),
    );
    // The jurors have read the current privacy notice (else every page leads to acknowledging it).
    let version = "COALESCE((SELECT privacy_version FROM site_texts WHERE id = 1), 1)";
    c.batch_execute(&format!(
        "INSERT INTO privacy_consents (user_id, version, at) SELECT id, {version}, {TS} FROM users; \
         UPDATE users SET privacy_version = {version};"
    ))
    .unwrap();
    insert_rows(
        c,
        "INSERT INTO entries (edition_id, category_id, institution_id, created_by, title, summary, description, budget, funding, partners, links, \
         contact_name, contact_email, contact_phone, accepted_rules, accepted_privacy, status, decision_note, created_at, updated_at)",
        (0..ENTRIES).map(|i| {
            format!(
                "({edition}, {}, {}, 1, 'Projekt {i}', '', '', '', '', '', '', '', '', '', TRUE, TRUE, 'accepted', '', {TS}, {TS})",
                1 + i % CATEGORIES,
                1 + i % INSTITUTIONS
            )
        }),
    );
    let jurors_of = |entry: usize| (0..PER_ENTRY).map(move |k| 1 + (entry * 7 + k * 11) % JURORS);
    insert_rows(
        c,
        "INSERT INTO assignments (edition_id, entry_id, juror_id, created_at)",
        (0..ENTRIES)
            .flat_map(|e| jurors_of(e).map(move |j| format!("({edition}, {}, {j}, {TS})", e + 1))),
    );
    // Points follow a fixed pattern; the total is what `services::jury::save` keeps.
    let points =
        |e: usize, j: usize, k: usize| i32::try_from((e * 31 + j * 17 + k * 13) % 11).unwrap_or(0);
    let weight = |k: usize| 1.0 + (k % 2) as f64;
    insert_rows(
        c,
        "INSERT INTO reviews (edition_id, entry_id, juror_id, comment, status, total, submitted_at, updated_at)",
        (0..ENTRIES).flat_map(|e| {
            jurors_of(e).map(move |j| {
                let total: f64 = (0..CRITERIA)
                    .map(|k| f64::from(points(e, j, k)) * weight(k))
                    .sum();
                format!(
                    "({edition}, {}, {j}, 'Uzasadnienie', 'submitted', {total}, {TS}, {TS})",
                    e + 1
                )
            })
        }),
    );
    insert_rows(
        c,
        "INSERT INTO scores (review_id, criterion_id, points)",
        (0..ENTRIES).flat_map(|e| {
            jurors_of(e).enumerate().flat_map(move |(n, j)| {
                let review = e * PER_ENTRY + n + 1;
                (0..CRITERIA).map(move |k| format!("({review}, {}, {})", k + 1, points(e, j, k)))
            })
        }),
    );
    // Some conflicts, left out by the ranking's anti-join.
    insert_rows(
        c,
        "INSERT INTO conflicts (edition_id, juror_id, institution_id, reason, declared_by, created_at)",
        (0..JURORS).map(|j| {
            format!(
                "({edition}, {}, {}, '', 1, {TS})",
                j + 1,
                1 + j * 37 % INSTITUTIONS
            )
        }),
    );
    insert_rows(
        c,
        "INSERT INTO declarations (edition_id, juror_id, accepted_at)",
        (0..JURORS).map(|j| format!("({edition}, {}, {TS})", j + 1)),
    );
    c.batch_execute("COMMIT").unwrap();
    // Fresh statistics, as a database in use would have.
    c.batch_execute("ANALYZE").unwrap();
    (edition, 1)
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64) {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    (v[0], v[v.len() / 2], v[v.len() * 95 / 100])
}

fn main() {
    let dir = std::env::temp_dir().join(format!("konkurs-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("bench.db").display()));
    let db_url = DbUrl::parse(&url).expect("database url");
    println!("backend: {}", db_url.backend_name());
    let db = Db::open(db_url.clone(), 8).expect("open database");
    let pw = "bench password 1234";
    let hash = konkurs::domain::password::hash(pw);
    let t = Instant::now();
    let (edition_id, _) = {
        let mut c = db.conn().unwrap();
        seed(&mut c, &hash)
    };
    println!(
        "seeded {ENTRIES} entries, {JURORS} jurors, {} judgements, {} scores in {:.1} s",
        ENTRIES * PER_ENTRY,
        ENTRIES * PER_ENTRY * CRITERIA,
        t.elapsed().as_secs_f64()
    );

    // Ranking: the organisers' page and the protocol compute it on every view. Timed without a
    // tie-break criterion (the precomputed totals only) and with one (its points read as well).
    let mut c = db.conn().unwrap();
    let e = editions::find(&mut c, edition_id).unwrap().unwrap();
    let mut with_tie = e.clone();
    with_tie.tie_break_criterion_id = Some(3);
    for (label, ed) in [
        ("without a tie-break", &e),
        ("with a tie-break criterion", &with_tie),
    ] {
        let ranked = konkurs::services::results::ranking(&mut c, ed).unwrap();
        assert_eq!(ranked.len(), ENTRIES);
        let mut times = Vec::new();
        for _ in 0..20 {
            let t = Instant::now();
            let r = konkurs::services::results::ranking(&mut c, ed).unwrap();
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            assert_eq!(r.len(), ENTRIES);
        }
        let (min, med, p95) = stats(times);
        println!(
            "ranking 10,000 entries / 300,000 scores {label}: min {min:.1} ms, median {med:.1} ms, p95 {p95:.1} ms (20 runs)"
        );
    }
    // The applicant's entry page after publication (with the scores shown): the service call
    // behind it, for entries spread over the edition.
    c.batch_execute("UPDATE editions SET state = 'published', show_scores = TRUE")
        .unwrap();
    let mut times = Vec::new();
    for i in 0..50 {
        let entry_id = i32::try_from(1 + i * 197 % ENTRIES).unwrap();
        let entry = konkurs::db::entries::find(&mut c, entry_id)
            .unwrap()
            .unwrap();
        let viewer = konkurs::services::entries::Viewer {
            user_id: 1,
            role: konkurs::domain::roles::Role::Applicant,
            institution_id: Some(entry.institution_id),
        };
        let t = Instant::now();
        let (_, fb) = konkurs::services::entries::own_details(&mut c, &viewer, entry_id)
            .unwrap()
            .unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let fb = fb.expect("feedback after publication");
        assert!(!fb.jurors.is_empty() && fb.criteria.len() == CRITERIA);
    }
    let (min, med, p95) = stats(times);
    println!(
        "applicant's entry page with feedback (published, 10,000 entries): min {min:.2} ms, median {med:.2} ms, p95 {p95:.2} ms (50 entries)"
    );
    c.batch_execute("UPDATE editions SET state = 'judging', show_scores = FALSE")
        .unwrap();
    // The queries behind the juror's page, without HTTP.
    let mut times = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let rows = konkurs::db::jury::assigned_to(&mut c, 1, edition_id).unwrap();
        let _ = konkurs::db::jury::participating_institutions(&mut c, edition_id).unwrap();
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(rows.len(), ENTRIES * PER_ENTRY / JURORS);
    }
    let (min, med, p95) = stats(times);
    println!(
        "juror's entry list queries (1,000 entries): min {min:.1} ms, median {med:.1} ms, p95 {p95:.1} ms (20 runs)"
    );
    drop(c);

    // The juror's entry list (1,000 entries each here) under load, over HTTP.
    let args = ServeArgs {
        db: DbArgs {
            database_url: Some(url.clone()),
            data_dir: dir.clone(),
            db_wait: 0,
        },
        mail_from: "Bench <bench@example.org>".into(),
        secret_key: Some("k".repeat(64)),
        ..ServeArgs::local(&dir)
    };
    let config = Config::from_args(&args).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let running = konkurs::startup::build(config).unwrap();
            tx.send(running.state.config.base_url.clone()).unwrap();
            let _ = running.server.await;
        });
    });
    let base = rx.recv().unwrap();
    let threads: usize = std::env::var("BENCH_CLIENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8);
    let seconds: u64 = std::env::var("BENCH_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10);
    let stop = Arc::new(AtomicBool::new(false));
    let done = Arc::new(AtomicU64::new(0));
    let mut handles = Vec::new();
    for n in 0..threads {
        let (base, stop, done) = (base.clone(), stop.clone(), done.clone());
        handles.push(std::thread::spawn(move || {
            let agent: ureq::Agent = ureq::Agent::config_builder()
                .http_status_as_error(false)
                .build()
                .into();
            // Each client logs in as its own juror, like a real browser with a cookie jar.
            let login_page = agent
                .get(format!("{base}/login"))
                .call()
                .unwrap()
                .body_mut()
                .read_to_string()
                .unwrap();
            let at = login_page.find("name=\"csrf\" value=\"").unwrap() + 19;
            let csrf = &login_page[at..at + 64];
            let email = format!("juror{}@bench.example", n % JURORS);
            let res = agent
                .post(format!("{base}/login"))
                .send_form([
                    ("csrf", csrf),
                    ("email", email.as_str()),
                    ("password", "bench password 1234"),
                ])
                .unwrap();
            assert_eq!(res.status(), 200);
            let mut lat = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let t = Instant::now();
                let mut r = agent.get(format!("{base}/jury")).call().unwrap();
                let body = r
                    .body_mut()
                    .with_config()
                    .limit(20 << 20)
                    .read_to_string()
                    .unwrap();
                assert!(r.status() == 200 && body.contains("Projekt "), "juror page");
                lat.push(t.elapsed().as_secs_f64() * 1000.0);
                done.fetch_add(1, Ordering::Relaxed);
            }
            lat
        }));
    }
    std::thread::sleep(Duration::from_secs(seconds));
    stop.store(true, Ordering::Relaxed);
    let mut all = Vec::new();
    for h in handles {
        all.extend(h.join().unwrap());
    }
    let n = done.load(Ordering::Relaxed);
    let (min, med, p95) = stats(all);
    println!(
        "juror's entry list (1,000 entries) with {threads} concurrent clients for {seconds} s: {n} pages, {:.0} pages/s, latency min {min:.1} ms, median {med:.1} ms, p95 {p95:.1} ms",
        n as f64 / seconds as f64
    );
    std::fs::remove_dir_all(&dir).ok();
}
