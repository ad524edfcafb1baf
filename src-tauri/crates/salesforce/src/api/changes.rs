//! Get Updated and Get Deleted: which records changed in a window, by `SystemModstamp`.

use chrono::{DateTime, Utc};
use reqwest::Method;

use crate::client::{DataPath, Request, SalesforceError};
use crate::models::{format_datetime, DeletedRecords, SObject, UpdatedRecords};
use crate::SalesforceClient;

pub struct ChangesApi<'a> {
    client: &'a SalesforceClient,
    sobject: SObject,
}

impl<'a> ChangesApi<'a> {
    pub(crate) fn new(client: &'a SalesforceClient, sobject: SObject) -> Self {
        ChangesApi { client, sobject }
    }

    /// The path of Get Updated (`"updated"`) or Get Deleted (`"deleted"`) and its window, for
    /// a Composite subrequest.
    pub fn subrequest(
        &self,
        leaf: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> (DataPath, [(&'static str, String); 2]) {
        let path = DataPath::new()
            .lit("sobjects")
            .lit(self.sobject.api_name())
            .lit(leaf)
            .slash();
        (
            path,
            [
                ("start", format_datetime(start)),
                ("end", format_datetime(end)),
            ],
        )
    }

    fn request(
        &self,
        operation: &'static str,
        leaf: &str,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Request {
        let (path, [(_, from), (_, to)]) = self.subrequest(leaf, start, end);
        Request::data(operation, Method::GET, path)
            .query("start", from)
            .query("end", to)
    }

    /// `GET /sobjects/{type}/updated/?start&end` (at most 30 days back; seconds are ignored).
    pub fn updated(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> GetUpdated<'a> {
        GetUpdated {
            client: self.client,
            request: self.request(
                "list records changed since the last sync",
                "updated",
                start,
                end,
            ),
        }
    }

    /// `GET /sobjects/{type}/deleted/?start&end` (at most 15 days back).
    pub fn deleted(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> GetDeleted<'a> {
        GetDeleted {
            client: self.client,
            request: self.request(
                "list records deleted since the last sync",
                "deleted",
                start,
                end,
            ),
        }
    }
}

pub struct GetUpdated<'a> {
    client: &'a SalesforceClient,
    request: Request,
}

impl GetUpdated<'_> {
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<UpdatedRecords, SalesforceError> {
        self.client.send_json(&self.request).await
    }
}

pub struct GetDeleted<'a> {
    client: &'a SalesforceClient,
    request: Request,
}

impl GetDeleted<'_> {
    #[tracing::instrument(skip_all, err)]
    pub async fn send(self) -> Result<DeletedRecords, SalesforceError> {
        self.client.send_json(&self.request).await
    }
}
