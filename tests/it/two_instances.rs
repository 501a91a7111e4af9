//! Two `konkurs serve` processes on one PostgreSQL database and one S3 bucket, with the same
//! secret key, as a load balancer runs them: one login for both, one logout for both,
//! attachments across, every email exactly once while both workers send to a slow server, and a
//! SIGKILL that loses no committed write and no email.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::prelude::*;
use konkurs::db::outbox::{self, NewMessage};
use konkurs::db::schema::{attachments, entries, outbox as outbox_t};

use crate::cli::{Served, serve, temp_dir};
use crate::support::s3::{ACCESS_KEY, S3Bucket, SECRET_KEY};
use crate::support::{Client, PASSWORD, PDF, PgDatabase, SmtpSink, TestApp, login};

const KEY: &str = "two-instances-share-this-secret-key-of-more-than-sixty-four-bytes-0123456789";

fn message(to: &str, n: usize) -> NewMessage {
    NewMessage {
        kind: "results".into(),
        to_email: to.into(),
        to_name: format!("Uczestnik {n}"),
        subject: format!("Wyniki konkursu — wiadomość {n}"),
        body_text: "Treść".into(),
        body_html: "<p>Treść</p>".into(),
        user_id: None,
        institution_id: None,
    }
}

/// Queues `n` messages (one transaction, like an announcement) and returns their Message-IDs.
fn queue(app: &TestApp, tag: &str, n: usize) -> Vec<String> {
    app.db(|c| {
        let now = chrono::Utc::now().naive_utc();
        (0..n)
            .map(|i| {
                let id = outbox::insert(c, &message(&format!("{tag}{i}@gmina{i}.example"), i), now)
                    .unwrap();
                outbox::find(c, id).unwrap().unwrap().message_id
            })
            .collect()
    })
}

/// How many times each message arrived, after waiting (up to `wait`) for all of them.
fn deliveries(smtp: &SmtpSink, ids: &[String], wait: Duration) -> HashMap<String, usize> {
    let deadline = Instant::now() + wait;
    let count = || {
        let mails = smtp.all();
        ids.iter()
            .map(|id| {
                let n = mails.iter().filter(|m| m.raw.contains(id.as_str())).count();
                (id.clone(), n)
            })
            .collect::<HashMap<_, _>>()
    };
    while count().values().any(|n| *n == 0) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(100));
    }
    // A late duplicate would show up now.
    std::thread::sleep(Duration::from_millis(1500));
    count()
}

fn signed_in_on(c: &Client, base: &str) -> bool {
    let page = c.get_no_redirect(&format!("{base}/account"));
    match page.status {
        200 => true,
        303 => false,
        s => panic!("unexpected status {s} from {base}/account"),
    }
}

#[test]
fn two_processes_share_one_postgresql_database_and_one_s3_store() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let Some(bucket) = S3Bucket::create() else {
        return;
    };
    let pg_url = pg.url.clone();
    let storage_url = bucket.url();
    let smtp = SmtpSink::start();
    let smtp_url = smtp.url();
    let args: Vec<&str> = vec![
        "--database-url",
        &pg_url,
        "--storage-url",
        &storage_url,
        "--s3-access-key",
        ACCESS_KEY,
        "--s3-secret-key",
        SECRET_KEY,
        "--secret-key",
        KEY,
        "--smtp-url",
        &smtp_url,
    ];
    let (dir_a, dir_b) = (temp_dir(), temp_dir());
    // Both at once, on the fresh database: one applies the migrations, neither fails.
    let (mut a, b): (Served, Served) = std::thread::scope(|s| {
        let ha = s.spawn(|| serve(&dir_a, &args));
        let hb = s.spawn(|| serve(&dir_b, &args));
        (ha.join().unwrap(), hb.join().unwrap())
    });
    // The data is set up through an in-process instance on the same database and bucket,
    // which is then stopped: the two processes are the portal.
    let mut app = TestApp::spawn_on(pg, Some(bucket), smtp.clone());
    // One of the two issued the set-up link (and printed it, once); it works on any instance.
    let printed: Vec<String> = [&a, &b]
        .iter()
        .filter_map(|s| {
            s.setup_link
                .as_ref()
                .map(|l| l.replacen(&s.base, &app.base, 1))
        })
        .collect();
    assert_eq!(
        printed.len(),
        1,
        "exactly one instance issued a set-up link"
    );
    app.setup_link = printed.into_iter().next();
    let email = "dwie@gmina.example";
    let (_, entry_id) = crate::storage::draft(&app, email);
    app.halt();

    for base in [&a.base, &b.base] {
        let ready = Client::new(base).get("/readyz");
        assert_eq!(ready.status, 200, "{base}: {}", ready.body);
    }

    // One login for both, one logout for both.
    let c = Client::new(&a.base);
    login(&c, email, PASSWORD);
    assert!(signed_in_on(&c, &a.base) && signed_in_on(&c, &b.base));
    c.submit("/account", "/logout", &[]);
    assert!(!signed_in_on(&c, &b.base), "the logout on A ends B's too");
    assert!(!signed_in_on(&c, &a.base));
    login(&c, email, PASSWORD);

    // An attachment uploaded through A downloads through B.
    let up = c.upload(
        &format!("/entries/{entry_id}/edit"),
        &format!("/entries/{entry_id}/attachments"),
        "Opis wdrożenia.pdf",
        PDF,
    );
    up.assert_contains("Załącznik został dodany");
    let aid: i32 = app.db(|conn| {
        attachments::table
            .filter(attachments::entry_id.eq(entry_id))
            .select(attachments::id)
            .first(conn)
            .unwrap()
    });
    let url = format!("{}/entries/{entry_id}/attachments/{aid}", b.base);
    let mut res = c.agent.get(&url).call().unwrap();
    assert_eq!(res.status().as_u16(), 200);
    assert_eq!(res.body_mut().read_to_vec().unwrap(), PDF);

    // An announcement while both workers run and the mail server answers slowly: every
    // message exactly once.
    smtp.answer_slowly(Duration::from_millis(300));
    let ids = queue(&app, "a", 24);
    let seen = deliveries(&smtp, &ids, Duration::from_secs(60));
    assert!(seen.values().all(|n| *n == 1), "deliveries: {seen:?}");

    // SIGKILL of A in the middle of a second batch.
    smtp.answer_slowly(Duration::from_millis(500));
    let ids = queue(&app, "k", 24);
    let deadline = Instant::now() + Duration::from_secs(30);
    let arrived = |smtp: &SmtpSink| {
        let mails = smtp.all();
        ids.iter()
            .filter(|id| mails.iter().any(|m| m.raw.contains(id.as_str())))
            .count()
    };
    while arrived(&smtp) < 3 {
        assert!(Instant::now() < deadline, "the second batch did not start");
        std::thread::sleep(Duration::from_millis(20));
    }
    // A write committed through A just before it dies.
    let saved = c.submit(
        &format!("/entries/{entry_id}/edit"),
        &format!("/entries/{entry_id}/edit"),
        &crate::support::pairs(&crate::support::entry_form(
            app.db(|conn| {
                entries::table
                    .find(entry_id)
                    .select(entries::category_id)
                    .first(conn)
                    .unwrap()
            }),
            "Zapisane przed awarią",
            &[("action", "save")],
        )),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let pid = a.child.id();
    a.child.kill().unwrap(); // SIGKILL
    a.child.wait().unwrap();
    // What A held when it died: claimed and not marked sent.
    let owner = format!("{pid}:%");
    let held: Vec<String> = app.db(|conn| {
        outbox_t::table
            .filter(outbox_t::claimed_by.like(&owner))
            .filter(outbox_t::status.ne(konkurs::db::outbox::OutboxStatus::Sent))
            .select(outbox_t::message_id)
            .load(conn)
            .unwrap()
    });
    // Its lease (longer than any send) would hand them to B later; end it now instead of
    // waiting it out.
    app.db(|conn| {
        diesel::update(outbox_t::table.filter(outbox_t::claimed_by.like(&owner)))
            .set(outbox_t::locked_until.eq(chrono::Utc::now().naive_utc()))
            .execute(conn)
            .unwrap()
    });
    smtp.answer_slowly(Duration::ZERO);

    // B has the committed write and sends everything A did not.
    let page = c.get(&format!("{}/entries/{entry_id}", b.base));
    page.assert_contains("Zapisane przed awarią");
    let seen = deliveries(&smtp, &ids, Duration::from_secs(60));
    for (id, n) in &seen {
        assert!(*n >= 1, "{id} was lost: {seen:?}");
        // Only a message A was sending when it died may arrive twice (the server took it,
        // A never recorded it).
        assert!(
            *n == 1 || held.contains(id),
            "{id} arrived {n} times: {seen:?}"
        );
    }
    drop(b);
    drop(app);
    std::fs::remove_dir_all(&dir_a).ok();
    std::fs::remove_dir_all(&dir_b).ok();
}
