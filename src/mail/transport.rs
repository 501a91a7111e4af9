//! Delivery over SMTP with lettre. Transports are not object-safe, hence a small enum.
//!
//! Connections are reused: lettre's pool keeps up to [`POOL_SIZE`] of them open between
//! messages. That pool runs tasks of its own: it spawns a clean-up task when it is built, and
//! it spawns again when it is dropped (to close its connections) and whenever a connection is
//! given back, also by a send that is cancelled half-way. A `tokio::spawn` outside a runtime
//! panics, which is what happened when an app was stopped: the actix `LocalSet` drops its
//! pending tasks (the worker, its deliveries) after `block_on` has left the runtime. So here the
//! pool is built lazily inside the runtime that sends, and every drop of it — of the transport
//! and of a send in flight — happens with that runtime entered ([`InRuntime`]); a spawn on a
//! runtime that has already shut down is simply cancelled. A send cut off by the time limit may
//! leave its connection half-way through a command and lettre would still park it, so the whole
//! pool is retired then (its connections closed) and the next send opens fresh ones.

use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::{AsyncSmtpTransportBuilder, PoolConfig};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::runtime::Handle;

use crate::db::outbox::Message as Queued;
use crate::domain::validate::strip_forbidden;

/// Connections kept open between messages (one per parallel delivery is enough).
pub const POOL_SIZE: u32 = 16;

pub enum Transport {
    Smtp(Box<Smtp>),
    /// No SMTP server configured: messages stay queued and are logged.
    None,
}

type Lettre = AsyncSmtpTransport<Tokio1Executor>;

/// An SMTP relay reached through a pool of reused connections.
pub struct Smtp {
    builder: AsyncSmtpTransportBuilder,
    /// The pool in use; built at the first send.
    current: Mutex<Option<Pool>>,
    /// Numbers the pools built, so a late retirement cannot hit a newer pool.
    built: std::sync::atomic::AtomicU64,
}

/// A lettre pool with the runtime it was built on and its number. It is dropped (when the last
/// clone goes) with that runtime entered.
#[derive(Clone)]
struct Pool(std::sync::Arc<Pooled>);

struct Pooled {
    /// Always `Some` until dropped.
    lettre: Option<Lettre>,
    handle: Handle,
    number: u64,
}

impl Drop for Pooled {
    fn drop(&mut self) {
        if let Some(lettre) = self.lettre.take() {
            drop_in(&self.handle, lettre);
        }
    }
}

/// The outcome of one attempt, with the server's answer when it failed.
pub enum Delivery {
    Sent,
    Transient(String),
    Permanent(String),
}

impl Transport {
    pub fn from_url(url: Option<&str>) -> Result<Transport, String> {
        match url {
            None => Ok(Transport::None),
            Some(u) => AsyncSmtpTransport::<Tokio1Executor>::from_url(u)
                .map(|b| {
                    Transport::Smtp(Box::new(Smtp {
                        builder: b
                            .timeout(Some(Duration::from_secs(20)))
                            .pool_config(PoolConfig::new().max_size(POOL_SIZE).min_idle(0)),
                        current: Mutex::new(None),
                        built: std::sync::atomic::AtomicU64::new(0),
                    }))
                })
                .map_err(|e| format!("KONKURS_SMTP_URL is not usable: {e}")),
        }
    }

    pub fn is_configured(&self) -> bool {
        matches!(self, Transport::Smtp(_))
    }

    /// Sends one message within `limit`; must be called inside a tokio runtime.
    pub async fn send(&self, from: &Mailbox, m: &Queued, limit: Duration) -> Delivery {
        let Transport::Smtp(smtp) = self else {
            return Delivery::Transient("KONKURS_SMTP_URL is not set".into());
        };
        let (envelope, raw) = match build(from, m) {
            Ok(built) => built,
            Err(reason) => return Delivery::Permanent(reason),
        };
        let pool = smtp.pool();
        let Some(lettre) = pool.0.lettre.as_ref() else {
            return Delivery::Transient("the SMTP connection pool is closed".into());
        };
        let sending = InRuntime::new(pool.0.handle.clone(), lettre.send_raw(&envelope, &raw));
        match tokio::time::timeout(limit, sending).await {
            Ok(Ok(_)) => Delivery::Sent,
            Ok(Err(e)) if e.is_permanent() => Delivery::Permanent(e.to_string()),
            Ok(Err(e)) => Delivery::Transient(e.to_string()),
            Err(_) => {
                smtp.retire(pool.0.number).await;
                Delivery::Transient(format!(
                    "the mail server did not finish within {} s",
                    limit.as_secs()
                ))
            }
        }
    }

    /// Closes the pooled connections (politely, with QUIT). A later send opens new ones.
    pub async fn shutdown(&self) {
        if let Transport::Smtp(smtp) = self {
            let taken = smtp.lock().take();
            if let Some(pool) = taken {
                pool.close().await;
            }
        }
    }
}

impl Smtp {
    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Pool>> {
        // The guarded value is only ever replaced whole: a poisoned lock holds a valid one.
        self.current
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The pool in use, built now (on the current runtime) if there is none.
    fn pool(&self) -> Pool {
        let mut current = self.lock();
        if let Some(pool) = current.as_ref() {
            return pool.clone();
        }
        let handle = Handle::current();
        let lettre = {
            let _entered = handle.enter();
            self.builder.clone().build::<Tokio1Executor>()
        };
        let number = self
            .built
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let pool = Pool(std::sync::Arc::new(Pooled {
            lettre: Some(lettre),
            handle,
            number,
        }));
        *current = Some(pool.clone());
        pool
    }

    /// Stops using pool `number` (if it is still the one in use) and closes its connections.
    async fn retire(&self, number: u64) {
        let retired = {
            let mut current = self.lock();
            if current.as_ref().is_some_and(|p| p.0.number == number) {
                current.take()
            } else {
                None
            }
        };
        if let Some(pool) = retired {
            pool.close().await;
        }
    }
}

impl Pool {
    /// Closes the parked connections (QUIT) and ends the clean-up task; connections still
    /// sending are closed when they come back.
    async fn close(self) {
        if let Some(lettre) = self.0.lettre.as_ref() {
            lettre.shutdown().await;
        }
    }
}

/// Drops `value` with `handle`'s runtime entered, so whatever its drop spawns has a runtime (a
/// runtime that has shut down cancels the spawned task instead of panicking).
fn drop_in<T>(handle: &Handle, value: T) {
    let _entered = handle.enter();
    drop(value);
}

/// A future that is dropped with its runtime entered, whenever and wherever that happens.
struct InRuntime<'a, T> {
    handle: Handle,
    inner: Option<Pin<Box<dyn Future<Output = T> + Send + 'a>>>,
}

impl<'a, T> InRuntime<'a, T> {
    fn new(handle: Handle, inner: Pin<Box<dyn Future<Output = T> + Send + 'a>>) -> Self {
        InRuntime {
            handle,
            inner: Some(inner),
        }
    }
}

impl<T> Future for InRuntime<'_, T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.inner.as_mut() {
            Some(f) => f.as_mut().poll(cx),
            None => Poll::Pending,
        }
    }
}

impl<T> Drop for InRuntime<'_, T> {
    fn drop(&mut self) {
        if let Some(f) = self.inner.take() {
            drop_in(&self.handle, f);
        }
    }
}

/// The domain of the sender's address, for Message-IDs.
fn id_domain(from: &Mailbox) -> &str {
    from.email.domain()
}

/// Builds the message and formats it to bytes, or says why it cannot be sent. Header values are
/// stripped of control and invisible characters first (a line break in a name must never reach
/// a header), and the whole formatting runs under `catch_unwind`: lettre formats headers through
/// `Display`, which panics on values it cannot write, and a panic here would take the worker down.
pub fn build(from: &Mailbox, m: &Queued) -> Result<(lettre::address::Envelope, Vec<u8>), String> {
    let addr = m
        .to_email
        .parse::<lettre::Address>()
        .map_err(|e| format!("invalid recipient address: {e}"))?;
    let name = strip_forbidden(&m.to_name);
    let to = Mailbox::new(
        Some(name.trim().to_string()).filter(|n| !n.is_empty()),
        addr,
    );
    let subject = strip_forbidden(&m.subject);
    let message_id = format!("<{}@{}>", strip_forbidden(&m.message_id), id_domain(from));
    let (text, html) = (m.body_text.clone(), m.body_html.clone());
    let from = from.clone();
    let formatted = std::panic::catch_unwind(move || {
        let email = Message::builder()
            .from(from)
            .to(to)
            .subject(subject)
            .message_id(Some(message_id))
            .date_now()
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(text),
                    )
                    .singlepart(
                        SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(html),
                    ),
            )
            .map_err(|e| format!("message could not be built: {e}"))?;
        Ok::<_, String>((email.envelope().clone(), email.formatted()))
    });
    match formatted {
        Ok(result) => result,
        Err(panic) => Err(format!(
            "message could not be built: {}",
            crate::mail::worker::panic_text(&*panic)
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDateTime;

    fn queued(name: &str, email: &str, subject: &str) -> Queued {
        let t = NaiveDateTime::default();
        Queued {
            id: 7,
            kind: "test".into(),
            to_email: email.into(),
            to_name: name.into(),
            subject: subject.into(),
            body_text: "Treść\r\nz drugim wierszem".into(),
            body_html: "<p>Treść</p>".into(),
            status: crate::domain::mail::OutboxStatus::Queued,
            attempts: 0,
            last_error: None,
            next_attempt_at: t,
            locked_until: None,
            user_id: None,
            institution_id: None,
            created_at: t,
            sent_at: None,
            message_id: "abc123".into(),
            claimed_by: None,
        }
    }

    fn from() -> Mailbox {
        "Konkurs <konkurs@urzad.example>".parse().unwrap()
    }

    #[test]
    fn header_injection_is_neutralised() {
        let m = queued(
            "Anon\r\nBcc: evil@example.org",
            "jan@gmina.example",
            "Temat\r\nBcc: evil@example.org",
        );
        let (envelope, raw) = build(&from(), &m).expect("built");
        let raw = String::from_utf8(raw).unwrap();
        let headers = &raw[..raw.find("\r\n\r\n").unwrap()];
        assert!(!headers.lines().any(|l| l.starts_with("Bcc:")), "{headers}");
        assert_eq!(envelope.to().len(), 1);
        assert_eq!(envelope.to()[0].to_string(), "jan@gmina.example");
        assert!(
            headers.contains("Message-ID: <abc123@urzad.example>"),
            "{headers}"
        );
    }

    #[test]
    fn bad_address_is_a_reason_not_a_panic() {
        let m = queued("Jan", "not an address", "Temat");
        let err = build(&from(), &m).unwrap_err();
        assert!(err.starts_with("invalid recipient address"), "{err}");
    }

    #[test]
    fn the_same_message_keeps_its_message_id() {
        let m = queued("Jan", "jan@gmina.example", "Temat");
        let id = |raw: Vec<u8>| {
            let raw = String::from_utf8(raw).unwrap();
            raw.lines()
                .find(|l| l.starts_with("Message-ID:"))
                .unwrap()
                .to_string()
        };
        assert_eq!(
            id(build(&from(), &m).unwrap().1),
            id(build(&from(), &m).unwrap().1)
        );
    }
}
