//! An entry's attachments: uploading (type recognised from the content), removing, downloading.

use actix_multipart::Multipart;
use actix_web::body::SizedStream;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use futures_util::StreamExt;

use super::form::{EntryForm, edit_page};
use super::{applicant, own, refusal, viewer};
use crate::db::entries::{Entry, NewAttachment};
use crate::db::users;
use crate::domain::filetype::{self, FileType};
use crate::services::entries::{self as svc, EntryError, MAX_FILE};
use crate::storage::{StorageError, clean_filename, content_disposition};
use crate::urls;
use crate::web::ctx::Ctx;
use crate::web::error::{AppError, chain};
use crate::web::form::{Errors, Form};
use crate::web::pages::auth::TokenForm;
use crate::web::render::{invalid, redirect};
use crate::web::upload;

pub async fn upload(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
    mp: Multipart,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let e = own(&ctx, &u, id.into_inner()).await?;
    let form = upload::read(&req, mp, &ctx.state.storage, MAX_FILE).await?;
    let lang = ctx.lang;
    let fail = |key: &str| Some(lang.t(key).to_string());
    let problem = if form.too_large {
        fail("entry.err_file_large")
    } else if form.file.is_none() {
        fail("entry.err_file_missing")
    } else {
        None
    };
    let refuse = |ctx: Ctx, e: Entry, msg: Option<String>| async move {
        let mut errors = Errors::new(ctx.lang);
        if let Some(m) = &msg {
            errors.add_text("file", m.clone());
        }
        let page_ = edit_page(&ctx, &e, EntryForm::from_entry(&e), errors, msg).await?;
        invalid(&page_)
    };
    if problem.is_some() {
        return refuse(ctx, e, problem).await;
    }
    let Some((temp, raw_name)) = form.file else {
        return refuse(ctx, e, fail("entry.err_file_missing")).await;
    };
    // Recognise the type from the content; read off the async threads.
    let (kind, temp) = web::block(move || {
        let head = temp.head(1 << 20)?;
        Ok::<_, std::io::Error>((filetype::sniff(&head), temp))
    })
    .await
    .map_err(AppError::cause)??;
    let Some(kind) = kind else {
        return refuse(ctx, e, fail("entry.err_file_type")).await;
    };
    let size = i64::try_from(temp.size).unwrap_or(i64::MAX);
    let original = clean_filename(&raw_name, kind.extension());
    let (uid, eid) = (u.id, e.id);
    // Check before moving the file into place, then record it; a failed insert removes it.
    let now = ctx.now();
    let allowed = ctx
        .state
        .db
        .call(move |c| {
            let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
            svc::check_can_attach(c, &user, eid, now).map(|_| ())
        })
        .await;
    if let Err(err) = allowed {
        let mut errors = Errors::new(ctx.lang);
        refusal(&mut errors, err)?;
        let msg = errors.list.first().map(|x| x.message.clone());
        return refuse(ctx, e, msg).await;
    }
    // Into the store only now, complete and accepted (a rename or one PUT); the temporary
    // file is gone either way.
    let stored = ctx
        .state
        .storage
        .persist(temp)
        .await
        .map_err(|e| AppError::context("storing upload", e))?;
    let stored_name = stored.clone();
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .run(move |c| {
            let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
            let a = NewAttachment {
                entry_id: eid,
                original_name: &original,
                stored_name: &stored_name,
                content_type: kind.mime(),
                size_bytes: size,
                uploaded_by: uid,
            };
            Ok(svc::add_attachment(c, &user, eid, &a, now))
        })
        .await;
    match result {
        Ok(Ok(_)) => {
            ctx.flash("flash.file_added");
            Ok(redirect(&urls::at(urls::entry_edit(eid), "attachments")))
        }
        Ok(Err(err)) => {
            ctx.state.storage.remove(&stored).await;
            let mut errors = Errors::new(ctx.lang);
            refusal(&mut errors, err)?;
            let msg = errors.list.first().map(|x| x.message.clone());
            refuse(ctx, e, msg).await
        }
        Err(db) => {
            // The entry never pointed at it: an orphan otherwise.
            ctx.state.storage.remove(&stored).await;
            Err(db.into())
        }
    }
}

pub async fn remove_attachment(
    ctx: Ctx,
    path: web::Path<(i32, i32)>,
    _f: Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let (eid, aid) = path.into_inner();
    let uid = u.id;
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| {
            let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
            svc::remove_attachment(c, &user, eid, aid, now)
        })
        .await;
    match result {
        Ok(stored) => {
            ctx.state.storage.remove(&stored).await;
            ctx.flash("flash.file_removed");
        }
        Err(EntryError::Closed) => ctx.flash("entry.err_closed"),
        Err(EntryError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::cause(e)),
    }
    Ok(redirect(&urls::at(urls::entry_edit(eid), "attachments")))
}

/// Downloads an attachment: only for those who may see the entry, always as a download.
pub async fn download(ctx: Ctx, path: web::Path<(i32, i32)>) -> Result<HttpResponse, AppError> {
    let u = ctx.require_user()?.clone();
    let (eid, aid) = path.into_inner();
    let v = viewer(&u);
    let found = ctx
        .state
        .db
        .run(move |c| svc::viewable_attachment(c, &v, eid, aid))
        .await?;
    let a = found.ok_or(AppError::NotFound)?;
    let file = match ctx.state.storage.read(&a.stored_name).await {
        Ok(f) => f,
        // The database lists it but the store has lost it: an operator's problem, logged as
        // an error (with the key and the entry) by the 500 page, never passed off as a 404.
        Err(StorageError::Missing(key)) => {
            return Err(AppError::cause(MissingFile {
                key,
                entry: eid,
                attachment: aid,
            }));
        }
        Err(e) => return Err(AppError::context("reading an attachment", e)),
    };
    let mime = FileType::from_mime(&a.content_type)
        .map(crate::domain::filetype::FileType::mime)
        .unwrap_or("application/octet-stream");
    let (key, size) = (a.stored_name.clone(), file.size);
    // A store failing half-way through can only cut the response short; say so in the log.
    let body = file.body.map(move |chunk| {
        chunk.inspect_err(|e| {
            tracing::error!(key = %key, entry = eid, error = %chain(e), "attachment download broke off");
        })
    });
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&a.original_name),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(SizedStream::new(size, body)))
}

/// An attachment recorded in the database whose file the store does not have.
#[derive(Debug, thiserror::Error)]
#[error("attachment {attachment} of entry {entry}: object {key} is missing from the storage")]
struct MissingFile {
    key: String,
    entry: i32,
    attachment: i32,
}
