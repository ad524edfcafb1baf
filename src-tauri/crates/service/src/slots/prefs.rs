//! What the user last asked for when finding times: the calendar, and per owner the meeting
//! length and rules (an executive's buffers and notice stay hers), kept in the store's
//! settings per Microsoft 365 account as JSON. Missing fields take their defaults.

use onbehalf_store::Store;
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, ServiceError};
use crate::kept_json;

/// The rules slots are found with, remembered per owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(default)]
pub struct SlotPrefs {
    pub duration_minutes: u32,
    pub increment_minutes: u32,
    pub buffer_before_minutes: u32,
    pub buffer_after_minutes: u32,
    pub minimum_notice_minutes: u32,
    /// At most this many slots a day; 0: no limit.
    pub max_per_day: u32,
    pub tentative_is_busy: bool,
}

impl Default for SlotPrefs {
    fn default() -> Self {
        SlotPrefs {
            duration_minutes: 30,
            increment_minutes: 30,
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            minimum_notice_minutes: 0,
            max_per_day: 0,
            tentative_is_busy: true,
        }
    }
}

/// A day in minutes: no length, buffer or increment may exceed it.
const DAY: u32 = 24 * 60;
/// Notice of up to 60 days.
const MAX_NOTICE: u32 = 60 * DAY;

impl SlotPrefs {
    /// Refuse values out of bounds, naming which one and why.
    pub fn check(&self) -> Result<(), ServiceError> {
        let within = |name: &str, v: u32, lo: u32, hi: u32| {
            if (lo..=hi).contains(&v) {
                Ok(())
            } else {
                Err(ServiceError::new(
                    ErrorCode::InvalidInput,
                    format!("The {name} must be between {lo} and {hi}; it was {v}."),
                ))
            }
        };
        within("meeting length (minutes)", self.duration_minutes, 5, DAY)?;
        within("start increment (minutes)", self.increment_minutes, 5, DAY)?;
        within(
            "buffer before (minutes)",
            self.buffer_before_minutes,
            0,
            DAY,
        )?;
        within("buffer after (minutes)", self.buffer_after_minutes, 0, DAY)?;
        within(
            "minimum notice (minutes)",
            self.minimum_notice_minutes,
            0,
            MAX_NOTICE,
        )?;
        within("number of slots per day", self.max_per_day, 0, 96)?;
        Ok(())
    }
}

fn last_key(account_id: &str) -> String {
    format!("slots.last_calendar.{account_id}")
}

fn prefs_key(account_id: &str, owner: &str) -> String {
    format!("slots.prefs.{account_id}.{}", owner.to_lowercase())
}

/// The owner address of the calendar last used.
pub(crate) fn last_calendar(
    store: &Store,
    account_id: &str,
) -> Result<Option<String>, ServiceError> {
    Ok(store.settings().get(&last_key(account_id))?)
}

pub(crate) fn set_last_calendar(
    store: &Store,
    account_id: &str,
    owner: &str,
) -> Result<(), ServiceError> {
    store
        .settings()
        .set(&last_key(account_id), &owner.to_lowercase())?;
    Ok(())
}

/// The rules last used for `owner`'s calendar (defaults when none were kept, or what was kept
/// cannot be read).
pub(crate) fn load(
    store: &Store,
    account_id: &str,
    owner: &str,
) -> Result<SlotPrefs, ServiceError> {
    kept_json::load(
        store,
        &prefs_key(account_id, owner),
        "the time slot settings",
    )
}

pub(crate) fn save(
    store: &Store,
    account_id: &str,
    owner: &str,
    prefs: &SlotPrefs,
) -> Result<(), ServiceError> {
    prefs.check()?;
    kept_json::save(
        store,
        &prefs_key(account_id, owner),
        "the time slot settings",
        prefs,
    )
}
