//! RODO (GDPR): a user's copy of their data, acknowledging a changed privacy notice, and the
//! organisers' anonymisation of a person or an institution.

use diesel::prelude::*;
use konkurs::db::schema::{
    audit_log, entries, institutions, outbox, privacy_consents, sessions, users,
};

use crate::both_backends;
use crate::support::judging::id_of_user;
use crate::support::{
    Client, PASSWORD, PDF, TestApp, confirm, entry_form, open_call, organiser, pairs,
    register_applicant, registration,
};

/// Saves a draft entry and adds an attachment; returns the entry's id.
fn draft_with_attachment(app: &TestApp, c: &Client, category: i32, title: &str) -> i32 {
    let form = c.get("/entries/new");
    let draft = entry_form(category, title, &[("action", "save")]);
    let saved = c.submit_on(&form, "/entries/new", &pairs(&draft));
    assert_eq!(saved.status, 200, "{}", saved.body);
    let id: i32 = app.db(|conn| {
        entries::table
            .filter(entries::title.eq(title))
            .select(entries::id)
            .first(conn)
            .unwrap()
    });
    let up = c.upload(
        &format!("/entries/{id}/edit"),
        &format!("/entries/{id}/attachments"),
        "Opis wdrożenia.pdf",
        PDF,
    );
    assert_eq!(up.status, 200, "{}", up.body);
    id
}

fn publish_all(app: &TestApp) {
    use konkurs::db::schema::editions;
    app.db(|c| {
        diesel::update(editions::table)
            .set(editions::state.eq("published"))
            .execute(c)
            .unwrap();
    });
}

// The download holds the user's account, institution, entries with attachments' names, the
// emails sent to them and the audit entries about them, and nothing of another applicant.
both_backends!(a_user_downloads_exactly_their_own_data, |app: TestApp| {
    let org = organiser(&app);
    let call = open_call(&app, &org, "rodo-export", chrono::Duration::days(10));
    let a = register_applicant(&app, "ala@gmina-a.example", "Gmina Alfa");
    let b = register_applicant(&app, "bob@gmina-b.example", "Gmina Beta");
    draft_with_attachment(&app, &a.client, call.categories[0], "Portal Alfa");
    draft_with_attachment(&app, &b.client, call.categories[0], "Portal Beta");

    assert!(
        app.client()
            .get("/account/data")
            .url
            .contains("/login?next=/account/data")
    );
    let settings = a.client.get("/account/settings");
    settings.assert_contains("href=\"/account/data\"");
    settings.assert_contains("Pobierz swoje dane (JSON)");

    let file = a.client.get("/account/data");
    assert_eq!(file.status, 200);
    assert!(
        file.header("content-type")
            .unwrap()
            .starts_with("application/json"),
        "{:?}",
        file.header("content-type")
    );
    let disposition = file.header("content-disposition").unwrap();
    assert!(disposition.starts_with("attachment;"), "{disposition}");
    assert_eq!(file.header("cache-control"), Some("no-store"));
    let data: serde_json::Value = serde_json::from_str(&file.body).expect("JSON");
    assert_eq!(data["account"]["email"], "ala@gmina-a.example");
    assert_eq!(data["account"]["name"], "Anna Nowak");
    assert_eq!(data["account"]["role"], "applicant");
    assert_eq!(data["institution"]["name"], "Gmina Alfa");
    assert_eq!(data["institution"]["phone"], "22 701 75 00");
    let entries = data["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["title"], "Portal Alfa");
    assert_eq!(entries[0]["attachments"][0], "Opis wdrożenia.pdf");
    let emails = data["emails"].as_array().unwrap();
    assert!(!emails.is_empty());
    assert!(
        emails.iter().all(|m| m["to"] == "ala@gmina-a.example"),
        "{emails:?}"
    );
    assert!(emails.iter().any(|m| m["kind"] == "verify_email"
        || m["body"].as_str().unwrap_or("").contains("/verify?token=")));
    let audit = data["audit"].as_array().unwrap();
    assert!(audit.iter().any(|e| e["action"] == "institution:register"));
    assert!(audit.iter().any(|e| e["action"] == "entry:create"));
    assert_eq!(data["privacy_acknowledgements"][0]["version"], 1);
    // Where the account signed in from; two-step login is off.
    let sign_ins = data["sign_ins"].as_array().unwrap();
    assert_eq!(sign_ins.len(), 1, "{sign_ins:?}");
    assert_eq!(sign_ins[0]["address"], "127.0.0.1");
    assert!(data["two_step_login"].is_null());
    // Nothing of the other applicant or of the organiser.
    for other in [
        "bob@gmina-b.example",
        "Gmina Beta",
        "Portal Beta",
        "olga@mazovia.example",
    ] {
        assert!(!file.body.contains(other), "{other} in {}", file.body);
    }
    // The organiser's own copy has no institution and no entries.
    let own: serde_json::Value = serde_json::from_str(&org.get("/account/data").body).unwrap();
    assert_eq!(own["account"]["email"], "olga@mazovia.example");
    assert!(own["institution"].is_null());
    assert_eq!(own["entries"].as_array().unwrap().len(), 0);
    drop(b);
});

/// The site's texts as the organiser saves them, with `privacy_pl` as given.
fn site_form(privacy_pl: &str) -> Vec<(&'static str, String)> {
    use konkurs::domain::site_texts as defaults;
    let fill = |s: &str| s.replace("[uzupełnij: ", "(").replace("[fill in: ", "(");
    vec![
        (
            "entity",
            "Urząd Marszałkowski Województwa Mazowieckiego".into(),
        ),
        ("published_on", "2026-01-15".into()),
        ("updated_on", "2026-11-02".into()),
        ("prepared_on", "2026-11-03".into()),
        ("contact_name", "Anna Dostępna".into()),
        ("contact_email", "dostepnosc@mazovia.example".into()),
        ("contact_phone", "22 597 91 00".into()),
        ("a11y_pl", fill(defaults::A11Y_PL)),
        ("a11y_en", fill(defaults::A11Y_EN)),
        ("privacy_pl", privacy_pl.to_string()),
        ("privacy_en", defaults::PRIVACY_EN.to_string()),
    ]
}

fn versions_of(app: &TestApp, uid: i32) -> Vec<i32> {
    app.db(|c| {
        privacy_consents::table
            .filter(privacy_consents::user_id.eq(uid))
            .order(privacy_consents::version)
            .select(privacy_consents::version)
            .load(c)
            .unwrap()
    })
}

// Registration records the notice's version; a changed notice is shown to each user on their
// next page (and after the next sign-in) until they acknowledge it; saving other texts asks
// nothing; the acknowledgement is kept with its version, time and an audit entry.
both_backends!(
    a_changed_privacy_notice_is_acknowledged_once,
    |app: TestApp| {
        use konkurs::domain::site_texts as defaults;
        let org = organiser(&app);
        let a = register_applicant(&app, "rodo@gmina.example", "Gmina Zgody");
        let uid = id_of_user(&app, "rodo@gmina.example");
        assert_eq!(versions_of(&app, uid), vec![1]);

        // Saving the texts with the notice as it was: nothing to acknowledge.
        let fill = |s: &str| s.replace("[uzupełnij: ", "(").replace("[fill in: ", "(");
        let first = site_form(defaults::PRIVACY_PL);
        let saved = org.submit("/admin/site", "/admin/site", &pairs(&first));
        assert!(saved.url.ends_with("/admin/site"), "{}", saved.url);
        assert_eq!(a.client.get("/account").h1(), "Mój panel");
        assert_eq!(
            versions_of(&app, id_of_user(&app, "olga@mazovia.example")),
            vec![1]
        );

        // Saving the same texts again changes no version.
        let again = org.submit("/admin/site", "/admin/site", &pairs(&first));
        assert!(again.url.ends_with("/admin/site"), "{}", again.url);
        // A changed notice: the organiser who wrote it goes on; the applicant is asked first.
        let changed = format!(
            "{}\n\nWyniki konkursu zawierają nazwę instytucji. Nowy akapit testowy.",
            fill(defaults::PRIVACY_PL)
        );
        let saved = org.submit("/admin/site", "/admin/site", &pairs(&site_form(&changed)));
        assert!(saved.url.ends_with("/admin/site"), "{}", saved.url);
        let oid = id_of_user(&app, "olga@mazovia.example");
        assert_eq!(versions_of(&app, oid), vec![1, 2]);
        // The English notice unchanged too: still version 2 after one more save of the same.
        org.submit("/admin/site", "/admin/site", &pairs(&site_form(&changed)));
        assert_eq!(versions_of(&app, oid), vec![1, 2]);

        let asked = a.client.get("/institution");
        assert!(
            asked.url.contains("/privacy/acknowledge?next=/institution"),
            "{}",
            asked.url
        );
        assert_eq!(asked.h1(), "Zmieniona klauzula informacyjna");
        asked.assert_contains("Nowy akapit testowy.");
        // A POST elsewhere changes nothing and leads to the page as well.
        let blocked = a.client.submit_on(
            &asked,
            "/privacy/acknowledge",
            &[("version", "1"), ("next", "/institution")],
        );
        assert!(
            blocked.url.contains("/privacy/acknowledge"),
            "{}",
            blocked.url
        );
        assert_eq!(versions_of(&app, uid), vec![1]);
        let settings = a.client.post(
            "/account/settings",
            &[
                ("csrf", &asked.csrf_for("/privacy/acknowledge")),
                ("name", "Inna Osoba"),
                ("lang", "pl"),
            ],
        );
        assert!(
            settings.url.ends_with("/privacy/acknowledge?next=/account"),
            "{}",
            settings.url
        );
        let name: String = app.db(|c| users::table.find(uid).select(users::name).first(c).unwrap());
        assert_eq!(
            name, "Anna Nowak",
            "nothing changed before the acknowledgement"
        );
        // The notice itself, the data download and signing out stay open.
        assert_eq!(a.client.get("/privacy").status, 200);
        assert_eq!(a.client.get("/account/data").status, 200);
        let en = a.client.get("/privacy/acknowledge?lang=en");
        assert_eq!(en.h1(), "Updated privacy notice");
        a.client.get("/privacy/acknowledge?lang=pl");

        // Another sign-in is asked too, right after the password.
        let other = app.client();
        let signed = other.submit(
            "/login",
            "/login",
            &[("email", "rodo@gmina.example"), ("password", PASSWORD)],
        );
        assert!(
            signed.url.contains("/privacy/acknowledge"),
            "{}",
            signed.url
        );

        let page = a.client.get("/privacy/acknowledge?next=/institution");
        let done = a.client.submit_on(
            &page,
            "/privacy/acknowledge",
            &[("version", "2"), ("next", "/institution")],
        );
        assert!(done.url.ends_with("/institution"), "{}", done.url);
        done.assert_contains("Zapisano potwierdzenie zapoznania się z klauzulą informacyjną.");
        assert_eq!(versions_of(&app, uid), vec![1, 2]);
        assert_eq!(other.get("/account").h1(), "Mój panel");
        let audits: i64 = app.db(|c| {
            audit_log::table
                .filter(audit_log::action.eq("privacy:acknowledge"))
                .filter(audit_log::actor_id.eq(uid))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(audits, 1);
        // With nothing pending the page only leads on.
        let on = a.client.get("/privacy/acknowledge?next=/account");
        assert!(on.url.ends_with("/account"), "{}", on.url);

        // A new registration records the current version.
        let c = app.client();
        let reg = c.submit(
            "/register",
            "/register",
            &registration("Gmina Nowa", "nowa@gmina.example", &[]),
        );
        assert!(reg.url.ends_with("/register/sent"), "{}", reg.url);
        assert_eq!(
            versions_of(&app, id_of_user(&app, "nowa@gmina.example")),
            vec![2]
        );
    }
);

// Two acknowledgements at once (a double click, two tabs) record one.
both_backends!(parallel_acknowledgements_record_one, |app: TestApp| {
    use konkurs::domain::site_texts as defaults;
    let org = organiser(&app);
    let a = register_applicant(&app, "dwa@gmina.example", "Gmina Dwóch Kart");
    let uid = id_of_user(&app, "dwa@gmina.example");
    let changed = format!("{}\n\nZmiana.", defaults::PRIVACY_PL);
    org.submit("/admin/site", "/admin/site", &pairs(&site_form(&changed)));
    let page = a.client.get("/privacy/acknowledge");
    let csrf = page.csrf_for("/privacy/acknowledge");
    let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
    let handles: Vec<_> = (0..6)
        .map(|_| {
            let c = a.client.clone_cookies();
            let csrf = csrf.clone();
            let barrier = barrier.clone();
            std::thread::spawn(move || {
                barrier.wait();
                c.post(
                    "/privacy/acknowledge",
                    &[("csrf", &csrf), ("version", "2"), ("next", "/account")],
                )
                .status
            })
        })
        .collect();
    for h in handles {
        assert_eq!(h.join().unwrap(), 200);
    }
    assert_eq!(versions_of(&app, uid), vec![1, 2]);
    let audits: i64 = app.db(|c| {
        audit_log::table
            .filter(audit_log::action.eq("privacy:acknowledge"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(audits, 1);
});

// An organiser erases a person's data once no edition with their entry is unpublished: the
// person's fields, sessions, mail bodies and audit details go; the audit keeps who and when.
both_backends!(
    organisers_anonymise_a_person_after_publication,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "rodo-anon", chrono::Duration::days(10));
        let a = register_applicant(&app, "usun@gmina.example", "Gmina Usuwana");
        let uid = id_of_user(&app, "usun@gmina.example");
        draft_with_attachment(&app, &a.client, call.categories[0], "Portal do usunięcia");
        assert_eq!(a.client.get("/admin/users/1/anonymise").status, 403);

        // Refused while the edition is not published: the page says why and has no button.
        let users_page = org.get("/admin/users");
        users_page.assert_contains(&format!("href=\"/admin/users/{uid}/anonymise\""));
        let refused = org.get(&format!("/admin/users/{uid}/anonymise"));
        assert_eq!(refused.status, 409);
        refused.assert_contains("wyniki nie zostały jeszcze opublikowane");
        refused.assert_not_contains("name=\"confirm\"");
        let csrf = users_page.csrf_for("/logout");
        assert!(!csrf.is_empty());
        let post = org.post(
            &format!("/admin/users/{uid}/anonymise"),
            &[("csrf", &csrf), ("confirm", "yes")],
        );
        assert_eq!(post.status, 409);
        let email: String = app.db(|c| {
            users::table
                .find(uid)
                .select(users::email)
                .first(c)
                .unwrap()
        });
        assert_eq!(email, "usun@gmina.example");
        // Organisers are not erased here.
        let oid = id_of_user(&app, "olga@mazovia.example");
        assert_eq!(
            org.get(&format!("/admin/users/{oid}/anonymise")).status,
            409
        );
        assert_eq!(org.get("/admin/users/999999/anonymise").status, 404);

        publish_all(&app);
        let page = org.get(&format!("/admin/users/{uid}/anonymise"));
        assert_eq!(page.status, 200);
        page.assert_contains("Usunąć dane osobowe tej osoby?");
        page.assert_contains("usun@gmina.example");
        // Without the button's value nothing happens.
        let csrf = page.csrf_for(&format!("/admin/users/{uid}/anonymise"));
        let no = org.post(&format!("/admin/users/{uid}/anonymise"), &[("csrf", &csrf)]);
        assert!(no.url.ends_with("/anonymise"), "{}", no.url);
        let done = confirm(&org, page);
        assert!(done.url.ends_with("/admin/users"), "{}", done.url);
        done.assert_contains("Dane osobowe zostały usunięte.");

        let (email, name, hash, anon): (
            String,
            String,
            Option<String>,
            Option<chrono::NaiveDateTime>,
        ) = app.db(|c| {
            users::table
                .find(uid)
                .select((
                    users::email,
                    users::name,
                    users::password_hash,
                    users::anonymised_at,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(email, format!("usunieto-{uid}@invalid"));
        assert_eq!(name, "");
        assert!(hash.is_none() && anon.is_some());
        let own_sessions: i64 = app.db(|c| {
            sessions::table
                .filter(sessions::user_id.eq(uid))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(own_sessions, 0);
        assert!(a.client.get("/account").url.contains("/login"));
        let bodies: Vec<(String, String)> = app.db(|c| {
            outbox::table
                .filter(outbox::user_id.eq(uid))
                .select((outbox::to_email, outbox::body_text))
                .load(c)
                .unwrap()
        });
        assert!(!bodies.is_empty());
        assert!(
            bodies
                .iter()
                .all(|(to, b)| to.ends_with("@invalid") && b.is_empty())
        );
        let contact: String = app.db(|c| {
            entries::table
                .filter(entries::created_by.eq(uid))
                .select(entries::contact_email)
                .first(c)
                .unwrap()
        });
        assert_eq!(contact, "");
        // Registration made the person the institution's contact: that name and phone go, the
        // institution's name stays.
        let (inst_name, person, phone): (String, String, String) = app.db(|c| {
            institutions::table
                .filter(institutions::name.eq("Gmina Usuwana"))
                .select((
                    institutions::name,
                    institutions::contact_person,
                    institutions::phone,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(
            (inst_name.as_str(), person.as_str(), phone.as_str()),
            ("Gmina Usuwana", "", "")
        );
        // The erased account stays blocked: no unblock button, and a POST does not unblock it.
        let users_page = org.get("/admin/users");
        users_page.assert_not_contains(&format!("action=\"/admin/users/{uid}/enable\""));
        let csrf = users_page.csrf_for("/logout");
        let unblock = org.post(&format!("/admin/users/{uid}/enable"), &[("csrf", &csrf)]);
        unblock
            .assert_contains("Dane tej osoby zostały usunięte, więc konto pozostaje zablokowane.");
        let still: Option<chrono::NaiveDateTime> = app.db(|c| {
            users::table
                .find(uid)
                .select(users::disabled_at)
                .first(c)
                .unwrap()
        });
        assert!(still.is_some());
        // The audit log: the erasure by the organiser, and no trace of the address.
        let (actor, details): (Option<i32>, String) = app.db(|c| {
            audit_log::table
                .filter(audit_log::action.eq("user:anonymise"))
                .filter(audit_log::object_id.eq(uid))
                .select((audit_log::actor_id, audit_log::details))
                .first(c)
                .unwrap()
        });
        assert_eq!((actor, details.as_str()), (Some(oid), ""));
        let leaks: i64 = app.db(|c| {
            audit_log::table
                .filter(audit_log::details.like("%usun@gmina.example%"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(leaks, 0);
        let log = org.get("/admin/audit");
        log.assert_contains("Usunięto dane osobowe osoby");
        // A second time: already done.
        let again = org.get(&format!("/admin/users/{uid}/anonymise"));
        assert_eq!(again.status, 409);
        again.assert_contains("Dane osobowe zostały już usunięte.");
    }
);

// An institution: refused while it has an entry in an unpublished edition; afterwards its
// contact data, its members and its entries' attachment files go (they may hold personal
// data), its name stays for the published results.
both_backends!(
    organisers_anonymise_an_institution_keeping_its_name,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "rodo-inst", chrono::Duration::days(10));
        let a = register_applicant(&app, "inst@gmina.example", "Gmina Publiczna");
        let entry = draft_with_attachment(&app, &a.client, call.categories[0], "Portal publiczny");
        // Another institution's attachment stays.
        let b = register_applicant(&app, "inna@gmina.example", "Gmina Inna");
        let other = draft_with_attachment(&app, &b.client, call.categories[0], "Portal inny");
        let stored_of = |entry: i32| -> String {
            use konkurs::db::schema::attachments;
            app.db(move |c| {
                attachments::table
                    .filter(attachments::entry_id.eq(entry))
                    .select(attachments::stored_name)
                    .first(c)
                    .unwrap()
            })
        };
        let file = app
            .state
            .storage
            .path_of(&stored_of(entry))
            .expect("file storage");
        let other_file = app.state.storage.path_of(&stored_of(other)).unwrap();
        assert!(file.exists() && other_file.exists());
        let inst: i32 = app.db(|c| {
            institutions::table
                .filter(institutions::name.eq("Gmina Publiczna"))
                .select(institutions::id)
                .first(c)
                .unwrap()
        });
        org.get("/admin/users")
            .assert_contains(&format!("href=\"/admin/institutions/{inst}/anonymise\""));
        let refused = org.get(&format!("/admin/institutions/{inst}/anonymise"));
        assert_eq!(refused.status, 409);
        refused.assert_contains("Liczba takich zgłoszeń: 1.");
        let en = org.get(&format!("/admin/institutions/{inst}/anonymise?lang=en"));
        en.assert_contains("Number of such entries: 1.");
        org.get("/account?lang=pl");

        publish_all(&app);
        let page = org.get(&format!("/admin/institutions/{inst}/anonymise"));
        assert_eq!(page.status, 200);
        page.assert_contains("Nazwa instytucji pozostaje");
        page.assert_contains("Pliki załączników wszystkich zgłoszeń instytucji zostaną usunięte");
        page.assert_contains("<dt>Załączniki zgłoszeń do usunięcia</dt><dd>1</dd>");
        org.get(&format!("/admin/institutions/{inst}/anonymise?lang=en"))
            .assert_contains("The files attached to all the institution");
        org.get("/account?lang=pl");
        let page = org.get(&format!("/admin/institutions/{inst}/anonymise"));
        let done = confirm(&org, page);
        assert!(done.url.ends_with("/admin/users"), "{}", done.url);
        // The rows in the transaction, the files right after it; another's are kept.
        let rows: Vec<i32> = app.db(|c| {
            use konkurs::db::schema::attachments;
            attachments::table
                .select(attachments::entry_id)
                .load(c)
                .unwrap()
        });
        assert_eq!(rows, vec![other]);
        assert!(!file.exists(), "the attachment's file is gone");
        assert!(other_file.exists());
        let details: String = app.db(|c| {
            audit_log::table
                .filter(audit_log::action.eq("institution:anonymise"))
                .select(audit_log::details)
                .first(c)
                .unwrap()
        });
        assert_eq!(details, "1");
        org.get("/admin/audit")
            .assert_contains("Usunięte załączniki");
        // The entry's page no longer offers the file.
        org.get(&format!("/admin/entries/{entry}"))
            .assert_not_contains("Opis wdrożenia.pdf");
        let (name, person, phone): (String, String, String) = app.db(|c| {
            institutions::table
                .find(inst)
                .select((
                    institutions::name,
                    institutions::contact_person,
                    institutions::phone,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(
            (name.as_str(), person.as_str(), phone.as_str()),
            ("Gmina Publiczna", "", "")
        );
        let member: String = app.db(|c| {
            users::table
                .filter(users::institution_id.eq(inst))
                .select(users::email)
                .first(c)
                .unwrap()
        });
        assert!(member.ends_with("@invalid"), "{member}");
        let kinds: Vec<String> = app.db(|c| {
            audit_log::table
                .filter(audit_log::action.like("%:anonymise"))
                .order(audit_log::id)
                .select(audit_log::action)
                .load(c)
                .unwrap()
        });
        assert_eq!(kinds, vec!["user:anonymise", "institution:anonymise"]);
    }
);

/// `konkurs retention` against the app's database and data directory.
fn retention_cli(app: &TestApp, dry_run: bool) -> String {
    let url = match &app.state.config.database_url {
        konkurs::db::DbUrl::Postgres(u) => u.clone(),
        konkurs::db::DbUrl::Sqlite(p) => p.display().to_string(),
    };
    let mut cmd = crate::cli::bin();
    cmd.arg("retention");
    if dry_run {
        cmd.arg("--dry-run");
    }
    let out = cmd
        .args(["--database-url", &url, "--data-dir"])
        .arg(&app.dir)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

// Past an edition's retention, the daily job in the running server anonymises its applicants,
// deletes its attachments (rows and files) and erases the text of old messages; `konkurs
// retention --dry-run` only says what would go.
both_backends!(retention_erases_an_edition_past_it, |app: TestApp| {
    use konkurs::db::schema::{attachments, editions};
    let org = organiser(&app);
    let call = open_call(&app, &org, "rodo-retention", chrono::Duration::days(10));
    let a = register_applicant(&app, "stare@gmina.example", "Gmina Dawna");
    let entry = draft_with_attachment(&app, &a.client, call.categories[0], "Portal dawny");
    let uid = id_of_user(&app, "stare@gmina.example");
    let stored: String = app.db(|c| {
        attachments::table
            .filter(attachments::entry_id.eq(entry))
            .select(attachments::stored_name)
            .first(c)
            .unwrap()
    });
    let file = app.state.storage.path_of(&stored).expect("file storage");
    assert!(file.exists());

    // Published two years ago (by the system clock the command uses), kept for one year.
    let published = chrono::Utc::now().naive_utc() - chrono::Duration::days(730);
    app.db(|c| {
        diesel::update(editions::table.find(call.edition_id))
            .set((
                editions::state.eq("published"),
                editions::results_published_at.eq(Some(published)),
                editions::retention_years.eq(1),
            ))
            .execute(c)
            .unwrap();
    });
    let printed = retention_cli(&app, true);
    assert!(
        printed.contains("Dry run: nothing was changed."),
        "{printed}"
    );
    assert!(printed.contains("VI edycja (id "), "{printed}");
    assert!(
        printed.contains("institutions (contact data): 1"),
        "{printed}"
    );
    assert!(printed.contains("people (personal data): 1"), "{printed}");
    assert!(printed.contains("attachments: 1"), "{printed}");
    assert!(!printed.contains("stare@gmina.example"), "{printed}");
    let email: String = app.db(|c| {
        users::table
            .find(uid)
            .select(users::email)
            .first(c)
            .unwrap()
    });
    assert_eq!(email, "stare@gmina.example", "a dry run changes nothing");
    assert!(file.exists());

    // The server's daily job: a day later (and more than a year after the mail was sent).
    app.advance(chrono::Duration::days(400));
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let anon: Option<chrono::NaiveDateTime> = app.db(|c| {
            users::table
                .find(uid)
                .select(users::anonymised_at)
                .first(c)
                .unwrap()
        });
        if anon.is_some() {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the daily job did not run"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    let email: String = app.db(|c| {
        users::table
            .find(uid)
            .select(users::email)
            .first(c)
            .unwrap()
    });
    assert_eq!(email, format!("usunieto-{uid}@invalid"));
    let left: i64 = app.db(|c| attachments::table.count().get_result(c).unwrap());
    assert_eq!(left, 0);
    // The file goes right after the commit.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while file.exists() {
        assert!(std::time::Instant::now() < deadline, "the file stayed");
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let name: String = app.db(|c| {
        institutions::table
            .filter(institutions::name.eq("Gmina Dawna"))
            .select(institutions::name)
            .first(c)
            .unwrap()
    });
    assert_eq!(name, "Gmina Dawna", "results keep the institution's name");
    let bodies: Vec<String> = app.db(|c| {
        outbox::table
            .filter(outbox::status.eq("sent"))
            .select(outbox::body_text)
            .load(c)
            .unwrap()
    });
    assert!(!bodies.is_empty() && bodies.iter().all(String::is_empty));
    let by_nobody: i64 = app.db(|c| {
        audit_log::table
            .filter(audit_log::action.eq("user:anonymise"))
            .filter(audit_log::actor_id.is_null())
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(by_nobody, 1);
    let printed = retention_cli(&app, false);
    assert!(printed.contains("people (personal data): 0"), "{printed}");
});

// The organiser sets an edition's retention on its form: 5 years unless changed, 1 to 50.
both_backends!(organisers_set_an_editions_retention, |app: TestApp| {
    use konkurs::db::schema::editions;
    let org = organiser(&app);
    let form = org.get("/admin/editions/new");
    form.assert_contains("Okres przechowywania danych osobowych");
    form.assert_contains("name=\"retention_years\"");
    form.assert_contains("value=\"5\"");
    let fields = |retention: &'static str| -> Vec<(&'static str, &'static str)> {
        vec![
            ("template", "empty"),
            ("name", "VIII edycja"),
            ("name_en", "8th edition"),
            ("year", "2028"),
            ("slug", "viii"),
            ("opens_at", "2028-03-01T09:00"),
            ("closes_at", "2028-04-30T23:59"),
            ("judging_deadline", "2028-05-31T23:59"),
            ("entries_per_category", "1"),
            ("retention_years", retention),
            ("rules", ""),
            ("rules_en", ""),
        ]
    };
    let bad = org.submit_on(&form, "/admin/editions/new", &fields("0"));
    assert_eq!(bad.status, 422);
    assert!(bad.has_field_error("retention_years"));
    bad.assert_contains("Wpisz liczbę od 1 do 50.");
    bad.assert_contains("value=\"0\"");
    let n: i64 = app.db(|c| editions::table.count().get_result(c).unwrap());
    assert_eq!(n, 0);
    let ok = org.submit_on(&form, "/admin/editions/new", &fields("3"));
    assert_eq!(ok.status, 200, "{}", ok.body);
    let years: i32 = app.db(|c| {
        editions::table
            .filter(editions::slug.eq("viii"))
            .select(editions::retention_years)
            .first(c)
            .unwrap()
    });
    assert_eq!(years, 3);
});
