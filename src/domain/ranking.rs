//! The ranking proposal: from each juror's weighted total per entry to an ordered list per
//! category, in one pass over the judgements. Aggregation and tie-breaks are the edition's,
//! declared before judging.

use std::collections::HashMap;

use crate::domain::text_enum;

text_enum! {
    pub enum Aggregation {
        /// The mean of the jurors' weighted totals.
        Mean = "mean",
        /// Each juror's totals turned into z-scores (their own mean and spread), then averaged:
        /// a severe and a lenient juror weigh the same.
        Normalised = "normalised",
    }
}

impl Aggregation {
    pub fn label_key(self) -> &'static str {
        match self {
            Aggregation::Mean => "ranking.agg_mean",
            Aggregation::Normalised => "ranking.agg_normalised",
        }
    }
}

/// One juror's submitted judgement of one entry (conflicted ones are left out before this).
#[derive(Clone, Debug)]
pub struct Judgement {
    pub entry_id: i32,
    pub juror_id: i32,
    pub total: f64,
    /// Points on the tie-break criterion, when the edition names one.
    pub tie_points: Option<f64>,
}

/// An entry to rank: accepted, in a category, with how many jurors should judge it.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub entry_id: i32,
    pub category_id: i32,
    /// Jurors who have to judge it: assigned and not conflicted (`db::jury::work`).
    pub assigned: usize,
}

/// Which rule put an entry below the one before it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SeparatedBy {
    Score,
    Criterion,
    Median,
}

#[derive(Clone, Debug)]
pub struct Ranked {
    pub entry_id: i32,
    pub category_id: i32,
    /// Per juror: (juror id, weighted total), in juror order.
    pub totals: Vec<(i32, f64)>,
    pub count: usize,
    pub assigned: usize,
    pub mean: Option<f64>,
    pub min: Option<f64>,
    pub max: Option<f64>,
    pub median: Option<f64>,
    pub normalised: Option<f64>,
    pub tie_mean: Option<f64>,
    /// 1-based; tied entries share a rank (1, 2, 2, 4).
    pub rank: usize,
    pub tied: bool,
    pub separated_by: Option<SeparatedBy>,
}

impl Ranked {
    pub fn spread(&self) -> Option<f64> {
        Some(self.max? - self.min?)
    }

    /// The value the ranking sorts by.
    pub fn score(&self, agg: Aggregation) -> Option<f64> {
        match agg {
            Aggregation::Mean => self.mean,
            Aggregation::Normalised => self.normalised,
        }
    }

    pub fn unscored(&self) -> bool {
        self.count == 0
    }

    pub fn incomplete(&self) -> bool {
        self.count < self.assigned
    }
}

const EPS: f64 = 1e-9;

fn median(sorted: &[f64]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(sorted[n / 2]),
        _ => Some((sorted[n / 2 - 1] + sorted[n / 2]) / 2.0),
    }
}

fn mean(v: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, n) = v.fold((0.0, 0usize), |(s, n), x| (s + x, n + 1));
    (n > 0).then(|| sum / n as f64)
}

/// Compares two optional values, higher first, missing last.
fn desc(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    use std::cmp::Ordering::*;
    match (a, b) {
        (Some(x), Some(y)) if (x - y).abs() <= EPS => Equal,
        (Some(x), Some(y)) => y.partial_cmp(&x).unwrap_or(Equal),
        (Some(_), None) => Less,
        (None, Some(_)) => Greater,
        (None, None) => Equal,
    }
}

/// Ranks the candidates per category. `use_tie_criterion`: break ties first on the mean of the
/// named criterion, then on the median of the totals; what remains is shown as a tie.
pub fn rank(
    candidates: &[Candidate],
    judgements: &[Judgement],
    agg: Aggregation,
    use_tie_criterion: bool,
) -> Vec<Ranked> {
    // Per juror mean and spread, for the normalised aggregation.
    let mut per_juror: HashMap<i32, (f64, f64, usize)> = HashMap::new();
    for j in judgements {
        let e = per_juror.entry(j.juror_id).or_insert((0.0, 0.0, 0));
        e.0 += j.total;
        e.1 += j.total * j.total;
        e.2 += 1;
    }
    let stats: HashMap<i32, (f64, f64)> = per_juror
        .into_iter()
        .map(|(id, (s, sq, n))| {
            let m = s / n as f64;
            let var = (sq / n as f64 - m * m).max(0.0);
            (id, (m, var.sqrt()))
        })
        .collect();

    let mut by_entry: HashMap<i32, Vec<&Judgement>> = HashMap::new();
    for j in judgements {
        by_entry.entry(j.entry_id).or_default().push(j);
    }

    let mut rows: Vec<Ranked> = candidates
        .iter()
        .map(|c| {
            let mut js: Vec<&Judgement> = by_entry.remove(&c.entry_id).unwrap_or_default();
            js.sort_by_key(|j| j.juror_id);
            let mut sorted: Vec<f64> = js.iter().map(|j| j.total).collect();
            sorted.sort_by(|a, b| a.partial_cmp(b).unwrap_or(std::cmp::Ordering::Equal));
            let normalised = mean(js.iter().map(|j| {
                let (m, sd) = stats.get(&j.juror_id).copied().unwrap_or((0.0, 0.0));
                if sd > EPS { (j.total - m) / sd } else { 0.0 }
            }));
            Ranked {
                entry_id: c.entry_id,
                category_id: c.category_id,
                totals: js.iter().map(|j| (j.juror_id, j.total)).collect(),
                count: js.len(),
                assigned: c.assigned,
                mean: mean(sorted.iter().copied()),
                min: sorted.first().copied(),
                max: sorted.last().copied(),
                median: median(&sorted),
                normalised,
                tie_mean: mean(js.iter().filter_map(|j| j.tie_points)),
                rank: 0,
                tied: false,
                separated_by: None,
            }
        })
        .collect();

    let key = |r: &Ranked, a: &Ranked| -> [std::cmp::Ordering; 3] {
        [
            desc(r.score(agg), a.score(agg)),
            if use_tie_criterion {
                desc(r.tie_mean, a.tie_mean)
            } else {
                std::cmp::Ordering::Equal
            },
            desc(r.median, a.median),
        ]
    };
    rows.sort_by(|a, b| {
        a.category_id.cmp(&b.category_id).then_with(|| {
            let k = key(a, b);
            k[0].then(k[1]).then(k[2]).then(a.entry_id.cmp(&b.entry_id))
        })
    });

    // Ranks within each category; a tie is what no declared rule separates.
    let mut i = 0;
    while i < rows.len() {
        let cat = rows[i].category_id;
        let mut pos = 0;
        let mut j = i;
        while j < rows.len() && rows[j].category_id == cat {
            pos += 1;
            if j == i {
                rows[j].rank = 1;
            } else {
                let k = key(&rows[j], &rows[j - 1]);
                let by = if k[0] != std::cmp::Ordering::Equal {
                    Some(SeparatedBy::Score)
                } else if k[1] != std::cmp::Ordering::Equal {
                    Some(SeparatedBy::Criterion)
                } else if k[2] != std::cmp::Ordering::Equal {
                    Some(SeparatedBy::Median)
                } else {
                    None
                };
                rows[j].separated_by = by;
                if by.is_none() && rows[j].score(agg).is_some() {
                    rows[j].rank = rows[j - 1].rank;
                    rows[j].tied = true;
                    rows[j - 1].tied = true;
                } else {
                    rows[j].rank = pos;
                }
            }
            j += 1;
        }
        i = j;
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(entry_id: i32, juror_id: i32, total: f64, tie: f64) -> Judgement {
        Judgement {
            entry_id,
            juror_id,
            total,
            tie_points: Some(tie),
        }
    }

    fn cand(entry_id: i32, category_id: i32) -> Candidate {
        Candidate {
            entry_id,
            category_id,
            assigned: 3,
        }
    }

    #[test]
    fn means_spread_and_flags() {
        let rows = rank(
            &[cand(1, 1), cand(2, 1), cand(3, 1)],
            &[
                j(1, 10, 80.0, 9.0),
                j(1, 11, 70.0, 8.0),
                j(1, 12, 90.0, 9.0),
                j(2, 10, 60.0, 5.0),
            ],
            Aggregation::Mean,
            false,
        );
        let r1 = &rows[0];
        assert_eq!((r1.entry_id, r1.rank, r1.count), (1, 1, 3));
        assert_eq!(r1.mean, Some(80.0));
        assert_eq!(
            (r1.min, r1.max, r1.spread()),
            (Some(70.0), Some(90.0), Some(20.0))
        );
        assert_eq!(r1.median, Some(80.0));
        assert!(!r1.incomplete());
        assert!(rows[1].incomplete());
        let r3 = &rows[2];
        assert_eq!((r3.entry_id, r3.rank), (3, 3));
        assert!(r3.unscored());
        assert!(!r3.tied);
    }

    #[test]
    fn ties_are_broken_by_the_declared_rules_then_shown() {
        // Entries 1 and 2 have the same mean; 2 scores higher on the tie-break criterion.
        let js = [
            j(1, 10, 80.0, 7.0),
            j(1, 11, 60.0, 7.0),
            j(2, 10, 70.0, 9.0),
            j(2, 11, 70.0, 9.0),
        ];
        let rows = rank(&[cand(1, 1), cand(2, 1)], &js, Aggregation::Mean, true);
        assert_eq!(rows[0].entry_id, 2);
        assert_eq!(rows[1].separated_by, Some(SeparatedBy::Criterion));
        assert!(!rows[0].tied && !rows[1].tied);
        // Without the criterion, the median decides (equal here), so it is a tie.
        let rows = rank(&[cand(1, 1), cand(2, 1)], &js, Aggregation::Mean, false);
        assert!(rows[0].tied && rows[1].tied);
        assert_eq!((rows[0].rank, rows[1].rank), (1, 1));
        // Three jurors: same mean, different medians.
        let js = [
            j(1, 10, 90.0, 0.0),
            j(1, 11, 60.0, 0.0),
            j(1, 12, 60.0, 0.0),
            j(2, 10, 75.0, 0.0),
            j(2, 11, 70.0, 0.0),
            j(2, 12, 65.0, 0.0),
        ];
        let rows = rank(&[cand(1, 1), cand(2, 1)], &js, Aggregation::Mean, false);
        assert_eq!(rows[0].entry_id, 2);
        assert_eq!(rows[1].separated_by, Some(SeparatedBy::Median));
    }

    #[test]
    fn normalising_evens_out_severe_and_lenient_jurors() {
        // Juror 10 is lenient, 11 severe; each prefers a different entry by the same margin,
        // but 10's preference is large in raw points.
        let js = [
            j(1, 10, 100.0, 0.0),
            j(2, 10, 60.0, 0.0),
            j(1, 11, 10.0, 0.0),
            j(2, 11, 20.0, 0.0),
        ];
        let mean = rank(&[cand(1, 1), cand(2, 1)], &js, Aggregation::Mean, false);
        assert_eq!(mean[0].entry_id, 1);
        let norm = rank(
            &[cand(1, 1), cand(2, 1)],
            &js,
            Aggregation::Normalised,
            false,
        );
        // z-scores: juror 10 gives +1/-1, juror 11 gives -1/+1: equal scores, and only the
        // declared median rule (on the raw totals) separates them.
        assert!((norm[0].normalised.unwrap() - norm[1].normalised.unwrap()).abs() < 1e-9);
        assert_eq!(norm[1].separated_by, Some(SeparatedBy::Median));
    }

    #[test]
    fn categories_are_ranked_separately() {
        let rows = rank(
            &[cand(1, 2), cand(2, 1), cand(3, 2)],
            &[j(1, 10, 5.0, 0.0), j(2, 10, 1.0, 0.0), j(3, 10, 9.0, 0.0)],
            Aggregation::Mean,
            false,
        );
        let order: Vec<(i32, i32, usize)> = rows
            .iter()
            .map(|r| (r.category_id, r.entry_id, r.rank))
            .collect();
        assert_eq!(order, vec![(1, 2, 1), (2, 3, 1), (2, 1, 2)]);
    }
}
