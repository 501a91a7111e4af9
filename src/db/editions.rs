//! Editions with their categories and criteria.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{categories, criteria, editions, entries};
use super::{DbConn, DbResult};
use crate::domain::edition::EditionState;
use crate::domain::entry::EntryStatus;
use crate::domain::ranking::Aggregation;

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = editions)]
pub struct Edition {
    pub id: i32,
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub year: i32,
    pub rules: String,
    pub rules_en: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub judging_deadline: NaiveDateTime,
    pub entries_per_category: i32,
    pub state: EditionState,
    pub state_changed_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    pub blind_judging: bool,
    pub aggregation: Aggregation,
    pub tie_break_criterion_id: Option<i32>,
    pub show_scores: bool,
    pub protocol_finalised_at: Option<NaiveDateTime>,
    pub results_published_at: Option<NaiveDateTime>,
    /// When the running server is to publish the results (see `services::schedule`).
    pub publish_at: Option<NaiveDateTime>,
    /// Whether it then queues the announcement too.
    pub publish_announce: bool,
    /// Years after publication that the edition's personal data are kept.
    pub retention_years: i32,
}

/// How an edition is judged, set before judging starts.
#[derive(AsChangeset, Clone, Debug)]
#[diesel(table_name = editions)]
#[diesel(treat_none_as_null = true)]
pub struct JudgingSettings {
    pub blind_judging: bool,
    pub aggregation: Aggregation,
    pub tie_break_criterion_id: Option<i32>,
    pub show_scores: bool,
}

pub fn update_judging(
    c: &mut DbConn,
    id: i32,
    s: &JudgingSettings,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(editions::table.find(id))
        .set((s, editions::updated_at.eq(now)))
        .execute(c)
        .map(|_| ())
}

/// Sets (or with `None` clears) when the running server publishes the results.
pub fn set_schedule(
    c: &mut DbConn,
    id: i32,
    at: Option<NaiveDateTime>,
    announce: bool,
) -> DbResult<()> {
    diesel::update(editions::table.find(id))
        .set((
            editions::publish_at.eq(at),
            editions::publish_announce.eq(announce && at.is_some()),
        ))
        .execute(c)
        .map(|_| ())
}

/// Editions whose scheduled publication is due: still being judged, `publish_at <= now`.
pub fn due_for_publication(c: &mut DbConn, now: NaiveDateTime) -> DbResult<Vec<i32>> {
    editions::table
        .filter(editions::publish_at.le(now))
        .filter(editions::state.eq(EditionState::Judging))
        .order(editions::id.asc())
        .select(editions::id)
        .load(c)
}

/// Claims a due publication: one conditional UPDATE clearing `publish_at`, so of any number of
/// instances trying at once exactly one changes the row (on PostgreSQL the others wait for its
/// row lock, then find `publish_at` empty); returns whether this one did, and whether the
/// announcement is to be sent.
pub fn claim_publication(c: &mut DbConn, id: i32, now: NaiveDateTime) -> DbResult<Option<bool>> {
    let announce: Option<bool> = editions::table
        .find(id)
        .select(editions::publish_announce)
        .first(c)
        .optional()?;
    let n = diesel::update(
        editions::table
            .find(id)
            .filter(editions::publish_at.le(now))
            .filter(editions::state.eq(EditionState::Judging)),
    )
    .set((
        editions::publish_at.eq(None::<NaiveDateTime>),
        editions::publish_announce.eq(false),
    ))
    .execute(c)?;
    Ok((n == 1).then_some(announce.unwrap_or(false)))
}

pub fn set_protocol_finalised(c: &mut DbConn, id: i32, at: Option<NaiveDateTime>) -> DbResult<()> {
    diesel::update(editions::table.find(id))
        .set(editions::protocol_finalised_at.eq(at))
        .execute(c)
        .map(|_| ())
}

pub fn set_results_published(c: &mut DbConn, id: i32, at: NaiveDateTime) -> DbResult<()> {
    diesel::update(editions::table.find(id))
        .set(editions::results_published_at.eq(at))
        .execute(c)
        .map(|_| ())
}

/// The fields an organiser edits.
#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = editions)]
pub struct EditionData {
    pub slug: String,
    pub name: String,
    pub name_en: String,
    pub year: i32,
    pub rules: String,
    pub rules_en: String,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub judging_deadline: NaiveDateTime,
    pub entries_per_category: i32,
    pub retention_years: i32,
}

pub fn insert(c: &mut DbConn, d: &EditionData, now: NaiveDateTime) -> DbResult<i32> {
    diesel::insert_into(editions::table)
        .values((
            d,
            editions::state.eq(EditionState::Draft),
            editions::state_changed_at.eq(now),
            editions::created_at.eq(now),
            editions::updated_at.eq(now),
        ))
        .returning(editions::id)
        .get_result(c)
}

pub fn update(c: &mut DbConn, id: i32, d: &EditionData, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(editions::table.find(id))
        .set((d, editions::updated_at.eq(now)))
        .execute(c)
        .map(|_| ())
}

pub fn set_state(c: &mut DbConn, id: i32, state: EditionState, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(editions::table.find(id))
        .set((
            editions::state.eq(state),
            editions::state_changed_at.eq(now),
            editions::updated_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn find(c: &mut DbConn, id: i32) -> DbResult<Option<Edition>> {
    editions::table
        .find(id)
        .select(Edition::as_select())
        .first(c)
        .optional()
}

pub fn find_by_slug(c: &mut DbConn, slug: &str) -> DbResult<Option<Edition>> {
    editions::table
        .filter(editions::slug.eq(slug))
        .select(Edition::as_select())
        .first(c)
        .optional()
}

pub fn slug_taken(c: &mut DbConn, slug: &str, except: Option<i32>) -> DbResult<bool> {
    let n: i64 = editions::table
        .filter(editions::slug.eq(slug))
        .filter(editions::id.ne(except.unwrap_or(0)))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// All editions, newest call first.
pub fn list_all(c: &mut DbConn) -> DbResult<Vec<Edition>> {
    editions::table
        .order((editions::opens_at.desc(), editions::id.desc()))
        .select(Edition::as_select())
        .load(c)
}

/// Editions the public can see (not drafts), newest first.
pub fn list_public(c: &mut DbConn) -> DbResult<Vec<Edition>> {
    editions::table
        .filter(editions::state.ne(EditionState::Draft))
        .order((editions::opens_at.desc(), editions::id.desc()))
        .select(Edition::as_select())
        .load(c)
}

/// The current edition: the newest one that is not a draft.
pub fn current(c: &mut DbConn) -> DbResult<Option<Edition>> {
    editions::table
        .filter(editions::state.ne(EditionState::Draft))
        .order((editions::opens_at.desc(), editions::id.desc()))
        .select(Edition::as_select())
        .first(c)
        .optional()
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = categories)]
pub struct Category {
    pub id: i32,
    pub edition_id: i32,
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub position: i32,
}

#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = categories)]
pub struct CategoryData {
    pub code: String,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub position: i32,
}

pub fn categories(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<Category>> {
    categories::table
        .filter(categories::edition_id.eq(edition_id))
        .order((categories::position.asc(), categories::id.asc()))
        .select(Category::as_select())
        .load(c)
}

pub fn find_category(c: &mut DbConn, id: i32) -> DbResult<Option<Category>> {
    categories::table
        .find(id)
        .select(Category::as_select())
        .first(c)
        .optional()
}

pub fn insert_category(c: &mut DbConn, edition_id: i32, d: &CategoryData) -> DbResult<i32> {
    diesel::insert_into(categories::table)
        .values((d, categories::edition_id.eq(edition_id)))
        .returning(categories::id)
        .get_result(c)
}

pub fn update_category(c: &mut DbConn, id: i32, d: &CategoryData) -> DbResult<()> {
    diesel::update(categories::table.find(id))
        .set(d)
        .execute(c)
        .map(|_| ())
}

pub fn delete_category(c: &mut DbConn, id: i32) -> DbResult<()> {
    diesel::delete(categories::table.find(id))
        .execute(c)
        .map(|_| ())
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = criteria)]
pub struct Criterion {
    pub id: i32,
    pub edition_id: i32,
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub max_points: i32,
    pub weight: f64,
    pub levels: String,
    pub levels_en: String,
    pub position: i32,
}

#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = criteria)]
pub struct CriterionData {
    pub name: String,
    pub name_en: String,
    pub description: String,
    pub description_en: String,
    pub max_points: i32,
    pub weight: f64,
    pub levels: String,
    pub levels_en: String,
    pub position: i32,
}

pub fn criteria(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<Criterion>> {
    criteria::table
        .filter(criteria::edition_id.eq(edition_id))
        .order((criteria::position.asc(), criteria::id.asc()))
        .select(Criterion::as_select())
        .load(c)
}

pub fn find_criterion(c: &mut DbConn, id: i32) -> DbResult<Option<Criterion>> {
    criteria::table
        .find(id)
        .select(Criterion::as_select())
        .first(c)
        .optional()
}

pub fn insert_criterion(c: &mut DbConn, edition_id: i32, d: &CriterionData) -> DbResult<i32> {
    diesel::insert_into(criteria::table)
        .values((d, criteria::edition_id.eq(edition_id)))
        .returning(criteria::id)
        .get_result(c)
}

pub fn update_criterion(c: &mut DbConn, id: i32, d: &CriterionData) -> DbResult<()> {
    diesel::update(criteria::table.find(id))
        .set(d)
        .execute(c)
        .map(|_| ())
}

pub fn delete_criterion(c: &mut DbConn, id: i32) -> DbResult<()> {
    diesel::delete(criteria::table.find(id))
        .execute(c)
        .map(|_| ())
}

/// Entries per status in an edition, for the guards and overviews: (status, count).
pub fn entry_counts(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(EntryStatus, i64)>> {
    entries::table
        .filter(entries::edition_id.eq(edition_id))
        .group_by(entries::status)
        .select((entries::status, diesel::dsl::count_star()))
        .load(c)
}

pub fn count_categories(c: &mut DbConn, edition_id: i32) -> DbResult<i64> {
    categories::table
        .filter(categories::edition_id.eq(edition_id))
        .count()
        .get_result(c)
}

pub fn count_criteria(c: &mut DbConn, edition_id: i32) -> DbResult<i64> {
    criteria::table
        .filter(criteria::edition_id.eq(edition_id))
        .count()
        .get_result(c)
}

pub fn category_has_entries(c: &mut DbConn, category_id: i32) -> DbResult<bool> {
    let n: i64 = entries::table
        .filter(entries::category_id.eq(category_id))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}
