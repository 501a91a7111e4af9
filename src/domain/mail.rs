//! The delivery status of a message in the outbox.

use crate::domain::text_enum;

text_enum! {
    pub enum OutboxStatus {
        /// Waiting for its (next) attempt.
        Queued = "queued",
        Sent = "sent",
        /// Given up after the last attempt.
        Failed = "failed",
    }
}

impl OutboxStatus {
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
