//! Redeeming a refresh token, and revoking one on sign-out.

use oauth2::basic::BasicErrorResponse;
use oauth2::RefreshToken;
use onbehalf_secrets::Sensitive;

use super::oauth::{self, map_token_error, protocol_error, reqwest_text, token_set, Known};
use super::{AuthError, SavedSignIn, TokenSet};
use crate::SalesforceConfig;

/// Redeem the refresh token of `saved` for a new access token. With refresh token rotation
/// the result carries a new refresh token and the one used stops working, so the caller must
/// keep the new one before anything else ([`crate::TokenProvider`] does). A refused refresh
/// token gives [`AuthError::SignInRequired`].
pub async fn refresh(
    config: &SalesforceConfig,
    saved: &SavedSignIn,
) -> Result<TokenSet, AuthError> {
    let http = oauth::http_client(config)?;
    refresh_with(config, &http, saved).await
}

#[tracing::instrument(skip_all, err)]
pub(crate) async fn refresh_with(
    config: &SalesforceConfig,
    http: &reqwest::Client,
    saved: &SavedSignIn,
) -> Result<TokenSet, AuthError> {
    const STEP: &str = "renew the sign-in";
    let response = oauth::token_client(config)?
        .exchange_refresh_token(&RefreshToken::new(saved.refresh_token.expose().clone()))
        .request_async(http)
        .await
        .map_err(|e| map_token_error(STEP, e))?;
    let known = Known {
        refresh_token: &saved.refresh_token,
        instance_url: &saved.instance_url,
        identity_url: &saved.identity_url,
    };
    let tokens = token_set(&response, Some(known), STEP)?;
    tracing::debug!(
        rotated = tokens.refresh_token.as_ref() != Some(&saved.refresh_token),
        "Salesforce sign-in renewed"
    );
    Ok(tokens)
}

/// Revoke a refresh token (and with it the access tokens it gave) at
/// `/services/oauth2/revoke`, on sign-out. A token Salesforce no longer knows counts as
/// revoked. Written over the HTTP client rather than the `oauth2` crate, which refuses a
/// revocation endpoint on plain HTTP even on this computer (the sandbox).
#[tracing::instrument(skip_all, err)]
pub async fn revoke(config: &SalesforceConfig, token: &Sensitive<String>) -> Result<(), AuthError> {
    const STEP: &str = "sign out";
    let http = oauth::http_client(config)?;
    let body = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("token", token.expose())
        .finish();
    let network = |e: reqwest::Error| AuthError::Network {
        step: STEP,
        detail: reqwest_text(&e),
    };
    let response = http
        .post(config.revoke_url()?)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .body(body)
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let bytes = response.bytes().await.map_err(network)?;
    match serde_json::from_slice::<BasicErrorResponse>(&bytes) {
        // Already revoked or expired: what sign-out wants.
        Ok(e) if matches!(e.error().as_ref(), "invalid_token" | "invalid_grant") => Ok(()),
        Ok(e) => Err(protocol_error(
            STEP,
            e.error().as_ref(),
            e.error_description()
                .map(String::as_str)
                .unwrap_or_default(),
        )),
        Err(_) if status.is_server_error() => Err(AuthError::Network {
            step: STEP,
            detail: format!("Salesforce answered {status}"),
        }),
        Err(_) => Err(AuthError::Server {
            step: STEP,
            error: status.as_u16().to_string(),
            description: String::new(),
        }),
    }
}
