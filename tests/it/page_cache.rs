//! Public pages kept in memory for anonymous visitors: validators and 304, compressed copies,
//! never a signed-in visitor's page, and a change shown at once on this instance and soon on
//! another one over the same database.

use std::io::Read;
use std::time::{Duration, Instant};

use crate::both_backends;
use crate::support::{Client, TestApp, open_call, organiser, warsaw};

/// The raw body of `path` taken with `Accept-Encoding: coding`, its `Content-Encoding` and `ETag`.
fn raw(c: &Client, path: &str, coding: &str) -> (Vec<u8>, Option<String>, Option<String>) {
    let res = c
        .agent
        .get(c.abs(path))
        .header("Accept-Encoding", coding)
        .call()
        .unwrap();
    let header = |name: &str| {
        res.headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_string())
    };
    let (enc, tag) = (header("content-encoding"), header("etag"));
    let body = res.into_body().read_to_vec().unwrap();
    (body, enc, tag)
}

/// Renames the edition through the organisers' form, every other field as it was.
fn rename(app: &TestApp, org: &Client, edition: i32, name: &str) {
    let e = app.db(|c| konkurs::db::editions::find(c, edition).unwrap().unwrap());
    let path = format!("/admin/editions/{edition}");
    let (opens, closes, judging) = (
        warsaw(e.opens_at),
        warsaw(e.closes_at),
        warsaw(e.judging_deadline),
    );
    let year = e.year.to_string();
    let per = e.entries_per_category.to_string();
    let saved = org.submit(
        &path,
        &path,
        &[
            ("name", name),
            ("name_en", &e.name_en),
            ("year", &year),
            ("slug", &e.slug),
            ("opens_at", &opens),
            ("closes_at", &closes),
            ("judging_deadline", &judging),
            ("entries_per_category", &per),
            ("rules", &e.rules),
            ("rules_en", &e.rules_en),
        ],
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    saved.assert_contains(name);
}

both_backends!(
    public_pages_are_kept_with_validators_and_compressed_copies,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "edycja-pamiec", chrono::Duration::days(10));
        let path = "/editions/edycja-pamiec";
        let c = app.client();
        let first = c.get(path);
        assert_eq!(first.status, 200);
        first.assert_contains("VI edycja");
        let etag = first.header("etag").expect("an ETag").to_string();
        assert!(first.header("last-modified").is_some());
        assert_eq!(first.header("cache-control"), Some("no-cache"));
        assert!(first.header("vary").unwrap().contains("Accept-Encoding"));
        // The security headers are on a kept page too.
        assert!(first.header("content-security-policy").is_some());
        let second = c.get(path);
        assert_eq!(second.body, first.body);
        assert_eq!(second.header("etag"), Some(etag.as_str()));
        // Nothing of anybody's session is in a page kept for everybody.
        assert!(!first.body.contains("name=\"csrf\""));
        assert!(c.cookie(konkurs::startup::SESSION_COOKIE).is_none());

        // The browser's copy is current: 304 without a body.
        let unchanged = c.get_with(path, &[("If-None-Match", &etag)]);
        assert_eq!(unchanged.status, 304);
        assert!(unchanged.body.is_empty());
        assert_eq!(unchanged.header("etag"), Some(etag.as_str()));
        let since = first.header("last-modified").unwrap().to_string();
        assert_eq!(
            c.get_with(path, &[("If-Modified-Since", &since)]).status,
            304
        );
        assert_eq!(
            c.get_with(path, &[("If-None-Match", "W/\"inny\"")]).status,
            200
        );

        // Compressed in advance: brotli and gzip decode to the same page.
        let (br, enc, _) = raw(&c, path, "gzip, deflate, br");
        assert_eq!(enc.as_deref(), Some("br"));
        let mut text = String::new();
        brotli::Decompressor::new(&br[..], 4096)
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, first.body);
        let (gz, enc, _) = raw(&c, path, "gzip");
        assert_eq!(enc.as_deref(), Some("gzip"));
        let mut text = String::new();
        flate2::read::GzDecoder::new(&gz[..])
            .read_to_string(&mut text)
            .unwrap();
        assert_eq!(text, first.body);

        // English is kept apart from Polish.
        let en = app.client();
        assert_eq!(en.get("/?lang=en").status, 200);
        let en_page = en.get(path);
        en_page.assert_contains("6th edition");
        assert_ne!(en_page.header("etag"), Some(etag.as_str()));
        c.get(path).assert_contains("VI edycja");

        // A signed-in organiser gets their own page, not the one kept for visitors.
        org.get(path).assert_contains("name=\"csrf\"");

        // The organiser's change shows at once, with a new tag.
        rename(&app, &org, call.edition_id, "VI edycja (zmieniona)");
        // A browser's request (compression accepted) renders the new page and keeps it.
        let (_, enc, tag) = raw(&c, path, "gzip, deflate, br, zstd");
        assert_eq!(enc.as_deref(), Some("br"));
        assert!(tag.is_some());
        let changed = c.get(path);
        assert_eq!(changed.header("etag"), tag.as_deref());
        changed.assert_contains("VI edycja (zmieniona)");
        assert_ne!(changed.header("etag"), Some(etag.as_str()));
        assert_eq!(c.get_with(path, &[("If-None-Match", &etag)]).status, 200);
        c.get("/").assert_contains("VI edycja (zmieniona)");
    }
);

both_backends!(
    a_kept_page_that_tells_the_time_expires_with_it,
    |app: TestApp| {
        let org = organiser(&app);
        open_call(&app, &org, "edycja-czas", chrono::Duration::hours(2));
        let c = app.client();
        let path = "/editions/edycja-czas";
        let open = c.get(path);
        open.assert_contains(" min)");
        assert_eq!(c.get(path).body, open.body);
        // A minute later the time left reads differently; after the deadline the call is closed.
        app.advance(chrono::Duration::seconds(61));
        let later = c.get(path);
        later.assert_contains(" min)");
        assert_ne!(later.body, open.body);
        app.advance(chrono::Duration::hours(2));
        c.get(path).assert_not_contains(" min)");
    }
);

both_backends!(
    a_change_through_one_instance_reaches_the_pages_another_keeps,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "edycja-dwie", chrono::Duration::days(10));
        let other = app.second_instance();
        let visitor = other.client();
        let path = "/editions/edycja-dwie";
        let before = visitor.get(path);
        before.assert_contains("VI edycja");
        assert_eq!(visitor.get(path).header("etag"), before.header("etag"));
        rename(&app, &org, call.edition_id, "VI edycja – nowa nazwa");
        // The other instance reads the version every second.
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let page = visitor.get(path);
            if page.body.contains("VI edycja – nowa nazwa") {
                assert_ne!(page.header("etag"), before.header("etag"));
                break;
            }
            assert!(
                Instant::now() < deadline,
                "the other instance still shows the old page"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        drop(other);
    }
);

both_backends!(
    a_first_visit_to_a_page_not_kept_is_compressed_too,
    |app: TestApp| {
        // The login form sets the visitor's session (its CSRF token): never kept, and before
        // this a first visit got it uncompressed whatever the browser took.
        let (zipped, enc, _) = raw(&app.client(), "/login", "gzip, deflate, br, zstd");
        assert_eq!(enc.as_deref(), Some("gzip"));
        let mut page = String::new();
        flate2::read::GzDecoder::new(&zipped[..])
            .read_to_string(&mut page)
            .expect("a whole gzip stream");
        assert!(
            page.contains("<h1") && page.contains("name=\"csrf\""),
            "{page}"
        );
        let (plain, enc, _) = raw(&app.client(), "/login", "identity");
        assert_eq!(enc, None);
        assert!(
            String::from_utf8(plain)
                .unwrap()
                .contains("name=\"password\"")
        );
        // A client that takes only brotli is not sent gzip.
        let (_, enc, _) = raw(&app.client(), "/login", "br");
        assert_ne!(enc.as_deref(), Some("gzip"));
        // A client that refuses everything but gzip, or only `identity`, gets its page (not a 406).
        for coding in ["identity;q=0", "*;q=0", "gzip;q=0, identity;q=0"] {
            let c = app.client();
            let res = c
                .agent
                .get(c.abs("/login?lang=pl"))
                .header("Accept-Encoding", coding)
                .call()
                .unwrap();
            assert_eq!(res.status(), 200, "{coding}");
        }
        // The style sheet compressed: its tag turns weak, and still validates.
        let c = app.client();
        let css = c
            .agent
            .get(c.abs("/assets/style.css"))
            .header("Accept-Encoding", "gzip, deflate, br, zstd")
            .call()
            .unwrap();
        assert_eq!(css.headers().get("content-encoding").unwrap(), "gzip");
        let tag = css
            .headers()
            .get("etag")
            .unwrap()
            .to_str()
            .unwrap()
            .to_string();
        assert!(tag.starts_with("W/\""), "{tag}");
        let again = c
            .agent
            .get(c.abs("/assets/style.css"))
            .header("Accept-Encoding", "gzip")
            .header("If-None-Match", &tag)
            .call()
            .unwrap();
        assert_eq!(again.status(), 304);
    }
);
