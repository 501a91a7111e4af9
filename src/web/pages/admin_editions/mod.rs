//! Organisers set up editions: details and dates, categories, criteria, and the state steps.

mod categories;
mod criteria;
mod parts;

pub use categories::CategoryForm;
pub use criteria::CriterionForm;
pub use parts::{create as part_create, delete as part_delete, edit as part_edit};
pub use parts::{new as part_new, update as part_update};

use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::editions::{self, Category, Criterion, EditionData};
use crate::domain::edition::{self, EditionState, Facts, categories_editable, criteria_editable};
use crate::domain::roles::Role;
use crate::domain::time::{self, LocalTimeError};
use crate::domain::validate;
use crate::services::editions::{self as svc, EditionError, Template as Start};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::{EditionView, fmt_number};
use crate::web::pages::{SelectOption, options};
use crate::web::render::{invalid, page, redirect};

fn organiser(ctx: &Ctx) -> Result<i32, AppError> {
    Ok(ctx.require_role(Role::Organiser)?.id)
}

// ---------------------------------------------------------------------------------------------
// The list

#[derive(Template)]
#[template(path = "admin/editions/list.html")]
struct ListPage {
    layout: Layout,
    editions: Vec<EditionView>,
}

pub async fn list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let all = ctx.state.db.run(|c| Ok(editions::list_all(c)?)).await?;
    page(&ListPage {
        layout: ctx.layout(),
        editions: all.into_iter().map(EditionView::new).collect(),
    })
}

// ---------------------------------------------------------------------------------------------
// Edition details

#[derive(Deserialize, Default, Clone, Debug)]
#[serde(default)]
pub struct EditionForm {
    pub name: String,
    pub name_en: String,
    pub year: String,
    pub slug: String,
    pub opens_at: String,
    pub closes_at: String,
    pub judging_deadline: String,
    pub entries_per_category: String,
    /// Years after publication that personal data are kept (empty: the default).
    pub retention_years: String,
    pub rules: String,
    pub rules_en: String,
    pub template: String,
}

impl EditionForm {
    fn from_edition(e: &editions::Edition) -> EditionForm {
        EditionForm {
            name: e.name.clone(),
            name_en: e.name_en.clone(),
            year: e.year.to_string(),
            slug: e.slug.clone(),
            opens_at: time::to_input(e.opens_at),
            closes_at: time::to_input(e.closes_at),
            judging_deadline: time::to_input(e.judging_deadline),
            entries_per_category: e.entries_per_category.to_string(),
            retention_years: e.retention_years.to_string(),
            rules: e.rules.clone(),
            rules_en: e.rules_en.clone(),
            template: String::new(),
        }
    }

    fn validate(&self, errors: &mut Errors) -> Option<EditionData> {
        errors.check("name", validate::required(&self.name, 200));
        errors.check("name_en", validate::optional(&self.name_en, 200));
        let year = self
            .year
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|y| (2000..=2100).contains(y));
        if year.is_none() {
            errors.add("year", "edition.err_year");
        }
        let slug = self.slug.trim().to_lowercase();
        if !edition::valid_slug(&slug) {
            errors.add("slug", "edition.err_slug");
        }
        let mut when = |field: &'static str, v: &str| match time::parse_warsaw(v) {
            Ok(t) => Some(t),
            Err(LocalTimeError::Invalid) => {
                errors.add(field, "err.datetime");
                None
            }
            Err(LocalTimeError::Nonexistent) => {
                errors.add(field, "err.datetime_gap");
                None
            }
        };
        let opens = when("opens_at", &self.opens_at);
        let closes = when("closes_at", &self.closes_at);
        let judging = when("judging_deadline", &self.judging_deadline);
        if let (Some(o), Some(c), Some(j)) = (opens, closes, judging)
            && let Err(k) = edition::check_dates(o, c, j)
        {
            errors.add(
                if k == "edition.err_window" {
                    "closes_at"
                } else {
                    "judging_deadline"
                },
                k,
            );
        }
        let limit = self
            .entries_per_category
            .trim()
            .parse::<i32>()
            .ok()
            .filter(|n| (1..=20).contains(n));
        if limit.is_none() {
            errors.add("entries_per_category", "edition.err_limit");
        }
        let retention = match self.retention_years.trim() {
            "" => Some(crate::domain::retention::DEFAULT_YEARS),
            v => v
                .parse::<i32>()
                .ok()
                .filter(|n| (1..=crate::domain::retention::MAX_YEARS).contains(n)),
        };
        if retention.is_none() {
            errors.add("retention_years", "edition.err_retention");
        }
        errors.check("rules", validate::optional_text(&self.rules, 100_000));
        errors.check("rules_en", validate::optional_text(&self.rules_en, 100_000));
        if !errors.is_empty() {
            return None;
        }
        Some(EditionData {
            slug,
            name: validate::clean(&self.name),
            name_en: validate::clean(&self.name_en),
            year: year?,
            rules: self.rules.trim().to_string(),
            rules_en: self.rules_en.trim().to_string(),
            opens_at: opens?,
            closes_at: closes?,
            judging_deadline: judging?,
            entries_per_category: limit?,
            retention_years: retention?,
        })
    }
}

#[derive(Template)]
#[template(path = "admin/editions/new.html")]
struct NewPage {
    layout: Layout,
    form: EditionForm,
    templates: Vec<SelectOption>,
    errors: Errors,
}

async fn new_page(ctx: &Ctx, mut form: EditionForm, errors: Errors) -> Result<NewPage, AppError> {
    let all = ctx.state.db.run(|c| Ok(editions::list_all(c)?)).await?;
    let layout = ctx.layout().errors(&errors);
    if form.template.is_empty() {
        // Copying the latest edition is the usual start; a fresh installation gets the model.
        form.template = all
            .first()
            .map(|e| format!("copy:{}", e.id))
            .unwrap_or_else(|| "model".into());
    }
    let mut pairs: Vec<(String, String)> =
        vec![("model".into(), layout.t("edition.template_model").into())];
    for e in &all {
        pairs.push((
            format!("copy:{}", e.id),
            layout.tf1("edition.template_copy", "name", &e.name),
        ));
    }
    pairs.push(("empty".into(), layout.t("edition.template_empty").into()));
    let templates = options(
        pairs.iter().map(|(v, l)| (v.as_str(), l.as_str())),
        &form.template,
    );
    Ok(NewPage {
        layout,
        form,
        templates,
        errors,
    })
}

pub async fn new_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    // Sensible starting values: this year, one entry per category.
    let year = chrono::Datelike::year(&time::in_warsaw(ctx.now())).to_string();
    let form = EditionForm {
        year,
        entries_per_category: "1".into(),
        retention_years: crate::domain::retention::DEFAULT_YEARS.to_string(),
        ..Default::default()
    };
    page(&new_page(&ctx, form, Errors::new(ctx.lang)).await?)
}

fn edition_error(errors: &mut Errors, e: EditionError) -> Result<(), AppError> {
    match e {
        EditionError::Field(f, k) => {
            errors.add(f, k);
            Ok(())
        }
        EditionError::NotFound => Err(AppError::NotFound),
        EditionError::Db(e) => Err(e.into()),
    }
}

pub async fn new_post(ctx: Ctx, Form(form): Form<EditionForm>) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let mut errors = Errors::new(ctx.lang);
    let start = match form.template.as_str() {
        "model" => Some(Start::Model),
        "empty" => Some(Start::Empty),
        t => t
            .strip_prefix("copy:")
            .and_then(|id| id.parse().ok())
            .map(Start::CopyOf),
    };
    if start.is_none() {
        errors.add("template", "err.choose");
    }
    let data = form.validate(&mut errors);
    let (Some(data), Some(start)) = (data, start) else {
        return invalid(&new_page(&ctx, form, errors).await?);
    };
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::create(c, me, &data, start, now))
        .await
    {
        Ok(id) => {
            ctx.flash("flash.edition_created");
            Ok(redirect(&urls::admin_edition(id)))
        }
        Err(e) => {
            edition_error(&mut errors, e)?;
            invalid(&new_page(&ctx, form, errors).await?)
        }
    }
}

#[derive(Template)]
#[template(path = "admin/editions/show.html")]
struct ShowPage {
    layout: Layout,
    ed: EditionView,
    form: EditionForm,
    categories: Vec<Category>,
    criteria: Vec<Criterion>,
    facts: Facts,
    /// Entries arriving during the call, drawn per category (`None`: none yet).
    arrivals: Option<crate::web::pages::admin_charts::ArrivalsView>,
    /// The next state and, when it cannot be taken now, why.
    next: Option<(EditionState, Option<&'static str>)>,
    errors: Errors,
    state_error: Option<&'static str>,
}

impl ShowPage {
    fn categories_editable(&self) -> bool {
        categories_editable(self.ed.state)
    }

    fn criteria_editable(&self) -> bool {
        criteria_editable(self.ed.state)
    }

    fn weight(&self, c: &Criterion) -> String {
        fmt_number(c.weight, &self.layout)
    }
}

async fn show_page(
    ctx: &Ctx,
    id: i32,
    form: Option<EditionForm>,
    errors: Errors,
    state_error: Option<&'static str>,
) -> Result<ShowPage, AppError> {
    let (
        svc::Setup {
            edition: e,
            categories,
            criteria,
            facts,
        },
        arrivals,
    ) = ctx
        .state
        .db
        .run(move |c| {
            let Some(setup) = svc::setup(c, id)? else {
                return Ok(None);
            };
            let arrivals = crate::services::charts::edition_arrivals(c, &setup.edition)?;
            Ok(Some((setup, arrivals)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let ed = EditionView::new(e);
    let layout = ctx.layout().errors(&errors);
    let arrivals = crate::web::pages::admin_charts::arrivals(&arrivals, &categories, &layout);
    let next = ed
        .state
        .next()
        .map(|to| (to, edition::check_transition(&facts, to, layout.now).err()));
    let form = form.unwrap_or_else(|| EditionForm::from_edition(&ed.e));
    Ok(ShowPage {
        layout,
        ed,
        form,
        categories,
        criteria,
        facts,
        arrivals,
        next,
        errors,
        state_error,
    })
}

pub async fn show(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    page(&show_page(&ctx, id.into_inner(), None, Errors::new(ctx.lang), None).await?)
}

pub async fn update(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<EditionForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let mut errors = Errors::new(ctx.lang);
    let Some(data) = form.validate(&mut errors) else {
        return invalid(&show_page(&ctx, id, Some(form), errors, None).await?);
    };
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| svc::update(c, me, id, &data, now))
        .await
    {
        Ok(()) => {
            ctx.flash("flash.saved");
            Ok(redirect(&urls::admin_edition(id)))
        }
        Err(e) => {
            edition_error(&mut errors, e)?;
            invalid(&show_page(&ctx, id, Some(form), errors, None).await?)
        }
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct StateForm {
    pub to: String,
    /// `yes` from the confirmation page's button; anything else only leads there.
    pub confirm: String,
}

/// The confirmation before each step of the edition (none can be taken back): opening the
/// call, closing it, the start of judging (each juror with work is emailed: how many) and
/// publishing the results (where they appear; no email goes out by it). A step already taken
/// says so, with the way back.
pub async fn state_get(
    ctx: Ctx,
    id: web::Path<i32>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let Some(to) = EditionState::parse(&crate::web::pages::params(&req).to)
        .filter(|s| *s != EditionState::Draft)
    else {
        return Ok(redirect(&urls::admin_edition(id)));
    };
    let (setup, told, unassigned) = ctx
        .state
        .db
        .run(move |c| {
            let Some(setup) = svc::setup(c, id)? else {
                return Ok(None);
            };
            let told = crate::services::jury::judging_open_targets(c, id)?.len();
            let unassigned = crate::db::jury::accepted_unassigned(c, id)?;
            Ok(Some((setup, told, unassigned)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let e = &setup.edition;
    let p = ConfirmPage::new(&ctx, "", urls::admin_edition_state(id))
        .lead(l.pick(&e.name, &e.name_en).to_string())
        .hidden("to", to.as_str())
        .back(urls::admin_edition(id), l.t("confirm.edition_back"));
    let mut p = match to {
        EditionState::Draft | EditionState::Open => ConfirmPage {
            title: l.t("confirm.open_title").to_string(),
            ..p
        }
        .effect(l.t("confirm.open_effect"))
        .effect(l.t("confirm.no_undo"))
        .detail(l.t("confirm.opens_at"), time::format(e.opens_at, l))
        .detail(l.t("confirm.closes_at"), time::format(e.closes_at, l))
        .button(l.t("confirm.open_button")),
        EditionState::Closed => ConfirmPage {
            title: l.t("confirm.close_title").to_string(),
            ..p
        }
        .effect(l.t("confirm.close_effect"))
        .effect(l.t("confirm.no_undo"))
        .detail(l.t("confirm.closes_at"), time::format(e.closes_at, l))
        .detail(
            l.t("confirm.close_undecided"),
            setup.facts.undecided.to_string(),
        )
        .button(l.t("confirm.close_button")),
        EditionState::Judging => ConfirmPage {
            title: l.t("confirm.judging_title").to_string(),
            ..p
        }
        .effect(l.t("confirm.judging_effect"))
        .effect(l.t("confirm.judging_mail"))
        .detail(l.t("confirm.judging_told"), told.to_string())
        .detail(l.t("confirm.judging_unassigned"), unassigned.to_string())
        .detail(
            l.t("confirm.remind_deadline"),
            time::format(e.judging_deadline, l),
        )
        .button(l.t("confirm.judging_button")),
        EditionState::Published => ConfirmPage {
            title: l.t("confirm.publish_title").to_string(),
            ..p
        }
        .effect(l.t("confirm.publish_effect"))
        .effect(l.t("confirm.publish_no_mail"))
        .detail(
            l.t("confirm.results_page"),
            ctx.state.config.link(&urls::results(&e.slug)),
        )
        .button(l.t("confirm.publish_button")),
    };
    if to == EditionState::Judging && unassigned > 0 && e.state == EditionState::Closed {
        // Not a refusal (an entry can still be assigned during judging), but worth knowing.
        p = p.effect(l.t("confirm.judging_unassigned_warning"));
    }
    if let Some(key) = already(e.state, to) {
        p = p.refused(l.t(key));
    } else if let Err(key) = edition::check_transition(&setup.facts, to, ctx.now()) {
        p = p.refused(l.t(key));
    }
    p.render()
}

/// When the edition is already at `to` or past it: what to say instead of "stages follow in
/// order".
fn already(state: EditionState, to: EditionState) -> Option<&'static str> {
    let pos = |s: EditionState| EditionState::ALL.iter().position(|x| *x == s);
    if pos(state) < pos(to) {
        return None;
    }
    Some(match to {
        EditionState::Draft | EditionState::Open => "confirm.already_open",
        EditionState::Closed => "confirm.already_closed",
        EditionState::Judging => "confirm.already_judging",
        EditionState::Published => "confirm.already_published",
    })
}

pub async fn change_state(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<StateForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    let Some(to) = EditionState::parse(&form.to) else {
        return Err(AppError::BadRequest);
    };
    if form.confirm != "yes" {
        // Not confirmed: nothing changes; the confirmation page says what would.
        return Ok(redirect(&urls::with_query(
            urls::admin_edition_state(id),
            "to",
            to.as_str(),
        )));
    }
    let now = ctx.now();
    let cfg = ctx.state.config.clone();
    match ctx
        .state
        .db
        .call(move |c| svc::transition(c, &cfg, me, id, to, now))
        .await
    {
        Ok(()) => {
            ctx.state.wake_mailer();
            ctx.flash("flash.state_changed");
            Ok(redirect(&urls::admin_edition(id)))
        }
        Err(EditionError::Field(_, key)) => {
            // A second click after the step was taken: say so, change nothing.
            let state = ctx
                .state
                .db
                .run(move |c| svc::setup(c, id))
                .await?
                .map(|s| s.edition.state);
            if let Some(done) = state.and_then(|st| already(st, to)) {
                ctx.flash(done);
                return Ok(redirect(&urls::admin_edition(id)));
            }
            invalid(&show_page(&ctx, id, None, Errors::new(ctx.lang), Some(key)).await?)
        }
        Err(EditionError::NotFound) => Err(AppError::NotFound),
        Err(EditionError::Db(e)) => Err(e.into()),
    }
}
