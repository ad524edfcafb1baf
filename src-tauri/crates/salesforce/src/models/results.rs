//! Answers of batch and change calls.

use chrono::{DateTime, Utc};
use serde::Deserialize;
use serde_json::Value;

use super::datetime;
use crate::client::ApiError;

/// One item's result in an sObject Collections create, update or delete (in the order asked).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct SaveResult {
    #[serde(default)]
    pub id: Option<String>,
    pub success: bool,
    #[serde(default)]
    pub errors: Vec<ApiError>,
}

/// One subresponse of a Composite call.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompositeSubresponse {
    pub reference_id: String,
    pub http_status_code: u16,
    #[serde(default)]
    pub body: Value,
}

/// `GET /sobjects/{type}/updated/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdatedRecords {
    #[serde(default)]
    pub ids: Vec<String>,
    /// Changes up to this moment are covered: the cursor for next time.
    #[serde(deserialize_with = "datetime::required")]
    pub latest_date_covered: DateTime<Utc>,
}

/// `GET /sobjects/{type}/deleted/`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedRecords {
    #[serde(default)]
    pub deleted_records: Vec<DeletedRecord>,
    /// The oldest deletion still in the log; older ones may have been purged.
    #[serde(default, deserialize_with = "datetime::optional")]
    pub earliest_date_available: Option<DateTime<Utc>>,
    #[serde(deserialize_with = "datetime::required")]
    pub latest_date_covered: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DeletedRecord {
    pub id: String,
    #[serde(deserialize_with = "datetime::required")]
    pub deleted_date: DateTime<Utc>,
}

/// One row of `UserRecordAccess`: what a user may do with a record.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RecordAccess {
    pub record_id: String,
    #[serde(default)]
    pub has_read_access: bool,
    #[serde(default)]
    pub has_edit_access: bool,
    #[serde(default)]
    pub has_delete_access: bool,
    /// `None`, `Read`, `Edit`, `Delete`, `Transfer` or `All`.
    #[serde(default)]
    pub max_access_level: Option<String>,
}
