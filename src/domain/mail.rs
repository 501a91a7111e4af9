//! The delivery status of a message in the outbox.

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
pub enum OutboxStatus {
    /// Waiting for its (next) attempt.
    Queued,
    Sent,
    /// Given up after the last attempt.
    Failed,
}

impl OutboxStatus {
    pub const ALL: [OutboxStatus; 3] = [
        OutboxStatus::Queued,
        OutboxStatus::Sent,
        OutboxStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "queued",
            OutboxStatus::Sent => "sent",
            OutboxStatus::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<OutboxStatus> {
        OutboxStatus::ALL.into_iter().find(|st| st.as_str() == s)
    }

    pub fn is_queued(self) -> bool {
        self == OutboxStatus::Queued
    }

    pub fn is_sent(self) -> bool {
        self == OutboxStatus::Sent
    }

    pub fn is_failed(self) -> bool {
        self == OutboxStatus::Failed
    }

    pub fn label_key(self) -> &'static str {
        match self {
            OutboxStatus::Queued => "outbox.status_queued",
            OutboxStatus::Sent => "outbox.status_sent",
            OutboxStatus::Failed => "outbox.status_failed",
        }
    }
}
