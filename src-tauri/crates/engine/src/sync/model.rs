//! Calendar items as sync sees them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::crm::EventTime;
use crate::sync::hash::Field;
use crate::sync::marks::{Link, PendingShare};

/// Which calendar an item is in: the user's own default calendar, or an owner's default
/// calendar read through the owner's mailbox (so its item ids are the owner's, the same for
/// the owner's app and every delegate's).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Mailbox {
    Mine,
    Owner(String),
}

/// An item's identity: its mailbox and its immutable id there.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ItemKey {
    /// The owner's address (lowercase), the user's own included.
    pub owner: String,
    /// Graph's immutable id in the owner's mailbox.
    pub id: String,
}

/// The fields that travel between Exchange and the CRM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fields {
    pub subject: String,
    pub location: Option<String>,
    /// Plain text.
    pub body: Option<String>,
    pub time: EventTime,
    pub show_as_busy: bool,
}

impl Fields {
    /// One field's value as a person reads it: a time as its RFC 3339 start and end in UTC
    /// (an all-day item as its first and last day), busy or free for the busy state.
    pub fn value(&self, field: Field) -> String {
        match field {
            Field::Subject => self.subject.clone(),
            Field::Location => self.location.clone().unwrap_or_default(),
            Field::Body => self.body.clone().unwrap_or_default(),
            Field::Time => match self.time {
                EventTime::Timed { start, end } => {
                    format!("{} – {}", start.to_rfc3339(), end.to_rfc3339())
                }
                EventTime::AllDay { first, last } => format!("{first} – {last}"),
            },
            Field::ShowAs => if self.show_as_busy { "busy" } else { "free" }.to_string(),
        }
    }
}

/// Where an item stands in a recurring series.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Recurrence {
    Single,
    /// One occurrence of a series, as the series makes it (or changed: an exception).
    Occurrence {
        series_id: String,
        original_start: DateTime<Utc>,
        exception: bool,
    },
}

/// An Exchange calendar item with what Onbehalf needs of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExItem {
    pub key: ItemKey,
    /// Graph's `changeKey`: changes with every change to the item, Onbehalf's marks included.
    pub version: String,
    pub fields: Fields,
    pub categories: Vec<String>,
    pub is_private: bool,
    /// Attendees' addresses (the organizer excluded).
    pub attendees: Vec<String>,
    pub organizer: Option<String>,
    pub recurrence: Recurrence,
    pub cancelled: bool,
    /// Onbehalf's link to the CRM event, when shared.
    pub link: Option<Link>,
    /// A share asked for and not yet done.
    pub pending: Option<PendingShare>,
    /// Who created it, when Onbehalf's stamp or Exchange says.
    pub creator: Option<String>,
    /// Opens the item in Outlook on the web.
    pub web_link: Option<String>,
}

impl ExItem {
    /// A meeting: changing it in Exchange would mail its attendees.
    pub fn is_meeting(&self) -> bool {
        !self.attendees.is_empty()
    }
}
