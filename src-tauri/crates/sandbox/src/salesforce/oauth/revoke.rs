//! `/services/oauth2/revoke`: "If an access token is included, Salesforce invalidates it and
//! revokes the token. If a refresh token is included, Salesforce revokes it and any
//! associated access tokens." 200 on success, 400 `invalid_token` otherwise. The token comes
//! in a form body (POST) or the query (GET).

use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};

use super::token::revoke_family;
use super::{form, OAuthError};
use crate::state::secret_hash;
use crate::Shared;

pub(super) async fn revoke_form(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    let token = form(&body).remove("token");
    revoke(&shared, token.as_deref())
}

pub(super) async fn revoke_query(State(shared): State<Arc<Shared>>, uri: Uri) -> Response {
    let token = uri
        .query()
        .map(|q| form(q.as_bytes()))
        .and_then(|mut p| p.remove("token"));
    revoke(&shared, token.as_deref())
}

fn revoke(shared: &Shared, token: Option<&str>) -> Response {
    let hash = secret_hash(token.unwrap_or_default());
    let mut state = shared.store.lock();
    let auth = &mut state.crm.auth;
    let done = if auth.sessions.remove(&hash).is_some() {
        true
    } else if let Some(refresh) = auth.refresh_tokens.get(&hash).cloned() {
        revoke_family(&mut state.crm, &refresh.family);
        true
    } else {
        false
    };
    if !done {
        // Assumption: an unknown or already revoked token is "invalid_token"; the
        // documentation lists it beside "unsupported_token_type" without saying which fits.
        return OAuthError::new("invalid_token", "Token was invalid").into_response();
    }
    shared.store.save_logged(&state);
    tracing::info!("salesforce token revoked");
    StatusCode::OK.into_response()
}
