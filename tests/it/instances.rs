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
