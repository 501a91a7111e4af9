//! Applicants' entries: the form (draft, submit, edit until the deadline), its attachments, the
//! entry's page with withdrawing, and its printable version.

mod attachments;
mod form;
mod view;
pub use view::result_label;

pub use attachments::{download, remove_attachment, upload};
pub use form::{confirm_get, confirm_post, edit_get, edit_post, new_get, new_post};
pub use view::{EntryView, load_view, print, show, withdraw, withdraw_get};

use crate::db::entries::Entry;
use crate::domain::roles::Role;
use crate::services::entries::{self as svc, EntryError, Viewer};
use crate::web::ctx::{Ctx, CurrentUser};
use crate::web::error::AppError;
use crate::web::form::Errors;

pub fn viewer(u: &CurrentUser) -> Viewer {
    Viewer {
        user_id: u.id,
        role: u.role,
        institution_id: u.institution_id,
    }
}

fn applicant(ctx: &Ctx) -> Result<CurrentUser, AppError> {
    let u = ctx.require_role(Role::Applicant)?;
    u.institution_id.ok_or(AppError::Forbidden)?;
    Ok(u.clone())
}

/// Turns a refusal into messages on the form.
fn refusal(errors: &mut Errors, e: EntryError) -> Result<(), AppError> {
    match e {
        EntryError::Closed => errors.add("form", "entry.err_closed"),
        EntryError::LimitReached => errors.add("category_id", "entry.err_limit"),
        EntryError::Fields(list) => {
            for (f, k) in list {
                errors.add(f, k);
            }
        }
        EntryError::TooManyAttachments => errors.add("file", "entry.err_too_many_files"),
        EntryError::NotFound => return Err(AppError::NotFound),
        EntryError::Db(e) => return Err(e.into()),
    }
    Ok(())
}

/// The entry if it belongs to the applicant's institution, else 404.
async fn own(ctx: &Ctx, u: &CurrentUser, id: i32) -> Result<Entry, AppError> {
    let v = viewer(u);
    ctx.state
        .db
        .run(move |c| Ok(svc::own_entry(c, &v, id)?))
        .await?
        .ok_or(AppError::NotFound)
}
