//! The jury: jurors' categories and assignments, declarations, conflicts of interest, reviews
//! and their scores, and the rows ranking reads.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{
    assignments, categories, conflicts, declarations, entries, institutions, juror_categories,
    reviews, scores, users,
};
use super::{DbConn, DbResult, on_backend};
use crate::domain::entry::EntryStatus;
use crate::domain::review::{ReviewStatus, Task, tally};
use crate::domain::roles::Role;

// ---------------------------------------------------------------------------------------------
// Jurors and what they judge

/// A juror account as the jury pages list it.
#[derive(Queryable, Clone, Debug)]
pub struct JurorAccount {
    pub id: i32,
    pub name: String,
    pub email: String,
    pub affiliation: Option<String>,
    pub verified_at: Option<NaiveDateTime>,
    pub disabled_at: Option<NaiveDateTime>,
}

/// Every juror account, by name.
pub fn jurors(c: &mut DbConn) -> DbResult<Vec<JurorAccount>> {
    users::table
        .filter(users::role.eq(Role::Juror))
        .order(users::name.asc())
        .select((
            users::id,
            users::name,
            users::email,
            users::affiliation,
            users::email_verified_at,
            users::disabled_at,
        ))
        .load(c)
}

/// (juror id, category id) pairs of an edition.
pub fn juror_categories(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, i32)>> {
    juror_categories::table
        .filter(juror_categories::edition_id.eq(edition_id))
        .select((juror_categories::juror_id, juror_categories::category_id))
        .load(c)
}

pub fn add_juror_category(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
    category_id: i32,
) -> DbResult<()> {
    diesel::insert_into(juror_categories::table)
        .values((
            juror_categories::edition_id.eq(edition_id),
            juror_categories::juror_id.eq(juror_id),
            juror_categories::category_id.eq(category_id),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn remove_juror_category(c: &mut DbConn, juror_id: i32, category_id: i32) -> DbResult<()> {
    diesel::delete(
        juror_categories::table
            .filter(juror_categories::juror_id.eq(juror_id))
            .filter(juror_categories::category_id.eq(category_id)),
    )
    .execute(c)
    .map(|_| ())
}

/// Jurors judging a category as a whole.
pub fn jurors_of_category(c: &mut DbConn, category_id: i32) -> DbResult<Vec<i32>> {
    juror_categories::table
        .filter(juror_categories::category_id.eq(category_id))
        .select(juror_categories::juror_id)
        .load(c)
}

pub fn is_assigned(c: &mut DbConn, entry_id: i32, juror_id: i32) -> DbResult<bool> {
    let n: i64 = assignments::table
        .filter(assignments::entry_id.eq(entry_id))
        .filter(assignments::juror_id.eq(juror_id))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

/// Assigns if not yet assigned; true when a row was added.
pub fn assign(
    c: &mut DbConn,
    edition_id: i32,
    entry_id: i32,
    juror_id: i32,
    now: NaiveDateTime,
) -> DbResult<bool> {
    Ok(assign_many(c, edition_id, &[(entry_id, juror_id)], now)? == 1)
}

/// Rows of one multi-row `INSERT` (well under SQLite's limit of bound parameters).
const CHUNK: usize = 1000;

/// Assigns (entry, juror) pairs of an edition in multi-row inserts; pairs already assigned
/// are skipped by the unique index (`ON CONFLICT DO NOTHING`). Returns the rows added.
pub fn assign_many(
    c: &mut DbConn,
    edition_id: i32,
    pairs: &[(i32, i32)],
    now: NaiveDateTime,
) -> DbResult<usize> {
    let mut added = 0;
    for chunk in pairs.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(entry_id, juror_id)| {
                (
                    assignments::edition_id.eq(edition_id),
                    assignments::entry_id.eq(*entry_id),
                    assignments::juror_id.eq(*juror_id),
                    assignments::created_at.eq(now),
                )
            })
            .collect();
        added += super::on_backend!(c, |conn| diesel::insert_into(assignments::table)
            .values(&rows)
            .on_conflict_do_nothing()
            .execute(conn))?;
    }
    Ok(added)
}

pub fn unassign(c: &mut DbConn, entry_id: i32, juror_id: i32) -> DbResult<usize> {
    diesel::delete(
        assignments::table
            .filter(assignments::entry_id.eq(entry_id))
            .filter(assignments::juror_id.eq(juror_id)),
    )
    .execute(c)
}

/// Removes a juror's assignments to the entries of one category.
pub fn unassign_category(c: &mut DbConn, juror_id: i32, category_id: i32) -> DbResult<usize> {
    let ids: Vec<i32> = entries::table
        .filter(entries::category_id.eq(category_id))
        .select(entries::id)
        .load(c)?;
    diesel::delete(
        assignments::table
            .filter(assignments::juror_id.eq(juror_id))
            .filter(assignments::entry_id.eq_any(ids)),
    )
    .execute(c)
}

/// How many accepted entries of an edition no juror is assigned to (nobody would judge them).
pub fn accepted_unassigned(c: &mut DbConn, edition_id: i32) -> DbResult<i64> {
    entries::table
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::status.eq(EntryStatus::Accepted))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            assignments::table.filter(assignments::entry_id.eq(entries::id)),
        )))
        .count()
        .get_result(c)
}

/// Accepted entries of a category (to assign to its jurors).
pub fn accepted_in_category(c: &mut DbConn, category_id: i32) -> DbResult<Vec<i32>> {
    entries::table
        .filter(entries::category_id.eq(category_id))
        .filter(entries::status.eq(EntryStatus::Accepted))
        .select(entries::id)
        .load(c)
}

/// A juror's entry list: one row per assignment with the entry, its category, institution and
/// the juror's review status, in one query.
#[derive(Queryable, Clone, Debug)]
pub struct AssignedRow {
    pub entry_id: i32,
    pub title: String,
    pub category_code: String,
    pub institution_id: i32,
    pub institution: String,
    pub review_status: Option<ReviewStatus>,
    pub total: Option<f64>,
    pub ref_no: Option<String>,
}

impl AssignedRow {
    /// The entry's reference number.
    pub fn reference(&self) -> &str {
        self.ref_no.as_deref().unwrap_or("—")
    }

    pub fn review_submitted(&self) -> bool {
        self.review_status.is_some_and(ReviewStatus::is_submitted)
    }
}

pub fn assigned_to(c: &mut DbConn, juror_id: i32, edition_id: i32) -> DbResult<Vec<AssignedRow>> {
    // Every juror's page: on the backend's own connection (statement cached by type).
    let q = assignments::table
        .inner_join(
            entries::table
                .inner_join(categories::table)
                .inner_join(institutions::table),
        )
        .left_join(
            reviews::table.on(reviews::entry_id
                .eq(assignments::entry_id)
                .and(reviews::juror_id.eq(assignments::juror_id))),
        )
        .filter(assignments::juror_id.eq(juror_id))
        .filter(assignments::edition_id.eq(edition_id))
        .order((
            categories::position.asc(),
            entries::title.asc(),
            entries::id.asc(),
        ))
        .select((
            entries::id,
            entries::title,
            categories::code,
            entries::institution_id,
            institutions::name,
            reviews::status.nullable(),
            reviews::total.nullable(),
            entries::ref_no,
        ));
    on_backend!(c, |c| q.load(c))
}

/// Editions in which a juror has assignments, by id.
pub fn juror_editions(c: &mut DbConn, juror_id: i32) -> DbResult<Vec<i32>> {
    assignments::table
        .filter(assignments::juror_id.eq(juror_id))
        .select(assignments::edition_id)
        .distinct()
        .load(c)
}

/// The assignments of an edition whose entry's institution the juror is not conflicted with,
/// joined with the entry and the juror's review: the one definition of a juror's work, which
/// [`work`] and the juror-finished notice (`db::notices::juror_progress`) select from.
macro_rules! work_query {
    ($edition_id:expr) => {{
        use $crate::db::schema::{assignments, conflicts, entries, reviews};
        assignments::table
            .inner_join(entries::table)
            .left_join(
                conflicts::table.on(conflicts::edition_id
                    .eq(assignments::edition_id)
                    .and(conflicts::juror_id.eq(assignments::juror_id))
                    .and(conflicts::institution_id.eq(entries::institution_id))),
            )
            .left_join(
                reviews::table.on(reviews::entry_id
                    .eq(assignments::entry_id)
                    .and(reviews::juror_id.eq(assignments::juror_id))),
            )
            .filter(assignments::edition_id.eq($edition_id))
            .filter(conflicts::id.nullable().is_null())
    }};
}
pub(crate) use work_query;

/// A juror's work in an edition, defined once: every assignment whose entry's institution the
/// juror is not conflicted with ("assigned and not conflicted"), done when the juror's review of
/// it is submitted. Progress, reminders and the ranking's "not all jurors scored" all read this.
pub fn work(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<Task>> {
    let rows: Vec<(i32, i32, i32, Option<ReviewStatus>)> = work_query!(edition_id)
        .select((
            assignments::juror_id,
            assignments::entry_id,
            entries::category_id,
            reviews::status.nullable(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(juror_id, entry_id, category_id, status)| Task {
            juror_id,
            entry_id,
            category_id,
            done: status.is_some_and(ReviewStatus::is_submitted),
        })
        .collect())
}

/// Per juror of an edition: (juror id, entries to judge, submitted reviews), by [`work`].
pub fn progress_by_juror(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, i64, i64)>> {
    Ok(tally(&work(c, edition_id)?, |t| t.juror_id))
}

/// Per category of an edition: (category id, entries to judge, submitted reviews), by [`work`].
pub fn progress_by_category(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, i64, i64)>> {
    Ok(tally(&work(c, edition_id)?, |t| t.category_id))
}

// ---------------------------------------------------------------------------------------------
// Declarations and conflicts

pub fn declared_at(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
) -> DbResult<Option<NaiveDateTime>> {
    declarations::table
        .filter(declarations::edition_id.eq(edition_id))
        .filter(declarations::juror_id.eq(juror_id))
        .select(declarations::accepted_at)
        .first(c)
        .optional()
}

pub fn declare(c: &mut DbConn, edition_id: i32, juror_id: i32, now: NaiveDateTime) -> DbResult<()> {
    if declared_at(c, edition_id, juror_id)?.is_some() {
        return Ok(());
    }
    diesel::insert_into(declarations::table)
        .values((
            declarations::edition_id.eq(edition_id),
            declarations::juror_id.eq(juror_id),
            declarations::accepted_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

/// (juror id, accepted at) for an edition.
pub fn declarations(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, NaiveDateTime)>> {
    declarations::table
        .filter(declarations::edition_id.eq(edition_id))
        .select((declarations::juror_id, declarations::accepted_at))
        .load(c)
}

#[derive(Queryable, Clone, Debug)]
pub struct ConflictRow {
    pub id: i32,
    pub juror_id: i32,
    pub juror: String,
    pub institution_id: i32,
    pub institution: String,
    pub reason: String,
    pub declared_by: i32,
    pub created_at: NaiveDateTime,
}

pub fn conflicts(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<ConflictRow>> {
    conflicts::table
        .inner_join(users::table.on(users::id.eq(conflicts::juror_id)))
        .inner_join(institutions::table)
        .filter(conflicts::edition_id.eq(edition_id))
        .order((users::name.asc(), institutions::name.asc()))
        .select((
            conflicts::id,
            conflicts::juror_id,
            users::name,
            conflicts::institution_id,
            institutions::name,
            conflicts::reason,
            conflicts::declared_by,
            conflicts::created_at,
        ))
        .load(c)
}

/// Institutions a juror has a conflict of interest with in an edition (by the unique index).
pub fn conflicted_institutions(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
) -> DbResult<Vec<i32>> {
    conflicts::table
        .filter(conflicts::edition_id.eq(edition_id))
        .filter(conflicts::juror_id.eq(juror_id))
        .select(conflicts::institution_id)
        .load(c)
}

/// A juror's progress from their own assignments ([`assigned_to`]) and conflicts, as [`work`]
/// defines it: (entries to judge, submitted), without reading the rest of the edition.
pub fn progress_of_rows(rows: &[AssignedRow], conflicted: &[i32]) -> (i64, i64) {
    let mut counts = (0i64, 0i64);
    for r in rows
        .iter()
        .filter(|r| !conflicted.contains(&r.institution_id))
    {
        counts.0 += 1;
        if r.review_submitted() {
            counts.1 += 1;
        }
    }
    counts
}

pub fn has_conflict(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
    institution_id: i32,
) -> DbResult<bool> {
    let n: i64 = conflicts::table
        .filter(conflicts::edition_id.eq(edition_id))
        .filter(conflicts::juror_id.eq(juror_id))
        .filter(conflicts::institution_id.eq(institution_id))
        .count()
        .get_result(c)?;
    Ok(n > 0)
}

pub fn add_conflict(
    c: &mut DbConn,
    edition_id: i32,
    juror_id: i32,
    institution_id: i32,
    reason: &str,
    by: i32,
    now: NaiveDateTime,
) -> DbResult<bool> {
    if has_conflict(c, edition_id, juror_id, institution_id)? {
        return Ok(false);
    }
    diesel::insert_into(conflicts::table)
        .values((
            conflicts::edition_id.eq(edition_id),
            conflicts::juror_id.eq(juror_id),
            conflicts::institution_id.eq(institution_id),
            conflicts::reason.eq(reason),
            conflicts::declared_by.eq(by),
            conflicts::created_at.eq(now),
        ))
        .execute(c)?;
    Ok(true)
}

/// The edition a conflict belongs to.
pub fn conflict_edition(c: &mut DbConn, id: i32) -> DbResult<Option<i32>> {
    conflicts::table
        .find(id)
        .select(conflicts::edition_id)
        .first(c)
        .optional()
}

pub fn remove_conflict(c: &mut DbConn, id: i32) -> DbResult<Option<(i32, i32, i32)>> {
    let row: Option<(i32, i32, i32)> = conflicts::table
        .find(id)
        .select((
            conflicts::edition_id,
            conflicts::juror_id,
            conflicts::institution_id,
        ))
        .first(c)
        .optional()?;
    if row.is_some() {
        diesel::delete(conflicts::table.find(id)).execute(c)?;
    }
    Ok(row)
}

/// Institutions with accepted entries in an edition, to declare conflicts against.
pub fn participating_institutions(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, String)>> {
    let q = entries::table
        .inner_join(institutions::table)
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::status.ne(EntryStatus::Draft))
        .filter(entries::status.ne(EntryStatus::Withdrawn))
        .select((institutions::id, institutions::name))
        .distinct()
        .order(institutions::name.asc());
    on_backend!(c, |c| q.load(c))
}

// ---------------------------------------------------------------------------------------------
// Reviews and scores

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = reviews)]
pub struct Review {
    pub id: i32,
    pub edition_id: i32,
    pub entry_id: i32,
    pub juror_id: i32,
    pub comment: String,
    pub status: ReviewStatus,
    pub total: Option<f64>,
    pub submitted_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
}

pub fn review(c: &mut DbConn, entry_id: i32, juror_id: i32) -> DbResult<Option<Review>> {
    reviews::table
        .filter(reviews::entry_id.eq(entry_id))
        .filter(reviews::juror_id.eq(juror_id))
        .select(Review::as_select())
        .first(c)
        .optional()
}

/// (criterion id, points) of a review.
pub fn scores_of(c: &mut DbConn, review_id: i32) -> DbResult<Vec<(i32, i32)>> {
    scores::table
        .filter(scores::review_id.eq(review_id))
        .select((scores::criterion_id, scores::points))
        .load(c)
}

/// A juror's judgement as it is written.
pub struct ReviewWrite<'a> {
    pub edition_id: i32,
    pub entry_id: i32,
    pub juror_id: i32,
    pub comment: &'a str,
    /// (criterion id, points).
    pub points: &'a [(i32, i32)],
    /// The weighted total when the review is submitted; `None` keeps it a draft.
    pub total: Option<f64>,
}

/// Writes a review (creating it if needed) and replaces its scores.
pub fn save_review(c: &mut DbConn, w: &ReviewWrite, now: NaiveDateTime) -> DbResult<i32> {
    let status = if w.total.is_some() {
        ReviewStatus::Submitted
    } else {
        ReviewStatus::Draft
    };
    let id = match review(c, w.entry_id, w.juror_id)? {
        Some(r) => {
            diesel::update(reviews::table.find(r.id))
                .set((
                    reviews::comment.eq(w.comment),
                    reviews::status.eq(status),
                    reviews::total.eq(w.total),
                    reviews::submitted_at.eq(w.total.map(|_| now)),
                    reviews::updated_at.eq(now),
                ))
                .execute(c)?;
            r.id
        }
        None => diesel::insert_into(reviews::table)
            .values((
                reviews::edition_id.eq(w.edition_id),
                reviews::entry_id.eq(w.entry_id),
                reviews::juror_id.eq(w.juror_id),
                reviews::comment.eq(w.comment),
                reviews::status.eq(status),
                reviews::total.eq(w.total),
                reviews::submitted_at.eq(w.total.map(|_| now)),
                reviews::updated_at.eq(now),
            ))
            .returning(reviews::id)
            .get_result(c)?,
    };
    diesel::delete(scores::table.filter(scores::review_id.eq(id))).execute(c)?;
    if !w.points.is_empty() {
        let rows: Vec<_> = w
            .points
            .iter()
            .map(|(criterion_id, p)| {
                (
                    scores::review_id.eq(id),
                    scores::criterion_id.eq(*criterion_id),
                    scores::points.eq(*p),
                )
            })
            .collect();
        super::on_backend!(c, |conn| diesel::insert_into(scores::table)
            .values(&rows)
            .execute(conn))?;
    }
    Ok(id)
}

/// Puts a submitted review back to draft, so its juror can change it.
pub fn reopen(c: &mut DbConn, entry_id: i32, juror_id: i32, now: NaiveDateTime) -> DbResult<bool> {
    let n = diesel::update(
        reviews::table
            .filter(reviews::entry_id.eq(entry_id))
            .filter(reviews::juror_id.eq(juror_id))
            .filter(reviews::status.eq(ReviewStatus::Submitted)),
    )
    .set((
        reviews::status.eq(ReviewStatus::Draft),
        reviews::total.eq(None::<f64>),
        reviews::submitted_at.eq(None::<NaiveDateTime>),
        reviews::updated_at.eq(now),
    ))
    .execute(c)?;
    Ok(n == 1)
}

// ---------------------------------------------------------------------------------------------
// What ranking reads

/// Submitted, assigned, non-conflicted judgements of an edition: (entry id, juror id, total).
/// One query; conflicts are left out by an anti-join.
pub fn judgements(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, i32, f64)>> {
    let rows: Vec<(i32, i32, Option<f64>)> = reviews::table
        .inner_join(entries::table)
        .inner_join(
            assignments::table.on(assignments::entry_id
                .eq(reviews::entry_id)
                .and(assignments::juror_id.eq(reviews::juror_id))),
        )
        .left_join(
            conflicts::table.on(conflicts::edition_id
                .eq(reviews::edition_id)
                .and(conflicts::juror_id.eq(reviews::juror_id))
                .and(conflicts::institution_id.eq(entries::institution_id))),
        )
        .filter(reviews::edition_id.eq(edition_id))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .filter(conflicts::id.nullable().is_null())
        .select((reviews::entry_id, reviews::juror_id, reviews::total))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(e, j, t)| t.map(|t| (e, j, t)))
        .collect())
}

/// (entry id, juror id, submitted total, tie-break points): see [`ranking_rows`].
pub type RankingRow = (i32, i32, Option<f64>, Option<i32>);

/// What the ranking reads, in one query: every assignment of an edition whose juror is not
/// conflicted with the entry's institution (the juror's work, as in [`work`]), with the
/// juror's review status and total and, when `tie_criterion` is named, the review's points on
/// that criterion (one probe per row of the index on (review, criterion, points), which answers
/// it alone; no other score is read). Rows: (entry id, juror id, submitted total, tie-break points); the total
/// is `None` unless the review is submitted. The anti-join tests a column of the join's
/// condition, which PostgreSQL's planner recognises as an anti-join (estimating the rows and
/// hashing instead of 50,000 index probes); a matching conflict never has it NULL.
pub fn ranking_rows(
    c: &mut DbConn,
    edition_id: i32,
    tie_criterion: Option<i32>,
) -> DbResult<Vec<RankingRow>> {
    type Raw = (i32, i32, Option<ReviewStatus>, Option<f64>, Option<i32>);
    let rows: Vec<Raw> = assignments::table
        .inner_join(entries::table)
        .left_join(
            conflicts::table.on(conflicts::edition_id
                .eq(assignments::edition_id)
                .and(conflicts::juror_id.eq(assignments::juror_id))
                .and(conflicts::institution_id.eq(entries::institution_id))),
        )
        .left_join(
            reviews::table.on(reviews::entry_id
                .eq(assignments::entry_id)
                .and(reviews::juror_id.eq(assignments::juror_id))),
        )
        .left_join(
            scores::table.on(scores::review_id
                .nullable()
                .eq(reviews::id.nullable())
                .and(scores::criterion_id.nullable().eq(tie_criterion))),
        )
        .filter(assignments::edition_id.eq(edition_id))
        .filter(conflicts::edition_id.nullable().is_null())
        .select((
            assignments::entry_id,
            assignments::juror_id,
            reviews::status.nullable(),
            reviews::total.nullable(),
            scores::points.nullable(),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .map(|(e, j, status, total, tie)| {
            let submitted = status.is_some_and(|s| s == ReviewStatus::Submitted);
            (e, j, total.filter(|_| submitted), tie.filter(|_| submitted))
        })
        .collect())
}

/// Accepted entries of an edition: (entry id, category id).
pub fn accepted_of_edition(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, i32)>> {
    entries::table
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::status.eq(EntryStatus::Accepted))
        .select((entries::id, entries::category_id))
        .load(c)
}

/// One entry's counted judgements (submitted, assigned, not conflicted), by juror:
/// (review id, juror id, total, comment). Indexed by the entry; nothing else is read.
pub fn judgements_of_entry(
    c: &mut DbConn,
    entry_id: i32,
) -> DbResult<Vec<(i32, i32, f64, String)>> {
    let rows: Vec<(i32, i32, Option<f64>, String)> = reviews::table
        .inner_join(entries::table)
        .inner_join(
            assignments::table.on(assignments::entry_id
                .eq(reviews::entry_id)
                .and(assignments::juror_id.eq(reviews::juror_id))),
        )
        .left_join(
            conflicts::table.on(conflicts::edition_id
                .eq(reviews::edition_id)
                .and(conflicts::juror_id.eq(reviews::juror_id))
                .and(conflicts::institution_id.eq(entries::institution_id))),
        )
        .filter(reviews::entry_id.eq(entry_id))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .filter(conflicts::id.nullable().is_null())
        .order(reviews::juror_id.asc())
        .select((
            reviews::id,
            reviews::juror_id,
            reviews::total,
            reviews::comment,
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter_map(|(id, j, t, comment)| t.map(|t| (id, j, t, comment)))
        .collect())
}

/// Scores of some reviews: (review id, criterion id, points).
pub fn scores_of_reviews(c: &mut DbConn, review_ids: &[i32]) -> DbResult<Vec<(i32, i32, i32)>> {
    if review_ids.is_empty() {
        return Ok(Vec::new());
    }
    scores::table
        .filter(scores::review_id.eq_any(review_ids))
        .select((scores::review_id, scores::criterion_id, scores::points))
        .load(c)
}

/// Points on one criterion in an edition's submitted reviews: (entry id, juror id, points).
pub fn criterion_points(
    c: &mut DbConn,
    edition_id: i32,
    criterion_id: i32,
) -> DbResult<Vec<(i32, i32, i32)>> {
    scores::table
        .inner_join(reviews::table)
        .filter(reviews::edition_id.eq(edition_id))
        .filter(reviews::status.eq(ReviewStatus::Submitted))
        .filter(scores::criterion_id.eq(criterion_id))
        .select((reviews::entry_id, reviews::juror_id, scores::points))
        .load(c)
}

/// Accepted entries of an edition with the number of jurors who have to judge them (assigned
/// and not conflicted, by [`work`]): (entry, category, jurors).
pub fn candidates(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, i32, i64)>> {
    let accepted: Vec<(i32, i32)> = entries::table
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::status.eq(EntryStatus::Accepted))
        .select((entries::id, entries::category_id))
        .load(c)?;
    let counts: std::collections::HashMap<i32, i64> = tally(&work(c, edition_id)?, |t| t.entry_id)
        .into_iter()
        .map(|(e, n, _)| (e, n))
        .collect();
    Ok(accepted
        .into_iter()
        .map(|(e, cat)| (e, cat, counts.get(&e).copied().unwrap_or(0)))
        .collect())
}

/// Every score of an edition, for the protocol and the score sheet.
#[derive(Queryable, Clone, Debug)]
pub struct ScoreRow {
    pub entry_id: i32,
    pub juror_id: i32,
    pub criterion_id: i32,
    pub points: i32,
    pub status: ReviewStatus,
}

pub fn score_sheet(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<ScoreRow>> {
    scores::table
        .inner_join(reviews::table)
        .filter(reviews::edition_id.eq(edition_id))
        .order((
            reviews::entry_id.asc(),
            reviews::juror_id.asc(),
            scores::criterion_id.asc(),
        ))
        .select((
            reviews::entry_id,
            reviews::juror_id,
            scores::criterion_id,
            scores::points,
            reviews::status,
        ))
        .load(c)
}

/// All reviews of an edition (comments, statuses, totals).
pub fn reviews_of(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<Review>> {
    reviews::table
        .filter(reviews::edition_id.eq(edition_id))
        .order((reviews::entry_id.asc(), reviews::juror_id.asc()))
        .select(Review::as_select())
        .load(c)
}
