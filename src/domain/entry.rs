//! An entry's life and the checks on its fields.

use chrono::{NaiveDate, NaiveDateTime};

use crate::domain::text_enum;
use crate::domain::validate;

text_enum! {
    pub enum EntryStatus {
        Draft = "draft",
        Submitted = "submitted",
        /// Returned for correction until `correction_until`.
        Returned = "returned",
        Accepted = "accepted",
        Rejected = "rejected",
        Withdrawn = "withdrawn",
    }
}

impl EntryStatus {
    pub fn label_key(self) -> &'static str {
        match self {
            EntryStatus::Draft => "entry.status_draft",
            EntryStatus::Submitted => "entry.status_submitted",
            EntryStatus::Withdrawn => "entry.status_withdrawn",
            EntryStatus::Accepted => "entry.status_accepted",
            EntryStatus::Rejected => "entry.status_rejected",
            EntryStatus::Returned => "entry.status_returned",
        }
    }

    pub fn is_returned(self) -> bool {
        self == EntryStatus::Returned
    }

    /// Counts against the limit of entries per institution and category.
    pub fn counts_toward_limit(self) -> bool {
        self != EntryStatus::Withdrawn
    }
}

/// Whether the applicant may change the entry now. `accepting` is the edition's window.
pub fn editable(
    status: EntryStatus,
    correction_until: Option<NaiveDateTime>,
    accepting: bool,
    now: NaiveDateTime,
) -> bool {
    match status {
        EntryStatus::Draft | EntryStatus::Submitted => accepting,
        EntryStatus::Returned => correction_until.is_some_and(|t| now < t),
        _ => false,
    }
}

/// Whether it can be withdrawn now (only during the call; a decision is final).
pub fn withdrawable(status: EntryStatus, accepting: bool) -> bool {
    matches!(status, EntryStatus::Draft | EntryStatus::Submitted) && accepting
}

/// Whether the organisers can decide on it now: submitted, and the call has closed.
pub fn decidable(status: EntryStatus, closes_at: NaiveDateTime, now: NaiveDateTime) -> bool {
    status == EntryStatus::Submitted && now >= closes_at
}

pub const SUMMARY_MAX: usize = 1000;
pub const TITLE_MAX: usize = 300;
pub const DESCRIPTION_MAX: usize = 20_000;
pub const TEXT_MAX: usize = 2_000;
pub const MAX_LINKS: usize = 10;

/// The entry's fields as cleaned by `check`.
#[derive(Clone, Debug, Default)]
pub struct EntryData {
    pub title: String,
    pub summary: String,
    pub description: String,
    pub started_on: Option<NaiveDate>,
    pub launched_on: Option<NaiveDate>,
    pub budget: String,
    pub funding: String,
    pub partners: String,
    pub links: Vec<String>,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub accepted_rules: bool,
    pub accepted_privacy: bool,
}

/// The raw form, as typed.
#[derive(Clone, Debug, Default)]
pub struct EntryInput<'a> {
    pub title: &'a str,
    pub summary: &'a str,
    pub description: &'a str,
    pub started_on: &'a str,
    pub launched_on: &'a str,
    pub budget: &'a str,
    pub funding: &'a str,
    pub partners: &'a str,
    pub links: &'a str,
    pub contact_name: &'a str,
    pub contact_email: &'a str,
    pub contact_phone: &'a str,
    pub accepted_rules: bool,
    pub accepted_privacy: bool,
}

/// One problem: the field and the translation key of its message.
pub type Problem = (&'static str, &'static str);

fn optional_line(p: &mut Vec<Problem>, field: &'static str, value: &str, max: usize) {
    if let Err(k) = validate::optional(value, max) {
        p.push((field, k));
    }
}

fn optional_text(p: &mut Vec<Problem>, field: &'static str, value: &str, max: usize) {
    if let Err(k) = validate::optional_text(value, max) {
        p.push((field, k));
    }
}

fn date(p: &mut Vec<Problem>, field: &'static str, value: &str) -> Option<NaiveDate> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    // The date picker sends 2026-03-15; without a picker one may type what it shows in Polish.
    let d = crate::domain::time::parse_date(v);
    if d.is_none() {
        p.push((field, "err.date"));
    }
    d
}

/// A budget in złoty as people type it ("1 250 000,50 zł"), normalised to "1250000.50".
pub fn parse_budget(s: &str) -> Result<String, &'static str> {
    let cleaned: String = s
        .trim()
        .trim_end_matches("zł")
        .trim_end_matches("PLN")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '\u{a0}')
        .collect::<String>()
        .replace(',', ".");
    if cleaned.is_empty() {
        return Ok(String::new());
    }
    let mut parts = cleaned.split('.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    let ok = !whole.is_empty()
        && whole.len() <= 13
        && whole.bytes().all(|b| b.is_ascii_digit())
        && parts.next().is_none()
        && frac.is_none_or(|f| (1..=2).contains(&f.len()) && f.bytes().all(|b| b.is_ascii_digit()));
    if !ok {
        return Err("err.budget");
    }
    let whole = whole.trim_start_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    Ok(match frac {
        Some(f) => format!("{whole}.{f:0<2}"),
        None => whole.to_string(),
    })
}

/// The edition's part of a reference number: the Roman numeral its name starts with ("VI
/// edycja" → "VI"), else its year ("2027").
pub fn edition_code(name: &str, year: i32) -> String {
    match name.split_whitespace().next() {
        Some(first) if first.chars().all(|c| "IVXLCDM".contains(c)) => first.to_string(),
        _ => year.to_string(),
    }
}

/// A reference number: "VI/II/007" (edition code / category code / sequence, at least three
/// digits).
pub fn reference(edition_code: &str, category_code: &str, seq: i32) -> String {
    let cat: String = category_code
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '/')
        .collect();
    format!("{edition_code}/{cat}/{seq:03}")
}

/// A stored budget ("450000" or "450000.5", as `parse_budget` leaves it) as people read it:
/// "450 000,00 zł" in Polish (groups of three split by a no-break space, decimal comma, a
/// no-break space before the currency), "PLN 450,000.00" in English. A value that is not a
/// stored budget (an older row) is shown as it is.
pub fn format_budget(stored: &str, lang: crate::i18n::Lang) -> String {
    let Some((whole, cents)) = budget_parts(stored) else {
        return stored.to_string();
    };
    let (group, decimal) = match lang {
        crate::i18n::Lang::Pl => ('\u{a0}', ','),
        crate::i18n::Lang::En => (',', '.'),
    };
    let mut grouped = String::new();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i) % 3 == 0 {
            grouped.push(group);
        }
        grouped.push(c);
    }
    match lang {
        crate::i18n::Lang::Pl => format!("{grouped}{decimal}{cents}\u{a0}zł"),
        crate::i18n::Lang::En => format!("PLN\u{a0}{grouped}{decimal}{cents}"),
    }
}

/// A stored budget as a plain number for a spreadsheet: "450000,00" (Polish), "450000.00".
pub fn budget_number(stored: &str, lang: crate::i18n::Lang) -> String {
    match budget_parts(stored) {
        Some((whole, cents)) => match lang {
            crate::i18n::Lang::Pl => format!("{whole},{cents}"),
            crate::i18n::Lang::En => format!("{whole}.{cents}"),
        },
        None => stored.to_string(),
    }
}

fn budget_parts(stored: &str) -> Option<(&str, String)> {
    let (whole, frac) = stored.split_once('.').unwrap_or((stored, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && frac.len() <= 2
        && frac.bytes().all(|b| b.is_ascii_digit());
    ok.then(|| (whole, format!("{frac:0<2}")))
}

/// Format checks that apply to every save, including drafts. Returns the cleaned data and the
/// problems found; nothing is stored when there is any.
pub fn check(input: &EntryInput) -> (EntryData, Vec<Problem>) {
    let mut p = Vec::new();
    if let Err(k) = validate::required(input.title, TITLE_MAX) {
        p.push(("title", k));
    }
    optional_text(&mut p, "summary", input.summary, SUMMARY_MAX);
    if input.summary.chars().count() > SUMMARY_MAX {
        p.retain(|(f, _)| *f != "summary");
        p.push(("summary", "err.summary_long"));
    }
    optional_text(&mut p, "description", input.description, DESCRIPTION_MAX);
    let started_on = date(&mut p, "started_on", input.started_on);
    let launched_on = date(&mut p, "launched_on", input.launched_on);
    if let (Some(s), Some(l)) = (started_on, launched_on)
        && l < s
    {
        p.push(("launched_on", "err.launch_before_start"));
    }
    let budget = match parse_budget(input.budget) {
        Ok(b) => b,
        Err(k) => {
            p.push(("budget", k));
            String::new()
        }
    };
    optional_text(&mut p, "funding", input.funding, TEXT_MAX);
    optional_text(&mut p, "partners", input.partners, TEXT_MAX);
    let links: Vec<String> = input
        .links
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect();
    if links.len() > MAX_LINKS {
        p.push(("links", "err.too_many_links"));
    } else if links.iter().any(|l| validate::http_url(l).is_err()) {
        p.push(("links", "err.links"));
    }
    optional_line(&mut p, "contact_name", input.contact_name, 120);
    let contact_email = validate::normalise_email(input.contact_email);
    if !contact_email.is_empty()
        && let Err(k) = validate::email(&contact_email)
    {
        p.push(("contact_email", k));
    }
    if !input.contact_phone.trim().is_empty()
        && let Err(k) = validate::phone(input.contact_phone)
    {
        p.push(("contact_phone", k));
    }
    let data = EntryData {
        title: validate::clean(input.title),
        summary: input.summary.trim().to_string(),
        description: input.description.trim().to_string(),
        started_on,
        launched_on,
        budget,
        funding: input.funding.trim().to_string(),
        partners: input.partners.trim().to_string(),
        links,
        contact_name: validate::clean(input.contact_name),
        contact_email,
        contact_phone: validate::clean(input.contact_phone),
        accepted_rules: input.accepted_rules,
        accepted_privacy: input.accepted_privacy,
    };
    (data, p)
}

/// What a submitted entry must have on top of the format checks.
pub fn missing_for_submission(d: &EntryData) -> Vec<Problem> {
    let mut p = Vec::new();
    if d.summary.is_empty() {
        p.push(("summary", "err.required"));
    }
    if d.description.is_empty() {
        p.push(("description", "err.required"));
    }
    if d.contact_name.is_empty() {
        p.push(("contact_name", "err.required"));
    }
    if d.contact_email.is_empty() {
        p.push(("contact_email", "err.required"));
    }
    if d.contact_phone.is_empty() {
        p.push(("contact_phone", "err.required"));
    }
    if !d.accepted_rules {
        p.push(("accepted_rules", "err.accept_rules"));
    }
    if !d.accepted_privacy {
        p.push(("accepted_privacy", "err.accept_privacy"));
    }
    p
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    fn input<'a>() -> EntryInput<'a> {
        EntryInput {
            title: "Ostrołęcka Karta Mieszkańca",
            summary: "Karta dla mieszkańców.",
            description: "Opis.",
            started_on: "2023-01-15",
            launched_on: "2024-05-01",
            budget: "1 250 000,5 zł",
            links: "https://karta.ostroleka.example\n\n http://ostroleka.example/e-uslugi ",
            contact_name: "Jan Nowak",
            contact_email: "Jan@Ostroleka.example",
            contact_phone: "29 764 68 11",
            accepted_rules: true,
            accepted_privacy: true,
            ..Default::default()
        }
    }

    #[test]
    fn a_complete_entry_passes() {
        let (d, p) = check(&input());
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(d.budget, "1250000.50");
        assert_eq!(d.links.len(), 2);
        assert_eq!(d.contact_email, "jan@ostroleka.example");
        assert!(missing_for_submission(&d).is_empty());
    }

    #[test]
    fn bad_fields_are_named() {
        let mut i = input();
        let long = "x".repeat(1001);
        i.summary = &long;
        i.links = "javascript:alert(1)";
        i.started_on = "2024-13-01";
        i.budget = "dużo";
        let (_, p) = check(&i);
        let fields: Vec<_> = p.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["summary", "started_on", "budget", "links"]);
        let mut i = input();
        i.started_on = "2024-06-01";
        i.launched_on = "2024-01-01";
        assert_eq!(
            check(&i).1,
            vec![("launched_on", "err.launch_before_start")]
        );
    }

    #[test]
    fn drafts_need_only_a_title_submissions_need_everything() {
        let i = EntryInput {
            title: "Roboczy",
            ..Default::default()
        };
        let (d, p) = check(&i);
        assert!(p.is_empty());
        let missing: Vec<_> = missing_for_submission(&d).iter().map(|(f, _)| *f).collect();
        assert_eq!(
            missing,
            vec![
                "summary",
                "description",
                "contact_name",
                "contact_email",
                "contact_phone",
                "accepted_rules",
                "accepted_privacy"
            ]
        );
        assert_eq!(
            check(&EntryInput::default()).1,
            vec![("title", "err.required")]
        );
    }

    #[test]
    fn reference_numbers() {
        assert_eq!(edition_code("VI edycja", 2026), "VI");
        assert_eq!(edition_code("XII", 2026), "XII");
        assert_eq!(edition_code("Edycja 2027", 2027), "2027");
        assert_eq!(edition_code("Vademecum", 2027), "2027");
        assert_eq!(edition_code("", 2027), "2027");
        assert_eq!(reference("VI", "II", 7), "VI/II/007");
        assert_eq!(reference("VI", "A 1", 1234), "VI/A1/1234");
    }

    #[test]
    fn budgets_as_people_read_them() {
        use crate::i18n::Lang;
        assert_eq!(format_budget("450000", Lang::Pl), "450\u{a0}000,00\u{a0}zł");
        assert_eq!(format_budget("450000", Lang::En), "PLN\u{a0}450,000.00");
        assert_eq!(
            format_budget("1250000.5", Lang::Pl),
            "1\u{a0}250\u{a0}000,50\u{a0}zł"
        );
        assert_eq!(format_budget("999.99", Lang::En), "PLN\u{a0}999.99");
        assert_eq!(format_budget("0", Lang::Pl), "0,00\u{a0}zł");
        assert_eq!(format_budget("1000", Lang::En), "PLN\u{a0}1,000.00");
        assert_eq!(format_budget("100", Lang::Pl), "100,00\u{a0}zł");
        assert_eq!(
            format_budget("1234567890123.45", Lang::En),
            "PLN\u{a0}1,234,567,890,123.45"
        );
        // What parse_budget stores reads back the same way.
        let stored = parse_budget("450 000,00 zł").unwrap();
        assert_eq!(format_budget(&stored, Lang::Pl), "450\u{a0}000,00\u{a0}zł");
        // Not a stored budget: shown as it is, never a panic.
        assert_eq!(format_budget("dużo", Lang::Pl), "dużo");
        assert_eq!(format_budget("1.2.3", Lang::Pl), "1.2.3");
        assert_eq!(budget_number("450000.5", Lang::Pl), "450000,50");
        assert_eq!(budget_number("450000", Lang::En), "450000.00");
    }

    #[test]
    fn budgets() {
        assert_eq!(parse_budget("").unwrap(), "");
        assert_eq!(parse_budget("0012").unwrap(), "12");
        assert_eq!(parse_budget("99,99 PLN").unwrap(), "99.99");
        assert!(parse_budget("1.2.3").is_err());
        assert!(parse_budget("-5").is_err());
        assert!(parse_budget("1,234").is_err());
    }

    #[test]
    fn who_may_change_what_and_when() {
        let now = chrono::NaiveDate::from_ymd_opt(2027, 3, 1)
            .unwrap()
            .and_hms_opt(0, 0, 0)
            .unwrap();
        assert!(editable(EntryStatus::Draft, None, true, now));
        assert!(!editable(EntryStatus::Submitted, None, false, now));
        assert!(editable(
            EntryStatus::Returned,
            Some(now + Duration::seconds(1)),
            false,
            now
        ));
        assert!(!editable(EntryStatus::Returned, Some(now), false, now));
        assert!(!editable(EntryStatus::Accepted, None, true, now));
        assert!(withdrawable(EntryStatus::Submitted, true));
        assert!(!withdrawable(EntryStatus::Returned, true));
        assert!(decidable(EntryStatus::Submitted, now, now));
        assert!(!decidable(
            EntryStatus::Submitted,
            now + Duration::seconds(1),
            now
        ));
    }
}
