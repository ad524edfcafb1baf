//! Helpers for the Salesforce tests: sign a demo user in through the web server flow with
//! PKCE on the login host, call the REST API on the instance the token names, run SOQL.

use onbehalf_sandbox::{demo_org, Sandbox, SALESFORCE_CLIENT_ID};
use reqwest::header::HeaderMap;
use reqwest::{Method, StatusCode};
use serde_json::Value;

use super::{http, pkce, Pkce, REDIRECT};

pub const V: &str = "v67.0";

pub fn authorize_url(sb: &Sandbox, pkce: &Pkce, login_hint: Option<&str>) -> String {
    let mut url = url::Url::parse(&format!(
        "{}/services/oauth2/authorize",
        sb.salesforce_login_url()
    ))
    .unwrap();
    {
        let mut q = url.query_pairs_mut();
        q.append_pair("response_type", "code")
            .append_pair("client_id", SALESFORCE_CLIENT_ID)
            .append_pair("redirect_uri", REDIRECT)
            .append_pair("scope", "api refresh_token id")
            .append_pair("state", "sf-state")
            .append_pair("code_challenge", &pkce.challenge)
            .append_pair("code_challenge_method", "S256");
        if let Some(h) = login_hint {
            q.append_pair("login_hint", h);
        }
    }
    url.to_string()
}

/// The redirect's query parameters after the authorize step for `user`.
pub async fn authorize(sb: &Sandbox, user: &str, pkce: &Pkce) -> Vec<(String, String)> {
    let resp = http()
        .get(authorize_url(sb, pkce, Some(user)))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::FOUND);
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(REDIRECT), "{location}");
    url::Url::parse(&location)
        .unwrap()
        .query_pairs()
        .into_owned()
        .collect()
}

pub fn pair<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

pub async fn token_request(sb: &Sandbox, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let resp = http()
        .post(format!(
            "{}/services/oauth2/token",
            sb.salesforce_login_url()
        ))
        .form(form)
        .send()
        .await
        .unwrap();
    let status = resp.status();
    (status, resp.json().await.unwrap())
}

pub struct SfTokens {
    pub access: String,
    pub refresh: String,
    pub instance_url: String,
    pub id: String,
    pub body: Value,
}

/// Sign `user` in through authorize and token, as an app would.
pub async fn sign_in(sb: &Sandbox, user: &str) -> SfTokens {
    let pkce = pkce();
    let pairs = authorize(sb, user, &pkce).await;
    let code = pair(&pairs, "code").unwrap().to_string();
    let (status, body) = token_request(
        sb,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", SALESFORCE_CLIENT_ID),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    SfTokens {
        access: body["access_token"].as_str().unwrap().to_string(),
        refresh: body["refresh_token"]
            .as_str()
            .unwrap_or_default()
            .to_string(),
        instance_url: body["instance_url"].as_str().unwrap().to_string(),
        id: body["id"].as_str().unwrap().to_string(),
        body,
    }
}

pub struct SfReply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

/// A REST call; `path` is below `/services/data/v67.0` unless it starts with `/services` or
/// `http`.
pub async fn call_with(
    t: &SfTokens,
    method: Method,
    path: &str,
    body: Option<Value>,
    headers: &[(&str, &str)],
) -> SfReply {
    let url = if path.starts_with("http") {
        path.to_string()
    } else if path.starts_with("/services") {
        format!("{}{path}", t.instance_url)
    } else {
        format!("{}/services/data/{V}{path}", t.instance_url)
    };
    let mut req = http().request(method, url).bearer_auth(&t.access);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap();
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    SfReply {
        status,
        headers,
        body,
    }
}

pub async fn call(t: &SfTokens, method: Method, path: &str, body: Option<Value>) -> SfReply {
    call_with(t, method, path, body, &[]).await
}

pub async fn get(t: &SfTokens, path: &str) -> SfReply {
    call(t, Method::GET, path, None).await
}

/// Run SOQL and expect success; the first batch's answer.
pub async fn query(t: &SfTokens, soql: &str) -> Value {
    let r = get(t, &format!("/query?q={}", urlencode(soql))).await;
    assert_eq!(r.status, StatusCode::OK, "{soql}: {}", r.body);
    r.body
}

pub fn urlencode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

/// The first error's code of an error array.
pub fn code(body: &Value) -> &str {
    body[0]["errorCode"].as_str().unwrap_or_default()
}

/// A demo person's CRM user id.
pub fn crm_id(address: &str) -> String {
    demo_org()
        .users
        .into_iter()
        .find(|u| u.address == address)
        .map(|u| u.crm.user_id)
        .unwrap()
}

/// An event body starting in `days` days at 15:00 UTC for `minutes`.
pub fn event(subject: &str, days: i64, minutes: i64) -> Value {
    let start = (chrono::Utc::now() + chrono::Duration::days(days))
        .date_naive()
        .and_hms_opt(15, 0, 0)
        .unwrap()
        .and_utc();
    serde_json::json!({
        "Subject": subject,
        "StartDateTime": start.to_rfc3339(),
        "DurationInMinutes": minutes,
    })
}

/// The `Sforce-Limit-Info` header's calls used and allocation.
pub fn api_usage(r: &SfReply) -> (u64, u64) {
    let text = r.headers["sforce-limit-info"].to_str().unwrap();
    let (used, max) = text
        .strip_prefix("api-usage=")
        .unwrap()
        .split_once('/')
        .unwrap();
    (used.parse().unwrap(), max.parse().unwrap())
}
