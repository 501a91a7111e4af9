//! Entries and their attachments.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use super::schema::{attachments, awards, categories, editions, entries, institutions};
use super::{DbConn, DbResult};
use crate::domain::awards::Award;
use crate::domain::entry::EntryStatus;
use crate::domain::listing::{AwardFilter, ListQuery, SortKey, contains_pattern, fold};
use crate::domain::paging::{PageRequest, Paging};

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = entries)]
pub struct Entry {
    pub id: i32,
    pub edition_id: i32,
    pub category_id: i32,
    pub institution_id: i32,
    pub created_by: i32,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub started_on: Option<NaiveDate>,
    pub launched_on: Option<NaiveDate>,
    pub budget: String,
    pub funding: String,
    pub partners: String,
    pub links: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub accepted_rules: bool,
    pub accepted_privacy: bool,
    pub status: EntryStatus,
    pub submitted_at: Option<NaiveDateTime>,
    pub correction_until: Option<NaiveDateTime>,
    pub decision_note: String,
    pub decided_by: Option<i32>,
    pub decided_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// The sequence within the category, from the first submission (see `ref_no`).
    pub ref_seq: Option<i32>,
    /// The reference number, e.g. "VI/II/007", given at the first submission.
    pub ref_no: Option<String>,
}

impl Entry {
    /// The reference number, or "—" for a draft that has none yet.
    pub fn reference(&self) -> &str {
        self.ref_no.as_deref().unwrap_or("—")
    }
}

impl Entry {
    pub fn link_list(&self) -> Vec<&str> {
        self.links
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect()
    }
}

/// The fields the applicant edits.
#[derive(Insertable, AsChangeset, Clone, Debug)]
#[diesel(table_name = entries)]
#[diesel(treat_none_as_null = true)]
pub struct EntryFields {
    pub category_id: i32,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub started_on: Option<NaiveDate>,
    pub launched_on: Option<NaiveDate>,
    pub budget: String,
    pub funding: String,
    pub partners: String,
    pub links: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub accepted_rules: bool,
    pub accepted_privacy: bool,
}

pub fn insert(
    c: &mut DbConn,
    edition_id: i32,
    institution_id: i32,
    user_id: i32,
    f: &EntryFields,
    now: NaiveDateTime,
) -> DbResult<i32> {
    diesel::insert_into(entries::table)
        .values((
            f,
            entries::edition_id.eq(edition_id),
            entries::institution_id.eq(institution_id),
            entries::created_by.eq(user_id),
            entries::title_key.eq(fold(&f.title)),
            entries::status.eq(EntryStatus::Draft),
            entries::decision_note.eq(""),
            entries::created_at.eq(now),
            entries::updated_at.eq(now),
        ))
        .returning(entries::id)
        .get_result(c)
}

pub fn update_fields(c: &mut DbConn, id: i32, f: &EntryFields, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(entries::table.find(id))
        .set((
            f,
            entries::title_key.eq(fold(&f.title)),
            entries::updated_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

/// The next free sequence number in the category. The caller holds the category's row
/// (`lock_row`), so parallel submissions take turns; the unique index is the last word.
pub fn next_ref_seq(c: &mut DbConn, category_id: i32) -> DbResult<i32> {
    let max: Option<i32> = entries::table
        .filter(entries::category_id.eq(category_id))
        .select(diesel::dsl::max(entries::ref_seq))
        .first(c)?;
    Ok(max.unwrap_or(0) + 1)
}

pub fn set_reference(c: &mut DbConn, id: i32, seq: i32, ref_no: &str) -> DbResult<()> {
    diesel::update(entries::table.find(id))
        .set((entries::ref_seq.eq(seq), entries::ref_no.eq(ref_no)))
        .execute(c)
        .map(|_| ())
}

pub fn mark_submitted(c: &mut DbConn, id: i32, now: NaiveDateTime) -> DbResult<()> {
    diesel::update(entries::table.find(id))
        .set((
            entries::status.eq(EntryStatus::Submitted),
            entries::submitted_at.eq(now),
            entries::correction_until.eq(None::<NaiveDateTime>),
            entries::updated_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn set_status(
    c: &mut DbConn,
    id: i32,
    status: EntryStatus,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(entries::table.find(id))
        .set((entries::status.eq(status), entries::updated_at.eq(now)))
        .execute(c)
        .map(|_| ())
}

/// Fills the search keys of entries and institutions that have none yet (the rows that existed
/// before the keys did). Run after the migrations; a no-op once done.
pub fn backfill_search_keys(c: &mut DbConn) -> DbResult<usize> {
    let todo: Vec<(i32, String)> = entries::table
        .filter(entries::title_key.is_null())
        .select((entries::id, entries::title))
        .load(c)?;
    let mut n = todo.len();
    for (id, title) in todo {
        diesel::update(entries::table.find(id))
            .set(entries::title_key.eq(fold(&title)))
            .execute(c)?;
    }
    let todo: Vec<(i32, String)> = institutions::table
        .filter(institutions::name_key.is_null())
        .select((institutions::id, institutions::name))
        .load(c)?;
    n += todo.len();
    for (id, name) in todo {
        diesel::update(institutions::table.find(id))
            .set(institutions::name_key.eq(fold(&name)))
            .execute(c)?;
    }
    Ok(n)
}

/// Records an organiser's formal decision.
pub fn decide(
    c: &mut DbConn,
    id: i32,
    status: EntryStatus,
    note: &str,
    until: Option<NaiveDateTime>,
    by: i32,
    now: NaiveDateTime,
) -> DbResult<()> {
    diesel::update(entries::table.find(id))
        .set((
            entries::status.eq(status),
            entries::decision_note.eq(note),
            entries::correction_until.eq(until),
            entries::decided_by.eq(by),
            entries::decided_at.eq(now),
            entries::updated_at.eq(now),
        ))
        .execute(c)
        .map(|_| ())
}

pub fn find(c: &mut DbConn, id: i32) -> DbResult<Option<Entry>> {
    entries::table
        .find(id)
        .select(Entry::as_select())
        .first(c)
        .optional()
}

/// Entries of one institution in one category that count toward the limit.
pub fn count_active(
    c: &mut DbConn,
    edition_id: i32,
    category_id: i32,
    institution_id: i32,
    except: Option<i32>,
) -> DbResult<i64> {
    entries::table
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::category_id.eq(category_id))
        .filter(entries::institution_id.eq(institution_id))
        .filter(entries::status.ne(EntryStatus::Withdrawn))
        .filter(entries::id.ne(except.unwrap_or(0)))
        .count()
        .get_result(c)
}

/// A row of an entry list: the entry with its category, edition and institution, one query.
#[derive(Queryable, Clone, Debug)]
pub struct EntryRow {
    pub id: i32,
    pub title: String,
    pub status: EntryStatus,
    pub submitted_at: Option<NaiveDateTime>,
    pub updated_at: NaiveDateTime,
    pub correction_until: Option<NaiveDateTime>,
    pub category_id: i32,
    pub category_code: String,
    pub category_name: String,
    pub category_name_en: String,
    pub edition_id: i32,
    pub edition_name: String,
    pub edition_name_en: String,
    pub institution_id: i32,
    pub institution: String,
    pub ref_no: Option<String>,
}

impl EntryRow {
    /// The reference number, or "—" for a draft.
    pub fn reference(&self) -> &str {
        self.ref_no.as_deref().unwrap_or("—")
    }
}

type RowSelect = (
    entries::id,
    entries::title,
    entries::status,
    entries::submitted_at,
    entries::updated_at,
    entries::correction_until,
    entries::category_id,
    categories::code,
    categories::name,
    categories::name_en,
    entries::edition_id,
    editions::name,
    editions::name_en,
    entries::institution_id,
    institutions::name,
    entries::ref_no,
);

const ROW: RowSelect = (
    entries::id,
    entries::title,
    entries::status,
    entries::submitted_at,
    entries::updated_at,
    entries::correction_until,
    entries::category_id,
    categories::code,
    categories::name,
    categories::name_en,
    entries::edition_id,
    editions::name,
    editions::name_en,
    entries::institution_id,
    institutions::name,
    entries::ref_no,
);

/// An institution's entries across editions, newest first.
pub fn for_institution(c: &mut DbConn, institution_id: i32) -> DbResult<Vec<EntryRow>> {
    entries::table
        .inner_join(categories::table)
        .inner_join(editions::table)
        .inner_join(institutions::table)
        .filter(entries::institution_id.eq(institution_id))
        .order((
            editions::opens_at.desc(),
            categories::position.asc(),
            entries::id.asc(),
        ))
        .select(ROW)
        .load(c)
}

/// A row of the organisers' list with the entry's award, if any.
pub type AwardedRow = (EntryRow, Option<Award>);

/// Which entries of an edition the organisers' list shows, and in which order.
#[derive(Clone, Debug, Default)]
pub struct ListFilter {
    pub category_id: Option<i32>,
    /// `None`: every status but drafts (the applicants' own).
    pub status: Option<EntryStatus>,
    /// Folded search text (`listing::fold`): in the title, the institution's name or the
    /// reference number.
    pub needle: Option<String>,
    pub award: Option<AwardFilter>,
    /// `None`: by category, then institution.
    pub sort: Option<SortKey>,
    pub desc: bool,
    /// An entry kept in the list whatever the filters say (the one shown beside its
    /// neighbours, e.g. just accepted while the list shows the submitted ones).
    pub pin: Option<i32>,
}

impl ListFilter {
    /// Every entry in one status, in the default order.
    pub fn status(status: EntryStatus) -> ListFilter {
        ListFilter {
            status: Some(status),
            ..ListFilter::default()
        }
    }

    /// The filter a list's URL states.
    pub fn from_query(q: &ListQuery) -> ListFilter {
        ListFilter {
            category_id: q.category,
            status: q.status,
            needle: q.needle(),
            award: q.award,
            sort: q.sort,
            desc: q.desc,
            pin: None,
        }
    }
}

/// An edition's entries for the organisers, by category then institution. Drafts are the
/// applicants' own and are not listed unless asked for by status.
pub fn for_edition(c: &mut DbConn, edition_id: i32, f: &ListFilter) -> DbResult<Vec<EntryRow>> {
    Ok(edition_rows(c, edition_id, f, None)?
        .0
        .into_iter()
        .map(|(r, _)| r)
        .collect())
}

/// One page of [`for_edition`] (LIMIT/OFFSET after one COUNT), and where that page lies; each
/// row with the entry's award, if any.
pub fn page_for_edition(
    c: &mut DbConn,
    edition_id: i32,
    f: &ListFilter,
    page: PageRequest,
) -> DbResult<(Vec<AwardedRow>, Paging)> {
    let (rows, paging) = edition_rows(c, edition_id, f, Some(page))?;
    let paging = paging.unwrap_or_else(|| Paging::new(page, 0));
    Ok((rows, paging))
}

type Db = <DbConn as diesel::Connection>::Backend;

/// The filtered entries of an edition (a [`ListFilter`]), joined with what the list shows,
/// boxed, unordered, not yet selected.
macro_rules! list_source {
    ($edition_id:expr, $f:expr) => {{
        let f: &ListFilter = $f;
        // Each condition is "it holds, or it is the pinned entry": (A or P) and (B or P) is
        // (A and B) or P. Id 0 never exists.
        let pin = f.pin.unwrap_or(0);
        let mut q = entries::table
            .inner_join(categories::table)
            .inner_join(editions::table)
            .inner_join(institutions::table)
            .left_join(awards::table.on(awards::entry_id.eq(entries::id)))
            .filter(entries::edition_id.eq($edition_id))
            .into_boxed::<Db>();
        if let Some(cat) = f.category_id {
            q = q.filter(entries::category_id.eq(cat).or(entries::id.eq(pin)));
        }
        match f.status {
            Some(s) => q = q.filter(entries::status.eq(s).or(entries::id.eq(pin))),
            None => {
                q = q.filter(
                    entries::status
                        .ne(EntryStatus::Draft)
                        .or(entries::id.eq(pin)),
                )
            }
        }
        if let Some(needle) = &f.needle {
            let pat = contains_pattern(needle);
            q = q.filter(
                entries::title_key
                    .assume_not_null()
                    .like(pat.clone())
                    .escape('\\')
                    .or(institutions::name_key
                        .assume_not_null()
                        .like(pat.clone())
                        .escape('\\'))
                    .or(super::users::lower(entries::ref_no.assume_not_null())
                        .like(pat)
                        .escape('\\'))
                    .or(entries::id.eq(pin)),
            );
        }
        match f.award {
            None => {}
            Some(AwardFilter::Place) => {
                q = q.filter(
                    awards::award
                        .nullable()
                        .eq_any([Award::First, Award::Second, Award::Third])
                        .assume_not_null()
                        .or(entries::id.eq(pin)),
                );
            }
            Some(AwardFilter::Mention) => {
                q = q.filter(
                    awards::award
                        .nullable()
                        .eq(Award::Mention)
                        .assume_not_null()
                        .or(entries::id.eq(pin)),
                );
            }
            Some(AwardFilter::None) => {
                q = q.filter(awards::id.nullable().is_null().or(entries::id.eq(pin)));
            }
        }
        q
    }};
}

/// `q` ordered by the columns given, then the id, all ascending or all descending (`desc`).
macro_rules! by_columns {
    ($q:expr, $desc:expr, $($col:expr),+) => {
        if $desc {
            $q$(.then_order_by($col.desc()))+.then_order_by(entries::id.desc())
        } else {
            $q$(.then_order_by($col.asc()))+.then_order_by(entries::id.asc())
        }
    };
}

/// Orders a boxed list query by the filter's column, ascending or descending, with the id last
/// in the same direction so the order is total and pages never overlap. Empty values (no
/// reference or submission yet, no award) come last in both directions, on both databases.
/// Names and titles sort by their folded keys, which both databases compare alike.
macro_rules! order_list {
    ($q:expr, $f:expr) => {{
        let f: &ListFilter = $f;
        let q = $q;
        match f.sort {
            None => q
                .order(categories::position.asc())
                .then_order_by(institutions::name_key.asc())
                .then_order_by(entries::id.asc()),
            Some(SortKey::Reference) => {
                let q = q.then_order_by(entries::ref_seq.is_null().asc());
                by_columns!(q, f.desc, categories::position, entries::ref_seq)
            }
            Some(SortKey::Category) => by_columns!(q, f.desc, categories::position),
            Some(SortKey::Institution) => by_columns!(q, f.desc, institutions::name_key),
            Some(SortKey::Title) => by_columns!(q, f.desc, entries::title_key),
            Some(SortKey::Status) => by_columns!(q, f.desc, status_rank()),
            Some(SortKey::Submitted) => {
                let q = q.then_order_by(entries::submitted_at.is_null().asc());
                by_columns!(q, f.desc, entries::submitted_at)
            }
            Some(SortKey::Award) => {
                let q = q.then_order_by(awards::award.nullable().is_null().asc());
                by_columns!(
                    q,
                    f.desc,
                    awards::award.nullable(),
                    awards::position.nullable()
                )
            }
        }
    }};
}

/// The status as its place in the workflow (draft, submitted, returned, accepted, rejected,
/// withdrawn: `EntryStatus::ALL`), for sorting by status in an order that means something in
/// every language. Built from the enum's own texts only.
fn status_rank() -> diesel::expression::SqlLiteral<diesel::sql_types::Integer> {
    use std::fmt::Write;
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let mut s = String::from("CASE entries.status");
        for (i, st) in EntryStatus::ALL.iter().enumerate() {
            let _ = write!(s, " WHEN '{}' THEN {i}", st.as_str());
        }
        s.push_str(" END");
        s
    });
    diesel::dsl::sql::<diesel::sql_types::Integer>(sql)
}

/// The ids of the whole filtered list, in its order (for an entry's previous and next).
pub fn ids_for_edition(c: &mut DbConn, edition_id: i32, f: &ListFilter) -> DbResult<Vec<i32>> {
    order_list!(list_source!(edition_id, f).select(entries::id), f).load(c)
}

fn edition_rows(
    c: &mut DbConn,
    edition_id: i32,
    f: &ListFilter,
    page: Option<PageRequest>,
) -> DbResult<(Vec<AwardedRow>, Option<Paging>)> {
    let ordered = || {
        order_list!(
            list_source!(edition_id, f).select((ROW, awards::award.nullable())),
            f
        )
    };
    match page {
        None => Ok((ordered().load(c)?, None)),
        Some(page) => {
            let total: i64 = list_source!(edition_id, f).count().get_result(c)?;
            let paging = Paging::new(page, total);
            let rows = ordered()
                .offset(paging.offset())
                .limit(paging.limit())
                .load(c)?;
            Ok((rows, Some(paging)))
        }
    }
}

/// The entries of one edition among `ids`, by category then institution (one query).
pub fn of_edition_by_ids(c: &mut DbConn, edition_id: i32, ids: &[i32]) -> DbResult<Vec<EntryRow>> {
    entries::table
        .inner_join(categories::table)
        .inner_join(editions::table)
        .inner_join(institutions::table)
        .filter(entries::edition_id.eq(edition_id))
        .filter(entries::id.eq_any(ids))
        .order((
            categories::position.asc(),
            institutions::name_key.asc(),
            entries::id.asc(),
        ))
        .select(ROW)
        .load(c)
}

/// The entries of an edition that pass a list's filter, in its order, for the CSV export.
pub fn export_filtered(
    c: &mut DbConn,
    edition_id: i32,
    f: &ListFilter,
) -> DbResult<Vec<(Entry, String, String)>> {
    order_list!(
        list_source!(edition_id, f).select((
            Entry::as_select(),
            categories::code,
            institutions::name
        )),
        f
    )
    .load(c)
}

/// (category id, status, count) for an edition.
pub fn counts(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(i32, EntryStatus, i64)>> {
    entries::table
        .filter(entries::edition_id.eq(edition_id))
        .group_by((entries::category_id, entries::status))
        .select((
            entries::category_id,
            entries::status,
            diesel::dsl::count_star(),
        ))
        .load(c)
}

/// Every entry of an edition with its institution, for the CSV export.
pub fn export(c: &mut DbConn, edition_id: i32) -> DbResult<Vec<(Entry, String, String)>> {
    entries::table
        .inner_join(categories::table)
        .inner_join(institutions::table)
        .filter(entries::edition_id.eq(edition_id))
        .order((
            categories::position.asc(),
            institutions::name.asc(),
            entries::id.asc(),
        ))
        .select((Entry::as_select(), categories::code, institutions::name))
        .load(c)
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = attachments)]
pub struct Attachment {
    pub id: i32,
    pub entry_id: i32,
    pub original_name: String,
    pub stored_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_by: i32,
    pub created_at: NaiveDateTime,
}

pub fn attachments(c: &mut DbConn, entry_id: i32) -> DbResult<Vec<Attachment>> {
    attachments::table
        .filter(attachments::entry_id.eq(entry_id))
        .order(attachments::id.asc())
        .select(Attachment::as_select())
        .load(c)
}

pub fn count_attachments(c: &mut DbConn, entry_id: i32) -> DbResult<i64> {
    attachments::table
        .filter(attachments::entry_id.eq(entry_id))
        .count()
        .get_result(c)
}

pub fn find_attachment(c: &mut DbConn, id: i32) -> DbResult<Option<Attachment>> {
    attachments::table
        .find(id)
        .select(Attachment::as_select())
        .first(c)
        .optional()
}

pub struct NewAttachment<'a> {
    pub entry_id: i32,
    pub original_name: &'a str,
    pub stored_name: &'a str,
    pub content_type: &'a str,
    pub size_bytes: i64,
    pub uploaded_by: i32,
}

pub fn insert_attachment(c: &mut DbConn, a: &NewAttachment, now: NaiveDateTime) -> DbResult<i32> {
    diesel::insert_into(attachments::table)
        .values((
            attachments::entry_id.eq(a.entry_id),
            attachments::original_name.eq(a.original_name),
            attachments::stored_name.eq(a.stored_name),
            attachments::content_type.eq(a.content_type),
            attachments::size_bytes.eq(a.size_bytes),
            attachments::uploaded_by.eq(a.uploaded_by),
            attachments::created_at.eq(now),
        ))
        .returning(attachments::id)
        .get_result(c)
}

pub fn delete_attachment(c: &mut DbConn, id: i32) -> DbResult<()> {
    diesel::delete(attachments::table.find(id))
        .execute(c)
        .map(|_| ())
}
