//! The refresh token grant, as Entra answers it: a new refresh token every time while the old
//! one keeps working; refused with `invalid_grant` when the user's tokens were revoked
//! (AADSTS50173), when the token lay unused for 90 days (AADSTS700082), or when the `scope`
//! asked for goes beyond what the user consented to (AADSTS65001, `consent_required`). A
//! narrower `scope` is allowed: the access token is narrower, the grant is not.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use super::token::{issue, Grant, OAuthError};
use crate::origin::Origin;
use crate::scopes::ScopeSet;
use crate::state::{secret_hash, State as World};
use crate::tz;
use crate::{Shared, CLIENT_ID};

/// Entra's default "max inactive time" of a refresh token.
const MAX_INACTIVE_DAYS: i64 = 90;

/// What a refresh request asks for besides the token.
pub(super) struct Asked<'a> {
    pub client_id: &'a str,
    /// A narrower scope than the grant's, if any.
    pub scope: Option<&'a str>,
    pub client_info: bool,
}

/// Redeem `token` for the client, optionally for a narrower scope.
pub(super) fn redeem(
    world: &mut World,
    shared: &Shared,
    origin: &Origin,
    asked: &Asked<'_>,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let client_id = asked.client_id;
    let requested = asked.scope;
    let hash = secret_hash(token);
    let stored = world
        .auth
        .refresh_tokens
        .get(&hash)
        .cloned()
        .ok_or_else(|| {
            OAuthError::new(
                "invalid_grant",
                9002313,
                "Invalid request. Request is malformed or invalid.",
            )
        })?;
    if stored.client_id != client_id {
        return Err(OAuthError::new(
            "invalid_grant",
            700005,
            "Provided Authorization Code is intended to use against other tenant or client.",
        ));
    }
    let valid_from = world
        .users
        .get(stored.user)
        .and_then(|u| u.tokens_valid_from);
    if let Some(valid_from) = valid_from.filter(|v| stored.auth_time < *v) {
        return Err(OAuthError::new(
            "invalid_grant",
            50173,
            format!(
                "The provided grant has expired due to it being revoked, a fresh auth token is needed. The user might have changed or reset their password. The grant was issued on '{}' and the TokensValidFrom date (before which tokens are not valid) for this user is '{}'.",
                tz::format_utc(stored.auth_time),
                tz::format_utc(valid_from)
            ),
        ));
    }
    if now - stored.last_used > Duration::days(MAX_INACTIVE_DAYS) {
        return Err(OAuthError::new(
            "invalid_grant",
            700082,
            format!(
                "The refresh token has expired due to inactivity. The token was issued on {} and was inactive for {MAX_INACTIVE_DAYS}.00:00:00.",
                tz::format_utc(stored.issued)
            ),
        ));
    }
    let consented = ScopeSet::parse(&stored.scope, &shared.base_url);
    let mut scope = match requested {
        Some(asked) if !ScopeSet::parse(asked, &shared.base_url).is_subset(&consented) => {
            return Err(OAuthError::new(
                "invalid_grant",
                65001,
                format!(
                    "The user or administrator has not consented to use the application with ID '{CLIENT_ID}' named 'Onbehalf'. Send an interactive authorization request for this user and resource."
                ),
            )
            .suberror("consent_required"));
        }
        Some(asked) => asked.to_string(),
        None => stored.scope.clone(),
    };
    // A refresh always returns a refresh token, whether or not `offline_access` is repeated.
    if !ScopeSet::parse(&scope, &shared.base_url).has("offline_access") {
        scope.push_str(" offline_access");
    }
    if let Some(t) = world.auth.refresh_tokens.get_mut(&hash) {
        t.last_used = now;
    }
    issue(
        world,
        shared,
        origin,
        &Grant {
            user: stored.user,
            client_id,
            scope: &scope,
            consented: &stored.scope,
            auth_time: stored.auth_time,
            nonce: None,
            client_info: asked.client_info,
        },
        now,
    )
}
