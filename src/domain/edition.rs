//! An edition's life: draft → open for entries → closed → judging → results published, with
//! the guards on each step, and the submission window enforced to the second.

use crate::domain::text_enum;
use chrono::NaiveDateTime;

text_enum! {
    pub enum EditionState {
        Draft = "draft",
        Open = "open",
        Closed = "closed",
        Judging = "judging",
        Published = "published",
    }
}

impl EditionState {
    pub fn label_key(self) -> &'static str {
        match self {
            EditionState::Draft => "edition.state_draft",
            EditionState::Open => "edition.state_open",
            EditionState::Closed => "edition.state_closed",
            EditionState::Judging => "edition.state_judging",
            EditionState::Published => "edition.state_published",
        }
    }

    /// The one state that may follow this one.
    pub fn next(self) -> Option<EditionState> {
        match self {
            EditionState::Draft => Some(EditionState::Open),
            EditionState::Open => Some(EditionState::Closed),
            EditionState::Closed => Some(EditionState::Judging),
            EditionState::Judging => Some(EditionState::Published),
            EditionState::Published => None,
        }
    }

    /// Visible to the public (drafts are the organisers' own).
    pub fn is_public(self) -> bool {
        self != EditionState::Draft
    }
}

/// What the guards need to know about an edition.
#[derive(Clone, Debug)]
pub struct Facts {
    pub state: EditionState,
    pub opens_at: NaiveDateTime,
    pub closes_at: NaiveDateTime,
    pub judging_deadline: NaiveDateTime,
    pub categories: i64,
    pub criteria: i64,
    /// Entries submitted but not yet formally decided (submitted or returned for correction).
    pub undecided: i64,
    pub accepted: i64,
    pub protocol_finalised: bool,
}

/// Checks a step to `to`; the error is the translation key of the reason.
pub fn check_transition(
    f: &Facts,
    to: EditionState,
    now: NaiveDateTime,
) -> Result<(), &'static str> {
    if f.state.next() != Some(to) {
        return Err("edition.err_order");
    }
    match to {
        EditionState::Open => {
            if f.categories == 0 {
                return Err("edition.err_no_categories");
            }
            if f.criteria == 0 {
                return Err("edition.err_no_criteria");
            }
            check_dates(f.opens_at, f.closes_at, f.judging_deadline)?;
            if f.closes_at <= now {
                return Err("edition.err_closes_past");
            }
            Ok(())
        }
        EditionState::Closed => {
            if now < f.closes_at {
                Err("edition.err_still_open")
            } else {
                Ok(())
            }
        }
        EditionState::Judging => {
            if f.undecided > 0 {
                Err("edition.err_undecided")
            } else if f.accepted == 0 {
                Err("edition.err_no_accepted")
            } else {
                Ok(())
            }
        }
        // The results are what the finalised protocol records.
        EditionState::Published => {
            if f.protocol_finalised {
                Ok(())
            } else {
                Err("edition.err_protocol")
            }
        }
        EditionState::Draft => Err("edition.err_order"),
    }
}

pub fn check_dates(
    opens: NaiveDateTime,
    closes: NaiveDateTime,
    judging: NaiveDateTime,
) -> Result<(), &'static str> {
    if opens >= closes {
        Err("edition.err_window")
    } else if judging < closes {
        Err("edition.err_judging_before_close")
    } else {
        Ok(())
    }
}

/// Whether entries can be created, changed, submitted or withdrawn right now.
pub fn accepting_entries(
    state: EditionState,
    opens_at: NaiveDateTime,
    closes_at: NaiveDateTime,
    now: NaiveDateTime,
) -> bool {
    state == EditionState::Open && now >= opens_at && now < closes_at
}

/// Criteria (and the formula) are published with the call: frozen once the edition is opened
/// (its state leaves draft), however its opening date compares with the clock. A draft whose
/// opening date has passed is still a draft: its criteria can still be put right before opening.
pub fn criteria_editable(state: EditionState) -> bool {
    state == EditionState::Draft
}

/// Categories can change only while the edition is a draft.
pub fn categories_editable(state: EditionState) -> bool {
    state == EditionState::Draft
}

/// A URL-safe identifier: lower-case letters, digits and hyphens, 2–60 characters.
pub fn valid_slug(s: &str) -> bool {
    (2..=60).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// A category of the model competition, offered on a fresh installation.
pub struct CategoryTemplate {
    pub code: &'static str,
    pub name: &'static str,
    pub name_en: &'static str,
    pub description: &'static str,
    pub description_en: &'static str,
}

pub const MODEL_CATEGORIES: &[CategoryTemplate] = &[
    CategoryTemplate {
        code: "I",
        name: "Poza horyzonty",
        name_en: "Beyond the horizon",
        description: "Innowacyjne wdrożenia w zakresie publikacji danych przestrzennych.",
        description_en: "Innovative implementations in publishing spatial data.",
    },
    CategoryTemplate {
        code: "II",
        name: "Ponad codzienność",
        name_en: "Beyond the everyday",
        description: "Innowacyjne rozwiązania w zakresie e-usług dla mieszkańca.",
        description_en: "Innovative e-services for residents.",
    },
    CategoryTemplate {
        code: "III",
        name: "Wbrew przeszkodom",
        name_en: "Against the odds",
        description: "Innowacyjne projekty dla dowolnego obszaru tematycznego.",
        description_en: "Innovative projects in any area.",
    },
];

pub struct CriterionTemplate {
    pub name: &'static str,
    pub name_en: &'static str,
    pub description: &'static str,
    pub description_en: &'static str,
    pub max_points: i32,
    pub weight: f64,
    pub levels: &'static str,
    pub levels_en: &'static str,
}

/// A starting set of criteria that organisers adjust before opening the call.
pub const MODEL_CRITERIA: &[CriterionTemplate] = &[
    CriterionTemplate {
        name: "Innowacyjność",
        name_en: "Innovation",
        description: "Na ile rozwiązanie jest nowatorskie w skali regionu i kraju.",
        description_en: "How new the solution is in the region and in the country.",
        max_points: 10,
        weight: 2.0,
        levels: "0: rozwiązanie powszechnie stosowane\n5: nowe w regionie\n10: pionierskie w kraju",
        levels_en: "0: a common solution\n5: new in the region\n10: a first in the country",
    },
    CriterionTemplate {
        name: "Korzyści dla mieszkańców",
        name_en: "Benefits for residents",
        description: "Realne ułatwienia dla mieszkańców i przedsiębiorców, liczba użytkowników.",
        description_en: "Real benefits for residents and businesses, number of users.",
        max_points: 10,
        weight: 2.0,
        levels: "0: brak mierzalnych korzyści\n5: korzyści dla części mieszkańców\n10: powszechnie używane, udokumentowane efekty",
        levels_en: "0: no measurable benefit\n5: benefits some residents\n10: widely used, documented results",
    },
    CriterionTemplate {
        name: "Dostępność i otwartość",
        name_en: "Accessibility and openness",
        description: "Zgodność z WCAG, otwarte dane i standardy, działanie na urządzeniach mobilnych.",
        description_en: "WCAG conformance, open data and standards, works on mobile devices.",
        max_points: 10,
        weight: 1.0,
        levels: "0: niedostępne\n5: częściowo zgodne\n10: w pełni dostępne i otwarte",
        levels_en: "0: not accessible\n5: partly conformant\n10: fully accessible and open",
    },
    CriterionTemplate {
        name: "Możliwość upowszechnienia",
        name_en: "Transferability",
        description: "Czy inne samorządy mogą łatwo wdrożyć podobne rozwiązanie.",
        description_en: "Whether other local governments can easily adopt a similar solution.",
        max_points: 10,
        weight: 1.0,
        levels: "0: nie do powtórzenia\n5: możliwe przy dużym nakładzie\n10: gotowe do powielenia",
        levels_en: "0: cannot be repeated\n5: possible with much effort\n10: ready to be reused",
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, NaiveDate};

    fn t(d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2027, 3, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    fn facts(state: EditionState) -> Facts {
        Facts {
            state,
            opens_at: t(1),
            closes_at: t(15),
            judging_deadline: t(30),
            categories: 3,
            criteria: 4,
            undecided: 0,
            accepted: 2,
            protocol_finalised: false,
        }
    }

    #[test]
    fn steps_go_forward_one_at_a_time() {
        let now = t(1) - Duration::days(10);
        assert!(check_transition(&facts(EditionState::Draft), EditionState::Open, now).is_ok());
        assert_eq!(
            check_transition(&facts(EditionState::Draft), EditionState::Closed, now),
            Err("edition.err_order")
        );
        assert_eq!(
            check_transition(&facts(EditionState::Open), EditionState::Draft, now),
            Err("edition.err_order")
        );
        let mut f = facts(EditionState::Draft);
        f.categories = 0;
        assert_eq!(
            check_transition(&f, EditionState::Open, now),
            Err("edition.err_no_categories")
        );
        f.categories = 1;
        f.criteria = 0;
        assert_eq!(
            check_transition(&f, EditionState::Open, now),
            Err("edition.err_no_criteria")
        );
    }

    #[test]
    fn closing_waits_for_the_deadline_and_judging_for_decisions() {
        let f = facts(EditionState::Open);
        assert_eq!(
            check_transition(&f, EditionState::Closed, t(15) - Duration::seconds(1)),
            Err("edition.err_still_open")
        );
        assert!(check_transition(&f, EditionState::Closed, t(15)).is_ok());
        let mut f = facts(EditionState::Closed);
        f.undecided = 1;
        assert_eq!(
            check_transition(&f, EditionState::Judging, t(16)),
            Err("edition.err_undecided")
        );
        f.undecided = 0;
        f.accepted = 0;
        assert_eq!(
            check_transition(&f, EditionState::Judging, t(16)),
            Err("edition.err_no_accepted")
        );
        let mut f = facts(EditionState::Judging);
        assert_eq!(
            check_transition(&f, EditionState::Published, t(20)),
            Err("edition.err_protocol")
        );
        f.protocol_finalised = true;
        assert!(check_transition(&f, EditionState::Published, t(20)).is_ok());
    }

    #[test]
    fn the_window_is_enforced_to_the_second() {
        let (o, c) = (t(1), t(15));
        assert!(!accepting_entries(
            EditionState::Open,
            o,
            c,
            o - Duration::seconds(1)
        ));
        assert!(accepting_entries(EditionState::Open, o, c, o));
        assert!(accepting_entries(
            EditionState::Open,
            o,
            c,
            c - Duration::seconds(1)
        ));
        assert!(!accepting_entries(EditionState::Open, o, c, c));
        assert!(!accepting_entries(EditionState::Draft, o, c, t(5)));
        // The state decides, not the opening date: a draft past its date stays editable, an
        // opened edition is frozen even before its date.
        assert!(criteria_editable(EditionState::Draft));
        for s in [
            EditionState::Open,
            EditionState::Closed,
            EditionState::Judging,
            EditionState::Published,
        ] {
            assert!(!criteria_editable(s), "{s:?}");
        }
    }

    #[test]
    fn dates_and_slugs() {
        assert_eq!(check_dates(t(2), t(1), t(3)), Err("edition.err_window"));
        assert_eq!(
            check_dates(t(1), t(3), t(2)),
            Err("edition.err_judging_before_close")
        );
        assert!(valid_slug("vi-edycja-2027"));
        assert!(!valid_slug("VI edycja"));
        assert!(!valid_slug("-x"));
        assert!(!valid_slug("a"));
    }
}
