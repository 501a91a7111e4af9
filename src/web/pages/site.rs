//! The accessibility statement and the privacy notice: the public pages, and the page where
//! organisers edit both (`/admin/site`).

use actix_web::HttpResponse;
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use crate::db::site::SiteTexts;
use crate::domain::roles::Role;
use crate::domain::site_texts::{Doc, Gap};
use crate::domain::validate;
use crate::i18n::Lang;
use crate::services::site as svc;
use crate::urls;
use crate::web::ctx::{Ctx, Layout};
use crate::web::error::AppError;
use crate::web::form::{Errors, Form};
use crate::web::render::{invalid, page, public_page, redirect};

/// Longest Markdown text accepted for one language of one document.
const MAX_TEXT: usize = 30_000;

/// The fields of the statement, with their labels' keys, in the form's order.
pub const FIELDS: &[(&str, &str)] = &[
    ("entity", "sitetexts.entity"),
    ("published_on", "sitetexts.published_on"),
    ("updated_on", "sitetexts.updated_on"),
    ("prepared_on", "sitetexts.prepared_on"),
    ("contact_name", "sitetexts.contact_name"),
    ("contact_email", "sitetexts.contact_email"),
    ("contact_phone", "sitetexts.contact_phone"),
];

/// The text in the page's language.
pub(crate) fn pick<'a>(lang: Lang, pl: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::En => en,
        _ => pl,
    }
}

/// What the rest of the portal accepts: 2026-03-15 from the picker or 15.03.2026 typed.
fn parse_date(s: &str) -> Option<NaiveDate> {
    crate::domain::time::parse_date(s)
}

/// A gap in the reader's language: "Deklaracja dostępności — wersja angielska: brak wymaganej
/// części: Procedura wnioskowo-skargowa".
pub fn gap_text(lang: Lang, gap: &Gap) -> String {
    let version = |l: &str| {
        lang.t(if l == "en" {
            "sitetexts.version_en"
        } else {
            "sitetexts.version_pl"
        })
    };
    match gap {
        Gap::Field(f) => {
            let label = FIELDS
                .iter()
                .find(|(n, _)| n == f)
                .map_or(*f, |(_, k)| lang.t(k));
            lang.tf("sitetexts.gap_field", &[("field", &label)])
        }
        // Each version has its own marker: "[uzupełnij: …]" in Polish, "[fill in: …]" in English.
        Gap::Placeholder(doc, l) => lang.tf(
            if *l == "en" {
                "sitetexts.gap_placeholder_en"
            } else {
                "sitetexts.gap_placeholder"
            },
            &[("doc", &lang.t(doc.title_key())), ("version", &version(l))],
        ),
        Gap::Section(doc, l, id) => lang.tf(
            "sitetexts.gap_section",
            &[
                ("doc", &lang.t(doc.title_key())),
                ("version", &version(l)),
                ("part", &lang.t(&part_key(id))),
            ],
        ),
    }
}

/// The message key naming a required section.
fn part_key(id: &str) -> String {
    format!("sitetexts.part_{}", id.replace('-', "_"))
}

#[derive(Template)]
#[template(path = "site/accessibility.html")]
struct AccessibilityPage {
    layout: Layout,
    t: SiteTexts,
    site_url: String,
    published: Option<NaiveDate>,
    updated: Option<NaiveDate>,
    prepared: Option<NaiveDate>,
    /// The Markdown's HTML before the request procedure, and from it on; the contact section
    /// goes between them.
    before: String,
    after: String,
}

impl AccessibilityPage {
    /// The value of a field, or the mark that it is still to be filled in.
    fn or_missing<'a>(&self, v: &'a str) -> &'a str {
        if v.trim().is_empty() {
            self.layout.t("sitetexts.missing")
        } else {
            v
        }
    }
}

pub async fn accessibility(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let t = ctx.state.db.call(svc::texts).await?;
    let html = Doc::Accessibility.render(pick(ctx.lang, &t.a11y_pl, &t.a11y_en));
    let (before, after) = match html.find("<h2 id=\"a11y-procedura\"") {
        Some(i) => (html[..i].to_string(), html[i..].to_string()),
        None => (html, String::new()),
    };
    let p = AccessibilityPage {
        layout: ctx.layout(),
        site_url: ctx.state.config.base_url.clone(),
        published: parse_date(&t.published_on),
        updated: parse_date(&t.updated_on),
        prepared: parse_date(&t.prepared_on),
        t,
        before,
        after,
    };
    public_page(&p, &p.layout)
}

#[derive(Template)]
#[template(path = "site/privacy.html")]
struct PrivacyPage {
    layout: Layout,
    html: String,
}

pub async fn privacy(ctx: Ctx) -> Result<HttpResponse, AppError> {
    let t = ctx.state.db.call(svc::texts).await?;
    let p = PrivacyPage {
        layout: ctx.layout(),
        html: Doc::Privacy.render(pick(ctx.lang, &t.privacy_pl, &t.privacy_en)),
    };
    public_page(&p, &p.layout)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SiteForm {
    pub entity: String,
    pub published_on: String,
    pub updated_on: String,
    pub prepared_on: String,
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub a11y_pl: String,
    pub a11y_en: String,
    pub privacy_pl: String,
    pub privacy_en: String,
}

impl From<SiteTexts> for SiteForm {
    fn from(t: SiteTexts) -> SiteForm {
        SiteForm {
            entity: t.entity,
            published_on: t.published_on,
            updated_on: t.updated_on,
            prepared_on: t.prepared_on,
            contact_name: t.contact_name,
            contact_email: t.contact_email,
            contact_phone: t.contact_phone,
            a11y_pl: t.a11y_pl,
            a11y_en: t.a11y_en,
            privacy_pl: t.privacy_pl,
            privacy_en: t.privacy_en,
        }
    }
}

#[derive(Template)]
#[template(path = "admin/site.html")]
struct SettingsPage {
    layout: Layout,
    form: SiteForm,
    errors: Errors,
    /// What the saved texts still lack, in words.
    gaps: Vec<String>,
}

pub async fn settings_get(ctx: Ctx) -> Result<HttpResponse, AppError> {
    ctx.require_role(Role::Organiser)?;
    let t = ctx.state.db.call(svc::texts).await?;
    let gaps = svc::gaps(&t)
        .iter()
        .map(|g| gap_text(ctx.lang, g))
        .collect();
    page(&SettingsPage {
        layout: ctx.layout(),
        form: t.into(),
        errors: Errors::new(ctx.lang),
        gaps,
    })
}

/// Checks the form; the texts to save, or the errors.
fn check(form: &SiteForm, errors: &mut Errors) -> Option<SiteTexts> {
    errors.check("entity", validate::required(&form.entity, 300));
    let published = parse_date(&form.published_on);
    let updated = parse_date(&form.updated_on);
    if form.published_on.trim().is_empty() {
        errors.add("published_on", "err.required");
    } else if published.is_none() {
        errors.add("published_on", "err.date");
    }
    if form.updated_on.trim().is_empty() {
        errors.add("updated_on", "err.required");
    } else if updated.is_none() {
        errors.add("updated_on", "err.date");
    }
    let prepared = parse_date(&form.prepared_on);
    if form.prepared_on.trim().is_empty() {
        errors.add("prepared_on", "err.required");
    } else if prepared.is_none() {
        errors.add("prepared_on", "err.date");
    }
    if let (Some(p), Some(u)) = (published, updated)
        && u < p
    {
        errors.add("updated_on", "err.updated_before_published");
    }
    errors.check("contact_name", validate::required(&form.contact_name, 200));
    errors.check("contact_email", validate::email(&form.contact_email));
    errors.check("contact_phone", validate::phone(&form.contact_phone));
    for (field, text) in [
        ("a11y_pl", &form.a11y_pl),
        ("a11y_en", &form.a11y_en),
        ("privacy_pl", &form.privacy_pl),
        ("privacy_en", &form.privacy_en),
    ] {
        errors.check(field, validate::required_text(text, MAX_TEXT));
    }
    if !errors.is_empty() {
        return None;
    }
    let (published, updated, prepared) = (published?, updated?, prepared?);
    Some(SiteTexts {
        entity: validate::clean(&form.entity),
        published_on: published.format("%Y-%m-%d").to_string(),
        updated_on: updated.format("%Y-%m-%d").to_string(),
        prepared_on: prepared.format("%Y-%m-%d").to_string(),
        contact_name: validate::clean(&form.contact_name),
        contact_email: form.contact_email.trim().to_string(),
        contact_phone: validate::clean(&form.contact_phone),
        a11y_pl: form.a11y_pl.trim().to_string(),
        a11y_en: form.a11y_en.trim().to_string(),
        privacy_pl: form.privacy_pl.trim().to_string(),
        privacy_en: form.privacy_en.trim().to_string(),
    })
}

pub async fn settings_post(ctx: Ctx, Form(form): Form<SiteForm>) -> Result<HttpResponse, AppError> {
    let me = ctx.require_role(Role::Organiser)?.id;
    let mut errors = Errors::new(ctx.lang);
    let Some(texts) = check(&form, &mut errors) else {
        let saved = ctx.state.db.call(svc::texts).await?;
        let gaps = svc::gaps(&saved)
            .iter()
            .map(|g| gap_text(ctx.lang, g))
            .collect();
        return invalid(&SettingsPage {
            layout: ctx.layout().errors(&errors),
            form,
            errors,
            gaps,
        });
    };
    let now = ctx.now();
    ctx.state
        .db
        .run(move |c| svc::save(c, me, &texts, now))
        .await?;
    ctx.flash("flash.saved");
    Ok(redirect(&urls::admin_site()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::site_texts::{A11Y_REQUIRED, PRIVACY_REQUIRED};

    #[test]
    fn every_gap_has_words_in_both_languages() {
        for id in A11Y_REQUIRED.iter().chain(PRIVACY_REQUIRED) {
            assert!(Lang::has(&part_key(id)), "{}", part_key(id));
        }
        let gap = Gap::Section(Doc::Accessibility, "en", "a11y-procedura");
        assert_eq!(
            gap_text(Lang::Pl, &gap),
            "Deklaracja dostępności — wersja angielska: brak wymaganej części: Procedura wnioskowo-skargowa"
        );
        assert!(!gap_text(Lang::En, &Gap::Field("contact_phone")).contains('{'));
    }
}
