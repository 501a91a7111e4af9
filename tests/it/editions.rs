//! Organisers set up an edition: details, categories, criteria, states; the public call page.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{categories, criteria, editions};

use crate::both_backends;
use crate::support::{TestApp, open_call, organiser, warsaw};

both_backends!(
    an_edition_is_set_up_opened_and_published_with_its_call,
    |app: TestApp| {
        let org = organiser(&app);
        let now = app.now();

        // Bad input comes back on the same form, nothing stored.
        let bad = org.submit(
            "/admin/editions/new",
            "/admin/editions/new",
            &[
                ("template", "model"),
                ("name", "VI edycja"),
                ("year", "twenty"),
                ("slug", "VI Edycja!"),
                ("opens_at", &warsaw(now + Duration::days(10))),
                ("closes_at", &warsaw(now + Duration::days(5))),
                ("judging_deadline", "wkrótce"),
                ("entries_per_category", "0"),
            ],
        );
        assert_eq!(bad.status, 422);
        for f in ["year", "slug", "judging_deadline", "entries_per_category"] {
            assert!(bad.has_field_error(f), "{f}");
        }
        bad.assert_contains("value=\"VI edycja\"");
        // Nonexistent local time (the spring change to summer time) is explained.
        let gap = org.submit(
            "/admin/editions/new",
            "/admin/editions/new",
            &[
                ("template", "model"),
                ("name", "X"),
                ("year", "2027"),
                ("slug", "x-2027"),
                ("opens_at", "2027-03-28T02:30"),
                ("closes_at", "2027-04-30T23:59"),
                ("judging_deadline", "2027-05-30T23:59"),
                ("entries_per_category", "1"),
            ],
        );
        assert_eq!(gap.status, 422);
        gap.assert_contains("zmiana czasu na letni");
        let n: i64 = app.db(|c| editions::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);

        // The model: three categories and a starting set of criteria.
        let call = open_call(&app, &org, "vi-edycja", Duration::days(14));
        let names: Vec<String> = app.db(|c| {
            categories::table
                .order(categories::position)
                .select(categories::name)
                .load(c)
                .unwrap()
        });
        assert_eq!(
            names,
            vec!["Poza horyzonty", "Ponad codzienność", "Wbrew przeszkodom"]
        );
        let n_crit: i64 = app.db(|c| criteria::table.count().get_result(c).unwrap());
        assert!(n_crit >= 3);

        // Stored in UTC, shown in Warsaw time.
        let closes: chrono::NaiveDateTime = app.db(|c| {
            editions::table
                .select(editions::closes_at)
                .first(c)
                .unwrap()
        });
        let expected = now + Duration::days(14);
        assert!(
            (closes - expected).num_seconds().abs() <= 1,
            "{closes} vs {expected}"
        );

        // The public call page: categories, criteria, the formula and the rules, in both languages.
        let public = app.client().get("/editions/vi-edycja");
        assert_eq!(public.h1(), "VI edycja");
        public.assert_contains("Poza horyzonty");
        public.assert_contains("Innowacyjność");
        public.assert_contains("średnia wyników członków jury");
        public.assert_contains("<h3>Regulamin</h3>");
        public.assert_contains("czasie polskim");
        let en = app.client().get("/editions/vi-edycja?lang=en");
        assert_eq!(en.h1(), "6th edition");
        en.assert_contains("Beyond the everyday");
        en.assert_contains("Entries are accepted <strong>until the deadline</strong>.");
        en.assert_not_contains("The rules are available in Polish only.");
        public.assert_contains("średnia wyników członków jury bez konfliktu interesów");
        // Without English rules, the English page shows the Polish ones, marked and explained.
        app.db(|c| {
            diesel::update(editions::table.find(call.edition_id))
                .set(editions::rules_en.eq(""))
                .execute(c)
                .unwrap()
        });
        let en = app.client().get("/editions/vi-edycja?lang=en");
        en.assert_contains("The rules are available in Polish only.");
        en.assert_contains("<div class=\"measure rules\" lang=\"pl\">");
        en.assert_contains("Zgłoszenia przyjmujemy <strong>do terminu</strong>.");
        let pl = app.client().get("/editions/vi-edycja?lang=pl");
        pl.assert_not_contains("<div class=\"measure rules\" lang=\"pl\">");
        pl.assert_not_contains("Regulamin jest dostępny tylko po polsku.");
        // The home page shows the current edition with its deadline.
        let home = app.client().get("/");
        home.assert_contains("Bieżąca edycja: VI edycja");
        home.assert_contains("Termin składania zgłoszeń: ");

        // Criteria are frozen once the call is open; categories are locked.
        let crit_id: i32 = app.db(|c| criteria::table.select(criteria::id).first(c).unwrap());
        let overview = org.get(&format!("/admin/editions/{}", call.edition_id));
        overview.assert_contains("zamrożone");
        overview.assert_not_contains(&format!("/admin/criteria/{crit_id}/delete"));
        // The buttons are gone; a POST made by hand is refused with the reason.
        let token = overview.csrf_for("/logout");
        let deleting = org.post(
            &format!("/admin/criteria/{crit_id}/delete"),
            &[("csrf", &token)],
        );
        assert_eq!(deleting.status, 422);
        deleting.assert_contains("nie można ich już zmienić");
        let forged = org.post(
            &format!("/admin/criteria/{crit_id}"),
            &[
                ("csrf", &token),
                ("name", "Zmienione"),
                ("max_points", "10"),
                ("weight", "1"),
                ("position", "1"),
            ],
        );
        assert_eq!(forged.status, 422);
        forged.assert_contains("nie można ich już zmienić");
        let n_after: i64 = app.db(|c| criteria::table.count().get_result(c).unwrap());
        assert_eq!(n_after, n_crit);

        // The call cannot be closed before its deadline.
        let early = org.post(
            &format!("/admin/editions/{}/state", call.edition_id),
            &[("csrf", &token), ("to", "closed"), ("confirm", "yes")],
        );
        assert_eq!(early.status, 422);
        early.assert_contains("dopiero po terminie");
        let state: String = app.db(|c| editions::table.select(editions::state).first(c).unwrap());
        assert_eq!(state, "open");

        // While open, the deadline can be extended but not brought forward.
        let show = org.get(&format!("/admin/editions/{}", call.edition_id));
        let earlier = warsaw(now + Duration::days(7));
        // The opening as stored (the call was made a moment ago: a minute may have passed).
        let opened: chrono::NaiveDateTime = app.db(|c| {
            editions::table
                .find(call.edition_id)
                .select(editions::opens_at)
                .first(c)
                .unwrap()
        });
        let refused = org.submit_on(
            &show,
            &format!("/admin/editions/{}", call.edition_id),
            &[
                ("name", "VI edycja"),
                ("name_en", "6th edition"),
                ("year", "2026"),
                ("slug", "vi-edycja"),
                ("opens_at", &warsaw(opened)),
                ("closes_at", &earlier),
                ("judging_deadline", &warsaw(now + Duration::days(44))),
                ("entries_per_category", "1"),
            ],
        );
        assert_eq!(refused.status, 422);
        assert!(refused.has_field_error("closes_at"), "{}", refused.body);

        // A new edition copies categories, criteria and rules, not entries.
        let copy = org.submit(
            "/admin/editions/new",
            "/admin/editions/new",
            &[
                ("template", &format!("copy:{}", call.edition_id)),
                ("name", "VII edycja"),
                ("year", "2027"),
                ("slug", "vii-edycja"),
                ("opens_at", &warsaw(now + Duration::days(200))),
                ("closes_at", &warsaw(now + Duration::days(230))),
                ("judging_deadline", &warsaw(now + Duration::days(260))),
                ("entries_per_category", "2"),
            ],
        );
        assert_eq!(copy.status, 200, "{}", copy.body);
        copy.assert_contains("Wbrew przeszkodom");
        let copied: i64 = app.db(|c| categories::table.count().get_result(c).unwrap());
        assert_eq!(copied, 6);
        // A draft is not public, and its slug must be unique.
        assert_eq!(app.client().get("/editions/vii-edycja").status, 404);
        let dup = org.submit(
            "/admin/editions/new",
            "/admin/editions/new",
            &[
                ("template", "empty"),
                ("name", "Dubel"),
                ("year", "2027"),
                ("slug", "vii-edycja"),
                ("opens_at", &warsaw(now + Duration::days(1))),
                ("closes_at", &warsaw(now + Duration::days(2))),
                ("judging_deadline", &warsaw(now + Duration::days(3))),
                ("entries_per_category", "1"),
            ],
        );
        assert_eq!(dup.status, 422);
        assert!(dup.has_field_error("slug"));
        // An empty draft cannot be opened: the guard says why.
        let draft_id: i32 = app.db(|c| {
            editions::table
                .filter(editions::slug.eq("vii-edycja"))
                .select(editions::id)
                .first(c)
                .unwrap()
        });
        let cat_id: i32 = app.db(|c| {
            categories::table
                .filter(categories::edition_id.eq(draft_id))
                .select(categories::id)
                .first(c)
                .unwrap()
        });
        // Categories of a draft can be edited and removed.
        let edited = org.submit(
            &format!("/admin/categories/{cat_id}"),
            &format!("/admin/categories/{cat_id}"),
            &[
                ("code", "I"),
                ("position", "1"),
                ("name", "Poza horyzonty 2.0"),
                ("name_en", "Beyond the horizon 2.0"),
                ("description", "Dane przestrzenne."),
                ("description_en", ""),
            ],
        );
        edited.assert_contains("Poza horyzonty 2.0");
        let clash = org.submit(
            &format!("/admin/categories/{cat_id}"),
            &format!("/admin/categories/{cat_id}"),
            &[("code", "II"), ("position", "1"), ("name", "X")],
        );
        assert_eq!(clash.status, 422);
        assert!(clash.has_field_error("code"));
        let dashboard = org.get("/admin/editions");
        dashboard.assert_contains("VII edycja");
        dashboard.assert_contains("szkic");
    }
);

both_backends!(organisers_only, |app: TestApp| {
    organiser(&app);
    let reg = crate::support::register_applicant(&app, "nie-org@gmina.example", "Gmina");
    for path in [
        "/admin/editions",
        "/admin/editions/new",
        "/admin/editions/1",
        "/admin/editions/1/entries",
        "/admin/editions/1/entries.csv",
        "/admin/entries/1",
    ] {
        assert_eq!(reg.client.get(path).status, 403, "{path}");
    }
    assert_eq!(app.client().get_no_redirect("/admin/editions").status, 303);
});
