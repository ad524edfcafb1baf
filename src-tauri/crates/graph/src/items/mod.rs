//! The engine's [`ItemSource`] port over Microsoft Graph: calendar items with Onbehalf's marks,
//! read from any owner's default calendar the user may read, and changes to the user's own
//! calendar tracked with a calendar view's delta query.
//!
//! Invariants: every read asks for times in UTC, bodies as text and immutable ids; every write
//! to an existing item carries `If-Match` with the version it was decided on, so a change made
//! in between is a conflict, never overwritten; nothing written here has attendees or changes
//! an item that has them, so nothing mails anyone.

mod bodies;
mod changes;
mod map;
mod poll;
mod query;
mod read;
mod versions;
mod write_batch;
mod writes;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::Marks;
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey};
use onbehalf_engine::sync::port::{ItemChanges, ItemSource, MarkWrite, Poll, Versions, Window};

use crate::GraphClient;

pub use writes::MEETING_NOT_CHANGED;

/// The colour of the category Onbehalf creates: `preset7`, blue in Outlook
/// (outlookcategory resource).
pub const CATEGORY_COLOR: &str = "preset7";

/// Calendar items through Graph, as the signed-in user may read and write them.
#[derive(Debug, Clone)]
pub struct GraphItems {
    client: GraphClient,
    /// The signed-in user's address, lowercase: their own calendar is reached through `/me`.
    me: String,
    /// Whether the user may see an owner's private items (the owner's calendar's
    /// `canViewPrivateItems`), once asked.
    private_access: Arc<Mutex<HashMap<String, bool>>>,
}

impl GraphItems {
    /// `my_address` is the signed-in user's primary address (`Me::address`).
    pub fn new(client: GraphClient, my_address: &str) -> Self {
        GraphItems {
            client,
            me: my_address.trim().to_lowercase(),
            private_access: Arc::new(Mutex::new(HashMap::new())),
        }
    }

    pub fn client(&self) -> &GraphClient {
        &self.client
    }

    fn is_me(&self, owner: &str) -> bool {
        owner.trim().eq_ignore_ascii_case(&self.me)
    }
}

impl ItemSource for GraphItems {
    async fn items(&self, owner: &str, window: Window) -> Result<Vec<ExItem>, SourceError> {
        self.list_items(owner, window).await
    }

    async fn own_changes(
        &self,
        window: Window,
        cursor: Option<&str>,
    ) -> Result<ItemChanges, SourceError> {
        self.changes(window, cursor).await
    }

    async fn versions(
        &self,
        owners: &[String],
        window: Window,
    ) -> Result<Vec<Result<Versions, SourceError>>, SourceError> {
        self.poll_versions(owners, window).await
    }

    async fn poll(
        &self,
        own: Option<&str>,
        owners: &[String],
        window: Window,
    ) -> Result<Poll, SourceError> {
        self.poll_all(own, owners, window).await
    }

    async fn item(&self, key: &ItemKey) -> Result<Option<ExItem>, SourceError> {
        self.read_item(key).await
    }

    async fn write_marks(
        &self,
        key: &ItemKey,
        version: &str,
        marks: &Marks,
    ) -> Result<String, SourceError> {
        self.patch_marks(key, version, marks).await
    }

    async fn write_marks_many(
        &self,
        writes: &[MarkWrite],
    ) -> Result<Vec<Result<String, SourceError>>, SourceError> {
        self.patch_marks_batch(writes).await
    }

    async fn write_fields(
        &self,
        key: &ItemKey,
        version: &str,
        fields: &Fields,
    ) -> Result<String, SourceError> {
        self.patch_fields(key, version, fields).await
    }

    async fn create_item(
        &self,
        fields: &Fields,
        is_private: bool,
        marks: &Marks,
    ) -> Result<ExItem, SourceError> {
        self.post_item(fields, is_private, marks).await
    }

    async fn ensure_category(&self, name: &str) -> Result<(), SourceError> {
        self.ensure_master_category(name).await
    }
}
