//! Where the sync stands, for the status line and `onbehalf status`.

use chrono::{DateTime, Utc};
use onbehalf_sync::Mode;
use serde::Serialize;

use crate::blocking::blocking;
use crate::error::ServiceError;
use crate::syncing::run::SyncRun;
use crate::syncing::runtime::LoopState;
use crate::syncing::settings;
use crate::Onbehalf;

/// The sync's state.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncStatus {
    /// The scheduled sync is on.
    pub on: bool,
    /// When a cycle last finished (in any process on this data folder).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub last_run: Option<DateTime<Utc>>,
    /// Shares and unshares asked for and not yet done.
    pub waiting: usize,
    /// Open problems and conflicts.
    pub problems: usize,
    pub conflicts: usize,
    /// The user's profile does not include calendar sync: why, and who can change it. Sharing
    /// and the sync are not offered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub not_granted: Option<String>,
    /// This process's loop: running now, next run, the last result or error.
    #[serde(rename = "loop")]
    pub schedule: LoopState,
}

impl Onbehalf {
    pub async fn sync_status(&self) -> Result<SyncStatus, ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let not_granted = self
            .standing(&account)
            .await?
            .profile
            .refusal(onbehalf_engine::policy::Feature::CalendarSync);
        let store = self.store.clone();
        let (on, last_run, waiting, problems, conflicts) =
            blocking("reading the sync state", move || {
                let id = &account.id;
                Ok((
                    settings::load(&store, id)?.on,
                    settings::last_run(&store, id)?,
                    store.sync_outbox().list(id)?.len(),
                    store.sync_problems().open(id)?.len(),
                    store.sync_conflicts().open(id)?.len(),
                ))
            })
            .await?;
        Ok(SyncStatus {
            on,
            not_granted,
            last_run,
            waiting,
            problems,
            conflicts,
            schedule: self.sync_runtime.state(),
        })
    }

    /// What the first cycle would do, without doing it: shown before sync is turned on.
    pub async fn sync_preview(&self) -> Result<SyncRun, ServiceError> {
        self.sync_once(Mode::Preview).await
    }

    /// Turn the scheduled sync on or off, and publish it so delegates know at once.
    pub async fn set_sync_on(&self, on: bool) -> Result<SyncStatus, ServiceError> {
        let mut s = self.sync_settings().await?;
        s.on = on;
        self.set_sync_settings(s).await?;
        if let Err(e) = self.publish_sync_state().await {
            tracing::warn!(error = %e, "could not publish the sync state");
        }
        self.sync_status().await
    }
}
