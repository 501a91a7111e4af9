//! Abuse: login throttling under parallel requests, limits on email sent to other people's
//! addresses, and answers that do not reveal which addresses have accounts.

use std::sync::Barrier;

use crate::both_backends;
use crate::support::{
    Client, PASSWORD, Page, TestApp, organiser, register_applicant, registration,
};
use diesel::prelude::*;
use konkurs::db::schema::{institutions, outbox, tokens, users};
use konkurs::services::accounts::{
    self, ACCOUNT_LIMIT, LoginOutcome, MAIL_BY_ADDRESS, MAIL_BY_APPLICANT, MAIL_TO_ADDRESS,
    MAIL_TO_ADDRESS_BY_ORGANISER, PAIR_LIMIT,
};

const INVALID: &str = "Nieprawidłowy adres e-mail lub hasło";
const THROTTLED: &str = "Zbyt wiele nieudanych prób logowania";
const MAIL_LIMIT: &str = "Wyczerpano na razie limit wiadomości e-mail";

/// Runs `f` once per client, all released at the same moment.
fn in_parallel<T: Send>(
    clients: Vec<(Client, Page)>,
    f: impl Fn(usize, &Client, &Page) -> T + Sync,
) -> Vec<T> {
    let barrier = Barrier::new(clients.len());
    std::thread::scope(|s| {
        let handles: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(i, (c, p))| {
                let (barrier, f) = (&barrier, &f);
                s.spawn(move || {
                    barrier.wait();
                    f(i, c, p)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn count_outbox(app: &TestApp, kind: &str) -> i64 {
    let kind = kind.to_string();
    app.db(move |c| {
        outbox::table
            .filter(outbox::kind.eq(kind))
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn login_at(
    app: &TestApp,
    email: &str,
    pw: &str,
    ip: &str,
    at: chrono::NaiveDateTime,
) -> LoginOutcome {
    app.db(|c| accounts::login(c, email, pw, ip, at).unwrap())
}

fn login(app: &TestApp, email: &str, pw: &str, ip: &str) -> LoginOutcome {
    let now = app.now();
    app.db(|c| accounts::login(c, email, pw, ip, now).unwrap())
}

both_backends!(
    parallel_wrong_passwords_get_exactly_the_allowed_checks,
    |app: TestApp| {
        let reg = register_applicant(&app, "cel@gmina.example", "Gmina Celna");
        let clients: Vec<(Client, Page)> = (0..50)
            .map(|_| {
                let c = app.client();
                let p = c.get("/login");
                (c, p)
            })
            .collect();
        let results = in_parallel(clients, |_, c, p| {
            let r = c.submit_on(
                p,
                "/login",
                &[("email", &reg.email), ("password", "zupełnie złe hasło")],
            );
            (
                r.status,
                r.body.contains(INVALID),
                r.body.contains(THROTTLED),
            )
        });
        assert!(
            results.iter().all(|(s, _, _)| *s != 500),
            "no 500: {:?}",
            results.iter().map(|r| r.0).collect::<Vec<_>>()
        );
        let checked = results
            .iter()
            .filter(|(s, inv, _)| *s == 422 && *inv)
            .count();
        let throttled = results
            .iter()
            .filter(|(s, _, thr)| *s == 429 && *thr)
            .count();
        assert_eq!(checked, PAIR_LIMIT.free as usize, "{results:?}");
        assert_eq!(throttled, 50 - checked, "{results:?}");
        // The page says until when, in Warsaw time.
        let p = app.client().submit(
            "/login",
            "/login",
            &[("email", &reg.email), ("password", PASSWORD)],
        );
        assert_eq!(p.status, 429);
        p.assert_contains("Spróbuj ponownie po ");
    }
);

both_backends!(
    the_owner_logs_in_from_elsewhere_while_an_attacker_hammers,
    |app: TestApp| {
        let reg = register_applicant(&app, "wlasciciel@gmina.example", "Gmina Oblegana");
        let email = reg.email.as_str();
        // One attacking address: five checks, then refused.
        for i in 0..20 {
            let o = login(&app, email, "zgadywane hasło", "203.0.113.7");
            if i < PAIR_LIMIT.free {
                assert!(matches!(o, LoginOutcome::Invalid), "{i}: {o:?}");
            } else {
                assert!(matches!(o, LoginOutcome::Throttled(_)), "{i}: {o:?}");
            }
        }
        // The owner from an address never seen before still gets in.
        let o = login(&app, email, PASSWORD, "198.51.100.20");
        assert!(matches!(o, LoginOutcome::Ok(_)), "{o:?}");
        // Also over HTTP from the usual address.
        crate::support::login(&app.client(), email, PASSWORD);

        // Guesses spread over many addresses reach the account's own limit: a new address waits…
        let mut refused = 0;
        for i in 0..ACCOUNT_LIMIT.free {
            let ip = format!("192.0.2.{}", i + 1);
            if matches!(
                login(&app, email, "zgadywane hasło", &ip),
                LoginOutcome::Throttled(_)
            ) {
                refused += 1;
            }
        }
        assert!(refused > 0, "the account counter must have refused some");
        let o = login(&app, email, PASSWORD, "192.0.2.200");
        assert!(matches!(o, LoginOutcome::Throttled(_)), "{o:?}");
        // …but not an address the owner has logged in from.
        let o = login(&app, email, PASSWORD, "198.51.100.20");
        assert!(matches!(o, LoginOutcome::Ok(_)), "{o:?}");
        crate::support::login(&app.client(), email, PASSWORD);
        // Nor a browser that carries the owner's device cookie, from yet another address.
        let uid = crate::support::judging::id_of_user(&app, email);
        let now = app.now();
        let o = app.db(|c| {
            accounts::login_from(c, email, PASSWORD, "192.0.2.201", Some(uid), now).unwrap()
        });
        assert!(matches!(o, LoginOutcome::Ok(_)), "{o:?}");
        // A cookie naming another account does not help.
        let o = app.db(|c| {
            accounts::login_from(c, email, PASSWORD, "192.0.2.202", Some(uid + 1000), now).unwrap()
        });
        assert!(matches!(o, LoginOutcome::Throttled(_)), "{o:?}");
    }
);

both_backends!(
    a_login_remembers_the_browser_and_a_refusal_says_when_to_retry,
    |app: TestApp| {
        let reg = register_applicant(&app, "przegladarka@gmina.example", "Gmina Przeglądarek");
        let device = reg
            .client
            .cookie(konkurs::web::device::COOKIE)
            .expect("a successful login sets the device cookie");
        assert!(!device.is_empty());
        let c = app.client();
        let form = c.get("/login");
        let mut last = None;
        for _ in 0..=PAIR_LIMIT.free {
            last = Some(c.submit_on(
                &form,
                "/login",
                &[
                    ("email", reg.email.as_str()),
                    ("password", "zgadywane hasło"),
                ],
            ));
        }
        let refused = last.unwrap();
        assert_eq!(refused.status, 429);
        refused.assert_contains(THROTTLED);
        let wait: i64 = refused
            .header("retry-after")
            .expect("a Retry-After header")
            .parse()
            .unwrap();
        assert!((1..=60).contains(&wait), "{wait}");
    }
);

both_backends!(the_delay_grows_and_is_capped, |app: TestApp| {
    let reg = register_applicant(&app, "powoli@gmina.example", "Gmina Cierpliwa");
    let (email, ip) = (reg.email.as_str(), "203.0.113.9");
    let min = chrono::Duration::minutes;
    let t0 = app.now();
    for _ in 0..PAIR_LIMIT.free {
        assert!(matches!(
            login_at(&app, email, "złe hasło", ip, t0),
            LoginOutcome::Invalid
        ));
    }
    // After each further failure the wait doubles: 1, 2, 4, 8 min, then stays at 15 min.
    let mut t = t0;
    for wait in [1, 2, 4, 8, 15, 15] {
        match login_at(&app, email, "złe hasło", ip, t) {
            LoginOutcome::Throttled(until) => assert_eq!(until, t + min(wait)),
            o => panic!("expected a wait of {wait} min, got {o:?}"),
        }
        // Still refused just before, allowed (and checked) when the time comes.
        let before = t + min(wait) - chrono::Duration::seconds(1);
        assert!(matches!(
            login_at(&app, email, PASSWORD, ip, before),
            LoginOutcome::Throttled(_)
        ));
        t += min(wait);
        assert!(matches!(
            login_at(&app, email, "złe hasło", ip, t),
            LoginOutcome::Invalid
        ));
    }
    // The right password, when allowed, logs in and starts the count again.
    let t = t + min(15);
    assert!(matches!(
        login_at(&app, email, PASSWORD, ip, t),
        LoginOutcome::Ok(_)
    ));
    assert!(matches!(
        login_at(&app, email, "złe hasło", ip, t),
        LoginOutcome::Invalid
    ));
});

/// The page without the CSRF token (which differs per session).
fn without_csrf(body: &str) -> String {
    let mut out = String::new();
    let mut rest = body;
    while let Some(i) = rest.find("name=\"csrf\" value=\"") {
        let end = i + 19 + 64;
        out.push_str(&rest[..i + 19]);
        rest = &rest[end.min(rest.len())..];
    }
    out.push_str(rest);
    out
}

both_backends!(
    registering_a_known_address_looks_the_same_and_tells_its_owner,
    |app: TestApp| {
        let known = "zajety@gmina.example";
        register_applicant(&app, known, "Gmina Pierwsza");
        let mails_before = app.smtp.count_to(known);
        let c = app.client();
        let new = c.submit(
            "/register",
            "/register",
            &registration("Gmina Nowa", "nowy@gmina.example", &[]),
        );
        let dup = c.submit(
            "/register",
            "/register",
            &registration(
                "Gmina Podszyta",
                known,
                &[("name", "Wygrałeś nagrodę! Kliknij")],
            ),
        );
        assert_eq!((new.status, dup.status), (200, 200));
        assert_eq!(new.url, dup.url);
        assert_eq!(without_csrf(&new.body), without_csrf(&dup.body));
        // A fresh visitor sees the same too.
        let other = app.client().submit(
            "/register",
            "/register",
            &registration("Gmina Podszyta", known, &[]),
        );
        assert_eq!(without_csrf(&other.body), without_csrf(&new.body));

        // The owner is told, with links to log in and to reset the password.
        let notice = app.smtp.wait_for(known, mails_before);
        assert_eq!(
            notice.subject,
            "Próba rejestracji z Twoim adresem e-mail – konkurs „Samorządowy Lider Cyfryzacji”"
        );
        assert!(
            notice.text.starts_with("Dzień dobry,\r\n"),
            "{}",
            notice.text
        );
        assert!(notice.text.contains(&app.url("/login")), "{}", notice.text);
        assert!(
            notice.text.contains(&app.url("/password/forgot")),
            "{}",
            notice.text
        );
        assert!(!notice.text.contains("Wygrałeś"), "{}", notice.text);
        app.smtp.wait_for(known, mails_before + 1);
        // Nothing was created for the duplicates.
        let names: Vec<String> = app.db(|c| {
            institutions::table
                .order(institutions::id)
                .select(institutions::name)
                .load(c)
                .unwrap()
        });
        assert_eq!(names, vec!["Gmina Pierwsza", "Gmina Nowa"]);
        let n: i64 = app.db(|c| users::table.count().get_result(c).unwrap());
        assert_eq!(n, 2);
        assert_eq!(count_outbox(&app, "registered_again"), 2);
        assert_eq!(count_outbox(&app, "verify_email"), 2);

        // The address's own limit: the third message this hour was the last one.
        assert_eq!(MAIL_TO_ADDRESS.free, 3);
        let refused = app.client().submit(
            "/register",
            "/register",
            &registration("Gmina Uparta", known, &[]),
        );
        assert_eq!(refused.status, 429);
        assert!(refused.has_field_error("email"));
        refused.assert_contains(MAIL_LIMIT);
        refused.assert_contains("value=\"Gmina Uparta\"");
        assert_eq!(count_outbox(&app, "registered_again"), 2);
    }
);

both_backends!(
    parallel_registrations_from_one_address_are_limited,
    |app: TestApp| {
        let clients: Vec<(Client, Page)> = (0..60)
            .map(|_| {
                let c = app.client();
                let p = c.get("/register");
                (c, p)
            })
            .collect();
        let results = in_parallel(clients, |i, c, p| {
            let email = format!("ofiara{i}@poczta.example");
            let inst = format!("Gmina Numer {i}");
            let r = c.submit_on(p, "/register", &registration(&inst, &email, &[]));
            let kept = r.body.contains(&format!("value=\"{inst}\""));
            (
                r.status,
                r.url.ends_with("/register/sent"),
                r.body.contains(MAIL_LIMIT) && kept,
            )
        });
        assert!(results.iter().all(|r| r.0 != 500), "{results:?}");
        let sent = results.iter().filter(|r| r.0 == 200 && r.1).count();
        let refused = results.iter().filter(|r| r.0 == 429 && r.2).count();
        assert_eq!(sent, MAIL_BY_ADDRESS.free as usize, "{results:?}");
        assert_eq!(refused, 60 - sent, "{results:?}");
        let n: i64 = app.db(|c| users::table.count().get_result(c).unwrap());
        assert_eq!(n, sent as i64);
        assert_eq!(count_outbox(&app, "verify_email"), sent as i64);
        let n: i64 = app.db(|c| outbox::table.count().get_result(c).unwrap());
        assert_eq!(n, sent as i64);
        // Exactly those reach the mail server.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        while app.smtp.all().len() < sent && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        std::thread::sleep(std::time::Duration::from_millis(600));
        assert_eq!(app.smtp.all().len(), sent);
    }
);

both_backends!(
    colleague_invitations_are_limited_and_reveal_nothing,
    |app: TestApp| {
        let reg = register_applicant(&app, "zapraszajacy@gmina.example", "Gmina Zapraszająca");
        let c = &reg.client;
        let invite = |email: &str| {
            c.submit(
                "/institution/members",
                "/institution/members",
                &[("email", email)],
            )
        };
        // An existing account's address: the same answer, no email.
        register_applicant(&app, "istnieje@gmina.example", "Gmina Inna");
        let before = app.smtp.count_to("istnieje@gmina.example");
        let p = invite("istnieje@gmina.example");
        assert_eq!(p.status, 200);
        p.assert_contains("Zaproszenie zostało wysłane");
        // Per recipient: three messages an hour to one address.
        for _ in 0..MAIL_TO_ADDRESS.free {
            invite("jeden@poczta.example").assert_contains("Zaproszenie zostało wysłane");
        }
        let p = invite("jeden@poczta.example");
        assert_eq!(p.status, 429);
        assert!(p.has_field_error("email"));
        p.assert_contains(MAIL_LIMIT);
        p.assert_contains("value=\"jeden@poczta.example\"");
        // Per inviter: ten a day, whatever the addresses.
        let used = 1 + MAIL_TO_ADDRESS.free; // one to the existing address, three to "jeden@"
        for i in used..MAIL_BY_APPLICANT.free {
            let p = invite(&format!("kolega{i}@poczta.example"));
            assert_eq!(p.status, 200, "{i}");
        }
        let p = invite("ostatni@poczta.example");
        assert_eq!(p.status, 429);
        p.assert_contains(MAIL_LIMIT);
        p.assert_contains("value=\"ostatni@poczta.example\"");
        // What was sent: one message per accepted invitation to an address without an account.
        let expected = i64::from(MAIL_BY_APPLICANT.free - 1);
        assert_eq!(count_outbox(&app, "invite_member"), expected);
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        let invitations = || {
            app.smtp
                .all()
                .iter()
                .filter(|m| m.subject == "Zaproszenie do konta instytucji – konkurs „Samorządowy Lider Cyfryzacji”")
                .count() as i64
        };
        while invitations() < expected && std::time::Instant::now() < deadline {
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        std::thread::sleep(std::time::Duration::from_millis(600));
        assert_eq!(invitations(), expected);
        assert_eq!(app.smtp.count_to("istnieje@gmina.example"), before);
        assert_eq!(
            app.smtp.count_to("jeden@poczta.example"),
            MAIL_TO_ADDRESS.free as usize
        );
        assert_eq!(app.smtp.count_to("ostatni@poczta.example"), 0);
    }
);

both_backends!(jury_invitations_have_generous_limits, |app: TestApp| {
    let org_client = organiser(&app);
    let call = crate::support::open_call(&app, &org_client, "vi", chrono::Duration::days(14));
    let org: i32 = app.db(|c| {
        users::table
            .filter(users::role.eq("organiser"))
            .select(users::id)
            .first(c)
            .unwrap()
    });
    let cfg = app.state.config.clone();
    let juror = app.db(|c| {
        konkurs::services::jury::invite(
            c,
            &cfg,
            org,
            call.edition_id,
            "Wygrałeś nagrodę! Kliknij",
            "juror@uczelnia.example",
            "Uczelnia",
            konkurs::i18n::Lang::Pl,
            app.now(),
        )
        .unwrap()
    });
    for _ in 1..MAIL_TO_ADDRESS_BY_ORGANISER.free {
        app.db(|c| {
            konkurs::services::jury::reinvite(c, &cfg, org, call.edition_id, juror, app.now())
                .unwrap();
        });
    }
    let refused = app
        .db(|c| konkurs::services::jury::reinvite(c, &cfg, org, call.edition_id, juror, app.now()));
    assert!(
        matches!(
            refused,
            Err(konkurs::services::jury::JuryError::Throttled(_))
        ),
        "{refused:?}"
    );
    assert_eq!(
        count_outbox(&app, "invite_juror"),
        i64::from(MAIL_TO_ADDRESS_BY_ORGANISER.free)
    );
    // No chosen name in the greeting or the header.
    let mail = app.smtp.wait_nth("juror@uczelnia.example", 1);
    assert!(mail.text.starts_with("Dzień dobry,\r\n"), "{}", mail.text);
    assert!(!mail.raw.contains("Kliknij"), "{}", mail.raw);
});

both_backends!(
    password_reset_does_the_same_work_for_unknown_addresses,
    |app: TestApp| {
        register_applicant(&app, "znany@gmina.example", "Gmina Znana");
        let count = |app: &TestApp| -> (i64, i64) {
            app.db(|c| {
                (
                    tokens::table.count().get_result(c).unwrap(),
                    outbox::table.count().get_result(c).unwrap(),
                )
            })
        };
        let start = count(&app);
        let c = app.client();
        let known = c.submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "znany@gmina.example")],
        );
        let after_known = count(&app);
        assert_eq!(after_known, (start.0 + 1, start.1 + 1));
        let unknown = c.submit(
            "/password/forgot",
            "/password/forgot",
            &[("email", "nieznany@gmina.example")],
        );
        // The inserts for the unknown address were rolled back, the limit counted the same.
        assert_eq!(count(&app), after_known);
        assert_eq!(known.status, unknown.status);
        assert_eq!(without_csrf(&known.body), without_csrf(&unknown.body));
        let hits = |key: &str| {
            let key = key.to_string();
            app.db(move |c| konkurs::db::throttle::state(c, &key).unwrap().map(|s| s.0))
        };
        assert_eq!(hits("mail:to:znany@gmina.example"), Some(2));
        assert_eq!(hits("mail:to:nieznany@gmina.example"), Some(1));
    }
);

both_backends!(
    a_password_reset_clears_the_login_counters,
    |app: TestApp| {
        let reg = register_applicant(&app, "jan_kowalski@gmina.example", "Gmina Zapominalska");
        let (email, ip) = (reg.email.as_str(), "203.0.113.50");
        // Another account whose address matches the LIKE pattern if `_` were not escaped.
        let lookalike = "janXkowalski@gmina.example";
        for _ in 0..PAIR_LIMIT.free {
            login(&app, email, "stare hasło?", ip);
            login(&app, lookalike, "cokolwiek", ip);
        }
        assert!(matches!(
            login(&app, email, PASSWORD, ip),
            LoginOutcome::Throttled(_)
        ));
        let c = app.client();
        let before = app.smtp.count_to(email);
        c.submit("/password/forgot", "/password/forgot", &[("email", email)]);
        let link = app
            .smtp
            .wait_for(email, before)
            .link(&app.url("/password/reset?token="));
        let new_pw = "nowe hasło po resecie";
        let set = c.submit(
            &link,
            "/password/reset",
            &[("password", new_pw), ("password_confirm", new_pw)],
        );
        assert!(set.url.contains("/login"), "{}", set.url);
        assert!(matches!(
            login(&app, email, new_pw, ip),
            LoginOutcome::Ok(_)
        ));
        // Only this account's counters were cleared.
        assert!(matches!(
            login(&app, lookalike, "cokolwiek", ip),
            LoginOutcome::Throttled(_)
        ));
    }
);
