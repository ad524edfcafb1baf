//! A signed-in session: the current account with a Graph client whose tokens come from the
//! saved sign-in and whose refreshed tokens are saved again at once (refresh tokens rotate).
//!
//! The token provider of the current account is kept between sessions, so its access token,
//! which is never written anywhere, is reused until it expires instead of being redeemed anew
//! for every call.

use std::sync::Arc;

use onbehalf_graph::{GraphClient, GraphSource, StaticTokens, TokenSet};
use onbehalf_store::Account;

use crate::error::ServiceError;
use crate::Onbehalf;

pub(crate) struct Session {
    pub account: Account,
    pub source: GraphSource,
}

/// The token provider of the account that last used one.
pub(crate) struct LiveTokens {
    account_id: String,
    tokens: Arc<StaticTokens>,
}

impl Onbehalf {
    pub(crate) async fn session(&self) -> Result<Session, ServiceError> {
        let endpoints = self.endpoints()?.clone();
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        // The sandbox listens on a new port each start; a real account must match the
        // configured endpoints, or its tokens would be sent to another server.
        if !self.is_sandbox
            && (account.authority != endpoints.authority.as_str()
                || account.client_id != endpoints.client_id)
        {
            return Err(ServiceError::sign_in_required(
                "You signed in with another Microsoft 365 configuration. Sign in again.",
            ));
        }
        let tokens = self.live_tokens(&account.id).await?;
        let client = GraphClient::new(endpoints.graph_url.clone(), tokens, &endpoints.trust)?;
        Ok(Session {
            source: GraphSource::new(client, account.tenant_id.clone()),
            account,
        })
    }

    /// The provider of `account_id`'s tokens: the one in memory, or one made from the saved
    /// sign-in, whose first use redeems the refresh token.
    async fn live_tokens(&self, account_id: &str) -> Result<Arc<StaticTokens>, ServiceError> {
        // Held across the load, so that two calls at once do not both redeem the same
        // refresh token.
        let mut live = self.live.lock().await;
        if let Some(l) = live.as_ref().filter(|l| l.account_id == account_id) {
            return Ok(Arc::clone(&l.tokens));
        }
        let saved = self.saved.load(account_id).await?;
        let tokens = self.provider(account_id, saved.into_token_set())?;
        *live = Some(LiveTokens {
            account_id: account_id.to_string(),
            tokens: Arc::clone(&tokens),
        });
        Ok(tokens)
    }

    /// Hold the tokens of a sign-in that just completed, so the first call needs no refresh.
    pub(crate) async fn use_live_tokens(
        &self,
        account_id: &str,
        tokens: TokenSet,
    ) -> Result<(), ServiceError> {
        let provider = self.provider(account_id, tokens)?;
        *self.live.lock().await = Some(LiveTokens {
            account_id: account_id.to_string(),
            tokens: provider,
        });
        Ok(())
    }

    /// Drop the access token held in memory (at sign-out).
    pub(crate) async fn forget_live_tokens(&self) {
        *self.live.lock().await = None;
    }

    fn provider(
        &self,
        account_id: &str,
        tokens: TokenSet,
    ) -> Result<Arc<StaticTokens>, ServiceError> {
        Ok(Arc::new(StaticTokens::new(
            self.endpoints()?.clone(),
            tokens,
            self.saved.on_new_tokens(account_id),
        )))
    }
}
