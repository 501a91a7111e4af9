//! `konkurs demo`: the model edition loaded into an empty database, consistent and served.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use konkurs::db::schema::{editions, entries, institutions};

use crate::both_backends;
use crate::support::{Client, TestApp, login};

both_backends!(the_model_edition_loads_consistently, |app: TestApp| {
    let cfg = app.state.config.clone();
    let loaded = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads into an empty database");
    let n_inst: i64 = app.db(|c| institutions::table.count().get_result(c).unwrap());
    assert_eq!(n_inst, 13);
    let n_entries: i64 = app.db(|c| entries::table.count().get_result(c).unwrap());
    assert_eq!(n_entries, konkurs::demo::ENTRIES.len() as i64);

    // The ranking the scores give matches the awards, in every category.
    let e = app.db(|c| {
        konkurs::db::editions::find_by_slug(c, &loaded.slug)
            .unwrap()
            .unwrap()
    });
    let ranking = app.db(|c| konkurs::services::results::ranking(c, &e).unwrap());
    let awarded = app.db(|c| konkurs::db::awards::of_edition(c, e.id).unwrap());
    let award_of = |id: i32| awarded.iter().find(|a| a.entry_id == id).map(|a| a.award);
    for cat in ranking
        .iter()
        .map(|r| r.category_id)
        .collect::<std::collections::BTreeSet<_>>()
    {
        let rows: Vec<_> = ranking.iter().filter(|r| r.category_id == cat).collect();
        let orders: Vec<u8> = rows
            .iter()
            .map(|r| {
                award_of(r.entry_id)
                    .map(konkurs::domain::awards::Award::order)
                    .unwrap_or(9)
            })
            .collect();
        let mut sorted = orders.clone();
        sorted.sort();
        assert_eq!(
            orders, sorted,
            "ranking of category {cat} follows the awards"
        );
        assert!(rows.iter().all(|r| r.count >= 4), "every entry is scored");
    }

    // Served: the results page lists the laureates of the press release.
    let page = app.client().get("/editions/vi-edycja/results");
    assert_eq!(page.status, 200);
    for (_, inst, _, _, _, project, award) in konkurs::demo::ENTRIES {
        if award.is_some() {
            page.assert_contains(&crate::support::client::escape(inst));
            if !project.is_empty() {
                page.assert_contains(&crate::support::client::escape(project));
            }
        }
    }
    // The home page shows the edition; the accounts work with the printed password.
    app.client().get("/").assert_contains("VI edycja");
    let org = app.client();
    login(&org, "organizator@mazovia.demo.example", &loaded.password);
    org.get(&format!("/admin/editions/{}/protocol", e.id))
        .assert_contains("Data zatwierdzenia protokołu");
    let juror = app.client();
    let p = juror.submit(
        "/login",
        "/login",
        &[
            ("email", konkurs::demo::JURORS[0].2),
            ("password", &loaded.password),
        ],
    );
    assert!(p.url.ends_with("/jury"), "{}", p.url);

    // A second load is refused and changes nothing.
    let again = app.db(|c| konkurs::demo::load(c, &cfg));
    assert!(again.err().unwrap().contains("already holds data"));
    let n_eds: i64 = app.db(|c| editions::table.count().get_result(c).unwrap());
    assert_eq!(n_eds, 1);
});

#[test]
fn konkurs_demo_prints_its_accounts_serves_and_refuses_a_used_database() {
    let dir = std::env::temp_dir().join(format!(
        "konkurs-demo-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(env!("CARGO_BIN_EXE_konkurs"))
        .args(["demo", "--bind", &format!("127.0.0.1:{port}"), "--data-dir"])
        .arg(&dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut lines = Vec::new();
    while ureq::get(format!("{base}/healthz")).call().is_err() {
        while let Ok(l) = rx.try_recv() {
            lines.push(l);
        }
        assert!(
            Instant::now() < deadline,
            "konkurs demo did not start: {lines:?}"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_millis(300));
    while let Ok(l) = rx.try_recv() {
        lines.push(l);
    }
    let text = lines.join("\n");
    let password = text
        .split("with the password ")
        .nth(1)
        .and_then(|s| s.split(')').next())
        .unwrap_or_else(|| panic!("no password in: {text}"))
        .to_string();
    assert!(text.contains("organizator@mazovia.demo.example"), "{text}");
    assert!(text.contains("juror"), "{text}");
    let c = Client::new(&base);
    login(&c, "organizator@mazovia.demo.example", &password);
    assert_eq!(c.get("/editions/vi-edycja/results").status, 200);
    let _ = child.kill();
    let _ = child.wait();

    let out = Command::new(env!("CARGO_BIN_EXE_konkurs"))
        .args(["demo", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(&dir)
        .env_remove("DATABASE_URL")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("already holds data"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    std::fs::remove_dir_all(&dir).ok();
}
