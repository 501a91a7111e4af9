//! `konkurs demo`: the 6th edition of „Samorządowy Lider Cyfryzacji” as it ended — 13
//! institutions, their entries in three categories, a jury with scores consistent with the
//! awards, the protocol finalised and the results published — loaded into an empty database.
//! Facts come from the competition's press release; everything else (people, addresses,
//! scores, two of the institutions) is clearly fictional demo data.

use chrono::{NaiveDate, NaiveDateTime};

use diesel::RunQueryDsl;

use crate::config::Config;
use crate::db::editions::{self, EditionData, JudgingSettings};
use crate::db::institutions::{self, InstitutionData};
use crate::db::users::{self, NewUser};
use crate::db::{DbConn, DbError};
use crate::domain::awards::Award;
use crate::domain::edition::EditionState;
use crate::domain::entry::EntryData;
use crate::domain::roles::Role;
use crate::domain::{password, time, token};
use crate::services::editions::{self as svc_editions, Template};
use crate::services::entries::{self as svc_entries, Decision, Intent};
use crate::services::jury as svc_jury;
use crate::services::results;

/// (code, institution, kind, postal code, city, project or "" where the release names none, award).
pub type DemoEntry = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    Option<Award>,
);

pub const ENTRIES: &[DemoEntry] = &[
    (
        "I",
        "Urząd Miasta i Gminy Piaseczno",
        "gmina_miejsko_wiejska",
        "05-500",
        "Piaseczno",
        "Portale informacji przestrzennej: Informator, Mobilność, Budżet Gminy, Planowanie Przestrzenne oraz portale dla Straży Pożarnej",
        Some(Award::First),
    ),
    (
        "I",
        "Mazowieckie Biuro Planowania Regionalnego w Warszawie",
        "jednostka_samorzadowa",
        "00-001",
        "Warszawa",
        "Zintegrowany Monitoring Zagospodarowania Przestrzennego Województwa Mazowieckiego (portal mapowy)",
        Some(Award::Second),
    ),
    (
        "I",
        "Starostwo Powiatowe w Mińsku Mazowieckim",
        "powiat",
        "05-300",
        "Mińsk Mazowiecki",
        "System Informacji Przestrzennej",
        Some(Award::Third),
    ),
    (
        "I",
        "Urząd Miasta Ostrołęki",
        "miasto_npp",
        "07-400",
        "Ostrołęka",
        "",
        Some(Award::Mention),
    ),
    (
        "I",
        "Urząd Gminy Wiązowna",
        "gmina_wiejska",
        "05-462",
        "Wiązowna",
        "",
        Some(Award::Mention),
    ),
    (
        "II",
        "Urząd Miasta i Gminy w Białobrzegach",
        "gmina_miejsko_wiejska",
        "26-800",
        "Białobrzegi",
        "Portal e-Mieszkańca (m.in. Portfel e-Mieszkańca, System Qnet, System 4Parent)",
        Some(Award::First),
    ),
    (
        "II",
        "Urząd Gminy Michałowice",
        "gmina_wiejska",
        "05-816",
        "Michałowice",
        "Poprawa jakości świadczenia usług publicznych w formie elektronicznej w Gminie Michałowice",
        Some(Award::Second),
    ),
    (
        "II",
        "Urząd Miasta Ostrołęki",
        "miasto_npp",
        "07-400",
        "Ostrołęka",
        "Usługi elektroniczne Urzędu Miasta Ostrołęki",
        Some(Award::Third),
    ),
    (
        "II",
        "Urząd Miasta Pionki",
        "gmina_miejska",
        "26-670",
        "Pionki",
        "",
        Some(Award::Mention),
    ),
    (
        "II",
        "Gmina Przykładowo (instytucja fikcyjna, dane demonstracyjne)",
        "gmina_wiejska",
        "05-999",
        "Przykładowo",
        "Cyfrowe zgłoszenia mieszkańców (projekt fikcyjny)",
        None,
    ),
    (
        "III",
        "Urząd Miasta Ostrołęki",
        "miasto_npp",
        "07-400",
        "Ostrołęka",
        "Ostrołęcka Karta Mieszkańca",
        Some(Award::First),
    ),
    (
        "III",
        "Urząd Miasta i Gminy Piaseczno",
        "gmina_miejsko_wiejska",
        "05-500",
        "Piaseczno",
        "System dyspozytorski Urzędu Miasta i Gminy Piaseczno",
        Some(Award::Second),
    ),
    (
        "III",
        "Politechnika Warszawska",
        "uczelnia",
        "00-661",
        "Warszawa",
        "Transformacja cyfrowa PW",
        Some(Award::Third),
    ),
    (
        "III",
        "Urząd Gminy Izabelin",
        "gmina_wiejska",
        "05-080",
        "Izabelin",
        "",
        Some(Award::Mention),
    ),
    (
        "III",
        "Państwowe Muzeum Etnograficzne w Warszawie",
        "inna",
        "00-056",
        "Warszawa",
        "",
        Some(Award::Mention),
    ),
    (
        "III",
        "Powiat Wzorcowy (instytucja fikcyjna, dane demonstracyjne)",
        "powiat",
        "05-998",
        "Wzorcowo",
        "Otwarte dane powiatu (projekt fikcyjny)",
        None,
    ),
];

/// Fictional jurors: (name, affiliation, email).
pub const JURORS: &[(&str, &str, &str)] = &[
    (
        "dr Katarzyna Demo-Wiśniewska",
        "Uczelnia Demonstracyjna (fikcyjna)",
        "k.wisniewska@jury.demo.example",
    ),
    (
        "Marek Demo-Zieliński",
        "Fundacja Przykładowa (fikcyjna)",
        "m.zielinski@jury.demo.example",
    ),
    (
        "Joanna Demo-Lewandowska",
        "Stowarzyszenie Wzorcowe (fikcyjne)",
        "j.lewandowska@jury.demo.example",
    ),
    (
        "Piotr Demo-Kamiński",
        "Instytut Modelowy (fikcyjny)",
        "p.kaminski@jury.demo.example",
    ),
    (
        "Ewa Demo-Dąbrowska",
        "Politechnika Warszawska (afiliacja fikcyjna)",
        "e.dabrowska@jury.demo.example",
    ),
];

const COMMENTS: &[&str] = &[
    "Rozwiązanie dojrzałe, dobrze udokumentowane efekty dla mieszkańców.",
    "Wyróżnia się skalą wdrożenia i otwartością danych.",
    "Ciekawy pomysł; warto rozwinąć dostępność na urządzeniach mobilnych.",
    "Solidne wdrożenie, łatwe do powielenia w innych samorządach.",
    "Dobra jakość usług, czytelny opis korzyści.",
];

pub struct Account {
    pub role: Role,
    pub name: String,
    pub email: String,
}

pub struct Loaded {
    pub accounts: Vec<Account>,
    pub password: String,
    pub slug: String,
}

fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> NaiveDateTime {
    // Entered as Warsaw wall-clock time, stored in UTC.
    let local = NaiveDate::from_ymd_opt(y, m, d)
        .and_then(|x| x.and_hms_opt(h, min, 0))
        .unwrap_or_default();
    time::parse_warsaw(&local.format("%Y-%m-%dT%H:%M").to_string()).unwrap_or(local)
}

/// The base points an entry gets on every criterion from its award (the jury's view of it).
fn base_points(award: Option<Award>) -> i32 {
    match award {
        Some(Award::First) => 9,
        Some(Award::Second) => 8,
        Some(Award::Third) => 7,
        Some(Award::Mention) => 6,
        None => 4,
    }
}

/// Refuses a database that holds anything: the demo is loaded into an empty one.
pub fn check_empty(c: &mut DbConn) -> Result<(), String> {
    let users = users::count_all(c).map_err(|e| e.to_string())?;
    let eds = editions::list_all(c).map_err(|e| e.to_string())?.len();
    if users > 0 || eds > 0 {
        return Err(format!(
            "the database already holds data ({users} accounts, {eds} editions); `konkurs demo` loads the model \
             edition only into an empty database: point it at a fresh one with --data-dir or DATABASE_URL"
        ));
    }
    Ok(())
}

/// Loads the model edition through the same services the site uses, each step at the moment
/// it happened in 2025 (the services take the time as a parameter): the call opens, entries are
/// submitted during it, the call closes, the organisers accept them, the jury declares and
/// scores before its deadline, the awards are set, the protocol finalised and the results
/// published. Only the accounts and institutions are written directly (registration would need
/// the emailed links). The services commit step by step: on a failure, start again with a fresh
/// database.
pub fn load(c: &mut DbConn, cfg: &Config) -> Result<Loaded, String> {
    check_empty(c)?;
    let pw = format!("demo-{}", &token::generate()[..10]);
    // Every demo account has the same password: hashed once.
    let hash = password::hash(&pw);
    build(c, cfg, &pw, &hash)
}

fn user(
    c: &mut DbConn,
    email: &str,
    name: &str,
    role: Role,
    inst: Option<i32>,
    aff: Option<&str>,
    hash: &str,
) -> Result<i32, DbError> {
    let now = at(2025, 2, 10, 9, 0);
    let uid = users::insert(
        c,
        &NewUser {
            email,
            name,
            password_hash: Some(hash),
            role,
            institution_id: inst,
            affiliation: aff,
            lang: "pl",
            email_verified_at: Some(now),
            created_at: now,
            updated_at: now,
        },
    )?;
    crate::services::rodo::acknowledge_current(c, uid, now)?;
    Ok(uid)
}

fn slugify(s: &str) -> String {
    let map = |c: char| match c.to_ascii_lowercase() {
        'ą' | 'Ą' => 'a',
        'ć' | 'Ć' => 'c',
        'ę' | 'Ę' => 'e',
        'ł' | 'Ł' => 'l',
        'ń' | 'Ń' => 'n',
        'ó' | 'Ó' => 'o',
        'ś' | 'Ś' => 's',
        'ź' | 'Ź' | 'ż' | 'Ż' => 'z',
        x if x.is_ascii_alphanumeric() => x,
        _ => '-',
    };
    let s: String = s.chars().map(map).collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}

/// A step of the loader that failed, as a message.
fn failed<E: std::fmt::Debug>(step: &'static str) -> impl Fn(E) -> String {
    move |e| format!("demo: {step} failed: {e:?}")
}

fn build(c: &mut DbConn, cfg: &Config, pw: &str, hash: &str) -> Result<Loaded, String> {
    let created = at(2025, 2, 10, 9, 0);
    let db = failed::<DbError>("writing an account");
    let mut accounts = Vec::new();
    let org_email = "organizator@mazovia.demo.example";
    let org_id = user(
        c,
        org_email,
        "Organizator Demo",
        Role::Organiser,
        None,
        None,
        hash,
    )
    .map_err(&db)?;
    accounts.push(Account {
        role: Role::Organiser,
        name: "Organizator Demo".into(),
        email: org_email.into(),
    });

    // The edition from the model (its categories and criteria), set up and opened in February.
    let edition_id = svc_editions::create(
        c,
        org_id,
        &EditionData {
            slug: "vi-edycja".into(),
            name: "VI edycja".into(),
            name_en: "6th edition".into(),
            year: 2025,
            rules: "# Regulamin konkursu (wersja demonstracyjna)\n\n1. Konkurs jest skierowany do samorządów i instytucji publicznych województwa mazowieckiego.\n2. Zgłoszenia przyjmujemy w trzech kategoriach, jedno zgłoszenie instytucji w kategorii.\n3. Zgłoszenia ocenia jury według opublikowanych kryteriów.\n".into(),
            rules_en: "# Competition rules (demo version)\n\n1. The competition is open to local governments and public institutions of the Masovian Voivodeship.\n2. Entries are accepted in three categories, one entry per institution and category.\n3. The jury scores the entries on the published criteria.\n".into(),
            opens_at: at(2025, 3, 1, 9, 0),
            closes_at: at(2025, 4, 30, 23, 59),
            judging_deadline: at(2025, 5, 31, 23, 59),
            entries_per_category: 1,
            retention_years: crate::domain::retention::DEFAULT_YEARS,
        },
        Template::Model,
        created,
    )
    .map_err(failed("creating the edition"))?;
    let cat_ids: Vec<(String, i32)> = editions::categories(c, edition_id)
        .map_err(failed("reading categories"))?
        .into_iter()
        .map(|x| (x.code, x.id))
        .collect();
    let criteria = editions::criteria(c, edition_id).map_err(failed("reading criteria"))?;
    results::save_settings(
        c,
        org_id,
        edition_id,
        &JudgingSettings {
            blind_judging: false,
            aggregation: crate::domain::ranking::Aggregation::Mean,
            tie_break_criterion_id: criteria.first().map(|x| x.id),
            show_scores: true,
        },
        at(2025, 2, 10, 9, 30),
    )
    .map_err(failed("judging settings"))?;
    svc_editions::transition(
        c,
        cfg,
        org_id,
        edition_id,
        EditionState::Open,
        at(2025, 2, 20, 9, 0),
    )
    .map_err(failed("opening the call"))?;

    // Institutions (one account each) submit their entries during the call.
    // (institution name, institution id, its applicant's user id)
    let mut inst_ids: Vec<(&str, i32, i32)> = Vec::new();
    let mut entry_ids = Vec::new();
    for (n, (code, inst, kind, postal, city, project, award)) in ENTRIES.iter().enumerate() {
        let (inst_id, author) = match inst_ids.iter().find(|(name, _, _)| name == inst) {
            Some((_, id, author)) => (*id, *author),
            None => {
                let id = institutions::insert(
                    c,
                    &InstitutionData {
                        name: inst.to_string(),
                        kind: kind.to_string(),
                        teryt: None,
                        street: "ul. Demonstracyjna 1".into(),
                        postal_code: postal.to_string(),
                        city: city.to_string(),
                        contact_person: format!("Osoba kontaktowa {}", inst_ids.len() + 1),
                        phone: "22 000 00 00".into(),
                    },
                    created,
                )
                .map_err(failed("writing an institution"))?;
                let email = format!(
                    "{}@demo.example",
                    slugify(inst).chars().take(40).collect::<String>()
                );
                let name = format!("Osoba kontaktowa {}", inst_ids.len() + 1);
                let author =
                    user(c, &email, &name, Role::Applicant, Some(id), None, hash).map_err(&db)?;
                accounts.push(Account {
                    role: Role::Applicant,
                    name: format!("{name} ({inst})"),
                    email,
                });
                inst_ids.push((inst, id, author));
                (id, author)
            }
        };
        let cat_id = cat_ids
            .iter()
            .find(|(cc, _)| cc == code)
            .map(|(_, id)| *id)
            .unwrap_or(0);
        // The release names no project for some mentions: a neutral title, not an invented one.
        let title = if project.is_empty() {
            format!("Zgłoszenie w kategorii {code}")
        } else {
            project.to_string()
        };
        let applicant = users::find(c, author)
            .map_err(failed("reading an applicant"))?
            .ok_or("demo: an applicant vanished")?;
        // Spread the demo dates over the months and days (n is small).
        let (month, day) = (
            u32::try_from(n % 12).unwrap_or(0),
            u32::try_from(n % 15).unwrap_or(0),
        );
        let data = EntryData {
            title,
            summary: format!("Zgłoszenie demonstracyjne instytucji {inst} w kategorii {code}."),
            description: "Opis w danych demonstracyjnych: cele projektu, rozwiązanie, korzyści dla mieszkańców i efekty wdrożenia.".into(),
            started_on: NaiveDate::from_ymd_opt(2023, 1 + month, 1),
            launched_on: NaiveDate::from_ymd_opt(2024, 1 + month, 15),
            budget: String::new(),
            funding: String::new(),
            partners: String::new(),
            links: Vec::new(),
            contact_name: "Osoba kontaktowa (demo)".into(),
            contact_email: "kontakt@demo.example".into(),
            contact_phone: "22 000 00 00".into(),
            accepted_rules: true,
            accepted_privacy: true,
        };
        let submitted = at(2025, 4, 10 + day, 12, 0);
        let id = svc_entries::create(
            c,
            cfg,
            &applicant,
            edition_id,
            cat_id,
            &data,
            Intent::Submit,
            submitted,
        )
        .map_err(failed("submitting an entry"))?;
        entry_ids.push((id, cat_id, inst_id, *award));
    }

    // The call closes; the organisers accept every entry.
    svc_editions::transition(
        c,
        cfg,
        org_id,
        edition_id,
        EditionState::Closed,
        at(2025, 5, 1, 9, 0),
    )
    .map_err(failed("closing the call"))?;
    for (id, ..) in &entry_ids {
        svc_entries::decide(
            c,
            cfg,
            org_id,
            *id,
            &Decision::Accept,
            at(2025, 5, 5, 10, 0),
        )
        .map_err(failed("accepting an entry"))?;
    }

    // The jury: every juror judges every category; one has a conflict with an institution.
    let all_categories: Vec<i32> = cat_ids.iter().map(|(_, id)| *id).collect();
    let mut juror_ids = Vec::new();
    for (name, aff, email) in JURORS {
        let id = user(c, email, name, Role::Juror, None, Some(aff), hash).map_err(&db)?;
        accounts.push(Account {
            role: Role::Juror,
            name: name.to_string(),
            email: email.to_string(),
        });
        svc_jury::declare(c, id, edition_id, at(2025, 5, 6, 9, 0))
            .map_err(failed("a juror's declaration"))?;
        svc_jury::set_categories(
            c,
            org_id,
            edition_id,
            id,
            &all_categories,
            at(2025, 5, 6, 9, 30),
        )
        .map_err(failed("a juror's categories"))?;
        juror_ids.push(id);
    }
    let pw_inst = inst_ids
        .iter()
        .find(|(n, _, _)| *n == "Politechnika Warszawska")
        .map(|(_, id, _)| *id);
    let conflicted_juror = juror_ids[4];
    if let Some(pw_id) = pw_inst {
        svc_jury::add_conflict(
            c,
            conflicted_juror,
            edition_id,
            conflicted_juror,
            pw_id,
            "afiliacja (dane demonstracyjne)",
            at(2025, 5, 6, 9, 45),
        )
        .map_err(failed("a conflict of interest"))?;
    }
    svc_editions::transition(
        c,
        cfg,
        org_id,
        edition_id,
        EditionState::Judging,
        at(2025, 5, 6, 10, 0),
    )
    .map_err(failed("starting the judging"))?;

    // Scores that lead to the awards, submitted before the judging deadline: each juror's
    // severity shifts all their points alike, and a small pattern varies criteria without
    // changing the order the awards imply.
    for (ei, (entry_id, _cat, inst_id, award)) in entry_ids.iter().enumerate() {
        for (ji, juror) in juror_ids.iter().enumerate() {
            if *juror == conflicted_juror && Some(*inst_id) == pw_inst {
                continue;
            }
            let severity = [0, -1, 1, 0, -1][ji];
            let points: Vec<(i32, String)> = criteria
                .iter()
                .enumerate()
                .map(|(ci, cr)| {
                    let wobble = match (ei + ci + ji) % 3 {
                        0 if ci >= 2 => 1,
                        1 if ci >= 2 => -1,
                        _ => 0,
                    };
                    let p = (base_points(*award) + severity + wobble).clamp(0, cr.max_points);
                    (cr.id, p.to_string())
                })
                .collect();
            svc_jury::save(
                c,
                *juror,
                *entry_id,
                &points,
                COMMENTS[(ei + ji) % COMMENTS.len()],
                svc_jury::ScoreStep::Submit,
                at(2025, 5, 20, 12, 0),
            )
            .map_err(failed("a review"))?;
        }
    }

    // After the deadline: the awards, the protocol, the results.
    for (_, cat_id) in &cat_ids {
        let chosen: Vec<(i32, Award, i32)> = entry_ids
            .iter()
            .filter(|(_, cat, _, _)| cat == cat_id)
            .filter_map(|(id, _, _, award)| award.map(|a| (*id, a)))
            .scan(0, |mentions, (id, a)| {
                let position = if a.is_place() {
                    0
                } else {
                    *mentions += 1;
                    *mentions
                };
                Some((id, a, position))
            })
            .collect();
        results::set_awards(
            c,
            org_id,
            edition_id,
            *cat_id,
            &chosen,
            false,
            at(2025, 6, 2, 14, 0),
        )
        .map_err(failed("the awards"))?;
    }
    results::finalise_protocol(c, org_id, edition_id, at(2025, 6, 3, 10, 0))
        .map_err(failed("finalising the protocol"))?;
    svc_editions::transition(
        c,
        cfg,
        org_id,
        edition_id,
        EditionState::Published,
        at(2025, 6, 16, 12, 0),
    )
    .map_err(failed("publishing the results"))?;

    // The confirmations and decisions the services queued went to made-up addresses in 2025:
    // nobody is there to read them, and a server started on this database must not send them.
    diesel::delete(crate::db::schema::outbox::table)
        .execute(c)
        .map_err(failed("emptying the outbox"))?;
    Ok(Loaded {
        accounts,
        password: pw.to_string(),
        slug: "vi-edycja".into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_model_edition_has_thirteen_institutions_and_the_awards_of_the_release() {
        let mut names: Vec<&str> = ENTRIES.iter().map(|e| e.1).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), 13);
        let firsts: Vec<&str> = ENTRIES
            .iter()
            .filter(|e| e.6 == Some(Award::First))
            .map(|e| e.1)
            .collect();
        assert_eq!(
            firsts,
            vec![
                "Urząd Miasta i Gminy Piaseczno",
                "Urząd Miasta i Gminy w Białobrzegach",
                "Urząd Miasta Ostrołęki"
            ]
        );
        assert_eq!(
            ENTRIES
                .iter()
                .filter(|e| e.6 == Some(Award::Mention))
                .count(),
            5
        );
        assert_eq!(slugify("Urząd Miasta Ostrołęki"), "urzad-miasta-ostroleki");
    }
}
