//! The published results of an edition: a page at a permanent address, in both languages, and
//! the same as CSV and JSON.

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Serialize;

use crate::db::awards::Laureate;
use crate::db::editions::{Category, Edition};
use crate::domain::csv::Csv;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::pages::editions::EditionView;
use crate::web::render::public_page;

/// One category's results: places in order, then honourable mentions.
pub struct CategoryResults {
    pub category: Category,
    pub places: Vec<Laureate>,
    pub mentions: Vec<Laureate>,
}

pub fn group(categories: Vec<Category>, rows: &[Laureate]) -> Vec<CategoryResults> {
    categories
        .into_iter()
        .map(|cat| {
            let mut places: Vec<Laureate> = rows
                .iter()
                .filter(|r| r.category_id == cat.id && r.award.is_place())
                .cloned()
                .collect();
            places.sort_by_key(|r| (r.award, r.institution.clone()));
            let mentions = rows
                .iter()
                .filter(|r| r.category_id == cat.id && !r.award.is_place())
                .cloned()
                .collect();
            CategoryResults {
                category: cat,
                places,
                mentions,
            }
        })
        .collect()
}

async fn published(ctx: &Ctx, slug: String) -> Result<(Edition, Vec<CategoryResults>), AppError> {
    let p = ctx
        .state
        .db
        .call(move |c| crate::services::results::published(c, &slug))
        .await?
        .ok_or(AppError::NotFound)?;
    let (e, cats, rows) = (p.edition, p.categories, p.laureates);
    Ok((e, group(cats, &rows)))
}

#[derive(Template)]
#[template(path = "editions/results.html")]
struct ResultsPage {
    layout: Layout,
    ed: EditionView,
    results: Vec<CategoryResults>,
}

impl ResultsPage {
    fn place(&self, r: &Laureate) -> &'static str {
        self.layout.t(r.award.label_key())
    }
}

pub async fn show(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (e, results) = published(&ctx, slug.into_inner()).await?;
    let p = ResultsPage {
        layout: ctx.layout(),
        ed: EditionView::new(e),
        results,
    };
    public_page(&p, &p.layout)
}

pub async fn csv(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (e, results) = published(&ctx, slug.into_inner()).await?;
    let l = ctx.lang;
    let mut out = Csv::new();
    out.row([
        l.t("entry.category"),
        l.t("category.name"),
        l.t("results.award"),
        l.t("field.institution_name"),
        l.t("entry.title"),
        l.t("entry.reference"),
    ]);
    for r in &results {
        for x in r.places.iter().chain(r.mentions.iter()) {
            let award = l.t(x.award.label_key());
            let name = if l == crate::i18n::Lang::En && !x.category_name_en.is_empty() {
                &x.category_name_en
            } else {
                &x.category_name
            };
            out.row([
                x.category_code.as_str(),
                name,
                award,
                &x.institution,
                &x.title,
                x.ref_no.as_deref().unwrap_or(""),
            ]);
        }
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"wyniki-{}.csv\"", e.slug),
        ))
        .body(out.finish()))
}

#[derive(Serialize)]
struct JsonResults<'a> {
    competition: &'a str,
    edition: &'a str,
    edition_en: &'a str,
    slug: &'a str,
    published_at: Option<String>,
    categories: Vec<JsonCategory<'a>>,
}

#[derive(Serialize)]
struct JsonCategory<'a> {
    code: &'a str,
    name: &'a str,
    name_en: &'a str,
    places: Vec<JsonAward<'a>>,
    mentions: Vec<JsonAward<'a>>,
}

#[derive(Serialize)]
struct JsonAward<'a> {
    place: Option<u8>,
    ex_aequo: bool,
    institution: &'a str,
    project: &'a str,
    reference: Option<&'a str>,
}

pub async fn json(ctx: Ctx, slug: web::Path<String>) -> Result<HttpResponse, AppError> {
    fn award(x: &Laureate) -> JsonAward<'_> {
        JsonAward {
            place: x.award.is_place().then(|| x.award.order()),
            ex_aequo: x.ex_aequo,
            institution: &x.institution,
            project: &x.title,
            reference: x.ref_no.as_deref(),
        }
    }
    let (e, results) = published(&ctx, slug.into_inner()).await?;
    let body = JsonResults {
        competition: crate::i18n::Lang::Pl.t("site.name"),
        edition: &e.name,
        edition_en: &e.name_en,
        slug: &e.slug,
        published_at: e
            .results_published_at
            .map(|t| crate::domain::time::in_warsaw(t).to_rfc3339()),
        categories: results
            .iter()
            .map(|r| JsonCategory {
                code: &r.category.code,
                name: &r.category.name,
                name_en: &r.category.name_en,
                places: r.places.iter().map(award).collect(),
                mentions: r.mentions.iter().map(award).collect(),
            })
            .collect(),
    };
    let text = serde_json::to_string_pretty(&body).map_err(AppError::cause)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .body(text))
}
