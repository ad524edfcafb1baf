//! The Exchange side of sync: the `ItemSource` port. The graph crate implements it over HTTP;
//! the simulation implements it in memory with the same semantics.
//!
//! Nothing written through this port mails anyone: marks (categories and Onbehalf's extended
//! properties) never do, fields are changed only on items without attendees, and new items are
//! appointments without attendees.

use std::future::Future;

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::ports::SourceError;
use crate::sync::marks::Marks;
use crate::sync::model::{ExItem, Fields, ItemKey};

/// The time span sync looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub from: DateTime<Utc>,
    pub to: DateTime<Utc>,
}

/// What changed in the user's own calendar since a cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemChanges {
    /// Items added or changed (all items in the window when there was no cursor).
    pub changed: Vec<ExItem>,
    /// Ids of items deleted (or cancelled occurrences): proof of removal.
    pub removed: Vec<String>,
    /// Where to continue next time.
    pub cursor: String,
}

/// One calendar's versions, for a cheap poll.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Versions {
    /// (item id, changeKey) of every item in the window the user can see.
    pub items: Vec<(String, String)>,
}

impl Versions {
    /// A short fingerprint of the calendar: equal fingerprints mean no item was added, changed
    /// or removed in the window.
    pub fn fingerprint(&self) -> String {
        let mut items: Vec<&(String, String)> = self.items.iter().collect();
        items.sort();
        let mut hash = Sha256::new();
        for (id, version) in items {
            hash.update(id.as_bytes());
            hash.update([0]);
            hash.update(version.as_bytes());
            hash.update([0]);
        }
        hex::encode(&hash.finalize()[..16])
    }
}

/// What one poll found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Poll {
    /// The user's own calendar's changes since the cursor, when asked.
    pub own: Option<Result<ItemChanges, SourceError>>,
    /// The owners' versions, one per owner, in the order asked.
    pub owners: Vec<Result<Versions, SourceError>>,
}

/// One change of marks, made only while the item is still at `version`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkWrite {
    pub key: ItemKey,
    pub version: String,
    pub marks: Marks,
}

/// Exchange calendar items, as the signed-in user may read and write them.
pub trait ItemSource: Send + Sync {
    /// Every item of `owner`'s default calendar in the window (occurrences expanded), with
    /// Onbehalf's marks. Private items the user may not see are left out.
    fn items(
        &self,
        owner: &str,
        window: Window,
    ) -> impl Future<Output = Result<Vec<ExItem>, SourceError>> + Send;

    /// What changed in the user's own default calendar since `cursor` (`None`: everything in
    /// the window, and a first cursor). A cursor Exchange no longer knows is
    /// `SourceError::Other` with code `SyncStateNotFound`; start again without one.
    fn own_changes(
        &self,
        window: Window,
        cursor: Option<&str>,
    ) -> impl Future<Output = Result<ItemChanges, SourceError>> + Send;

    /// The versions of the items of several owners' calendars in the window, in one round trip
    /// where the service allows it; one result per owner, in the order asked.
    fn versions(
        &self,
        owners: &[String],
        window: Window,
    ) -> impl Future<Output = Result<Vec<Result<Versions, SourceError>>, SourceError>> + Send;

    /// The user's own calendar's changes since `own` (`Some(cursor)`; not read when `None`)
    /// and the versions of `owners`' calendars, in as few round trips as the service allows:
    /// a poll that finds nothing new should cost one. By default, `own_changes` then
    /// `versions`.
    fn poll(
        &self,
        own: Option<&str>,
        owners: &[String],
        window: Window,
    ) -> impl Future<Output = Result<Poll, SourceError>> + Send {
        async move {
            let own = match own {
                Some(cursor) => Some(self.own_changes(window, Some(cursor)).await),
                None => None,
            };
            let owners = match owners.is_empty() {
                true => Vec::new(),
                false => self.versions(owners, window).await?,
            };
            Ok(Poll { own, owners })
        }
    }

    /// One item, or `None` when it is gone (or not visible to the user).
    fn item(
        &self,
        key: &ItemKey,
    ) -> impl Future<Output = Result<Option<ExItem>, SourceError>> + Send;

    /// Change Onbehalf's marks on an item that is still at `version`; a newer version is
    /// `SourceError::Conflict`. Returns the new version.
    fn write_marks(
        &self,
        key: &ItemKey,
        version: &str,
        marks: &Marks,
    ) -> impl Future<Output = Result<String, SourceError>> + Send;

    /// Change the marks of several items, each only while still at its version, in as few
    /// round trips as the service allows: one result per write (the new version, or why it
    /// was not made), in the order given. By default, one write after the other.
    fn write_marks_many(
        &self,
        writes: &[MarkWrite],
    ) -> impl Future<Output = Result<Vec<Result<String, SourceError>>, SourceError>> + Send {
        async move {
            let mut out = Vec::with_capacity(writes.len());
            for w in writes {
                out.push(self.write_marks(&w.key, &w.version, &w.marks).await);
            }
            Ok(out)
        }
    }

    /// Change an item's fields, only while it is at `version`. Never called for an item with
    /// attendees. Returns the new version.
    fn write_fields(
        &self,
        key: &ItemKey,
        version: &str,
        fields: &Fields,
    ) -> impl Future<Output = Result<String, SourceError>> + Send;

    /// Create an appointment (no attendees) in the user's own default calendar, with marks.
    fn create_item(
        &self,
        fields: &Fields,
        is_private: bool,
        marks: &Marks,
    ) -> impl Future<Output = Result<ExItem, SourceError>> + Send;

    /// Make sure the user's own master category list has `name` (with a blue colour when it is
    /// created).
    fn ensure_category(&self, name: &str) -> impl Future<Output = Result<(), SourceError>> + Send;
}
