//! The Salesforce login host: the log-in page and `login_hint`, the token response and the
//! identity URL, PKCE and redirect checks, refresh token rotation, the device flow, and
//! revocation.

mod common;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use common::salesforce::*;
use common::{http, pkce, start, AARON, DANIEL, EMMA, NOAH, OLIVIA, REDIRECT, RITA};
use onbehalf_sandbox::{demo_org, SALESFORCE_CLIENT_ID, SALESFORCE_CONSUMER_SECRET};
use reqwest::StatusCode;
use serde_json::Value;

#[tokio::test]
async fn the_log_in_page_lists_every_demo_user_with_their_crm_part() {
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
        assert!(html.contains(&user.crm.story), "{}", user.crm.story);
    }
    let unknown = http()
        .get(authorize_url(&sb, &pkce(), Some("nobody@contoso.com")))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_token_response_and_identity_url_have_the_documented_shape() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    for key in [
        "access_token",
        "refresh_token",
        "instance_url",
        "id",
        "issued_at",
        "signature",
        "scope",
        "token_type",
    ] {
        assert!(
            t.body.get(key).is_some_and(Value::is_string),
            "{key} in {}",
            t.body
        );
    }
    assert_eq!(t.body["token_type"], "Bearer");
    assert_eq!(t.body["scope"], "api refresh_token id");
    assert_eq!(t.instance_url, sb.salesforce_instance_url());
    assert_ne!(
        t.instance_url,
        sb.salesforce_login_url(),
        "the instance is its own origin"
    );
    let daniel = demo_org()
        .users
        .into_iter()
        .find(|u| u.address == DANIEL)
        .unwrap();
    assert_eq!(
        t.id,
        format!(
            "{}/id/{}/{}",
            sb.salesforce_login_url(),
            daniel.crm.org_id,
            daniel.crm.user_id
        )
    );
    assert!(
        t.access.starts_with(&daniel.crm.org_id[..15]),
        "an access token starts with the org id"
    );
    t.body["issued_at"]
        .as_str()
        .unwrap()
        .parse::<i64>()
        .unwrap();
    // signature = Base64(HMAC-SHA256(consumer secret, id + issued_at))
    let expected = hmac(
        SALESFORCE_CONSUMER_SECRET.as_bytes(),
        format!("{}{}", t.id, t.body["issued_at"].as_str().unwrap()).as_bytes(),
    );
    assert_eq!(t.body["signature"], STANDARD.encode(expected));

    let resp = http()
        .get(&t.id)
        .bearer_auth(&t.access)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let id: Value = resp.json().await.unwrap();
    assert_eq!(id["user_id"], daniel.crm.user_id.as_str());
    assert_eq!(id["organization_id"], daniel.crm.org_id.as_str());
    assert_eq!(id["username"], DANIEL);
    assert_eq!(id["email"], DANIEL);
    assert_eq!(id["display_name"], "Daniel Reyes");
    assert_eq!(
        id["urls"]["rest"],
        format!("{}/services/data/v{{version}}/", t.instance_url)
    );
    assert!(id["urls"]["sobjects"].is_string() && id["urls"]["query"].is_string());

    let resp = http()
        .get(&t.id)
        .bearer_auth("00Dnot!a-token")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FORBIDDEN);
    assert_eq!(resp.text().await.unwrap(), "Bad_OAuth_Token");
    sb.shutdown().await;
}

fn hmac(key: &[u8], message: &[u8]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut block = [0u8; 64];
    block[..key.len()].copy_from_slice(key);
    let inner = Sha256::new()
        .chain_update(block.map(|b| b ^ 0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(block.map(|b| b ^ 0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

#[tokio::test]
async fn the_subsidiary_user_signs_in_to_another_org_on_another_instance() {
    let sb = start().await;
    let noah = sign_in(&sb, NOAH).await;
    let org = demo_org();
    let nordic = org.users.iter().find(|u| u.address == NOAH).unwrap();
    let contoso = org.users.iter().find(|u| u.address == OLIVIA).unwrap();
    assert_ne!(nordic.crm.org_id, contoso.crm.org_id);
    assert_eq!(
        noah.instance_url,
        sb.salesforce_instance_url_for(&nordic.crm.org_id).unwrap()
    );
    assert_ne!(noah.instance_url, sb.salesforce_instance_url());
    // A session is good on its own org's instance only.
    let elsewhere = SfTokens {
        instance_url: sb.salesforce_instance_url(),
        ..sign_in(&sb, NOAH).await
    };
    let r = get(&elsewhere, "/limits").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&r.body), "INVALID_SESSION_ID");
    let r = query(
        &noah,
        &format!("SELECT Id FROM User WHERE Email = '{OLIVIA}'"),
    )
    .await;
    assert_eq!(
        r["totalSize"], 0,
        "Contoso's users are not in the subsidiary's org"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn codes_need_the_verifier_and_the_same_redirect_uri_and_redeem_once() {
    let sb = start().await;
    let p = pkce();
    let pairs = authorize(&sb, EMMA, &p).await;
    assert_eq!(pair(&pairs, "state"), Some("sf-state"));
    let code = pair(&pairs, "code").unwrap().to_string();
    let redeem = |verifier: String, redirect: &'static str| {
        let (sb, code) = (&sb, code.clone());
        async move {
            token_request(
                sb,
                &[
                    ("grant_type", "authorization_code"),
                    ("client_id", SALESFORCE_CLIENT_ID),
                    ("code", &code),
                    ("redirect_uri", redirect),
                    ("code_verifier", &verifier),
                ],
            )
            .await
        }
    };
    let (status, body) = redeem(
        "a-different-verifier-0123456789-0123456789".into(),
        REDIRECT,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body["error"], "invalid_request",
        "a verifier that does not match"
    );
    let (status, body) = redeem(String::new(), REDIRECT).await;
    assert_eq!(
        body["error"], "invalid_grant",
        "no verifier at all: {status}"
    );
    let (status, body) = redeem(p.verifier.clone(), "http://127.0.0.1:53682/other").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "redirect_uri_mismatch");
    let (status, body) = redeem(p.verifier.clone(), REDIRECT).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = redeem(p.verifier.clone(), REDIRECT).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");

    // No challenge: back to the client with an error; a foreign redirect: an error page.
    let url = authorize_url(&sb, &p, Some(EMMA)).replace("&code_challenge_method=S256", "");
    let url = url.replace(
        &format!("code_challenge={}", p.challenge),
        "code_challenge=",
    );
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    assert!(resp.headers()["location"]
        .to_str()
        .unwrap()
        .contains("error=invalid_request"));
    let url = authorize_url(&sb, &p, Some(EMMA)).replace("127.0.0.1%3A53682", "evil.example");
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("redirect_uri_mismatch"));
    let url = authorize_url(&sb, &p, Some(EMMA)).replace("3MVG9", "3MVGX");
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    assert!(resp.text().await.unwrap().contains("invalid_client_id"));
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
async fn refresh_tokens_rotate_and_a_replayed_one_revokes_the_chain() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let (status, first) = refresh(&sb, &t.refresh).await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let second_token = first["refresh_token"].as_str().unwrap().to_string();
    assert_ne!(
        second_token, t.refresh,
        "each refresh answers a new refresh token"
    );
    assert_eq!(first["instance_url"], t.instance_url.as_str());
    let session = SfTokens {
        access: first["access_token"].as_str().unwrap().to_string(),
        ..sign_in(&sb, DANIEL).await
    };
    assert_eq!(get(&session, "/limits").await.status, StatusCode::OK);

    // The used one stops working, and presenting it again revokes the whole chain.
    let (status, body) = refresh(&sb, &t.refresh).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_description"], "expired access/refresh token");
    let (status, _) = refresh(&sb, &second_token).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "the newest token of the chain is revoked too"
    );
    assert_eq!(
        get(&session, "/limits").await.status,
        StatusCode::UNAUTHORIZED
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn the_device_flow_answers_pending_then_slow_down_then_tokens() {
    let sb = start().await;
    let (status, start_body) = token_request(
        &sb,
        &[
            ("response_type", "device_code"),
            ("client_id", SALESFORCE_CLIENT_ID),
            ("scope", "api refresh_token"),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{start_body}");
    for key in ["device_code", "user_code", "verification_uri"] {
        assert!(start_body[key].is_string(), "{key}");
    }
    assert!(start_body["interval"].as_i64().unwrap() >= 1);
    let device_code = start_body["device_code"].as_str().unwrap().to_string();
    let poll = || {
        let sb = &sb;
        let code = device_code.clone();
        async move {
            token_request(
                sb,
                &[
                    ("grant_type", "device"),
                    ("client_id", SALESFORCE_CLIENT_ID),
                    ("code", &code),
                ],
            )
            .await
        }
    };
    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_pending");
    let (_, body) = poll().await;
    assert_eq!(
        body["error"], "slow_down",
        "polling sooner than the interval"
    );

    let page = http()
        .get(start_body["verification_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap();
    assert!(page
        .text()
        .await
        .unwrap()
        .contains(&format!("data-user=\"{AARON}\"")));
    let resp = http()
        .post(start_body["verification_uri"].as_str().unwrap())
        .form(&[
            ("user_code", start_body["user_code"].as_str().unwrap()),
            ("login_hint", AARON),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, body) = poll().await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["refresh_token"].is_string());
    assert_eq!(
        body["id"].as_str().unwrap().rsplit('/').next().unwrap(),
        crm_id(AARON)
    );
    let (status, _) = poll().await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a device code is redeemed once"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn revoking_a_refresh_token_ends_its_sessions_and_an_access_token_only_itself() {
    let sb = start().await;
    let revoke = |token: String| {
        let sb = &sb;
        async move {
            http()
                .post(format!(
                    "{}/services/oauth2/revoke",
                    sb.salesforce_login_url()
                ))
                .form(&[("token", token.as_str())])
                .send()
                .await
                .unwrap()
        }
    };
    let a = sign_in(&sb, RITA).await;
    let b = sign_in(&sb, RITA).await;
    assert_eq!(revoke(a.access.clone()).await.status(), StatusCode::OK);
    assert_eq!(get(&a, "/limits").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        get(&b, "/limits").await.status,
        StatusCode::OK,
        "another session lives on"
    );
    let (status, _) = refresh(&sb, &a.refresh).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "revoking an access token leaves its refresh token"
    );

    assert_eq!(revoke(b.refresh.clone()).await.status(), StatusCode::OK);
    assert_eq!(get(&b, "/limits").await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(refresh(&sb, &b.refresh).await.0, StatusCode::BAD_REQUEST);
    let again = revoke(b.refresh.clone()).await;
    assert_eq!(again.status(), StatusCode::BAD_REQUEST);
    let body: Value = again.json().await.unwrap();
    assert_eq!(body["error"], "invalid_token");
    sb.shutdown().await;
}

#[tokio::test]
async fn sessions_expire_after_the_configured_lifetime() {
    let sb = onbehalf_sandbox::Sandbox::start(onbehalf_sandbox::SandboxOptions {
        salesforce_session_lifetime: std::time::Duration::from_secs(2),
        ..onbehalf_sandbox::SandboxOptions::default()
    })
    .await
    .unwrap();
    let t = sign_in(&sb, OLIVIA).await;
    assert_eq!(get(&t, "/limits").await.status, StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(2100)).await;
    let r = get(&t, "/limits").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert_eq!(
        r.body,
        serde_json::json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );
    sb.shutdown().await;
}
