//! REST API errors: a JSON array of `{"message","errorCode","fields"}` with the documented
//! HTTP status. Inside sObject Collections results the same error is written with
//! `statusCode` instead of `errorCode`, as SaveResult errors are.

use axum::http::StatusCode;
use serde_json::{json, Value};

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SfError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    /// The fields a record error concerns; `None` for errors of the whole request, which
    /// Salesforce writes without a `fields` member.
    pub fields: Option<Vec<String>>,
}

impl SfError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> SfError {
        SfError {
            status,
            code,
            message: message.into(),
            fields: None,
        }
    }

    /// An error about one record, with the fields it concerns (HTTP 400).
    pub fn record(code: &'static str, message: impl Into<String>, fields: &[&str]) -> SfError {
        SfError {
            status: StatusCode::BAD_REQUEST,
            code,
            message: message.into(),
            fields: Some(fields.iter().map(|f| (*f).to_string()).collect()),
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> SfError {
        SfError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn not_found() -> SfError {
        SfError::new(
            StatusCode::NOT_FOUND,
            "NOT_FOUND",
            "The requested resource does not exist",
        )
    }

    pub fn deleted() -> SfError {
        SfError::new(
            StatusCode::NOT_FOUND,
            "ENTITY_IS_DELETED",
            "entity is deleted",
        )
    }

    pub fn session() -> SfError {
        SfError::new(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        )
    }

    pub fn limit_exceeded() -> SfError {
        SfError::new(
            StatusCode::FORBIDDEN,
            "REQUEST_LIMIT_EXCEEDED",
            "TotalRequests Limit exceeded.",
        )
    }

    pub fn method(method: &str, allowed: &str) -> SfError {
        SfError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "METHOD_NOT_ALLOWED",
            format!("HTTP Method '{method}' not allowed. Allowed are {allowed}"),
        )
    }

    pub fn json(message: impl Into<String>) -> SfError {
        SfError::bad_request("JSON_PARSER_ERROR", message)
    }

    pub fn invalid_field(field: &str, object: &str) -> SfError {
        SfError::record(
            "INVALID_FIELD",
            format!("No such column '{field}' on sobject of type {object}"),
            &[field],
        )
    }

    /// Assumption: a write refused for lack of record access answers 400, as record (DML)
    /// errors do, rather than the 403 the guide gives for refused requests.
    pub fn no_edit_access() -> SfError {
        SfError::record(
            "INSUFFICIENT_ACCESS_OR_READONLY",
            "insufficient access rights on object id",
            &[],
        )
    }

    pub fn no_cross_reference_access(id: &str) -> SfError {
        SfError::record(
            "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
            format!("insufficient access rights on cross-reference id: {id}"),
            &[],
        )
    }

    /// The body of this error as an HTTP answer.
    pub fn body(&self) -> Value {
        Value::Array(vec![self.entry("errorCode")])
    }

    /// The error as an entry of a SaveResult's `errors`.
    pub fn save_result_entry(&self) -> Value {
        let mut e = self.entry("statusCode");
        if e.get("fields").is_none() {
            e["fields"] = json!([]);
        }
        e
    }

    fn entry(&self, code_key: &str) -> Value {
        let mut e = json!({ "message": self.message });
        e[code_key] = Value::String(self.code.to_string());
        if let Some(fields) = &self.fields {
            e["fields"] = json!(fields);
        }
        e
    }
}
