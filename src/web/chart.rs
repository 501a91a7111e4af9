//! Charts drawn on the server as inline SVG: pure functions from numbers (and the caller's
//! already translated, formatted labels) to markup. Every chart is `role="img"` with a `<title>`
//! and a `<desc>` it is labelled and described by; pages show the same numbers in a table next
//! to it. Nothing is told by colour alone: values are written beside their marks, a mean is a
//! dot and a range a line with end ticks, a reference band is hatched and a deadline dashed and
//! labelled. No `style` attribute (the CSP): presentation attributes and classes of
//! `assets/style.css`. The viewBox is narrow (400 units) so the text stays readable at 390 px.

use std::fmt::Write as _;

/// The width of every chart's viewBox.
pub const WIDTH: f64 = 400.0;
const PAD: f64 = 8.0;
const FONT: f64 = 13.0;

/// Escapes text for SVG (XML) content and attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// Only letters, digits and `-` in an element id (ids are made by the pages, never typed).
fn clean_id(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// A number for an attribute: finite, two decimals at most.
fn n(x: f64) -> String {
    let x = if x.is_finite() { x } else { 0.0 };
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// What every chart says about itself: its element id (unique on the page), its title and a
/// sentence describing what it shows.
pub struct Frame<'a> {
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
}

fn open(out: &mut String, f: &Frame, height: f64) {
    let id = clean_id(f.id);
    let _ = write!(
        out,
        r#"<svg class="chart" id="{id}" role="img" viewBox="0 0 {w} {h}" width="100%" aria-labelledby="{id}-t" aria-describedby="{id}-d" xmlns="http://www.w3.org/2000/svg"><title id="{id}-t">{t}</title><desc id="{id}-d">{d}</desc>"#,
        w = n(WIDTH),
        h = n(height),
        t = esc(f.title),
        d = esc(f.desc),
    );
}

fn text(out: &mut String, x: f64, y: f64, anchor: &str, class: &str, s: &str) {
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" text-anchor="{anchor}" class="{class}" font-size="{}">{}</text>"#,
        n(x),
        n(y),
        n(FONT),
        esc(s)
    );
}

/// One bar: a part of a whole ("3 of 5 judged"), its label and the text written beside it.
pub struct Bar {
    pub label: String,
    pub value: f64,
    pub max: f64,
    /// The numbers as words beside the bar ("3 / 5 (60%)").
    pub text: String,
}

const BAR_ROW: f64 = 40.0;

/// Horizontal bars, each on its own row: the label above, the track (the whole) with its filled
/// part, the value written at the end of the row. A zero or missing whole draws an empty track.
pub fn bars(f: &Frame, rows: &[Bar]) -> String {
    let height = PAD * 2.0 + BAR_ROW * rows.len() as f64;
    let mut out = String::new();
    open(&mut out, f, height);
    let track = WIDTH - 2.0 * PAD;
    for (i, b) in rows.iter().enumerate() {
        let y = PAD + BAR_ROW * i as f64;
        text(&mut out, PAD, y + FONT, "start", "chart-label", &b.label);
        text(
            &mut out,
            WIDTH - PAD,
            y + FONT,
            "end",
            "chart-value",
            &b.text,
        );
        let share = if b.max > 0.0 && b.value.is_finite() {
            (b.value / b.max).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let _ = write!(
            out,
            r#"<rect class="chart-track" x="{x}" y="{y}" width="{w}" height="14"/>"#,
            x = n(PAD),
            y = n(y + 19.0),
            w = n(track)
        );
        if share > 0.0 {
            let _ = write!(
                out,
                r#"<rect class="chart-fill" x="{x}" y="{y}" width="{w}" height="14"/>"#,
                x = n(PAD),
                y = n(y + 19.0),
                w = n(track * share)
            );
        }
    }
    out.push_str("</svg>");
    out
}

/// One row of a range chart: a mean (a dot) between a low and a high end (a line with ticks).
pub struct Range {
    pub label: String,
    pub mean: f64,
    pub low: f64,
    pub high: f64,
    /// The numbers as words beside the label ("7,5 (6–9)").
    pub text: String,
}

/// A band across every row (the jury's mean and spread), hatched, its mean dashed.
pub struct Band {
    pub mean: f64,
    pub low: f64,
    pub high: f64,
}

const RANGE_ROW: f64 = 36.0;
const AXIS: f64 = 24.0;

/// Rows of ranges on one scale from `0` to `max`: each row's label and numbers above a line from
/// its low to its high value with a dot at its mean; an optional hatched band (with a dashed
/// line at its mean) behind all rows; the scale's ticks (`ticks` labelled values) below.
pub fn ranges(
    f: &Frame,
    max: f64,
    rows: &[Range],
    band: Option<&Band>,
    ticks: &[(f64, String)],
) -> String {
    let max = if max.is_finite() && max > 0.0 {
        max
    } else {
        1.0
    };
    let top = PAD;
    let height = top + RANGE_ROW * rows.len() as f64 + AXIS + PAD;
    let span = WIDTH - 2.0 * PAD - 8.0;
    let x = |v: f64| PAD + 4.0 + span * (v / max).clamp(0.0, 1.0);
    let bottom = top + RANGE_ROW * rows.len() as f64;
    let mut out = String::new();
    open(&mut out, f, height);
    let id = clean_id(f.id);
    if let Some(b) = band {
        let _ = write!(
            out,
            r#"<defs><pattern id="{id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><line class="chart-hatch" x1="0" y1="0" x2="0" y2="6" stroke-width="3"/></pattern></defs>"#
        );
        let (lo, hi) = (x(b.low.min(b.high)), x(b.high.max(b.low)));
        // Behind each row's line only, so the labels above stay on a plain background.
        for i in 0..rows.len() {
            let _ = write!(
                out,
                r#"<rect class="chart-band" x="{}" y="{}" width="{}" height="16" fill="url(#{id}-hatch)"/>"#,
                n(lo),
                n(top + RANGE_ROW * i as f64 + 17.0),
                n((hi - lo).max(1.0)),
            );
        }
        let _ = write!(
            out,
            r#"<line class="chart-ref" x1="{m}" y1="{}" x2="{m}" y2="{}" stroke-dasharray="4 3"/>"#,
            n(top),
            n(bottom),
            m = n(x(b.mean))
        );
    }
    for (i, r) in rows.iter().enumerate() {
        let y = top + RANGE_ROW * i as f64;
        text(&mut out, PAD, y + FONT, "start", "chart-label", &r.label);
        text(
            &mut out,
            WIDTH - PAD,
            y + FONT,
            "end",
            "chart-value",
            &r.text,
        );
        let cy = y + 25.0;
        let (lo, hi) = (x(r.low.min(r.high)), x(r.high.max(r.low)));
        let _ = write!(
            out,
            r#"<path class="chart-range" d="M{lo} {cy}H{hi}M{lo} {t}V{b}M{hi} {t}V{b}" stroke-width="2"/>"#,
            lo = n(lo),
            hi = n(hi),
            cy = n(cy),
            t = n(cy - 5.0),
            b = n(cy + 5.0),
        );
        let _ = write!(
            out,
            r#"<circle class="chart-mean" cx="{}" cy="{}" r="4.5"/>"#,
            n(x(r.mean)),
            n(cy)
        );
    }
    axis(&mut out, bottom, ticks, &x);
    out.push_str("</svg>");
    out
}

fn axis(out: &mut String, y: f64, ticks: &[(f64, String)], x: &dyn Fn(f64) -> f64) {
    let _ = write!(
        out,
        r#"<line class="chart-axis" x1="{}" y1="{y}" x2="{}" y2="{y}"/>"#,
        n(PAD),
        n(WIDTH - PAD),
        y = n(y + 2.0)
    );
    let last = ticks.len().saturating_sub(1);
    for (i, (v, label)) in ticks.iter().enumerate() {
        let tx = x(*v);
        let _ = write!(
            out,
            r#"<line class="chart-axis" x1="{tx}" y1="{}" x2="{tx}" y2="{}"/>"#,
            n(y + 2.0),
            n(y + 6.0),
            tx = n(tx)
        );
        let anchor = match i {
            0 if ticks.len() > 1 => "start",
            i if i == last && ticks.len() > 1 => "end",
            _ => "middle",
        };
        text(out, tx, y + 6.0 + FONT, anchor, "chart-tick", label);
    }
}

/// A running total over time: (day index from 0, total so far) points, drawn as steps from 0 to
/// `days` on the time axis, with markers at every change; `deadline` (a day index and its label)
/// a dashed, labelled line. `ticks` label days on the time axis.
pub struct Timeline<'a> {
    pub days: i64,
    pub points: &'a [(i64, i64)],
    pub deadline: Option<(i64, &'a str)>,
    pub ticks: &'a [(i64, String)],
    /// The last total written at the end of the line ("12").
    pub total_text: &'a str,
}

const PLOT_H: f64 = 110.0;

pub fn timeline(f: &Frame, t: &Timeline) -> String {
    let top = PAD + FONT + 6.0;
    let height = top + PLOT_H + AXIS + PAD;
    let days = t.days.max(1) as f64;
    let total = t.points.iter().map(|p| p.1).max().unwrap_or(0).max(1) as f64;
    let left = PAD + 4.0;
    let span = WIDTH - left - PAD - 36.0;
    let x = move |d: f64| left + span * (d / days).clamp(0.0, 1.0);
    let y = |v: f64| top + PLOT_H - PLOT_H * (v / total).clamp(0.0, 1.0);
    let mut out = String::new();
    open(&mut out, f, height);
    if let Some((d, label)) = t.deadline {
        let dx = x(d as f64);
        let _ = write!(
            out,
            r#"<line class="chart-deadline" x1="{dx}" y1="{}" x2="{dx}" y2="{}" stroke-dasharray="6 4" stroke-width="2"/>"#,
            n(top - 4.0),
            n(top + PLOT_H),
            dx = n(dx)
        );
        let anchor = if dx > WIDTH / 2.0 { "end" } else { "start" };
        let tx = if anchor == "end" { dx - 4.0 } else { dx + 4.0 };
        text(&mut out, tx, PAD + FONT - 2.0, anchor, "chart-label", label);
    }
    let mut d = format!("M{} {}", n(x(0.0)), n(y(0.0)));
    let mut last = 0.0;
    for (day, v) in t.points {
        let (px, py) = (x(*day as f64), y(*v as f64));
        let _ = write!(d, "H{}V{}", n(px), n(py));
        last = *v as f64;
    }
    let _ = write!(d, "H{}", n(x(days)));
    let _ = write!(
        out,
        r#"<path class="chart-line" d="{d}" fill="none" stroke-width="2"/>"#
    );
    for (day, v) in t.points {
        let _ = write!(
            out,
            r#"<circle class="chart-mean" cx="{}" cy="{}" r="3"/>"#,
            n(x(*day as f64)),
            n(y(*v as f64))
        );
    }
    text(
        &mut out,
        x(days) + 4.0,
        y(last) + 4.0,
        "start",
        "chart-value",
        t.total_text,
    );
    let ticks: Vec<(f64, String)> = t
        .ticks
        .iter()
        .map(|(d, l)| (*d as f64, l.clone()))
        .collect();
    axis(&mut out, top + PLOT_H, &ticks, &x);
    out.push_str("</svg>");
    out
}

/// Counts of values in `bins` equal bins from 0 to `max` (the last bin includes `max`); for
/// many entries a histogram instead of one row each.
pub fn histogram(values: &[f64], max: f64, bins: usize) -> Vec<usize> {
    let bins = bins.max(1);
    let mut out = vec![0; bins];
    if !(max.is_finite() && max > 0.0) {
        return out;
    }
    for v in values.iter().filter(|v| v.is_finite()) {
        let pos = (v / max).clamp(0.0, 1.0) * bins as f64;
        // The number of bin edges at or below the value: its bin (the maximum in the last).
        let i = (1..bins).take_while(|k| *k as f64 <= pos).count();
        out[i] += 1;
    }
    out
}

/// The mean and the (population) standard deviation of values; `None` for none.
pub fn mean_sd(values: &[f64]) -> Option<(f64, f64)> {
    if values.is_empty() {
        return None;
    }
    let k = values.len() as f64;
    let mean = values.iter().sum::<f64>() / k;
    let var = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / k;
    Some((mean, var.max(0.0).sqrt()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame<'a>(title: &'a str) -> Frame<'a> {
        Frame {
            id: "c1",
            title,
            desc: "Opis",
        }
    }

    #[test]
    fn text_is_escaped_and_labelled() {
        let svg = bars(
            &frame("<script>&\"'"),
            &[Bar {
                label: "A & B <i>".into(),
                value: 1.0,
                max: 2.0,
                text: "1 / 2".into(),
            }],
        );
        assert!(svg.contains(r#"<title id="c1-t">&lt;script&gt;&amp;&quot;&#39;</title>"#));
        assert!(svg.contains(">A &amp; B &lt;i&gt;</text>"));
        assert!(svg.contains(r#"role="img""#));
        assert!(svg.contains(r#"aria-labelledby="c1-t" aria-describedby="c1-d""#));
        assert!(svg.contains(r#"<desc id="c1-d">Opis</desc>"#));
        assert!(!svg.contains("style="));
        assert!(!svg.contains("<script"));
    }

    #[test]
    fn an_id_cannot_break_out_of_its_attribute() {
        let f = Frame {
            id: "x\" onload=\"alert(1)",
            title: "t",
            desc: "d",
        };
        let svg = bars(&f, &[]);
        assert!(svg.contains(r#"id="xonloadalert1""#));
        assert!(!svg.contains("onload="));
    }

    #[test]
    fn bars_are_proportional_and_survive_a_zero_whole() {
        let svg = bars(
            &frame("t"),
            &[
                Bar {
                    label: "a".into(),
                    value: 3.0,
                    max: 4.0,
                    text: "3 / 4".into(),
                },
                Bar {
                    label: "b".into(),
                    value: 0.0,
                    max: 0.0,
                    text: "0 / 0".into(),
                },
                Bar {
                    label: "c".into(),
                    value: 9.0,
                    max: 4.0,
                    text: "9 / 4".into(),
                },
            ],
        );
        // The track is 384 wide: 3/4 of it, none for 0/0, all (clamped) for 9/4.
        assert!(svg.contains(r#"class="chart-fill" x="8" y="27" width="288""#));
        assert_eq!(svg.matches("chart-fill").count(), 2);
        assert!(svg.contains(r#"class="chart-fill" x="8" y="107" width="384""#));
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        assert!(svg.contains(r#"viewBox="0 0 400 136""#));
    }

    #[test]
    fn ranges_place_mean_and_ends_on_the_scale() {
        let svg = ranges(
            &frame("t"),
            10.0,
            &[Range {
                label: "e".into(),
                mean: 5.0,
                low: 2.5,
                high: 10.0,
                text: "5 (2,5–10)".into(),
            }],
            Some(&Band {
                mean: 5.0,
                low: 4.0,
                high: 6.0,
            }),
            &[(0.0, "0".into()), (10.0, "10".into())],
        );
        // x = 12 + 376 * v / 10.
        assert!(svg.contains(r#"<circle class="chart-mean" cx="200" cy="33" r="4.5"/>"#));
        assert!(svg.contains("M106 33H388"));
        assert!(svg.contains(r#"fill="url(#c1-hatch)""#));
        assert!(svg.contains(r#"x1="200" y1="8" x2="200" y2="44" stroke-dasharray="4 3""#));
        assert!(svg.contains(">5 (2,5–10)</text>"));
    }

    #[test]
    fn ranges_with_a_zero_scale_do_not_divide_by_zero() {
        let svg = ranges(
            &frame("t"),
            0.0,
            &[Range {
                label: "e".into(),
                mean: f64::NAN,
                low: 0.0,
                high: 0.0,
                text: String::new(),
            }],
            None,
            &[],
        );
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
    }

    #[test]
    fn timeline_steps_up_and_marks_the_deadline() {
        let svg = timeline(
            &frame("t"),
            &Timeline {
                days: 10,
                points: &[(0, 1), (5, 4)],
                deadline: Some((10, "termin")),
                ticks: &[(0, "1.03".into()), (10, "11.03".into())],
                total_text: "4",
            },
        );
        // x = 12 + 344 * d / 10; y = 27 + 110 - 110 * v / 4.
        assert!(svg.contains(r#"d="M12 137H12V109.5H184V27H356""#));
        assert!(svg.contains(r#"class="chart-deadline" x1="356""#));
        assert!(svg.contains(">termin</text>"));
        assert_eq!(svg.matches(r#"class="chart-mean""#).count(), 2);
    }

    #[test]
    fn timeline_without_points_is_flat() {
        let svg = timeline(
            &frame("t"),
            &Timeline {
                days: 0,
                points: &[],
                deadline: None,
                ticks: &[],
                total_text: "0",
            },
        );
        assert!(svg.contains(r#"d="M12 137H356""#));
    }

    #[test]
    fn histogram_bins_and_stats() {
        assert_eq!(
            histogram(&[0.0, 1.0, 4.9, 5.0, 10.0, f64::NAN], 10.0, 2),
            vec![3, 2]
        );
        assert_eq!(histogram(&[1.0], 0.0, 3), vec![0, 0, 0]);
        assert_eq!(mean_sd(&[]), None);
        let (m, s) = mean_sd(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]).unwrap();
        assert!((m - 5.0).abs() < 1e-9 && (s - 2.0).abs() < 1e-9);
    }
}
