//! Nothing final happens by accident: Enter saves a draft, every final step goes through a
//! confirmation page; criteria freeze with the edition's state; jurors' progress and reminders
//! leave conflicted assignments out; jurors' emails.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{criteria, editions, entries, outbox, reviews};

use crate::both_backends;
use crate::support::judging::{
    add_conflict, closed_with_entries, entry_of, id_of_user, juror, refs, scores,
};
use crate::support::{
    Page, TestApp, confirm, entry_form, open_call, organiser, pairs, register_applicant, warsaw,
};

/// The first submit button of the form that posts to `action`: what Enter in any of its fields
/// presses (implicit submission), as (name, value).
fn default_button(page: &Page, action: &str) -> (String, String) {
    let marker = format!("action=\"{action}\"");
    let start = page
        .body
        .find(&marker)
        .unwrap_or_else(|| panic!("no form to {action}"));
    let form = &page.body[start..start + page.body[start..].find("</form>").unwrap()];
    let at = form
        .find("<button type=\"submit\"")
        .expect("a submit button");
    let tag = &form[at..at + form[at..].find('>').unwrap()];
    let attr = |name: &str| {
        let key = format!("{name}=\"");
        tag.find(&key).map_or(String::new(), |i| {
            let v = &tag[i + key.len()..];
            v[..v.find('"').unwrap()].to_string()
        })
    };
    (attr("name"), attr("value"))
}

fn status_of(app: &TestApp, id: i32) -> String {
    app.db(|c| {
        entries::table
            .find(id)
            .select(entries::status)
            .first(c)
            .unwrap()
    })
}

/// A draft edition from the model, opening `opens_in` from now.
fn draft_edition(
    app: &TestApp,
    org: &crate::support::Client,
    slug: &str,
    opens_in: Duration,
) -> i32 {
    let now = app.now();
    let page = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VII edycja"),
            ("name_en", "7th edition"),
            ("year", "2027"),
            ("slug", slug),
            ("opens_at", &warsaw(now + opens_in)),
            ("closes_at", &warsaw(now + opens_in + Duration::days(14))),
            (
                "judging_deadline",
                &warsaw(now + opens_in + Duration::days(44)),
            ),
            ("entries_per_category", "1"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    page.url.rsplit('/').next().unwrap().parse().unwrap()
}

fn first_criterion(app: &TestApp, edition_id: i32) -> i32 {
    app.db(|c| {
        criteria::table
            .filter(criteria::edition_id.eq(edition_id))
            .order(criteria::position)
            .select(criteria::id)
            .first(c)
            .unwrap()
    })
}

fn edit_criterion(org: &crate::support::Client, id: i32, name: &str) -> crate::support::Page {
    org.post(
        &format!("/admin/criteria/{id}"),
        &[
            ("csrf", &org.get("/account").csrf_for("/logout")),
            ("name", name),
            ("name_en", "Changed"),
            ("max_points", "10"),
            ("weight", "1"),
            ("position", "1"),
        ],
    )
}

both_backends!(
    criteria_freeze_with_the_state_not_the_opening_date,
    |app: TestApp| {
        let org = organiser(&app);
        // A draft whose opening date has passed: still a draft, its criteria can be put right.
        let late = draft_edition(&app, &org, "vii-late", Duration::hours(1));
        app.advance(Duration::hours(2));
        let page = org.get(&format!("/admin/editions/{late}"));
        page.assert_not_contains("zamrożone");
        let crit = first_criterion(&app, late);
        page.assert_contains(&format!("/admin/criteria/{crit}/delete"));
        let saved = edit_criterion(&org, crit, "Poprawione przed otwarciem");
        assert_eq!(saved.status, 200, "{}", saved.body);
        let name: String = app.db(|c| {
            criteria::table
                .find(crit)
                .select(criteria::name)
                .first(c)
                .unwrap()
        });
        assert_eq!(name, "Poprawione przed otwarciem");

        // An edition opened before its opening date: frozen at once, although the date is ahead.
        let early = draft_edition(&app, &org, "vii-early", Duration::days(3));
        let opened = crate::support::confirm(
            &org,
            org.get(&format!("/admin/editions/{early}/state?to=open")),
        );
        assert_eq!(opened.status, 200, "{}", opened.body);
        let state: String = app.db(|c| {
            editions::table
                .find(early)
                .select(editions::state)
                .first(c)
                .unwrap()
        });
        assert_eq!(state, "open");
        let page = org.get(&format!("/admin/editions/{early}"));
        page.assert_contains("zamrożone");
        let crit = first_criterion(&app, early);
        page.assert_not_contains(&format!("/admin/criteria/{crit}/delete"));
        let refused = edit_criterion(&org, crit, "Zmienione po otwarciu");
        assert_eq!(refused.status, 422);
        refused.assert_contains("nie można ich już zmienić");
    }
);

both_backends!(
    enter_saves_the_entry_and_submitting_needs_the_confirmation,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let reg = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
        let c = &reg.client;
        // Enter in the title field presses the first button: "save draft".
        let form = c.get("/entries/new");
        assert_eq!(
            default_button(&form, "/entries/new"),
            ("action".into(), "save".into())
        );
        form.assert_contains("Sprawdź i wyślij zgłoszenie");
        let typed = entry_form(
            call.categories[0],
            "Portal map gminy",
            &[("action", "save")],
        );
        let saved = c.submit_on(&form, "/entries/new", &pairs(&typed));
        assert!(saved.url.ends_with("/edit"), "{}", saved.url);
        let id = entry_of(&app, "Portal map gminy");
        assert_eq!(status_of(&app, id), "draft");
        // Everything typed is kept, on the page and in the database.
        saved.assert_contains("value=\"Portal map gminy\"");
        saved.assert_contains("Budżet gminy");
        saved.assert_contains("22 701 75 00");
        let edit = format!("/entries/{id}/edit");
        assert_eq!(
            default_button(&saved, &edit),
            ("action".into(), "save".into())
        );
        // The final button (and a hand-made "submit" as the old form sent) only leads to the
        // confirmation page: the entry stays a draft until it is confirmed there.
        for action in ["review", "submit"] {
            let review = c.submit_on(
                &saved,
                &edit,
                &pairs(&entry_form(
                    call.categories[0],
                    "Portal map gminy",
                    &[("action", action)],
                )),
            );
            assert!(
                review.url.ends_with(&format!("/entries/{id}/submit")),
                "{}",
                review.url
            );
            assert_eq!(status_of(&app, id), "draft", "{action}");
        }
        let review = c.get(&format!("/entries/{id}/submit"));
        review.assert_contains("Wysłać zgłoszenie?");
        review.assert_contains(
            "<dt>Adres e-mail do potwierdzenia</dt><dd>anna@piaseczno.example</dd>",
        );
        review.assert_contains(&format!("href=\"/entries/{id}/edit\""));
        assert_eq!(
            app.smtp.count_to("anna@piaseczno.example"),
            1,
            "only the welcome so far"
        );
        // The English page says the same in English.
        let en = c.get(&format!("/entries/{id}/submit?lang=en"));
        en.assert_contains("Submit the entry?");
        en.assert_not_contains("Wysłać");
        // Confirmed (back in Polish): submitted, with the confirmation email.
        // A POST without the confirmation's button (a hand-made form) submits nothing: it
        // leads to the confirmation.
        let token = c.get("/account?lang=pl").csrf_for("/logout");
        let unconfirmed = c.post(&format!("/entries/{id}/submit"), &[("csrf", &token)]);
        assert!(
            unconfirmed.url.ends_with(&format!("/entries/{id}/submit")),
            "{}",
            unconfirmed.url
        );
        unconfirmed.assert_contains("Wysłać zgłoszenie?");
        assert_eq!(status_of(&app, id), "draft");
        let review = c.get(&format!("/entries/{id}/submit?lang=pl"));
        let done = confirm(c, review);
        assert!(
            done.url.ends_with(&format!("/entries/{id}")),
            "{}",
            done.url
        );
        done.assert_contains("Zgłoszenie zostało wysłane");
        assert_eq!(status_of(&app, id), "submitted");
        app.smtp.wait_subject(
            "anna@piaseczno.example",
            "Potwierdzenie wysłania zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        // An incomplete draft: the confirmation page says so and offers no button.
        let reg2 = register_applicant(&app, "ola@gmina-b.example", "Gmina B");
        reg2.client.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(
                call.categories[1],
                "Szkic",
                &[("summary", ""), ("action", "save")],
            )),
        );
        let draft = entry_of(&app, "Szkic");
        let refused = reg2.client.get(&format!("/entries/{draft}/submit"));
        assert_eq!(refused.status, 409);
        refused.assert_contains("Zgłoszenie nie jest kompletne");
        refused.assert_not_contains("name=\"confirm\"");
        let token = refused.csrf_for("/logout");
        let forced = reg2.client.post(
            &format!("/entries/{draft}/submit"),
            &[("csrf", &token), ("confirm", "yes")],
        );
        assert_eq!(forced.status, 422);
        assert!(forced.has_field_error("summary"));
        assert_eq!(status_of(&app, draft), "draft");
    }
);

both_backends!(
    enter_saves_the_score_and_submitting_needs_the_confirmation,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let crit = crate::support::judging::criteria_of(&app, ed);
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "s1@jury.example");
        let id1 = id_of_user(&app, "s1@jury.example");
        crate::support::judging::assign_category(org, ed, id1, j.categories[0]);
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
        let a = entry_of(&app, j.titles[0]);
        let url = format!("/jury/entries/{a}");
        let form = j1.get(&url);
        // Enter in a score field presses "save draft".
        assert_eq!(
            default_button(&form, &url),
            ("action".into(), "save".into())
        );
        let saved = j1.submit_on(
            &form,
            &url,
            &refs(&scores(&crit, [9, 7, 8, 8], "Dobre.", "save")),
        );
        saved.assert_contains("value=\"9\"");
        let status = || -> String {
            app.db(|c| {
                reviews::table
                    .filter(reviews::entry_id.eq(a))
                    .select(reviews::status)
                    .first(c)
                    .unwrap()
            })
        };
        assert_eq!(status(), "draft");
        // The final button leads to the confirmation: what will be submitted, and that it locks.
        let review = j1.submit_on(
            &saved,
            &url,
            &refs(&scores(&crit, [9, 7, 8, 8], "Dobre.", "review")),
        );
        assert!(
            review.url.ends_with(&format!("{url}/submit")),
            "{}",
            review.url
        );
        review.assert_contains("Wysłać ocenę?");
        review.assert_contains("ocena zostanie zablokowana");
        review.assert_contains("<dd>9 / 10</dd>");
        assert_eq!(
            status(),
            "draft",
            "nothing submitted before the confirmation"
        );
        // The way back changes nothing; the confirmation submits and locks.
        review.assert_contains(&format!("href=\"{url}\""));
        let done = confirm(&j1, review);
        assert!(done.url.ends_with("/jury"), "{}", done.url);
        done.assert_contains("Ocena została wysłana");
        assert_eq!(status(), "submitted");
        j1.get(&url)
            .assert_contains("Ocena została wysłana i jest zablokowana");
        // A second confirmation (the back button, a double click) changes nothing.
        let again = j1.get(&format!("{url}/submit"));
        assert!(again.url.ends_with(&url), "{}", again.url);
    }
);

both_backends!(
    reminders_and_judging_emails_go_to_jurors_with_work,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        // J1 judges category I (A, B, C); J2 too, conflicted with A's institution; J3 nothing.
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "r1@jury.example");
        let _j2 = juror(&app, org, ed, "Juror Drugi", "r2@jury.example");
        // The invitation names the edition, the judging deadline and the categories.
        let invite = app.smtp.wait_subject(
            "r1@jury.example",
            "Zaproszenie do jury konkursu „Samorządowy Lider Cyfryzacji”",
        );
        for part in [
            "Edycja konkursu: VI edycja",
            "Termin oceny: ",
            "Kategorie: I — Poza horyzonty",
        ] {
            assert!(invite.text.contains(part), "{part}: {}", invite.text);
        }
        let (id1, id2) = (
            id_of_user(&app, "r1@jury.example"),
            id_of_user(&app, "r2@jury.example"),
        );
        for jid in [id1, id2] {
            crate::support::judging::assign_category(org, ed, jid, j.categories[0]);
        }
        let a = entry_of(&app, j.titles[0]);
        let inst_a: i32 = app.db(|c| {
            entries::table
                .find(a)
                .select(entries::institution_id)
                .first(c)
                .unwrap()
        });
        add_conflict(org, ed, id2, inst_a, "zatrudnienie")
            .assert_contains("Konflikt interesów został zapisany");
        // Before judging no reminder is offered.
        org.get(&format!("/admin/editions/{ed}/jury"))
            .assert_not_contains(&format!("/admin/editions/{ed}/remind"));
        // Judging opens through its confirmation page: how many jurors are emailed, and then each
        // gets the number of entries theirs to judge (J2: not A).
        org.get(&format!("/admin/editions/{ed}"))
            .assert_contains(&format!("href=\"/admin/editions/{ed}/state?to=judging\""));
        let start = org.get(&format!("/admin/editions/{ed}/state?to=judging"));
        start.assert_contains("Rozpocząć ocenę zgłoszeń?");
        start.assert_contains("<dt>Liczba osób z jury, które dostaną e-mail</dt><dd>2</dd>");
        let started = confirm(org, start);
        assert_eq!(started.status, 200, "{}", started.body);
        let m1 = app.smtp.wait_subject(
            "r1@jury.example",
            "Rozpoczęła się ocena zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        assert!(
            m1.text.contains("Liczba zgłoszeń do oceny: 3"),
            "{}",
            m1.text
        );
        assert!(m1.text.contains("Termin oceny: "), "{}", m1.text);
        assert!(m1.text.contains(&app.url("/jury")), "{}", m1.text);
        let m2 = app.smtp.wait_subject(
            "r2@jury.example",
            "Rozpoczęła się ocena zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        assert!(
            m2.text.contains("Liczba zgłoszeń do oceny: 2"),
            "{}",
            m2.text
        );

        // J1 submits everything; J2 has two left (A is conflicted, not work).
        let crit = crate::support::judging::criteria_of(&app, ed);
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        );
        for t in j.titles.iter().take(3) {
            let e = entry_of(&app, t);
            let p = confirm(
                &j1,
                j1.submit(
                    &format!("/jury/entries/{e}"),
                    &format!("/jury/entries/{e}"),
                    &refs(&scores(&crit, [5, 5, 5, 5], "Ocena.", "review")),
                ),
            );
            assert!(p.url.ends_with("/jury"), "{}", p.url);
        }
        j1.get("/jury").assert_contains("Ocenione: 3 z 3");
        let jury_page = org.get(&format!("/admin/editions/{ed}/jury"));
        jury_page.assert_contains("Ocenione: 3 z 3");
        jury_page.assert_contains("Ocenione: 0 z 2");
        // The confirmation counts one juror: J2.
        let remind = org.get(
            &jury_page
                .url
                .replace("/jury", "/remind")
                .replace(&app.url(""), ""),
        );
        remind.assert_contains("Wysłać przypomnienia?");
        remind
            .assert_contains("<dt>Liczba osób z jury, które dostaną przypomnienie</dt><dd>1</dd>");
        let reminders = || -> Vec<String> {
            app.db(|c| {
                outbox::table
                    .filter(outbox::kind.eq("jury_reminder"))
                    .select(outbox::to_email)
                    .load(c)
                    .unwrap()
            })
        };
        assert!(
            reminders().is_empty(),
            "nothing sent before the confirmation"
        );
        confirm(org, remind).assert_contains("Przypomnienia zostały wysłane");
        assert_eq!(reminders(), vec!["r2@jury.example".to_string()]);

        // After the judging deadline: not offered, and a POST is refused with the reason.
        let deadline: chrono::NaiveDateTime = app.db(|c| {
            editions::table
                .find(ed)
                .select(editions::judging_deadline)
                .first(c)
                .unwrap()
        });
        app.advance(deadline - app.now() + Duration::seconds(1));
        let jury_page = org.get(&format!("/admin/editions/{ed}/jury"));
        jury_page.assert_not_contains(&format!("href=\"/admin/editions/{ed}/remind\""));
        let late = org.get(&format!("/admin/editions/{ed}/remind"));
        assert_eq!(late.status, 409);
        late.assert_contains("Termin oceny minął");
        late.assert_not_contains("name=\"confirm\"");
        let token = jury_page.csrf_for("/logout");
        let forced = org.post(&format!("/admin/editions/{ed}/remind"), &[("csrf", &token)]);
        assert_eq!(forced.status, 409);
        forced.assert_contains("Termin oceny minął");
        assert_eq!(reminders().len(), 1, "no reminder after the deadline");
    }
);
