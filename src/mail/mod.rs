//! Email: messages composed from askama templates (plain text plus HTML), queued in the outbox
//! inside the caller's transaction, and sent by the worker.

pub mod transport;
pub mod worker;

use askama::Template;
use chrono::NaiveDateTime;

use crate::db::outbox::{self, NewMessage};
use crate::db::{DbConn, DbResult};
use crate::i18n::Lang;

/// Who a message goes to, in which language.
#[derive(Clone, Debug)]
pub struct Recipient {
    pub email: String,
    pub name: String,
    pub lang: Lang,
    pub user_id: Option<i32>,
    pub institution_id: Option<i32>,
}

/// The content of one message; the same structure renders the text and the HTML part.
#[derive(Clone, Debug)]
pub struct Content {
    pub kind: &'static str,
    pub lang: Lang,
    pub subject: String,
    pub greeting: String,
    pub paragraphs: Vec<String>,
    /// Label/value lines, e.g. an entry's summary.
    pub details: Vec<(String, String)>,
    /// A button in HTML, a bare link in text.
    pub action: Option<(String, String)>,
    pub after: Vec<String>,
}

impl Content {
    /// A message in the recipient's language with the usual greeting.
    pub fn new(kind: &'static str, to: &Recipient, subject_key: &str) -> Content {
        let lang = to.lang;
        Content {
            kind,
            lang,
            subject: lang.t(subject_key).to_string(),
            greeting: if to.name.trim().is_empty() {
                lang.t("email.greeting_plain").to_string()
            } else {
                lang.tf("email.greeting", &[("name", &to.name)])
            },
            paragraphs: Vec::new(),
            details: Vec::new(),
            action: None,
            after: Vec::new(),
        }
    }

    pub fn p(mut self, text: impl Into<String>) -> Self {
        self.paragraphs.push(text.into());
        self
    }

    pub fn detail(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.details.push((label.into(), value.into()));
        self
    }

    /// The message's link. It carries the recipient's language (`lang=en`), so following it
    /// shows the page in that language even to someone not logged in.
    pub fn action(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.action = Some((label.into(), with_lang(&url.into(), self.lang)));
        self
    }

    pub fn after(mut self, text: impl Into<String>) -> Self {
        self.after.push(text.into());
        self
    }

    pub fn t(&self, key: &str) -> &'static str {
        self.lang.t(key)
    }
}

/// `url` with `lang=<code>` added to its query (after any parameters it already has, so a
/// link's token stays where it was); the fragment, if any, stays last.
pub fn with_lang(url: &str, lang: Lang) -> String {
    let (base, fragment) = match url.split_once('#') {
        Some((b, f)) => (b, Some(f)),
        None => (url, None),
    };
    let kept: Vec<&str> = match base.split_once('?') {
        Some((_, q)) => q
            .split('&')
            .filter(|p| !p.is_empty() && !p.starts_with("lang="))
            .collect(),
        None => Vec::new(),
    };
    let path = base.split_once('?').map_or(base, |(p, _)| p);
    let mut out = String::from(path);
    out.push('?');
    for p in kept {
        out.push_str(p);
        out.push('&');
    }
    out.push_str("lang=");
    out.push_str(lang.code());
    if let Some(f) = fragment {
        out.push('#');
        out.push_str(f);
    }
    out
}

#[derive(Template)]
#[template(path = "email/message.txt")]
struct TextPart<'a> {
    m: &'a Content,
}

#[derive(Template)]
#[template(path = "email/message.html")]
struct HtmlPart<'a> {
    m: &'a Content,
}

pub fn render(to: &Recipient, content: &Content) -> Result<NewMessage, askama::Error> {
    Ok(NewMessage {
        kind: content.kind.to_string(),
        to_email: to.email.clone(),
        to_name: to.name.clone(),
        subject: content.subject.clone(),
        body_text: TextPart { m: content }.render()?,
        body_html: HtmlPart { m: content }.render()?,
        user_id: to.user_id,
        institution_id: to.institution_id,
    })
}

/// Queues a message; call inside the transaction of the action that caused it.
pub fn enqueue(
    conn: &mut DbConn,
    to: &Recipient,
    content: &Content,
    now: NaiveDateTime,
) -> DbResult<i32> {
    let msg = render(to, content).map_err(|e| {
        diesel::result::Error::QueryBuilderError(format!("email template: {e}").into())
    })?;
    outbox::insert(conn, &msg, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_carry_the_language_after_their_own_parameters() {
        assert_eq!(
            with_lang("https://x.example/entries/3", Lang::En),
            "https://x.example/entries/3?lang=en"
        );
        assert_eq!(
            with_lang("https://x.example/verify?token=ab", Lang::Pl),
            "https://x.example/verify?token=ab&lang=pl"
        );
        assert_eq!(
            with_lang("https://x.example/r?lang=pl&a=1#top", Lang::En),
            "https://x.example/r?a=1&lang=en#top"
        );
    }
}
