//! The ranking proposal and the awards, the jury protocol, the score sheet, and announcing.

use std::fmt::Write as _;

use std::borrow::Borrow;
use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::editions::{Category, Edition};
use crate::db::jury::Review;
use crate::domain::awards::Award;
use crate::domain::csv::Csv;
use crate::domain::mail::OutboxStatus;
use crate::domain::ranking::{Ranked, SeparatedBy};
use crate::domain::roles::Role;
use crate::domain::validate;
use crate::i18n::Lang;
use crate::mail::Content;
use crate::services::results::{self, Board, Points, Protocol, ResultsError};
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::pages::admin_charts;
use crate::web::pages::confirm::ConfirmForm;
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::{EditionView, fmt_number, max_total};
use crate::web::render::{invalid, page, personal_page, redirect};

fn organiser(ctx: &Ctx) -> Result<i32, AppError> {
    Ok(ctx.require_role(Role::Organiser)?.id)
}

#[derive(Template)]
#[template(path = "admin/ranking.html")]
struct RankingPage {
    layout: Layout,
    ed: EditionView,
    b: Board,
    /// Every score by (entry, juror, criterion), for each entry's table of jurors' points.
    scores: Points,
    errors: Errors,
    /// The category whose form had the error, to keep its choices.
    failed: Option<Failed>,
}

/// A category's award form as it was sent, shown again with its error.
struct Failed {
    category_id: i32,
    picks: Vec<(i32, String)>,
    /// The order typed beside each entry, for mentions.
    orders: Vec<(i32, String)>,
    ex_aequo: bool,
}

impl RankingPage {
    fn num(&self, x: impl Borrow<Option<f64>>) -> String {
        x.borrow()
            .map(|v| fmt_number((v * 100.0).round() / 100.0, &self.layout))
            .unwrap_or_else(|| "—".into())
    }

    fn score(&self, r: &Ranked) -> String {
        self.num(r.score(self.b.agg()))
    }

    /// A juror's points for one criterion of the entry, "—" if none.
    fn points(
        &self,
        entry: impl Borrow<i32>,
        juror: impl Borrow<i32>,
        crit: impl Borrow<i32>,
    ) -> String {
        let (entry, juror, crit) = (*entry.borrow(), *juror.borrow(), *crit.borrow());
        self.scores
            .get(&(entry, juror, crit))
            .map_or_else(|| "—".into(), ToString::to_string)
    }

    fn total(&self, t: impl Borrow<f64>) -> String {
        fmt_number((*t.borrow() * 100.0).round() / 100.0, &self.layout)
    }

    /// A control's label with the entry's title, for the error summary ("Nagroda (Tytuł)").
    fn labelled(&self, key: &str, r: &Ranked) -> String {
        format!("{} ({})", self.layout.t(key), self.b.title(r))
    }

    /// The mention's order shown beside it: what was just typed (after an error), else the
    /// stored one ("" for places and entries without an award).
    fn order_value(&self, cat: &Category, entry_id: impl Borrow<i32>) -> String {
        let entry_id = *entry_id.borrow();
        match &self.failed {
            Some(f) if f.category_id == cat.id => f
                .orders
                .iter()
                .find(|(e, _)| *e == entry_id)
                .map(|(_, o)| o.clone())
                .unwrap_or_default(),
            _ => self
                .b
                .awards
                .get(&entry_id)
                .filter(|a| a.position > 0)
                .map(|a| a.position.to_string())
                .unwrap_or_default(),
        }
    }

    fn separated(&self, r: &Ranked) -> &'static str {
        match (r.tied, r.separated_by) {
            (true, _) => self.layout.t("ranking.tie"),
            (_, Some(SeparatedBy::Criterion)) => self.layout.t("ranking.by_criterion"),
            (_, Some(SeparatedBy::Median)) => self.layout.t("ranking.by_median"),
            _ => "",
        }
    }

    /// The award shown in the select: what was just typed (after an error), else what is stored.
    fn chosen(&self, cat: &Category, entry_id: impl Borrow<i32>) -> String {
        let entry_id = *entry_id.borrow();
        match &self.failed {
            Some(f) if f.category_id == cat.id => f
                .picks
                .iter()
                .find(|(e, _)| *e == entry_id)
                .map(|(_, a)| a.clone())
                .unwrap_or_default(),
            _ => self.b.award_of(entry_id).to_string(),
        }
    }

    fn ex_aequo(&self, cat: &Category) -> bool {
        match &self.failed {
            Some(f) if f.category_id == cat.id => f.ex_aequo,
            _ => self.b.ex_aequo(cat),
        }
    }

    fn award_options(&self) -> Vec<(&'static str, &'static str)> {
        std::iter::once(("", self.layout.t("award.none")))
            .chain(
                Award::ALL
                    .iter()
                    .map(|a| (a.as_str(), self.layout.t(a.label_key()))),
            )
            .collect()
    }

    fn locked(&self) -> bool {
        self.ed.e.protocol_finalised_at.is_some() || !self.ed.is_judging()
    }

    // charts
    fn distribution(&self, cat: &Category) -> Option<admin_charts::DistributionView> {
        admin_charts::distribution(&self.b, cat, &self.layout)
    }

    fn severity(&self) -> Option<admin_charts::SeverityView> {
        admin_charts::severity(&self.b, &self.layout)
    }
}

pub async fn ranking(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let (b, scores) = load_ranking(&ctx, id.into_inner()).await?;
    let p = RankingPage {
        layout: ctx.layout(),
        ed: EditionView::new(b.edition.clone()),
        b,
        scores,
        errors: Errors::new(ctx.lang),
        failed: None,
    };
    personal_page(&p, &p.layout)
}

pub async fn save_awards(
    ctx: Ctx,
    path: web::Path<(i32, i32)>,
    Form(form): Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let (id, category_id) = path.into_inner();
    let picks: Vec<(i32, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("award-")
                .and_then(|e| e.parse().ok())
                .map(|e| (e, v.clone()))
        })
        .collect();
    let orders: Vec<(i32, String)> = form
        .iter()
        .filter_map(|(k, v)| {
            k.strip_prefix("order-")
                .and_then(|e| e.parse().ok())
                .map(|e| (e, v.trim().to_string()))
        })
        .collect();
    let ex_aequo = form
        .iter()
        .any(|(k, v)| k == "ex_aequo" && v == crate::web::form::CHECKED);
    let mut errors = Errors::new(ctx.lang);
    let mut chosen = Vec::new();
    // One award per entry: a repeated field (a hand-made request) is refused on that entry.
    for (i, (entry, _)) in picks.iter().enumerate() {
        if picks[..i].iter().any(|(e, _)| e == entry) {
            errors.add_owned(format!("award-{entry}"), "err.choose");
        }
    }
    for (entry, a) in &picks {
        // The order beside an entry counts for mentions only: 1 to 999, or empty.
        let order = orders
            .iter()
            .find(|(e, _)| e == entry)
            .map_or("", |(_, o)| o.as_str());
        let wanted = match order.parse::<u32>() {
            Ok(n) if (1..=999).contains(&n) => Some(n),
            _ if order.is_empty() => None,
            _ => {
                errors.add_owned(format!("order-{entry}"), "award.err_order");
                None
            }
        };
        match (a.as_str(), Award::parse(a)) {
            ("", _) => {}
            (_, Some(aw)) => chosen.push((*entry, aw, wanted)),
            _ => errors.add_owned(format!("award-{entry}"), "err.choose"),
        }
    }
    let chosen = crate::domain::awards::with_positions(&chosen);
    if errors.is_empty() {
        let ch = chosen.clone();
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| results::set_awards(c, me, id, category_id, &ch, ex_aequo, now))
            .await
        {
            Ok(()) => {
                ctx.flash("flash.awards_saved");
                return Ok(redirect(&urls::at(
                    urls::admin_ranking(id),
                    &format!("cat-{category_id}"),
                )));
            }
            Err(ResultsError::DuplicatePlace(place)) => {
                let msg = ctx.lang.tf(
                    "award.err_duplicate",
                    &[("place", &ctx.t(place.label_key()))],
                );
                let first = chosen
                    .iter()
                    .find(|(_, a, _)| *a == place)
                    .map(|(e, _, _)| *e)
                    .unwrap_or(0);
                errors.add_text(&format!("award-{first}"), msg);
            }
            Err(ResultsError::Refused(k)) => errors.add("form", k),
            Err(ResultsError::NotFound) => return Err(AppError::NotFound),
            Err(ResultsError::Db(e)) => return Err(e.into()),
        }
    }
    let (b, scores) = load_ranking(&ctx, id).await?;
    invalid(&RankingPage {
        layout: ctx.layout().errors(&errors),
        ed: EditionView::new(b.edition.clone()),
        b,
        scores,
        errors,
        failed: Some(Failed {
            category_id,
            picks,
            orders,
            ex_aequo,
        }),
    })
}

// ---------------------------------------------------------------------------------------------
// The protocol

#[derive(Template)]
#[template(path = "admin/protocol.html")]
struct ProtocolPage {
    layout: Layout,
    ed: EditionView,
    p: Protocol,
    max_total: String,
}

impl ProtocolPage {
    fn num(&self, x: impl Borrow<Option<f64>>) -> String {
        x.borrow()
            .map(|v| fmt_number((v * 100.0).round() / 100.0, &self.layout))
            .unwrap_or_else(|| "—".into())
    }

    fn points(
        &self,
        entry: impl Borrow<i32>,
        juror: impl Borrow<i32>,
        crit: impl Borrow<i32>,
    ) -> String {
        let (entry, juror, crit) = (*entry.borrow(), *juror.borrow(), *crit.borrow());
        self.p
            .points
            .get(&(entry, juror, crit))
            .map_or_else(|| "—".into(), ToString::to_string)
    }

    fn jurors_of(&self, entry: impl Borrow<i32>) -> Vec<&Review> {
        let entry = *entry.borrow();
        self.p
            .reviews
            .iter()
            .filter(|r| r.entry_id == entry)
            .collect()
    }

    fn conflicted(&self, juror: impl Borrow<i32>, entry: impl Borrow<i32>) -> bool {
        self.p.conflicted(*juror.borrow(), *entry.borrow())
    }

    fn juror_cats(&self, juror: impl Borrow<i32>) -> String {
        let juror = *juror.borrow();
        self.p
            .juror_categories
            .iter()
            .filter(|(j, _)| *j == juror)
            .filter_map(|(_, c)| {
                self.p
                    .board
                    .categories
                    .iter()
                    .find(|x| x.id == *c)
                    .map(|x| x.code.clone())
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn declared(&self, juror: impl Borrow<i32>) -> String {
        let juror = *juror.borrow();
        self.p
            .declarations
            .iter()
            .find(|(j, _)| *j == juror)
            .map(|(_, t)| self.layout.time(t))
            .unwrap_or_else(|| "—".into())
    }

    fn jury(&self) -> Vec<(i32, String, String)> {
        let mut ids: Vec<i32> = self
            .p
            .juror_categories
            .iter()
            .map(|(j, _)| *j)
            .chain(self.p.reviews.iter().map(|r| r.juror_id))
            .collect();
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .map(|id| {
                let (n, a) = self.p.board.jurors.get(&id).cloned().unwrap_or_default();
                (id, n, a)
            })
            .collect()
    }

    fn tie_rule(&self) -> String {
        match self
            .ed
            .e
            .tie_break_criterion_id
            .and_then(|id| self.p.board.criteria.iter().find(|c| c.id == id))
        {
            Some(c) => self.layout.tf1(
                "ranking.tie_rule_criterion",
                "criterion",
                self.layout.pick(&c.name, &c.name_en),
            ),
            None => self.layout.t("ranking.tie_rule_median").to_string(),
        }
    }

    fn award_label(&self, entry: impl Borrow<i32>) -> &'static str {
        self.p
            .board
            .award(*entry.borrow())
            .map(|a| self.layout.t(a.label_key()))
            .unwrap_or("—")
    }

    fn decided_at(&self, entry: impl Borrow<i32>) -> String {
        self.p
            .board
            .awards
            .get(entry.borrow())
            .map(|a| self.layout.time(&a.decided_at))
            .unwrap_or_default()
    }
}

pub async fn protocol(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let p = load_protocol(&ctx, id.into_inner()).await?;
    let layout = ctx.layout();
    let max_total = fmt_number(max_total(&p.board.criteria), &layout);
    page(&ProtocolPage {
        layout,
        ed: EditionView::new(p.board.edition.clone()),
        p,
        max_total,
    })
}

/// The ranking page's board and points, or 404.
async fn load_ranking(ctx: &Ctx, id: i32) -> Result<(Board, results::Points), AppError> {
    ctx.state
        .db
        .run(move |c| results::ranking_page(c, id))
        .await?
        .ok_or(AppError::NotFound)
}

/// The protocol of an edition, or 404.
async fn load_protocol(ctx: &Ctx, id: i32) -> Result<Protocol, AppError> {
    ctx.state
        .db
        .run(move |c| results::protocol(c, id))
        .await?
        .ok_or(AppError::NotFound)
}

pub async fn finalise(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(f): Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    if f.confirm != "yes" {
        // Not confirmed: nothing changes; the confirmation page says what would.
        return Ok(redirect(&urls::admin_protocol_finalise(id)));
    }
    let now = ctx.now();
    match ctx
        .state
        .db
        .call(move |c| results::finalise_protocol(c, me, id, now))
        .await
    {
        Ok(()) => ctx.flash("flash.protocol_final"),
        Err(ResultsError::Refused(k)) => ctx.flash(k),
        Err(ResultsError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::cause(e)),
    }
    Ok(redirect(&urls::admin_protocol(id)))
}

/// The confirmation before the protocol is finalised: what it locks, the awards given and the
/// judgements still missing.
pub async fn finalise_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let plan = ctx
        .state
        .db
        .run(move |c| results::finalise_plan(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("confirm.protocol_title"),
        urls::admin_protocol_finalise(id),
    )
    .lead(
        l.pick(&plan.edition.name, &plan.edition.name_en)
            .to_string(),
    )
    .effect(l.t("confirm.protocol_effect"))
    .effect(l.t("confirm.protocol_publish"))
    .detail(l.t("confirm.protocol_awards"), plan.awards.to_string())
    .detail(l.t("confirm.protocol_unscored"), plan.left.to_string())
    .button(l.t("confirm.protocol_button"))
    .back(urls::admin_protocol(id), l.t("confirm.protocol_back"));
    if let Some(at) = plan.edition.protocol_finalised_at {
        p = p.refused(format!(
            "{}: {}",
            l.t("confirm.protocol_already"),
            crate::domain::time::format(at, l)
        ));
    } else if let Some(key) = plan.refused {
        p = p.refused(l.t(key));
    }
    p.render()
}

/// The full score sheet: one row per score.
pub async fn scores_csv(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let p = load_protocol(&ctx, id).await?;
    let b = &p.board;
    let l = ctx.lang;
    let mut out = Csv::new();
    out.row([
        "ID",
        l.t("entry.reference"),
        l.t("entry.category"),
        l.t("field.institution_name"),
        l.t("entry.title"),
        l.t("ranking.juror"),
        l.t("criterion.name"),
        l.t("ranking.points"),
        l.t("criterion.weight"),
        l.t("ranking.weighted"),
        l.t("ranking.review_status"),
        l.t("ranking.conflict"),
        l.t("ranking.comment"),
    ]);
    let cats: HashMap<i32, &str> = b
        .categories
        .iter()
        .map(|c| (c.id, c.code.as_str()))
        .collect();
    for s in &p.scores {
        let Some(en) = b.entries.get(&s.entry_id) else {
            continue;
        };
        let Some(cr) = b.criteria.iter().find(|c| c.id == s.criterion_id) else {
            continue;
        };
        let conflict = p.conflicted(s.juror_id, s.entry_id);
        let comment = p.comment(s.juror_id, s.entry_id);
        out.row([
            en.id.to_string(),
            en.reference().to_string(),
            cats.get(&en.category_id).copied().unwrap_or("").to_string(),
            en.institution.clone(),
            en.title.clone(),
            b.juror(s.juror_id),
            cr.name.clone(),
            s.points.to_string(),
            fmt_csv(cr.weight),
            fmt_csv(cr.weight * f64::from(s.points)),
            l.t(s.status.label_key()).to_string(),
            if conflict {
                l.t("ranking.yes").to_string()
            } else {
                String::new()
            },
            comment.to_string(),
        ]);
    }
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"oceny-{}.csv\"", b.edition.slug),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(out.finish()))
}

fn fmt_csv(x: f64) -> String {
    format!("{x:.2}").replace('.', ",")
}

// ---------------------------------------------------------------------------------------------
// Announcing

#[derive(Template)]
#[template(path = "admin/announce.html")]
struct AnnouncePage {
    layout: Layout,
    ed: EditionView,
    previews: Vec<(String, String, Content)>,
    participants: Vec<(String, Option<OutboxStatus>)>,
    snippet_text: String,
    snippet_html: String,
    extra: String,
    errors: Errors,
    /// How far the announcement got, per kind of recipient.
    progress: admin_charts::ProgressView,
}

impl AnnouncePage {
    fn reach_label(&self, s: &Option<OutboxStatus>) -> &'static str {
        self.layout.t(match s {
            Some(OutboxStatus::Sent) => "announce.reached",
            Some(OutboxStatus::Queued) => "announce.queued",
            Some(OutboxStatus::Failed) => "announce.failed",
            None => "announce.not_sent",
        })
    }

    fn reach_class(&self, s: &Option<OutboxStatus>) -> &'static str {
        match s {
            Some(OutboxStatus::Sent) => " tag-ok",
            Some(OutboxStatus::Failed) => " tag-error",
            _ => "",
        }
    }
}

/// The text and HTML a press release can use: per category, the laureates in order.
pub fn snippet(e: &Edition, rows: &[crate::db::awards::Laureate], l: Lang) -> (String, String) {
    let mut text = format!(
        "{}\n",
        match l {
            Lang::Pl => &e.name,
            Lang::En => &e.name_en,
        }
    );
    let mut html = String::new();
    let mut current = String::new();
    for (cat, line) in results::laureate_lines(rows, l) {
        let (head, award) = cat.rsplit_once(" — ").unwrap_or((&cat, ""));
        if head != current {
            if !current.is_empty() {
                html.push_str("</ul>\n");
            }
            let _ = write!(text, "\n{head}\n");
            let _ = write!(html, "<h3>{}</h3>\n<ul>\n", esc(head));
            current = head.to_string();
        }
        // A list item starts with a capital ("Wyróżnienie", "I miejsce"), and the line has one
        // kind of dash: "Wyróżnienie — Urząd … — Projekt", as in the emails.
        let award = upper_first(award);
        let _ = writeln!(text, "{award} — {line}");
        let _ = writeln!(
            html,
            "<li><strong>{}</strong> — {}</li>",
            esc(&award),
            esc(&line)
        );
    }
    if !current.is_empty() {
        html.push_str("</ul>\n");
    }
    (text, html)
}

fn upper_first(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

async fn announce_page(
    ctx: &Ctx,
    id: i32,
    extra: String,
    errors: Errors,
) -> Result<AnnouncePage, AppError> {
    let cfg = ctx.state.config.clone();
    let (a, progress) = ctx
        .state
        .db
        .run(move |c| {
            let Some(a) = results::announcement_preview(c, &cfg, id)? else {
                return Ok(None);
            };
            let p = crate::services::charts::announcement_progress_of(c, &a.edition)?;
            Ok(Some((a, p)))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let (snippet_text, snippet_html) = snippet(&a.edition, &a.laureates, ctx.lang);
    let layout = ctx.layout().errors(&errors);
    Ok(AnnouncePage {
        progress: admin_charts::progress(&progress, layout.lang),
        layout,
        ed: EditionView::new(a.edition),
        previews: a.previews,
        participants: a.participants,
        snippet_text,
        snippet_html,
        extra,
        errors,
    })
}

pub async fn announce_get(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    page(&announce_page(&ctx, id.into_inner(), String::new(), Errors::new(ctx.lang)).await?)
}

/// The announcement's progress as JSON, for the announce page's script: organisers only,
/// never cached.
pub async fn announce_progress(ctx: Ctx, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let p = ctx
        .state
        .db
        .run(move |c| crate::services::charts::announcement_progress(c, id))
        .await?
        .ok_or(AppError::NotFound)?;
    let body =
        serde_json::to_string(&admin_charts::progress(&p, ctx.lang)).map_err(AppError::cause)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body))
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AnnounceForm {
    pub extra: String,
    /// `yes` from the confirmation page's button; anything else only leads there.
    pub confirm: String,
}

pub async fn announce_post(
    ctx: Ctx,
    id: web::Path<i32>,
    Form(form): Form<AnnounceForm>,
) -> Result<HttpResponse, AppError> {
    let me = organiser(&ctx)?;
    let id = id.into_inner();
    if form.confirm != "yes" {
        // Not confirmed: nothing is sent; the confirmation page says what would be.
        let query = serde_html_form::to_string([("extra", form.extra.as_str())])
            .map_err(AppError::cause)?;
        return Ok(redirect(&format!(
            "{}?{query}",
            urls::admin_announce_confirm(id)
        )));
    }
    let mut errors = Errors::new(ctx.lang);
    let extra = extra_addresses(&form.extra).unwrap_or_else(|| {
        errors.add("extra", "announce.err_extra");
        Vec::new()
    });
    if errors.is_empty() {
        let cfg = ctx.state.config.clone();
        let now = ctx.now();
        match ctx
            .state
            .db
            .call(move |c| results::announce(c, &cfg, me, id, &extra, now))
            .await
        {
            Ok(_) => {
                ctx.state.wake_mailer();
                ctx.flash("flash.announced");
                return Ok(redirect(&urls::admin_announce(id)));
            }
            // A second click, or the same confirmation sent again: nothing more to send.
            Err(ResultsError::Refused(k @ "announce.err_already_sent")) => {
                ctx.flash(k);
                return Ok(redirect(&urls::admin_announce(id)));
            }
            Err(ResultsError::Refused(k)) => errors.add("form", k),
            Err(ResultsError::NotFound) => return Err(AppError::NotFound),
            Err(e) => return Err(AppError::cause(e)),
        }
    }
    invalid(&announce_page(&ctx, id, form.extra, errors).await?)
}

/// The confirmation before the announcement is sent: recipients per kind, and every message
/// as its recipient will read it.
#[derive(Template)]
#[template(path = "admin/announce_confirm.html")]
struct AnnounceConfirmPage {
    layout: Layout,
    ed: EditionView,
    /// Per kind: (label, institutions — or "—" for the press, recipients).
    rows: Vec<(&'static str, String, usize)>,
    total: usize,
    /// Per kind with messages: (label, [(address, message)]).
    groups: Vec<(&'static str, Vec<(String, Content)>)>,
    extra: String,
    refused: Option<&'static str>,
}

/// The extra addresses as typed: normalised, or `None` when any is not an address.
fn extra_addresses(typed: &str) -> Option<Vec<String>> {
    let extra: Vec<String> = typed
        .split([',', ';', '\n', ' '])
        .map(validate::normalise_email)
        .filter(|e| !e.is_empty())
        .collect();
    if extra.len() > 200 || extra.iter().any(|e| validate::email(e).is_err()) {
        None
    } else {
        Some(extra)
    }
}

pub async fn announce_confirm(
    ctx: Ctx,
    id: web::Path<i32>,
    req: actix_web::HttpRequest,
) -> Result<HttpResponse, AppError> {
    organiser(&ctx)?;
    let id = id.into_inner();
    let form: AnnounceForm = serde_html_form::from_str(req.query_string()).unwrap_or_default();
    let Some(extra) = extra_addresses(&form.extra) else {
        let mut errors = Errors::new(ctx.lang);
        errors.add("extra", "announce.err_extra");
        return invalid(&announce_page(&ctx, id, form.extra, errors).await?);
    };
    let cfg = ctx.state.config.clone();
    let results::AnnouncementPlan {
        edition,
        planned,
        refused,
    } = ctx
        .state
        .db
        .run(move |c| results::announcement_plan(c, &cfg, id, &extra))
        .await?
        .ok_or(AppError::NotFound)?;
    let l = ctx.lang;
    let rows = results::Audience::ALL
        .iter()
        .map(|a| {
            let of: Vec<&results::Planned> = planned.iter().filter(|m| m.audience == *a).collect();
            let mut insts: Vec<i32> = of.iter().filter_map(|m| m.institution).collect();
            insts.sort_unstable();
            insts.dedup();
            let institutions = if *a == results::Audience::Press {
                "—".to_string()
            } else {
                insts.len().to_string()
            };
            (l.t(a.label_key()), institutions, of.len())
        })
        .collect();
    let groups = results::Audience::ALL
        .iter()
        .map(|a| {
            let list: Vec<(String, Content)> = planned
                .iter()
                .filter(|m| m.audience == *a)
                .map(|m| {
                    let to = if m.institution_name.is_empty() {
                        m.to.email.clone()
                    } else {
                        format!("{} — {}", m.institution_name, m.to.email)
                    };
                    (to, m.content.clone())
                })
                .collect();
            (l.t(a.label_key()), list)
        })
        .filter(|(_, list)| !list.is_empty())
        .collect();
    let refused = refused.or_else(|| planned.is_empty().then_some("confirm.announce_nobody"));
    let p = AnnounceConfirmPage {
        layout: ctx.layout(),
        ed: EditionView::new(edition),
        rows,
        total: planned.len(),
        groups,
        extra: form.extra,
        refused,
    };
    if p.refused.is_some() {
        crate::web::render::page_with_status(&p, actix_web::http::StatusCode::CONFLICT)
    } else {
        page(&p)
    }
}
