//! The organisers' charts: from what a page already read to the SVG of `web::chart` and the
//! table of the same numbers shown below it. `None` means nothing to draw: the page says so in
//! a sentence instead of an empty chart.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use crate::db::editions::Category;
use crate::services::charts::Arrivals;
use crate::services::jury::JurorSummary;
use crate::services::results::Board;
use crate::web::chart::{self, Band, Bar, Frame, Range, Timeline};
use crate::web::ctx::Layout;
use crate::web::pages::editions::{fmt_number, max_total};

fn num(x: f64, l: &Layout) -> String {
    fmt_number((x * 100.0).round() / 100.0, l)
}

fn short_date(d: NaiveDate, l: &Layout) -> String {
    match l.lang {
        crate::i18n::Lang::Pl => format!("{:02}.{:02}", d.day(), d.month()),
        crate::i18n::Lang::En => format!("{} {}", d.day(), MONTHS[d.month0() as usize % 12]),
    }
}

fn long_date(d: NaiveDate, l: &Layout) -> String {
    match l.lang {
        crate::i18n::Lang::Pl => format!("{}.{}", short_date(d, l), d.year()),
        crate::i18n::Lang::En => format!("{} {}", short_date(d, l), d.year()),
    }
}

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// At most this many characters of a label in a chart (the table has the full text).
fn clip(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn pct(done: i64, total: i64) -> i64 {
    if total > 0 {
        (done * 100 + total / 2) / total
    } else {
        0
    }
}

// ---------------------------------------------------------------------------------------------
// Entries arriving during the call (the edition's page)

pub struct ArrivalsView {
    /// Per category with entries: (heading, SVG).
    pub charts: Vec<(String, String)>,
    /// The table's category columns (codes).
    pub codes: Vec<String>,
    /// Per day with submissions: (date, count per category in `codes` order, running total).
    pub rows: Vec<(String, Vec<i64>, i64)>,
    pub total: i64,
}

pub fn arrivals(a: &Arrivals, cats: &[Category], l: &Layout) -> Option<ArrivalsView> {
    if a.total == 0 {
        return None;
    }
    let day = |i: i64| a.first_day + chrono::Duration::days(i);
    let deadline = long_date(day(a.deadline_day), l);
    let deadline_label = format!(
        "{} {}",
        l.t("charts.deadline"),
        short_date(day(a.deadline_day), l)
    );
    let mut ticks = vec![(0, short_date(a.first_day, l))];
    if a.days > 0 {
        ticks.push((a.days, short_date(day(a.days), l)));
    }
    let charts = cats
        .iter()
        .filter_map(|c| {
            let points = a.per_category.get(&c.id)?;
            let total = points.last().map_or(0, |p| p.1);
            let heading = format!(
                "{} {} {}",
                l.t("edition.category"),
                c.code,
                l.quote(l.pick(&c.name, &c.name_en))
            );
            let desc = l.tf(
                "charts.arrivals_desc",
                &[
                    ("opens", &long_date(a.first_day, l)),
                    ("closes", &deadline),
                    ("n", &total),
                ],
            );
            let title = l.tf("charts.arrivals_title", &[("code", &c.code)]);
            let svg = chart::timeline(
                &Frame {
                    id: &format!("arrivals-{}", c.id),
                    title: &title,
                    desc: &desc,
                },
                &Timeline {
                    days: a.days,
                    points,
                    deadline: Some((a.deadline_day, &deadline_label)),
                    ticks: &ticks,
                    total_text: &total.to_string(),
                },
            );
            Some((heading, svg))
        })
        .collect();
    let shown: Vec<&Category> = cats
        .iter()
        .filter(|c| a.per_category.contains_key(&c.id))
        .collect();
    let mut running = 0;
    let rows = a
        .per_day
        .iter()
        .map(|(d, by_cat): &(i64, HashMap<i32, i64>)| {
            let counts: Vec<i64> = shown
                .iter()
                .map(|c| by_cat.get(&c.id).copied().unwrap_or(0))
                .collect();
            running += by_cat.values().sum::<i64>();
            (long_date(day(*d), l), counts, running)
        })
        .collect();
    Some(ArrivalsView {
        charts,
        codes: shown.iter().map(|c| c.code.clone()).collect(),
        rows,
        total: a.total,
    })
}

// ---------------------------------------------------------------------------------------------
// Judging progress (the jury page)

fn progress_bar(label: &str, done: i64, total: i64, l: &Layout) -> Bar {
    Bar {
        label: clip(label, 34),
        value: done as f64,
        max: total as f64,
        text: l.tf(
            "charts.of",
            &[
                ("done", &done),
                ("total", &total),
                ("pct", &pct(done, total)),
            ],
        ),
    }
}

/// Bars of judgements submitted out of those to give, per juror with work.
pub fn juror_progress(jurors: &[JurorSummary], l: &Layout) -> Option<String> {
    let rows: Vec<Bar> = jurors
        .iter()
        .filter(|j| j.assigned > 0)
        .map(|j| progress_bar(&j.name, j.done, j.assigned, l))
        .collect();
    (!rows.is_empty()).then(|| {
        chart::bars(
            &Frame {
                id: "progress-jurors",
                title: l.t("charts.progress_jurors_title"),
                desc: l.t("charts.progress_jurors_desc"),
            },
            &rows,
        )
    })
}

/// Bars of judgements submitted out of those to give, per category with work.
pub fn category_progress(by_category: &[(String, i64, i64)], l: &Layout) -> Option<String> {
    let rows: Vec<Bar> = by_category
        .iter()
        .filter(|(_, a, _)| *a > 0)
        .map(|(name, a, d)| progress_bar(name, *d, *a, l))
        .collect();
    (!rows.is_empty()).then(|| {
        chart::bars(
            &Frame {
                id: "progress-categories",
                title: l.t("charts.progress_categories_title"),
                desc: l.t("charts.progress_categories_desc"),
            },
            &rows,
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Score distribution per category and the jurors' severity (the ranking page)

/// Above this many scored entries a category's distribution is drawn as a histogram.
pub const MAX_ROWS: usize = 40;
const BINS: usize = 10;

fn scale_ticks(max: f64, l: &Layout) -> Vec<(f64, String)> {
    [0.0, max / 2.0, max]
        .into_iter()
        .map(|v| (v, num(v, l)))
        .collect()
}

pub struct DistributionView {
    pub svg: String,
    /// One row per scored entry: (rank, reference, title, mean, min, max); empty when binned.
    pub rows: Vec<(usize, String, String, String, String, String)>,
    /// Per bin of the mean: (range, entries); empty when every entry has its row.
    pub bins: Vec<(String, usize)>,
}

/// Each scored entry's mean with its lowest and highest juror's total, in ranking order; a
/// histogram of the means above `MAX_ROWS` entries.
pub fn distribution(b: &Board, cat: &Category, l: &Layout) -> Option<DistributionView> {
    let scored: Vec<_> = b
        .ranking
        .iter()
        .filter(|r| r.category_id == cat.id)
        .filter_map(|r| Some((r, r.mean?, r.min?, r.max?)))
        .collect();
    if scored.is_empty() {
        return None;
    }
    let max = max_total(&b.criteria);
    let max = if max > 0.0 {
        max
    } else {
        scored.iter().map(|s| s.3).fold(1.0, f64::max)
    };
    let id = format!("dist-{}", cat.id);
    let title = l.tf("charts.distribution_title", &[("code", &cat.code)]);
    if scored.len() > MAX_ROWS {
        let means: Vec<f64> = scored.iter().map(|s| s.1).collect();
        let counts = chart::histogram(&means, max, BINS);
        let step = max / BINS as f64;
        let peak = counts.iter().copied().max().unwrap_or(0).max(1) as f64;
        let bins: Vec<(String, usize)> = counts
            .iter()
            .enumerate()
            .map(|(i, k)| {
                (
                    l.tf(
                        "charts.bin",
                        &[
                            ("from", &num(step * i as f64, l)),
                            ("to", &num(step * (i + 1) as f64, l)),
                        ],
                    ),
                    *k,
                )
            })
            .collect();
        let bars: Vec<Bar> = bins
            .iter()
            .map(|(label, k)| Bar {
                label: label.clone(),
                value: *k as f64,
                max: peak,
                text: l.tn("charts.entries_n", *k),
            })
            .collect();
        let desc = l.tf(
            "charts.histogram_desc",
            &[("step", &num(step, l)), ("n", &scored.len())],
        );
        let svg = chart::bars(
            &Frame {
                id: &id,
                title: &title,
                desc: &desc,
            },
            &bars,
        );
        return Some(DistributionView {
            svg,
            rows: Vec::new(),
            bins,
        });
    }
    let ranges: Vec<Range> = scored
        .iter()
        .map(|(r, mean, min, max)| Range {
            label: clip(
                &format!("{}. {} {}", r.rank, b.reference(r), b.title(r)),
                30,
            ),
            mean: *mean,
            low: *min,
            high: *max,
            text: l.tf(
                "charts.range_value",
                &[
                    ("mean", &num(*mean, l)),
                    ("min", &num(*min, l)),
                    ("max", &num(*max, l)),
                ],
            ),
        })
        .collect();
    let desc = l.tf("charts.distribution_desc", &[("max", &num(max, l))]);
    let svg = chart::ranges(
        &Frame {
            id: &id,
            title: &title,
            desc: &desc,
        },
        max,
        &ranges,
        None,
        &scale_ticks(max, l),
    );
    let rows = scored
        .iter()
        .map(|(r, mean, min, max)| {
            (
                r.rank,
                b.reference(r).to_string(),
                b.title(r).to_string(),
                num(*mean, l),
                num(*min, l),
                num(*max, l),
            )
        })
        .collect();
    Some(DistributionView {
        svg,
        rows,
        bins: Vec::new(),
    })
}

pub struct SeverityView {
    pub svg: String,
    /// Per juror, most lenient first: (name, judgements, mean, standard deviation, difference
    /// from the jury's mean with its sign).
    pub rows: Vec<(String, usize, String, String, String)>,
    /// The whole jury: (judgements, mean, standard deviation).
    pub jury: (usize, String, String),
}

/// Each juror's mean weighted total and its spread against the whole jury's, over the
/// judgements the ranking counts.
pub fn severity(b: &Board, l: &Layout) -> Option<SeverityView> {
    let mut per: HashMap<i32, Vec<f64>> = HashMap::new();
    let mut all: Vec<f64> = Vec::new();
    for r in &b.ranking {
        for (j, t) in &r.totals {
            per.entry(*j).or_default().push(*t);
            all.push(*t);
        }
    }
    let (jm, jsd) = chart::mean_sd(&all)?;
    let mut stats: Vec<(String, usize, f64, f64)> = per
        .iter()
        .filter_map(|(j, v)| {
            let (m, sd) = chart::mean_sd(v)?;
            Some((b.juror(*j), v.len(), m, sd))
        })
        .collect();
    stats.sort_by(|a, b| {
        b.2.partial_cmp(&a.2)
            .unwrap_or(std::cmp::Ordering::Equal)
            .then_with(|| a.0.cmp(&b.0))
    });
    let max = max_total(&b.criteria);
    let max = if max > 0.0 {
        max
    } else {
        all.iter().copied().fold(1.0, f64::max)
    };
    let ranges: Vec<Range> = stats
        .iter()
        .map(|(name, _, m, sd)| Range {
            label: clip(name, 30),
            mean: *m,
            low: m - sd,
            high: m + sd,
            text: l.tf(
                "charts.sev_value",
                &[("mean", &num(*m, l)), ("sd", &num(*sd, l))],
            ),
        })
        .collect();
    let desc = l.tf(
        "charts.severity_desc",
        &[("mean", &num(jm, l)), ("sd", &num(jsd, l))],
    );
    let svg = chart::ranges(
        &Frame {
            id: "severity",
            title: l.t("charts.severity_title"),
            desc: &desc,
        },
        max,
        &ranges,
        Some(&Band {
            mean: jm,
            low: jm - jsd,
            high: jm + jsd,
        }),
        &scale_ticks(max, l),
    );
    let signed = |d: f64| {
        let d = (d * 100.0).round() / 100.0;
        if d > 0.0 {
            format!("+{}", num(d, l))
        } else if d < 0.0 {
            format!("−{}", num(-d, l))
        } else {
            "0".into()
        }
    };
    Some(SeverityView {
        svg,
        rows: stats
            .iter()
            .map(|(name, k, m, sd)| (name.clone(), *k, num(*m, l), num(*sd, l), signed(m - jm)))
            .collect(),
        jury: (all.len(), num(jm, l), num(jsd, l)),
    })
}

// ---------------------------------------------------------------------------------------------
// The announcement's progress (the announce page and its JSON)

/// One kind of recipient's messages by how far they got.
#[derive(serde::Serialize)]
pub struct AudienceProgress {
    pub audience: &'static str,
    pub label: &'static str,
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub total: i64,
}

/// The announcement's progress as the page shows it and the JSON endpoint gives it.
#[derive(serde::Serialize)]
pub struct ProgressView {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
    pub total: i64,
    /// Whether anything is still queued (the page's script polls while it is).
    pub active: bool,
    /// The sentence of the page's live region.
    pub text: String,
    pub audiences: Vec<AudienceProgress>,
}

/// In the language `l` (not through the layout: the JSON request must not take the session's
/// flash message meant for the next page).
pub fn progress(
    p: &crate::services::charts::AnnouncementProgress,
    l: crate::i18n::Lang,
) -> ProgressView {
    use crate::services::results::Audience;
    let t = p.all;
    let text = if t.total() == 0 {
        l.t("progress.none").to_string()
    } else {
        l.tf(
            "progress.status",
            &[
                ("sent", &t.sent),
                ("total", &t.total()),
                ("queued", &t.queued),
                ("failed", &t.failed),
            ],
        )
    };
    ProgressView {
        queued: t.queued,
        sent: t.sent,
        failed: t.failed,
        total: t.total(),
        active: t.queued > 0,
        text,
        audiences: p
            .by_audience
            .iter()
            .map(|(a, x)| AudienceProgress {
                audience: match a {
                    Audience::Laureates => "laureates",
                    Audience::Participants => "participants",
                    Audience::Press => "press",
                },
                label: l.t(a.label_key()),
                queued: x.queued,
                sent: x.sent,
                failed: x.failed,
                total: x.total(),
            })
            .collect(),
    }
}
