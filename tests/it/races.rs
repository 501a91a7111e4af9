//! Limits and one-of-a-kind rows under parallel requests (issue 7). PostgreSQL runs requests
//! truly in parallel: each test fires the same request from several threads at once (a barrier
//! starts them together) with the same session, then checks that no answer is a server error,
//! that the database obeys the rule exactly, and that the refused ones got the normal message.

use std::sync::Barrier;

use chrono::Duration;
use diesel::prelude::*;
use konkurs::db::schema::{
    assignments, attachments, awards, criteria, declarations, entries, juror_categories,
    jury_chain, reviews, users,
};

use crate::both_backends;
use crate::support::judging::{closed_with_entries, entry_of, id_of_user, juror, refs, scores};
use crate::support::{
    Client, PDF, Page, TestApp, entry_form, open_call, organiser, pairs, register_applicant,
};

/// Runs `f(0..n)` on `n` threads released together, each with its own copy of `c`'s session.
pub fn parallel(c: &Client, n: usize, f: impl Fn(&Client, usize) -> Page + Sync) -> Vec<Page> {
    let clients: Vec<Client> = (0..n).map(|_| c.clone_cookies()).collect();
    let start = Barrier::new(n);
    std::thread::scope(|s| {
        let running: Vec<_> = clients
            .iter()
            .enumerate()
            .map(|(i, client)| {
                let (start, f) = (&start, &f);
                s.spawn(move || {
                    start.wait();
                    f(client, i)
                })
            })
            .collect();
        running.into_iter().map(|t| t.join().unwrap()).collect()
    })
}

pub fn assert_no_server_error(pages: &[Page]) {
    for p in pages {
        assert!(
            p.status < 500,
            "a parallel request failed with {} at {}:\n{}",
            p.status,
            p.url,
            p.body
        );
    }
}

/// Each page is either the success (200 after the redirect) or the form again (422) with
/// `refusal`; returns how many succeeded.
fn successes(pages: &[Page], refusal: &str) -> usize {
    assert_no_server_error(pages);
    let mut ok = 0;
    for p in pages {
        match p.status {
            200 => ok += 1,
            422 => p.assert_contains(refusal),
            other => panic!("unexpected {other} at {}:\n{}", p.url, p.body),
        }
    }
    ok
}

fn entries_in(app: &TestApp, category: i32) -> i64 {
    app.db(|c| {
        entries::table
            .filter(entries::category_id.eq(category))
            .count()
            .get_result(c)
            .unwrap()
    })
}

both_backends!(parallel_saves_keep_the_entry_limit, |app: TestApp| {
    let org = organiser(&app);
    // The call allows one entry per institution and category.
    let call = open_call(&app, &org, "vi", Duration::days(14));
    let reg = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
    let form = reg.client.get("/entries/new");
    let limit = "wykorzystała limit zgłoszeń w tej kategorii";

    // Eight submissions at once: one entry.
    let fields = entry_form(call.categories[0], "Portal map", &[]);
    let pages = parallel(&reg.client, 8, |c, _| {
        c.submit_on(&form, "/entries/new", &pairs(&fields))
    });
    assert_eq!(successes(&pages, limit), 1);
    assert_eq!(entries_in(&app, call.categories[0]), 1);

    // A double click on "save draft": one entry.
    let draft = entry_form(call.categories[1], "Geoportal", &[("action", "save")]);
    let pages = parallel(&reg.client, 2, |c, _| {
        c.submit_on(&form, "/entries/new", &pairs(&draft))
    });
    assert_eq!(successes(&pages, limit), 1);
    assert_eq!(entries_in(&app, call.categories[1]), 1);

    // The institution's list is a normal page with both.
    let list = reg.client.get("/account");
    assert_eq!(list.status, 200);
    list.assert_contains("Portal map");
    list.assert_contains("Geoportal");
});

both_backends!(
    parallel_uploads_keep_the_attachment_limit,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let reg = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
        let draft = reg.client.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(
                call.categories[0],
                "Portal map",
                &[("action", "save")],
            )),
        );
        assert!(draft.url.ends_with("/edit"), "{}", draft.url);
        let id = entry_of(&app, "Portal map");
        let edit = format!("/entries/{id}/edit");
        let action = format!("/entries/{id}/attachments");
        let token = reg.client.get(&edit).csrf_for(&action);

        // Eight uploads at once to an entry that takes five.
        let pages = parallel(&reg.client, 8, |c, i| {
            c.upload_with(&action, &token, &format!("plik-{i}.pdf"), PDF)
        });
        assert_eq!(successes(&pages, "najwyżej 5 załączników"), 5);
        let n: i64 = app.db(|c| {
            attachments::table
                .filter(attachments::entry_id.eq(id))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(n, 5);
        // A refused upload leaves no file behind, stored or temporary.
        let files = std::fs::read_dir(app.dir.join("uploads"))
            .unwrap()
            .flatten()
            .filter(|e| e.path().is_file())
            .count();
        assert_eq!(files, 5, "one stored file per attachment");
        assert_eq!(
            std::fs::read_dir(app.dir.join("uploads/tmp"))
                .unwrap()
                .count(),
            0
        );
    }
);

both_backends!(
    saving_a_draft_while_submitting_it_never_leaves_it_incomplete,
    |app: TestApp| {
        let org = organiser(&app);
        let call = open_call(&app, &org, "vi", Duration::days(14));
        let reg = register_applicant(&app, "anna@piaseczno.example", "Gmina Piaseczno");
        let cat = call.categories[0];
        reg.client.submit(
            "/entries/new",
            "/entries/new",
            &pairs(&entry_form(cat, "Portal map", &[("action", "save")])),
        );
        let id = entry_of(&app, "Portal map");
        let edit = format!("/entries/{id}/edit");
        let form = reg.client.get(&edit);
        // One window saves the draft without a summary while another confirms the submission
        // of the complete draft stored before.
        let partial = entry_form(cat, "Portal map", &[("summary", ""), ("action", "save")]);
        let submit = format!("/entries/{id}/submit");
        for round in 0..20 {
            app.db(|c| {
                diesel::update(entries::table.find(id))
                    .set((
                        entries::status.eq("draft"),
                        entries::summary.eq("Portal map i danych przestrzennych gminy."),
                        entries::submitted_at.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(c)
                    .unwrap()
            });
            let confirm = reg.client.get(&submit);
            confirm.assert_contains("Wysłać zgłoszenie?");
            let pages = parallel(&reg.client, 2, |c, i| {
                if i == 0 {
                    c.submit_on(&form, &edit, &pairs(&partial))
                } else {
                    c.submit_on(&confirm, &submit, &[("confirm", "yes")])
                }
            });
            assert_no_server_error(&pages);
            let (status, summary): (String, String) = app.db(|c| {
                entries::table
                    .find(id)
                    .select((entries::status, entries::summary))
                    .first(c)
                    .unwrap()
            });
            match status.as_str() {
                // The confirmation came first: the late draft save is refused on the form, as
                // for any submitted entry, and the summary stays.
                "submitted" => {
                    assert!(
                        !summary.is_empty(),
                        "round {round}: a submitted entry lost its summary"
                    );
                    if pages[0].status == 422 {
                        assert!(pages[0].has_field_error("summary"), "round {round}");
                    }
                }
                // The save came first: the confirmation finds the draft incomplete and refuses.
                "draft" => {
                    assert!(summary.is_empty(), "round {round}");
                    assert_eq!(pages[1].status, 422, "round {round}");
                    assert!(pages[1].has_field_error("summary"), "round {round}");
                }
                other => panic!("round {round}: {other}"),
            }
        }
    }
);

/// Judging has started; `j1` judges category I (three entries) and has made the declaration.
struct Jury {
    judging: crate::support::judging::Judging,
    juror: Client,
    juror_id: i32,
    criteria: Vec<i32>,
}

fn start_judging(app: &TestApp) -> Jury {
    start_judging_with(app, &[])
}

/// Like [`start_judging`], with more jurors: (name, email, index of their category).
fn start_judging_with(app: &TestApp, more: &[(&str, &str, usize)]) -> Jury {
    let j = closed_with_entries(app);
    for (name, email, cat) in more {
        juror(app, &j.org, j.edition_id, name, email);
        let id = id_of_user(app, email);
        j.org
            .submit(
                &format!("/admin/editions/{}/jury", j.edition_id),
                &format!("/admin/editions/{}/jury/{id}/categories", j.edition_id),
                &[("category", &j.categories[*cat].to_string())],
            )
            .assert_contains("Zapisano zmiany");
    }
    let ed = j.edition_id;
    let juror_client = juror(app, &j.org, ed, "Juror Pierwszy", "j1@jury.example");
    let juror_id = id_of_user(app, "j1@jury.example");
    j.org
        .submit(
            &format!("/admin/editions/{ed}/jury"),
            &format!("/admin/editions/{ed}/jury/{juror_id}/categories"),
            &[("category", &j.categories[0].to_string())],
        )
        .assert_contains("Zapisano zmiany");
    let token = j.org.get("/account").csrf_for("/logout");
    let judging = j.org.post(
        &format!("/admin/editions/{ed}/state"),
        &[("csrf", &token), ("to", "judging"), ("confirm", "yes")],
    );
    assert_eq!(judging.status, 200, "{}", judging.body);
    let criteria = app.db(|c| {
        criteria::table
            .filter(criteria::edition_id.eq(ed))
            .order(criteria::position)
            .select(criteria::id)
            .load(c)
            .unwrap()
    });
    Jury {
        judging: j,
        juror: juror_client,
        juror_id,
        criteria,
    }
}

both_backends!(
    a_first_score_submitted_twice_at_once_is_stored_once,
    |app: TestApp| {
        let jury = start_judging(&app);
        let ed = jury.judging.edition_id;
        jury.juror
            .submit(
                "/jury",
                &format!("/jury/editions/{ed}/declaration"),
                &[("accept", "yes")],
            )
            .assert_contains("Deklaracja została złożona");
        let a = entry_of(&app, jury.judging.titles[0]);
        let url = format!("/jury/entries/{a}");
        let token = jury.juror.get(&url).csrf_for(&url);
        let fields = [
            vec![("csrf".to_string(), token.clone())],
            scores(
                &jury.criteria,
                [9, 7, 8, 8],
                "Innowacyjne podejście.",
                "review",
            ),
        ]
        .concat();
        let confirm = format!("/jury/entries/{a}/submit");
        let reviews_of_a = || -> i64 {
            app.db(|c| {
                reviews::table
                    .filter(reviews::entry_id.eq(a))
                    .filter(reviews::juror_id.eq(jury.juror_id))
                    .count()
                    .get_result(c)
                    .unwrap()
            })
        };
        for round in 0..20 {
            // Each round is a first score again: the earlier one is removed (its scores with it).
            app.db(|c| {
                diesel::delete(reviews::table.filter(reviews::entry_id.eq(a)))
                    .execute(c)
                    .unwrap()
            });
            // The complete draft, then a double click on the confirmation's button.
            let review = jury.juror.post(&url, &refs(&fields));
            assert!(
                review.url.ends_with(&confirm),
                "round {round}: {}",
                review.url
            );
            let pages = parallel(&jury.juror, 2, |c, _| {
                c.post(&confirm, &[("csrf", &token), ("confirm", "yes")])
            });
            // Both land on the list: the second click finds the score submitted, which is what
            // was asked — a plain notice, never an error summary.
            assert_no_server_error(&pages);
            for p in &pages {
                assert_eq!(p.status, 200, "round {round}: {}", p.body);
                assert!(p.url.ends_with("/jury"), "round {round}: {}", p.url);
                p.assert_not_contains("Popraw następujące błędy");
            }
            assert_eq!(reviews_of_a(), 1, "round {round}");
        }
        // Confirmed once more, later: the notice, nothing changed.
        let again = jury
            .juror
            .post(&confirm, &[("csrf", &token), ("confirm", "yes")]);
        assert_eq!(again.status, 200, "{}", again.body);
        again.assert_contains("Ocena tego zgłoszenia została już wysłana wcześniej");
        again.assert_not_contains("Popraw następujące błędy");
        // Without the confirmation's button a POST only leads to the confirmation (which, for
        // a submitted score, is the entry's page).
        let unconfirmed = jury.juror.post(&confirm, &[("csrf", &token)]);
        assert!(unconfirmed.url.ends_with(&url), "{}", unconfirmed.url);
        assert_eq!(reviews_of_a(), 1);
        jury.juror
            .get(&url)
            .assert_contains("Ocena została wysłana i jest zablokowana");
    }
);

both_backends!(
    parallel_jury_and_award_changes_neither_fail_nor_duplicate,
    |app: TestApp| {
        let jury = start_judging(&app);
        let (org, ed) = (&jury.judging.org, jury.judging.edition_id);
        let cat1 = jury.judging.categories[0];

        // Inviting the same juror twice at once: one account.
        let jury_page = org.get(&format!("/admin/editions/{ed}/jury"));
        let invite = format!("/admin/editions/{ed}/jury/invite");
        let pages = parallel(org, 2, |c, _| {
            c.submit_on(
                &jury_page,
                &invite,
                &[
                    ("name", "Juror Drugi"),
                    ("email", "j2@jury.example"),
                    ("affiliation", "Politechnika"),
                    ("lang", "pl"),
                ],
            )
        });
        assert_eq!(successes(&pages, "już istnieje"), 1);
        let n: i64 = app.db(|c| {
            users::table
                .filter(users::email.eq("j2@jury.example"))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(n, 1);

        // Accepting the invitation link twice at once: one password set, the other told the link
        // was used.
        let mail = app.smtp.wait_subject(
            "j2@jury.example",
            "Zaproszenie do jury konkursu „Samorządowy Lider Cyfryzacji”",
        );
        let link = mail.link(&app.url("/jury/invite?token="));
        let j2 = app.client();
        let form = j2.get_abs(&link);
        let pages = parallel(&j2, 2, |c, _| {
            c.submit_on(
                &form,
                "/jury/invite",
                &[
                    ("password", crate::support::PASSWORD),
                    ("password_confirm", crate::support::PASSWORD),
                ],
            )
        });
        assert_no_server_error(&pages);
        assert_eq!(pages.iter().filter(|p| p.url.ends_with("/jury")).count(), 1);
        let j2_id = id_of_user(&app, "j2@jury.example");

        // Assigning the same categories eight times at once: each pair once, no error.
        let jury_page = org.get(&format!("/admin/editions/{ed}/jury"));
        let pages = parallel(org, 8, |c, _| {
            c.submit_on(
                &jury_page,
                &format!("/admin/editions/{ed}/jury/{j2_id}/categories"),
                &[("category", &cat1.to_string())],
            )
        });
        assert_eq!(successes(&pages, "-"), 8);
        let (cats, assigned): (i64, i64) = app.db(|c| {
            (
                juror_categories::table
                    .filter(juror_categories::juror_id.eq(j2_id))
                    .count()
                    .get_result(c)
                    .unwrap(),
                assignments::table
                    .filter(assignments::juror_id.eq(j2_id))
                    .count()
                    .get_result(c)
                    .unwrap(),
            )
        });
        assert_eq!((cats, assigned), (1, 3));

        // The declaration, clicked four times at once: one.
        let jury_home = jury.juror.get("/jury");
        let pages = parallel(&jury.juror, 4, |c, _| {
            c.submit_on(
                &jury_home,
                &format!("/jury/editions/{ed}/declaration"),
                &[("accept", "yes")],
            )
        });
        assert_eq!(successes(&pages, "-"), 4);
        let n: i64 = app.db(|c| {
            declarations::table
                .filter(declarations::juror_id.eq(jury.juror_id))
                .count()
                .get_result(c)
                .unwrap()
        });
        assert_eq!(n, 1);

        // Eight organisers' windows each giving the first place to an entry of category I at once:
        // afterwards one first place, no error.
        let ids: Vec<i32> = jury.judging.titles[..3]
            .iter()
            .map(|t| entry_of(&app, t))
            .collect();
        let ranking = org.get(&format!("/admin/editions/{ed}/ranking"));
        let awards_url = format!("/admin/editions/{ed}/awards/{cat1}");
        let pages = parallel(org, 8, |c, i| {
            let fields: Vec<(String, String)> = ids
                .iter()
                .enumerate()
                .map(|(k, id)| {
                    let place = if k == i % 3 { "1" } else { "" };
                    (format!("award-{id}"), place.to_string())
                })
                .collect();
            c.submit_on(&ranking, &awards_url, &refs(&fields))
        });
        assert_eq!(successes(&pages, "-"), 8);
        let places: Vec<String> = app.db(|c| {
            awards::table
                .filter(awards::category_id.eq(cat1))
                .select(awards::award)
                .load(c)
                .unwrap()
        });
        assert_eq!(places.len(), 1, "{places:?}");
    }
);

fn outbox_of_kind(app: &TestApp, kind: &str) -> i64 {
    use konkurs::db::schema::outbox;
    let kind = kind.to_string();
    app.db(move |c| {
        outbox::table
            .filter(outbox::kind.eq(kind))
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn audit_count(app: &TestApp, action: &str) -> i64 {
    use konkurs::db::schema::audit_log;
    let action = action.to_string();
    app.db(move |c| {
        audit_log::table
            .filter(audit_log::action.eq(action))
            .count()
            .get_result(c)
            .unwrap()
    })
}

/// Judging started (see [`start_judging`]), A given first place, the protocol finalised and
/// the results published.
fn published(app: &TestApp) -> Jury {
    let jury = start_judging(app);
    let (org, ed) = (&jury.judging.org, jury.judging.edition_id);
    let a = entry_of(app, jury.judging.titles[0]);
    org.submit(
        &format!("/admin/editions/{ed}/ranking"),
        &format!("/admin/editions/{ed}/awards/{}", jury.judging.categories[0]),
        &[(&format!("award-{a}") as &str, "1")],
    )
    .assert_contains("Nagrody zostały zapisane");
    crate::support::confirm(
        org,
        org.get(&format!("/admin/editions/{ed}/protocol/finalise")),
    )
    .assert_contains("Protokół został zatwierdzony");
    crate::support::confirm(
        org,
        org.get(&format!("/admin/editions/{ed}/state?to=published")),
    );
    let state: String = app.db(|c| {
        konkurs::db::schema::editions::table
            .find(ed)
            .select(konkurs::db::schema::editions::state)
            .first(c)
            .unwrap()
    });
    assert_eq!(state, "published");
    jury
}

both_backends!(a_double_click_announces_the_results_once, |app: TestApp| {
    let jury = published(&app);
    let (org, ed) = (&jury.judging.org, jury.judging.edition_id);
    let confirm_url =
        format!("/admin/editions/{ed}/announce/confirm?extra=redakcja%40gazeta.example");
    let page = org.get(&confirm_url);
    assert_eq!(page.status, 200, "{}", page.body);
    let action = format!("/admin/editions/{ed}/announce");
    let token = page.csrf_for(&action);
    let fields = [
        ("csrf", token.as_str()),
        ("extra", "redakcja@gazeta.example"),
        ("confirm", "yes"),
    ];
    for round in 0..10 {
        // Each round starts before any announcement (the earlier round's are removed).
        app.db(|c| {
            use konkurs::db::schema::{audit_log, outbox};
            diesel::delete(outbox::table.filter(outbox::kind.like("announcement%")))
                .execute(c)
                .unwrap();
            diesel::delete(audit_log::table.filter(audit_log::action.eq("results:announce")))
                .execute(c)
                .unwrap()
        });
        let pages = parallel(org, 2, |c, _| c.post(&action, &fields));
        assert_no_server_error(&pages);
        // Four institutions (one person each) and the press: each once, one audit entry.
        assert_eq!(outbox_of_kind(&app, "announcement"), 4, "round {round}");
        assert_eq!(
            outbox_of_kind(&app, "announcement_press"),
            1,
            "round {round}"
        );
        assert_eq!(audit_count(&app, "results:announce"), 1, "round {round}");
    }
    // The same confirmation again: nothing is sent, and the page says why.
    let again = org.post(&action, &fields);
    assert_eq!(again.status, 200, "{}", again.body);
    again.assert_contains("Ogłoszenie zostało już wysłane do tych odbiorców");
    assert_eq!(outbox_of_kind(&app, "announcement"), 4);
    assert_eq!(outbox_of_kind(&app, "announcement_press"), 1);
    let nobody = org.get(&confirm_url);
    assert_eq!(nobody.status, 409);
    nobody.assert_contains("Nie ma nowych odbiorców");
    // A message that could not be sent: only that institution is written to again.
    app.db(|c| {
        use konkurs::db::schema::outbox;
        let first: i32 = outbox::table
            .filter(outbox::kind.eq("announcement"))
            .filter(outbox::to_email.eq("b@inst-b.example"))
            .select(outbox::id)
            .first(c)
            .unwrap();
        diesel::update(outbox::table.find(first))
            .set(outbox::status.eq("failed"))
            .execute(c)
            .unwrap()
    });
    let retry = org.get(&format!("/admin/editions/{ed}/announce/confirm"));
    assert_eq!(retry.status, 200, "{}", retry.body);
    retry.assert_contains("b@inst-b.example");
    retry.assert_not_contains("a@inst-a.example");
    crate::support::confirm(org, retry).assert_contains("przekazane do wysyłki");
    assert_eq!(outbox_of_kind(&app, "announcement"), 5);
    // A new press address gets it; the one already written to does not.
    crate::support::confirm(
            org,
            org.get(&format!(
                "/admin/editions/{ed}/announce/confirm?extra=redakcja%40gazeta.example%2C+tv%40media.example"
            )),
        )
        .assert_contains("przekazane do wysyłki");
    assert_eq!(outbox_of_kind(&app, "announcement_press"), 2);
    assert_eq!(outbox_of_kind(&app, "announcement"), 5);
});

both_backends!(a_double_click_reminds_each_juror_once, |app: TestApp| {
    let jury = start_judging_with(
        &app,
        &[
            ("Juror Drugi", "j2@jury.example", 1),
            ("Juror Trzeci", "j3@jury.example", 0),
        ],
    );
    let (org, ed) = (&jury.judging.org, jury.judging.edition_id);
    let url = format!("/admin/editions/{ed}/remind");
    // The confirmation lists who gets one, with the work left, and previews the message.
    let page = org.get(&url);
    assert_eq!(page.status, 200, "{}", page.body);
    page.assert_contains("<dt>Liczba osób z jury, które dostaną przypomnienie</dt><dd>3</dd>");
    page.assert_contains("<th scope=\"row\">Juror Pierwszy</th><td>3</td>");
    page.assert_contains("<th scope=\"row\">Juror Drugi</th><td>1</td>");
    page.assert_contains("Juror Trzeci — j3@jury.example");
    page.assert_contains("Liczba zgłoszeń do oceny: 3");
    // Without the confirmation's button nothing is sent.
    let token = page.csrf_for(&url);
    let unconfirmed = org.post(&url, &[("csrf", &token)]);
    unconfirmed.assert_contains("Wysłać przypomnienia?");
    assert_eq!(outbox_of_kind(&app, "jury_reminder"), 0);
    // A double click: each juror once, one audit entry.
    let pages = parallel(org, 2, |c, _| {
        c.post(&url, &[("csrf", &token), ("confirm", "yes")])
    });
    assert_no_server_error(&pages);
    assert_eq!(outbox_of_kind(&app, "jury_reminder"), 3);
    assert_eq!(audit_count(&app, "jury:remind"), 1);
    // Again: nobody is due, and the page says who was reminded and when.
    let again = org.get(&url);
    assert_eq!(again.status, 409);
    again.assert_contains("przypomniano w ciągu ostatnich 24 godzin");
    let forced = org.post(&url, &[("csrf", &token), ("confirm", "yes")]);
    assert_eq!(forced.status, 200, "{}", forced.body);
    forced.assert_contains("przypomniano w ciągu ostatnich 24 godzin");
    assert_eq!(outbox_of_kind(&app, "jury_reminder"), 3);
    // A reminder that could not be sent does not count: that juror is due again.
    app.db(|c| {
        use konkurs::db::schema::outbox;
        diesel::update(outbox::table.filter(outbox::to_email.eq("j3@jury.example")))
            .set(outbox::status.eq("failed"))
            .execute(c)
            .unwrap()
    });
    let partly = org.get(&url);
    assert_eq!(partly.status, 200, "{}", partly.body);
    partly.assert_contains("<dt>Liczba osób z jury, które dostaną przypomnienie</dt><dd>1</dd>");
    partly.assert_contains(
        "<dt>Liczba osób z jury, którym przypomniano w ciągu ostatnich 24 godzin</dt><dd>2</dd>",
    );
    partly.assert_contains("<th scope=\"row\">Juror Trzeci</th><td>3</td>");
    partly.assert_contains("<th scope=\"col\">Ostatnie przypomnienie</th>");
    crate::support::confirm(org, partly).assert_contains("Przypomnienia zostały wysłane");
    assert_eq!(outbox_of_kind(&app, "jury_reminder"), 4);
    // A day later everyone with work left is due again.
    app.advance(Duration::hours(25));
    org.get(&url)
        .assert_contains("<dt>Liczba osób z jury, które dostaną przypomnienie</dt><dd>3</dd>");
});

both_backends!(
    final_steps_need_the_confirmation_and_say_when_they_are_done,
    |app: TestApp| {
        use konkurs::db::schema::editions;
        let jury = start_judging(&app);
        let (org, ed) = (&jury.judging.org, jury.judging.edition_id);
        let state = || -> (String, Option<chrono::NaiveDateTime>) {
            app.db(|c| {
                editions::table
                    .find(ed)
                    .select((editions::state, editions::protocol_finalised_at))
                    .first(c)
                    .unwrap()
            })
        };
        // Stages already taken: said in words, with the way back, no button.
        for (to, text) in [
            ("open", "Nabór zgłoszeń został już otwarty."),
            ("closed", "Nabór zgłoszeń został już zamknięty."),
            ("judging", "Ocena zgłoszeń została już rozpoczęta."),
        ] {
            let p = org.get(&format!("/admin/editions/{ed}/state?to={to}"));
            assert_eq!(p.status, 409, "{to}");
            p.assert_contains(text);
            p.assert_contains(&format!("href=\"/admin/editions/{ed}\""));
            p.assert_not_contains("name=\"confirm\"");
        }
        let token = org.get("/account").csrf_for("/logout");
        // Finalising without the confirmation's button: nothing changes.
        let p = org.post(
            &format!("/admin/editions/{ed}/protocol/finalise"),
            &[("csrf", &token)],
        );
        assert!(p.url.ends_with("/protocol/finalise"), "{}", p.url);
        p.assert_contains("Zatwierdzić protokół");
        assert!(state().1.is_none());
        let a = entry_of(&app, jury.judging.titles[0]);
        org.submit(
            &format!("/admin/editions/{ed}/ranking"),
            &format!("/admin/editions/{ed}/awards/{}", jury.judging.categories[0]),
            &[(&format!("award-{a}") as &str, "1")],
        )
        .assert_contains("Nagrody zostały zapisane");
        crate::support::confirm(
            org,
            org.get(&format!("/admin/editions/{ed}/protocol/finalise")),
        )
        .assert_contains("Protokół został zatwierdzony");
        let finalised = state().1.expect("finalised");
        // Afterwards its confirmation says when, in both languages.
        let done = org.get(&format!("/admin/editions/{ed}/protocol/finalise"));
        assert_eq!(done.status, 409);
        done.assert_contains(&format!(
            "Protokół został już zatwierdzony: {}",
            konkurs::domain::time::format(finalised, konkurs::i18n::Lang::Pl)
        ));
        done.assert_not_contains("Nagrody przyznaje się");
        let done_en = org.get(&format!("/admin/editions/{ed}/protocol/finalise?lang=en"));
        done_en.assert_contains("The protocol has already been finalised: ");
        org.get("/account?lang=pl");
        // A stale tab's confirmation, posted again: a notice that nothing changed.
        let again = org.post(
            &format!("/admin/editions/{ed}/protocol/finalise"),
            &[("csrf", &token), ("confirm", "yes")],
        );
        again.assert_contains("Protokół został już wcześniej zatwierdzony. Nic nie zmieniono.");
        assert_eq!(state().1, Some(finalised));
        // Publishing without the confirmation's button: nothing changes.
        let p = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "published")],
        );
        assert!(p.url.ends_with("/state?to=published"), "{}", p.url);
        p.assert_contains("Opublikować wyniki?");
        assert_eq!(state().0, "judging");
        crate::support::confirm(
            org,
            org.get(&format!("/admin/editions/{ed}/state?to=published")),
        );
        assert_eq!(state().0, "published");
        let done = org.get(&format!("/admin/editions/{ed}/state?to=published"));
        assert_eq!(done.status, 409);
        done.assert_contains("Wyniki są już opublikowane.");
        done.assert_not_contains("Etapy edycji następują po kolei");
        org.get(&format!("/admin/editions/{ed}/state?to=published&lang=en"))
            .assert_contains("The results are already published.");
        org.get("/account?lang=pl");
        // The same confirmation sent again: a notice, nothing changes.
        let again = org.post(
            &format!("/admin/editions/{ed}/state"),
            &[("csrf", &token), ("to", "published"), ("confirm", "yes")],
        );
        assert_eq!(again.status, 200, "{}", again.body);
        again.assert_contains("Wyniki są już opublikowane.");
        // Announcing without the confirmation's button: nothing is queued.
        let p = org.post(
            &format!("/admin/editions/{ed}/announce"),
            &[("csrf", &token), ("extra", "redakcja@gazeta.example")],
        );
        assert!(
            p.url
                .contains("/announce/confirm?extra=redakcja%40gazeta.example"),
            "{}",
            p.url
        );
        p.assert_contains("Wysłać ogłoszenie wyników?");
        assert_eq!(outbox_of_kind(&app, "announcement"), 0);
        assert_eq!(outbox_of_kind(&app, "announcement_press"), 0);
    }
);

both_backends!(
    parallel_scores_and_reopenings_keep_one_unbroken_chain,
    |app: TestApp| {
        let jury = start_judging(&app);
        let (org, ed) = (&jury.judging.org, jury.judging.edition_id);
        jury.juror
            .submit(
                "/jury",
                &format!("/jury/editions/{ed}/declaration"),
                &[("accept", "yes")],
            )
            .assert_contains("Deklaracja została złożona");
        // The juror's three entries of category I.
        let ids: Vec<i32> = jury.judging.titles[..3]
            .iter()
            .map(|t| entry_of(&app, t))
            .collect();
        let token = jury.juror.get("/jury").csrf_for("/logout");
        let org_token = org.get("/account").csrf_for("/logout");
        let chain = || -> Vec<(i32, String)> {
            app.db(|c| {
                jury_chain::table
                    .filter(jury_chain::edition_id.eq(ed))
                    .order(jury_chain::seq)
                    .select((jury_chain::seq, jury_chain::kind))
                    .load(c)
                    .unwrap()
            })
        };
        for round in 0..4i32 {
            // Complete drafts, then the three confirmations at once.
            for (i, id) in (1..).zip(&ids) {
                let pts = [5 + round, 6, 7, i];
                let fields = [
                    vec![("csrf".to_string(), token.clone())],
                    scores(&jury.criteria, pts, &format!("Runda {round}."), "review"),
                ]
                .concat();
                let review = jury
                    .juror
                    .post(&format!("/jury/entries/{id}"), &refs(&fields));
                assert!(review.url.ends_with("/submit"), "{}", review.url);
            }
            let pages = parallel(&jury.juror, 3, |c, i| {
                c.post(
                    &format!("/jury/entries/{}/submit", ids[i]),
                    &[("csrf", &token), ("confirm", "yes")],
                )
            });
            assert_no_server_error(&pages);
            for p in &pages {
                assert!(p.url.ends_with("/jury"), "round {round}: {}", p.url);
            }
            // The organiser reopens all three at once.
            let pages = parallel(org, 3, |c, i| {
                c.post(
                    &format!("/admin/editions/{ed}/jury/{}/reopen", jury.juror_id),
                    &[("csrf", &org_token), ("entry_id", &ids[i].to_string())],
                )
            });
            assert_no_server_error(&pages);
            // One record per change, numbered without a gap or a repeat, every link intact.
            let records = chain();
            assert_eq!(
                records.iter().map(|r| r.0).collect::<Vec<_>>(),
                (1..=(round + 1) * 6).collect::<Vec<_>>(),
                "round {round}"
            );
            let (ok, out, err) = crate::trust::verify(&app);
            assert!(ok, "round {round}: {out}\n{err}");
        }
        let kinds = chain();
        let count = |k: &str| kinds.iter().filter(|r| r.1 == k).count();
        assert_eq!(
            (count("score_submitted"), count("score_reopened")),
            (12, 12)
        );
    }
);
