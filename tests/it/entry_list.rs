//! Issue 13: the organisers' entry list searched, filtered by award and sorted, with the state in
//! the URL; the formal check with previous / next, "accept and next" and bulk accept (also two
//! organisers at once); the jurors' previous / next.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{audit_log, awards, editions, entries, institutions, outbox};
use konkurs::domain::awards::Award;
use konkurs::domain::entry::EntryStatus;

use crate::both_backends;
use crate::races::{assert_no_server_error, parallel};
use crate::support::judging::entry_of;
use crate::support::{
    Backend, Client, Options, TestApp, close_call, entry_form, login, open_call, organiser, pairs,
    register_applicant, submit_entry,
};

/// The entry ids the list links to, in order (links carry the list's state after `?`).
fn linked_ids(body: &str) -> Vec<i32> {
    body.split("href=\"/admin/entries/")
        .skip(1)
        .filter_map(|s| s.split(['"', '?']).next()?.parse().ok())
        .collect()
}

fn sorted(mut v: Vec<i32>) -> Vec<i32> {
    v.sort_unstable();
    v
}

#[test]
fn search_filter_sort_sqlite() {
    search_filter_sort(Backend::Sqlite);
}

#[test]
fn search_filter_sort_postgres() {
    search_filter_sort(Backend::Postgres);
}

fn search_filter_sort(backend: Backend) {
    let opts = Options {
        page_size: Some(1000),
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
    let list = format!("/admin/editions/{edition}/entries");
    let listed: Vec<(i32, String, Option<String>, Option<chrono::NaiveDateTime>)> = app.db(|c| {
        entries::table
            .inner_join(institutions::table)
            .filter(entries::edition_id.eq(edition))
            .filter(entries::status.ne(EntryStatus::Draft))
            .select((
                entries::id,
                institutions::name,
                entries::ref_no,
                entries::submitted_at,
            ))
            .load(c)
            .unwrap()
    });

    // Search: case, Polish letters and their absence do not matter; the same on both databases.
    let ostroleka: Vec<i32> = listed
        .iter()
        .filter(|(_, inst, _, _)| inst == "Urząd Miasta Ostrołęki")
        .map(|(id, ..)| *id)
        .collect();
    assert_eq!(
        ostroleka.len(),
        3,
        "the demo has three entries of Ostrołęka"
    );
    for q in ["ostrołęki", "OSTROŁĘKI", "ostroleki", "Miasta Ostroł"] {
        let p = org.get(&format!(
            "{list}?q={}",
            konkurs::urls::encode_query_value(q)
        ));
        assert_eq!(p.status, 200, "q={q}");
        assert_eq!(
            sorted(linked_ids(&p.body)),
            sorted(ostroleka.clone()),
            "q={q}"
        );
        p.assert_contains("3 wyniki");
    }
    // The search field keeps what was typed.
    org.get(&format!("{list}?q=OSTRO%C5%81%C4%98KI"))
        .assert_contains("name=\"q\" value=\"OSTROŁĘKI\"");
    // By reference number, in any case.
    let (one, _, reference, _) = listed[4].clone();
    let reference = reference.unwrap();
    let p = org.get(&format!(
        "{list}?q={}",
        konkurs::urls::encode_query_value(&reference.to_lowercase())
    ));
    assert_eq!(linked_ids(&p.body), vec![one]);
    // LIKE's wildcards typed by someone match themselves: nothing here has them.
    for q in ["%25", "_", "%5C", "zzz-nie-ma"] {
        let p = org.get(&format!("{list}?q={q}"));
        assert_eq!(p.status, 200);
        assert!(linked_ids(&p.body).is_empty(), "q={q}");
        p.assert_contains("0 wyników");
    }

    // The award filter, offered because the edition has awards.
    let award_of: Vec<(i32, Award)> = app.db(|c| {
        awards::table
            .filter(awards::edition_id.eq(edition))
            .select((awards::entry_id, awards::award))
            .load(c)
            .unwrap()
    });
    let ids_with = |f: &dyn Fn(Award) -> bool| -> Vec<i32> {
        sorted(
            award_of
                .iter()
                .filter(|(_, a)| f(*a))
                .map(|(id, _)| *id)
                .collect(),
        )
    };
    let page = org.get(&list);
    page.assert_contains("<select id=\"f-award\" name=\"award\">");
    page.assert_contains("Wyróżnienie");
    let mentions = org.get(&format!("{list}?award=mention"));
    assert_eq!(
        sorted(linked_ids(&mentions.body)),
        ids_with(&|a| a == Award::Mention)
    );
    let places = org.get(&format!("{list}?award=place"));
    assert_eq!(
        sorted(linked_ids(&places.body)),
        ids_with(&|a| a != Award::Mention)
    );
    let awarded: Vec<i32> = award_of.iter().map(|(id, _)| *id).collect();
    let none = org.get(&format!("{list}?award=none"));
    assert_eq!(
        sorted(linked_ids(&none.body)),
        sorted(
            listed
                .iter()
                .map(|(id, ..)| *id)
                .filter(|id| !awarded.contains(id))
                .collect()
        )
    );
    // Search and award together.
    let both = org.get(&format!("{list}?q=ostroleki&award=mention"));
    let want: Vec<i32> = ostroleka
        .iter()
        .copied()
        .filter(|id| ids_with(&|a| a == Award::Mention).contains(id))
        .collect();
    assert_eq!(sorted(linked_ids(&both.body)), sorted(want));

    // Sort by a column: the header says so; descending is the exact reverse (ties by id).
    let asc = org.get(&format!("{list}?sort=institution&dir=asc"));
    asc.assert_contains("aria-sort=\"ascending\"><a href=\"/admin/editions/");
    asc.assert_contains(&format!(
        "href=\"/admin/editions/{edition}/entries?sort=institution&#38;dir=desc\""
    ));
    let desc = org.get(&format!("{list}?sort=institution&dir=desc"));
    desc.assert_contains("aria-sort=\"descending\"");
    let mut up = linked_ids(&asc.body);
    let down = linked_ids(&desc.body);
    assert_eq!(up.len(), listed.len());
    up.reverse();
    assert_eq!(up, down);
    // By institution: the names in order (ł after l, as in Polish: "Ostrołęki" by "ostroleki").
    let names: Vec<String> = linked_ids(&asc.body)
        .iter()
        .map(|id| {
            konkurs::domain::listing::fold(
                &listed.iter().find(|(i, ..)| i == id).unwrap().1.clone(),
            )
        })
        .collect();
    let mut want_names = names.clone();
    want_names.sort();
    assert_eq!(names, want_names);
    // By submission time, oldest first, then by id.
    let by_time = linked_ids(&org.get(&format!("{list}?sort=submitted")).body);
    let mut want = listed.clone();
    want.sort_by_key(|(id, _, _, t)| (*t, *id));
    assert_eq!(by_time, want.iter().map(|(id, ..)| *id).collect::<Vec<_>>());
    // Every column sorts, both ways, on both databases, and lists every entry once.
    for key in [
        "reference",
        "category",
        "institution",
        "title",
        "status",
        "submitted",
        "award",
    ] {
        for dir in ["asc", "desc"] {
            let p = org.get(&format!("{list}?sort={key}&dir={dir}"));
            assert_eq!(p.status, 200, "{key} {dir}");
            assert_eq!(linked_ids(&p.body).len(), listed.len(), "{key} {dir}");
        }
    }
    // Mentions sorted by award come after the places.
    let by_award = linked_ids(&org.get(&format!("{list}?sort=award")).body);
    let first_mention = by_award
        .iter()
        .position(|id| ids_with(&|a| a == Award::Mention).contains(id))
        .unwrap();
    assert!(
        by_award[..first_mention]
            .iter()
            .all(|id| ids_with(&|a| a != Award::Mention).contains(id))
    );

    // Bad parameters never fail the page (a NUL or invalid UTF-8 is refused before any page,
    // with 400, as everywhere).
    for odd in [
        "sort=x%01&dir=sideways",
        "award=gold&category=abc&status=nope",
        "category=99999999999999999999",
        "q=a&q=b&sort=title&sort=award",
        "q=%25%25%25&sort=&dir=desc",
        "page=-1&sort=award&dir=desc&award=none",
    ] {
        assert_eq!(org.get(&format!("{list}?{odd}")).status, 200, "{odd}");
    }
    for odd in ["sort=%00", "q=%FF%FE"] {
        assert!(org.get(&format!("{list}?{odd}")).status < 500, "{odd}");
    }

    // The state stays in the pager, the CSV link, the entry links and the filter form.
    let p = org.get(&format!("{list}?q=ostroleki&sort=title&dir=desc"));
    p.assert_contains(&format!(
        "href=\"/admin/editions/{edition}/entries.csv?q=ostroleki&#38;sort=title&#38;dir=desc\""
    ));
    p.assert_contains("<input type=\"hidden\" name=\"sort\" value=\"title\">");
    let first = linked_ids(&p.body)[0];
    p.assert_contains(&format!(
        "href=\"/admin/entries/{first}?q=ostroleki&#38;sort=title&#38;dir=desc\""
    ));
    // The CSV of a filtered list holds that list only.
    let csv = org.get(&format!("{list}.csv?award=mention"));
    assert_eq!(csv.status, 200);
    for (id, _, r, _) in &listed {
        let r = r.as_deref().unwrap();
        assert_eq!(
            csv.body.contains(r),
            ids_with(&|a| a == Award::Mention).contains(id),
            "{r} in the mentions' CSV"
        );
    }

    // The entry page: previous / next in the list's order, and the way back to that list.
    let order = linked_ids(&org.get(&format!("{list}?sort=title")).body);
    let mid = order[1];
    let e = org.get(&format!("/admin/entries/{mid}?sort=title&dir=asc"));
    assert_eq!(e.status, 200);
    e.assert_contains(&format!(
        "href=\"/admin/entries/{}?sort=title&#38;dir=asc\" rel=\"prev\">Poprzednie zgłoszenie</a>",
        order[0]
    ));
    e.assert_contains(&format!(
        "href=\"/admin/entries/{}?sort=title&#38;dir=asc\" rel=\"next\">Następne zgłoszenie</a>",
        order[2]
    ));
    e.assert_contains(&format!(
        "href=\"/admin/editions/{edition}/entries?sort=title&#38;dir=asc\""
    ));
    let last = org.get(&format!(
        "/admin/entries/{}?sort=title&dir=asc",
        order[order.len() - 1]
    ));
    last.assert_not_contains("rel=\"next\"");
    // An entry outside the filter is still placed among its neighbours, never an error.
    let outside = org.get(&format!("/admin/entries/{mid}?q=zzz-nie-ma&award=gold"));
    assert_eq!(outside.status, 200);
    outside.assert_not_contains("rel=\"prev\"");

    // English.
    org.get(&format!("{list}?lang=en"))
        .assert_contains("In the title, the institution");
    org.get(&format!("{list}?lang=pl"));
}

/// Four submitted entries in a closed call (one per applicant), and the organiser.
pub struct Closed {
    pub org: Client,
    pub edition_id: i32,
    pub ids: Vec<i32>,
    pub emails: Vec<&'static str>,
}

pub fn closed_call(app: &TestApp) -> Closed {
    let org = organiser(app);
    let call = open_call(app, &org, "vi", Duration::days(14));
    let people = [
        ("a@lodz.example", "Gmina Łódź Wschód", "Cyfrowy urząd A"),
        ("b@lodz.example", "Gmina Bełchatów", "Cyfrowy urząd B"),
        ("c@lodz.example", "Gmina Żyrardów", "Cyfrowy urząd C"),
        ("d@lodz.example", "Gmina Łęczyca", "Cyfrowy urząd D"),
    ];
    let mut ids = Vec::new();
    for (i, (email, inst, title)) in people.iter().enumerate() {
        let r = register_applicant(app, email, inst);
        let p = submit_entry(
            &r.client,
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[i % 3], title, &[])),
        );
        assert_eq!(p.status, 200, "{}", p.body);
        ids.push(entry_of(app, title));
    }
    close_call(app, call.edition_id);
    Closed {
        org,
        edition_id: call.edition_id,
        ids,
        emails: people.iter().map(|p| p.0).collect(),
    }
}

const ACCEPTED_SUBJECT: &str = "Zgłoszenie przyjęte formalnie";

fn status_of(app: &TestApp, id: i32) -> EntryStatus {
    app.db(|c| {
        entries::table
            .find(id)
            .select(entries::status)
            .first(c)
            .unwrap()
    })
}

fn audits(app: &TestApp, id: i32) -> i64 {
    app.db(|c| {
        audit_log::table
            .filter(audit_log::action.eq("entry:accept"))
            .filter(audit_log::object_id.eq(id))
            .count()
            .get_result(c)
            .unwrap()
    })
}

both_backends!(formal_check_in_list_order, |app: TestApp| {
    let k = closed_call(&app);
    let list = format!("/admin/editions/{}/entries", k.edition_id);
    // Search in names written with Polish letters, typed without them.
    let found = k.org.get(&format!("{list}?q=lodz"));
    assert_eq!(linked_ids(&found.body), vec![k.ids[0]]);
    let found = k.org.get(&format!("{list}?q=%C5%81%C4%98CZYCA"));
    assert_eq!(linked_ids(&found.body), vec![k.ids[3]]);

    // The submitted ones by title: A, B, C, D. "Accept and go to the next entry" from B.
    let q = "status=submitted&sort=title&dir=asc";
    let order = linked_ids(&k.org.get(&format!("{list}?{q}")).body);
    assert_eq!(order, k.ids);
    let b = k.ids[1];
    let page = k.org.get(&format!("/admin/entries/{b}?{q}"));
    page.assert_contains("Przyjmij formalnie i przejdź do następnego");
    let next = k.org.submit_on(
        &page,
        &format!("/admin/entries/{b}/decision?{}", q.replace('&', "&#38;")),
        &[("accept_next", "yes")],
    );
    assert_eq!(next.status, 200, "{}", next.body);
    // On C's page, with the same list; B left the list of submitted entries but C's previous
    // is still A (the list as it is now).
    assert!(
        next.url
            .ends_with(&format!("/admin/entries/{}?{q}", k.ids[2])),
        "{}",
        next.url
    );
    next.assert_contains("Decyzja została zapisana");
    next.assert_contains(&format!(
        "href=\"/admin/entries/{}?status=submitted&#38;sort=title&#38;dir=asc\" rel=\"prev\"",
        k.ids[0]
    ));
    assert_eq!(status_of(&app, b), EntryStatus::Accepted);
    assert_eq!(audits(&app, b), 1);
    app.smtp
        .wait_subject_containing(k.emails[1], ACCEPTED_SUBJECT);
    // The plain accept keeps the entry's page: B is still shown among its old neighbours.
    let b_again = k.org.get(&format!("/admin/entries/{b}?{q}"));
    b_again.assert_contains("rel=\"prev\"");
    b_again.assert_contains("rel=\"next\"");
    // Sorted by status, in the order of the work: the submitted ones before the accepted one.
    let by_status = linked_ids(&k.org.get(&format!("{list}?sort=status")).body);
    assert_eq!(by_status, vec![k.ids[0], k.ids[2], k.ids[3], b]);
    let by_status = linked_ids(&k.org.get(&format!("{list}?sort=status&dir=desc")).body);
    assert_eq!(by_status, vec![b, k.ids[3], k.ids[2], k.ids[0]]);
    // Accept-and-next from the last entry leads back to the list.
    let d = k.ids[3];
    // The accepting button while "reject" is chosen decides nothing: it says why.
    let action = format!("/admin/entries/{d}/decision?{}", q.replace('&', "&#38;"));
    let unclear = k.org.submit_on(
        &k.org.get(&format!("/admin/entries/{d}?{q}")),
        &action,
        &[
            ("accept_next", "yes"),
            ("decision", "reject"),
            ("reason", "Brak wymaganych załączników."),
        ],
    );
    assert_eq!(unclear.status, 422);
    assert!(unclear.has_field_error("decision"));
    unclear.assert_contains("tylko przyjmuje zgłoszenie");
    unclear.assert_contains("Brak wymaganych załączników.");
    assert_eq!(status_of(&app, d), EntryStatus::Submitted);
    // The answer's language switch leads to the page the form was sent from (the decision's
    // address answers only POST).
    let from = k.org.abs(&format!("/admin/entries/{d}?{q}"));
    let token = k
        .org
        .get(&format!("/admin/entries/{d}?{q}"))
        .csrf_for(&action);
    let html = k
        .org
        .agent
        .post(k.org.abs(&format!("/admin/entries/{d}/decision?{q}")))
        .header("Referer", &from)
        .send_form([
            ("csrf", token.as_str()),
            ("accept_next", "yes"),
            ("decision", "reject"),
            ("reason", "x"),
        ])
        .unwrap()
        .into_body()
        .read_to_string()
        .unwrap();
    let switch = html.find("lang=en\"").expect("a switch to English");
    let href = &html[html[..switch].rfind("href=\"").unwrap() + 6..switch];
    assert!(
        href.starts_with(&format!("/admin/entries/{d}?")) && !href.contains("/decision"),
        "{href}"
    );
    let back = k.org.submit_on(
        &k.org.get(&format!("/admin/entries/{d}?{q}")),
        &action,
        &[("accept_next", "yes")],
    );
    assert!(back.url.ends_with(&format!("{list}?{q}")), "{}", back.url);
    assert_eq!(status_of(&app, d), EntryStatus::Accepted);

    // Bulk: A, C selected (checkboxes with labels), B (accepted) and a stranger's id crafted in.
    let listed = k.org.get(&format!("{list}?{q}"));
    listed.assert_contains(&format!(
        "<input type=\"checkbox\" id=\"sel-{0}\" name=\"entry\" value=\"{0}\"><label for=\"sel-{0}\"",
        k.ids[0]
    ));
    listed.assert_contains(&format!(
        "action=\"/admin/editions/{}/entries/accept\"",
        k.edition_id
    ));
    let confirm = k.org.get(&format!(
        "{list}/accept?entry={}&entry={}&entry={}&entry=999999&entry=x&{q}",
        k.ids[0], k.ids[2], b
    ));
    assert_eq!(confirm.status, 200, "{}", confirm.body);
    confirm.assert_contains("Przyjąć formalnie zaznaczone zgłoszenia?");
    confirm.assert_contains("2 zgłoszenia zostaną przyjęte formalnie");
    confirm.assert_contains("Cyfrowy urząd A");
    confirm.assert_contains("Cyfrowy urząd C");
    // B is named as left alone, with its status.
    confirm.assert_contains("Zgłoszenia, których nie można przyjąć");
    confirm.assert_contains("Cyfrowy urząd B");
    // Nothing changed yet.
    assert_eq!(status_of(&app, k.ids[0]), EntryStatus::Submitted);
    let done = crate::support::confirm(&k.org, confirm);
    assert_eq!(done.status, 200, "{}", done.body);
    done.assert_contains("Przyjęto formalnie 2 zgłoszenia.");
    for (i, id) in [(0, k.ids[0]), (2, k.ids[2])] {
        assert_eq!(status_of(&app, id), EntryStatus::Accepted);
        assert_eq!(audits(&app, id), 1);
        app.smtp
            .wait_subject_containing(k.emails[i], ACCEPTED_SUBJECT);
    }
    assert_eq!(audits(&app, b), 1, "B accepted once");
    // The way back keeps the list's state.
    done.assert_contains(&format!(
        "href=\"{list}?status=submitted&#38;sort=title&#38;dir=asc\""
    ));
    // Nothing acceptable selected: the reason, no button; nothing selected at all: the same.
    let none = k.org.get(&format!("{list}/accept?entry={b}"));
    assert_eq!(none.status, 409);
    none.assert_contains("Żadnego z zaznaczonych zgłoszeń nie można teraz przyjąć");
    none.assert_not_contains("name=\"confirm\"");
    assert_eq!(k.org.get(&format!("{list}/accept")).status, 409);
    // A POST without the token changes nothing.
    let forged = k.org.post(
        &format!("{list}/accept"),
        &[("entry", &k.ids[0].to_string()), ("confirm", "yes")],
    );
    assert_eq!(forged.status, 403);
    // Only organisers.
    let stranger = register_applicant(&app, "e@lodz.example", "Gmina E");
    assert_eq!(
        stranger
            .client
            .get(&format!("{list}/accept?entry={b}"))
            .status,
        403
    );
    assert_eq!(stranger.client.get(&list).status, 403);
});

both_backends!(bulk_accept_races, |app: TestApp| {
    let k = closed_call(&app);
    let list = format!("/admin/editions/{}/entries", k.edition_id);
    // One entry is rejected by someone else between the confirmation and the click.
    let all = k
        .ids
        .iter()
        .map(|id| format!("entry={id}"))
        .collect::<Vec<_>>()
        .join("&");
    let confirm = k.org.get(&format!("{list}/accept?{all}"));
    confirm.assert_contains("4 zgłoszenia zostaną przyjęte formalnie");
    let rejected = k.ids[3];
    k.org
        .submit(
            &format!("/admin/entries/{rejected}"),
            &format!("/admin/entries/{rejected}/decision"),
            &[
                ("decision", "reject"),
                ("reason", "Brak wymaganych danych."),
            ],
        )
        .assert_contains("Decyzja została zapisana");
    // Two organisers' sessions press the same button at once, and a third accepts one entry
    // alone at the same moment.
    let token = confirm.csrf_for(&format!("/admin/editions/{}/entries/accept", k.edition_id));
    let mut fields: Vec<(String, String)> = k
        .ids
        .iter()
        .map(|id| ("entry".to_string(), id.to_string()))
        .collect();
    fields.push(("csrf".into(), token.clone()));
    fields.push(("confirm".into(), "yes".into()));
    let one = k.ids[1];
    let pages = parallel(&k.org, 3, |c, i| {
        if i < 2 {
            let f: Vec<(&str, &str)> = fields
                .iter()
                .map(|(a, b)| (a.as_str(), b.as_str()))
                .collect();
            c.post(&format!("{list}/accept"), &f)
        } else {
            c.post(
                &format!("/admin/entries/{one}/decision"),
                &[("csrf", &token), ("decision", "accept")],
            )
        }
    });
    assert_no_server_error(&pages);
    for p in &pages {
        assert!(
            p.status == 200 || p.status == 422,
            "{}: {}",
            p.status,
            p.body
        );
    }
    // Each of the three others accepted exactly once: one status, one audit record, one email.
    for (i, id) in k.ids.iter().enumerate().take(3) {
        assert_eq!(status_of(&app, *id), EntryStatus::Accepted);
        assert_eq!(audits(&app, *id), 1, "entry {id} accepted once");
        app.smtp
            .wait_subject_containing(k.emails[i], ACCEPTED_SUBJECT);
    }
    // The rejected one stayed rejected and was named as left alone.
    assert_eq!(status_of(&app, rejected), EntryStatus::Rejected);
    assert_eq!(audits(&app, rejected), 0);
    for p in &pages[..2] {
        p.assert_contains("Zgłoszenia pozostawione bez zmian");
        p.assert_contains("Cyfrowy urząd D");
    }
    let queued: i64 = app.db(|c| {
        outbox::table
            .filter(outbox::subject.like(format!("{ACCEPTED_SUBJECT}%")))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(queued, 3, "one email per accepted entry");
});

both_backends!(jurors_go_through_their_list, |app: TestApp| {
    let cfg = app.state.config.clone();
    let demo = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads");
    let j = Client::new(&app.base);
    let signed_in = j.submit(
        "/login",
        "/login",
        &[
            ("email", "k.wisniewska@jury.demo.example"),
            ("password", &demo.password),
        ],
    );
    assert!(signed_in.url.ends_with("/jury"), "{}", signed_in.url);
    let dash = j.get("/jury");
    // The dashboard's links, in its order (conflicted entries have none).
    let order: Vec<i32> = dash
        .body
        .split("href=\"/jury/entries/")
        .skip(1)
        .filter_map(|s| s.split('"').next()?.parse().ok())
        .collect();
    assert!(order.len() >= 3, "{order:?}");
    for (i, id) in order.iter().enumerate() {
        let p = j.get(&format!("/jury/entries/{id}"));
        assert_eq!(p.status, 200);
        match i.checked_sub(1).map(|k| order[k]) {
            Some(prev) => p.assert_contains(&format!(
                "href=\"/jury/entries/{prev}\" rel=\"prev\">Poprzednie zgłoszenie</a>"
            )),
            None => p.assert_not_contains("rel=\"prev\""),
        }
        match order.get(i + 1) {
            Some(next) => p.assert_contains(&format!(
                "href=\"/jury/entries/{next}\" rel=\"next\">Następne zgłoszenie</a>"
            )),
            None => p.assert_not_contains("rel=\"next\""),
        }
    }
});

both_backends!(older_rows_get_their_search_keys_at_start, |app: TestApp| {
    let cfg = app.state.config.clone();
    let demo = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads");
    // Rows as they were before the keys existed.
    app.db(|c| {
        diesel::update(entries::table)
            .set(entries::title_key.eq(None::<String>))
            .execute(c)
            .unwrap();
        diesel::update(institutions::table)
            .set(institutions::name_key.eq(None::<String>))
            .execute(c)
            .unwrap();
    });
    let org = Client::new(&app.base);
    login(&org, "organizator@mazovia.demo.example", &demo.password);
    let edition: i32 = app.db(|c| {
        editions::table
            .filter(editions::slug.eq(&demo.slug))
            .select(editions::id)
            .first(c)
            .unwrap()
    });
    let list = format!("/admin/editions/{edition}/entries?q=ostroleki");
    assert!(linked_ids(&org.get(&list).body).is_empty());
    // What a start does after the migrations fills them, once.
    app.state.db.migrate().expect("migrations and keys");
    assert_eq!(linked_ids(&org.get(&list).body).len(), 3);
    let missing: i64 = app.db(|c| {
        entries::table
            .filter(entries::title_key.is_null())
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(missing, 0);
    let key: Option<String> = app.db(|c| {
        institutions::table
            .filter(institutions::name.eq("Urząd Miasta Ostrołęki"))
            .select(institutions::name_key)
            .first(c)
            .unwrap()
    });
    assert_eq!(key.as_deref(), Some("urzad miasta ostroleki"));
    app.state.db.migrate().expect("nothing left to do");
});
