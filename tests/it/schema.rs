//! The two backends' migrations are kept as separate copies; this test migrates a fresh
//! database of each and compares what they built: tables, columns with their types, nullability
//! and defaults-free shape, primary keys, indexes (columns, uniqueness), foreign keys, and the
//! values a guarded column may hold (a CHECK on PostgreSQL, a pair of triggers on SQLite), which
//! must also be exactly the values of the application's enums.

use std::collections::BTreeSet;

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Text};
use konkurs::db::{Db, DbConn, DbUrl};

use crate::support::PgDatabase;

/// One fact about the schema, comparable across backends.
type Facts = BTreeSet<String>;

/// SQLite and PostgreSQL spell the same column types differently.
fn normalise_type(t: &str) -> String {
    let t = t.to_ascii_lowercase();
    match t.as_str() {
        "integer" | "int" | "int4" | "serial" => "integer",
        "bigint" | "int8" | "bigserial" => "bigint",
        "text" | "character varying" | "varchar" => "text",
        "timestamp" | "timestamp without time zone" => "timestamp",
        "boolean" | "bool" => "boolean",
        "double precision" | "double" | "real" | "float8" => "double",
        "date" => "date",
        other => other,
    }
    .to_string()
}

#[derive(QueryableByName)]
struct Name {
    #[diesel(sql_type = Text)]
    name: String,
}

#[derive(QueryableByName)]
struct SqliteColumn {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Text)]
    r#type: String,
    #[diesel(sql_type = Integer)]
    notnull: i32,
    #[diesel(sql_type = Integer)]
    pk: i32,
}

#[derive(QueryableByName)]
struct SqliteIndex {
    #[diesel(sql_type = Text)]
    name: String,
    #[diesel(sql_type = Integer)]
    unique: i32,
    #[diesel(sql_type = Text)]
    origin: String,
}

#[derive(QueryableByName)]
struct SqliteIndexColumn {
    #[diesel(sql_type = Nullable<Text>)]
    name: Option<String>,
}

#[derive(QueryableByName)]
struct SqliteForeignKey {
    #[diesel(sql_type = Text)]
    table: String,
    #[diesel(sql_type = Text)]
    from: String,
    #[diesel(sql_type = Nullable<Text>)]
    to: Option<String>,
    #[diesel(sql_type = Text)]
    on_delete: String,
}

/// "allowed table.column on EVENT: a, b, c" with the values sorted.
fn allowed_fact(table: &str, column: &str, event: &str, values: &str) -> String {
    let mut vals: Vec<&str> = values.split('\'').skip(1).step_by(2).collect();
    vals.sort();
    format!("allowed {table}.{column} on {event}: {}", vals.join(", "))
}

#[derive(QueryableByName)]
struct SqlOfTable {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    def: String,
}

/// The triggers written by the typed-states migration: `BEFORE INSERT ON t` or
/// `BEFORE UPDATE OF c ON t`, `WHEN NEW.c NOT IN ('a', 'b')`, aborting.
fn sqlite_guards(c: &mut diesel::SqliteConnection, facts: &mut Facts) {
    let triggers: Vec<SqlOfTable> = diesel::sql_query(
        "SELECT tbl_name AS table_name, sql AS def FROM sqlite_master WHERE type = 'trigger'",
    )
    .load(c)
    .unwrap();
    for t in triggers {
        let def = t.def.split_whitespace().collect::<Vec<_>>().join(" ");
        if def.contains("UPDATE public_version SET version = version + 1") {
            // The public pages' version number (one trigger per event on SQLite).
            let event = ["INSERT", "UPDATE", "DELETE"]
                .into_iter()
                .find(|e| def.contains(&format!(" AFTER {e} ON ")))
                .unwrap_or_else(|| panic!("unexpected version trigger: {def}"));
            facts.insert(format!("bumps public_version: {} {event}", t.table_name));
            continue;
        }
        let event = if def.contains(" BEFORE INSERT ON ") {
            "insert"
        } else if def.contains(" BEFORE UPDATE OF ") {
            "update"
        } else {
            panic!("unexpected trigger on {}: {def}", t.table_name)
        };
        assert!(def.contains("RAISE(ABORT"), "trigger does not abort: {def}");
        let (_, when) = def
            .split_once("WHEN NEW.")
            .expect("WHEN NEW.column NOT IN (...)");
        let (column, rest) = when.split_once(" NOT IN (").expect("NOT IN (...)");
        let (values, _) = rest.split_once(')').unwrap();
        facts.insert(allowed_fact(&t.table_name, column, event, values));
    }
}

/// CHECK constraints of the form `CHECK ((c = ANY (ARRAY['a'::text, 'b'::text])))`; a CHECK
/// holds on insert and on update alike.
fn pg_guards(c: &mut diesel::PgConnection, facts: &mut Facts) {
    let bumps: Vec<SqlOfTable> = diesel::sql_query(
        "SELECT event_object_table::text AS table_name, event_manipulation::text AS def \
         FROM information_schema.triggers WHERE trigger_schema = 'public' \
         AND action_statement LIKE '%bump_public_version%'",
    )
    .load(c)
    .unwrap();
    for b in bumps {
        facts.insert(format!("bumps public_version: {} {}", b.table_name, b.def));
    }
    let checks: Vec<SqlOfTable> = diesel::sql_query(
        "SELECT conrelid::regclass::text AS table_name, pg_get_constraintdef(oid) AS def \
         FROM pg_constraint WHERE contype = 'c' AND connamespace = 'public'::regnamespace",
    )
    .load(c)
    .unwrap();
    for ch in checks {
        let inner = ch.def.trim_start_matches("CHECK ").trim_start_matches('(');
        let (column, values) = inner
            .split_once(" = ANY ")
            .unwrap_or_else(|| panic!("unexpected CHECK on {}: {}", ch.table_name, ch.def));
        for event in ["insert", "update"] {
            facts.insert(allowed_fact(&ch.table_name, column, event, values));
        }
    }
}

/// What the enums allow, as the same facts.
fn enum_facts() -> Facts {
    use konkurs::db::tokens::Purpose;
    use konkurs::domain::{awards, edition, entry, mail, ranking, review, roles};
    use konkurs::i18n::Lang;
    let quoted = |v: Vec<&str>| {
        v.iter()
            .map(|s| format!("'{s}'"))
            .collect::<Vec<_>>()
            .join(",")
    };
    let guarded = [
        (
            "users",
            "role",
            quoted(roles::Role::ALL.iter().map(|x| x.as_str()).collect()),
        ),
        (
            "editions",
            "state",
            quoted(
                edition::EditionState::ALL
                    .iter()
                    .map(|x| x.as_str())
                    .collect(),
            ),
        ),
        (
            "entries",
            "status",
            quoted(entry::EntryStatus::ALL.iter().map(|x| x.as_str()).collect()),
        ),
        (
            "reviews",
            "status",
            quoted(
                review::ReviewStatus::ALL
                    .iter()
                    .map(|x| x.as_str())
                    .collect(),
            ),
        ),
        (
            "awards",
            "award",
            quoted(awards::Award::ALL.iter().map(|x| x.as_str()).collect()),
        ),
        (
            "outbox",
            "status",
            quoted(mail::OutboxStatus::ALL.iter().map(|x| x.as_str()).collect()),
        ),
        (
            "editions",
            "aggregation",
            quoted(
                ranking::Aggregation::ALL
                    .iter()
                    .map(|x| x.as_str())
                    .collect(),
            ),
        ),
        (
            "tokens",
            "purpose",
            quoted(Purpose::ALL.iter().map(|x| x.as_str()).collect()),
        ),
        (
            "institutions",
            "kind",
            quoted(roles::INSTITUTION_KINDS.to_vec()),
        ),
        (
            "users",
            "lang",
            quoted(Lang::ALL.iter().map(|x| x.code()).collect()),
        ),
    ];
    let mut facts = Facts::new();
    for (t, c, v) in guarded {
        for event in ["insert", "update"] {
            facts.insert(allowed_fact(t, c, event, &v));
        }
    }
    facts
}

fn allowed(facts: &Facts) -> Facts {
    facts
        .iter()
        .filter(|f| f.starts_with("allowed "))
        .cloned()
        .collect()
}

fn sqlite_facts(c: &mut diesel::SqliteConnection) -> Facts {
    let mut facts = Facts::new();
    sqlite_guards(c, &mut facts);
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
         AND name <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for t in tables.iter().map(|t| &t.name) {
        facts.insert(format!("table {t}"));
        let cols: Vec<SqliteColumn> = diesel::sql_query(format!("PRAGMA table_info({t})"))
            .load(c)
            .unwrap();
        for col in &cols {
            // A primary key is NOT NULL whatever the declaration says.
            let nullable = col.notnull == 0 && col.pk == 0;
            facts.insert(format!(
                "column {t}.{} {} {}",
                col.name,
                normalise_type(&col.r#type),
                if nullable { "null" } else { "not null" }
            ));
            if col.pk > 0 {
                facts.insert(format!("primary key {t}.{}", col.name));
            }
        }
        let indexes: Vec<SqliteIndex> = diesel::sql_query(format!(
            "SELECT name, \"unique\", origin FROM pragma_index_list('{t}')"
        ))
        .load(c)
        .unwrap();
        for idx in indexes.iter().filter(|i| i.origin != "pk") {
            let cols: Vec<SqliteIndexColumn> = diesel::sql_query(format!(
                "SELECT name FROM pragma_index_info('{}') ORDER BY seqno",
                idx.name
            ))
            .load(c)
            .unwrap();
            let cols: Vec<String> = cols
                .into_iter()
                .map(|c| c.name.unwrap_or_else(|| "<expression>".into()))
                .collect();
            facts.insert(format!(
                "{}index {t}({})",
                if idx.unique == 1 { "unique " } else { "" },
                cols.join(", ")
            ));
        }
        let fks: Vec<SqliteForeignKey> = diesel::sql_query(format!(
            "SELECT \"table\", \"from\", \"to\", on_delete FROM pragma_foreign_key_list('{t}')"
        ))
        .load(c)
        .unwrap();
        for fk in fks {
            facts.insert(format!(
                "foreign key {t}.{} -> {}.{} on delete {}",
                fk.from,
                fk.table,
                fk.to.unwrap_or_else(|| "id".into()),
                fk.on_delete.to_ascii_lowercase()
            ));
        }
    }
    facts
}

#[derive(QueryableByName)]
struct PgColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    data_type: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[derive(QueryableByName)]
struct PgIndex {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    columns: String,
    #[diesel(sql_type = BigInt)]
    is_unique: i64,
}

#[derive(QueryableByName)]
struct PgForeignKey {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    foreign_table: String,
    #[diesel(sql_type = Text)]
    foreign_column: String,
    #[diesel(sql_type = Text)]
    delete_rule: String,
}

fn pg_facts(c: &mut diesel::PgConnection) -> Facts {
    let mut facts = Facts::new();
    pg_guards(c, &mut facts);
    let tables: Vec<Name> = diesel::sql_query(
        "SELECT table_name::text AS name FROM information_schema.tables \
         WHERE table_schema = 'public' AND table_type = 'BASE TABLE' \
         AND table_name <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for t in &tables {
        facts.insert(format!("table {}", t.name));
    }
    let cols: Vec<PgColumn> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, data_type::text, is_nullable::text \
         FROM information_schema.columns WHERE table_schema = 'public' \
         AND table_name <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for col in cols {
        facts.insert(format!(
            "column {}.{} {} {}",
            col.table_name,
            col.column_name,
            normalise_type(&col.data_type),
            if col.is_nullable == "YES" {
                "null"
            } else {
                "not null"
            }
        ));
    }
    let pks: Vec<PgColumn> = diesel::sql_query(
        "SELECT tc.table_name::text, kcu.column_name::text, ''::text AS data_type, \
         ''::text AS is_nullable \
         FROM information_schema.table_constraints tc \
         JOIN information_schema.key_column_usage kcu \
           ON tc.constraint_name = kcu.constraint_name AND tc.table_schema = kcu.table_schema \
         WHERE tc.constraint_type = 'PRIMARY KEY' AND tc.table_schema = 'public' \
         AND tc.table_name <> '__diesel_schema_migrations'",
    )
    .load(c)
    .unwrap();
    for pk in pks {
        facts.insert(format!("primary key {}.{}", pk.table_name, pk.column_name));
    }
    // Index columns in order; an expression (indkey 0) shows as <expression>.
    let indexes: Vec<PgIndex> = diesel::sql_query(
        "SELECT t.relname::text AS table_name, \
           string_agg(COALESCE(a.attname::text, '<expression>'), ', ' ORDER BY k.n) AS columns, \
           (CASE WHEN ix.indisunique THEN 1 ELSE 0 END)::bigint AS is_unique \
         FROM pg_index ix \
         JOIN pg_class t ON t.oid = ix.indrelid \
         JOIN pg_namespace ns ON ns.oid = t.relnamespace \
         CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n) \
         LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum AND k.attnum > 0 \
         WHERE ns.nspname = 'public' AND NOT ix.indisprimary \
         AND t.relname <> '__diesel_schema_migrations' \
         GROUP BY t.relname, ix.indexrelid, ix.indisunique",
    )
    .load(c)
    .unwrap();
    for idx in indexes {
        facts.insert(format!(
            "{}index {}({})",
            if idx.is_unique == 1 { "unique " } else { "" },
            idx.table_name,
            idx.columns
        ));
    }
    let fks: Vec<PgForeignKey> = diesel::sql_query(
        "SELECT kcu.table_name::text, kcu.column_name::text, \
           ccu.table_name::text AS foreign_table, ccu.column_name::text AS foreign_column, \
           rc.delete_rule::text \
         FROM information_schema.referential_constraints rc \
         JOIN information_schema.key_column_usage kcu \
           ON kcu.constraint_name = rc.constraint_name AND kcu.constraint_schema = rc.constraint_schema \
         JOIN information_schema.constraint_column_usage ccu \
           ON ccu.constraint_name = rc.unique_constraint_name \
          AND ccu.constraint_schema = rc.unique_constraint_schema \
         WHERE rc.constraint_schema = 'public'",
    )
    .load(c)
    .unwrap();
    for fk in fks {
        facts.insert(format!(
            "foreign key {}.{} -> {}.{} on delete {}",
            fk.table_name,
            fk.column_name,
            fk.foreign_table,
            fk.foreign_column,
            fk.delete_rule.to_ascii_lowercase()
        ));
    }
    facts
}

#[test]
fn sqlite_allows_exactly_the_enum_values() {
    let dir = std::env::temp_dir().join(format!(
        "konkurs-schema-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let sqlite = Db::open(DbUrl::Sqlite(dir.join("schema.db")), 1).expect("sqlite migrates");
    let lite = match &mut **sqlite.conn().unwrap() {
        DbConn::Sqlite(c) => sqlite_facts(c),
        DbConn::Pg(_) => unreachable!(),
    };
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(allowed(&lite), enum_facts());
}

#[test]
fn both_backends_migrate_to_the_same_schema() {
    let Some(pg) = PgDatabase::create() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!(
        "konkurs-schema-{}",
        &konkurs::domain::token::generate()[..12]
    ));
    let sqlite = Db::open(DbUrl::Sqlite(dir.join("schema.db")), 1).expect("sqlite migrates");
    let postgres = Db::open(DbUrl::Postgres(pg.url.clone()), 1).expect("postgres migrates");
    let lite = match &mut **sqlite.conn().unwrap() {
        DbConn::Sqlite(c) => sqlite_facts(c),
        DbConn::Pg(_) => unreachable!(),
    };
    let post = match &mut **postgres.conn().unwrap() {
        DbConn::Pg(c) => pg_facts(c),
        DbConn::Sqlite(_) => unreachable!(),
    };
    drop(postgres);
    let _ = std::fs::remove_dir_all(&dir);
    assert!(lite.len() > 50, "too few facts read: {lite:#?}");
    let only_sqlite: Vec<_> = lite.difference(&post).collect();
    let only_pg: Vec<_> = post.difference(&lite).collect();
    assert!(
        only_sqlite.is_empty() && only_pg.is_empty(),
        "the migrations differ.\nonly in SQLite:\n{only_sqlite:#?}\nonly in PostgreSQL:\n{only_pg:#?}"
    );
    assert_eq!(allowed(&post), enum_facts());
}
