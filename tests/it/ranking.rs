//! The ranking, an entry's feedback and the set-based writes behind them, on the model edition:
//! the one-query ranking gives what the rules give when every row is read on its own, a tie is
//! broken by the named criterion, conflicts are left out, one entry's feedback reads only that
//! entry, and assigning a category twice adds nothing twice.

use diesel::prelude::*;
use konkurs::db::editions::{self, Edition};
use konkurs::db::schema::{assignments, juror_categories, reviews, scores};
use konkurs::db::{DbConn, entries, jury};
use konkurs::domain::ranking::{self, Aggregation, Candidate, Judgement, Ranked, SeparatedBy};
use konkurs::services::results;

use crate::both_backends;
use crate::support::TestApp;
use crate::support::judging::{assign_category, closed_with_entries, id_of_user, juror};

fn demo(app: &TestApp) -> Edition {
    let cfg = app.state.config.clone();
    let loaded = app
        .db(|c| konkurs::demo::load(c, &cfg))
        .expect("demo loads into an empty database");
    app.db(|c| editions::find_by_slug(c, &loaded.slug).unwrap().unwrap())
}

/// The ranking as the rules define it, each input read by its own query over the whole edition
/// (the jurors' work, the counted judgements, the tie-break criterion's points).
fn reference(c: &mut DbConn, e: &Edition) -> Vec<Ranked> {
    let candidates: Vec<Candidate> = jury::candidates(c, e.id)
        .unwrap()
        .into_iter()
        .map(|(entry_id, category_id, n)| Candidate {
            entry_id,
            category_id,
            assigned: usize::try_from(n).unwrap(),
        })
        .collect();
    let tie: std::collections::HashMap<(i32, i32), i32> = match e.tie_break_criterion_id {
        Some(crit) => jury::criterion_points(c, e.id, crit)
            .unwrap()
            .into_iter()
            .map(|(en, j, p)| ((en, j), p))
            .collect(),
        None => std::collections::HashMap::new(),
    };
    let judgements: Vec<Judgement> = jury::judgements(c, e.id)
        .unwrap()
        .into_iter()
        .map(|(entry_id, juror_id, total)| Judgement {
            entry_id,
            juror_id,
            total,
            tie_points: tie.get(&(entry_id, juror_id)).map(|p| f64::from(*p)),
        })
        .collect();
    ranking::rank(
        &candidates,
        &judgements,
        e.aggregation,
        e.tie_break_criterion_id.is_some(),
    )
}

fn close(a: Option<f64>, b: Option<f64>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => (x - y).abs() < 1e-9,
        (x, y) => x.is_none() && y.is_none(),
    }
}

fn assert_same(got: &[Ranked], want: &[Ranked], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}");
    for (g, w) in got.iter().zip(want) {
        let key = |r: &Ranked| {
            (
                r.entry_id,
                r.category_id,
                r.rank,
                r.tied,
                r.separated_by,
                r.count,
                r.assigned,
                r.totals.clone(),
            )
        };
        assert_eq!(key(g), key(w), "{what}");
        for (x, y) in [
            (g.mean, w.mean),
            (g.median, w.median),
            (g.min, w.min),
            (g.max, w.max),
            (g.normalised, w.normalised),
            (g.tie_mean, w.tie_mean),
        ] {
            assert!(close(x, y), "{what}: entry {} {x:?} {y:?}", g.entry_id);
        }
    }
}

both_backends!(
    the_ranking_gives_what_the_rules_give_with_and_without_a_tie_break,
    |app: TestApp| {
        let e = demo(&app);
        let crits: Vec<i32> = app
            .db(|c| editions::criteria(c, e.id).unwrap())
            .iter()
            .map(|x| x.id)
            .collect();
        for agg in [Aggregation::Mean, Aggregation::Normalised] {
            for tie in std::iter::once(None).chain(crits.iter().copied().map(Some)) {
                let mut ed = e.clone();
                ed.aggregation = agg;
                ed.tie_break_criterion_id = tie;
                let got = app.db(|c| results::ranking(c, &ed).unwrap());
                let want = app.db(|c| reference(c, &ed));
                assert!(got.iter().any(|r| r.count > 0));
                assert_same(&got, &want, &format!("{agg:?} tie {tie:?}"));
            }
        }

        // Two entries of one category made equal on every total: the named criterion puts the
        // one with more points on it first; without a criterion (equal medians) they tie.
        let rows = app.db(|c| results::ranking(c, &e).unwrap());
        let cat = rows[0].category_id;
        let mut pair: Vec<i32> = rows
            .iter()
            .filter(|r| r.category_id == cat && r.count > 0)
            .map(|r| r.entry_id)
            .take(2)
            .collect();
        pair.sort_unstable();
        let (low, high) = (pair[0], pair[1]);
        let crit = crits[1];
        app.db(|c| {
            diesel::update(reviews::table.filter(reviews::entry_id.eq_any([low, high])))
                .set(reviews::total.eq(Some(50.0)))
                .execute(c)
                .unwrap();
            for (entry, p) in [(low, 1), (high, 9)] {
                let ids: Vec<i32> = reviews::table
                    .filter(reviews::entry_id.eq(entry))
                    .select(reviews::id)
                    .load(c)
                    .unwrap();
                diesel::update(
                    scores::table
                        .filter(scores::review_id.eq_any(ids))
                        .filter(scores::criterion_id.eq(crit)),
                )
                .set(scores::points.eq(p))
                .execute(c)
                .unwrap();
            }
        });
        let mut ed = e.clone();
        ed.aggregation = Aggregation::Mean;
        ed.tie_break_criterion_id = Some(crit);
        let got = app.db(|c| results::ranking(c, &ed).unwrap());
        assert_same(&got, &app.db(|c| reference(c, &ed)), "after the tie");
        let pos = |id: i32| got.iter().position(|r| r.entry_id == id).unwrap();
        assert_eq!(
            pos(low),
            pos(high) + 1,
            "the criterion puts the higher first"
        );
        assert_eq!(got[pos(low)].separated_by, Some(SeparatedBy::Criterion));
        assert!(!got[pos(low)].tied && !got[pos(high)].tied);
        assert_eq!(got[pos(high)].tie_mean, Some(9.0));
        ed.tie_break_criterion_id = None;
        let got = app.db(|c| results::ranking(c, &ed).unwrap());
        let (l, h) = (
            got.iter().find(|r| r.entry_id == low).unwrap(),
            got.iter().find(|r| r.entry_id == high).unwrap(),
        );
        assert!(l.tied && h.tied && l.rank == h.rank, "no criterion: a tie");
        assert_eq!(l.tie_mean, None);

        // A conflict recorded after a juror's submitted review: that judgement no longer
        // counts, nor does the assignment.
        let before = got.iter().find(|r| r.entry_id == high).unwrap().clone();
        let (juror_id, _) = before.totals[0];
        let inst = app.db(|c| entries::find(c, high).unwrap().unwrap().institution_id);
        app.db(|c| {
            jury::add_conflict(c, e.id, juror_id, inst, "test", juror_id, app.now()).unwrap()
        });
        for tie in [None, Some(crit)] {
            ed.tie_break_criterion_id = tie;
            let got = app.db(|c| results::ranking(c, &ed).unwrap());
            assert_same(&got, &app.db(|c| reference(c, &ed)), "after the conflict");
            let after = got.iter().find(|r| r.entry_id == high).unwrap();
            assert_eq!(after.count, before.count - 1);
            assert_eq!(after.assigned, before.assigned - 1);
            assert!(after.totals.iter().all(|(j, _)| *j != juror_id));
        }
    }
);

/// An entry's feedback as the whole edition's score sheet gives it, jurors in id order.
fn feedback_reference(
    c: &mut DbConn,
    entry: &entries::Entry,
) -> Vec<(i32, Vec<Option<i32>>, f64, String)> {
    let criteria = editions::criteria(c, entry.edition_id).unwrap();
    let sheet = jury::score_sheet(c, entry.edition_id).unwrap();
    let reviews = jury::reviews_of(c, entry.edition_id).unwrap();
    let mut counted: Vec<(i32, f64)> = jury::judgements(c, entry.edition_id)
        .unwrap()
        .into_iter()
        .filter(|(en, _, _)| *en == entry.id)
        .map(|(_, j, t)| (j, t))
        .collect();
    counted.sort_by_key(|(j, _)| *j);
    counted
        .into_iter()
        .map(|(j, total)| {
            let pts = criteria
                .iter()
                .map(|cr| {
                    sheet
                        .iter()
                        .find(|s| {
                            s.entry_id == entry.id && s.juror_id == j && s.criterion_id == cr.id
                        })
                        .map(|s| s.points)
                })
                .collect();
            let comment = reviews
                .iter()
                .find(|r| r.entry_id == entry.id && r.juror_id == j)
                .map(|r| r.comment.clone())
                .unwrap_or_default();
            (j, pts, total, comment)
        })
        .collect()
}

fn feedback_of(c: &mut DbConn, entry: &entries::Entry) -> Vec<(Vec<Option<i32>>, f64, String)> {
    results::feedback(c, entry)
        .unwrap()
        .expect("published with scores shown")
        .jurors
}

both_backends!(
    an_entrys_feedback_is_its_own_and_unaffected_by_other_entries,
    |app: TestApp| {
        let e = demo(&app);
        let rows = app.db(|c| results::ranking(c, &e).unwrap());
        let ids: Vec<i32> = rows.iter().map(|r| r.entry_id).collect();
        for id in &ids {
            let entry = app.db(|c| entries::find(c, *id).unwrap().unwrap());
            let got = app.db(|c| feedback_of(c, &entry));
            let want: Vec<_> = app
                .db(|c| feedback_reference(c, &entry))
                .into_iter()
                .map(|(_, p, t, s)| (p, t, s))
                .collect();
            assert_eq!(got, want, "entry {id}");
            let award = app.db(|c| results::feedback(c, &entry).unwrap().unwrap().award);
            let stored = app.db(|c| {
                konkurs::db::awards::of_edition(c, e.id)
                    .unwrap()
                    .into_iter()
                    .find(|a| a.entry_id == *id)
                    .map(|a| a.award)
            });
            assert_eq!(award, stored, "entry {id}");
        }
        // Every score and comment of every other entry changes: this entry's feedback does not.
        let (mine, other) = (ids[0], ids[1]);
        let entry = app.db(|c| entries::find(c, mine).unwrap().unwrap());
        let before = app.db(|c| feedback_of(c, &entry));
        assert!(!before.is_empty());
        app.db(|c| {
            let others: Vec<i32> = reviews::table
                .filter(reviews::entry_id.ne(mine))
                .select(reviews::id)
                .load(c)
                .unwrap();
            diesel::update(scores::table.filter(scores::review_id.eq_any(&others)))
                .set(scores::points.eq(0))
                .execute(c)
                .unwrap();
            diesel::update(reviews::table.filter(reviews::id.eq_any(&others)))
                .set(reviews::comment.eq("inny komentarz"))
                .execute(c)
                .unwrap();
        });
        assert_eq!(app.db(|c| feedback_of(c, &entry)), before);
        let other_entry = app.db(|c| entries::find(c, other).unwrap().unwrap());
        let theirs = app.db(|c| feedback_of(c, &other_entry));
        assert!(
            theirs
                .iter()
                .all(|(p, _, s)| s == "inny komentarz" && p.iter().all(|x| *x == Some(0)))
        );
    }
);

both_backends!(
    assigning_a_category_twice_adds_nothing_twice,
    |app: TestApp| {
        let j = closed_with_entries(&app);
        let (org, ed) = (&j.org, j.edition_id);
        let _j1 = juror(&app, org, ed, "Juror Pierwszy", "j1@jury.example");
        let id1 = id_of_user(&app, "j1@jury.example");
        let cat = j.categories[0];
        let count = |app: &TestApp| -> i64 {
            app.db(|c| {
                assignments::table
                    .filter(assignments::juror_id.eq(id1))
                    .count()
                    .get_result(c)
                    .unwrap()
            })
        };
        assign_category(org, ed, id1, cat);
        assert_eq!(count(&app), 3, "the three accepted entries of category I");
        assign_category(org, ed, id1, cat);
        assert_eq!(count(&app), 3);
        // The category forgotten but its assignments kept: assigning it again inserts every
        // entry once more, and the unique index turns each into nothing.
        app.db(|c| {
            diesel::delete(juror_categories::table.filter(juror_categories::juror_id.eq(id1)))
                .execute(c)
                .unwrap();
        });
        assign_category(org, ed, id1, cat);
        assert_eq!(count(&app), 3);
        // An accepted entry goes to the category's jurors, once however often it is asked.
        let entry = app.db(|c| {
            let id = jury::accepted_in_category(c, cat).unwrap()[0];
            entries::find(c, id).unwrap().unwrap()
        });
        for _ in 0..2 {
            app.db(|c| {
                konkurs::services::jury::assign_to_category_jurors(c, &entry, app.now()).unwrap();
            });
        }
        assert_eq!(count(&app), 3);
        // A batch naming a pair twice, and pairs already there: only the new one is added.
        let d = app.db(|c| jury::accepted_in_category(c, j.categories[1]).unwrap()[0]);
        let added = app.db(|c| {
            jury::assign_many(c, ed, &[(d, id1), (d, id1), (entry.id, id1)], app.now()).unwrap()
        });
        assert_eq!(added, 1);
        assert_eq!(count(&app), 4);
    }
);
