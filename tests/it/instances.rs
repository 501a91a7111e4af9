//! Several instances of the portal on one database: what one does, the other must not undo or
//! repeat.

use std::collections::HashSet;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use konkurs::db::outbox::{self, NewMessage, OutboxStatus};
use konkurs::db::schema;

use crate::both_backends;

both_backends!(two_workers_deliver_each_message_exactly_once, |app| {
    let second = app.second_instance();
    // A slow mail server: each message takes 2 s to be accepted, so both workers are busy
    // at once and a message claimed by one is due for the other many times over.
    app.smtp.answer_slowly(Duration::from_secs(2));
    let now = app.now();
    let ids: Vec<String> = app.db(|c| {
        (0..30)
            .map(|i| {
                let id = outbox::insert(
                    c,
                    &NewMessage {
                        kind: "test".into(),
                        to_email: format!("osoba{i}@gmina{}.example", i % 6),
                        to_name: format!("Osoba {i}"),
                        subject: format!("Wiadomość {i}"),
                        body_text: "Treść".into(),
                        body_html: "<p>Treść</p>".into(),
                        user_id: None,
                        institution_id: None,
                    },
                    now,
                )
                .unwrap();
                outbox::find(c, id).unwrap().unwrap().message_id
            })
            .collect()
    });
    app.state.wake_mailer();
    second.state.wake_mailer();
    let deadline = Instant::now() + Duration::from_secs(90);
    while app.smtp.all().len() < ids.len() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(200));
    }
    // Anything sent twice would arrive within one more slow answer.
    std::thread::sleep(Duration::from_secs(3));
    let mails = app.smtp.all();
    for id in &ids {
        let n = mails.iter().filter(|m| m.raw.contains(id.as_str())).count();
        assert_eq!(n, 1, "message {id} delivered {n} times");
    }
    assert_eq!(mails.len(), ids.len());
    let unsent = app.db(|c| {
        outbox::counts(c)
            .unwrap()
            .into_iter()
            .filter(|(s, _)| *s != OutboxStatus::Sent)
            .map(|(_, n)| n)
            .sum::<i64>()
    });
    assert_eq!(unsent, 0);
    // Both instances did part of the work: each claimed, and sent, some of the messages.
    let owners: HashSet<String> = app.db(|c| {
        schema::outbox::table
            .select(schema::outbox::claimed_by)
            .load::<Option<String>>(c)
            .unwrap()
            .into_iter()
            .flatten()
            .collect()
    });
    assert_eq!(owners.len(), 2, "claimed by {owners:?}");
    drop(second);
});

both_backends!(
    a_worker_whose_lease_ran_out_cannot_record_the_outcome,
    |app| {
        // No SMTP here: the test plays both workers by calling the outbox's functions directly.
        let t0 = app.now();
        let lease = chrono::Duration::seconds(120);
        app.db(|c| {
            let id = outbox::insert(
                c,
                &NewMessage {
                    kind: "test".into(),
                    to_email: "osoba@gmina.example".into(),
                    to_name: "Osoba".into(),
                    subject: "Wiadomość".into(),
                    body_text: "Treść".into(),
                    body_html: "<p>Treść</p>".into(),
                    user_id: None,
                    institution_id: None,
                },
                t0,
            )
            .unwrap();
            // Make sure the running app's own worker does not take it first.
            diesel::update(schema::outbox::table.find(id))
                .set(schema::outbox::next_attempt_at.eq(t0 + chrono::Duration::days(1)))
                .execute(c)
                .unwrap();
            let t1 = t0 + chrono::Duration::days(1);
            let a = outbox::claim_due(c, "a", t1, 10, lease, &[], 2).unwrap();
            assert_eq!(a.len(), 1);
            // While A holds it, B gets nothing.
            assert!(
                outbox::claim_due(c, "b", t1, 10, lease, &[], 2)
                    .unwrap()
                    .is_empty()
            );
            // A stalls past its lease; B takes the message over.
            let t2 = t1 + lease + chrono::Duration::seconds(1);
            let b = outbox::claim_due(c, "b", t2, 10, lease, &[], 2).unwrap();
            assert_eq!(b.len(), 1);
            // A's late outcome is not recorded; B's is.
            assert!(!outbox::mark_attempt_failed(c, id, "a", "late", None, t2).unwrap());
            assert!(!outbox::mark_sent(c, &a[0], "a", t2).unwrap());
            assert_eq!(
                outbox::find(c, id).unwrap().unwrap().status,
                OutboxStatus::Queued
            );
            assert!(outbox::mark_sent(c, &b[0], "b", t2).unwrap());
            let m = outbox::find(c, id).unwrap().unwrap();
            assert_eq!(m.status, OutboxStatus::Sent);
            assert_eq!(m.claimed_by.as_deref(), Some("b"));
            assert_eq!(m.attempts, 1);
        });
    }
);

/// Instances started at once on a fresh database: one applies the migrations, the others wait
/// for it and find nothing left to do; none fails.
fn migrate_at_once(url: konkurs::db::DbUrl) {
    let n = 4;
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(n));
    let handles: Vec<_> = (0..n)
        .map(|_| {
            let (url, barrier) = (url.clone(), barrier.clone());
            std::thread::spawn(move || {
                barrier.wait();
                konkurs::db::Db::open(url, 2).map(|_| ())
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().expect("an instance failed to start");
    }
}

#[test]
fn instances_started_at_once_migrate_once_sqlite() {
    let dir = std::env::temp_dir().join(format!(
        "konkurs-it-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    migrate_at_once(konkurs::db::DbUrl::Sqlite(dir.join("fresh.db")));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn instances_started_at_once_migrate_once_postgres() {
    let Some(pg) = crate::support::PgDatabase::create() else {
        return;
    };
    migrate_at_once(konkurs::db::DbUrl::Postgres(pg.url.clone()));
}

/// A database that comes up after the portal: the portal waits for it (up to KONKURS_DB_WAIT)
/// instead of failing at once; with no wait it fails with a clear message.
#[test]
fn the_portal_waits_for_a_database_that_starts_later() {
    let Some(pg) = crate::support::PgDatabase::create() else {
        return;
    };
    // The database the portal is pointed at does not exist yet.
    let later = format!("{}_later", pg.name);
    let url = pg.url.replace(&pg.name, &later);
    let err =
        konkurs::db::Db::connect(konkurs::db::DbUrl::Postgres(url.clone()), 1, Duration::ZERO)
            .err()
            .expect("no database, no wait: an error");
    assert!(err.contains("cannot connect to PostgreSQL"), "{err}");
    let admin = pg.url.replace(&pg.name, "postgres");
    let create = later.clone();
    let creator = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_secs(3));
        let mut c = diesel::PgConnection::establish(&admin).unwrap();
        diesel::sql_query(format!("CREATE DATABASE {create}"))
            .execute(&mut c)
            .unwrap();
    });
    let started = Instant::now();
    let db = konkurs::db::Db::connect(
        konkurs::db::DbUrl::Postgres(url),
        1,
        Duration::from_secs(30),
    )
    .expect("the portal waits for the database");
    assert!(started.elapsed() >= Duration::from_secs(2));
    db.migrate().unwrap();
    drop(db);
    creator.join().unwrap();
    let admin = pg.url.replace(&pg.name, "postgres");
    let mut c = diesel::PgConnection::establish(&admin).unwrap();
    let _ =
        diesel::sql_query(format!("DROP DATABASE IF EXISTS {later} WITH (FORCE)")).execute(&mut c);
}

/// With --no-migrate the portal does not touch the schema, and refuses to start on one that is
/// older than the program.
#[test]
fn no_migrate_refuses_an_older_schema() {
    let dir = std::env::temp_dir().join(format!(
        "konkurs-it-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let mut args = crate::support::serve_args(&dir);
    args.no_migrate = true;
    let config = konkurs::config::Config::from_args(&args).unwrap();
    let err = actix_web::rt::System::new()
        .block_on(async { konkurs::startup::build(config.clone()).err() })
        .expect("an empty database is refused");
    assert!(err.contains("konkurs migrate"), "{err}");
    // Still refused until `konkurs migrate` (here: its function) has run.
    let db = konkurs::db::Db::connect(config.database_url.clone(), 1, Duration::ZERO).unwrap();
    assert!(db.check_migrated().is_err());
    db.migrate().unwrap();
    drop(db);
    let started = actix_web::rt::System::new().block_on(async {
        konkurs::startup::build(config)
            .map(|r| r.server.handle().stop(false))
            .is_ok()
    });
    assert!(started, "a migrated database is accepted");
    let _ = std::fs::remove_dir_all(&dir);
}

/// The data directory, the database and the secret key are created readable by the portal's
/// user only: they hold personal data, password hashes and the key to every session.
#[cfg(unix)]
#[test]
fn data_files_are_created_private() {
    use std::os::unix::fs::PermissionsExt;
    let root = std::env::temp_dir().join(format!(
        "konkurs-it-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let data = root.join("data");
    let args = crate::support::serve_args(&data);
    let config = konkurs::config::Config::from_args(&args).unwrap();
    let db = konkurs::db::Db::open(config.database_url.clone(), 1).unwrap();
    drop(db);
    let mode = |p: &std::path::Path| {
        std::fs::metadata(p)
            .unwrap_or_else(|e| panic!("{}: {e}", p.display()))
            .permissions()
            .mode()
            & 0o777
    };
    assert_eq!(mode(&data), 0o700);
    assert_eq!(mode(&data.join("konkurs.db")), 0o600);
    assert_eq!(mode(&data.join("secret.key")), 0o600);
    for side in ["konkurs.db-wal", "konkurs.db-shm"] {
        let p = data.join(side);
        if p.exists() {
            assert_eq!(mode(&p), 0o600, "{side}");
        }
    }
    let _ = std::fs::remove_dir_all(&root);
}

both_backends!(readiness_says_when_the_schema_is_behind, |app| {
    let c = app.client();
    assert_eq!(
        (c.get("/readyz").status, c.get("/readyz").body),
        (200, "ok".to_string())
    );
    assert_eq!(c.get("/healthz").status, 200);
    // A schema older than the program (its latest migration not applied): not ready, alive.
    app.db(|c| {
        diesel::sql_query("DELETE FROM __diesel_schema_migrations WHERE version = (SELECT MAX(version) FROM __diesel_schema_migrations)")
            .execute(c)
            .unwrap();
    });
    let ready = c.get("/readyz");
    assert_eq!(ready.status, 503);
    assert!(ready.body.contains("konkurs migrate"), "{}", ready.body);
    assert_eq!(c.get("/healthz").status, 200);
});

/// A database that goes away is noticed by the readiness probe within its 2 s, while the
/// process stays alive.
#[test]
fn readiness_notices_a_database_that_went_away() {
    let Some(app) = crate::support::TestApp::spawn(crate::support::Backend::Postgres) else {
        return;
    };
    let c = app.client();
    assert_eq!(c.get("/readyz").status, 200);
    let name = app.db(|c| {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Text>(
            "current_database()",
        ))
        .get_result::<String>(c)
        .unwrap()
    });
    let admin = std::env::var("KONKURS_TEST_PG_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432".into());
    let mut pg = diesel::PgConnection::establish(&format!("{admin}/postgres")).unwrap();
    diesel::sql_query(format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut pg)
        .unwrap();
    let started = Instant::now();
    let ready = c.get("/readyz");
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert!(
        ready.body.starts_with("database unavailable"),
        "{}",
        ready.body
    );
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(c.get("/healthz").status, 200);
}
