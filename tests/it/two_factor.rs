//! Two-factor sign-in (issue 12), driven as a user: the set-up page's secret is read from the
//! page and the codes are computed from it with the same crate an authenticator app would use.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;
use konkurs::db::schema::{audit_log, remembered_devices, two_factor, two_factor_recovery};
use totp_rs::{Algorithm, Secret, TOTP};

use crate::both_backends;
use crate::support::judging::{id_of_user, juror};
use crate::support::{Client, PASSWORD, Page, TestApp, open_call, organiser, register_applicant};

/// The code an authenticator app shows for `secret` at `t`.
pub fn code_at(secret: &str, t: NaiveDateTime) -> String {
    let bytes = Secret::Encoded(secret.to_string()).to_bytes().unwrap();
    let totp = TOTP::new(Algorithm::SHA1, 6, 1, 30, bytes).unwrap();
    totp.generate(u64::try_from(t.and_utc().timestamp()).unwrap())
}

/// The key shown for typing by hand, without its spaces.
pub fn secret_on(page: &Page) -> String {
    let start = page
        .body
        .find("class=\"secret\">")
        .expect("the key is shown")
        + 15;
    let end = start + page.body[start..].find("</code>").unwrap();
    page.body[start..end].replace(' ', "")
}

/// The recovery codes listed on the page shown after the set-up.
fn recovery_codes_on(page: &Page) -> Vec<String> {
    page.body
        .split("<li><code>")
        .skip(1)
        .map(|s| s[..s.find("</code>").unwrap()].to_string())
        .collect()
}

/// Turns two-factor sign-in on for the signed-in client: (secret, recovery codes).
fn enable(app: &TestApp, c: &Client) -> (String, Vec<String>) {
    let setup = c.get("/account/two-factor");
    assert_eq!(setup.status, 200, "{}", setup.body);
    let secret = secret_on(&setup);
    let done = c.submit_on(
        &setup,
        "/account/two-factor",
        &[("code", &code_at(&secret, app.now()))],
    );
    assert_eq!(done.status, 200, "{}", done.body);
    assert_eq!(done.h1(), "Kody zapasowe");
    let codes = recovery_codes_on(&done);
    assert_eq!(codes.len(), 10);
    (secret, codes)
}

/// The password step: the page it leads to.
fn password_step(c: &Client, email: &str) -> Page {
    c.submit(
        "/login",
        "/login",
        &[("email", email), ("password", PASSWORD)],
    )
}

fn logout(c: &Client) {
    let out = c.submit("/account", "/logout", &[]);
    assert!(out.url.contains("/login"), "{}", out.url);
}

fn code_step(c: &Client, code: &str, remember: bool) -> Page {
    let mut fields = vec![("code", code)];
    if remember {
        fields.push(("remember", "yes"));
    }
    c.submit("/login/code", "/login/code", &fields)
}

fn count_audit(app: &TestApp, action: &str) -> i64 {
    let action = action.to_string();
    app.db(move |c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(c)
            .unwrap()
    })
}

both_backends!(
    set_up_then_sign_in_with_a_code_a_recovery_code_or_a_remembered_browser,
    |app: TestApp| {
        let email = "it@otwock.example";
        let c = register_applicant(&app, email, "Urząd Miasta Otwock").client;
        let uid = id_of_user(&app, email);

        // The set-up page: the QR code drawn on the server, with the key in text.
        let setup = c.get("/account/two-factor");
        assert_eq!(setup.h1(), "Logowanie dwuetapowe");
        setup.assert_contains("<svg role=\"img\" aria-label=\"Kod QR do zeskanowania");
        let secret = secret_on(&setup);
        assert_eq!(secret.len(), 32);
        // The same key on the next view (kept until it is confirmed).
        assert_eq!(secret_on(&c.get("/account/two-factor")), secret);

        // A wrong code: the form again with the message, nothing stored.
        let wrong = c.submit_on(&setup, "/account/two-factor", &[("code", "000000")]);
        assert_eq!(wrong.status, 422);
        assert!(wrong.has_field_error("code"));
        // (No recovery codes exist yet: the message does not offer them.)
        wrong.assert_contains(
            "Kod jest nieprawidłowy. Wpisz aktualny kod, który pokazuje aplikacja.",
        );
        wrong.assert_not_contains("kod zapasowy");
        let rows: i64 = app.db(|c| two_factor::table.count().get_result(c).unwrap());
        assert_eq!(rows, 0);

        // The right one: on, with ten recovery codes stored only as hashes.
        let enabled_at = app.now();
        let enabling_code = code_at(&secret, enabled_at);
        let done = c.submit_on(&setup, "/account/two-factor", &[("code", &enabling_code)]);
        assert_eq!(done.status, 200);
        let codes = recovery_codes_on(&done);
        assert_eq!(codes.len(), 10);
        let hashes: Vec<String> = app.db(move |c| {
            two_factor_recovery::table
                .filter(two_factor_recovery::user_id.eq(uid))
                .select(two_factor_recovery::code_hash)
                .load(c)
                .unwrap()
        });
        assert_eq!(hashes.len(), 10);
        for code in &codes {
            assert!(!hashes.iter().any(|h| h.contains(code.as_str())));
        }
        assert_eq!(count_audit(&app, "user:two_factor_enable"), 1);
        // The stored secret is sealed, not the key shown.
        let stored: String = app.db(move |c| {
            two_factor::table
                .find(uid)
                .select(two_factor::secret)
                .first(c)
                .unwrap()
        });
        assert!(
            stored.starts_with("v1:") && !stored.contains(&secret),
            "{stored}"
        );
        // Never shown again.
        let status = c.get("/account/two-factor");
        status.assert_contains("Logowanie dwuetapowe jest włączone.");
        status.assert_contains("10 niewykorzystanych kodów");
        status.assert_not_contains(&secret);
        status.assert_not_contains("class=\"secret\"");

        // Signing in: the password leads to the code step, not into the account.
        logout(&c);
        let step = password_step(&c, email);
        assert!(step.url.ends_with("/login/code"), "{}", step.url);
        assert_eq!(step.h1(), "Kod logowania dwuetapowego");
        let account = c.get("/account");
        assert!(
            account.url.contains("/login"),
            "not signed in yet: {}",
            account.url
        );
        let step = password_step(&c, email);
        assert!(step.url.ends_with("/login/code"));
        // The code already used to turn it on is refused (same step).
        let replay = code_step(&c, &enabling_code, false);
        assert_eq!(replay.status, 422);
        assert!(replay.has_field_error("code"));
        // The next step's code signs in.
        app.advance(Duration::seconds(30));
        let signed_in = code_step(&c, &code_at(&secret, app.now()), false);
        assert_eq!(signed_in.status, 200);
        assert!(signed_in.url.ends_with("/account"), "{}", signed_in.url);
        assert!(
            c.cookie("konkurs_2fa").is_none(),
            "not remembered unless asked"
        );

        // A recovery code works once.
        logout(&c);
        password_step(&c, email);
        let with_recovery = code_step(&c, &codes[3].to_uppercase(), false);
        assert!(
            with_recovery.url.ends_with("/account"),
            "{}",
            with_recovery.url
        );
        with_recovery.assert_contains("Zalogowano kodem zapasowym");
        assert_eq!(count_audit(&app, "user:two_factor_recovery"), 1);
        logout(&c);
        password_step(&c, email);
        let again = code_step(&c, &codes[3], false);
        assert_eq!(again.status, 422);
        assert!(c.get("/account").url.contains("/login"));
        let status = code_step(&c, &codes[4], false);
        assert!(status.url.ends_with("/account"));
        assert!(
            c.get("/account/two-factor")
                .body
                .contains("8 niewykorzystanych kodów")
        );

        // A remembered browser skips the code for 30 days, and only for this account.
        logout(&c);
        password_step(&c, email);
        app.advance(Duration::seconds(30));
        let remembered = code_step(&c, &code_at(&secret, app.now()), true);
        assert!(remembered.url.ends_with("/account"));
        assert!(c.cookie("konkurs_2fa").is_some());
        let stored: Vec<String> = app.db(|c| {
            remembered_devices::table
                .select(remembered_devices::token_hash)
                .load(c)
                .unwrap()
        });
        assert_eq!(stored.len(), 1);
        assert_ne!(Some(stored[0].clone()), c.cookie("konkurs_2fa"));
        logout(&c);
        let direct = password_step(&c, email);
        assert!(direct.url.ends_with("/account"), "{}", direct.url);
        // The code step is no way around the password.
        let other = app.client();
        let no_pending = other.get("/login/code");
        assert!(no_pending.url.ends_with("/login"), "{}", no_pending.url);
        // After 30 days the code is asked again.
        logout(&c);
        app.advance(Duration::days(30) + Duration::minutes(1));
        let expired = password_step(&c, email);
        assert!(expired.url.ends_with("/login/code"), "{}", expired.url);
        // A pending step expires: ten minutes after the password.
        app.advance(Duration::minutes(11));
        let late = c.submit_on(
            &expired,
            "/login/code",
            &[("code", &code_at(&secret, app.now()))],
        );
        assert!(
            late.url.ends_with("/login"),
            "{} {} {}",
            late.url,
            late.status,
            late.h1()
        );
        late.assert_contains("Minął czas na podanie kodu");
    }
);

both_backends!(
    a_changed_password_forgets_remembered_browsers,
    |app: TestApp| {
        let email = "it@legionowo.example";
        let c = register_applicant(&app, email, "Urząd Miasta Legionowo").client;
        let (secret, _) = enable(&app, &c);
        logout(&c);
        password_step(&c, email);
        app.advance(Duration::seconds(30));
        assert!(
            code_step(&c, &code_at(&secret, app.now()), true)
                .url
                .ends_with("/account")
        );
        let devices =
            || -> i64 { app.db(|c| remembered_devices::table.count().get_result(c).unwrap()) };
        assert_eq!(devices(), 1);
        let new_password = "Nowe hasło do konta urzędu 2026";
        let changed = c.submit(
            "/account/password",
            "/account/password",
            &[
                ("current", PASSWORD),
                ("password", new_password),
                ("password_confirm", new_password),
            ],
        );
        assert_eq!(changed.status, 200, "{}", changed.body);
        assert_eq!(devices(), 0);
        logout(&c);
        let step = c.submit(
            "/login",
            "/login",
            &[("email", email), ("password", new_password)],
        );
        assert!(step.url.ends_with("/login/code"), "{}", step.url);
    }
);

both_backends!(wrong_codes_are_throttled_like_passwords, |app: TestApp| {
    let email = "it@pruszkow.example";
    let c = register_applicant(&app, email, "Urząd Miasta Pruszków").client;
    let (secret, _) = enable(&app, &c);
    logout(&c);
    password_step(&c, email);
    for _ in 0..5 {
        let p = code_step(&c, "123 456", false);
        assert_eq!(p.status, 422);
    }
    // Now even the right code waits.
    app.advance(Duration::seconds(30));
    let blocked = code_step(&c, &code_at(&secret, app.now()), false);
    assert_eq!(blocked.status, 429);
    assert!(blocked.header("retry-after").is_some());
    blocked.assert_contains("Zbyt wiele nieudanych prób");
    assert!(c.get("/account").url.contains("/login"));
    // After the wait it is accepted.
    app.advance(Duration::seconds(61));
    let ok = code_step(&c, &code_at(&secret, app.now()), false);
    assert!(ok.url.ends_with("/account"), "{} {}", ok.status, ok.url);
});

both_backends!(
    one_code_signs_in_once_under_parallel_requests,
    |app: TestApp| {
        let email = "it@grodzisk.example";
        let c = register_applicant(&app, email, "Urząd Gminy Grodzisk").client;
        let (secret, codes) = enable(&app, &c);
        logout(&c);
        password_step(&c, email);
        app.advance(Duration::seconds(30));
        let code = code_at(&secret, app.now());
        // Eight copies of the pending session send the same code at once.
        let pages = crate::races::parallel(&c, 8, |client, _| code_step(client, &code, false));
        crate::races::assert_no_server_error(&pages);
        let signed_in = pages.iter().filter(|p| p.url.ends_with("/account")).count();
        assert_eq!(
            signed_in,
            1,
            "{:?}",
            pages.iter().map(|p| (p.status, &p.url)).collect::<Vec<_>>()
        );
        // The others: the code is used (422), or the attempts beyond the free ones wait (429).
        assert!(
            pages
                .iter()
                .filter(|p| !p.url.ends_with("/account"))
                .all(|p| p.status == 422 || p.status == 429)
        );
        // The same for a recovery code, once the failures above are forgotten.
        app.advance(Duration::hours(2));
        let c = app.client();
        password_step(&c, email);
        let pages = crate::races::parallel(&c, 8, |client, _| code_step(client, &codes[0], false));
        crate::races::assert_no_server_error(&pages);
        assert_eq!(
            pages.iter().filter(|p| p.url.ends_with("/account")).count(),
            1
        );
        let used: i64 = app.db(|c| {
            two_factor_recovery::table
                .filter(two_factor_recovery::used_at.is_not_null())
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(used, 1);
    }
);

both_backends!(
    turning_it_off_needs_the_password_and_a_code,
    |app: TestApp| {
        let email = "it@piaseczno.example";
        let c = register_applicant(&app, email, "Urząd Miasta Piaseczno").client;
        let (secret, _) = enable(&app, &c);
        let before = app.smtp.count_to(email);
        app.advance(Duration::seconds(30));
        let code = code_at(&secret, app.now());
        let empty = c.submit("/account/two-factor", "/account/two-factor/disable", &[]);
        assert_eq!(empty.status, 422);
        assert!(empty.has_field_error("password") && empty.has_field_error("code"));
        let wrong_pw = c.submit(
            "/account/two-factor",
            "/account/two-factor/disable",
            &[("password", "nie to hasło"), ("code", &code)],
        );
        assert_eq!(wrong_pw.status, 422);
        assert!(wrong_pw.has_field_error("password"));
        let wrong_code = c.submit(
            "/account/two-factor",
            "/account/two-factor/disable",
            &[("password", PASSWORD), ("code", "000000")],
        );
        assert_eq!(wrong_code.status, 422);
        assert!(wrong_code.has_field_error("code"));
        let rows: i64 = app.db(|c| two_factor::table.count().get_result(c).unwrap());
        assert_eq!(rows, 1, "nothing changed");
        let off = c.submit(
            "/account/two-factor",
            "/account/two-factor/disable",
            &[("password", PASSWORD), ("code", &code)],
        );
        assert_eq!(off.status, 200);
        off.assert_contains("Logowanie dwuetapowe zostało wyłączone.");
        let rows: i64 = app.db(|c| two_factor::table.count().get_result(c).unwrap());
        let codes: i64 = app.db(|c| two_factor_recovery::table.count().get_result(c).unwrap());
        assert_eq!((rows, codes), (0, 0));
        assert_eq!(count_audit(&app, "user:two_factor_disable"), 1);
        let mail = app
            .smtp
            .wait_subject_containing(email, "Logowanie dwuetapowe zostało wyłączone");
        assert!(app.smtp.count_to(email) > before);
        assert!(mail.text.contains("Data zmiany"), "{}", mail.text);
        logout(&c);
        assert!(password_step(&c, email).url.ends_with("/account"));
    }
);

both_backends!(
    organisers_require_it_for_staff_and_reset_a_users_factor,
    |app: TestApp| {
        let org = organiser(&app);
        let applicant_email = "it@wolomin.example";
        let applicant = register_applicant(&app, applicant_email, "Urząd Miasta Wołomin").client;
        let (_, _) = enable(&app, &applicant);
        let call = open_call(&app, &org, "vii-edycja", Duration::days(10));
        let jan = juror(
            &app,
            &org,
            call.edition_id,
            "Jan Juror",
            "jan@uczelnia.example",
        );

        // The rule: first a confirmation saying whom it affects (the organiser and the juror,
        // neither with the second factor; the applicant is not counted); nothing changes yet.
        let users = org.get("/admin/users");
        let confirm_page = org.submit_on(&users, "/admin/users/two-factor", &[("required", "yes")]);
        assert_eq!(confirm_page.status, 200, "{}", confirm_page.body);
        assert!(
            confirm_page
                .url
                .ends_with("/admin/users/two-factor?required=yes"),
            "{}",
            confirm_page.url
        );
        assert_eq!(
            confirm_page.h1(),
            "Wymagać logowania dwuetapowego od organizatorów i członków jury?"
        );
        confirm_page.assert_contains("<dt>Konta organizatorów i członków jury</dt><dd>2</dd>");
        confirm_page.assert_contains("<dt>W tym bez logowania dwuetapowego</dt><dd>2</dd>");
        confirm_page.assert_contains("2 konta muszą jeszcze włączyć logowanie dwuetapowe.");
        org.get("/admin/users/two-factor?required=yes&lang=en")
            .assert_contains("2 accounts still have to turn on two-step login.");
        org.get("/account?lang=pl");
        assert_eq!(count_audit(&app, "site:two_factor_policy"), 0);
        assert_eq!(org.get("/admin/users").status, 200, "not in force yet");
        let saved = crate::support::confirm(&org, confirm_page);
        assert_eq!(saved.status, 200);
        assert!(saved.url.ends_with("/account/two-factor"), "{}", saved.url);
        saved.assert_contains("Organizator wymaga logowania dwuetapowego");
        assert_eq!(count_audit(&app, "site:two_factor_policy"), 1);
        for path in [
            "/admin/users",
            "/admin/editions",
            "/account",
            "/admin/audit",
        ] {
            let p = org.get(path);
            assert!(
                p.url.ends_with("/account/two-factor"),
                "{path} went to {}",
                p.url
            );
        }
        // Jurors too: their signed-in pages lead to the set-up until it is done.
        let jury = jan.get("/jury");
        assert!(jury.url.ends_with("/account/two-factor"), "{}", jury.url);
        let (_, _) = enable(&app, &jan);
        assert!(jan.get("/jury").url.ends_with("/jury"));
        // Public pages stay open; applicants are not bound by the rule.
        assert_eq!(org.get("/").status, 200);
        let mine = applicant.get("/institution");
        assert!(mine.url.ends_with("/institution"), "{}", mine.url);
        // The organiser sets it up and gets back in.
        let (org_secret, _) = enable(&app, &org);
        assert_eq!(org.get("/admin/users").status, 200);
        // Their own second factor is not reset from the users page (a stolen session would
        // be enough): the account page asks for the password and a code.
        let oid = id_of_user(&app, "olga@mazovia.example");
        let own = org.get(&format!("/admin/users/{oid}/two-factor-reset"));
        assert_eq!(own.status, 409);
        own.assert_contains("Własne logowanie dwuetapowe wyłącza się na stronie konta");
        own.assert_not_contains("name=\"confirm\"");
        let csrf = own.csrf_for("/logout");
        let forced = org.post(
            &format!("/admin/users/{oid}/two-factor-reset"),
            &[("csrf", &csrf), ("confirm", "yes")],
        );
        assert_eq!(forced.status, 409);
        let rows: i64 = app.db(move |c| two_factor::table.find(oid).count().get_result(c).unwrap());
        assert_eq!(rows, 1);

        // Reset of the applicant's factor: confirmation, then the POST.
        let aid = id_of_user(&app, applicant_email);
        let users = org.get("/admin/users");
        users.assert_contains(&format!("/admin/users/{aid}/two-factor-reset"));
        let confirm = org.get(&format!("/admin/users/{aid}/two-factor-reset"));
        assert_eq!(confirm.status, 200);
        confirm.assert_contains("Wyłączyć logowanie dwuetapowe tego konta?");
        let before = app.smtp.count_to(applicant_email);
        // Without the confirmation nothing happens.
        let not_yet = org.submit_on(
            &confirm,
            &format!("/admin/users/{aid}/two-factor-reset"),
            &[],
        );
        assert!(
            not_yet.url.ends_with("/two-factor-reset"),
            "{}",
            not_yet.url
        );
        let rows: i64 = app.db(move |c| two_factor::table.find(aid).count().get_result(c).unwrap());
        assert_eq!(rows, 1);
        // An applicant cannot reset anyone's.
        let refused = applicant.submit(
            "/account/two-factor",
            &format!("/admin/users/{aid}/two-factor-reset"),
            &[("confirm", "yes")],
        );
        assert_eq!(refused.status, 403);
        let done = org.submit_on(
            &confirm,
            &format!("/admin/users/{aid}/two-factor-reset"),
            &[("confirm", "yes")],
        );
        assert!(done.url.ends_with("/admin/users"), "{}", done.url);
        done.assert_contains("Logowanie dwuetapowe tego konta zostało wyłączone.");
        let rows: i64 = app.db(move |c| two_factor::table.find(aid).count().get_result(c).unwrap());
        assert_eq!(rows, 0);
        assert_eq!(count_audit(&app, "user:two_factor_reset"), 1);
        let mail = app
            .smtp
            .wait_subject_containing(applicant_email, "zostało wyłączone");
        assert!(app.smtp.count_to(applicant_email) > before);
        assert!(
            mail.text
                .contains("Organizator wyłączył logowanie dwuetapowe"),
            "{}",
            mail.text
        );
        let log = org.get("/admin/audit");
        log.assert_contains("Organizator wyłączył logowanie dwuetapowe konta");
        // The applicant signs in with the password only (the rule is not for applicants).
        logout(&applicant);
        assert!(
            password_step(&applicant, applicant_email)
                .url
                .ends_with("/account")
        );

        // Turning the rule off lets an organiser without the factor in again; the organiser's own
        // sign-in now asks for the code.
        logout(&org);
        let step = password_step(&org, "olga@mazovia.example");
        assert!(step.url.ends_with("/login/code"), "{}", step.url);
        app.advance(Duration::seconds(30));
        assert!(
            code_step(&org, &code_at(&org_secret, app.now()), false)
                .url
                .ends_with("/account")
        );
        let users = org.get("/admin/users");
        let off = org.submit_on(&users, "/admin/users/two-factor", &[]);
        assert!(
            off.url.ends_with("/admin/users/two-factor?required=no"),
            "{}",
            off.url
        );
        assert_eq!(off.h1(), "Przestać wymagać logowania dwuetapowego?");
        // The organiser and the juror have it on now; the applicant is not counted.
        off.assert_contains("<dt>W tym bez logowania dwuetapowego</dt><dd>0</dd>");
        assert_eq!(count_audit(&app, "site:two_factor_policy"), 1);
        let saved = crate::support::confirm(&org, off);
        assert!(saved.url.ends_with("/admin/users"));
        saved.assert_contains("Logowanie dwuetapowe nie jest już wymagane.");
        assert_eq!(count_audit(&app, "site:two_factor_policy"), 2);
        // Asking for what is already so: the reason, no button, nothing recorded.
        let again = org.get("/admin/users/two-factor?required=no");
        assert_eq!(again.status, 409);
        again.assert_contains("Logowanie dwuetapowe nie jest wymagane.");
        again.assert_not_contains("name=\"confirm\"");
        let token = again.csrf_for("/logout");
        let replay = org.post(
            "/admin/users/two-factor",
            &[("csrf", &token), ("required", "no"), ("confirm", "yes")],
        );
        assert_eq!(replay.status, 409);
        assert_eq!(count_audit(&app, "site:two_factor_policy"), 2);
        // Not for applicants.
        let own = applicant.get("/account").csrf_for("/logout");
        let refused = applicant.post(
            "/admin/users/two-factor",
            &[("csrf", &own), ("required", "yes"), ("confirm", "yes")],
        );
        assert_eq!(refused.status, 403);
        assert_eq!(
            applicant.get("/admin/users/two-factor?required=yes").status,
            403
        );
    }
);

/// Signs in with the password and a recovery code: the page it lands on.
fn sign_in_with_recovery(c: &Client, email: &str, code: &str) -> Page {
    logout(c);
    password_step(c, email);
    let p = code_step(c, code, false);
    assert!(p.url.ends_with("/account"), "{} {}", p.status, p.url);
    p
}

both_backends!(
    new_recovery_codes_replace_the_old_ones_and_few_left_are_warned,
    |app: TestApp| {
        let email = "it@marki.example";
        let c = register_applicant(&app, email, "Urząd Miasta Marki").client;
        let uid = id_of_user(&app, email);
        // English for this account: its pages after signing in and its emails.
        let settings = c.submit(
            "/account/settings",
            "/account/settings",
            &[("name", "Anna Marecka"), ("lang", "en")],
        );
        assert_eq!(settings.status, 200, "{}", settings.body);
        c.get("/account?lang=pl");
        let (secret, codes) = enable(&app, &c);
        let on = app
            .smtp
            .wait_subject_containing(email, "Two-step login has been turned on");
        assert!(
            on.text.contains("Two-step login for your account"),
            "{}",
            on.text
        );

        // Six recovery codes used: four left, no warning yet; the email says how many.
        for code in &codes[..6] {
            let p = sign_in_with_recovery(&c, email, code);
            p.assert_contains("You logged in with a recovery code.");
            p.assert_not_contains("Three or fewer");
        }
        let used = app
            .smtp
            .wait_subject_containing(email, "Login with a recovery code");
        assert!(used.text.contains("Logged in on"), "{}", used.text);
        assert!(!used.text.contains("Few recovery codes are left"));
        c.get("/account/two-factor")
            .assert_contains("4 unused codes");
        // The seventh: three left, a warning after the sign-in, on the account page, on the
        // two-factor page and in the email.
        let before = app.smtp.count_to(email);
        let low = sign_in_with_recovery(&c, email, &codes[6]);
        low.assert_contains("Three or fewer recovery codes are left");
        c.get("/account")
            .assert_contains("Three or fewer unused recovery codes are left");
        let page = c.get("/account/two-factor");
        page.assert_contains("3 unused codes");
        page.assert_contains("Three or fewer unused recovery codes are left");
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while !app
            .smtp
            .all()
            .iter()
            .any(|m| m.is_to(email) && m.text.contains("Few recovery codes are left"))
        {
            assert!(
                std::time::Instant::now() < deadline,
                "no warning of few codes by email"
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        assert!(app.smtp.count_to(email) > before);
        assert_eq!(count_audit(&app, "user:two_factor_recovery"), 7);

        // New codes: the form asks for the password and a code; wrong ones change nothing.
        let form = c.get("/account/two-factor/recovery-codes");
        assert_eq!(form.status, 200);
        assert_eq!(form.h1(), "New recovery codes");
        let empty = c.submit_on(&form, "/account/two-factor/recovery-codes", &[]);
        assert_eq!(empty.status, 422);
        assert!(empty.has_field_error("password") && empty.has_field_error("code"));
        app.advance(Duration::seconds(30));
        let wrong_pw = c.submit_on(
            &form,
            "/account/two-factor/recovery-codes",
            &[
                ("password", "nie to hasło"),
                ("code", &code_at(&secret, app.now())),
            ],
        );
        assert_eq!(wrong_pw.status, 422);
        assert!(wrong_pw.has_field_error("password"));
        let wrong_code = c.submit_on(
            &form,
            "/account/two-factor/recovery-codes",
            &[("password", PASSWORD), ("code", "000000")],
        );
        assert_eq!(wrong_code.status, 422);
        assert!(wrong_code.has_field_error("code"));
        assert_eq!(count_audit(&app, "user:two_factor_codes"), 0);
        let left = |app: &TestApp| -> i64 {
            app.db(move |c| {
                two_factor_recovery::table
                    .filter(two_factor_recovery::user_id.eq(uid))
                    .filter(two_factor_recovery::used_at.is_null())
                    .count()
                    .get_result(c)
                    .unwrap()
            })
        };
        assert_eq!(left(&app), 3);
        app.advance(Duration::seconds(30));
        let done = c.submit_on(
            &form,
            "/account/two-factor/recovery-codes",
            &[
                ("password", PASSWORD),
                ("code", &code_at(&secret, app.now())),
            ],
        );
        assert_eq!(done.status, 200, "{}", done.body);
        assert_eq!(done.h1(), "Recovery codes");
        done.assert_contains(
            "New recovery codes have been made. The previous codes no longer work.",
        );
        let fresh = recovery_codes_on(&done);
        assert_eq!(fresh.len(), 10);
        assert!(fresh.iter().all(|f| !codes.contains(f)));
        assert_eq!(left(&app), 10);
        assert_eq!(count_audit(&app, "user:two_factor_codes"), 1);
        let mail = app
            .smtp
            .wait_subject_containing(email, "New recovery codes");
        assert!(
            mail.text
                .contains("The previous recovery codes no longer work."),
            "{}",
            mail.text
        );
        assert!(!mail.text.contains(&fresh[0]), "codes never go by email");
        c.get("/account").assert_not_contains("Three or fewer");
        // The old unused ones stop working; a new one signs in.
        logout(&c);
        password_step(&c, email);
        let old = code_step(&c, &codes[8], false);
        assert_eq!(old.status, 422);
        let new = code_step(&c, &fresh[0], false);
        assert!(new.url.ends_with("/account"), "{}", new.url);
        // Without the second factor there is nothing to replace.
        let other = register_applicant(&app, "it@zabki.example", "Urząd Miasta Ząbki").client;
        let away = other.get("/account/two-factor/recovery-codes");
        assert!(away.url.ends_with("/account/two-factor"), "{}", away.url);
    }
);

// A remembered browser works for 30 days; after that the code is asked again, and the daily
// retention job deletes the expired record (a younger one stays).
both_backends!(expired_remembered_browsers_are_purged, |app: TestApp| {
    let remember = |email: &str, place: &str| -> (Client, String) {
        let c = register_applicant(&app, email, place).client;
        let (secret, _) = enable(&app, &c);
        logout(&c);
        password_step(&c, email);
        app.advance(Duration::seconds(30));
        let p = code_step(&c, &code_at(&secret, app.now()), true);
        assert!(p.url.ends_with("/account"), "{}", p.url);
        (c, secret)
    };
    let (old, _) = remember("it@lomianki.example", "Urząd Gminy Łomianki");
    let old_uid = id_of_user(&app, "it@lomianki.example");
    app.advance(Duration::days(20));
    let (young, _) = remember("it@izabelin2.example", "Urząd Gminy Izabelin");
    let young_uid = id_of_user(&app, "it@izabelin2.example");
    let devices_of = |uid: i32| -> i64 {
        app.db(move |c| {
            remembered_devices::table
                .filter(remembered_devices::user_id.eq(uid))
                .count()
                .get_result(c)
                .unwrap()
        })
    };
    assert_eq!((devices_of(old_uid), devices_of(young_uid)), (1, 1));
    assert_eq!(count_audit(&app, "user:two_factor_remember"), 2);
    // Within the 30 days the password is enough.
    logout(&old);
    assert!(
        password_step(&old, "it@lomianki.example")
            .url
            .ends_with("/account")
    );
    // Past them: the code again, and the record goes with the next daily run.
    app.advance(Duration::days(10) + Duration::minutes(1));
    logout(&old);
    let step = password_step(&old, "it@lomianki.example");
    assert!(step.url.ends_with("/login/code"), "{}", step.url);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while devices_of(old_uid) > 0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the daily job did not purge the expired browser"
        );
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    assert_eq!(
        devices_of(young_uid),
        1,
        "a browser within its 30 days stays"
    );
    logout(&young);
    assert!(
        password_step(&young, "it@izabelin2.example")
            .url
            .ends_with("/account")
    );
});

// Parallel requests: the same code makes new recovery codes once (one set stored, one audit
// entry, one email); the rule confirmed from several tabs at once is recorded once.
both_backends!(
    parallel_new_codes_and_rule_changes_happen_once,
    |app: TestApp| {
        let org = organiser(&app);
        let (secret, _) = enable(&app, &org);
        app.advance(Duration::seconds(30));
        let code = code_at(&secret, app.now());
        let form = org.get("/account/two-factor/recovery-codes");
        let pages = crate::races::parallel(&org, 6, |client, _| {
            client.submit_on(
                &form,
                "/account/two-factor/recovery-codes",
                &[("password", PASSWORD), ("code", &code)],
            )
        });
        crate::races::assert_no_server_error(&pages);
        let shown: Vec<&Page> = pages.iter().filter(|p| p.status == 200).collect();
        assert_eq!(
            shown.len(),
            1,
            "{:?}",
            pages.iter().map(|p| p.status).collect::<Vec<_>>()
        );
        assert!(
            pages
                .iter()
                .all(|p| p.status == 200 || p.status == 422 || p.status == 429)
        );
        let stored: i64 = app.db(|c| two_factor_recovery::table.count().get_result(c).unwrap());
        assert_eq!(stored, 10);
        // The codes shown are the ones stored.
        let new = recovery_codes_on(shown[0]);
        logout(&org);
        password_step(&org, "olga@mazovia.example");
        assert!(code_step(&org, &new[9], false).url.ends_with("/account"));
        assert_eq!(count_audit(&app, "user:two_factor_codes"), 1);

        let confirm_page = org.get("/admin/users/two-factor?required=yes");
        assert_eq!(confirm_page.status, 200);
        let pages = crate::races::parallel(&org, 6, |client, _| {
            client.submit_on(
                &confirm_page,
                "/admin/users/two-factor",
                &[("confirm", "yes")],
            )
        });
        crate::races::assert_no_server_error(&pages);
        assert_eq!(count_audit(&app, "site:two_factor_policy"), 1);
        let required: bool = app.db(|c| {
            konkurs::db::schema::two_factor_policy::table
                .select(konkurs::db::schema::two_factor_policy::required_for_staff)
                .first(c)
                .unwrap()
        });
        assert!(required);
    }
);

both_backends!(
    new_codes_are_throttled_with_a_time_to_wait,
    |app: TestApp| {
        let email = "it@grodzisk.example";
        let c = register_applicant(&app, email, "Urząd Miasta Grodzisk").client;
        let (secret, _) = enable(&app, &c);
        let form = c.get("/account/two-factor/recovery-codes");
        let mut blocked = None;
        for _ in 0..10 {
            app.advance(Duration::seconds(30));
            let p = c.submit_on(
                &form,
                "/account/two-factor/recovery-codes",
                &[
                    ("password", "nie to hasło"),
                    ("code", &code_at(&secret, app.now())),
                ],
            );
            if p.status == 429 {
                blocked = Some(p);
                break;
            }
            assert_eq!(p.status, 422);
        }
        let blocked = blocked.expect("wrong passwords are throttled");
        assert!(blocked.header("retry-after").is_some());
        blocked.assert_contains("Zbyt wiele nieudanych prób. Spróbuj ponownie po");
        blocked.assert_not_contains("prób logowania");
    }
);
