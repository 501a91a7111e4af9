//! The outbox worker over reused SMTP connections: a large announcement arrives exactly once
//! per person, and stopping an app in the middle of sending ends cleanly.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use konkurs::db::outbox::{self, NewMessage, OutboxStatus};
use konkurs::db::schema;

use crate::both_backends;
use crate::support::TestApp;

const PARTICIPANTS: usize = 60;
const TS: &str = "'2026-01-01 00:00:00'";

fn address(i: usize) -> String {
    format!("sekretariat@gmina-mail{i}.example")
}

/// A published edition with one accepted entry from each of `PARTICIPANTS` institutions, each
/// with one account. Returns (edition id, the id of one of the accounts).
fn published_edition(app: &TestApp) -> (i32, i32) {
    app.db(|c| {
        c.batch_execute(&format!(
            "INSERT INTO editions (slug, name, name_en, year, rules, rules_en, opens_at, closes_at, \
             judging_deadline, entries_per_category, state, state_changed_at, created_at, updated_at, \
             blind_judging, aggregation, show_scores, protocol_finalised_at, results_published_at) \
             VALUES ('mail-60', 'Konkurs 60', 'Contest 60', 2026, '', '', {TS}, {TS}, {TS}, 1, \
             'published', {TS}, {TS}, {TS}, FALSE, 'mean', FALSE, {TS}, {TS});"
        ))
        .unwrap();
        let edition: i32 = schema::editions::table
            .filter(schema::editions::slug.eq("mail-60"))
            .select(schema::editions::id)
            .first(c)
            .unwrap();
        c.batch_execute(&format!(
            "INSERT INTO categories (edition_id, code, name, name_en, description, description_en, position) \
             VALUES ({edition}, 'M', 'Kategoria', 'Category', '', '', 0);"
        ))
        .unwrap();
        let category: i32 = schema::categories::table
            .filter(schema::categories::edition_id.eq(edition))
            .select(schema::categories::id)
            .first(c)
            .unwrap();
        let rows: Vec<String> = (0..PARTICIPANTS)
            .map(|i| {
                format!("('Gmina mail {i}', 'gmina_wiejska', 'ul. 1', '00-001', 'X', 'Y', '22 000 00 00', {TS}, {TS})")
            })
            .collect();
        c.batch_execute(&format!(
            "INSERT INTO institutions (name, kind, street, postal_code, city, contact_person, phone, \
             created_at, updated_at) VALUES {};",
            rows.join(",")
        ))
        .unwrap();
        let institutions: HashMap<String, i32> = schema::institutions::table
            .filter(schema::institutions::name.like("Gmina mail %"))
            .select((schema::institutions::name, schema::institutions::id))
            .load(c)
            .unwrap()
            .into_iter()
            .collect();
        let rows: Vec<String> = (0..PARTICIPANTS)
            .map(|i| {
                format!(
                    "('{}', 'Osoba {i}', NULL, 'applicant', {}, '{}', {TS}, {TS}, {TS})",
                    address(i),
                    institutions[&format!("Gmina mail {i}")],
                    if i % 3 == 0 { "en" } else { "pl" }
                )
            })
            .collect();
        c.batch_execute(&format!(
            "INSERT INTO users (email, name, password_hash, role, institution_id, lang, \
             email_verified_at, created_at, updated_at) VALUES {};",
            rows.join(",")
        ))
        .unwrap();
        let users: HashMap<String, i32> = schema::users::table
            .filter(schema::users::email.like("%@gmina-mail%"))
            .select((schema::users::email, schema::users::id))
            .load(c)
            .unwrap()
            .into_iter()
            .collect();
        let rows: Vec<String> = (0..PARTICIPANTS)
            .map(|i| {
                format!(
                    "({edition}, {category}, {}, {}, 'Projekt {i}', '', '', '', '', '', '', '', '', '', \
                     TRUE, TRUE, 'accepted', '', {TS}, {TS})",
                    institutions[&format!("Gmina mail {i}")],
                    users[&address(i)]
                )
            })
            .collect();
        c.batch_execute(&format!(
            "INSERT INTO entries (edition_id, category_id, institution_id, created_by, title, summary, \
             description, budget, funding, partners, links, contact_name, contact_email, contact_phone, \
             accepted_rules, accepted_privacy, status, decision_note, created_at, updated_at) VALUES {};",
            rows.join(",")
        ))
        .unwrap();
        (edition, users[&address(0)])
    })
}

/// Waits (up to 60 s) until the SMTP server has `n` messages; returns how many it has.
fn wait_for_mail(app: &TestApp, n: usize) -> usize {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let got = app.smtp.all().len();
        if got >= n || Instant::now() > deadline {
            return got;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

both_backends!(
    an_announcement_to_many_arrives_once_each_over_reused_connections,
    |app| {
        let (edition, organiser) = published_edition(&app);
        let queued = app.db(|c| {
            konkurs::services::results::announce(
                c,
                &app.state.config,
                organiser,
                edition,
                &[],
                app.now(),
            )
            .unwrap_or_else(|e| panic!("announce: {e:?}"))
        });
        assert_eq!(queued, PARTICIPANTS);
        app.state.mail_signal.notify_one();
        assert_eq!(wait_for_mail(&app, PARTICIPANTS), PARTICIPANTS);
        // Every delivered message is recorded as sent, so nothing goes out twice later.
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let sent: i64 = app.db(|c| {
                schema::outbox::table
                    .filter(schema::outbox::status.eq(OutboxStatus::Sent))
                    .count()
                    .get_result(c)
                    .unwrap()
            });
            if sent == PARTICIPANTS as i64 {
                break;
            }
            assert!(Instant::now() < deadline, "only {sent} recorded as sent");
            std::thread::sleep(Duration::from_millis(20));
        }
        let mails = app.smtp.all();
        assert_eq!(mails.len(), PARTICIPANTS, "a message was sent twice");
        for i in 0..PARTICIPANTS {
            assert_eq!(app.smtp.count_to(&address(i)), 1, "{}", address(i));
        }
        let ids: std::collections::HashSet<&str> = mails
            .iter()
            .filter_map(|m| {
                m.raw
                    .lines()
                    .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
            })
            .collect();
        assert_eq!(
            ids.len(),
            PARTICIPANTS,
            "each message has its own Message-ID"
        );
        // Connections are reused: a handful for the parallel deliveries, not one per message.
        let connections = app.smtp.connections();
        assert!(
            connections <= 20,
            "{connections} SMTP connections for {PARTICIPANTS} messages"
        );
    }
);

both_backends!(stopping_an_app_while_it_sends_ends_without_a_panic, |app| {
    let mut app = app;
    // Slow answers: deliveries are in flight, on pooled connections, when the app stops.
    app.smtp.answer_slowly(Duration::from_millis(300));
    let now = app.now();
    app.db(|c| {
        for i in 0..30 {
            let m = NewMessage {
                kind: "test".into(),
                to_email: address(i),
                to_name: format!("Osoba {i}"),
                subject: format!("Wiadomość {i}"),
                body_text: "Treść".into(),
                body_html: "<p>Treść</p>".into(),
                user_id: None,
                institution_id: None,
            };
            outbox::insert(c, &m, now).unwrap();
        }
    });
    app.state.mail_signal.notify_one();
    assert!(wait_for_mail(&app, 1) >= 1, "nothing was sent");
    assert!(
        app.halt_cleanly(),
        "the server's thread panicked while stopping"
    );
    assert!(
        app.smtp.all().len() < 30,
        "everything was sent before the stop"
    );
});
