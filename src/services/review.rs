//! The organisers' formal check: what its pages read (the entry list with counts, the export).
//! The decision itself is `services::entries::decide`.

use crate::db::editions::{self, Category, Edition};
use crate::db::entries::{self, Entry, EntryRow, ListFilter};
use crate::db::{DbConn, DbError};
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
    /// One page of the entries that pass the filter.
    pub rows: Vec<EntryRow>,
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
    Ok(Some(EntryList {
        rows,
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

/// The export of an edition; `None` if there is no such edition.
pub fn export(c: &mut DbConn, edition_id: i32) -> Result<Option<Export>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    Ok(Some(Export {
        rows: entries::export(c, edition_id)?,
        edition,
    }))
}
