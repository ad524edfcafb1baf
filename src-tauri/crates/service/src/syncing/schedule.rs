//! The scheduled sync: a loop that runs a cycle when it is due (every minute while the user
//! watches owners' calendars, else at the sync interval), at once when woken (insta-sync, Sync
//! now, new settings), and backs off after a failure. The app and `onbehalf sync` both run it.

use std::future::Future;
use std::time::Duration;

use chrono::Utc;
use onbehalf_sync::Mode;

use crate::error::{ErrorCode, ServiceError};
use crate::syncing::settings::SyncSettings;
use crate::Onbehalf;

/// How long the loop sleeps when sync is off or nobody is signed in (a wake ends it sooner).
const IDLE: Duration = Duration::from_secs(30 * 60);
/// How often the scheduled sync refreshes the calendar list: permissions, the owners' sync
/// state and CRM users, and this user's own record (which seals grants to new delegates' keys).
const REFRESH_EVERY: Duration = Duration::from_secs(15 * 60);
/// The longest wait after failures.
const MAX_BACKOFF: Duration = Duration::from_secs(30 * 60);

impl Onbehalf {
    /// Wake the scheduled sync: it runs a cycle now when sync is on.
    pub fn wake_sync(&self) {
        self.sync_runtime.wake();
        // Someone may have signed in with offers open: their replies are looked for too.
        self.wake_offer_watch();
    }

    /// Wait until the scheduled sync's state changes (a cycle starts or ends, the next one is
    /// planned): what shows it need not poll.
    pub async fn sync_state_changed(&self) {
        self.sync_runtime.changed().await;
    }

    /// Run the scheduled sync until `stop` completes. A cycle already running when `stop`
    /// completes is abandoned between two steps, which the next start resumes.
    pub async fn run_sync_loop(&self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        let mut failures: u32 = 0;
        loop {
            let wait = match self.sync_settings().await {
                Ok(settings) if settings.on => {
                    let outcome = tokio::select! {
                        _ = &mut stop => return,
                        r = self.scheduled_cycle() => r,
                    };
                    match outcome {
                        Ok(watched) => {
                            failures = 0;
                            period(&settings, watched)
                        }
                        Err(e) => {
                            failures = failures.saturating_add(1);
                            backoff(&e, failures)
                        }
                    }
                }
                Ok(_) | Err(_) => IDLE,
            };
            let next = Utc::now() + chrono::Duration::from_std(wait).unwrap_or_default();
            self.sync_runtime.update(|s| s.next_run_at = Some(next));
            tokio::select! {
                _ = &mut stop => return,
                _ = self.sync_runtime.woken() => {}
                _ = tokio::time::sleep(wait) => {}
            }
        }
    }

    /// One scheduled cycle, its state kept for the status line; how many owners it watched.
    async fn scheduled_cycle(&self) -> Result<usize, ServiceError> {
        self.sync_runtime.update(|s| s.running = true);
        if self.sync_runtime.refresh_due(REFRESH_EVERY) {
            if let Err(e) = self.refresh().await {
                tracing::warn!(error = %e, "the calendar list could not be refreshed");
            }
        }
        let result = self.sync_once(Mode::Execute).await;
        self.sync_runtime.update(|s| {
            s.running = false;
            match &result {
                Ok(run) => {
                    s.last_error = None;
                    s.last = Some(run.clone());
                }
                Err(e) => s.last_error = Some(e.clone()),
            }
        });
        match result {
            Ok(run) => {
                if let Err(e) = self.publish_sync_state().await {
                    tracing::warn!(error = %e, "could not publish the sync state");
                }
                Ok(run.watched_owners)
            }
            Err(e) => {
                tracing::warn!(error = %e, "a sync cycle stopped");
                Err(e)
            }
        }
    }
}

/// The time to the next cycle after one that finished.
fn period(settings: &SyncSettings, watched_owners: usize) -> Duration {
    let minutes = match watched_owners {
        0 => settings.interval_minutes,
        _ => settings.watch_minutes.min(settings.interval_minutes),
    };
    Duration::from_secs(u64::from(minutes.max(1)) * 60)
}

/// The time to the next try after `failures` failures in a row: doubling from a minute up to
/// half an hour; a sign-in that only the user can renew waits for a wake (the new sign-in).
fn backoff(e: &ServiceError, failures: u32) -> Duration {
    match e.code {
        ErrorCode::SignInRequired
        | ErrorCode::CrmSignInRequired
        | ErrorCode::Config
        | ErrorCode::Refused
        | ErrorCode::Locked
        | ErrorCode::InvalidInput => IDLE,
        ErrorCode::Network
        | ErrorCode::KeyringUnavailable
        | ErrorCode::Store
        | ErrorCode::Other => {
            let minutes = 1u64 << failures.saturating_sub(1).min(5);
            Duration::from_secs(minutes * 60).min(MAX_BACKOFF)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_delegate_watching_owners_polls_every_minute_and_an_owner_at_the_interval() {
        let s = SyncSettings::default();
        assert_eq!(period(&s, 0), Duration::from_secs(5 * 60));
        assert_eq!(period(&s, 2), Duration::from_secs(60));
    }

    #[test]
    fn failures_back_off_doubling_up_to_half_an_hour() {
        let e = ServiceError::new(ErrorCode::Network, "offline");
        let waits: Vec<u64> = (1..=8).map(|n| backoff(&e, n).as_secs() / 60).collect();
        assert_eq!(waits, vec![1, 2, 4, 8, 16, 30, 30, 30]);
    }

    #[test]
    fn an_expired_sign_in_waits_for_the_user() {
        let e = ServiceError::new(ErrorCode::CrmSignInRequired, "sign in");
        assert_eq!(backoff(&e, 1), IDLE);
    }
}
