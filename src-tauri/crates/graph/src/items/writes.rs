//! Writing items: Onbehalf's marks and an item's fields (both with `If-Match` on the version
//! they were decided on), a new appointment in the user's own calendar, and the CRM category
//! in the user's own master list.

use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::Marks;
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey};
use reqwest::Method;
use serde_json::Value;

use super::bodies::{create_body, fields_body, marks_body, ALL_DAY_ZONE};
use super::map::to_item;
use super::query::{item_query, mailbox, PREFER};
use super::{GraphItems, CATEGORY_COLOR};
use crate::client::GraphPath;
use crate::models::Event;
use crate::{codes, source_error, GraphError};

/// The code of a refused change to a meeting's fields: changing them would mail its attendees.
pub const MEETING_NOT_CHANGED: &str = "MeetingNotChanged";

pub(super) fn no_version(id: &str) -> SourceError {
    SourceError::Other {
        code: "InvalidResponse".to_string(),
        message: format!("Microsoft Graph answered a write to {id} without a change key"),
    }
}

/// Line endings and trailing space are not a change of a body.
fn same_text(a: Option<&str>, b: Option<&str>) -> bool {
    let norm = |s: Option<&str>| {
        s.unwrap_or("")
            .replace("\r\n", "\n")
            .lines()
            .map(str::trim_end)
            .collect::<Vec<_>>()
            .join("\n")
            .trim()
            .to_string()
    };
    norm(a) == norm(b)
}

impl GraphItems {
    /// `PATCH …/events/{id}` with `If-Match: W/"{version}"`; the new change key.
    async fn patch(
        &self,
        operation: &'static str,
        key: &ItemKey,
        version: &str,
        body: Value,
    ) -> Result<String, SourceError> {
        let path = mailbox(&key.owner, &self.me).lit("events").id(&key.id);
        let req = self
            .client
            .request(operation, Method::PATCH, &path, &[])
            .with_header("If-Match", format!("W/\"{version}\""))
            .with_header("Prefer", PREFER)
            .with_body(body);
        let event: Event = self.client.send_json(&req).await.map_err(source_error)?;
        event
            .version()
            .map(str::to_string)
            .ok_or_else(|| no_version(&key.id))
    }

    #[tracing::instrument(skip_all, err)]
    pub(super) async fn patch_marks(
        &self,
        key: &ItemKey,
        version: &str,
        marks: &Marks,
    ) -> Result<String, SourceError> {
        match marks_body(marks)? {
            Some(body) => self.patch("mark an item", key, version, body).await,
            None => Ok(version.to_string()),
        }
    }

    /// Read the item first: a meeting is refused (changing it would mail its attendees), a
    /// newer version is a conflict, and only the fields that differ are written, so what
    /// Outlook keeps beyond them (an HTML body, a tentative status) stays when they did not
    /// change.
    #[tracing::instrument(skip_all, err)]
    pub(super) async fn patch_fields(
        &self,
        key: &ItemKey,
        version: &str,
        fields: &Fields,
    ) -> Result<String, SourceError> {
        let path = mailbox(&key.owner, &self.me).lit("events").id(&key.id);
        let req = self.read("read an item before changing it", &path, &item_query());
        let event: Event = self.client.send_json(&req).await.map_err(source_error)?;
        let zone = event
            .original_start_time_zone
            .clone()
            .filter(|z| !z.is_empty() && !z.starts_with("tzone://"))
            .unwrap_or_else(|| ALL_DAY_ZONE.to_string());
        let current = to_item(&key.owner, event)?;
        if current.is_meeting() {
            return Err(SourceError::Other {
                code: MEETING_NOT_CHANGED.to_string(),
                message: "this item is a meeting; changing it would send an update to its attendees, so Onbehalf does not".to_string(),
            });
        }
        if current.version != version {
            return Err(SourceError::Conflict {
                code: codes::IRRESOLVABLE_CONFLICT.to_string(),
                message: "the item changed since the version the change was decided on".to_string(),
            });
        }
        let mut body = fields_body(fields, &zone);
        let now = &current.fields;
        if now.subject == fields.subject {
            body.remove("subject");
        }
        if same_text(now.body.as_deref(), fields.body.as_deref()) {
            body.remove("body");
        }
        if now.location.as_deref().unwrap_or("").trim()
            == fields.location.as_deref().unwrap_or("").trim()
        {
            body.remove("location");
        }
        if now.time == fields.time {
            for k in ["start", "end", "isAllDay"] {
                body.remove(k);
            }
        }
        if now.show_as_busy == fields.show_as_busy {
            body.remove("showAs");
        }
        if body.is_empty() {
            return Ok(current.version);
        }
        self.patch("change an item", key, version, Value::Object(body))
            .await
    }

    /// `POST /me/calendar/events`: an appointment without attendees, stamped as created by
    /// the user, with its marks.
    #[tracing::instrument(skip_all, err)]
    pub(super) async fn post_item(
        &self,
        fields: &Fields,
        is_private: bool,
        marks: &Marks,
    ) -> Result<ExItem, SourceError> {
        let body = create_body(fields, is_private, marks, &self.me)?;
        let path = GraphPath::new().lit("me").lit("calendar").lit("events");
        let req = self
            .client
            .request("create an item", Method::POST, &path, &[])
            .with_header("Prefer", PREFER)
            .with_body(body);
        let event: Event = self.client.send_json(&req).await.map_err(source_error)?;
        let mut item = to_item(&self.me, event)?;
        // The answer does not repeat extended properties; they are what was written.
        item.link = marks.link.clone().flatten();
        item.pending = marks.pending.clone().flatten();
        item.creator = Some(self.me.clone());
        Ok(item)
    }

    /// The category in the user's own master list, created blue when missing.
    #[tracing::instrument(skip_all, err)]
    pub(super) async fn ensure_master_category(&self, name: &str) -> Result<(), SourceError> {
        let name = name.trim();
        let list = self
            .client
            .categories()
            .list()
            .all()
            .await
            .map_err(source_error)?;
        if list
            .iter()
            .any(|c| c.display_name.trim().eq_ignore_ascii_case(name))
        {
            return Ok(());
        }
        match self.client.categories().create(name, CATEGORY_COLOR).await {
            Ok(_) => Ok(()),
            // Made in the meantime (by another of the user's devices).
            Err(GraphError::Api { status: 409, .. }) => Ok(()),
            Err(e) => Err(source_error(e)),
        }
    }
}
