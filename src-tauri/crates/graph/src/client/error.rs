//! Why a Graph call failed. A refusal keeps Graph's own error code, which callers branch on
//! (never on the message).

use reqwest::header::HeaderMap;
use reqwest::StatusCode;
use serde::Deserialize;
use thiserror::Error;

use crate::auth::AuthError;

/// Graph error codes this crate and its callers branch on.
pub mod codes {
    pub const ACCESS_DENIED: &str = "ErrorAccessDenied";
    pub const ITEM_NOT_FOUND: &str = "ErrorItemNotFound";
    pub const INVALID_ID_MALFORMED: &str = "ErrorInvalidIdMalformed";
    pub const INVALID_AUTHENTICATION_TOKEN: &str = "InvalidAuthenticationToken";
    pub const TOO_MANY_REQUESTS: &str = "TooManyRequests";
    pub const APPLICATION_THROTTLED: &str = "ApplicationThrottled";
    pub const NOT_SUPPORTED: &str = "ErrorNotSupported";
    /// 412 on a write whose `If-Match` names another version of the item.
    pub const IRRESOLVABLE_CONFLICT: &str = "ErrorIrresolvableConflict";
    /// 410 on a delta token the service no longer knows: start again without one.
    pub const SYNC_STATE_NOT_FOUND: &str = "SyncStateNotFound";
    /// 403 on sending a message whose `from` is a mailbox the user has neither Send As nor
    /// Send on Behalf rights on (outlook-send-mail-from-other-user).
    pub const SEND_AS_DENIED: &str = "ErrorSendAsDenied";
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GraphError {
    /// Graph answered with an error status.
    #[error("Microsoft Graph refused to {operation}: {code} (HTTP {status}){}", message_suffix(.message))]
    Api {
        operation: &'static str,
        status: u16,
        /// Graph's `error.code`, e.g. `ErrorAccessDenied`; the status reason when the body had
        /// none.
        code: String,
        message: String,
        /// Graph's `request-id`, for a support case.
        request_id: Option<String>,
        /// How long the service asked to wait (`Retry-After`), on a throttled answer.
        retry_after: Option<std::time::Duration>,
    },
    /// No access token could be had for the call.
    #[error("Could not {operation}: {source}")]
    Auth {
        operation: &'static str,
        source: AuthError,
    },
    #[error("Could not reach Microsoft Graph to {operation}: {detail}")]
    Network {
        operation: &'static str,
        detail: String,
    },
    #[error("The answer of Microsoft Graph to {operation} could not be read: {detail}")]
    Decode {
        operation: &'static str,
        detail: String,
    },
    /// The request could not be made as asked (e.g. a batch group larger than Graph allows).
    #[error("Could not {operation}: {detail}")]
    Invalid {
        operation: &'static str,
        detail: String,
    },
}

impl GraphError {
    /// The HTTP status of a refusal.
    pub fn status(&self) -> Option<u16> {
        match self {
            GraphError::Api { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Graph's error code of a refusal.
    pub fn code(&self) -> Option<&str> {
        match self {
            GraphError::Api { code, .. } => Some(code),
            _ => None,
        }
    }

    pub fn operation(&self) -> &'static str {
        match self {
            GraphError::Api { operation, .. }
            | GraphError::Auth { operation, .. }
            | GraphError::Network { operation, .. }
            | GraphError::Decode { operation, .. }
            | GraphError::Invalid { operation, .. } => operation,
        }
    }

    /// Whether Graph refused to send a message from the mailbox in its `from`: the signed-in
    /// user has neither Send As nor Send on Behalf rights on it (`ErrorSendAsDenied`). Only the
    /// mailbox owner or an Exchange admin can grant them; sending again will not help.
    pub fn is_send_as_denied(&self) -> bool {
        self.code() == Some(codes::SEND_AS_DENIED)
    }

    /// Whether the same call may succeed later without anything changing on our side.
    pub fn is_retryable(&self) -> bool {
        match self {
            GraphError::Api { status, .. } => is_retryable_status(*status),
            GraphError::Network { .. } => true,
            GraphError::Auth { source, .. } => source.is_retryable(),
            GraphError::Decode { .. } | GraphError::Invalid { .. } => false,
        }
    }
}

pub(crate) fn is_retryable_status(status: u16) -> bool {
    matches!(status, 429 | 503 | 504)
}

fn message_suffix(message: &str) -> String {
    match message.trim() {
        "" => String::new(),
        m => format!(": {m}"),
    }
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, rename = "innerError")]
    inner_error: Option<Inner>,
}

#[derive(Deserialize)]
struct Inner {
    #[serde(default, rename = "request-id")]
    request_id: Option<String>,
}

/// Build the error for a refused call from Graph's documented error body
/// (`{"error":{"code","message","innerError":{"request-id",…}}}`), tolerating any other body.
pub(crate) fn api_error(
    operation: &'static str,
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> GraphError {
    let parsed = serde_json::from_slice::<Envelope>(body)
        .ok()
        .map(|e| e.error);
    let header_request_id = headers
        .get("request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let (code, message, inner_request_id) = match parsed {
        Some(b) => (b.code, b.message, b.inner_error.and_then(|i| i.request_id)),
        None => (None, None, None),
    };
    GraphError::Api {
        operation,
        status: status.as_u16(),
        code: code
            .filter(|c| !c.is_empty())
            .unwrap_or_else(|| reason_code(status)),
        message: message.unwrap_or_default(),
        request_id: header_request_id.or(inner_request_id),
        retry_after: onbehalf_http::retry_after(headers),
    }
}

/// `503 Service Unavailable` → `ServiceUnavailable`, the form Graph's own codes take.
fn reason_code(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map(|r| r.chars().filter(|c| c.is_ascii_alphanumeric()).collect())
        .unwrap_or_else(|| format!("Http{}", status.as_u16()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_error_body_keeps_code_message_and_request_id() {
        let body = br#"{"error":{"code":"ErrorItemNotFound","message":"The specified object was not found in the store.","innerError":{"date":"2024-01-01T00:00:00","request-id":"r-1","client-request-id":"c-1"}}}"#;
        let e = api_error(
            "get an event",
            StatusCode::NOT_FOUND,
            &HeaderMap::new(),
            body,
        );
        assert_eq!(
            e,
            GraphError::Api {
                operation: "get an event",
                status: 404,
                code: "ErrorItemNotFound".into(),
                message: "The specified object was not found in the store.".into(),
                request_id: Some("r-1".into()),
                retry_after: None,
            }
        );
        assert!(e.to_string().contains("ErrorItemNotFound"));
    }

    #[test]
    fn a_body_without_error_shape_gets_the_status_reason_as_code() {
        let e = api_error(
            "list events",
            StatusCode::SERVICE_UNAVAILABLE,
            &HeaderMap::new(),
            b"<html>down</html>",
        );
        assert_eq!(e.code(), Some("ServiceUnavailable"));
        assert!(e.is_retryable());
    }
}
