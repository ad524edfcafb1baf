//! OpenID Connect as Entra serves it: discovery metadata whose links follow the origin the
//! client used, ID tokens signed RS256 with a published key, userinfo, sign-out,
//! `client_info` for MSAL, and `correlation_id` echoing the client's request id.
#![allow(clippy::unwrap_used)]

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use onbehalf_sandbox::{CLIENT_ID, TENANT_ID};
use reqwest::StatusCode;
use serde_json::Value;

async fn json_at(url: &str, host: Option<&str>) -> (StatusCode, Value) {
    let mut req = http().get(url);
    if let Some(h) = host {
        req = req.header("host", h);
    }
    let resp = req.send().await.unwrap();
    (resp.status(), resp.json().await.unwrap())
}

#[tokio::test]
async fn discovery_links_follow_the_origin_the_client_used() {
    let sb = start().await;
    let port = sb.base_url().rsplit(':').next().unwrap().to_string();
    let url = format!("{}/v2.0/.well-known/openid-configuration", sb.authority());
    let (status, meta) = json_at(&url, Some(&format!("localhost:{port}"))).await;
    assert_eq!(status, StatusCode::OK);
    let origin = format!("http://localhost:{port}");
    assert_eq!(meta["issuer"], format!("{origin}/{TENANT_ID}/v2.0"));
    for (key, path) in [
        ("authorization_endpoint", "oauth2/v2.0/authorize"),
        ("token_endpoint", "oauth2/v2.0/token"),
        ("device_authorization_endpoint", "oauth2/v2.0/devicecode"),
        ("end_session_endpoint", "oauth2/v2.0/logout"),
        ("jwks_uri", "discovery/v2.0/keys"),
    ] {
        assert_eq!(meta[key], format!("{origin}/{TENANT_ID}/{path}"), "{key}");
    }
    assert_eq!(meta["userinfo_endpoint"], format!("{origin}/oidc/userinfo"));
    assert_eq!(
        meta["id_token_signing_alg_values_supported"],
        serde_json::json!(["RS256"])
    );

    // The multi-tenant endpoints name the issuer with a placeholder for the token's tenant.
    let common = format!(
        "{}/organizations/v2.0/.well-known/openid-configuration",
        sb.base_url()
    );
    let (_, meta) = json_at(&common, None).await;
    assert_eq!(
        meta["issuer"],
        format!("{}/{{tenantid}}/v2.0", sb.base_url())
    );
    assert_eq!(
        meta["token_endpoint"],
        format!("{}/organizations/oauth2/v2.0/token", sb.base_url())
    );

    // A tenant that does not exist fails as Entra's discovery does.
    let unknown = format!(
        "{}/fabrikam.example/v2.0/.well-known/openid-configuration",
        sb.base_url()
    );
    let (status, body) = json_at(&unknown, None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_tenant");
    assert_eq!(body["error_codes"], serde_json::json!([90002]));
    sb.shutdown().await;
}

#[tokio::test]
async fn the_id_token_is_signed_rs256_with_a_key_the_jwks_publishes() {
    let sb = start().await;
    let tokens = sign_in(&sb, DANIEL).await;
    let header = jsonwebtoken::decode_header(&tokens.id_token).unwrap();
    assert_eq!(header.alg, Algorithm::RS256);
    let kid = header.kid.expect("the ID token names its key");

    let (_, meta) = json_at(
        &format!("{}/v2.0/.well-known/openid-configuration", sb.authority()),
        None,
    )
    .await;
    let (status, jwks) = json_at(meta["jwks_uri"].as_str().unwrap(), None).await;
    assert_eq!(status, StatusCode::OK);
    let key = jwks["keys"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["kid"] == kid.as_str())
        .expect("the key is published");
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["use"], "sig");
    let public =
        DecodingKey::from_rsa_components(key["n"].as_str().unwrap(), key["e"].as_str().unwrap())
            .unwrap();
    let mut validation = Validation::new(Algorithm::RS256);
    validation.set_audience(&[CLIENT_ID]);
    validation.set_issuer(&[meta["issuer"].as_str().unwrap()]);
    let claims = jsonwebtoken::decode::<Value>(&tokens.id_token, &public, &validation)
        .expect("the ID token verifies with the published key")
        .claims;
    assert_eq!(claims["preferred_username"], DANIEL);
    assert_eq!(claims["tid"], TENANT_ID);

    // The same key signs after a restart of a sandbox with a state file.
    sb.shutdown().await;
}

#[tokio::test]
async fn the_signing_key_is_kept_with_the_state() {
    let dir = tempfile::tempdir().unwrap();
    let state = dir.path().join("state.json");
    let opts = || onbehalf_sandbox::SandboxOptions {
        state_file: Some(state.clone()),
        ..Default::default()
    };
    let sb = onbehalf_sandbox::Sandbox::start(opts()).await.unwrap();
    let first = jsonwebtoken::decode_header(&sign_in(&sb, DANIEL).await.id_token)
        .unwrap()
        .kid;
    sb.shutdown().await;
    let sb = onbehalf_sandbox::Sandbox::start(opts()).await.unwrap();
    let second = jsonwebtoken::decode_header(&sign_in(&sb, EMMA).await.id_token)
        .unwrap()
        .kid;
    assert_eq!(first, second);
    sb.shutdown().await;

    // A new state has a key of its own.
    let other = start().await;
    let third = jsonwebtoken::decode_header(&sign_in(&other, EMMA).await.id_token)
        .unwrap()
        .kid;
    assert_ne!(first, third);
    other.shutdown().await;
}

#[tokio::test]
async fn client_info_names_the_home_account_msal_builds() {
    let sb = start().await;
    let pkce = pkce();
    let code = authorization_code(&sb, DANIEL, &pkce).await;
    let (status, body) = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
            ("client_info", "1"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let info: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(body["client_info"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    let (_, me) = get(&sb, body["access_token"].as_str().unwrap(), "/me").await;
    assert_eq!(info["uid"], me["id"]);
    assert_eq!(info["utid"], TENANT_ID);

    // Without the parameter there is none.
    let tokens = sign_in(&sb, EMMA).await;
    let (_, plain) = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &tokens.refresh),
        ],
    )
    .await;
    assert!(plain.get("client_info").is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn an_error_carries_the_client_request_id_as_its_correlation_id() {
    let sb = start().await;
    let request_id = "5e0b3c2a-9d4f-4a1e-8b7c-6d5e4f3a2b1c";
    let resp = http()
        .post(format!("{}/oauth2/v2.0/token", sb.authority()))
        .header("client-request-id", request_id)
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", "not-a-token"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["correlation_id"], request_id);
    assert!(body["error_description"]
        .as_str()
        .unwrap()
        .contains(&format!("Correlation ID: {request_id}")));

    // The device code endpoint's errors too.
    let resp = http()
        .post(format!("{}/oauth2/v2.0/devicecode", sb.authority()))
        .header("client-request-id", request_id)
        .form(&[("client_id", CLIENT_ID)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["correlation_id"], request_id);
    sb.shutdown().await;
}

#[tokio::test]
async fn userinfo_names_the_bearer_with_the_id_tokens_subject() {
    let sb = start().await;
    let tokens = sign_in(&sb, EMMA).await;
    let resp = http()
        .get(format!("{}/oidc/userinfo", sb.base_url()))
        .bearer_auth(&tokens.access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let info: Value = resp.json().await.unwrap();
    let id_claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(tokens.id_token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(info["sub"], id_claims["sub"]);
    assert_eq!(info["email"], EMMA);

    let refused = http()
        .get(format!("{}/oidc/userinfo", sb.base_url()))
        .bearer_auth("nonsense")
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), StatusCode::UNAUTHORIZED);
    assert!(refused.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .contains("invalid_token"));
    sb.shutdown().await;
}

#[tokio::test]
async fn sign_out_returns_to_a_registered_address_only() {
    let sb = start().await;
    let logout = format!("{}/oauth2/v2.0/logout", sb.authority());
    let back = http()
        .get(&logout)
        .query(&[(
            "post_logout_redirect_uri",
            "http://localhost:8400/signed-out",
        )])
        .send()
        .await
        .unwrap();
    assert_eq!(back.status(), StatusCode::FOUND);
    assert_eq!(
        back.headers()["location"],
        "http://localhost:8400/signed-out"
    );
    let elsewhere = http()
        .get(&logout)
        .query(&[("post_logout_redirect_uri", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(elsewhere.status(), StatusCode::OK);
    assert!(elsewhere.text().await.unwrap().contains("signed out"));
    sb.shutdown().await;
}

#[tokio::test]
async fn the_device_code_asks_for_entras_five_second_interval() {
    let sb = start().await;
    let resp = http()
        .post(format!("{}/oauth2/v2.0/devicecode", sb.authority()))
        .form(&[("client_id", CLIENT_ID), ("scope", SCOPE)])
        .send()
        .await
        .unwrap();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["interval"], 5);
    assert_eq!(
        body["verification_uri"],
        format!("{}/devicelogin", sb.base_url())
    );
    sb.shutdown().await;
}
