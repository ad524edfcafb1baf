//! The engine's view of a CRM: the `Crm` port and the plain data it returns, shaped by what
//! sharing and sync need, not by one vendor. Each CRM crate (Salesforce now; SuperOffice and
//! Oracle B2C Service later) implements it; tests implement it in memory.
//!
//! Times are UTC. Ids are opaque strings valid in one CRM org. Batch operations answer one
//! result per item, in the order asked, so that one refused item never hides the others.

use std::future::Future;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Who is signed in to the CRM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrmIdentity {
    /// The CRM organisation (tenant) id.
    pub org_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// Where the CRM's data is served (the instance the sign-in named).
    pub instance_url: String,
}

/// A user of the CRM, e.g. the CRM user of a calendar owner.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrmUser {
    pub id: String,
    pub name: String,
    pub email: String,
    pub active: bool,
}

/// The kinds of record an event can be linked to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A person the company deals with.
    Contact,
    /// A prospective customer not yet qualified.
    Lead,
    Account,
    Opportunity,
    Case,
}

impl RecordKind {
    pub const ALL: [RecordKind; 5] = [
        RecordKind::Contact,
        RecordKind::Lead,
        RecordKind::Account,
        RecordKind::Opportunity,
        RecordKind::Case,
    ];

    /// A contact or a lead is *who* an event is with; the others are *what* it is about.
    pub fn is_person(self) -> bool {
        match self {
            RecordKind::Contact | RecordKind::Lead => true,
            RecordKind::Account | RecordKind::Opportunity | RecordKind::Case => false,
        }
    }
}

/// A record to link an event to, with what tells it apart from others of the same name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrmRecord {
    #[serde(rename = "type")]
    pub kind: RecordKind,
    pub id: String,
    pub name: String,
    /// Contacts and leads.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub email: Option<String>,
    /// The account a contact, opportunity or case belongs to (a lead's company).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub account: Option<String>,
    /// An opportunity's stage, a case's status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub stage: Option<String>,
    /// A case's number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub number: Option<String>,
}

/// When an event happens: a span of time, or whole days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EventTime {
    Timed {
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    },
    /// Floating dates: `last` is the final day, included.
    AllDay { first: NaiveDate, last: NaiveDate },
}

/// An event as the CRM keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmEvent {
    /// `None` before it is created.
    pub id: Option<String>,
    /// The CRM user whose calendar it is on.
    pub owner_id: String,
    pub subject: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub time: EventTime,
    pub is_private: bool,
    pub show_as_busy: bool,
    /// The contact or lead it is with.
    pub who_id: Option<String>,
    /// The account, opportunity or case it is about.
    pub what_id: Option<String>,
    /// The Exchange item's immutable id, kept on the CRM side so a reinstall re-pairs.
    pub external_id: Option<String>,
    /// The CRM's version of the event (changes with every change); `None` before creation.
    pub version: Option<String>,
}

/// What changed since a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Changes {
    Since {
        updated: Vec<String>,
        deleted: Vec<String>,
        /// The cursor to ask from next time.
        cursor: DateTime<Utc>,
    },
    /// The cursor is older than the CRM keeps changes for: read everything again.
    TooOld,
}

/// What one user may do with one event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventAccess {
    pub read: bool,
    pub edit: bool,
    pub delete: bool,
}

/// How much of the CRM's API allowance is left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ApiBudget {
    // Counts fit a JavaScript number, which is what JSON gives the UI.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub remaining: u64,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub max: u64,
}

impl ApiBudget {
    /// Whether `reserve` (a share of the maximum, 0.0–1.0) is still left.
    pub fn above_reserve(&self, reserve: f64) -> bool {
        let floor = (self.max as f64 * reserve.clamp(0.0, 1.0)).ceil() as u64;
        self.remaining > floor
    }
}

/// Why a CRM call failed, in the terms sync words for a person (DESIGN §2.4).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CrmError {
    /// Only signing in to the CRM again helps.
    #[error("your CRM sign-in has expired or was revoked; sign in to the CRM again")]
    SignInExpired,
    /// The org's daily allowance of API calls is spent.
    #[error("the CRM's daily allowance of API calls is spent ({message})")]
    BudgetSpent { message: String },
    /// Too many long calls at once; try again after the delay, when given.
    #[error("the CRM asks to slow down ({message})")]
    Throttled {
        retry_after: Option<Duration>,
        message: String,
    },
    /// Held back to keep the reserve of the daily allowance.
    #[error("held back to keep {reserve_percent}% of the CRM's daily API allowance in reserve")]
    ReserveKept { reserve_percent: u8 },
    /// Busy (a record lock, a server error, the network): try again later.
    #[error("the CRM is busy or unreachable: {message}")]
    Transient { message: String },
    /// The user may not change this record.
    #[error("you may not change this record in the CRM ({message})")]
    NoEditAccess { message: String },
    /// The user may not use a record it refers to (its owner's calendar, a linked record).
    #[error("you may not use a record this one refers to ({message})")]
    NoAccessToRelated { message: String },
    #[error("the record was deleted in the CRM")]
    Deleted,
    /// Not there, or not shared with the user: the CRM does not tell them apart.
    #[error("the record is not in the CRM or not shared with you")]
    NotFound,
    /// An org validation rule refused it; its message is for the user.
    #[error("the CRM refused it: {message}")]
    Rejected {
        message: String,
        fields: Vec<String>,
    },
    /// It breaks a rule of the data itself (e.g. too long for an event).
    #[error("the CRM cannot keep it: {message}")]
    Invalid {
        message: String,
        fields: Vec<String>,
    },
    #[error("the CRM answered {code}: {message}")]
    Other { code: String, message: String },
}

impl CrmError {
    /// Whether the same call may succeed later without anything changing on either side.
    pub fn is_retryable(&self) -> bool {
        match self {
            CrmError::Throttled { .. } | CrmError::Transient { .. } => true,
            CrmError::SignInExpired
            | CrmError::BudgetSpent { .. }
            | CrmError::ReserveKept { .. }
            | CrmError::NoEditAccess { .. }
            | CrmError::NoAccessToRelated { .. }
            | CrmError::Deleted
            | CrmError::NotFound
            | CrmError::Rejected { .. }
            | CrmError::Invalid { .. }
            | CrmError::Other { .. } => false,
        }
    }
}

/// One item's outcome in a batch.
pub type ItemResult<T> = Result<T, CrmError>;

/// A CRM, as the signed-in CRM user sees it. Every future is `Send`.
pub trait Crm: Send + Sync {
    /// Who is signed in, and in which org.
    fn me(&self) -> impl Future<Output = Result<CrmIdentity, CrmError>> + Send;

    /// The active CRM user with this e-mail address (a calendar owner's), if any.
    fn find_user(
        &self,
        email: &str,
    ) -> impl Future<Output = Result<Option<CrmUser>, CrmError>> + Send;

    /// Events by id; a missing one is `Err(NotFound)` or `Err(Deleted)` in its place.
    fn read_events(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<Vec<ItemResult<CrmEvent>>, CrmError>> + Send;

    /// Create events; each result is the new id. An event carrying an external id that an
    /// event already has is not created a second time: that event is updated and its id
    /// returned, so two apps sharing the same item at once make one event.
    fn create_events(
        &self,
        events: &[CrmEvent],
    ) -> impl Future<Output = Result<Vec<ItemResult<String>>, CrmError>> + Send;

    /// Update events (each has its id).
    fn update_events(
        &self,
        events: &[CrmEvent],
    ) -> impl Future<Output = Result<Vec<ItemResult<()>>, CrmError>> + Send;

    /// Delete events.
    fn delete_events(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<Vec<ItemResult<()>>, CrmError>> + Send;

    /// The events carrying these Exchange item ids as their external id (made for those
    /// items), deleted ones left out.
    fn events_for_items(
        &self,
        item_ids: &[String],
    ) -> impl Future<Output = Result<Vec<CrmEvent>, CrmError>> + Send;

    /// Whether events keep the id of the Exchange item they were made for (in an external-id
    /// field the CRM's Onbehalf package adds). Without it, events are created without the id,
    /// `events_for_items` finds nothing, and links live on the Exchange items only.
    fn keeps_item_ids(&self) -> impl Future<Output = Result<bool, CrmError>> + Send;

    /// Events on `owner_id`'s calendar that `creator_id` created at or after `since`, oldest
    /// first (at most a few thousand): where events keep no item id, an event whose creation
    /// was sent but not answered is found among them.
    fn made_since(
        &self,
        owner_id: &str,
        creator_id: &str,
        since: DateTime<Utc>,
    ) -> impl Future<Output = Result<Vec<CrmEvent>, CrmError>> + Send;

    /// Events changed or deleted since `cursor` (`None`: start from now).
    fn changes_since(
        &self,
        cursor: Option<DateTime<Utc>>,
    ) -> impl Future<Output = Result<Changes, CrmError>> + Send;

    /// Up to `limit` ids of events on `owner_id`'s calendar that the signed-in user can see,
    /// newest first, to check what the user may do with that owner's events.
    fn events_of(
        &self,
        owner_id: &str,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<String>, CrmError>> + Send;

    /// What `user_id` may do with each event, in the order asked.
    fn access(
        &self,
        user_id: &str,
        event_ids: &[String],
    ) -> impl Future<Output = Result<Vec<(String, EventAccess)>, CrmError>> + Send;

    /// Records of every linkable kind matching a few typed letters.
    fn search(&self, text: &str) -> impl Future<Output = Result<Vec<CrmRecord>, CrmError>> + Send;

    /// The contacts and leads with these e-mail addresses.
    fn match_addresses(
        &self,
        addresses: &[String],
    ) -> impl Future<Output = Result<Vec<CrmRecord>, CrmError>> + Send;

    /// The records with these ids (to name what an event is linked to).
    fn records(
        &self,
        ids: &[String],
    ) -> impl Future<Output = Result<Vec<CrmRecord>, CrmError>> + Send;

    /// The API allowance left.
    fn budget(&self) -> impl Future<Output = Result<ApiBudget, CrmError>> + Send;

    /// The API names of the CRM-side profiles an administrator assigned to the CRM user
    /// `user_id` (in Salesforce, the permission sets assigned to the user, without the one
    /// each user's profile brings), sorted, each once.
    fn profile_names(
        &self,
        user_id: &str,
    ) -> impl Future<Output = Result<Vec<String>, CrmError>> + Send;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reserve_is_a_share_of_the_maximum() {
        let b = ApiBudget {
            remaining: 10_001,
            max: 100_000,
        };
        assert!(b.above_reserve(0.10));
        let b = ApiBudget {
            remaining: 10_000,
            max: 100_000,
        };
        assert!(!b.above_reserve(0.10));
        assert!(b.above_reserve(0.0));
    }
}
