//! Steps towards judging, shared by the jury tests and the browser tests.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{criteria, entries, users};

use super::{
    Client, PASSWORD, Page, TestApp, entry_form, open_call, organiser, pairs, register_applicant,
};

/// Invites a juror from the jury page and sets their password from the emailed link.
pub fn juror(app: &TestApp, org: &Client, edition_id: i32, name: &str, email: &str) -> Client {
    let page = org.submit(
        &format!("/admin/editions/{edition_id}/jury"),
        &format!("/admin/editions/{edition_id}/jury/invite"),
        &[
            ("name", name),
            ("email", email),
            ("affiliation", "Uniwersytet Testowy"),
            ("lang", "pl"),
        ],
    );
    page.assert_contains("Zaproszenie do jury zostało wysłane");
    let mail = app.smtp.wait_subject(
        email,
        "Zaproszenie do jury konkursu „Samorządowy Lider Cyfryzacji”",
    );
    let link = mail.link(&app.url("/jury/invite?token="));
    let c = app.client();
    let done = c.submit(
        &link,
        "/jury/invite",
        &[("password", PASSWORD), ("password_confirm", PASSWORD)],
    );
    assert!(done.url.ends_with("/jury"), "{}", done.url);
    c
}

/// The edition's criteria ids, in their order on the score form.
pub fn criteria_of(app: &TestApp, edition_id: i32) -> Vec<i32> {
    app.db(|c| {
        criteria::table
            .filter(criteria::edition_id.eq(edition_id))
            .order(criteria::position)
            .select(criteria::id)
            .load(c)
            .unwrap()
    })
}

/// The organiser assigns a juror to a category from the jury page.
pub fn assign_category(org: &Client, edition_id: i32, juror_id: i32, category_id: i32) {
    org.submit(
        &format!("/admin/editions/{edition_id}/jury"),
        &format!("/admin/editions/{edition_id}/jury/{juror_id}/categories"),
        &[("category", &category_id.to_string())],
    )
    .assert_contains("Zapisano zmiany");
}

/// The organiser records a juror's conflict of interest with an institution; returns the page.
pub fn add_conflict(
    org: &Client,
    edition_id: i32,
    juror_id: i32,
    institution_id: i32,
    reason: &str,
) -> Page {
    org.submit(
        &format!("/admin/editions/{edition_id}/jury"),
        &format!("/admin/editions/{edition_id}/conflicts"),
        &[
            ("juror_id", &juror_id.to_string()),
            ("institution_id", &institution_id.to_string()),
            ("reason", reason),
        ],
    )
}

pub fn id_of_user(app: &TestApp, email: &str) -> i32 {
    app.db(|c| {
        users::table
            .filter(users::email.eq(email))
            .select(users::id)
            .first(c)
            .unwrap()
    })
}

pub fn entry_of(app: &TestApp, title: &str) -> i32 {
    app.db(|c| {
        entries::table
            .filter(entries::title.eq(title))
            .select(entries::id)
            .first(c)
            .unwrap()
    })
}

pub fn scores(
    crit: &[i32],
    points: [i32; 4],
    comment: &str,
    action: &str,
) -> Vec<(String, String)> {
    let mut f: Vec<(String, String)> = crit
        .iter()
        .zip(points)
        .map(|(c, p)| (format!("score-{c}"), p.to_string()))
        .collect();
    f.push(("comment".into(), comment.into()));
    f.push(("action".into(), action.into()));
    f
}

pub fn refs(v: &[(String, String)]) -> Vec<(&str, &str)> {
    v.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect()
}

pub struct Judging {
    pub org: Client,
    pub edition_id: i32,
    pub categories: Vec<i32>,
    /// (client, email) per institution A, B, C (category I) and D (category II).
    pub applicants: Vec<(Client, String)>,
    pub titles: [&'static str; 4],
}

/// An edition whose call has closed with four accepted entries: three in category I, one in II.
pub fn closed_with_entries(app: &TestApp) -> Judging {
    let org = organiser(app);
    let call = open_call(app, &org, "vi", Duration::days(14));
    let titles = [
        "Portal map A",
        "Geoportal B",
        "Dane przestrzenne C",
        "E-usługi D",
    ];
    let insts = [
        ("a@inst-a.example", "Gmina A"),
        ("b@inst-b.example", "Gmina B"),
        ("c@inst-c.example", "Gmina C"),
        ("d@inst-d.example", "Gmina D"),
    ];
    let mut applicants = Vec::new();
    for (i, (email, inst)) in insts.iter().enumerate() {
        let r = register_applicant(app, email, inst);
        let cat = if i < 3 {
            call.categories[0]
        } else {
            call.categories[1]
        };
        let p = super::submit_entry(
            &r.client,
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(cat, titles[i], &[])),
        );
        assert_eq!(p.status, 200, "{}", p.body);
        applicants.push((r.client, email.to_string()));
    }
    super::close_call(app, call.edition_id);
    let token = org.get("/account").csrf_for("/logout");
    let closed = org.post(
        &format!("/admin/editions/{}/state", call.edition_id),
        &[("csrf", &token), ("to", "closed"), ("confirm", "yes")],
    );
    assert_eq!(closed.status, 200, "{}", closed.body);
    for t in titles {
        let id = entry_of(app, t);
        org.submit(
            &format!("/admin/entries/{id}"),
            &format!("/admin/entries/{id}/decision"),
            &[("decision", "accept")],
        )
        .assert_contains("Decyzja została zapisana");
    }
    Judging {
        org,
        edition_id: call.edition_id,
        categories: call.categories,
        applicants,
        titles,
    }
}
