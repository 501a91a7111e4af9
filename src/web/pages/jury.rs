//! Jurors: their entries with progress, the declaration, conflicts of interest, and the score
//! form; the invitation that sets a juror's password.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::editions::Criterion;
use crate::db::jury::{AssignedRow, Review};
use crate::domain::review::ReviewStatus;
use crate::domain::roles::Role;
use crate::domain::validate;
use crate::i18n::Lang;
use crate::services::accounts::{LinkError, TokenOutcome};
use crate::services::jury::{self as svc, JuryError, ScoreStep, Scored};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::{EditionView, fmt_number, levels};
use crate::web::pages::entries::EntryView;
use crate::web::pages::{SelectOption, options, params};
use crate::web::render::{invalid, page, page_with_status, personal_page, redirect};

fn juror(ctx: &Ctx) -> Result<i32, AppError> {
    Ok(ctx.require_role(Role::Juror)?.id)
}

/// One edition on a juror's dashboard.
pub struct JurorEdition {
    pub ed: EditionView,
    pub declared_at: Option<chrono::NaiveDateTime>,
    pub rows: Vec<AssignedRow>,
    pub conflicts: Vec<i32>,
    pub institutions: Vec<SelectOption>,
    /// (entries to judge, submitted), by `db::jury::work`.
    pub progress: (i64, i64),
    /// The categories the juror judges (id, code): a ZIP of each one's attachments.
    pub zip_categories: Vec<(i32, String)>,
}

impl JurorEdition {
    pub fn progress(&self, l: &Layout) -> String {
        l.tf(
            "jury.progress",
            &[("done", &self.progress.1), ("total", &self.progress.0)],
        )
    }

    /// Whether the category ZIPs are open to the juror now (as the entries are: while judging
    /// and after the results).
    pub fn zips_open(&self) -> bool {
        matches!(
            self.ed.e.state,
            crate::domain::edition::EditionState::Judging
                | crate::domain::edition::EditionState::Published
        )
    }

    pub fn conflicted(&self, r: &AssignedRow) -> bool {
        self.conflicts.contains(&r.institution_id)
    }

    pub fn blind(&self) -> bool {
        self.ed.e.blind_judging
    }
}

#[derive(Template)]
#[template(path = "jury/dashboard.html")]
struct DashboardPage {
    layout: Layout,
    editions: Vec<JurorEdition>,
    errors: Errors,
}

impl DashboardPage {
    fn status_label(&self, s: &Option<ReviewStatus>) -> &'static str {
        self.layout
            .t(s.map_or("jury.status_todo", ReviewStatus::label_key))
    }
}

async fn dashboard_page(ctx: &Ctx, uid: i32, errors: Errors) -> Result<DashboardPage, AppError> {
    let list = ctx
        .state
        .db
        .run(move |c| svc::juror_dashboard(c, uid))
        .await?;
    let layout = ctx.layout().errors(&errors);
    let choose = layout.t("form.choose").to_string();
    let editions = list
        .into_iter()
        .map(|je| {
            let pairs: Vec<(String, String)> = std::iter::once((String::new(), choose.clone()))
                .chain(
                    je.institutions
                        .into_iter()
                        .map(|(id, n)| (id.to_string(), n)),
                )
                .collect();
            JurorEdition {
                ed: EditionView::new(je.edition),
                declared_at: je.declared_at,
                rows: je.rows,
                conflicts: je.conflicts,
                institutions: options(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())), ""),
                progress: je.progress,
                zip_categories: je.zip_categories,
            }
        })
        .collect();
    Ok(DashboardPage {
        layout,
        editions,
        errors,
    })
}

pub async fn dashboard(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let p = dashboard_page(&ctx, uid, Errors::new(ctx.lang)).await?;
    personal_page(&p, &p.layout)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DeclarationForm {
    #[serde(deserialize_with = "crate::web::form::checkbox")]
    pub accept: bool,
}

pub async fn declare(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<DeclarationForm>,
) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let edition_id = id.into_inner();
    if !form.accept {
        let mut errors = Errors::new(ctx.lang);
        errors.add("accept", "jury.err_declaration");
        return invalid(&dashboard_page(&ctx, uid, errors).await?);
    }
    let now = ctx.now();
    ctx.state
        .db
        .call(move |c| svc::juror_declares(c, uid, edition_id, now))
        .await
        .map_err(jury_error)?;
    ctx.flash("flash.declared");
    Ok(redirect(&urls::jury()))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConflictForm {
    pub juror_id: String,
    pub institution_id: String,
    pub reason: String,
}

pub async fn declare_conflict(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let edition_id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    let inst = form.institution_id.parse::<i32>().ok();
    if inst.is_none() {
        errors.add("institution_id", "err.choose");
    }
    errors.check("reason", validate::optional(&form.reason, 500));
    if let Some(inst) = inst.filter(|_| errors.is_empty()) {
        let reason = form.reason.trim().to_string();
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| svc::juror_declares_conflict(c, uid, edition_id, inst, &reason, now))
            .await
        {
            Ok(()) => {
                ctx.flash("flash.conflict_saved");
                return Ok(redirect(&urls::jury()));
            }
            Err(JuryError::Fields(list)) => {
                for (_, k) in list {
                    errors.add("institution_id", k);
                }
            }
            Err(JuryError::Closed(k)) => errors.add("institution_id", k),
            Err(e) => return Err(jury_error(e)),
        }
    }
    invalid(&dashboard_page(&ctx, uid, errors).await?)
}

pub fn jury_error(e: JuryError) -> AppError {
    match e {
        JuryError::NotFound => AppError::NotFound,
        JuryError::Db(e) => e.into(),
        other => AppError::cause(other),
    }
}

// ---------------------------------------------------------------------------------------------
// Scoring one entry

#[derive(Template)]
#[template(path = "jury/entry.html")]
struct EntryPage {
    layout: Layout,
    v: EntryView,
    criteria: Vec<Criterion>,
    review: Option<Review>,
    /// What the form shows per criterion (typed, or stored).
    values: Vec<(i32, String)>,
    comment: String,
    errors: Errors,
    /// Why scores cannot change now, if they cannot.
    closed: Option<&'static str>,
    /// The neighbours in the juror's list.
    prev: Option<i32>,
    next: Option<i32>,
}

impl EntryPage {
    /// A criterion's weight for app.js's running total (a plain number, `.` as the decimal
    /// point).
    fn weight_raw(&self, c: &Criterion) -> String {
        c.weight.to_string()
    }

    fn value(&self, c: &Criterion) -> String {
        self.values
            .iter()
            .find(|(id, _)| *id == c.id)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    }

    fn field(&self, c: &Criterion) -> String {
        format!("score-{}", c.id)
    }

    fn error(&self, c: &Criterion) -> Option<&str> {
        self.errors.get(&format!("score-{}", c.id))
    }

    fn levels(&self, c: &Criterion) -> Vec<(String, String)> {
        levels(self.layout.pick(&c.levels, &c.levels_en))
    }

    fn weight(&self, c: &Criterion) -> String {
        fmt_number(c.weight, &self.layout)
    }

    fn submitted(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.status.is_submitted())
    }

    fn editable(&self) -> bool {
        !self.submitted() && self.closed.is_none()
    }

    fn total(&self) -> String {
        self.review
            .as_ref()
            .and_then(|r| r.total)
            .map(|t| fmt_number(t, &self.layout))
            .unwrap_or_default()
    }

    fn blind(&self) -> bool {
        self.v.ed.e.blind_judging
    }
}

#[derive(Template)]
#[template(path = "jury/refused.html")]
struct RefusedPage {
    layout: Layout,
    title: &'static str,
    message: &'static str,
}

/// Answers a juror's access refusal: a page (or the dashboard), never a bare error.
fn refused(ctx: &Ctx, e: JuryError) -> Result<HttpResponse, AppError> {
    let (title, message) = match e {
        JuryError::NeedsDeclaration(_) => {
            ctx.flash("jury.need_declaration");
            return Ok(redirect(&urls::jury()));
        }
        JuryError::Conflicted => ("jury.conflict_title", "jury.conflict_text"),
        JuryError::Closed(key) => ("jury.closed_title", key),
        other => return Err(jury_error(other)),
    };
    page_with_status(
        &RefusedPage {
            layout: ctx.layout(),
            title: ctx.t(title),
            message: ctx.t(message),
        },
        actix_web::http::StatusCode::FORBIDDEN,
    )
}

/// The page from the service's read; `typed` (points and comment) replaces what is stored.
fn entry_page(
    ctx: &Ctx,
    found: svc::JurorEntry,
    typed: Option<(Vec<(i32, String)>, String)>,
    errors: Errors,
) -> EntryPage {
    let (values, comment) = match typed {
        Some(t) => t,
        None => (
            found
                .points
                .iter()
                .map(|(id, p)| (*id, p.to_string()))
                .collect(),
            found
                .review
                .as_ref()
                .map(|r| r.comment.clone())
                .unwrap_or_default(),
        ),
    };
    EntryPage {
        layout: ctx.layout().errors(&errors),
        v: EntryView::from(found.details),
        criteria: found.criteria,
        review: found.review,
        values,
        comment,
        errors,
        closed: found.closed,
        prev: found.prev,
        next: found.next,
    }
}

pub async fn entry(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let entry_id = id.into_inner();
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::juror_entry(c, uid, entry_id, now))
        .await
    {
        Ok(found) => page(&entry_page(&ctx, found, None, Errors::new(ctx.lang))),
        Err(e) => refused(&ctx, e),
    }
}

pub async fn score(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let entry_id = id.into_inner();
    let get = |k: &str| {
        form.iter()
            .find(|(fk, _)| fk == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let typed: Vec<(i32, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("score-")
                .and_then(|id| id.parse().ok())
                .map(|id| (id, v.clone()))
        })
        .collect();
    let comment = get("comment");
    // The form never submits a score: its default button (Enter) saves the draft, and the
    // other one saves a complete draft and leads to the confirmation page, which submits.
    let step = match get("action").as_str() {
        "review" | "submit" => ScoreStep::Checked,
        _ => ScoreStep::Draft,
    };
    let (t, cm) = (typed.clone(), comment.clone());
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::score(c, uid, entry_id, &t, &cm, step, now))
        .await
    {
        Ok(Scored::Saved) if step == ScoreStep::Checked => {
            Ok(redirect(&urls::jury_entry_submit(entry_id)))
        }
        Ok(Scored::Saved) => {
            ctx.flash("flash.saved");
            Ok(redirect(&urls::jury_entry(entry_id)))
        }
        Ok(Scored::Refused(found, problems)) => {
            let errors = score_errors(ctx.lang, &found.criteria, problems);
            invalid(&entry_page(&ctx, *found, Some((typed, comment)), errors))
        }
        Err(e) => refused(&ctx, e),
    }
}

/// The messages for refused points; a number out of range names the criterion's maximum.
fn score_errors(lang: Lang, criteria: &[Criterion], problems: svc::Problems) -> Errors {
    let mut errors = Errors::new(lang);
    for (f, k) in problems {
        let max = criteria
            .iter()
            .find(|cr| f.strip_prefix("score-") == Some(cr.id.to_string().as_str()))
            .map(|cr| cr.max_points);
        match max {
            Some(max) if k == "jury.err_score_range" && !errors.has(&f) => {
                let message = lang.tf(k, &[("max", &max)]);
                errors.add_text(&f, message);
            }
            _ => errors.add_owned(f, k),
        }
    }
    errors
}

/// The confirmation before a score is submitted: the points and comment as saved, what
/// submitting does (the score is locked; only the organisers can reopen it).
pub async fn confirm_score_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let entry_id = id.into_inner();
    let now = ctx.now();
    let found = match ctx
        .state
        .db
        .call(move |c| svc::juror_entry(c, uid, entry_id, now))
        .await
    {
        Ok(found) => found,
        Err(e) => return refused(&ctx, e),
    };
    if found
        .review
        .as_ref()
        .is_some_and(|r| r.status.is_submitted())
    {
        return Ok(redirect(&urls::jury_entry(entry_id)));
    }
    let l = ctx.lang;
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("confirm.score_title"),
        urls::jury_entry_submit(entry_id),
    )
    .lead(found.details.entry.title.clone())
    .effect(l.t("confirm.score_locks"))
    .button(l.t("confirm.score_button"))
    .back(urls::jury_entry(entry_id), l.t("confirm.score_back"));
    let typed: Vec<(i32, String)> = found
        .points
        .iter()
        .map(|(id, p)| (*id, p.to_string()))
        .collect();
    let (points, problems) = svc::check_points(&found.criteria, &typed, true);
    for cr in &found.criteria {
        let value = points.iter().find(|(id, _)| *id == cr.id).map_or_else(
            || "—".to_string(),
            |(_, p)| format!("{p} / {}", cr.max_points),
        );
        p = p.detail(l.pick(&cr.name, &cr.name_en), value);
    }
    let comment = found
        .review
        .as_ref()
        .map(|r| r.comment.clone())
        .unwrap_or_default();
    if problems.is_empty() {
        let total = svc::weighted_total(&found.criteria, &points);
        let total = fmt_number(total, &p.layout);
        p = p.detail(l.t("jury.total"), total);
    }
    p = p.detail(l.t("jury.comment"), comment.clone());
    if let Some(key) = found.closed {
        p = p.refused(l.t(key));
    } else if !problems.is_empty() || comment.trim().is_empty() {
        p = p.refused(l.t("confirm.score_incomplete"));
    }
    p.render()
}

/// The confirmed submission of the score as saved.
pub async fn confirm_score_post(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let entry_id = id.into_inner();
    if !f.iter().any(|(k, v)| k == "confirm" && v == "yes") {
        // Not confirmed: nothing is sent; the confirmation page says what would be.
        return Ok(redirect(&urls::jury_entry_submit(entry_id)));
    }
    let now = ctx.now();
    let cfg = ctx.state.config.clone();
    match ctx
        .state
        .db
        .call(move |c| svc::submit_stored(c, &cfg, uid, entry_id, now))
        .await
    {
        Ok(Scored::Saved) => {
            // The organisers may have been told that the juror's list is complete.
            ctx.state.wake_mailer();
            ctx.flash("flash.score_submitted");
            Ok(redirect(&urls::jury()))
        }
        // A second confirmation (a double click): already submitted, which is what was asked.
        Ok(Scored::Refused(_, problems))
            if problems.iter().any(|(_, k)| *k == "jury.err_locked") =>
        {
            ctx.flash("flash.score_already_submitted");
            Ok(redirect(&urls::jury()))
        }
        Ok(Scored::Refused(found, problems)) => {
            let errors = score_errors(ctx.lang, &found.criteria, problems);
            invalid(&entry_page(&ctx, *found, None, errors))
        }
        Err(e) => refused(&ctx, e),
    }
}

// ---------------------------------------------------------------------------------------------
// The invitation

#[derive(Template)]
#[template(path = "jury/invite.html")]
struct InvitePage {
    layout: Layout,
    token: String,
    name: String,
    email: String,
    errors: Errors,
}

async fn invited(ctx: &Ctx, token: &str) -> Result<(String, String), LinkError> {
    let t = token.to_string();
    let now = ctx.now();
    ctx.state
        .db
        .call(move |c| svc::juror_invitation(c, &t, now))
        .await
}

fn dead_link(ctx: &Ctx, e: LinkError) -> Result<HttpResponse, AppError> {
    match e {
        LinkError::Dead(o) => super::auth::link_problem(ctx, o, (urls::login(), "nav.login")),
        LinkError::Db(e) => Err(e.into()),
    }
}

pub async fn invite_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    match invited(&ctx, &token).await {
        Ok((name, email)) => page(&InvitePage {
            layout: ctx.layout(),
            token,
            name,
            email,
            errors: Errors::new(ctx.lang),
        }),
        Err(e) => dead_link(&ctx, e),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AcceptForm {
    pub token: String,
    pub password: String,
    pub password_confirm: String,
}

pub async fn invite_post(ctx: Ctx, Form(form): Form<AcceptForm>) -> Result<HttpResponse, AppError> {
    let (name, email) = match invited(&ctx, &form.token).await {
        Ok(found) => found,
        Err(e) => return dead_link(&ctx, e),
    };
    let mut errors = Errors::new(ctx.lang);
    errors.check_new_password(&form.password, &form.password_confirm, &[&email, &name]);
    if !errors.is_empty() {
        return invalid(&InvitePage {
            layout: ctx.layout().errors(&errors),
            token: form.token,
            name,
            email,
            errors,
        });
    }
    let hash = ctx.state.passwords.hash(form.password.clone()).await?;
    let token = form.token.clone();
    let now = ctx.now();
    match ctx
        .state
        .db
        .run(move |c| svc::accept_invitation(c, &token, &hash, now))
        .await?
    {
        TokenOutcome::Done(uid) => {
            ctx.login(uid);
            ctx.flash("flash.welcome");
            Ok(redirect(&urls::jury()))
        }
        other => dead_link(&ctx, LinkError::Dead(other)),
    }
}
