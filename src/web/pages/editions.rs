//! Public pages of the competition's editions: the list, and each call with its categories,
//! criteria, scoring formula and rules, at a permanent address.

use actix_web::{HttpResponse, web};
use askama::Template;

use crate::db::editions::{self, Category, Criterion, Edition};
use crate::domain::edition::EditionState;
use crate::domain::markdown;
use crate::services::editions as svc;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::render::public_page;

/// An edition as pages show it.
pub struct EditionView {
    pub e: Edition,
    pub state: EditionState,
}

impl EditionView {
    pub fn new(e: Edition) -> EditionView {
        let state = e.state;
        EditionView { e, state }
    }

    pub fn name<'a>(&'a self, l: &Layout) -> &'a str {
        l.pick(&self.e.name, &self.e.name_en)
    }

    pub fn state_label(&self, l: &Layout) -> &'static str {
        l.t(self.state.label_key())
    }

    pub fn is_judging(&self) -> bool {
        self.state == EditionState::Judging
    }

    pub fn is_published(&self) -> bool {
        self.state == EditionState::Published
    }

    /// Entries are accepted now (state and window).
    pub fn accepting(&self, l: &Layout) -> bool {
        l.changes(self.e.opens_at);
        l.changes(self.e.closes_at);
        crate::domain::edition::accepting_entries(
            self.state,
            self.e.opens_at,
            self.e.closes_at,
            l.now,
        )
    }

    pub fn not_yet_open(&self, l: &Layout) -> bool {
        l.changes(self.e.opens_at);
        self.state == EditionState::Open && l.now < self.e.opens_at
    }
}

/// A criterion's level descriptions, one per line ("5: nowe w regionie").
pub fn levels(text: &str) -> Vec<(String, String)> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| match l.split_once(':') {
            Some((p, d)) => (p.trim().to_string(), d.trim().to_string()),
            None => (String::new(), l.to_string()),
        })
        .collect()
}

/// The most an entry can score: the sum of each criterion's maximum times its weight.
pub fn max_total(criteria: &[Criterion]) -> f64 {
    criteria
        .iter()
        .map(|c| f64::from(c.max_points) * c.weight)
        .sum()
}

pub fn fmt_number(x: f64, l: &Layout) -> String {
    let s = if (x - x.round()).abs() < 1e-9 {
        format!("{:.0}", x.round())
    } else {
        format!("{x:.2}").trim_end_matches('0').to_string()
    };
    match l.lang {
        crate::i18n::Lang::Pl => s.replace('.', ","),
        crate::i18n::Lang::En => s,
    }
}

#[derive(Template)]
#[template(path = "editions/list.html")]
struct ListPage {
    layout: Layout,
    editions: Vec<EditionView>,
}

pub async fn list(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let list = ctx.state.db.run(|c| Ok(editions::list_public(c)?)).await?;
    let p = ListPage {
        layout: ctx.layout(),
        editions: list.into_iter().map(EditionView::new).collect(),
    };
    public_page(&p, &p.layout)
}

#[derive(Template)]
#[template(path = "editions/show.html")]
struct ShowPage {
    layout: Layout,
    ed: EditionView,
    categories: Vec<Category>,
    criteria: Vec<Criterion>,
    rules_html: String,
    /// The page is in English but the rules exist only in Polish: a note, and `lang="pl"`.
    rules_pl_only: bool,
    max_total: String,
}

impl ShowPage {
    fn levels(&self, c: &Criterion) -> Vec<(String, String)> {
        levels(self.layout.pick(&c.levels, &c.levels_en))
    }

    fn weight(&self, c: &Criterion) -> String {
        fmt_number(c.weight, &self.layout)
    }
}

pub async fn show(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let slug = slug.into_inner();
    let organiser = ctx
        .user
        .as_ref()
        .is_some_and(|u| u.is(crate::domain::roles::Role::Organiser));
    let call = ctx
        .state
        .db
        .call(move |c| svc::public_call(c, &slug, organiser))
        .await?
        .ok_or(AppError::NotFound)?;
    let (ed, categories, criteria) = (
        EditionView::new(call.edition),
        call.categories,
        call.criteria,
    );
    let layout = ctx.layout();
    let rules_html = markdown::render(layout.pick(&ed.e.rules, &ed.e.rules_en));
    let rules_pl_only = ctx.lang == crate::i18n::Lang::En && ed.e.rules_en.trim().is_empty();
    let max_total = fmt_number(max_total(&criteria), &layout);
    let p = ShowPage {
        layout,
        ed,
        categories,
        criteria,
        rules_html,
        rules_pl_only,
        max_total,
    };
    public_page(&p, &p.layout)
}
