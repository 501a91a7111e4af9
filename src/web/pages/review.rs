//! Organisers check entries formally: the list per edition with counts, each entry with the
//! accept / reject / return-for-correction decision, and the CSV export.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use crate::db::entries::{self, EntryRow, ListFilter};
use crate::domain::csv::Csv;
use crate::domain::entry::{self, EntryStatus};
use crate::domain::listing::{AwardFilter, ListQuery, SortKey};
use crate::domain::roles::Role;
use crate::domain::time::{self, LocalTimeError};
use crate::domain::validate;
use crate::services::entries::{self as svc, Decision, EntryError};
use crate::services::review;
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{CHECKED, Errors, Form};
use crate::web::pages::confirm::ConfirmPage;
use crate::web::pages::editions::EditionView;
use crate::web::pages::entries::{EntryView, load_view};
use crate::web::pages::{Pager, SelectOption, options, params};
use crate::web::render::{invalid, page, personal_page, redirect};

#[derive(Template)]
#[template(path = "admin/entries.html")]
struct ListPage {
    layout: Layout,
    ed: EditionView,
    rows: Vec<ListRow>,
    /// Per category: (category, submitted, accepted, returned, rejected, withdrawn, drafts).
    counts: Vec<(String, [i64; 6])>,
    category_options: Vec<SelectOption>,
    status_options: Vec<SelectOption>,
    /// Empty when the edition has no awards (and none is asked for): no award filter or column.
    award_options: Vec<SelectOption>,
    query: ListQuery,
    /// The column headers: label, link, `aria-sort`.
    headers: Vec<Header>,
    /// The CSV link, with the list's filters and order.
    csv_href: String,
    /// The list's state as hidden fields of the bulk form (carried to its confirmation).
    list_fields: Vec<(&'static str, String)>,
    /// Whether any entry on the page can be selected for accepting.
    selectable: bool,
    pager: Pager,
}

struct Header {
    label: &'static str,
    href: String,
    aria_sort: Option<&'static str>,
    /// ▲ or ▼ beside the sorted column's name (hidden from screen readers: `aria-sort` says it).
    arrow: &'static str,
}

struct ListRow {
    r: EntryRow,
    award: Option<&'static str>,
    /// The entry's page, with the list's state (for its previous / next and the way back).
    href: String,
    /// Shows a checkbox: submitted, and the call has closed.
    selectable: bool,
}

impl ListPage {
    fn status_label(&self, s: &EntryStatus) -> &'static str {
        self.layout.t(s.label_key())
    }
}

/// The list's state as hidden form fields (what `ListQuery::to_query` states).
fn list_fields(q: &ListQuery) -> Vec<(&'static str, String)> {
    serde_html_form::from_str::<Vec<(String, String)>>(&q.to_query())
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| {
            ["q", "category", "status", "award", "sort", "dir"]
                .into_iter()
                .find(|n| *n == k)
                .map(|n| (n, v))
        })
        .collect()
}

pub async fn list(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let p = params(&req);
    let query = ListQuery::parse(req.query_string());
    let filter = ListFilter::from_query(&query);
    let page_req = p.page_request(ctx.state.config.page_size);
    let list = ctx
        .state
        .db
        .run(move |c| review::entry_list(c, id, &filter, page_req))
        .await?
        .ok_or(AppError::NotFound)?;
    let (e, categories) = (list.edition, list.categories);
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
        &query.category.map(|c| c.to_string()).unwrap_or_default(),
    );
    let status_options = options(
        std::iter::once(("", layout.t("review.all_statuses"))).chain(
            EntryStatus::ALL
                .iter()
                .map(|s| (s.as_str(), layout.t(s.label_key()))),
        ),
        query.status.map(EntryStatus::as_str).unwrap_or(""),
    );
    let show_awards = list.has_awards || query.award.is_some();
    let award_options = if show_awards {
        options(
            std::iter::once(("", layout.t("entrylist.award_any"))).chain(
                AwardFilter::ALL
                    .iter()
                    .map(|a| (a.as_str(), layout.t(a.label_key()))),
            ),
            query.award.map(AwardFilter::as_str).unwrap_or(""),
        )
    } else {
        Vec::new()
    };
    let base = urls::admin_entries(id);
    let mut columns = vec![
        (SortKey::Reference, "entry.reference"),
        (SortKey::Category, "entry.category"),
        (SortKey::Institution, "field.institution_name"),
        (SortKey::Title, "entry.title"),
        (SortKey::Status, "entry.status"),
        (SortKey::Submitted, "entry.submitted_at"),
    ];
    if show_awards {
        columns.push((SortKey::Award, "entrylist.award"));
    }
    let headers = columns
        .into_iter()
        .map(|(k, label)| Header {
            label: layout.t(label),
            href: format!("{base}{}", query.sort_suffix(k)),
            aria_sort: query.aria_sort(k),
            arrow: match query.aria_sort(k) {
                Some("ascending") => "▲",
                Some(_) => "▼",
                None => "",
            },
        })
        .collect();
    let now = ctx.now();
    let suffix = query.suffix();
    let rows: Vec<ListRow> = list
        .rows
        .into_iter()
        .map(|(r, award)| ListRow {
            href: format!("{}{suffix}", urls::admin_entry(r.id)),
            selectable: entry::decidable(r.status, e.closes_at, now),
            award: award.map(|a| layout.t(a.label_key())),
            r,
        })
        .collect();
    let selectable = rows.iter().any(|r| r.selectable);
    // Checkboxes appear once the call has closed: a copy kept for this user expires then.
    layout.changes(e.closes_at);
    let p = ListPage {
        layout,
        csv_href: format!("{}{suffix}", urls::admin_entries_csv(id)),
        list_fields: list_fields(&query),
        ed: EditionView::new(e),
        rows,
        counts,
        category_options,
        status_options,
        award_options,
        headers,
        query,
        selectable,
        pager,
    };
    personal_page(&p, &p.layout)
}

/// The entries of an edition as CSV (UTF-8, semicolons: opens in a Polish spreadsheet).
/// With the list's filters in the URL, only the entries of that list, in its order.
pub async fn csv(ctx: Ctx, req: HttpRequest, id: web::Path<i32>) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let query = ListQuery::parse(req.query_string());
    let filter = (query != ListQuery::default()).then(|| ListFilter::from_query(&query));
    let review::Export { edition: e, rows } = ctx
        .state
        .db
        .run(move |c| review::export(c, id, filter.as_ref()))
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
    /// `yes` from the button "Accept and go to the next entry": accept (refused when rejecting
    /// or returning is chosen).
    pub accept_next: String,
}

#[derive(Template)]
#[template(path = "admin/entry.html")]
struct EntryPage {
    layout: Layout,
    v: EntryView,
    decidable: bool,
    form: DecisionForm,
    errors: Errors,
    /// The list this entry was opened from (with its page), and its neighbours there.
    list_href: String,
    prev_href: Option<String>,
    next_href: Option<String>,
    /// The decision form's action, carrying the list's state.
    action: String,
}

async fn entry_page(
    ctx: &Ctx,
    id: i32,
    query: &ListQuery,
    form: DecisionForm,
    errors: Errors,
) -> Result<EntryPage, AppError> {
    let e = ctx
        .state
        .db
        .run(move |c| Ok(entries::find(c, id)?))
        .await?
        .ok_or(AppError::NotFound)?;
    let (edition_id, size) = (e.edition_id, ctx.state.config.page_size);
    let filter = ListFilter::from_query(query);
    let pos = ctx
        .state
        .db
        .run(move |c| review::position(c, edition_id, id, &filter, size))
        .await?;
    let v = load_view(ctx, e).await?;
    let decidable = entry::decidable(v.status, v.ed.e.closes_at, ctx.now());
    let suffix = query.suffix();
    let mut list_query = query.to_query();
    if pos.page > 1 {
        if !list_query.is_empty() {
            list_query.push('&');
        }
        list_query.push_str("page=");
        list_query.push_str(&pos.page.to_string());
    }
    let list_href = if list_query.is_empty() {
        urls::admin_entries(edition_id)
    } else {
        format!("{}?{list_query}", urls::admin_entries(edition_id))
    };
    Ok(EntryPage {
        layout: ctx.layout().errors(&errors),
        v,
        decidable,
        form,
        errors,
        list_href,
        prev_href: pos
            .prev
            .map(|p| format!("{}{suffix}", urls::admin_entry(p))),
        next_href: pos
            .next
            .map(|n| format!("{}{suffix}", urls::admin_entry(n))),
        action: format!("{}{suffix}", urls::admin_entry_decision(id)),
    })
}

pub async fn show(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let query = ListQuery::parse(req.query_string());
    let form = DecisionForm {
        decision: "accept".into(),
        until: default_until(ctx.now()),
        ..Default::default()
    };
    page(&entry_page(&ctx, id.into_inner(), &query, form, Errors::new(ctx.lang)).await?)
}

pub async fn decide(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
    Form(form): Form<DecisionForm>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    let query = ListQuery::parse(req.query_string());
    let next_wanted = form.accept_next == CHECKED;
    let mut errors = Errors::new(ctx.lang);
    let reason = form.reason.trim().to_string();
    let decision = match form.decision.as_str() {
        // The accepting button with another decision chosen: which one was meant is unclear,
        // so nothing is decided (a rejection must not turn into an acceptance).
        "reject" | "return" if next_wanted => {
            errors.add("decision", "entrylist.err_accept_next_other");
            None
        }
        "" | "accept" if next_wanted => Some(Decision::Accept),
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
        let filter = ListFilter::from_query(&query);
        let size = ctx.state.config.page_size;
        // The next entry in the list as the organiser saw it, before this one may leave it.
        let next = if next_wanted {
            ctx.state
                .db
                .run(move |c| {
                    let Some(e) = entries::find(c, id)? else {
                        return Ok(None);
                    };
                    Ok(Some((
                        e.edition_id,
                        review::position(c, e.edition_id, id, &filter, size)?,
                    )))
                })
                .await?
        } else {
            None
        };
        match ctx
            .state
            .db
            .call(move |c| svc::decide(c, &cfg, me, id, &d, now))
            .await
        {
            Ok(()) => {
                ctx.state.wake_mailer();
                ctx.flash("flash.decision_saved");
                let suffix = query.suffix();
                return Ok(redirect(&match next {
                    Some((_, pos)) if pos.next.is_some() => {
                        format!("{}{suffix}", urls::admin_entry(pos.next.unwrap_or(id)))
                    }
                    Some((edition, _)) => format!("{}{suffix}", urls::admin_entries(edition)),
                    None => format!("{}{suffix}", urls::admin_entry(id)),
                }));
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
    invalid(&entry_page(&ctx, id, &query, form, errors).await?)
}

/// The entries selected on the list (`entry=ID`, repeated), with the list's state.
#[derive(Deserialize, Default)]
#[serde(default)]
pub struct Selection {
    entry: Vec<String>,
    confirm: String,
}

impl Selection {
    /// The ids selected; anything that is not a number is ignored, at most 1000.
    fn ids(&self) -> Vec<i32> {
        let mut v: Vec<i32> = self
            .entry
            .iter()
            .filter_map(|s| s.trim().parse().ok())
            .take(1000)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// The confirmation of accepting the selected entries: names every entry to be accepted and
/// every one that cannot be (left alone); one POST with the token does it.
pub async fn bulk_accept_get(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let sel: Selection = serde_html_form::from_str(req.query_string()).unwrap_or_default();
    let query = ListQuery::parse(req.query_string());
    let ids = sel.ids();
    let (ed, rows) = ctx
        .state
        .db
        .run(move |c| review::selected(c, id, &ids))
        .await?
        .ok_or(AppError::NotFound)?;
    let now = ctx.now();
    let l = ctx.lang;
    let (ok, left): (Vec<EntryRow>, Vec<EntryRow>) = rows
        .into_iter()
        .partition(|r| entry::decidable(r.status, ed.closes_at, now));
    let back = format!("{}{}", urls::admin_entries(id), query.suffix());
    let head = vec![
        l.t("entry.reference").to_string(),
        l.t("field.institution_name").to_string(),
        l.t("entry.title").to_string(),
        l.t("entry.status").to_string(),
    ];
    let table = |rows: &[EntryRow]| -> Vec<Vec<String>> {
        rows.iter()
            .map(|r| {
                vec![
                    r.reference().to_string(),
                    r.institution.clone(),
                    r.title.clone(),
                    l.t(r.status.label_key()).to_string(),
                ]
            })
            .collect()
    };
    let mut p = ConfirmPage::new(
        &ctx,
        l.t("entrylist.bulk_title"),
        format!("{}{}", urls::admin_entries_accept(id), query.suffix()),
    )
    .lead(l.pick(&ed.name, &ed.name_en))
    .button(l.t("entrylist.bulk_button"))
    .back(back, l.t("entrylist.back"));
    if ok.is_empty() {
        p = p.refused(if left.is_empty() {
            l.t("entrylist.bulk_none_selected")
        } else {
            l.t("entrylist.bulk_none_acceptable")
        });
    } else {
        p = p
            .effect(l.tn(
                "entrylist.bulk_effect",
                i64::try_from(ok.len()).unwrap_or(0),
            ))
            .effect(l.t("entrylist.bulk_emails"));
        for r in &ok {
            p = p.hidden("entry", r.id.to_string());
        }
        p = p.table(l.t("entrylist.bulk_to_accept"), head.clone(), table(&ok));
    }
    if !left.is_empty() {
        p = p.table(l.t("entrylist.bulk_left"), head, table(&left));
    }
    p.render()
}

#[derive(Template)]
#[template(path = "admin/bulk_accepted.html")]
struct BulkDonePage {
    layout: Layout,
    back: String,
    accepted: Vec<EntryRow>,
    left: Vec<EntryRow>,
}

impl BulkDonePage {
    fn status_label(&self, s: &EntryStatus) -> &'static str {
        self.layout.t(s.label_key())
    }
}

/// Accepts the selected entries in one transaction, then shows what was accepted and what was
/// left alone (decided meanwhile by someone else, withdrawn) on a page of its own.
pub async fn bulk_accept_post(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
    Form(sel): Form<Selection>,
) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let id = id.into_inner();
    let query = ListQuery::parse(req.query_string());
    if sel.confirm != "yes" {
        return Ok(redirect(&format!(
            "{}{}",
            urls::admin_entries(id),
            query.suffix()
        )));
    }
    let ids = sel.ids();
    let cfg = ctx.state.config.clone();
    let now = ctx.now();
    let done = match ctx
        .state
        .db
        .call(move |c| svc::accept_many(c, &cfg, me, id, &ids, now))
        .await
    {
        Ok(done) => done,
        Err(EntryError::NotFound) => return Err(AppError::NotFound),
        Err(e) => return Err(AppError::cause(e)),
    };
    if !done.accepted.is_empty() {
        ctx.state.wake_mailer();
    }
    let mut to = list_fields(&query)
        .into_iter()
        .map(|(k, v)| format!("{k}={}", urls::encode_query_value(&v)))
        .collect::<Vec<_>>();
    to.extend(done.accepted.iter().map(|e| format!("entry={}", e.id)));
    to.extend(done.left.iter().map(|e| format!("left={}", e.id)));
    Ok(redirect(&format!(
        "{}?{}",
        urls::admin_entries_accepted(id),
        to.join("&")
    )))
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct DoneParams {
    entry: Vec<String>,
    left: Vec<String>,
}

/// The page after a bulk accept: the entries accepted and those left alone, as they are now.
pub async fn bulk_accepted(
    ctx: Ctx,
    req: HttpRequest,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let id = id.into_inner();
    let query = ListQuery::parse(req.query_string());
    let p: DoneParams = serde_html_form::from_str(req.query_string()).unwrap_or_default();
    let parse = |v: &[String]| -> Vec<i32> {
        v.iter()
            .filter_map(|s| s.trim().parse().ok())
            .take(1000)
            .collect()
    };
    let (accepted_ids, left_ids) = (parse(&p.entry), parse(&p.left));
    let all: Vec<i32> = accepted_ids.iter().chain(&left_ids).copied().collect();
    let (_, rows) = ctx
        .state
        .db
        .run(move |c| review::selected(c, id, &all))
        .await?
        .ok_or(AppError::NotFound)?;
    // Only what is accepted now counts as accepted, whatever the address says.
    let (accepted, left): (Vec<EntryRow>, Vec<EntryRow>) = rows
        .into_iter()
        .partition(|r| accepted_ids.contains(&r.id) && r.status == EntryStatus::Accepted);
    let left = left
        .into_iter()
        .filter(|r| left_ids.contains(&r.id))
        .collect();
    page(&BulkDonePage {
        layout: ctx.layout(),
        back: format!("{}{}", urls::admin_entries(id), query.suffix()),
        accepted,
        left,
    })
}

/// The suggested correction deadline: a week from now, at the end of the day, Warsaw time.
pub fn default_until(now: chrono::NaiveDateTime) -> String {
    let t = now + chrono::Duration::days(7);
    format!("{}T23:59", time::in_warsaw(t).format("%Y-%m-%d"))
}
