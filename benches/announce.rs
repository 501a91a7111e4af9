//! The results announcement to 2,500 participants: queued through the real service, sent by the
//! real outbox worker (started with the real app) to a small SMTP server inside this benchmark,
//! which counts connections, messages, Message-IDs and recipients.
//!
//!     cargo bench --bench announce                       # SQLite in a temporary directory
//!     BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench cargo bench --bench announce
//!
//! The PostgreSQL database must exist and be empty. Prints messages/s, the total time, and how
//! many messages were lost or duplicated; exits non-zero if any was.

mod common;

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use common::{TS, insert_rows};
use diesel::connection::SimpleConnection;
use konkurs::config::{Config, DbArgs, ServeArgs};
use konkurs::db::{Db, DbConn, DbUrl};

const PARTICIPANTS: usize = 2_500;
/// The address of participant `i`: one municipality each, each with its own domain.
fn address(i: usize) -> String {
    format!("sekretariat@gmina{i}.example")
}

/// A published edition with one accepted entry from each of `PARTICIPANTS` institutions, each
/// with one account; user 1 is the organiser. Returns the edition's id.
fn seed(c: &mut DbConn) -> i32 {
    c.batch_execute("BEGIN").unwrap();
    c.batch_execute(&format!(
        "INSERT INTO editions (slug, name, name_en, year, rules, rules_en, opens_at, closes_at, judging_deadline, \
         entries_per_category, state, state_changed_at, created_at, updated_at, blind_judging, aggregation, show_scores, \
         protocol_finalised_at, results_published_at) \
         VALUES ('bench', 'Konkurs 2026', 'Contest 2026', 2026, '', '', {TS}, {TS}, {TS}, 1, 'published', {TS}, {TS}, {TS}, \
         FALSE, 'mean', FALSE, {TS}, {TS});"
    ))
    .unwrap();
    let edition = 1;
    insert_rows(
        c,
        "INSERT INTO categories (edition_id, code, name, name_en, description, description_en, position)",
        (0..2)
            .map(|i| format!("({edition}, 'C{i}', 'Kategoria {i}', 'Category {i}', '', '', {i})")),
    );
    insert_rows(
        c,
        "INSERT INTO institutions (name, kind, street, postal_code, city, contact_person, phone, created_at, updated_at)",
        (0..PARTICIPANTS).map(|i| format!("('Gmina {i}', 'gmina_wiejska', 'ul. 1', '00-001', 'X', 'Y', '22 000 00 00', {TS}, {TS})")),
    );
    c.batch_execute(&format!(
        "INSERT INTO users (email, name, password_hash, role, lang, email_verified_at, created_at, updated_at) \
         VALUES ('org@bench.example', 'Organiser', NULL, 'organiser', 'pl', {TS}, {TS}, {TS});"
    ))
    .unwrap();
    insert_rows(
        c,
        "INSERT INTO users (email, name, password_hash, role, institution_id, lang, email_verified_at, created_at, updated_at)",
        (0..PARTICIPANTS).map(|i| {
            format!(
                "('{}', 'Osoba {i}', NULL, 'applicant', {}, '{}', {TS}, {TS}, {TS})",
                address(i),
                i + 1,
                if i % 5 == 0 { "en" } else { "pl" }
            )
        }),
    );
    insert_rows(
        c,
        "INSERT INTO entries (edition_id, category_id, institution_id, created_by, title, summary, description, budget, funding, partners, links, \
         contact_name, contact_email, contact_phone, accepted_rules, accepted_privacy, status, decision_note, created_at, updated_at)",
        (0..PARTICIPANTS).map(|i| {
            format!(
                "({edition}, {}, {}, {}, 'Projekt {i}', '', '', '', '', '', '', '', '', '', TRUE, TRUE, 'accepted', '', {TS}, {TS})",
                1 + i % 2,
                i + 1,
                i + 2
            )
        }),
    );
    c.batch_execute("COMMIT").unwrap();
    c.batch_execute("ANALYZE").unwrap();
    edition
}

/// What the SMTP server received.
#[derive(Default)]
struct Received {
    messages: usize,
    /// Times each Message-ID arrived.
    ids: HashMap<String, usize>,
    /// Times each recipient got a message.
    rcpts: HashMap<String, usize>,
    last: Option<Instant>,
}

#[derive(Clone, Default)]
struct Sink {
    received: Arc<(Mutex<Received>, Condvar)>,
    connections: Arc<AtomicUsize>,
}

impl Sink {
    fn start() -> (Sink, u16) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let sink = Sink::default();
        let s = sink.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                s.connections.fetch_add(1, Ordering::SeqCst);
                let s = s.clone();
                std::thread::spawn(move || {
                    let _ = s.session(stream);
                });
            }
        });
        (sink, port)
    }

    fn session(&self, stream: TcpStream) -> std::io::Result<()> {
        stream.set_nodelay(true)?;
        let mut out = stream.try_clone()?;
        let mut reader = BufReader::new(stream);
        out.write_all(b"220 bench ESMTP\r\n")?;
        let mut rcpts: Vec<String> = Vec::new();
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line)? == 0 {
                return Ok(());
            }
            let upper = line.trim_end().to_ascii_uppercase();
            if upper.starts_with("EHLO") {
                out.write_all(
                    b"250-bench\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 SIZE 20000000\r\n",
                )?;
            } else if upper.starts_with("MAIL FROM:") {
                rcpts.clear();
                out.write_all(b"250 OK\r\n")?;
            } else if upper.starts_with("RCPT TO:") {
                let addr = line.trim_end()[8..]
                    .trim()
                    .trim_start_matches('<')
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .to_lowercase();
                rcpts.push(addr);
                out.write_all(b"250 OK\r\n")?;
            } else if upper == "DATA" {
                out.write_all(b"354 go on\r\n")?;
                let mut id = String::new();
                loop {
                    line.clear();
                    if reader.read_line(&mut line)? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" {
                        break;
                    }
                    if id.is_empty()
                        && line.len() > 11
                        && line[..11].eq_ignore_ascii_case("message-id:")
                    {
                        id = line[11..].trim().to_string();
                    }
                }
                {
                    let (lock, arrived) = &*self.received;
                    let mut r = lock.lock().unwrap();
                    r.messages += 1;
                    *r.ids.entry(id).or_default() += 1;
                    for to in rcpts.drain(..) {
                        *r.rcpts.entry(to).or_default() += 1;
                    }
                    r.last = Some(Instant::now());
                    arrived.notify_all();
                }
                out.write_all(b"250 queued\r\n")?;
            } else if upper == "RSET" || upper == "NOOP" {
                out.write_all(b"250 OK\r\n")?;
            } else if upper == "QUIT" {
                out.write_all(b"221 bye\r\n")?;
                return Ok(());
            } else {
                out.write_all(b"502 no\r\n")?;
            }
        }
    }

    /// Waits until `n` messages arrived or nothing arrived for `quiet`.
    fn wait_for(&self, n: usize, quiet: Duration) {
        let (lock, arrived) = &*self.received;
        let mut r = lock.lock().unwrap();
        while r.messages < n {
            let (next, timeout) = arrived.wait_timeout(r, quiet).unwrap();
            r = next;
            if timeout.timed_out() {
                return;
            }
        }
    }
}

fn main() {
    let dir = std::env::temp_dir().join(format!("konkurs-bench-announce-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite://{}", dir.join("bench.db").display()));
    let db_url = DbUrl::parse(&url).expect("database url");
    println!("backend: {}", db_url.backend_name());
    let db = Db::open(db_url, 4).expect("open database");
    let t = Instant::now();
    let edition = {
        let mut c = db.conn().unwrap();
        seed(&mut c)
    };
    drop(db);
    println!(
        "seeded a published edition with {PARTICIPANTS} participants in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    let (sink, port) = Sink::start();
    let args = ServeArgs {
        db: DbArgs {
            database_url: Some(url.clone()),
            data_dir: dir.clone(),
            db_wait: 0,
        },
        smtp_url: Some(format!("smtp://127.0.0.1:{port}")),
        mail_from: "Konkurs <konkurs@urzad.example>".into(),
        secret_key: Some("k".repeat(64)),
        ..ServeArgs::local(&dir)
    };
    let config = Config::from_args(&args).unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let server = std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let running = konkurs::startup::build(config).unwrap();
            tx.send((running.state.clone(), running.shutdown)).unwrap();
            let _ = running.server.await;
            // The worker drains after the shutdown signal; wait for it.
            let _ = running.worker.await;
        });
    });
    let (state, shutdown) = rx.recv().unwrap();

    // Queue the announcement the way the organiser's button does.
    let t = Instant::now();
    let queued = {
        let mut c = state.db.conn().unwrap();
        konkurs::services::results::announce(
            &mut c,
            &state.config,
            1,
            edition,
            &[],
            state.clock.now(),
        )
        .unwrap_or_else(|e| panic!("announce: {e:?}"))
    };
    let queueing = t.elapsed();
    assert_eq!(queued, PARTICIPANTS, "one message per participant");
    println!(
        "queued {queued} messages in {:.0} ms",
        queueing.as_secs_f64() * 1000.0
    );
    let start = Instant::now();
    state.mail_signal.notify_one();
    sink.wait_for(PARTICIPANTS, Duration::from_secs(30));
    // Let anything sent twice arrive too.
    std::thread::sleep(Duration::from_millis(500));
    let sent_rows = {
        use diesel::prelude::*;
        use konkurs::db::schema::outbox;
        let mut c = state.db.conn().unwrap();
        outbox::table
            .filter(outbox::status.eq(konkurs::db::outbox::OutboxStatus::Sent))
            .count()
            .get_result::<i64>(&mut **c)
            .unwrap()
    };
    let _ = shutdown.send(true);
    let _ = server.join();

    let r = sink.received.0.lock().unwrap();
    let took = r.last.map_or(Duration::ZERO, |l| l - start);
    let lost = (0..PARTICIPANTS)
        .filter(|i| !r.rcpts.contains_key(&address(*i)))
        .count();
    let duplicated = r.ids.values().map(|n| n - 1).sum::<usize>()
        + r.rcpts.values().map(|n| n - 1).sum::<usize>();
    println!(
        "sent {} messages in {:.2} s: {:.0} messages/s over {} SMTP connections; \
         recorded as sent: {sent_rows}; lost {lost}, duplicated {duplicated}",
        r.messages,
        took.as_secs_f64(),
        r.messages as f64 / took.as_secs_f64().max(1e-9),
        sink.connections.load(Ordering::SeqCst),
    );
    std::fs::remove_dir_all(&dir).ok();
    let recorded = usize::try_from(sent_rows).unwrap_or(0);
    if lost > 0 || duplicated > 0 || recorded != PARTICIPANTS {
        eprintln!("FAILED: lost {lost}, duplicated {duplicated}, recorded as sent {recorded}");
        std::process::exit(1);
    }
}
