//! Setting up an edition: its details, categories and criteria, and moving it through its states.

use crate::db::editions::{
    self, Category, CategoryData, Criterion, CriterionData, Edition, EditionData,
};
use crate::db::{DbConn, DbError, audit, is_unique_violation, lock_row, tx};
use crate::domain::edition::{
    self, EditionState, Facts, MODEL_CATEGORIES, MODEL_CRITERIA, categories_editable,
    criteria_editable,
};
use crate::domain::entry::EntryStatus;
use chrono::NaiveDateTime;

use crate::config::Config;

/// What a new edition starts from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Template {
    /// The three categories of the model competition and a starting set of criteria.
    Model,
    /// Categories, criteria and rules of an earlier edition.
    CopyOf(i32),
    Empty,
}

#[derive(Debug, thiserror::Error)]
pub enum EditionError {
    /// A field and the key of its message.
    #[error("refused: {0}: {1}")]
    Field(&'static str, &'static str),
    #[error("no such edition")]
    NotFound,
    #[error(transparent)]
    Db(#[from] DbError),
}

/// A duplicate slug is the user's mistake, told at the field; any other failure is the database's.
impl From<diesel::result::Error> for EditionError {
    fn from(e: diesel::result::Error) -> Self {
        if is_unique_violation(&e) {
            EditionError::Field("slug", "edition.err_slug_taken")
        } else {
            EditionError::Db(e.into())
        }
    }
}

pub fn create(
    c: &mut DbConn,
    actor: i32,
    d: &EditionData,
    template: Template,
    now: NaiveDateTime,
) -> Result<i32, EditionError> {
    tx(c, |c| {
        if editions::slug_taken(c, &d.slug, None)? {
            return Err(EditionError::Field("slug", "edition.err_slug_taken"));
        }
        let mut data = d.clone();
        let source = match template {
            Template::CopyOf(id) => {
                Some(editions::find(c, id)?.ok_or(EditionError::Field("template", "err.choose"))?)
            }
            _ => None,
        };
        if let Some(src) = &source
            && data.rules.trim().is_empty()
        {
            data.rules = src.rules.clone();
            data.rules_en = src.rules_en.clone();
        }
        let id = editions::insert(c, &data, now)?;
        match (template, &source) {
            (Template::Model, _) => {
                for (i, t) in MODEL_CATEGORIES.iter().enumerate() {
                    editions::insert_category(
                        c,
                        id,
                        &CategoryData {
                            code: t.code.into(),
                            name: t.name.into(),
                            name_en: t.name_en.into(),
                            description: t.description.into(),
                            description_en: t.description_en.into(),
                            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                        },
                    )?;
                }
                for (i, t) in MODEL_CRITERIA.iter().enumerate() {
                    editions::insert_criterion(
                        c,
                        id,
                        &CriterionData {
                            name: t.name.into(),
                            name_en: t.name_en.into(),
                            description: t.description.into(),
                            description_en: t.description_en.into(),
                            max_points: t.max_points,
                            weight: t.weight,
                            levels: t.levels.into(),
                            levels_en: t.levels_en.into(),
                            position: i32::try_from(i + 1).unwrap_or(i32::MAX),
                        },
                    )?;
                }
            }
            (Template::CopyOf(_), Some(src)) => {
                for cat in editions::categories(c, src.id)? {
                    editions::insert_category(
                        c,
                        id,
                        &CategoryData {
                            code: cat.code,
                            name: cat.name,
                            name_en: cat.name_en,
                            description: cat.description,
                            description_en: cat.description_en,
                            position: cat.position,
                        },
                    )?;
                }
                for cr in editions::criteria(c, src.id)? {
                    editions::insert_criterion(
                        c,
                        id,
                        &CriterionData {
                            name: cr.name,
                            name_en: cr.name_en,
                            description: cr.description,
                            description_en: cr.description_en,
                            max_points: cr.max_points,
                            weight: cr.weight,
                            levels: cr.levels,
                            levels_en: cr.levels_en,
                            position: cr.position,
                        },
                    )?;
                }
            }
            _ => {}
        }
        audit::record(
            c,
            Some(actor),
            "edition:create",
            "edition",
            Some(id),
            &data.name,
            now,
        )?;
        Ok(id)
    })
}

/// Saves an edition's details. Once the call is open its start cannot move, its deadline can
/// only be extended and the limit only raised; after it closes only texts and the judging
/// deadline change.
pub fn update(
    c: &mut DbConn,
    actor: i32,
    id: i32,
    d: &EditionData,
    now: NaiveDateTime,
) -> Result<(), EditionError> {
    tx(c, |c| {
        lock_row(c, "editions", id)?;
        let cur = editions::find(c, id)?.ok_or(EditionError::NotFound)?;
        if editions::slug_taken(c, &d.slug, Some(id))? {
            return Err(EditionError::Field("slug", "edition.err_slug_taken"));
        }
        let state = cur.state;
        match state {
            EditionState::Draft => {}
            EditionState::Open => {
                if d.opens_at != cur.opens_at && cur.opens_at <= now {
                    return Err(EditionError::Field("opens_at", "edition.err_opens_locked"));
                }
                if d.closes_at < cur.closes_at {
                    return Err(EditionError::Field("closes_at", "edition.err_only_extend"));
                }
                if d.entries_per_category < cur.entries_per_category {
                    return Err(EditionError::Field(
                        "entries_per_category",
                        "edition.err_only_raise",
                    ));
                }
                if d.slug != cur.slug {
                    return Err(EditionError::Field("slug", "edition.err_slug_locked"));
                }
            }
            _ => {
                if d.opens_at != cur.opens_at || d.closes_at != cur.closes_at {
                    return Err(EditionError::Field("closes_at", "edition.err_dates_locked"));
                }
                if d.entries_per_category != cur.entries_per_category {
                    return Err(EditionError::Field(
                        "entries_per_category",
                        "edition.err_limit_locked",
                    ));
                }
                if d.slug != cur.slug {
                    return Err(EditionError::Field("slug", "edition.err_slug_locked"));
                }
            }
        }
        editions::update(c, id, d, now)?;
        audit::record(
            c,
            Some(actor),
            "edition:update",
            "edition",
            Some(id),
            &d.name,
            now,
        )?;
        Ok(())
    })
}

pub fn facts(c: &mut DbConn, e: &Edition) -> Result<Facts, diesel::result::Error> {
    let counts = editions::entry_counts(c, e.id)?;
    let count = |s: EntryStatus| {
        counts
            .iter()
            .filter(|(st, _)| *st == s)
            .map(|(_, n)| *n)
            .sum::<i64>()
    };
    Ok(Facts {
        state: e.state,
        opens_at: e.opens_at,
        closes_at: e.closes_at,
        judging_deadline: e.judging_deadline,
        categories: editions::count_categories(c, e.id)?,
        criteria: editions::count_criteria(c, e.id)?,
        undecided: count(EntryStatus::Submitted) + count(EntryStatus::Returned),
        accepted: count(EntryStatus::Accepted),
        protocol_finalised: e.protocol_finalised_at.is_some(),
    })
}

/// Moves the edition one step on, if its guard allows; the error is a message key.
pub fn transition(
    c: &mut DbConn,
    cfg: &Config,
    actor: i32,
    id: i32,
    to: EditionState,
    now: NaiveDateTime,
) -> Result<(), EditionError> {
    tx(c, |c| {
        // The guard reads the edition and its entries: no other change of state or decision
        // (which lock the edition too) between the check and the step.
        lock_row(c, "editions", id)?;
        let e = editions::find(c, id)?.ok_or(EditionError::NotFound)?;
        let f = facts(c, &e)?;
        edition::check_transition(&f, to, now).map_err(|k| EditionError::Field("state", k))?;
        editions::set_state(c, id, to, now)?;
        if to == EditionState::Published {
            editions::set_results_published(c, id, now)?;
            // Published by hand before its scheduled time: nothing is left to do then.
            editions::set_schedule(c, id, None, false)?;
        }
        if to == EditionState::Judging {
            // Each juror learns how many entries are theirs to judge, in this transaction.
            crate::services::jury::notify_judging_open(c, cfg, &e, now)?;
        }
        audit::record(
            c,
            Some(actor),
            "edition:state",
            "edition",
            Some(id),
            to.as_str(),
            now,
        )?;
        Ok(())
    })
}

/// The edition, held until the end of the transaction: what its state allows stays allowed
/// until the change is written.
fn edition_of(c: &mut DbConn, id: i32) -> Result<(Edition, EditionState), EditionError> {
    lock_row(c, "editions", id)?;
    let e = editions::find(c, id)?.ok_or(EditionError::NotFound)?;
    let s = e.state;
    Ok((e, s))
}

pub fn save_category(
    c: &mut DbConn,
    actor: i32,
    edition_id: i32,
    category_id: Option<i32>,
    d: &CategoryData,
    now: NaiveDateTime,
) -> Result<i32, EditionError> {
    tx(c, |c| {
        let (_, state) = edition_of(c, edition_id)?;
        if !categories_editable(state) {
            return Err(EditionError::Field("code", "edition.err_categories_locked"));
        }
        let id = match category_id {
            Some(cid) => {
                let cat = editions::find_category(c, cid)?
                    .filter(|x| x.edition_id == edition_id)
                    .ok_or(EditionError::NotFound)?;
                editions::update_category(c, cat.id, d).map_err(|e| {
                    if is_unique_violation(&e) {
                        EditionError::Field("code", "edition.err_code_taken")
                    } else {
                        e.into()
                    }
                })?;
                cat.id
            }
            None => editions::insert_category(c, edition_id, d).map_err(|e| {
                if is_unique_violation(&e) {
                    EditionError::Field("code", "edition.err_code_taken")
                } else {
                    e.into()
                }
            })?,
        };
        audit::record(
            c,
            Some(actor),
            "category:save",
            "edition",
            Some(edition_id),
            &format!("{} {}", d.code, d.name),
            now,
        )?;
        Ok(id)
    })
}

pub fn delete_category(
    c: &mut DbConn,
    actor: i32,
    category_id: i32,
    now: NaiveDateTime,
) -> Result<i32, EditionError> {
    tx(c, |c| {
        let cat = editions::find_category(c, category_id)?.ok_or(EditionError::NotFound)?;
        let (_, state) = edition_of(c, cat.edition_id)?;
        if !categories_editable(state) || editions::category_has_entries(c, cat.id)? {
            return Err(EditionError::Field("code", "edition.err_categories_locked"));
        }
        editions::delete_category(c, cat.id)?;
        audit::record(
            c,
            Some(actor),
            "category:delete",
            "edition",
            Some(cat.edition_id),
            &cat.code,
            now,
        )?;
        Ok(cat.edition_id)
    })
}

pub fn save_criterion(
    c: &mut DbConn,
    actor: i32,
    edition_id: i32,
    criterion_id: Option<i32>,
    d: &CriterionData,
    now: NaiveDateTime,
) -> Result<i32, EditionError> {
    tx(c, |c| {
        let (_, state) = edition_of(c, edition_id)?;
        if !criteria_editable(state) {
            return Err(EditionError::Field("name", "edition.err_criteria_frozen"));
        }
        let id = match criterion_id {
            Some(cid) => {
                let cr = editions::find_criterion(c, cid)?
                    .filter(|x| x.edition_id == edition_id)
                    .ok_or(EditionError::NotFound)?;
                editions::update_criterion(c, cr.id, d)?;
                cr.id
            }
            None => editions::insert_criterion(c, edition_id, d)?,
        };
        audit::record(
            c,
            Some(actor),
            "criterion:save",
            "edition",
            Some(edition_id),
            &d.name,
            now,
        )?;
        Ok(id)
    })
}

pub fn delete_criterion(
    c: &mut DbConn,
    actor: i32,
    criterion_id: i32,
    now: NaiveDateTime,
) -> Result<i32, EditionError> {
    tx(c, |c| {
        let cr = editions::find_criterion(c, criterion_id)?.ok_or(EditionError::NotFound)?;
        let (_, state) = edition_of(c, cr.edition_id)?;
        if !criteria_editable(state) {
            return Err(EditionError::Field("name", "edition.err_criteria_frozen"));
        }
        editions::delete_criterion(c, cr.id)?;
        audit::record(
            c,
            Some(actor),
            "criterion:delete",
            "edition",
            Some(cr.edition_id),
            &cr.name,
            now,
        )?;
        Ok(cr.edition_id)
    })
}

// Organisers' pages: reads

/// What an edition's set-up page shows.
pub struct Setup {
    pub edition: Edition,
    pub categories: Vec<editions::Category>,
    pub criteria: Vec<editions::Criterion>,
    pub facts: Facts,
}

/// The set-up page of an edition; `None` if there is no such edition.
pub fn setup(c: &mut DbConn, edition_id: i32) -> Result<Option<Setup>, DbError> {
    let Some(edition) = editions::find(c, edition_id)? else {
        return Ok(None);
    };
    Ok(Some(Setup {
        facts: facts(c, &edition)?,
        categories: editions::categories(c, edition_id)?,
        criteria: editions::criteria(c, edition_id)?,
        edition,
    }))
}

/// An edition's name, for the heading of its category and criterion forms.
pub fn edition_name(c: &mut DbConn, edition_id: i32) -> Result<Option<String>, DbError> {
    Ok(editions::find(c, edition_id)?.map(|e| e.name))
}

/// A category and its edition's name, for the category's form.
pub fn category(
    c: &mut DbConn,
    category_id: i32,
) -> Result<Option<(editions::Category, String)>, DbError> {
    let Some(cat) = editions::find_category(c, category_id)? else {
        return Ok(None);
    };
    Ok(edition_name(c, cat.edition_id)?.map(|name| (cat, name)))
}

/// A criterion and its edition's name, for the criterion's form.
pub fn criterion(
    c: &mut DbConn,
    criterion_id: i32,
) -> Result<Option<(editions::Criterion, String)>, DbError> {
    let Some(cr) = editions::find_criterion(c, criterion_id)? else {
        return Ok(None);
    };
    Ok(edition_name(c, cr.edition_id)?.map(|name| (cr, name)))
}

// ---------------------------------------------------------------------------------------------
// Public pages: reads

/// The edition accepting entries now, with its categories, for the home page.
pub fn home(c: &mut DbConn) -> Result<Option<(Edition, Vec<Category>)>, DbError> {
    let Some(e) = editions::current(c)? else {
        return Ok(None);
    };
    let cats = editions::categories(c, e.id)?;
    Ok(Some((e, cats)))
}

/// An edition's public page: the call with its categories and criteria.
pub struct PublicCall {
    pub edition: Edition,
    pub categories: Vec<Category>,
    pub criteria: Vec<Criterion>,
}

/// The call of the edition `slug`; `None` when there is none, or when it is still a draft and
/// the visitor is not an organiser (drafts are previewed by organisers only).
pub fn public_call(
    c: &mut DbConn,
    slug: &str,
    organiser: bool,
) -> Result<Option<PublicCall>, DbError> {
    let Some(edition) = editions::find_by_slug(c, slug)? else {
        return Ok(None);
    };
    if !edition.state.is_public() && !organiser {
        return Ok(None);
    }
    Ok(Some(PublicCall {
        categories: editions::categories(c, edition.id)?,
        criteria: editions::criteria(c, edition.id)?,
        edition,
    }))
}
