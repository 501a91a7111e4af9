//! Awards decided by the organisers.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{awards, categories, editions, entries, institutions};
use super::{DbConn, DbResult};
use crate::domain::awards::Award;
use crate::domain::edition::EditionState;
use crate::domain::entry::EntryStatus;

#[derive(Queryable, Clone, Debug)]
pub struct AwardRow {
    pub entry_id: i32,
    pub category_id: i32,
    pub award: Award,
    pub ex_aequo: bool,
    pub decided_by: i32,
    pub decided_at: NaiveDateTime,
    /// The order of a mention among the category's mentions (1, 2, …); 0 for places.
    pub position: i32,
}

pub fn of_edition(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<AwardRow>> {
    awards::table
        .filter(awards::edition_id.eq(edition_id))
        .select((
            awards::entry_id,
            awards::category_id,
            awards::award,
            awards::ex_aequo,
            awards::decided_by,
            awards::decided_at,
            awards::position,
        ))
        .load(c)
}

/// How many awards an edition has (by the index on the edition).
pub fn count_for_edition(c: &mut DbConn, edition_id: i32) -> DbResult<i64> {
    awards::table
        .filter(awards::edition_id.eq(edition_id))
        .count()
        .get_result(c)
}

/// One entry's award, if it has one (by the unique index on the entry).
pub fn of_entry(c: &mut DbConn, entry_id: i32) -> DbResult<Option<Award>> {
    awards::table
        .filter(awards::entry_id.eq(entry_id))
        .select(awards::award)
        .first(c)
        .optional()
}

/// Replaces one category's awards: (entry, award, position among the mentions).
pub fn set_category(
    c: &mut DbConn,
    edition_id: i32,
    category_id: i32,
    chosen: &[(i32, Award, i32)],
    ex_aequo: bool,
    by: i32,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::delete(awards::table.filter(awards::category_id.eq(category_id))).execute(c)?;
    if chosen.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = chosen
        .iter()
        .map(|(entry_id, award, position)| {
            (
                awards::edition_id.eq(edition_id),
                awards::category_id.eq(category_id),
                awards::entry_id.eq(*entry_id),
                awards::award.eq(*award),
                awards::ex_aequo.eq(ex_aequo),
                awards::decided_by.eq(by),
                awards::decided_at.eq(now),
                awards::position.eq(*position),
            )
        })
        .collect();
    super::on_backend!(c, |conn| diesel::insert_into(awards::table)
        .values(&rows)
        .execute(conn))?;
    Ok(())
}

/// The published results: each awarded entry with its category and institution.
#[derive(Queryable, Clone, Debug)]
pub struct Laureate {
    pub entry_id: i32,
    pub award: Award,
    pub ex_aequo: bool,
    pub category_id: i32,
    pub category_code: String,
    pub category_name: String,
    pub category_name_en: String,
    pub category_position: i32,
    pub institution_id: i32,
    pub institution: String,
    pub title: String,
    pub ref_no: Option<String>,
    /// The order among the category's mentions, as the organisers set it.
    pub position: i32,
}

pub fn laureates(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<Laureate>> {
    awards::table
        .inner_join(entries::table.inner_join(institutions::table))
        .inner_join(categories::table.on(categories::id.eq(awards::category_id)))
        .filter(awards::edition_id.eq(edition_id))
        .order((
            categories::position.asc(),
            awards::award.asc(),
            awards::position.asc(),
            institutions::name.asc(),
        ))
        .select((
            awards::entry_id,
            awards::award,
            awards::ex_aequo,
            awards::category_id,
            categories::code,
            categories::name,
            categories::name_en,
            categories::position,
            entries::institution_id,
            institutions::name,
            entries::title,
            entries::ref_no,
            awards::position,
        ))
        .load(c)
}

/// The results an institution may see: each of its entries judged in an edition whose results
/// are published, with its award (`None`: judged, no award).
pub fn published_for_institution(
    c: &mut DbConn,
    institution_id: i32,
) -> DbResult<Vec<(i32, Option<Award>)>> {
    entries::table
        .inner_join(editions::table)
        .left_join(awards::table.on(awards::entry_id.eq(entries::id)))
        .filter(entries::institution_id.eq(institution_id))
        .filter(entries::status.eq(EntryStatus::Accepted))
        .filter(editions::state.eq(EditionState::Published))
        .select((entries::id, awards::award.nullable()))
        .load(c)
}
