//! Signed-in lists kept rendered per user (`web::personal_cache`): a kept page is served until
//! any write request on any instance, only to its own user, with the reader's own CSRF token,
//! and never with a one-time message.

use diesel::prelude::*;
use konkurs::db::schema::{entries, institutions};

use crate::both_backends;
use crate::support::judging::{assign_category, closed_with_entries, id_of_user, juror};
use crate::support::{Client, PASSWORD, TestApp, login};

/// Renames an entry behind the portal's back: nothing raises the version.
fn rename_in_database(app: &TestApp, from: &str, to: &str) {
    let n = app.db(|c| {
        diesel::update(entries::table.filter(entries::title.eq(from)))
            .set(entries::title.eq(to))
            .execute(c)
            .unwrap()
    });
    assert_eq!(n, 1);
}

both_backends!(
    signed_in_lists_are_kept_per_user_until_a_write_on_any_instance,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "j1@jury.example");
        let j2 = juror(&app, org, ed, "Juror Drugi", "j2@jury.example");
        let (id1, id2) = (
            id_of_user(&app, "j1@jury.example"),
            id_of_user(&app, "j2@jury.example"),
        );
        assign_category(org, ed, id1, j.categories[0]);
        assign_category(org, ed, id2, j.categories[1]);
        let token = org.get("/account").csrf_for("/logout");
        let started = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        assert_eq!(started.status, 200, "{}", started.body);
        for jc in [&j1, &j2] {
            // The one-time message is on the page after the form, and only there.
            jc.submit(
                "/jury",
                &format!("/jury/editions/{ed}/declaration"),
                &[("accept", "yes")],
            )
            .assert_contains("Deklaracja została złożona");
            jc.get("/jury")
                .assert_not_contains("Deklaracja została złożona");
        }

        // Kept: a change nothing announced is not seen, on each of the three lists…
        let lists = [
            "/jury".to_string(),
            format!("/admin/editions/{ed}/entries"),
            format!("/admin/editions/{ed}/ranking"),
        ];
        j1.get(&lists[0]).assert_contains(">Portal map A<");
        org.get(&lists[1]).assert_contains(">Portal map A<");
        org.get(&lists[2]).assert_contains("Portal map A");
        rename_in_database(&app, "Portal map A", "Portal map A — nowy tytuł");
        j1.get(&lists[0]).assert_contains(">Portal map A<");
        org.get(&lists[1]).assert_contains(">Portal map A<");
        org.get(&lists[2]).assert_not_contains("nowy tytuł");
        // A hard reload renders the page anew.
        let reload = j1
            .agent
            .get(j1.abs(&lists[0]))
            .header("Cache-Control", "no-cache")
            .call()
            .unwrap()
            .into_body()
            .read_to_string()
            .unwrap();
        assert!(reload.contains("Portal map A — nowy tytuł"));
        rename_in_database(&app, "Portal map A — nowy tytuł", "Portal map A");
        j1.get(&lists[0])
            .assert_contains("Portal map A — nowy tytuł");
        rename_in_database(&app, "Portal map A", "Portal map A — nowy tytuł");
        // …and each user has their own: the second juror's list is of the other category.
        let other_list = j2.get("/jury");
        other_list.assert_contains("E-usługi D");
        other_list.assert_not_contains("Portal map A");

        // A write on another instance over the same database: every list is rendered anew.
        let other = app.second_instance();
        let org2 = other.client();
        login(&org2, "olga@mazovia.example", PASSWORD);
        let b = crate::support::judging::entry_of(&app, "Geoportal B");
        let juror_page = format!("/admin/editions/{ed}/jury/{id1}");
        org2.submit(
            &juror_page,
            &format!("/admin/editions/{ed}/jury/{id1}/assignment"),
            &[("entry_id", &b.to_string()), ("assign", "0")],
        );
        let now = j1.get(&lists[0]);
        now.assert_contains("Portal map A — nowy tytuł");
        now.assert_not_contains(">Geoportal B<");
        org.get(&lists[1])
            .assert_contains("Portal map A — nowy tytuł");
        org.get(&lists[2])
            .assert_contains("Portal map A — nowy tytuł");

        // Another session of the same juror gets the page with its own CSRF token, and its form
        // works with it.
        let j1b = app.client();
        let signed_in = j1b.submit(
            "/login",
            "/login",
            &[("email", "j1@jury.example"), ("password", PASSWORD)],
        );
        assert!(signed_in.url.ends_with("/jury"), "{}", signed_in.url);
        let conflicts = format!("/jury/editions/{ed}/conflicts");
        let (first, second) = (j1.get("/jury"), j1b.get("/jury"));
        assert_ne!(first.csrf_for(&conflicts), second.csrf_for(&conflicts));
        assert_eq!(
            first.body.replace(&first.csrf_for(&conflicts), ""),
            second.body.replace(&second.csrf_for(&conflicts), ""),
            "the same page apart from the token"
        );
        let inst: i32 = app.db(|c| {
            institutions::table
                .filter(institutions::name.eq("Gmina C"))
                .select(institutions::id)
                .first(c)
                .unwrap()
        });
        j1b.submit(
            "/jury",
            &conflicts,
            &[("institution_id", &inst.to_string()), ("reason", "")],
        )
        .assert_contains("Konflikt interesów został zapisany");
        // The first session's token still works too.
        let again = j1.get("/jury");
        assert_eq!(again.csrf_for(&conflicts), first.csrf_for(&conflicts));
        drop(org2);
        drop(other);
    }
);

/// `path` as a browser asks for it: the raw body decoded, its `Content-Encoding` and `Vary`.
fn as_browser(c: &Client, path: &str) -> (String, Option<String>, String) {
    let res = c
        .agent
        .get(c.abs(path))
        .header("Accept-Encoding", "gzip, deflate, br, zstd")
        .call()
        .unwrap();
    assert_eq!(res.status(), 200, "{path}");
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (enc, vary) = (
        header("content-encoding"),
        header("vary").unwrap_or_default(),
    );
    let raw = res.into_body().read_to_vec().unwrap();
    let body = match enc.as_deref() {
        Some("gzip") => {
            let mut out = String::new();
            std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(&raw[..]), &mut out)
                .expect("a whole gzip stream");
            out
        }
        None => String::from_utf8(raw).unwrap(),
        Some(other) => panic!("{path}: unexpected encoding {other}"),
    };
    (body, enc, vary)
}

both_backends!(
    kept_lists_go_to_browsers_gzipped_with_each_readers_token,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        let ranking = format!("/admin/editions/{ed}/ranking");
        let entries = format!("/admin/editions/{ed}/entries");
        // A second session of the same organiser.
        let org_b = app.client();
        login(&org_b, "olga@mazovia.example", PASSWORD);
        for path in [&entries, &ranking] {
            // Rendered (kept) for the first reader, then served from memory: both gzip, both
            // the page the same session gets without compression.
            for _ in 0..2 {
                let (body, enc, vary) = as_browser(org, path);
                assert_eq!(enc.as_deref(), Some("gzip"), "{path}");
                assert!(vary.contains("Accept-Encoding"), "{path}: {vary}");
                assert_eq!(body, org.get(path).body, "{path}: gzip and plain differ");
            }
            // The other session: its own token inside the compressed page, and it works.
            let (body_b, enc_b, _) = as_browser(&org_b, path);
            assert_eq!(enc_b.as_deref(), Some("gzip"));
            let plain_b = org_b.get(path);
            assert_eq!(body_b, plain_b.body);
            let (mine, theirs) = (
                plain_b.csrf_for("/logout"),
                org.get(path).csrf_for("/logout"),
            );
            assert_ne!(mine, theirs);
            assert!(body_b.contains(&mine) && !body_b.contains(&theirs));
        }
        // A page compressed on the way out is gzip for a browser too, not brotli.
        let (account, enc, _) = as_browser(org, "/account");
        assert_eq!(enc.as_deref(), Some("gzip"));
        assert!(account.contains("<h1"));
    }
);
