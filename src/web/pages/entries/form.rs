//! The entry form: a new entry, editing a draft or a returned one, saving and submitting.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{applicant, own, refusal};
use crate::db::editions::{self, Category, Edition};
use crate::db::entries::{Attachment, Entry, NewAttachment};
use crate::db::users;
use crate::domain::entry::{self, EntryInput, EntryStatus};
use crate::domain::filetype::{self, FileType};
use crate::services::entries::{self as svc, FormParts, Intent, MAX_ATTACHMENTS};
use crate::storage::{TempUpload, clean_filename};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::EditionView;
use crate::web::render::{invalid, page, redirect};

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct EntryForm {
    pub category_id: String,
    pub title: String,
    pub summary: String,
    pub description: String,
    pub started_on: String,
    pub launched_on: String,
    pub budget: String,
    pub funding: String,
    pub partners: String,
    pub links: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    #[serde(deserialize_with = "crate::web::form::checkbox")]
    pub accepted_rules: bool,
    #[serde(deserialize_with = "crate::web::form::checkbox")]
    pub accepted_privacy: bool,
    pub action: String,
}

impl EntryForm {
    pub(super) fn from_entry(e: &Entry) -> EntryForm {
        EntryForm {
            category_id: e.category_id.to_string(),
            title: e.title.clone(),
            summary: e.summary.clone(),
            description: e.description.clone(),
            started_on: e.started_on.map(|d| d.to_string()).unwrap_or_default(),
            launched_on: e.launched_on.map(|d| d.to_string()).unwrap_or_default(),
            budget: e.budget.replace('.', ","),
            funding: e.funding.clone(),
            partners: e.partners.clone(),
            links: e.links.clone(),
            contact_name: e.contact_name.clone(),
            contact_email: e.contact_email.clone(),
            contact_phone: e.contact_phone.clone(),
            accepted_rules: e.accepted_rules,
            accepted_privacy: e.accepted_privacy,
            action: String::new(),
        }
    }

    fn input(&self) -> EntryInput<'_> {
        EntryInput {
            title: &self.title,
            summary: &self.summary,
            description: &self.description,
            started_on: &self.started_on,
            launched_on: &self.launched_on,
            budget: &self.budget,
            funding: &self.funding,
            partners: &self.partners,
            links: &self.links,
            contact_name: &self.contact_name,
            contact_email: &self.contact_email,
            contact_phone: &self.contact_phone,
            accepted_rules: self.accepted_rules,
            accepted_privacy: self.accepted_privacy,
        }
    }

    /// The form never submits: its default button (what Enter presses) saves the draft; the
    /// "review and submit" button saves a complete draft and leads to the confirmation page.
    fn intent(&self) -> Intent {
        if matches!(self.action.as_str(), "review" | "submit") {
            Intent::Check
        } else {
            Intent::Save
        }
    }

    fn summary_length(&self) -> usize {
        self.summary.chars().count()
    }
}

/// The entry being edited, as the form page needs it.
pub struct Editing {
    pub id: i32,
    pub status: EntryStatus,
    pub correction_until: Option<chrono::NaiveDateTime>,
    pub decision_note: String,
}

#[derive(Template)]
#[template(path = "entries/form.html")]
pub(super) struct FormPage {
    layout: Layout,
    ed: EditionView,
    categories: Vec<Category>,
    editing: Option<Editing>,
    form: EntryForm,
    errors: Errors,
    attachments: Vec<Attachment>,
    upload_error: Option<String>,
    /// The deadline that applies to this form (the call's, or the correction's).
    deadline: chrono::NaiveDateTime,
}

impl FormPage {
    fn category_checked(&self, c: &Category) -> bool {
        self.form.category_id == c.id.to_string()
    }

    fn can_attach(&self) -> bool {
        self.editing.is_some()
            && i64::try_from(self.attachments.len()).is_ok_and(|n| n < MAX_ATTACHMENTS)
    }

    fn max_attachments(&self) -> i64 {
        MAX_ATTACHMENTS
    }

    /// The hint beside the new-entry form's file input.
    fn file_hint(&self) -> String {
        format!(
            "{} {}",
            self.layout
                .tf1("entry.hint_file", "n", MAX_ATTACHMENTS.to_string().as_str()),
            self.layout.t("entry.hint_file_again")
        )
    }

    fn is_returned(&self) -> bool {
        self.editing
            .as_ref()
            .is_some_and(|e| e.status == EntryStatus::Returned)
    }

    fn is_submitted(&self) -> bool {
        self.editing
            .as_ref()
            .is_some_and(|e| e.status == EntryStatus::Submitted)
    }

    fn action(&self) -> String {
        match &self.editing {
            Some(e) => urls::entry_edit(e.id),
            None => urls::entry_new(),
        }
    }
}

fn deadline_for(ed: &Edition, editing: &Option<Editing>) -> chrono::NaiveDateTime {
    match editing {
        Some(e) if e.status == EntryStatus::Returned => e.correction_until.unwrap_or(ed.closes_at),
        _ => ed.closes_at,
    }
}

/// The form's parts from the service; a missing edition is a 404.
async fn form_parts(
    ctx: &Ctx,
    edition_id: i32,
    entry_id: Option<i32>,
) -> Result<FormParts, AppError> {
    ctx.state
        .db
        .run(move |c| svc::form_parts(c, edition_id, entry_id))
        .await?
        .ok_or(AppError::NotFound)
}

fn form_page(
    ctx: &Ctx,
    parts: FormParts,
    editing: Option<Editing>,
    form: EntryForm,
    errors: Errors,
    upload_error: Option<String>,
) -> FormPage {
    let deadline = deadline_for(&parts.edition, &editing);
    FormPage {
        layout: ctx.layout().errors(&errors),
        ed: EditionView::new(parts.edition),
        categories: parts.categories,
        editing,
        form,
        errors,
        attachments: parts.attachments,
        upload_error,
        deadline,
    }
}

#[derive(Template)]
#[template(path = "entries/closed.html")]
struct ClosedPage {
    layout: Layout,
    ed: Option<EditionView>,
}

pub async fn new_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let inst_id = u.institution_id.unwrap_or(0);
    let now = ctx.now();
    let found = ctx
        .state
        .db
        .run(move |c| svc::new_entry(c, inst_id, now))
        .await?;
    let (parts, phone) = match found {
        svc::NewEntry::Open { parts, phone } => (parts, phone),
        svc::NewEntry::Closed(current) => {
            return page(&ClosedPage {
                layout: ctx.layout(),
                ed: current.map(EditionView::new),
            });
        }
    };
    let form = EntryForm {
        contact_name: u.name.clone(),
        contact_email: u.email.clone(),
        contact_phone: phone,
        ..Default::default()
    };
    page(&form_page(
        &ctx,
        parts,
        None,
        form,
        Errors::new(ctx.lang),
        None,
    ))
}

/// The new-entry form, with or without a first attachment: a browser sends it as multipart
/// (the form has a file input), a client without files may send it url-encoded.
pub async fn new_post(
    ctx: Ctx,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, AppError> {
    let mut payload = payload.into_inner();
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(form) = Form::<EntryForm>::from_request(&req, &mut payload).await?;
        return create_entry(ctx, form, None).await;
    }
    applicant(&ctx)?;
    let mp = Multipart::new(req.headers(), payload);
    let (upload, fields) =
        crate::web::upload::read_form(&req, mp, &ctx.state.storage, svc::MAX_FILE).await?;
    let encoded = serde_html_form::to_string(&fields).map_err(|_| AppError::BadRequest)?;
    let form: EntryForm = serde_html_form::from_str(&encoded).map_err(|_| AppError::BadRequest)?;
    create_entry(ctx, form, Some(upload)).await
}

/// A chosen file, checked like an upload to an existing entry: its type from its content.
/// `Err` holds the message key.
async fn checked_file(
    upload: crate::web::upload::Upload,
) -> Result<Result<Option<(TempUpload, String, FileType)>, &'static str>, AppError> {
    if upload.too_large {
        return Ok(Err("entry.err_file_large"));
    }
    let Some((temp, raw_name)) = upload.file else {
        return Ok(Ok(None));
    };
    let (kind, temp) = web::block(move || {
        let head = temp.head(1 << 20)?;
        Ok::<_, std::io::Error>((filetype::sniff(&head), temp))
    })
    .await
    .map_err(AppError::cause)??;
    Ok(match kind {
        Some(kind) => Ok(Some((temp, raw_name, kind))),
        None => Err("entry.err_file_type"),
    })
}

/// Creates the entry (and its first attachment, if a file came with the form). Turns a
/// refusal into messages on the form, which keeps everything typed; a file has to be chosen
/// again (no browser lets a page fill in a file input).
async fn create_entry(
    ctx: Ctx,
    form: EntryForm,
    upload: Option<crate::web::upload::Upload>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let mut errors = Errors::new(ctx.lang);
    // The form names its edition through its categories; without an open call nothing is stored.
    let current = ctx.state.db.run(|c| Ok(editions::current(c)?)).await?;
    let Some(ed) = current else {
        return Err(AppError::NotFound);
    };
    let (data, problems) = entry::check(&form.input());
    for (f, k) in problems {
        errors.add(f, k);
    }
    let category_id = form.category_id.trim().parse::<i32>().ok();
    if category_id.is_none() {
        errors.add("category_id", "entry.err_category");
    }
    let file = match upload {
        Some(up) => match checked_file(up).await? {
            Ok(file) => file,
            Err(key) => {
                errors.add("file", key);
                None
            }
        },
        None => None,
    };
    if errors.is_empty() {
        let cfg = ctx.state.config.clone();
        let intent = form.intent();
        let uid = u.id;
        let edition_id = ed.id;
        let cat = category_id.unwrap_or(0);
        let now = ctx.now();
        // The file goes into the store first (complete and checked); it is removed again if
        // the entry or its attachment is not recorded.
        let file = match file {
            Some((temp, raw_name, kind)) => {
                let size = i64::try_from(temp.size).unwrap_or(i64::MAX);
                let original = clean_filename(&raw_name, kind.extension());
                let stored = ctx
                    .state
                    .storage
                    .persist(temp)
                    .await
                    .map_err(|e| AppError::context("storing upload", e))?;
                Some((stored, original, kind, size))
            }
            None => None,
        };
        let attach = file.clone();
        let result = ctx
            .state
            .db
            .call(move |c| {
                let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
                let id = svc::create(c, &cfg, &user, edition_id, cat, &data, intent, now)?;
                let attached = match &attach {
                    Some((stored, original, kind, size)) => {
                        let a = NewAttachment {
                            entry_id: id,
                            original_name: original,
                            stored_name: stored,
                            content_type: kind.mime(),
                            size_bytes: *size,
                            uploaded_by: uid,
                        };
                        Some(svc::add_attachment(c, &user, id, &a, now).map(|_| ()))
                    }
                    None => None,
                };
                Ok((id, attached))
            })
            .await;
        match result {
            Ok((id, attached)) => {
                ctx.state.wake_mailer();
                if let Some(Err(err)) = attached {
                    // The entry is saved; only the file did not make it (it is removed).
                    tracing::warn!(entry = id, error = %crate::web::error::chain(&err), "first attachment not recorded");
                    if let Some((stored, ..)) = &file {
                        ctx.state.storage.remove(stored).await;
                    }
                    ctx.flash("flash.entry_created_file_failed");
                    return Ok(redirect(&urls::at(urls::entry_edit(id), "attachments")));
                }
                return Ok(saved(&ctx, id, intent, true));
            }
            Err(e) => {
                if let Some((stored, ..)) = &file {
                    ctx.state.storage.remove(stored).await;
                }
                refusal(&mut errors, e)?;
            }
        }
    }
    let parts = form_parts(&ctx, ed.id, None).await?;
    invalid(&form_page(&ctx, parts, None, form, errors, None))
}

fn saved(ctx: &Ctx, id: i32, intent: Intent, created: bool) -> HttpResponse {
    match intent {
        Intent::Check | Intent::Submit => {
            ctx.flash("flash.entry_saved_review");
            redirect(&urls::entry_submit(id))
        }
        Intent::Save => {
            ctx.flash(if created {
                "flash.entry_created"
            } else {
                "flash.saved"
            });
            redirect(&urls::entry_edit(id))
        }
    }
}

/// The entry if it belongs to the applicant's institution, else 404.
fn editing_of(e: &Entry) -> Editing {
    Editing {
        id: e.id,
        status: e.status,
        correction_until: e.correction_until,
        decision_note: e.decision_note.clone(),
    }
}

pub(super) async fn edit_page(
    ctx: &Ctx,
    e: &Entry,
    form: EntryForm,
    errors: Errors,
    upload_error: Option<String>,
) -> Result<FormPage, AppError> {
    let parts = form_parts(ctx, e.edition_id, Some(e.id)).await?;
    Ok(form_page(
        ctx,
        parts,
        Some(editing_of(e)),
        form,
        errors,
        upload_error,
    ))
}

pub async fn edit_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let v = super::viewer(&u);
    let (id, now) = (id.into_inner(), ctx.now());
    let found = ctx
        .state
        .db
        .run(move |c| svc::edit_entry(c, &v, id, now))
        .await?
        .ok_or(AppError::NotFound)?;
    match found {
        svc::EditEntry::Form(found) => {
            let (e, parts) = *found;
            let form = EntryForm::from_entry(&e);
            let editing = Some(editing_of(&e));
            page(&form_page(
                &ctx,
                parts,
                editing,
                form,
                Errors::new(ctx.lang),
                None,
            ))
        }
        // After the deadline the entry is read-only: show it instead.
        svc::EditEntry::ReadOnly(id) => Ok(redirect(&urls::entry(id))),
    }
}

pub async fn edit_post(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<EntryForm>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let e = own(&ctx, &u, id.into_inner()).await?;
    let mut errors = Errors::new(ctx.lang);
    let (data, problems) = entry::check(&form.input());
    for (f, k) in problems {
        errors.add(f, k);
    }
    let category_id = form
        .category_id
        .trim()
        .parse::<i32>()
        .ok()
        .unwrap_or(e.category_id);
    if errors.is_empty() {
        let cfg = ctx.state.config.clone();
        let intent = form.intent();
        let (uid, eid) = (u.id, e.id);
        let now = ctx.now();
        let result = ctx
            .state
            .db
            .call(move |c| {
                let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
                svc::save(c, &cfg, &user, eid, category_id, &data, intent, now)
            })
            .await;
        match result {
            Ok(()) => {
                ctx.state.wake_mailer();
                return Ok(saved(&ctx, e.id, intent, false));
            }
            Err(err) => refusal(&mut errors, err)?,
        }
    }
    invalid(&edit_page(&ctx, &e, form, errors, None).await?)
}

// ---------------------------------------------------------------------------------------------
// Submitting: the confirmation page and the confirmed POST

/// The confirmation before an entry is submitted: what will happen (the entry becomes a
/// competition entry, a confirmation email goes to the applicant's address) and the entry.
pub async fn confirm_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let v = super::viewer(&u);
    let (id, now) = (id.into_inner(), ctx.now());
    let s = ctx
        .state
        .db
        .run(move |c| svc::submission(c, &v, id, now))
        .await?
        .ok_or(AppError::NotFound)?;
    if s.details.entry.status == EntryStatus::Submitted {
        return Ok(redirect(&urls::entry(id)));
    }
    let l = ctx.lang;
    let d = &s.details;
    let returned = d.entry.status == EntryStatus::Returned;
    let deadline = match d.entry.correction_until {
        Some(t) if returned => t,
        _ => d.edition.closes_at,
    };
    let mut p = ConfirmPage::new(
        &ctx,
        l.t(if returned {
            "confirm.entry_resubmit_title"
        } else {
            "confirm.entry_title"
        }),
        urls::entry_submit(id),
    )
    .lead(d.entry.title.clone())
    .effect(l.t(if returned {
        "confirm.entry_resubmit_effect"
    } else {
        "confirm.entry_effect"
    }))
    .effect(l.t("confirm.entry_email"))
    .detail(l.t("confirm.to_address"), u.email.clone())
    .detail(l.t("entry.title"), d.entry.title.clone())
    .detail(
        l.t("entry.category"),
        format!(
            "{} — {}",
            d.category.code,
            l.pick(&d.category.name, &d.category.name_en)
        ),
    )
    .detail(l.t("field.institution_name"), d.institution.clone())
    .detail(l.t("confirm.attachments"), d.attachments.len().to_string())
    .detail(
        l.t(if returned {
            "entry.correction_deadline"
        } else {
            "entry.deadline"
        }),
        crate::domain::time::format(deadline, l),
    )
    .button(l.t(if returned {
        "confirm.entry_resubmit_button"
    } else {
        "confirm.entry_button"
    }))
    .back(urls::entry_edit(id), l.t("confirm.entry_back"));
    if !s.submittable {
        p = p.refused(l.t("entry.err_closed"));
    } else if !s.missing.is_empty() {
        p = p.refused(l.t("confirm.entry_incomplete"));
    }
    p.render()
}

/// The confirmed submission of the entry as saved.
pub async fn confirm_post(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let e = own(&ctx, &u, id.into_inner()).await?;
    if !f.iter().any(|(k, v)| k == "confirm" && v == "yes") {
        // Not confirmed: nothing is sent; the confirmation page says what would be.
        return Ok(redirect(&urls::entry_submit(e.id)));
    }
    let cfg = ctx.state.config.clone();
    let (uid, eid) = (u.id, e.id);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| {
            let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
            svc::submit_saved(c, &cfg, &user, eid, now)
        })
        .await;
    match result {
        Ok(()) => {
            ctx.state.wake_mailer();
            ctx.flash("flash.entry_submitted");
            Ok(redirect(&urls::entry(eid)))
        }
        Err(err) => {
            // Not possible now, or incomplete: the form again with the reasons, nothing sent.
            let mut errors = Errors::new(ctx.lang);
            refusal(&mut errors, err)?;
            let form = EntryForm::from_entry(&e);
            invalid(&edit_page(&ctx, &e, form, errors, None).await?)
        }
    }
}
