//! The persistent email outbox. Messages are inserted in the transaction of the action that
//! caused them and sent by the worker; status and the server's last answer stay visible.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use super::schema::outbox;
use super::{DbConn, DbResult};
use crate::domain::paging::{PageRequest, Paging};

pub use crate::domain::mail::OutboxStatus;

#[derive(Insertable, Clone, Debug)]
#[diesel(table_name = outbox)]
pub struct NewMessage {
    pub kind: String,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub user_id: Option<i32>,
    pub institution_id: Option<i32>,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = outbox)]
pub struct Message {
    pub id: i32,
    pub kind: String,
    pub to_email: String,
    pub to_name: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
    pub user_id: Option<i32>,
    pub institution_id: Option<i32>,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
    /// The left part of the Message-ID header, fixed when the message is queued.
    pub message_id: String,
    /// The worker that claimed it last (see [`claim_due`]).
    pub claimed_by: Option<String>,
}

pub fn insert(conn: &mut DbConn, m: &NewMessage, now: NaiveDateTime) -> DbResult<i32> {
    diesel::insert_into(outbox::table)
        .values((
            m,
            outbox::status.eq(OutboxStatus::Queued),
            outbox::attempts.eq(0),
            outbox::next_attempt_at.eq(now),
            outbox::created_at.eq(now),
            outbox::message_id.eq(crate::domain::token::generate()[..32].to_string()),
        ))
        .returning(outbox::id)
        .get_result(conn)
}

/// Takes up to `limit` due messages for the worker `owner`: each is locked for `lease` with a
/// conditional UPDATE (one statement: of two instances racing for a message, one updates it and
/// the other finds it locked), so two instances never send the same message at the same time.
/// The lease is longer than a delivery can take; the outcome is recorded only by the owner.
///
/// `in_flight` are the recipients being sent to right now. So that one person's messages arrive
/// in the order they were queued, a message is taken only when it is its recipient's oldest
/// queued one and nothing is being sent to that recipient; and so that one slow receiving server
/// cannot take every slot, at most `per_domain` messages to one domain are in flight at a time.
pub fn claim_due(
    conn: &mut DbConn,
    owner: &str,
    now: NaiveDateTime,
    limit: i64,
    lease: Duration,
    in_flight: &[String],
    per_domain: usize,
) -> DbResult<Vec<Message>> {
    use std::collections::{HashMap, HashSet};
    let domain_of = |email: &str| {
        email
            .rsplit_once('@')
            .map_or(String::new(), |(_, d)| d.to_lowercase())
    };
    let mut load: HashMap<String, usize> = HashMap::new();
    for r in in_flight {
        *load.entry(domain_of(r)).or_default() += 1;
    }
    let mut query = outbox::table
        .into_boxed::<<DbConn as diesel::Connection>::Backend>()
        .filter(outbox::status.eq(OutboxStatus::Queued))
        .filter(outbox::next_attempt_at.le(now))
        .filter(
            outbox::locked_until
                .is_null()
                .or(outbox::locked_until.lt(now)),
        )
        .filter(outbox::to_email.ne_all(in_flight.to_vec()));
    for (domain, n) in &load {
        if *n >= per_domain {
            query = query.filter(outbox::to_email.not_like(format!("%@{domain}")));
        }
    }
    let candidates: Vec<Message> = query
        .order((outbox::next_attempt_at.asc(), outbox::id.asc()))
        .limit(limit * 8)
        .select(Message::as_select())
        .load(conn)?;
    // Each candidate recipient's oldest queued message, due or not.
    let recipients: Vec<String> = candidates.iter().map(|m| m.to_email.clone()).collect();
    let oldest: HashMap<String, i32> = outbox::table
        .filter(outbox::status.eq(OutboxStatus::Queued))
        .filter(outbox::to_email.eq_any(recipients))
        .group_by(outbox::to_email)
        .select((outbox::to_email, diesel::dsl::min(outbox::id)))
        .load::<(String, Option<i32>)>(conn)?
        .into_iter()
        .filter_map(|(to, id)| id.map(|id| (to, id)))
        .collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut chosen = Vec::new();
    for m in candidates {
        if i64::try_from(chosen.len()).unwrap_or(i64::MAX) >= limit {
            break;
        }
        let domain = domain_of(&m.to_email);
        let first_for_recipient = oldest.get(&m.to_email) == Some(&m.id);
        if !first_for_recipient
            || !seen.insert(m.to_email.clone())
            || load.get(&domain).copied().unwrap_or(0) >= per_domain
        {
            continue;
        }
        *load.entry(domain).or_default() += 1;
        chosen.push(m);
    }
    let candidates = chosen;
    let mut claimed = Vec::with_capacity(candidates.len());
    for m in candidates {
        let n = diesel::update(
            outbox::table
                .find(m.id)
                .filter(outbox::status.eq(OutboxStatus::Queued))
                .filter(
                    outbox::locked_until
                        .is_null()
                        .or(outbox::locked_until.lt(now)),
                ),
        )
        .set((
            outbox::locked_until.eq(now + lease),
            outbox::claimed_by.eq(owner),
        ))
        .execute(conn)?;
        if n == 1 {
            claimed.push(Message {
                claimed_by: Some(owner.to_string()),
                ..m
            });
        }
    }
    Ok(claimed)
}

/// Records delivery by `owner`; the stored bodies lose their links' secrets (they were needed
/// only to send). False when the message is no longer `owner`'s (nothing is changed).
pub fn mark_sent(
    conn: &mut DbConn,
    m: &Message,
    owner: &str,
    now: NaiveDateTime,
) -> DbResult<bool> {
    use crate::domain::token::redact;
    diesel::update(owned(m.id, owner))
        .set((
            outbox::body_text.eq(redact(&m.body_text)),
            outbox::body_html.eq(redact(&m.body_html)),
            outbox::status.eq(OutboxStatus::Sent),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::sent_at.eq(now),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// The message `id` while `owner` holds it.
fn owned(
    id: i32,
    owner: &str,
) -> diesel::dsl::Filter<
    diesel::dsl::Find<outbox::table, i32>,
    diesel::dsl::Eq<outbox::claimed_by, String>,
> {
    outbox::table
        .find(id)
        .filter(outbox::claimed_by.eq(owner.to_string()))
}

/// Records a failed attempt by `owner`: queued again at `retry_at`, or failed for good when
/// `None`. False when the message is no longer `owner`'s (nothing is changed).
pub fn mark_attempt_failed(
    conn: &mut DbConn,
    id: i32,
    owner: &str,
    error: &str,
    retry_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> DbResult<bool> {
    let status = if retry_at.is_some() {
        OutboxStatus::Queued
    } else {
        OutboxStatus::Failed
    };
    diesel::update(owned(id, owner))
        .set((
            outbox::status.eq(status),
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(error),
            outbox::next_attempt_at.eq(retry_at.unwrap_or(now)),
            outbox::locked_until.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// "Send again": puts a queued or failed message back in the queue now. A sent message is not
/// sent twice (its links' secrets are gone; the recipient asks for a new link instead).
pub fn requeue(conn: &mut DbConn, id: i32, now: NaiveDateTime) -> DbResult<bool> {
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.ne(OutboxStatus::Sent)),
    )
    .set((
        outbox::status.eq(OutboxStatus::Queued),
        outbox::next_attempt_at.eq(now),
        outbox::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn find(conn: &mut DbConn, id: i32) -> DbResult<Option<Message>> {
    outbox::table
        .find(id)
        .select(Message::as_select())
        .first(conn)
        .optional()
}

/// The outbox page's rows: everything but the bodies.
#[derive(Queryable, Clone, Debug)]
pub struct MessageRow {
    pub id: i32,
    pub kind: String,
    pub to_email: String,
    pub subject: String,
    pub status: OutboxStatus,
    pub attempts: i32,
    pub last_error: Option<String>,
    pub next_attempt_at: NaiveDateTime,
    pub created_at: NaiveDateTime,
    pub sent_at: Option<NaiveDateTime>,
}

/// One page of the messages (of one status, if given), newest first, and where it lies.
pub fn list(
    conn: &mut DbConn,
    status: Option<OutboxStatus>,
    page: PageRequest,
) -> DbResult<(Vec<MessageRow>, Paging)> {
    let filtered = || {
        let mut q = outbox::table.into_boxed::<<DbConn as diesel::Connection>::Backend>();
        if let Some(s) = status {
            q = q.filter(outbox::status.eq(s));
        }
        q
    };
    let total = filtered().count().get_result(conn)?;
    let paging = Paging::new(page, total);
    let rows = filtered()
        .order(outbox::id.desc())
        .offset(paging.offset())
        .limit(paging.limit())
        .select((
            outbox::id,
            outbox::kind,
            outbox::to_email,
            outbox::subject,
            outbox::status,
            outbox::attempts,
            outbox::last_error,
            outbox::next_attempt_at,
            outbox::created_at,
            outbox::sent_at,
        ))
        .load(conn)?;
    Ok((rows, paging))
}

/// How many messages are in each status, for the outbox summary.
pub fn counts(conn: &mut DbConn) -> DbResult<Vec<(OutboxStatus, i64)>> {
    outbox::table
        .group_by(outbox::status)
        .select((outbox::status, diesel::dsl::count_star()))
        .load(conn)
}

/// (institution id, status) of messages of one kind queued since a time, for "who was reached".
pub fn statuses_by_institution(
    conn: &mut DbConn,
    kind: &str,
    since: NaiveDateTime,
) -> DbResult<Vec<(i32, OutboxStatus)>> {
    let rows: Vec<(Option<i32>, OutboxStatus)> = outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::institution_id.is_not_null())
        .filter(outbox::created_at.ge(since))
        .select((outbox::institution_id, outbox::status))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(i, s)| i.map(|i| (i, s)))
        .collect())
}

/// The addresses a message of one kind was queued or sent to since a time (failed ones do not
/// count): who an announcement has already reached, so that it is never queued twice.
pub fn addresses_reached(
    conn: &mut DbConn,
    kind: &str,
    since: NaiveDateTime,
) -> DbResult<Vec<String>> {
    outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::status.ne(OutboxStatus::Failed))
        .filter(outbox::created_at.ge(since))
        .select(outbox::to_email)
        .distinct()
        .load(conn)
}

/// Per user, the latest message of one kind queued or sent to them since a time (failed ones do
/// not count): who was reminded recently, and when.
pub fn latest_to_users(
    conn: &mut DbConn,
    kind: &str,
    since: NaiveDateTime,
) -> DbResult<Vec<(i32, NaiveDateTime)>> {
    let rows: Vec<(Option<i32>, Option<NaiveDateTime>)> = outbox::table
        .filter(outbox::kind.eq(kind))
        .filter(outbox::status.ne(OutboxStatus::Failed))
        .filter(outbox::user_id.is_not_null())
        .filter(outbox::created_at.ge(since))
        .group_by(outbox::user_id)
        .select((outbox::user_id, diesel::dsl::max(outbox::created_at)))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .filter_map(|(u, t)| Some((u?, t?)))
        .collect())
}

/// What the metrics endpoint shows of the outbox.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Backlog {
    pub queued: i64,
    pub failed: i64,
    /// When the oldest still-queued message was queued.
    pub oldest_queued: Option<NaiveDateTime>,
}

/// The outbox backlog in one query: counts of queued and failed messages and the oldest
/// queued one's time (the status index makes this cheap even with many sent messages).
pub fn backlog(conn: &mut DbConn) -> DbResult<Backlog> {
    let rows: Vec<(OutboxStatus, i64, Option<NaiveDateTime>)> = outbox::table
        .filter(outbox::status.eq_any([OutboxStatus::Queued, OutboxStatus::Failed]))
        .group_by(outbox::status)
        .select((
            outbox::status,
            diesel::dsl::count_star(),
            diesel::dsl::min(outbox::created_at),
        ))
        .load(conn)?;
    let mut b = Backlog::default();
    for (status, n, oldest) in rows {
        match status {
            OutboxStatus::Queued => {
                b.queued = n;
                b.oldest_queued = oldest;
            }
            OutboxStatus::Failed => b.failed = n,
            OutboxStatus::Sent => {}
        }
    }
    Ok(b)
}

/// Gives back what `owner` holds but has not finished (a worker shutting down): the claim and
/// the lease are cleared so another instance takes the messages at once. Returns how many.
pub fn release(conn: &mut DbConn, owner: &str) -> DbResult<usize> {
    diesel::update(
        outbox::table
            .filter(outbox::claimed_by.eq(owner))
            .filter(outbox::status.eq(OutboxStatus::Queued))
            .filter(outbox::locked_until.is_not_null()),
    )
    .set((
        outbox::claimed_by.eq(None::<String>),
        outbox::locked_until.eq(None::<NaiveDateTime>),
    ))
    .execute(conn)
}
