//! The tamper-evident record of the jury's work: a hash chain per edition.
//!
//! Each record's payload is canonical JSON (keys sorted, no spaces) naming the edition, its
//! place in the chain (`seq`), the kind, the time, who acted, the object decided about
//! (`score:<entry>:<juror>`, `conflict:<juror>:<institution>`, `awards:<category>`,
//! `protocol`) and what was decided about it (`state`; `null` when it was taken back: a score
//! reopened, a conflict removed, a category's awards cleared). Its hash is
//! SHA-256(prev_hash || payload) in lowercase hex; the first record's prev_hash is [`GENESIS`].
//!
//! Verifying checks two things: the links (each record's hash recomputed, each prev_hash equal
//! to the hash before it, seq 1, 2, 3… and the columns equal to the payload), and the live rows
//! (what the latest record of every object says equals what the tables hold now).

use std::collections::BTreeMap;

use chrono::NaiveDateTime;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The prev_hash of an edition's first record.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

crate::domain::text_enum! {
    /// What a chain record records.
    pub enum ChainKind {
        ScoreSubmitted = "score_submitted",
        ScoreReopened = "score_reopened",
        ConflictDeclared = "conflict_declared",
        ConflictRemoved = "conflict_removed",
        AwardsSet = "awards_set",
        ProtocolFinalised = "protocol_finalised",
    }
}

/// SHA-256(prev_hash || payload) in lowercase hex.
pub fn hash(prev_hash: &str, payload: &str) -> String {
    let mut h = Sha256::new();
    h.update(prev_hash.as_bytes());
    h.update(payload.as_bytes());
    crate::domain::token::hex(&h.finalize())
}

/// A time as the chain writes it (UTC, to the microsecond).
pub fn time(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string()
}

/// The object key of a juror's judgement of an entry.
pub fn score_key(entry_id: i32, juror_id: i32) -> String {
    format!("score:{entry_id}:{juror_id}")
}

pub fn conflict_key(juror_id: i32, institution_id: i32) -> String {
    format!("conflict:{juror_id}:{institution_id}")
}

pub fn awards_key(category_id: i32) -> String {
    format!("awards:{category_id}")
}

pub const PROTOCOL_KEY: &str = "protocol";

/// What a submitted judgement decides: each criterion's points, the comment and the total
/// (written with Rust's shortest exact form of the stored number).
pub fn score_state(points: &[(i32, i32)], comment: &str, total: Option<f64>) -> Value {
    let pts: serde_json::Map<String, Value> = points
        .iter()
        .map(|(crit, p)| (crit.to_string(), json!(p)))
        .collect();
    json!({
        "comment": comment,
        "points": pts,
        "total": total.map(|t| t.to_string()),
    })
}

pub fn conflict_state(reason: &str) -> Value {
    json!({ "reason": reason })
}

/// A category's awards: (entry, award, position) in a fixed order, and the tie declaration.
pub fn awards_state(awards: &[(i32, &str, i32)], ex_aequo: bool) -> Value {
    let mut list: Vec<(i32, &str, i32)> = awards.to_vec();
    list.sort();
    json!({
        "awards": list.iter().map(|(e, a, p)| json!([e, a, p])).collect::<Vec<_>>(),
        "ex_aequo": ex_aequo,
    })
}

pub fn protocol_state(finalised_at: NaiveDateTime) -> Value {
    json!({ "finalised_at": time(finalised_at) })
}

/// What one record says, before it gets its place in the chain.
#[derive(Clone, Debug)]
pub struct Event {
    pub kind: ChainKind,
    pub actor: Option<i32>,
    pub object: String,
    /// What was decided about the object; `None` when it was taken back.
    pub state: Option<Value>,
}

/// The canonical payload of `event` as record `seq` of edition `edition_id`.
pub fn payload(edition_id: i32, seq: i32, at: NaiveDateTime, event: &Event) -> String {
    json!({
        "actor": event.actor,
        "at": time(at),
        "edition": edition_id,
        "kind": event.kind.as_str(),
        "object": event.object,
        "seq": seq,
        "state": event.state,
    })
    .to_string()
}

/// One stored record.
#[derive(Clone, Debug)]
pub struct Record {
    pub edition_id: i32,
    pub seq: i32,
    pub at: NaiveDateTime,
    pub kind: String,
    pub payload: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The first thing that does not match, naming the record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    pub edition_id: i32,
    /// The record that does not match; `None` for a live row no record speaks of.
    pub seq: Option<i32>,
    pub kind: String,
    pub what: String,
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.seq {
            Some(seq) => write!(
                f,
                "edition {}, record {} ({}): {}",
                self.edition_id, seq, self.kind, self.what
            ),
            None => write!(f, "edition {}: {}", self.edition_id, self.what),
        }
    }
}

/// Checks the links of one edition's records, given in seq order.
pub fn check_links(records: &[Record]) -> Result<(), Mismatch> {
    let mut prev = GENESIS.to_string();
    for (i, r) in records.iter().enumerate() {
        let bad = |what: String| Mismatch {
            edition_id: r.edition_id,
            seq: Some(r.seq),
            kind: r.kind.clone(),
            what,
        };
        let expected_seq = i32::try_from(i + 1).unwrap_or(i32::MAX);
        if r.seq != expected_seq {
            return Err(bad(format!(
                "expected record {expected_seq} here (a record is missing)"
            )));
        }
        if r.prev_hash != prev {
            return Err(bad(format!(
                "prev_hash {} is not the hash of the record before it ({prev})",
                r.prev_hash
            )));
        }
        let recomputed = hash(&r.prev_hash, &r.payload);
        if r.hash != recomputed {
            return Err(bad(format!(
                "stored hash {} but the payload hashes to {recomputed} (the record was changed)",
                r.hash
            )));
        }
        let p: Value = serde_json::from_str(&r.payload)
            .map_err(|_| bad("the payload is not JSON".to_string()))?;
        if p["edition"] != json!(r.edition_id)
            || p["seq"] != json!(r.seq)
            || p["kind"] != json!(r.kind)
            || p["at"] != json!(time(r.at))
        {
            return Err(bad(
                "its edition, seq, kind or time differ from its payload".to_string(),
            ));
        }
        prev = r.hash.clone();
    }
    Ok(())
}

/// Compares what the latest record of each object says with the live rows (`live`: object key
/// → state, for every object that exists now). Records are in seq order and their links
/// already checked. The mismatch reported is the one whose record comes first in the chain; a
/// live row no record speaks of comes after them all.
pub fn check_live(
    edition_id: i32,
    records: &[Record],
    live: &BTreeMap<String, Value>,
) -> Result<(), Mismatch> {
    let mut latest: BTreeMap<String, (&Record, Value)> = BTreeMap::new();
    for r in records {
        let p: Value = serde_json::from_str(&r.payload).unwrap_or(Value::Null);
        let Some(object) = p["object"].as_str() else {
            return Err(Mismatch {
                edition_id,
                seq: Some(r.seq),
                kind: r.kind.clone(),
                what: "the payload names no object".into(),
            });
        };
        latest.insert(object.to_string(), (r, p["state"].clone()));
    }
    let mut first: Option<Mismatch> = None;
    for (object, (r, recorded)) in &latest {
        let now = live.get(object).cloned().unwrap_or(Value::Null);
        if *recorded != now && first.as_ref().is_none_or(|m| m.seq > Some(r.seq)) {
            first = Some(Mismatch {
                edition_id,
                seq: Some(r.seq),
                kind: r.kind.clone(),
                what: format!("{object}: the record says {recorded}, the database holds {now}"),
            });
        }
    }
    if let Some(m) = first {
        return Err(m);
    }
    if let Some((object, now)) = live.iter().find(|(k, _)| !latest.contains_key(*k)) {
        return Err(Mismatch {
            edition_id,
            seq: None,
            kind: String::new(),
            what: format!("{object}: the database holds {now}, but no record says so"),
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(min: u32) -> NaiveDateTime {
        chrono::NaiveDate::from_ymd_opt(2026, 11, 30)
            .unwrap()
            .and_hms_opt(12, min, 0)
            .unwrap()
    }

    fn chain(events: &[Event]) -> Vec<Record> {
        let mut prev = GENESIS.to_string();
        let mut out = Vec::new();
        for (i, e) in (1u32..).zip(events) {
            let seq = i32::try_from(i).unwrap();
            let payload = payload(7, seq, at(i), e);
            let h = hash(&prev, &payload);
            out.push(Record {
                edition_id: 7,
                seq,
                at: at(i),
                kind: e.kind.as_str().into(),
                payload,
                prev_hash: prev.clone(),
                hash: h.clone(),
            });
            prev = h;
        }
        out
    }

    fn events() -> Vec<Event> {
        vec![
            Event {
                kind: ChainKind::ScoreSubmitted,
                actor: Some(3),
                object: score_key(10, 3),
                state: Some(score_state(&[(1, 9), (2, 7)], "Dobre.", Some(8.0))),
            },
            Event {
                kind: ChainKind::ConflictDeclared,
                actor: Some(3),
                object: conflict_key(3, 5),
                state: Some(conflict_state("współpraca")),
            },
            Event {
                kind: ChainKind::ScoreReopened,
                actor: Some(1),
                object: score_key(10, 3),
                state: None,
            },
            Event {
                kind: ChainKind::ScoreSubmitted,
                actor: Some(3),
                object: score_key(10, 3),
                state: Some(score_state(&[(1, 9), (2, 8)], "Lepsze.", Some(8.5))),
            },
        ]
    }

    fn live() -> BTreeMap<String, Value> {
        BTreeMap::from([
            (
                score_key(10, 3),
                score_state(&[(2, 8), (1, 9)], "Lepsze.", Some(8.5)),
            ),
            (conflict_key(3, 5), conflict_state("współpraca")),
        ])
    }

    #[test]
    fn the_hash_is_sha256_of_the_previous_hash_and_the_payload() {
        // sha256("") and sha256("abc"), the standard test vectors.
        assert_eq!(
            hash("", ""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
        assert_eq!(hash("a", "bc"), hash("ab", "c"));
        assert_eq!(
            hash("ab", "c"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn payloads_are_canonical_with_sorted_keys() {
        let p = payload(7, 1, at(0), &events()[0]);
        assert_eq!(
            p,
            "{\"actor\":3,\"at\":\"2026-11-30T12:00:00.000000\",\"edition\":7,\
             \"kind\":\"score_submitted\",\"object\":\"score:10:3\",\"seq\":1,\
             \"state\":{\"comment\":\"Dobre.\",\"points\":{\"1\":9,\"2\":7},\"total\":\"8\"}}"
        );
        // The same decision in another order of criteria is the same payload.
        let mut e = events()[0].clone();
        e.state = Some(score_state(&[(2, 7), (1, 9)], "Dobre.", Some(8.0)));
        assert_eq!(payload(7, 1, at(0), &e), p);
    }

    #[test]
    fn an_intact_chain_matching_the_live_rows_verifies() {
        let c = chain(&events());
        assert_eq!(check_links(&c), Ok(()));
        assert_eq!(check_live(7, &c, &live()), Ok(()));
        assert_eq!(check_links(&[]), Ok(()));
        assert_eq!(check_live(7, &[], &BTreeMap::new()), Ok(()));
    }

    #[test]
    fn an_edited_record_is_named() {
        let mut c = chain(&events());
        c[1].payload = c[1].payload.replace("współpraca", "nic");
        let m = check_links(&c).unwrap_err();
        assert_eq!((m.seq, m.kind.as_str()), (Some(2), "conflict_declared"));
        assert!(m.what.contains("the record was changed"), "{m}");
        // Rehashing the edited record breaks the next link instead.
        c[1].hash = hash(&c[1].prev_hash, &c[1].payload);
        let m = check_links(&c).unwrap_err();
        assert_eq!(m.seq, Some(3));
        assert!(m.what.contains("prev_hash"), "{m}");
    }

    #[test]
    fn a_missing_record_or_changed_column_is_named() {
        let mut c = chain(&events());
        c.remove(1);
        assert_eq!(check_links(&c).unwrap_err().seq, Some(3));
        let mut c = chain(&events());
        c[0].kind = "score_reopened".into();
        let m = check_links(&c).unwrap_err();
        assert_eq!(m.seq, Some(1));
    }

    #[test]
    fn an_edited_live_row_is_named_by_its_latest_record() {
        let c = chain(&events());
        let mut l = live();
        l.insert(
            score_key(10, 3),
            score_state(&[(1, 10), (2, 8)], "Lepsze.", Some(8.5)),
        );
        let m = check_live(7, &c, &l).unwrap_err();
        assert_eq!((m.seq, m.kind.as_str()), (Some(4), "score_submitted"));
        assert!(m.what.contains("score:10:3"), "{m}");
        // A removed row, and a row nobody recorded.
        let mut l = live();
        l.remove(&conflict_key(3, 5));
        assert_eq!(check_live(7, &c, &l).unwrap_err().seq, Some(2));
        let mut l = live();
        l.insert(conflict_key(4, 5), conflict_state("x"));
        let m = check_live(7, &c, &l).unwrap_err();
        assert_eq!(m.seq, None);
        assert!(m.to_string().contains("conflict:4:5"), "{m}");
        // The earliest of two mismatches is reported.
        let mut l = BTreeMap::new();
        l.insert(score_key(10, 3), Value::Null);
        assert_eq!(check_live(7, &c, &l).unwrap_err().seq, Some(2));
    }
}
