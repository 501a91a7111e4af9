//! The organisers' long lists: paged at the configured size with counts in words, a navigation
//! that keeps the filters, odd page numbers answered with a real page, exports still complete.

use diesel::prelude::*;
use konkurs::db::schema::{editions, entries, users};
use konkurs::domain::entry::EntryStatus;

use crate::support::{Backend, Client, Options, TestApp, login};

const SIZE: i64 = 5;

#[test]
fn paged_lists_sqlite() {
    paged_lists(Backend::Sqlite);
}

#[test]
fn paged_lists_postgres() {
    paged_lists(Backend::Postgres);
}

/// The entry ids a page of the entry list links to, in order.
fn entry_ids(body: &str) -> Vec<i32> {
    body.split("href=\"/admin/entries/")
        .skip(1)
        .filter_map(|s| s.split(['"', '?']).next()?.parse().ok())
        .collect()
}

fn ix(n: i64) -> usize {
    usize::try_from(n).unwrap()
}

fn pages_of(n: i64) -> i64 {
    (n + SIZE - 1) / SIZE
}

fn paged_lists(backend: Backend) {
    let opts = Options {
        page_size: Some(SIZE),
        ..Options::default()
    };
    let Some(app) = TestApp::spawn_with(backend, opts) else {
        return;
    };
    let cfg = app.state.config.clone();
    let demo = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads");
    let org = Client::new(&app.base);
    login(&org, "organizator@mazovia.demo.example", &demo.password);
    let edition: i32 = app.db(|c| {
        editions::table
            .filter(editions::slug.eq(&demo.slug))
            .select(editions::id)
            .first(c)
            .unwrap()
    });
    // What the list shows without a filter: every entry but drafts, by category then institution.
    let expected: Vec<i32> = app.db(|c| {
        entries::table
            .filter(entries::edition_id.eq(edition))
            .filter(entries::status.ne(EntryStatus::Draft))
            .select(entries::id)
            .load(c)
            .unwrap()
    });
    let total = expected.len() as i64;
    assert!(total > 2 * SIZE, "the demo has {total} entries, too few");
    let pages = pages_of(total);
    let list = format!("/admin/editions/{edition}/entries");

    // The first page: SIZE rows, the counts in words, a navigation to the others.
    let first = org.get(&list);
    assert_eq!(first.status, 200);
    first.assert_contains(&format!("Pozycje 1–{SIZE} z {total}"));
    first.assert_contains("<nav class=\"pager\" aria-label=\"Strony wyników\">");
    first.assert_contains("href=\"?page=1\" aria-current=\"page\"");
    first.assert_contains("href=\"?page=2\" rel=\"next\">Następna strona</a>");
    first.assert_contains(&format!("href=\"?page={pages}\""));
    first.assert_not_contains("rel=\"prev\"");
    assert_eq!(entry_ids(&first.body).len() as i64, SIZE);

    // Every page together shows every entry once: the order is total, pages never overlap.
    let mut seen = Vec::new();
    for n in 1..=pages {
        let p = org.get(&format!("{list}?page={n}"));
        assert_eq!(p.status, 200);
        let from = (n - 1) * SIZE + 1;
        let to = (n * SIZE).min(total);
        if from == to {
            p.assert_contains(&format!("Pozycja {from} z {total}"));
        } else {
            p.assert_contains(&format!("Pozycje {from}–{to} z {total}"));
        }
        p.assert_contains(&format!("href=\"?page={n}\" aria-current=\"page\""));
        seen.extend(entry_ids(&p.body));
    }
    let mut sorted = seen.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(sorted.len(), seen.len(), "no entry on two pages");
    let mut want = expected.clone();
    want.sort_unstable();
    assert_eq!(sorted, want, "every entry on some page");
    let second = org.get(&format!("{list}?page=2"));
    second.assert_contains("href=\"?page=1\" rel=\"prev\">Poprzednia strona</a>");
    assert_eq!(entry_ids(&second.body), seen[ix(SIZE)..ix(2 * SIZE)]);

    // Odd page numbers give a real page, never an error.
    for odd in [
        "abc",
        "-1",
        "0",
        "",
        "1.5",
        "%E2%80%94",
        "99999999999999999999999",
    ] {
        let p = org.get(&format!("{list}?page={odd}"));
        assert_eq!(p.status, 200, "page={odd}");
        let ids = entry_ids(&p.body);
        assert!(!ids.is_empty(), "page={odd} shows rows");
        if odd.starts_with('9') {
            assert_eq!(ids, seen[ix((pages - 1) * SIZE)..], "page={odd}");
        } else {
            assert_eq!(ids, seen[..ix(SIZE)], "page={odd}");
        }
    }
    let last = org.get(&format!("{list}?page=999"));
    assert_eq!(last.status, 200);
    assert_eq!(entry_ids(&last.body), seen[ix((pages - 1) * SIZE)..]);
    last.assert_not_contains("rel=\"next\"");

    // The filter stays in the links; its count is of the filtered entries.
    let accepted: i64 = app.db(|c| {
        entries::table
            .filter(entries::edition_id.eq(edition))
            .filter(entries::status.eq(EntryStatus::Accepted))
            .count()
            .get_result(c)
            .unwrap()
    });
    if accepted > SIZE {
        let f = org.get(&format!("{list}?status=accepted&category=&page=2"));
        f.assert_contains(&format!(" z {accepted}"));
        f.assert_contains("href=\"?status=accepted&#38;page=1\" rel=\"prev\"");
    }

    // English.
    org.get(&format!("{list}?lang=en"))
        .assert_contains(&format!("Items 1–{SIZE} of {total}"));
    org.get(&format!("{list}?lang=pl"));

    // The export still holds every entry of the edition, drafts included, not one page.
    let csv = org.get(&format!("{list}.csv"));
    assert_eq!(csv.status, 200);
    let all_refs: Vec<Option<String>> = app.db(|c| {
        entries::table
            .filter(entries::edition_id.eq(edition))
            .select(entries::ref_no)
            .load(c)
            .unwrap()
    });
    for r in all_refs.iter().flatten() {
        assert!(csv.body.contains(r.as_str()), "{r} in the export");
    }

    // Users: paged the same way; a filter with one page counts with the plural form.
    let n_users: i64 = app.db(|c| users::table.count().get_result(c).unwrap());
    assert!(n_users > SIZE);
    let u2 = org.get("/admin/users?page=2");
    assert_eq!(u2.status, 200);
    u2.assert_contains(&format!(
        "Pozycje {}–{} z {n_users}",
        SIZE + 1,
        (2 * SIZE).min(n_users)
    ));
    let orgs = org.get("/admin/users?role=organiser&page=abc");
    assert_eq!(orgs.status, 200);
    orgs.assert_contains("1 wynik");
    orgs.assert_not_contains("aria-label=\"Strony wyników\"");
    let q = org.get("/admin/users?q=demo&page=2");
    q.assert_contains("href=\"?q=demo&#38;page=1\" rel=\"prev\"");

    // The outbox and the audit log: odd pages are real pages, filters kept in the links.
    for path in [
        "/admin/outbox?page=999",
        "/admin/outbox?page=-1&status=sent",
        "/admin/audit?page=abc",
        "/admin/audit?page=999999999999",
        "/admin/audit?object=edition&id=1&page=2",
    ] {
        assert_eq!(org.get(path).status, 200, "{path}");
    }
}
