//! HTTPS with a local CA made once per data folder, and links made from the origin the client
//! used: over TLS every link is `https://localhost:PORT/...`; behind a proxy, the forwarded
//! scheme and host.
#![allow(clippy::unwrap_used)]

mod common;

use std::path::Path;

use common::{pkce, DANIEL, REDIRECT, SCOPE};
use onbehalf_sandbox::{Sandbox, SandboxOptions, CLIENT_ID, SALESFORCE_CLIENT_ID};
use reqwest::StatusCode;
use serde_json::Value;

async fn start_tls(folder: &Path) -> Sandbox {
    Sandbox::start(SandboxOptions {
        tls_folder: Some(folder.to_path_buf()),
        ..Default::default()
    })
    .await
    .unwrap()
}

/// A client that trusts the sandbox's CA, and nothing is turned off.
fn trusting(sb: &Sandbox) -> reqwest::Client {
    let pem = std::fs::read(sb.ca_file().expect("a TLS sandbox has a CA")).unwrap();
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// Send a request and read its JSON answer.
trait JsonAnswer {
    async fn json_answer(self) -> Value;
}

impl JsonAnswer for reqwest::RequestBuilder {
    async fn json_answer(self) -> Value {
        self.send().await.unwrap().json().await.unwrap()
    }
}

/// A query parameter of the redirect an authorize step answered with.
fn redirected_with(resp: &reqwest::Response, name: &str) -> String {
    assert_eq!(resp.status(), StatusCode::FOUND);
    query_value(resp.headers()["location"].to_str().unwrap(), name)
}

fn query_value(location: &str, name: &str) -> String {
    url::Url::parse(location)
        .unwrap()
        .query_pairs()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.into_owned())
        .unwrap()
}

/// Sign Daniel in to Microsoft over HTTPS; the token answer.
async fn microsoft_sign_in(sb: &Sandbox, client: &reqwest::Client) -> Value {
    let pkce = pkce();
    let resp = client
        .get(format!("{}/oauth2/v2.0/authorize", sb.authority()))
        .query(&[
            ("client_id", CLIENT_ID),
            ("response_type", "code"),
            ("redirect_uri", REDIRECT),
            ("scope", SCOPE),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("login_hint", DANIEL),
        ])
        .send()
        .await
        .unwrap();
    let code = redirected_with(&resp, "code");
    client
        .post(format!("{}/oauth2/v2.0/token", sb.authority()))
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
        ])
        .json_answer()
        .await
}

#[tokio::test]
async fn the_ca_is_made_once_and_a_client_that_trusts_it_gets_https_links() {
    let folder = tempfile::tempdir().unwrap();
    let sb = start_tls(folder.path()).await;
    let ca = sb.ca_file().unwrap().to_path_buf();
    assert!(ca.starts_with(folder.path()));
    assert!(sb.base_url().starts_with("https://localhost:"));
    assert!(sb.salesforce_login_url().starts_with("https://localhost:"));
    let client = trusting(&sb);
    let meta: Value = client
        .get(format!(
            "{}/v2.0/.well-known/openid-configuration",
            sb.authority()
        ))
        .json_answer()
        .await;
    assert_eq!(
        meta["token_endpoint"],
        format!("{}/oauth2/v2.0/token", sb.authority())
    );

    // Paging links are HTTPS links to the same host and port.
    let tokens = microsoft_sign_in(&sb, &client).await;
    let page: Value = client
        .get(format!("{}/me/calendars?$top=1", sb.graph_url()))
        .bearer_auth(tokens["access_token"].as_str().unwrap())
        .json_answer()
        .await;
    let next = page["@odata.nextLink"]
        .as_str()
        .expect("more than one calendar");
    assert!(
        next.starts_with(&format!("{}/me/calendars", sb.graph_url())),
        "{next}"
    );
    assert!(page["@odata.context"]
        .as_str()
        .unwrap()
        .starts_with(&sb.graph_url()));

    // A client that does not trust the CA is refused by its own TLS checks.
    let plain = reqwest::Client::new();
    let refused = plain.get(sb.graph_url()).send().await.unwrap_err();
    assert!(refused.is_connect() || refused.is_request(), "{refused}");
    sb.shutdown().await;

    // The next start in the same folder keeps the same CA.
    let pem = std::fs::read_to_string(&ca).unwrap();
    let again = start_tls(folder.path()).await;
    assert_eq!(
        std::fs::read_to_string(again.ca_file().unwrap()).unwrap(),
        pem
    );
    // A client that trusted the CA before still trusts the certificate of the new start.
    let reached = client
        .get(format!(
            "{}/v2.0/.well-known/openid-configuration",
            again.authority()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(reached.status(), StatusCode::OK);
    again.shutdown().await;
}

#[tokio::test]
async fn salesforce_names_its_https_instance_and_identity_url_from_the_origin() {
    let folder = tempfile::tempdir().unwrap();
    let sb = start_tls(folder.path()).await;
    let client = trusting(&sb);
    let pkce = pkce();
    let resp = client
        .get(format!(
            "{}/services/oauth2/authorize",
            sb.salesforce_login_url()
        ))
        .query(&[
            ("response_type", "code"),
            ("client_id", SALESFORCE_CLIENT_ID),
            ("redirect_uri", REDIRECT),
            ("scope", "api refresh_token id"),
            ("code_challenge", pkce.challenge.as_str()),
            ("code_challenge_method", "S256"),
            ("login_hint", DANIEL),
        ])
        .send()
        .await
        .unwrap();
    let code = redirected_with(&resp, "code");
    let token: Value = client
        .post(format!(
            "{}/services/oauth2/token",
            sb.salesforce_login_url()
        ))
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", SALESFORCE_CLIENT_ID),
            ("code", &code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", &pkce.verifier),
        ])
        .json_answer()
        .await;
    assert_eq!(token["instance_url"], sb.salesforce_instance_url());
    assert!(sb
        .salesforce_instance_url()
        .starts_with("https://localhost:"));
    let id = token["id"].as_str().unwrap();
    assert!(
        id.starts_with(&format!("{}/id/", sb.salesforce_login_url())),
        "{id}"
    );
    let versions = client
        .get(format!("{}/services/data/", sb.salesforce_instance_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(versions.status(), StatusCode::OK);
    sb.shutdown().await;
}

#[tokio::test]
async fn behind_a_proxy_links_name_the_forwarded_scheme_and_host() {
    let sb = common::start().await;
    let tokens = common::sign_in(&sb, DANIEL).await;
    let page: Value = common::http()
        .get(format!("{}/me/calendars?$top=1", sb.graph_url()))
        .bearer_auth(&tokens.access)
        .header("x-forwarded-proto", "https")
        .header("x-forwarded-host", "sandbox.contoso.test:8443")
        .json_answer()
        .await;
    let next = page["@odata.nextLink"].as_str().unwrap();
    assert!(
        next.starts_with("https://sandbox.contoso.test:8443/v1.0/me/calendars"),
        "{next}"
    );
    // A port forward: the Host header alone.
    let meta: Value = common::http()
        .get(format!(
            "{}/v2.0/.well-known/openid-configuration",
            sb.authority()
        ))
        .header("host", "localhost:18080")
        .json_answer()
        .await;
    assert!(meta["token_endpoint"]
        .as_str()
        .unwrap()
        .starts_with("http://localhost:18080/"));
    sb.shutdown().await;
}
