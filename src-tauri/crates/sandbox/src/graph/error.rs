//! Graph errors: `{"error":{"code","message","innerError":{"date","request-id",
//! "client-request-id"}}}`, with the codes Exchange uses for calendars.

use axum::http::StatusCode;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct GraphError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
}

impl GraphError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> GraphError {
        GraphError {
            status,
            code,
            message: message.into(),
        }
    }

    pub fn access_denied() -> GraphError {
        GraphError::new(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "Access is denied. Check credentials and try again.",
        )
    }

    pub fn not_found() -> GraphError {
        GraphError::new(
            StatusCode::NOT_FOUND,
            "ErrorItemNotFound",
            "The specified object was not found in the store.",
        )
    }

    pub fn malformed_id() -> GraphError {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidIdMalformed",
            "Id is malformed.",
        )
    }

    pub fn invalid_user(key: &str) -> GraphError {
        GraphError::new(
            StatusCode::NOT_FOUND,
            "ErrorInvalidUser",
            format!("The requested user '{key}' is invalid."),
        )
    }

    pub fn bad_request(message: impl Into<String>) -> GraphError {
        GraphError::new(StatusCode::BAD_REQUEST, "BadRequest", message)
    }

    pub fn invalid_request(message: impl Into<String>) -> GraphError {
        GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidRequest", message)
    }

    pub fn segment(segment: &str) -> GraphError {
        GraphError::bad_request(format!("Resource not found for the segment '{segment}'."))
    }

    pub fn method() -> GraphError {
        GraphError::new(
            StatusCode::METHOD_NOT_ALLOWED,
            "Request_BadRequest",
            "The HTTP method is not supported on this resource.",
        )
    }

    /// 429 as Outlook throttles a mailbox: the body Graph documents for throttled requests,
    /// with Outlook's own message.
    pub fn throttled() -> GraphError {
        GraphError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "TooManyRequests",
            "Application is over its MailboxConcurrency limit.",
        )
    }

    pub fn unavailable() -> GraphError {
        GraphError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceNotAvailable",
            "The service is temporarily unavailable. Try again later.",
        )
    }

    pub fn token(message: &str) -> GraphError {
        GraphError::new(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            message,
        )
    }
}
