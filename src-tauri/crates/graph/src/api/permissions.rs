//! `calendarPermissions` of a calendar. Graph only lets the owner read or change them; a
//! delegate gets an empty list or a refusal.

use onbehalf_engine::permission::GraphRole;
use reqwest::Method;
use serde_json::json;

use super::CalendarTarget;
use crate::client::{to_body, GraphPath, Pager};
use crate::models::{CalendarPermission, NewCalendarPermission};
use crate::{GraphClient, GraphError};

pub struct PermissionsApi<'a> {
    client: &'a GraphClient,
    target: CalendarTarget,
}

impl<'a> PermissionsApi<'a> {
    pub(crate) fn new(client: &'a GraphClient, target: CalendarTarget) -> Self {
        PermissionsApi { client, target }
    }

    fn collection(&self) -> GraphPath {
        self.target.path().lit("calendarPermissions")
    }

    /// `GET …/calendarPermissions`
    pub fn list(&self) -> Pager<CalendarPermission> {
        let req = self.client.request(
            "list the calendar's permissions",
            Method::GET,
            &self.collection(),
            &[],
        );
        Pager::new(self.client.clone(), req)
    }

    /// `POST …/calendarPermissions`: share the calendar with someone.
    pub async fn create(
        &self,
        grant: &NewCalendarPermission,
    ) -> Result<CalendarPermission, GraphError> {
        const OPERATION: &str = "share the calendar";
        let req = self
            .client
            .request(OPERATION, Method::POST, &self.collection(), &[])
            .with_body(to_body(OPERATION, grant)?);
        self.client.send_json(&req).await
    }

    /// `PATCH …/calendarPermissions/{id}`: only the role can change.
    pub async fn update_role(
        &self,
        id: &str,
        role: GraphRole,
    ) -> Result<CalendarPermission, GraphError> {
        let req = self
            .client
            .request(
                "change a calendar permission",
                Method::PATCH,
                &self.collection().id(id),
                &[],
            )
            .with_body(json!({ "role": role.as_str() }));
        self.client.send_json(&req).await
    }

    /// `DELETE …/calendarPermissions/{id}`
    pub async fn delete(&self, id: &str) -> Result<(), GraphError> {
        let req = self.client.request(
            "remove a calendar permission",
            Method::DELETE,
            &self.collection().id(id),
            &[],
        );
        self.client.send_empty(&req).await
    }
}
