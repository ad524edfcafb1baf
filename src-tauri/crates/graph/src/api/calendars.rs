//! Calendars and calendar groups.

use reqwest::Method;
use serde_json::json;

use super::{expand_property, CalendarTarget};
use crate::client::{to_body, GraphPath, Pager};
use crate::models::{Calendar, CalendarGroup, SingleValueExtendedProperty};
use crate::{GraphClient, GraphError};

pub struct CalendarsApi<'a> {
    client: &'a GraphClient,
}

impl<'a> CalendarsApi<'a> {
    pub(crate) fn new(client: &'a GraphClient) -> Self {
        CalendarsApi { client }
    }

    /// `GET /me/calendars`: the user's own calendars and those shared with or delegated to
    /// them that they added. `top` sets the page size.
    pub fn list_mine(&self, top: Option<u32>) -> Pager<Calendar> {
        let path = GraphPath::new().lit("me").lit("calendars");
        let req = self
            .client
            .request("list your calendars", Method::GET, &path, &top_query(top));
        Pager::new(self.client.clone(), req)
    }

    /// `GET /me/calendarGroups`
    pub fn list_groups(&self) -> Pager<CalendarGroup> {
        let path = GraphPath::new().lit("me").lit("calendarGroups");
        let req = self
            .client
            .request("list your calendar groups", Method::GET, &path, &[]);
        Pager::new(self.client.clone(), req)
    }

    /// `GET` one calendar, e.g. `/users/{owner}/calendar` to probe an owner's default
    /// calendar; with `expand_property`, that single-value extended property comes along.
    pub async fn get(
        &self,
        target: &CalendarTarget,
        expand_property_id: Option<&str>,
    ) -> Result<Calendar, GraphError> {
        let query: Vec<(&str, String)> = expand_property_id
            .map(|id| vec![("$expand", expand_property(id))])
            .unwrap_or_default();
        let req = self
            .client
            .request("read a calendar", Method::GET, &target.path(), &query);
        self.client.send_json(&req).await
    }

    /// `PATCH /me/calendar` with `singleValueExtendedProperties`: create or replace those
    /// properties on the user's own default calendar.
    pub async fn patch_my_default_properties(
        &self,
        properties: &[SingleValueExtendedProperty],
    ) -> Result<(), GraphError> {
        const OPERATION: &str = "update your calendar's properties";
        let body = json!({ "singleValueExtendedProperties": to_body(OPERATION, properties)? });
        let req = self
            .client
            .request(
                OPERATION,
                Method::PATCH,
                &CalendarTarget::my_default().path(),
                &[],
            )
            .with_body(body);
        self.client.send_empty(&req).await
    }
}

pub(crate) fn top_query(top: Option<u32>) -> Vec<(&'static str, String)> {
    top.map(|t| vec![("$top", t.to_string())])
        .unwrap_or_default()
}
