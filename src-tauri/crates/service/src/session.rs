//! A signed-in session: the current account with a Graph client whose tokens come from the
//! keyring and whose refreshed tokens go back to it at once (refresh tokens rotate).

use std::sync::Arc;

use onbehalf_graph::{GraphClient, GraphSource, StaticTokens, TokenSet};
use onbehalf_store::Account;

use crate::error::ServiceError;
use crate::Onbehalf;

pub(crate) struct Session {
    pub account: Account,
    pub source: GraphSource,
}

impl Onbehalf {
    pub(crate) fn session(&self) -> Result<Session, ServiceError> {
        let endpoints = self.endpoints()?.clone();
        let account = self
            .store
            .accounts()
            .current()?
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
        let key = self.keyring_key(&account.id)?;
        let saved = self.secrets.get(&key)?.ok_or_else(|| {
            ServiceError::sign_in_required(
                "Your sign-in is no longer in the system keyring. Sign in again.",
            )
        })?;
        let tokens = TokenSet::from_keyring_json(&saved).map_err(|_| {
            ServiceError::sign_in_required("Your saved sign-in could not be read. Sign in again.")
        })?;
        let secrets = Arc::clone(&self.secrets);
        let on_new = Box::new(move |t: &TokenSet| {
            if let Err(e) = secrets.set(&key, &t.to_keyring_json()) {
                tracing::warn!(error = %e, "could not keep the refreshed sign-in in the keyring");
            }
        });
        let tokens = Arc::new(StaticTokens::new(endpoints.clone(), tokens, on_new));
        let client = GraphClient::new(endpoints.graph_url.clone(), tokens);
        Ok(Session {
            source: GraphSource::new(client, account.tenant_id.clone()),
            account,
        })
    }
}
