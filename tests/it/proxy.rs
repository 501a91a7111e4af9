//! Behind a reverse proxy: forwarding headers believed only from a trusted peer (the client's
//! address for the login limits, `Secure` cookies, the request id), and anonymous visitors who
//! cost no session row.

use diesel::prelude::*;
use konkurs::db::schema::{login_addresses, sessions, throttle, users};
use konkurs::startup::SESSION_COOKIE;

use crate::both_backends;
use crate::support::{Backend, Client, Options, PASSWORD, TestApp, register_applicant};

const INVALID: &str = "Nieprawidłowy adres e-mail lub hasło";
const THROTTLED: &str = "Zbyt wiele nieudanych prób logowania";
const THROTTLED_EN: &str = "Too many failed attempts to log in";
const CSRF_REFUSED: &str = "Formularz wygasł albo został wysłany z innej strony";

fn behind_proxy(backend: Backend) -> Option<TestApp> {
    TestApp::spawn_with(
        backend,
        Options {
            // The test client connects from 127.0.0.1: it plays the proxy.
            trusted_proxies: Some("127.0.0.1, 10.0.0.0/8".into()),
            ..Options::default()
        },
    )
}

/// One login attempt through the form, the request carrying `headers`.
fn login_with(c: &Client, email: &str, pw: &str, headers: &[(&str, &str)]) -> crate::support::Page {
    let form = c.get_with("/login", headers);
    assert_eq!(form.status, 200);
    c.submit_on_with(
        &form,
        "/login",
        &[("email", email), ("password", pw)],
        headers,
    )
}

fn throttle_keys(app: &TestApp) -> Vec<String> {
    app.db(|c| throttle::table.select(throttle::key).load(c).unwrap())
}

fn session_rows(app: &TestApp) -> i64 {
    app.db(|c| sessions::table.count().get_result(c).unwrap())
}

fn set_cookies(page: &crate::support::Page) -> Vec<&str> {
    page.headers
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("set-cookie"))
        .map(|(_, v)| v.as_str())
        .collect()
}

fn is_secure(cookie: &str) -> bool {
    cookie
        .split(';')
        .skip(1)
        .any(|a| a.trim().eq_ignore_ascii_case("secure"))
}

// ---------------------------------------------------------------------------------------------
// Not trusted: the headers are ignored

both_backends!(
    forwarding_headers_from_an_untrusted_peer_are_ignored,
    |app: TestApp| {
        let victim = register_applicant(&app, "ofiara@gmina.example", "Gmina Ofiar");
        let spoof = [
            ("X-Forwarded-For", "203.0.113.7"),
            ("X-Forwarded-Proto", "https"),
            ("X-Request-Id", "proxy-chosen-id.1"),
        ];
        // The attacker's failures count on the TCP peer, not on the address it claims.
        let attacker = app.client();
        for _ in 0..5 {
            let r = login_with(&attacker, &victim.email, "zgadywane hasło", &spoof);
            assert_eq!(r.status, 422);
            r.assert_contains(INVALID);
        }
        let keys = throttle_keys(&app);
        assert!(keys.iter().all(|k| !k.contains("203.0.113.7")), "{keys:?}");
        assert!(
            keys.contains(&format!("login:pair:{}|127.0.0.1", victim.email)),
            "{keys:?}"
        );
        // So a claimed other address does not escape the pair's limit either.
        let other = app.client();
        let r = login_with(
            &other,
            &victim.email,
            PASSWORD,
            &[("X-Forwarded-For", "198.51.100.9")],
        );
        assert_eq!(r.status, 429);
        r.assert_contains(THROTTLED);

        // No Secure cookie over plain http, whatever the header says; the request id is ours.
        let fresh = app.client();
        let page = fresh.get_with("/login?lang=en", &spoof);
        let cookies = set_cookies(&page);
        assert_eq!(cookies.len(), 2, "{cookies:?}");
        assert!(cookies.iter().all(|c| !is_secure(c)), "{cookies:?}");
        let id = page.header("x-request-id").expect("a request id");
        assert_ne!(id, "proxy-chosen-id.1");
        assert_eq!(id.len(), 16);
    }
);

// ---------------------------------------------------------------------------------------------
// Trusted: the client behind the proxy

#[test]
fn a_trusted_proxy_names_the_client_sqlite() {
    trusted_proxy_names_the_client(Backend::Sqlite);
}

#[test]
fn a_trusted_proxy_names_the_client_postgres() {
    trusted_proxy_names_the_client(Backend::Postgres);
}

fn trusted_proxy_names_the_client(backend: Backend) {
    let Some(app) = behind_proxy(backend) else {
        return;
    };
    let victim = register_applicant(&app, "ofiara@gmina.example", "Gmina Ofiar");
    let bystander = register_applicant(&app, "sasiad@gmina.example", "Gmina Sąsiednia");
    // The proxy (10.0.0.5, trusted) appends the address it saw; the peer is 127.0.0.1, trusted.
    let attacker_headers = [("X-Forwarded-For", "203.0.113.7, 10.0.0.5")];
    let attacker = app.client();
    let mut statuses = Vec::new();
    for _ in 0..40 {
        let r = login_with(
            &attacker,
            &victim.email,
            "zgadywane hasło",
            &attacker_headers,
        );
        statuses.push(r.status);
        assert!(r.status == 422 || r.status == 429, "{}", r.status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        5,
        "{statuses:?}"
    );
    // The attacker's address is held back, even with the right password, in either language.
    let r = login_with(&attacker, &victim.email, PASSWORD, &attacker_headers);
    assert_eq!(r.status, 429);
    r.assert_contains(THROTTLED);
    assert!(r.header("retry-after").is_some());
    let en = app.client();
    en.get_with("/?lang=en", &attacker_headers);
    let r = login_with(&en, &victim.email, "zgadywane hasło", &attacker_headers);
    assert_eq!(r.status, 429);
    r.assert_contains(THROTTLED_EN);
    // Addresses written in front of the attacker's own are the attacker's words: ignored.
    let r = login_with(
        &app.client(),
        &victim.email,
        PASSWORD,
        &[("X-Forwarded-For", "1.2.3.4, 203.0.113.7")],
    );
    assert_eq!(r.status, 429);
    r.assert_contains(THROTTLED);

    // The owner, from another address, logs into their own account meanwhile.
    let owner = app.client();
    let r = login_with(
        &owner,
        &victim.email,
        PASSWORD,
        &[("X-Forwarded-For", "198.51.100.9")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.url.ends_with("/account"), "{}", r.url);
    // And so does another user from yet another address.
    let r = login_with(
        &app.client(),
        &bystander.email,
        PASSWORD,
        &[("X-Forwarded-For", "192.0.2.44")],
    );
    assert!(r.url.ends_with("/account"), "{} {}", r.status, r.url);

    // What was counted and remembered is the client's address, never the proxy's or a spoof.
    let keys = throttle_keys(&app);
    assert!(
        keys.contains(&format!("login:pair:{}|203.0.113.7", victim.email)),
        "{keys:?}"
    );
    assert!(
        keys.contains(&"login:ip:203.0.113.7".to_string()),
        "{keys:?}"
    );
    assert!(
        keys.iter()
            .all(|k| !k.contains("1.2.3.4") && !k.contains("10.0.0.5")),
        "{keys:?}"
    );
    let victim_email = victim.email.clone();
    let remembered: Vec<String> = app.db(move |c| {
        login_addresses::table
            .inner_join(users::table)
            .filter(users::email.eq(victim_email))
            .order(login_addresses::address)
            .select(login_addresses::address)
            .load(c)
            .unwrap()
    });
    // 127.0.0.1: the registration's login came straight from the trusted peer, without a header.
    assert_eq!(remembered, ["127.0.0.1", "198.51.100.9"]);

    // https at the proxy: every cookie is Secure (the session's and the language's).
    let page = app.client().get_with(
        "/login?lang=en",
        &[
            ("X-Forwarded-For", "198.51.100.20"),
            ("X-Forwarded-Proto", "https"),
        ],
    );
    let cookies = set_cookies(&page);
    assert_eq!(cookies.len(), 2, "{cookies:?}");
    assert!(cookies.iter().all(|c| is_secure(c)), "{cookies:?}");
    // Plain http at the proxy: not Secure.
    let page = app
        .client()
        .get_with("/login?lang=en", &[("X-Forwarded-Proto", "http")]);
    assert!(set_cookies(&page).iter().all(|c| !is_secure(c)));

    // The proxy's request id is kept and returned; one with other characters is replaced.
    let page = app
        .client()
        .get_with("/", &[("X-Request-Id", "edge-7f3a.2026:11_30")]);
    assert_eq!(page.header("x-request-id"), Some("edge-7f3a.2026:11_30"));
    let page = app.client().get_with("/", &[("X-Request-Id", "a b<c>")]);
    let id = page.header("x-request-id").unwrap();
    assert!(id != "a b<c>" && id.len() == 16, "{id}");
    let long = "x".repeat(101);
    let page = app
        .client()
        .get_with("/", &[("X-Request-Id", long.as_str())]);
    assert_eq!(page.header("x-request-id").unwrap().len(), 16);
}

// ---------------------------------------------------------------------------------------------
// Anonymous visitors: no session row until login

both_backends!(anonymous_visitors_write_no_session_rows, |app: TestApp| {
    let reg = register_applicant(&app, "stala@gmina.example", "Gmina Stała");
    reg.client.submit("/account", "/logout", &[]);
    let before = session_rows(&app);
    assert_eq!(before, 0);

    // 100 visitors without a cookie, and one visitor coming back 100 times.
    for i in 0..100 {
        let path = if i % 2 == 0 { "/login" } else { "/register" };
        let page = app.client().get(path);
        assert_eq!(page.status, 200);
        assert!(page.body.contains("name=\"csrf\""));
    }
    let regular = app.client();
    for i in 0..100 {
        let path = if i % 2 == 0 { "/login" } else { "/register" };
        assert_eq!(regular.get(path).status, 200);
    }
    assert!(regular.cookie(SESSION_COOKIE).is_some());
    assert_eq!(session_rows(&app), before);

    // Their forms still work with the token of the anonymous cookie: a registration with
    // mistakes is shown again, a complete one goes through, still without a row.
    let page = regular.get("/register");
    let wrong = regular.submit_on(&page, "/register", &[("email", "nie-adres")]);
    assert_eq!(wrong.status, 422);
    assert!(wrong.has_field_error("email"));
    let ok = regular.submit_on(
        &page,
        "/register",
        &crate::support::registration("Gmina Nowa", "nowa@gmina.example", &[]),
    );
    assert!(
        ok.url.ends_with("/register/sent"),
        "{} {}",
        ok.status,
        ok.url
    );
    assert_eq!(session_rows(&app), before);

    // A wrong or a missing token is refused, and nothing is stored.
    let c = app.client();
    let page = c.get("/login");
    let forged = c.post(
        "/login",
        &[
            ("csrf", &"0".repeat(64)),
            ("email", reg.email.as_str()),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(forged.status, 403);
    forged.assert_contains(CSRF_REFUSED);
    let missing = c.post(
        "/login",
        &[("email", reg.email.as_str()), ("password", PASSWORD)],
    );
    assert_eq!(missing.status, 403);
    // Another visitor's token does not fit this visitor's cookie.
    let theirs = regular.get("/login").csrf_for("/login");
    let crossed = c.post(
        "/login",
        &[
            ("csrf", theirs.as_str()),
            ("email", reg.email.as_str()),
            ("password", PASSWORD),
        ],
    );
    assert_eq!(crossed.status, 403);
    assert_eq!(session_rows(&app), before);

    // Login with the anonymous cookie's token: exactly one row, for this user.
    let anonymous = c.clone_cookies();
    let old_token = page.csrf_for("/login");
    let done = c.submit_on(
        &page,
        "/login",
        &[("email", reg.email.as_str()), ("password", PASSWORD)],
    );
    assert!(
        done.url.ends_with("/account"),
        "{} {}",
        done.status,
        done.url
    );
    assert_eq!(session_rows(&app), before + 1);
    let owner: Option<i32> =
        app.db(|c| sessions::table.select(sessions::user_id).first(c).unwrap());
    let uid: i32 = app.db(|c| {
        users::table
            .filter(users::email.eq("stala@gmina.example"))
            .select(users::id)
            .first(c)
            .unwrap()
    });
    assert_eq!(owner, Some(uid));
    // Browsing while signed in updates that row, adds none.
    for _ in 0..5 {
        assert!(c.get("/account").url.ends_with("/account"));
    }
    assert_eq!(session_rows(&app), before + 1);

    // The anonymous cookie from before the login is not signed in, and its token no longer
    // fits the signed-in session.
    let replay = anonymous.get("/account");
    assert!(replay.url.contains("/login"), "{}", replay.url);
    let stale = c.post("/logout", &[("csrf", old_token.as_str())]);
    assert_eq!(stale.status, 403);
    assert!(c.get("/account").url.ends_with("/account"));

    // Logout deletes the row.
    let out = c.submit("/account", "/logout", &[]);
    assert!(out.url.contains("/login"), "{}", out.url);
    assert_eq!(session_rows(&app), before);
    assert!(c.get("/account").url.contains("/login"));
});

/// An IPv6 client owns at least a /64: guessing from a new address of it each time is still
/// one address to the per-address limit (30 failures), while another network is not held back.
fn ipv6_networks_count_as_one_address(backend: Backend) {
    let Some(app) = behind_proxy(backend) else {
        return;
    };
    let bystander = register_applicant(&app, "ipv6@gmina.example", "Gmina Sześć");
    let attacker = app.client();
    let mut statuses = Vec::new();
    for i in 1..=35 {
        let xff = format!("2001:db8:1:1::{i:x}");
        let r = login_with(
            &attacker,
            &format!("nikt{i}@gmina.example"),
            "zgadywane hasło",
            &[("X-Forwarded-For", xff.as_str())],
        );
        statuses.push(r.status);
    }
    assert_eq!(
        statuses.iter().filter(|s| **s == 422).count(),
        30,
        "{statuses:?}"
    );
    assert!(statuses[30..].iter().all(|s| *s == 429), "{statuses:?}");
    assert!(throttle_keys(&app).contains(&"login:ip:2001:db8:1:1::/64".to_string()));
    // Another network logs in.
    let r = login_with(
        &app.client(),
        &bystander.email,
        PASSWORD,
        &[("X-Forwarded-For", "2001:db8:1:2::1")],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.url.ends_with("/account"), "{}", r.url);
}

#[test]
fn ipv6_networks_count_as_one_address_sqlite() {
    ipv6_networks_count_as_one_address(Backend::Sqlite);
}

#[test]
fn ipv6_networks_count_as_one_address_postgres() {
    ipv6_networks_count_as_one_address(Backend::Postgres);
}
