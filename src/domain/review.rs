//! A juror's judgement of one entry: a draft until the juror submits it.

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
pub enum ReviewStatus {
    Draft,
    Submitted,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 2] = [ReviewStatus::Draft, ReviewStatus::Submitted];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "draft",
            ReviewStatus::Submitted => "submitted",
        }
    }

    pub fn parse(s: &str) -> Option<ReviewStatus> {
        ReviewStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "jury.status_draft",
            ReviewStatus::Submitted => "jury.status_submitted",
        }
    }

    pub fn is_submitted(self) -> bool {
        self == ReviewStatus::Submitted
    }
}
