//! The audit log in words: every kind of event the services record (`"entry:submit"`…), its
//! text in both languages (`audit.kind.entry_submit`), and how one stored row — a kind, an
//! object and the kind's own details — reads to an organiser ("Przyznano II miejsce: Urząd Gminy
//! Michałowice — Geoportal"). Names come from a lookup the caller fills from the database; a
//! row whose object is gone still reads, with its number.

use std::collections::HashMap;

use crate::domain::awards::Award;
use crate::domain::edition::EditionState;
use crate::domain::ranking::Aggregation;
use crate::domain::roles::Role;
use crate::i18n::Lang;

/// Every kind of event recorded with `db::audit::record`. A unit test fails when the code
/// records a kind that is not here, or one here has no text in either language.
pub const KINDS: &[&str] = &[
    "attachment:add",
    "attachment:remove",
    "award:set",
    "category:delete",
    "category:save",
    "criterion:delete",
    "criterion:save",
    "edition:create",
    "edition:judging_settings",
    "edition:state",
    "edition:update",
    "entry:accept",
    "entry:create",
    "entry:reject",
    "entry:return",
    "entry:submit",
    "entry:update",
    "entry:withdraw",
    "institution:anonymise",
    "institution:invite",
    "institution:register",
    "institution:update",
    "juror:accept_invitation",
    "juror:invite",
    "jury:assign",
    "jury:categories",
    "jury:conflict",
    "jury:conflict_removed",
    "jury:declaration",
    "jury:remind",
    "jury:reopen",
    "jury:submit",
    "jury:unassign",
    "outbox:retry",
    "privacy:acknowledge",
    "protocol:finalise",
    "results:announce",
    "results:publish_scheduled",
    "results:schedule",
    "results:schedule_cancel",
    "results:schedule_failed",
    "site:texts",
    "site:two_factor_policy",
    "user:accept_invitation",
    "user:anonymise",
    "user:change_password",
    "user:create_organiser",
    "user:disable",
    "user:enable",
    "user:mail_settings",
    "user:reset_password",
    "user:two_factor_codes",
    "user:two_factor_disable",
    "user:two_factor_enable",
    "user:two_factor_recovery",
    "user:two_factor_remember",
    "user:two_factor_reset",
    "user:verify_email",
];

/// The text key of an event kind: `entry:submit` → `audit.kind.entry_submit`.
pub fn kind_key(kind: &str) -> String {
    format!("audit.kind.{}", kind.replace(':', "_"))
}

/// What the filter and the log call a kind; an unknown kind (recorded by a newer version, say)
/// shows as it is stored.
pub fn kind_label(kind: &str, l: Lang) -> String {
    if KINDS.contains(&kind) {
        l.t(&kind_key(kind)).to_string()
    } else {
        kind.to_string()
    }
}

/// Names of the objects a page of the log mentions, by id.
#[derive(Default, Debug)]
pub struct Names {
    /// Entry → (institution, title, reference number once given).
    pub entries: HashMap<i32, (String, String, Option<String>)>,
    /// Edition → (name, English name).
    pub editions: HashMap<i32, (String, String)>,
    /// User → (name, email).
    pub users: HashMap<i32, (String, String)>,
    pub institutions: HashMap<i32, String>,
    /// Category → code.
    pub categories: HashMap<i32, String>,
    /// Outbox message → (address, subject).
    pub outbox: HashMap<i32, (String, String)>,
}

/// Ids a row's details mention, to be looked up with its object.
#[derive(Default, Debug)]
pub struct Wanted {
    pub entries: Vec<i32>,
    pub editions: Vec<i32>,
    pub users: Vec<i32>,
    pub institutions: Vec<i32>,
    pub categories: Vec<i32>,
    pub outbox: Vec<i32>,
}

impl Wanted {
    /// Adds what one row needs: its object and the ids in its details.
    pub fn add(&mut self, action: &str, object_type: &str, object_id: Option<i32>, details: &str) {
        if let Some(id) = object_id {
            match object_type {
                "entry" => self.entries.push(id),
                "edition" => self.editions.push(id),
                "user" => self.users.push(id),
                "institution" => self.institutions.push(id),
                "outbox" => self.outbox.push(id),
                _ => {}
            }
        }
        match action {
            "award:set" => self
                .entries
                .extend(parse_awards(details).1.into_iter().map(|(id, _)| id)),
            "jury:categories" => self.categories.extend(parse_ids(details)),
            "jury:conflict" | "jury:conflict_removed" => {
                if let Some((id, _)) = parse_conflict(details) {
                    self.institutions.push(id);
                }
            }
            "jury:reopen" | "jury:assign" | "jury:unassign" => {
                self.users.extend(details.trim().parse::<i32>().ok());
            }
            _ => {}
        }
    }
}

/// One row of the log in words: one or more sentences saying what happened, then labelled
/// details.
#[derive(Debug, PartialEq, Eq)]
pub struct Described {
    pub event: Vec<String>,
    pub details: Vec<(String, String)>,
}

/// "II 12:1 13:mention" (category code, then entry:award) as written by `award:set`.
pub fn parse_awards(details: &str) -> (String, Vec<(i32, Award)>) {
    let mut parts = details.split_whitespace();
    let code = parts.next().unwrap_or_default().to_string();
    let awards = parts
        .filter_map(|p| {
            let (id, award) = p.split_once(':')?;
            Some((id.parse().ok()?, Award::parse(award)?))
        })
        .collect();
    (code, awards)
}

/// "{3, 4}" or "[3, 4]" (category ids, a set or a list as Rust prints it) as written by
/// `jury:categories`.
pub fn parse_ids(details: &str) -> Vec<i32> {
    let mut ids: Vec<i32> = details
        .trim()
        .trim_matches(|c| matches!(c, '[' | ']' | '{' | '}'))
        .split(',')
        .filter_map(|p| p.trim().parse().ok())
        .collect();
    ids.sort_unstable();
    ids
}

/// "institution 5: reason" or "institution 5" as written by the conflict events.
pub fn parse_conflict(details: &str) -> Option<(i32, String)> {
    let rest = details.strip_prefix("institution ")?;
    let (id, reason) = match rest.split_once(':') {
        Some((id, reason)) => (id, reason.trim()),
        None => (rest, ""),
    };
    Some((id.trim().parse().ok()?, reason.to_string()))
}

fn entry_name(names: &Names, id: i32, l: Lang) -> String {
    match names.entries.get(&id) {
        Some((inst, title, Some(no))) => format!("{inst} — {no} {title}"),
        Some((inst, title, None)) => format!("{inst} — {title}"),
        None => l.tf("audit.missing", &[("id", &id)]),
    }
}

/// The object of a row, by name.
fn object_name(names: &Names, object_type: &str, id: Option<i32>, l: Lang) -> Option<String> {
    let id = id?;
    let missing = || l.tf("audit.missing", &[("id", &id)]);
    Some(match object_type {
        "entry" => entry_name(names, id, l),
        "edition" => match names.editions.get(&id) {
            Some((_, en)) if l == Lang::En && !en.trim().is_empty() => en.clone(),
            Some((pl, _)) => pl.clone(),
            None => missing(),
        },
        "user" => match names.users.get(&id) {
            Some((name, email)) if !name.trim().is_empty() => format!("{name} ({email})"),
            Some((_, email)) => email.clone(),
            None => missing(),
        },
        "institution" => names.institutions.get(&id).cloned().unwrap_or_else(missing),
        "outbox" => match names.outbox.get(&id) {
            Some((to, subject)) => format!("{to}: {subject}"),
            None => missing(),
        },
        _ => missing(),
    })
}

/// How a stored row reads in `l`.
pub fn describe(
    action: &str,
    object_type: &str,
    object_id: Option<i32>,
    details: &str,
    names: &Names,
    l: Lang,
) -> Described {
    let label = kind_label(action, l);
    let object = object_name(names, object_type, object_id, l);
    let headline = match &object {
        Some(o) => format!("{label}: {o}"),
        None => label.clone(),
    };
    let d = |key: &str, value: String| (l.t(key).to_string(), value);
    let mut event = vec![headline];
    let mut extra = Vec::new();
    let details = details.trim();
    match action {
        "award:set" => {
            let (code, awards) = parse_awards(details);
            event = if awards.is_empty() {
                vec![l.tf("audit.awards_cleared", &[("category", &code)])]
            } else {
                awards
                    .iter()
                    .map(|(id, a)| {
                        l.tf(
                            "audit.award_given",
                            &[
                                ("award", &l.t(a.label_key())),
                                ("entry", &entry_name(names, *id, l)),
                            ],
                        )
                    })
                    .collect()
            };
            extra.push(d("audit.d_category", code));
            if let Some(o) = object {
                extra.push(d("audit.d_edition", o));
            }
        }
        "attachment:add" | "attachment:remove" if !details.is_empty() => {
            extra.push(d("audit.d_file", details.to_string()));
        }
        "category:save" | "category:delete" if !details.is_empty() => {
            extra.push(d("audit.d_category", details.to_string()));
        }
        "criterion:save" | "criterion:delete" if !details.is_empty() => {
            extra.push(d("audit.d_criterion", details.to_string()));
        }
        "edition:state" => {
            if let Some(s) = EditionState::parse(details) {
                extra.push(d("audit.d_state", l.t(s.label_key()).to_string()));
            }
        }
        "edition:judging_settings" => {
            if let Some(a) = Aggregation::parse(details) {
                extra.push(d("audit.d_aggregation", l.t(a.label_key()).to_string()));
            }
        }
        "entry:reject" | "entry:return" if !details.is_empty() => {
            extra.push(d("audit.d_reason", details.to_string()));
        }
        "institution:invite"
        | "juror:invite"
        | "user:disable"
        | "user:enable"
        | "user:create_organiser"
        | "user:two_factor_reset"
            if !details.is_empty() =>
        {
            extra.push(d("audit.d_email", details.to_string()));
        }
        "site:two_factor_policy" => {
            let value = match details {
                "on" => l.t("audit.yes"),
                "off" => l.t("audit.no"),
                _ => "—",
            };
            extra.push(d("audit.d_two_factor_required", value.to_string()));
        }
        "user:anonymise" | "institution:anonymise" if details == "retention" => {
            extra.push(d("audit.d_reason", l.t("audit.by_retention").to_string()));
        }
        "institution:anonymise" if details.parse::<u32>().is_ok() => {
            extra.push(d("audit.d_attachments_deleted", details.to_string()));
        }
        "privacy:acknowledge" if !details.is_empty() => {
            extra.push(d("acknowledge.version", details.to_string()));
        }
        "user:accept_invitation" => {
            if let Some(r) = Role::parse(details) {
                extra.push(d("audit.d_role", l.t(r.label_key()).to_string()));
            }
        }
        "jury:categories" => {
            let codes: Vec<String> = parse_ids(details)
                .into_iter()
                .filter_map(|id| names.categories.get(&id).cloned())
                .collect();
            let value = if codes.is_empty() {
                l.t("audit.none").to_string()
            } else {
                codes.join(", ")
            };
            extra.push(d("audit.d_categories", value));
        }
        "jury:conflict" | "jury:conflict_removed" => {
            if let Some((id, reason)) = parse_conflict(details) {
                let inst = names
                    .institutions
                    .get(&id)
                    .cloned()
                    .unwrap_or_else(|| l.tf("audit.missing", &[("id", &id)]));
                extra.push(d("audit.d_institution", inst));
                if !reason.is_empty() {
                    extra.push(d("audit.d_conflict_reason", reason));
                }
            }
        }
        "jury:reopen" | "jury:assign" | "jury:unassign" => {
            if let Ok(id) = details.parse::<i32>() {
                let who = object_name(names, "user", Some(id), l).unwrap_or_default();
                extra.push(d("audit.d_juror", who));
            }
        }
        "jury:remind" if !details.is_empty() => {
            extra.push(d("audit.d_reminders", details.to_string()));
        }
        "results:announce" | "results:publish_scheduled" if !details.is_empty() => {
            extra.push(d("audit.d_messages", details.to_string()));
        }
        "results:schedule" => {
            let (at, announce) = details.split_once(' ').unwrap_or((details, ""));
            if let Ok(t) = chrono::NaiveDateTime::parse_from_str(at, "%Y-%m-%dT%H:%M") {
                extra.push(d("audit.d_publish_at", crate::domain::time::format(t, l)));
            }
            let yes = if announce == "announce" {
                "publication.announce_yes"
            } else {
                "publication.announce_no"
            };
            extra.push(d("audit.d_announce", l.t(yes).to_string()));
        }
        "results:schedule_failed" if !details.is_empty() => {
            extra.push(d("audit.d_reason", l.t(details).to_string()));
        }
        // The name an object had when it was created or changed, when it differs from today's.
        "entry:create"
        | "entry:update"
        | "entry:withdraw"
        | "edition:create"
        | "edition:update"
        | "institution:register"
        | "institution:update" => {}
        _ if !KINDS.contains(&action) && !details.is_empty() => {
            extra.push(d("audit.details", details.to_string()));
        }
        _ => {}
    }
    Described {
        event,
        details: extra,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;
    use std::path::Path;

    fn names() -> Names {
        let mut n = Names::default();
        n.entries.insert(
            7,
            (
                "Urząd Gminy Michałowice".into(),
                "Geoportal gminy".into(),
                Some("VI/II/007".into()),
            ),
        );
        n.entries
            .insert(8, ("Powiat Wzorcowy".into(), "E-usługi".into(), None));
        n.editions
            .insert(1, ("VI edycja".into(), "6th edition".into()));
        n.users
            .insert(3, ("Anna Nowak".into(), "anna@jury.example".into()));
        n.institutions.insert(5, "Gmina Piaseczno".into());
        n.categories.insert(11, "I".into());
        n.categories.insert(12, "II".into());
        n
    }

    #[test]
    fn awards_read_as_sentences_in_both_languages() {
        let pl = describe(
            "award:set",
            "edition",
            Some(1),
            "II 7:2 8:mention",
            &names(),
            Lang::Pl,
        );
        assert_eq!(
            pl.event,
            vec![
                "Przyznano II miejsce: Urząd Gminy Michałowice — VI/II/007 Geoportal gminy",
                "Przyznano wyróżnienie: Powiat Wzorcowy — E-usługi",
            ]
        );
        assert!(pl.details.contains(&("Kategoria".into(), "II".into())));
        assert!(pl.details.contains(&("Edycja".into(), "VI edycja".into())));
        let en = describe(
            "award:set",
            "edition",
            Some(1),
            "II 7:2",
            &names(),
            Lang::En,
        );
        assert_eq!(
            en.event,
            vec!["Awarded 2nd place: Urząd Gminy Michałowice — VI/II/007 Geoportal gminy"]
        );
        assert!(
            en.details
                .contains(&("Edition".into(), "6th edition".into()))
        );
        let none = describe("award:set", "edition", Some(1), "II", &names(), Lang::Pl);
        assert_eq!(none.event, vec!["Usunięto nagrody w kategorii II"]);
    }

    #[test]
    fn codes_and_ids_become_words() {
        let s = describe(
            "edition:state",
            "edition",
            Some(1),
            "judging",
            &names(),
            Lang::Pl,
        );
        assert_eq!(s.event, vec!["Zmieniono etap edycji: VI edycja"]);
        assert_eq!(s.details, vec![("Nowy etap".into(), "ocena jury".into())]);
        let c = describe(
            "jury:categories",
            "user",
            Some(3),
            "[11, 12]",
            &names(),
            Lang::Pl,
        );
        assert_eq!(
            c.details,
            vec![("Kategorie".into(), "I, II".into())],
            "{c:?}"
        );
        let k = describe(
            "jury:conflict",
            "user",
            Some(3),
            "institution 5: współpraca",
            &names(),
            Lang::Pl,
        );
        assert!(
            k.details
                .contains(&("Instytucja".into(), "Gmina Piaseczno".into()))
        );
        assert!(k.details.contains(&("Powód".into(), "współpraca".into())));
        let gone = describe("entry:submit", "entry", Some(99), "", &names(), Lang::En);
        assert_eq!(
            gone.event,
            vec!["Entry submitted: no. 99 (no longer exists)"]
        );
        let unknown = describe("site:frobnicate", "site", None, "x", &names(), Lang::Pl);
        assert_eq!(unknown.event, vec!["site:frobnicate"]);
    }

    #[test]
    fn erasures_say_why_without_the_erased_data() {
        let by_job = describe(
            "user:anonymise",
            "user",
            Some(3),
            "retention",
            &names(),
            Lang::Pl,
        );
        assert!(by_job.details.contains(&(
            "Uzasadnienie".into(),
            "upłynął okres przechowywania danych edycji".into()
        )));
        let by_organiser = describe("user:anonymise", "user", Some(3), "", &names(), Lang::En);
        assert!(by_organiser.details.is_empty());
        let ack = describe(
            "privacy:acknowledge",
            "user",
            Some(3),
            "2",
            &names(),
            Lang::Pl,
        );
        assert!(
            ack.details
                .contains(&("Wersja klauzuli".into(), "2".into()))
        );
    }

    #[test]
    fn every_kind_has_a_text_in_both_languages() {
        for kind in KINDS {
            let key = kind_key(kind);
            assert!(
                Lang::has(&key),
                "no text for the audit event {kind} ({key})"
            );
        }
    }

    /// Every kind the services record (a literal like "entry:submit" in a file that calls
    /// `audit::record`) is in `KINDS`, so it has a text.
    #[test]
    fn every_recorded_kind_is_listed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut found = BTreeSet::new();
        visit(&root, &mut |path, text| {
            // This file names kinds in its tests; the services are what record them.
            if path.ends_with("domain/audit.rs") || !text.contains("audit::record(") {
                return;
            }
            for part in text.split('"') {
                let Some((ns, verb)) = part.split_once(':') else {
                    continue;
                };
                let word = |s: &str| {
                    !s.is_empty() && s.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                };
                if word(ns) && word(verb) {
                    found.insert(part.to_string());
                }
            }
        });
        assert!(found.contains("entry:submit"), "{found:?}");
        let missing: Vec<_> = found
            .iter()
            .filter(|k| !KINDS.contains(&k.as_str()))
            .collect();
        assert!(
            missing.is_empty(),
            "audit events without a text (add them to domain::audit::KINDS and both .ftl files): {missing:?}"
        );
    }

    fn visit(dir: &Path, f: &mut dyn FnMut(&Path, &str)) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, f);
            } else if path.extension().is_some_and(|e| e == "rs")
                && let Ok(text) = std::fs::read_to_string(&path)
            {
                f(&path, &text);
            }
        }
    }
}
