//! Where the Graph client gets its access tokens. The client owns no storage: a provider
//! hands out a valid token and persists whatever a refresh brings.

use async_trait::async_trait;
use chrono::Utc;
use onbehalf_secrets::Sensitive;
use tokio::sync::Mutex;

use super::refresh::refresh_for;
use super::{AuthError, TokenSet};
use crate::Endpoints;

/// A source of access tokens for Graph calls.
#[async_trait]
pub trait AccessTokens: Send + Sync {
    /// A token valid for a while yet, refreshing first when it is close to expiry.
    async fn access_token(&self) -> Result<Sensitive<String>, AuthError>;
    /// Graph refused the current token: refresh now, whatever its expiry says.
    async fn refresh_after_401(&self) -> Result<Sensitive<String>, AuthError>;
}

/// Called with every new token set, so that the rotated refresh token is kept.
pub type OnNewTokens = Box<dyn Fn(&TokenSet) + Send + Sync>;

/// Tokens held in memory, refreshed through [`crate::refresh`].
pub struct StaticTokens {
    endpoints: Endpoints,
    // An async mutex held across the refresh: two callers must not both redeem the same
    // refresh token, and the second one then simply gets the first one's result.
    tokens: Mutex<TokenSet>,
    on_new: OnNewTokens,
    margin: chrono::Duration,
}

/// Refresh this long before expiry, so a token does not expire between check and use.
const DEFAULT_MARGIN_SECS: i64 = 300;

impl StaticTokens {
    pub fn new(endpoints: Endpoints, tokens: TokenSet, on_new: OnNewTokens) -> Self {
        StaticTokens {
            endpoints,
            tokens: Mutex::new(tokens),
            on_new,
            margin: chrono::Duration::seconds(DEFAULT_MARGIN_SECS),
        }
    }

    /// The tokens held now.
    pub async fn current(&self) -> TokenSet {
        self.tokens.lock().await.clone()
    }

    async fn renew(&self, held: &mut TokenSet) -> Result<Sensitive<String>, AuthError> {
        let Some(refresh_token) = held.refresh_token.clone() else {
            return Err(AuthError::SignInRequired {
                detail: "no refresh token was kept".to_string(),
            });
        };
        let fresh = refresh_for(&self.endpoints, &refresh_token, Some(&held.account)).await?;
        (self.on_new)(&fresh);
        *held = fresh;
        Ok(held.access_token.clone())
    }
}

impl std::fmt::Debug for StaticTokens {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StaticTokens")
            .field("endpoints", &self.endpoints)
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl AccessTokens for StaticTokens {
    async fn access_token(&self) -> Result<Sensitive<String>, AuthError> {
        let mut held = self.tokens.lock().await;
        if held.is_fresh(Utc::now(), self.margin) {
            return Ok(held.access_token.clone());
        }
        self.renew(&mut held).await
    }

    async fn refresh_after_401(&self) -> Result<Sensitive<String>, AuthError> {
        let mut held = self.tokens.lock().await;
        self.renew(&mut held).await
    }
}
