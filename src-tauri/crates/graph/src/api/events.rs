//! Events of one calendar: listing, the expanded calendar view of a window, and single items.

use chrono::{DateTime, SecondsFormat, Utc};
use reqwest::Method;
use serde::Serialize;
use serde_json::Value;

use super::calendars::top_query;
use super::{expand_property, CalendarTarget};
use crate::client::{to_body, GraphPath, Pager};
use crate::models::Event;
use crate::{GraphClient, GraphError};

/// OData options of an event listing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EventQuery {
    /// Page size (`$top`).
    pub top: Option<u32>,
    /// Properties to return (`$select`); empty for Graph's default set.
    pub select: Vec<String>,
    /// A single-value extended property to return with each event.
    pub expand_property: Option<String>,
    /// An OData `$filter`, written by the caller.
    pub filter: Option<String>,
}

impl EventQuery {
    fn pairs(&self) -> Vec<(&'static str, String)> {
        let mut q = top_query(self.top);
        if !self.select.is_empty() {
            q.push(("$select", self.select.join(",")));
        }
        if let Some(id) = &self.expand_property {
            q.push(("$expand", expand_property(id)));
        }
        if let Some(f) = &self.filter {
            q.push(("$filter", f.clone()));
        }
        q
    }
}

pub struct EventsApi<'a> {
    client: &'a GraphClient,
    target: CalendarTarget,
}

impl<'a> EventsApi<'a> {
    pub(crate) fn new(client: &'a GraphClient, target: CalendarTarget) -> Self {
        EventsApi { client, target }
    }

    /// Single items are addressed in their mailbox, whichever calendar holds them.
    fn item(&self, id: &str) -> GraphPath {
        self.target.mailbox.path().lit("events").id(id)
    }

    /// `GET …/events`: single items and series masters.
    pub fn list(&self, query: &EventQuery) -> Pager<Event> {
        let path = self.target.path().lit("events");
        let req = self
            .client
            .request("list events", Method::GET, &path, &query.pairs());
        Pager::new(self.client.clone(), req)
    }

    /// `GET …/calendarView?startDateTime&endDateTime`: occurrences and exceptions expanded.
    pub fn calendar_view(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        query: &EventQuery,
    ) -> Pager<Event> {
        let path = self.target.path().lit("calendarView");
        let mut pairs = vec![
            (
                "startDateTime",
                start.to_rfc3339_opts(SecondsFormat::Secs, true),
            ),
            (
                "endDateTime",
                end.to_rfc3339_opts(SecondsFormat::Secs, true),
            ),
        ];
        pairs.extend(query.pairs());
        let req = self
            .client
            .request("read the calendar view", Method::GET, &path, &pairs);
        Pager::new(self.client.clone(), req)
    }

    /// `GET /{mailbox}/events/{id}`
    pub async fn get(
        &self,
        id: &str,
        expand_property_id: Option<&str>,
    ) -> Result<Event, GraphError> {
        let query: Vec<(&str, String)> = expand_property_id
            .map(|p| vec![("$expand", expand_property(p))])
            .unwrap_or_default();
        let req = self
            .client
            .request("read an event", Method::GET, &self.item(id), &query);
        self.client.send_json(&req).await
    }

    /// `POST …/events`, e.g. a [`NewEvent`](crate::models::NewEvent). A body with a
    /// `transactionId` may be sent again after a timeout or a 504: Graph documents that it
    /// then does not create the event twice (event resource, user-post-events). Without one,
    /// a create that may have reached Graph is never repeated.
    pub async fn create<B: Serialize + ?Sized>(&self, event: &B) -> Result<Event, GraphError> {
        const OPERATION: &str = "create an event";
        let body = to_body(OPERATION, event)?;
        let has_transaction_id = body
            .get("transactionId")
            .and_then(Value::as_str)
            .is_some_and(|t| !t.trim().is_empty());
        let mut req = self
            .client
            .request(
                OPERATION,
                Method::POST,
                &self.target.path().lit("events"),
                &[],
            )
            .with_body(body);
        if has_transaction_id {
            req = req.repeatable();
        }
        self.client.send_json(&req).await
    }

    /// `PATCH /{mailbox}/events/{id}` with the changed properties only.
    pub async fn update<B: Serialize + ?Sized>(
        &self,
        id: &str,
        changes: &B,
    ) -> Result<Event, GraphError> {
        const OPERATION: &str = "update an event";
        let req = self
            .client
            .request(OPERATION, Method::PATCH, &self.item(id), &[])
            .with_body(to_body(OPERATION, changes)?);
        self.client.send_json(&req).await
    }

    /// `DELETE /{mailbox}/events/{id}`
    pub async fn delete(&self, id: &str) -> Result<(), GraphError> {
        let req = self
            .client
            .request("delete an event", Method::DELETE, &self.item(id), &[]);
        self.client.send_empty(&req).await
    }
}
