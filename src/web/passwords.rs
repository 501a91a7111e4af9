//! The password-hashing pool: Argon2 work (19 MiB and ~15 ms of one core per hash or check)
//! runs on the blocking threads, at most as many at once as there are permits (by default the
//! number of cores). Further requests wait for a permit as a small future — holding neither the
//! 19 MiB nor a database connection — so a burst of logins costs time, not memory.
//!
//! A [`Turn`] is one request's permit. A login takes its turn before it reserves its throttle
//! counters and keeps it until it has given them back, so the attempts in flight from one
//! address stay at most the number of permits (far below the per-address limit) however many
//! logins queue.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::domain::password;
use crate::web::error::AppError;

/// A hashing task that panicked or was cancelled: the request fails with a 500.
#[derive(Debug, thiserror::Error)]
#[error("password hashing task lost: {0}")]
pub struct HashTaskLost(#[source] tokio::task::JoinError);

impl From<HashTaskLost> for AppError {
    fn from(e: HashTaskLost) -> Self {
        AppError::cause(e)
    }
}

/// The pool, shared by the whole app (in `AppState`).
pub struct Passwords {
    permits: Arc<Semaphore>,
    size: usize,
    gauge: Arc<Gauge>,
}

/// How many hashes run now, the most that ever ran at once, how many requests wait, and how
/// many hashes and checks have been done.
#[derive(Default)]
struct Gauge {
    running: AtomicUsize,
    most: AtomicUsize,
    waiting: AtomicUsize,
    done: AtomicUsize,
}

/// Counts one running hash while alive (also when the work panics).
struct Running<'a>(&'a Gauge);

impl<'a> Running<'a> {
    fn enter(g: &'a Gauge) -> Self {
        let now = g.running.fetch_add(1, Ordering::SeqCst) + 1;
        g.most.fetch_max(now, Ordering::SeqCst);
        Running(g)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.running.fetch_sub(1, Ordering::SeqCst);
        self.0.done.fetch_add(1, Ordering::SeqCst);
    }
}

/// Counts one waiting request while alive (also when its future is dropped).
struct Waiting<'a>(&'a Gauge);

impl Drop for Waiting<'_> {
    fn drop(&mut self) {
        self.0.waiting.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Passwords {
    /// A pool of `size` permits (at least one).
    pub fn new(size: usize) -> Passwords {
        let size = size.max(1);
        Passwords {
            permits: Arc::new(Semaphore::new(size)),
            size,
            gauge: Arc::default(),
        }
    }

    /// A pool with one permit per core: more hashes at once would only share the cores and
    /// multiply the memory.
    pub fn sized_to_cores() -> Passwords {
        Passwords::new(std::thread::available_parallelism().map_or(1, std::num::NonZero::get))
    }

    pub fn size(&self) -> usize {
        self.size
    }

    /// Waits, in order of arrival, for a permit.
    pub async fn turn(&self) -> Turn {
        self.gauge.waiting.fetch_add(1, Ordering::SeqCst);
        let _waiting = Waiting(&self.gauge);
        // The semaphore is never closed, so acquiring cannot fail.
        let permit = self.permits.clone().acquire_owned().await.ok();
        Turn {
            permit,
            gauge: self.gauge.clone(),
        }
    }

    /// Hashes a new password in its turn.
    pub async fn hash(&self, pw: String) -> Result<String, HashTaskLost> {
        self.turn().await.hash(pw).await
    }

    /// Checks a password in its turn (`None`: an unknown account, checked against a dummy hash
    /// so that it costs the same; see [`password::verify`]).
    pub async fn verify(&self, pw: String, stored: Option<String>) -> Result<bool, HashTaskLost> {
        self.turn().await.verify(pw, stored).await
    }

    /// The most hashes that have run at once since the start.
    pub fn most_at_once(&self) -> usize {
        self.gauge.most.load(Ordering::SeqCst)
    }

    /// Hashes running now.
    pub fn running(&self) -> usize {
        self.gauge.running.load(Ordering::SeqCst)
    }

    /// Hashes and checks done since the start.
    pub fn done(&self) -> usize {
        self.gauge.done.load(Ordering::SeqCst)
    }

    /// Requests waiting for a permit now.
    pub fn waiting(&self) -> usize {
        self.gauge.waiting.load(Ordering::SeqCst)
    }

    /// Takes every permit at once if none is in use, so that every request queues until the
    /// returned value is dropped. For tests that need logins held in the queue.
    pub fn try_hold_all(&self) -> Option<OwnedSemaphorePermit> {
        let n = u32::try_from(self.size).ok()?;
        self.permits.clone().try_acquire_many_owned(n).ok()
    }
}

/// One request's permit: its hashing runs now, and it may hold the permit around the short
/// database steps that belong to the check (see the module's text).
pub struct Turn {
    permit: Option<OwnedSemaphorePermit>,
    gauge: Arc<Gauge>,
}

impl Turn {
    pub async fn hash(&mut self, pw: String) -> Result<String, HashTaskLost> {
        self.run(move || password::hash(&pw)).await
    }

    pub async fn verify(
        &mut self,
        pw: String,
        stored: Option<String>,
    ) -> Result<bool, HashTaskLost> {
        self.run(move || password::verify(&pw, stored.as_deref()))
            .await
    }

    /// Runs `work` on a blocking thread. The permit travels with the work and comes back with
    /// its result: if the request is dropped meanwhile, the permit is released only when the
    /// work ends, so cancelled requests cannot pile up hashes beyond the bound.
    async fn run<T: Send + 'static>(
        &mut self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, HashTaskLost> {
        let permit = self.permit.take();
        let gauge = self.gauge.clone();
        let (out, permit) = tokio::task::spawn_blocking(move || {
            let _running = Running::enter(&gauge);
            (work(), permit)
        })
        .await
        .map_err(HashTaskLost)?;
        self.permit = permit;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn eight_checks_run_at_most_two_at_once_and_all_answer() {
        let pool = Arc::new(Passwords::new(2));
        let good = pool.hash("correct horse battery".into()).await.unwrap();
        let checks = (0..8).map(|i| {
            let (pool, good) = (pool.clone(), good.clone());
            tokio::spawn(async move {
                let pw = if i % 2 == 0 {
                    "correct horse battery"
                } else {
                    "wrong"
                };
                let stored = (i < 6).then_some(good);
                pool.verify(pw.into(), stored).await.unwrap()
            })
        });
        let mut answers = Vec::new();
        for c in checks.collect::<Vec<_>>() {
            answers.push(c.await.unwrap());
        }
        assert_eq!(
            answers,
            [true, false, true, false, true, false, false, false]
        );
        assert_eq!(pool.most_at_once(), 2, "two ran together, never more");
        assert_eq!((pool.running(), pool.waiting()), (0, 0));
    }

    #[tokio::test]
    async fn held_permits_queue_requests_until_released() {
        let pool = Arc::new(Passwords::new(2));
        let hold = pool.try_hold_all().expect("all permits free");
        let queued: Vec<_> = (0..4)
            .map(|_| {
                let pool = pool.clone();
                tokio::spawn(async move { pool.hash("a long passphrase".into()).await })
            })
            .collect();
        while pool.waiting() < 4 {
            tokio::task::yield_now().await;
        }
        assert_eq!(
            pool.most_at_once(),
            0,
            "nothing hashed while the permits are held"
        );
        drop(hold);
        for q in queued {
            assert!(q.await.unwrap().unwrap().starts_with("$argon2id$"));
        }
        assert_eq!(pool.waiting(), 0);
        assert!(pool.most_at_once() <= 2);
    }
}
