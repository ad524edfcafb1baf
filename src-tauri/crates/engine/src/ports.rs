//! The engine's view of Exchange: the `CalendarSource` port and the plain data it returns.
//! The graph crate implements it over HTTP; tests implement it in memory.

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
}

/// What one event in the owner's calendar showed to the signed-in user, used to infer the
/// read level when no published record says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventSample {
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
    #[error("not found or not shared with you ({code})")]
    NotFound { code: String },
    #[error("access denied ({code})")]
    AccessDenied { code: String },
    #[error("your Microsoft 365 sign-in has expired; sign in again")]
    SignInExpired,
    #[error("Microsoft 365 is busy or unreachable: {message}")]
    Transient { message: String },
    #[error("Microsoft 365 refused the request: {code}: {message}")]
    Other { code: String, message: String },
}

impl SourceError {
    pub fn is_retryable(&self) -> bool {
        matches!(self, SourceError::Transient { .. })
    }
}

/// Exchange, as seen by the signed-in user.
#[allow(async_fn_in_trait)]
pub trait CalendarSource {
    /// `GET /me` plus the tenant id of the token.
    async fn me(&self) -> Result<Me, SourceError>;

    /// `GET /me/calendars`, every page: the user's own calendars and the shared or delegated
    /// calendars they added.
    async fn my_calendars(&self) -> Result<Vec<CalendarInfo>, SourceError>;

    /// `GET /users/{owner}/calendar`: probe the owner's default calendar.
    async fn owner_calendar(&self, owner: &str) -> Result<CalendarInfo, SourceError>;

    /// The raw value of Onbehalf's status record on the owner's default calendar, if any.
    async fn owner_status_record(&self, owner: &str) -> Result<Option<String>, SourceError>;

    /// Read a few events of one calendar in a window around now (−14..+14 days), to see how
    /// much of each item the user is shown.
    async fn probe_details(&self, calendar: &CalendarRef) -> Result<DetailProbe, SourceError>;

    /// `GET /me/calendar/calendarPermissions`.
    async fn my_calendar_permissions(&self) -> Result<Vec<Grant>, SourceError>;

    /// Write Onbehalf's status record on the user's own default calendar.
    async fn publish_status_record(&self, value: &str) -> Result<(), SourceError>;
}
