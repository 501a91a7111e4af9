//! Real-browser tests in headless Chromium: forms found and filled by their visible labels,
//! and axe-core (WCAG 2.1 A/AA) on every page, in Polish and English. The W3C Nu HTML checker
//! validates the same pages. Adding a page to `PAGES` checks it everywhere.

use std::path::{Path, PathBuf};

use crate::support::webdriver::{Browser, chromium_paths};
use crate::support::{
    Backend, Client, PASSWORD, TestApp, ci, login, organiser, register_applicant, registration,
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
];

const APPLICANT: &str = "wcag@gmina.example";
const ORGANISER: &str = "olga@mazovia.example";

/// A site with one organiser, one applicant, and live links of every kind sent by email.
struct Site {
    app: TestApp,
    links: Vec<(&'static str, String)>,
}

fn prepare(backend: Backend) -> Option<Site> {
    let app = TestApp::spawn(backend)?;
    organiser(&app);
    let reg = register_applicant(&app, APPLICANT, "Gmina Dostępna");
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
        .wait_nth(APPLICANT, 2)
        .link(&app.url("/password/reset?token="));
    let links = vec![
        ("{verify_link}", verify),
        ("{reset_link}", reset),
        ("{invite_link}", invite),
    ];
    Some(Site { app, links })
}

impl Site {
    fn url(&self, path: &str) -> String {
        for (k, v) in &self.links {
            if path == *k {
                return v.clone();
            }
        }
        self.app.url(path)
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
