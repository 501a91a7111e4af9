//! A juror's judgement of one entry: a draft until the juror submits it.

use crate::domain::text_enum;

text_enum! {
    pub enum ReviewStatus {
        Draft = "draft",
        Submitted = "submitted",
    }
}

impl ReviewStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "jury.status_draft",
            ReviewStatus::Submitted => "jury.status_submitted",
        }
    }

    pub fn is_submitted(self) -> bool {
        self == ReviewStatus::Submitted
    }
}

/// One entry a juror has to judge: assigned to them and not conflicted (see `db::jury::work`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Task {
    pub juror_id: i32,
    pub entry_id: i32,
    pub category_id: i32,
    /// The juror's review of it is submitted.
    pub done: bool,
}

/// Counts tasks per key: (key, to do in all, done), by key.
pub fn tally(tasks: &[Task], key: impl Fn(&Task) -> i32) -> Vec<(i32, i64, i64)> {
    let mut m: std::collections::BTreeMap<i32, (i64, i64)> = std::collections::BTreeMap::new();
    for t in tasks {
        let e = m.entry(key(t)).or_default();
        e.0 += 1;
        e.1 += i64::from(t.done);
    }
    m.into_iter().map(|(k, (n, d))| (k, n, d)).collect()
}

/// Jurors with something left to do: (juror id, tasks left), by juror.
pub fn remaining(tasks: &[Task]) -> Vec<(i32, i64)> {
    tally(tasks, |t| t.juror_id)
        .into_iter()
        .filter(|(_, n, d)| d < n)
        .map(|(j, n, d)| (j, n - d))
        .collect()
}

#[cfg(test)]
mod work_tests {
    use super::*;

    fn t(juror_id: i32, entry_id: i32, done: bool) -> Task {
        Task {
            juror_id,
            entry_id,
            category_id: 1,
            done,
        }
    }

    #[test]
    fn tally_and_remaining_count_only_the_tasks_given() {
        let tasks = [t(1, 10, true), t(1, 11, false), t(2, 10, true)];
        assert_eq!(tally(&tasks, |x| x.juror_id), vec![(1, 2, 1), (2, 1, 1)]);
        assert_eq!(tally(&tasks, |x| x.entry_id), vec![(10, 2, 2), (11, 1, 0)]);
        assert_eq!(remaining(&tasks), vec![(1, 1)]);
        assert!(remaining(&[]).is_empty());
    }
}
