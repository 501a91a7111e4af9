//! The tamper-evident record of the jury's work (see `domain::chain`): appending inside the
//! transaction of the change it records, and verifying every edition's chain against itself
//! and against the live rows.

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde_json::Value;

use crate::db::{DbConn, DbError, awards, chain as db_chain, editions, jury, tx};
use crate::domain::chain::{self, ChainKind, Event, Mismatch, Record};

/// Appends `event` to the edition's chain. Call it inside the change's transaction, after
/// the change and after every row lock the change takes.
pub fn append(
    c: &mut DbConn,
    edition_id: i32,
    kind: ChainKind,
    actor: Option<i32>,
    object: String,
    state: Option<Value>,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    db_chain::lock(c, edition_id)?;
    let (seq, prev_hash) = match db_chain::head(c, edition_id)? {
        Some((seq, hash)) => (seq + 1, hash),
        None => (1, chain::GENESIS.to_string()),
    };
    let event = Event {
        kind,
        actor,
        object,
        state,
    };
    let payload = chain::payload(edition_id, seq, now, &event);
    let hash = chain::hash(&prev_hash, &payload);
    db_chain::insert(
        c,
        &Record {
            edition_id,
            seq,
            at: now,
            kind: kind.as_str().to_string(),
            payload,
            prev_hash,
            hash,
        },
    )?;
    Ok(())
}

/// The head of an edition's chain: (seq, hash); `None` before its first record.
pub fn head(c: &mut DbConn, edition_id: i32) -> Result<Option<(i32, String)>, DbError> {
    Ok(db_chain::head(c, edition_id)?)
}

/// Every object the chain speaks of that exists now in the edition, with its state as the
/// chain writes it.
pub fn live(c: &mut DbConn, edition_id: i32) -> Result<BTreeMap<String, Value>, DbError> {
    let mut out = BTreeMap::new();
    let mut points: BTreeMap<(i32, i32), Vec<(i32, i32)>> = BTreeMap::new();
    for s in jury::score_sheet(c, edition_id)? {
        if s.status.is_submitted() {
            points
                .entry((s.entry_id, s.juror_id))
                .or_default()
                .push((s.criterion_id, s.points));
        }
    }
    for r in jury::reviews_of(c, edition_id)? {
        if r.status.is_submitted() {
            let pts = points.remove(&(r.entry_id, r.juror_id)).unwrap_or_default();
            out.insert(
                chain::score_key(r.entry_id, r.juror_id),
                chain::score_state(&pts, &r.comment, r.total),
            );
        }
    }
    for x in jury::conflicts(c, edition_id)? {
        out.insert(
            chain::conflict_key(x.juror_id, x.institution_id),
            chain::conflict_state(&x.reason),
        );
    }
    let mut by_cat: BTreeMap<i32, (Vec<CategoryAward>, bool)> = BTreeMap::new();
    for a in awards::of_edition(c, edition_id)? {
        let e = by_cat.entry(a.category_id).or_default();
        e.0.push((a.entry_id, a.award.as_str(), a.position));
        e.1 |= a.ex_aequo;
    }
    for (cat, (list, ex_aequo)) in by_cat {
        out.insert(chain::awards_key(cat), chain::awards_state(&list, ex_aequo));
    }
    if let Some(at) = editions::find(c, edition_id)?.and_then(|e| e.protocol_finalised_at) {
        out.insert(chain::PROTOCOL_KEY.to_string(), chain::protocol_state(at));
    }
    Ok(out)
}

/// (entry, award, position) as the chain writes a category's awards.
type CategoryAward = (i32, &'static str, i32);

/// What verifying found.
#[derive(Debug)]
pub struct Verified {
    /// (edition id, records, head hash) of every edition checked.
    pub editions: Vec<(i32, usize, Option<String>)>,
    /// The first thing that does not match, if any.
    pub mismatch: Option<Mismatch>,
}

/// Recomputes every edition's chain and compares it with the live rows; stops at the first
/// edition with a mismatch. Each edition is read holding its chain, so a change being made
/// meanwhile (which appends last, holding the chain until it commits) is seen whole or not at
/// all.
pub fn verify(c: &mut DbConn) -> Result<Verified, DbError> {
    let mut editions = Vec::new();
    for id in db_chain::edition_ids(c)? {
        let (records, live) = tx(c, |c| -> Result<_, DbError> {
            db_chain::lock(c, id)?;
            Ok((db_chain::records(c, id)?, live(c, id)?))
        })?;
        editions.push((id, records.len(), records.last().map(|r| r.hash.clone())));
        if let Err(m) =
            chain::check_links(&records).and_then(|()| chain::check_live(id, &records, &live))
        {
            return Ok(Verified {
                editions,
                mismatch: Some(m),
            });
        }
    }
    Ok(Verified {
        editions,
        mismatch: None,
    })
}
