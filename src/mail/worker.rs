//! The outbox worker: sends due messages, retries failures with exponential backoff, and keeps
//! the server's last answer. It also does the periodic clean-up of expired sessions.

use std::any::Any;
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::Duration;

use chrono::NaiveDateTime;
use lettre::message::Mailbox;
use tokio::sync::{Notify, Semaphore, watch};
use tokio::task::AbortHandle;

use crate::db::{Db, outbox, sessions, throttle};
use crate::domain::paging::PageRequest;
use crate::domain::time::Clock;
use crate::mail::transport::{Delivery, Transport};

/// Attempts before a transient failure becomes final.
pub const MAX_ATTEMPTS: i32 = 8;
/// Messages sent at the same time.
const PARALLEL_SENDS: usize = 8;
/// Of which at most this many to one receiving domain: a server that never answers (or an
/// attacker's domain) holds up its own mail, not everybody's.
const PER_DOMAIN: usize = 2;
/// The longest one delivery may take, whatever the mail server does.
const SEND_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a claimed message is reserved for this worker: longer than one delivery at the
/// slowest (SEND_TIMEOUT), so no other instance takes it meanwhile.
const LEASE_SECS: i64 = 120;

/// The wait before the next attempt after `attempts` failed ones: 30 s, 1 min, 2 min … 64 min.
pub fn backoff(attempts: i32) -> chrono::Duration {
    let exp = attempts.clamp(1, 8) - 1;
    chrono::Duration::seconds(30 * (1i64 << exp))
}

/// When to try again after the `attempts`-th failure, or `None` to give up.
pub fn next_attempt(attempts: i32, now: NaiveDateTime) -> Option<NaiveDateTime> {
    (attempts < MAX_ATTEMPTS).then(|| now + backoff(attempts))
}

/// How long the worker may go without a sign of life before readiness fails: longer than one
/// SMTP attempt (20 s timeout) plus a poll interval, so a slow server is not mistaken for death.
pub const STALE_AFTER: Duration = Duration::from_secs(90);

fn stale_after_millis() -> i64 {
    i64::try_from(STALE_AFTER.as_millis()).unwrap_or(i64::MAX)
}

/// The worker's sign of life, read by `/healthz`.
#[derive(Debug, Default)]
pub struct Health {
    /// Unix time in milliseconds of the last loop turn or message.
    last_beat: AtomicI64,
}

impl Health {
    /// Real time on purpose (not the app's clock): this watches the worker itself.
    pub fn beat(&self) {
        self.last_beat
            .store(chrono::Utc::now().timestamp_millis(), Ordering::Relaxed);
    }

    /// True when the worker showed a sign of life within `STALE_AFTER`.
    pub fn alive(&self) -> bool {
        let last = self.last_beat.load(Ordering::Relaxed);
        let age = chrono::Utc::now().timestamp_millis() - last;
        last > 0 && age < stale_after_millis()
    }
}

/// The text of a panic's payload, for logs and the outbox's "last error".
pub fn panic_text(payload: &(dyn Any + Send)) -> String {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s.to_string()
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s.clone()
    } else {
        "panic".to_string()
    }
}

/// Runs the task made by `start`, and when it panics logs it, calls `on_crash` with the panic's
/// text and starts it again (after a short pause, so a crash loop cannot spin the CPU). Returns
/// when the task returns normally.
pub async fn supervise<S, F, C>(name: &'static str, mut start: S, mut on_crash: C)
where
    S: FnMut() -> F,
    F: Future<Output = ()> + 'static,
    C: FnMut(String),
{
    loop {
        match actix_web::rt::spawn(start()).await {
            Ok(()) => return,
            Err(e) if e.is_panic() => {
                let reason = panic_text(&*e.into_panic());
                tracing::error!(task = name, error = %reason, "background task crashed; restarting it");
                on_crash(reason);
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
            Err(e) => {
                tracing::error!(task = name, error = %e, "background task was cancelled");
                return;
            }
        }
    }
}

/// The recipients being sent to right now.
type Busy = Arc<std::sync::Mutex<HashSet<String>>>;

/// Resolves once `true` is sent on the shutdown channel; never when the sender is gone without
/// sending it (an app that is simply dropped, as in tests).
pub async fn stopping(mut shutdown: watch::Receiver<bool>) {
    if shutdown.wait_for(|stop| *stop).await.is_err() {
        std::future::pending::<()>().await;
    }
}

pub struct Worker {
    pub db: Db,
    pub transport: Transport,
    pub from: Mailbox,
    pub signal: Arc<Notify>,
    pub poll: Duration,
    pub health: Arc<Health>,
    /// The app's clock: what is due, when to retry and what has expired follow it (the health
    /// beat above keeps real time, as it watches the worker itself).
    pub clock: Clock,
    /// This worker's name in the outbox (`claimed_by`): unique per process.
    pub owner: String,
    /// `true` when the process is stopping: claim nothing more, let the deliveries in flight
    /// finish within `grace`, give back the rest, return.
    pub shutdown: watch::Receiver<bool>,
    pub grace: Duration,
}

impl Worker {
    /// Runs the worker under `supervise`: if its loop panics, the panic is logged and the loop
    /// starts again (deliveries run as tasks of their own and are accounted for separately).
    pub async fn run_supervised(self) {
        let worker = Arc::new(self);
        // `supervise` logs the crash; nothing else to do before starting again.
        supervise("outbox worker", move || worker.clone().run(), |_| {}).await;
    }

    /// Keeps up to `PARALLEL_SENDS` deliveries going: as soon as one ends, the next due message
    /// is claimed, so one recipient's server that never answers holds up one slot, not the queue.
    pub async fn run(self: Arc<Self>) {
        let slots = Arc::new(Semaphore::new(PARALLEL_SENDS));
        let freed = Arc::new(Notify::new());
        let busy: Busy = Arc::default();
        let mut sending: Vec<AbortHandle> = Vec::new();
        let mut reported: HashSet<i32> = HashSet::new();
        let mut last_cleanup = std::time::Instant::now() - Duration::from_secs(3600);
        loop {
            self.health.beat();
            if *self.shutdown.borrow() {
                self.drain(&slots, &sending).await;
                return;
            }
            sending.retain(|h| !h.is_finished());
            if let Err(e) = self
                .dispatch(&slots, &freed, &busy, &mut reported, &mut sending)
                .await
            {
                tracing::warn!(error = %e, "outbox worker could not read the queue");
            }
            if last_cleanup.elapsed() > Duration::from_secs(600) {
                last_cleanup = std::time::Instant::now();
                self.cleanup().await;
            }
            tokio::select! {
                _ = self.signal.notified() => {}
                _ = freed.notified() => {}
                _ = tokio::time::sleep(self.poll) => {}
                () = stopping(self.shutdown.clone()) => {}
            }
        }
    }

    /// The end of the worker at shutdown: waits up to the grace period for the deliveries in
    /// flight, stops the ones still going and gives their messages back (claim and lease
    /// cleared) so another instance sends them at once.
    async fn drain(&self, slots: &Arc<Semaphore>, sending: &[AbortHandle]) {
        let all = u32::try_from(PARALLEL_SENDS).unwrap_or(u32::MAX);
        let in_flight = PARALLEL_SENDS - slots.available_permits();
        tracing::info!(in_flight, "outbox worker stopping");
        if tokio::time::timeout(self.grace, slots.acquire_many(all))
            .await
            .is_err()
        {
            // An aborted delivery records nothing: its message is released below.
            for h in sending {
                h.abort();
            }
        }
        let owner = self.owner.clone();
        match self.db.run(move |c| Ok(outbox::release(c, &owner)?)).await {
            Ok(0) => {}
            Ok(n) => tracing::warn!(
                released = n,
                "messages still being sent at shutdown were given back to the queue"
            ),
            Err(e) => tracing::error!(
                error = %e,
                "could not give back the claimed messages; they are sent after their lease ends"
            ),
        }
        // The reused SMTP connections are closed with QUIT, inside this runtime.
        self.transport.shutdown().await;
        tracing::info!("outbox worker stopped");
    }

    /// Claims as many due messages as there are free slots and starts a delivery for each.
    async fn dispatch(
        self: &Arc<Self>,
        slots: &Arc<Semaphore>,
        freed: &Arc<Notify>,
        busy: &Busy,
        reported: &mut HashSet<i32>,
        tasks: &mut Vec<AbortHandle>,
    ) -> Result<usize, String> {
        if !self.transport.is_configured() {
            // Nothing can be sent: say once per message that it is waiting, never drop it.
            let waiting = self
                .db
                .run(|c| {
                    Ok(outbox::list(
                        c,
                        Some(outbox::OutboxStatus::Queued),
                        PageRequest::first(500),
                    )?
                    .0)
                })
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
        let free = slots.available_permits();
        if free == 0 {
            return Ok(0);
        }
        let now = self.clock.now();
        let sending: Vec<String> = busy
            .lock()
            .map(|b| b.iter().cloned().collect())
            .unwrap_or_default();
        let owner = self.owner.clone();
        let due = self
            .db
            .run(move |c| {
                Ok(outbox::claim_due(
                    c,
                    &owner,
                    now,
                    i64::try_from(free).unwrap_or(i64::MAX),
                    chrono::Duration::seconds(LEASE_SECS),
                    &sending,
                    PER_DOMAIN,
                )?)
            })
            .await
            .map_err(|e| e.to_string())?;
        let n = due.len();
        for m in due {
            // Free slots were counted above and only this loop takes them.
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                break;
            };
            let id = m.id;
            let to = m.to_email.clone();
            if let Ok(mut b) = busy.lock() {
                b.insert(to.clone());
            }
            let delivery = actix_web::rt::spawn({
                let w = self.clone();
                async move { w.deliver(m).await }
            });
            tasks.push(delivery.abort_handle());
            let (w, freed, busy) = (self.clone(), freed.clone(), busy.clone());
            actix_web::rt::spawn(async move {
                if let Err(e) = delivery.await
                    && e.is_panic()
                {
                    let reason = panic_text(&*e.into_panic());
                    tracing::error!(id, error = %reason, "sending a message panicked");
                    w.record_crash(id, reason).await;
                }
                if let Ok(mut b) = busy.lock() {
                    b.remove(&to);
                }
                drop(slot);
                freed.notify_one();
            });
        }
        Ok(n)
    }

    /// A delivery that panicked counts as a failed attempt with the panic as the reason: a
    /// message that panics every time ends as failed after `MAX_ATTEMPTS`, and never blocks
    /// the others.
    async fn record_crash(&self, id: i32, reason: String) {
        let err = format!("sending this message crashed: {reason}");
        let now = self.clock.now();
        let owner = self.owner.clone();
        let recorded = self
            .db
            .run(move |c| {
                let attempts = outbox::find(c, id)?.map_or(MAX_ATTEMPTS, |m| m.attempts + 1);
                let retry = next_attempt(attempts, now);
                Ok(outbox::mark_attempt_failed(
                    c, id, &owner, &err, retry, now,
                )?)
            })
            .await;
        match recorded {
            Ok(true) => {}
            Ok(false) => tracing::warn!(id, "the crashed message was claimed by another worker"),
            Err(e) => {
                tracing::error!(id, error = %e, "could not record the crash against the message");
            }
        }
    }

    /// Sends one claimed message and records the outcome with the server's answer.
    async fn deliver(&self, m: outbox::Message) {
        self.health.beat();
        let outcome = self.transport.send(&self.from, &m, SEND_TIMEOUT).await;
        let id = m.id;
        let attempts = m.attempts + 1;
        let sent = m.clone();
        let now = self.clock.now();
        let owner = self.owner.clone();
        let result = self
            .db
            .run(move |c| {
                let own = match &outcome {
                    Delivery::Sent => outbox::mark_sent(c, &sent, &owner, now)?,
                    Delivery::Transient(err) => {
                        let retry = next_attempt(attempts, now);
                        outbox::mark_attempt_failed(c, id, &owner, err, retry, now)?
                    }
                    Delivery::Permanent(err) => {
                        outbox::mark_attempt_failed(c, id, &owner, err, None, now)?
                    }
                };
                Ok((own, outcome))
            })
            .await;
        match result {
            // Only possible when this delivery outlived its lease (the process stalled): the
            // other worker's outcome stands, and the recipient may get the message twice.
            Ok((false, _)) => tracing::error!(
                id, to = %m.to_email,
                "the message was claimed by another worker while this one was sending it"
            ),
            Ok((true, Delivery::Sent)) => tracing::info!(id, to = %m.to_email, "email sent"),
            Ok((true, Delivery::Transient(e))) => {
                tracing::warn!(id, to = %m.to_email, attempts, error = %e, "email not sent, will retry");
            }
            Ok((true, Delivery::Permanent(e))) => {
                tracing::error!(id, to = %m.to_email, error = %e, "email refused");
            }
            Err(e) => tracing::error!(id, error = %e, "could not record the delivery"),
        }
    }

    async fn cleanup(&self) {
        let now = self.clock.now();
        let r = self
            .db
            .run(move |c| {
                let s = sessions::purge_expired(c, now)?;
                let t = throttle::purge_older_than(c, now - chrono::Duration::days(1))?;
                crate::db::users::purge_login_addresses(
                    c,
                    now - crate::services::accounts::KNOWN_ADDRESS_FOR,
                )?;
                crate::db::two_factor::purge_devices(c, now)?;
                Ok((s, t))
            })
            .await;
        match r {
            Ok((s, t)) if s > 0 || t > 0 => {
                tracing::debug!(sessions = s, throttle = t, "cleaned up");
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "expired sessions and limits could not be purged"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn backoff_doubles_then_gives_up() {
        let now = Clock::system().now();
        assert_eq!(backoff(1), chrono::Duration::seconds(30));
        assert_eq!(backoff(2), chrono::Duration::seconds(60));
        assert_eq!(backoff(7), chrono::Duration::seconds(30 * 64));
        assert_eq!(
            next_attempt(1, now),
            Some(now + chrono::Duration::seconds(30))
        );
        assert_eq!(next_attempt(MAX_ATTEMPTS, now), None);
    }

    #[test]
    fn a_crashed_task_is_started_again() {
        use std::sync::atomic::AtomicUsize;
        let runs = Arc::new(AtomicUsize::new(0));
        let crashes = Arc::new(Mutex::new(Vec::<String>::new()));
        let (r, c) = (runs.clone(), crashes.clone());
        actix_web::rt::System::new().block_on(supervise(
            "test",
            move || {
                let r = r.clone();
                async move {
                    if r.fetch_add(1, Ordering::SeqCst) < 2 {
                        panic!("boom");
                    }
                }
            },
            move |reason| c.lock().unwrap().push(reason),
        ));
        assert_eq!(runs.load(Ordering::SeqCst), 3);
        assert_eq!(*crashes.lock().unwrap(), vec!["boom", "boom"]);
    }

    #[test]
    fn health_goes_stale() {
        let h = Health::default();
        assert!(!h.alive(), "never started");
        h.beat();
        assert!(h.alive());
        h.last_beat.store(
            chrono::Utc::now().timestamp_millis() - stale_after_millis() - 1,
            Ordering::Relaxed,
        );
        assert!(!h.alive());
    }
}
