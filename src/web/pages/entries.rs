//! Applicants' entries: the form (draft, submit, edit until the deadline), withdrawing,
//! attachments, the entry's page and its printable version.

use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::editions::{self, Category, Edition};
use crate::db::entries::{self, Attachment, Entry, NewAttachment};
use crate::db::{institutions, users};
use crate::domain::entry::{self, EntryInput, EntryStatus};
use crate::domain::filetype::{self, FileType};
use crate::domain::roles::Role;
use crate::services::entries::{
    self as svc, EntryDetails, EntryError, Intent, MAX_ATTACHMENTS, MAX_FILE, Viewer,
};
use crate::storage::{clean_filename, content_disposition};
use crate::urls;
use crate::web::ctx::{Ctx, CurrentUser, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::auth::TokenForm;
use crate::web::pages::editions::EditionView;
use crate::web::render::{invalid, page, redirect};
use crate::web::upload;

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
    fn from_entry(e: &Entry) -> EntryForm {
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

    fn intent(&self) -> Intent {
        if self.action == "submit" {
            Intent::Submit
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
struct FormPage {
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
        self.editing.is_some() && (self.attachments.len() as i64) < MAX_ATTACHMENTS
    }

    fn max_attachments(&self) -> i64 {
        MAX_ATTACHMENTS
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

struct FormParts {
    ed: Edition,
    categories: Vec<Category>,
    attachments: Vec<Attachment>,
}

async fn form_parts(
    ctx: &Ctx,
    edition_id: i32,
    entry_id: Option<i32>,
) -> Result<FormParts, AppError> {
    ctx.state
        .db
        .run(move |c| {
            let Some(ed) = editions::find(c, edition_id)? else {
                return Ok(None);
            };
            let categories = editions::categories(c, ed.id)?;
            let attachments = match entry_id {
                Some(id) => entries::attachments(c, id)?,
                None => Vec::new(),
            };
            Ok(Some(FormParts {
                ed,
                categories,
                attachments,
            }))
        })
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
    let deadline = deadline_for(&parts.ed, &editing);
    FormPage {
        layout: ctx.layout().errors(&errors),
        ed: EditionView::new(parts.ed),
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

/// The edition whose call accepts entries now, if any.
async fn open_edition(ctx: &Ctx) -> Result<Option<Edition>, AppError> {
    let current = ctx.state.db.run(|c| Ok(editions::current(c)?)).await?;
    Ok(current.filter(|e| svc::is_accepting(e, ctx.now())))
}

pub async fn new_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let Some(ed) = open_edition(&ctx).await? else {
        let current = ctx.state.db.run(|c| Ok(editions::current(c)?)).await?;
        return page(&ClosedPage {
            layout: ctx.layout(),
            ed: current.map(EditionView::new),
        });
    };
    let inst_id = u.institution_id.unwrap_or(0);
    let phone = ctx
        .state
        .db
        .run(move |c| {
            Ok(institutions::find(c, inst_id)?
                .map(|i| i.phone)
                .unwrap_or_default())
        })
        .await?;
    let form = EntryForm {
        contact_name: u.name.clone(),
        contact_email: u.email.clone(),
        contact_phone: phone,
        ..Default::default()
    };
    let parts = form_parts(&ctx, ed.id, None).await?;
    page(&form_page(
        &ctx,
        parts,
        None,
        form,
        Errors::new(ctx.lang),
        None,
    ))
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

pub async fn new_post(ctx: Ctx, Form(form): Form<EntryForm>) -> Result<HttpResponse, AppError> {
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
    if errors.is_empty() {
        let cfg = ctx.state.config.clone();
        let intent = form.intent();
        let uid = u.id;
        let edition_id = ed.id;
        let cat = category_id.unwrap_or(0);
        let now = ctx.now();
        let result = ctx
            .state
            .db
            .call(move |c| {
                let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
                svc::create(c, &cfg, &user, edition_id, cat, &data, intent, now)
            })
            .await;
        match result {
            Ok(id) => {
                ctx.state.wake_mailer();
                return Ok(saved(&ctx, id, intent, true));
            }
            Err(e) => refusal(&mut errors, e)?,
        }
    }
    let parts = form_parts(&ctx, ed.id, None).await?;
    invalid(&form_page(&ctx, parts, None, form, errors, None))
}

fn saved(ctx: &Ctx, id: i32, intent: Intent, created: bool) -> HttpResponse {
    match intent {
        Intent::Submit => {
            ctx.flash("flash.entry_submitted");
            redirect(&urls::entry(id))
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
async fn own(ctx: &Ctx, u: &CurrentUser, id: i32) -> Result<Entry, AppError> {
    let v = viewer(u);
    ctx.state
        .db
        .run(move |c| Ok(svc::own_entry(c, &v, id)?))
        .await?
        .ok_or(AppError::NotFound)
}

fn editing_of(e: &Entry) -> Editing {
    Editing {
        id: e.id,
        status: e.status,
        correction_until: e.correction_until,
        decision_note: e.decision_note.clone(),
    }
}

async fn edit_page(
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
    let e = own(&ctx, &u, id.into_inner()).await?;
    let ed_id = e.edition_id;
    let ed = ctx
        .state
        .db
        .run(move |c| Ok(editions::find(c, ed_id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    if !svc::is_editable(&ed, &e, ctx.now()) {
        // After the deadline the entry is read-only: show it instead.
        return Ok(redirect(&urls::entry(e.id)));
    }
    let form = EntryForm::from_entry(&e);
    page(&edit_page(&ctx, &e, form, Errors::new(ctx.lang), None).await?)
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

pub async fn withdraw(
    ctx: Ctx,
    id: web::Path<i32>,
    _f: Form<TokenForm>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let e = own(&ctx, &u, id.into_inner()).await?;
    let (uid, eid) = (u.id, e.id);
    let now = ctx.now();
    let result = ctx
        .state
        .db
        .call(move |c| {
            let user = users::find(c, uid)?.ok_or(crate::db::DbError::Missing("user"))?;
            svc::withdraw(c, &user, eid, now)
        })
        .await;
    match result {
        Ok(()) => ctx.flash("flash.entry_withdrawn"),
        Err(EntryError::Closed) => ctx.flash("entry.err_closed"),
        Err(EntryError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(AppError::cause(other)),
    }
    Ok(redirect(&urls::entry(eid)))
}

// ---------------------------------------------------------------------------------------------
// Attachments

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
    let size = temp.size as i64;
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
    let storage = ctx.state.storage.clone();
    let stored = web::block(move || storage.persist(temp))
        .await
        .map_err(AppError::cause)?
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
            ctx.state.storage.remove(&stored);
            let mut errors = Errors::new(ctx.lang);
            refusal(&mut errors, err)?;
            let msg = errors.list.first().map(|x| x.message.clone());
            refuse(ctx, e, msg).await
        }
        Err(db) => {
            ctx.state.storage.remove(&stored);
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
            ctx.state.storage.remove(&stored);
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
        .run(move |c| {
            let Some(e) = entries::find(c, eid)? else {
                return Ok(None);
            };
            if !svc::may_view(c, &v, &e)? {
                return Ok(None);
            }
            Ok(entries::find_attachment(c, aid)?.filter(|a| a.entry_id == e.id))
        })
        .await?;
    let a = found.ok_or(AppError::NotFound)?;
    let path = ctx
        .state
        .storage
        .path_of(&a.stored_name)
        .ok_or(AppError::NotFound)?;
    let bytes = web::block(move || std::fs::read(path))
        .await
        .map_err(AppError::cause)?
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => AppError::NotFound,
            _ => AppError::cause(e),
        })?;
    let mime = FileType::from_mime(&a.content_type)
        .map(|t| t.mime())
        .unwrap_or("application/octet-stream");
    Ok(HttpResponse::Ok()
        .content_type(mime)
        .insert_header((
            header::CONTENT_DISPOSITION,
            content_disposition(&a.original_name),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

// ---------------------------------------------------------------------------------------------
// The entry's page

/// Everything the entry's page shows, loaded in one go.
pub struct EntryView {
    pub e: Entry,
    pub ed: EditionView,
    pub category: Category,
    pub institution: String,
    pub attachments: Vec<Attachment>,
    pub status: EntryStatus,
}

impl EntryView {
    pub fn status_label(&self, l: &Layout) -> &'static str {
        l.t(self.status.label_key())
    }

    pub fn category_name<'a>(&'a self, l: &Layout) -> &'a str {
        l.pick(&self.category.name, &self.category.name_en)
    }

    pub fn budget(&self) -> String {
        if self.e.budget.is_empty() {
            "—".into()
        } else {
            format!("{} zł", self.e.budget.replace('.', ","))
        }
    }

    pub fn size(&self, a: &Attachment) -> String {
        let kb = a.size_bytes as f64 / 1024.0;
        if kb < 1024.0 {
            format!("{:.0} KB", kb.max(1.0))
        } else {
            format!("{:.1} MB", kb / 1024.0)
        }
    }

    pub fn kind(&self, a: &Attachment) -> &'static str {
        FileType::from_mime(&a.content_type)
            .map(|t| t.label())
            .unwrap_or("?")
    }
}

impl From<EntryDetails> for EntryView {
    fn from(d: EntryDetails) -> Self {
        let status = d.entry.status;
        EntryView {
            e: d.entry,
            ed: EditionView::new(d.edition),
            category: d.category,
            institution: d.institution,
            attachments: d.attachments,
            status,
        }
    }
}

pub async fn load_view(ctx: &Ctx, e: Entry) -> Result<EntryView, AppError> {
    ctx.state
        .db
        .run(move |c| svc::details(c, e))
        .await?
        .map(EntryView::from)
        .ok_or(AppError::NotFound)
}

#[derive(Template)]
#[template(path = "entries/show.html")]
struct ShowPage {
    layout: Layout,
    v: EntryView,
    editable: bool,
    withdrawable: bool,
    feedback: Option<crate::services::results::Feedback>,
}

impl ShowPage {
    fn num(&self, x: &f64) -> String {
        crate::web::pages::editions::fmt_number((*x * 100.0).round() / 100.0, &self.layout)
    }

    fn award(&self) -> &'static str {
        self.feedback
            .as_ref()
            .and_then(|f| f.award)
            .map(|a| self.layout.t(a.label_key()))
            .unwrap_or("")
    }
}

pub async fn show(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let u = ctx.require_user()?.clone();
    let id = id.into_inner();
    // Organisers look at entries on their own page; jurors on theirs.
    match u.role {
        Role::Organiser => return Ok(redirect(&urls::admin_entry(id))),
        Role::Juror => return Ok(redirect(&urls::jury_entry(id))),
        Role::Applicant => {}
    }
    let e = own(&ctx, &u, id).await?;
    let fe = e.clone();
    let feedback = ctx
        .state
        .db
        .run(move |c| Ok(crate::services::results::feedback(c, &fe)?))
        .await?;
    let v = load_view(&ctx, e).await?;
    let now = ctx.now();
    let accepting = svc::is_accepting(&v.ed.e, now);
    let editable = entry::editable(v.status, v.e.correction_until, accepting, now);
    let withdrawable = entry::withdrawable(v.status, accepting);
    page(&ShowPage {
        layout: ctx.layout(),
        v,
        editable,
        withdrawable,
        feedback,
    })
}

#[derive(Template)]
#[template(path = "entries/print.html")]
struct PrintPage {
    layout: Layout,
    v: EntryView,
    /// A juror of a blind edition prints without the institution.
    blind: bool,
}

pub async fn print(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let u = ctx.require_user()?.clone();
    let id = id.into_inner();
    let v = viewer(&u);
    let e = ctx
        .state
        .db
        .run(move |c| {
            let Some(e) = entries::find(c, id)? else {
                return Ok(None);
            };
            Ok(svc::may_view(c, &v, &e)?.then_some(e))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let v = load_view(&ctx, e).await?;
    let blind = u.role == Role::Juror && v.ed.e.blind_judging;
    page(&PrintPage {
        layout: ctx.layout(),
        v,
        blind,
    })
}
