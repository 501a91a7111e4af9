//! Results on schedule: organisers preview the results and set, change or cancel the time;
//! nobody else sees them before; at the time the running server publishes them and queues the
//! announcement exactly once, also with two instances on one PostgreSQL database, and an
//! instance started after the time catches up.

use std::time::{Duration as StdDuration, Instant};

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::editions::{self, Edition};
use konkurs::db::schema::{audit_log, editions as editions_t, outbox};

use crate::both_backends;
use crate::support::{Client, PgDatabase, SmtpSink, TestApp, login, warsaw};

/// The model edition as it was before publication: judged, awarded, its protocol finalised.
fn judged(app: &TestApp) -> (Edition, Client) {
    let cfg = app.state.config.clone();
    let loaded = app.db(|c| konkurs::demo::load(c, &cfg)).unwrap();
    let id = app.db(|c| {
        let e = editions::find_by_slug(c, &loaded.slug).unwrap().unwrap();
        diesel::update(editions_t::table.find(e.id))
            .set((
                editions_t::state.eq("judging"),
                editions_t::results_published_at.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(c)
            .unwrap();
        e.id
    });
    let org = app.client();
    let email = &loaded
        .accounts
        .iter()
        .find(|a| a.role.as_str() == "organiser")
        .unwrap()
        .email;
    login(&org, email, &loaded.password);
    (app.db(|c| editions::find(c, id).unwrap().unwrap()), org)
}

fn edition(app: &TestApp, id: i32) -> Edition {
    app.db(|c| editions::find(c, id).unwrap().unwrap())
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    let action = action.to_string();
    app.db(move |c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn announcements(app: &TestApp) -> Vec<String> {
    app.db(|c| {
        outbox::table
            .filter(outbox::kind.like("announcement%"))
            .select(outbox::to_email)
            .load(c)
            .unwrap()
    })
}

/// Waits (up to 10 s) until the edition is published.
fn wait_published(app: &TestApp, id: i32) -> Edition {
    let deadline = Instant::now() + StdDuration::from_secs(10);
    loop {
        let e = edition(app, id);
        if e.state.as_str() == "published" {
            return e;
        }
        assert!(Instant::now() < deadline, "not published in time");
        std::thread::sleep(StdDuration::from_millis(100));
    }
}

both_backends!(
    results_are_published_and_announced_at_the_scheduled_time,
    |app: TestApp| {
        let (ed, org) = judged(&app);
        let (id, slug) = (ed.id, ed.slug.clone());
        let page = format!("/admin/editions/{id}/publication");
        let public = format!("/editions/{slug}/results");
        // Before publication: the public page does not exist; organisers see the preview.
        assert_eq!(app.client().get(&public).status, 404);
        let preview = org.get(&page);
        assert_eq!(preview.status, 200);
        assert_eq!(preview.h1(), "Publikacja wyników: VI edycja");
        preview.assert_contains("Publikacja wyników nie jest zaplanowana.");
        preview.assert_contains("Do chwili publikacji wyniki widzą tylko organizatorzy.");
        let laureate: String = app.db(|c| {
            konkurs::db::awards::laureates(c, id).unwrap()[0]
                .institution
                .clone()
        });
        preview.assert_contains(&laureate);
        org.get(&format!("/admin/editions/{id}"))
            .assert_contains(&format!("href=\"{page}\""));
        // Nobody but organisers.
        let stranger = app.client();
        assert_ne!(stranger.get_no_redirect(&page).status, 200);

        // A time in the past, or no time at all: the form again, with the input, nothing saved.
        let past = warsaw(app.now() - Duration::hours(1));
        let bad = org.submit(&page, &page, &[("publish_at", &past), ("announce", "yes")]);
        assert_eq!(bad.status, 422);
        assert!(bad.has_field_error("publish_at"));
        bad.assert_contains("Termin publikacji musi być w przyszłości.");
        bad.assert_contains(&format!("value=\"{past}\""));
        let bad = org.submit(&page, &page, &[("publish_at", "jutro")]);
        assert_eq!(bad.status, 422);
        bad.assert_contains("Podaj datę i godzinę");
        assert_eq!(edition(&app, id).publish_at, None);

        // Scheduled, changed, cancelled: each shown, each in the audit log.
        let at = app.now() + Duration::hours(2);
        org.submit(
            &page,
            &page,
            &[("publish_at", &warsaw(at)), ("announce", "yes")],
        )
        .assert_contains("Zapisano termin publikacji wyników.");
        let e = edition(&app, id);
        assert_eq!(
            e.publish_at.map(|t| t.format("%Y-%m-%d %H:%M").to_string()),
            Some(at.format("%Y-%m-%d %H:%M").to_string())
        );
        assert!(e.publish_announce);
        let shown = org.get(&page);
        shown.assert_contains(&konkurs::domain::time::format(
            e.publish_at.unwrap(),
            konkurs::i18n::Lang::Pl,
        ));
        shown.assert_contains("tak, w chwili publikacji");
        org.get(&format!("{page}?lang=en"))
            .assert_contains("Cancel the scheduled publication");
        org.get(&format!("{page}?lang=pl"));
        let later = app.now() + Duration::hours(3);
        org.submit(&page, &page, &[("publish_at", &warsaw(later))])
            .assert_contains("Zapisano termin publikacji wyników.");
        assert!(!edition(&app, id).publish_announce);
        let cancel = format!("/admin/editions/{id}/publication/cancel");
        org.submit(&page, &cancel, &[])
            .assert_contains("Anulowano zaplanowaną publikację wyników.");
        assert_eq!(edition(&app, id).publish_at, None);
        // Cancelled twice (another tab): said so, nothing else.
        org.submit_on(&shown, &cancel, &[])
            .assert_contains("Publikacja wyników nie jest zaplanowana.");
        assert_eq!(audit_count(&app, "results:schedule"), 2);
        assert_eq!(audit_count(&app, "results:schedule_cancel"), 1);
        org.get("/admin/audit")
            .assert_contains("Zaplanowano publikację wyników");

        // Scheduled with the announcement; the time comes.
        let at = app.now() + Duration::hours(1);
        org.submit(
            &page,
            &page,
            &[("publish_at", &warsaw(at)), ("announce", "yes")],
        )
        .assert_contains("Zapisano termin publikacji wyników.");
        std::thread::sleep(StdDuration::from_millis(500));
        assert_eq!(edition(&app, id).state.as_str(), "judging");
        assert_eq!(app.client().get(&public).status, 404);
        app.advance(Duration::minutes(61));
        let e = wait_published(&app, id);
        assert_eq!(e.publish_at, None);
        assert!(e.results_published_at.is_some());
        app.client().get(&public).assert_contains(&laureate);
        // Exactly once, however many ticks pass.
        std::thread::sleep(StdDuration::from_millis(1000));
        let sent = announcements(&app);
        assert!(!sent.is_empty());
        let mut unique = sent.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(unique.len(), sent.len(), "one message per recipient");
        assert_eq!(audit_count(&app, "results:publish_scheduled"), 1);
        let first = &sent[0];
        app.smtp.wait_subject_containing(first, "Wyniki konkursu");
        org.get(&page)
            .assert_contains("Wyniki są już opublikowane.");
        // The announcement page finds everybody reached.
        org.get(&format!("/admin/editions/{id}/announce"))
            .assert_not_contains("Nie wysłano");
    }
);

/// Two instances on one PostgreSQL database, both ticking when the time comes: one publication,
/// one message per recipient; then an instance started after the time catches up.
#[test]
fn two_instances_publish_once_and_a_late_start_catches_up() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let mut a = TestApp::spawn_on(pg, None, SmtpSink::start());
    let (ed, org) = judged(&a);
    let b = a.second_instance();
    let page = format!("/admin/editions/{}/publication", ed.id);
    let at = a.now() + Duration::minutes(30);
    org.submit(
        &page,
        &page,
        &[("publish_at", &warsaw(at)), ("announce", "yes")],
    )
    .assert_contains("Zapisano termin publikacji wyników.");
    a.advance(Duration::minutes(31));
    b.advance(Duration::minutes(31));
    wait_published(&a, ed.id);
    std::thread::sleep(StdDuration::from_millis(1500));
    let sent = announcements(&a);
    let mut unique = sent.clone();
    unique.sort();
    unique.dedup();
    assert!(!sent.is_empty());
    assert_eq!(unique.len(), sent.len(), "one message per recipient");
    assert_eq!(audit_count(&a, "results:publish_scheduled"), 1);
    // Every message delivered once, whichever instance sent it.
    let ids: Vec<String> = a.db(|c| {
        outbox::table
            .filter(outbox::kind.like("announcement%"))
            .select(outbox::message_id)
            .load(c)
            .unwrap()
    });
    let delivered = |id: &str| a.smtp.all().iter().filter(|m| m.raw.contains(id)).count();
    let deadline = Instant::now() + StdDuration::from_secs(20);
    while ids.iter().any(|id| delivered(id) == 0) && Instant::now() < deadline {
        std::thread::sleep(StdDuration::from_millis(100));
    }
    std::thread::sleep(StdDuration::from_millis(1000));
    for id in &ids {
        assert_eq!(delivered(id), 1, "{id}");
    }
    drop(b);

    // A second edition's time passes while no server runs; the next one started publishes it.
    a.halt();
    let id2 = a.db(|c| {
        let now = chrono::Utc::now().naive_utc();
        diesel::update(editions_t::table.find(ed.id))
            .set((
                editions_t::state.eq("judging"),
                editions_t::publish_at.eq(Some(now - Duration::hours(1))),
                editions_t::publish_announce.eq(false),
            ))
            .execute(c)
            .unwrap();
        ed.id
    });
    a.restart(true);
    let e = wait_published(&a, id2);
    assert_eq!(e.publish_at, None);
    assert_eq!(audit_count(&a, "results:publish_scheduled"), 2);
    // Without the announcement this time: no message more.
    assert_eq!(announcements(&a).len(), sent.len());
}

/// Six schedulers claiming the same due publication at once (each with its own connection,
/// released together): exactly one publishes and queues the announcement.
#[test]
fn parallel_schedulers_publish_exactly_once() {
    let Some(app) = TestApp::spawn(crate::support::Backend::Postgres) else {
        return;
    };
    let (ed, _org) = judged(&app);
    let org_id: i32 = app.db(|c| {
        konkurs::db::schema::users::table
            .filter(konkurs::db::schema::users::role.eq("organiser"))
            .select(konkurs::db::schema::users::id)
            .first(c)
            .unwrap()
    });
    let now = app.now();
    // Scheduled far ahead, so this app's own scheduler leaves it alone; the threads below run
    // at that time.
    let at = now + Duration::days(30);
    app.db(|c| {
        konkurs::services::schedule::schedule(c, org_id, ed.id, at, true, now).unwrap();
    });
    let cfg = app.state.config.clone();
    let start = std::sync::Barrier::new(6);
    let published: Vec<usize> = std::thread::scope(|s| {
        let running: Vec<_> = (0..6)
            .map(|_| {
                let (start, cfg, app) = (&start, &cfg, &app);
                s.spawn(move || {
                    let mut c = app.state.db.conn().unwrap();
                    start.wait();
                    konkurs::services::schedule::publish_due(&mut c, cfg, at)
                        .unwrap()
                        .editions
                })
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(published.iter().sum::<usize>(), 1, "{published:?}");
    let sent = announcements(&app);
    let mut unique = sent.clone();
    unique.sort();
    unique.dedup();
    assert!(!sent.is_empty());
    assert_eq!(unique.len(), sent.len());
    assert_eq!(audit_count(&app, "results:publish_scheduled"), 1);
    // The others lost the claim: none of them even tried the step.
    assert_eq!(audit_count(&app, "results:schedule_failed"), 0);
}
