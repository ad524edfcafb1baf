//! Test support: a small identity server that speaks the documented v2.0 authorize and token
//! endpoints and issues tokens as large as Entra's, and an Onbehalf signed in against it with
//! its saved sign-ins in the system keyring.

#![allow(dead_code, clippy::unwrap_used)]

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use onbehalf_secrets::{SecretStore, SecretsError, Sensitive};
use onbehalf_service::{Onbehalf, Options};
use onbehalf_store::Store;
use serde_json::json;
use tokio::net::TcpListener;

pub const TENANT: &str = "b3e1f0a2-6c4d-4e8f-9a1b-2c3d4e5f6a7b";
const CLIENT_ID: &str = "7c1e2d4a-5b6f-4e8a-9c0d-1e2f3a4b5c6d";
/// Entra access tokens run past 2,000 characters, refresh tokens to about 1,500.
const ACCESS_TOKEN_LEN: usize = 2_600;
const REFRESH_TOKEN_LEN: usize = 1_500;

pub struct User {
    pub address: &'static str,
    pub object_id: &'static str,
    pub name: &'static str,
}

pub const DANIEL: User = User {
    address: "daniel.reyes@contoso.com",
    object_id: "0b6f2a4c-1111-4222-8333-444455556666",
    name: "Daniel Reyes",
};
pub const MEGAN: User = User {
    address: "megan.bowen@contoso.com",
    object_id: "7d1e9b3f-2222-4333-8444-555566667777",
    name: "Megan Bowen",
};

impl User {
    pub fn account_id(&self) -> String {
        format!("{TENANT}.{}", self.object_id)
    }
}

fn user_by_address(address: &str) -> Option<&'static User> {
    [&DANIEL, &MEGAN]
        .into_iter()
        .find(|u| u.address.eq_ignore_ascii_case(address))
}

/// What the identity server saw.
#[derive(Default)]
pub struct Seen {
    /// The query of each authorize request.
    pub authorize: Vec<HashMap<String, String>>,
    /// Each refresh token presented, by its short name (`rt-daniel-1`).
    pub refreshes: Vec<String>,
    /// The newest refresh token of each user; older ones are refused, as a strict server may.
    newest: HashMap<String, u32>,
}

pub type Idp = Arc<Mutex<Seen>>;

fn padded(short: &str, len: usize) -> String {
    format!("{short}.{}", "x".repeat(len))
}

fn short(token: &str) -> &str {
    token.split('.').next().unwrap_or_default()
}

fn local(user: &User) -> &str {
    user.address.split(['.', '@']).next().unwrap_or_default()
}

fn id_token(user: &User) -> String {
    let payload = json!({
        "aud": CLIENT_ID, "tid": TENANT, "oid": user.object_id,
        "preferred_username": user.address, "name": user.name, "ver": "2.0",
    });
    format!(
        "{}.{}.c2lnbmF0dXJl",
        URL_SAFE_NO_PAD.encode(r#"{"typ":"JWT","alg":"RS256"}"#),
        URL_SAFE_NO_PAD.encode(payload.to_string())
    )
}

fn issue(seen: &mut Seen, user: &User) -> Response {
    let n = seen.newest.entry(local(user).to_string()).or_insert(0);
    *n += 1;
    let name = local(user);
    Json(json!({
        "token_type": "Bearer",
        "scope": "openid profile offline_access https://graph.microsoft.com/User.Read",
        "expires_in": 3599,
        "access_token": padded(&format!("at-{name}-{n}"), ACCESS_TOKEN_LEN),
        "refresh_token": padded(&format!("rt-{name}-{n}"), REFRESH_TOKEN_LEN),
        "id_token": id_token(user),
    }))
    .into_response()
}

fn oauth_error(code: &str) -> Response {
    (
        StatusCode::BAD_REQUEST,
        Json(json!({"error": code, "error_description": "AADSTS70000: refused by the test"})),
    )
        .into_response()
}

async fn authorize(State(idp): State<Idp>, Query(q): Query<HashMap<String, String>>) -> Response {
    idp.lock().unwrap().authorize.push(q.clone());
    let user = q
        .get("login_hint")
        .and_then(|h| user_by_address(h))
        .unwrap_or(&DANIEL);
    let redirect = q.get("redirect_uri").cloned().unwrap_or_default();
    let state = q.get("state").cloned().unwrap_or_default();
    Redirect::to(&format!(
        "{redirect}?code=code-{}&state={state}",
        local(user)
    ))
    .into_response()
}

async fn token(State(idp): State<Idp>, Form(f): Form<HashMap<String, String>>) -> Response {
    let mut seen = idp.lock().unwrap();
    match f.get("grant_type").map(String::as_str) {
        Some("authorization_code") => {
            let code = f.get("code").cloned().unwrap_or_default();
            match [&DANIEL, &MEGAN]
                .into_iter()
                .find(|u| code == format!("code-{}", local(u)))
            {
                Some(user) => issue(&mut seen, user),
                None => oauth_error("invalid_grant"),
            }
        }
        Some("refresh_token") => {
            let presented = f.get("refresh_token").cloned().unwrap_or_default();
            let name = short(&presented).to_string();
            seen.refreshes.push(name.clone());
            let user = [&DANIEL, &MEGAN].into_iter().find(|u| {
                let prefix = format!("rt-{}-", local(u));
                seen.newest
                    .get(local(u))
                    .is_some_and(|n| name == format!("{prefix}{n}"))
            });
            match user {
                Some(user) => issue(&mut seen, user),
                None => oauth_error("invalid_grant"),
            }
        }
        _ => oauth_error("unsupported_grant_type"),
    }
}

/// Start the identity server; returns its state and a configuration file for it.
pub async fn identity(dir: &Path) -> (Idp, PathBuf) {
    let idp: Idp = Arc::default();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let app = Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize))
        .route("/{tenant}/oauth2/v2.0/token", post(token))
        .with_state(idp.clone());
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let config = dir.join("onbehalf.toml");
    std::fs::write(
        &config,
        format!(
            "[microsoft]\nauthority = \"{base}/{TENANT}\"\ngraph_url = \"{base}/v1.0\"\n\
             client_id = \"{CLIENT_ID}\"\n"
        ),
    )
    .unwrap();
    (idp, config)
}

/// Whether the system keyring can be used here. Without one the test is skipped, unless the
/// run requires it (`ONBEHALF_REQUIRE_KEYRING`, set by CI).
pub fn keyring_available() -> bool {
    let probe = SecretStore::new("onbehalf-service-test");
    let key = format!("probe-{}", std::process::id());
    match probe.set(&key, &Sensitive::from("probe")) {
        Ok(()) => {
            let _ = probe.delete(&key);
            true
        }
        Err(e @ SecretsError::Unavailable { .. }) => {
            if std::env::var("ONBEHALF_REQUIRE_KEYRING").is_ok() {
                panic!("ONBEHALF_REQUIRE_KEYRING is set but the keyring is unavailable: {e}");
            }
            eprintln!("SKIPPED: no system keyring is reachable here ({e})");
            false
        }
        Err(e) => panic!("the keyring refused the probe: {e}"),
    }
}

/// One test's identity server and data folder.
pub struct World {
    pub idp: Idp,
    pub config: PathBuf,
    pub data: tempfile::TempDir,
}

impl World {
    pub async fn new() -> World {
        let data = tempfile::tempdir().unwrap();
        let (idp, config) = identity(data.path()).await;
        World { idp, config, data }
    }

    /// A new Onbehalf on this data folder, as a new process would start.
    pub async fn start(&self) -> Onbehalf {
        Onbehalf::start(&Options {
            config_file: Some(self.config.clone()),
            data_dir: Some(self.data.path().to_path_buf()),
            sandbox: false,
            sandbox_tls: false,
            policy_file: None,
        })
        .await
        .unwrap()
    }

    pub fn store(&self) -> Store {
        Store::open(&self.data.path().join("onbehalf.sqlite3")).unwrap()
    }

    /// The name of `user`'s keyring entry in this data folder.
    pub fn keyring_name(&self, user: &User) -> String {
        let profile = self.store().settings().profile_id().unwrap();
        format!("{profile}:{}", user.account_id())
    }

    /// `user`'s keyring entry as the system keyring holds it.
    pub fn keyring_entry(&self, user: &User) -> Option<String> {
        SecretStore::new("Onbehalf")
            .get(&self.keyring_name(user))
            .unwrap()
            .map(Sensitive::into_inner)
    }

    /// Every file of the token vault.
    pub fn vault_files(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.data.path().join("tokens")) {
            Ok(entries) => entries.map(|e| e.unwrap().path()).collect(),
            Err(_) => Vec::new(),
        }
    }

    pub fn refreshes(&self) -> Vec<String> {
        self.idp.lock().unwrap().refreshes.clone()
    }

    pub fn last_authorize(&self) -> HashMap<String, String> {
        self.idp.lock().unwrap().authorize.last().cloned().unwrap()
    }

    /// Remove what the test left in the system keyring.
    pub fn clean_keyring(&self) {
        for user in [&DANIEL, &MEGAN] {
            let _ = SecretStore::new("Onbehalf").delete(&self.keyring_name(user));
        }
    }
}
