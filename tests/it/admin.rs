//! Organisers: first-run set-up, the user list, disabling accounts, the outbox and its retries.

use crate::both_backends;
use crate::support::{
    Backend, Options, PASSWORD, TestApp, login, organiser, register_applicant, registration,
};
use diesel::prelude::*;
use konkurs::db::schema::{audit_log, outbox, users};

both_backends!(
    first_organiser_from_the_setup_link_then_link_is_dead,
    |app: TestApp| {
        let link = app
            .setup_link
            .clone()
            .expect("set-up link on an empty database");
        let c = app.client();
        let form = c.get(&link);
        assert_eq!(form.h1(), "Pierwsze uruchomienie: konto organizatora");
        let bad = c.submit_on(
            &form,
            "/setup",
            &[
                ("name", ""),
                ("email", "x"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        );
        assert_eq!(bad.status, 422);
        assert!(bad.has_field_error("name") && bad.has_field_error("email"));
        let org = organiser(&app);
        let dash = org.get("/account");
        dash.assert_contains("Przegląd");
        // The link worked once; a second organiser cannot be made with it.
        let again = app.client().get(&link);
        assert_eq!(again.status, 410);
        let role: String = app.db(|c| users::table.select(users::role).first(c).unwrap());
        assert_eq!(role, "organiser");
    }
);

both_backends!(organiser_lists_and_disables_accounts, |app: TestApp| {
    let org = organiser(&app);
    let reg = register_applicant(&app, "blokada@gmina.example", "Gmina Zablokowana");
    let list = org.get("/admin/users?q=blokada");
    list.assert_contains("blokada@gmina.example");
    list.assert_contains("Gmina Zablokowana");
    list.assert_not_contains("olga@mazovia.example");
    let uid: i32 = app.db(|c| {
        users::table
            .filter(users::email.eq("blokada@gmina.example"))
            .select(users::id)
            .first(c)
            .unwrap()
    });
    // Filtering by role, paging and odd input never fail.
    assert_eq!(
        org.get("/admin/users?role=organiser&page=999999999999")
            .status,
        200
    );
    assert_eq!(org.get("/admin/users?role=xx&q=%25_%5C").status, 200);
    assert_eq!(org.get("/admin/users?role=%00").status, 400);

    let action = format!("/admin/users/{uid}/disable");
    // The list leads to the confirmation page (no JavaScript needed); a POST without its button
    // blocks nothing.
    list.assert_contains(&format!("href=\"{action}\""));
    let unconfirmed = org.post(&action, &[("csrf", &list.csrf_for("/logout"))]);
    assert!(unconfirmed.url.ends_with(&action), "{}", unconfirmed.url);
    assert!(reg.client.get("/account").url.ends_with("/account"));
    let confirm_page = org.get(&action);
    confirm_page.assert_contains("Zablokować konto?");
    confirm_page.assert_contains("<dt>Adres e-mail</dt><dd>blokada@gmina.example</dd>");
    org.get(&format!("{action}?lang=en"))
        .assert_contains("Block the account?");
    org.get("/admin/users?lang=pl");
    let done = crate::support::confirm(&org, org.get(&action));
    done.assert_contains("Konto zostało zablokowane");
    let again = org.get(&action);
    assert_eq!(again.status, 409);
    again.assert_contains("To konto jest już zablokowane.");
    // Their open session ends at once; logging in is refused with a reason.
    assert!(reg.client.get("/account").url.contains("/login"));
    let refused = app.client().submit(
        "/login",
        "/login",
        &[("email", "blokada@gmina.example"), ("password", PASSWORD)],
    );
    assert_eq!(refused.status, 403);
    refused.assert_contains("To konto zostało zablokowane");
    // Organisers cannot lock themselves out.
    let me: i32 = app.db(|c| {
        users::table
            .filter(users::role.eq("organiser"))
            .select(users::id)
            .first(c)
            .unwrap()
    });
    let own = org.post(
        &format!("/admin/users/{me}/disable"),
        &[(
            "csrf",
            &org.get("/admin/users")
                .csrf_for(&format!("/admin/users/{uid}/enable")),
        )],
    );
    own.assert_contains("Nie możesz zablokować własnego konta");
    // Enabling restores access; both actions are in the audit log.
    org.submit("/admin/users", &format!("/admin/users/{uid}/enable"), &[]);
    login(&app.client(), "blokada@gmina.example", PASSWORD);
    let actions: Vec<String> =
        app.db(|c| audit_log::table.select(audit_log::action).load(c).unwrap());
    assert!(
        actions.contains(&"user:disable".to_string())
            && actions.contains(&"user:enable".to_string())
    );
    let audit = org.get("/admin/audit?action=user:disable");
    audit.assert_contains("blokada@gmina.example");
    // In words, filtered by the same words.
    audit.assert_contains("<td>Zablokowano konto: ");
    audit.assert_contains("Adres e-mail: blokada@gmina.example");
    audit.assert_contains(r#"<option value="user:disable" selected>Zablokowano konto</option>"#);
    audit.assert_not_contains("<td>Odblokowano konto: ");
    audit.assert_not_contains("user:enable</");
    // A forged id is a 404 page.
    let forged = org.post(
        "/admin/users/999999/disable",
        &[("csrf", &org.get("/admin/users").csrf_for("/logout"))],
    );
    assert_eq!(forged.status, 404);
    assert_eq!(org.post("/admin/users/abc/disable", &[]).status, 404);
});

both_backends!(
    outbox_shows_failures_retries_and_sends_again,
    |app: TestApp| {
        let org = organiser(&app);
        // The SMTP server refuses the next message for now.
        app.smtp.reject_next_transient(1);
        let c = app.client();
        c.submit(
            "/register",
            "/register",
            &registration(
                "Urząd Gminy Michałowice",
                "tomasz@michalowice.example",
                &[("name", "Tomasz Wójcik")],
            ),
        );
        // Wait for the refused attempt to be recorded.
        let mut row = None;
        for _ in 0..100 {
            let r: (String, i32, Option<String>) = app.db(|c| {
                outbox::table
                    .filter(outbox::to_email.eq("tomasz@michalowice.example"))
                    .select((outbox::status, outbox::attempts, outbox::last_error))
                    .first(c)
                    .unwrap()
            });
            if r.1 >= 1 {
                row = Some(r);
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let (status, attempts, err) = row.expect("the first attempt was made");
        assert_eq!((status.as_str(), attempts), ("queued", 1));
        assert!(err.as_deref().unwrap_or("").contains("451"), "{err:?}");
        assert_eq!(app.smtp.count_to("tomasz@michalowice.example"), 0);

        // The organiser sees the server's answer and sends it again.
        let page = org.get("/admin/outbox?status=queued");
        page.assert_contains("tomasz@michalowice.example");
        page.assert_contains("451");
        let id: i32 = app.db(|c| {
            outbox::table
                .filter(outbox::to_email.eq("tomasz@michalowice.example"))
                .select(outbox::id)
                .first(c)
                .unwrap()
        });
        org.submit("/admin/outbox", &format!("/admin/outbox/{id}/retry"), &[]);
        let mail = app.smtp.wait_nth("tomasz@michalowice.example", 1);
        assert_eq!(
            mail.subject,
            "Potwierdź adres e-mail – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        // Organisers never see a link's secret: not while queued, not once sent.
        let secret = mail
            .link(&app.url("/verify?token="))
            .split("token=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .unwrap()
            .to_string();
        let sent = org.get(&format!("/admin/outbox/{id}"));
        for _ in 0..50 {
            let s: String = app.db(|c| {
                outbox::table
                    .find(id)
                    .select(outbox::status)
                    .first(c)
                    .unwrap()
            });
            if s == "sent" {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let _ = sent;
        let page = org.get(&format!("/admin/outbox/{id}"));
        page.assert_not_contains(&secret);
        let stored: String = app.db(|c| {
            outbox::table
                .find(id)
                .select(outbox::body_text)
                .first(c)
                .unwrap()
        });
        assert!(
            !stored.contains(&secret) && stored.contains("verify?token=…"),
            "{stored}"
        );
        page.assert_contains("wysłana");
        page.assert_contains("Potwierdź adres e-mail");

        // A permanent refusal is final and visible.
        app.smtp.reject_next_permanent(1);
        app.client().submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "tomasz@michalowice.example")],
        );
        let mut failed = false;
        for _ in 0..100 {
            let statuses: Vec<String> =
                app.db(|c| outbox::table.select(outbox::status).load(c).unwrap());
            if statuses.iter().any(|s| s == "failed") {
                failed = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(failed, "a 550 answer marks the message failed");
        let page = org.get("/admin/outbox?status=failed");
        page.assert_contains("550");
        page.assert_contains("niewysłana");
    }
);

fn queued_mail_is_sent_after_restart(backend: Backend) {
    let Some(mut app) = TestApp::spawn_with(
        backend,
        Options {
            smtp: false,
            session_idle: None,
            ..Default::default()
        },
    ) else {
        return;
    };
    let c = app.client();
    c.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", "nobody@example.org")],
    );
    c.submit(
        "/register",
        "/register",
        &registration(
            "Urząd Miasta Pionki",
            "karol@pionki.example",
            &[("kind", "gmina_miejska")],
        ),
    );
    std::thread::sleep(std::time::Duration::from_millis(600));
    let status: String = app.db(|c| outbox::table.select(outbox::status).first(c).unwrap());
    assert_eq!(status, "queued", "without SMTP the message waits");
    assert_eq!(app.smtp.count_to("karol@pionki.example"), 0);
    app.restart(true);
    let mail = app.smtp.wait_nth("karol@pionki.example", 1);
    assert_eq!(
        mail.subject,
        "Potwierdź adres e-mail – konkurs „Samorządowy Lider Cyfryzacji”"
    );
    // The link in it points at the running server and works.
    let link = mail.link(&app.url("/verify?token="));
    assert_eq!(app.client().get(&link).status, 200);
}

#[test]
fn queued_mail_is_sent_after_restart_sqlite() {
    queued_mail_is_sent_after_restart(Backend::Sqlite);
}

#[test]
fn queued_mail_is_sent_after_restart_postgres() {
    queued_mail_is_sent_after_restart(Backend::Postgres);
}
