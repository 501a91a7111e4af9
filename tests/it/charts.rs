//! The organisers' charts on the model edition, checked against the data: each chart's
//! accessible name and description, the numbers written in it and in its table, computed here
//! from the database by their own queries; the empty states of a new call; and the
//! announcement's progress (page and JSON) after a recipient's server refused a message.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use konkurs::db::editions::{self, Edition};
use konkurs::db::jury;
use konkurs::db::schema::{awards, categories, entries, outbox};
use konkurs::domain::mail::OutboxStatus;

use crate::both_backends;
use crate::support::{Client, TestApp, login, open_call};

const ORGANISER: &str = "organizator@mazovia.demo.example";

fn demo(app: &TestApp) -> (Edition, Client) {
    let cfg = app.state.config.clone();
    let loaded = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads");
    let e = app.db(|c| editions::find_by_slug(c, &loaded.slug).unwrap().unwrap());
    let org = app.client();
    login(&org, ORGANISER, &loaded.password);
    (e, org)
}

/// A number as the Polish pages write it: two decimals at most, a decimal comma.
fn pl(x: f64) -> String {
    let x = (x * 100.0).round() / 100.0;
    let s = if (x - x.round()).abs() < 1e-9 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.2}").trim_end_matches('0').to_string()
    };
    s.replace('.', ",")
}

/// The inline SVG with this id.
fn svg<'a>(body: &'a str, id: &str) -> &'a str {
    let start = body
        .find(&format!("<svg class=\"chart\" id=\"{id}\""))
        .unwrap_or_else(|| panic!("no chart {id}"));
    let end = body[start..].find("</svg>").expect("the chart ends") + start + 6;
    &body[start..end]
}

fn assert_accessible(svg: &str, id: &str, title: &str) {
    assert!(svg.contains("role=\"img\""), "{svg}");
    assert!(
        svg.contains(&format!(
            "aria-labelledby=\"{id}-t\" aria-describedby=\"{id}-d\""
        )),
        "{svg}"
    );
    assert!(
        svg.contains(&format!("<title id=\"{id}-t\">{title}</title>")),
        "{svg}"
    );
    assert!(svg.contains(&format!("<desc id=\"{id}-d\">")), "{svg}");
    assert!(!svg.contains("style="), "no style attribute: {svg}");
}

fn mean_sd(v: &[f64]) -> (f64, f64) {
    let k = v.len() as f64;
    let m = v.iter().sum::<f64>() / k;
    (
        m,
        (v.iter().map(|x| (x - m).powi(2)).sum::<f64>() / k).sqrt(),
    )
}

both_backends!(
    the_ranking_draws_every_entrys_range_and_every_jurors_severity,
    |app| {
        let (e, org) = demo(&app);
        let page = org.get(&format!("/admin/editions/{}/ranking", e.id));
        assert_eq!(page.status, 200);
        // Every counted judgement, read on its own (not through the ranking).
        let counted = app.db(|c| jury::judgements(c, e.id).unwrap());
        assert!(!counted.is_empty(), "the demo has scores");
        let cats = app.db(|c| editions::categories(c, e.id).unwrap());
        let cat_of: HashMap<i32, i32> = app.db(|c| {
            entries::table
                .filter(entries::edition_id.eq(e.id))
                .select((entries::id, entries::category_id))
                .load(c)
                .unwrap()
                .into_iter()
                .collect()
        });
        for cat in &cats {
            let mut per_entry: HashMap<i32, Vec<f64>> = HashMap::new();
            for (en, _, t) in &counted {
                if cat_of[en] == cat.id {
                    per_entry.entry(*en).or_default().push(*t);
                }
            }
            let id = format!("dist-{}", cat.id);
            if per_entry.is_empty() {
                assert!(!page.body.contains(&format!("id=\"{id}\"")));
                continue;
            }
            let chart = svg(&page.body, &id);
            assert_accessible(
                chart,
                &id,
                &format!("Rozkład wyników w kategorii {}", cat.code),
            );
            // One dot per scored entry, each with its mean and range written beside it.
            assert_eq!(
                chart.matches("class=\"chart-mean\"").count(),
                per_entry.len(),
                "{chart}"
            );
            for v in per_entry.values() {
                let (m, _) = mean_sd(v);
                let lo = v.iter().copied().fold(f64::INFINITY, f64::min);
                let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                let text = format!("{} ({}–{})", pl(m), pl(lo), pl(hi));
                assert!(
                    chart.contains(&format!(">{text}</text>")),
                    "{text} in {chart}"
                );
            }
        }
        // Severity: each juror's mean and spread, and the jury's, in the chart and its table.
        let chart = svg(&page.body, "severity");
        assert_accessible(chart, "severity", "Skala ocen członków jury");
        let all: Vec<f64> = counted.iter().map(|(_, _, t)| *t).collect();
        let (jm, jsd) = mean_sd(&all);
        assert!(
            chart.contains(&format!("({} ± {})", pl(jm), pl(jsd))),
            "the jury's mean and spread are described: {chart}"
        );
        let names: HashMap<i32, String> = app.db(|c| {
            jury::jurors(c)
                .unwrap()
                .into_iter()
                .map(|j| (j.id, j.name))
                .collect()
        });
        let mut per_juror: HashMap<i32, Vec<f64>> = HashMap::new();
        for (_, j, t) in &counted {
            per_juror.entry(*j).or_default().push(*t);
        }
        assert_eq!(
            chart.matches("class=\"chart-mean\"").count(),
            per_juror.len()
        );
        for (j, v) in &per_juror {
            let (m, sd) = mean_sd(v);
            assert!(
                chart.contains(&format!(">{} ± {}</text>", pl(m), pl(sd))),
                "juror {j} in {chart}"
            );
            let row = format!(
                "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td>",
                names[j],
                v.len(),
                pl(m),
                pl(sd)
            );
            assert!(page.body.contains(&row), "{row}");
        }
    }
);

both_backends!(
    the_jury_page_draws_each_jurors_and_categorys_progress,
    |app| {
        let (e, org) = demo(&app);
        let page = org.get(&format!("/admin/editions/{}/jury", e.id));
        assert_eq!(page.status, 200);
        let work = app.db(|c| jury::work(c, e.id).unwrap());
        let mut by_juror: HashMap<i32, (i64, i64)> = HashMap::new();
        let mut by_cat: HashMap<i32, (i64, i64)> = HashMap::new();
        for t in &work {
            for (m, k) in [(&mut by_juror, t.juror_id), (&mut by_cat, t.category_id)] {
                let x = m.entry(k).or_default();
                x.0 += 1;
                x.1 += i64::from(t.done);
            }
        }
        let text = |(total, done): (i64, i64)| {
            format!(
                ">{done} z {total} ({}%)</text>",
                (done * 100 + total / 2) / total
            )
        };
        let jurors = svg(&page.body, "progress-jurors");
        assert_accessible(
            jurors,
            "progress-jurors",
            "Postęp oceny według członków jury",
        );
        assert_eq!(
            jurors.matches("class=\"chart-track\"").count(),
            by_juror.len()
        );
        for p in by_juror.values() {
            assert!(jurors.contains(&text(*p)), "{} in {jurors}", text(*p));
        }
        let cats = svg(&page.body, "progress-categories");
        assert_accessible(cats, "progress-categories", "Postęp oceny według kategorii");
        assert_eq!(cats.matches("class=\"chart-track\"").count(), by_cat.len());
        for p in by_cat.values() {
            assert!(cats.contains(&text(*p)), "{} in {cats}", text(*p));
        }
        // The English page says the same in English.
        let en = org.get(&format!("/admin/editions/{}/jury?lang=en", e.id));
        let jurors = svg(&en.body, "progress-jurors");
        assert_accessible(jurors, "progress-jurors", "Judging progress by juror");
        let (total, done) = *by_juror.values().next().unwrap();
        assert!(jurors.contains(&format!(">{done} of {total} (")));
    }
);

both_backends!(
    the_edition_page_draws_entries_arriving_per_category,
    |app| {
        let (e, org) = demo(&app);
        let page = org.get(&format!("/admin/editions/{}", e.id));
        assert_eq!(page.status, 200);
        let counts: Vec<(i32, String, i64)> = app.db(|c| {
            entries::table
                .inner_join(categories::table)
                .filter(entries::edition_id.eq(e.id))
                .filter(entries::submitted_at.is_not_null())
                .filter(entries::status.ne_all(["draft", "withdrawn"]))
                .group_by((categories::id, categories::code))
                .select((categories::id, categories::code, diesel::dsl::count_star()))
                .load(c)
                .unwrap()
        });
        assert!(!counts.is_empty());
        let total: i64 = counts.iter().map(|x| x.2).sum();
        page.assert_contains("Do tej pory wpłynęł");
        page.assert_contains(&format!(" {total} zgłosze"));
        for (id, code, n) in &counts {
            let chart = svg(&page.body, &format!("arrivals-{id}"));
            assert_accessible(
                chart,
                &format!("arrivals-{id}"),
                &format!("Zgłoszenia w kategorii {code} dzień po dniu"),
            );
            assert!(chart.contains(&format!("Razem: {n}.</desc>")), "{chart}");
            assert!(chart.contains("class=\"chart-deadline\""));
            assert!(chart.contains(">termin "));
        }
        // The table's last running total is every entry.
        let last = format!("<td class=\"num\">{total}</td></tr>");
        let at = page
            .body
            .find(&last)
            .expect("the running total reaches every entry")
            + last.len();
        assert!(page.body[at..].trim_start().starts_with("</tbody>"));
    }
);

both_backends!(a_new_call_says_there_is_nothing_to_draw_yet, |app| {
    let org = crate::support::organiser(&app);
    let call = open_call(&app, &org, "pusta", chrono::Duration::days(10));
    let ed = call.edition_id;
    let show = org.get(&format!("/admin/editions/{ed}"));
    show.assert_contains("Nie wpłynęło jeszcze żadne zgłoszenie.");
    assert!(!show.body.contains("<svg class=\"chart\""));
    let jury = org.get(&format!("/admin/editions/{ed}/jury"));
    jury.assert_contains("Nie przydzielono jeszcze zgłoszeń do oceny.");
    assert!(!jury.body.contains("<svg class=\"chart\""));
    let ranking = org.get(&format!("/admin/editions/{ed}/ranking"));
    assert_eq!(ranking.status, 200);
    ranking.assert_contains("Nie ma jeszcze przesłanych ocen.");
    assert!(!ranking.body.contains("<svg class=\"chart\""));
    let announce = org.get(&format!("/admin/editions/{ed}/announce"));
    announce.assert_contains("Ogłoszenie nie zostało jeszcze wysłane.");
    let json = org.get(&format!("/admin/editions/{ed}/announce/progress"));
    let v: serde_json::Value = serde_json::from_str(&json.body).unwrap();
    assert_eq!(v["total"], 0);
    assert_eq!(v["active"], false);
});

/// An outbox row (kind, institution, status) and a test of its kind of recipient.
type Row = (String, Option<i32>, String);
type Pred<'a> = &'a dyn Fn(&Row) -> bool;

/// The announcement's JSON progress as the organiser's client gets it.
fn progress(org: &Client, ed: i32) -> serde_json::Value {
    let p = org.get(&format!("/admin/editions/{ed}/announce/progress"));
    assert_eq!(p.status, 200);
    assert!(
        p.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(p.header("cache-control"), Some("private, no-store"));
    serde_json::from_str(&p.body).unwrap()
}

both_backends!(
    the_announcements_progress_counts_a_refused_recipient_as_failed,
    |app| {
        let (e, org) = demo(&app);
        let ed = e.id;
        let before = progress(&org, ed);
        assert_eq!(before["total"], 0);
        // The first message the recipients' server receives is refused for good, once the
        // mail the demo's loading sent (and then removed from the outbox) has all arrived: the
        // server has received nothing new for a second.
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut seen = (app.smtp.all().len(), Instant::now());
        while seen.1.elapsed() < Duration::from_secs(1) {
            assert!(Instant::now() < deadline, "the demo's mail does not stop");
            std::thread::sleep(Duration::from_millis(50));
            let n = app.smtp.all().len();
            if n != seen.0 {
                seen = (n, Instant::now());
            }
        }
        app.smtp.reject_next_permanent(1);
        let confirm =
            format!("/admin/editions/{ed}/announce/confirm?extra=redakcja%40gazeta.example");
        org.get(&confirm);
        let done = org.submit(
            &confirm,
            &format!("/admin/editions/{ed}/announce"),
            &[("extra", "redakcja@gazeta.example"), ("confirm", "yes")],
        );
        assert_eq!(done.status, 200);
        // Until the worker has tried every message.
        let deadline = Instant::now() + Duration::from_secs(60);
        let p = loop {
            let p = progress(&org, ed);
            if p["queued"] == 0 {
                break p;
            }
            assert_eq!(p["active"], true);
            assert!(Instant::now() < deadline, "still queued: {p}");
            std::thread::sleep(Duration::from_millis(100));
        };
        // The numbers from the outbox itself.
        let rows: Vec<Row> = app.db(|c| {
            outbox::table
                .filter(outbox::kind.like("announcement%"))
                .select((outbox::kind, outbox::institution_id, outbox::status))
                .load(c)
                .unwrap()
        });
        let awarded: HashSet<i32> = app.db(|c| {
            awards::table
                .inner_join(entries::table)
                .filter(awards::edition_id.eq(ed))
                .select(entries::institution_id)
                .load::<i32>(c)
                .unwrap()
                .into_iter()
                .collect()
        });
        let count = |pred: Pred, status: &str| {
            rows.iter().filter(|r| pred(r) && r.2 == status).count() as i64
        };
        let press = |r: &Row| r.0 == "announcement_press";
        let laureate = |r: &Row| r.0 == "announcement" && r.1.is_some_and(|i| awarded.contains(&i));
        let participant =
            |r: &Row| r.0 == "announcement" && !r.1.is_some_and(|i| awarded.contains(&i));
        assert_eq!(p["failed"], 1, "{p}");
        assert_eq!(p["total"], rows.len() as i64);
        assert_eq!(p["sent"], rows.len() as i64 - 1);
        assert_eq!(p["active"], false);
        let audiences = p["audiences"].as_array().unwrap();
        let kinds: [(&str, Pred); 3] = [
            ("laureates", &laureate),
            ("participants", &participant),
            ("press", &press),
        ];
        for (a, (name, pred)) in audiences.iter().zip(kinds) {
            assert_eq!(a["audience"], name);
            for s in ["queued", "sent", "failed"] {
                assert_eq!(a[s], count(pred, s), "{name} {s}: {p}");
            }
        }
        assert_eq!(audiences[2]["total"], 1, "one press address");
        assert!(
            audiences[0]["total"].as_i64().unwrap() > 0,
            "laureates written to"
        );
        assert_eq!(
            rows.iter()
                .filter(|r| r.2 == OutboxStatus::Failed.as_str())
                .count(),
            1
        );
        // The page shows the same numbers, and the failure's way out.
        let page = org.get(&format!("/admin/editions/{ed}/announce"));
        page.assert_contains(&format!(
            "Wysłane: {} z {}. W kolejce: 0. Nieudane: 1.",
            p["sent"], p["total"]
        ));
        page.assert_contains(&format!(
            "<progress id=\"progress-laureates\" max=\"{}\" value=\"{}\">",
            audiences[0]["total"], audiences[0]["sent"]
        ));
        page.assert_contains("Nieudane wiadomości można wysłać jeszcze raz");
        assert!(
            !page.body.contains("data-progress-active"),
            "nothing to poll"
        );
        // Only organisers see it.
        let anon = app.client();
        let p = anon.get_no_redirect(&format!("/admin/editions/{ed}/announce/progress"));
        assert_ne!(p.status, 200);
        assert!(!p.body.contains("\"total\""));
        let applicant =
            crate::support::register_applicant(&app, "ciekawski@gmina.example", "Gmina Ciekawska");
        let p = applicant
            .client
            .get(&format!("/admin/editions/{ed}/announce/progress"));
        assert_eq!(p.status, 403);
        assert!(!p.body.contains("\"total\""));
    }
);

// Many entries: a category of more than `MAX_ROWS` scored entries is drawn as a histogram of
// the means (one bar per band, the counts in its table), not one row each.
both_backends!(many_entries_are_drawn_as_a_histogram, |app| {
    use diesel::connection::SimpleConnection;
    const N: usize = 120;
    const TS: &str = "'2026-01-01 00:00:00'";
    let org = crate::support::organiser(&app);
    let ed: i32 = app.db(|c| {
        c.batch_execute(&format!(
            "INSERT INTO editions (slug, name, name_en, year, rules, rules_en, opens_at, closes_at, judging_deadline, \
             entries_per_category, state, state_changed_at, created_at, updated_at, blind_judging, aggregation, show_scores) \
             VALUES ('wiele', 'Wiele', 'Many', 2026, '', '', '2025-12-01 08:00:00', '2025-12-31 12:00:00', '2999-01-01 00:00:00', \
             1, 'judging', {TS}, {TS}, {TS}, FALSE, 'mean', FALSE);"
        ))
        .unwrap();
        konkurs::db::schema::editions::table
            .filter(konkurs::db::schema::editions::slug.eq("wiele"))
            .select(konkurs::db::schema::editions::id)
            .first(c)
            .unwrap()
    });
    app.db(|c| {
        c.batch_execute(&format!(
            "INSERT INTO categories (edition_id, code, name, name_en, description, description_en, position) \
             VALUES ({ed}, 'H', 'Wiele', 'Many', '', '', 0); \
             INSERT INTO criteria (edition_id, name, name_en, description, description_en, max_points, weight, levels, levels_en, position) \
             VALUES ({ed}, 'Jakość', 'Quality', '', '', 10, 1, '', '', 0); \
             INSERT INTO institutions (name, kind, street, postal_code, city, contact_person, phone, created_at, updated_at) \
             VALUES ('Gmina Wielka', 'gmina_wiejska', 'ul. 1', '00-001', 'X', 'Y', '22 000 00 00', {TS}, {TS}); \
             INSERT INTO users (email, name, password_hash, role, lang, email_verified_at, created_at, updated_at) VALUES \
             ('a@wiele.example', 'Juror A', '', 'juror', 'pl', {TS}, {TS}, {TS}), \
             ('b@wiele.example', 'Juror B', '', 'juror', 'pl', {TS}, {TS}, {TS});"
        ))
        .unwrap();
    });
    let (cat, inst, ja, jb): (i32, i32, i32, i32) = app.db(|c| {
        use konkurs::db::schema::{institutions, users};
        let user = |c: &mut konkurs::db::DbConn, e: &str| -> i32 {
            users::table
                .filter(users::email.eq(e))
                .select(users::id)
                .first(c)
                .unwrap()
        };
        (
            categories::table
                .filter(categories::edition_id.eq(ed))
                .select(categories::id)
                .first(c)
                .unwrap(),
            institutions::table
                .filter(institutions::name.eq("Gmina Wielka"))
                .select(institutions::id)
                .first(c)
                .unwrap(),
            user(c, "a@wiele.example"),
            user(c, "b@wiele.example"),
        )
    });
    let rows: Vec<String> = (0..N)
        .map(|i| {
            format!(
                "({ed}, {cat}, {inst}, 1, 'Projekt {i}', '', '', '', '', '', '', '', '', '', TRUE, TRUE, 'accepted', '', \
                 '2025-12-{:02} 10:00:00', {TS}, {TS})",
                1 + i % 20
            )
        })
        .collect();
    app.db(|c| {
        c.batch_execute(&format!(
            "INSERT INTO entries (edition_id, category_id, institution_id, created_by, title, summary, description, budget, \
             funding, partners, links, contact_name, contact_email, contact_phone, accepted_rules, accepted_privacy, status, \
             decision_note, submitted_at, created_at, updated_at) VALUES {};",
            rows.join(",")
        ))
        .unwrap();
    });
    let ids: Vec<i32> = app.db(|c| {
        entries::table
            .filter(entries::edition_id.eq(ed))
            .order(entries::id)
            .select(entries::id)
            .load(c)
            .unwrap()
    });
    // Juror A gives i % 11 points, juror B one more (at most 10).
    let total = |i: usize, j: i32| {
        let a = (i % 11) as f64;
        if j == ja { a } else { (a + 1.0).min(10.0) }
    };
    let mut assign = Vec::new();
    let mut reviews = Vec::new();
    for (i, id) in ids.iter().enumerate() {
        for j in [ja, jb] {
            assign.push(format!("({ed}, {id}, {j}, {TS})"));
            reviews.push(format!(
                "({ed}, {id}, {j}, '', 'submitted', {}, {TS}, {TS})",
                total(i, j)
            ));
        }
    }
    app.db(|c| {
        c.batch_execute(&format!(
            "INSERT INTO assignments (edition_id, entry_id, juror_id, created_at) VALUES {}; \
             INSERT INTO reviews (edition_id, entry_id, juror_id, comment, status, total, submitted_at, updated_at) VALUES {};",
            assign.join(","),
            reviews.join(",")
        ))
        .unwrap();
    });
    // The bands of 1 point from 0 to 10, the last one closed.
    let mut bins = [0usize; 10];
    for i in 0..N {
        let mean = (total(i, ja) + total(i, jb)) / 2.0;
        bins[(0..10u8)
            .rev()
            .find(|b| mean >= f64::from(*b))
            .map_or(0, usize::from)] += 1;
    }
    let page = org.get(&format!("/admin/editions/{ed}/ranking"));
    assert_eq!(page.status, 200);
    let id = format!("dist-{cat}");
    let chart = svg(&page.body, &id);
    assert_accessible(chart, &id, "Rozkład wyników w kategorii H");
    assert!(
        chart.contains(&format!("Zgłoszenia z ocenami: {N}.")),
        "{chart}"
    );
    assert_eq!(chart.matches("class=\"chart-track\"").count(), 10);
    assert!(!chart.contains("chart-mean"), "no dot per entry");
    for (b, k) in bins.iter().enumerate() {
        let band = format!("{b}–{} pkt", b + 1);
        assert!(chart.contains(&format!(">{band}</text>")), "{band}");
        assert!(
            page.body.contains(&format!(
                "<tr><th scope=\"row\">{band}</th><td class=\"num\">{k}</td></tr>"
            )),
            "{band}: {k}"
        );
    }
    // Both jurors against the jury, juror B higher by the extra point.
    let sev = svg(&page.body, "severity");
    assert_eq!(sev.matches("class=\"chart-mean\"").count(), 2);
    // The edition's page: every entry arrived, by day.
    let show = org.get(&format!("/admin/editions/{ed}"));
    show.assert_contains(&format!("Do tej pory wpłynęło {N} zgłoszeń."));
    let arrivals = svg(&show.body, &format!("arrivals-{cat}"));
    assert_eq!(
        arrivals.matches("class=\"chart-mean\"").count(),
        20,
        "one marker per day"
    );
    assert!(arrivals.contains(&format!(">{N}</text>")));
});
