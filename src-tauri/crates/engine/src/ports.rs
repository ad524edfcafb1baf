//! The engine's view of Exchange: the `CalendarSource` port and the plain data it returns.
//! The graph crate implements it over HTTP; tests implement it in memory.

use std::future::Future;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::permission::GraphRole;

/// The signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Me {
    /// Directory object id (`oid`).
    pub id: String,
    pub display_name: String,
    /// Primary SMTP address (or UPN when the user has no mailbox address).
    pub address: String,
    /// Tenant id (`tid`).
    pub tenant_id: String,
}

/// An email address as Graph gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Person {
    pub name: String,
    pub address: String,
}

/// A Microsoft 365 group or security group the signed-in user belongs to, directly or through
/// groups nested in it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Group {
    /// Directory object id: what tells groups apart (names need not be unique, and change).
    pub id: String,
    /// Empty when the directory withholds it: with only the permission to read the user's own
    /// profile, Graph lists each group by id alone.
    pub display_name: String,
    /// The group's e-mail address, for a mail-enabled group.
    pub mail: Option<String>,
}

/// One calendar as Graph describes it to the signed-in user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarInfo {
    /// Opaque id, valid only in the mailbox it was read from.
    pub id: String,
    pub name: String,
    pub owner: Option<Person>,
    pub can_edit: bool,
    pub can_share: bool,
    pub can_view_private_items: bool,
    pub is_default_calendar: bool,
    pub is_removable: bool,
}

/// One grant from the signed-in user's own `calendarPermissions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grant {
    /// Grantee address; `None` for "My Organization".
    pub address: Option<String>,
    pub role: GraphRole,
    pub is_inside_organization: bool,
    /// Exchange "Send on Behalf" on the owner's mailbox. Graph does not list it, so it is known
    /// only where a delegate role implies it (Outlook grants it with the delegate role) or where
    /// the publisher was told.
    #[serde(default)]
    pub send_on_behalf: bool,
}

/// What one event in the owner's calendar showed to the signed-in user, used to infer the
/// read level when no published record says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSample {
    /// `iCalUId`: the same for one item in every mailbox that shows it, so two views of one
    /// calendar can be recognised as the same folder.
    #[serde(default)]
    pub ical_uid: Option<String>,
    pub has_subject: bool,
    pub has_body: bool,
    pub has_attendees: bool,
    pub is_private: bool,
}

/// Which calendar to read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum CalendarRef {
    /// `/users/{owner}/calendar`: the owner's default calendar, in the owner's mailbox.
    OwnerDefault(String),
    /// `/me/calendars/{id}`: a calendar listed in the user's own mailbox (their own, or their
    /// local copy of one shared with them).
    Mine(String),
}

/// The result of reading a few of the owner's events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum DetailProbe {
    /// Listing events was refused: the user can only see free/busy.
    Refused,
    /// Events came back; their samples say how much of each was visible.
    Samples(Vec<EventSample>),
}

/// Why a call to Exchange failed, in the terms the engine branches on.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SourceError {
    /// The item or calendar does not exist, or is not shared with the user: Exchange does not
    /// tell the two apart.
    #[error("not found or not shared with you ({code})")]
    NotFound { code: String },
    /// The user has no right to do this.
    #[error("access denied ({code})")]
    AccessDenied { code: String },
    /// Only an interactive sign-in helps.
    #[error("your Microsoft 365 sign-in has expired; sign in again")]
    SignInExpired,
    /// Too many requests: try again after the delay, when the service gave one.
    #[error("Microsoft 365 asks to slow down ({message})")]
    Throttled {
        retry_after: Option<Duration>,
        message: String,
    },
    /// The item changed since it was read (a lost update): read it again before writing.
    #[error("the item was changed by someone else in the meantime ({code})")]
    Conflict { code: String, message: String },
    /// The service was unreachable, timed out or failed on its side.
    #[error("Microsoft 365 is busy or unreachable: {message}")]
    Transient { message: String },
    #[error("Microsoft 365 refused the request: {code}: {message}")]
    Other { code: String, message: String },
}

impl SourceError {
    /// Whether the same call may succeed later without anything changing on either side.
    pub fn is_retryable(&self) -> bool {
        match self {
            SourceError::Throttled { .. } | SourceError::Transient { .. } => true,
            SourceError::NotFound { .. }
            | SourceError::AccessDenied { .. }
            | SourceError::SignInExpired
            | SourceError::Conflict { .. }
            | SourceError::Other { .. } => false,
        }
    }
}

/// Exchange, as seen by the signed-in user. Every future is `Send`, so work over this port can
/// run on a spawned task.
pub trait CalendarSource: Send + Sync {
    /// `GET /me` plus the tenant id of the token.
    fn me(&self) -> impl Future<Output = Result<Me, SourceError>> + Send;

    /// `GET /me/calendars`, every page: the user's own calendars and the shared or delegated
    /// calendars they added.
    fn my_calendars(&self) -> impl Future<Output = Result<Vec<CalendarInfo>, SourceError>> + Send;

    /// `GET /users/{owner}/calendar`: probe the owner's default calendar.
    fn owner_calendar(
        &self,
        owner: &str,
    ) -> impl Future<Output = Result<CalendarInfo, SourceError>> + Send;

    /// The raw value of Onbehalf's status record on someone's default calendar (an owner's,
    /// a grantee's or the user's own), if any.
    fn owner_status_record(
        &self,
        owner: &str,
    ) -> impl Future<Output = Result<Option<String>, SourceError>> + Send;

    /// Read a few events of one calendar in a window around now (−14..+14 days), to see how
    /// much of each item the user is shown.
    fn probe_details(
        &self,
        calendar: &CalendarRef,
    ) -> impl Future<Output = Result<DetailProbe, SourceError>> + Send;

    /// `GET /me/calendar/calendarPermissions`.
    fn my_calendar_permissions(
        &self,
    ) -> impl Future<Output = Result<Vec<Grant>, SourceError>> + Send;

    /// Write Onbehalf's status record on the user's own default calendar.
    fn publish_status_record(
        &self,
        value: &str,
    ) -> impl Future<Output = Result<(), SourceError>> + Send;

    /// The Microsoft 365 and security groups the signed-in user belongs to, directly or
    /// through nested groups, each once.
    fn my_groups(&self) -> impl Future<Output = Result<Vec<Group>, SourceError>> + Send;
}
