//! Delivery over SMTP with lettre. Transports are not object-safe, hence a small enum.

use std::time::Duration;

use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::db::outbox::Message as Queued;

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
        let to = match m.to_email.parse::<lettre::Address>() {
            Ok(addr) => Mailbox::new(Some(m.to_name.clone()).filter(|n| !n.is_empty()), addr),
            Err(e) => return Delivery::Permanent(format!("invalid recipient address: {e}")),
        };
        let built = Message::builder()
            .from(from.clone())
            .to(to)
            .subject(m.subject.clone())
            .message_id(None)
            .date_now()
            .multipart(
                MultiPart::alternative()
                    .singlepart(
                        lettre::message::SinglePart::builder()
                            .header(ContentType::TEXT_PLAIN)
                            .body(m.body_text.clone()),
                    )
                    .singlepart(
                        lettre::message::SinglePart::builder()
                            .header(ContentType::TEXT_HTML)
                            .body(m.body_html.clone()),
                    ),
            );
        let email = match built {
            Ok(e) => e,
            Err(e) => return Delivery::Permanent(format!("message could not be built: {e}")),
        };
        match smtp.send(email).await {
            Ok(_) => Delivery::Sent,
            Err(e) if e.is_permanent() => Delivery::Permanent(e.to_string()),
            Err(e) => Delivery::Transient(e.to_string()),
        }
    }
}
