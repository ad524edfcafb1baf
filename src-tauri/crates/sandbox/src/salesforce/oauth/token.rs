//! `POST /services/oauth2/token`: redeem an authorization code (PKCE S256 and the exact
//! redirect URI checked), a refresh token (rotated), or a device code; with
//! `response_type=device_code` it starts the device flow instead.
//!
//! Refresh Token Rotation is on for Onbehalf's connected app: each refresh answers a new
//! refresh token and the one presented stops working. Presenting a rotated-away token again
//! is taken as a replay and revokes the whole chain, the newest refresh token and the
//! sessions issued from it included, as Salesforce does for a reused rotated token.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::{device, form, tokens, OAuthError};
use crate::origin::Origin;
use crate::salesforce::world::CrmWorld;
use crate::salesforce::{Runtime, SALESFORCE_CLIENT_ID, SALESFORCE_CONSUMER_SECRET};
use crate::state::secret_hash;
use crate::Shared;

pub(super) async fn token(
    State(shared): State<Arc<Shared>>,
    origin: Origin,
    body: Bytes,
) -> Response {
    let params = form(&body);
    let now = Utc::now();
    let result = {
        let mut state = shared.store.lock();
        state.crm.prune(now);
        let result = handle(&mut state.crm, &shared.salesforce, &origin, &params, now);
        // Failures change the state too (a replay revokes a chain, a poll is remembered).
        shared.store.save_logged(&state);
        result
    };
    match result {
        Ok(body) => (
            StatusCode::OK,
            [(header::CACHE_CONTROL, "no-store")],
            Json(body),
        )
            .into_response(),
        Err(e) => e.into_response(),
    }
}

fn handle(
    world: &mut CrmWorld,
    runtime: &Runtime,
    origin: &Origin,
    params: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let get = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };
    if get("client_id") != Some(SALESFORCE_CLIENT_ID) {
        return Err(OAuthError::invalid_client());
    }
    if get("client_secret").is_some_and(|s| s != SALESFORCE_CONSUMER_SECRET) {
        return Err(OAuthError::new(
            "invalid_client",
            "invalid client credentials",
        ));
    }
    if get("response_type") == Some("device_code") {
        return Ok(device::start(world, origin, get("scope"), now));
    }
    match get("grant_type") {
        Some("authorization_code") => redeem_code(world, runtime, origin, params, now),
        Some("refresh_token") => refresh(world, runtime, origin, get("refresh_token"), now),
        Some("device") => {
            let code = get("code").or_else(|| get("device_code"));
            device::poll(world, runtime, origin, code, now)
        }
        _ => Err(OAuthError::new(
            "unsupported_grant_type",
            "grant type not supported",
        )),
    }
}

fn s256(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

fn redeem_code(
    world: &mut CrmWorld,
    runtime: &Runtime,
    origin: &Origin,
    params: &HashMap<String, String>,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let get = |name: &str| params.get(name).map(String::as_str).unwrap_or_default();
    let invalid = || OAuthError::new("invalid_grant", "invalid authorization code");
    let hash = secret_hash(get("code"));
    let stored = world.auth.codes.get(&hash).cloned().ok_or_else(invalid)?;
    if stored.redeemed {
        return Err(invalid());
    }
    if stored.expires <= now {
        return Err(OAuthError::new(
            "invalid_grant",
            "expired authorization code",
        ));
    }
    if stored.redirect_uri != get("redirect_uri") {
        return Err(OAuthError::new(
            "redirect_uri_mismatch",
            "redirect_uri must match configuration",
        ));
    }
    // "If the code_challenge value is invalid or doesn't match, the login fails with the
    // invalid_request error code. If a code_challenge was given but no code_verifier, the
    // login fails with the invalid_grant error code."
    match params.get("code_verifier").filter(|v| !v.is_empty()) {
        None => return Err(OAuthError::new("invalid_grant", "invalid code verifier")),
        Some(v) if s256(v) != stored.challenge => {
            return Err(OAuthError::new("invalid_request", "invalid code verifier"))
        }
        Some(_) => {}
    }
    if let Some(c) = world.auth.codes.get_mut(&hash) {
        c.redeemed = true;
    }
    let scopes: Vec<String> = stored
        .scope
        .split_whitespace()
        .map(str::to_string)
        .collect();
    tokens::issue(world, runtime, origin, &stored.who, &scopes, None, now)
}

fn refresh(
    world: &mut CrmWorld,
    runtime: &Runtime,
    origin: &Origin,
    token: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let hash = secret_hash(token.unwrap_or_default());
    let stored = world
        .auth
        .refresh_tokens
        .get(&hash)
        .cloned()
        .ok_or_else(OAuthError::expired_grant)?;
    if stored.used {
        revoke_family(world, &stored.family);
        tracing::warn!("a rotated refresh token was presented again; its chain is revoked");
        return Err(OAuthError::expired_grant());
    }
    let active = world
        .org(&stored.who.org)
        .and_then(|o| o.user(&stored.who.user))
        .is_some_and(|u| u.flag("IsActive"));
    if !active {
        return Err(OAuthError::new("invalid_grant", "inactive user"));
    }
    if let Some(t) = world.auth.refresh_tokens.get_mut(&hash) {
        t.used = true;
    }
    let scopes: Vec<String> = stored
        .scope
        .split_whitespace()
        .map(str::to_string)
        .collect();
    tokens::issue(
        world,
        runtime,
        origin,
        &stored.who,
        &scopes,
        Some(stored.family),
        now,
    )
}

/// Revoke every refresh token of a chain and every session issued from it.
pub(super) fn revoke_family(world: &mut CrmWorld, family: &str) {
    world.auth.refresh_tokens.retain(|_, t| t.family != family);
    world
        .auth
        .sessions
        .retain(|_, s| s.family.as_deref() != Some(family));
}
