//! The domain's states, statuses and roles read and written as TEXT on both backends. The one
//! mapping between a value and its text is each enum's `as_str`/`parse`; an unknown text read
//! from the database is a deserialization error, never a default.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Text;
use diesel::sqlite::Sqlite;

use super::MultiBackend;
use super::tokens::Purpose;
use crate::domain::awards::Award;
use crate::domain::edition::EditionState;
use crate::domain::entry::EntryStatus;
use crate::domain::mail::OutboxStatus;
use crate::domain::ranking::Aggregation;
use crate::domain::review::ReviewStatus;
use crate::domain::roles::Role;

/// The error for a stored text that names no value of the enum.
fn unknown(what: &str, s: &str) -> Box<dyn std::error::Error + Send + Sync> {
    format!("unknown {what} in the database: {s:?}").into()
}

macro_rules! text_enum {
    ($($t:ident),* $(,)?) => { $(
        impl ToSql<Text, Pg> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
                <str as ToSql<Text, Pg>>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, Sqlite> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Sqlite>) -> serialize::Result {
                <str as ToSql<Text, Sqlite>>::to_sql(self.as_str(), out)
            }
        }

        impl ToSql<Text, MultiBackend> for $t {
            fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, MultiBackend>) -> serialize::Result {
                out.set_value((Text, self));
                Ok(IsNull::No)
            }
        }

        impl FromSql<Text, Pg> for $t {
            fn from_sql(bytes: <Pg as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, Pg>>::from_sql(bytes)?;
                $t::parse(&s).ok_or_else(|| unknown(stringify!($t), &s))
            }
        }

        impl FromSql<Text, Sqlite> for $t {
            fn from_sql(bytes: <Sqlite as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                let s = <String as FromSql<Text, Sqlite>>::from_sql(bytes)?;
                $t::parse(&s).ok_or_else(|| unknown(stringify!($t), &s))
            }
        }

        impl FromSql<Text, MultiBackend> for $t {
            fn from_sql(bytes: <MultiBackend as Backend>::RawValue<'_>) -> deserialize::Result<Self> {
                bytes.from_sql::<$t, Text>()
            }
        }
    )* };
}

text_enum!(
    Aggregation,
    Purpose,
    EditionState,
    EntryStatus,
    ReviewStatus,
    Role,
    Award,
    OutboxStatus
);

#[cfg(test)]
mod tests {
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    use diesel::sql_types::Text;
    use diesel::sqlite::SqliteConnection;

    use super::*;
    use crate::db::DbConn;

    fn conn() -> DbConn {
        DbConn::Sqlite(SqliteConnection::establish(":memory:").unwrap())
    }

    /// Writes every value through diesel, reads it back through diesel, and refuses a text that
    /// names no value, through the connection type the application uses.
    fn round_trip<T>(all: &[T], as_str: fn(T) -> &'static str)
    where
        T: Copy
            + PartialEq
            + std::fmt::Debug
            + ToSql<Text, MultiBackend>
            + FromSql<Text, MultiBackend>
            + diesel::expression::AsExpression<Text>
            + diesel::deserialize::FromSqlRow<Text, MultiBackend>
            + 'static,
    {
        let mut c = conn();
        c.batch_execute("CREATE TABLE t (v TEXT NOT NULL)").unwrap();
        for &v in all {
            c.batch_execute("DELETE FROM t").unwrap();
            diesel::sql_query("INSERT INTO t (v) VALUES (?)")
                .bind::<Text, _>(v)
                .execute(&mut c)
                .unwrap();
            let text: String = diesel::select(diesel::dsl::sql::<Text>("(SELECT v FROM t)"))
                .get_result(&mut c)
                .unwrap();
            assert_eq!(text, as_str(v));
            let back: T = diesel::select(diesel::dsl::sql::<Text>("(SELECT v FROM t)"))
                .get_result(&mut c)
                .unwrap();
            assert_eq!(back, v);
        }
        let bad =
            diesel::select(diesel::dsl::sql::<Text>("'no-such-value'")).get_result::<T>(&mut c);
        assert!(
            matches!(bad, Err(diesel::result::Error::DeserializationError(_))),
            "{bad:?}"
        );
    }

    #[test]
    fn every_enum_round_trips_and_refuses_unknown_text() {
        round_trip(&EditionState::ALL, EditionState::as_str);
        round_trip(&EntryStatus::ALL, EntryStatus::as_str);
        round_trip(&ReviewStatus::ALL, ReviewStatus::as_str);
        round_trip(&Role::ALL, Role::as_str);
        round_trip(&Award::ALL, Award::as_str);
        round_trip(&OutboxStatus::ALL, OutboxStatus::as_str);
    }

    #[test]
    fn parse_is_the_inverse_of_as_str() {
        fn check<T: Copy + PartialEq + std::fmt::Debug>(
            all: &[T],
            as_str: fn(T) -> &'static str,
            parse: fn(&str) -> Option<T>,
        ) {
            for &v in all {
                assert_eq!(parse(as_str(v)), Some(v));
            }
            let mut texts: Vec<_> = all.iter().map(|&v| as_str(v)).collect();
            texts.sort();
            texts.dedup();
            assert_eq!(texts.len(), all.len(), "two values share a text");
            for bad in ["", "Draft", " draft", "unknown"] {
                assert_eq!(parse(bad), None, "{bad:?}");
            }
        }
        check(
            &EditionState::ALL,
            EditionState::as_str,
            EditionState::parse,
        );
        check(&EntryStatus::ALL, EntryStatus::as_str, EntryStatus::parse);
        check(
            &ReviewStatus::ALL,
            ReviewStatus::as_str,
            ReviewStatus::parse,
        );
        check(&Role::ALL, Role::as_str, Role::parse);
        check(&Award::ALL, Award::as_str, Award::parse);
        check(
            &OutboxStatus::ALL,
            OutboxStatus::as_str,
            OutboxStatus::parse,
        );
    }
}
