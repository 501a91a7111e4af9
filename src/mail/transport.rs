//! Delivery over SMTP with lettre's connection API, over connections we open ourselves.
//!
//! lettre's own transport (0.11.23) opens its sockets without `TCP_NODELAY`, and it writes a
//! message's body and the closing "\r\n.\r\n" as two writes: Nagle's algorithm holds the second
//! until the server's delayed ACK, about 40 ms per message. lettre's executor cannot be replaced
//! (its trait is sealed), so this module opens the TCP connection itself (`TCP_NODELAY`, connect
//! time limit), wraps it in TLS for `smtps://`, and hands it to
//! [`AsyncSmtpConnection::connect_with_transport`]; STARTTLS and AUTH then follow the URL as
//! lettre's `from_url` would.
//!
//! Connections are reused: up to [`POOL_SIZE`] idle ones are kept between messages. One that
//! has been idle a while is checked with NOOP before use, one idle too long is dropped, and one
//! on which anything failed is never reused. A send cut off by the time limit drops its own
//! connection (it may be half-way through a command); the others stay. Every connection is
//! dropped with the runtime it was opened on entered ([`Conn`]), also when an app is stopped
//! and its pending tasks are dropped after the runtime has been left. [`Transport::shutdown`]
//! says QUIT on the idle connections, and connections still sending then are closed with QUIT
//! when they come back.

use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Mutex;
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
#[allow(deprecated)]
use lettre::transport::smtp::client::AsyncNetworkStream;
use lettre::transport::smtp::client::{AsyncSmtpConnection, AsyncTokioStream, TlsParameters};
use lettre::transport::smtp::extension::ClientId;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::runtime::Handle;

use crate::db::outbox::Message as Queued;
use crate::domain::validate::strip_forbidden;

/// Idle connections kept open between messages (one per parallel delivery is enough).
pub const POOL_SIZE: usize = 16;
/// The longest wait for the TCP connection and for the TLS handshake of `smtps://`.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(20);
/// An idle connection older than this is checked with NOOP before it is used again.
const CHECK_AFTER: Duration = Duration::from_secs(10);
/// An idle connection older than this is dropped: servers close idle sessions themselves.
const MAX_IDLE: Duration = Duration::from_secs(60);
/// The time given to QUIT on the idle connections at shutdown.
const QUIT_TIMEOUT: Duration = Duration::from_secs(5);
/// The mechanisms lettre's transport uses by default.
const MECHANISMS: &[Mechanism] = &[Mechanism::Plain, Mechanism::Login];

pub enum Transport {
    Smtp(Box<Smtp>),
    /// No SMTP server configured: messages stay queued and are logged.
    None,
}

/// How the connection is secured, as `KONKURS_SMTP_URL` asks (lettre's URL forms).
#[derive(Clone)]
enum Security {
    /// `smtp://host[:25]`: plain text, as lettre's `from_url` does.
    Plain,
    /// `smtp://host[:587]?tls=opportunistic`: STARTTLS when the server offers it.
    Opportunistic(TlsParameters),
    /// `smtp://host[:587]?tls=required`: STARTTLS or no delivery.
    Required(TlsParameters),
    /// `smtps://host[:465]`: TLS from the first byte.
    Wrapper(TlsParameters),
}

/// The relay named by `KONKURS_SMTP_URL`.
#[derive(Clone)]
struct Relay {
    /// The host to connect to (an IPv6 address without its brackets).
    host: String,
    port: u16,
    security: Security,
    hello: ClientId,
    credentials: Option<Credentials>,
}

impl Relay {
    /// Reads the URL the way lettre's `AsyncSmtpTransport::from_url` does.
    fn parse(url: &str) -> Result<Relay, String> {
        let url = url::Url::parse(url).map_err(|e| e.to_string())?;
        let tls = url
            .query_pairs()
            .find(|(k, _)| k == "tls")
            .map(|(_, v)| v.into_owned());
        let name = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or("the URL names no host")?;
        let params =
            || TlsParameters::new(name.to_string()).map_err(|e| format!("TLS is not usable: {e}"));
        let (port, security) = match (url.scheme(), tls.as_deref()) {
            ("smtp", None) => (25, Security::Plain),
            ("smtp", Some("required")) => (587, Security::Required(params()?)),
            ("smtp", Some("opportunistic")) => (587, Security::Opportunistic(params()?)),
            ("smtps", _) => (465, Security::Wrapper(params()?)),
            (scheme, tls) => {
                return Err(format!(
                    "unknown scheme '{scheme}' or tls parameter {tls:?} (use smtp://, \
                     smtp://…?tls=required, smtp://…?tls=opportunistic or smtps://)"
                ));
            }
        };
        let hello = match url.path().trim_matches('/') {
            "" => ClientId::default(),
            path => ClientId::Domain(path.to_string()),
        };
        let credentials = match url.password() {
            None => None,
            Some(password) => {
                let decode = |s: &str| {
                    percent_encoding::percent_decode_str(s)
                        .decode_utf8()
                        .map(std::borrow::Cow::into_owned)
                        .map_err(|e| format!("the URL's credentials are not UTF-8: {e}"))
                };
                Some(Credentials::new(decode(url.username())?, decode(password)?))
            }
        };
        let host = name
            .strip_prefix('[')
            .and_then(|h| h.strip_suffix(']'))
            .unwrap_or(name)
            .to_string();
        Ok(Relay {
            host,
            port: url.port().unwrap_or(port),
            security,
            hello,
            credentials,
        })
    }

    /// Opens a connection ready to send: TCP with `TCP_NODELAY`, TLS or STARTTLS as asked,
    /// EHLO, AUTH when the URL has credentials.
    async fn open(&self) -> Result<AsyncSmtpConnection, Delivery> {
        let unreachable = |e: &dyn std::fmt::Display| {
            Delivery::Transient(format!(
                "could not connect to {}:{}: {e}",
                self.host, self.port
            ))
        };
        let connecting = tokio::net::TcpStream::connect((self.host.as_str(), self.port));
        let tcp = match tokio::time::timeout(CONNECT_TIMEOUT, connecting).await {
            Ok(Ok(tcp)) => tcp,
            Ok(Err(e)) => return Err(unreachable(&e)),
            Err(_) => return Err(unreachable(&"no answer in time")),
        };
        tcp.set_nodelay(true).map_err(|e| unreachable(&e))?;
        let stream: Box<dyn AsyncTokioStream> = match &self.security {
            Security::Wrapper(params) => {
                let peer = tcp.peer_addr().map_err(|e| unreachable(&e))?;
                #[allow(deprecated)]
                let mut net = AsyncNetworkStream::use_existing_tokio1(Box::new(tcp));
                match tokio::time::timeout(CONNECT_TIMEOUT, net.upgrade_tls(params.clone())).await {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => return Err(failed(&e)),
                    Err(_) => return Err(unreachable(&"no TLS handshake in time")),
                }
                Box::new(Encrypted { inner: net, peer })
            }
            _ => Box::new(tcp),
        };
        let mut conn = AsyncSmtpConnection::connect_with_transport(stream, &self.hello)
            .await
            .map_err(|e| failed(&e))?;
        match &self.security {
            Security::Opportunistic(params) if conn.can_starttls() => {
                conn.starttls(params.clone(), &self.hello)
                    .await
                    .map_err(|e| failed(&e))?;
            }
            Security::Required(params) => {
                conn.starttls(params.clone(), &self.hello)
                    .await
                    .map_err(|e| failed(&e))?;
            }
            _ => {}
        }
        if let Some(credentials) = &self.credentials {
            conn.auth(MECHANISMS, credentials)
                .await
                .map_err(|e| failed(&e))?;
        }
        Ok(conn)
    }
}

/// A lettre error as the outcome of an attempt.
fn failed(e: &lettre::transport::smtp::Error) -> Delivery {
    if e.is_permanent() {
        Delivery::Permanent(e.to_string())
    } else {
        Delivery::Transient(e.to_string())
    }
}

/// The TLS stream of `smtps://` (lettre's, over our TCP connection) seen as the tokio stream
/// that [`AsyncSmtpConnection::connect_with_transport`] takes.
#[allow(deprecated)]
#[derive(Debug)]
struct Encrypted {
    inner: AsyncNetworkStream,
    peer: SocketAddr,
}

impl AsyncRead for Encrypted {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        let into = buf.initialize_unfilled();
        match futures_io::AsyncRead::poll_read(Pin::new(&mut self.inner), cx, into) {
            Poll::Ready(Ok(n)) => {
                buf.advance(n);
                Poll::Ready(Ok(()))
            }
            Poll::Ready(Err(e)) => Poll::Ready(Err(e)),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl AsyncWrite for Encrypted {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        futures_io::AsyncWrite::poll_write(Pin::new(&mut self.inner), cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        futures_io::AsyncWrite::poll_flush(Pin::new(&mut self.inner), cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        futures_io::AsyncWrite::poll_close(Pin::new(&mut self.inner), cx)
    }
}

impl AsyncTokioStream for Encrypted {
    fn peer_addr(&self) -> std::io::Result<SocketAddr> {
        Ok(self.peer)
    }
}

/// An open connection, the runtime it was opened on (it is dropped with that runtime entered)
/// and the pool generation it belongs to.
struct Conn {
    /// Always `Some` until dropped.
    inner: Option<AsyncSmtpConnection>,
    handle: Handle,
    generation: u64,
}

impl Conn {
    fn smtp(&mut self) -> Result<&mut AsyncSmtpConnection, Delivery> {
        self.inner
            .as_mut()
            .ok_or_else(|| Delivery::Transient("the SMTP connection is closed".into()))
    }

    /// Says QUIT (bounded by the caller) and drops the connection.
    async fn quit(mut self) {
        if let Some(conn) = self.inner.as_mut() {
            let _ = conn.quit().await;
        }
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if let Some(conn) = self.inner.take() {
            drop_in(&self.handle, conn);
        }
    }
}

/// An SMTP relay reached through a pool of reused connections.
pub struct Smtp {
    relay: Relay,
    pool: Mutex<Pool>,
}

#[derive(Default)]
struct Pool {
    /// Idle connections, the most recently used last.
    idle: Vec<(Conn, Instant)>,
    /// Raised at shutdown: connections of an older generation are closed when they come back.
    generation: u64,
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
            Some(u) => Relay::parse(u)
                .map(|relay| {
                    Transport::Smtp(Box::new(Smtp {
                        relay,
                        pool: Mutex::default(),
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
        // Cut off, the delivery drops its connection, which may be half-way through a command.
        match tokio::time::timeout(limit, smtp.deliver(&envelope, &raw)).await {
            Ok(outcome) => outcome,
            Err(_) => Delivery::Transient(format!(
                "the mail server did not finish within {} s",
                limit.as_secs()
            )),
        }
    }

    /// Closes the idle connections (politely, with QUIT); connections still sending are closed
    /// when they come back. A later send opens new ones.
    pub async fn shutdown(&self) {
        if let Transport::Smtp(smtp) = self {
            let idle = {
                let mut pool = smtp.lock();
                pool.generation += 1;
                std::mem::take(&mut pool.idle)
            };
            let _ = tokio::time::timeout(QUIT_TIMEOUT, async {
                for (conn, _) in idle {
                    conn.quit().await;
                }
            })
            .await;
        }
    }
}

impl Smtp {
    fn lock(&self) -> std::sync::MutexGuard<'_, Pool> {
        // The pool is only changed by whole pushes and pops: a poisoned lock holds a valid one.
        self.pool
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    async fn deliver(&self, envelope: &lettre::address::Envelope, raw: &[u8]) -> Delivery {
        let mut conn = match self.checkout().await {
            Ok(conn) => conn,
            Err(outcome) => return outcome,
        };
        let sent = match conn.smtp() {
            Ok(smtp) => smtp.send(envelope, raw).await,
            Err(outcome) => return outcome,
        };
        match sent {
            Ok(_) => {
                self.checkin(conn).await;
                Delivery::Sent
            }
            // Whatever failed, the connection is not trusted again (lettre closes it on most
            // errors itself); dropping it costs one new connection.
            Err(e) => failed(&e),
        }
    }

    /// An idle connection that still works, or a new one.
    async fn checkout(&self) -> Result<Conn, Delivery> {
        loop {
            let next = {
                let mut pool = self.lock();
                // Idle too long: the server has probably closed it.
                pool.idle.retain(|(_, since)| since.elapsed() < MAX_IDLE);
                pool.idle.pop()
            };
            let Some((mut conn, since)) = next else { break };
            if since.elapsed() < CHECK_AFTER {
                return Ok(conn);
            }
            if let Ok(smtp) = conn.smtp()
                && smtp.test_connected().await
            {
                return Ok(conn);
            }
        }
        let generation = self.lock().generation;
        let opened = self.relay.open().await?;
        Ok(Conn {
            inner: Some(opened),
            handle: Handle::current(),
            generation,
        })
    }

    /// Keeps a connection that has just sent for the next message, or closes it (QUIT) when
    /// the pool is full or has been shut down since it was taken.
    async fn checkin(&self, conn: Conn) {
        let surplus = {
            let mut pool = self.lock();
            let broken = conn
                .inner
                .as_ref()
                .is_none_or(AsyncSmtpConnection::has_broken);
            if broken {
                None
            } else if conn.generation == pool.generation && pool.idle.len() < POOL_SIZE {
                pool.idle.push((conn, Instant::now()));
                None
            } else {
                Some(conn)
            }
        };
        if let Some(conn) = surplus {
            let _ = tokio::time::timeout(QUIT_TIMEOUT, conn.quit()).await;
        }
    }
}

/// Drops `value` with `handle`'s runtime entered, so whatever its drop needs has a runtime (a
/// runtime that has shut down cancels a spawned task instead of panicking).
fn drop_in<T>(handle: &Handle, value: T) {
    let _entered = handle.enter();
    drop(value);
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

    pub(super) fn queued(name: &str, email: &str, subject: &str) -> Queued {
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

    fn relay(url: &str) -> Relay {
        match Relay::parse(url) {
            Ok(relay) => relay,
            Err(e) => panic!("{url}: {e}"),
        }
    }

    fn security(r: &Relay) -> &'static str {
        match r.security {
            Security::Plain => "plain",
            Security::Opportunistic(_) => "opportunistic",
            Security::Required(_) => "required",
            Security::Wrapper(_) => "wrapper",
        }
    }

    #[test]
    fn every_documented_url_form_is_read_as_lettre_reads_it() {
        let r = relay("smtp://127.0.0.1:2525");
        assert_eq!(
            (r.host.as_str(), r.port, security(&r)),
            ("127.0.0.1", 2525, "plain")
        );
        assert!(r.credentials.is_none());
        assert_eq!(r.hello, ClientId::default());

        let r = relay("smtp://mail.example");
        assert_eq!((r.port, security(&r)), (25, "plain"));

        let r = relay("smtp://jan:tajne%40has%C5%82o@mail.example:587?tls=required");
        assert_eq!(
            (r.host.as_str(), r.port, security(&r)),
            ("mail.example", 587, "required")
        );
        assert!(r.credentials == Some(Credentials::new("jan".into(), "tajne@hasło".into())));

        let r = relay("smtp://mail.example?tls=required");
        assert_eq!((r.port, security(&r)), (587, "required"));
        let r = relay("smtp://mail.example?tls=opportunistic");
        assert_eq!((r.port, security(&r)), (587, "opportunistic"));

        let r = relay("smtps://mail.example");
        assert_eq!((r.port, security(&r)), (465, "wrapper"));
        let r = relay("smtps://u:p@mail.example:2465");
        assert_eq!((r.port, security(&r)), (2465, "wrapper"));
        assert!(r.credentials == Some(Credentials::new("u".into(), "p".into())));

        // Like lettre: a user name without a password is no credentials.
        assert!(relay("smtp://jan@mail.example").credentials.is_none());
        // An IPv6 address is connected to without its brackets.
        let r = relay("smtp://[::1]:2525");
        assert_eq!((r.host.as_str(), r.port), ("::1", 2525));
        // The path names the EHLO host.
        let r = relay("smtp://mail.example/konkurs.example");
        assert_eq!(r.hello, ClientId::Domain("konkurs.example".into()));
    }

    #[test]
    fn unusable_urls_are_reasons_not_panics() {
        for url in [
            "",
            "not a url",
            "http://mail.example",
            "smtp://mail.example?tls=bogus",
            "smtp://",
            "smtp:///path",
            "smtp://mail.example:99999",
            "smtp://j%FF:p%FF@mail.example",
        ] {
            assert!(Relay::parse(url).is_err(), "{url} was accepted");
            assert!(
                Transport::from_url(Some(url)).is_err(),
                "{url} was accepted"
            );
        }
    }

    #[tokio::test]
    async fn an_unreachable_or_wrong_server_is_a_transient_failure() {
        // Nothing listens on a port just freed.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let m = queued("Jan", "jan@gmina.example", "Temat");
        let t = Transport::from_url(Some(&format!("smtp://127.0.0.1:{port}"))).unwrap();
        let outcome = t.send(&from(), &m, Duration::from_secs(10)).await;
        assert!(matches!(outcome, Delivery::Transient(_)));

        // smtps:// to a server that speaks plain SMTP: the TLS handshake fails.
        let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = l.local_addr().unwrap().port();
        let server = tokio::spawn(async move {
            use tokio::io::AsyncWriteExt;
            let (mut s, _) = l.accept().await.unwrap();
            let _ = s.write_all(b"220 plain.example ESMTP\r\n").await;
            tokio::time::sleep(Duration::from_secs(1)).await;
        });
        let t = Transport::from_url(Some(&format!("smtps://127.0.0.1:{port}"))).unwrap();
        let outcome = t.send(&from(), &m, Duration::from_secs(10)).await;
        let Delivery::Transient(reason) = outcome else {
            panic!("not a transient failure")
        };
        assert!(!reason.starts_with("could not connect"), "{reason}");
        t.shutdown().await;
        server.abort();
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

#[cfg(test)]
mod tls_tests;
