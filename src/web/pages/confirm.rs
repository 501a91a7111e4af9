//! The confirmation page every final step goes through: it says what will happen and to whom,
//! and only its own button (a POST with the CSRF token) does it. It works without JavaScript;
//! the way back changes nothing.

use actix_web::HttpResponse;
use askama::Template;

use crate::mail::Content;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::render::{page, page_with_status};

#[derive(Template)]
#[template(path = "confirm.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    /// The page's `<h1>`: the question ("Wysłać zgłoszenie?").
    pub title: String,
    /// What the thing is (the entry's title, the edition): shown under the heading.
    pub lead: String,
    /// What will happen, one paragraph each.
    pub effects: Vec<String>,
    /// Labelled facts: "Adres potwierdzenia: …", "Liczba osób: 3".
    pub details: Vec<(String, String)>,
    /// Where the confirming POST goes, and its fields besides the token.
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub button: String,
    /// The way back (nothing changes): address and text.
    pub back: (String, String),
    /// When the step is not possible now: why; no button is offered.
    pub refused: Option<String>,
    /// Tables under the details: who is affected, one row each.
    pub tables: Vec<Table>,
    /// Messages the step sends, as their recipients will read them: (recipient, message).
    pub previews: Vec<(String, Content)>,
}

/// A table on a confirmation page: its heading (also its caption), column heads and rows.
pub struct Table {
    pub heading: String,
    pub head: Vec<String>,
    pub rows: Vec<Vec<String>>,
}

impl ConfirmPage {
    pub fn new(ctx: &Ctx, title: impl Into<String>, action: String) -> ConfirmPage {
        ConfirmPage {
            layout: ctx.layout(),
            title: title.into(),
            lead: String::new(),
            effects: Vec::new(),
            details: Vec::new(),
            action,
            hidden: Vec::new(),
            button: String::new(),
            back: (String::new(), String::new()),
            refused: None,
            tables: Vec::new(),
            previews: Vec::new(),
        }
    }

    pub fn table(
        mut self,
        heading: impl Into<String>,
        head: Vec<String>,
        rows: Vec<Vec<String>>,
    ) -> Self {
        self.tables.push(Table {
            heading: heading.into(),
            head,
            rows,
        });
        self
    }

    pub fn preview(mut self, to: impl Into<String>, m: Content) -> Self {
        self.previews.push((to.into(), m));
        self
    }

    pub fn lead(mut self, s: impl Into<String>) -> Self {
        self.lead = s.into();
        self
    }

    pub fn effect(mut self, s: impl Into<String>) -> Self {
        self.effects.push(s.into());
        self
    }

    pub fn detail(mut self, k: impl Into<String>, v: impl Into<String>) -> Self {
        self.details.push((k.into(), v.into()));
        self
    }

    pub fn hidden(mut self, k: &str, v: impl Into<String>) -> Self {
        self.hidden.push((k.to_string(), v.into()));
        self
    }

    pub fn button(mut self, s: impl Into<String>) -> Self {
        self.button = s.into();
        self
    }

    pub fn back(mut self, href: String, text: impl Into<String>) -> Self {
        self.back = (href, text.into());
        self
    }

    pub fn refused(mut self, why: impl Into<String>) -> Self {
        self.refused = Some(why.into());
        self
    }

    /// The page: 200, or 409 when the step is refused (nothing to confirm).
    pub fn render(&self) -> Result<HttpResponse, AppError> {
        if self.refused.is_some() {
            page_with_status(self, actix_web::http::StatusCode::CONFLICT)
        } else {
            page(self)
        }
    }
}

/// The button of a confirmation page: `confirm=yes`. A final POST without it changes nothing
/// and only leads to its confirmation page.
#[derive(serde::Deserialize, Default)]
#[serde(default)]
pub struct ConfirmForm {
    pub confirm: String,
}
