//! The identity platform over HTTP: sign-in page, authorization code with PKCE, refresh
//! rotation, device code, and token checks on Graph.

mod common;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::*;
use onbehalf_sandbox::{demo_org, CLIENT_ID, TENANT_ID};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn the_sign_in_page_lists_every_demo_user_with_a_findable_button() {
    let sb = start().await;
    let resp = http()
        .get(authorize_url(&sb, &pkce(), None))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let html = resp.text().await.unwrap();
    for user in demo_org().users {
        assert!(
            html.contains(&format!("data-user=\"{}\"", user.address)),
            "{}",
            user.address
        );
        assert!(html.contains(&user.display_name));
        assert!(html.contains(&user.story));
    }
    let unknown = http()
        .get(authorize_url(&sb, &pkce(), Some("nobody@contoso.com")))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    assert!(unknown.text().await.unwrap().contains("nobody@contoso.com"));
    sb.shutdown().await;
}

#[tokio::test]
async fn an_unknown_client_or_a_non_loopback_redirect_gets_an_error_page_not_a_redirect() {
    let sb = start().await;
    let url = authorize_url(&sb, &pkce(), Some(DANIEL))
        .replace(CLIENT_ID, "00000000-0000-0000-0000-000000000000");
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("AADSTS700016"));
    let url =
        authorize_url(&sb, &pkce(), Some(DANIEL)).replace("127.0.0.1%3A53682", "evil.example");
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("AADSTS50011"));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_code_redeems_once_with_the_right_verifier_and_the_id_token_names_the_user() {
    let sb = start().await;
    let p = pkce();
    let code = authorization_code(&sb, DANIEL, &p).await;
    let redeem = |verifier: String| {
        let code = code.clone();
        let sb = &sb;
        async move {
            token_request(
                sb,
                &[
                    ("client_id", CLIENT_ID),
                    ("grant_type", "authorization_code"),
                    ("code", &code),
                    ("redirect_uri", REDIRECT),
                    ("code_verifier", &verifier),
                ],
            )
            .await
        }
    };
    let (status, body) = redeem("a-wrong-verifier-that-is-long-enough-0123456789".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 501481);
    assert_shape(&fixture("token-error.json"), &body, "token error");

    let (status, body) = redeem(p.verifier.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_shape(&fixture("token-response.json"), &body, "token");
    assert_eq!(body["token_type"], "Bearer");
    let id_token = body["id_token"].as_str().unwrap();
    let claims: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(id_token.split('.').nth(1).unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(claims["tid"], TENANT_ID);
    assert_eq!(claims["preferred_username"], DANIEL);
    assert_eq!(claims["name"], "Daniel Reyes");
    assert_eq!(claims["aud"], CLIENT_ID);
    assert!(claims["oid"].as_str().is_some_and(|o| o.len() == 36));

    let (status, body) = redeem(p.verifier.clone()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 54005);
    sb.shutdown().await;
}

#[tokio::test]
async fn refresh_tokens_rotate_and_the_old_one_keeps_working() {
    let sb = start().await;
    let first = sign_in(&sb, EMMA).await;
    let refresh = |token: String| {
        let sb = &sb;
        async move {
            token_request(
                sb,
                &[
                    ("client_id", CLIENT_ID),
                    ("grant_type", "refresh_token"),
                    ("refresh_token", &token),
                ],
            )
            .await
        }
    };
    let (status, second) = refresh(first.refresh.clone()).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let second_refresh = second["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(second_refresh, first.refresh);
    assert_ne!(second["access_token"].as_str().unwrap(), first.access);
    let (status, third) = refresh(first.refresh.clone()).await;
    assert_eq!(status, StatusCode::OK, "{third}");
    let (status, me) = get(&sb, third["access_token"].as_str().unwrap(), "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["mail"], EMMA);
    let (status, body) = refresh("not-a-refresh-token".into()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    sb.shutdown().await;
}

#[tokio::test]
async fn an_expired_or_missing_token_is_refused_and_a_refreshed_one_works() {
    let sb = start().await;
    let tokens = sign_in(&sb, RITA).await;
    let (status, _) = get(&sb, &tokens.access, "/me").await;
    assert_eq!(status, StatusCode::OK);
    sb.faults().expire_all_tokens();
    let (status, body) = get(&sb, &tokens.access, "/me").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(error_code(&body), "InvalidAuthenticationToken");
    assert_shape(&fixture("error.json"), &body, "401");
    let resp = http()
        .get(format!("{}/me", sb.graph_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    let (status, refreshed) = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &tokens.refresh),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, me) = get(&sb, refreshed["access_token"].as_str().unwrap(), "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(me["userPrincipalName"], RITA);
    sb.shutdown().await;
}

#[tokio::test]
async fn device_code_is_pending_until_approved_on_the_page() {
    let sb = start().await;
    let resp = http()
        .post(format!("{}/oauth2/v2.0/devicecode", sb.authority()))
        .form(&[("client_id", CLIENT_ID), ("scope", SCOPE)])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let started: Value = resp.json().await.unwrap();
    assert_eq!(started["expires_in"], 900);
    assert_eq!(
        started["verification_uri"],
        format!("{}/devicelogin", sb.base_url())
    );
    let device_code = started["device_code"].as_str().unwrap().to_string();
    let user_code = started["user_code"].as_str().unwrap().to_string();
    let poll = || {
        let sb = &sb;
        let device_code = device_code.clone();
        async move {
            token_request(
                sb,
                &[
                    ("client_id", CLIENT_ID),
                    ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
                    ("device_code", &device_code),
                ],
            )
            .await
        }
    };
    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_pending");

    let page = http()
        .get(format!("{}/devicelogin", sb.base_url()))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(page.contains(&format!("data-user=\"{AARON}\"")));
    let wrong = http()
        .post(format!("{}/devicelogin", sb.base_url()))
        .form(&[("user_code", "WRONGCODE"), ("login_hint", AARON)])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::BAD_REQUEST);
    let approved = http()
        .post(format!("{}/devicelogin", sb.base_url()))
        .form(&[("user_code", user_code.as_str()), ("login_hint", AARON)])
        .send()
        .await
        .unwrap();
    assert_eq!(approved.status(), StatusCode::OK);

    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, me) = get(&sb, body["access_token"].as_str().unwrap(), "/me").await;
    assert_eq!(me["mail"], AARON);
    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");

    let (status, body) = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", "unknown"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "bad_verification_code");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_declined_device_code_says_so() {
    let sb = start().await;
    let started: Value = http()
        .post(format!("{}/oauth2/v2.0/devicecode", sb.authority()))
        .form(&[("client_id", CLIENT_ID), ("scope", SCOPE)])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let declined = http()
        .post(format!("{}/devicelogin", sb.base_url()))
        .form(&[
            ("user_code", started["user_code"].as_str().unwrap()),
            ("decline", "1"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(declined.status(), StatusCode::OK);
    let (status, body) = token_request(
        &sb,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "urn:ietf:params:oauth:grant-type:device_code"),
            ("device_code", started["device_code"].as_str().unwrap()),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_declined");
    sb.shutdown().await;
}
