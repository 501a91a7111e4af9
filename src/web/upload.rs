//! A multipart form with one file: streamed to a temporary file (never held in memory), the
//! CSRF token checked before anything is kept.

use actix_multipart::Multipart;
use actix_session::SessionExt;
use actix_web::HttpRequest;
use futures_util::StreamExt;

use crate::storage::{Storage, TempUpload};
use crate::web::csrf;
use crate::web::error::AppError;

/// Past this, the connection is dropped instead of reading on to show a page.
const DRAIN_LIMIT: u64 = 64 * 1024 * 1024;
/// Text fields of an upload form are short.
const TEXT_LIMIT: usize = 4096;

pub struct Upload {
    /// The file, unless none was chosen or it was larger than allowed.
    pub file: Option<(TempUpload, String)>,
    pub too_large: bool,
}

/// Reads the form. The file is kept only up to `max_file` bytes; a larger one is read to its
/// end and discarded so the browser gets a page with the message, not a reset connection.
pub async fn read(
    req: &HttpRequest,
    mp: Multipart,
    storage: &Storage,
    max_file: u64,
) -> Result<Upload, AppError> {
    Ok(read_fields(req, mp, storage, max_file, None).await?.0)
}

/// Reads a whole form with one optional file (the new-entry form): the text fields come back
/// as (name, value) pairs, together at most `FORM_LIMIT` bytes of valid UTF-8 (as for
/// `web::form::Form`), the file as in `read`.
pub async fn read_form(
    req: &HttpRequest,
    mp: Multipart,
    storage: &Storage,
    max_file: u64,
) -> Result<(Upload, Vec<(String, String)>), AppError> {
    read_fields(
        req,
        mp,
        storage,
        max_file,
        Some(crate::web::form::FORM_LIMIT),
    )
    .await
}

/// `fields_limit`: `None` keeps only the CSRF token (each text field cut at `TEXT_LIMIT`);
/// `Some(n)` keeps every text field, refusing a form whose text is larger than `n` bytes.
async fn read_fields(
    req: &HttpRequest,
    mut mp: Multipart,
    storage: &Storage,
    max_file: u64,
    fields_limit: Option<usize>,
) -> Result<(Upload, Vec<(String, String)>), AppError> {
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut text_total: usize = 0;
    let mut token = String::new();
    let mut file: Option<(TempUpload, String)> = None;
    let mut too_large = false;
    let mut total: u64 = 0;
    while let Some(field) = mp.next().await {
        let mut field = field.map_err(|_| AppError::BadRequest)?;
        let name = field.name().unwrap_or("").to_string();
        let filename = field
            .content_disposition()
            .and_then(|d| d.get_filename())
            .map(str::to_string);
        match (name.as_str(), filename) {
            ("file", Some(fname)) if file.is_none() => {
                let mut t = storage
                    .temp()
                    .map_err(|e| AppError::context("temp file", e))?;
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|_| AppError::BadRequest)?;
                    total += chunk.len() as u64;
                    if total > DRAIN_LIMIT {
                        return Err(AppError::PayloadTooLarge);
                    }
                    if !t.is_discarded() {
                        if t.size + chunk.len() as u64 > max_file {
                            t.discard();
                            too_large = true;
                        } else {
                            t.write(&chunk)
                                .map_err(|e| AppError::context("writing upload", e))?;
                        }
                    }
                }
                if !too_large && t.size > 0 {
                    file = Some((t, fname));
                }
            }
            (_, filename) => {
                let mut buf = Vec::new();
                let limit = fields_limit.unwrap_or(TEXT_LIMIT);
                while let Some(chunk) = field.next().await {
                    let chunk = chunk.map_err(|_| AppError::BadRequest)?;
                    total += chunk.len() as u64;
                    if total > DRAIN_LIMIT {
                        return Err(AppError::PayloadTooLarge);
                    }
                    if fields_limit.is_some() {
                        text_total += chunk.len();
                        if text_total > limit {
                            return Err(AppError::PayloadTooLarge);
                        }
                    }
                    if buf.len() + chunk.len() <= limit {
                        buf.extend_from_slice(&chunk);
                    }
                }
                if name == csrf::FIELD {
                    token = String::from_utf8_lossy(&buf).into_owned();
                } else if fields_limit.is_some() && filename.is_none() {
                    // Text a browser sends is valid UTF-8 without NUL; anything else is refused
                    // as `Form` refuses it.
                    let text = String::from_utf8(buf).map_err(|_| AppError::InvalidText)?;
                    if text.contains('\0') {
                        return Err(AppError::InvalidText);
                    }
                    fields.push((name, text));
                }
            }
        }
    }
    // Checked only now (the token may come after the file), before anything is kept: on
    // failure the temporary file is dropped, which deletes it.
    if !csrf::verify(&req.get_session(), &token) {
        return Err(AppError::Csrf);
    }
    Ok((Upload { file, too_large }, fields))
}
