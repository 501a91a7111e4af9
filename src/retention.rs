//! The retention job: once a day (by the app's clock, which tests move) the running server
//! erases the personal data of editions past their retention, deletes their attachments'
//! files and the text of old messages (`services::rodo::apply_retention`). `konkurs retention`
//! does the same once, or with `--dry-run` only says what would go.

use std::time::Duration;

use chrono::NaiveDateTime;

use crate::db::{Db, DbError};
use crate::domain::time::Clock;
use crate::services::rodo::{self, RetentionPlan};
use crate::storage::Storage;

/// Carries out the retention at `now`: the database in one transaction, then the files of the
/// deleted attachments (a file left behind is an orphan nobody can reach).
pub async fn run(db: &Db, storage: &Storage, now: NaiveDateTime) -> Result<RetentionPlan, DbError> {
    let plan = db
        .run(move |c| {
            let plan = rodo::apply_retention(c, now)?;
            // After its transaction: signed-in pages kept by any instance show the erasure.
            if !plan.is_empty() {
                crate::db::sessions::bump_list_version(c)?;
            }
            Ok(plan)
        })
        .await?;
    for (_, stored) in &plan.attachments {
        storage.remove(stored).await;
    }
    Ok(plan)
}

/// What would go at `now`, changing nothing.
pub async fn dry_run(db: &Db, now: NaiveDateTime) -> Result<RetentionPlan, DbError> {
    db.run(move |c| rodo::retention_plan(c, now)).await
}

/// The plan in words, one line per kind (labels and counts; no personal data).
pub fn describe(plan: &RetentionPlan) -> String {
    let editions: Vec<String> = plan
        .editions
        .iter()
        .map(|(id, name)| format!("{name} (id {id})"))
        .collect();
    format!(
        "editions past their retention: {}\ninstitutions (contact data): {}\npeople (personal data): {}\nattachments: {}\nmessages' text (queued before {}): {}\nremembered browsers past their time: {}",
        if editions.is_empty() {
            "none".to_string()
        } else {
            editions.join(", ")
        },
        plan.institutions.len(),
        plan.users.len(),
        plan.attachments.len(),
        plan.message_cutoff.format("%Y-%m-%d %H:%M UTC"),
        plan.messages,
        plan.devices
    )
}

/// Runs the retention at start and then whenever a day has passed by `clock`, checking every
/// `tick`; ends when `stop` turns true.
pub async fn daily(
    db: Db,
    storage: Storage,
    clock: Clock,
    tick: Duration,
    mut stop: tokio::sync::watch::Receiver<bool>,
) {
    let mut due = clock.now();
    loop {
        if clock.now() >= due {
            match run(&db, &storage, clock.now()).await {
                Ok(plan) if !plan.is_empty() => tracing::info!(
                    institutions = plan.institutions.len(),
                    people = plan.users.len(),
                    attachments = plan.attachments.len(),
                    messages = plan.messages,
                    devices = plan.devices,
                    "retention: personal data erased"
                ),
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %crate::web::error::chain(&e), "retention failed");
                }
            }
            due = clock.now() + chrono::Duration::days(1);
        }
        tokio::select! {
            () = tokio::time::sleep(tick) => {}
            _ = stop.changed() => if *stop.borrow() { return },
        }
    }
}
