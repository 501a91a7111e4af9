//! Organisers check entries formally: the list per edition with counts, each entry with the
//! accept / reject / return-for-correction decision, and the CSV export.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::entries::{self, EntryRow, ListFilter};
use crate::domain::csv::Csv;
use crate::domain::entry::{self, EntryStatus};
use crate::domain::roles::Role;
use crate::domain::time::{self, LocalTimeError};
use crate::domain::validate;
use crate::services::entries::{self as svc, Decision, EntryError};
use crate::services::review;
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::editions::EditionView;
use crate::web::pages::entries::{EntryView, load_view};
use crate::web::pages::{Pager, SelectOption, options, params};
use crate::web::render::{invalid, page, personal_page, redirect};

#[derive(Template)]
#[template(path = "admin/entries.html")]
struct ListPage {
    layout: Layout,
    ed: EditionView,
    rows: Vec<EntryRow>,
    /// Per category: (category, submitted, accepted, returned, rejected, withdrawn, drafts).
    counts: Vec<(String, [i64; 6])>,
    category_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    pager: Pager,
}

impl ListPage {
    fn status_label(&self, s: &EntryStatus) -> &'static str {
        self.layout.t(s.label_key())
    }
}

pub async fn list(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let p = params(&req);
    let category: String = serde_html_form::from_str::<CategoryParam>(req.query_string())
        .unwrap_or_default()
        .category;
    let status = EntryStatus::parse(&p.status);
    let cat_id = category.parse::<i32>().ok();
    let filter = ListFilter {
        category_id: cat_id,
        status,
    };
    let page_req = p.page_request(ctx.state.config.page_size);
    let list = ctx
        .state
        .db
        .run(move |c| review::entry_list(c, id, &filter, page_req))
        .await?
        .ok_or(AppError::NotFound)?;
    let (e, categories, rows) = (list.edition, list.categories, list.rows);
    let pager = Pager::new(list.paging, req.query_string());
    let layout = ctx.layout();
    let counts = categories
        .iter()
        .zip(list.counts)
        .map(|(cat, n)| {
            (
                format!("{} — {}", cat.code, layout.pick(&cat.name, &cat.name_en)),
                n,
            )
        })
        .collect();
    let cat_labels: Vec<(String, String)> =
        std::iter::once((String::new(), layout.t("review.all_categories").to_string()))
            .chain(categories.iter().map(|c| {
                (
                    c.id.to_string(),
                    format!("{} — {}", c.code, layout.pick(&c.name, &c.name_en)),
                )
            }))
            .collect();
    let category_options = options(
        cat_labels.iter().map(|(a, b)| (a.as_str(), b.as_str())),
        &cat_id.map(|c| c.to_string()).unwrap_or_default(),
    );
    let status_options = options(
        std::iter::once(("", layout.t("review.all_statuses"))).chain(
            EntryStatus::ALL
                .iter()
                .map(|s| (s.as_str(), layout.t(s.label_key()))),
        ),
        status
            .map(crate::domain::entry::EntryStatus::as_str)
            .unwrap_or(""),
    );
    let p = ListPage {
        layout,
        ed: EditionView::new(e),
        rows,
        counts,
        category_options,
        status_options,
        pager,
    };
    personal_page(&p, &p.layout)
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct CategoryParam {
    category: String,
}

/// All entries of an edition as CSV (UTF-8, semicolons: opens in a Polish spreadsheet).
pub async fn csv(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let review::Export { edition: e, rows } = ctx
        .state
        .db
        .run(move |c| review::export(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let mut out = Csv::new();
    out.row([
        "ID",
        l.t("entry.reference"),
        l.t("entry.category"),
        l.t("field.institution_name"),
        l.t("entry.title"),
        l.t("entry.status"),
        l.t("entry.submitted_at"),
        l.t("entry.summary"),
        l.t("entry.started_on"),
        l.t("entry.launched_on"),
        l.t("entry.budget"),
        l.t("entry.funding"),
        l.t("entry.partners"),
        l.t("entry.links"),
        l.t("entry.contact_name"),
        l.t("entry.contact_email"),
        l.t("entry.contact_phone"),
        l.t("entry.decision_note"),
    ]);
    for (en, cat, inst) in rows {
        let status = l.t(en.status.label_key());
        out.row([
            en.id.to_string(),
            en.reference().to_string(),
            cat,
            inst,
            en.title.clone(),
            status.to_string(),
            en.submitted_at
                .map(|t| time::format(t, l))
                .unwrap_or_default(),
            en.summary.clone(),
            en.started_on.map(|d| d.to_string()).unwrap_or_default(),
            en.launched_on.map(|d| d.to_string()).unwrap_or_default(),
            crate::domain::entry::budget_number(&en.budget, l),
            en.funding.clone(),
            en.partners.clone(),
            en.links.replace('\n', " "),
            en.contact_name.clone(),
            en.contact_email.clone(),
            en.contact_phone.clone(),
            en.decision_note.clone(),
        ]);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"zgloszenia-{}.csv\"", e.slug),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(out.finish()))
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct DecisionForm {
    pub decision: String,
    pub reason: String,
    pub until: String,
}

#[derive(Template)]
#[template(path = "admin/entry.html")]
struct EntryPage {
    layout: Layout,
    v: EntryView,
    decidable: bool,
    form: DecisionForm,
    errors: Errors,
}

async fn entry_page(
    ctx: &Ctx,
    id: i32,
    form: DecisionForm,
    errors: Errors,
) -> Result<EntryPage, AppError> {
    let e = ctx
        .state
        .db
        .run(move |c| Ok(entries::find(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let v = load_view(ctx, e).await?;
    let decidable = entry::decidable(v.status, v.ed.e.closes_at, ctx.now());
    Ok(EntryPage {
        layout: ctx.layout().errors(&errors),
        v,
        decidable,
        form,
        errors,
    })
}

pub async fn show(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let form = DecisionForm {
        decision: "accept".into(),
        until: default_until(ctx.now()),
        ..Default::default()
    };
    page(&entry_page(&ctx, id.into_inner(), form, Errors::new(ctx.lang)).await?)
}

pub async fn decide(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    let reason = form.reason.trim().to_string();
    let decision = match form.decision.as_str() {
        "accept" => Some(Decision::Accept),
        "reject" | "return" => {
            errors.check("reason", validate::required_text(&reason, 2000));
            if form.decision == "reject" {
                Some(Decision::Reject {
                    reason: reason.clone(),
                })
            } else {
                match time::parse_warsaw(&form.until) {
                    Ok(until) => Some(Decision::Return {
                        reason: reason.clone(),
                        until,
                    }),
                    Err(LocalTimeError::Invalid) => {
                        errors.add("until", "err.datetime");
                        None
                    }
                    Err(LocalTimeError::Nonexistent) => {
                        errors.add("until", "err.datetime_gap");
                        None
                    }
                }
            }
        }
        _ => {
            errors.add("decision", "err.choose");
            None
        }
    };
    if let Some(d) = decision.filter(|_| errors.is_empty()) {
        let cfg = ctx.state.config.clone();
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| svc::decide(c, &cfg, me, id, &d, now))
            .await
        {
            Ok(()) => {
                ctx.state.wake_mailer();
                ctx.flash("flash.decision_saved");
                return Ok(redirect(&urls::admin_entry(id)));
            }
            Err(EntryError::Fields(list)) => {
                for (f, k) in list {
                    errors.add(f, k);
                }
            }
            Err(EntryError::Closed) => errors.add("form", "review.err_not_decidable"),
            Err(EntryError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(AppError::cause(e)),
        }
    }
    invalid(&entry_page(&ctx, id, form, errors).await?)
}

/// The suggested correction deadline: a week from now, at the end of the day, Warsaw time.
pub fn default_until(now: chrono::NaiveDateTime) -> String {
    let t = now + chrono::Duration::days(7);
    format!("{}T23:59", time::in_warsaw(t).format("%Y-%m-%d"))
}
