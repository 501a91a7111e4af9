//! Attachments in S3-compatible storage (a real moto server, see `support/s3.rs`): stored by
//! one instance, served by another, streamed, and a file lost from the bucket reported as an
//! error. The directory backend is covered by `entries::`.

use std::process::Command;

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{attachments, entries};

use crate::support::s3::{ACCESS_KEY, S3Bucket, SECRET_KEY};
use crate::support::{
    Backend, Client, PASSWORD, PDF, TestApp, entry_form, login, open_call, organiser, pairs,
    register_applicant,
};

/// Runs a test on both database backends with attachments in a fresh bucket.
macro_rules! s3_both_backends {
    ($name:ident, $body:expr) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            #[test]
            fn sqlite() {
                let f: fn(TestApp) = $body;
                if let Some(app) = TestApp::spawn_s3(Backend::Sqlite) {
                    f(app)
                }
            }
            #[test]
            fn postgres() {
                let f: fn(TestApp) = $body;
                if let Some(app) = TestApp::spawn_s3(Backend::Postgres) {
                    f(app)
                }
            }
        }
    };
}

fn bucket(app: &TestApp) -> &S3Bucket {
    app.s3.as_ref().expect("an S3 app")
}

/// Files left in the local upload directory and its temporary folder.
fn local_files(app: &TestApp) -> usize {
    let count = |d: std::path::PathBuf| {
        std::fs::read_dir(d)
            .map(|d| d.flatten().filter(|e| e.path().is_file()).count())
            .unwrap_or(0)
    };
    count(app.dir.join("uploads")) + count(app.dir.join("uploads/tmp"))
}

/// An applicant with a draft entry: (client, email, entry id).
pub(crate) fn draft(app: &TestApp, email: &str) -> (Client, i32) {
    let org = organiser(app);
    let call = open_call(app, &org, "s3", Duration::days(14));
    let reg = register_applicant(app, email, "Gmina Chmurowa");
    let saved = reg.client.submit(
        "/entries/new",
        "/entries/new",
        &pairs(&entry_form(
            call.categories[0],
            "Archiwum w chmurze",
            &[("action", "save")],
        )),
    );
    assert_eq!(saved.status, 200, "{}", saved.body);
    let id = app.db(|c| {
        entries::table
            .select(entries::id)
            .order(entries::id.desc())
            .first(c)
            .unwrap()
    });
    (reg.client, id)
}

fn attachment(app: &TestApp) -> (i32, String) {
    app.db(|c| {
        attachments::table
            .order(attachments::id.desc())
            .select((attachments::id, attachments::stored_name))
            .first(c)
            .unwrap()
    })
}

/// GETs `path` and returns the status, headers and the raw body.
fn download(c: &Client, path: &str) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let mut res = c.agent.get(c.abs(path)).call().expect("download");
    let headers = res
        .headers()
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_str().unwrap_or("").to_string()))
        .collect();
    let body = res
        .body_mut()
        .with_config()
        .limit(50 << 20)
        .read_to_vec()
        .unwrap();
    (res.status().as_u16(), headers, body)
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

s3_both_backends!(
    an_upload_lands_in_the_bucket_and_another_instance_serves_it,
    |app: TestApp| {
        let (c, id) = draft(&app, "chmura@gmina.example");
        let up = c.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            "Opis wdrożenia.pdf",
            PDF,
        );
        assert_eq!(up.status, 200, "{}", up.body);
        up.assert_contains("Załącznik został dodany");
        let (aid, stored) = attachment(&app);
        // In the bucket under its stored name, byte for byte; nothing kept on local disk.
        assert_eq!(bucket(&app).keys(), vec![stored.clone()]);
        assert_eq!(bucket(&app).get(&stored), PDF);
        assert_eq!(local_files(&app), 0);

        let path = format!("/entries/{id}/attachments/{aid}");
        let (status, first_headers, body) = download(&c, &path);
        assert_eq!(status, 200);
        assert_eq!(body, PDF);

        // A second instance with its own (empty) data directory, on the same database and
        // bucket, serves the same file with the same headers.
        let second = app.second_instance();
        let c2 = second.client();
        login(&c2, "chmura@gmina.example", PASSWORD);
        let (status, headers, body) = download(&c2, &path);
        assert_eq!(status, 200);
        assert_eq!(body, PDF);
        for h in [
            "content-type",
            "content-length",
            "content-disposition",
            "cache-control",
        ] {
            assert_eq!(header(&headers, h), header(&first_headers, h), "{h}");
        }
        assert_eq!(header(&headers, "content-type"), Some("application/pdf"));
        assert_eq!(
            header(&headers, "content-length"),
            Some(PDF.len().to_string().as_str())
        );
        let disposition = header(&headers, "content-disposition").unwrap();
        assert!(
            disposition.starts_with("attachment;")
                && disposition.contains("filename*=UTF-8''Opis%20wdro%C5%BCenia.pdf"),
            "{disposition}"
        );
        assert_eq!(header(&headers, "cache-control"), Some("private, no-store"));

        // Removing it through the second instance deletes the object.
        c2.submit(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments/{aid}/delete"),
            &[],
        )
        .assert_contains("Załącznik został usunięty");
        assert!(bucket(&app).keys().is_empty());
        drop(second);
    }
);

s3_both_backends!(
    a_file_lost_from_the_bucket_is_an_error_page_not_a_404,
    |app: TestApp| {
        let (c, id) = draft(&app, "zguba@gmina.example");
        let up = c.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            "wniosek.pdf",
            PDF,
        );
        assert_eq!(up.status, 200, "{}", up.body);
        let (aid, stored) = attachment(&app);
        bucket(&app).delete(&stored);
        let page = c.get(&format!("/entries/{id}/attachments/{aid}"));
        assert_eq!(page.status, 500);
        page.assert_contains("Przepraszamy, coś poszło nie tak");
        // The full page in the layout, still signed in.
        page.assert_contains("Wyloguj");
        page.assert_not_contains("%PDF");
    }
);

s3_both_backends!(a_large_attachment_is_streamed_whole, |app: TestApp| {
    let (c, id) = draft(&app, "duzy@gmina.example");
    let mut big = PDF.to_vec();
    big.extend(
        b"abcdefghijklmnopqrstuvwxyz"
            .iter()
            .cycle()
            .take(9 * 1024 * 1024 - PDF.len()),
    );
    let up = c.upload(
        &format!("/entries/{id}/edit"),
        &format!("/entries/{id}/attachments"),
        "duzy.pdf",
        &big,
    );
    assert_eq!(up.status, 200, "{}", up.body);
    let (aid, stored) = attachment(&app);
    assert_eq!(bucket(&app).get(&stored).len(), big.len());
    let (status, headers, body) = download(&c, &format!("/entries/{id}/attachments/{aid}"));
    assert_eq!(status, 200);
    assert_eq!(
        header(&headers, "content-length"),
        Some(big.len().to_string().as_str())
    );
    assert!(header(&headers, "transfer-encoding").is_none());
    assert!(body == big, "the downloaded bytes differ");
});

s3_both_backends!(
    refused_uploads_leave_nothing_in_the_bucket,
    |app: TestApp| {
        let (c, id) = draft(&app, "odmowa@gmina.example");
        let edit = format!("/entries/{id}/edit");
        let action = format!("/entries/{id}/attachments");
        let fake = c.upload(&edit, &action, "raport.pdf", b"MZ\x90\x00 not a pdf");
        assert_eq!(fake.status, 422);
        let mut big = PDF.to_vec();
        big.resize(10 * 1024 * 1024 + 1, b'x');
        let large = c.upload(&edit, &action, "duzy.pdf", &big);
        assert_eq!(large.status, 422);
        large.assert_contains("Plik jest za duży");
        let forged = c.upload_with(&action, "0000", "g.pdf", PDF);
        assert_eq!(forged.status, 403);
        assert!(bucket(&app).keys().is_empty());
        assert_eq!(local_files(&app), 0);
        let n: i64 = app.db(|c| attachments::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);
    }
);

#[test]
fn export_and_import_move_every_object_between_bucket_and_directory() {
    let Some(app) = TestApp::spawn_s3(Backend::Sqlite) else {
        return;
    };
    let (c, id) = draft(&app, "kopia@gmina.example");
    for name in ["a.pdf", "b.pdf"] {
        let up = c.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            name,
            PDF,
        );
        assert_eq!(up.status, 200, "{}", up.body);
    }
    let keys = bucket(&app).keys();
    assert_eq!(keys.len(), 2);
    let backup = app.dir.join("backup");
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let storage = app.state.storage.clone();
    assert_eq!(rt.block_on(storage.export_to(&backup)).unwrap(), 2);
    for k in &keys {
        assert_eq!(std::fs::read(backup.join(k)).unwrap(), PDF);
    }
    // Into an empty bucket, as a restore would.
    for k in &keys {
        bucket(&app).delete(k);
    }
    assert!(bucket(&app).keys().is_empty());
    assert_eq!(rt.block_on(storage.import_from(&backup)).unwrap(), 2);
    assert_eq!(bucket(&app).keys(), keys);
    assert_eq!(rt.block_on(storage.list()).unwrap(), keys);
}

fn serve_with_storage(dir: &std::path::Path, storage: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_konkurs"))
        .env_remove("DATABASE_URL")
        .env_remove("KONKURS_STORAGE_URL")
        .env_remove("KONKURS_S3_ACCESS_KEY")
        .env_remove("KONKURS_S3_SECRET_KEY")
        .env("RUST_LOG", "warn")
        .args(["serve", "--bind", "127.0.0.1:0", "--data-dir"])
        .arg(dir)
        .args(storage)
        .output()
        .unwrap()
}

#[test]
fn a_wrong_storage_is_refused_at_start_with_a_clear_message() {
    let dir = std::env::temp_dir().join(format!(
        "konkurs-s3-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let refused = |args: &[&str], expected: &str| {
        let started = std::time::Instant::now();
        let out = serve_with_storage(&dir, args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} started");
        assert!(err.contains(expected), "{args:?}: {err}");
        assert!(started.elapsed() < std::time::Duration::from_secs(30));
    };
    refused(
        &["--storage-url", "ftp://files.example/x"],
        "KONKURS_STORAGE_URL must be",
    );
    refused(
        &["--storage-url", "s3://konkurs?endpoint=http://127.0.0.1:9"],
        "KONKURS_S3_ACCESS_KEY is required",
    );
    let keys = ["--s3-access-key", ACCESS_KEY, "--s3-secret-key", SECRET_KEY];
    // Nobody listening there.
    let dead = "s3://konkurs?endpoint=http://127.0.0.1:9&region=us-east-1";
    refused(
        &[&["--storage-url", dead][..], &keys].concat(),
        "the S3 bucket 'konkurs' at http://127.0.0.1:9 cannot be listed",
    );
    if let Some(b) = S3Bucket::create() {
        // A server that answers, but without this bucket.
        let missing = format!("s3://no-such-bucket-here?endpoint={}", b.endpoint);
        refused(
            &[&["--storage-url", missing.as_str()][..], &keys].concat(),
            "the S3 bucket 'no-such-bucket-here'",
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

s3_both_backends!(
    uploads_refused_after_the_put_leave_no_orphan_in_the_bucket,
    |app: TestApp| {
        let (c, id) = draft(&app, "wyscig@gmina.example");
        let action = format!("/entries/{id}/attachments");
        let token = c.get(&format!("/entries/{id}/edit")).csrf_for(&action);
        // Eight at once to an entry that takes five: those that pass the first check but lose
        // at the insert have already been PUT, and must be deleted again.
        let clients: Vec<Client> = (0..8).map(|_| c.clone_cookies()).collect();
        let start = std::sync::Barrier::new(clients.len());
        let statuses: Vec<u16> = std::thread::scope(|s| {
            let running: Vec<_> = clients
                .iter()
                .enumerate()
                .map(|(i, client)| {
                    let (start, action, token) = (&start, &action, &token);
                    s.spawn(move || {
                        start.wait();
                        client
                            .upload_with(action, token, &format!("plik-{i}.pdf"), PDF)
                            .status
                    })
                })
                .collect();
            running.into_iter().map(|t| t.join().unwrap()).collect()
        });
        assert_eq!(
            statuses.iter().filter(|s| **s == 200).count(),
            5,
            "{statuses:?}"
        );
        assert!(
            statuses.iter().all(|s| *s == 200 || *s == 422),
            "{statuses:?}"
        );
        let stored: Vec<String> = app.db(|c| {
            attachments::table
                .order(attachments::stored_name)
                .select(attachments::stored_name)
                .load(c)
                .unwrap()
        });
        assert_eq!(bucket(&app).keys(), stored);
        assert_eq!(local_files(&app), 0);
    }
);

crate::both_backends!(
    a_file_lost_from_the_directory_is_an_error_page_too,
    |app: TestApp| {
        let (c, id) = draft(&app, "katalog@gmina.example");
        let up = c.upload(
            &format!("/entries/{id}/edit"),
            &format!("/entries/{id}/attachments"),
            "wniosek.pdf",
            PDF,
        );
        assert_eq!(up.status, 200, "{}", up.body);
        let (aid, stored) = attachment(&app);
        std::fs::remove_file(app.dir.join("uploads").join(&stored)).unwrap();
        let page = c.get(&format!("/entries/{id}/attachments/{aid}"));
        assert_eq!(page.status, 500);
        page.assert_contains("Przepraszamy, coś poszło nie tak");
    }
);
