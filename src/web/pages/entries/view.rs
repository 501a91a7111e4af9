//! The entry's page (with withdrawing) and its printable version.

use actix_web::{HttpResponse, web};
use askama::Template;

use super::{applicant, viewer};
use crate::db::editions::Category;
use crate::db::entries::{Attachment, Entry};
use crate::db::users;
use crate::domain::entry::{self, EntryStatus};
use crate::domain::filetype::FileType;
use crate::domain::roles::Role;
use crate::services::entries::{self as svc, EntryDetails, EntryError};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::Form;
use crate::web::pages::confirm::ConfirmForm;
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::EditionView;
use crate::web::render::{page, redirect};

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

    pub fn budget(&self, l: &Layout) -> String {
        if self.e.budget.is_empty() {
            "—".into()
        } else {
            crate::domain::entry::format_budget(&self.e.budget, l.lang)
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
            .map(crate::domain::filetype::FileType::label)
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
    /// The published result: `Some(award)` once the results are out (`Some(None)`: no award).
    result: Option<Option<crate::domain::awards::Award>>,
}

/// How an entry's published result reads: its place or honourable mention, or that it received
/// neither.
pub fn result_label(
    l: crate::i18n::Lang,
    award: Option<crate::domain::awards::Award>,
) -> &'static str {
    match award {
        Some(a) => l.t(a.label_key()),
        None => l.t("entry.result_none"),
    }
}

impl ShowPage {
    fn num(&self, x: &f64) -> String {
        crate::web::pages::editions::fmt_number((*x * 100.0).round() / 100.0, &self.layout)
    }

    fn result(&self) -> &'static str {
        self.result
            .map_or("", |a| result_label(self.layout.lang, a))
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
    let v = viewer(&u);
    let inst = u.institution_id;
    let (d, feedback, results) = ctx
        .state
        .db
        .run(move |c| -> Result<_, crate::db::DbError> {
            let Some((d, feedback)) = svc::own_details(c, &v, id)? else {
                return Ok(None);
            };
            let results = crate::services::results::institution_results(c, inst)?;
            Ok(Some((d, feedback, results)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let result = results.into_iter().find(|(e, _)| *e == id).map(|(_, a)| a);
    let v = EntryView::from(d);
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
        result,
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
    let v = ctx
        .state
        .db
        .run(move |c| svc::viewable_details(c, &v, id))
        .await?
        .map(EntryView::from)
        .ok_or(AppError::NotFound)?;
    let blind = u.role == Role::Juror && v.ed.e.blind_judging;
    page(&PrintPage {
        layout: ctx.layout(),
        v,
        blind,
    })
}

/// The confirmation before an entry is withdrawn (it cannot be taken back): what happens, the
/// entry and its edition; refused (no button) when it cannot be withdrawn now.
pub async fn withdraw_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    let id = id.into_inner();
    let v = viewer(&u);
    let (d, _) = ctx
        .state
        .db
        .run(move |c| svc::own_details(c, &v, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let v = EntryView::from(d);
    let l = ctx.lang;
    let accepting = svc::is_accepting(&v.ed.e, ctx.now());
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("confirm.withdraw_title"),
        urls::entry_withdraw(id),
    )
    .lead(v.e.title.clone())
    .detail(
        l.t("confirm.withdraw_edition"),
        l.pick(&v.ed.e.name, &v.ed.e.name_en).to_string(),
    )
    .detail(l.t("entry.status"), l.t(v.status.label_key()))
    .button(l.t("entry.withdraw"))
    .back(urls::entry(id), l.t("confirm.withdraw_back"));
    if v.status == EntryStatus::Withdrawn {
        p = p.refused(l.t("confirm.withdraw_already"));
    } else if !entry::withdrawable(v.status, accepting) {
        p = p.refused(l.t("confirm.withdraw_refused"));
    } else {
        p = p
            .effect(l.t("confirm.withdraw_effect"))
            .effect(l.t("confirm.no_undo"));
    }
    p.render()
}

/// The confirmed withdrawal; without `confirm=yes` it only leads to the confirmation.
pub async fn withdraw(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let u = applicant(&ctx)?;
    if f.confirm != "yes" {
        return Ok(redirect(&urls::entry_withdraw(id.into_inner())));
    }
    // The service refuses an entry of another institution (a 404) like a missing one.
    let (uid, eid) = (u.id, id.into_inner());
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
        Err(EntryError::Closed) => {
            // A second confirmation (a double click) finds it withdrawn: say so, not "closed".
            // The service has already checked that the entry is the user's own.
            let withdrawn = ctx
                .state
                .db
                .run(move |c| Ok(crate::db::entries::find(c, eid)?))
                .await?
                .is_some_and(|e| e.status == EntryStatus::Withdrawn);
            ctx.flash(if withdrawn {
                "confirm.withdraw_already"
            } else {
                "entry.err_closed"
            });
        }
        Err(EntryError::NotFound) => return Err(AppError::NotFound),
        Err(other) => return Err(AppError::cause(other)),
    }
    Ok(redirect(&urls::entry(eid)))
}
