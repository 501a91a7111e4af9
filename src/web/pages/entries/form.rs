//! The entry form: a new entry, editing a draft or a returned one, saving and submitting.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{applicant, own, refusal};
use crate::db::editions::{self, Category, Edition};
use crate::db::entries::{Attachment, Entry};
use crate::db::users;
use crate::domain::entry::{self, EntryInput, EntryStatus};
use crate::services::entries::{self as svc, FormParts, Intent, MAX_ATTACHMENTS};
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

/// Turns a refusal into messages on the form.
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
    _f: Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let e = own(&ctx, &u, id.into_inner()).await?;
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
