//! What every page shares: headers, error pages, language, assets, the health check.

use crate::both_backends;
use crate::support::{TestApp, organiser, register_applicant};

both_backends!(security_headers_error_pages_and_health, |app: TestApp| {
    let c = app.client();
    let home = c.get("/");
    assert_eq!(home.status, 200);
    let csp = home.header("content-security-policy").unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(home.header("x-content-type-options"), Some("nosniff"));
    assert_eq!(home.header("referrer-policy"), Some("same-origin"));
    assert!(home.header("x-request-id").is_some());
    assert_eq!(home.h1(), "Samorządowy Lider Cyfryzacji");
    home.assert_not_contains("<script>");
    home.assert_not_contains(" style=\"");
    // No session cookie for a visitor who only reads.
    assert!(c.cookie(konkurs::startup::SESSION_COOKIE).is_none());
    // A form page starts a session: the cookie is HttpOnly and SameSite=Lax (Secure needs https).
    let login = c.get_no_redirect("/login");
    let cookie = login
        .header("set-cookie")
        .expect("session cookie for the form's token");
    assert!(cookie.starts_with("konkurs_session="), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");

    let missing = c.get("/nie-ma-takiej-strony");
    assert_eq!(missing.status, 404);
    assert_eq!(missing.h1(), "Nie znaleziono strony");
    missing.assert_contains("Przejdź do treści");
    assert!(missing.header("content-security-policy").is_some());
    let missing_en = c.get("/nope?lang=en");
    assert_eq!(missing_en.h1(), "Page not found");

    let health = c.get("/healthz");
    assert_eq!((health.status, health.body.as_str()), (200, "ok"));

    // Bad input a browser can send: odd methods, bodies and types get pages, never a crash.
    assert_eq!(c.post("/login", &[("csrf", "x")]).status, 403);
    let wrong_type = c
        .agent
        .post(c.abs("/login"))
        .header("Content-Type", "application/json")
        .send("{}")
        .unwrap();
    assert_eq!(wrong_type.status().as_u16(), 400);
    let huge = "a".repeat(600 * 1024);
    let too_big = c
        .agent
        .post(c.abs("/login"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .send(format!("email={huge}"))
        .unwrap();
    assert_eq!(too_big.status().as_u16(), 413);
    assert_eq!(c.get("/login?next=%FF%FE&lang=xx&page=-1").status, 200);
    // A NUL is refused before anything else looks at the query.
    assert_eq!(c.get("/verify?token=%00%00").status, 400);
    assert_eq!(c.get("/verify?token=%27%00").status, 400);
    assert_eq!(c.get("/verify?token=nie-ma-takiego").status, 410);
    assert_eq!(
        c.get("/password/reset?token=%27%20OR%201%3D1%20--").status,
        410
    );
});

both_backends!(assets_are_cached_for_long, |app: TestApp| {
    let c = app.client();
    let home = c.get("/");
    let start = home.body.find("/assets/style.css?v=").unwrap();
    let href = &home.body[start..start + home.body[start..].find('"').unwrap()];
    let css = c.get(href);
    assert_eq!(css.status, 200);
    assert!(css.header("content-type").unwrap().starts_with("text/css"));
    assert_eq!(
        css.header("cache-control"),
        Some("public, max-age=31536000, immutable")
    );
    assert!(css.body.contains(":focus"));
    assert_eq!(c.get("/assets/nothing.css").status, 404);
});

both_backends!(
    every_page_has_one_h1_and_labelled_controls,
    |app: TestApp| {
        let org = organiser(&app);
        let reg = register_applicant(&app, "h1@gmina.example", "Gmina Nagłówkowa");
        for (client, path) in [
            (&app.client(), "/"),
            (&app.client(), "/register"),
            (&app.client(), "/login"),
            (&app.client(), "/password/forgot"),
            (&app.client(), "/verify/resend"),
            (&app.client(), "/accessibility"),
            (&app.client(), "/privacy"),
            (&reg.client, "/account"),
            (&reg.client, "/account/settings"),
            (&reg.client, "/account/password"),
            (&reg.client, "/institution"),
            (&reg.client, "/institution/members"),
            (&reg.client, "/logout"),
            (&org, "/account"),
            (&org, "/admin/users"),
            (&org, "/admin/outbox"),
            (&org, "/admin/audit"),
        ] {
            let p = client.get(path);
            assert_eq!(p.status, 200, "{path}");
            p.h1();
            // Every visible input, select and textarea has a label pointing at its id.
            for tag in ["<input", "<select", "<textarea"] {
                for part in p.body.split(tag).skip(1) {
                    let el = &part[..part.find('>').unwrap()];
                    if el.contains("type=\"hidden\"") {
                        continue;
                    }
                    let id_at = el
                        .find(" id=\"")
                        .unwrap_or_else(|| panic!("control without id on {path}: {tag}{el}>"));
                    let id = &el[id_at + 5..id_at + 5 + el[id_at + 5..].find('"').unwrap()];
                    assert!(
                        p.body.contains(&format!("<label for=\"{id}\"")),
                        "no label for #{id} on {path}"
                    );
                }
            }
        }
    }
);

/// Every log line of the test process, once [`capture_logs`] has run.
static LOGS: std::sync::Mutex<Vec<u8>> = std::sync::Mutex::new(Vec::new());

struct LogWriter;

impl std::io::Write for LogWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        LOGS.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Sends the server's log (it runs in this process) into [`LOGS`]; the first call wins.
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let subscriber = tracing_subscriber::fmt()
            .with_ansi(false)
            .with_writer(|| LogWriter)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("no other global subscriber");
    });
}

both_backends!(
    a_database_failure_is_a_500_with_its_cause_logged,
    |app: TestApp| {
        capture_logs();
        let c = app.client();
        assert_eq!(c.get("/").status, 200);
        // The home page reads the current edition: take its table away.
        app.db(|conn| {
            use diesel::connection::SimpleConnection;
            conn.batch_execute("ALTER TABLE editions RENAME TO editions_gone")
        })
        .unwrap();
        // With a query, so not the copy of the page kept in memory (served on, as it should be).
        assert_eq!(c.get("/").status, 200);
        let page = c.get("/?lang=pl");
        assert_eq!(page.status, 500);
        assert_eq!(page.h1(), "Wystąpił błąd serwera");
        page.assert_contains("Przepraszamy, coś poszło nie tak.");
        // The cause goes to the log, never to the visitor.
        page.assert_not_contains("no such table");
        page.assert_not_contains("does not exist");
        page.assert_not_contains("database error");
        let logs = String::from_utf8_lossy(&LOGS.lock().unwrap()).into_owned();
        let cause = match app.state.db.url {
            konkurs::db::DbUrl::Sqlite(_) => "no such table: editions",
            konkurs::db::DbUrl::Postgres(_) => "relation \"editions\" does not exist",
        };
        let lines: Vec<&str> = logs.lines().filter(|l| l.contains(cause)).collect();
        // Logged once, as the whole chain, where the 500 page is made.
        assert_eq!(lines.len(), 1, "{logs}");
        assert!(lines[0].contains("internal error"), "{}", lines[0]);
        assert!(
            lines[0].contains(&format!("error=database error: {cause}")),
            "{}",
            lines[0]
        );
    }
);

// The accessibility statement and the privacy notice: defaults with parts to fill in, flagged
// on the organiser's dashboard; edited on /admin/site (bad input kept with its messages,
// nothing stored); once complete, both public pages show the texts in both languages, the
// statement keeps the official template's ids, and the flags are gone.
both_backends!(
    organisers_complete_the_statement_and_the_privacy_notice,
    |app: TestApp| {
        use diesel::prelude::*;
        use konkurs::db::schema::{audit_log, site_texts};
        use konkurs::domain::site_texts as defaults;

        let org = organiser(&app);
        let visitor = app.client();
        let statement = visitor.get("/accessibility");
        assert_eq!(statement.status, 200);
        statement.assert_contains("<h2 id=\"a11y-procedura\">Procedura wnioskowo-skargowa</h2>");
        statement.assert_contains("https://bip.brpo.gov.pl/");
        statement.assert_contains("[uzupełnij");
        let privacy = visitor.get("/privacy?lang=en");
        privacy.assert_contains("President of the Personal Data Protection Office");
        privacy.assert_not_contains("Administrator danych");
        let dash = org.get("/account");
        dash.assert_contains("id=\"site-gaps\"");
        dash.assert_contains(
            "Deklaracja dostępności — brak danych: Osoba kontaktowa w sprawie dostępności",
        );
        dash.assert_contains(
            "Ochrona danych osobowych — wersja angielska: zostały fragmenty do uzupełnienia",
        );
        dash.assert_contains("href=\"/admin/site\"");
        let reg = register_applicant(&app, "site@gmina.example", "Gmina Tekstowa");
        assert_eq!(reg.client.get("/admin/site").status, 403);

        let fill = |s: &str| s.replace("[uzupełnij: ", "(").replace("[fill in: ", "(");
        let a11y_pl = fill(defaults::A11Y_PL).replace(
            "Konkurs nie ma aplikacji mobilnej.",
            "Konkurs nie ma aplikacji mobilnej. Tekst próbny PL.",
        );
        let a11y_en = fill(defaults::A11Y_EN).replace(
            "The competition has no mobile application.",
            "The competition has no mobile application. Sample text EN.",
        );
        let privacy_pl = fill(defaults::PRIVACY_PL);
        let privacy_en = fill(defaults::PRIVACY_EN);
        let good: Vec<(&str, &str)> = vec![
            (
                "entity",
                "Urząd Marszałkowski Województwa Mazowieckiego w Warszawie",
            ),
            ("published_on", "2026-01-15"),
            ("updated_on", "2026-11-02"),
            ("prepared_on", "2026-11-03"),
            ("contact_name", "Anna Dostępna"),
            ("contact_email", "dostepnosc@mazovia.example"),
            ("contact_phone", "22 597 91 00"),
            ("a11y_pl", &a11y_pl),
            ("a11y_en", &a11y_en),
            ("privacy_pl", &privacy_pl),
            ("privacy_en", &privacy_en),
        ];
        let with = |changes: &[(&'static str, &'static str)]| -> Vec<(&str, String)> {
            good.iter()
                .map(|(k, v)| {
                    let v = changes
                        .iter()
                        .find(|(ck, _)| ck == k)
                        .map_or(v.to_string(), |(_, cv)| cv.to_string());
                    (*k, v)
                })
                .collect()
        };

        // Wrong input: each field says what is wrong, everything typed is kept, nothing is stored.
        let bad = with(&[
            ("contact_email", "nie-adres"),
            ("published_on", "2026-11-20"),
            ("updated_on", "2026-11-02"),
            ("contact_phone", "12"),
            ("a11y_en", ""),
            ("privacy_pl", "Moja klauzula <b>robocza</b>"),
        ]);
        let refs: Vec<(&str, &str)> = bad.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let page = org.submit("/admin/site", "/admin/site", &refs);
        assert_eq!(page.status, 422);
        for field in ["contact_email", "updated_on", "contact_phone", "a11y_en"] {
            page.assert_contains(&format!("id=\"f-{field}-error\""));
        }
        page.assert_contains(
            "Data ostatniej aktualizacji nie może być wcześniejsza niż data publikacji.",
        );
        page.assert_contains("value=\"nie-adres\"");
        page.assert_contains("Moja klauzula &#60;b&#62;robocza&#60;/b&#62;");
        page.assert_contains("Tekst próbny PL.");
        let stored: i64 = app.db(|c| site_texts::table.count().get_result(c).unwrap());
        assert_eq!(stored, 0);

        // A required section removed from the English statement: saved, and flagged.
        let cut = a11y_en.replace("{#a11y-procedura}", "");
        let partial = with(&[]);
        let refs: Vec<(&str, &str)> = partial
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    if *k == "a11y_en" {
                        cut.as_str()
                    } else {
                        v.as_str()
                    },
                )
            })
            .collect();
        let saved = org.submit("/admin/site", "/admin/site", &refs);
        assert_eq!(saved.status, 200);
        assert!(saved.url.ends_with("/admin/site"), "{}", saved.url);
        saved.assert_contains("Deklaracja dostępności — wersja angielska: brak wymaganej części: Procedura wnioskowo-skargowa");
        let dash = org.get("/account");
        dash.assert_contains("brak wymaganej części: Procedura wnioskowo-skargowa");
        dash.assert_not_contains("zostały fragmenty do uzupełnienia");

        // Complete: the flags are gone and the public pages show the texts.
        let saved = org.submit("/admin/site", "/admin/site", &good);
        assert_eq!(saved.status, 200);
        saved.assert_not_contains("notice-warning");
        let dash = org.get("/account");
        dash.assert_not_contains("id=\"site-gaps\"");
        dash.assert_contains("Obie strony są uzupełnione.");
        let pl = visitor.get("/accessibility?lang=pl");
        pl.assert_contains("<span id=\"a11y-podmiot\">Urząd Marszałkowski Województwa Mazowieckiego w Warszawie</span> zobowiązuje się");
        pl.assert_contains(
            "<time id=\"a11y-data-publikacja\" datetime=\"2026-01-15\">15.01.2026</time>",
        );
        pl.assert_contains(
            "<time id=\"a11y-data-aktualizacja\" datetime=\"2026-11-02\">02.11.2026</time>",
        );
        pl.assert_contains(
            "<time id=\"a11y-data-sporzadzenie\" datetime=\"2026-11-03\">03.11.2026</time>",
        );
        pl.assert_contains("<span id=\"a11y-osoba\">Anna Dostępna</span>");
        pl.assert_contains("<a id=\"a11y-email\" href=\"mailto:dostepnosc@mazovia.example\">");
        pl.assert_contains("<span id=\"a11y-telefon\">22 597 91 00</span>");
        pl.assert_contains("id=\"a11y-url\"");
        pl.assert_contains("Tekst próbny PL.");
        pl.assert_not_contains("[uzupełnij");
        // The contact section comes before the request procedure, as in the template.
        let contact = pl.body.find("id=\"a11y-kontakt\"").unwrap();
        let procedure = pl.body.find("id=\"a11y-procedura\"").unwrap();
        assert!(contact < procedure);
        let en = visitor.get("/accessibility?lang=en");
        en.assert_contains("Sample text EN.");
        en.assert_contains("is committed to making its website accessible");
        en.assert_not_contains("Tekst próbny PL.");
        en.assert_not_contains("Procedura wnioskowo-skargowa");
        let privacy = visitor.get("/privacy?lang=pl");
        privacy.assert_contains("<h2 id=\"rodo-skarga\">Prawo wniesienia skargi</h2>");
        privacy.assert_contains("Prezesa Urzędu Ochrony Danych Osobowych");
        // Hostile text: raw HTML and script links are shown as text, a heading cannot take an id
        // the page uses itself, a text too long or with control characters is refused.
        let hostile = format!(
            "{a11y_pl}\n\n## Drugi kontakt {{#a11y-kontakt}}\n\n<script>alert(1)</script> [x](javascript:alert(1))"
        );
        let refs: Vec<(&str, &str)> = good
            .iter()
            .map(|(k, v)| {
                (
                    *k,
                    if *k == "a11y_pl" {
                        hostile.as_str()
                    } else {
                        *v
                    },
                )
            })
            .collect();
        assert_eq!(org.submit("/admin/site", "/admin/site", &refs).status, 200);
        let pl = visitor.get("/accessibility?lang=pl");
        assert_eq!(pl.body.matches("id=\"a11y-kontakt\"").count(), 1);
        pl.assert_not_contains("<script>alert");
        pl.assert_not_contains("href=\"javascript:");
        let long = "x".repeat(30_001);
        for (field, value) in [
            ("privacy_en", long.as_str()),
            ("contact_name", "Anna\u{0007}"),
        ] {
            let refs: Vec<(&str, &str)> = good
                .iter()
                .map(|(k, v)| (*k, if *k == field { value } else { *v }))
                .collect();
            let page = org.submit("/admin/site", "/admin/site", &refs);
            assert_eq!(page.status, 422, "{field}");
            page.assert_contains(&format!("id=\"f-{field}-error\""));
        }
        let no_token = org.post("/admin/site", &good);
        assert!(no_token.status >= 400 && no_token.status < 500);
        let actions: Vec<String> = app.db(|c| {
            audit_log::table
                .filter(audit_log::object_type.eq("site"))
                .select(audit_log::action)
                .load(c)
                .unwrap()
        });
        assert_eq!(actions, vec!["site:texts".to_string(); 3]);
    }
);

both_backends!(
    site_dates_are_typed_as_elsewhere_and_messages_say_the_limits,
    |app: TestApp| {
        use diesel::prelude::*;
        use konkurs::db::schema::site_texts;
        use konkurs::domain::site_texts as defaults;

        let org = organiser(&app);
        // Before anything is saved, the English version's gap names the English marker.
        let en = org.get("/admin/site?lang=en");
        en.assert_contains(
            "English version: parts are still to be filled in (&#34;[fill in: …]&#34;)",
        );
        en.assert_contains("Day, month and year, for example 15.03.2026 (or 2026-03-15).");
        let pl = org.get("/admin/site?lang=pl");
        pl.assert_contains("wersja angielska: zostały fragmenty do uzupełnienia („[fill in: …]”)");
        pl.assert_contains("wersja polska: zostały fragmenty do uzupełnienia („[uzupełnij: …]”)");
        // The hint says the format the error message asks for.
        pl.assert_contains("Format DD.MM.RRRR, np. 15.03.2026.");
        pl.assert_not_contains("RRRR-MM-DD");
        let public_en = app.client().get("/accessibility?lang=en");
        public_en.assert_contains("[fill in");
        public_en.assert_not_contains("uzupełnij");

        let fill = |s: &str| s.replace("[uzupełnij: ", "(").replace("[fill in: ", "(");
        let (a11y_pl, a11y_en) = (fill(defaults::A11Y_PL), fill(defaults::A11Y_EN));
        let (privacy_pl, privacy_en) = (fill(defaults::PRIVACY_PL), fill(defaults::PRIVACY_EN));
        let long_name = "A".repeat(201);
        let form = |published: &'static str, phone: &'static str, name: &str| {
            vec![
                ("entity".to_string(), "Urząd Marszałkowski".to_string()),
                ("published_on".into(), published.into()),
                ("updated_on".into(), "02.11.2026".into()),
                ("prepared_on".into(), "2026-11-03".into()),
                ("contact_name".into(), name.to_string()),
                ("contact_email".into(), "dostepnosc@mazovia.example".into()),
                ("contact_phone".into(), phone.into()),
                ("a11y_pl".into(), a11y_pl.clone()),
                ("a11y_en".into(), a11y_en.clone()),
                ("privacy_pl".into(), privacy_pl.clone()),
                ("privacy_en".into(), privacy_en.clone()),
            ]
        };
        let post = |f: &[(String, String)]| {
            let refs: Vec<(&str, &str)> = f.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            org.submit("/admin/site", "/admin/site", &refs)
        };

        // Wrong date, short phone, too long a name: each message says what to type, once.
        let bad = post(&form("15.13.2026", "12", &long_name));
        assert_eq!(bad.status, 422);
        assert!(bad.has_field_error("published_on"));
        bad.assert_contains("Data publikacji strony internetowej: podaj datę w formacie DD.MM.RRRR, np. 15.03.2026.");
        bad.assert_contains("Numer telefonu: wpisz od 9 do 15 cyfr");
        bad.assert_not_contains("wpisz numer telefonu");
        bad.assert_contains("Tekst może mieć najwyżej 200 znaków.");
        let stored: i64 = app.db(|c| site_texts::table.count().get_result(c).unwrap());
        assert_eq!(stored, 0);

        // 15.03.2026, as the rest of the portal takes it, is saved as that date.
        let saved = post(&form("15.03.2026", "22 597 91 00", "Anna Dostępna"));
        assert_eq!(saved.status, 200, "{}", saved.body);
        let dates: (String, String, String) = app.db(|c| {
            site_texts::table
                .select((
                    site_texts::published_on,
                    site_texts::updated_on,
                    site_texts::prepared_on,
                ))
                .first(c)
                .unwrap()
        });
        assert_eq!(
            dates,
            (
                "2026-03-15".into(),
                "2026-11-02".into(),
                "2026-11-03".into()
            )
        );
        app.client().get("/accessibility?lang=pl").assert_contains(
            "<time id=\"a11y-data-publikacja\" datetime=\"2026-03-15\">15.03.2026</time>",
        );
    }
);
