//! Jurors: their entries with progress, the declaration, conflicts of interest, and the score
//! form; the invitation that sets a juror's password.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::editions::{self, Criterion, Edition};
use crate::db::jury::{self, AssignedRow, Review};
use crate::db::tokens::{self, Purpose, TokenState};
use crate::db::users;
use crate::domain::review::ReviewStatus;
use crate::domain::roles::Role;
use crate::domain::validate;
use crate::services::accounts::TokenOutcome;
use crate::services::jury::{self as svc, JuryError};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::editions::{EditionView, fmt_number, levels};
use crate::web::pages::entries::{EntryView, load_view};
use crate::web::pages::{SelectOption, options, params};
use crate::web::render::{invalid, page, page_with_status, redirect};

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
}

impl JurorEdition {
    pub fn progress(&self, l: &Layout) -> String {
        l.tf(
            "jury.progress",
            &[("done", &self.progress.1), ("total", &self.progress.0)],
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
        .run(move |c| {
            let mut out = Vec::new();
            for edition_id in jury::juror_editions(c, uid)? {
                let Some(e) = editions::find(c, edition_id)? else {
                    continue;
                };
                let declared_at = jury::declared_at(c, edition_id, uid)?;
                let rows = jury::assigned_to(c, uid, edition_id)?;
                let conflicts: Vec<i32> = jury::conflicts(c, edition_id)?
                    .into_iter()
                    .filter(|x| x.juror_id == uid)
                    .map(|x| x.institution_id)
                    .collect();
                let insts = jury::participating_institutions(c, edition_id)?;
                let progress = jury::progress_by_juror(c, edition_id)?
                    .into_iter()
                    .find(|(j, _, _)| *j == uid)
                    .map_or((0, 0), |(_, n, d)| (n, d));
                out.push((e, declared_at, rows, conflicts, insts, progress));
            }
            Ok(out)
        })
        .await?;
    let layout = ctx.layout().errors(&errors);
    let editions = list
        .into_iter()
        .map(|(e, declared_at, rows, conflicts, insts, progress)| {
            let pairs: Vec<(String, String)> =
                std::iter::once((String::new(), layout.t("form.choose").to_string()))
                    .chain(
                        insts
                            .into_iter()
                            .filter(|(id, _)| !conflicts.contains(id))
                            .map(|(id, n)| (id.to_string(), n)),
                    )
                    .collect();
            JurorEdition {
                ed: EditionView::new(e),
                declared_at,
                rows,
                conflicts,
                institutions: options(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())), ""),
                progress,
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
    page(&dashboard_page(&ctx, uid, Errors::new(ctx.lang)).await?)
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
    let assigned = ctx
        .state
        .db
        .run(move |c| Ok(jury::juror_editions(c, uid)?.contains(&edition_id)))
        .await?;
    if !assigned {
        return Err(AppError::NotFound);
    }
    let now = ctx.now();
    ctx.state
        .db
        .call(move |c| svc::declare(c, uid, edition_id, now))
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
            .call(move |c| {
                // Only in an edition where this juror judges something.
                if !jury::juror_editions(c, uid)?.contains(&edition_id) {
                    return Err(JuryError::NotFound);
                }
                svc::add_conflict(c, uid, edition_id, uid, inst, &reason, now)
            })
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
}

impl EntryPage {
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

/// Opens the entry for this juror, or answers why not (a page, never a bare error).
async fn open(
    ctx: &Ctx,
    uid: i32,
    entry_id: i32,
) -> Result<Result<(crate::db::entries::Entry, Edition), HttpResponse>, AppError> {
    match ctx
        .state
        .db
        .call(move |c| svc::open_entry(c, uid, entry_id))
        .await
    {
        Ok(found) => Ok(Ok(found)),
        Err(JuryError::NeedsDeclaration(_)) => {
            ctx.flash("jury.need_declaration");
            Ok(Err(redirect(&urls::jury())))
        }
        Err(JuryError::Conflicted) => Ok(Err(page_with_status(
            &RefusedPage {
                layout: ctx.layout(),
                title: ctx.t("jury.conflict_title"),
                message: ctx.t("jury.conflict_text"),
            },
            actix_web::http::StatusCode::FORBIDDEN,
        )?)),
        Err(JuryError::Closed(key)) => Ok(Err(page_with_status(
            &RefusedPage {
                layout: ctx.layout(),
                title: ctx.t("jury.closed_title"),
                message: ctx.t(key),
            },
            actix_web::http::StatusCode::FORBIDDEN,
        )?)),
        Err(e) => Err(jury_error(e)),
    }
}

async fn entry_page(
    ctx: &Ctx,
    uid: i32,
    e: crate::db::entries::Entry,
    ed: Edition,
    typed: Option<(Vec<(i32, String)>, String)>,
    errors: Errors,
) -> Result<EntryPage, AppError> {
    let (eid, ed_id) = (e.id, ed.id);
    let (criteria, review, stored) = ctx
        .state
        .db
        .run(move |c| {
            let criteria = editions::criteria(c, ed_id)?;
            let review = jury::review(c, eid, uid)?;
            let stored = match &review {
                Some(r) => jury::scores_of(c, r.id)?,
                None => Vec::new(),
            };
            Ok((criteria, review, stored))
        })
        .await?;
    let closed = svc::judging_open(&ed, ctx.now()).err();
    let (values, comment) = match typed {
        Some(t) => t,
        None => (
            stored.iter().map(|(id, p)| (*id, p.to_string())).collect(),
            review
                .as_ref()
                .map(|r| r.comment.clone())
                .unwrap_or_default(),
        ),
    };
    let v = load_view(ctx, e).await?;
    Ok(EntryPage {
        layout: ctx.layout().errors(&errors),
        v,
        criteria,
        review,
        values,
        comment,
        errors,
        closed,
    })
}

pub async fn entry(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let (e, ed) = match open(&ctx, uid, id.into_inner()).await? {
        Ok(found) => found,
        Err(res) => return Ok(res),
    };
    page(&entry_page(&ctx, uid, e, ed, None, Errors::new(ctx.lang)).await?)
}

pub async fn score(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let uid = juror(&ctx)?;
    let entry_id = id.into_inner();
    let (e, ed) = match open(&ctx, uid, entry_id).await? {
        Ok(found) => found,
        Err(res) => return Ok(res),
    };
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
    let submit = get("action") == "submit";
    let (t, cm) = (typed.clone(), comment.clone());
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::save(c, uid, entry_id, &t, &cm, submit, now))
        .await
    {
        Ok(()) if submit => {
            ctx.flash("flash.score_submitted");
            Ok(redirect(&urls::jury()))
        }
        Ok(()) => {
            ctx.flash("flash.saved");
            Ok(redirect(&urls::jury_entry(entry_id)))
        }
        Err(err) => {
            let mut errors = Errors::new(ctx.lang);
            match err {
                JuryError::Fields(list) => {
                    for (f, k) in list {
                        errors.add_owned(f, k);
                    }
                }
                JuryError::Locked => errors.add("form", "jury.err_locked"),
                JuryError::Closed(k) => errors.add("form", k),
                other => return Err(jury_error(other)),
            }
            invalid(&entry_page(&ctx, uid, e, ed, Some((typed, comment)), errors).await?)
        }
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

async fn invited(
    ctx: &Ctx,
    token: &str,
) -> Result<Result<(String, String), TokenOutcome>, AppError> {
    let t = token.to_string();
    let now = ctx.now();
    Ok(ctx
        .state
        .db
        .run(move |c| {
            let (state, tok) = tokens::check(c, Purpose::InviteJuror, &t, now)?;
            let user = match (&state, tok.and_then(|t| t.user_id)) {
                (TokenState::Valid, Some(uid)) => users::find(c, uid)?,
                _ => None,
            };
            Ok(match (state, user) {
                (TokenState::Valid, Some(u)) => Ok((u.name, u.email)),
                (TokenState::Expired, _) => Err(TokenOutcome::Expired),
                (TokenState::Used, _) => Err(TokenOutcome::Used),
                _ => Err(TokenOutcome::Unknown),
            })
        })
        .await?)
}

#[derive(Template)]
#[template(path = "auth/message.html")]
struct LinkPage {
    layout: Layout,
    title: &'static str,
    paragraphs: Vec<String>,
    links: Vec<(String, &'static str)>,
}

fn dead_link(ctx: &Ctx, o: TokenOutcome) -> Result<HttpResponse, AppError> {
    let text = match o {
        TokenOutcome::Expired => "link.expired",
        TokenOutcome::Used => "link.used",
        _ => "link.unknown",
    };
    page_with_status(
        &LinkPage {
            layout: ctx.layout(),
            title: ctx.t("link.title"),
            paragraphs: vec![ctx.t(text).to_string()],
            links: vec![(urls::login(), "nav.login")],
        },
        actix_web::http::StatusCode::GONE,
    )
}

pub async fn invite_get(ctx: Ctx, req: HttpRequest) -> Result<HttpResponse, AppError> {
    let token = params(&req).token;
    match invited(&ctx, &token).await? {
        Ok((name, email)) => page(&InvitePage {
            layout: ctx.layout(),
            token,
            name,
            email,
            errors: Errors::new(ctx.lang),
        }),
        Err(o) => dead_link(&ctx, o),
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
    let (name, email) = match invited(&ctx, &form.token).await? {
        Ok(found) => found,
        Err(o) => return dead_link(&ctx, o),
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
    let (token, pw) = (form.token.clone(), form.password.clone());
    let now = ctx.now();
    match ctx
        .state
        .db
        .run(move |c| svc::accept_invitation(c, &token, &pw, now))
        .await?
    {
        TokenOutcome::Done(uid) => {
            ctx.login(uid);
            ctx.flash("flash.welcome");
            Ok(redirect(&urls::jury()))
        }
        other => dead_link(&ctx, other),
    }
}
