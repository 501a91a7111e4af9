//! A whole edition on both backends: entries, formal check, jury, conflicts, scores, ranking
//! with a tie broken, awards, protocol, publication and the announcement by email.

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{awards, editions, entries, outbox, reviews};

use crate::both_backends;
use crate::support::judging::{
    add_conflict, closed_with_entries, entry_of, id_of_user, juror, refs, scores,
};
use crate::support::{Client, TestApp, warsaw};

both_backends!(
    a_whole_edition_is_judged_awarded_published_and_announced,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let crit = crate::support::judging::criteria_of(&app, ed);

        // How the edition is judged: the first criterion breaks ties; institutions see their scores.
        org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/settings"),
            &[
                ("aggregation", "mean"),
                ("tie_break_criterion_id", &crit[0].to_string()),
                ("show_scores", "yes"),
            ],
        )
        .assert_contains("Zapisano zmiany");

        // Three jurors, invited by email.
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "j1@jury.example");
        let j2 = juror(&app, org, ed, "Juror Drugi", "j2@jury.example");
        let j3 = juror(&app, org, ed, "Juror Trzeci", "j3@jury.example");
        let (id1, id2, id3) = (
            id_of_user(&app, "j1@jury.example"),
            id_of_user(&app, "j2@jury.example"),
            id_of_user(&app, "j3@jury.example"),
        );
        let (cat1, cat2) = (j.categories[0].to_string(), j.categories[1].to_string());
        for (jid, cats) in [
            (id1, vec![cat1.as_str(), cat2.as_str()]),
            (id2, vec![cat1.as_str(), cat2.as_str()]),
            (id3, vec![cat1.as_str()]),
        ] {
            let mut fields: Vec<(&str, &str)> = cats.iter().map(|c| ("category", *c)).collect();
            fields.push(("category", "999999"));
            org.submit(
                &format!("/admin/editions/{ed}/jury"),
                &format!("/admin/editions/{ed}/jury/{jid}/categories"),
                &fields,
            )
            .assert_contains("Zapisano zmiany");
        }
        let [a, b, c_, d] = [
            entry_of(&app, j.titles[0]),
            entry_of(&app, j.titles[1]),
            entry_of(&app, j.titles[2]),
            entry_of(&app, j.titles[3]),
        ];
        // A single entry added to J3, then removed again.
        let juror_page = format!("/admin/editions/{ed}/jury/{id3}");
        org.submit(
            &juror_page,
            &format!("/admin/editions/{ed}/jury/{id3}/assignment"),
            &[("entry_id", &d.to_string()), ("assign", "1")],
        )
        .assert_contains("E-usługi D");
        let page = org.get(&juror_page);
        let token = page.csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/jury/{id3}/assignment"),
            &[
                ("csrf", &token),
                ("entry_id", &d.to_string()),
                ("assign", "0"),
            ],
        );
        org.get(&juror_page).assert_not_contains(">E-usługi D<");

        // Judging starts; a reminder goes to every juror with work left.
        let token = org.get("/account").csrf_for("/logout");
        assert_eq!(
            org.post(
                &format!("/admin/editions/{ed}/state"),
                &[("csrf", &token), ("to", "judging"), ("confirm", "yes")]
            )
            .status,
            200
        );
        let remind = org.get(&format!("/admin/editions/{ed}/remind"));
        remind.assert_contains("Liczba osób z jury, które dostaną przypomnienie");
        crate::support::confirm(org, remind).assert_contains("Przypomnienia zostały wysłane");
        for email in ["j1@jury.example", "j2@jury.example", "j3@jury.example"] {
            assert_eq!(
                app.smtp
                    .wait_subject(
                        email,
                        "Przypomnienie o ocenie zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”"
                    )
                    .subject,
                "Przypomnienie o ocenie zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”"
            );
        }

        // Entries open only after the declaration.
        let before = j1.get(&format!("/jury/entries/{a}"));
        assert!(before.url.ends_with("/jury"), "{}", before.url);
        before.assert_contains("Najpierw złóż deklarację");
        let refused = j1.submit("/jury", &format!("/jury/editions/{ed}/declaration"), &[]);
        assert_eq!(refused.status, 422);
        assert!(refused.has_field_error("accept"));
        for jc in [&j1, &j2, &j3] {
            jc.submit(
                "/jury",
                &format!("/jury/editions/{ed}/declaration"),
                &[("accept", "yes")],
            )
            .assert_contains("Deklaracja została złożona");
        }

        // Conflicts: J2 declares one with C; an organiser records J3's with B.
        let inst_c: i32 = app.db(|c| {
            entries::table
                .find(c_)
                .select(entries::institution_id)
                .first(c)
                .unwrap()
        });
        let inst_b: i32 = app.db(|c| {
            entries::table
                .find(b)
                .select(entries::institution_id)
                .first(c)
                .unwrap()
        });
        j2.submit(
            "/jury",
            &format!("/jury/editions/{ed}/conflicts"),
            &[
                ("institution_id", &inst_c.to_string()),
                ("reason", "współpraca przy projekcie"),
            ],
        )
        .assert_contains("Konflikt interesów został zapisany");
        add_conflict(org, ed, id3, inst_b, "zatrudnienie")
            .assert_contains("Konflikt interesów został zapisany");

        // Refusals: a conflicted entry, an unassigned one, a score out of range.
        let conflicted = j2.get(&format!("/jury/entries/{c_}"));
        assert_eq!(conflicted.status, 403);
        conflicted.assert_contains("konflikt interesów");
        conflicted.assert_not_contains("Dane przestrzenne C</h1>");
        let token = j2.get("/jury").csrf_for("/logout");
        let forced = j2.post(
            &format!("/jury/entries/{c_}"),
            &refs(
                &[
                    vec![("csrf".to_string(), token.clone())],
                    scores(&crit, [10, 10, 10, 10], "x", "submit"),
                ]
                .concat(),
            ),
        );
        assert_eq!(forced.status, 403);
        // Nor through the confirmation: its page and its POST refuse the same way.
        assert_eq!(j2.get(&format!("/jury/entries/{c_}/submit")).status, 403);
        let forced = j2.post(
            &format!("/jury/entries/{c_}/submit"),
            &[("csrf", &token), ("confirm", "yes")],
        );
        assert_eq!(forced.status, 403);
        assert_eq!(j3.get(&format!("/jury/entries/{d}")).status, 404);
        assert_eq!(j3.get(&format!("/jury/entries/{d}/submit")).status, 404);
        let token3 = j3.get("/jury").csrf_for("/logout");
        let forced = j3.post(
            &format!("/jury/entries/{d}/submit"),
            &[("csrf", &token3), ("confirm", "yes")],
        );
        assert_eq!(forced.status, 404);
        let out_of_range = j1.submit(
            &format!("/jury/entries/{a}"),
            &format!("/jury/entries/{a}"),
            &refs(&scores(&crit, [11, 7, -1, 8], "Bardzo dobre.", "submit")),
        );
        assert_eq!(out_of_range.status, 422);
        assert!(out_of_range.has_field_error(&format!("score-{}", crit[0])));
        assert!(out_of_range.has_field_error(&format!("score-{}", crit[2])));
        out_of_range.assert_contains("value=\"11\"");
        // The summary names each criterion with its message and links to it.
        out_of_range.assert_contains(&format!(
            "<a href=\"#f-score-{}\">Innowacyjność: wpisz liczbę całkowitą od 0 do 10.</a>",
            crit[0]
        ));
        let n: i64 = app.db(|c| reviews::table.count().get_result(c).unwrap());
        assert_eq!(n, 0, "nothing stored");

        // Scores: A and B tie on the mean; A is higher on the tie-break criterion.
        let submit = |client: &Client, entry: i32, pts: [i32; 4], comment: &str| {
            let review = client.submit(
                &format!("/jury/entries/{entry}"),
                &format!("/jury/entries/{entry}"),
                &refs(&scores(&crit, pts, comment, "review")),
            );
            assert!(
                review.url.ends_with("/submit"),
                "{} {}",
                review.status,
                review.body
            );
            review.assert_contains("Wysłać ocenę?");
            let p = crate::support::confirm(client, review);
            assert!(
                p.url.ends_with("/jury"),
                "score not submitted: {} {}",
                p.status,
                p.body
            );
        };
        // A draft first, then submitted.
        let draft = j1.submit(
            &format!("/jury/entries/{a}"),
            &format!("/jury/entries/{a}"),
            &refs(&scores(&crit, [9, 7, 8, 8], "", "save")),
        );
        draft.assert_contains("value=\"9\"");
        submit(&j1, a, [9, 7, 8, 8], "Innowacyjne podejście.");
        submit(&j1, b, [7, 9, 8, 8], "Duże korzyści.");
        submit(&j1, c_, [5, 5, 5, 5], "Poprawne.");
        submit(&j1, d, [7, 7, 7, 7], "Dobre e-usługi.");
        submit(&j2, a, [8, 8, 8, 8], "Solidne.");
        submit(&j2, b, [8, 8, 8, 8], "Solidne.");
        submit(&j2, d, [6, 6, 6, 6], "Przyzwoite.");
        submit(&j3, a, [8, 8, 8, 8], "Równe.");
        submit(&j3, c_, [6, 6, 6, 6], "Może być.");
        // A submitted score is locked until an organiser reopens it.
        let locked = j1.get(&format!("/jury/entries/{a}"));
        locked.assert_contains("Ocena została wysłana i jest zablokowana");
        // The juror sees each entry's reference number, on the list and the entry.
        locked.assert_contains("<dd class=\"reference\">VI/I/001</dd>");
        j1.get("/jury")
            .assert_contains("<td class=\"reference\">VI/I/001</td>");
        let token = locked.csrf_for("/logout");
        let change = j1.post(
            &format!("/jury/entries/{a}"),
            &refs(
                &[
                    vec![("csrf".to_string(), token)],
                    scores(&crit, [1, 1, 1, 1], "zmiana", "submit"),
                ]
                .concat(),
            ),
        );
        assert_eq!(change.status, 422);
        change.assert_contains("Ocena została już wysłana");
        org.submit(
            &format!("/admin/editions/{ed}/jury/{id1}"),
            &format!("/admin/editions/{ed}/jury/{id1}/reopen"),
            &[("entry_id", &a.to_string())],
        )
        .assert_contains("otwarta ponownie");
        submit(
            &j1,
            a,
            [9, 7, 8, 8],
            "Innowacyjne podejście, po ponownym otwarciu.",
        );
        // Jurors see only their own scores.
        j2.get(&format!("/jury/entries/{a}"))
            .assert_not_contains("Innowacyjne podejście");
        // Conflicted assignments are not work: J2 has 3 of 3 (not C), J3 2 of 2 (not B).
        let progress = org.get(&format!("/admin/editions/{ed}/jury"));
        progress.assert_contains("Ocenione: 4 z 4");
        progress.assert_contains("Ocenione: 3 z 3");
        progress.assert_contains("Ocenione: 2 z 2");
        progress.assert_not_contains("Ocenione: 3 z 4");
        progress.assert_not_contains("Ocenione: 2 z 3");

        // The ranking: A first (tie broken by the criterion), B second, C third; conflicts left out.
        let ranking = org.get(&format!("/admin/editions/{ed}/ranking"));
        let pos = |t: &str| {
            ranking
                .body
                .find(t)
                .unwrap_or_else(|| panic!("{t} not in the ranking"))
        };
        assert!(
            pos("Portal map A") < pos("Geoportal B")
                && pos("Geoportal B") < pos("Dane przestrzenne C")
        );
        ranking.assert_contains("rozstrzygnięte kryterium dodatkowym");
        // B and C are judged by every juror who may judge them: nobody is missing.
        ranking.assert_contains("2 / 2");
        ranking.assert_not_contains("2 / 3");
        ranking.assert_not_contains("nie wszyscy członkowie jury ocenili");
        // Each entry's jurors' scores are a table: juror, points per criterion, total.
        let row = ranking
            .body
            .split("<table class=\"juror-scores\">")
            .skip(1)
            .flat_map(|t| t.split("<tr><th scope=\"row\">"))
            .find(|r| r.starts_with("Juror Trzeci"))
            .and_then(|r| r.split("</tr>").next())
            .expect("a row of Juror Trzeci in a jurors' scores table");
        assert!(row.ends_with("<td class=\"num\">48</td>"), "{row}");

        // A hand-made request naming one entry twice is refused with a message.
        let token = org
            .get(&format!("/admin/editions/{ed}/ranking"))
            .csrf_for("/logout");
        let twice_same = org.post(
            &format!("/admin/editions/{ed}/awards/{}", j.categories[0]),
            &[
                ("csrf", &token),
                (&format!("award-{a}") as &str, "1"),
                (&format!("award-{a}"), "2"),
            ],
        );
        assert_eq!(twice_same.status, 422);
        // Two first places without declaring a tie are refused; nothing changes.
        let awards_url = format!("/admin/editions/{ed}/awards/{}", j.categories[0]);
        let twice = org.submit(
            &format!("/admin/editions/{ed}/ranking"),
            &awards_url,
            &[
                (&format!("award-{a}") as &str, "1"),
                (&format!("award-{b}"), "1"),
                (&format!("award-{c_}"), ""),
            ],
        );
        assert_eq!(twice.status, 422);
        twice.assert_contains("I miejsce przyznano kilku zgłoszeniom");
        let n: i64 = app.db(|c| awards::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);
        org.submit(
            &format!("/admin/editions/{ed}/ranking"),
            &awards_url,
            &[
                (&format!("award-{a}") as &str, "1"),
                (&format!("award-{b}"), "2"),
                (&format!("award-{c_}"), "mention"),
            ],
        )
        .assert_contains("Nagrody zostały zapisane");
        org.submit(
            &format!("/admin/editions/{ed}/ranking"),
            &format!("/admin/editions/{ed}/awards/{}", j.categories[1]),
            &[(&format!("award-{d}") as &str, "1")],
        )
        .assert_contains("Nagrody zostały zapisane");

        // Publishing needs the finalised protocol; after it, scores are locked.
        let token = org.get("/account").csrf_for("/logout");
        let early = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "published"), ("confirm", "yes")],
        );
        assert_eq!(early.status, 422);
        early.assert_contains("Najpierw zatwierdź protokół jury");
        // Its confirmation page refuses it as well, with no button.
        let not_yet = org.get(&format!("/admin/editions/{ed}/state?to=published"));
        assert_eq!(not_yet.status, 409);
        not_yet.assert_contains("Najpierw zatwierdź protokół jury");
        not_yet.assert_not_contains("name=\"confirm\"");
        let protocol = org.get(&format!("/admin/editions/{ed}/protocol"));
        protocol.assert_contains("Juror Drugi");
        protocol.assert_contains("współpraca przy projekcie");
        protocol.assert_contains("Innowacyjne podejście, po ponownym otwarciu.");
        // The protocol page leads to the confirmation, which says what finalising locks.
        org.get(&format!("/admin/editions/{ed}/protocol"))
            .assert_contains(&format!("href=\"/admin/editions/{ed}/protocol/finalise\""));
        let finalise = org.get(&format!("/admin/editions/{ed}/protocol/finalise"));
        finalise.assert_contains("Zatwierdzić protokół?");
        finalise.assert_contains("<dt>Liczba przyznanych nagród i wyróżnień</dt><dd>4</dd>");
        crate::support::confirm(org, finalise).assert_contains("Protokół został zatwierdzony");
        // The jury's make-up is locked with it: no conflict can be added to change what counts.
        let late_conflict = add_conflict(org, ed, id1, inst_b, "po fakcie");
        assert_eq!(late_conflict.status, 422);
        late_conflict.assert_contains("Protokół jury został zatwierdzony");
        let late_own = j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/conflicts"),
            &[("institution_id", &inst_b.to_string())],
        );
        assert_eq!(late_own.status, 422);
        let reopen = org.submit(
            &format!("/admin/editions/{ed}/jury/{id1}"),
            &format!("/admin/editions/{ed}/jury/{id1}/reopen"),
            &[("entry_id", &a.to_string())],
        );
        reopen.assert_contains("Protokół jury został zatwierdzony");
        // Nor removed: the organiser is told so on the edition's jury page, and it stays.
        let conflict_id: i32 = app.db(|c| {
            konkurs::db::schema::conflicts::table
                .filter(konkurs::db::schema::conflicts::edition_id.eq(ed))
                .filter(konkurs::db::schema::conflicts::juror_id.eq(id3))
                .select(konkurs::db::schema::conflicts::id)
                .first(c)
                .unwrap()
        });
        let kept = org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/conflicts/{conflict_id}/delete"),
            &[],
        );
        assert!(
            kept.url.contains(&format!("/admin/editions/{ed}/jury")),
            "{}",
            kept.url
        );
        kept.assert_contains("Protokół jury został zatwierdzony");
        assert!(
            app.db(|c| {
                konkurs::db::schema::conflicts::table
                    .find(conflict_id)
                    .count()
                    .get_result::<i64>(c)
                    .unwrap()
            }) == 1
        );
        let sheet = org.get(&format!("/admin/editions/{ed}/scores.csv"));
        assert!(sheet.body.starts_with('\u{feff}'));
        assert!(
            sheet.body.contains("\"Juror Pierwszy\"") && sheet.body.contains("\"Innowacyjność\"")
        );
        assert!(sheet.body.contains("\"VI/I/001\""), "{}", sheet.body);
        assert_eq!(sheet.body.lines().count(), 1 + 9 * 4);
        // The edition page leads to the confirmation page, which publishes.
        org.get(&format!("/admin/editions/{ed}"))
            .assert_contains(&format!("href=\"/admin/editions/{ed}/state?to=published\""));
        let publish = org.get(&format!("/admin/editions/{ed}/state?to=published"));
        publish.assert_contains("Opublikować wyniki?");
        publish.assert_contains("Publikacja nie wysyła e-maili");
        publish.assert_contains(&app.url("/editions/vi/results"));
        let published = crate::support::confirm(org, publish);
        assert_eq!(published.status, 200, "{}", published.body);
        let state: String = app.db(|c| {
            editions::table
                .find(ed)
                .select(editions::state)
                .first(c)
                .unwrap()
        });
        assert_eq!(state, "published");
        // After publication no reminder is offered, and a POST is refused with the reason.
        org.get(&format!("/admin/editions/{ed}/jury"))
            .assert_not_contains(&format!("href=\"/admin/editions/{ed}/remind\""));
        let token = org.get("/account").csrf_for("/logout");
        let late = org.post(&format!("/admin/editions/{ed}/remind"), &[("csrf", &token)]);
        assert_eq!(late.status, 409);
        late.assert_contains("Wyniki są opublikowane");

        // The public results, in both languages, and as CSV and JSON.
        let results = app.client().get("/editions/vi/results");
        assert_eq!(results.status, 200);
        // Each with its reference number, as in the CSV and JSON; one mention is "Wyróżnienie".
        results.assert_contains(
            "<strong>I miejsce</strong> – Gmina A: „Portal map A” (numer zgłoszenia: VI/I/001)",
        );
        results.assert_contains(
            "<strong>II miejsce</strong> – Gmina B: „Geoportal B” (numer zgłoszenia: VI/I/002)",
        );
        results.assert_contains("<h3>Wyróżnienie</h3>");
        results.assert_not_contains("Wyróżnienia");
        results.assert_contains("Gmina C: „Dane przestrzenne C” (numer zgłoszenia: VI/I/003)");
        results.assert_contains(
            "<strong>I miejsce</strong> – Gmina D: „E-usługi D” (numer zgłoszenia: VI/II/001)",
        );
        let en = app.client().get("/editions/vi/results?lang=en");
        en.assert_contains(
            "<strong>1st place</strong> – Gmina A: “Portal map A” (reference number: VI/I/001)",
        );
        en.assert_contains("<h3>Honourable mention</h3>");
        let json: serde_json::Value =
            serde_json::from_str(&app.client().get("/editions/vi/results.json").body).unwrap();
        assert_eq!(json["categories"][0]["places"][0]["institution"], "Gmina A");
        assert_eq!(
            json["categories"][0]["mentions"][0]["project"],
            "Dane przestrzenne C"
        );
        let csv = app.client().get("/editions/vi/results.csv");
        assert!(
            csv.body.contains("\"Gmina B\";\"Geoportal B\""),
            "{}",
            csv.body
        );

        // The announcement: previewed, then sent to every institution and the press.
        let preview = org.get(&format!("/admin/editions/{ed}/announce"));
        preview.assert_contains("Gratulacje! Wyniki konkursu");
        preview.assert_contains("jeszcze nie wysłano");
        preview.assert_contains("II miejsce — Gmina B — Geoportal B");
        preview.assert_contains("\nWyróżnienie — Gmina C — Dane przestrzenne C\n");
        preview.assert_contains(
            "&#60;li&#62;&#60;strong&#62;Wyróżnienie&#60;/strong&#62; — Gmina C — Dane przestrzenne C&#60;/li&#62;",
        );
        preview.assert_not_contains("miejsce – ");
        // The form leads to the confirmation (a GET: nothing is sent by it).
        preview.assert_contains(&format!(
            "<form method=\"get\" action=\"/admin/editions/{ed}/announce/confirm\""
        ));
        let bad = org.get(&format!(
            "/admin/editions/{ed}/announce/confirm?extra=redakcja%40gazeta%2C+"
        ));
        assert_eq!(bad.status, 422);
        assert!(bad.has_field_error("extra"));
        let confirm = org.get(&format!(
            "/admin/editions/{ed}/announce/confirm?extra=redakcja%40gazeta.example%2C+A%40inst-a.example"
        ));
        confirm.assert_contains("Wysłać ogłoszenie wyników?");
        // Per kind: laureates A, B, C and D (one person each), nobody without an award, the press.
        confirm.assert_contains("<td>Laureaci (instytucje z miejscem lub wyróżnieniem)</td><td class=\"num\">4</td><td class=\"num\">4</td>");
        confirm.assert_contains("<td>Media i inne adresy dodatkowe</td><td class=\"num\">—</td><td class=\"num\">1</td>");
        confirm.assert_contains("Gratulacje! Wyniki konkursu");
        confirm.assert_contains("redakcja@gazeta.example");
        assert_eq!(
            app.db(|c| outbox::table
                .filter(outbox::kind.like("announcement%"))
                .count()
                .get_result::<i64>(c)
                .unwrap()),
            0,
            "nothing queued before the confirmation"
        );
        crate::support::confirm(org, confirm).assert_contains("przekazane do wysyłki");
        // A participant's address typed as an extra one too gets only their own message.
        let to_a_count: i64 = app.db(|c| {
            outbox::table
                .filter(outbox::to_email.eq("a@inst-a.example"))
                .filter(outbox::kind.like("announcement%"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(to_a_count, 1);
        let to_a = app.smtp.wait_subject(
            "a@inst-a.example",
            "Gratulacje! Wyniki konkursu „Samorządowy Lider Cyfryzacji”",
        );
        assert!(
            to_a.text.contains("I miejsce") && to_a.text.contains("Portal map A"),
            "{}",
            to_a.text
        );
        let to_c = app.smtp.wait_subject(
            "c@inst-c.example",
            "Gratulacje! Wyniki konkursu „Samorządowy Lider Cyfryzacji”",
        );
        assert!(to_c.text.contains("wyróżnienie"), "{}", to_c.text);
        let press = app.smtp.wait_subject(
            "redakcja@gazeta.example",
            "Wyniki konkursu „Samorządowy Lider Cyfryzacji” – informacja dla mediów",
        );
        assert!(
            press.text.contains("Gmina D — E-usługi D"),
            "{}",
            press.text
        );
        // Sent several at a time: each arrives, in no particular order across recipients.
        for (_, email) in &j.applicants {
            app.smtp.wait_subject_containing(email, "Wyniki konkursu");
        }
        // Who was reached, once the outbox has sent everything.
        let mut reached = false;
        for _ in 0..50 {
            if !org
                .get(&format!("/admin/editions/{ed}/announce"))
                .body
                .contains("w kolejce")
            {
                reached = true;
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        assert!(reached);
        org.get(&format!("/admin/editions/{ed}/announce"))
            .assert_contains("dostarczono");

        // An institution sees its own entry's scores and comments, jurors anonymised.
        let (a_client, _) = &j.applicants[0];
        let own = a_client.get(&format!("/entries/{a}"));
        own.assert_contains("Wyniki oceny zgłoszenia");
        own.assert_contains("Innowacyjne podejście, po ponownym otwarciu.");
        own.assert_not_contains("Juror Pierwszy");
        own.assert_contains("I miejsce");
    }
);

both_backends!(
    scoring_after_the_judging_deadline_is_refused,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let j1 = juror(&app, org, ed, "Juror Spóźniony", "late@jury.example");
        let jid = id_of_user(&app, "late@jury.example");
        org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/{jid}/categories"),
            &[("category", &j.categories[0].to_string())],
        );
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        );
        // The organisers move the judging deadline to an hour from now.
        let e: (chrono::NaiveDateTime, chrono::NaiveDateTime) = app.db(|c| {
            editions::table
                .find(ed)
                .select((editions::opens_at, editions::closes_at))
                .first(c)
                .unwrap()
        });
        let soon = app.now() + Duration::hours(1);
        let saved = org.submit(
            &format!("/admin/editions/{ed}"),
            &format!("/admin/editions/{ed}"),
            &[
                ("name", "VI edycja"),
                ("name_en", "6th edition"),
                ("year", "2026"),
                ("slug", "vi"),
                ("opens_at", &warsaw(e.0)),
                ("closes_at", &warsaw(e.1)),
                ("judging_deadline", &warsaw(soon)),
                ("entries_per_category", "1"),
            ],
        );
        saved.assert_contains("Zapisano zmiany");
        let a = entry_of(&app, j.titles[0]);
        let crit = crate::support::judging::criteria_of(&app, ed);
        let form = j1.get(&format!("/jury/entries/{a}"));
        app.advance(Duration::hours(1) + Duration::seconds(1));
        let late = j1.submit_on(
            &form,
            &format!("/jury/entries/{a}"),
            &refs(&scores(&crit, [5, 5, 5, 5], "Spóźniona ocena.", "submit")),
        );
        assert_eq!(late.status, 422);
        late.assert_contains("Termin oceny minął");
        let n: i64 = app.db(|c| reviews::table.count().get_result(c).unwrap());
        assert_eq!(n, 0);
    }
);

both_backends!(
    only_organisers_run_the_jury_and_only_jurors_score,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let ed = j.edition_id;
        let (applicant, _) = &j.applicants[0];
        for path in [
            format!("/admin/editions/{ed}/jury"),
            format!("/admin/editions/{ed}/ranking"),
            format!("/admin/editions/{ed}/protocol"),
            format!("/admin/editions/{ed}/announce"),
            format!("/admin/editions/{ed}/scores.csv"),
        ] {
            assert_eq!(applicant.get(&path).status, 403, "{path}");
        }
        assert_eq!(applicant.get("/jury").status, 403);
        let a = entry_of(&app, j.titles[0]);
        assert_eq!(applicant.get(&format!("/jury/entries/{a}")).status, 403);
        // Results of an unpublished edition do not exist publicly.
        assert_eq!(app.client().get("/editions/vi/results").status, 404);
        assert_eq!(app.client().get("/editions/vi/results.json").status, 404);
        // A stranger with a juror account but no assignment sees nothing.
        let stranger = juror(&app, &j.org, ed, "Juror Obcy", "obcy@jury.example");
        assert_eq!(stranger.get(&format!("/jury/entries/{a}")).status, 404);
        assert_eq!(
            stranger.get(&format!("/entries/{a}/attachments/1")).status,
            404
        );
    }
);

both_backends!(
    blind_judging_hides_the_institution_from_jurors,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/settings"),
            &[
                ("aggregation", "mean"),
                ("tie_break_criterion_id", ""),
                ("blind_judging", "yes"),
            ],
        )
        .assert_contains("Zapisano zmiany");
        let j1 = juror(&app, org, ed, "Juror Ślepy", "blind@jury.example");
        let jid = id_of_user(&app, "blind@jury.example");
        org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/{jid}/categories"),
            &[("category", &j.categories[0].to_string())],
        );
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        // The rules are now fixed.
        let locked = org.get(&format!("/admin/editions/{ed}/jury"));
        locked.assert_contains("nie można ich zmienić");
        let token = locked.csrf_for("/logout");
        let change = org.post(
            &format!("/admin/editions/{ed}/jury/settings"),
            &[
                ("csrf", &token),
                ("aggregation", "normalised"),
                ("tie_break_criterion_id", ""),
            ],
        );
        assert_eq!(change.status, 422);
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        );
        let list = j1.get("/jury");
        list.assert_contains("Portal map A");
        list.assert_contains("Ocena anonimowa");
        // The entry list has no institution column (the conflict form still lists who took part).
        list.assert_not_contains("<td>Gmina A</td>");
        let a = entry_of(&app, j.titles[0]);
        let page = j1.get(&format!("/jury/entries/{a}"));
        page.assert_contains("Portal map A");
        page.assert_not_contains("Gmina A");
        page.assert_not_contains("anna@gmina.example");
        let print = j1.get(&format!("/entries/{a}/print"));
        assert_eq!(print.status, 200);
        print.assert_not_contains("Gmina A");
    }
);

both_backends!(a_conflicted_assignment_is_not_work_left, |app: TestApp| {
    let j = closed_with_entries(&app);
    let (org, ed) = (&j.org, j.edition_id);
    let crit = crate::support::judging::criteria_of(&app, ed);
    // Two jurors judge category I (A, B, C); J2 is conflicted with C's institution.
    let j1 = juror(&app, org, ed, "Juror Pierwszy", "p1@jury.example");
    let j2 = juror(&app, org, ed, "Juror Drugi", "p2@jury.example");
    let (id1, id2) = (
        id_of_user(&app, "p1@jury.example"),
        id_of_user(&app, "p2@jury.example"),
    );
    for jid in [id1, id2] {
        crate::support::judging::assign_category(org, ed, jid, j.categories[0]);
    }
    let [a, b, c_] = [
        entry_of(&app, j.titles[0]),
        entry_of(&app, j.titles[1]),
        entry_of(&app, j.titles[2]),
    ];
    let inst_c: i32 = app.db(|c| {
        entries::table
            .find(c_)
            .select(entries::institution_id)
            .first(c)
            .unwrap()
    });
    add_conflict(org, ed, id2, inst_c, "zatrudnienie")
        .assert_contains("Konflikt interesów został zapisany");
    let token = org.get("/account").csrf_for("/logout");
    assert_eq!(
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")]
        )
        .status,
        200
    );
    for jc in [&j1, &j2] {
        jc.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        )
        .assert_contains("Deklaracja została złożona");
    }
    let submit = |client: &Client, entry: i32, pts: [i32; 4]| {
        let p = crate::support::confirm(
            client,
            client.submit(
                &format!("/jury/entries/{entry}"),
                &format!("/jury/entries/{entry}"),
                &refs(&scores(&crit, pts, "Ocena.", "review")),
            ),
        );
        assert!(p.url.ends_with("/jury"), "{} {}", p.status, p.body);
    };
    // J1 scores A and B (C left); J2 scores A and B (C conflicted).
    submit(&j1, a, [8, 8, 8, 8]);
    submit(&j1, b, [7, 7, 7, 7]);
    submit(&j2, a, [6, 6, 6, 6]);
    submit(&j2, b, [5, 5, 5, 5]);

    // J2's dashboard and the organiser's pages: J2 is done, J1 has one left.
    j2.get("/jury").assert_contains("Ocenione: 2 z 2");
    j1.get("/jury").assert_contains("Ocenione: 2 z 3");
    let progress = org.get(&format!("/admin/editions/{ed}/jury"));
    progress.assert_contains("Ocenione: 2 z 2");
    progress.assert_contains("Ocenione: 2 z 3");
    org.get(&format!("/admin/editions/{ed}/jury/{id2}"))
        .assert_contains("Ocenione: 2 z 2");

    // The reminder goes to J1 only: J2's one remaining assignment is conflicted.
    let remind = org.get(&format!("/admin/editions/{ed}/remind"));
    remind.assert_contains("<dt>Liczba osób z jury, które dostaną przypomnienie</dt><dd>1</dd>");
    crate::support::confirm(org, remind).assert_contains("Przypomnienia zostały wysłane");
    app.smtp.wait_subject(
        "p1@jury.example",
        "Przypomnienie o ocenie zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”",
    );
    let to_j2: i64 = app.db(|c| {
        outbox::table
            .filter(outbox::to_email.eq("p2@jury.example"))
            .filter(outbox::kind.eq("jury_reminder"))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(to_j2, 0, "no reminder about a conflicted entry");

    // J1 scores C: now nobody has work left, and the ranking misses nobody.
    submit(&j1, c_, [9, 9, 9, 9]);
    let nobody = org.get(&format!("/admin/editions/{ed}/remind"));
    nobody.assert_contains("Nikt nie ma już ocen do wysłania");
    nobody.assert_not_contains("name=\"confirm\"");
    let ranking = org.get(&format!("/admin/editions/{ed}/ranking"));
    ranking.assert_contains("1 / 1");
    ranking.assert_not_contains("nie wszyscy członkowie jury ocenili");
});

both_backends!(
    the_jurors_page_marks_a_conflicted_assignment,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let crit = crate::support::judging::criteria_of(&app, ed);
        // One juror judges category I (A, B, C).
        let j1 = juror(&app, org, ed, "Juror Pierwszy", "k1@jury.example");
        let id1 = id_of_user(&app, "k1@jury.example");
        crate::support::judging::assign_category(org, ed, id1, j.categories[0]);
        let [a, c_] = [entry_of(&app, j.titles[0]), entry_of(&app, j.titles[2])];
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        )
        .assert_contains("Deklaracja została złożona");
        for entry in [a, c_] {
            let p = crate::support::confirm(
                &j1,
                j1.submit(
                    &format!("/jury/entries/{entry}"),
                    &format!("/jury/entries/{entry}"),
                    &refs(&scores(&crit, [7, 7, 7, 7], "Ocena.", "review")),
                ),
            );
            assert!(p.url.ends_with("/jury"), "{} {}", p.status, p.body);
        }
        let page = org.get(&format!("/admin/editions/{ed}/jury/{id1}"));
        page.assert_contains("Ocenione: 2 z 3");
        assert_eq!(page.body.matches("/reopen\"").count(), 2);

        // A conflict with C's institution, recorded after C was judged: C stays on the list,
        // marked, is no longer counted, and its judgement is not offered for reopening.
        let inst_c: i32 = app.db(|c| {
            entries::table
                .find(c_)
                .select(entries::institution_id)
                .first(c)
                .unwrap()
        });
        add_conflict(org, ed, id1, inst_c, "zatrudnienie")
            .assert_contains("Konflikt interesów został zapisany");
        let page = org.get(&format!("/admin/editions/{ed}/jury/{id1}"));
        page.assert_contains(j.titles[2]);
        assert_eq!(page.body.matches("konflikt interesów").count(), 1);
        page.assert_contains("Ocenione: 1 z 2");
        assert_eq!(page.body.matches("/reopen\"").count(), 1);
        // C is still assigned, so it is not offered for assigning again.
        assert!(!page.body.contains(&format!("<option value=\"{c_}\"")));
    }
);

both_backends!(
    the_jurors_page_puts_the_edition_with_work_first,
    |app: TestApp| {
        use konkurs::db::schema::assignments;

        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let j1 = juror(&app, org, ed, "Juror Stały", "staly@jury.example");
        let jid = id_of_user(&app, "staly@jury.example");
        org.submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/{jid}/categories"),
            &[("category", &j.categories[0].to_string())],
        );
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
        );
        let started = app.smtp.wait_subject(
            "staly@jury.example",
            "Rozpoczęła się ocena zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        assert!(
            started
                .text
                .contains("deklarację bezstronności i poufności"),
            "{}",
            started.text
        );
        // The score form labels each criterion with its range and weight, in lower case.
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        );
        let a = entry_of(&app, j.titles[0]);
        let form = j1.get(&format!("/jury/entries/{a}"));
        assert_eq!(form.status, 200);
        form.assert_contains(", waga ");
        form.assert_not_contains(", Waga ");
        j1.get(&format!("/jury/entries/{a}?lang=en"))
            .assert_contains(", weight ");

        // A year later: this edition is published and the same juror judges the next one,
        // which has the higher id (listed after it unless sorted).
        app.db(|c| {
            diesel::update(editions::table.find(ed))
                .set(editions::state.eq("published"))
                .execute(c)
                .unwrap();
            diesel::sql_query(format!(
                "INSERT INTO editions (slug, name, name_en, year, rules, rules_en, opens_at, \
                 closes_at, judging_deadline, entries_per_category, state, state_changed_at, \
                 created_at, updated_at, blind_judging, aggregation, show_scores) \
                 SELECT 'vii', 'VII edycja', '7th edition', 2027, rules, rules_en, opens_at, \
                 closes_at, judging_deadline, entries_per_category, 'judging', \
                 state_changed_at, created_at, updated_at, blind_judging, aggregation, \
                 show_scores FROM editions WHERE id = {ed}"
            ))
            .execute(c)
            .unwrap()
        });
        let next: i32 = app.db(|c| {
            editions::table
                .filter(editions::slug.eq("vii"))
                .select(editions::id)
                .first(c)
                .unwrap()
        });
        assert!(next > ed);
        // (An entry this juror has no assignment for yet: one assignment per entry and juror.)
        let d = entry_of(&app, j.titles[3]);
        let now = app.now();
        app.db(|c| {
            diesel::insert_into(assignments::table)
                .values((
                    assignments::edition_id.eq(next),
                    assignments::entry_id.eq(d),
                    assignments::juror_id.eq(jid),
                    assignments::created_at.eq(now),
                ))
                .execute(c)
                .unwrap()
        });
        let page = j1.get("/jury?lang=pl");
        assert_eq!(page.status, 200);
        let first = page.body.find("<h2 id=\"ed-").unwrap();
        assert!(
            page.body[first..].starts_with(&format!("<h2 id=\"ed-{next}\">VII edycja</h2>")),
            "the edition being judged comes first: {}",
            &page.body[first..]
        );
        assert!(
            page.body
                .contains(&format!("<h2 id=\"ed-{ed}\">VI edycja</h2>"))
        );
    }
);

both_backends!(
    entries_accepted_after_the_categories_are_set_reach_the_jurors,
    |app: TestApp| {
        use crate::support::judging::{assign_category, entry_of, id_of_user, juror};
        use crate::support::{
            close_call, entry_form, open_call, organiser, pairs, register_applicant, submit_entry,
        };
        // The jury is set up while the call is still open, before any entry is accepted.
        let org = organiser(&app);
        let call = open_call(&app, &org, "vii", chrono::Duration::days(14));
        let ed = call.edition_id;
        let j1 = juror(&app, &org, ed, "Juror Wcześniejszy", "w1@jury.example");
        let id1 = id_of_user(&app, "w1@jury.example");
        assign_category(&org, ed, id1, call.categories[0]);
        let r = register_applicant(&app, "a@wczesniej.example", "Gmina Wcześniejsza");
        submit_entry(
            &r.client,
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[0], "Portal zgłoszony", &[])),
        )
        .assert_contains("Zgłoszenie zostało wysłane");
        // Category II has no juror: its entry would be judged by nobody.
        let r2 = register_applicant(&app, "b@bez-jury.example", "Gmina Bez Jury");
        submit_entry(
            &r2.client,
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(call.categories[1], "E-usługi bez jury", &[])),
        )
        .assert_contains("Zgłoszenie zostało wysłane");
        close_call(&app, ed);
        let token = org.get("/account").csrf_for("/logout");
        org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "closed"), ("confirm", "yes")],
        );
        for title in ["Portal zgłoszony", "E-usługi bez jury"] {
            let id = entry_of(&app, title);
            org.submit(
                &format!("/admin/entries/{id}"),
                &format!("/admin/entries/{id}/decision"),
                &[("decision", "accept")],
            )
            .assert_contains("Decyzja została zapisana");
        }
        // Starting judging: the confirmation counts the juror and warns of the entry nobody
        // would judge; the email gives the juror one entry.
        let start = org.get(&format!("/admin/editions/{ed}/state?to=judging"));
        start.assert_contains("<dt>Liczba osób z jury, które dostaną e-mail</dt><dd>1</dd>");
        start.assert_contains(
            "<dt>Liczba przyjętych zgłoszeń bez przydzielonego członka jury</dt><dd>1</dd>",
        );
        start.assert_contains("nikt ich nie oceni");
        crate::support::confirm(&org, start);
        let mail = app.smtp.wait_subject(
            "w1@jury.example",
            "Rozpoczęła się ocena zgłoszeń – konkurs „Samorządowy Lider Cyfryzacji”",
        );
        assert!(
            mail.text.contains("Liczba zgłoszeń do oceny: 1"),
            "{}",
            mail.text
        );
        // After the declaration the juror's list holds the entry accepted after the set-up.
        j1.submit(
            "/jury",
            &format!("/jury/editions/{ed}/declaration"),
            &[("accept", "yes")],
        );
        let list = j1.get("/jury");
        list.assert_contains("Portal zgłoszony");
        list.assert_contains("Ocenione: 0 z 1");
    }
);
