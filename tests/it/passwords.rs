//! The password-hashing pool under a burst of logins: logins queue for it holding no database
//! connection, the server keeps answering meanwhile, and no more hashes run at once than it has
//! permits. The queue is made by holding every permit, so nothing depends on timing.

use std::time::{Duration, Instant};

use crate::both_backends;
use crate::support::{PASSWORD, TestApp, login};
use konkurs::domain::password;
use konkurs::services::accounts;

/// More logins than the database pool has connections (16): if a queued login held one, the
/// login page (which writes its session) could not be served while they wait.
const LOGINS: usize = 20;

fn wait_for(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(10));
    }
}

both_backends!(
    queued_logins_hold_no_connection_and_the_server_answers,
    |app: TestApp| {
        let hash = password::hash(PASSWORD);
        let now = app.now();
        let emails: Vec<String> = (0..LOGINS)
            .map(|i| format!("burst{i}@mazovia.example"))
            .collect();
        for email in &emails {
            app.db(|c| accounts::create_organiser(c, email, "Burst", &hash, now).unwrap());
        }
        let pool = &app.state.passwords;
        let hold = pool.try_hold_all().expect("no hashing under way");

        std::thread::scope(|s| {
            let logins: Vec<_> = emails
                .iter()
                .map(|email| {
                    let c = app.client();
                    s.spawn(move || login(&c, email, PASSWORD).url)
                })
                .collect();
            wait_for("every login to queue for the pool", || {
                pool.waiting() == LOGINS
            });

            // Queued, the logins hold neither a hash nor a connection: the probe and a page
            // that needs the database answer.
            let c = app.client();
            for _ in 0..5 {
                assert_eq!(c.get("/healthz").status, 200);
            }
            let page = c.get("/login");
            assert_eq!(page.status, 200);
            page.assert_contains("name=\"csrf\"");
            assert_eq!(pool.running(), 0);
            assert!(logins.iter().all(|l| !l.is_finished()));

            drop(hold);
            for l in logins {
                assert!(l.join().unwrap().ends_with("/account"));
            }
        });
        assert_eq!(pool.waiting(), 0);
        assert!(
            (1..=pool.size()).contains(&pool.most_at_once()),
            "{} hashes ran at once with {} permits",
            pool.most_at_once(),
            pool.size()
        );
    }
);

both_backends!(each_login_costs_one_check_known_or_not, |app: TestApp| {
    let hash = password::hash(PASSWORD);
    let now = app.now();
    app.db(|c| accounts::create_organiser(c, "olga@mazovia.example", "Olga", &hash, now).unwrap());
    let c = app.client();
    let checks = || app.state.passwords.done();
    let before = checks();
    let page = c.submit(
        "/login",
        "/login",
        &[
            ("email", "olga@mazovia.example"),
            ("password", "not the password at all"),
        ],
    );
    assert_eq!(page.status, 422);
    page.assert_contains("Nieprawidłowy adres e-mail lub hasło");
    assert_eq!(checks(), before + 1);
    // An unknown address costs a check all the same (against the dummy hash).
    let page = c.submit(
        "/login",
        "/login",
        &[("email", "nobody@mazovia.example"), ("password", PASSWORD)],
    );
    assert_eq!(page.status, 422);
    page.assert_contains("Nieprawidłowy adres e-mail lub hasło");
    assert_eq!(checks(), before + 2);
    login(&c, "olga@mazovia.example", PASSWORD);
    assert_eq!(checks(), before + 3);
});
