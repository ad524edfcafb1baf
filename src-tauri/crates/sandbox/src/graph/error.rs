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
    /// A 429 as Graph words it for `path` (`/me/events`, under `/v1.0`): Outlook's mailbox
    /// concurrency limit for a mailbox's calendars, events and mail, Graph's own otherwise.
    pub fn throttled(path: &str) -> GraphError {
        const MAILBOX: [&str; 7] = [
            "events",
            "calendar",
            "calendars",
            "calendarview",
            "messages",
            "mailfolders",
            "mailboxsettings",
        ];
        let in_mailbox = path
            .split(['/', '?', '('])
            .any(|s| MAILBOX.contains(&s.to_ascii_lowercase().as_str()));
        match in_mailbox {
            true => GraphError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "ApplicationThrottled",
                "Application is over its MailboxConcurrency limit.",
            ),
            false => GraphError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Please retry again later.",
            ),
        }
    }

    pub fn unavailable() -> GraphError {
        GraphError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "ServiceNotAvailable",
            "The service is temporarily unavailable. Try again later.",
        )
    }

    /// 412 on a write whose `If-Match` names another version of the item: "A precondition
    /// provided in the request (such as an if-match header) does not match the resource's
    /// current state" (errors), with the code and message Exchange gives for a stale change key
    /// (reported in microsoftgraph/microsoft-graph-docs-contrib#7934 and on Microsoft Q&A).
    pub fn precondition_failed() -> GraphError {
        GraphError::new(
            StatusCode::PRECONDITION_FAILED,
            "ErrorIrresolvableConflict",
            "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
        )
    }

    /// 410 for a delta token the service no longer knows: "In case of an expired token, the
    /// service should respond with a 40X-series error with error codes such as
    /// `syncStateNotFound`" (delta-query-overview); Outlook answers 410 with
    /// `SyncStateNotFound` (microsoftgraph/microsoft-graph-docs#2350).
    pub fn sync_state_not_found() -> GraphError {
        GraphError::new(
            StatusCode::GONE,
            "SyncStateNotFound",
            "The sync state generation is not found.",
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
