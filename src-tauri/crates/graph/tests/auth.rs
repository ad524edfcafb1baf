//! Sign-in flows against a tiny in-test identity server that speaks the documented v2.0
//! endpoints: authorize (PKCE S256), token (code, refresh with rotation, device code) and
//! devicecode.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::{Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use common::serve;
use onbehalf_graph::{
    refresh, AccessTokens, AccountClaims, AuthError, DeviceCodeSignIn, Endpoints, LoopbackSignIn,
    SignInHint, StaticTokens, TokenSet, Trust,
};
use onbehalf_secrets::Sensitive;
use serde_json::json;
use sha2::{Digest, Sha256};
use url::Url;

const TENANT: &str = "b3e1f0a2-6c4d-4e8f-9a1b-2c3d4e5f6a7b";
const CLIENT_ID: &str = "7c1e2d4a-5b6f-4e8a-9c0d-1e2f3a4b5c6d";

/// How the test server's authorize endpoint answers.
#[derive(Clone, Copy, Default, PartialEq)]
enum Authorize {
    #[default]
    Code,
    ForgedState,
    Denied,
}

/// What the token endpoint says to device code polls, in turn (the last one repeats).
#[derive(Default)]
struct Idp {
    authorize: Authorize,
    challenge: Option<String>,
    redirect_uri: Option<String>,
    authorize_query: HashMap<String, String>,
    token_calls: usize,
    device_answers: Vec<&'static str>,
    device_polls: usize,
    newest_refresh: usize,
    rotate: bool,
    with_id_token_on_refresh: bool,
    /// `expires_in` of the code redemption's answer, when not the usual 3599.
    code_expires_in: Option<u64>,
    /// `expires_in` and `interval` of the device authorization answer, when not 900 and 1.
    device_timings: Option<(u64, u64)>,
    codes_redeemed: Vec<String>,
}

type Shared = Arc<Mutex<Idp>>;

fn id_token() -> String {
    let payload = json!({
        "aud": CLIENT_ID, "iss": format!("https://login.example/{TENANT}/v2.0"),
        "tid": TENANT, "oid": "0b6f2a4c-1111-4222-8333-444455556666",
        "preferred_username": "daniel.reyes@contoso.com", "name": "Daniel Reyes", "ver": "2.0"
    });
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"RS256"}"#),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

fn tokens_json(access: &str, refresh: Option<String>, with_id: bool) -> Response {
    tokens_json_lasting(access, refresh, with_id, 3599)
}

fn tokens_json_lasting(
    access: &str,
    refresh: Option<String>,
    with_id: bool,
    expires_in: u64,
) -> Response {
    let mut body = json!({
        "token_type": "Bearer",
        "scope": "openid profile https://graph.microsoft.com/User.Read",
        "expires_in": expires_in,
        "ext_expires_in": expires_in,
        "access_token": access,
    });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    if with_id {
        body["id_token"] = json!(id_token());
    }
    (
        StatusCode::OK,
        [(header::CACHE_CONTROL, "no-store")],
        Json(body),
    )
        .into_response()
}

fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({
            "error": code,
            "error_description": format!("AADSTS70000: {description}\r\nTrace ID: 0000\r\nTimestamp: 2024-05-01 10:00:00Z"),
            "error_codes": [70000],
        })),
    )
        .into_response()
}

async fn authorize(
    State(idp): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut s = idp.lock().unwrap();
    s.challenge = q.get("code_challenge").cloned();
    s.redirect_uri = q.get("redirect_uri").cloned();
    s.authorize_query = q.clone();
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let state = q.get("state").cloned().unwrap_or_default();
    let target = match s.authorize {
        Authorize::Code => format!("{redirect}?code=code-1&state={state}&session_state=s"),
        Authorize::ForgedState => format!("{redirect}?code=code-1&state=forged"),
        Authorize::Denied => format!(
            "{redirect}?error=access_denied&error_description=AADSTS65004%3A+User+declined+to+consent&state={state}"
        ),
    };
    Redirect::to(&target).into_response()
}

async fn token(State(idp): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut s = idp.lock().unwrap();
    s.token_calls += 1;
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID) || f.contains_key("client_secret")
    {
        return oauth_error(
            "invalid_client",
            "Public clients send their id and no secret.",
        );
    }
    match f.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let verifier = f.get("code_verifier").cloned().unwrap_or_default();
            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            s.codes_redeemed
                .push(f.get("code").cloned().unwrap_or_default());
            if f.get("code").map(String::as_str) != Some("code-1") {
                return oauth_error("invalid_grant", "The code is not valid.");
            }
            if Some(&challenge) != s.challenge.as_ref() {
                return oauth_error(
                    "invalid_grant",
                    "The Code_Verifier does not match the code_challenge.",
                );
            }
            if f.get("redirect_uri") != s.redirect_uri.as_ref() {
                return oauth_error("invalid_grant", "The redirect URI does not match.");
            }
            s.newest_refresh = 1;
            let expires_in = s.code_expires_in.unwrap_or(3599);
            tokens_json_lasting("at-1", Some("rt-1".into()), true, expires_in)
        }
        Some("refresh_token") => {
            let presented = f.get("refresh_token").cloned().unwrap_or_default();
            if presented != format!("rt-{}", s.newest_refresh) {
                return oauth_error(
                    "invalid_grant",
                    "The refresh token has expired or was revoked.",
                );
            }
            if !f
                .get("scope")
                .is_some_and(|sc| sc.contains("offline_access"))
            {
                return oauth_error("invalid_scope", "offline_access is missing.");
            }
            let n = s.newest_refresh + 1;
            let refresh = s.rotate.then(|| format!("rt-{n}"));
            if s.rotate {
                s.newest_refresh = n;
            }
            tokens_json(&format!("at-{n}"), refresh, s.with_id_token_on_refresh)
        }
        Some("urn:ietf:params:oauth:grant-type:device_code") => {
            if f.get("device_code").map(String::as_str) != Some("device-code-1") {
                return oauth_error(
                    "bad_verification_code",
                    "The device_code was not recognized.",
                );
            }
            let i = s.device_polls.min(s.device_answers.len().saturating_sub(1));
            s.device_polls += 1;
            match s.device_answers.get(i).copied().unwrap_or("ok") {
                "ok" => tokens_json("at-device", Some("rt-device".into()), true),
                code => oauth_error(code, "Device flow answer."),
            }
        }
        _ => oauth_error("unsupported_grant_type", "Unsupported grant type."),
    }
}

async fn devicecode(State(idp): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let (expires_in, interval) = idp.lock().unwrap().device_timings.unwrap_or((900, 1));
    assert!(f
        .get("scope")
        .is_some_and(|s| s.contains("Calendars.ReadWrite.Shared")));
    Json(json!({
        "user_code": "FJ3KQ8ZLM",
        "device_code": "device-code-1",
        "verification_uri": "https://microsoft.com/devicelogin",
        "expires_in": expires_in,
        "interval": interval,
        "message": "To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code FJ3KQ8ZLM to authenticate."
    }))
    .into_response()
}

async fn identity(setup: impl FnOnce(&mut Idp)) -> (Endpoints, Shared) {
    let mut idp = Idp::default();
    setup(&mut idp);
    let shared: Shared = Arc::new(Mutex::new(idp));
    let s = shared.clone();
    let base = serve(move |_| {
        Router::new()
            .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
            .route("/{tenant}/oauth2/v2.0/token", post(token))
            .route("/{tenant}/oauth2/v2.0/devicecode", post(devicecode))
            .with_state(s)
    })
    .await;
    let endpoints = Endpoints {
        authority: Url::parse(&format!("{base}/{TENANT}")).unwrap(),
        graph_url: Url::parse(&format!("{base}/v1.0")).unwrap(),
        client_id: CLIENT_ID.to_string(),
        trust: Trust::default(),
    };
    (endpoints, shared)
}

/// Visit the authorize URL like a browser, following the redirect to the loopback listener.
async fn browse(url: Url) -> (StatusCode, String) {
    let response = reqwest::Client::new().get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn browser_sign_in_with_pkce_end_to_end() {
    let (endpoints, idp) = identity(|_| {}).await;
    let hint = SignInHint {
        login: Some("daniel.reyes@contoso.com"),
        domain: Some(TENANT),
    };
    let (flow, url) = LoopbackSignIn::start(&endpoints, hint).await.unwrap();
    let redirect_uri = flow.redirect_uri().to_string();
    assert!(redirect_uri.starts_with("http://127.0.0.1:") && redirect_uri.ends_with('/'));

    let ((status, page), tokens) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
    let tokens = tokens.unwrap();
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("You are signed in to Onbehalf. You can close this window."),
        "{page}"
    );

    assert_eq!(tokens.access_token.expose(), "at-1");
    assert_eq!(
        tokens.refresh_token.as_ref().map(|t| t.expose().as_str()),
        Some("rt-1")
    );
    assert!(tokens.expires_at > Utc::now() + chrono::Duration::minutes(50));
    assert_eq!(
        tokens.account,
        AccountClaims {
            tenant_id: TENANT.into(),
            object_id: "0b6f2a4c-1111-4222-8333-444455556666".into(),
            username: "daniel.reyes@contoso.com".into(),
            name: "Daniel Reyes".into(),
        }
    );

    let s = idp.lock().unwrap();
    let q = &s.authorize_query;
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    assert_eq!(
        q.get("code_challenge_method").map(String::as_str),
        Some("S256")
    );
    assert_eq!(
        q.get("login_hint").map(String::as_str),
        Some("daniel.reyes@contoso.com")
    );
    assert_eq!(q.get("domain_hint").map(String::as_str), Some(TENANT));
    assert_eq!(q.get("redirect_uri"), Some(&redirect_uri));
    let scope = q.get("scope").unwrap();
    let resource = endpoints.graph_resource();
    assert!(
        scope.contains("offline_access") && scope.contains("openid"),
        "{scope}"
    );
    for wanted in [
        "User.Read",
        "Calendars.ReadWrite",
        "Calendars.ReadWrite.Shared",
        "MailboxSettings.ReadWrite",
    ] {
        assert!(
            scope.split(' ').any(|s| s == format!("{resource}{wanted}")),
            "{wanted} in {scope}"
        );
    }
}

#[tokio::test]
async fn a_sign_in_without_hints_sends_none() {
    let (endpoints, idp) = identity(|_| {}).await;
    let (flow, url) = LoopbackSignIn::start(&endpoints, SignInHint::default())
        .await
        .unwrap();
    let (_, tokens) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
    tokens.unwrap();
    let s = idp.lock().unwrap();
    assert!(!s.authorize_query.contains_key("login_hint"));
    assert!(!s.authorize_query.contains_key("domain_hint"));
}

/// A page that is not this sign-in's (another site, or a stale tab of an earlier sign-in)
/// sends the browser to the loopback address with a state of its own.
async fn forge_redirect(redirect_uri: &str) -> (StatusCode, String) {
    let url = format!("{redirect_uri}?code=stolen-code&state=forged");
    let response = reqwest::Client::new().get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn a_forged_redirect_is_answered_with_an_error_and_the_real_one_still_signs_in() {
    let (endpoints, idp) = identity(|_| {}).await;
    let (flow, url) = LoopbackSignIn::start(&endpoints, SignInHint::default())
        .await
        .unwrap();
    let redirect_uri = flow.redirect_uri().to_string();
    let waiting = tokio::spawn(flow.finish(Duration::from_secs(10)));

    let (status, page) = forge_redirect(&redirect_uri).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("state mismatch"), "{page}");
    assert!(
        !waiting.is_finished(),
        "the forged redirect ended the sign-in"
    );

    let (status, page) = browse(url).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let tokens = waiting.await.unwrap().unwrap();
    assert_eq!(tokens.access_token.expose(), "at-1");
    assert_eq!(idp.lock().unwrap().codes_redeemed, ["code-1"]);
}

#[tokio::test]
async fn only_foreign_redirects_redeem_nothing_and_the_sign_in_times_out() {
    let (endpoints, idp) = identity(|i| i.authorize = Authorize::ForgedState).await;
    let (flow, url) = LoopbackSignIn::start(&endpoints, SignInHint::default())
        .await
        .unwrap();
    let ((status, page), result) =
        tokio::join!(browse(url), flow.finish(Duration::from_millis(1500)));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("state mismatch"), "{page}");
    assert!(
        matches!(result, Err(AuthError::TimedOut { .. })),
        "{result:?}"
    );
    assert_eq!(idp.lock().unwrap().token_calls, 0);
}

#[tokio::test]
async fn a_declined_consent_on_the_redirect_is_reported() {
    let (endpoints, idp) = identity(|i| i.authorize = Authorize::Denied).await;
    let (flow, url) = LoopbackSignIn::start(&endpoints, SignInHint::default())
        .await
        .unwrap();
    let ((_, page), result) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
    assert_eq!(result.unwrap_err(), AuthError::Declined);
    assert!(page.contains("declined"), "{page}");
    assert_eq!(idp.lock().unwrap().token_calls, 0);
}

#[tokio::test]
async fn a_browser_that_never_comes_back_times_out() {
    let (endpoints, _) = identity(|_| {}).await;
    let (flow, _url) = LoopbackSignIn::start(&endpoints, SignInHint::default())
        .await
        .unwrap();
    let err = flow.finish(Duration::from_millis(100)).await.unwrap_err();
    assert!(matches!(err, AuthError::TimedOut { .. }), "{err:?}");
}

#[tokio::test]
async fn device_code_polls_while_pending_then_signs_in() {
    let (endpoints, idp) =
        identity(|i| i.device_answers = vec!["authorization_pending", "ok"]).await;
    let (flow, prompt) = DeviceCodeSignIn::start(&endpoints).await.unwrap();
    assert_eq!(prompt.user_code, "FJ3KQ8ZLM");
    assert_eq!(prompt.verification_uri, "https://microsoft.com/devicelogin");
    assert!(prompt.message.contains("FJ3KQ8ZLM"));
    assert_eq!(prompt.expires_in, Duration::from_secs(900));
    let tokens = flow.finish().await.unwrap();
    assert_eq!(tokens.access_token.expose(), "at-device");
    assert_eq!(tokens.account.tenant_id, TENANT);
    assert_eq!(idp.lock().unwrap().device_polls, 2);
}

#[tokio::test]
async fn absurd_lifetimes_from_the_token_endpoint_do_not_panic() {
    for (expires_in, longest) in [
        (u64::MAX, chrono::Duration::hours(24)),
        (i64::MAX as u64, chrono::Duration::hours(24)),
        // Fits a chrono duration but no date: added to now, it used to panic.
        (10_000_000_000_000, chrono::Duration::hours(24)),
        (0, chrono::Duration::zero()),
    ] {
        let (endpoints, _) = identity(|i| i.code_expires_in = Some(expires_in)).await;
        let (flow, url) = LoopbackSignIn::start(&endpoints, SignInHint::default())
            .await
            .unwrap();
        let before = Utc::now();
        let (_, tokens) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
        let tokens = tokens.unwrap();
        assert!(tokens.expires_at >= before, "{expires_in}");
        assert!(
            tokens.expires_at <= Utc::now() + longest,
            "{expires_in}: {}",
            tokens.expires_at
        );
    }
}

#[tokio::test]
async fn absurd_device_code_timings_do_not_panic() {
    let (endpoints, _) = identity(|i| {
        i.device_timings = Some((u64::MAX, u64::MAX));
        i.device_answers = vec!["ok"];
    })
    .await;
    let (flow, prompt) = DeviceCodeSignIn::start(&endpoints).await.unwrap();
    assert!(prompt.expires_in <= Duration::from_secs(3600), "{prompt:?}");
    let tokens = flow.finish().await.unwrap();
    assert_eq!(tokens.access_token.expose(), "at-device");
}

#[tokio::test]
async fn a_device_code_said_to_last_no_time_expires_instead_of_panicking() {
    let (endpoints, _) = identity(|i| {
        i.device_timings = Some((0, 0));
        i.device_answers = vec!["authorization_pending"];
    })
    .await;
    let (flow, _) = DeviceCodeSignIn::start(&endpoints).await.unwrap();
    let result = tokio::time::timeout(Duration::from_secs(10), flow.finish())
        .await
        .expect("the poll ends on its own");
    assert_eq!(result.unwrap_err(), AuthError::Expired);
}

#[tokio::test]
async fn a_declined_or_expired_device_code_says_so() {
    for (answer, expected) in [
        ("authorization_declined", AuthError::Declined),
        ("access_denied", AuthError::Declined),
        ("expired_token", AuthError::Expired),
    ] {
        let (endpoints, _) = identity(|i| i.device_answers = vec![answer]).await;
        let (flow, _) = DeviceCodeSignIn::start(&endpoints).await.unwrap();
        assert_eq!(flow.finish().await.unwrap_err(), expected, "{answer}");
    }
}

fn expired_tokens() -> TokenSet {
    TokenSet {
        access_token: Sensitive::from("at-1"),
        refresh_token: Some(Sensitive::from("rt-1")),
        expires_at: Utc::now() - chrono::Duration::minutes(1),
        account: AccountClaims {
            tenant_id: TENANT.into(),
            object_id: "o".into(),
            username: "daniel.reyes@contoso.com".into(),
            name: "Daniel Reyes".into(),
        },
    }
}

#[tokio::test]
async fn refresh_keeps_the_newest_refresh_token() {
    let (endpoints, _) = identity(|i| {
        i.newest_refresh = 1;
        i.rotate = true;
    })
    .await;
    let persisted: Arc<Mutex<Vec<String>>> = Arc::default();
    let p = persisted.clone();
    let provider = StaticTokens::new(
        endpoints,
        expired_tokens(),
        Box::new(move |t: &TokenSet| {
            p.lock().unwrap().push(
                t.refresh_token
                    .as_ref()
                    .map(|r| r.expose().clone())
                    .unwrap_or_default(),
            );
        }),
    );

    // Near expiry: refreshed before use.
    assert_eq!(provider.access_token().await.unwrap().expose(), "at-2");
    // Still fresh: no refresh.
    assert_eq!(provider.access_token().await.unwrap().expose(), "at-2");
    // Graph said 401: refreshed with the rotated token (the server refuses older ones).
    assert_eq!(provider.refresh_after_401().await.unwrap().expose(), "at-3");

    assert_eq!(persisted.lock().unwrap().as_slice(), ["rt-2", "rt-3"]);
    let now = provider.current().await;
    assert_eq!(
        now.refresh_token.as_ref().map(|t| t.expose().as_str()),
        Some("rt-3")
    );
    // No id token came with the refresh: the account is kept.
    assert_eq!(now.account.username, "daniel.reyes@contoso.com");
}

#[tokio::test]
async fn a_refresh_without_a_new_refresh_token_keeps_the_one_used() {
    let (endpoints, _) = identity(|i| {
        i.newest_refresh = 1;
        i.rotate = false;
        i.with_id_token_on_refresh = true;
    })
    .await;
    let tokens = refresh(&endpoints, &Sensitive::from("rt-1")).await.unwrap();
    assert_eq!(tokens.access_token.expose(), "at-2");
    assert_eq!(
        tokens.refresh_token.as_ref().map(|t| t.expose().as_str()),
        Some("rt-1")
    );
    assert_eq!(
        tokens.account.object_id,
        "0b6f2a4c-1111-4222-8333-444455556666"
    );
}

#[tokio::test]
async fn a_refused_refresh_token_requires_a_new_sign_in() {
    let (endpoints, _) = identity(|i| i.newest_refresh = 5).await;
    let err = refresh(&endpoints, &Sensitive::from("rt-1"))
        .await
        .unwrap_err();
    match &err {
        AuthError::SignInRequired { detail } => {
            assert!(detail.contains("expired or was revoked"), "{detail}");
            assert!(!detail.contains("Trace ID"), "{detail}");
        }
        other => panic!("expected SignInRequired, got {other:?}"),
    }
    let provider = StaticTokens::new(endpoints, expired_tokens(), Box::new(|_| {}));
    assert!(matches!(
        provider.access_token().await,
        Err(AuthError::SignInRequired { .. })
    ));
}

#[tokio::test]
async fn an_unreachable_identity_service_is_a_retryable_network_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let endpoints = Endpoints {
        authority: Url::parse(&format!("http://127.0.0.1:{port}/{TENANT}")).unwrap(),
        graph_url: Url::parse(&format!("http://127.0.0.1:{port}/v1.0")).unwrap(),
        client_id: CLIENT_ID.into(),
        trust: Trust::default(),
    };
    let err = refresh(&endpoints, &Sensitive::from("rt-1"))
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(!err.to_string().contains("rt-1"));
}
