//! What the running sync keeps in memory: one cycle at a time, the wake-up of the loop
//! (insta-sync, Sync now, a change of settings), the loop's state for the status line, and the
//! owners' CRM users found by address.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use onbehalf_engine::publish::SyncState;
use serde::Serialize;
use tokio::sync::Notify;

use crate::error::ServiceError;
use crate::syncing::run::SyncRun;

/// How long an owner's CRM user found by address is trusted before it is looked up again.
const OWNER_USER_TTL: Duration = Duration::from_secs(60 * 60);

/// The loop's state, as the status line shows it.
#[derive(Debug, Clone, Default, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct LoopState {
    /// A cycle is running now.
    pub running: bool,
    /// When the next cycle is due.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub next_run_at: Option<DateTime<Utc>>,
    /// Why the last cycle stopped, when it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub last_error: Option<ServiceError>,
    /// What the last cycle did.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub last: Option<SyncRun>,
}

#[derive(Default)]
pub(crate) struct SyncRuntime {
    /// Held for the whole of a cycle, a share or an unshare: one at a time per data folder.
    pub cycle: tokio::sync::Mutex<()>,
    wake: Notify,
    /// Notified when the loop's state changes, for whoever shows it.
    changed: Notify,
    state: Mutex<LoopState>,
    owner_users: Mutex<BTreeMap<String, (Option<String>, Instant)>>,
    /// The sync state last published in the status record by this process.
    published: Mutex<Option<SyncState>>,
    /// When this process last refreshed the calendar list.
    refreshed: Mutex<Option<Instant>>,
}

impl SyncRuntime {
    /// Wake the loop now (it runs a cycle when sync is on).
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Wait until woken.
    pub async fn woken(&self) {
        self.wake.notified().await;
    }

    pub fn state(&self) -> LoopState {
        self.state.lock().map(|s| s.clone()).unwrap_or_default()
    }

    pub fn update(&self, f: impl FnOnce(&mut LoopState)) {
        if let Ok(mut s) = self.state.lock() {
            f(&mut s);
        }
        // One watcher: a change made while it is busy is kept for its next wait.
        self.changed.notify_one();
    }

    /// Wait until the loop's state changes (a change since the last wait counts).
    pub async fn changed(&self) {
        self.changed.notified().await;
    }

    /// An owner's CRM user found by address within the last hour (`Some(None)`: none found).
    pub fn owner_user(&self, owner: &str) -> Option<Option<String>> {
        let users = self.owner_users.lock().ok()?;
        users
            .get(owner)
            .filter(|(_, at)| at.elapsed() < OWNER_USER_TTL)
            .map(|(user, _)| user.clone())
    }

    pub fn remember_owner_user(&self, owner: &str, user: Option<String>) {
        if let Ok(mut users) = self.owner_users.lock() {
            users.insert(owner.to_string(), (user, Instant::now()));
        }
    }

    pub fn published(&self) -> Option<SyncState> {
        self.published.lock().ok().and_then(|p| *p)
    }

    pub fn set_published(&self, state: SyncState) {
        if let Ok(mut p) = self.published.lock() {
            *p = Some(state);
        }
    }

    pub fn set_refreshed(&self) {
        if let Ok(mut r) = self.refreshed.lock() {
            *r = Some(Instant::now());
        }
    }

    /// Whether the calendar list is older than `every` (or was never refreshed here).
    pub fn refresh_due(&self, every: Duration) -> bool {
        self.refreshed
            .lock()
            .map(|r| r.is_none_or(|at| at.elapsed() >= every))
            .unwrap_or(true)
    }

    /// Forget the owners' CRM users (after a new CRM sign-in or a refresh).
    pub fn forget_owner_users(&self) {
        if let Ok(mut users) = self.owner_users.lock() {
            users.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_owner_user_found_is_remembered_including_none() {
        let rt = SyncRuntime::default();
        assert_eq!(rt.owner_user("olivia@contoso.com"), None);
        rt.remember_owner_user("olivia@contoso.com", Some("005A".into()));
        rt.remember_owner_user("noah@contoso.com", None);
        assert_eq!(
            rt.owner_user("olivia@contoso.com"),
            Some(Some("005A".into()))
        );
        assert_eq!(rt.owner_user("noah@contoso.com"), Some(None));
        rt.forget_owner_users();
        assert_eq!(rt.owner_user("olivia@contoso.com"), None);
    }

    #[test]
    fn a_refresh_is_due_at_first_and_after_its_period() {
        let rt = SyncRuntime::default();
        assert!(rt.refresh_due(Duration::from_secs(900)));
        rt.set_refreshed();
        assert!(!rt.refresh_due(Duration::from_secs(900)));
        assert!(rt.refresh_due(Duration::ZERO));
    }

    #[tokio::test]
    async fn a_change_of_state_is_told_to_whoever_waits_even_if_made_before() {
        let rt = SyncRuntime::default();
        rt.update(|s| s.running = true);
        tokio::time::timeout(Duration::from_secs(5), rt.changed())
            .await
            .expect("the change was kept for the next wait");
        assert!(rt.state().running);
    }

    #[tokio::test]
    async fn a_wake_before_the_wait_is_not_lost() {
        let rt = SyncRuntime::default();
        rt.wake();
        tokio::time::timeout(Duration::from_secs(5), rt.woken())
            .await
            .expect("the wake was kept for the next wait");
    }
}
