//! One handler per Salesforce resource, reached from [`SalesforceClient`], each operation a
//! builder ending in `send()`: `client.sobjects(SObject::Event).create(&fields).send()`,
//! `client.query(soql).all()`, `client.collections().update(…).send()`,
//! `client.composite().query(…).send()`, `client.changes(SObject::Event).updated(…).send()`,
//! `client.search(text).send()`, `client.record_access(user, ids).send()`,
//! `client.limits().send()`, `client.versions().send()`, `client.identity().send()`.

mod access;
mod changes;
mod collections;
mod composite;
mod org;
mod query;
mod search;
mod sobjects;

pub use access::RecordAccessQuery;
pub use changes::{ChangesApi, GetDeleted, GetUpdated};
pub use collections::{
    CollectionsApi, CreateRecords, DeleteRecords, ItemOutcome, RetrieveRecords, UpdateRecords,
    MAX_COLLECTION,
};
pub use composite::{
    CompositeBuilder, CompositeResponse, MAX_COMPOSITE_QUERIES, MAX_COMPOSITE_SUBREQUESTS,
};
pub use org::{GetIdentity, GetLimits, GetVersions};
pub use query::QueryBuilder;
pub use search::ParameterizedSearch;
pub use sobjects::{
    CreateRecord, DeleteRecord, DescribeObject, GetRecord, SObjectApi, UpdateRecord,
};

use serde::Serialize;
use serde_json::Value;

use crate::client::SalesforceError;
use crate::models::SObject;
use crate::SalesforceClient;

impl SalesforceClient {
    /// Single records of one sObject: create, read, update, delete.
    pub fn sobjects(&self, sobject: SObject) -> SObjectApi<'_> {
        SObjectApi::new(self, sobject)
    }

    /// A SOQL query, followed through every batch.
    pub fn query(&self, soql: impl Into<String>) -> QueryBuilder<'_> {
        QueryBuilder::new(self, soql.into())
    }

    /// sObject Collections: up to 200 records per call, larger inputs in several calls.
    pub fn collections(&self) -> CollectionsApi<'_> {
        CollectionsApi::new(self)
    }

    /// Composite: up to 25 subrequests in one call.
    pub fn composite(&self) -> CompositeBuilder<'_> {
        CompositeBuilder::new(self)
    }

    /// Get Updated / Get Deleted of one sObject.
    pub fn changes(&self, sobject: SObject) -> ChangesApi<'_> {
        ChangesApi::new(self, sobject)
    }

    /// Parameterized Search for a few typed letters.
    pub fn search(&self, text: impl Into<String>) -> ParameterizedSearch<'_> {
        ParameterizedSearch::new(self, text.into())
    }

    /// What `user_id` may do with each record (`UserRecordAccess`).
    pub fn record_access<'a>(&'a self, user_id: &str, ids: &[String]) -> RecordAccessQuery<'a> {
        RecordAccessQuery::new(self, user_id, ids)
    }

    /// `GET /limits`.
    pub fn limits(&self) -> GetLimits<'_> {
        GetLimits::new(self)
    }

    /// `GET /services/data/`: the versions the org serves (not counted against limits).
    pub fn versions(&self) -> GetVersions<'_> {
        GetVersions::new(self)
    }

    /// `GET` the identity URL: who is signed in.
    pub fn identity(&self) -> GetIdentity<'_> {
        GetIdentity::new(self)
    }

    /// Whether the org serves the configured API version; if not, the error names the
    /// versions it does serve.
    #[tracing::instrument(skip_all, err)]
    pub async fn check_version(&self) -> Result<(), SalesforceError> {
        let available = self.versions().send().await?;
        let wanted = self.api_version().as_str();
        if available.iter().any(|v| v.version == wanted) {
            return Ok(());
        }
        Err(SalesforceError::VersionUnavailable {
            wanted: wanted.to_string(),
            available: available.into_iter().map(|v| v.version).collect(),
        })
    }
}

/// Serialize a request body, naming the operation when that fails.
pub(crate) fn to_body<T: Serialize + ?Sized>(
    operation: &'static str,
    value: &T,
) -> Result<Value, SalesforceError> {
    serde_json::to_value(value).map_err(|e| SalesforceError::Invalid {
        operation,
        detail: format!("the request body cannot be written: {e}"),
    })
}
