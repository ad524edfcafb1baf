//! Test support: a tiny HTTP server per test, payloads shaped like the examples of the
//! Salesforce REST API Developer Guide, and an access-token provider that counts renewals.

#![allow(dead_code, clippy::unwrap_used)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Json, Router};
use onbehalf_salesforce::{
    Access, AccessTokens, ApiVersion, AuthError, IdentityUrl, RetryPolicy, SalesforceClient, Trust,
};
use onbehalf_secrets::Sensitive;
use serde_json::{json, Value};
use tokio::net::TcpListener;
use url::Url;

pub const ORG_ID: &str = "00Dx0000000BV7zEAG";
pub const USER_ID: &str = "005x00000012Q9PAAU";
pub const OWNER_ID: &str = "005x00000012Q9QAAU";
pub const DATA: &str = "/services/data/v62.0";

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

/// `GET /sobjects/Event/describe`, shaped as the REST API Developer Guide's sObject Describe
/// example, with Onbehalf's external-id field when the org has the package; counts the calls
/// in `asked`.
pub fn event_describe(package: bool, asked: Arc<AtomicUsize>) -> Router {
    Router::new().route(
        &format!("{DATA}/sobjects/Event/describe"),
        axum::routing::get(move || {
            asked.fetch_add(1, Ordering::SeqCst);
            let mut fields = vec![
                json!({"name": "Id", "type": "id", "length": 18, "externalId": false,
                       "unique": false, "custom": false, "nillable": false}),
                json!({"name": "Subject", "type": "combobox", "length": 255,
                       "externalId": false, "unique": false, "custom": false, "nillable": true}),
            ];
            if package {
                fields.push(json!({"name": "Onbehalf_Exchange_Id__c", "type": "string",
                    "length": 255, "externalId": true, "unique": true, "custom": true,
                    "nillable": true}));
            }
            async move {
                ok(json!({"name": "Event", "label": "Event", "custom": false,
                          "keyPrefix": "00U", "fields": fields}))
            }
        }),
    )
}

/// Retries as in production, with waits shrunk to keep tests quick.
pub fn fast_retries() -> RetryPolicy {
    RetryPolicy {
        max_attempts: 4,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_secs(2),
    }
}

pub fn identity_url(base: &str) -> String {
    format!("{base}/id/{ORG_ID}/{USER_ID}")
}

pub fn client(tokens: Arc<dyn AccessTokens>) -> SalesforceClient {
    SalesforceClient::new(
        ApiVersion::parse("62.0").unwrap(),
        tokens,
        &Trust::default(),
    )
    .unwrap()
    .with_retry_policy(fast_retries())
}

/// Hands out `initial` until asked to renew, then `fresh-token`; the instance is the test
/// server.
pub struct FakeTokens {
    base: String,
    token: Mutex<String>,
    renewals: AtomicUsize,
}

impl FakeTokens {
    pub fn new(base: &str, initial: &str) -> Arc<FakeTokens> {
        Arc::new(FakeTokens {
            base: base.to_string(),
            token: Mutex::new(initial.to_string()),
            renewals: AtomicUsize::new(0),
        })
    }

    pub fn renewals(&self) -> usize {
        self.renewals.load(Ordering::SeqCst)
    }

    fn access_now(&self) -> Access {
        Access {
            token: Sensitive::new(self.token.lock().unwrap().clone()),
            instance_url: Url::parse(&self.base).unwrap(),
            identity_url: IdentityUrl::parse(&identity_url(&self.base)).unwrap(),
        }
    }
}

#[async_trait]
impl AccessTokens for FakeTokens {
    async fn access(&self) -> Result<Access, AuthError> {
        Ok(self.access_now())
    }

    async fn refresh_after_401(&self, _rejected: &Sensitive<String>) -> Result<Access, AuthError> {
        self.renewals.fetch_add(1, Ordering::SeqCst);
        *self.token.lock().unwrap() = "fresh-token".to_string();
        Ok(self.access_now())
    }
}

pub fn bearer(headers: &HeaderMap) -> String {
    headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default()
        .to_string()
}

/// Salesforce's error array.
pub fn sf_error(status: StatusCode, code: &str, message: &str) -> Response {
    (
        status,
        Json(json!([{ "message": message, "errorCode": code, "fields": [] }])),
    )
        .into_response()
}

pub fn ok(body: Value) -> Response {
    (StatusCode::OK, Json(body)).into_response()
}

/// An answer with the `Sforce-Limit-Info` header every REST answer carries.
pub fn ok_with_usage(body: Value, used: u64, max: u64) -> Response {
    (
        StatusCode::OK,
        [("Sforce-Limit-Info", format!("api-usage={used}/{max}"))],
        Json(body),
    )
        .into_response()
}

/// A query batch.
pub fn query_page(records: Vec<Value>, total: usize, next: Option<&str>) -> Value {
    let mut body = json!({ "totalSize": total, "done": next.is_none(), "records": records });
    if let Some(next) = next {
        body["nextRecordsUrl"] = json!(next);
    }
    body
}

/// An event record as a query returns it.
pub fn event_json(id: &str, subject: &str) -> Value {
    json!({
        "attributes": { "type": "Event", "url": format!("{DATA}/sobjects/Event/{id}") },
        "Id": id,
        "OwnerId": OWNER_ID,
        "Subject": subject,
        "Location": "Conference Room A",
        "Description": null,
        "StartDateTime": "2026-03-02T15:00:00.000+0000",
        "EndDateTime": "2026-03-02T16:00:00.000+0000",
        "IsAllDayEvent": false,
        "ActivityDate": "2026-03-02",
        "DurationInMinutes": 60,
        "IsPrivate": false,
        "ShowAs": "Busy",
        "WhoId": "003D000000QbUhTIAV",
        "WhatId": null,
        "Onbehalf_Exchange_Id__c": format!("AAMk-{id}"),
        "SystemModstamp": "2026-03-01T09:30:00.000+0000",
        "IsDeleted": false
    })
}

/// A valid 18-character id with `prefix`, told apart by `n` within its first 15 characters
/// (the last three only encode the case of the others).
pub fn sf_id(prefix: &str, n: usize) -> String {
    format!("{prefix}5e{n:010}AAI")
}
