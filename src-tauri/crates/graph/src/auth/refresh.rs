//! Redeeming a refresh token.

use oauth2::RefreshToken;
use onbehalf_secrets::Sensitive;

use super::oauth::{self, map_token_error, token_set};
use super::{AccountClaims, AuthError, TokenSet};
use crate::Endpoints;

const STEP: &str = "renew the sign-in";

/// Redeem `refresh_token` for new tokens. Microsoft rotates refresh tokens on every use, so the
/// result carries the new one (or the one used, when the server sends none) and the caller
/// must persist it. A refused refresh token gives [`AuthError::SignInRequired`].
pub async fn refresh(
    endpoints: &Endpoints,
    refresh_token: &Sensitive<String>,
) -> Result<TokenSet, AuthError> {
    refresh_for(endpoints, refresh_token, None).await
}

/// [`refresh`], keeping `known` as the account when the answer has no id token.
#[tracing::instrument(skip_all, err)]
pub(crate) async fn refresh_for(
    endpoints: &Endpoints,
    refresh_token: &Sensitive<String>,
    known: Option<&AccountClaims>,
) -> Result<TokenSet, AuthError> {
    let client = oauth::token_client(endpoints)?;
    let http = oauth::http_client(endpoints)?;
    let response = client
        .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().clone()))
        .add_scopes(oauth::scopes(endpoints))
        .request_async(&http)
        .await
        .map_err(|e| map_token_error(STEP, e))?;
    let tokens = token_set(&response, Some(refresh_token), known, STEP)?;
    tracing::debug!("sign-in renewed");
    Ok(tokens)
}
