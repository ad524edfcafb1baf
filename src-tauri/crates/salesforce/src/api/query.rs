//! SOQL: `/query` and `/queryAll`, batch by batch through `nextRecordsUrl`.

use reqwest::Method;
use serde::de::DeserializeOwned;

use crate::client::{DataPath, Page, Pager, Request, SalesforceError};
use crate::SalesforceClient;

/// Salesforce's bounds on the batch size it is asked for.
const BATCH_SIZES: std::ops::RangeInclusive<u32> = 200..=2000;

pub struct QueryBuilder<'a> {
    client: &'a SalesforceClient,
    soql: String,
    include_deleted: bool,
    batch_size: Option<u32>,
}

impl<'a> QueryBuilder<'a> {
    pub(crate) fn new(client: &'a SalesforceClient, soql: String) -> Self {
        QueryBuilder {
            client,
            soql,
            include_deleted: false,
            batch_size: None,
        }
    }

    /// `queryAll`: deleted (and archived) rows too.
    pub fn include_deleted(mut self) -> Self {
        self.include_deleted = true;
        self
    }

    /// Records per batch (Salesforce takes 200–2,000 as a hint).
    pub fn batch_size(mut self, size: u32) -> Self {
        self.batch_size = Some(size.clamp(*BATCH_SIZES.start(), *BATCH_SIZES.end()));
        self
    }

    fn request(&self) -> Request {
        let (resource, operation) = if self.include_deleted {
            ("queryAll", "query records, deleted ones included")
        } else {
            ("query", "query records")
        };
        let mut req = Request::data(
            operation,
            Method::GET,
            DataPath::new().lit(resource).slash(),
        )
        .query("q", self.soql.clone());
        if let Some(size) = self.batch_size {
            req = req.header("Sforce-Query-Options", format!("batchSize={size}"));
        }
        req
    }

    /// The first batch.
    #[tracing::instrument(skip_all, err)]
    pub async fn send<T: DeserializeOwned>(self) -> Result<Page<T>, SalesforceError> {
        self.client.send_json(&self.request()).await
    }

    /// Every batch, one after the other.
    pub fn pager<T: DeserializeOwned>(self) -> Pager<T> {
        Pager::new(self.client.clone(), self.request())
    }

    /// Every record of every batch.
    #[tracing::instrument(skip_all, err)]
    pub async fn all<T: DeserializeOwned>(self) -> Result<Vec<T>, SalesforceError> {
        self.pager().all().await
    }
}
