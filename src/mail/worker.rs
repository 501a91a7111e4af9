//! The outbox worker: sends due messages, retries failures with exponential backoff, and keeps
//! the server's last answer. It also does the periodic clean-up of expired sessions.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::Mailbox;
use tokio::sync::Notify;

use crate::db::{Db, outbox, sessions, throttle};
use crate::domain::time;
use crate::mail::transport::{Delivery, Transport};

/// Attempts before a transient failure becomes final.
pub const MAX_ATTEMPTS: i32 = 8;
const BATCH: i64 = 20;
/// How long a claimed message is reserved for this worker.
const LEASE_SECS: i64 = 60;

/// The wait before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min … 64 min.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(1, 8) - 1;
    chrono::Duration::seconds(30 * (1i64 << exp))
}

/// When to try again after the `attempts`-th failure, or `None` to give up.
pub fn next_attempt(attempts: i32, now: NaiveDateTime) -> Option<NaiveDateTime> {
    (attempts < MAX_ATTEMPTS).then(|| now + backoff(attempts))
}

pub struct Worker {
    pub db: Db,
    pub transport: Transport,
    pub from: Mailbox,
    pub signal: Arc<Notify>,
    pub poll: Duration,
}

impl Worker {
    pub async fn run(self) {
        let mut reported: HashSet<i32> = HashSet::new();
        let mut last_cleanup = std::time::Instant::now() - Duration::from_secs(3600);
        loop {
            let busy = match self.tick(&mut reported).await {
                Ok(n) => n as i64 == BATCH,
                Err(e) => {
                    tracing::warn!(error = %e, "outbox worker could not read the queue");
                    false
                }
            };
            if last_cleanup.elapsed() > Duration::from_secs(600) {
                last_cleanup = std::time::Instant::now();
                self.cleanup().await;
            }
            if !busy {
                tokio::select! {
                    _ = self.signal.notified() => {}
                    _ = tokio::time::sleep(self.poll) => {}
                }
            }
        }
    }

    /// One pass over due messages; returns how many were taken.
    async fn tick(&self, reported: &mut HashSet<i32>) -> Result<usize, String> {
        if !self.transport.is_configured() {
            // Nothing can be sent: say once per message that it is waiting, never drop it.
            let waiting = self
                .db
                .run(|c| Ok(outbox::list(c, Some(outbox::QUEUED), 0, 500)?.0))
                .await
                .map_err(|e| e.to_string())?;
            for m in waiting.iter().filter(|m| reported.insert(m.id)) {
                tracing::warn!(
                    id = m.id, to = %m.to_email, subject = %m.subject,
                    "KONKURS_SMTP_URL is not set: the message stays in the outbox"
                );
            }
            return Ok(0);
        }
        let now = time::now();
        let due = self
            .db
            .run(move |c| {
                Ok(outbox::claim_due(
                    c,
                    now,
                    BATCH,
                    chrono::Duration::seconds(LEASE_SECS),
                )?)
            })
            .await
            .map_err(|e| e.to_string())?;
        let n = due.len();
        for m in due {
            let outcome = self.transport.send(&self.from, &m).await;
            let id = m.id;
            let attempts = m.attempts + 1;
            let sent = m.clone();
            let result = self
                .db
                .run(move |c| {
                    let now = time::now();
                    match &outcome {
                        Delivery::Sent => outbox::mark_sent(c, &sent, now)?,
                        Delivery::Transient(err) => outbox::mark_attempt_failed(
                            c,
                            id,
                            err,
                            next_attempt(attempts, now),
                            now,
                        )?,
                        Delivery::Permanent(err) => {
                            outbox::mark_attempt_failed(c, id, err, None, now)?
                        }
                    }
                    Ok(outcome)
                })
                .await;
            match result {
                Ok(Delivery::Sent) => tracing::info!(id, to = %m.to_email, "email sent"),
                Ok(Delivery::Transient(e)) => {
                    tracing::warn!(id, to = %m.to_email, attempts, error = %e, "email not sent, will retry")
                }
                Ok(Delivery::Permanent(e)) => {
                    tracing::error!(id, to = %m.to_email, error = %e, "email refused")
                }
                Err(e) => tracing::error!(id, error = %e, "could not record the delivery"),
            }
        }
        Ok(n)
    }

    async fn cleanup(&self) {
        let r = self
            .db
            .run(|c| {
                let now = time::now();
                let s = sessions::purge_expired(c, now)?;
                let t = throttle::purge_older_than(c, now - chrono::Duration::days(1))?;
                crate::db::users::purge_login_addresses(
                    c,
                    now - crate::services::accounts::KNOWN_ADDRESS_FOR,
                )?;
                Ok((s, t))
            })
            .await;
        if let Ok((s, t)) = r
            && (s > 0 || t > 0)
        {
            tracing::debug!(sessions = s, throttle = t, "cleaned up");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_then_gives_up() {
        let now = time::now();
        assert_eq!(backoff(1), chrono::Duration::seconds(30));
        assert_eq!(backoff(2), chrono::Duration::seconds(60));
        assert_eq!(backoff(7), chrono::Duration::seconds(30 * 64));
        assert_eq!(
            next_attempt(1, now),
            Some(now + chrono::Duration::seconds(30))
        );
        assert_eq!(next_attempt(MAX_ATTEMPTS, now), None);
    }
}
