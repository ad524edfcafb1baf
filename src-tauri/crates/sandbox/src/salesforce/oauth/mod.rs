//! The login host: `/services/oauth2/authorize` (the demo-user page, or at once with a known
//! `login_hint`), `/services/oauth2/token` (authorization code with PKCE, refresh with
//! rotation, the device flow), `/services/oauth2/revoke`, the device verification page
//! `/setup/connect`, and the identity URL `/id/{orgId}/{userId}`. OAuth errors are
//! `{"error","error_description"}`.

mod authorize;
mod device;
mod identity;
mod pages;
mod revoke;
mod token;
mod tokens;

use std::collections::HashMap;
use std::sync::Arc;

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::Shared;

/// The connected app's configured scopes. A request naming another is refused.
pub(crate) const APP_SCOPES: &[&str] = &[
    "api",
    "refresh_token",
    "offline_access",
    "id",
    "openid",
    "profile",
    "email",
    "web",
];

/// What a request that names no scope is granted.
///
/// Assumption: the connected app's selected scopes for Onbehalf are `api`, `refresh_token`
/// and `id`; Salesforce grants the selected scopes when the request names none.
pub(crate) const DEFAULT_SCOPE: &str = "api refresh_token id";

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/services/oauth2/authorize", get(authorize::authorize))
        .route("/services/oauth2/token", post(token::token))
        .route(
            "/services/oauth2/revoke",
            post(revoke::revoke_form).get(revoke::revoke_query),
        )
        .route("/setup/connect", get(device::page).post(device::approve))
        .route("/id/{org}/{user}", get(identity::identity))
}

/// An OAuth error answer.
pub(crate) struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: String,
}

impl OAuthError {
    pub fn new(error: &'static str, description: impl Into<String>) -> OAuthError {
        OAuthError {
            status: StatusCode::BAD_REQUEST,
            error,
            description: description.into(),
        }
    }

    pub fn status(mut self, status: StatusCode) -> OAuthError {
        self.status = status;
        self
    }

    pub fn invalid_client() -> OAuthError {
        OAuthError::new("invalid_client_id", "client identifier invalid")
    }

    pub fn expired_grant() -> OAuthError {
        OAuthError::new("invalid_grant", "expired access/refresh token")
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        (
            self.status,
            [(header::CACHE_CONTROL, "no-store")],
            Json(json!({ "error": self.error, "error_description": self.description })),
        )
            .into_response()
    }
}

fn form(bytes: &[u8]) -> HashMap<String, String> {
    url::form_urlencoded::parse(bytes).into_owned().collect()
}

/// Scopes as a list, or the default when none are named.
fn scopes(requested: Option<&str>) -> Vec<String> {
    requested
        .unwrap_or(DEFAULT_SCOPE)
        .split_whitespace()
        .map(str::to_string)
        .collect()
}

/// The first scope the connected app was not configured with.
fn unknown_scope(scopes: &[String]) -> Option<&String> {
    scopes.iter().find(|s| !APP_SCOPES.contains(&s.as_str()))
}
