//! The Microsoft identity platform v2.0 endpoints: authorize (with the demo-user page), token
//! (authorization code with PKCE, refresh with rotation, inactivity, revocation and scope
//! checks, device code), devicecode with its verification page, OpenID discovery metadata
//! with the signing keys, userinfo and sign-out. Tokens have Entra's shapes and sizes; ID
//! tokens are signed RS256 with a key of the sandbox state's own.

pub(crate) mod authorize;
mod credentials;
mod device;
pub(crate) mod keys;
pub(crate) mod pages;
mod refresh;
mod token;
mod userinfo;

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use rand::RngCore;
use serde_json::json;

use crate::origin::Origin;
use crate::{Shared, TENANT_ID};
use token::OAuthError;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/{tenant}/oauth2/v2.0/authorize", get(authorize::authorize))
        .route("/{tenant}/oauth2/v2.0/token", post(token::token))
        .route("/{tenant}/oauth2/v2.0/devicecode", post(device::devicecode))
        .route("/devicelogin", get(device::page).post(device::approve))
        .route("/{tenant}/oauth2/v2.0/logout", get(logout))
        .route("/{tenant}/discovery/v2.0/keys", get(jwks))
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route(
            "/oidc/userinfo",
            get(userinfo::userinfo).post(userinfo::userinfo),
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

/// `GET /{tenant}/v2.0/.well-known/openid-configuration`, as Entra answers it, but for what
/// this server does not do: it serves one public client, the code flow only (query or
/// form_post), and PKCE with S256 only, and says so. For `common` and `organizations` the
/// issuer holds the literal `{tenantid}`, which a client replaces with the token's `tid`.
async fn openid_configuration(Path(tenant): Path<String>, origin: Origin) -> Response {
    if !tenant_ok(&tenant) {
        return OAuthError::unknown_tenant(&tenant).into_response();
    }
    let issuer = issuer(&origin, &tenant);
    let at = |path: &str| format!("{origin}/{tenant}/{path}");
    let host = origin.authority.clone();
    Json(json!({
        "token_endpoint": at("oauth2/v2.0/token"),
        "jwks_uri": at("discovery/v2.0/keys"),
        "response_modes_supported": ["query", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": issuer,
        "request_uri_parameter_supported": false,
        "userinfo_endpoint": format!("{origin}/oidc/userinfo"),
        "authorization_endpoint": at("oauth2/v2.0/authorize"),
        "device_authorization_endpoint": at("oauth2/v2.0/devicecode"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "end_session_endpoint": at("oauth2/v2.0/logout"),
        "claims_supported": [
            "sub", "iss", "cloud_instance_name", "cloud_instance_host_name", "cloud_graph_host_name",
            "msgraph_host", "aud", "exp", "iat", "auth_time", "acr", "nonce",
            "preferred_username", "name", "tid", "ver", "at_hash", "c_hash", "email"
        ],
        "code_challenge_methods_supported": ["S256"],
        "tenant_region_scope": "NA",
        "cloud_instance_name": "microsoftonline.com",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": host,
        "rbac_url": "https://pas.windows.net"
    }))
    .into_response()
}

/// The issuer of a tenant's tokens as its metadata names it.
fn issuer(origin: &Origin, tenant: &str) -> String {
    match ["common", "organizations"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(tenant))
    {
        true => format!("{origin}/{{tenantid}}/v2.0"),
        false => format!("{origin}/{TENANT_ID}/v2.0"),
    }
}

/// `GET /{tenant}/discovery/v2.0/keys`: the public keys ID tokens are signed with.
async fn jwks(
    State(shared): State<Arc<Shared>>,
    Path(tenant): Path<String>,
    origin: Origin,
) -> Response {
    if !tenant_ok(&tenant) {
        return OAuthError::unknown_tenant(&tenant).into_response();
    }
    let key = {
        let mut world = shared.store.lock();
        let made = world.auth.signing_key.is_none();
        let key = keys::signing_key(&mut world);
        if made {
            shared.store.save_logged(&world);
        }
        key
    };
    match key {
        Ok(key) => Json(json!({ "keys": [key.jwk(&issuer(&origin, &tenant))] })).into_response(),
        Err(e) => {
            OAuthError::server(format!("Could not make the signing key: {e}")).into_response()
        }
    }
}

/// `GET /{tenant}/oauth2/v2.0/logout`: the end of the session. Tokens already issued stay
/// valid until they expire, as with Entra's front-channel sign-out; the browser goes back to
/// `post_logout_redirect_uri` when it is one the app registered (a loopback address).
async fn logout(Path(tenant): Path<String>, uri: Uri) -> Response {
    if !tenant_ok(&tenant) {
        return OAuthError::bad_tenant(&tenant).into_response();
    }
    let back = uri.query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "post_logout_redirect_uri")
            .and_then(|(_, v)| authorize::loopback_redirect(&v))
    });
    match back {
        Some(url) => (StatusCode::FOUND, [(header::LOCATION, url.to_string())]).into_response(),
        None => Html(pages::message(
            "Signed out",
            "You signed out of your account. It's a good idea to close all browser windows.",
        ))
        .into_response(),
    }
}
