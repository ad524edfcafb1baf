//! Sign-in flows against a tiny in-test Salesforce login server that speaks the documented
//! `/services/oauth2/{authorize,token,revoke}` endpoints: the web server flow with PKCE, the
//! device flow, refresh with rotation, revocation.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use common::{bearer, identity_url, ok, query_page, serve, sf_error, DATA, ORG_ID, USER_ID};
use onbehalf_engine::crm::{Crm, CrmError};
use onbehalf_salesforce::{
    on_new_sign_in, refresh, revoke, ApiVersion, AuthError, DevicePolling, DeviceSignIn,
    PersistError, SalesforceClient, SalesforceConfig, SalesforceCrm, SalesforceError, SavedSignIn,
    TokenProvider, Trust, WebSignIn,
};
use onbehalf_secrets::Sensitive;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use url::Url;

const CLIENT_ID: &str = "3MVG9A2kN3Bn17hsWsLDatw";

#[derive(Clone, Copy, Default, PartialEq)]
enum Authorize {
    #[default]
    Code,
    ForgedState,
    Denied,
}

#[derive(Default)]
struct Login {
    base: String,
    authorize: Authorize,
    authorize_query: HashMap<String, String>,
    token_calls: usize,
    codes_redeemed: Vec<String>,
    /// The refresh token that works now, `rt-N`; rotation retires it on each use.
    newest_refresh: usize,
    rotate: bool,
    device_answers: Vec<&'static str>,
    device_polls: Vec<Instant>,
    device_interval: u64,
    revoked: Vec<String>,
    /// Bearer tokens the data endpoint saw, with how many sign-ins had been kept by then.
    data_calls: Vec<(String, usize)>,
    /// Access tokens the data endpoint accepts.
    valid_access: Vec<String>,
}

type Shared = Arc<Mutex<Login>>;

fn token_json(base: &str, access: &str, refresh: Option<String>) -> Response {
    let mut body = json!({
        "access_token": access,
        "signature": "c2lnbmF0dXJl",
        "scope": "id api refresh_token",
        "instance_url": base,
        "id": identity_url(base),
        "token_type": "Bearer",
        "issued_at": "1772442000000"
    });
    if let Some(r) = refresh {
        body["refresh_token"] = json!(r);
    }
    (StatusCode::OK, Json(body)).into_response()
}

fn oauth_error(code: &str, description: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({ "error": code, "error_description": description })),
    )
        .into_response()
}

async fn authorize(
    State(login): State<Shared>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let mut s = login.lock().unwrap();
    s.authorize_query = q.clone();
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let state = q.get("state").cloned().unwrap_or_default();
    let target = match s.authorize {
        // Salesforce's codes end in URL-encoded `==`.
        Authorize::Code => format!("{redirect}?code=aPrx.code-1%3D%3D&state={state}"),
        Authorize::ForgedState => format!("{redirect}?code=aPrx.stolen&state=forged"),
        Authorize::Denied => format!(
            "{redirect}?error=access_denied&error_description=end-user+denied+authorization&state={state}"
        ),
    };
    Redirect::to(&target).into_response()
}

async fn token(State(login): State<Shared>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut s = login.lock().unwrap();
    s.token_calls += 1;
    let base = s.base.clone();
    if f.get("client_id").map(String::as_str) != Some(CLIENT_ID) || f.contains_key("client_secret")
    {
        return oauth_error("invalid_client", "invalid client credentials");
    }
    if f.get("response_type").map(String::as_str) == Some("device_code") {
        assert_eq!(
            f.get("scope").map(String::as_str),
            Some("api id refresh_token")
        );
        return ok(json!({
            "device_code": "device-code-1",
            "user_code": "LFMJ7KC9",
            "verification_uri": format!("{base}/setup/connect"),
            "interval": s.device_interval
        }));
    }
    match f.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = f.get("code").cloned().unwrap_or_default();
            s.codes_redeemed.push(code.clone());
            let verifier = f.get("code_verifier").cloned().unwrap_or_default();
            let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
            if code != "aPrx.code-1==" {
                return oauth_error("invalid_grant", "invalid authorization code");
            }
            if s.authorize_query.get("code_challenge") != Some(&challenge) {
                return oauth_error("invalid_grant", "invalid code verifier");
            }
            if f.get("redirect_uri") != s.authorize_query.get("redirect_uri") {
                return oauth_error(
                    "redirect_uri_mismatch",
                    "redirect_uri must match configuration",
                );
            }
            s.newest_refresh = 1;
            s.valid_access.push("at-1".into());
            token_json(&base, "at-1", Some("rt-1".into()))
        }
        Some("refresh_token") => {
            let presented = f.get("refresh_token").cloned().unwrap_or_default();
            if presented != format!("rt-{}", s.newest_refresh) {
                return oauth_error("invalid_grant", "expired access/refresh token");
            }
            let n = s.newest_refresh + 1;
            if s.rotate {
                s.newest_refresh = n;
            }
            let access = format!("at-{n}");
            s.valid_access.push(access.clone());
            token_json(&base, &access, s.rotate.then(|| format!("rt-{n}")))
        }
        Some("device") => {
            if f.get("code").map(String::as_str) != Some("device-code-1") {
                return oauth_error("invalid_grant", "invalid device code");
            }
            s.device_polls.push(Instant::now());
            let i = (s.device_polls.len() - 1).min(s.device_answers.len().saturating_sub(1));
            match s.device_answers.get(i).copied().unwrap_or("ok") {
                "ok" => token_json(&base, "at-device", Some("rt-device".into())),
                code => oauth_error(code, "device flow answer"),
            }
        }
        _ => oauth_error("unsupported_grant_type", "grant type not supported"),
    }
}

async fn revoke_endpoint(
    State(login): State<Shared>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let token = f.get("token").cloned().unwrap_or_default();
    let mut s = login.lock().unwrap();
    if token == "unknown" {
        return oauth_error("invalid_token", "invalid token");
    }
    s.revoked.push(token);
    StatusCode::OK.into_response()
}

/// A data call: accepted only with a valid access token, and remembered with how many
/// sign-ins the test had kept when it came.
async fn data(
    State((login, kept)): State<(Shared, Arc<AtomicUsize>)>,
    headers: HeaderMap,
) -> Response {
    let token = bearer(&headers);
    let mut s = login.lock().unwrap();
    s.data_calls
        .push((token.clone(), kept.load(Ordering::SeqCst)));
    if !s.valid_access.contains(&token) {
        return sf_error(
            StatusCode::UNAUTHORIZED,
            "INVALID_SESSION_ID",
            "Session expired or invalid",
        );
    }
    ok(query_page(vec![], 0, None))
}

async fn identity(
    headers: HeaderMap,
    State((login, _)): State<(Shared, Arc<AtomicUsize>)>,
) -> Response {
    let base = login.lock().unwrap().base.clone();
    if !login
        .lock()
        .unwrap()
        .valid_access
        .contains(&bearer(&headers))
    {
        return (StatusCode::FORBIDDEN, "Bad_OAuth_Token").into_response();
    }
    ok(json!({
        "id": identity_url(&base),
        "asserted_user": true,
        "user_id": USER_ID,
        "organization_id": ORG_ID,
        "username": "daniel.reyes@contoso.com",
        "nick_name": "daniel.reyes",
        "display_name": "Daniel Reyes",
        "email": "daniel.reyes@contoso.com",
        "email_verified": true,
        "first_name": "Daniel",
        "last_name": "Reyes",
        "timezone": "Europe/Berlin",
        "active": true,
        "user_type": "STANDARD",
        "language": "en_US",
        "locale": "en_US",
        "utcOffset": 3600000,
        "urls": { "rest": format!("{base}/services/data/v{{version}}/") }
    }))
}

struct Server {
    config: SalesforceConfig,
    login: Shared,
    kept: Arc<AtomicUsize>,
    base: String,
}

async fn server(setup: impl FnOnce(&mut Login)) -> Server {
    let mut login = Login::default();
    setup(&mut login);
    let shared: Shared = Arc::new(Mutex::new(login));
    let kept = Arc::new(AtomicUsize::new(0));
    let (s, k) = (shared.clone(), kept.clone());
    let base = serve(move |base| {
        s.lock().unwrap().base = base;
        let oauth = Router::new()
            .route("/services/oauth2/authorize", get(authorize))
            .route("/services/oauth2/token", post(token))
            .route("/services/oauth2/revoke", post(revoke_endpoint))
            .with_state(s.clone());
        let data_routes = Router::new()
            .route(&format!("{DATA}/query/"), get(data))
            .route(&format!("/id/{ORG_ID}/{USER_ID}"), get(identity))
            .with_state((s, k));
        oauth.merge(data_routes)
    })
    .await;
    let mut config = SalesforceConfig::new(Url::parse(&base).unwrap(), CLIENT_ID);
    config.redirect_port = free_port();
    Server {
        config,
        login: shared,
        kept,
        base,
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Visit the authorize URL like a browser, following the redirect to the loopback listener.
async fn browse(url: Url) -> (StatusCode, String) {
    let response = reqwest::Client::new().get(url).send().await.unwrap();
    (response.status(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_web_server_flow_uses_pkce_the_exact_redirect_uri_and_the_login_hint() {
    let srv = server(|_| {}).await;
    let port = srv.config.redirect_port;
    let (flow, url) = WebSignIn::start(&srv.config, Some("daniel.reyes@contoso.com"))
        .await
        .unwrap();
    assert_eq!(
        flow.redirect_uri(),
        format!("http://127.0.0.1:{port}/OauthRedirect")
    );
    assert!(url
        .as_str()
        .starts_with(&format!("{}/services/oauth2/authorize?", srv.base)));

    let ((status, page), tokens) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
    let tokens = tokens.unwrap();
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(page.contains("You are signed in to Onbehalf"), "{page}");
    assert_eq!(tokens.access_token.expose(), "at-1");
    assert_eq!(
        tokens.refresh_token.as_ref().map(|t| t.expose().as_str()),
        Some("rt-1")
    );
    assert_eq!(tokens.instance_url.as_str().trim_end_matches('/'), srv.base);
    assert_eq!(tokens.identity_url.org_id(), ORG_ID);
    assert_eq!(tokens.identity_url.user_id(), USER_ID);
    assert!(tokens.issued_at.is_some());

    let s = srv.login.lock().unwrap();
    let q = &s.authorize_query;
    assert_eq!(q.get("response_type").map(String::as_str), Some("code"));
    assert_eq!(q.get("client_id").map(String::as_str), Some(CLIENT_ID));
    assert_eq!(
        q.get("code_challenge_method").map(String::as_str),
        Some("S256")
    );
    assert_eq!(q.get("code_challenge").map(String::len), Some(43));
    assert_eq!(
        q.get("login_hint").map(String::as_str),
        Some("daniel.reyes@contoso.com")
    );
    assert_eq!(
        q.get("scope").map(String::as_str),
        Some("api id refresh_token")
    );
    assert!(q.get("state").is_some_and(|st| st.len() >= 16));
    assert_eq!(s.codes_redeemed, ["aPrx.code-1=="]);
}

#[tokio::test]
async fn no_login_hint_sends_none() {
    let srv = server(|_| {}).await;
    let (flow, url) = WebSignIn::start(&srv.config, None).await.unwrap();
    let (_, tokens) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
    tokens.unwrap();
    assert!(!srv
        .login
        .lock()
        .unwrap()
        .authorize_query
        .contains_key("login_hint"));
}

#[tokio::test]
async fn a_forged_redirect_is_ignored_and_the_real_one_still_signs_in() {
    let srv = server(|_| {}).await;
    let (flow, url) = WebSignIn::start(&srv.config, None).await.unwrap();
    let redirect_uri = flow.redirect_uri().to_string();
    let waiting = tokio::spawn(flow.finish(Duration::from_secs(10)));

    let forged = reqwest::get(format!("{redirect_uri}?code=aPrx.stolen&state=forged"))
        .await
        .unwrap();
    assert_eq!(forged.status(), StatusCode::BAD_REQUEST);
    assert!(forged.text().await.unwrap().contains("state mismatch"));
    assert!(
        !waiting.is_finished(),
        "the forged redirect ended the sign-in"
    );

    let (status, _) = browse(url).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        waiting.await.unwrap().unwrap().access_token.expose(),
        "at-1"
    );
    assert_eq!(srv.login.lock().unwrap().codes_redeemed, ["aPrx.code-1=="]);
}

#[tokio::test]
async fn only_foreign_redirects_redeem_nothing_and_the_sign_in_times_out() {
    let srv = server(|l| l.authorize = Authorize::ForgedState).await;
    let (flow, url) = WebSignIn::start(&srv.config, None).await.unwrap();
    let ((status, _), result) = tokio::join!(browse(url), flow.finish(Duration::from_millis(1500)));
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        matches!(result, Err(AuthError::TimedOut { .. })),
        "{result:?}"
    );
    assert_eq!(srv.login.lock().unwrap().token_calls, 0);
}

#[tokio::test]
async fn a_denied_authorization_is_declined() {
    let srv = server(|l| l.authorize = Authorize::Denied).await;
    let (flow, url) = WebSignIn::start(&srv.config, None).await.unwrap();
    let ((_, page), result) = tokio::join!(browse(url), flow.finish(Duration::from_secs(10)));
    assert_eq!(result.unwrap_err(), AuthError::Declined);
    assert!(page.contains("declined"), "{page}");
}

#[tokio::test]
async fn a_redirect_port_in_use_is_a_local_error_naming_it() {
    let srv = server(|_| {}).await;
    let holder = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let mut config = srv.config.clone();
    config.redirect_port = holder.local_addr().unwrap().port();
    let err = WebSignIn::start(&config, None).await.unwrap_err();
    assert!(matches!(err, AuthError::Local { .. }), "{err:?}");
    assert!(
        err.to_string().contains(&config.redirect_port.to_string()),
        "{err}"
    );
}

fn quick_polling() -> DevicePolling {
    DevicePolling {
        min_interval: Duration::from_millis(10),
        max_interval: Duration::from_millis(500),
        slow_down_step: Duration::from_millis(200),
        max_wait: Duration::from_secs(10),
        max_network_failures: 3,
    }
}

#[tokio::test]
async fn the_device_flow_polls_while_pending_and_slows_down_when_asked() {
    let srv = server(|l| {
        l.device_answers = vec!["authorization_pending", "slow_down", "ok"];
        l.device_interval = 0;
    })
    .await;
    let (flow, prompt) = DeviceSignIn::start(&srv.config).await.unwrap();
    assert_eq!(prompt.user_code, "LFMJ7KC9");
    assert_eq!(
        prompt.verification_uri,
        format!("{}/setup/connect", srv.base)
    );
    assert!(prompt.message.contains("LFMJ7KC9"));
    let tokens = flow.finish_with(quick_polling()).await.unwrap();
    assert_eq!(tokens.access_token.expose(), "at-device");
    assert_eq!(
        tokens.refresh_token.as_ref().map(|t| t.expose().as_str()),
        Some("rt-device")
    );
    let polls = srv.login.lock().unwrap().device_polls.clone();
    assert_eq!(polls.len(), 3);
    // After slow_down the wait grew by the step.
    assert!(polls[2] - polls[1] >= Duration::from_millis(200));
}

#[tokio::test]
async fn absurd_device_timings_are_bounded_and_a_code_nobody_enters_expires() {
    let srv = server(|l| {
        l.device_answers = vec!["authorization_pending"];
        l.device_interval = u64::MAX;
    })
    .await;
    let (flow, prompt) = DeviceSignIn::start(&srv.config).await.unwrap();
    assert!(prompt.interval <= Duration::from_secs(3600));
    let polling = DevicePolling {
        max_wait: Duration::from_millis(300),
        max_interval: Duration::from_millis(50),
        ..quick_polling()
    };
    let result = tokio::time::timeout(Duration::from_secs(10), flow.finish_with(polling))
        .await
        .expect("the poll ends on its own");
    assert_eq!(result.unwrap_err(), AuthError::Expired);
}

#[tokio::test]
async fn a_declined_device_sign_in_says_so() {
    let srv = server(|l| l.device_answers = vec!["access_denied"]).await;
    let (flow, _) = DeviceSignIn::start(&srv.config).await.unwrap();
    assert_eq!(
        flow.finish_with(quick_polling()).await.unwrap_err(),
        AuthError::Declined
    );
}

fn saved(base: &str, refresh: &str) -> SavedSignIn {
    SavedSignIn::from_json(&Sensitive::new(
        json!({
            "v": 1,
            "refresh_token": refresh,
            "instance_url": base,
            "identity_url": identity_url(base)
        })
        .to_string(),
    ))
    .unwrap()
}

/// A provider whose `on_new` takes a while, then records the refresh token it kept, and
/// fails while `fail` is set.
fn provider(
    srv: &Server,
    refresh: &str,
    fail: Arc<AtomicBool>,
) -> (Arc<TokenProvider>, Arc<Mutex<Vec<String>>>) {
    let persisted: Arc<Mutex<Vec<String>>> = Arc::default();
    let (p, kept) = (persisted.clone(), srv.kept.clone());
    let on_new = on_new_sign_in(move |s: SavedSignIn| {
        let (p, kept, fail) = (p.clone(), kept.clone(), fail.clone());
        async move {
            tokio::time::sleep(Duration::from_millis(50)).await;
            if fail.load(Ordering::SeqCst) {
                return Err(PersistError::from("the vault is locked"));
            }
            p.lock().unwrap().push(s.refresh_token.expose().clone());
            kept.fetch_add(1, Ordering::SeqCst);
            Ok(())
        }
    });
    let provider = TokenProvider::restore(&srv.config, saved(&srv.base, refresh), on_new).unwrap();
    (Arc::new(provider), persisted)
}

fn sf_client(provider: Arc<TokenProvider>) -> SalesforceClient {
    SalesforceClient::new(
        ApiVersion::parse("62.0").unwrap(),
        provider,
        &Trust::default(),
    )
    .unwrap()
    .with_retry_policy(common::fast_retries())
}

#[tokio::test]
async fn a_rotated_refresh_token_is_kept_before_its_access_token_is_used() {
    let srv = server(|l| {
        l.newest_refresh = 1;
        l.rotate = true;
    })
    .await;
    let (provider, persisted) = provider(&srv, "rt-1", Arc::default());
    let client = sf_client(provider.clone());

    // A restored sign-in renews first; the renewed token goes out only once it is kept.
    client
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap();
    // Salesforce ends the session: one renewal, kept, then the call again.
    srv.login.lock().unwrap().valid_access.clear();
    client
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap();

    assert_eq!(persisted.lock().unwrap().as_slice(), ["rt-2", "rt-3"]);
    let (calls, newest) = {
        let s = srv.login.lock().unwrap();
        (s.data_calls.clone(), s.newest_refresh)
    };
    assert_eq!(
        calls,
        [
            ("at-2".to_string(), 1),
            ("at-2".to_string(), 1),
            ("at-3".to_string(), 2)
        ]
    );
    assert_eq!(newest, 3);
    let now = provider.saved().await.unwrap();
    assert_eq!(now.refresh_token.expose(), "rt-3");
}

#[tokio::test]
async fn a_renewed_sign_in_that_cannot_be_kept_is_not_used_until_it_is() {
    let srv = server(|l| {
        l.newest_refresh = 1;
        l.rotate = true;
    })
    .await;
    let fail = Arc::new(AtomicBool::new(true));
    let (provider, persisted) = provider(&srv, "rt-1", fail.clone());
    let client = sf_client(provider);

    let err = client
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap_err();
    match &err {
        SalesforceError::Auth {
            source: AuthError::NotSaved { detail },
            ..
        } => {
            assert!(detail.contains("vault is locked"), "{detail}")
        }
        other => panic!("expected NotSaved, got {other:?}"),
    }
    assert!(err.is_retryable());
    assert!(
        srv.login.lock().unwrap().data_calls.is_empty(),
        "the unkept token was used"
    );

    // Keeping works again: the renewed sign-in is kept, then used, without a second refresh
    // (the old refresh token is retired and would be refused).
    fail.store(false, Ordering::SeqCst);
    client
        .query("SELECT Id FROM Event")
        .all::<Value>()
        .await
        .unwrap();
    assert_eq!(persisted.lock().unwrap().as_slice(), ["rt-2"]);
    let s = srv.login.lock().unwrap();
    assert_eq!(s.token_calls, 1);
    assert_eq!(s.data_calls, [("at-2".to_string(), 1)]);
}

#[tokio::test]
async fn without_rotation_nothing_new_is_kept_and_concurrent_calls_renew_once() {
    let srv = server(|l| {
        l.newest_refresh = 1;
        l.rotate = false;
    })
    .await;
    let (provider, persisted) = provider(&srv, "rt-1", Arc::default());
    let client = sf_client(provider);
    let (a, b, c) = tokio::join!(
        client.query("SELECT Id FROM Event").all::<Value>(),
        client.query("SELECT Id FROM Contact").all::<Value>(),
        client.query("SELECT Id FROM Lead").all::<Value>(),
    );
    a.unwrap();
    b.unwrap();
    c.unwrap();
    assert!(persisted.lock().unwrap().is_empty());
    assert_eq!(srv.login.lock().unwrap().token_calls, 1);
}

#[tokio::test]
async fn a_refused_refresh_token_asks_for_a_new_sign_in() {
    let srv = server(|l| l.newest_refresh = 5).await;
    let err = refresh(&srv.config, &saved(&srv.base, "rt-1"))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, AuthError::SignInRequired { detail } if detail.contains("expired access/refresh token")),
        "{err:?}"
    );
    let (provider, _) = provider(&srv, "rt-1", Arc::default());
    let crm = SalesforceCrm::new(sf_client(provider));
    assert_eq!(crm.me().await.unwrap_err(), CrmError::SignInExpired);
}

#[tokio::test]
async fn me_reads_the_identity_url_with_the_token() {
    let srv = server(|l| {
        l.newest_refresh = 1;
        l.rotate = true;
    })
    .await;
    let (provider, _) = provider(&srv, "rt-1", Arc::default());
    let me = SalesforceCrm::new(sf_client(provider)).me().await.unwrap();
    assert_eq!(me.org_id, ORG_ID);
    assert_eq!(me.user_id, USER_ID);
    assert_eq!(me.name, "Daniel Reyes");
    assert_eq!(me.email, "daniel.reyes@contoso.com");
    assert_eq!(me.instance_url, srv.base);
}

#[tokio::test]
async fn sign_out_revokes_the_refresh_token() {
    let srv = server(|l| l.newest_refresh = 1).await;
    let (provider, _) = provider(&srv, "rt-1", Arc::default());
    provider.sign_out().await.unwrap();
    assert_eq!(srv.login.lock().unwrap().revoked, ["rt-1"]);
    assert!(provider.saved().await.is_none());
    // A token Salesforce no longer knows is as good as revoked.
    revoke(&srv.config, &Sensitive::from("unknown"))
        .await
        .unwrap();
}

#[tokio::test]
async fn an_org_that_has_not_installed_the_app_is_named() {
    async fn refuse() -> Response {
        oauth_error("invalid_client", "app must be installed into org")
    }
    let base = serve(|_| Router::new().route("/services/oauth2/token", post(refuse))).await;
    let config = SalesforceConfig::new(Url::parse(&base).unwrap(), CLIENT_ID);
    let err = refresh(&config, &saved(&base, "rt-1")).await.unwrap_err();
    assert!(matches!(err, AuthError::AppNotApproved { .. }), "{err:?}");
    assert!(err.to_string().contains("administrator"), "{err}");
}

#[tokio::test]
async fn an_unreachable_login_host_is_a_retryable_network_error() {
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let config = SalesforceConfig::new(Url::parse(&base).unwrap(), CLIENT_ID);
    let err = refresh(&config, &saved(&base, "rt-secret"))
        .await
        .unwrap_err();
    assert!(err.is_retryable(), "{err:?}");
    assert!(!err.to_string().contains("rt-secret"));
}
