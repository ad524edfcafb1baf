//! The Microsoft identity platform v2.0 endpoints: authorize (with the demo-user page), token
//! (authorization code with PKCE, refresh with rotation, inactivity, revocation and scope
//! checks, device code), devicecode with its verification page, and OpenID discovery metadata.
//! Tokens have Entra's shapes and sizes.

pub(crate) mod authorize;
mod credentials;
mod device;
pub(crate) mod pages;
mod refresh;
mod token;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde_json::{json, Value};

use crate::{Shared, TENANT_ID};

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device::devicecode))
        .route("/devicelogin", get(device::page).post(device::approve))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
}

/// Tenant path segments this tenant answers to.
fn tenant_ok(tenant: &str) -> bool {
    [
        "organizations",
        "common",
        "contoso.com",
        "contoso.onmicrosoft.com",
        TENANT_ID,
    ]
    .iter()
    .any(|t| t.eq_ignore_ascii_case(tenant))
}

/// A random secret: 32 bytes, base64url.
fn random_secret() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    URL_SAFE_NO_PAD.encode(bytes)
}

fn form(bytes: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

async fn openid_configuration(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
) -> Json<Value> {
    let base = &shared.base_url;
    Json(json!({
        "issuer": format!("{base}/{TENANT_ID}/v2.0"),
        "authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/authorize"),
        "token_endpoint": format!("{base}/{tenant}/oauth2/v2.0/token"),
        "device_authorization_endpoint": format!("{base}/{tenant}/oauth2/v2.0/devicecode"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "grant_types_supported": [
            "authorization_code",
            "refresh_token",
            "urn:ietf:params:oauth:grant-type:device_code"
        ],
        "code_challenge_methods_supported": ["S256"],
        "id_token_signing_alg_values_supported": ["HS256"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "subject_types_supported": ["pairwise"],
        "tenant_region_scope": "NA"
    }))
}
