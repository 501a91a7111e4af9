//! From scores to winners: the ranking proposal, the organisers' awards, the jury protocol,
//! and announcing the results to every participating institution.

use chrono::NaiveDateTime;
use std::collections::{HashMap, HashSet};

use crate::config::Config;
use crate::db::awards::{self, Laureate};
use crate::db::editions::{self, Edition};
use crate::db::entries;
use crate::db::users;
use crate::db::{DbConn, DbError, audit, jury, lock_row, tx};
use crate::domain::awards::{self as award_rules, Award};
use crate::domain::chain::{self, ChainKind};
use crate::domain::edition::EditionState;
use crate::domain::entry::EntryStatus;
use crate::domain::mail::OutboxStatus;
use crate::domain::ranking::{self, Aggregation, Candidate, Judgement, Ranked};
use crate::i18n::Lang;
use crate::mail::{self, Content, Recipient};
use crate::services::accounts::recipient;
use crate::urls;

#[derive(Debug, thiserror::Error)]
pub enum ResultsError {
    #[error("no such edition or entry")]
    NotFound,
    /// The step is not possible now; the message key says why.
    #[error("refused: {0}")]
    Refused(&'static str),
    /// A place given twice without declaring a tie.
    #[error("place {0:?} given twice")]
    DuplicatePlace(Award),
    #[error(transparent)]
    Db(#[from] DbError),
}

crate::db::query_errors_into_db!(ResultsError);

/// The ranking proposal of an edition: two queries (the accepted entries, and every
/// non-conflicted assignment with its review's total and, when the edition names a tie-break
/// criterion, that criterion's points) and one pass.
pub fn ranking(c: &mut DbConn, e: &Edition) -> Result<Vec<Ranked>, diesel::result::Error> {
    let rows = jury::ranking_rows(c, e.id, e.tie_break_criterion_id)?;
    let mut assigned: HashMap<i32, usize> = HashMap::with_capacity(rows.len());
    let mut judgements: Vec<Judgement> = Vec::with_capacity(rows.len());
    for (entry_id, juror_id, total, tie) in rows {
        *assigned.entry(entry_id).or_insert(0) += 1;
        if let Some(total) = total {
            judgements.push(Judgement {
                entry_id,
                juror_id,
                total,
                tie_points: tie.map(f64::from),
            });
        }
    }
    let candidates: Vec<Candidate> = jury::accepted_of_edition(c, e.id)?
        .into_iter()
        .map(|(entry_id, category_id)| Candidate {
            entry_id,
            category_id,
            assigned: assigned.get(&entry_id).copied().unwrap_or(0),
        })
        .collect();
    Ok(ranking::rank(
        &candidates,
        &judgements,
        e.aggregation,
        e.tie_break_criterion_id.is_some(),
    ))
}

/// Saves how the edition is judged; only before judging starts.
pub fn save_settings(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    s: &editions::JudgingSettings,
    now: NaiveDateTime,
) -> Result<(), ResultsError> {
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let e = editions::find(c, edition_id)?.ok_or(ResultsError::NotFound)?;
        if matches!(e.state, EditionState::Judging | EditionState::Published) {
            return Err(ResultsError::Refused("results.err_settings_locked"));
        }
        if let Some(crit) = s.tie_break_criterion_id
            && !editions::criteria(c, edition_id)?
                .iter()
                .any(|x| x.id == crit)
        {
            return Err(ResultsError::Refused("err.choose"));
        }
        editions::update_judging(c, edition_id, s, now)?;
        audit::record(
            c,
            Some(organiser),
            "edition:judging_settings",
            "edition",
            Some(edition_id),
            s.aggregation.as_str(),
            now,
        )?;
        Ok(())
    })
}

/// Sets one category's awards. Only accepted entries of the category; a place twice only when
/// declared ex aequo; not once the protocol is final.
pub fn set_awards(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    category_id: i32,
    chosen: &[(i32, Award, i32)],
    ex_aequo: bool,
    now: NaiveDateTime,
) -> Result<(), ResultsError> {
    tx(c, |c| {
        // One change of awards at a time per edition (two would each delete, then both insert:
        // a duplicate or two first places), and none while the protocol is being finalised.
        lock_row(c, "editions", edition_id)?;
        let e = editions::find(c, edition_id)?.ok_or(ResultsError::NotFound)?;
        if e.state != EditionState::Judging {
            return Err(ResultsError::Refused("results.err_not_judging"));
        }
        if e.protocol_finalised_at.is_some() {
            return Err(ResultsError::Refused("jury.err_finalised"));
        }
        let cat = editions::find_category(c, category_id)?
            .filter(|x| x.edition_id == e.id)
            .ok_or(ResultsError::NotFound)?;
        // Only the category's accepted entries: one query, not one per award.
        let accepted: HashSet<i32> = jury::accepted_in_category(c, cat.id)?.into_iter().collect();
        if chosen
            .iter()
            .any(|(entry_id, _, _)| !accepted.contains(entry_id))
        {
            return Err(ResultsError::NotFound);
        }
        let kinds: Vec<Award> = chosen.iter().map(|(_, a, _)| *a).collect();
        award_rules::check(&kinds, ex_aequo).map_err(ResultsError::DuplicatePlace)?;
        awards::set_category(c, e.id, cat.id, chosen, ex_aequo, organiser, now)?;
        let listed: Vec<(i32, &str, i32)> = chosen
            .iter()
            .map(|(id, a, pos)| (*id, a.as_str(), *pos))
            .collect();
        crate::services::chain::append(
            c,
            e.id,
            ChainKind::AwardsSet,
            Some(organiser),
            chain::awards_key(cat.id),
            (!chosen.is_empty()).then(|| chain::awards_state(&listed, ex_aequo)),
            now,
        )?;
        let summary: Vec<String> = chosen
            .iter()
            .map(|(id, a, _)| format!("{}:{}", id, a.as_str()))
            .collect();
        audit::record(
            c,
            Some(organiser),
            "award:set",
            "edition",
            Some(e.id),
            &format!("{} {}", cat.code, summary.join(" ")),
            now,
        )?;
        Ok(())
    })
}

/// Finalises the jury protocol: scores and awards are locked from now on.
pub fn finalise_protocol(
    c: &mut DbConn,
    organiser: i32,
    edition_id: i32,
    now: NaiveDateTime,
) -> Result<(), ResultsError> {
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let e = editions::find(c, edition_id)?.ok_or(ResultsError::NotFound)?;
        // A second confirmation (a double click, a stale tab) changes nothing and says so.
        if e.protocol_finalised_at.is_some() {
            return Err(ResultsError::Refused("flash.protocol_already_final"));
        }
        if e.state != EditionState::Judging {
            return Err(ResultsError::Refused("results.err_not_judging"));
        }
        if awards::of_edition(c, e.id)?.is_empty() {
            return Err(ResultsError::Refused("results.err_no_awards"));
        }
        editions::set_protocol_finalised(c, e.id, Some(now))?;
        crate::services::chain::append(
            c,
            e.id,
            ChainKind::ProtocolFinalised,
            Some(organiser),
            chain::PROTOCOL_KEY.to_string(),
            Some(chain::protocol_state(now)),
            now,
        )?;
        audit::record(
            c,
            Some(organiser),
            "protocol:finalise",
            "edition",
            Some(e.id),
            "",
            now,
        )?;
        Ok(())
    })
}

/// What the confirmation before finalising the protocol shows.
pub struct FinalisePlan {
    pub edition: Edition,
    /// Awards and honourable mentions given.
    pub awards: usize,
    /// Judgements the jury still has to submit (by `jury::work`).
    pub left: i64,
    /// Why the protocol cannot be finalised now (a message key), if it cannot.
    pub refused: Option<&'static str>,
}

/// The protocol's finalisation as it would happen now; `None` if there is no such edition.
pub fn finalise_plan(c: &mut DbConn, edition_id: i32) -> Result<Option<FinalisePlan>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let awards = awards::of_edition(c, edition_id)?.len();
    let left = jury::work(c, edition_id)?
        .iter()
        .filter(|t| !t.done)
        .count();
    let refused = if edition.state != EditionState::Judging {
        Some("results.err_not_judging")
    } else if edition.protocol_finalised_at.is_some() {
        Some("jury.err_finalised")
    } else if awards == 0 {
        Some("results.err_no_awards")
    } else {
        None
    };
    Ok(Some(FinalisePlan {
        edition,
        awards,
        left: i64::try_from(left).unwrap_or(i64::MAX),
        refused,
    }))
}

// ---------------------------------------------------------------------------------------------
// Announcement

/// An institution that took part, its entries' results and who to write to.
pub struct Participant {
    pub institution_id: i32,
    pub institution: String,
    /// (entry title, category code, category name, award) for each of its entries.
    pub results: Vec<(String, String, String, Option<Award>)>,
    pub recipients: Vec<Recipient>,
}

/// Institutions with an entry that reached the formal check (not drafts or withdrawn ones).
pub fn participants(
    c: &mut DbConn,
    e: &Edition,
) -> Result<Vec<Participant>, diesel::result::Error> {
    let cats: HashMap<i32, (String, String, String)> = editions::categories(c, e.id)?
        .into_iter()
        .map(|x| (x.id, (x.code, x.name, x.name_en)))
        .collect();
    let awarded: HashMap<i32, Award> = awards::of_edition(c, e.id)?
        .into_iter()
        .map(|a| (a.entry_id, a.award))
        .collect();
    let mut by_inst: Vec<Participant> = Vec::new();
    for (en, _code, inst_name) in entries::export(c, e.id)? {
        if matches!(en.status, EntryStatus::Draft | EntryStatus::Withdrawn) {
            continue;
        }
        let (code, name, _) = cats.get(&en.category_id).cloned().unwrap_or_default();
        let idx = match by_inst
            .iter()
            .position(|p| p.institution_id == en.institution_id)
        {
            Some(i) => i,
            None => {
                by_inst.push(Participant {
                    institution_id: en.institution_id,
                    institution: inst_name.clone(),
                    results: Vec::new(),
                    recipients: Vec::new(),
                });
                by_inst.len() - 1
            }
        };
        by_inst[idx].results.push((
            // The reference number with the title: "VI/II/007 Title".
            match &en.ref_no {
                Some(no) => format!("{no} {}", en.title),
                None => en.title.clone(),
            },
            code,
            name,
            awarded.get(&en.id).copied(),
        ));
    }
    let ids: Vec<i32> = by_inst.iter().map(|p| p.institution_id).collect();
    let members = users::members_of(c, &ids)?;
    for p in by_inst.iter_mut() {
        p.recipients = members
            .iter()
            .filter(|u| {
                u.institution_id == Some(p.institution_id)
                    && u.disabled_at.is_none()
                    && u.email_verified_at.is_some()
            })
            .map(recipient)
            .collect();
    }
    by_inst.sort_by(|a, b| a.institution.cmp(&b.institution));
    Ok(by_inst)
}

/// The personalised message for one person of a participating institution.
pub fn announcement_for(
    cfg: &Config,
    e: &Edition,
    p: &Participant,
    to: &Recipient,
    cat_names_en: &HashMap<String, String>,
) -> Content {
    let l = to.lang;
    let edition = l.pick(&e.name, &e.name_en);
    let places = p
        .results
        .iter()
        .filter(|(_, _, _, a)| a.is_some_and(Award::is_place))
        .count();
    let mentions = p
        .results
        .iter()
        .filter(|(_, _, _, a)| *a == Some(Award::Mention))
        .count();
    // The sentence never declines the institution's or the edition's name: both follow as
    // labelled details ("Instytucja: …", "Edycja: …"), then each entry with its result.
    let (subject, body, n) = if places > 0 {
        (
            "email.results_laureate.subject",
            "email.results_laureate.body",
            places,
        )
    } else if mentions > 0 {
        (
            "email.results_laureate.subject",
            "email.results_mention.body",
            mentions,
        )
    } else {
        (
            "email.results_thanks.subject",
            "email.results_thanks.body",
            p.results.len(),
        )
    };
    let mut content = Content::new("announcement", to, subject)
        .p(l.tf(body, &[("n", &n)]))
        .detail(l.t("email.label.institution"), &p.institution)
        .detail(l.t("email.label.edition"), edition);
    for (title, code, name, award) in &p.results {
        let cat = match l {
            Lang::Pl => name.clone(),
            Lang::En => cat_names_en
                .get(code)
                .filter(|n| !n.trim().is_empty())
                .cloned()
                .unwrap_or_else(|| name.clone()),
        };
        let result = match award {
            Some(a) => l.t(a.label_key()).to_string(),
            None => l.t("email.results_not_awarded").to_string(),
        };
        content = content
            .detail(l.t("email.label.entry"), title)
            .detail(
                l.t("email.label.category"),
                format!("{code} {}", l.quote(&cat)),
            )
            .detail(l.t("email.label.result"), result);
    }
    content
        .action(
            l.t("email.results_action"),
            cfg.link(&urls::results(&e.slug)),
        )
        .after(l.t("email.results_thanks_all"))
}

/// Who an announcement message goes to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Audience {
    /// People of institutions with an award or an honourable mention.
    Laureates,
    /// People of institutions that took part without an award.
    Participants,
    /// The extra addresses the organiser typed (the press): the full list of laureates.
    Press,
}

impl Audience {
    pub const ALL: [Audience; 3] = [Audience::Laureates, Audience::Participants, Audience::Press];

    pub fn label_key(self) -> &'static str {
        match self {
            Audience::Laureates => "announce.audience_laureates",
            Audience::Participants => "announce.audience_participants",
            Audience::Press => "announce.audience_press",
        }
    }
}

/// One message of an announcement, exactly as it will be queued.
pub struct Planned {
    pub audience: Audience,
    /// The institution the message is about (none for the press).
    pub institution: Option<i32>,
    pub institution_name: String,
    pub to: Recipient,
    pub content: Content,
}

/// Every message the announcement would send now, in order: each person of each participating
/// institution in their language, then each extra address — leaving out every institution and
/// address the announcement has already reached (queued or sent; only a failed message is sent
/// again). One definition for the confirmation page and the sending.
fn plan(
    c: &mut DbConn,
    cfg: &Config,
    e: &Edition,
    extra: &[String],
) -> Result<Vec<Planned>, diesel::result::Error> {
    let reached: HashMap<i32, OutboxStatus> = reach(c, e.id)?;
    let press_reached: HashSet<String> = crate::db::outbox::addresses_reached(
        c,
        "announcement_press",
        e.results_published_at.unwrap_or(e.created_at),
    )?
    .into_iter()
    .collect();
    let names_en: HashMap<String, String> = editions::categories(c, e.id)?
        .into_iter()
        .map(|x| (x.code, x.name_en))
        .collect();
    let mut out = Vec::new();
    let participants = participants(c, e)?;
    // A participant's own address typed as an extra one gets their own message, not a second.
    let mut seen: HashSet<String> = participants
        .iter()
        .flat_map(|p| p.recipients.iter().map(|r| r.email.to_lowercase()))
        .collect();
    for p in participants {
        if reached
            .get(&p.institution_id)
            .is_some_and(|s| !s.is_failed())
        {
            continue;
        }
        let audience = if p.results.iter().any(|(_, _, _, a)| a.is_some()) {
            Audience::Laureates
        } else {
            Audience::Participants
        };
        for to in &p.recipients {
            out.push(Planned {
                audience,
                institution: Some(p.institution_id),
                institution_name: p.institution.clone(),
                content: announcement_for(cfg, e, &p, to, &names_en),
                to: to.clone(),
            });
        }
    }
    let extra: Vec<&String> = extra
        .iter()
        .filter(|a| !press_reached.contains(*a) && seen.insert(a.to_lowercase()))
        .collect();
    if !extra.is_empty() {
        let press = press_release(c, cfg, e, Lang::Pl)?;
        for addr in extra {
            out.push(Planned {
                audience: Audience::Press,
                institution: None,
                institution_name: String::new(),
                to: Recipient {
                    email: addr.clone(),
                    name: String::new(),
                    lang: Lang::Pl,
                    user_id: None,
                    institution_id: None,
                },
                content: press.clone(),
            });
        }
    }
    Ok(out)
}

/// The announcement as it would be sent now, for its confirmation page.
pub struct AnnouncementPlan {
    pub edition: Edition,
    pub planned: Vec<Planned>,
    /// Why it cannot be sent now (a message key), if it cannot.
    pub refused: Option<&'static str>,
}

/// The announcement as it would be sent now; `None` if there is no such edition.
pub fn announcement_plan(
    c: &mut DbConn,
    cfg: &Config,
    edition_id: i32,
    extra: &[String],
) -> Result<Option<AnnouncementPlan>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let refused = (edition.state != EditionState::Published).then_some("results.err_not_published");
    let planned = plan(c, cfg, &edition, extra)?;
    Ok(Some(AnnouncementPlan {
        edition,
        planned,
        refused,
    }))
}

/// Queues the announcement: every person of every participating institution, in their
/// language, plus any extra addresses (the press) with the full results — only to those it has
/// not reached yet (see [`plan`]). The edition's row is locked first, so of two requests at
/// once the second sees what the first queued and sends nothing twice; when nobody is left it
/// is refused with `announce.err_already_sent`.
pub fn announce(
    c: &mut DbConn,
    cfg: &Config,
    organiser: i32,
    edition_id: i32,
    extra: &[String],
    now: NaiveDateTime,
) -> Result<usize, ResultsError> {
    tx(c, |c| {
        lock_row(c, "editions", edition_id)?;
        let e = editions::find(c, edition_id)?.ok_or(ResultsError::NotFound)?;
        if e.state != EditionState::Published {
            return Err(ResultsError::Refused("results.err_not_published"));
        }
        let n = queue_announcement(c, cfg, &e, extra, now)?;
        if n == 0 {
            return Err(ResultsError::Refused("announce.err_already_sent"));
        }
        audit::record(
            c,
            Some(organiser),
            "results:announce",
            "edition",
            Some(e.id),
            &n.to_string(),
            now,
        )?;
        Ok(n)
    })
}

/// Queues every message of the announcement that has not reached its recipient yet (see
/// [`plan`]) and returns how many; the caller holds the edition's row and its transaction.
pub(crate) fn queue_announcement(
    c: &mut DbConn,
    cfg: &Config,
    e: &Edition,
    extra: &[String],
    now: NaiveDateTime,
) -> Result<usize, diesel::result::Error> {
    let planned = plan(c, cfg, e, extra)?;
    for m in &planned {
        mail::enqueue(c, &m.to, &m.content, now)?;
    }
    Ok(planned.len())
}

/// The message for the press: every category's laureates in order.
fn press_release(
    c: &mut DbConn,
    cfg: &Config,
    e: &Edition,
    l: Lang,
) -> Result<Content, diesel::result::Error> {
    let to = Recipient {
        email: String::new(),
        name: String::new(),
        lang: l,
        user_id: None,
        institution_id: None,
    };
    let edition = l.pick(&e.name, &e.name_en);
    let mut content = Content::new("announcement_press", &to, "email.press.subject")
        .p(l.t("email.press.body"))
        .detail(l.t("email.label.edition"), edition);
    for row in laureate_lines(&awards::laureates(c, e.id)?, l) {
        content = content.detail(row.0, row.1);
    }
    Ok(content.action(
        l.t("email.results_action"),
        cfg.link(&urls::results(&e.slug)),
    ))
}

/// "Kategoria I „Poza horyzonty” – I miejsce" / "Urząd … — project" lines, in result order.
pub fn laureate_lines(rows: &[Laureate], l: Lang) -> Vec<(String, String)> {
    let mut sorted: Vec<&Laureate> = rows.iter().collect();
    sorted.sort_by_key(|r| {
        (
            r.category_position,
            r.award.order(),
            r.position,
            r.institution.clone(),
        )
    });
    sorted
        .into_iter()
        .map(|r| {
            let cat = l.pick(&r.category_name, &r.category_name_en);
            let award = l.t(r.award.label_key());
            (
                format!(
                    "{} {} {} — {}",
                    l.t("edition.category"),
                    r.category_code,
                    l.quote(cat),
                    award
                ),
                format!("{} — {}", r.institution, r.title),
            )
        })
        .collect()
}

/// Per institution, the best delivery status of its announcement (sent, else queued, else failed).
pub fn reach(
    c: &mut DbConn,
    edition_id: i32,
) -> Result<HashMap<i32, OutboxStatus>, diesel::result::Error> {
    let e = editions::find(c, edition_id)?;
    let Some(e) = e else {
        return Ok(HashMap::new());
    };
    let rows = crate::db::outbox::statuses_by_institution(
        c,
        "announcement",
        e.results_published_at.unwrap_or(e.created_at),
    )?;
    let mut out: HashMap<i32, OutboxStatus> = HashMap::new();
    for (inst, status) in rows {
        let rank = |s: OutboxStatus| match s {
            OutboxStatus::Sent => 3,
            OutboxStatus::Queued => 2,
            OutboxStatus::Failed => 1,
        };
        let better = out.get(&inst).is_none_or(|cur| rank(status) > rank(*cur));
        if better {
            out.insert(inst, status);
        }
    }
    Ok(out)
}

/// The published results of an institution's entries: (entry, award or `None` for no award),
/// for each entry judged in an edition whose results are published — shown on the applicant's
/// dashboard and entry page whether or not the edition shows the scores.
pub fn institution_results(
    c: &mut DbConn,
    institution_id: Option<i32>,
) -> Result<Vec<(i32, Option<Award>)>, DbError> {
    match institution_id {
        Some(id) => Ok(awards::published_for_institution(c, id)?),
        None => Ok(Vec::new()),
    }
}

/// What an institution sees of its entry after the results are published, when the edition
/// allows it: each counted juror's points (jurors anonymised) and comments, and the award.
pub struct Feedback {
    pub criteria: Vec<editions::Criterion>,
    /// (points per criterion in `criteria` order, weighted total, comment), one per juror.
    pub jurors: Vec<(Vec<Option<i32>>, f64, String)>,
    pub award: Option<Award>,
}

/// One entry's feedback, reading only that entry's rows: its award, its counted judgements
/// with their comments, and those reviews' scores (each by an index on the entry or review).
pub fn feedback(
    c: &mut DbConn,
    entry: &crate::db::entries::Entry,
) -> Result<Option<Feedback>, diesel::result::Error> {
    let Some(e) = editions::find(c, entry.edition_id)? else {
        return Ok(None);
    };
    if e.state != EditionState::Published || !e.show_scores {
        return Ok(None);
    }
    let award = awards::of_entry(c, entry.id)?;
    let counted = jury::judgements_of_entry(c, entry.id)?;
    let criteria = editions::criteria(c, e.id)?;
    let ids: Vec<i32> = counted.iter().map(|(id, ..)| *id).collect();
    let sheet: HashMap<(i32, i32), i32> = jury::scores_of_reviews(c, &ids)?
        .into_iter()
        .map(|(review, crit, points)| ((review, crit), points))
        .collect();
    let jurors = counted
        .into_iter()
        .map(|(review, _, total, comment)| {
            let pts = criteria
                .iter()
                .map(|cr| sheet.get(&(review, cr.id)).copied())
                .collect();
            (pts, total, comment)
        })
        .collect();
    Ok(Some(Feedback {
        criteria,
        jurors,
        award,
    }))
}

// Organisers' pages: reads

/// The ranking proposal of an edition with what the ranking page, the protocol and the score
/// sheet show beside it.
pub struct Board {
    pub edition: Edition,
    pub categories: Vec<editions::Category>,
    pub criteria: Vec<editions::Criterion>,
    pub ranking: Vec<Ranked>,
    /// Accepted entries, by id.
    pub entries: HashMap<i32, entries::EntryRow>,
    /// Awards, by entry id.
    pub awards: HashMap<i32, awards::AwardRow>,
    /// Jurors' (name, affiliation), by id.
    pub jurors: HashMap<i32, (String, String)>,
}

impl Board {
    pub fn rows_of(&self, cat: &editions::Category) -> Vec<&Ranked> {
        self.ranking
            .iter()
            .filter(|r| r.category_id == cat.id)
            .collect()
    }

    pub fn title(&self, r: &Ranked) -> &str {
        self.entries
            .get(&r.entry_id)
            .map_or("", |e| e.title.as_str())
    }

    pub fn reference(&self, r: &Ranked) -> &str {
        self.entries
            .get(&r.entry_id)
            .map_or("—", entries::EntryRow::reference)
    }

    pub fn institution(&self, r: &Ranked) -> &str {
        self.entries
            .get(&r.entry_id)
            .map_or("", |e| e.institution.as_str())
    }

    pub fn award(&self, entry_id: i32) -> Option<Award> {
        self.awards.get(&entry_id).map(|a| a.award)
    }

    /// The award's form value, "" for none.
    pub fn award_of(&self, entry_id: i32) -> &'static str {
        self.award(entry_id).map_or("", Award::as_str)
    }

    pub fn ex_aequo(&self, cat: &editions::Category) -> bool {
        self.awards
            .values()
            .any(|a| a.category_id == cat.id && a.ex_aequo)
    }

    pub fn juror(&self, id: impl std::borrow::Borrow<i32>) -> String {
        let id = *id.borrow();
        self.jurors
            .get(&id)
            .map_or_else(|| format!("#{id}"), |j| j.0.clone())
    }

    pub fn agg(&self) -> Aggregation {
        self.edition.aggregation
    }
}

/// The board of an edition; `None` if there is no such edition.
pub fn board(c: &mut DbConn, edition_id: i32) -> Result<Option<Board>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let accepted = entries::ListFilter::status(EntryStatus::Accepted);
    Ok(Some(Board {
        ranking: ranking(c, &edition)?,
        categories: editions::categories(c, edition_id)?,
        criteria: editions::criteria(c, edition_id)?,
        entries: entries::for_edition(c, edition_id, &accepted)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect(),
        awards: awards::of_edition(c, edition_id)?
            .into_iter()
            .map(|a| (a.entry_id, a))
            .collect(),
        jurors: jury::jurors(c)?
            .into_iter()
            .map(|j| (j.id, (j.name, j.affiliation.unwrap_or_default())))
            .collect(),
        edition,
    }))
}

/// Every score of an edition keyed by (entry, juror, criterion): one lookup per table cell.
pub type Points = HashMap<(i32, i32, i32), i32>;

/// Indexes a score sheet by (entry, juror, criterion).
pub fn points_of(scores: &[jury::ScoreRow]) -> Points {
    scores
        .iter()
        .map(|s| ((s.entry_id, s.juror_id, s.criterion_id), s.points))
        .collect()
}

/// What the organisers' ranking page shows: the board and the points of the judgements it
/// lists — nothing of the protocol it does not show (reviews, conflicts, declarations).
pub fn ranking_page(c: &mut DbConn, edition_id: i32) -> Result<Option<(Board, Points)>, DbError> {
    let Some(board) = board(c, edition_id)? else {
        return Ok(None);
    };
    let points = points_of(&jury::score_sheet(c, edition_id)?);
    Ok(Some((board, points)))
}

/// The jury protocol of an edition (and the score sheet): the board and every score.
pub struct Protocol {
    pub board: Board,
    pub scores: Vec<jury::ScoreRow>,
    /// `scores` by (entry, juror, criterion).
    pub points: Points,
    pub reviews: Vec<jury::Review>,
    pub conflicts: Vec<jury::ConflictRow>,
    pub declarations: Vec<(i32, NaiveDateTime)>,
    pub juror_categories: Vec<(i32, i32)>,
    /// The head of the edition's record of the jury's work: (seq, hash).
    pub chain_head: Option<(i32, String)>,
}

impl Protocol {
    /// Whether the juror has a conflict of interest with the entry's institution.
    pub fn conflicted(&self, juror: i32, entry: i32) -> bool {
        let inst = self.board.entries.get(&entry).map(|e| e.institution_id);
        self.conflicts
            .iter()
            .any(|c| c.juror_id == juror && Some(c.institution_id) == inst)
    }

    /// The juror's comment on the entry, "" if none.
    pub fn comment(&self, juror: i32, entry: i32) -> &str {
        self.reviews
            .iter()
            .find(|r| r.entry_id == entry && r.juror_id == juror)
            .map_or("", |r| r.comment.as_str())
    }
}

/// The protocol of an edition; `None` if there is no such edition.
pub fn protocol(c: &mut DbConn, edition_id: i32) -> Result<Option<Protocol>, DbError> {
    let Some(board) = board(c, edition_id)? else {
        return Ok(None);
    };
    let scores = jury::score_sheet(c, edition_id)?;
    Ok(Some(Protocol {
        board,
        points: points_of(&scores),
        scores,
        reviews: jury::reviews_of(c, edition_id)?,
        conflicts: jury::conflicts(c, edition_id)?,
        declarations: jury::declarations(c, edition_id)?,
        juror_categories: jury::juror_categories(c, edition_id)?,
        chain_head: crate::services::chain::head(c, edition_id)?,
    }))
}

/// What the announcement page shows before anything is sent.
pub struct AnnouncementPreview {
    pub edition: Edition,
    /// (institution, address, message) for every person the announcement goes to.
    pub previews: Vec<(String, String, Content)>,
    /// (institution, how far its announcement got) for every participating institution.
    pub participants: Vec<(String, Option<OutboxStatus>)>,
    pub laureates: Vec<Laureate>,
}

/// The announcement page of an edition; `None` if there is no such edition.
pub fn announcement_preview(
    c: &mut DbConn,
    cfg: &Config,
    edition_id: i32,
) -> Result<Option<AnnouncementPreview>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    let parts = participants(c, &edition)?;
    let reached = reach(c, edition_id)?;
    let names_en: HashMap<String, String> = editions::categories(c, edition_id)?
        .into_iter()
        .map(|x| (x.code, x.name_en))
        .collect();
    let previews = parts
        .iter()
        .flat_map(|p| {
            p.recipients.iter().map(|to| {
                let content = announcement_for(cfg, &edition, p, to, &names_en);
                (p.institution.clone(), to.email.clone(), content)
            })
        })
        .collect();
    let participants = parts
        .iter()
        .map(|p| {
            (
                p.institution.clone(),
                reached.get(&p.institution_id).copied(),
            )
        })
        .collect();
    Ok(Some(AnnouncementPreview {
        laureates: awards::laureates(c, edition_id)?,
        edition,
        previews,
        participants,
    }))
}

/// What the public results page of an edition shows.
pub struct Published {
    pub edition: Edition,
    pub categories: Vec<editions::Category>,
    pub laureates: Vec<Laureate>,
}

/// The public results of the edition `slug`; `None` until the results are published.
pub fn published(c: &mut DbConn, slug: &str) -> Result<Option<Published>, DbError> {
    let Some(e) = editions::find_by_slug(c, slug)? else {
        return Ok(None);
    };
    if e.state != EditionState::Published {
        return Ok(None);
    }
    Ok(Some(Published {
        categories: editions::categories(c, e.id)?,
        laureates: awards::laureates(c, e.id)?,
        edition: e,
    }))
}
