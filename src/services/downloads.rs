//! All attachments of an entry, or of a category's entries, as one ZIP: who may have which
//! files, and their names inside. Organisers get every entry in the competition; a juror only
//! the entries they may open (assigned, declared, no conflict, while judging or after), so a
//! category's archive never holds an entry they may not see; an applicant their own entries.

use crate::db::editions;
use crate::db::entries;
use crate::db::notices;
use crate::db::{DbConn, DbError, jury};
use crate::domain::bundle::{Namer, folder};
use crate::domain::edition::EditionState;
use crate::domain::roles::Role;
use crate::domain::time::in_warsaw;
use crate::services::entries::{Viewer, may_view};
use crate::storage::BundleFile;

/// What goes into one archive.
#[derive(Debug)]
pub struct ZipPlan {
    /// The archive's file name (ASCII).
    pub filename: String,
    /// The files, with their paths inside; empty when there is nothing to download.
    pub files: Vec<BundleFile>,
}

fn file(namer: &mut Namer, dir: &str, a: &entries::Attachment) -> BundleFile {
    BundleFile {
        path: namer.name(dir, &a.original_name),
        stored: a.stored_name.clone(),
        modified: in_warsaw(a.created_at).naive_local(),
    }
}

/// An entry's attachments, if this viewer may see the entry (`None`: no such entry for them).
pub fn entry_zip(c: &mut DbConn, v: &Viewer, entry_id: i32) -> Result<Option<ZipPlan>, DbError> {
    let Some(e) = entries::find(c, entry_id)? else {
        return Ok(None);
    };
    if !may_view(c, v, &e)? {
        return Ok(None);
    }
    let dir = folder(e.ref_no.as_deref(), e.id);
    let mut namer = Namer::default();
    let files = entries::attachments(c, e.id)?
        .iter()
        .map(|a| file(&mut namer, &dir, a))
        .collect();
    Ok(Some(ZipPlan {
        filename: format!("zalaczniki-{dir}.zip"),
        files,
    }))
}

/// A category's attachments for this viewer (`None`: no such category for them).
pub fn category_zip(
    c: &mut DbConn,
    v: &Viewer,
    category_id: i32,
) -> Result<Option<ZipPlan>, DbError> {
    let Some((edition_id, code)) = notices::category_of(c, category_id)? else {
        return Ok(None);
    };
    let rows = match v.role {
        Role::Organiser => notices::category_files(c, category_id, None)?,
        Role::Juror => {
            // The rules of `jury::open_entry`, once for the edition; the assignment and the
            // conflicts per entry are in the query.
            let Some(ed) = editions::find(c, edition_id)? else {
                return Ok(None);
            };
            let judging = matches!(ed.state, EditionState::Judging | EditionState::Published);
            if !judging || jury::declared_at(c, ed.id, v.user_id)?.is_none() {
                return Ok(None);
            }
            let rows = notices::category_files(c, category_id, Some(v.user_id))?;
            if rows.is_empty()
                && !jury::juror_categories(c, ed.id)?.contains(&(v.user_id, category_id))
            {
                return Ok(None);
            }
            rows
        }
        Role::Applicant => return Ok(None),
    };
    let mut namer = Namer::default();
    let files = rows
        .iter()
        .map(|r| {
            let dir = folder(r.ref_no.as_deref(), r.entry_id);
            file(&mut namer, &dir, &r.attachment)
        })
        .collect();
    let code = crate::domain::bundle::safe_part(&code.replace(['/', '\\'], "-"));
    Ok(Some(ZipPlan {
        filename: format!("zalaczniki-{edition_id}-{code}.zip"),
        files,
    }))
}
