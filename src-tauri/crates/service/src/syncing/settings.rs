//! The user's sync settings, kept per Microsoft 365 account in the store's settings table as
//! JSON. Fields missing from what an older version kept take their defaults.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};

use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::notice_kinds::NoticeKind;
use onbehalf_store::Store;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, ServiceError};
use crate::kept_json;

/// How the sync of one account behaves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct SyncSettings {
    /// The scheduled sync runs (the user turned it on, after seeing its first preview).
    pub on: bool,
    /// Minutes between full cycles.
    pub interval_minutes: u32,
    /// Minutes between polls of the owners' calendars the user watches.
    pub watch_minutes: u32,
    /// A share or an edit made in Onbehalf is synced at once, not at the next cycle.
    pub insta_sync: bool,
    /// Days before today the sync looks at.
    pub days_back: u32,
    /// Days after today the sync looks at.
    pub days_ahead: u32,
    /// The category that shares an item.
    pub share_category: String,
    /// Which side decides a field changed on both since the last sync.
    pub winner: Winner,
    /// Private items are synced (only when the administrator allows it).
    pub private_sync: bool,
    /// Owners (addresses, lowercase) whose CRM events this user's app may create directly.
    pub direct_share: BTreeSet<String>,
    /// Events the user owns that were made in the CRM come into their Outlook calendar.
    pub crm_to_exchange: bool,
    /// Minutes Microsoft 365 or the CRM may stay out of reach (timeouts, throttling, server
    /// errors, each retried) before it is a problem the user hears about.
    pub problem_after_minutes: u32,
    /// The kinds of problems that raise no notification (they are still listed as problems).
    pub quiet_kinds: BTreeSet<NoticeKind>,
}

impl Default for SyncSettings {
    fn default() -> Self {
        SyncSettings {
            on: false,
            interval_minutes: 5,
            watch_minutes: 1,
            insta_sync: true,
            days_back: 14,
            days_ahead: 60,
            share_category: "CRM".to_string(),
            winner: Winner::Exchange,
            private_sync: false,
            direct_share: BTreeSet::new(),
            crm_to_exchange: false,
            problem_after_minutes: 15,
            quiet_kinds: BTreeSet::new(),
        }
    }
}

/// The bounds a setting must stay within, so a typo cannot make the sync hammer a server or
/// read years of calendar.
const INTERVAL: (u32, u32) = (1, 24 * 60);
const DAYS_BACK: (u32, u32) = (0, 365);
const DAYS_AHEAD: (u32, u32) = (1, 730);
const PROBLEM_AFTER: (u32, u32) = (0, 24 * 60);

impl SyncSettings {
    /// Refuse settings out of bounds, with which one and why.
    pub fn check(&self) -> Result<(), ServiceError> {
        let within = |name: &str, v: u32, (lo, hi): (u32, u32)| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(ServiceError::new(
                    ErrorCode::Other,
                    format!("The {name} must be between {lo} and {hi}; it was {v}."),
                ))
            }
        };
        within("sync interval (minutes)", self.interval_minutes, INTERVAL)?;
        within("watch interval (minutes)", self.watch_minutes, INTERVAL)?;
        within("number of days back", self.days_back, DAYS_BACK)?;
        within("number of days ahead", self.days_ahead, DAYS_AHEAD)?;
        within(
            "time out of reach before it is a problem (minutes)",
            self.problem_after_minutes,
            PROBLEM_AFTER,
        )?;
        if self.share_category.trim().is_empty() || self.share_category.len() > 255 {
            return Err(ServiceError::new(
                ErrorCode::Other,
                "The share category needs a name of 1 to 255 characters.",
            ));
        }
        Ok(())
    }
}

fn key(account_id: &str) -> String {
    format!("sync.{account_id}")
}

/// The account's settings (defaults when none were kept, or what was kept cannot be read).
pub(crate) fn load(store: &Store, account_id: &str) -> Result<SyncSettings, ServiceError> {
    kept_json::load(store, &key(account_id), "the sync settings")
}

/// The settings the user kept, if they kept any (what the administrator recommends applies
/// until they do).
pub(crate) fn load_kept(
    store: &Store,
    account_id: &str,
) -> Result<Option<SyncSettings>, ServiceError> {
    match store.settings().get(&key(account_id))? {
        Some(_) => load(store, account_id).map(Some),
        None => Ok(None),
    }
}

pub(crate) fn save(
    store: &Store,
    account_id: &str,
    settings: &SyncSettings,
) -> Result<(), ServiceError> {
    settings.check()?;
    kept_json::save(store, &key(account_id), "the settings", settings)
}

fn unreachable_key(account_id: &str) -> String {
    format!("sync.unreachable_since.{account_id}")
}

/// Since when the account's cycles have not reached a service (`None`: the last one did).
pub(crate) fn unreachable_since(
    store: &Store,
    account_id: &str,
) -> Result<Option<DateTime<Utc>>, ServiceError> {
    Ok(store
        .settings()
        .get(&unreachable_key(account_id))?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc)))
}

/// Note that a cycle could not reach a service at `at` (the first of a run is kept), or, with
/// `None`, that it did.
pub(crate) fn note_unreachable(
    store: &Store,
    account_id: &str,
    at: Option<DateTime<Utc>>,
) -> Result<Option<DateTime<Utc>>, ServiceError> {
    let since = match (at, unreachable_since(store, account_id)?) {
        (Some(_), Some(first)) => return Ok(Some(first)),
        (Some(now), None) => Some(now),
        (None, _) => None,
    };
    match since {
        Some(t) => store
            .settings()
            .set(&unreachable_key(account_id), &t.to_rfc3339())?,
        None => {
            store.settings().remove(&unreachable_key(account_id))?;
        }
    }
    Ok(since)
}

fn last_run_key(account_id: &str) -> String {
    format!("sync.last_run.{account_id}")
}

/// When the account's sync last finished a cycle.
pub(crate) fn last_run(
    store: &Store,
    account_id: &str,
) -> Result<Option<DateTime<Utc>>, ServiceError> {
    Ok(store
        .settings()
        .get(&last_run_key(account_id))?
        .and_then(|t| DateTime::parse_from_rfc3339(&t).ok())
        .map(|t| t.with_timezone(&Utc)))
}

pub(crate) fn set_last_run(
    store: &Store,
    account_id: &str,
    at: DateTime<Utc>,
) -> Result<(), ServiceError> {
    store
        .settings()
        .set(&last_run_key(account_id), &at.to_rfc3339())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_account_without_settings_gets_the_defaults() {
        let store = Store::open_in_memory().expect("store");
        let s = load(&store, "t.o").expect("load");
        assert_eq!(s, SyncSettings::default());
        assert!(!s.on && s.insta_sync);
        assert_eq!((s.days_back, s.days_ahead, s.interval_minutes), (14, 60, 5));
    }

    #[test]
    fn settings_are_kept_per_account() {
        let store = Store::open_in_memory().expect("store");
        let mut s = SyncSettings {
            on: true,
            ..SyncSettings::default()
        };
        s.direct_share.insert("olivia@contoso.com".into());
        save(&store, "a", &s).expect("save");
        assert_eq!(load(&store, "a").expect("load"), s);
        assert_eq!(load(&store, "b").expect("load"), SyncSettings::default());
    }

    #[test]
    fn a_setting_out_of_bounds_is_refused_and_nothing_changes() {
        let store = Store::open_in_memory().expect("store");
        let bad = SyncSettings {
            interval_minutes: 0,
            ..SyncSettings::default()
        };
        let err = save(&store, "a", &bad).expect_err("refused");
        assert!(err.message.contains("sync interval"), "{}", err.message);
        assert_eq!(load(&store, "a").expect("load"), SyncSettings::default());
    }

    #[test]
    fn settings_kept_by_an_older_version_keep_their_values_and_gain_defaults() {
        let store = Store::open_in_memory().expect("store");
        store
            .settings()
            .set("sync.a", r#"{"on":true,"days_ahead":30}"#)
            .expect("set");
        let s = load(&store, "a").expect("load");
        assert!(s.on);
        assert_eq!(s.days_ahead, 30);
        assert_eq!(s.days_back, 14);
    }
}
