//! Test support: a tiny HTTP server per test and an access-token provider that counts.

#![allow(dead_code, clippy::unwrap_used)]

pub mod sandbox_signin;

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use onbehalf_graph::{AccessTokens, AuthError, GraphClient, RetryPolicy, Trust};
use onbehalf_secrets::Sensitive;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use url::Url;

/// Serve the router built for the server's own base URL (`http://127.0.0.1:PORT`).
pub async fn serve(make: impl FnOnce(String) -> Router) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = make(base.clone());
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    base
}

/// Retries as in production, with waits shrunk to keep tests quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
    }
}

pub fn graph(base: &str, tokens: Arc<dyn AccessTokens>) -> GraphClient {
    GraphClient::new(
        Url::parse(&format!("{base}/v1.0")).unwrap(),
        tokens,
        &Trust::default(),
    )
    .unwrap()
    .with_retry_policy(fast_retries())
}

/// Hands out `initial` until asked to refresh, then `fresh-token`.
pub struct FakeTokens {
    token: Mutex<String>,
    pub refreshes: AtomicUsize,
}

impl FakeTokens {
    pub fn new(initial: &str) -> Arc<FakeTokens> {
        Arc::new(FakeTokens {
            token: Mutex::new(initial.to_string()),
            refreshes: AtomicUsize::new(0),
        })
    }

    pub fn refreshes(&self) -> usize {
        self.refreshes.load(Ordering::SeqCst)
    }
}

#[async_trait]
impl AccessTokens for FakeTokens {
    async fn access_token(&self) -> Result<Sensitive<String>, AuthError> {
        Ok(Sensitive::new(self.token.lock().unwrap().clone()))
    }

    async fn refresh_after_401(&self) -> Result<Sensitive<String>, AuthError> {
        self.refreshes.fetch_add(1, Ordering::SeqCst);
        let mut t = self.token.lock().unwrap();
        *t = "fresh-token".to_string();
        Ok(Sensitive::new(t.clone()))
    }
}

/// A Graph error answer in the documented shape.
pub fn graph_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        [("request-id", "5e2b6c1a-0000-4000-8000-000000000001")],
        Json(json!({
            "error": {
                "code": code,
                "message": message,
                "innerError": {
                    "date": "2024-05-01T10:00:00",
                    "request-id": "5e2b6c1a-0000-4000-8000-000000000001",
                    "client-request-id": "5e2b6c1a-0000-4000-8000-000000000002"
                }
            }
        })),
    )
        .into_response()
}

pub fn ok(body: Value) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// A calendar as the Graph docs show one.
pub fn calendar_json(id: &str, name: &str, owner: &str) -> Value {
    json!({
        "@odata.id": format!("https://graph.microsoft.com/v1.0/users('x')/calendars('{id}')"),
        "id": id,
        "name": name,
        "color": "auto",
        "hexColor": "",
        "isDefaultCalendar": false,
        "changeKey": "nfZyf7VcrEKLNoU37KWlkQAAA0x0+w==",
        "canShare": false,
        "canViewPrivateItems": false,
        "canEdit": true,
        "allowedOnlineMeetingProviders": ["teamsForBusiness"],
        "defaultOnlineMeetingProvider": "teamsForBusiness",
        "isTallyingResponses": false,
        "isRemovable": true,
        "owner": { "name": name, "address": owner }
    })
}
