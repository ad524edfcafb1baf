//! Helpers for the sandbox's HTTP tests: start a sandbox, sign a demo user in through the real
//! authorization code flow, call Graph, and compare payload shapes with the fixtures.
// Test helpers fail the test by panicking, like assertions.
#![allow(dead_code, clippy::unwrap_used)]

pub mod salesforce;

use std::path::PathBuf;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use onbehalf_sandbox::{Sandbox, SandboxOptions, CLIENT_ID};
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const REDIRECT: &str = "http://127.0.0.1:53682/callback";
/// What Onbehalf asks for at sign-in.
pub const SCOPE: &str = "openid profile offline_access https://graph.microsoft.com/User.Read https://graph.microsoft.com/Calendars.ReadWrite.Shared https://graph.microsoft.com/Calendars.ReadWrite";
pub const OLIVIA: &str = "olivia.grant@contoso.com";
pub const DANIEL: &str = "daniel.reyes@contoso.com";
pub const EMMA: &str = "emma.chen@contoso.com";
pub const AARON: &str = "aaron.patel@contoso.com";
pub const RITA: &str = "rita.novak@contoso.com";
pub const FELIX: &str = "felix.braun@contoso.com";
pub const CARLA: &str = "carla.mendes@contoso.com";
pub const NOAH: &str = "noah.lind@contoso.com";
pub const HANNAH: &str = "hannah.schmidt@contoso.com";
pub const MARCUS: &str = "marcus.webb@contoso.com";
pub const PRIYA: &str = "priya.raman@contoso.com";
pub const LUCAS: &str = "lucas.moreau@contoso.com";
pub const INES: &str = "ines.duarte@contoso.com";

pub async fn start() -> Sandbox {
    Sandbox::start(SandboxOptions::default()).await.unwrap()
}

/// A client that never follows redirects, like a token client should.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier = format!(
        "verifier-{}-0123456789abcdefghijklmnopqrstuvwxyz",
        uuid_like()
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

fn uuid_like() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

pub fn authorize_url(sb: &Sandbox, pkce: &Pkce, login_hint: Option<&str>) -> String {
    authorize_url_for(sb, pkce, login_hint, SCOPE)
}

pub fn authorize_url_for(
    sb: &Sandbox,
    pkce: &Pkce,
    login_hint: Option<&str>,
    scope: &str,
) -> String {
    let mut url = url::Url::parse(&format!("{}/oauth2/v2.0/authorize", sb.authority())).unwrap();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("client_id", CLIENT_ID)
            .append_pair("response_type", "code")
            .append_pair("redirect_uri", REDIRECT)
            .append_pair("scope", scope)
            .append_pair("state", "st-123")
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(h) = login_hint {
            q.append_pair("login_hint", h);
        }
    }
    url.to_string()
}

/// Follow the authorize step for `user` and return the code from the redirect.
pub async fn authorization_code(sb: &Sandbox, user: &str, pkce: &Pkce) -> String {
    authorization_code_for(sb, user, pkce, SCOPE).await
}

pub async fn authorization_code_for(sb: &Sandbox, user: &str, pkce: &Pkce, scope: &str) -> String {
    let resp = http()
        .get(authorize_url_for(sb, pkce, Some(user), scope))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let url = url::Url::parse(&location).unwrap();
    assert!(location.starts_with(REDIRECT));
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert!(pairs.contains(&("state".to_string(), "st-123".to_string())));
    pairs
        .into_iter()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v)
        .unwrap()
}

pub async fn token_request(sb: &Sandbox, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = http()
        .post(format!("{}/oauth2/v2.0/token", sb.authority()))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

pub struct Tokens {
    pub access: String,
    pub refresh: String,
    pub id_token: String,
}

/// Sign `user` in through authorize + token, as an app would.
pub async fn sign_in(sb: &Sandbox, user: &str) -> Tokens {
    sign_in_with(sb, user, SCOPE).await
}

/// Sign `user` in asking for `scope`.
pub async fn sign_in_with(sb: &Sandbox, user: &str, scope: &str) -> Tokens {
    let pkce = pkce();
    let code = authorization_code_for(sb, user, &pkce, scope).await;
    let (status, body) = token_request(
        sb,
        &[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    Tokens {
        access: body["access_token"].as_str().unwrap().to_string(),
        refresh: body["refresh_token"].as_str().unwrap().to_string(),
        id_token: body["id_token"].as_str().unwrap().to_string(),
    }
}

pub async fn token_for(sb: &Sandbox, user: &str) -> String {
    sign_in(sb, user).await.access
}

/// A Graph call; `path` is below `/v1.0` (or an absolute URL such as a nextLink).
pub async fn call(
    sb: &Sandbox,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let url = if path.starts_with("http") {
        path.to_string()
    } else {
        format!("{}{path}", sb.graph_url())
    };
    let mut req = http().request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let text = resp.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, value)
}

pub async fn get(sb: &Sandbox, token: &str, path: &str) -> (StatusCode, Value) {
    call(sb, token, Method::GET, path, None).await
}

/// Every item of a collection, following `@odata.nextLink` to the end.
pub async fn get_all(sb: &Sandbox, token: &str, path: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut next = Some(path.to_string());
    while let Some(p) = next {
        let (status, body) = get(sb, token, &p).await;
        assert_eq!(status, StatusCode::OK, "{p}: {body}");
        out.extend(body["value"].as_array().unwrap().iter().cloned());
        next = body["@odata.nextLink"].as_str().map(str::to_string);
    }
    out
}

/// A refresh token grant, optionally asking for `scope`.
pub async fn refresh(sb: &Sandbox, token: &str, scope: Option<&str>) -> (StatusCode, Value) {
    let mut form = vec![
        ("client_id", CLIENT_ID),
        ("grant_type", "refresh_token"),
        ("refresh_token", token),
    ];
    if let Some(s) = scope {
        form.push(("scope", s));
    }
    token_request(sb, &form).await
}

/// The id of `grantee`'s permission (`None`: "My Organization") on the owner's primary
/// calendar, read from the owner's list.
pub async fn permission_id(sb: &Sandbox, owner_token: &str, grantee: Option<&str>) -> String {
    let (status, perms) = get(sb, owner_token, "/me/calendar/calendarPermissions").await;
    assert_eq!(status, StatusCode::OK, "{perms}");
    perms["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["emailAddress"]["address"].as_str() == grantee)
        .and_then(|p| p["id"].as_str())
        .unwrap_or_else(|| panic!("{grantee:?} has a permission: {perms}"))
        .to_string()
}

/// The entry of `owner`'s calendar in the caller's `/me/calendars`.
pub async fn entry_of(sb: &Sandbox, token: &str, owner: &str) -> Value {
    get_all(sb, token, "/me/calendars")
        .await
        .into_iter()
        .find(|c| c["owner"]["address"] == owner)
        .unwrap_or_else(|| panic!("an entry for {owner}"))
}

pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

pub fn fixture(name: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../tests/fixtures/graph")
        .join(name);
    serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// Check that `actual` has every key of `expected`, with the same JSON kind, recursively; each
/// element of an array must match one of the fixture's elements. `null` in the fixture
/// accepts anything.
pub fn assert_shape(expected: &Value, actual: &Value, at: &str) {
    if let Some(problem) = shape_problem(expected, actual, at) {
        panic!("{problem}");
    }
}

fn shape_problem(expected: &Value, actual: &Value, at: &str) -> Option<String> {
    match (expected, actual) {
        (Value::Null, _) => None,
        (Value::Object(e), Value::Object(a)) => e.iter().find_map(|(k, ev)| match a.get(k) {
            None => Some(format!("{at}: missing key '{k}' in {actual}")),
            Some(av) => shape_problem(ev, av, &format!("{at}.{k}")),
        }),
        (Value::Array(e), Value::Array(_)) if e.is_empty() => None,
        (Value::Array(e), Value::Array(a)) => a.iter().enumerate().find_map(|(i, av)| {
            let problems: Vec<String> = e
                .iter()
                .filter_map(|ev| shape_problem(ev, av, &format!("{at}[{i}]")))
                .collect();
            (problems.len() == e.len()).then(|| problems.join("; "))
        }),
        (Value::String(_), Value::String(_))
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_)) => None,
        _ => Some(format!(
            "{at}: expected a value like {expected}, got {actual}"
        )),
    }
}

/// A window of `days` either side of now, as calendarView query parameters.
pub fn window(days: i64) -> String {
    let now = chrono::Utc::now();
    let f = |t: chrono::DateTime<chrono::Utc>| t.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    format!(
        "startDateTime={}&endDateTime={}",
        f(now - chrono::Duration::days(days)),
        f(now + chrono::Duration::days(days))
    )
}

/// A Graph call with extra request headers; the answer's headers come back too.
pub async fn call_with(
    sb: &Sandbox,
    token: &str,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<Value>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let url = if path.starts_with("http") {
        path.to_string()
    } else {
        format!("{}{path}", sb.graph_url())
    };
    let mut req = http().request(method, url).bearer_auth(token);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let value = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, headers, value)
}

/// A header of an answer as text ("" when absent).
pub fn header<'a>(headers: &'a reqwest::header::HeaderMap, name: &str) -> &'a str {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
}
