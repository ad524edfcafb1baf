//! The Graph client against small in-test servers shaped like the Graph docs examples.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use common::{calendar_json, graph, graph_error, ok, serve, FakeTokens};
use futures_util::TryStreamExt;
use onbehalf_graph::{BatchRequest, CalendarTarget, GraphError, GraphPath, MAX_BATCH};
use reqwest::Method;
use serde_json::{json, Value};

#[tokio::test]
async fn paging_follows_next_link_to_the_end() {
    #[derive(Clone)]
    struct S {
        base: String,
        tops: Arc<Mutex<Vec<Option<String>>>>,
    }
    async fn calendars(State(s): State<S>, Query(q): Query<HashMap<String, String>>) -> Response {
        s.tops.lock().unwrap().push(q.get("$top").cloned());
        let next = |token: &str| format!("{}/v1.0/me/calendars?$top=2&$skiptoken={token}", s.base);
        let (ids, link) = match q.get("$skiptoken").map(String::as_str) {
            None => (vec!["c1", "c2"], Some(next("p2"))),
            Some("p2") => (vec!["c3", "c4"], Some(next("p3"))),
            _ => (vec!["c5"], None),
        };
        let value: Vec<Value> = ids
            .iter()
            .map(|id| calendar_json(id, &format!("Calendar {id}"), "megan@contoso.com"))
            .collect();
        let mut body = json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#me/calendars",
            "value": value
        });
        if let Some(link) = link {
            body["@odata.nextLink"] = json!(link);
        }
        ok(body)
    }
    let tops = Arc::new(Mutex::new(Vec::new()));
    let t = tops.clone();
    let base = serve(move |base| {
        Router::new()
            .route("/v1.0/me/calendars", get(calendars))
            .with_state(S { base, tops: t })
    })
    .await;
    let client = graph(&base, FakeTokens::new("t"));

    let all = client.calendars().list_mine(Some(2)).all().await.unwrap();
    let ids: Vec<&str> = all.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);
    assert_eq!(
        tops.lock().unwrap().as_slice(),
        [Some("2".to_string()), Some("2".into()), Some("2".into())]
    );

    let pages: Vec<_> = client
        .calendars()
        .list_mine(Some(2))
        .into_stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        pages.iter().map(|p| p.value.len()).collect::<Vec<_>>(),
        [2, 2, 1]
    );
    assert!(pages[2].next_link.is_none());

    let mut pager = client.calendars().list_mine(Some(2));
    let mut seen = 0;
    while let Some(page) = pager.next_page().await.unwrap() {
        seen += page.value.len();
    }
    assert_eq!(seen, 5);
}

#[tokio::test]
async fn a_next_link_to_another_host_is_not_followed() {
    async fn page() -> Response {
        ok(
            json!({"value": [], "@odata.nextLink": "https://attacker.example/v1.0/me/calendars?$skiptoken=x"}),
        )
    }
    let base = serve(|_| Router::new().route("/v1.0/me/calendars", get(page))).await;
    let err = graph(&base, FakeTokens::new("t"))
        .calendars()
        .list_mine(None)
        .all()
        .await
        .unwrap_err();
    assert!(matches!(err, GraphError::Invalid { .. }), "{err:?}");
}

#[tokio::test]
async fn a_throttled_call_is_retried_after_retry_after() {
    #[derive(Clone, Default)]
    struct S {
        calls: Arc<AtomicUsize>,
        not_before: Arc<Mutex<Option<Instant>>>,
        second_came_after_the_wait: Arc<Mutex<Option<bool>>>,
    }
    async fn me(State(s): State<S>) -> Response {
        match s.calls.fetch_add(1, Ordering::SeqCst) {
            0 => {
                *s.not_before.lock().unwrap() = Some(Instant::now() + Duration::from_millis(300));
                let mut r = graph_error(
                    StatusCode::TOO_MANY_REQUESTS,
                    "TooManyRequests",
                    "Too many requests.",
                );
                r.headers_mut()
                    .insert("Retry-After", "0.3".parse().unwrap());
                r
            }
            _ => {
                let deadline = s.not_before.lock().unwrap().unwrap();
                *s.second_came_after_the_wait.lock().unwrap() = Some(Instant::now() >= deadline);
                ok(
                    json!({"id": "u1", "displayName": "Megan Bowen", "mail": "megan@contoso.com", "userPrincipalName": "megan@contoso.com"}),
                )
            }
        }
    }
    let state = S::default();
    let s = state.clone();
    let base = serve(move |_| Router::new().route("/v1.0/me", get(me)).with_state(s)).await;
    let user = graph(&base, FakeTokens::new("t"))
        .users()
        .me()
        .await
        .unwrap();
    assert_eq!(user.display_name, "Megan Bowen");
    assert_eq!(state.calls.load(Ordering::SeqCst), 2);
    assert_eq!(
        *state.second_came_after_the_wait.lock().unwrap(),
        Some(true)
    );
}

#[tokio::test]
async fn unavailability_that_persists_gives_a_typed_error_after_bounded_attempts() {
    let calls = Arc::new(AtomicUsize::new(0));
    let c = calls.clone();
    let base = serve(move |_| {
        Router::new().route(
            "/v1.0/me",
            get(move || {
                let c = c.clone();
                async move {
                    c.fetch_add(1, Ordering::SeqCst);
                    graph_error(
                        StatusCode::SERVICE_UNAVAILABLE,
                        "ServiceUnavailable",
                        "Try later.",
                    )
                }
            }),
        )
    })
    .await;
    let client = graph(&base, FakeTokens::new("t"));
    let err = client.users().me().await.unwrap_err();
    match &err {
        GraphError::Api {
            status,
            code,
            operation,
            request_id,
            ..
        } => {
            assert_eq!(*status, 503);
            assert_eq!(code, "ServiceUnavailable");
            assert_eq!(*operation, "read your profile");
            assert!(request_id.is_some());
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert_eq!(
        calls.load(Ordering::SeqCst),
        client.retry_policy().max_attempts as usize
    );
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_and_the_call_repeated() {
    async fn me(headers: HeaderMap) -> Response {
        match headers.get("authorization").and_then(|v| v.to_str().ok()) {
            Some("Bearer fresh-token") => ok(
                json!({"id": "u1", "displayName": "Megan Bowen", "userPrincipalName": "megan@contoso.com"}),
            ),
            _ => graph_error(
                StatusCode::UNAUTHORIZED,
                "InvalidAuthenticationToken",
                "Access token has expired or is not yet valid.",
            ),
        }
    }
    let base = serve(|_| Router::new().route("/v1.0/me", get(me))).await;
    let tokens = FakeTokens::new("stale-token");
    let user = graph(&base, tokens.clone()).users().me().await.unwrap();
    assert_eq!(user.address(), "megan@contoso.com");
    assert_eq!(tokens.refreshes(), 1);
}

#[tokio::test]
async fn a_token_refused_again_after_refresh_is_not_refreshed_twice() {
    async fn me() -> Response {
        graph_error(
            StatusCode::UNAUTHORIZED,
            "InvalidAuthenticationToken",
            "Access token validation failure.",
        )
    }
    let base = serve(|_| Router::new().route("/v1.0/me", get(me))).await;
    let tokens = FakeTokens::new("stale-token");
    let err = graph(&base, tokens.clone()).users().me().await.unwrap_err();
    assert_eq!(err.status(), Some(401));
    assert_eq!(err.code(), Some("InvalidAuthenticationToken"));
    assert_eq!(tokens.refreshes(), 1);
}

#[tokio::test]
async fn malformed_json_is_a_decode_error_naming_the_operation() {
    let base = serve(|_| {
        Router::new()
            .route(
                "/v1.0/me/calendars",
                get(|| async {
                    (
                        StatusCode::OK,
                        [("content-type", "application/json")],
                        r#"{"value":[{"id":"c1","name":"Cal"#,
                    )
                }),
            )
            .route(
                "/v1.0/me",
                get(|| async { ok(json!({"id": 42, "displayName": ["not", "a", "name"]})) }),
            )
    })
    .await;
    let client = graph(&base, FakeTokens::new("t"));
    let err = client.calendars().list_mine(None).all().await.unwrap_err();
    match &err {
        GraphError::Decode { operation, .. } => assert_eq!(*operation, "list your calendars"),
        other => panic!("expected Decode, got {other:?}"),
    }
    assert!(err.to_string().contains("list your calendars"), "{err}");
    let err = client.users().me().await.unwrap_err();
    assert!(
        matches!(
            err,
            GraphError::Decode {
                operation: "read your profile",
                ..
            }
        ),
        "{err:?}"
    );
}

#[tokio::test]
async fn ids_are_sent_percent_encoded_with_the_standard_headers() {
    #[derive(Clone, Default)]
    struct Seen(Arc<Mutex<Vec<(String, HeaderMap)>>>);
    async fn any(State(seen): State<Seen>, uri: Uri, headers: HeaderMap) -> Response {
        seen.0
            .lock()
            .unwrap()
            .push((uri.path().to_string(), headers));
        ok(json!({"id": "AAMk/x+y==", "subject": "Board meeting"}))
    }
    let seen = Seen::default();
    let s = seen.clone();
    let base = serve(move |_| Router::new().fallback(any).with_state(s)).await;
    let event = graph(&base, FakeTokens::new("t"))
        .events(CalendarTarget::default_of("megan@contoso.com"))
        .get("AAMk/x+y==", None)
        .await
        .unwrap();
    assert_eq!(event.subject.as_deref(), Some("Board meeting"));
    let seen = seen.0.lock().unwrap();
    let (path, headers) = &seen[0];
    assert_eq!(
        path,
        "/v1.0/users/megan%40contoso.com/events/AAMk%2Fx%2By%3D%3D"
    );
    assert_eq!(headers.get("prefer").unwrap(), "IdType=\"ImmutableId\"");
    assert_eq!(headers.get("authorization").unwrap(), "Bearer t");
    assert!(headers.get("client-request-id").is_some());
}

#[tokio::test]
async fn graph_error_codes_are_kept() {
    let base = serve(|_| {
        Router::new().route(
            "/v1.0/users/{owner}/calendar",
            get(|| async {
                graph_error(
                    StatusCode::FORBIDDEN,
                    "ErrorAccessDenied",
                    "Access is denied. Check credentials and try again.",
                )
            }),
        )
    })
    .await;
    let err = graph(&base, FakeTokens::new("t"))
        .calendars()
        .get(&CalendarTarget::default_of("ceo@contoso.com"), None)
        .await
        .unwrap_err();
    assert_eq!(
        err,
        GraphError::Api {
            operation: "read a calendar",
            status: 403,
            code: "ErrorAccessDenied".into(),
            message: "Access is denied. Check credentials and try again.".into(),
            request_id: Some("5e2b6c1a-0000-4000-8000-000000000001".into()),
            retry_after: None,
        }
    );
    assert!(!err.is_retryable());
}

#[tokio::test]
async fn batches_hold_twenty_keep_dependencies_together_and_retry_throttled_members() {
    #[derive(Clone, Default)]
    struct S {
        batches: Arc<Mutex<Vec<Vec<String>>>>,
        crossing: Arc<AtomicUsize>,
        throttled_once: Arc<AtomicUsize>,
        singles: Arc<Mutex<Vec<String>>>,
    }
    async fn batch(State(s): State<S>, Json(body): Json<Value>) -> Response {
        let requests = body["requests"].as_array().cloned().unwrap_or_default();
        let ids: Vec<String> = requests
            .iter()
            .map(|r| r["id"].as_str().unwrap().to_string())
            .collect();
        let mut responses = Vec::new();
        let mut failed: Vec<String> = Vec::new();
        for r in &requests {
            let id = r["id"].as_str().unwrap().to_string();
            assert_eq!(r["headers"]["Prefer"], "IdType=\"ImmutableId\"");
            let deps: Vec<String> = r["dependsOn"]
                .as_array()
                .map(|a| a.iter().map(|d| d.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            if deps.iter().any(|d| !ids.contains(d)) {
                s.crossing.fetch_add(1, Ordering::SeqCst);
            }
            let response = if deps.iter().any(|d| failed.contains(d)) {
                failed.push(id.clone());
                json!({"id": id, "status": 424, "body": {"error": {"code": "FailedDependency", "message": "The dependent request failed."}}})
            } else if id == "7" && s.throttled_once.fetch_add(1, Ordering::SeqCst) == 0 {
                failed.push(id.clone());
                json!({"id": id, "status": 429, "headers": {"Retry-After": "0"},
                       "body": {"error": {"code": "ApplicationThrottled", "message": "Application is over its MailboxConcurrency limit."}}})
            } else {
                let event_id = r["url"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_string();
                json!({"id": id, "status": 200, "headers": {"Content-Type": "application/json"}, "body": {"id": event_id}})
            };
            responses.push(response);
        }
        // Graph may answer in any order.
        responses.reverse();
        s.batches.lock().unwrap().push(ids);
        ok(json!({"responses": responses}))
    }
    async fn single(State(s): State<S>, uri: Uri) -> Response {
        let id = uri.path().rsplit('/').next().unwrap().to_string();
        s.singles.lock().unwrap().push(id.clone());
        ok(json!({"id": id}))
    }
    let state = S::default();
    let s = state.clone();
    let base = serve(move |_| {
        Router::new()
            .route("/v1.0/$batch", post(batch))
            .route("/v1.0/me/events/{id}", get(single))
            .with_state(s)
    })
    .await;

    let requests: Vec<BatchRequest> = (0..45)
        .map(|i| {
            let r = BatchRequest::new(
                i.to_string(),
                Method::GET,
                &GraphPath::new()
                    .lit("me")
                    .lit("events")
                    .id(&format!("ev{i}")),
                &[],
            );
            match i {
                8 => r.depends_on("7"),
                19 => r.depends_on("18"),
                20 => r.depends_on("19"),
                _ => r,
            }
        })
        .collect();
    let answers = graph(&base, FakeTokens::new("t"))
        .batch(requests)
        .await
        .unwrap();

    let batches = state.batches.lock().unwrap().clone();
    assert!(batches.iter().all(|b| b.len() <= MAX_BATCH), "{batches:?}");
    assert_eq!(batches.iter().map(Vec::len).sum::<usize>(), 45);
    assert_eq!(batches.len(), 3);
    assert_eq!(state.crossing.load(Ordering::SeqCst), 0);
    // The throttled member, then the one that depended on it, each on its own.
    assert_eq!(state.singles.lock().unwrap().as_slice(), ["ev7", "ev8"]);
    assert_eq!(
        answers.iter().map(|a| a.id.clone()).collect::<Vec<_>>(),
        (0..45).map(|i| i.to_string()).collect::<Vec<_>>()
    );
    assert!(answers.iter().all(|a| a.status == 200), "{answers:?}");
    #[derive(serde::Deserialize)]
    struct Id {
        id: String,
    }
    assert_eq!(answers[7].json::<Id>("read an event").unwrap().id, "ev7");
}

#[tokio::test]
async fn a_failed_batch_member_keeps_its_error_code() {
    let base = serve(|_| {
        Router::new().route(
            "/v1.0/$batch",
            post(|| async {
                ok(json!({"responses": [{"id": "1", "status": 404, "headers": {"request-id": "r-9"},
                    "body": {"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}}}]}))
            }),
        )
    })
    .await;
    let answers = graph(&base, FakeTokens::new("t"))
        .batch(vec![BatchRequest::new(
            "1",
            Method::GET,
            &GraphPath::new().lit("me").lit("events").id("gone"),
            &[],
        )])
        .await
        .unwrap();
    let err = answers[0].json::<Value>("read an event").unwrap_err();
    assert_eq!(err.code(), Some("ErrorItemNotFound"));
    assert_eq!(err.status(), Some(404));
}
