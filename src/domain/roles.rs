//! The three roles and the kinds of institution an applicant can register.

use crate::domain::text_enum;

text_enum! {
    pub enum Role {
        Applicant = "applicant",
        Juror = "juror",
        Organiser = "organiser",
    }
}

impl Role {
    pub fn label_key(self) -> &'static str {
        match self {
            Role::Applicant => "role.applicant",
            Role::Juror => "role.juror",
            Role::Organiser => "role.organiser",
        }
    }
}

/// Kinds of public body, in the order of the registration form. The stored value is the key.
pub const INSTITUTION_KINDS: &[&str] = &[
    "gmina_miejska",
    "gmina_wiejska",
    "gmina_miejsko_wiejska",
    "miasto_npp",
    "powiat",
    "wojewodztwo",
    "jednostka_samorzadowa",
    "uczelnia",
    "inna",
];

pub fn is_institution_kind(kind: &str) -> bool {
    INSTITUTION_KINDS.contains(&kind)
}

/// The translation key of an institution kind's name.
pub fn institution_kind_key(kind: &str) -> String {
    format!("kind.{kind}")
}
