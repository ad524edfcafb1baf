//! Tokens as Entra shapes them, and the ends of a refresh token's life: 90 days of
//! inactivity, and revocation of everyone's or one user's tokens, from Rust and over HTTP.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use reqwest::StatusCode;
use serde_json::{json, Value};

#[tokio::test]
async fn access_tokens_are_graph_jwts_and_refresh_tokens_look_like_entras() {
    let sb = start().await;
    let tokens = sign_in(&sb, DANIEL).await;
    assert!(tokens.access.len() >= 2000, "{}", tokens.access.len());
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(tokens.access.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    for claim in [
        "aud",
        "iss",
        "iat",
        "nbf",
        "exp",
        "aio",
        "amr",
        "app_displayname",
        "appid",
        "idtyp",
        "oid",
        "puid",
        "rh",
        "scp",
        "sid",
        "sub",
        "tid",
        "unique_name",
        "upn",
        "uti",
        "ver",
        "wids",
        "xms_st",
        "xms_tcdt",
    ] {
        assert!(claims.get(claim).is_some(), "{claim} in {claims}");
    }
    assert_eq!(claims["upn"], DANIEL);
    assert_eq!(claims["ver"], "1.0");
    let scp = claims["scp"].as_str().unwrap();
    assert!(
        scp.contains("Calendars.ReadWrite.Shared") && !scp.contains("https://"),
        "{scp}"
    );
    assert!(tokens.refresh.starts_with("0.A"));
    assert!((1400..1600).contains(&tokens.refresh.len()));
    sb.shutdown().await;
}

#[tokio::test]
async fn ninety_days_without_use_expire_a_refresh_token_and_use_keeps_it_alive() {
    let sb = start().await;
    let idle = sign_in(&sb, RITA).await;
    let used = sign_in(&sb, EMMA).await;
    let faults = sb.faults();
    faults.age_refresh_tokens(60);
    let (status, _) = refresh(&sb, &used.refresh, None).await;
    assert_eq!(status, StatusCode::OK, "60 days idle is within the limit");
    faults.age_refresh_tokens(45);

    let (status, body) = refresh(&sb, &idle.refresh, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 700082);
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("The refresh token has expired due to inactivity."));
    let (status, body) = refresh(&sb, &used.refresh, None).await;
    assert_eq!(status, StatusCode::OK, "used 45 days ago: {body}");

    let resp = http()
        .post(format!("{}/_sandbox/age-refresh-tokens", sb.base_url()))
        .json(&json!({"days": 91}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let (status, body) = refresh(&sb, &used.refresh, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error_codes"][0], 700082);
    sb.shutdown().await;
}

#[tokio::test]
async fn revoking_one_users_tokens_leaves_the_others_and_a_new_sign_in_works() {
    let sb = start().await;
    let emma = sign_in(&sb, EMMA).await;
    let rita = sign_in(&sb, RITA).await;
    assert!(sb.faults().revoke_refresh_tokens_of(EMMA));
    assert!(!sb.faults().revoke_refresh_tokens_of("nobody@contoso.com"));
    let (status, body) = refresh(&sb, &emma.refresh, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 50173);
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains("The provided grant has expired due to it being revoked"));
    let (status, _) = get(&sb, &emma.access, "/me").await;
    assert_eq!(status, StatusCode::OK, "access tokens run to their expiry");
    let (status, _) = refresh(&sb, &rita.refresh, None).await;
    assert_eq!(status, StatusCode::OK);

    let again = sign_in(&sb, EMMA).await;
    let (status, _) = refresh(&sb, &again.refresh, None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a new sign-in is after the revocation"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn revoking_everyones_tokens_over_http() {
    let sb = start().await;
    let daniel = sign_in(&sb, DANIEL).await;
    let noah = sign_in(&sb, NOAH).await;
    let control = |body: Option<Value>| {
        let mut req = http().post(format!("{}/_sandbox/revoke-refresh-tokens", sb.base_url()));
        if let Some(b) = body {
            req = req.json(&b);
        }
        req.send()
    };
    let resp = control(Some(json!({"user": "nobody@contoso.com"})))
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let resp = control(Some(json!({"user": NOAH}))).await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    let (status, _) = refresh(&sb, &daniel.refresh, None).await;
    assert_eq!(status, StatusCode::OK);
    let resp = control(None).await.unwrap();
    assert_eq!(resp.status(), StatusCode::NO_CONTENT);
    for token in [&daniel.refresh, &noah.refresh] {
        let (status, body) = refresh(&sb, token, None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error_codes"][0], 50173);
    }
    sb.shutdown().await;
}
