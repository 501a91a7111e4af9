//! Language: emails an office would sign (no name or number that would need declining, labels
//! instead), each recipient's own language in emails and their links, the account's language on
//! its pages, and the audit log in words.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::audit_log;

use crate::both_backends;
use crate::support::judging::{closed_with_entries, entry_of, id_of_user, juror};
use crate::support::smtp::Mail;
use crate::support::{
    Client, PASSWORD, TestApp, entry_form, login, open_call, organiser, pairs, register_applicant,
    warsaw,
};

const PL_SUBMITTED: &str =
    "Potwierdzenie wysłania zgłoszenia – konkurs „Samorządowy Lider Cyfryzacji”";
const EN_SUBMITTED: &str =
    "Your entry has been submitted – “Local Government Digitalisation Leader” competition";

/// Sets the account's language on its settings page, as the user would.
fn set_account_lang(c: &Client, name: &str, lang: &str) {
    let saved = c.submit(
        "/account/settings",
        "/account/settings",
        &[("name", name), ("lang", lang)],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
}

/// The message with its lines ended by `\n` (SMTP sends `\r\n`).
fn lf(mut m: Mail) -> Mail {
    m.text = m.text.replace("\r\n", "\n");
    m.html = m.html.replace("\r\n", "\n");
    m
}

/// No Polish words or quotation marks outside the proper names the message names.
fn assert_english(mail: &Mail, names: &[&str]) {
    let mut text = mail.text.clone();
    for n in names {
        text = text.replace(n, "");
    }
    assert!(
        !text.chars().any(|c| "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ„".contains(c)) && !text.contains("edycja"),
        "Polish in an English email:\n{}",
        mail.text
    );
}

both_backends!(
    submission_emails_use_labels_and_the_recipients_language,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let pl = register_applicant(&app, "anna@wzorcowy.example", "Powiat Wzorcowy");
        let en = register_applicant(&app, "john@angielska.example", "Gmina Angielska");
        set_account_lang(&en.client, "John Smith", "en");
        let cat = call.categories[0];
        for (r, title) in [(&pl, "Geoportal powiatu"), (&en, "Open data portal")] {
            let p = crate::support::submit_entry(
                &r.client,
                "/entries/new",
                "/entries/new",
                &pairs(&entry_form(cat, title, &[])),
            );
            assert_eq!(p.status, 200, "{}", p.body);
        }
        let closes = app.db(|c| {
            konkurs::db::schema::editions::table
                .find(call.edition_id)
                .select(konkurs::db::schema::editions::closes_at)
                .first::<chrono::NaiveDateTime>(c)
                .unwrap()
        });

        let m = lf(app.smtp.wait_subject("anna@wzorcowy.example", PL_SUBMITTED));
        let id = entry_of(&app, "Geoportal powiatu");
        assert!(m.text.starts_with("Dzień dobry,\n\n"), "{}", m.text);
        for line in [
            "Potwierdzamy, że zgłoszenie do konkursu „Samorządowy Lider Cyfryzacji” zostało wysłane. Dane zgłoszenia podajemy poniżej.",
            "Edycja: VI edycja\n",
            "Nazwa projektu: Geoportal powiatu\n",
            "Kategoria: I „Poza horyzonty”\n",
            "Instytucja: Powiat Wzorcowy\n",
            "Data wysłania: ",
            &format!(
                "Zgłoszenie można zmienić lub wycofać do upływu terminu składania zgłoszeń: {}.",
                konkurs::domain::time::format(closes, konkurs::i18n::Lang::Pl)
            ),
            &app.url(&format!("/entries/{id}?lang=pl")),
        ] {
            assert!(m.text.contains(line), "{line:?} not in:\n{}", m.text);
        }
        assert!(!m.text.contains("Anna Nowak,"), "{}", m.text);
        assert!(m.html.contains("<p>Dzień dobry,</p>"), "{}", m.html);

        let m = lf(app
            .smtp
            .wait_subject("john@angielska.example", EN_SUBMITTED));
        let id = entry_of(&app, "Open data portal");
        for line in [
            "We confirm that your entry to the “Local Government Digitalisation Leader” competition has been submitted. Its details are below.",
            "Edition: 6th edition\n",
            "Name of the project: Open data portal\n",
            "Category: I “Beyond the horizon”\n",
            "Institution: Gmina Angielska\n",
            "The entry can be changed or withdrawn until the submission deadline: ",
            &app.url(&format!("/entries/{id}?lang=en")),
        ] {
            assert!(m.text.contains(line), "{line:?} not in:\n{}", m.text);
        }
        // What the applicant typed (the summary) is theirs; everything else is English.
        assert_english(
            &m,
            &["Portal map i danych przestrzennych gminy, dostępny dla mieszkańców."],
        );

        // The formal check's decisions, each in its recipient's language.
        crate::support::close_call(&app, call.edition_id);
        let token = org.get("/account").csrf_for("/logout");
        let closed = org.post(
            &format!("/admin/editions/{}/state", call.edition_id),
            &[("csrf", &token), ("to", "closed"), ("confirm", "yes")],
        );
        assert_eq!(closed.status, 200, "{}", closed.body);
        let pl_id = entry_of(&app, "Geoportal powiatu");
        org.submit(
            &format!("/admin/entries/{pl_id}"),
            &format!("/admin/entries/{pl_id}/decision"),
            &[
                ("decision", "reject"),
                ("reason", "Projekt nie został jeszcze wdrożony."),
            ],
        )
        .assert_contains("Decyzja została zapisana");
        let until = app.now() + Duration::days(3);
        org.submit(
            &format!("/admin/entries/{id}"),
            &format!("/admin/entries/{id}/decision"),
            &[
                ("decision", "return"),
                ("reason", "Please describe the results."),
                ("until", &warsaw(until)),
            ],
        )
        .assert_contains("Decyzja została zapisana");
        let rejected = lf(app.smtp.wait_subject(
            "anna@wzorcowy.example",
            "Zgłoszenie odrzucone formalnie – konkurs „Samorządowy Lider Cyfryzacji”",
        ));
        assert!(
            rejected.text.starts_with(
                "Dzień dobry,\n\nZgłoszenie „Geoportal powiatu” nie spełnia wymogów formalnych konkursu i nie zostanie ocenione przez jury. Uzasadnienie decyzji podajemy poniżej.\n\nNumer zgłoszenia: VI/I/001\nNazwa projektu: Geoportal powiatu\nUzasadnienie decyzji: Projekt nie został jeszcze wdrożony.\n"
            ),
            "{}",
            rejected.text
        );
        let returned = lf(app.smtp.wait_subject(
            "john@angielska.example",
            "Your entry needs a correction – “Local Government Digitalisation Leader” competition",
        ));
        let deadline = konkurs::domain::time::format(
            // The form takes whole minutes.
            until - Duration::seconds(i64::from(chrono::Timelike::second(&until))),
            konkurs::i18n::Lang::En,
        );
        assert!(
            returned.text.starts_with(&format!(
                "Dear John Smith,\n\nThe entry “Open data portal” needs a correction. The reasons and the deadline for the correction are below. Correct the entry and submit it again before the deadline.\n\nReference number: VI/I/002\nName of the project: Open data portal\nReasons for the decision: Please describe the results.\nDeadline for the correction: {deadline}\n"
            )),
            "{}",
            returned.text
        );
        assert_english(&returned, &[]);

        // The link shows the entry in English to someone not logged in on this browser: the
        // login page first, then the entry.
        let link = m.link(&app.url("/entries/"));
        let fresh = app.client();
        let page = fresh.get_abs(&link);
        page.assert_contains("<html lang=\"en\">");
        let entry = login(&fresh, "john@angielska.example", PASSWORD);
        entry.assert_contains("<html lang=\"en\">");
    }
);

both_backends!(
    a_users_pages_follow_the_account_language_until_they_switch,
    |app: TestApp| {
        let r = register_applicant(&app, "lang@gmina.example", "Gmina Językowa");
        r.client
            .get("/account")
            .assert_contains("<html lang=\"pl\">");
        // The account's language is English: its pages are English with no cookie or parameter.
        set_account_lang(&r.client, "Anna Nowak", "en");
        let account = r.client.get("/account");
        account.assert_contains("<html lang=\"en\">");
        // (The browser's cookie says Polish: the confirmation link carried the language.)
        assert_eq!(r.client.cookie("lang").as_deref(), Some("pl"));
        r.client
            .get("/account/settings")
            .assert_contains("<html lang=\"en\">");
        // The switch wins for the rest of this session…
        r.client
            .get("/account?lang=pl")
            .assert_contains("<html lang=\"pl\">");
        r.client
            .get("/account")
            .assert_contains("<html lang=\"pl\">");
        // …and the account's language is back at the next login, whatever the browser's cookie.
        let token = r.client.get("/account").csrf_for("/logout");
        r.client.post("/logout", &[("csrf", &token)]);
        assert_eq!(r.client.cookie("lang").as_deref(), Some("pl"));
        r.client.get("/login").assert_contains("<html lang=\"pl\">");
        login(&r.client, "lang@gmina.example", PASSWORD);
        r.client
            .get("/account")
            .assert_contains("<html lang=\"en\">");
        // Another browser, someone else's English cookie: a Polish account still reads Polish.
        let other = register_applicant(&app, "pl@gmina.example", "Gmina Polska");
        other.client.get("/?lang=en");
        other
            .client
            .get("/account")
            .assert_contains("<html lang=\"en\">");
        let token = other.client.get("/account").csrf_for("/logout");
        other.client.post("/logout", &[("csrf", &token)]);
        login(&other.client, "pl@gmina.example", PASSWORD);
        other
            .client
            .get("/account")
            .assert_contains("<html lang=\"pl\">");
    }
);

both_backends!(
    reminders_results_and_the_audit_log_read_in_words,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        // Institution D reads English; so does the second juror.
        set_account_lang(&j.applicants[3].0, "Anna Nowak", "en");
        let _j1 = juror(&app, org, ed, "Juror Pierwszy", "j1@jury.example");
        let j2 = juror(&app, org, ed, "Juror Drugi", "j2@jury.example");
        set_account_lang(&j2, "Juror Drugi", "en");
        let (id1, id2) = (
            id_of_user(&app, "j1@jury.example"),
            id_of_user(&app, "j2@jury.example"),
        );
        for (jid, cat) in [(id1, j.categories[0]), (id2, j.categories[1])] {
            crate::support::judging::assign_category(org, ed, jid, cat);
        }
        let token = org.get("/account").csrf_for("/logout");
        let judging = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        assert_eq!(judging.status, 200);
        crate::support::confirm(org, org.get(&format!("/admin/editions/{ed}/remind")))
            .assert_contains("Przypomnienia zostały wysłane");
        let deadline = app.db(|c| {
            konkurs::db::schema::editions::table
                .find(ed)
                .select(konkurs::db::schema::editions::judging_deadline)
                .first::<chrono::NaiveDateTime>(c)
                .unwrap()
        });
        let r1 = lf(app.smtp.wait_subject(
            "j1@jury.example",
            "Przypomnienie o ocenie zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”",
        ));
        let expected = format!(
            "Dzień dobry,\n\nPrzypominamy o ocenie zgłoszeń w konkursie „Samorządowy Lider Cyfryzacji”.\nEdycja: VI edycja\nLiczba zgłoszeń do oceny: 3\nTermin oceny: {}\n",
            konkurs::domain::time::format(deadline, konkurs::i18n::Lang::Pl)
        );
        assert!(r1.text.starts_with(&expected), "{}", r1.text);
        assert!(
            r1.html
                .contains("Edycja: VI edycja<br>\nLiczba zgłoszeń do oceny: 3<br>"),
            "{}",
            r1.html
        );
        let r2 = lf(app.smtp.wait_subject(
            "j2@jury.example",
            "Reminder: entries to judge – “Local Government Digitalisation Leader” competition",
        ));
        assert!(
            r2.text
                .contains("Edition: 6th edition\nEntries left to judge: 1\nJudging deadline: "),
            "{}",
            r2.text
        );
        assert!(r2.text.contains("/jury?lang=en"), "{}", r2.text);
        assert_english(&r2, &[]);

        // Awards: A first place, B a mention, C and D none; then the protocol and publication.
        let [a, b, c_] = [
            entry_of(&app, j.titles[0]),
            entry_of(&app, j.titles[1]),
            entry_of(&app, j.titles[2]),
        ];
        org.submit(
            &format!("/admin/editions/{ed}/ranking"),
            &format!("/admin/editions/{ed}/awards/{}", j.categories[0]),
            &[
                (&format!("award-{a}") as &str, "1"),
                (&format!("award-{b}"), "mention"),
                (&format!("award-{c_}"), ""),
            ],
        )
        .assert_contains("Nagrody zostały zapisane");
        crate::support::confirm(
            org,
            org.get(&format!("/admin/editions/{ed}/protocol/finalise")),
        )
        .assert_contains("Protokół został zatwierdzony");
        let token = org.get("/account").csrf_for("/logout");
        let published = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "published"), ("confirm", "yes")],
        );
        assert_eq!(published.status, 200);
        crate::support::confirm(
            org,
            org.get(&format!(
                "/admin/editions/{ed}/announce/confirm?extra=redakcja%40gazeta.example"
            )),
        )
        .assert_contains("przekazane do wysyłki");

        let congrats = "Gratulacje! Wyniki konkursu „Samorządowy Lider Cyfryzacji”";
        let to_a = lf(app.smtp.wait_subject("a@inst-a.example", congrats));
        assert!(
            to_a.text.starts_with(
                "Dzień dobry,\n\nOgłosiliśmy wyniki konkursu „Samorządowy Lider Cyfryzacji”. Z przyjemnością informujemy, że jury nagrodziło zgłoszenie Twojej instytucji. Serdecznie gratulujemy!\n\nInstytucja: Gmina A\nEdycja: VI edycja\nZgłoszenie: VI/I/001 Portal map A\nKategoria: I „Poza horyzonty”\nWynik: I miejsce\n"
            ),
            "{}",
            to_a.text
        );
        assert!(to_a.text.contains("Dziękujemy wszystkim instytucjom za zgłoszenia i zapraszamy do udziału w kolejnej edycji konkursu."));
        let to_b = lf(app.smtp.wait_subject("b@inst-b.example", congrats));
        assert!(
            to_b.text.contains("Z przyjemnością informujemy, że jury wyróżniło zgłoszenie Twojej instytucji. Serdecznie gratulujemy!")
                && to_b.text.contains("Wynik: wyróżnienie\n")
                && !to_b.text.contains("laureat"),
            "{}",
            to_b.text
        );
        let to_c = lf(app.smtp.wait_subject(
            "c@inst-c.example",
            "Wyniki konkursu „Samorządowy Lider Cyfryzacji”",
        ));
        assert!(
            to_c.text.starts_with(
                "Dzień dobry,\n\nOgłosiliśmy wyniki konkursu „Samorządowy Lider Cyfryzacji”. Dziękujemy za udział w konkursie i za przygotowanie zgłoszenia. Wyniki podajemy poniżej.\n\nInstytucja: Gmina C\nEdycja: VI edycja\nZgłoszenie: VI/I/003 Dane przestrzenne C\nKategoria: I „Poza horyzonty”\nWynik: bez miejsca w tej kategorii\n"
            ),
            "{}",
            to_c.text
        );
        assert!(!to_c.text.contains("bez nagrody"), "{}", to_c.text);
        let to_d = lf(app.smtp.wait_subject(
            "d@inst-d.example",
            "Results of the “Local Government Digitalisation Leader” competition",
        ));
        assert!(
            to_d.text.starts_with(
                "Dear Anna Nowak,\n\nThe results of the “Local Government Digitalisation Leader” competition have been announced. Thank you for taking part and for preparing your entry. The results are below.\n\nInstitution: Gmina D\nEdition: 6th edition\nEntry: VI/II/001 E-usługi D\nCategory: II “Beyond the everyday”\nResult: not placed in this category\n"
            ),
            "{}",
            to_d.text
        );
        assert!(
            to_d.text.contains("/editions/vi/results?lang=en"),
            "{}",
            to_d.text
        );
        assert_english(&to_d, &["Gmina D", "E-usługi D"]);
        let press = lf(app.smtp.wait_subject(
            "redakcja@gazeta.example",
            "Wyniki konkursu „Samorządowy Lider Cyfryzacji” – informacja dla mediów",
        ));
        assert!(
            press.text.contains("Edycja: VI edycja\n")
                && press
                    .text
                    .contains("Kategoria I „Poza horyzonty” — I miejsce: Gmina A — Portal map A\n")
                && press.text.contains(
                    "Kategoria I „Poza horyzonty” — wyróżnienie: Gmina B — Geoportal B\n"
                ),
            "{}",
            press.text
        );

        // The audit log says what happened, in the reader's language, filtered by the same words.
        let log = org.get("/admin/audit");
        log.assert_contains(
            "<td>Przyznano I miejsce: Gmina A — VI/I/001 Portal map A<br>Przyznano wyróżnienie: Gmina B — VI/I/002 Geoportal B</td>",
        );
        log.assert_contains("<td>Zmieniono etap edycji: VI edycja</td>");
        log.assert_contains("Nowy etap: wyniki opublikowane");
        log.assert_contains(
            "Zmieniono kategorie oceniane przez członka jury: Juror Drugi (j2@jury.example)",
        );
        log.assert_contains("Kategorie: II");
        log.assert_contains("Liczba wysłanych przypomnień: 2");
        for code in ["award:set<", "edition:state<", ">II 1:", "<code>"] {
            log.assert_not_contains(code);
        }
        let filtered = org.get("/admin/audit?action=award:set");
        filtered
            .assert_contains(r#"<option value="award:set" selected>Przyznano nagrody</option>"#);
        filtered.assert_not_contains("<td>Zmieniono etap edycji");
        let en = org.get("/admin/audit?lang=en");
        en.assert_contains("<td>Awarded 1st place: Gmina A — VI/I/001 Portal map A<br>Awarded honourable mention: Gmina B — VI/I/002 Geoportal B</td>");
        en.assert_contains("<td>Edition stage changed: 6th edition</td>");
        en.assert_contains("New stage: results published");
        en.assert_not_contains("VI edycja");
        en.assert_not_contains("„");
    }
);

both_backends!(an_empty_audit_log_says_so, |app: TestApp| {
    let org = organiser(&app);
    let none = org.get("/admin/audit?action=award:set");
    none.assert_contains("Brak zdarzeń tego rodzaju.");
    none.assert_not_contains("<table");
    app.db(|c| diesel::delete(audit_log::table).execute(c).unwrap());
    let empty = org.get("/admin/audit");
    empty.assert_contains("Dziennik zdarzeń jest pusty.");
    org.get("/admin/audit?lang=en")
        .assert_contains("The audit log is empty.");
});
