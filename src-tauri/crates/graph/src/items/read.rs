//! Reading items: an owner's calendar view in the window (every page) and one item by id,
//! leaving out private items the user may not see.

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::port::Window;
use reqwest::Method;

use super::map::to_item;
use super::query::{self, item_query, mailbox, window_query, PAGE, PREFER};
use super::GraphItems;
use crate::client::{GraphPath, Pager, Request};
use crate::models::{Calendar, Event};
use crate::{source_error, GraphError};

impl GraphItems {
    /// A read below the Graph root with the item preferences (UTC, text, immutable ids).
    pub(super) fn read(
        &self,
        operation: &'static str,
        path: &GraphPath,
        query: &[(&str, String)],
    ) -> Request {
        self.client
            .request(operation, Method::GET, path, query)
            .with_header("Prefer", PREFER)
    }

    /// Every item of `owner`'s default calendar in the window, occurrences expanded.
    #[tracing::instrument(skip_all, err)]
    pub(super) async fn list_items(
        &self,
        owner: &str,
        window: Window,
    ) -> Result<Vec<ExItem>, SourceError> {
        let mut q = window_query(window);
        q.extend(item_query());
        q.push(("$top", PAGE.to_string()));
        let path = mailbox(owner, &self.me).lit("calendar").lit("calendarView");
        let req = self.read("read the calendar view", &path, &q);
        let events: Vec<Event> = Pager::new(self.client.clone(), req)
            .all()
            .await
            .map_err(source_error)?;
        let events = self.keep_visible(owner, events).await?;
        events.into_iter().map(|e| to_item(owner, e)).collect()
    }

    /// One item; `None` when it is gone or the user may not see it.
    #[tracing::instrument(skip_all, err)]
    pub(super) async fn read_item(&self, key: &ItemKey) -> Result<Option<ExItem>, SourceError> {
        let path = mailbox(&key.owner, &self.me).lit("events").id(&key.id);
        let req = self.read("read an item", &path, &item_query());
        let event: Event = match self.client.send_json(&req).await {
            Ok(e) => e,
            Err(GraphError::Api { status: 404, .. }) => return Ok(None),
            Err(e) => return Err(source_error(e)),
        };
        let mut visible = self.keep_visible(&key.owner, vec![event]).await?;
        visible.pop().map(|e| to_item(&key.owner, e)).transpose()
    }

    /// Leave out `owner`'s private items unless the user may see them: a delegate without
    /// private access is shown them only as busy blocks.
    pub(super) async fn keep_visible(
        &self,
        owner: &str,
        events: Vec<Event>,
    ) -> Result<Vec<Event>, SourceError> {
        if self.is_me(owner) || !events.iter().any(Event::is_private) {
            return Ok(events);
        }
        if self.private_visible(owner).await? {
            return Ok(events);
        }
        Ok(events.into_iter().filter(|e| !e.is_private()).collect())
    }

    /// Whether the user sees `owner`'s private items, asked once (`canViewPrivateItems`).
    pub(super) async fn private_visible(&self, owner: &str) -> Result<bool, SourceError> {
        if let Some(known) = self.known_private_access(owner) {
            return Ok(known);
        }
        let path = query::mailbox(owner, &self.me).lit("calendar");
        let req = self.read(
            "read a calendar",
            &path,
            &[("$select", "canViewPrivateItems".to_string())],
        );
        let calendar: Calendar = self.client.send_json(&req).await.map_err(source_error)?;
        self.remember_private_access(owner, calendar.can_view_private_items);
        Ok(calendar.can_view_private_items)
    }

    pub(super) fn known_private_access(&self, owner: &str) -> Option<bool> {
        let known = self
            .private_access
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        known.get(&owner.trim().to_lowercase()).copied()
    }

    pub(super) fn remember_private_access(&self, owner: &str, visible: bool) {
        self.private_access
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .insert(owner.trim().to_lowercase(), visible);
    }
}
