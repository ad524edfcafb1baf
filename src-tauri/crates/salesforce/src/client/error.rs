//! Why a Salesforce call failed. A refusal keeps Salesforce's own error codes, which callers
//! branch on (never on the message).

use std::time::Duration;

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::Deserialize;
use thiserror::Error;

use crate::auth::AuthError;

/// Salesforce error codes this crate and its callers branch on.
pub mod codes {
    pub const INVALID_SESSION_ID: &str = "INVALID_SESSION_ID";
    /// The identity URL's refusal of an invalid or expired access token (a plain-text body).
    pub const BAD_OAUTH_TOKEN: &str = "Bad_OAuth_Token";
    pub const REQUEST_LIMIT_EXCEEDED: &str = "REQUEST_LIMIT_EXCEEDED";
    pub const UNABLE_TO_LOCK_ROW: &str = "UNABLE_TO_LOCK_ROW";
    pub const INSUFFICIENT_ACCESS_OR_READONLY: &str = "INSUFFICIENT_ACCESS_OR_READONLY";
    pub const INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: &str =
        "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY";
    pub const INVALID_CROSS_REFERENCE_KEY: &str = "INVALID_CROSS_REFERENCE_KEY";
    pub const ENTITY_IS_DELETED: &str = "ENTITY_IS_DELETED";
    pub const NOT_FOUND: &str = "NOT_FOUND";
    pub const INVALID_ID_FIELD: &str = "INVALID_ID_FIELD";
    pub const MALFORMED_ID: &str = "MALFORMED_ID";
    pub const FIELD_INTEGRITY_EXCEPTION: &str = "FIELD_INTEGRITY_EXCEPTION";
    pub const FIELD_CUSTOM_VALIDATION_EXCEPTION: &str = "FIELD_CUSTOM_VALIDATION_EXCEPTION";
    pub const STRING_TOO_LONG: &str = "STRING_TOO_LONG";
    pub const REQUIRED_FIELD_MISSING: &str = "REQUIRED_FIELD_MISSING";
    pub const MALFORMED_QUERY: &str = "MALFORMED_QUERY";
    pub const INVALID_FIELD: &str = "INVALID_FIELD";
    pub const INVALID_REPLICATION_DATE: &str = "INVALID_REPLICATION_DATE";
    pub const EXCEEDED_ID_LIMIT: &str = "EXCEEDED_ID_LIMIT";
    pub const INSUFFICIENT_ACCESS: &str = "INSUFFICIENT_ACCESS";
    pub const API_DISABLED_FOR_ORG: &str = "API_DISABLED_FOR_ORG";
}

/// One entry of Salesforce's error array: `{"message", "errorCode", "fields"}` (sObject
/// Collections name the code `statusCode`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ApiError {
    #[serde(rename = "errorCode", alias = "statusCode", default)]
    pub code: String,
    #[serde(default)]
    pub message: String,
    #[serde(default)]
    pub fields: Vec<String>,
}

/// Which API limit was hit. Salesforce answers both with `REQUEST_LIMIT_EXCEEDED` and tells
/// them apart only in the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitKind {
    /// The org's rolling 24-hour allowance (`TotalRequests`): spent until calls age out.
    Daily,
    /// Too many long-running calls at once (`ConcurrentRequests`): try again shortly.
    Concurrent,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SalesforceError {
    /// Salesforce refused the call (or one item of a batch).
    #[error("Salesforce refused to {operation}: {} (HTTP {status})", summary(.errors))]
    Api {
        operation: &'static str,
        status: u16,
        errors: Vec<ApiError>,
        retry_after: Option<Duration>,
    },
    /// `REQUEST_LIMIT_EXCEEDED`.
    #[error("Salesforce's {} API limit was reached; could not {operation}: {message}", limit_name(*.kind))]
    LimitExceeded {
        operation: &'static str,
        kind: LimitKind,
        message: String,
        retry_after: Option<Duration>,
    },
    /// Not sent: the daily allowance is down to the reserve kept for the org's other users.
    #[error(
        "Did not {operation}: only {remaining} of {max} daily Salesforce API calls are left, and \
         Onbehalf keeps {reserve_percent}% in reserve"
    )]
    ReserveKept {
        operation: &'static str,
        reserve_percent: u8,
        remaining: u64,
        max: u64,
    },
    /// No access token could be had for the call.
    #[error("Could not {operation}: {source}")]
    Auth {
        operation: &'static str,
        source: AuthError,
    },
    #[error("Could not reach Salesforce to {operation}: {detail}")]
    Network {
        operation: &'static str,
        detail: String,
    },
    #[error("The answer of Salesforce to {operation} could not be read: {detail}")]
    Decode {
        operation: &'static str,
        detail: String,
    },
    /// The request could not be made as asked (e.g. a malformed id, too many subrequests).
    #[error("Could not {operation}: {detail}")]
    Invalid {
        operation: &'static str,
        detail: String,
    },
    /// The configured API version is not served by the org.
    #[error(
        "This Salesforce org does not offer API version {wanted}; it offers {}",
        versions_text(.available)
    )]
    VersionUnavailable {
        wanted: String,
        available: Vec<String>,
    },
}

impl SalesforceError {
    /// The HTTP status of a refusal.
    pub fn status(&self) -> Option<u16> {
        match self {
            SalesforceError::Api { status, .. } => Some(*status),
            SalesforceError::LimitExceeded { .. } => Some(403),
            _ => None,
        }
    }

    /// Salesforce's error code of a refusal (the first, when there are several).
    pub fn code(&self) -> Option<&str> {
        match self {
            SalesforceError::Api { errors, .. } => errors.first().map(|e| e.code.as_str()),
            SalesforceError::LimitExceeded { .. } => Some(codes::REQUEST_LIMIT_EXCEEDED),
            _ => None,
        }
    }

    /// Whether Salesforce refused with `code` (any entry of the error array).
    pub fn has_code(&self, code: &str) -> bool {
        match self {
            SalesforceError::Api { errors, .. } => errors.iter().any(|e| e.code == code),
            other => other.code() == Some(code),
        }
    }

    /// Whether the same call may succeed later without anything changing on either side.
    pub fn is_retryable(&self) -> bool {
        match self {
            SalesforceError::Api { status, errors, .. } => {
                is_busy_status(*status)
                    || errors.iter().any(|e| e.code == codes::UNABLE_TO_LOCK_ROW)
            }
            SalesforceError::LimitExceeded { kind, .. } => *kind == LimitKind::Concurrent,
            SalesforceError::Network { .. } => true,
            SalesforceError::Auth { source, .. } => source.is_retryable(),
            SalesforceError::ReserveKept { .. }
            | SalesforceError::Decode { .. }
            | SalesforceError::Invalid { .. }
            | SalesforceError::VersionUnavailable { .. } => false,
        }
    }
}

/// 5xx, and 429 should a proxy in front of Salesforce send it.
pub(crate) fn is_busy_status(status: u16) -> bool {
    status == 429 || (500..=599).contains(&status)
}

fn summary(errors: &[ApiError]) -> String {
    if errors.is_empty() {
        return "no details".to_string();
    }
    errors
        .iter()
        .map(|e| match e.message.trim() {
            "" => e.code.clone(),
            m => format!("{}: {m}", e.code),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn limit_name(kind: LimitKind) -> &'static str {
    match kind {
        LimitKind::Daily => "daily",
        LimitKind::Concurrent => "concurrent",
    }
}

fn versions_text(available: &[String]) -> String {
    match available {
        [] => "none".to_string(),
        [one] => one.clone(),
        many => format!(
            "{} to {} ({} versions)",
            many.first().map(String::as_str).unwrap_or_default(),
            many.last().map(String::as_str).unwrap_or_default(),
            many.len()
        ),
    }
}

/// Read the documented error array; the identity URL answers a bare code in plain text
/// (`Bad_OAuth_Token`); any other body (a proxy's HTML page) gets the status as its code.
pub(crate) fn parse_errors(status: StatusCode, body: &[u8]) -> Vec<ApiError> {
    if let Ok(errors) = serde_json::from_slice::<Vec<ApiError>>(body) {
        if !errors.is_empty() {
            return errors;
        }
    }
    let text = String::from_utf8_lossy(body);
    let bare = text.trim();
    let is_code = !bare.is_empty()
        && bare.len() <= 64
        && bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
    vec![ApiError {
        code: if is_code {
            bare.to_string()
        } else {
            reason_code(status)
        },
        message: String::new(),
        fields: Vec::new(),
    }]
}

/// Build the error for a refused call.
pub(crate) fn api_error(
    operation: &'static str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> SalesforceError {
    let errors = parse_errors(status, body);
    let retry_after = onbehalf_http::retry_after(headers);
    from_errors(operation, status.as_u16(), errors, retry_after)
}

/// The error for an error array, whether of a whole call or of one item in a batch.
pub(crate) fn from_errors(
    operation: &'static str,
    status: u16,
    errors: Vec<ApiError>,
    retry_after: Option<Duration>,
) -> SalesforceError {
    if let Some(limit) = errors
        .iter()
        .find(|e| e.code == codes::REQUEST_LIMIT_EXCEEDED)
    {
        return SalesforceError::LimitExceeded {
            operation,
            kind: limit_kind(&limit.message),
            message: limit.message.clone(),
            retry_after,
        };
    }
    SalesforceError::Api {
        operation,
        status,
        errors,
        retry_after,
    }
}

/// "ConcurrentRequests (Concurrent API Requests) Limit exceeded." vs "TotalRequests Limit
/// exceeded.": the message is the only difference.
fn limit_kind(message: &str) -> LimitKind {
    if message.to_ascii_lowercase().contains("concurrent") {
        LimitKind::Concurrent
    } else {
        LimitKind::Daily
    }
}

/// `503 Service Unavailable` → `SERVICE_UNAVAILABLE`, in the form of Salesforce's own codes.
fn reason_code(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map(|r| {
            r.chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() {
                        c.to_ascii_uppercase()
                    } else {
                        '_'
                    }
                })
                .collect()
        })
        .unwrap_or_else(|| format!("HTTP_{}", status.as_u16()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_error_array_keeps_every_code() {
        let body = br#"[{"message":"Subject: data value too large","errorCode":"STRING_TOO_LONG","fields":["Subject"]}]"#;
        let e = api_error(
            "create an event",
            StatusCode::BAD_REQUEST,
            &HeaderMap::new(),
            body,
        );
        assert_eq!(e.code(), Some("STRING_TOO_LONG"));
        assert_eq!(e.status(), Some(400));
        assert!(!e.is_retryable());
        assert!(e.to_string().contains("data value too large"), "{e}");
    }

    #[test]
    fn daily_and_concurrent_limits_are_told_apart_by_the_message() {
        let daily = br#"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
        let concurrent = br#"[{"message":"ConcurrentRequests (Concurrent API Requests) Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#;
        let d = api_error("query", StatusCode::FORBIDDEN, &HeaderMap::new(), daily);
        let c = api_error(
            "query",
            StatusCode::FORBIDDEN,
            &HeaderMap::new(),
            concurrent,
        );
        assert!(matches!(
            d,
            SalesforceError::LimitExceeded {
                kind: LimitKind::Daily,
                ..
            }
        ));
        assert!(matches!(
            c,
            SalesforceError::LimitExceeded {
                kind: LimitKind::Concurrent,
                ..
            }
        ));
        assert!(!d.is_retryable());
        assert!(c.is_retryable());
    }

    #[test]
    fn a_body_that_is_not_an_error_array_gets_the_status_as_code() {
        let e = api_error(
            "query",
            StatusCode::SERVICE_UNAVAILABLE,
            &HeaderMap::new(),
            b"<html>maintenance</html>",
        );
        assert_eq!(e.code(), Some("SERVICE_UNAVAILABLE"));
        assert!(e.is_retryable());
    }

    #[test]
    fn collections_name_the_code_status_code() {
        let errors: Vec<ApiError> = serde_json::from_str(
            r#"[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record","fields":[]}]"#,
        )
        .unwrap_or_default();
        assert_eq!(
            errors.first().map(|e| e.code.as_str()),
            Some("UNABLE_TO_LOCK_ROW")
        );
    }
}
