//! The tamper-evident record of the jury's work: the model edition's chain verifies, the
//! protocol shows its head, and `konkurs audit verify` names the first record that no longer
//! matches when a score row or a chain record is edited directly in the database.

use diesel::prelude::*;
use konkurs::db::DbUrl;
use konkurs::db::editions;
use konkurs::db::schema::{jury_chain, reviews, scores};

use crate::both_backends;
use crate::cli::bin;
use crate::support::{TestApp, login};

fn db_url(app: &TestApp) -> String {
    match &app.state.config.database_url {
        DbUrl::Postgres(u) => u.clone(),
        DbUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
    }
}

/// `konkurs audit verify` on the app's database: (success, stdout, stderr).
pub(crate) fn verify(app: &TestApp) -> (bool, String, String) {
    let out = bin()
        .args([
            "audit",
            "verify",
            "--database-url",
            &db_url(app),
            "--data-dir",
        ])
        .arg(&app.dir)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

both_backends!(
    verify_catches_an_edited_score_and_an_edited_record,
    |app: TestApp| {
        let cfg = app.state.config.clone();
        let loaded = app.db(|c| konkurs::demo::load(c, &cfg)).unwrap();
        let ed = app.db(|c| editions::find_by_slug(c, &loaded.slug).unwrap().unwrap());
        let records: Vec<(i32, String, String)> = app.db(|c| {
            jury_chain::table
                .filter(jury_chain::edition_id.eq(ed.id))
                .order(jury_chain::seq)
                .select((jury_chain::seq, jury_chain::kind, jury_chain::hash))
                .load(c)
                .unwrap()
        });
        // Every submitted score, every category's awards and the finalisation, in order.
        let submitted: i64 = app.db(|c| {
            reviews::table
                .filter(reviews::edition_id.eq(ed.id))
                .filter(reviews::status.eq("submitted"))
                .count()
                .get_result(c)
                .unwrap()
        });
        let count = |k: &str| records.iter().filter(|r| r.1 == k).count() as i64;
        assert_eq!(count("score_submitted"), submitted);
        assert!(submitted > 20, "{submitted}");
        assert!(count("awards_set") >= 2);
        let (head_seq, head_kind, head_hash) = records.last().unwrap().clone();
        assert_eq!(head_kind, "protocol_finalised");
        assert_eq!(
            records.iter().map(|r| r.0).collect::<Vec<_>>(),
            (1..=head_seq).collect::<Vec<_>>()
        );

        // The protocol shows the head: its number and its hash.
        let org = app.client();
        let email = &loaded
            .accounts
            .iter()
            .find(|a| a.role.as_str() == "organiser")
            .unwrap()
            .email;
        login(&org, email, &loaded.password);
        let protocol = org.get(&format!("/admin/editions/{}/protocol", ed.id));
        assert_eq!(protocol.status, 200);
        protocol.assert_contains("<h2>Rejestr prac jury</h2>");
        protocol.assert_contains(&format!(
            "<dt>Numer ostatniego wpisu</dt><dd>{head_seq}</dd>"
        ));
        protocol.assert_contains(&format!("<code class=\"prewrap\">{head_hash}</code>"));
        let en = org.get(&format!("/admin/editions/{}/protocol?lang=en", ed.id));
        en.assert_contains("Hash of the latest entry (SHA-256)");
        en.assert_contains(&head_hash);

        let (ok, out, err) = verify(&app);
        assert!(ok, "{out}\n{err}");
        assert!(out.contains("The jury's record is intact."), "{out}");
        assert!(
            out.contains(&format!(
                "edition {}: records: {head_seq}, head: {head_hash}",
                ed.id
            )),
            "{out}"
        );

        // One point more on one criterion of one submitted score, written behind the portal's back.
        let (score_id, entry_id, juror_id): (i32, i32, i32) = app.db(|c| {
            scores::table
                .inner_join(reviews::table)
                .filter(reviews::edition_id.eq(ed.id))
                .filter(reviews::status.eq("submitted"))
                .order(scores::id)
                .select((scores::id, reviews::entry_id, reviews::juror_id))
                .first(c)
                .unwrap()
        });
        app.db(|c| {
            diesel::update(scores::table.find(score_id))
                .set(scores::points.eq(scores::points + 1))
                .execute(c)
                .unwrap()
        });
        // The record that says otherwise is that score's latest one.
        let object = format!("\"object\":\"score:{entry_id}:{juror_id}\"");
        let recorded: i32 = app.db(|c| {
            jury_chain::table
                .filter(jury_chain::edition_id.eq(ed.id))
                .filter(jury_chain::payload.like(format!("%{object}%")))
                .order(jury_chain::seq.desc())
                .select(jury_chain::seq)
                .first(c)
                .unwrap()
        });
        let (ok, out, err) = verify(&app);
        assert!(!ok, "verify must fail: {out}");
        assert!(
            err.contains(&format!(
                "edition {}, record {recorded} (score_submitted): score:{entry_id}:{juror_id}",
                ed.id
            )),
            "{err}"
        );
        // Put back, it verifies again.
        app.db(|c| {
            diesel::update(scores::table.find(score_id))
                .set(scores::points.eq(scores::points - 1))
                .execute(c)
                .unwrap()
        });
        assert!(verify(&app).0);

        // A record edited in place (its comment changed, the hash left alone) is named too.
        app.db(|c| {
            diesel::update(
                jury_chain::table
                    .filter(jury_chain::edition_id.eq(ed.id))
                    .filter(jury_chain::seq.eq(2)),
            )
            .set(
                jury_chain::payload.eq(diesel::dsl::sql::<diesel::sql_types::Text>(
                    "replace(payload, '\"comment\":\"', '\"comment\":\"X')",
                )),
            )
            .execute(c)
            .unwrap()
        });
        let (ok, _, err) = verify(&app);
        assert!(!ok);
        assert!(
            err.contains(&format!("edition {}, record 2 (score_submitted)", ed.id))
                && err.contains("the record was changed"),
            "{err}"
        );
    }
);
