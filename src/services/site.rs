//! The site's accessibility statement and privacy notice: read (saved or default), checked
//! for gaps, saved by an organiser with an audit entry.

use chrono::NaiveDateTime;

use crate::db::site::{self, SiteTexts};
use crate::db::{DbConn, DbError, audit, tx};
use crate::domain::site_texts::{self as domain, Doc, Gap};

/// What the pages show before an organiser has saved anything.
pub fn defaults() -> SiteTexts {
    SiteTexts {
        entity: String::new(),
        published_on: String::new(),
        updated_on: String::new(),
        prepared_on: String::new(),
        contact_name: String::new(),
        contact_email: String::new(),
        contact_phone: String::new(),
        a11y_pl: domain::A11Y_PL.to_string(),
        a11y_en: domain::A11Y_EN.to_string(),
        privacy_pl: domain::PRIVACY_PL.to_string(),
        privacy_en: domain::PRIVACY_EN.to_string(),
    }
}

/// The texts as saved, or the defaults.
pub fn texts(c: &mut DbConn) -> Result<SiteTexts, DbError> {
    Ok(site::find(c)?.unwrap_or_else(defaults))
}

/// What is still missing from the texts.
pub fn gaps(t: &SiteTexts) -> Vec<Gap> {
    domain::gaps(
        &[
            ("entity", &t.entity),
            ("published_on", &t.published_on),
            ("updated_on", &t.updated_on),
            ("prepared_on", &t.prepared_on),
            ("contact_name", &t.contact_name),
            ("contact_email", &t.contact_email),
            ("contact_phone", &t.contact_phone),
        ],
        &[
            (Doc::Accessibility, "pl", &t.a11y_pl),
            (Doc::Accessibility, "en", &t.a11y_en),
            (Doc::Privacy, "pl", &t.privacy_pl),
            (Doc::Privacy, "en", &t.privacy_en),
        ],
    )
}

/// The gaps of the texts as saved (for the organiser's dashboard).
pub fn current_gaps(c: &mut DbConn) -> Result<Vec<Gap>, DbError> {
    Ok(gaps(&texts(c)?))
}

/// Saves checked texts, with an audit entry.
pub fn save(
    c: &mut DbConn,
    organiser: i32,
    t: &SiteTexts,
    now: NaiveDateTime,
) -> Result<(), DbError> {
    tx(c, |c| {
        // A changed privacy notice gets the next version, which users acknowledge at their next
        // page (`services::rodo`); other edits keep the version.
        let before = texts(c)?;
        site::save(c, t, Some(organiser), now)?;
        let unchanged = domain::same_text(&before.privacy_pl, &t.privacy_pl)
            && domain::same_text(&before.privacy_en, &t.privacy_en);
        if !unchanged {
            crate::db::rodo::bump_privacy_version(c)?;
            // The organiser who wrote the new text has read it.
            crate::services::rodo::acknowledge_current(c, organiser, now)?;
        }
        audit::record(c, Some(organiser), "site:texts", "site", None, "", now)?;
        Ok::<_, DbError>(())
    })
}
