//! Delivery over SMTP with lettre. Transports are not object-safe, hence a small enum.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, SinglePart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::outbox::Message as Queued;
use crate::domain::validate::strip_forbidden;

pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// No SMTP server configured: messages stay queued and are logged.
    None,
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
                .map(|b| Transport::Smtp(b.timeout(Some(Duration::from_secs(20))).build()))
                .map_err(|e| format!("KONKURS_SMTP_URL is not usable: {e}")),
        }
    }

    pub fn is_configured(&self) -> bool {
        matches!(self, Transport::Smtp(_))
    }

    pub async fn send(&self, from: &Mailbox, m: &Queued) -> Delivery {
        let Transport::Smtp(smtp) = self else {
            return Delivery::Transient("KONKURS_SMTP_URL is not set".into());
        };
        let (envelope, raw) = match build(from, m) {
            Ok(built) => built,
            Err(reason) => return Delivery::Permanent(reason),
        };
        match smtp.send_raw(&envelope, &raw).await {
            Ok(_) => Delivery::Sent,
            Err(e) if e.is_permanent() => Delivery::Permanent(e.to_string()),
            Err(e) => Delivery::Transient(e.to_string()),
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
