//! The organisers' formal check: what its pages read (the entry list with counts, the export).
//! The decision itself is `services::entries::decide`.

use crate::db::awards;
use crate::db::editions::{self, Category, Edition};
use crate::db::entries::{self, Entry, EntryRow, ListFilter};
use crate::db::{DbConn, DbError};
use crate::domain::awards::Award;
use crate::domain::entry::EntryStatus;
use crate::domain::paging::{PageRequest, Paging};

/// The statuses counted per category, in the order of the counts table's columns.
pub const COUNTED: [EntryStatus; 6] = [
    EntryStatus::Submitted,
    EntryStatus::Accepted,
    EntryStatus::Returned,
    EntryStatus::Rejected,
    EntryStatus::Withdrawn,
    EntryStatus::Draft,
];

/// An edition's entries as the formal check lists them.
pub struct EntryList {
    pub edition: Edition,
    pub categories: Vec<Category>,
    /// One page of the entries that pass the filter, each with its award, if any.
    pub rows: Vec<(EntryRow, Option<Award>)>,
    /// Whether the edition has awards (so the list offers the award filter and column).
    pub has_awards: bool,
    /// Where that page lies among all of them.
    pub paging: Paging,
    /// Per category (in the order of `categories`): entries in each status of [`COUNTED`].
    pub counts: Vec<[i64; 6]>,
}

/// One page of the entry list of an edition; `None` if there is no such edition.
pub fn entry_list(
    c: &mut DbConn,
    edition_id: i32,
    filter: &ListFilter,
    page: PageRequest,
) -> Result<Option<EntryList>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let categories = editions::categories(c, edition_id)?;
    let raw = entries::counts(c, edition_id)?;
    let counts = categories
        .iter()
        .map(|cat| {
            COUNTED.map(|st| {
                raw.iter()
                    .filter(|(cid, s, _)| *cid == cat.id && *s == st)
                    .map(|(_, _, k)| *k)
                    .sum()
            })
        })
        .collect();
    let (rows, paging) = entries::page_for_edition(c, edition_id, filter, page)?;
    let has_awards = awards::count_for_edition(c, edition_id)? > 0;
    Ok(Some(EntryList {
        rows,
        has_awards,
        paging,
        edition,
        categories,
        counts,
    }))
}

/// Every entry of an edition with its category code and institution, for the CSV export.
pub struct Export {
    pub edition: Edition,
    /// (entry, category code, institution name).
    pub rows: Vec<(Entry, String, String)>,
}

/// The export of an edition; `None` if there is no such edition. Without a filter, every entry
/// (drafts too); with one, the entries of the filtered list in its order.
pub fn export(
    c: &mut DbConn,
    edition_id: i32,
    filter: Option<&ListFilter>,
) -> Result<Option<Export>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let rows = match filter {
        None => entries::export(c, edition_id)?,
        Some(f) => entries::export_filtered(c, edition_id, f)?,
    };
    Ok(Some(Export { rows, edition }))
}

/// The entries of an edition among `ids` (for the bulk confirmation); `None` without the
/// edition.
pub fn selected(
    c: &mut DbConn,
    edition_id: i32,
    ids: &[i32],
) -> Result<Option<(Edition, Vec<EntryRow>)>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let rows = entries::of_edition_by_ids(c, edition_id, ids)?;
    Ok(Some((edition, rows)))
}

/// Where an entry stands in an edition's list as the organiser filtered and sorted it.
pub struct Position {
    pub prev: Option<i32>,
    pub next: Option<i32>,
    /// The page of the list (of `page_size` rows) that holds the entry.
    pub page: i64,
}

/// The entries before and after `entry_id` in the list `filter` states (the entry itself is
/// kept in the list even if it no longer passes the filter, e.g. just accepted). One query of
/// ids.
pub fn position(
    c: &mut DbConn,
    edition_id: i32,
    entry_id: i32,
    filter: &ListFilter,
    page_size: i64,
) -> Result<Position, DbError> {
    let pinned = ListFilter {
        pin: Some(entry_id),
        ..filter.clone()
    };
    let ids = entries::ids_for_edition(c, edition_id, &pinned)?;
    let (prev, next) = crate::domain::listing::neighbours(&ids, entry_id);
    Ok(Position {
        prev,
        next,
        page: crate::domain::listing::page_of(&ids, entry_id, page_size),
    })
}
