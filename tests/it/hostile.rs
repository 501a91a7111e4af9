//! Hostile input: line breaks and invisible characters in names, messages that cannot be sent
//! as they are, invalid UTF-8, weak passwords, deceptive file names. Each attack is refused
//! with a message on the form and changes nothing; the outbox keeps sending.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use chrono::Duration as Days;
use diesel::prelude::*;
use konkurs::db::outbox::{self, NewMessage};
use konkurs::db::schema::{attachments, outbox as outbox_t, users};

use crate::both_backends;
use crate::support::judging::id_of_user;
use crate::support::*;

const INJECTED: &str = "Anon\r\nBcc: evil@example.org";

fn users_with(app: &TestApp, email: &str) -> i64 {
    let email = email.to_string();
    app.db(move |c| {
        users::table
            .filter(users::email.eq(email))
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn queued_to(app: &TestApp, email: &str) -> i64 {
    let email = email.to_string();
    app.db(move |c| {
        outbox_t::table
            .filter(outbox_t::to_email.eq(email))
            .count()
            .get_result(c)
            .unwrap()
    })
}

both_backends!(
    a_line_break_in_a_name_is_refused_on_every_form,
    |app: TestApp| {
        // Registration, without logging in.
        let c = app.client();
        let page = c.submit(
            "/register",
            "/register",
            &registration(
                "Gmina Wstrzykiwań",
                "anon@gmina.example",
                &[("name", INJECTED)],
            ),
        );
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.has_field_error("name"), "{}", page.body);
        page.assert_contains("musi mieścić się w jednym wierszu");
        page.assert_contains("value=\"Gmina Wstrzykiwań\"");
        assert_eq!(users_with(&app, "anon@gmina.example"), 0);
        assert_eq!(queued_to(&app, "anon@gmina.example"), 0);
        // Bidirectional overrides and zero-width characters in a single-line field too.
        let page = c.submit(
            "/register",
            "/register",
            &registration("Gmina \u{202e}anegilkin", "anon@gmina.example", &[]),
        );
        assert_eq!(page.status, 422);
        assert!(page.has_field_error("institution_name"));

        // The name in the account settings.
        let reg = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
        let page = reg.client.submit(
            "/account/settings",
            "/account/settings",
            &[("name", INJECTED), ("lang", "pl")],
        );
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.has_field_error("name"));
        let uid = id_of_user(&app, "anna@piaseczno.example");
        let name: String = app.db(|c| users::table.find(uid).select(users::name).first(c).unwrap());
        assert_eq!(name, "Anna Nowak");

        // A juror's name in the jury invitation.
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi-edycja", Days::days(14));
        let jury = format!("/admin/editions/{}/jury", call.edition_id);
        let page = org.submit(
            &jury,
            &format!("{jury}/invite"),
            &[
                ("name", INJECTED),
                ("email", "juror@uczelnia.example"),
                ("affiliation", "Uczelnia"),
                ("lang", "pl"),
            ],
        );
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(page.has_field_error("name"));
        assert_eq!(queued_to(&app, "juror@uczelnia.example"), 0);
    }
);

fn queue(app: &TestApp, to_email: &str, to_name: &str) -> i32 {
    queue_with_subject(app, to_email, to_name, "Wiadomość\r\nBcc: evil@example.org")
}

fn queue_with_subject(app: &TestApp, to_email: &str, to_name: &str, subject: &str) -> i32 {
    let m = NewMessage {
        kind: "test".into(),
        to_email: to_email.into(),
        to_name: to_name.into(),
        subject: subject.into(),
        body_text: "Treść.".into(),
        body_html: "<p>Treść.</p>".into(),
        user_id: None,
        institution_id: None,
    };
    app.db(|c| outbox::insert(c, &m, app.now()).unwrap())
}

fn status_of(app: &TestApp, id: i32) -> (String, Option<String>) {
    app.db(|c| {
        outbox_t::table
            .find(id)
            .select((outbox_t::status, outbox_t::last_error))
            .first(c)
            .unwrap()
    })
}

both_backends!(
    a_message_that_cannot_be_sent_as_it_is_never_stops_the_queue,
    |app: TestApp| {
        // Messages queued before names were checked (or by any other path): a header
        // injection attempt and an address no server accepts.
        let injected = queue(&app, "victim@gmina.example", INJECTED);
        let unsendable = queue(&app, "not an address", "Jan");

        // The next user's email still arrives.
        register_applicant(&app, "next@gmina.example", "Gmina Następna");

        // The injection attempt was delivered to its recipient only, with no extra header.
        let mail = app.smtp.wait_nth("victim@gmina.example", 1);
        assert_eq!(mail.to, vec!["victim@gmina.example".to_string()]);
        let headers = &mail.raw[..mail.raw.find("\r\n\r\n").unwrap_or(mail.raw.len())];
        assert!(
            !headers
                .lines()
                .any(|l| l.to_ascii_lowercase().starts_with("bcc:")),
            "{headers}"
        );
        assert_eq!(app.smtp.count_to("evil@example.org"), 0);
        // Recorded as sent once the server's answer is in.
        let deadline = Instant::now() + Duration::from_secs(15);
        while status_of(&app, injected).0 != "sent" && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(status_of(&app, injected).0, "sent");

        // The unsendable one is failed, with the reason visible to organisers.
        let deadline = Instant::now() + Duration::from_secs(15);
        let (status, reason) = loop {
            let s = status_of(&app, unsendable);
            if s.0 != "queued" || Instant::now() > deadline {
                break s;
            }
            std::thread::sleep(Duration::from_millis(100));
        };
        assert_eq!(status, "failed");
        let reason = reason.unwrap_or_default();
        assert!(reason.contains("invalid recipient address"), "{reason}");
        let org = organiser(&app);
        org.get("/admin/outbox")
            .assert_contains("invalid recipient address");

        // And the server says it is ready: database and mail worker alive.
        let health = app.client().get("/healthz");
        assert_eq!(health.status, 200);
        assert_eq!(health.body, "ok");
    }
);

both_backends!(
    each_message_keeps_the_message_id_it_was_queued_with,
    |app: TestApp| {
        register_applicant(&app, "ids@gmina.example", "Gmina Identyfikatorów");
        let mail = app.smtp.wait_nth("ids@gmina.example", 1);
        let stored: String = app.db(|c| {
            outbox_t::table
                .filter(outbox_t::to_email.eq("ids@gmina.example"))
                .select(outbox_t::message_id)
                .first(c)
                .unwrap()
        });
        assert_eq!(stored.len(), 32);
        let expected = format!("<{stored}@test.example>");
        let header = mail
            .raw
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
            .expect("a Message-ID header");
        assert_eq!(header.split_once(':').unwrap().1.trim(), expected);
    }
);

both_backends!(invalid_utf8_in_a_form_is_refused, |app: TestApp| {
    let c = app.client();
    let form = c.get("/register");
    let csrf = form.csrf_for("/register");
    let mut body = format!("csrf={csrf}");
    for (k, v) in registration("Gmina", "utf@gmina.example", &[]) {
        if k != "name" {
            let _ = write!(body, "&{k}={}", client::escape_form(v));
        }
    }
    body.push_str("&name=Anna%C5%20Nowak%FF");
    let page = c.post_raw(
        "/register",
        "application/x-www-form-urlencoded",
        body.as_bytes(),
    );
    assert_eq!(page.status, 400, "{}", page.body);
    page.assert_contains("UTF-8");
    assert_eq!(users_with(&app, "utf@gmina.example"), 0);
});

both_backends!(
    passwords_that_are_easy_to_guess_are_refused,
    |app: TestApp| {
        let c = app.client();
        for weak in [
            "aaaaaaaaaaaa",
            "123456789012",
            "password1234",
            "            ",
        ] {
            let page = c.submit(
                "/register",
                "/register",
                &registration(
                    "Gmina Haseł",
                    "weak@gmina.example",
                    &[("password", weak), ("password_confirm", weak)],
                ),
            );
            assert_eq!(page.status, 422, "{weak}: {}", page.body);
            assert!(page.has_field_error("password"), "{weak}");
            page.assert_contains("To hasło łatwo odgadnąć");
            page.assert_contains("value=\"Gmina Haseł\"");
        }
        assert_eq!(users_with(&app, "weak@gmina.example"), 0);
    }
);

both_backends!(a_file_name_cannot_disguise_its_type, |app: TestApp| {
    let org = organiser(&app);
    let call = open_call(&app, &org, "vi-edycja", Days::days(14));
    let reg = register_applicant(&app, "bidi@gmina.example", "Gmina Plików");
    let c = &reg.client;
    let draft = entry_form(call.categories[0], "Portal danych", &[("action", "save")]);
    let saved = c.submit("/entries/new", "/entries/new", &pairs(&draft));
    assert!(saved.url.ends_with("/edit"), "{}", saved.url);
    let id: i32 = saved
        .url
        .trim_end_matches("/edit")
        .rsplit('/')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    // Shown as "invoicexe.pdf"-like text, really an .exe before the fix.
    let up = c.upload(
        &format!("/entries/{id}/edit"),
        &format!("/entries/{id}/attachments"),
        "invoice\u{202e}fdp.exe.pdf",
        PDF,
    );
    assert_eq!(up.status, 200, "{}", up.body);
    let (aid, name): (i32, String) = app.db(|c| {
        attachments::table
            .select((attachments::id, attachments::original_name))
            .first(c)
            .unwrap()
    });
    assert_eq!(name, "invoicefdp.exe.pdf");
    let file = c.get(&format!("/entries/{id}/attachments/{aid}"));
    let disposition = file.header("content-disposition").unwrap_or("").to_string();
    assert!(!disposition.contains("%E2%80%AE"), "{disposition}");
    assert!(disposition.contains("invoicefdp.exe.pdf"), "{disposition}");
});

both_backends!(
    a_mail_server_that_never_answers_for_one_message_holds_up_no_other,
    |app: TestApp| {
        app.smtp.hang_on("tarpit@gmina.example");
        let stuck = queue(&app, "tarpit@gmina.example", "Jan");
        // Wait until the worker is busy with it.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            let locked: Option<chrono::NaiveDateTime> = app.db(|c| {
                outbox_t::table
                    .find(stuck)
                    .select(outbox_t::locked_until)
                    .first(c)
                    .unwrap()
            });
            if locked.is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Everybody else's mail still goes out, within the usual wait.
        let started = Instant::now();
        register_applicant(&app, "next@gmina.example", "Gmina Następna");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "registration mail took {:?}",
            started.elapsed()
        );
        assert_eq!(status_of(&app, stuck).0, "queued");
        let health = app.client().get("/healthz");
        assert_eq!(health.status, 200, "{}", health.body);
    }
);

both_backends!(
    a_nul_character_never_reaches_the_database,
    |app: TestApp| {
        let c = app.client();
        for path in [
            "/editions/%00",
            "/editions/vi-edycja%00/results",
            "/editions/x%00/results.csv",
        ] {
            assert_eq!(c.get(path).status, 404, "{path}");
        }
        let org = organiser(&app);
        let page = org.get("/admin/users?q=%00");
        assert_eq!(page.status, 400, "{}", page.body);
        // In a form: refused with the same page as invalid UTF-8.
        let form = c.get("/login");
        let csrf = form.csrf_for("/login");
        let page = c.post_raw(
            "/login",
            "application/x-www-form-urlencoded",
            format!("csrf={csrf}&email=a%00b%40gmina.example&password=x").as_bytes(),
        );
        assert_eq!(page.status, 400, "{}", page.body);
        page.assert_contains("NUL");
    }
);

both_backends!(
    one_recipient_gets_messages_in_the_order_they_were_queued,
    |app: TestApp| {
        // Sent several at a time, but never two to the same person at once.
        for i in 1..=6 {
            queue_with_subject(
                &app,
                "kolejnosc@gmina.example",
                "",
                &format!("Wiadomość {i}"),
            );
            queue_with_subject(&app, &format!("inny{i}@gmina.example"), "", "Inna");
        }
        app.smtp.wait_nth("kolejnosc@gmina.example", 6);
        let subjects: Vec<String> = app
            .smtp
            .all()
            .into_iter()
            .filter(|m| m.is_to("kolejnosc@gmina.example"))
            .map(|m| m.subject)
            .collect();
        let expected: Vec<String> = (1..=6).map(|i| format!("Wiadomość {i}")).collect();
        assert_eq!(subjects, expected);
    }
);

both_backends!(
    a_domain_whose_server_never_answers_holds_up_only_its_own_mail,
    |app: TestApp| {
        app.smtp.hang_on("@slow.example");
        for i in 1..=6 {
            queue(&app, &format!("tarpit{i}@slow.example"), "");
        }
        std::thread::sleep(Duration::from_millis(500));
        let started = Instant::now();
        register_applicant(&app, "szybki@gmina.example", "Gmina Szybka");
        assert!(
            started.elapsed() < Duration::from_secs(15),
            "registration mail took {:?}",
            started.elapsed()
        );
    }
);

both_backends!(
    a_later_message_waits_for_an_earlier_one_to_the_same_person,
    |app: TestApp| {
        app.smtp.hang_on("czeka@gmina.example");
        let first = queue_with_subject(&app, "czeka@gmina.example", "", "Pierwsza");
        let second = queue_with_subject(&app, "czeka@gmina.example", "", "Druga");
        // Other mail flows meanwhile…
        register_applicant(&app, "obok@gmina.example", "Gmina Obok");
        // …but the second message is not sent ahead of the first, which is still queued.
        assert_eq!(status_of(&app, first).0, "queued");
        assert_eq!(status_of(&app, second).0, "queued");
        let locked: Option<chrono::NaiveDateTime> = app.db(|c| {
            outbox_t::table
                .find(second)
                .select(outbox_t::locked_until)
                .first(c)
                .unwrap()
        });
        assert!(locked.is_none(), "the second message must not be claimed");
    }
);

both_backends!(
    an_unreadable_form_keeps_the_signed_in_navigation,
    |app: TestApp| {
        let org = organiser(&app);
        let form = org.get("/account/settings");
        let csrf = form.csrf_for("/account/settings");
        for body in [
            format!("csrf={csrf}&name=%FF&lang=pl"),
            format!("csrf={csrf}&name=Jan&lang=pl&lang=en"),
        ] {
            let page = org.post_raw(
                "/account/settings",
                "application/x-www-form-urlencoded",
                body.as_bytes(),
            );
            assert_eq!(page.status, 400, "{body}");
            // The organiser's menu (with "Wyloguj"), not the visitor's ("Zaloguj się").
            page.assert_contains("Wyloguj");
            page.assert_not_contains(">Zaloguj się<");
        }
    }
);
