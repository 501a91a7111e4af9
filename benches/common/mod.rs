//! Shared by the benchmarks: raw multi-row inserts, much faster than the services for large data
//! sets. Not every benchmark uses every item.
#![allow(dead_code)]

use diesel::connection::SimpleConnection;
use konkurs::db::DbConn;

/// A fixed timestamp as an SQL literal (both backends read it).
pub const TS: &str = "'2026-01-01 00:00:00'";

/// `head VALUES rows…` in batches of 500 rows.
pub fn insert_rows(c: &mut DbConn, head: &str, rows: impl Iterator<Item = String>) {
    let mut batch = Vec::with_capacity(500);
    let flush = |c: &mut DbConn, batch: &mut Vec<String>| {
        if !batch.is_empty() {
            c.batch_execute(&format!("{head} VALUES {};", batch.join(",")))
                .expect("insert");
            batch.clear();
        }
    };
    for r in rows {
        batch.push(r);
        if batch.len() == 500 {
            flush(c, &mut batch);
        }
    }
    flush(c, &mut batch);
}
