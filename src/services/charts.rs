//! The numbers behind the organisers' charts that the other reads do not already give: entries
//! arriving during the call, and how far the announcement got per kind of recipient.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDateTime;
use serde::Serialize;

use crate::db::{DbConn, DbError, charts, editions};
use crate::domain::mail::OutboxStatus;
use crate::domain::time::in_warsaw;
use crate::services::results::Audience;

/// Entries arriving during the call, per category, by day in Warsaw.
pub struct Arrivals {
    /// The first day of the call (day 0), in Warsaw.
    pub first_day: chrono::NaiveDate,
    /// The deadline's day index.
    pub deadline_day: i64,
    /// The last day shown: the deadline's, or a later submission's.
    pub days: i64,
    /// Per category id: (day index, running total) at each day with a submission, in order.
    pub per_category: HashMap<i32, Vec<(i64, i64)>>,
    /// Per day with a submission: (day index, submissions that day per category id).
    pub per_day: Vec<(i64, HashMap<i32, i64>)>,
    pub total: i64,
}

/// Days with submissions and running totals, from (category, time) pairs; times in UTC.
pub fn arrivals(
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    times: &[(i32, NaiveDateTime)],
) -> Arrivals {
    let first_day = in_warsaw(opens_at).date_naive();
    let day = |t: NaiveDateTime| (in_warsaw(t).date_naive() - first_day).num_days().max(0);
    let deadline_day = day(closes_at);
    let mut by_day: std::collections::BTreeMap<i64, HashMap<i32, i64>> = Default::default();
    for (cat, t) in times {
        *by_day.entry(day(*t)).or_default().entry(*cat).or_insert(0) += 1;
    }
    let mut per_category: HashMap<i32, Vec<(i64, i64)>> = HashMap::new();
    let mut running: HashMap<i32, i64> = HashMap::new();
    for (d, cats) in &by_day {
        for (cat, k) in cats {
            let r = running.entry(*cat).or_insert(0);
            *r += k;
            per_category.entry(*cat).or_default().push((*d, *r));
        }
    }
    let last = by_day.keys().next_back().copied().unwrap_or(0);
    Arrivals {
        first_day,
        deadline_day,
        days: deadline_day.max(last),
        per_category,
        total: i64::try_from(times.len()).unwrap_or(i64::MAX),
        per_day: by_day.into_iter().collect(),
    }
}

/// The edition's arrivals: one query (`db::charts::submissions`).
pub fn edition_arrivals(
    c: &mut DbConn,
    e: &editions::Edition,
) -> Result<Arrivals, diesel::result::Error> {
    let times = charts::submissions(c, e.id)?;
    Ok(arrivals(e.opens_at, e.closes_at, &times))
}

/// Messages of one kind of recipient by how far they got; a recipient written to again after a
/// failure counts once, by their best message (sent, else queued, else failed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub queued: i64,
    pub sent: i64,
    pub failed: i64,
}

impl Tally {
    pub fn total(&self) -> i64 {
        self.queued + self.sent + self.failed
    }
}

/// How far the announcement got, per kind of recipient (in `Audience::ALL` order) and in all.
pub struct AnnouncementProgress {
    pub by_audience: Vec<(Audience, Tally)>,
    pub all: Tally,
}

fn rank(s: OutboxStatus) -> u8 {
    match s {
        OutboxStatus::Sent => 3,
        OutboxStatus::Queued => 2,
        OutboxStatus::Failed => 1,
    }
}

/// Counts the announcement's messages: the institution messages of awarded institutions are
/// the laureates', the others the participants'; the press kind is the press.
pub fn tally(rows: &[charts::AnnouncementRow], awarded: &HashSet<i32>) -> AnnouncementProgress {
    let mut best: HashMap<(Audience, String), OutboxStatus> = HashMap::new();
    for (kind, inst, to, status) in rows {
        let audience = if kind == PRESS_KIND {
            Audience::Press
        } else if inst.is_some_and(|i| awarded.contains(&i)) {
            Audience::Laureates
        } else {
            Audience::Participants
        };
        let key = (audience, to.to_lowercase());
        let better = best.get(&key).is_none_or(|cur| rank(*status) > rank(*cur));
        if better {
            best.insert(key, *status);
        }
    }
    let mut by: HashMap<Audience, Tally> = HashMap::new();
    let mut all = Tally::default();
    for ((a, _), s) in best {
        let t = by.entry(a).or_default();
        for t in [t, &mut all] {
            match s {
                OutboxStatus::Queued => t.queued += 1,
                OutboxStatus::Sent => t.sent += 1,
                OutboxStatus::Failed => t.failed += 1,
            }
        }
    }
    AnnouncementProgress {
        by_audience: Audience::ALL
            .iter()
            .map(|a| (*a, by.get(a).copied().unwrap_or_default()))
            .collect(),
        all,
    }
}

const KIND: &str = "announcement";
const PRESS_KIND: &str = "announcement_press";

/// The announcement's progress of an edition (messages since its results were published);
/// `None` if there is no such edition. Three indexed queries.
pub fn announcement_progress(
    c: &mut DbConn,
    edition_id: i32,
) -> Result<Option<AnnouncementProgress>, DbError> {
    let Some(e) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    Ok(Some(announcement_progress_of(c, &e)?))
}

/// [`announcement_progress`] of an edition already read: two indexed queries.
pub fn announcement_progress_of(
    c: &mut DbConn,
    e: &editions::Edition,
) -> Result<AnnouncementProgress, diesel::result::Error> {
    let since = e.results_published_at.unwrap_or(e.created_at);
    let rows = charts::announcement_messages(c, &[KIND, PRESS_KIND], since)?;
    let awarded: HashSet<i32> = charts::awarded_institutions(c, e.id)?.into_iter().collect();
    Ok(tally(&rows, &awarded))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(d: u32, h: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 3, d)
            .unwrap()
            .and_hms_opt(h, 0, 0)
            .unwrap()
    }

    #[test]
    fn arrivals_run_by_warsaw_day_per_category() {
        // 23:30 UTC on the 2nd is already the 3rd in Warsaw (UTC+1 in March before DST).
        let times = [
            (1, at(2, 10)),
            (2, at(2, 11)),
            (
                1,
                NaiveDate::from_ymd_opt(2026, 3, 2)
                    .unwrap()
                    .and_hms_opt(23, 30, 0)
                    .unwrap(),
            ),
            (1, at(5, 9)),
        ];
        let a = arrivals(at(1, 8), at(10, 12), &times);
        assert_eq!(a.deadline_day, 9);
        assert_eq!(a.days, 9);
        assert_eq!(a.total, 4);
        assert_eq!(a.per_category[&1], vec![(1, 1), (2, 2), (4, 3)]);
        assert_eq!(a.per_category[&2], vec![(1, 1)]);
        assert_eq!(a.per_day.len(), 3);
        assert_eq!(a.per_day[0].1[&2], 1);
    }

    #[test]
    fn arrivals_of_nothing_and_after_the_deadline() {
        let a = arrivals(at(1, 8), at(10, 12), &[]);
        assert_eq!((a.total, a.days, a.per_day.len()), (0, 9, 0));
        let late = arrivals(at(1, 8), at(10, 12), &[(1, at(20, 8))]);
        assert_eq!(late.days, 19);
    }

    #[test]
    fn tally_counts_each_recipient_once_by_their_best_message() {
        let row = |k: &str, i: Option<i32>, to: &str, s| (k.to_string(), i, to.to_string(), s);
        let rows = vec![
            row(KIND, Some(1), "a@x", OutboxStatus::Failed),
            row(KIND, Some(1), "A@x", OutboxStatus::Sent),
            row(KIND, Some(1), "b@x", OutboxStatus::Queued),
            row(KIND, Some(2), "c@x", OutboxStatus::Failed),
            row(PRESS_KIND, None, "p@x", OutboxStatus::Sent),
        ];
        let p = tally(&rows, &HashSet::from([1]));
        let get = |a| p.by_audience.iter().find(|(x, _)| *x == a).unwrap().1;
        assert_eq!(
            get(Audience::Laureates),
            Tally {
                queued: 1,
                sent: 1,
                failed: 0
            }
        );
        assert_eq!(
            get(Audience::Participants),
            Tally {
                queued: 0,
                sent: 0,
                failed: 1
            }
        );
        assert_eq!(
            get(Audience::Press),
            Tally {
                queued: 0,
                sent: 1,
                failed: 0
            }
        );
        assert_eq!(
            p.all,
            Tally {
                queued: 1,
                sent: 2,
                failed: 1
            }
        );
        assert_eq!(p.all.total(), 4);
    }
}
