//! Signing a demo user in to the sandbox through its authorization code flow (PKCE), as the
//! app does, for tests that need a real token from it.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use onbehalf_graph::{Endpoints, GraphClient, Trust};
use onbehalf_sandbox::Sandbox;
use sha2::{Digest, Sha256};
use url::Url;

use super::FakeTokens;

const REDIRECT: &str = "http://127.0.0.1:53682/callback";

/// The sandbox's endpoints.
pub fn sandbox_endpoints(sb: &Sandbox) -> Endpoints {
    Endpoints {
        authority: Url::parse(&sb.authority()).unwrap(),
        graph_url: Url::parse(&sb.graph_url()).unwrap(),
        client_id: sb.client_id().to_string(),
        trust: Trust::default(),
    }
}

/// Sign `user` in through the sandbox's authorization code flow, asking for `scopes`.
pub async fn signed_in(sb: &Sandbox, user: &str, scopes: &[String]) -> GraphClient {
    let endpoints = sandbox_endpoints(sb);
    let verifier = format!("verifier-{user}-0123456789abcdefghijklmnopqrstuvwxyz");
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    let mut authorize = endpoints.authorize_url().unwrap();
    authorize
        .query_pairs_mut()
        .append_pair("client_id", sb.client_id())
        .append_pair("response_type", "code")
        .append_pair("redirect_uri", REDIRECT)
        .append_pair("scope", &scopes.join(" "))
        .append_pair("state", "s")
        .append_pair("code_challenge", &challenge)
        .append_pair("code_challenge_method", "S256")
        .append_pair("login_hint", user);
    let resp = http.get(authorize).send().await.unwrap();
    let location = Url::parse(resp.headers()["location"].to_str().unwrap()).unwrap();
    let code = location
        .query_pairs()
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let token: serde_json::Value = http
        .post(endpoints.token_url().unwrap())
        .form(&[
            ("client_id", sb.client_id()),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &verifier),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let access = token["access_token"].as_str().unwrap();
    GraphClient::new(
        endpoints.graph_url.clone(),
        FakeTokens::new(access),
        &endpoints.trust,
    )
    .unwrap()
}
