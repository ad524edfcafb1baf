//! The marks Onbehalf keeps on an Exchange item: the link to its CRM event with the hashes of
//! the fields as last synced, and a share asked for but not yet done. Each is a single-value
//! named extended property in Onbehalf's GUID namespace, holding JSON, written with `If-Match`
//! so two apps acting on one change cannot both win.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::hash::FieldHashes;

/// The link's property id.
pub const LINK_ID: &str = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfLink";
/// The pending share's property id.
pub const PENDING_ID: &str = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfShare";
/// The link format this build writes and reads.
pub const LINK_FORMAT: u32 = 1;

/// An item's link to its CRM event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub v: u32,
    /// Which CRM (`salesforce`).
    pub crm: String,
    pub org_id: String,
    pub event_id: String,
    /// The CRM owner of the event (the calendar owner's CRM user).
    pub owner_id: String,
    /// The records the event is linked to.
    #[serde(default)]
    pub who_id: Option<String>,
    #[serde(default)]
    pub what_id: Option<String>,
    /// The fields as they were when last synced, hashed: a side changed a field when its value
    /// no longer has the hash. Hashes, so any app that can read the item can merge, without
    /// the item's text being copied anywhere.
    pub synced: FieldHashes,
    /// The CRM event's version when last synced.
    pub crm_version: String,
    pub synced_at: DateTime<Utc>,
}

/// A share asked for: which records to link and who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingShare {
    pub v: u32,
    #[serde(default)]
    pub who_id: Option<String>,
    #[serde(default)]
    pub what_id: Option<String>,
    /// The address of who asked (the owner or a delegate).
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
}

/// What to change among Onbehalf's marks on an item; `None` leaves a mark as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// The whole category list to set.
    pub categories: Option<Vec<String>>,
    /// `Some(None)` removes the link.
    pub link: Option<Option<Link>>,
    /// `Some(None)` removes the pending share.
    pub pending: Option<Option<PendingShare>>,
}
