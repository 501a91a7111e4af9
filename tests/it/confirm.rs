//! Nothing final happens by accident: Enter saves a draft, every final step goes through a
//! confirmation page; criteria freeze with the edition's state; jurors' progress and reminders
//! leave conflicted assignments out; jurors' emails.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{criteria, editions};

use crate::both_backends;
use crate::support::{TestApp, organiser, warsaw};

/// A draft edition from the model, opening `opens_in` from now.
fn draft_edition(
    app: &TestApp,
    org: &crate::support::Client,
    slug: &str,
    opens_in: Duration,
) -> i32 {
    let now = app.now();
    let page = org.submit(
        "/admin/editions/new",
        "/admin/editions/new",
        &[
            ("template", "model"),
            ("name", "VII edycja"),
            ("name_en", "7th edition"),
            ("year", "2027"),
            ("slug", slug),
            ("opens_at", &warsaw(now + opens_in)),
            ("closes_at", &warsaw(now + opens_in + Duration::days(14))),
            (
                "judging_deadline",
                &warsaw(now + opens_in + Duration::days(44)),
            ),
            ("entries_per_category", "1"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    page.url.rsplit('/').next().unwrap().parse().unwrap()
}

fn first_criterion(app: &TestApp, edition_id: i32) -> i32 {
    app.db(|c| {
        criteria::table
            .filter(criteria::edition_id.eq(edition_id))
            .order(criteria::position)
            .select(criteria::id)
            .first(c)
            .unwrap()
    })
}

fn edit_criterion(org: &crate::support::Client, id: i32, name: &str) -> crate::support::Page {
    org.post(
        &format!("/admin/criteria/{id}"),
        &[
            ("csrf", &org.get("/account").csrf_for("/logout")),
            ("name", name),
            ("name_en", "Changed"),
            ("max_points", "10"),
            ("weight", "1"),
            ("position", "1"),
        ],
    )
}

both_backends!(
    criteria_freeze_with_the_state_not_the_opening_date,
    |app: TestApp| {
        let org = organiser(&app);
        // A draft whose opening date has passed: still a draft, its criteria can be put right.
        let late = draft_edition(&app, &org, "vii-late", Duration::hours(1));
        app.advance(Duration::hours(2));
        let page = org.get(&format!("/admin/editions/{late}"));
        page.assert_not_contains("zamrożone");
        let crit = first_criterion(&app, late);
        page.assert_contains(&format!("/admin/criteria/{crit}/delete"));
        let saved = edit_criterion(&org, crit, "Poprawione przed otwarciem");
        assert_eq!(saved.status, 200, "{}", saved.body);
        let name: String = app.db(|c| {
            criteria::table
                .find(crit)
                .select(criteria::name)
                .first(c)
                .unwrap()
        });
        assert_eq!(name, "Poprawione przed otwarciem");

        // An edition opened before its opening date: frozen at once, although the date is ahead.
        let early = draft_edition(&app, &org, "vii-early", Duration::days(3));
        let opened = org.submit(
            &format!("/admin/editions/{early}"),
            &format!("/admin/editions/{early}/state"),
            &[],
        );
        assert_eq!(opened.status, 200, "{}", opened.body);
        let state: String = app.db(|c| {
            editions::table
                .find(early)
                .select(editions::state)
                .first(c)
                .unwrap()
        });
        assert_eq!(state, "open");
        let page = org.get(&format!("/admin/editions/{early}"));
        page.assert_contains("zamrożone");
        let crit = first_criterion(&app, early);
        page.assert_not_contains(&format!("/admin/criteria/{crit}/delete"));
        let refused = edit_criterion(&org, crit, "Zmienione po otwarciu");
        assert_eq!(refused.status, 422);
        refused.assert_contains("nie można ich już zmienić");
    }
);
