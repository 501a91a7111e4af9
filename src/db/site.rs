//! The site's own texts: the accessibility statement and the privacy notice (one row).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::site_texts;
use super::{DbConn, DbResult};

/// The row's id: there is only one.
const ROW: i32 = 1;

#[derive(Queryable, Selectable, Insertable, AsChangeset, Clone, Debug, PartialEq, Eq)]
#[diesel(table_name = site_texts)]
pub struct SiteTexts {
    pub entity: String,
    pub published_on: String,
    pub updated_on: String,
    pub prepared_on: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub a11y_pl: String,
    pub a11y_en: String,
    pub privacy_pl: String,
    pub privacy_en: String,
}

/// The saved texts, if an organiser has saved them.
pub fn find(conn: &mut DbConn) -> DbResult<Option<SiteTexts>> {
    site_texts::table
        .find(ROW)
        .select(SiteTexts::as_select())
        .first(conn)
        .optional()
}

/// Saves the texts (the first save creates the row).
pub fn save(
    conn: &mut DbConn,
    t: &SiteTexts,
    actor: Option<i32>,
    now: NaiveDateTime,
) -> DbResult<()> {
    // Two first saves at once would both insert: on PostgreSQL they take turns (SQLite's write
    // transaction already does). Called inside a transaction.
    if let DbConn::Pg(pg) = conn {
        diesel::connection::SimpleConnection::batch_execute(
            pg,
            "SELECT pg_advisory_xact_lock(7036211591)",
        )?;
    }
    let changed = diesel::update(site_texts::table.find(ROW))
        .set((
            t,
            site_texts::updated_at.eq(now),
            site_texts::updated_by.eq(actor),
        ))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(site_texts::table)
            .values((
                site_texts::id.eq(ROW),
                t,
                site_texts::updated_at.eq(now),
                site_texts::updated_by.eq(actor),
            ))
            .execute(conn)?;
    }
    Ok(())
}

#[derive(QueryableByName)]
struct Version {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    version: i64,
}

/// The public pages' version: the database's triggers raise it with every change to what a
/// public page shows (migration `public_version`), so a copy rendered at an older one is stale.
pub fn public_version(conn: &mut DbConn) -> DbResult<i64> {
    diesel::sql_query("SELECT version FROM public_version WHERE id = 1")
        .get_result::<Version>(conn)
        .map(|v| v.version)
}
