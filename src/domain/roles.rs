//! The three roles and the kinds of institution an applicant can register.

#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub enum Role {
    Applicant,
    Juror,
    Organiser,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Juror => "juror",
            Role::Organiser => "organiser",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Role::Applicant => "role.applicant",
            Role::Juror => "role.juror",
            Role::Organiser => "role.organiser",
        }
    }

    pub const ALL: [Role; 3] = [Role::Applicant, Role::Juror, Role::Organiser];
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
