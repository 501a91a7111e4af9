//! Issue 13, part C: all attachments of an entry or a category as one ZIP (unpacked and
//! compared byte for byte; jurors get only what they may see), the organisers' daily digest of
//! submitted entries (read from the SMTP server; once per day, also with parallel claimers on
//! PostgreSQL) and the notice when a juror finishes their list.

use std::io::Read;

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{attachments, entries, outbox};

use crate::both_backends;
use crate::support::judging::{
    add_conflict, closed_with_entries, criteria_of, entry_of, id_of_user, juror, refs, scores,
};
use crate::support::{
    Client, PDF, TestApp, confirm, entry_form, open_call, organiser, pairs, register_applicant,
    submit_entry,
};

/// Stores a file for an entry as an upload would (a generated name in the upload directory
/// and its row).
fn attach(app: &TestApp, entry: i32, name: &str, body: &[u8]) {
    let stored = format!("{}.bin", konkurs::domain::token::generate());
    std::fs::write(app.dir.join("uploads").join(&stored), body).unwrap();
    let (name, now) = (name.to_string(), app.now());
    let size = body.len() as i64;
    app.db(move |c| {
        let by: i32 = entries::table
            .find(entry)
            .select(entries::created_by)
            .first(c)
            .unwrap();
        diesel::insert_into(attachments::table)
            .values((
                attachments::entry_id.eq(entry),
                attachments::original_name.eq(name),
                attachments::stored_name.eq(stored),
                attachments::content_type.eq("application/pdf"),
                attachments::size_bytes.eq(size),
                attachments::uploaded_by.eq(by),
                attachments::created_at.eq(now),
            ))
            .execute(c)
            .unwrap();
    });
}

/// GETs `path`: status, headers, body.
fn get_raw(c: &Client, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut res = c.agent.get(c.abs(path)).call().expect("download");
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = res
        .body_mut()
        .with_config()
        .limit(50 << 20)
        .read_to_vec()
        .unwrap();
    (res.status().as_u16(), headers, body)
}

fn header<'a>(h: &'a [(String, String)], name: &str) -> &'a str {
    h.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map_or("", |(_, v)| v.as_str())
}

/// Unpacks a ZIP: (name, bytes) per file, in order.
fn unzip(bytes: Vec<u8>) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a ZIP archive");
    (0..a.len())
        .map(|i| {
            let mut f = a.by_index(i).unwrap();
            let mut body = Vec::new();
            f.read_to_end(&mut body).unwrap();
            (f.name().unwrap().to_string(), body)
        })
        .collect()
}

fn reference(app: &TestApp, entry: i32) -> String {
    app.db(move |c| {
        entries::table
            .find(entry)
            .select(entries::ref_no)
            .first::<Option<String>>(c)
            .unwrap()
            .unwrap()
    })
}

both_backends!(
    attachments_download_as_one_zip_for_those_who_may_see_them,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let [a, b, c_, d] = j.titles.map(|t| entry_of(&app, t));
        let second = b"%PDF-1.4 druga wersja".to_vec();
        attach(&app, a, "Opis wdrożenia.pdf", PDF);
        attach(&app, a, "opis WDROŻENIA.pdf", &second);
        attach(&app, a, "../CON.pdf", b"%PDF-1.4 con");
        attach(&app, b, "Załącznik B.pdf", b"%PDF-1.4 B");
        attach(&app, d, "D.pdf", b"%PDF-1.4 D");
        let (ra, rb) = (reference(&app, a), reference(&app, b));
        let (fa, fb) = (ra.replace('/', "-"), rb.replace('/', "-"));

        // The organiser: an entry's files, names kept (Polish letters), duplicates numbered,
        // unsafe names made safe.
        let entry_page = org.get(&format!("/admin/entries/{a}"));
        entry_page.assert_contains(&format!("href=\"/entries/{a}/attachments.zip\""));
        let (status, h, body) = get_raw(org, &format!("/entries/{a}/attachments.zip"));
        assert_eq!(status, 200);
        assert_eq!(header(&h, "content-type"), "application/zip");
        assert_eq!(
            header(&h, "content-disposition"),
            format!(
                "attachment; filename=\"zalaczniki-{fa}.zip\"; filename*=UTF-8''zalaczniki-{fa}.zip"
            )
        );
        assert_eq!(
            unzip(body),
            vec![
                (format!("{fa}/Opis wdrożenia.pdf"), PDF.to_vec()),
                (format!("{fa}/opis WDROŻENIA (2).pdf"), second.clone()),
                (format!("{fa}/_CON.pdf"), b"%PDF-1.4 con".to_vec()),
            ]
        );
        // A category: every entry's files in its own folder, nothing of another category.
        org.get(&format!("/admin/editions/{ed}"))
            .assert_contains(&format!(
                "href=\"/categories/{}/attachments.zip\"",
                j.categories[0]
            ));
        let cat1 = format!("/categories/{}/attachments.zip", j.categories[0]);
        let (status, _, body) = get_raw(org, &cat1);
        assert_eq!(status, 200);
        let names: Vec<String> = unzip(body).into_iter().map(|(n, _)| n).collect();
        assert_eq!(
            names,
            vec![
                format!("{fa}/Opis wdrożenia.pdf"),
                format!("{fa}/opis WDROŻENIA (2).pdf"),
                format!("{fa}/_CON.pdf"),
                format!("{fb}/Załącznik B.pdf"),
            ]
        );
        // Nothing to download: a page that says so, not an empty archive.
        let empty = org.get(&format!("/entries/{c_}/attachments.zip"));
        assert_eq!(empty.status, 404);
        assert_eq!(empty.h1(), "Brak załączników do pobrania");
        assert_eq!(org.get("/categories/999999/attachments.zip").status, 404);

        // Jurors: J1 judges category I; J2 too, with a conflict with B's institution; J3
        // judges only category II.
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "j1@jury.example");
        let j2 = juror(&app, org, ed, "Juror Drugi", "j2@jury.example");
        let j3 = juror(&app, org, ed, "Juror Trzeci", "j3@jury.example");
        let cat1_id = j.categories[0].to_string();
        let cat2_id = j.categories[1].to_string();
        for (email, cat) in [
            ("j1@jury.example", &cat1_id),
            ("j2@jury.example", &cat1_id),
            ("j3@jury.example", &cat2_id),
        ] {
            let jid = id_of_user(&app, email);
            org.submit(
                &format!("/admin/editions/{ed}/jury"),
                &format!("/admin/editions/{ed}/jury/{jid}/categories"),
                &[("category", cat.as_str())],
            )
            .assert_contains("Zapisano zmiany");
        }
        let inst_b: i32 = app.db(|c| {
            entries::table
                .find(b)
                .select(entries::institution_id)
                .first(c)
                .unwrap()
        });
        add_conflict(
            org,
            ed,
            id_of_user(&app, "j2@jury.example"),
            inst_b,
            "zatrudnienie",
        )
        .assert_contains("Konflikt interesów został zapisany");
        // Before judging: nothing for jurors.
        assert_eq!(j1.get(&format!("/entries/{a}/attachments.zip")).status, 404);
        assert_eq!(j1.get(&cat1).status, 404);
        let token = org.get("/account").csrf_for("/logout");
        let started = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        assert_eq!(started.status, 200);
        for jc in [&j1, &j2, &j3] {
            jc.submit(
                "/jury",
                &format!("/jury/editions/{ed}/declaration"),
                &[("accept", "yes")],
            )
            .assert_contains("Deklaracja została złożona");
        }
        // Each juror's dashboard links the ZIPs of the categories they judge.
        j1.get("/jury").assert_contains(&format!("href=\"{cat1}\""));
        j3.get("/jury")
            .assert_not_contains(&format!("href=\"{cat1}\""));
        // J1: the entry and the whole category.
        j1.get(&format!("/jury/entries/{a}"))
            .assert_contains(&format!("href=\"/entries/{a}/attachments.zip\""));
        let (status, _, body) = get_raw(&j1, &format!("/entries/{a}/attachments.zip"));
        assert_eq!(status, 200);
        assert_eq!(unzip(body)[0].1, PDF);
        let (status, _, body) = get_raw(&j1, &cat1);
        assert_eq!(status, 200);
        assert_eq!(unzip(body).len(), 4);
        // J2: not B (conflict), and the category's archive leaves B out.
        assert_eq!(j2.get(&format!("/entries/{b}/attachments.zip")).status, 404);
        let (status, _, body) = get_raw(&j2, &cat1);
        assert_eq!(status, 200);
        let names: Vec<String> = unzip(body).into_iter().map(|(n, _)| n).collect();
        assert_eq!(names.len(), 3);
        assert!(
            names.iter().all(|n| n.starts_with(&format!("{fa}/"))),
            "{names:?}"
        );
        // J3: nothing of category I.
        assert_eq!(j3.get(&format!("/entries/{a}/attachments.zip")).status, 404);
        assert_eq!(j3.get(&cat1).status, 404);
        let (status, _, body) = get_raw(
            &j3,
            &format!("/categories/{}/attachments.zip", j.categories[1]),
        );
        assert_eq!(status, 200);
        assert_eq!(unzip(body)[0].1, b"%PDF-1.4 D");
        // An applicant: their own entry, never a category.
        let (applicant_b, _) = &j.applicants[1];
        assert_eq!(applicant_b.get(&cat1).status, 404);
        assert_eq!(
            applicant_b
                .get(&format!("/entries/{a}/attachments.zip"))
                .status,
            404
        );
        // Not signed in: to the login page.
        let anon = app.client().get(&cat1);
        assert!(anon.url.contains("/login"), "{}", anon.url);
    }
);

fn digests(app: &TestApp) -> i64 {
    app.db(|c| {
        outbox::table
            .filter(outbox::kind.eq("organiser_digest"))
            .count()
            .get_result(c)
            .unwrap()
    })
}

/// Waits for the second digest to reach the organiser.
fn second_digest(app: &TestApp) -> crate::support::smtp::Mail {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let found: Vec<_> = app
            .smtp
            .all()
            .into_iter()
            .filter(|m| m.is_to("olga@mazovia.example") && m.subject.starts_with("Nowe zgłoszenia"))
            .collect();
        if let Some(m) = found.get(1) {
            return m.clone();
        }
        assert!(std::time::Instant::now() < deadline, "no second digest");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// 06:30 UTC of the day after `now`: 07:30 or 08:30 in Warsaw, when the digest is due.
fn next_morning(now: chrono::NaiveDateTime) -> chrono::NaiveDateTime {
    (now + Duration::days(1))
        .date()
        .and_hms_opt(6, 30, 0)
        .unwrap()
}

both_backends!(
    organisers_get_a_daily_digest_of_submitted_entries_if_they_ask,
    |app: TestApp| {
        let org = organiser(&app);
        // Off until asked for; the setting is on the settings page.
        let settings = org.get("/account/settings");
        settings.assert_contains("Codzienne zestawienie nowych zgłoszeń");
        settings.assert_not_contains("name=\"digest\" value=\"yes\" checked");
        let saved = org.submit(
            "/account/settings",
            "/account/mail",
            &[("digest", "yes"), ("juror_done", "yes")],
        );
        assert_eq!(saved.status, 200);
        saved.assert_contains("name=\"digest\" value=\"yes\" checked");
        // Two entries submitted.
        let call = open_call(&app, &org, "digest", Duration::days(14));
        for (email, inst, title) in [
            ("a@gmina-a.example", "Gmina Alfa", "Portal mieszkańca"),
            ("b@gmina-b.example", "Gmina Beta", "E-usługi dla seniorów"),
        ] {
            let r = register_applicant(&app, email, inst);
            let p = submit_entry(
                &r.client,
                "/entries/new",
                "/entries/new",
                &pairs(&entry_form(call.categories[0], title, &[])),
            );
            assert_eq!(p.status, 200, "{}", p.body);
        }
        assert_eq!(digests(&app), 0);
        // The next morning the running server sends it.
        let morning = next_morning(app.now());
        app.state.clock.set(morning);
        let mail = app.smtp.wait_subject(
            "olga@mazovia.example",
            "Nowe zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        assert!(mail.text.contains("wpłynęły 2 zgłoszenia"), "{}", mail.text);
        for part in [
            "Edycja: VI edycja",
            "Portal mieszkańca (Gmina Alfa)",
            "E-usługi dla seniorów (Gmina Beta)",
            "VI/I/001",
            &app.url("/admin/entries/"),
        ] {
            assert!(mail.text.contains(part), "{part} in {}", mail.text);
        }
        assert_eq!(digests(&app), 1);
        // Later the same day: nothing more, even with a new entry.
        let r = register_applicant(&app, "c@gmina-c.example", "Gmina Gamma");
        submit_entry(
            &r.client,
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[1], "Cyfrowy urząd", &[])),
        );
        app.advance(Duration::hours(3));
        let cfg = app.state.config.clone();
        let now = app.now();
        let run = app.db(|c| konkurs::services::notices::send_digests(c, &cfg, now).unwrap());
        assert_eq!(run.sent, 0);
        assert_eq!(digests(&app), 1);
        // The next day: only what is new.
        app.state.clock.set(next_morning(app.now()));
        let second = second_digest(&app);
        assert!(second.text.contains("Cyfrowy urząd"), "{}", second.text);
        assert!(
            second.text.contains("wpłynęło 1 zgłoszenie"),
            "{}",
            second.text
        );
        assert!(
            !second.text.contains("Portal mieszkańca"),
            "{}",
            second.text
        );
        // The day after, nothing new: no message.
        let cfg = app.state.config.clone();
        let day3 = next_morning(app.now());
        let run = app.db(|c| konkurs::services::notices::send_digests(c, &cfg, day3).unwrap());
        assert_eq!((run.claimed, run.sent), (1, 0));
        assert_eq!(digests(&app), 2);
        // Turned off: no more digests.
        org.submit(
            "/account/settings",
            "/account/mail",
            &[("juror_done", "yes")],
        )
        .assert_not_contains("name=\"digest\" value=\"yes\" checked");
        let cfg = app.state.config.clone();
        let day4 = day3 + Duration::days(1);
        let run = app.db(|c| konkurs::services::notices::send_digests(c, &cfg, day4).unwrap());
        assert_eq!(run.claimed, 0);
        // Not for anyone else: an applicant cannot save the settings.
        let token = r.client.get("/account").csrf_for("/logout");
        let refused = r
            .client
            .post("/account/mail", &[("csrf", &token), ("digest", "yes")]);
        assert_eq!(refused.status, 403);
        r.client
            .get("/account/settings")
            .assert_not_contains("Codzienne zestawienie");
    }
);

/// Six instances claiming the same organiser's digest at once: exactly one queues it.
#[test]
fn parallel_digest_claimers_send_exactly_once() {
    let Some(app) = TestApp::spawn(crate::support::Backend::Postgres) else {
        return;
    };
    let org = organiser(&app);
    org.submit("/account/settings", "/account/mail", &[("digest", "yes")]);
    let call = open_call(&app, &org, "rownolegle", Duration::days(14));
    let r = register_applicant(&app, "a@gmina-a.example", "Gmina Alfa");
    submit_entry(
        &r.client,
        "/entries/new",
        "/entries/new",
        &pairs(&entry_form(call.categories[0], "Portal", &[])),
    );
    // Far ahead, so this app's own loop (at its own time) leaves the day alone.
    let at = next_morning(app.now() + Duration::days(30));
    let cfg = app.state.config.clone();
    let start = std::sync::Barrier::new(6);
    let sent: Vec<usize> = std::thread::scope(|s| {
        let running: Vec<_> = (0..6)
            .map(|_| {
                let (start, cfg, app) = (&start, &cfg, &app);
                s.spawn(move || {
                    let mut c = app.state.db.conn().unwrap();
                    start.wait();
                    konkurs::services::notices::send_digests(&mut c, cfg, at)
                        .unwrap()
                        .sent
                })
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    });
    assert_eq!(sent.iter().sum::<usize>(), 1, "{sent:?}");
    assert_eq!(digests(&app), 1);
}

both_backends!(
    organisers_hear_when_a_juror_finishes_their_list,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let crit = criteria_of(&app, ed);
        let [a, b, c_, _] = j.titles.map(|t| entry_of(&app, t));
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "j1@jury.example");
        let jid = id_of_user(&app, "j1@jury.example");
        org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/{jid}/categories"),
            &[("category", j.categories[0].to_string().as_str())],
        )
        .assert_contains("Zapisano zmiany");
        let inst_c: i32 = app.db(|c| {
            entries::table
                .find(c_)
                .select(entries::institution_id)
                .first(c)
                .unwrap()
        });
        add_conflict(org, ed, jid, inst_c, "zatrudnienie");
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        )
        .assert_contains("Deklaracja została złożona");
        let notices = |app: &TestApp| -> i64 {
            app.db(|c| {
                outbox::table
                    .filter(outbox::kind.eq("juror_finished"))
                    .count()
                    .get_result(c)
                    .unwrap()
            })
        };
        let submit = |entry: i32| {
            let review = j1.submit(
                &format!("/jury/entries/{entry}"),
                &format!("/jury/entries/{entry}"),
                &refs(&scores(&crit, [8, 8, 8, 8], "Dobre.", "review")),
            );
            let p = confirm(&j1, review);
            assert!(p.url.ends_with("/jury"), "{} {}", p.status, p.body);
        };
        // The list is A and B (C is conflicted): the first score tells nobody.
        submit(a);
        assert_eq!(notices(&app), 0);
        submit(b);
        let mail = app.smtp.wait_subject(
            "olga@mazovia.example",
            "Członek jury ocenił wszystkie zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        for part in [
            "Członek jury: Juror Pierwszy",
            "Edycja: VI edycja",
            "Liczba ocenionych zgłoszeń: 2",
            &app.url(&format!("/admin/editions/{ed}/jury/{jid}")),
        ] {
            assert!(mail.text.contains(part), "{part} in {}", mail.text);
        }
        assert_eq!(notices(&app), 1);
        // Reopened and submitted again: the list is complete again, and the organiser is told.
        org.submit(
            &format!("/admin/editions/{ed}/jury/{jid}"),
            &format!("/admin/editions/{ed}/jury/{jid}/reopen"),
            &[("entry_id", &a.to_string())],
        )
        .assert_contains("otwarta ponownie");
        assert_eq!(notices(&app), 1);
        submit(a);
        assert_eq!(notices(&app), 2);
        // Turned off: no notice.
        org.submit("/account/settings", "/account/mail", &[]);
        org.submit(
            &format!("/admin/editions/{ed}/jury/{jid}"),
            &format!("/admin/editions/{ed}/jury/{jid}/reopen"),
            &[("entry_id", &b.to_string())],
        );
        submit(b);
        assert_eq!(notices(&app), 2);
    }
);

/// With attachments in S3: uploaded through the form, the archive streams them from the bucket.
#[test]
fn a_zip_streams_its_files_from_s3_storage() {
    let Some(app) = TestApp::spawn_s3(crate::support::Backend::Sqlite) else {
        return;
    };
    let (c, id) = crate::storage::draft(&app, "chmura@gmina.example");
    let big: Vec<u8> = PDF
        .iter()
        .copied()
        .chain((0..400_000u32).map(|i| (i % 251) as u8))
        .collect();
    for (name, body) in [
        ("Opis wdrożenia.pdf", PDF),
        ("Opis wdrożenia.pdf", &big[..]),
    ] {
        let up = c.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            name,
            body,
        );
        up.assert_contains("Załącznik został dodany");
    }
    // The applicant's own entry (a draft has no reference number yet: a folder by its id).
    let (status, h, body) = get_raw(&c, &format!("/entries/{id}/attachments.zip"));
    assert_eq!(status, 200);
    assert_eq!(header(&h, "content-type"), "application/zip");
    assert_eq!(
        unzip(body),
        vec![
            (format!("zgloszenie-{id}/Opis wdrożenia.pdf"), PDF.to_vec()),
            (format!("zgloszenie-{id}/Opis wdrożenia (2).pdf"), big),
        ]
    );
}
