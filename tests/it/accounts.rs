//! Registration, verification, login, sessions, passwords, invitations.

use crate::both_backends;
use crate::support::{PASSWORD, TestApp, login, register_applicant, registration};
use diesel::prelude::*;
use konkurs::db::schema::{institutions, sessions, users};

both_backends!(
    register_verify_login_change_and_reset_password,
    |app: TestApp| {
        let email = "sekretariat@piaseczno.example";
        let c = app.client();

        // Register through the form.
        let page = c.submit(
            "/register",
            "/register",
            &[
                ("institution_name", "Urząd Miasta i Gminy Piaseczno"),
                ("kind", "gmina_miejsko_wiejska"),
                ("teryt", "14 18 04 3"),
                ("street", "ul. Kościuszki 5"),
                ("postal_code", "05-500"),
                ("city", "Piaseczno"),
                ("phone", "+48 22 701 75 00"),
                ("name", "Anna Nowak"),
                ("email", "Sekretariat@Piaseczno.example"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("consent", "yes"),
            ],
        );
        assert_eq!(page.status, 200);
        assert_eq!(page.h1(), "Sprawdź skrzynkę e-mail");

        // Stored: the institution with its normalised TERYT code, the user unverified, lower-case.
        let (inst_name, teryt): (String, Option<String>) = app.db(|c| {
            institutions::table
                .select((institutions::name, institutions::teryt))
                .first(c)
                .unwrap()
        });
        assert_eq!(inst_name, "Urząd Miasta i Gminy Piaseczno");
        assert_eq!(teryt.as_deref(), Some("1418043"));
        let (stored_email, verified): (String, Option<chrono::NaiveDateTime>) = app.db(|c| {
            users::table
                .select((users::email, users::email_verified_at))
                .first(c)
                .unwrap()
        });
        assert_eq!(stored_email, email);
        assert!(verified.is_none());

        // Not verified yet: the login says why and offers a new link.
        let refused = c.submit(
            "/login",
            "/login",
            &[("email", email), ("password", PASSWORD)],
        );
        assert_eq!(refused.status, 403);
        refused.assert_contains("nie został jeszcze potwierdzony");
        refused.assert_contains("action=\"/verify/resend\"");

        // The email: plain text and HTML, a single-use link.
        let mail = app.smtp.wait_nth(email, 1);
        assert_eq!(
            mail.subject,
            "Potwierdź adres e-mail – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        // Plain greeting: the name typed into the form is not repeated to the address.
        assert!(mail.text.starts_with("Dzień dobry,\r\n"), "{}", mail.text);
        assert!(!mail.text.contains("Anna Nowak"), "{}", mail.text);
        // Whoever reads it may not have registered: the note says what to do then, in the
        // present tense (no gendered past form).
        assert!(
            mail.text
                .contains("Jeśli nie rejestrujesz instytucji w konkursie, zignoruj tę wiadomość."),
            "{}",
            mail.text
        );
        assert!(!mail.text.contains("Jeśli to nie Ty"), "{}", mail.text);
        assert!(mail.html.contains("<a href=\""), "{}", mail.html);
        assert_eq!(mail.from, "konkurs@test.example");
        assert!(
            mail.raw.contains("multipart/alternative"),
            "text and HTML parts"
        );
        let link = mail.link(&app.url("/verify?token="));
        let confirm = c.get(&link);
        assert_eq!(confirm.h1(), "Potwierdź adres e-mail");
        let done = c.submit(&link, "/verify", &[]);
        assert!(done.url.ends_with("/login"));
        done.assert_contains("Adres e-mail został potwierdzony");
        // Used once, the link no longer works.
        let again = c.get(&link);
        assert_eq!(again.status, 410);
        again.assert_contains("został już użyty");

        // Log in; the dashboard shows the institution.
        let dash = login(&c, email, PASSWORD);
        dash.assert_contains("Urząd Miasta i Gminy Piaseczno");
        // Viewing a page in English changes nothing stored (a GET); the settings page does.
        c.get("/account?lang=en");
        let lang: String = app.db(|c| users::table.select(users::lang).first(c).unwrap());
        assert_eq!(lang, "pl");
        c.get("/account?lang=pl");
        let session_before = c
            .cookie(konkurs::startup::SESSION_COOKIE)
            .expect("session cookie");

        // A second browser logged in to the same account.
        let other = app.client();
        login(&other, email, PASSWORD);

        // Change the password: this browser continues under a new session id, the other is out.
        let changed = c.submit(
            "/account/password",
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", "nowe bardzo długie hasło"),
                ("password_confirm", "nowe bardzo długie hasło"),
            ],
        );
        assert!(
            changed.url.ends_with("/account/settings"),
            "{}",
            changed.url
        );
        changed.assert_contains("Hasło zostało zmienione");
        assert_ne!(
            c.cookie(konkurs::startup::SESSION_COOKIE).unwrap(),
            session_before
        );
        let kicked = other.get("/account");
        assert!(
            kicked.url.contains("/login"),
            "the other session must end: {}",
            kicked.url
        );
        let notice = app.smtp.wait_nth(email, 2);
        assert_eq!(
            notice.subject,
            "Hasło zostało zmienione – konkurs „Samorządowy Lider Cyfryzacji”"
        );

        // Log out; a copy of the cookie taken before logging out no longer works.
        let copy = c.clone_cookies();
        assert!(copy.get("/account").url.ends_with("/account"));
        let out = c.submit("/account", "/logout", &[]);
        assert!(out.url.contains("/login"));
        out.assert_contains("Wylogowano");
        assert!(
            copy.get("/account").url.contains("/login?next="),
            "a copied cookie must not survive logout"
        );

        // Forgotten password: a link valid once; the old password stops working.
        let fresh = app.client();
        let asked = fresh.submit("/password/forgot", "/password/forgot", &[("email", email)]);
        asked.assert_contains("Jeśli ten adres jest przypisany do konta");
        let reset_mail = app.smtp.wait_nth(email, 3);
        assert_eq!(
            reset_mail.subject,
            "Ustaw nowe hasło – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        let reset_link = reset_mail.link(&app.url("/password/reset?token="));
        let set = fresh.submit(
            &reset_link,
            "/password/reset",
            &[
                ("password", "trzecie długie hasło"),
                ("password_confirm", "trzecie długie hasło"),
            ],
        );
        assert!(set.url.contains("/login"), "{}", set.url);
        set.assert_contains("Zaloguj się nowym hasłem");
        assert_eq!(fresh.get(&reset_link).status, 410);
        let wrong = fresh.submit(
            "/login",
            "/login",
            &[("email", email), ("password", "nowe bardzo długie hasło")],
        );
        assert_eq!(wrong.status, 422);
        login(&fresh, email, "trzecie długie hasło");
    }
);

both_backends!(
    bad_registration_input_is_refused_with_messages_and_kept,
    |app: TestApp| {
        let c = app.client();
        let page = c.submit(
            "/register",
            "/register",
            &[
                ("institution_name", "Gmina <b>Wiązowna</b>"),
                ("kind", "zamek"),
                ("teryt", "1518042"),
                ("street", ""),
                ("postal_code", "05500"),
                ("city", "Wiązowna"),
                ("phone", "123"),
                ("name", "Jan Kowalski"),
                ("email", "jan@@wiazowna"),
                ("password", "krótkie"),
                ("password_confirm", "krótkie"),
            ],
        );
        assert_eq!(page.status, 422);
        assert!(page.body.contains("<title>Błąd:"));
        for field in [
            "kind",
            "teryt",
            "street",
            "postal_code",
            "phone",
            "email",
            "password",
            "consent",
        ] {
            assert!(page.has_field_error(field), "no linked error for {field}");
        }
        page.assert_contains("Taki kod TERYT nie istnieje");
        page.assert_contains("Wpisz co najmniej 12 znaków.");
        // Input kept (escaped), passwords never echoed.
        page.assert_contains("value=\"Gmina &#60;b&#62;Wiązowna&#60;/b&#62;\"");
        page.assert_contains("value=\"Jan Kowalski\"");
        page.assert_not_contains("krótkie");
        // Nothing stored.
        let n: i64 = app.db(|c| institutions::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);
        let n: i64 = app.db(|c| users::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);

        // A duplicate address, whatever its case, is answered as a new one; nothing is created
        // and the owner is told by email.
        register_applicant(&app, "urzad@wiazowna.example", "Urząd Gminy Wiązowna");
        let before = app.smtp.count_to("urzad@wiazowna.example");
        let dup = app.client().submit(
            "/register",
            "/register",
            &registration("Inna gmina", "URZAD@Wiazowna.example", &[]),
        );
        assert_eq!(dup.status, 200, "{}", dup.body);
        assert!(dup.url.ends_with("/register/sent"), "{}", dup.url);
        dup.assert_not_contains("już istnieje");
        let notice = app.smtp.wait_for("urzad@wiazowna.example", before);
        assert_eq!(
            notice.subject,
            "Próba rejestracji z Twoim adresem e-mail – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        let n: i64 = app.db(|c| institutions::table.count().get_result(c).unwrap());
        assert_eq!(n, 1);
    }
);

both_backends!(
    posts_without_a_valid_csrf_token_are_refused,
    |app: TestApp| {
        let reg = register_applicant(&app, "csrf@gmina.example", "Gmina Testowa");
        let c = &reg.client;
        // No token at all.
        let page = c.post(
            "/account/settings",
            &[("name", "Włamywacz"), ("lang", "pl")],
        );
        assert_eq!(page.status, 403);
        page.assert_contains("Formularz wygasł");
        assert_eq!(page.h1(), "Brak dostępu");
        // A token from another session.
        let other = app.client();
        let foreign = other.get("/login").csrf_for("/login");
        let page = c.post(
            "/account/settings",
            &[("csrf", &foreign), ("name", "Włamywacz"), ("lang", "pl")],
        );
        assert_eq!(page.status, 403);
        let name: String = app.db(|c| users::table.select(users::name).first(c).unwrap());
        assert_eq!(name, "Anna Nowak");
        // Logging out needs the token too.
        assert_eq!(c.post("/logout", &[]).status, 403);
        assert!(c.get("/account").url.ends_with("/account"));
    }
);

both_backends!(failed_logins_are_throttled_per_account, |app: TestApp| {
    let reg = register_applicant(&app, "limit@gmina.example", "Gmina Limitowa");
    let c = app.client();
    for _ in 0..5 {
        let p = c.submit(
            "/login",
            "/login",
            &[("email", &reg.email), ("password", "zupełnie złe hasło")],
        );
        assert_eq!(p.status, 422);
        p.assert_contains("Nieprawidłowy adres e-mail lub hasło");
    }
    // Now even the right password waits.
    let p = c.submit(
        "/login",
        "/login",
        &[("email", &reg.email), ("password", PASSWORD)],
    );
    assert_eq!(p.status, 429);
    p.assert_contains("Zbyt wiele nieudanych prób logowania");
    assert!(c.get("/account").url.contains("/login"));
});

both_backends!(password_reset_does_not_reveal_accounts, |app: TestApp| {
    register_applicant(&app, "known@gmina.example", "Gmina Znana");
    let c = app.client();
    let known = c.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", "known@gmina.example")],
    );
    let unknown = c.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", "nobody@gmina.example")],
    );
    assert_eq!(known.status, unknown.status);
    assert_eq!(known.h1(), unknown.h1());
    known.assert_contains("Jeśli ten adres jest przypisany do konta");
    unknown.assert_contains("Jeśli ten adres jest przypisany do konta");
    app.smtp.wait_nth("known@gmina.example", 2);
    std::thread::sleep(std::time::Duration::from_millis(500));
    assert_eq!(app.smtp.count_to("nobody@gmina.example"), 0);
    // Only hashes of tokens are stored.
    let hashes: Vec<String> = app.db(|c| {
        konkurs::db::schema::tokens::table
            .select(konkurs::db::schema::tokens::token_hash)
            .load(c)
            .unwrap()
    });
    let mail = app.smtp.wait_nth("known@gmina.example", 2);
    let link = mail.link(&app.url("/password/reset?token="));
    let secret = link
        .split("token=")
        .nth(1)
        .and_then(|rest| rest.split('&').next())
        .unwrap();
    assert!(!hashes.iter().any(|h| h == secret));
    assert!(hashes.contains(&konkurs::domain::token::hash(secret)));
});

both_backends!(
    a_colleague_is_invited_into_the_same_institution,
    |app: TestApp| {
        let reg = register_applicant(&app, "szef@ostroleka.example", "Urząd Miasta Ostrołęki");
        let c = &reg.client;
        let sent = c.submit(
            "/institution/members",
            "/institution/members",
            &[("email", "piotr@ostroleka.example")],
        );
        sent.assert_contains("Zaproszenie zostało wysłane");
        sent.assert_contains("piotr@ostroleka.example");
        let mail = app.smtp.wait_nth("piotr@ostroleka.example", 1);
        assert_eq!(
            mail.subject,
            "Zaproszenie do konta instytucji – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        // A fixed opening; who invites and into which institution are labelled details below.
        assert!(mail.text.starts_with("Dzień dobry,\r\n"), "{}", mail.text);
        assert!(
            mail.text.contains("Instytucja: Urząd Miasta Ostrołęki"),
            "{}",
            mail.text
        );
        assert!(
            mail.text.contains("Osoba zapraszająca: Anna Nowak"),
            "{}",
            mail.text
        );
        let link = mail.link(&app.url("/invite?token="));
        let colleague = app.client();
        let form = colleague.get(&link);
        form.assert_contains("Urząd Miasta Ostrołęki");
        // A mismatch is refused on the same form.
        let bad = colleague.submit_on(
            &form,
            "/invite",
            &[
                ("name", "Piotr Zieliński"),
                ("password", PASSWORD),
                ("password_confirm", "inne hasło ale długie"),
            ],
        );
        assert_eq!(bad.status, 422);
        assert!(bad.has_field_error("password_confirm"));
        let ok = colleague.submit(
            &link,
            "/invite",
            &[
                ("name", "Piotr Zieliński"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        );
        assert!(ok.url.ends_with("/account"), "{}", ok.url);
        ok.assert_contains("Urząd Miasta Ostrołęki");
        let members = c.get("/institution/members");
        members.assert_contains("Piotr Zieliński");
        let inst_ids: Vec<Option<i32>> = app.db(|c| {
            users::table
                .order(users::id)
                .select(users::institution_id)
                .load(c)
                .unwrap()
        });
        assert_eq!(inst_ids.len(), 2);
        assert_eq!(inst_ids[0], inst_ids[1]);
        // An existing address is answered like any other, and gets no email.
        let dup = c.submit(
            "/institution/members",
            "/institution/members",
            &[("email", "piotr@ostroleka.example")],
        );
        assert_eq!(dup.status, 200);
        dup.assert_contains("Zaproszenie zostało wysłane");
        std::thread::sleep(std::time::Duration::from_millis(600));
        assert_eq!(app.smtp.count_to("piotr@ostroleka.example"), 1);
    }
);

#[test]
fn idle_sessions_expire_sqlite() {
    idle_sessions_expire(crate::support::Backend::Sqlite);
}

#[test]
fn idle_sessions_expire_postgres() {
    idle_sessions_expire(crate::support::Backend::Postgres);
}

fn idle_sessions_expire(backend: crate::support::Backend) {
    let opts = crate::support::Options {
        smtp: true,
        session_idle: Some(std::time::Duration::from_secs(30 * 60)),
        ..Default::default()
    };
    let Some(app) = TestApp::spawn_with(backend, opts) else {
        return;
    };
    let reg = register_applicant(&app, "idle@gmina.example", "Gmina Senna");
    assert!(reg.client.get("/account").url.ends_with("/account"));
    app.advance(chrono::Duration::minutes(31));
    assert!(
        reg.client.get("/account").url.contains("/login"),
        "an idle session must expire"
    );
    let live: i64 = app.db(|c| {
        sessions::table
            .filter(sessions::user_id.is_not_null())
            .filter(sessions::expires_at.gt(app.now()))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(live, 0, "no live session of the user remains");
}

both_backends!(english_everywhere_including_email, |app: TestApp| {
    let c = app.client();
    let home = c.get("/?lang=en");
    assert!(home.body.contains("<html lang=\"en\">"));
    home.assert_contains("How to take part");
    // The choice is remembered in a cookie.
    let reg = c.get("/register");
    assert_eq!(reg.h1(), "Register your institution");
    let short = registration(
        "Państwowe Muzeum Etnograficzne w Warszawie",
        "maria@pme.example",
        &[
            ("kind", "inna"),
            ("name", "Maria Wiśniewska"),
            ("password", "short"),
            ("password_confirm", "short"),
        ],
    );
    let page = c.submit_on(&reg, "/register", &short);
    assert_eq!(page.status, 422);
    page.assert_contains("Enter at least 12 characters.");
    let page = c.submit(
        "/register",
        "/register",
        &registration(
            "Państwowe Muzeum Etnograficzne w Warszawie",
            "maria@pme.example",
            &[("kind", "inna"), ("name", "Maria Wiśniewska")],
        ),
    );
    assert_eq!(page.h1(), "Check your email");
    let mail = app.smtp.wait_nth("maria@pme.example", 1);
    assert_eq!(
        mail.subject,
        "Confirm your email address – “Local Government Digitalisation Leader” competition"
    );
    assert!(mail.text.starts_with("Hello,\r\n"), "{}", mail.text);
    // Switching back to Polish works from any page.
    let pl = c.get("/register?lang=pl");
    assert_eq!(pl.h1(), "Rejestracja instytucji");
});

both_backends!(pages_need_the_right_role, |app: TestApp| {
    let anon = app.client();
    let to_login = anon.get_no_redirect("/account");
    assert_eq!(to_login.status, 303);
    assert_eq!(to_login.header("location"), Some("/login?next=/account"));
    // After logging in, the user lands where they wanted to go.
    let reg = register_applicant(&app, "rola@gmina.example", "Gmina Ról");
    let c = app.client();
    let login_page = c.get("/login?next=/institution/members");
    let landed = c.submit_on(
        &login_page,
        "/login",
        &[("email", &reg.email), ("password", PASSWORD)],
    );
    assert!(
        landed.url.ends_with("/institution/members"),
        "{}",
        landed.url
    );
    // A foreign host is never a redirect target.
    let evil = app.client();
    let p = evil.get("/login?next=//evil.example/x");
    let landed = evil.submit_on(
        &p,
        "/login",
        &[("email", &reg.email), ("password", PASSWORD)],
    );
    assert!(landed.url.ends_with("/account"), "{}", landed.url);
    // Applicants cannot open organisers' pages.
    for path in [
        "/admin/users",
        "/admin/outbox",
        "/admin/audit",
        "/admin/outbox/1",
    ] {
        let p = reg.client.get(path);
        assert_eq!(p.status, 403, "{path}");
        assert_eq!(p.h1(), "Brak dostępu");
    }
});

both_backends!(a_reset_link_expires_after_an_hour, |app: TestApp| {
    register_applicant(&app, "zegar@gmina.example", "Gmina Zegarowa");
    let c = app.client();
    c.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", "zegar@gmina.example")],
    );
    let link = app
        .smtp
        .wait_subject(
            "zegar@gmina.example",
            "Ustaw nowe hasło – konkurs „Samorządowy Lider Cyfryzacji”",
        )
        .link(&app.url("/password/reset?token="));
    // Just within the hour the form is shown; a minute later the link has expired.
    app.advance(chrono::Duration::minutes(59));
    let form = c.get(&link);
    assert_eq!(form.status, 200);
    app.advance(chrono::Duration::minutes(2));
    let page = c.get(&link);
    assert_eq!(page.status, 410);
    page.assert_contains("Ten link wygasł");
    let changed = c.submit_on(
        &form,
        "/password/reset",
        &[("password", PASSWORD), ("password_confirm", PASSWORD)],
    );
    changed.assert_contains("Ten link wygasł");
});
