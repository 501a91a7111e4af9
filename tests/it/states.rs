//! States, statuses, roles and the other closed sets stored as text (aggregation rule, token
//! purpose, institution kind, language): the database itself refuses a value the application does
//! not name (a CHECK constraint on PostgreSQL, triggers that abort like one on SQLite), on insert
//! and on update, and accepts every value they do name.

use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use diesel::sql_types::Text;
use konkurs::db::tokens::Purpose;
use konkurs::db::{Db, DbConn, DbUrl};
use konkurs::domain::awards::Award;
use konkurs::domain::edition::EditionState;
use konkurs::domain::entry::EntryStatus;
use konkurs::domain::mail::OutboxStatus;
use konkurs::domain::ranking::Aggregation;
use konkurs::domain::review::ReviewStatus;
use konkurs::domain::roles::{INSTITUTION_KINDS, Role};
use konkurs::i18n::Lang;

use crate::support::PgDatabase;

const T: &str = "'2026-01-01 00:00:00'";

/// (table, column, every value the enum names, an INSERT of one row with id {id} and the value
/// {v}; unique columns carry {id} too).
fn guarded() -> Vec<(&'static str, &'static str, Vec<&'static str>, String)> {
    vec![
        (
            "users",
            "role",
            Role::ALL.iter().map(|r| r.as_str()).collect(),
            format!(
                "INSERT INTO users (id, email, name, role, lang, created_at, updated_at) \
                 VALUES ({{id}}, 'u{{id}}@example.org', 'U', {{v}}, 'pl', {T}, {T})"
            ),
        ),
        (
            "editions",
            "state",
            EditionState::ALL.iter().map(|s| s.as_str()).collect(),
            format!(
                "INSERT INTO editions (id, slug, name, name_en, year, rules, rules_en, opens_at, \
                 closes_at, judging_deadline, entries_per_category, state, state_changed_at, \
                 created_at, updated_at) VALUES ({{id}}, 'e{{id}}', 'E', 'E', 2026, '', '', {T}, \
                 {T}, {T}, 1, {{v}}, {T}, {T}, {T})"
            ),
        ),
        (
            "entries",
            "status",
            EntryStatus::ALL.iter().map(|s| s.as_str()).collect(),
            format!(
                "INSERT INTO entries (id, edition_id, category_id, institution_id, created_by, \
                 title, summary, description, budget, funding, partners, links, contact_name, \
                 contact_email, contact_phone, accepted_rules, accepted_privacy, status, \
                 decision_note, created_at, updated_at) VALUES ({{id}}, 1, 1, 1, 1, 'T', '', '', \
                 '', '', '', '', '', '', '', TRUE, TRUE, {{v}}, '', {T}, {T})"
            ),
        ),
        (
            "reviews",
            "status",
            ReviewStatus::ALL.iter().map(|s| s.as_str()).collect(),
            format!(
                "INSERT INTO reviews (id, edition_id, entry_id, juror_id, comment, status, \
                 updated_at) VALUES ({{id}}, 1, 1, 1, '', {{v}}, {T})"
            ),
        ),
        (
            "awards",
            "award",
            Award::ALL.iter().map(|a| a.as_str()).collect(),
            format!(
                "INSERT INTO awards (id, edition_id, category_id, entry_id, award, ex_aequo, \
                 decided_by, decided_at) VALUES ({{id}}, 1, 1, 1, {{v}}, FALSE, 1, {T})"
            ),
        ),
        (
            "outbox",
            "status",
            OutboxStatus::ALL.iter().map(|s| s.as_str()).collect(),
            format!(
                "INSERT INTO outbox (id, kind, to_email, to_name, subject, body_text, body_html, \
                 status, attempts, next_attempt_at, created_at, message_id) VALUES ({{id}}, 'k', \
                 'a@example.org', 'A', 'S', '', '', {{v}}, 0, {T}, {T}, 'm{{id}}')"
            ),
        ),
        (
            "editions",
            "aggregation",
            Aggregation::ALL.iter().map(|a| a.as_str()).collect(),
            format!(
                "INSERT INTO editions (id, slug, name, name_en, year, rules, rules_en, opens_at, \
                 closes_at, judging_deadline, entries_per_category, state, state_changed_at, \
                 created_at, updated_at, aggregation) VALUES ({{id}}0, 'e{{id}}0', 'E', 'E', \
                 2026, '', '', {T}, {T}, {T}, 1, 'draft', {T}, {T}, {T}, {{v}})"
            ),
        ),
        (
            "tokens",
            "purpose",
            Purpose::ALL.iter().map(|p| p.as_str()).collect(),
            format!(
                "INSERT INTO tokens (id, purpose, token_hash, expires_at, created_at) \
                 VALUES ({{id}}, {{v}}, 'h{{id}}', {T}, {T})"
            ),
        ),
        (
            "institutions",
            "kind",
            INSTITUTION_KINDS.to_vec(),
            format!(
                "INSERT INTO institutions (id, name, kind, street, postal_code, city, \
                 contact_person, phone, created_at, updated_at) VALUES ({{id}}0, 'I', {{v}}, '', \
                 '', '', '', '', {T}, {T})"
            ),
        ),
        (
            "users",
            "lang",
            Lang::ALL.iter().map(|l| l.code()).collect(),
            format!(
                "INSERT INTO users (id, email, name, role, lang, created_at, updated_at) \
                 VALUES ({{id}}0, 'l{{id}}@example.org', 'U', 'juror', {{v}}, {T}, {T})"
            ),
        ),
    ]
}

fn sql(template: &str, id: u32, value: &str) -> String {
    template
        .replace("{id}", &id.to_string())
        .replace("{v}", &format!("'{value}'"))
}

fn unknown_values_are_refused(db: Db) {
    let mut conn = db.conn().unwrap();
    let c: &mut DbConn = &mut conn;
    c.batch_execute(&format!(
        "INSERT INTO institutions (id, name, kind, street, postal_code, city, contact_person, \
         phone, created_at, updated_at) VALUES (1, 'I', 'inna', '', '', '', '', '', {T}, {T})"
    ))
    .unwrap();
    for (table, column, values, insert) in guarded() {
        let check = format!("{table}_{column}_check");
        // A row with the first value (then the category, which needs the edition).
        c.batch_execute(&sql(&insert, 1, values[0]))
            .unwrap_or_else(|e| panic!("{table}: a valid row is refused: {e}"));
        if (table, column) == ("editions", "state") {
            c.batch_execute(
                "INSERT INTO categories (id, edition_id, code, name, name_en, description, \
                 description_en, position) VALUES (1, 1, 'I', 'C', 'C', '', '', 1)",
            )
            .unwrap();
        }
        for bad in ["bogus", "Draft", "", "accepted "] {
            let e = c
                .batch_execute(&sql(&insert, 2, bad))
                .expect_err(&format!("{table}.{column} = {bad:?} inserted"));
            assert!(
                e.to_string().contains(&check),
                "{table}: refused for another reason: {e}"
            );
            let e = c
                .batch_execute(&format!(
                    "UPDATE {table} SET {column} = '{bad}' WHERE id = 1"
                ))
                .expect_err(&format!("{table}.{column} updated to {bad:?}"));
            assert!(
                e.to_string().contains(&check),
                "{table}: refused for another reason: {e}"
            );
        }
        for v in &values {
            c.batch_execute(&format!("UPDATE {table} SET {column} = '{v}' WHERE id = 1"))
                .unwrap_or_else(|e| panic!("{table}.{column} = {v:?} refused: {e}"));
        }
    }
    // Read back through diesel, a value the enums do not name is an error, never a default.
    let bogus = || diesel::dsl::sql::<Text>("'bogus'");
    let refused = |r: Result<(), diesel::result::Error>| {
        assert!(
            matches!(r, Err(diesel::result::Error::DeserializationError(_))),
            "{r:?}"
        );
    };
    refused(
        diesel::select(bogus())
            .get_result::<EntryStatus>(c)
            .map(|_| ()),
    );
    refused(
        diesel::select(bogus())
            .get_result::<EditionState>(c)
            .map(|_| ()),
    );
    refused(
        diesel::select(bogus())
            .get_result::<ReviewStatus>(c)
            .map(|_| ()),
    );
    refused(diesel::select(bogus()).get_result::<Role>(c).map(|_| ()));
    refused(diesel::select(bogus()).get_result::<Award>(c).map(|_| ()));
    refused(
        diesel::select(bogus())
            .get_result::<OutboxStatus>(c)
            .map(|_| ()),
    );
    let status: EntryStatus = diesel::select(diesel::dsl::sql::<Text>("'returned'"))
        .get_result(c)
        .unwrap();
    assert_eq!(status, EntryStatus::Returned);
}

#[test]
fn sqlite_refuses_unknown_states() {
    let dir = std::env::temp_dir().join(format!(
        "konkurs-states-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let db = Db::open(DbUrl::Sqlite(dir.join("states.db")), 1).expect("sqlite migrates");
    unknown_values_are_refused(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn postgres_refuses_unknown_states() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let db = Db::open(DbUrl::Postgres(pg.url.clone()), 1).expect("postgres migrates");
    unknown_values_are_refused(db);
}
