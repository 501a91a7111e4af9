//! The jury's hash chain (see `domain::chain`): appending a record and reading an edition's
//! records and the live rows they speak of.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{editions, jury_chain};
use super::{DbConn, DbResult};
use crate::domain::chain::Record;

/// Holds the edition's chain until the end of the transaction, so two appends never read the
/// same head: a transaction-scoped advisory lock on PostgreSQL (not the edition's row, which a
/// score being saved holds shared); on SQLite the write transaction already holds the database.
/// Appends take it last, after every row lock of their change, so it cannot deadlock with them.
pub fn lock(c: &mut DbConn, edition_id: i32) -> DbResult<()> {
    match c {
        DbConn::Pg(pg) => {
            // 0x6a757279 = "jury": the advisory key space of the chain.
            diesel::sql_query("SELECT pg_advisory_xact_lock(1786082937, $1)")
                .bind::<diesel::sql_types::Integer, _>(edition_id)
                .execute(pg)?;
            Ok(())
        }
        DbConn::Sqlite(_) => Ok(()),
    }
}

/// The edition's latest record: (seq, hash); `None` before the first.
pub fn head(c: &mut DbConn, edition_id: i32) -> DbResult<Option<(i32, String)>> {
    jury_chain::table
        .filter(jury_chain::edition_id.eq(edition_id))
        .order(jury_chain::seq.desc())
        .select((jury_chain::seq, jury_chain::hash))
        .first(c)
        .optional()
}

pub fn insert(c: &mut DbConn, r: &Record) -> DbResult<()> {
    diesel::insert_into(jury_chain::table)
        .values((
            jury_chain::edition_id.eq(r.edition_id),
            jury_chain::seq.eq(r.seq),
            jury_chain::at.eq(r.at),
            jury_chain::kind.eq(&r.kind),
            jury_chain::payload.eq(&r.payload),
            jury_chain::prev_hash.eq(&r.prev_hash),
            jury_chain::hash.eq(&r.hash),
        ))
        .execute(c)
        .map(|_| ())
}

/// The edition's records in seq order.
pub fn records(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<Record>> {
    let rows: Vec<(i32, i32, NaiveDateTime, String, String, String, String)> = jury_chain::table
        .filter(jury_chain::edition_id.eq(edition_id))
        .order(jury_chain::seq.asc())
        .select((
            jury_chain::edition_id,
            jury_chain::seq,
            jury_chain::at,
            jury_chain::kind,
            jury_chain::payload,
            jury_chain::prev_hash,
            jury_chain::hash,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(
            |(edition_id, seq, at, kind, payload, prev_hash, hash)| Record {
                edition_id,
                seq,
                at,
                kind,
                payload,
                prev_hash,
                hash,
            },
        )
        .collect())
}

/// Every edition's id, in order, and those of editions that have records although they are gone.
pub fn edition_ids(c: &mut DbConn) -> DbResult<Vec<i32>> {
    let mut ids: Vec<i32> = editions::table
        .select(editions::id)
        .order(editions::id.asc())
        .load(c)?;
    let chained: Vec<i32> = jury_chain::table
        .select(jury_chain::edition_id)
        .distinct()
        .load(c)?;
    ids.extend(chained);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids)
}
