//! Organisers run the jury: how the edition is judged, inviting jurors, their categories and
//! single entries, conflicts, progress, reminders, reopening a judgement.

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::editions::{Category, Criterion, JudgingSettings};
use crate::db::jury::{AssignedRow, ConflictRow};
use crate::domain::ranking::Aggregation;
use crate::domain::review::ReviewStatus;
use crate::domain::roles::Role;
use crate::domain::validate;
use crate::i18n::Lang;
use crate::services::jury::{self as svc, JurorSummary, JuryError};
use crate::services::results::{self, ResultsError};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::auth::mail_limit_message;
use crate::web::pages::confirm::ConfirmForm;
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::EditionView;
use crate::web::pages::jury::jury_error;
use crate::web::pages::{SelectOption, options};
use crate::web::render::{invalid, page, page_with_status, redirect};

fn organiser(ctx: &Ctx) -> Result<i32, AppError> {
    Ok(ctx.require_role(Role::Organiser)?.id)
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct InviteForm {
    pub name: String,
    pub email: String,
    pub affiliation: String,
    pub lang: String,
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct SettingsForm {
    #[serde(deserialize_with = "crate::web::form::checkbox")]
    pub blind_judging: bool,
    pub aggregation: String,
    pub tie_break_criterion_id: String,
    #[serde(deserialize_with = "crate::web::form::checkbox")]
    pub show_scores: bool,
}

#[derive(Template)]
#[template(path = "admin/jury.html")]
struct JuryPage {
    layout: Layout,
    ed: EditionView,
    categories: Vec<Category>,
    jurors: Vec<JurorSummary>,
    by_category: Vec<(String, i64, i64)>,
    /// Judging progress drawn per juror and per category (`None`: nothing assigned yet).
    juror_chart: Option<String>,
    category_chart: Option<String>,
    conflicts: Vec<ConflictRow>,
    juror_options: Vec<SelectOption>,
    institution_options: Vec<SelectOption>,
    aggregations: Vec<SelectOption>,
    tie_criteria: Vec<SelectOption>,
    settings: SettingsForm,
    invite: InviteForm,
    langs: Vec<SelectOption>,
    errors: Errors,
}

impl JuryPage {
    fn settings_locked(&self) -> bool {
        self.ed.is_judging() || self.ed.is_published()
    }

    /// Reminders are offered only while they may go out (judging open, before its deadline).
    fn can_remind(&self) -> bool {
        svc::reminders_allowed(&self.ed.e, self.layout.now).is_ok()
    }

    fn in_category(&self, j: &JurorSummary, c: &Category) -> bool {
        j.categories.contains(&c.id)
    }
}

async fn jury_page(
    ctx: &Ctx,
    id: i32,
    settings: Option<SettingsForm>,
    invite: InviteForm,
    errors: Errors,
) -> Result<JuryPage, AppError> {
    let svc::JuryOverview {
        edition: e,
        categories,
        criteria,
        jurors: rows,
        by_category,
        conflicts,
        institutions: insts,
    } = ctx
        .state
        .db
        .run(move |c| svc::jury_overview(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let layout = ctx.layout().errors(&errors);
    let by_category: Vec<(String, i64, i64)> = categories
        .iter()
        .zip(by_category)
        .map(|(c, (a, d))| {
            (
                format!("{} — {}", c.code, layout.pick(&c.name, &c.name_en)),
                a,
                d,
            )
        })
        .collect();
    let juror_chart = crate::web::pages::admin_charts::juror_progress(&rows, &layout);
    let category_chart = crate::web::pages::admin_charts::category_progress(&by_category, &layout);
    let juror_pairs: Vec<(String, String)> =
        std::iter::once((String::new(), layout.t("form.choose").to_string()))
            .chain(rows.iter().map(|j| (j.id.to_string(), j.name.clone())))
            .collect();
    let inst_pairs: Vec<(String, String)> =
        std::iter::once((String::new(), layout.t("form.choose").to_string()))
            .chain(insts.into_iter().map(|(i, n)| (i.to_string(), n)))
            .collect();
    let settings = settings.unwrap_or_else(|| SettingsForm {
        blind_judging: e.blind_judging,
        aggregation: e.aggregation.as_str().to_string(),
        tie_break_criterion_id: e
            .tie_break_criterion_id
            .map(|i| i.to_string())
            .unwrap_or_default(),
        show_scores: e.show_scores,
    });
    let aggregations = options(
        Aggregation::ALL
            .iter()
            .map(|a| (a.as_str(), layout.t(a.label_key()))),
        &settings.aggregation,
    );
    let crit_pairs: Vec<(String, String)> =
        std::iter::once((String::new(), layout.t("jury.no_tie_criterion").to_string()))
            .chain(criteria.iter().map(|c: &Criterion| {
                (
                    c.id.to_string(),
                    layout.pick(&c.name, &c.name_en).to_string(),
                )
            }))
            .collect();
    let tie_criteria = options(
        crit_pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())),
        &settings.tie_break_criterion_id,
    );
    let langs = options(
        Lang::ALL.iter().map(|l| (l.code(), l.native_name())),
        if invite.lang.is_empty() {
            "pl"
        } else {
            &invite.lang
        },
    );
    Ok(JuryPage {
        ed: EditionView::new(e),
        categories,
        juror_options: options(
            juror_pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())),
            "",
        ),
        institution_options: options(inst_pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())), ""),
        jurors: rows,
        by_category,
        juror_chart,
        category_chart,
        conflicts,
        aggregations,
        tie_criteria,
        settings,
        invite,
        langs,
        errors,
        layout,
    })
}

pub async fn show(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    page(
        &jury_page(
            &ctx,
            id.into_inner(),
            None,
            InviteForm::default(),
            Errors::new(ctx.lang),
        )
        .await?,
    )
}

pub async fn save_settings(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    let tie = match form.tie_break_criterion_id.trim() {
        "" => Some(None),
        v => v.parse::<i32>().ok().map(Some),
    };
    if tie.is_none() {
        errors.add("tie_break_criterion_id", "err.choose");
    }
    let aggregation = Aggregation::parse(&form.aggregation);
    if aggregation.is_none() {
        errors.add("aggregation", "err.choose");
    }
    if let (Some(tie), Some(aggregation)) = (tie, aggregation) {
        let s = JudgingSettings {
            blind_judging: form.blind_judging,
            aggregation,
            tie_break_criterion_id: tie,
            show_scores: form.show_scores,
        };
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| results::save_settings(c, me, id, &s, now))
            .await
        {
            Ok(()) => {
                ctx.flash("flash.saved");
                return Ok(redirect(&urls::admin_jury(id)));
            }
            Err(ResultsError::Refused(k)) => errors.add("aggregation", k),
            Err(ResultsError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(AppError::cause(e)),
        }
    }
    invalid(&jury_page(&ctx, id, Some(form), InviteForm::default(), errors).await?)
}

pub async fn invite(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<InviteForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    errors.check("name", validate::required(&form.name, 120));
    let email = validate::normalise_email(&form.email);
    errors.check("email", validate::email(&email));
    errors.check("affiliation", validate::optional(&form.affiliation, 200));
    let lang = Lang::from_code(&form.lang).unwrap_or(ctx.lang);
    if errors.is_empty() {
        let cfg = ctx.state.config.clone();
        let (name, aff) = (
            validate::clean(&form.name),
            validate::clean(&form.affiliation),
        );
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| svc::invite(c, &cfg, me, id, &name, &email, &aff, lang, now))
            .await
        {
            Ok(_) => {
                ctx.state.wake_mailer();
                ctx.flash("flash.juror_invited");
                return Ok(redirect(&urls::admin_jury(id)));
            }
            Err(JuryError::EmailTaken) => errors.add("email", "err.email_taken"),
            Err(JuryError::Throttled(until)) => {
                errors.add_text("email", mail_limit_message(&ctx, until));
                return page_with_status(
                    &jury_page(&ctx, id, None, form, errors).await?,
                    actix_web::http::StatusCode::TOO_MANY_REQUESTS,
                );
            }
            Err(e) => return Err(jury_error(e)),
        }
    }
    invalid(&jury_page(&ctx, id, None, form, errors).await?)
}

pub async fn reinvite(
    ctx: Ctx,
    path: web::Path<(i32, i32)>,
    _f: Form<CategoriesForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let (id, juror_id) = path.into_inner();
    let cfg = ctx.state.config.clone();
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::reinvite(c, &cfg, me, id, juror_id, now))
        .await
    {
        Ok(()) => {
            ctx.state.wake_mailer();
            ctx.flash("flash.juror_invited");
        }
        Err(JuryError::Fields(_)) => ctx.flash("jury.err_already_active"),
        Err(JuryError::Throttled(_)) => ctx.flash("jury.err_invite_limit"),
        Err(e) => return Err(jury_error(e)),
    }
    Ok(redirect(&urls::admin_jury(id)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CategoriesForm {
    pub category: Vec<String>,
}

pub async fn set_categories(
    ctx: Ctx,
    path: web::Path<(i32, i32)>,
    Form(form): Form<CategoriesForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let (id, juror_id) = path.into_inner();
    let wanted: Vec<i32> = form
        .category
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::set_categories(c, me, id, juror_id, &wanted, now))
        .await
    {
        Ok(()) => ctx.flash("flash.saved"),
        Err(JuryError::Closed(k)) => ctx.flash(k),
        Err(e) => return Err(jury_error(e)),
    }
    Ok(redirect(&urls::admin_jury(id)))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ConflictForm {
    pub juror_id: String,
    pub institution_id: String,
    pub reason: String,
}

pub async fn add_conflict(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<ConflictForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    let juror_id = form.juror_id.parse::<i32>().ok();
    let inst = form.institution_id.parse::<i32>().ok();
    if juror_id.is_none() {
        errors.add("juror_id", "err.choose");
    }
    if inst.is_none() {
        errors.add("institution_id", "err.choose");
    }
    errors.check("reason", validate::optional(&form.reason, 500));
    if let (Some(j), Some(i)) = (juror_id, inst)
        && errors.is_empty()
    {
        let reason = form.reason.trim().to_string();
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| svc::add_conflict(c, me, id, j, i, &reason, now))
            .await
        {
            Ok(()) => {
                ctx.flash("flash.conflict_saved");
                return Ok(redirect(&urls::at(urls::admin_jury(id), "conflicts")));
            }
            Err(JuryError::Fields(list)) => {
                for (f, k) in list {
                    errors.add_owned(f, k);
                }
            }
            Err(JuryError::Closed(k)) => errors.add("juror_id", k),
            Err(e) => return Err(jury_error(e)),
        }
    }
    invalid(&jury_page(&ctx, id, None, InviteForm::default(), errors).await?)
}

pub async fn remove_conflict(
    ctx: Ctx,
    id: web::Path<i32>,
    _f: Form<CategoriesForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let cid = id.into_inner();
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::remove_conflict(c, me, cid, now))
        .await
    {
        Ok(edition_id) => {
            ctx.flash("flash.deleted");
            Ok(redirect(&urls::at(
                urls::admin_jury(edition_id),
                "conflicts",
            )))
        }
        Err(JuryError::ClosedIn(edition_id, k)) => {
            ctx.flash(k);
            Ok(redirect(&urls::at(
                urls::admin_jury(edition_id),
                "conflicts",
            )))
        }
        Err(e) => Err(jury_error(e)),
    }
}

/// The confirmation before reminders: who gets one now (with the judgements left and the
/// message as they will read it), who was reminded recently and when, and the deadline; refused
/// (no button) outside judging or when nobody is due a reminder.
pub async fn remind_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    remind_page(&ctx, id.into_inner()).await
}

async fn remind_page(ctx: &Ctx, id: i32) -> Result<HttpResponse, AppError> {
    let now = ctx.now();
    let cfg = ctx.state.config.clone();
    let plan = ctx
        .state
        .db
        .run(move |c| svc::reminder_plan(c, &cfg, id, now))
        .await?
        .ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let mut p = ConfirmPage::new(ctx, l.t("confirm.remind_title"), urls::admin_remind(id))
        .lead(
            l.pick(&plan.edition.name, &plan.edition.name_en)
                .to_string(),
        )
        .button(l.t("confirm.remind_button"))
        .back(urls::admin_jury(id), l.t("confirm.remind_back"));
    if let Some(key) = plan.refused {
        p = p.refused(l.t(key));
    } else if plan.due.is_empty() && !plan.recent.is_empty() {
        p = p.refused(l.t("confirm.remind_all_recent"));
    } else if plan.due.is_empty() {
        p = p.refused(l.t("confirm.remind_nobody"));
    } else {
        p = p.effect(l.t("confirm.remind_effect"));
        if !plan.recent.is_empty() {
            p = p.effect(l.t("confirm.remind_recent_effect"));
        }
    }
    if plan.refused.is_none() {
        p = p
            .detail(l.t("confirm.remind_count"), plan.due.len().to_string())
            .detail(
                l.t("confirm.remind_recent_count"),
                plan.recent.len().to_string(),
            );
    }
    p = p.detail(
        l.t("confirm.remind_deadline"),
        crate::domain::time::format(plan.edition.judging_deadline, l),
    );
    if plan.refused.is_none() {
        let head = || {
            vec![
                l.t("confirm.remind_juror").to_string(),
                l.t("confirm.remind_left").to_string(),
            ]
        };
        if !plan.due.is_empty() {
            p = p.table(
                l.t("confirm.remind_list"),
                head(),
                plan.due
                    .iter()
                    .map(|r| vec![r.juror.name.clone(), r.left.to_string()])
                    .collect(),
            );
        }
        if !plan.recent.is_empty() {
            let mut h = head();
            h.push(l.t("confirm.remind_when").to_string());
            p = p.table(
                l.t("confirm.remind_recent_list"),
                h,
                plan.recent
                    .iter()
                    .map(|(u, left, at)| {
                        vec![
                            u.name.clone(),
                            left.to_string(),
                            crate::domain::time::format(*at, l),
                        ]
                    })
                    .collect(),
            );
        }
        for r in plan.due {
            p = p.preview(format!("{} — {}", r.juror.name, r.to.email), r.content);
        }
    }
    p.render()
}

/// The confirmed reminders; refused with the reason outside judging. Without the
/// confirmation's `confirm=yes` nothing is sent and the confirmation page is shown.
pub async fn remind(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    if f.confirm != "yes" {
        return remind_page(&ctx, id).await;
    }
    let cfg = ctx.state.config.clone();
    let now = ctx.now();
    let (n, recent) = match ctx
        .state
        .db
        .call(move |c| svc::remind(c, &cfg, me, id, now))
        .await
    {
        Ok(n) => n,
        Err(JuryError::ClosedIn(_, key)) => {
            let l = ctx.lang;
            return ConfirmPage::new(&ctx, l.t("confirm.remind_title"), urls::admin_remind(id))
                .back(urls::admin_jury(id), l.t("confirm.remind_back"))
                .refused(l.t(key))
                .render();
        }
        Err(e) => return Err(jury_error(e)),
    };
    if n > 0 {
        ctx.state.wake_mailer();
    }
    ctx.flash(if n > 0 {
        "flash.reminded"
    } else if recent > 0 {
        "confirm.remind_all_recent"
    } else {
        "flash.nobody_to_remind"
    });
    Ok(redirect(&urls::admin_jury(id)))
}

// ---------------------------------------------------------------------------------------------
// One juror's entries

#[derive(Template)]
#[template(path = "admin/juror.html")]
struct JurorPage {
    layout: Layout,
    ed: EditionView,
    juror: JurorSummary,
    /// Assignments, each with whether it is conflicted (see [`svc::JurorOverview`]).
    rows: Vec<(AssignedRow, bool)>,
    /// Accepted entries not assigned to this juror: (id, label).
    others: Vec<SelectOption>,
}

impl JurorPage {
    fn status_label(&self, s: &Option<ReviewStatus>) -> &'static str {
        self.layout
            .t(s.map_or("jury.status_todo", ReviewStatus::label_key))
    }
}

pub async fn juror(ctx: Ctx, path: web::Path<(i32, i32)>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let (id, juror_id) = path.into_inner();
    let ov = ctx
        .state
        .db
        .run(move |c| svc::juror_overview(c, id, juror_id))
        .await?
        .ok_or(AppError::NotFound)?;
    let layout = ctx.layout();
    let pairs: Vec<(String, String)> =
        std::iter::once((String::new(), layout.t("form.choose").to_string()))
            .chain(ov.others.into_iter().map(|(i, l)| (i.to_string(), l)))
            .collect();
    page(&JurorPage {
        ed: EditionView::new(ov.edition),
        juror: ov.juror,
        rows: ov.rows,
        others: options(pairs.iter().map(|(a, b)| (a.as_str(), b.as_str())), ""),
        layout,
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AssignForm {
    pub juror_id: String,
    pub entry_id: String,
    pub assign: String,
}

/// Adds or removes one entry from a juror's list (from the juror's page).
pub async fn assignment(
    ctx: Ctx,
    path: web::Path<(i32, i32)>,
    Form(form): Form<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let (id, juror_id) = path.into_inner();
    let Some(entry_id) = form.entry_id.parse::<i32>().ok() else {
        ctx.flash("jury.err_pick_entry");
        return Ok(redirect(&urls::admin_juror(id, juror_id)));
    };
    let assign = form.assign == "1";
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::set_assignment(c, me, id, entry_id, juror_id, assign, now))
        .await
    {
        Ok(()) => ctx.flash("flash.saved"),
        Err(JuryError::Closed(k)) => ctx.flash(k),
        Err(e) => return Err(jury_error(e)),
    }
    Ok(redirect(&urls::admin_juror(id, juror_id)))
}

/// Reopens a juror's submitted judgement.
pub async fn reopen(
    ctx: Ctx,
    path: web::Path<(i32, i32)>,
    Form(form): Form<AssignForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let (id, juror_id) = path.into_inner();
    let entry_id = form
        .entry_id
        .parse::<i32>()
        .map_err(|_| AppError::NotFound)?;
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::reopen(c, me, id, entry_id, juror_id, now))
        .await
    {
        Ok(_) => ctx.flash("flash.reopened"),
        Err(JuryError::Closed(k)) => ctx.flash(k),
        Err(e) => return Err(jury_error(e)),
    }
    Ok(redirect(&urls::admin_juror(id, juror_id)))
}
