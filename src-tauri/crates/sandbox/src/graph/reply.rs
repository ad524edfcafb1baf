//! Graph answers: a handler's [`Reply`] (or error) becomes an HTTP response, or a `$batch`
//! member, with Graph's headers (`request-id`, `client-request-id`, `Preference-Applied`) and
//! error shape `{"error":{"code","message","innerError":{"date","request-id",
//! "client-request-id"}}}`.

use axum::body::Body;
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::error::GraphError;
use super::prefer::Preferences;

const JSON_TYPE: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";

/// A Graph answer before it becomes HTTP (or a `$batch` member).
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
    /// Preferences the handler honoured besides the request-wide ones (`odata.maxpagesize=N`).
    pub applied: Vec<String>,
    /// A read that changed the state (a delta query issues state tokens), so it is saved.
    pub persist: bool,
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: Some(body),
            headers: Vec::new(),
            applied: Vec::new(),
            persist: false,
        }
    }

    pub fn created(body: Value, location: String) -> Reply {
        Reply {
            headers: vec![("Location".to_string(), location)],
            status: StatusCode::CREATED,
            ..Reply::ok(body)
        }
    }

    pub fn no_content() -> Reply {
        Reply {
            status: StatusCode::NO_CONTENT,
            body: None,
            ..Reply::ok(Value::Null)
        }
    }

    /// An error as a reply with Graph's error body.
    pub fn error(
        e: &GraphError,
        request_id: &str,
        client_request_id: &str,
        now: DateTime<Utc>,
    ) -> Reply {
        Reply {
            status: e.status,
            body: Some(error_body(e, request_id, client_request_id, now)),
            headers: Vec::new(),
            applied: Vec::new(),
            persist: false,
        }
    }

    /// The `Preference-Applied` value: what the handler honoured, and the request-wide
    /// preferences (time zone, body format, id type) of a successful answer.
    pub fn preference_applied(&self, prefs: &Preferences) -> Option<String> {
        let mut applied = self.applied.clone();
        if self.status.is_success() {
            applied.extend(prefs.applied());
        }
        (!applied.is_empty()).then(|| applied.join(", "))
    }
}

pub(crate) type GraphResult = Result<Reply, GraphError>;

/// Graph's error body.
fn error_body(
    e: &GraphError,
    request_id: &str,
    client_request_id: &str,
    now: DateTime<Utc>,
) -> Value {
    json!({
        "error": {
            "code": e.code,
            "message": e.message,
            "innerError": {
                "date": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "request-id": request_id,
                "client-request-id": client_request_id
            }
        }
    })
}

pub(super) fn respond(
    result: GraphResult,
    request_id: &str,
    client_request_id: &str,
    now: DateTime<Utc>,
    prefs: &Preferences,
) -> Response {
    let reply = result.unwrap_or_else(|e| {
        let mut r = Reply::error(&e, request_id, client_request_id, now);
        if e.status == StatusCode::UNAUTHORIZED {
            r.headers.push((
                "WWW-Authenticate".to_string(),
                "Bearer realm=\"\", error=\"invalid_token\"".to_string(),
            ));
        }
        r
    });
    let mut headers = HeaderMap::new();
    let mut put = |name: &str, value: &str| {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            headers.insert(n, v);
        }
    };
    put("request-id", request_id);
    put("client-request-id", client_request_id);
    if let Some(applied) = reply.preference_applied(prefs) {
        put("Preference-Applied", &applied);
    }
    for (k, v) in &reply.headers {
        put(k, v);
    }
    let body = match &reply.body {
        Some(v) => {
            put(header::CONTENT_TYPE.as_str(), JSON_TYPE);
            Body::from(serde_json::to_vec(v).unwrap_or_default())
        }
        None => Body::empty(),
    };
    (reply.status, headers, body).into_response()
}

/// The answer to a request a fault turned away: the error, with the `Retry-After` it gives.
pub(super) fn refused(
    error: &GraphError,
    retry_after_secs: u32,
    request_id: &str,
    client_request_id: &str,
    now: DateTime<Utc>,
) -> Response {
    let mut r = Reply::error(error, request_id, client_request_id, now);
    r.headers
        .push(("Retry-After".to_string(), retry_after_secs.to_string()));
    respond(
        Ok(r),
        request_id,
        client_request_id,
        now,
        &Preferences::default(),
    )
}
