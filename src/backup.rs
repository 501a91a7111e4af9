//! `konkurs backup` and `konkurs restore`: a consistent copy of the database and the
//! attachments, taken while the portal runs, and its way back.
//!
//! SQLite is copied with `VACUUM INTO`, which reads one consistent snapshot through SQLite
//! itself (a copy of the file would miss what is still in the `-wal` file). PostgreSQL is left to
//! `pg_dump`, whose exact command is printed. The database is copied before the attachments, so
//! every attachment the copied database names is in the copy (a file uploaded meanwhile may be
//! there too, unreferenced and harmless).

use std::path::{Path, PathBuf};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::db::{Db, DbConn, DbUrl, schema};
use crate::storage::Storage;

/// The database file inside a backup directory (SQLite).
pub const DB_FILE: &str = "konkurs.db";
pub const MANIFEST: &str = "manifest.json";
pub const UPLOADS: &str = "uploads";
/// The `pg_dump` file a PostgreSQL backup is expected to hold.
pub const PG_DUMP: &str = "konkurs.pgdump";

/// What a backup holds, written beside it as `manifest.json`.
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// When the copy was taken (UTC, RFC 3339).
    pub created_at: String,
    pub konkurs_version: String,
    /// "SQLite" or "PostgreSQL".
    pub backend: String,
    /// The latest migration applied to the copied database.
    pub schema_version: String,
    /// Whether the database itself is in the directory (false for PostgreSQL: see `pg_dump`).
    pub database_included: bool,
    pub users: i64,
    pub entries: i64,
    pub attachments: i64,
    /// Attachment files copied into `uploads/`.
    pub attachment_files: u64,
    /// Files the database names that the storage did not have (each one is also logged).
    #[serde(default)]
    pub missing_attachments: Vec<String>,
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    version: Option<String>,
}

/// The newest migration recorded in the database.
fn schema_version(conn: &mut DbConn) -> Result<String, String> {
    let v: Version =
        diesel::sql_query("SELECT MAX(version) AS version FROM __diesel_schema_migrations")
            .get_result(conn)
            .map_err(|e| format!("cannot read the schema version: {e}"))?;
    Ok(v.version.unwrap_or_default())
}

fn counts(conn: &mut DbConn) -> Result<(i64, i64, i64), String> {
    let q = |e: diesel::result::Error| format!("cannot count the rows: {e}");
    Ok((
        schema::users::table.count().get_result(conn).map_err(q)?,
        schema::entries::table.count().get_result(conn).map_err(q)?,
        schema::attachments::table
            .count()
            .get_result(conn)
            .map_err(q)?,
    ))
}

/// A directory that does not exist yet or is empty (but for the files named in `allowed`),
/// made private (it holds everyone's data).
fn prepare_empty_dir(dir: &Path, allowed: &[&str]) -> Result<(), String> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.any(|e| e.map_or(true, |e| !allowed.iter().any(|a| e.file_name() == **a))) {
            return Err(format!(
                "{} is not empty: give a new directory for each backup",
                dir.display()
            ));
        }
    }
    crate::storage::create_private_dir(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Copies every attachment from the storage into `to` (created if missing): a directory or an
/// S3 bucket alike, through the storage's own listing, so unfinished uploads never come along.
/// Returns the number of files copied.
pub fn copy_attachments(storage: &Storage, to: &Path) -> Result<u64, String> {
    let n =
        block_on(storage.export_to(to)).map_err(|e| format!("cannot copy the attachments: {e}"))?;
    Ok(n as u64)
}

/// Puts the attachments of a backup (`from`) back into the storage; a backup without any
/// attachments has no directory for them.
fn restore_attachments(from: &Path, storage: &Storage) -> Result<u64, String> {
    if !from.is_dir() {
        return Ok(0);
    }
    let n = block_on(storage.import_from(from))
        .map_err(|e| format!("cannot restore the attachments: {e}"))?;
    Ok(n as u64)
}

/// The storage works asynchronously; the commands run before any server starts.
fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    actix_web::rt::System::new().block_on(f)
}

/// The command that dumps a PostgreSQL database into a backup directory. It names the
/// variable, not the URL, so no password is printed.
pub fn pg_dump_command(to: &Path) -> String {
    format!(
        "pg_dump --format=custom --no-owner --file={} \"$DATABASE_URL\"",
        shell_quote(&to.join(PG_DUMP))
    )
}

/// `path` as one POSIX shell word, whatever it holds: single quotes around it, each `'` in
/// it written `'\''`.
fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

/// The command that loads that dump into the (empty or replaced) database.
pub fn pg_restore_command(from: &Path) -> String {
    format!(
        "pg_restore --clean --if-exists --no-owner --dbname=\"$DATABASE_URL\" {}",
        shell_quote(&from.join(PG_DUMP))
    )
}

/// `konkurs backup --to DIR`. Returns the manifest written.
pub fn backup(url: &DbUrl, storage: &Storage, to: &Path) -> Result<Manifest, String> {
    // Opening a missing SQLite file would create an empty database there.
    if let DbUrl::Sqlite(path) = url
        && !path.is_file()
    {
        return Err(format!("there is no database at {}", path.display()));
    }
    // PostgreSQL: the dump is made first, into the same directory (see below).
    let dump_first: &[&str] = match url {
        DbUrl::Postgres(_) => &[PG_DUMP],
        DbUrl::Sqlite(_) => &[],
    };
    prepare_empty_dir(to, dump_first)?;
    let db = Db::connect(url.clone(), 1, std::time::Duration::ZERO)?;
    let mut conn = db.conn().map_err(|e| e.to_string())?;
    let database_included = match &mut **conn {
        DbConn::Sqlite(c) => {
            let target = to.join(DB_FILE);
            // A bound parameter: any path, quotes and all, is taken as it is.
            diesel::sql_query("VACUUM INTO ?")
                .bind::<diesel::sql_types::Text, _>(target.to_string_lossy().as_ref())
                .execute(c)
                .map_err(|e| format!("cannot copy the database: {e}"))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600));
            }
            true
        }
        // Dumped by pg_dump before the attachments are copied, like the SQLite copy above: every
        // attachment the dump names is then in the backup.
        DbConn::Pg(_) if to.join(PG_DUMP).is_file() => false,
        DbConn::Pg(_) => {
            return Err(format!(
                "konkurs does not copy a PostgreSQL database itself. Dump it into {dir} first, \
                 then run this command again with the same --to:\n  {}",
                pg_dump_command(to),
                dir = to.display()
            ));
        }
    };
    let schema_version = schema_version(&mut conn)?;
    let (users, entries, attachments) = counts(&mut conn)?;
    let named: Vec<String> = schema::attachments::table
        .select(schema::attachments::stored_name)
        .load(&mut **conn)
        .map_err(|e| format!("cannot list the attachments: {e}"))?;
    drop(conn);
    let attachment_files = copy_attachments(storage, &to.join(UPLOADS))?;
    let missing_attachments: Vec<String> = named
        .into_iter()
        .filter(|n| !to.join(UPLOADS).join(n).is_file())
        .collect();
    for name in &missing_attachments {
        tracing::error!(stored_name = %name, "an attachment the database names is missing from the storage");
    }
    let manifest = Manifest {
        created_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        konkurs_version: env!("CARGO_PKG_VERSION").to_string(),
        backend: url.backend_name().to_string(),
        schema_version,
        database_included,
        users,
        entries,
        attachments,
        attachment_files,
        missing_attachments,
    };
    let json = serde_json::to_string_pretty(&manifest).map_err(|e| e.to_string())?;
    std::fs::write(to.join(MANIFEST), json + "\n")
        .map_err(|e| format!("cannot write {}: {e}", to.join(MANIFEST).display()))?;
    Ok(manifest)
}

pub fn read_manifest(from: &Path) -> Result<Manifest, String> {
    let path = from.join(MANIFEST);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| format!("{} is not a konkurs backup: {e}", path.display()))?;
    serde_json::from_str(&text).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// True when the SQLite database at `path` holds anyone's data (a user or an edition).
fn holds_data(path: &Path) -> Result<bool, String> {
    if !path.exists() || std::fs::metadata(path).map(|m| m.len()).unwrap_or(0) == 0 {
        return Ok(false);
    }
    let mut c = diesel::SqliteConnection::establish(&path.to_string_lossy())
        .map_err(|e| format!("cannot open {}: {e}", path.display()))?;
    let has_table = |c: &mut diesel::SqliteConnection, t: &str| -> Result<bool, String> {
        #[derive(QueryableByName)]
        struct N {
            #[diesel(sql_type = diesel::sql_types::BigInt)]
            n: i64,
        }
        let n: N = diesel::sql_query(
            "SELECT COUNT(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?",
        )
        .bind::<diesel::sql_types::Text, _>(t)
        .get_result(c)
        .map_err(|e| e.to_string())?;
        Ok(n.n > 0)
    };
    if !has_table(&mut c, "users")? {
        return Ok(false);
    }
    let users: i64 = schema::users::table
        .count()
        .get_result(&mut c)
        .map_err(|e| e.to_string())?;
    let editions: i64 = schema::editions::table
        .count()
        .get_result(&mut c)
        .map_err(|e| e.to_string())?;
    Ok(users > 0 || editions > 0)
}

/// What `restore` did, for the console.
#[derive(Debug)]
pub enum Restored {
    /// SQLite: the database file and this many attachment files are in place.
    Sqlite { database: PathBuf, files: u64 },
    /// PostgreSQL: the attachments are in place; the database is restored with these steps.
    Postgres { files: u64, steps: String },
}

/// `konkurs restore --from DIR`: puts a backup in place of the (stopped) portal's data.
pub fn restore(
    from: &Path,
    url: &DbUrl,
    storage: &Storage,
    force: bool,
) -> Result<Restored, String> {
    let manifest = read_manifest(from)?;
    match url {
        DbUrl::Sqlite(path) => {
            if !manifest.database_included {
                return Err(format!(
                    "this backup was taken from {} and holds no database file",
                    manifest.backend
                ));
            }
            let source = from.join(DB_FILE);
            if !source.is_file() {
                return Err(format!("{} is missing", source.display()));
            }
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                crate::storage::create_private_dir(dir)
                    .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
            }
            // Held until the new file is in place: no portal may start on it meanwhile.
            let _exclusive = crate::db::sqlite_exclusive(path)?;
            if !force && holds_data(path)? {
                return Err(format!(
                    "{} already holds data; stop the portal and add --force to replace it",
                    path.display()
                ));
            }
            // Copied beside the target, then renamed over it: never a half-written database.
            let partial = path.with_extension("db.restoring");
            std::fs::copy(&source, &partial)
                .map_err(|e| format!("cannot copy {}: {e}", source.display()))?;
            for suffix in ["-wal", "-shm"] {
                let mut side = path.as_os_str().to_owned();
                side.push(suffix);
                let _ = std::fs::remove_file(PathBuf::from(side));
            }
            std::fs::rename(&partial, path)
                .map_err(|e| format!("cannot replace {}: {e}", path.display()))?;
            let files = restore_attachments(&from.join(UPLOADS), storage)?;
            Ok(Restored::Sqlite {
                database: path.clone(),
                files,
            })
        }
        DbUrl::Postgres(_) => {
            if manifest.database_included {
                return Err(format!(
                    "this backup holds a SQLite database ({}); restore it with a SQLite DATABASE_URL",
                    from.join(DB_FILE).display()
                ));
            }
            if !from.join(PG_DUMP).is_file() {
                return Err(format!(
                    "{} is missing: the backup's database dump was not made (see `konkurs backup`)",
                    from.join(PG_DUMP).display()
                ));
            }
            let files = restore_attachments(&from.join(UPLOADS), storage)?;
            Ok(Restored::Postgres {
                files,
                steps: pg_restore_command(from),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_commands_quote_any_path() {
        let dir = Path::new("/srv/kopie it's \"$(rm -rf ~)\"");
        let cmd = pg_dump_command(dir);
        let out = std::process::Command::new("sh")
            .args([
                "-c",
                &format!(
                    "set -- {}; printf %s \"$3\"",
                    cmd.trim_start_matches("pg_dump")
                ),
            ])
            .output()
            .unwrap();
        assert_eq!(
            String::from_utf8_lossy(&out.stdout),
            format!("--file={}", dir.join(PG_DUMP).display())
        );
        assert!(pg_restore_command(dir).ends_with(&shell_quote(&dir.join(PG_DUMP))));
    }

    #[test]
    fn a_backup_needs_a_new_or_empty_directory() {
        let dir = std::env::temp_dir().join(format!(
            "konkurs-bk-{}",
            &crate::domain::token::generate()[..8]
        ));
        prepare_empty_dir(&dir, &[]).unwrap();
        prepare_empty_dir(&dir, &[]).unwrap();
        std::fs::write(dir.join(PG_DUMP), "x").unwrap();
        prepare_empty_dir(&dir, &[PG_DUMP]).unwrap();
        std::fs::write(dir.join("x"), "x").unwrap();
        let e = prepare_empty_dir(&dir, &[PG_DUMP]).unwrap_err();
        assert!(e.contains("not empty"), "{e}");
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn attachments_are_copied_without_unfinished_uploads() {
        let base = std::env::temp_dir().join(format!(
            "konkurs-bk-{}",
            &crate::domain::token::generate()[..8]
        ));
        let from = base.join("uploads");
        let storage = Storage::open(from.clone()).unwrap();
        let name = format!("{}.bin", crate::domain::token::generate());
        std::fs::write(from.join(&name), "a").unwrap();
        std::fs::create_dir_all(from.join("tmp")).unwrap();
        std::fs::write(from.join("tmp/partial"), "p").unwrap();
        let n = copy_attachments(&storage, &base.join("copy")).unwrap();
        assert_eq!(n, 1);
        assert_eq!(std::fs::read(base.join("copy").join(&name)).unwrap(), b"a");
        assert!(!base.join("copy/tmp").exists());
        let empty = Storage::open(base.join("none")).unwrap();
        assert_eq!(copy_attachments(&empty, &base.join("c2")).unwrap(), 0);
        // And back: a restore puts the file into another storage.
        let other = Storage::open(base.join("other")).unwrap();
        assert_eq!(restore_attachments(&base.join("copy"), &other).unwrap(), 1);
        assert_eq!(std::fs::read(base.join("other").join(&name)).unwrap(), b"a");
        std::fs::remove_dir_all(&base).ok();
    }
}
