//! Form input: a body extractor that checks the CSRF token before any handler runs, and the
//! field-level errors a form page shows next to each field and in a summary at the top.

use actix_session::SessionExt;
use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use futures_util::StreamExt;
use futures_util::future::LocalBoxFuture;
use serde::Deserialize;
use serde::de::DeserializeOwned;

use std::cell::RefCell;

use crate::i18n::Lang;
use crate::web::csrf;
use crate::web::error::AppError;

/// Largest urlencoded form accepted (the longest text fields are a few tens of kilobytes).
pub const FORM_LIMIT: usize = 512 * 1024;

/// An `application/x-www-form-urlencoded` body whose CSRF token matched. Repeated keys are
/// allowed (`Vec<String>` fields), unknown keys ignored. Form structs use `String` fields with
/// `#[serde(default)]` so any input a browser sends parses and is then validated in Rust.
pub struct Form<T>(pub T);

/// The value a ticked checkbox sends (`value="yes"` in the templates).
pub const CHECKED: &str = "yes";

/// A checkbox field read once into `bool` at the form boundary: ticked when it came with
/// [`CHECKED`]; absent (or anything else) is unticked. Use with
/// `#[serde(deserialize_with = "crate::web::form::checkbox")]` on a `bool` field of a form whose
/// struct has `#[serde(default)]`.
pub fn checkbox<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    Ok(String::deserialize(d)? == CHECKED)
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

impl<T: DeserializeOwned + 'static> FromRequest for Form<T> {
    type Error = AppError;
    type Future = LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let content_type_ok = req
            .headers()
            .get(actix_web::http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_ok {
                return Err(AppError::BadRequest);
            }
            let body = read_limited(&mut payload).await?;
            if !decodes_as_utf8(&body) {
                return Err(AppError::InvalidText);
            }
            let token: CsrfOnly =
                serde_html_form::from_bytes(&body).map_err(|_| AppError::BadRequest)?;
            if !csrf::verify(&req.get_session(), &token.csrf) {
                return Err(AppError::Csrf);
            }
            let value = serde_html_form::from_bytes(&body).map_err(|e| {
                tracing::debug!("form did not parse: {e}");
                AppError::BadRequest
            })?;
            Ok(Form(value))
        })
    }
}

/// True when every name and value of an urlencoded body decodes to valid UTF-8 without a NUL.
/// The form parser would otherwise turn invalid bytes into U+FFFD silently and store them, and
/// PostgreSQL refuses a NUL in text with an error.
fn decodes_as_utf8(body: &[u8]) -> bool {
    // `&`, `=` and `+` are ASCII, so decoding the body whole gives the same verdict as decoding
    // each name and value.
    let decoded: Vec<u8> = percent_encoding::percent_decode(body).collect();
    !decoded.contains(&0) && std::str::from_utf8(&decoded).is_ok()
}

/// Past this, the connection is dropped instead of reading on.
const DRAIN_LIMIT: usize = 32 * 1024 * 1024;

/// Reads the body up to FORM_LIMIT. A larger body is read to its end (up to DRAIN_LIMIT) and
/// discarded, so the browser receives the "too large" page instead of a reset connection.
async fn read_limited(payload: &mut Payload) -> Result<web::Bytes, AppError> {
    let mut buf = web::BytesMut::new();
    let mut total = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest)?;
        total += chunk.len();
        if total > DRAIN_LIMIT {
            return Err(AppError::PayloadTooLarge);
        }
        if total <= FORM_LIMIT {
            buf.extend_from_slice(&chunk);
        }
    }
    if total > FORM_LIMIT {
        return Err(AppError::PayloadTooLarge);
    }
    Ok(buf.freeze())
}

/// One message next to one field.
#[derive(Clone, Debug)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

thread_local! {
    /// Whether a page rendered on this thread showed an error summary (templates render
    /// synchronously, start to end, on one thread).
    static SUMMARY_SHOWN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether an error summary was rendered on this thread since the last call; resets it.
pub fn take_summary_shown() -> bool {
    SUMMARY_SHOWN.replace(false)
}

/// The errors of one form submission, in the order of the form's fields.
///
/// The error summary at the top of a form names each field by its visible label ("Nazwa
/// instytucji: to pole jest wymagane."). The labels are where the form is: the field macros in
/// `templates/macros.html` record each field's label here while the page renders (`label_for`),
/// and a page with an error summary is rendered a second time (`render::page_with_status`), so
/// the summary, which comes before the fields, finds them. A handler may also name a field that
/// has no macro (`set_label`).
#[derive(Clone, Debug, Default)]
pub struct Errors {
    pub list: Vec<FieldError>,
    lang: Lang,
    labels: RefCell<Vec<(String, String)>>,
}

impl Errors {
    pub fn new(lang: Lang) -> Errors {
        Errors {
            list: Vec::new(),
            lang,
            labels: RefCell::new(Vec::new()),
        }
    }

    /// Records the visible label of `field` (called by the field macros while rendering);
    /// returns nothing to print.
    /// Called by the error summary as it renders: the page needs its second pass (see
    /// [`take_summary_shown`]).
    pub fn summary_shown(&self) -> &'static str {
        SUMMARY_SHOWN.set(true);
        ""
    }

    pub fn label_for(&self, field: &str, label: &str) -> &'static str {
        self.set_label(field, label);
        ""
    }

    /// Names a field for the error summary.
    pub fn set_label(&self, field: &str, label: &str) {
        let label = label.trim().trim_end_matches(':').trim();
        if label.is_empty() {
            return;
        }
        let mut labels = self.labels.borrow_mut();
        if !labels.iter().any(|(f, _)| f == field) {
            labels.push((field.to_string(), label.to_string()));
        }
    }

    /// The line of the error summary for one error: "Label: message" when the field's label is
    /// known (the message's first letter made lower-case unless it starts an abbreviation such
    /// as "PDF"), the message alone otherwise.
    pub fn summary_line(&self, e: &FieldError) -> String {
        let labels = self.labels.borrow();
        match labels.iter().find(|(f, _)| *f == e.field) {
            Some((_, label)) => format!("{label}: {}", lower_first(&e.message)),
            None => e.message.clone(),
        }
    }

    /// Adds the message for `key` to `field` (only the first message per field is kept).
    pub fn add(&mut self, field: &'static str, key: &str) {
        let message = self.lang.message(key);
        self.add_text(field, message);
    }

    pub fn add_text(&mut self, field: &str, message: String) {
        if !self.has(field) {
            self.list.push(FieldError {
                field: field.to_string(),
                message,
            });
        }
    }

    /// For fields named at run time (one per criterion).
    pub fn add_owned(&mut self, field: String, key: &str) {
        if !self.has(&field) {
            let message = self.lang.message(key);
            self.list.push(FieldError { field, message });
        }
    }

    /// Records a validation result for `field`.
    pub fn check(&mut self, field: &'static str, result: Result<(), &'static str>) -> bool {
        match result {
            Ok(()) => true,
            Err(key) => {
                self.add(field, key);
                false
            }
        }
    }

    /// A new password typed twice (fields `password` and `password_confirm`); `user_inputs` are
    /// the person's name and address, which a good password does not contain.
    pub fn check_new_password(&mut self, pw: &str, confirm: &str, user_inputs: &[&str]) {
        if self.check(
            "password",
            crate::domain::validate::new_password(pw, user_inputs),
        ) && pw != confirm
        {
            self.add("password_confirm", "err.password_mismatch");
        }
    }

    /// Forgets the error of `field` (one that another field's error already explains).
    pub fn remove(&mut self, field: &str) {
        self.list.retain(|e| e.field != field);
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.list
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }

    pub fn has(&self, field: &str) -> bool {
        self.list.iter().any(|e| e.field == field)
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// "To pole jest wymagane." → "to pole jest wymagane."; "PDF …" and "TERYT …" stay.
fn lower_first(s: &str) -> String {
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(a), Some(b)) if a.is_uppercase() && !b.is_uppercase() => {
            a.to_lowercase().chain(s[a.len_utf8()..].chars()).collect()
        }
        _ => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::decodes_as_utf8;

    #[test]
    fn the_summary_names_the_field() {
        let mut errors = super::Errors::new(crate::i18n::Lang::Pl);
        errors.add("institution_name", "err.required");
        errors.add("teryt", "err.required");
        errors.set_label("institution_name", "Nazwa instytucji");
        assert_eq!(
            errors.summary_line(&errors.list[0]),
            "Nazwa instytucji: to pole jest wymagane."
        );
        assert_eq!(
            errors.summary_line(&errors.list[1]),
            "To pole jest wymagane.",
            "a field without a known label keeps the message alone"
        );
        assert_eq!(super::lower_first("PDF jest za duży."), "PDF jest za duży.");
        assert_eq!(super::lower_first("Źle"), "źle");
        assert_eq!(super::lower_first(""), "");
    }

    #[derive(serde::Deserialize, Default, Debug)]
    #[serde(default)]
    struct Boxes {
        #[serde(deserialize_with = "super::checkbox")]
        a: bool,
        #[serde(deserialize_with = "super::checkbox")]
        b: bool,
        #[serde(deserialize_with = "super::checkbox")]
        c: bool,
    }

    #[test]
    fn a_checkbox_is_ticked_only_by_its_value() {
        let f: Boxes = serde_html_form::from_str("a=yes&b=no&csrf=x").unwrap();
        assert!(f.a);
        assert!(!f.b, "another value is unticked");
        assert!(!f.c, "an absent box is unticked");
    }

    #[test]
    fn invalid_utf8_in_a_form_is_noticed() {
        assert!(decodes_as_utf8(b"name=Za%C5%BC%C3%B3%C5%82%C4%87&csrf=abc"));
        assert!(decodes_as_utf8(b"a=100%25&b=%&c=%4"));
        assert!(decodes_as_utf8("name=żółw".as_bytes()));
        assert!(!decodes_as_utf8(b"name=%C5&csrf=abc"));
        assert!(!decodes_as_utf8(b"name=%FF%FE"));
        assert!(!decodes_as_utf8(b"n%C3=x"));
        assert!(!decodes_as_utf8(b"name=\xff"));
        assert!(!decodes_as_utf8(b"email=a%00b@x.pl"));
    }
}
