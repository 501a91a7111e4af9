//! Real-browser tests in headless Chromium: forms found and filled by their visible labels,
//! and axe-core (WCAG 2.1 A/AA) on every page, in Polish and English. The W3C Nu HTML checker
//! validates the same pages. Adding a page to `PAGES` checks it everywhere.

use std::path::{Path, PathBuf};

use crate::support::webdriver::{Browser, chromium_paths};
use crate::support::{
    Backend, Client, PASSWORD, PDF, TestApp, ci, entry_form, login, open_call, organiser, pairs,
    register_applicant, registration, warsaw,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Who {
    Anonymous,
    Applicant,
    Organiser,
}

/// Every page of the portal, with who opens it. `{…}` parts are filled from a prepared site.
pub const PAGES: &[(Who, &str)] = &[
    (Who::Anonymous, "/"),
    (Who::Anonymous, "/register"),
    (Who::Anonymous, "/register/sent"),
    (Who::Anonymous, "/login"),
    (Who::Anonymous, "/password/forgot"),
    (Who::Anonymous, "/verify/resend"),
    (Who::Anonymous, "/accessibility"),
    (Who::Anonymous, "/privacy"),
    (Who::Anonymous, "/no-such-page"),
    (Who::Anonymous, "{verify_link}"),
    (Who::Anonymous, "{reset_link}"),
    (Who::Anonymous, "{invite_link}"),
    (Who::Anonymous, "/verify?token=0000"),
    (Who::Applicant, "/account"),
    (Who::Applicant, "/account/settings"),
    (Who::Applicant, "/account/password"),
    (Who::Applicant, "/institution"),
    (Who::Applicant, "/institution/members"),
    (Who::Applicant, "/logout"),
    (Who::Applicant, "/admin/users"),
    (Who::Organiser, "/account"),
    (Who::Organiser, "/admin/users"),
    (Who::Organiser, "/admin/outbox"),
    (Who::Organiser, "/admin/outbox/1"),
    (Who::Organiser, "/admin/audit"),
    (Who::Anonymous, "/editions"),
    (Who::Anonymous, "/editions/{slug}"),
    (Who::Applicant, "/entries/new"),
    (Who::Applicant, "/entries/{entry_id}"),
    (Who::Applicant, "/entries/{entry_id}/edit"),
    (Who::Applicant, "/entries/{entry_id}/print"),
    (Who::Organiser, "/admin/editions"),
    (Who::Organiser, "/admin/editions/new"),
    (Who::Organiser, "/admin/editions/{edition_id}"),
    (Who::Organiser, "/admin/editions/{draft_id}"),
    (Who::Organiser, "/admin/editions/{draft_id}/categories/new"),
    (Who::Organiser, "/admin/categories/{category_id}"),
    (Who::Organiser, "/admin/editions/{draft_id}/criteria/new"),
    (Who::Organiser, "/admin/criteria/{criterion_id}"),
    (Who::Organiser, "/admin/editions/{edition_id}/entries"),
    (Who::Organiser, "/admin/entries/{entry_id}"),
    (Who::Organiser, "/editions/{slug}"),
];

const APPLICANT: &str = "wcag@gmina.example";
const ORGANISER: &str = "olga@mazovia.example";

/// A site with one organiser, one applicant, and live links of every kind sent by email.
struct Site {
    app: TestApp,
    links: Vec<(&'static str, String)>,
    values: Vec<(&'static str, String)>,
}

fn prepare(backend: Backend) -> Option<Site> {
    let app = TestApp::spawn(backend)?;
    let org = organiser(&app);
    let call = open_call(&app, &org, "vi-edycja", chrono::Duration::days(14));
    // A second edition still in draft, whose categories and criteria can be edited.
    let now = konkurs::domain::time::now();
    let draft = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VII edycja"),
            ("year", "2027"),
            ("slug", "vii-edycja"),
            ("opens_at", &warsaw(now + chrono::Duration::days(300))),
            ("closes_at", &warsaw(now + chrono::Duration::days(330))),
            (
                "judging_deadline",
                &warsaw(now + chrono::Duration::days(360)),
            ),
            ("entries_per_category", "1"),
        ],
    );
    let draft_id = draft.url.rsplit('/').next().unwrap().to_string();
    let reg = register_applicant(&app, APPLICANT, "Gmina Dostępna");
    reg.client.submit(
        "/entries/new",
        "/entries/new",
        &pairs(&entry_form(call.categories[0], "Portal map gminy", &[])),
    );
    let entry_id: i32 = app.db(|c| {
        use diesel::prelude::*;
        konkurs::db::schema::entries::table
            .select(konkurs::db::schema::entries::id)
            .first(c)
            .unwrap()
    });
    reg.client.upload(
        &format!("/entries/{entry_id}/edit"),
        &format!("/entries/{entry_id}/attachments"),
        "opis.pdf",
        PDF,
    );
    let (category_id, criterion_id): (i32, i32) = app.db(|c| {
        use diesel::prelude::*;
        use konkurs::db::schema::{categories, criteria};
        let d: i32 = draft_id.parse().unwrap();
        (
            categories::table
                .filter(categories::edition_id.eq(d))
                .select(categories::id)
                .first(c)
                .unwrap(),
            criteria::table
                .filter(criteria::edition_id.eq(d))
                .select(criteria::id)
                .first(c)
                .unwrap(),
        )
    });
    reg.client.submit(
        "/institution/members",
        "/institution/members",
        &[("name", "Jan Zaproszony"), ("email", "jan@gmina.example")],
    );
    let invite = app
        .smtp
        .wait_nth("jan@gmina.example", 1)
        .link(&app.url("/invite?token="));
    // A second applicant who has not confirmed yet, and a reset request for the first.
    let c = app.client();
    c.submit(
        "/register",
        "/register",
        &registration(
            "Gmina Niepotwierdzona",
            "ewa@gmina.example",
            &[("name", "Ewa Czekająca")],
        ),
    );
    let verify = app
        .smtp
        .wait_nth("ewa@gmina.example", 1)
        .link(&app.url("/verify?token="));
    c.submit(
        "/password/forgot",
        "/password/forgot",
        &[("email", APPLICANT)],
    );
    let reset = app
        .smtp
        .wait_subject(APPLICANT, "Ustaw nowe hasło")
        .link(&app.url("/password/reset?token="));
    let links = vec![
        ("{verify_link}", verify),
        ("{reset_link}", reset),
        ("{invite_link}", invite),
    ];
    let values = vec![
        ("{slug}", "vi-edycja".to_string()),
        ("{edition_id}", call.edition_id.to_string()),
        ("{draft_id}", draft_id),
        ("{entry_id}", entry_id.to_string()),
        ("{category_id}", category_id.to_string()),
        ("{criterion_id}", criterion_id.to_string()),
    ];
    Some(Site { app, links, values })
}

impl Site {
    fn url(&self, path: &str) -> String {
        for (k, v) in &self.links {
            if path == *k {
                return v.clone();
            }
        }
        let mut p = path.to_string();
        for (k, v) in &self.values {
            p = p.replace(k, v);
        }
        self.app.url(&p)
    }
}

/// The checkers' folder; on first use it is installed with `npm ci` when npm is available.
fn checker_dir() -> PathBuf {
    static INSTALL: std::sync::Once = std::sync::Once::new();
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    INSTALL.call_once(|| {
        if !root.join("node_modules/axe-core/axe.min.js").exists() {
            let status = std::process::Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--prefix"])
                .arg(&root)
                .status();
            if !matches!(status, Ok(s) if s.success()) {
                eprintln!("npm ci in tests/browser failed: {status:?}");
            }
        }
    });
    root.join("node_modules")
}

fn skip_or_fail(what: &str) {
    if ci() {
        panic!("{what} is required with CI=true (run .ci/run, which installs it)");
    }
    eprintln!("SKIPPED: {what} is not installed (.ci/run installs it)");
}

fn browser() -> Option<(Browser, String)> {
    let Some((chrome, driver)) = chromium_paths() else {
        skip_or_fail("Chromium with chromedriver");
        return None;
    };
    let axe_path = checker_dir().join("axe-core/axe.min.js");
    let Ok(axe) = std::fs::read_to_string(&axe_path) else {
        skip_or_fail("axe-core (tests/browser/node_modules)");
        return None;
    };
    Some((Browser::start(&chrome, &driver), axe))
}

fn ui_login(b: &Browser, app: &TestApp, email: &str) {
    b.goto(&app.url("/login"));
    b.fill("Adres e-mail", email);
    b.fill("Hasło", PASSWORD);
    b.press("Zaloguj się");
    assert!(
        b.url().ends_with("/account"),
        "login by labels went to {}",
        b.url()
    );
}

/// Registration and login exactly as a person does them, by the labels they read.
#[test]
fn register_and_log_in_in_a_real_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    b.goto(&app.url("/register"));
    assert_eq!(b.h1(), "Rejestracja instytucji");
    // Sending the empty form shows the errors, and the error page is accessible too.
    b.press("Zarejestruj");
    assert!(b.text().contains("Popraw następujące błędy"));
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the registration errors:\n{}",
        v.join("\n")
    );

    b.fill("Nazwa instytucji", "Urząd Gminy Izabelin");
    b.choose("Rodzaj instytucji", "gmina wiejska");
    b.fill("Kod TERYT", "1432022");
    b.fill("Ulica i numer", "ul. 3 Maja 42");
    b.fill("Kod pocztowy", "05-080");
    b.fill("Miejscowość", "Izabelin");
    b.fill("Telefon", "22 721 80 70");
    b.fill("Imię i nazwisko", "Zofia Kamińska");
    b.fill("Adres e-mail", "zofia@izabelin.example");
    b.fill("Hasło", PASSWORD);
    b.fill("Powtórz hasło", PASSWORD);
    b.check("Zapoznałem(-am) się");
    b.press("Zarejestruj");
    assert_eq!(b.h1(), "Sprawdź skrzynkę e-mail");

    let link = app
        .smtp
        .wait_nth("zofia@izabelin.example", 1)
        .link(&app.url("/verify?token="));
    b.goto(&link);
    b.press("Potwierdzam adres e-mail");
    assert!(b.url().ends_with("/login"));
    assert!(b.text().contains("Adres e-mail został potwierdzony"));
    ui_login(&b, &app, "zofia@izabelin.example");
    assert_eq!(b.h1(), "Mój panel");
    assert!(b.text().contains("Urząd Gminy Izabelin"));

    // A wrong password shows the message on the same form, in English too.
    b.press("Wyloguj się");
    b.goto(&app.url("/login?lang=en"));
    b.fill("Email address", "zofia@izabelin.example");
    b.fill("Password", "not the right password");
    b.press("Log in");
    assert!(
        b.text()
            .contains("The email address or password is not correct.")
    );
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the login error:\n{}", v.join("\n"));
}

/// axe-core on every page, as each role, in both languages.
#[test]
fn every_page_passes_axe_in_both_languages() {
    let Some((b, axe)) = browser() else { return };
    let Some(site) = prepare(Backend::Sqlite) else {
        return;
    };
    let mut failures = Vec::new();
    let mut checked = 0;
    for who in [Who::Anonymous, Who::Applicant, Who::Organiser] {
        b.delete_cookies();
        match who {
            Who::Anonymous => {}
            Who::Applicant => ui_login(&b, &site.app, APPLICANT),
            Who::Organiser => ui_login(&b, &site.app, ORGANISER),
        }
        for lang in ["pl", "en"] {
            for (w, path) in PAGES.iter().filter(|(w, _)| *w == who) {
                let url = site.url(path);
                let sep = if url.contains('?') { '&' } else { '?' };
                b.goto(&format!("{url}{sep}lang={lang}"));
                checked += 1;
                for v in b.axe(&axe) {
                    failures.push(format!("{w:?} {path} [{lang}]: {v}"));
                }
            }
        }
        // Back to Polish for the next role's labels.
        b.goto(&site.app.url("/?lang=pl"));
    }
    assert!(checked >= PAGES.len() * 2);
    assert!(
        failures.is_empty(),
        "axe-core violations:\n{}",
        failures.join("\n")
    );
    // The harness itself can fail: a page with an unlabelled field and no language is caught.
    b.goto("data:text/html,<html><body><h1>x</h1><input type=text><img src=a.png></body></html>");
    let v = b.axe(&axe);
    assert!(
        v.iter().any(|x| x.starts_with("label")),
        "axe must catch an unlabelled input: {v:?}"
    );
    assert!(v.iter().any(|x| x.starts_with("html-has-lang")), "{v:?}");
}

/// The W3C Nu HTML checker on every page's HTML, as served.
#[test]
fn every_page_is_valid_html() {
    let jar = checker_dir().join("vnu-jar/build/dist/vnu.jar");
    let java = std::process::Command::new("java")
        .arg("-version")
        .output()
        .is_ok();
    if !jar.exists() || !java {
        skip_or_fail("the Nu HTML checker (vnu.jar and Java)");
        return;
    }
    let Some(site) = prepare(Backend::Sqlite) else {
        return;
    };
    let anon = site.app.client();
    let applicant = site.app.client();
    login(&applicant, APPLICANT, PASSWORD);
    let org = site.app.client();
    login(&org, ORGANISER, PASSWORD);
    let dir = site.app.dir.join("html");
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for lang in ["pl", "en"] {
        for (i, (who, path)) in PAGES.iter().enumerate() {
            let client: &Client = match who {
                Who::Anonymous => &anon,
                Who::Applicant => &applicant,
                Who::Organiser => &org,
            };
            let url = site.url(path);
            let sep = if url.contains('?') { '&' } else { '?' };
            let page = client.get(&format!("{url}{sep}lang={lang}"));
            let expected = match (who, *path) {
                (_, "/no-such-page") => 404,
                (_, "/verify?token=0000") => 410,
                (Who::Applicant, "/admin/users") => 403,
                _ => 200,
            };
            assert_eq!(
                page.status, expected,
                "{who:?} {path} ({lang}) landed on {}",
                page.url
            );
            let file = dir.join(format!(
                "{lang}-{i:02}-{}.html",
                path.replace(['/', '{', '}', '?', '='], "_")
            ));
            std::fs::write(&file, &page.body).unwrap();
            files.push(file);
        }
    }
    // A form shown again with its errors.
    let errors = anon.submit("/register", "/register", &[("email", "zły")]);
    let file = dir.join("register-errors.html");
    std::fs::write(&file, &errors.body).unwrap();
    files.push(file);
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("run vnu");
    let report =
        String::from_utf8_lossy(&out.stderr).to_string() + &String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && report.trim().is_empty(),
        "HTML errors:\n{report}"
    );
    assert!(files.len() > PAGES.len() * 2, "every page was checked");
    // The checker itself can fail: an invalid document is reported.
    let broken = dir.join("broken.html");
    std::fs::write(&broken, "<!DOCTYPE html><html lang=pl><head><title>x</title></head><body><p><div></span></body></html>").unwrap();
    let out = std::process::Command::new("java")
        .arg("-jar")
        .arg(&jar)
        .args(["--errors-only", "--format", "gnu"])
        .arg(&broken)
        .output()
        .unwrap();
    assert!(!out.status.success(), "vnu must reject a broken document");
}

/// Creating and submitting an entry with an attachment, by the labels on the page.
#[test]
fn create_and_submit_an_entry_with_an_attachment_in_a_browser() {
    let Some((b, axe)) = browser() else { return };
    let Some(app) = TestApp::spawn(Backend::Sqlite) else {
        return;
    };
    let org = organiser(&app);
    open_call(&app, &org, "vi-edycja", chrono::Duration::days(14));
    register_applicant(
        &app,
        "ola@bialobrzegi.example",
        "Urząd Miasta i Gminy w Białobrzegach",
    );
    ui_login(&b, &app, "ola@bialobrzegi.example");
    b.goto(&app.url("/entries/new"));
    assert_eq!(b.h1(), "Nowe zgłoszenie");
    b.check("II — Ponad codzienność");
    b.fill("Nazwa projektu", "Portal e-Mieszkańca");
    b.fill(
        "Streszczenie",
        "Portfel e-Mieszkańca, System Qnet i System 4Parent w jednym miejscu.",
    );
    b.fill(
        "Opis projektu",
        "Mieszkańcy załatwiają sprawy urzędowe przez internet.",
    );
    b.fill(
        "Linki do działającej usługi lub portalu",
        "https://e-mieszkaniec.bialobrzegi.example",
    );
    b.press("Zapisz wersję roboczą");
    assert_eq!(b.h1(), "Edycja zgłoszenia");
    assert!(b.text().contains("Zapisano wersję roboczą"));

    // Attach a file through the file field, found by its label.
    let pdf = app.dir.join("Opis projektu.pdf");
    std::fs::write(&pdf, PDF).unwrap();
    b.fill("Plik", pdf.to_str().unwrap());
    b.press("Dodaj załącznik");
    assert!(b.text().contains("Załącznik został dodany"), "{}", b.text());
    assert!(b.text().contains("Opis projektu.pdf"));
    let v = b.axe(&axe);
    assert!(v.is_empty(), "axe on the entry form:\n{}", v.join("\n"));

    // Submitting without accepting the rules is refused on the same form.
    b.press("Wyślij zgłoszenie");
    assert!(
        b.text().contains("zaakceptuj regulamin konkursu"),
        "{}",
        b.text()
    );
    let v = b.axe(&axe);
    assert!(
        v.is_empty(),
        "axe on the entry form's errors:\n{}",
        v.join("\n")
    );
    b.check("Akceptuję regulamin konkursu.");
    b.check("Zapoznałem(-am) się z klauzulą");
    b.press("Wyślij zgłoszenie");
    assert!(
        b.text().contains("Zgłoszenie zostało wysłane"),
        "{}",
        b.text()
    );
    assert_eq!(b.h1(), "Portal e-Mieszkańca");
    let mail = app.smtp.wait_nth("ola@bialobrzegi.example", 2);
    assert_eq!(mail.subject, "Potwierdzenie wysłania zgłoszenia");
    let (status, files): (String, i64) = app.db(|c| {
        use diesel::prelude::*;
        use konkurs::db::schema::{attachments, entries};
        (
            entries::table.select(entries::status).first(c).unwrap(),
            attachments::table.count().get_result(c).unwrap(),
        )
    });
    assert_eq!((status.as_str(), files), ("submitted", 1));
}
