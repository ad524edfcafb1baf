//! What the user is shown about each calendar: the output of discovery, serialised as is by
//! `onbehalf calendars --json` and sent to the UI.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actions::{Action, Verdict};
use crate::permission::{PermissionNames, Rights};

/// Where a shown permission comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum PermissionSource {
    /// The user's own calendar.
    Own,
    /// Read from the owner's published Onbehalf status record: exact.
    Published,
    /// Inferred from `canEdit`, `canViewPrivateItems` and probes: may be approximate.
    Inferred,
}

/// How the calendar reached the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum CalendarKind {
    /// One of the user's own calendars.
    Own,
    /// The owner's primary calendar, listed in the user's calendars.
    OwnerPrimary,
    /// Another calendar of the owner, shared with the user.
    SharedSecondary,
    /// An owner the user added by address, probed directly.
    AddedByAddress,
}

/// The effective permission, named three ways, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PermissionView {
    pub outlook: String,
    pub owa: String,
    pub graph: String,
    pub source: PermissionSource,
    /// When the owner's record was published (source `published`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub published_at: Option<DateTime<Utc>>,
    /// A caveat the user should read, e.g. why an inferred level may be approximate.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub note: Option<String>,
    pub rights: Rights,
}

impl PermissionView {
    pub fn names(&self) -> PermissionNames {
        PermissionNames {
            outlook: self.outlook.clone(),
            owa: self.owa.clone(),
            graph: self.graph.clone(),
        }
    }
}

/// What the owner's Onbehalf says about itself, from their status record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OwnerOnbehalf {
    pub sync_on: bool,
    pub last_run: Option<DateTime<Utc>>,
    pub published_at: DateTime<Utc>,
    pub app_version: String,
    pub same_tenant: bool,
}

/// One calendar the user can reach.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CalendarEntry {
    /// Stable key within one account's list (owner plus calendar), for the UI and the store.
    pub key: String,
    /// The owner's address.
    pub owner: String,
    pub owner_name: String,
    pub name: String,
    pub kind: CalendarKind,
    pub is_default: bool,
    pub permission: PermissionView,
    pub can_view_private: bool,
    /// The owner's Onbehalf, when they run it and published a record; `None` when they don't
    /// (or it could not be read).
    pub owner_onbehalf: Option<OwnerOnbehalf>,
    pub actions: BTreeMap<Action, Verdict>,
    /// Why the calendar could not be fully checked, worded for a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub problem: Option<String>,
}
