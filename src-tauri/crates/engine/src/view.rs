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
    /// Inferred from `canEdit`, `canViewPrivateItems` and probes: the lowest level Exchange
    /// proves, with what it may be.
    Inferred,
    /// Exchange could not be asked just now; this is the last verdict it gave, kept unchanged.
    Stale,
    /// Exchange could not be asked just now and nothing earlier is known: the lowest level the
    /// calendar's flags prove, every refusal marked unknown.
    Unknown,
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
    /// The higher levels the user may really hold, when Exchange could not prove them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub may_be: Option<String>,
    /// When Exchange last confirmed this permission (older than the list for `stale`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub checked_at: Option<DateTime<Utc>>,
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
    /// The CRM org and user the owner's Onbehalf is signed in to, when it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub crm_org_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub crm_user_id: Option<String>,
}

/// What became of reading the owner's status record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum OwnerRecord {
    /// The user's own calendar: their own Onbehalf is this one.
    Mine,
    /// Found and read (see `owner_onbehalf`).
    Found,
    /// No record on the owner's calendar: they do not run Onbehalf, or never signed in.
    Absent,
    /// Written by a newer Onbehalf than this one: update to read it.
    NewerFormat { format: u32 },
    /// There, but not readable.
    Unreadable { detail: String },
    /// Exchange refused to show it to the user.
    Denied,
    /// Could not be read just now (network, throttling); checked again at the next refresh.
    Unchecked { detail: String },
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
    /// (or it could not be read: `owner_record` says which).
    pub owner_onbehalf: Option<OwnerOnbehalf>,
    pub owner_record: OwnerRecord,
    pub actions: BTreeMap<Action, Verdict>,
    /// Why the calendar could not be fully checked, worded for a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub problem: Option<String>,
}
