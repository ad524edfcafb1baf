//! `GET`/`POST /oidc/userinfo`, the OpenID Connect UserInfo endpoint Entra serves on Graph's
//! host: who the bearer of an access token with the `openid` scope is. `sub` is the same
//! pairwise subject the ID token carries.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::json;

use super::token::pairwise_subject;
use crate::origin::Origin;
use crate::scopes::ScopeSet;
use crate::state::secret_hash;
use crate::{Shared, CLIENT_ID};

fn unauthorized(error: &str, description: &str) -> Response {
    (
        StatusCode::UNAUTHORIZED,
        [(
            header::WWW_AUTHENTICATE,
            format!("Bearer error=\"{error}\", error_description=\"{description}\""),
        )],
    )
        .into_response()
}

pub(super) async fn userinfo(
    State(shared): State<Arc<Shared>>,
    origin: Origin,
    headers: HeaderMap,
) -> Response {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, t)| t.trim().to_string());
    let Some(token) = token else {
        return unauthorized("invalid_request", "No access token was presented.");
    };
    let world = shared.store.lock();
    let Some(found) = world
        .auth
        .access_tokens
        .get(&secret_hash(&token))
        .filter(|t| t.expires > Utc::now())
    else {
        return unauthorized(
            "invalid_token",
            "The access token is not valid or has expired.",
        );
    };
    if !ScopeSet::parse(&found.scope, &shared.base_url).has("openid") {
        return unauthorized(
            "insufficient_scope",
            "The access token lacks the openid scope.",
        );
    }
    let Some(user) = world.users.get(found.user) else {
        return unauthorized("invalid_token", "The user no longer exists.");
    };
    let mut names = user.display_name.splitn(2, ' ');
    let given = names.next().unwrap_or_default();
    let family = names.next().unwrap_or_default();
    Json(json!({
        "sub": pairwise_subject(&user.id, CLIENT_ID),
        "name": user.display_name,
        "family_name": family,
        "given_name": given,
        "picture": format!("{origin}/v1.0/me/photo/$value"),
        "email": user.address,
    }))
    .into_response()
}
