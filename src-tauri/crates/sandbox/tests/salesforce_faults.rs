//! Salesforce faults and admin actions, from Rust and over `/_sandbox/salesforce/*`: latency,
//! 503, `UNABLE_TO_LOCK_ROW` on every nth write, expired sessions, a spent API budget,
//! revoked refresh tokens and org settings.

mod common;

use std::time::Duration;

use common::salesforce::*;
use common::{http, start, DANIEL, OLIVIA, RITA};
use onbehalf_sandbox::{demo_org, SALESFORCE_CLIENT_ID};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn instance_faults_from_rust() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let t = sign_in(&sb, OLIVIA).await;
    let seen = faults.requests_seen();
    faults.unavailable_every(1);
    let r = get(&t, "/limits").await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(code(&r.body), "SERVER_UNAVAILABLE");
    assert_eq!(faults.requests_seen(), seen + 1);
    // Graph's faults are its own: Graph keeps answering.
    let graph = common::token_for(&sb, OLIVIA).await;
    assert_eq!(common::get(&sb, &graph, "/me").await.0, StatusCode::OK);

    faults.clear();
    sb.faults().unavailable_every(1);
    assert_eq!(
        get(&t, "/limits").await.status,
        StatusCode::OK,
        "and the other way round"
    );
    sb.faults().clear();

    faults.set_latency(Duration::from_millis(150));
    let started = std::time::Instant::now();
    assert_eq!(get(&t, "/limits").await.status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));
    faults.clear();

    faults.unable_to_lock_row_every(2);
    let first = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(event("Lock one", 3, 30)),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED);
    let second = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(event("Lock two", 3, 30)),
    )
    .await;
    assert_eq!(second.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&second.body), "UNABLE_TO_LOCK_ROW");
    let batch = call(
        &t,
        Method::POST,
        "/composite/sobjects",
        Some(json!({"records": [
            {"attributes": {"type": "Contact"}, "LastName": "One"},
            {"attributes": {"type": "Contact"}, "LastName": "Two"},
        ]})),
    )
    .await;
    let codes: Vec<Value> = batch
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["errors"][0]["statusCode"].clone())
        .collect();
    assert_eq!(codes, [Value::Null, json!("UNABLE_TO_LOCK_ROW")]);
    faults.clear();
    sb.shutdown().await;
}

async fn refresh(sb: &onbehalf_sandbox::Sandbox, token: &str) -> (StatusCode, Value) {
    token_request(
        sb,
        &[
            ("grant_type", "refresh_token"),
            ("client_id", SALESFORCE_CLIENT_ID),
            ("refresh_token", token),
        ],
    )
    .await
}

#[tokio::test]
async fn sessions_expire_and_refresh_tokens_are_revoked_on_demand() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let daniel = sign_in(&sb, DANIEL).await;
    let rita = sign_in(&sb, RITA).await;
    faults.expire_all_sessions();
    let r = get(&daniel, "/limits").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&r.body), "INVALID_SESSION_ID");
    let (status, fresh) = refresh(&sb, &daniel.refresh).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "refresh tokens outlive expired sessions"
    );

    assert!(faults.revoke_refresh_tokens_of(RITA));
    assert_eq!(refresh(&sb, &rita.refresh).await.0, StatusCode::BAD_REQUEST);
    let (status, _) = refresh(&sb, fresh["refresh_token"].as_str().unwrap()).await;
    assert_eq!(status, StatusCode::OK, "others' tokens are untouched");
    assert!(!faults.revoke_refresh_tokens_of("nobody@contoso.com"));
    faults.revoke_refresh_tokens();
    let again = sign_in(&sb, DANIEL).await;
    faults.revoke_refresh_tokens();
    let (status, body) = refresh(&sb, &again.refresh).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_same_controls_over_http() {
    let sb = start().await;
    let control = |path: &'static str, body: Option<Value>| {
        let url = format!("{}/_sandbox/salesforce/{path}", sb.base_url());
        async move {
            let mut req = http().post(url);
            if let Some(b) = body {
                req = req.json(&b);
            }
            req.send().await.unwrap()
        }
    };
    let t = sign_in(&sb, OLIVIA).await;
    let resp = control(
        "faults",
        Some(json!({"unavailable_every": 1, "unable_to_lock_row_every": 3})),
    )
    .await;
    assert_eq!(resp.status(), StatusCode::OK);
    let settings: Value = resp.json().await.unwrap();
    assert_eq!(
        settings,
        json!({"unavailable_every": 1, "unable_to_lock_row_every": 3})
    );
    assert_eq!(
        get(&t, "/limits").await.status,
        StatusCode::SERVICE_UNAVAILABLE
    );
    control("faults", Some(json!({"clear": true}))).await;
    let current: Value = http()
        .get(format!("{}/_sandbox/salesforce/faults", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(current, json!({}));

    let r = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(event("Two days", 4, 2880)),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(
        control("settings", Some(json!({"multiday_events": false})))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    let r = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(event("Two days", 4, 2880)),
    )
    .await;
    assert_eq!(code(&r.body), "FIELD_INTEGRITY_EXCEPTION");
    assert_eq!(
        control(
            "settings",
            Some(json!({"org": "00Dnot-an-org", "multiday_events": true}))
        )
        .await
        .status(),
        StatusCode::BAD_REQUEST
    );

    assert_eq!(
        control("expire-sessions", None).await.status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(get(&t, "/limits").await.status, StatusCode::UNAUTHORIZED);

    let t = sign_in(&sb, OLIVIA).await;
    assert_eq!(
        control("spend-api-budget", None).await.status(),
        StatusCode::NO_CONTENT
    );
    let r = get(&t, "/limits").await;
    assert_eq!(code(&r.body), "REQUEST_LIMIT_EXCEEDED");
    let usage: Value = http()
        .get(format!("{}/_sandbox/salesforce/api-usage", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let contoso = &demo_org().crm_orgs[0];
    let entry = usage
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["org"] == contoso.id.as_str())
        .unwrap();
    assert_eq!(entry["used"], entry["max"]);
    assert_eq!(entry["max"], contoso.daily_api_requests);

    assert_eq!(
        control("revoke-refresh-tokens", Some(json!({"user": OLIVIA})))
            .await
            .status(),
        StatusCode::NO_CONTENT
    );
    assert_eq!(refresh(&sb, &t.refresh).await.0, StatusCode::BAD_REQUEST);
    assert_eq!(
        control(
            "revoke-refresh-tokens",
            Some(json!({"user": "nobody@contoso.com"}))
        )
        .await
        .status(),
        StatusCode::BAD_REQUEST
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_query_too_long_for_a_uri_is_refused_there_and_taken_in_a_composite_body() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    // 200 Exchange ids: longer than the 16,384 bytes a URI and its headers may take.
    let ids: Vec<String> = (0..200)
        .map(|i| format!("'AAMkAGI2TGuLAAA{i:0>120}='"))
        .collect();
    let soql = format!(
        "SELECT Id FROM Event WHERE Onbehalf_Exchange_Id__c IN ({})",
        ids.join(",")
    );
    let r = get(&t, &format!("/query?q={}", urlencode(&soql))).await;
    assert_eq!(r.status, StatusCode::URI_TOO_LONG);

    let body = json!({ "compositeRequest": [{
        "method": "GET",
        "url": format!("/services/data/{V}/query?q={}", urlencode(&soql)),
        "referenceId": "q0",
    }]});
    let r = call(&t, Method::POST, "/composite", Some(body)).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body["compositeResponse"][0]["httpStatusCode"],
        json!(200),
        "{}",
        r.body
    );
}
