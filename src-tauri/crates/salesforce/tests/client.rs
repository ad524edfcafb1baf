//! The REST client against small in-test servers answering like the Salesforce REST API
//! Developer Guide's examples: paging, the retry layer, limits and the reserve, Collections,
//! Composite, changes, versions.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use common::{
    bearer, client, event_json, ok, ok_with_usage, query_page, serve, sf_error, sf_id, FakeTokens,
    DATA,
};
use futures_util::TryStreamExt;
use onbehalf_salesforce::models::{EventRecord, SObject};
use onbehalf_salesforce::{ApiVersion, LimitKind, SalesforceClient, SalesforceError, Trust};
use serde_json::{json, Value};

#[tokio::test]
async fn a_query_follows_next_records_url_to_the_last_batch() {
    #[derive(Clone, Default)]
    struct S {
        seen: Arc<Mutex<Vec<String>>>,
    }
    async fn first(
        State(s): State<S>,
        Query(q): Query<HashMap<String, String>>,
        headers: HeaderMap,
    ) -> Response {
        s.seen
            .lock()
            .unwrap()
            .push(q.get("q").cloned().unwrap_or_default());
        assert_eq!(
            headers
                .get("Sforce-Query-Options")
                .and_then(|v| v.to_str().ok()),
            Some("batchSize=200")
        );
        let records = (0..2)
            .map(|i| event_json(&sf_id("00U", i), "Batch 1"))
            .collect();
        ok(query_page(
            records,
            5,
            Some(&format!("{DATA}/query/01gD0000002HU6KIAW-2")),
        ))
    }
    async fn more(
        State(s): State<S>,
        axum::extract::Path(cursor): axum::extract::Path<String>,
        headers: HeaderMap,
    ) -> Response {
        s.seen.lock().unwrap().push(cursor.clone());
        assert_eq!(
            headers
                .get("Sforce-Query-Options")
                .and_then(|v| v.to_str().ok()),
            Some("batchSize=200"),
            "later batches keep the options"
        );
        let (ids, next) = match cursor.as_str() {
            "01gD0000002HU6KIAW-2" => (2..4, Some(format!("{DATA}/query/01gD0000002HU6KIAW-4"))),
            _ => (4..5, None),
        };
        let records = ids.map(|i| event_json(&sf_id("00U", i), "Later")).collect();
        ok(query_page(records, 5, next.as_deref()))
    }
    let state = S::default();
    let st = state.clone();
    let base = serve(move |_| {
        Router::new()
            .route(&format!("{DATA}/query/"), get(first))
            .route(&format!("{DATA}/query/{{cursor}}"), get(more))
            .with_state(st)
    })
    .await;
    let c = client(FakeTokens::new(&base, "t"));

    let all: Vec<EventRecord> = c
        .query("SELECT Id FROM Event")
        .batch_size(10)
        .all()
        .await
        .unwrap();
    let ids: Vec<String> = all.iter().map(|e| e.id.clone()).collect();
    assert_eq!(ids, (0..5).map(|i| sf_id("00U", i)).collect::<Vec<_>>());
    assert_eq!(
        state.seen.lock().unwrap().as_slice(),
        [
            "SELECT Id FROM Event",
            "01gD0000002HU6KIAW-2",
            "01gD0000002HU6KIAW-4"
        ]
    );

    let pages: Vec<_> = c
        .query("SELECT Id FROM Event")
        .batch_size(200)
        .pager::<EventRecord>()
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.records.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(pages[2].done && pages[2].next_records_url.is_none());
    assert_eq!(pages[0].total_size, 5);
}

#[tokio::test]
async fn a_next_batch_link_off_the_instance_is_not_followed() {
    async fn page() -> Response {
        ok(query_page(
            vec![],
            3,
            Some("https://attacker.example/services/data/v62.0/query/x"),
        ))
    }
    let base = serve(|_| Router::new().route(&format!("{DATA}/query/"), get(page))).await;
    let err = client(FakeTokens::new(&base, "t"))
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap_err();
    assert!(matches!(err, SalesforceError::Invalid { .. }), "{err:?}");
}

#[tokio::test]
async fn an_expired_session_is_renewed_once_and_the_call_repeated() {
    #[derive(Clone, Default)]
    struct S {
        tokens: Arc<Mutex<Vec<String>>>,
    }
    async fn query(State(s): State<S>, headers: HeaderMap) -> Response {
        let token = bearer(&headers);
        s.tokens.lock().unwrap().push(token.clone());
        if token != "fresh-token" {
            return sf_error(
                StatusCode::UNAUTHORIZED,
                "INVALID_SESSION_ID",
                "Session expired or invalid",
            );
        }
        ok(query_page(vec![], 0, None))
    }
    let state = S::default();
    let st = state.clone();
    let base = serve(move |_| {
        Router::new()
            .route(&format!("{DATA}/query/"), get(query))
            .with_state(st)
    })
    .await;
    let tokens = FakeTokens::new(&base, "stale-token");
    let c = client(tokens.clone());
    c.query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap();
    assert_eq!(tokens.renewals(), 1);
    assert_eq!(
        state.tokens.lock().unwrap().as_slice(),
        ["stale-token", "fresh-token"]
    );
}

#[tokio::test]
async fn a_session_refused_even_after_renewal_is_not_renewed_again() {
    async fn query() -> Response {
        sf_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        )
    }
    let base = serve(|_| Router::new().route(&format!("{DATA}/query/"), get(query))).await;
    let tokens = FakeTokens::new(&base, "stale-token");
    let err = client(tokens.clone())
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap_err();
    assert_eq!(tokens.renewals(), 1);
    assert_eq!(err.code(), Some("INVALID_SESSION_ID"));
    assert_eq!(err.status(), Some(401));
}

#[tokio::test]
async fn a_locked_row_and_an_unavailable_server_are_waited_out() {
    #[derive(Clone, Default)]
    struct S {
        calls: Arc<AtomicUsize>,
        retry_at: Arc<Mutex<Option<Instant>>>,
        waited: Arc<Mutex<Option<bool>>>,
    }
    async fn update(State(s): State<S>) -> Response {
        match s.calls.fetch_add(1, Ordering::SeqCst) {
            0 => sf_error(
                StatusCode::BAD_REQUEST,
                "UNABLE_TO_LOCK_ROW",
                "unable to obtain exclusive access to this record or 1 records: 00U5e00000AbCdEFGH",
            ),
            1 => {
                *s.retry_at.lock().unwrap() = Some(Instant::now() + Duration::from_millis(300));
                (
                    StatusCode::SERVICE_UNAVAILABLE,
                    [("Retry-After", "1")],
                    "<html>Service Unavailable</html>",
                )
                    .into_response()
            }
            _ => {
                let at = s.retry_at.lock().unwrap().unwrap();
                *s.waited.lock().unwrap() = Some(Instant::now() >= at);
                StatusCode::NO_CONTENT.into_response()
            }
        }
    }
    let state = S::default();
    let st = state.clone();
    let base = serve(move |_| {
        Router::new()
            .route(
                &format!("{DATA}/sobjects/Event/{{id}}"),
                axum::routing::patch(update),
            )
            .with_state(st)
    })
    .await;
    client(FakeTokens::new(&base, "t"))
        .sobjects(SObject::Event)
        .update("00U5e00000AbCdEFGH", &json!({ "Subject": "Moved" }))
        .send()
        .await
        .unwrap();
    assert_eq!(state.calls.load(Ordering::SeqCst), 3);
    assert_eq!(
        *state.waited.lock().unwrap(),
        Some(true),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn unavailability_that_persists_ends_in_a_typed_retryable_error_after_bounded_attempts() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/query/"),
            get(move || {
                c2.fetch_add(1, Ordering::SeqCst);
                async {
                    sf_error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "SERVER_UNAVAILABLE",
                        "down for maintenance",
                    )
                }
            }),
        )
    })
    .await;
    let err = client(FakeTokens::new(&base, "t"))
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap_err();
    assert_eq!(calls.load(Ordering::SeqCst), 4);
    assert!(err.is_retryable());
    assert_eq!(err.code(), Some("SERVER_UNAVAILABLE"));
}

#[tokio::test]
async fn a_server_error_on_a_create_is_not_repeated() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/sobjects/Event"),
            post(move || {
                c2.fetch_add(1, Ordering::SeqCst);
                async {
                    sf_error(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "UNKNOWN_EXCEPTION",
                        "An unexpected error occurred.",
                    )
                }
            }),
        )
    })
    .await;
    let err = client(FakeTokens::new(&base, "t"))
        .sobjects(SObject::Event)
        .create(&json!({ "Subject": "x" }))
        .send()
        .await
        .unwrap_err();
    // It may have been created: a second POST could make a duplicate.
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert!(err.is_retryable());
}

#[tokio::test]
async fn the_daily_and_the_concurrent_limit_are_told_apart() {
    for (message, kind) in [
        ("TotalRequests Limit exceeded.", LimitKind::Daily),
        (
            "ConcurrentRequests (Concurrent API Requests) Limit exceeded.",
            LimitKind::Concurrent,
        ),
    ] {
        let base = serve(move |_| {
            Router::new().route(
                &format!("{DATA}/query/"),
                get(move || async move {
                    sf_error(StatusCode::FORBIDDEN, "REQUEST_LIMIT_EXCEEDED", message)
                }),
            )
        })
        .await;
        let err = client(FakeTokens::new(&base, "t"))
            .query("SELECT Id FROM Event")
            .all::<Value>()
            .await
            .unwrap_err();
        match err {
            SalesforceError::LimitExceeded { kind: k, .. } => assert_eq!(k, kind, "{message}"),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn writes_stop_at_the_reserve_before_anything_is_sent() {
    let writes = Arc::new(AtomicUsize::new(0));
    let w2 = writes.clone();
    let base = serve(move |_| {
        Router::new()
            .route(
                &format!("{DATA}/query/"),
                get(|| async { ok_with_usage(query_page(vec![], 0, None), 9_950, 10_000) }),
            )
            .route(
                &format!("{DATA}/composite/sobjects"),
                post(move || {
                    w2.fetch_add(1, Ordering::SeqCst);
                    async { ok(json!([{ "id": sf_id("00U", 1), "success": true, "errors": [] }])) }
                }),
            )
    })
    .await;
    let c = client(FakeTokens::new(&base, "t"));
    assert_eq!(c.latest_budget(), None);
    c.query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap();
    let budget = c.latest_budget().unwrap();
    assert_eq!((budget.remaining, budget.max), (50, 10_000));

    let err = c
        .collections()
        .create(SObject::Event, &[json!({ "Subject": "x" })])
        .send()
        .await
        .unwrap_err();
    match &err {
        SalesforceError::ReserveKept {
            reserve_percent,
            remaining,
            max,
            ..
        } => {
            assert_eq!((*reserve_percent, *remaining, *max), (10, 50, 10_000))
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        writes.load(Ordering::SeqCst),
        0,
        "a write was sent below the reserve"
    );
    // Reads go on; with no reserve the write goes out.
    c.query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap();
    let created = c
        .clone()
        .with_reserve_percent(0)
        .collections()
        .create(SObject::Event, &[json!({ "Subject": "x" })])
        .send()
        .await
        .unwrap();
    assert!(created[0].is_ok());
    assert_eq!(writes.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn collections_send_200_records_per_call_and_keep_every_result_in_order() {
    #[derive(Clone, Default)]
    struct S {
        sizes: Arc<Mutex<Vec<usize>>>,
        next: Arc<AtomicUsize>,
    }
    async fn create(State(s): State<S>, Json(body): Json<Value>) -> Response {
        let records = body["records"].as_array().unwrap();
        assert_eq!(body["allOrNone"], json!(false));
        s.sizes.lock().unwrap().push(records.len());
        let results: Vec<Value> = records
            .iter()
            .map(|r| {
                assert_eq!(r["attributes"]["type"], json!("Event"));
                let n = s.next.fetch_add(1, Ordering::SeqCst);
                if r["Subject"] == json!("refuse me") {
                    json!({ "success": false, "errors": [{
                        "statusCode": "FIELD_CUSTOM_VALIDATION_EXCEPTION",
                        "message": "Meetings need an agenda", "fields": ["Description"] }] })
                } else {
                    json!({ "id": sf_id("00U", n), "success": true, "errors": [] })
                }
            })
            .collect();
        ok(Value::Array(results))
    }
    let state = S::default();
    let st = state.clone();
    let base = serve(move |_| {
        Router::new()
            .route(&format!("{DATA}/composite/sobjects"), post(create))
            .with_state(st)
    })
    .await;
    let records: Vec<Value> = (0..450)
        .map(|i| json!({ "Subject": if i == 201 { "refuse me".to_string() } else { format!("Event {i}") } }))
        .collect();
    let results = client(FakeTokens::new(&base, "t"))
        .collections()
        .create(SObject::Event, &records)
        .send()
        .await
        .unwrap();
    assert_eq!(state.sizes.lock().unwrap().as_slice(), [200, 200, 50]);
    assert_eq!(results.len(), 450);
    assert_eq!(results[0].as_ref().unwrap(), &sf_id("00U", 0));
    assert_eq!(results[449].as_ref().unwrap(), &sf_id("00U", 449));
    let refused = results[201].as_ref().unwrap_err();
    assert_eq!(refused.code(), Some("FIELD_CUSTOM_VALIDATION_EXCEPTION"));
}

#[tokio::test]
async fn a_later_collections_call_that_fails_keeps_the_earlier_results() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c2 = calls.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/composite/sobjects"),
            axum::routing::delete(move |Query(q): Query<HashMap<String, String>>| {
                let n = c2.fetch_add(1, Ordering::SeqCst);
                async move {
                    if n > 0 {
                        return sf_error(
                            StatusCode::FORBIDDEN,
                            "REQUEST_LIMIT_EXCEEDED",
                            "TotalRequests Limit exceeded.",
                        );
                    }
                    assert_eq!(q.get("allOrNone").map(String::as_str), Some("false"));
                    let ids: Vec<Value> = q["ids"]
                        .split(',')
                        .map(|id| json!({ "id": id, "success": true, "errors": [] }))
                        .collect();
                    ok(Value::Array(ids))
                }
            }),
        )
    })
    .await;
    let mut ids: Vec<String> = (0..250).map(|i| sf_id("00U", i)).collect();
    ids.insert(3, "not an id".to_string());
    let results = client(FakeTokens::new(&base, "t"))
        .collections()
        .delete(&ids)
        .send()
        .await
        .unwrap();
    assert_eq!(results.len(), 251);
    assert!(matches!(results[3], Err(SalesforceError::Invalid { .. })));
    assert!(results[0].is_ok() && results[200].is_ok());
    assert!(matches!(
        results[201],
        Err(SalesforceError::LimitExceeded {
            kind: LimitKind::Daily,
            ..
        })
    ));
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn composite_answers_each_subrequest_under_its_reference() {
    async fn composite(Json(body): Json<Value>) -> Response {
        let subs = body["compositeRequest"].as_array().unwrap();
        assert_eq!(subs.len(), 2);
        assert_eq!(
            subs[0]["url"].as_str().unwrap().split('?').next(),
            Some("/services/data/v62.0/query/")
        );
        ok(json!({ "compositeResponse": [
            { "body": query_page(vec![json!({"attributes":{"type":"Account"},"Id":"001D000000IqhSLIAZ","Name":"Edge Communications"})], 1, None),
              "httpHeaders": {}, "httpStatusCode": 200, "referenceId": "accounts" },
            { "body": [{ "errorCode": "MALFORMED_QUERY", "message": "unexpected token: FORM" }],
              "httpHeaders": {}, "httpStatusCode": 400, "referenceId": "broken" }
        ]}))
    }
    let base = serve(|_| Router::new().route(&format!("{DATA}/composite"), post(composite))).await;
    let c = client(FakeTokens::new(&base, "t"));
    let mut answer = c
        .composite()
        .query("accounts", "SELECT Id, Name FROM Account")
        .query("broken", "SELECT Id FORM Account")
        .send()
        .await
        .unwrap();
    let accounts: onbehalf_salesforce::Page<Value> = answer.take("accounts").unwrap();
    assert_eq!(accounts.records[0]["Name"], json!("Edge Communications"));
    let err = answer.take::<Value>("broken").unwrap_err();
    assert_eq!(err.code(), Some("MALFORMED_QUERY"));

    let mut too_many = c.composite();
    for i in 0..6 {
        too_many = too_many.query(&format!("q{i}"), "SELECT Id FROM Account");
    }
    assert!(matches!(
        too_many.send().await,
        Err(SalesforceError::Invalid { .. })
    ));
}

#[tokio::test]
async fn the_version_check_names_the_versions_the_org_has() {
    async fn versions() -> Response {
        ok(json!([
            { "label": "Spring '24", "url": "/services/data/v60.0", "version": "60.0" },
            { "label": "Summer '24", "url": "/services/data/v61.0", "version": "61.0" }
        ]))
    }
    let base = serve(|_| Router::new().route("/services/data/", get(versions))).await;
    let tokens = FakeTokens::new(&base, "t");
    let err = client(tokens.clone()).check_version().await.unwrap_err();
    match &err {
        SalesforceError::VersionUnavailable { wanted, available } => {
            assert_eq!(wanted, "62.0");
            assert_eq!(available, &["60.0", "61.0"]);
        }
        other => panic!("{other:?}"),
    }
    assert!(
        err.to_string().contains("60.0") && err.to_string().contains("61.0"),
        "{err}"
    );
    SalesforceClient::new(
        ApiVersion::parse("61.0").unwrap(),
        tokens,
        &Trust::default(),
    )
    .unwrap()
    .check_version()
    .await
    .unwrap();
}

#[tokio::test]
async fn limits_give_the_daily_allowance() {
    async fn limits() -> Response {
        ok(json!({
            "ConcurrentAsyncGetReportInstances": { "Max": 200, "Remaining": 200 },
            "DailyApiRequests": { "Max": 15000, "Remaining": 14998,
                                  "Ant Migration Tool": { "Max": 0, "Remaining": 0 } },
            "DailyBulkApiBatches": { "Max": 15000, "Remaining": 15000 }
        }))
    }
    let base = serve(|_| Router::new().route(&format!("{DATA}/limits"), get(limits))).await;
    let limits = client(FakeTokens::new(&base, "t"))
        .limits()
        .send()
        .await
        .unwrap();
    let daily = limits.daily_api_requests().unwrap();
    assert_eq!((daily.remaining, daily.max), (14_998, 15_000));
}

#[tokio::test]
async fn redirects_are_not_followed_with_the_token() {
    async fn moved() -> Response {
        (
            StatusCode::FOUND,
            [("Location", "http://127.0.0.1:9/elsewhere")],
        )
            .into_response()
    }
    let base = serve(|_| Router::new().route(&format!("{DATA}/limits"), get(moved))).await;
    let err = client(FakeTokens::new(&base, "t"))
        .limits()
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(302));
}

#[tokio::test]
async fn the_identity_urls_refusal_of_a_stale_token_renews_it_once() {
    async fn identity(headers: HeaderMap) -> Response {
        if bearer(&headers) != "fresh-token" {
            return (StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response();
        }
        ok(json!({
            "id": "https://login.salesforce.com/id/00Dx0000000BV7zEAG/005x00000012Q9PAAU",
            "user_id": "005x00000012Q9PAAU",
            "organization_id": "00Dx0000000BV7zEAG",
            "username": "daniel.reyes@contoso.com",
            "display_name": "Daniel Reyes",
            "email": "daniel.reyes@contoso.com",
            "active": true
        }))
    }
    let base = serve(|_| {
        Router::new().route(
            &format!("/id/{}/{}", common::ORG_ID, common::USER_ID),
            get(identity),
        )
    })
    .await;
    let tokens = FakeTokens::new(&base, "stale-token");
    let me = client(tokens.clone()).identity().send().await.unwrap();
    assert_eq!(me.display_name, "Daniel Reyes");
    assert_eq!(tokens.renewals(), 1);
}
