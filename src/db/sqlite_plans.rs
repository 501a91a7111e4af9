//! One query plan per prepared statement on every SQLite connection of this process.
//!
//! SQLite 3.51 lets the value bound to some parameters choose the plan (a `LIMIT ?`, the pattern
//! of `LIKE ?`) and then marks the statement expired whenever that parameter is bound again, so
//! the next step compiles the statement anew. Diesel binds every `.first()`'s `LIMIT` and keeps
//! its statements prepared: each of them was parsed and planned again on every use (a fifth of
//! the CPU time of a juror's list). The "query planner stability guarantee" switches this off;
//! it is a per-connection setting without a PRAGMA, and diesel does not hand out its handle, so
//! it is set by an automatic extension that SQLite runs on every connection it opens.

use std::ffi::{c_char, c_int};
use std::sync::Once;

use libsqlite3_sys as ffi;

/// Called by SQLite with each new connection's handle.
unsafe extern "C" fn stable_plans(
    db: *mut ffi::sqlite3,
    _err: *mut *mut c_char,
    _api: *const ffi::sqlite3_api_routines,
) -> c_int {
    // SAFETY: `db` is the live connection SQLite is opening; ENABLE_QPSG takes an int and an
    // optional out-pointer (null: not asked).
    unsafe {
        ffi::sqlite3_db_config(
            db,
            ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
            1 as c_int,
            std::ptr::null_mut::<c_int>(),
        );
    }
    ffi::SQLITE_OK
}

/// Registers the setting for every SQLite connection opened from now on (once per process).
pub fn install() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // SAFETY: registers a function with the signature SQLite expects; it stays valid for
        // the life of the process.
        let rc = unsafe { ffi::sqlite3_auto_extension(Some(stable_plans)) };
        if rc != ffi::SQLITE_OK {
            tracing::warn!(code = rc, "SQLite: stable query plans could not be set");
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::ffi::CString;

    /// How often a `LIMIT ?` statement was compiled again after being bound twice, on a fresh
    /// in-memory connection with the planner guarantee on or off.
    fn reprepares(qpsg: bool) -> c_int {
        unsafe {
            let mut db = std::ptr::null_mut();
            let name = CString::new(":memory:").unwrap();
            assert_eq!(
                ffi::sqlite3_open(name.as_ptr(), &raw mut db),
                ffi::SQLITE_OK
            );
            let mut now = -1;
            ffi::sqlite3_db_config(
                db,
                ffi::SQLITE_DBCONFIG_ENABLE_QPSG,
                c_int::from(qpsg),
                &raw mut now,
            );
            assert_eq!(now, c_int::from(qpsg));
            let setup = CString::new("CREATE TABLE t (x); INSERT INTO t VALUES (1), (2);").unwrap();
            let rc = ffi::sqlite3_exec(
                db,
                setup.as_ptr(),
                None,
                std::ptr::null_mut(),
                std::ptr::null_mut(),
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            let sql = CString::new("SELECT x FROM t LIMIT ?").unwrap();
            let mut stmt = std::ptr::null_mut();
            let rc = ffi::sqlite3_prepare_v3(
                db,
                sql.as_ptr(),
                -1,
                ffi::SQLITE_PREPARE_PERSISTENT,
                &raw mut stmt,
                std::ptr::null_mut(),
            );
            assert_eq!(rc, ffi::SQLITE_OK);
            for limit in [1, 2, 1] {
                ffi::sqlite3_bind_int(stmt, 1, limit);
                assert_eq!(ffi::sqlite3_step(stmt), ffi::SQLITE_ROW);
                ffi::sqlite3_reset(stmt);
            }
            let n = ffi::sqlite3_stmt_status(stmt, ffi::SQLITE_STMTSTATUS_REPREPARE, 0);
            ffi::sqlite3_finalize(stmt);
            ffi::sqlite3_close(db);
            n
        }
    }

    #[test]
    fn a_bound_limit_recompiles_the_statement_unless_plans_are_stable() {
        assert!(
            reprepares(false) >= 2,
            "SQLite's behaviour this module works around"
        );
        assert_eq!(reprepares(true), 0);
    }

    #[test]
    fn connections_opened_after_install_have_stable_plans() {
        install();
        unsafe {
            let mut db = std::ptr::null_mut();
            let name = CString::new(":memory:").unwrap();
            assert_eq!(
                ffi::sqlite3_open(name.as_ptr(), &raw mut db),
                ffi::SQLITE_OK
            );
            let mut now = -1;
            ffi::sqlite3_db_config(db, ffi::SQLITE_DBCONFIG_ENABLE_QPSG, -1, &raw mut now);
            ffi::sqlite3_close(db);
            assert_eq!(now, 1);
        }
    }
}
