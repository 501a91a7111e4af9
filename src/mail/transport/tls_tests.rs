//! `smtps://` and `?tls=required` end to end, against a small TLS SMTP server in the test. Its
//! certificate (`testdata/`, a throw-away self-signed one for 127.0.0.1, valid until 2126) is
//! the only root the client trusts here; everything else is the transport's own code.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use lettre::transport::smtp::client::{Certificate, CertificateStore, TlsParameters};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::*;

const CERT: &[u8] = include_bytes!("testdata/cert.pem");
const KEY: &[u8] = include_bytes!("testdata/key.pem");

fn client_tls() -> TlsParameters {
    TlsParameters::builder("127.0.0.1".into())
        .certificate_store(CertificateStore::None)
        .add_root_certificate(Certificate::from_pem(CERT).unwrap())
        .build_rustls()
        .unwrap()
}

fn acceptor() -> TlsAcceptor {
    let certs = vec![CertificateDer::from_pem_slice(CERT).unwrap()];
    let key = PrivateKeyDer::from_pem_slice(KEY).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(certs, key)
    .unwrap();
    TlsAcceptor::from(Arc::new(config))
}

/// What the server saw: one line per connection accepted, command and message.
type Log = Arc<Mutex<Vec<String>>>;

fn note(log: &Log, line: impl Into<String>) {
    log.lock().unwrap().push(line.into());
}

/// Serves one SMTP session on `s`; gives the stream back when the client asks for STARTTLS.
async fn session<S: AsyncRead + AsyncWrite + Unpin>(
    s: S,
    greet: bool,
    starttls: bool,
    encrypted: bool,
    log: &Log,
) -> Option<S> {
    let mut s = BufReader::new(s);
    if greet {
        s.write_all(b"220 test.example ESMTP\r\n").await.ok()?;
    }
    let mut line = String::new();
    loop {
        line.clear();
        if s.read_line(&mut line).await.ok()? == 0 {
            return None;
        }
        let command = line.trim_end().to_string();
        let verb = command.split(' ').next().unwrap_or_default().to_uppercase();
        note(log, format!("{verb} encrypted={encrypted}"));
        let answer: &[u8] = match verb.as_str() {
            "EHLO" if starttls => {
                b"250-test.example\r\n250-8BITMIME\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n"
            }
            "EHLO" => b"250-test.example\r\n250-8BITMIME\r\n250 AUTH PLAIN LOGIN\r\n",
            "STARTTLS" => {
                s.write_all(b"220 go ahead\r\n").await.ok()?;
                return Some(s.into_inner());
            }
            "AUTH" => {
                note(log, command.clone());
                b"235 ok\r\n"
            }
            "DATA" => {
                s.write_all(b"354 go on\r\n").await.ok()?;
                let mut body = String::new();
                loop {
                    let mut l = String::new();
                    if s.read_line(&mut l).await.ok()? == 0 {
                        return None;
                    }
                    if l == ".\r\n" {
                        break;
                    }
                    body.push_str(&l);
                }
                note(log, "message");
                b"250 queued\r\n"
            }
            "QUIT" => {
                let _ = s.write_all(b"221 bye\r\n").await;
                return None;
            }
            _ => b"250 ok\r\n",
        };
        s.write_all(answer).await.ok()?;
    }
}

/// A server on 127.0.0.1: TLS from the first byte (`implicit`) or STARTTLS.
async fn server(implicit: bool, log: Log) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let acceptor = acceptor();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            note(&log, "connection");
            let (acceptor, log) = (acceptor.clone(), log.clone());
            tokio::spawn(async move {
                if implicit {
                    let Ok(tls) = acceptor.accept(tcp).await else {
                        return;
                    };
                    session(tls, true, false, true, &log).await;
                } else if let Some(tcp) = session(tcp, true, true, false, &log).await
                    && let Ok(tls) = acceptor.accept(tcp).await
                {
                    session(tls, false, false, true, &log).await;
                }
            });
        }
    });
    port
}

fn transport(url: &str) -> Transport {
    let mut relay = Relay::parse(url).unwrap();
    relay.security = match relay.security {
        Security::Wrapper(_) => Security::Wrapper(client_tls()),
        Security::Required(_) => Security::Required(client_tls()),
        other => other,
    };
    Transport::Smtp(Box::new(Smtp {
        relay,
        pool: Mutex::default(),
    }))
}

fn message(i: usize) -> Queued {
    let mut m = super::tests::queued("Jan", &format!("jan{i}@gmina.example"), "Temat");
    m.id = 1;
    m.body_text = "Treść".into();
    m.message_id = format!("m{i}");
    m
}

/// Sends two messages and stops; gives what the server saw.
async fn two_messages_then_shutdown(t: &Transport, log: &Log) -> Vec<String> {
    let from: Mailbox = "Konkurs <konkurs@urzad.example>".parse().unwrap();
    for i in 0..2 {
        match t.send(&from, &message(i), Duration::from_secs(20)).await {
            Delivery::Sent => {}
            Delivery::Transient(e) | Delivery::Permanent(e) => panic!("not sent: {e}"),
        }
    }
    t.shutdown().await;
    // The server notes QUIT as soon as it reads it, before it answers.
    log.lock().unwrap().clone()
}

fn count(seen: &[String], what: &str) -> usize {
    seen.iter().filter(|l| *l == what).count()
}

#[tokio::test]
async fn smtps_sends_over_tls_from_the_first_byte_with_the_urls_credentials() {
    let log = Log::default();
    let port = server(true, log.clone()).await;
    let t = transport(&format!("smtps://jan:tajne@127.0.0.1:{port}"));
    let seen = two_messages_then_shutdown(&t, &log).await;
    assert_eq!(
        count(&seen, "connection"),
        1,
        "one connection reused: {seen:?}"
    );
    assert_eq!(count(&seen, "message"), 2, "{seen:?}");
    // AUTH PLAIN of "\0jan\0tajne".
    assert!(
        seen.contains(&"AUTH PLAIN AGphbgB0YWpuZQ==".to_string()),
        "{seen:?}"
    );
    assert!(
        seen.iter()
            .filter(|l| l.contains("encrypted="))
            .all(|l| l.ends_with("encrypted=true")),
        "{seen:?}"
    );
    assert_eq!(count(&seen, "QUIT encrypted=true"), 1, "{seen:?}");
}

#[tokio::test]
async fn tls_required_upgrades_with_starttls_before_anything_else() {
    let log = Log::default();
    let port = server(false, log.clone()).await;
    let t = transport(&format!("smtp://jan:tajne@127.0.0.1:{port}?tls=required"));
    let seen = two_messages_then_shutdown(&t, &log).await;
    assert_eq!(count(&seen, "connection"), 1, "{seen:?}");
    assert_eq!(count(&seen, "message"), 2, "{seen:?}");
    let plain: Vec<_> = seen
        .iter()
        .filter(|l| l.ends_with("encrypted=false"))
        .collect();
    assert_eq!(
        plain,
        ["EHLO encrypted=false", "STARTTLS encrypted=false"],
        "only EHLO and STARTTLS before TLS: {seen:?}"
    );
    assert!(
        seen.contains(&"AUTH PLAIN AGphbgB0YWpuZQ==".to_string()),
        "{seen:?}"
    );
    assert_eq!(count(&seen, "QUIT encrypted=true"), 1, "{seen:?}");
}

#[tokio::test]
async fn a_plain_url_never_starts_tls_and_a_certificate_not_trusted_is_refused() {
    // smtp:// without tls: plain, as lettre reads it, even when the server offers STARTTLS.
    let log = Log::default();
    let port = server(false, log.clone()).await;
    let t = transport(&format!("smtp://127.0.0.1:{port}"));
    let seen = two_messages_then_shutdown(&t, &log).await;
    assert_eq!(count(&seen, "message"), 2, "{seen:?}");
    assert!(!seen.iter().any(|l| l.starts_with("STARTTLS")), "{seen:?}");
    assert!(!seen.iter().any(|l| l.starts_with("AUTH")), "{seen:?}");

    // The platform's roots do not include the test certificate: no delivery, no panic.
    let log = Log::default();
    let port = server(true, log.clone()).await;
    let t = Transport::from_url(Some(&format!("smtps://127.0.0.1:{port}"))).unwrap();
    let from: Mailbox = "konkurs@urzad.example".parse().unwrap();
    let outcome = t.send(&from, &message(0), Duration::from_secs(20)).await;
    assert!(matches!(outcome, Delivery::Transient(_)));
    assert_eq!(count(&log.lock().unwrap(), "message"), 0);
}
