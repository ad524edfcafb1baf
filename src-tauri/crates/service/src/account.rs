//! Signing in and out. The account (who, which tenant, which endpoints) goes to the store; the
//! tokens go only to the OS keyring.

use std::time::Duration;

use chrono::Utc;
use onbehalf_graph::{DeviceCodeSignIn, LoopbackSignIn, TokenSet};
use onbehalf_store::Account;
use serde::Serialize;

use crate::error::{ErrorCode, ServiceError};
use crate::Onbehalf;

pub use onbehalf_graph::DeviceCodePrompt;

/// How long the app waits for the browser to come back from the sign-in page.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);
/// `--as` needs no person; a server that does not redirect at once will not sign anyone in.
const DEMO_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(30);

/// The signed-in account, as the UI and the CLI show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct AccountView {
    pub address: String,
    pub display_name: String,
    pub tenant_id: String,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        AccountView {
            address: a.address.clone(),
            display_name: a.display_name.clone(),
            tenant_id: a.tenant_id.clone(),
        }
    }
}

/// A sign-in waiting for the browser: open `authorize_url`, then call
/// [`Onbehalf::complete_sign_in`].
pub struct PendingSignIn {
    pub authorize_url: String,
    flow: LoopbackSignIn,
}

impl Onbehalf {
    pub fn current_account(&self) -> Result<Option<AccountView>, ServiceError> {
        Ok(self
            .store
            .accounts()
            .current()?
            .as_ref()
            .map(AccountView::from))
    }

    /// Start an authorization-code sign-in with PKCE and a loopback redirect.
    pub async fn begin_sign_in(&self) -> Result<PendingSignIn, ServiceError> {
        self.begin(None).await
    }

    async fn begin(&self, login_hint: Option<&str>) -> Result<PendingSignIn, ServiceError> {
        let (flow, url) = LoopbackSignIn::start(self.endpoints()?, login_hint).await?;
        Ok(PendingSignIn {
            authorize_url: url.to_string(),
            flow,
        })
    }

    /// Wait for the browser's redirect and keep the new sign-in.
    pub async fn complete_sign_in(
        &self,
        pending: PendingSignIn,
    ) -> Result<AccountView, ServiceError> {
        let tokens = pending.flow.finish(BROWSER_TIMEOUT).await?;
        self.adopt(tokens)
    }

    /// Sign in a demo user through the same authorization-code flow, with `login_hint` naming
    /// them: the sandbox's sign-in page redirects at once, so no person is needed.
    pub async fn sign_in_as(&self, user: &str) -> Result<AccountView, ServiceError> {
        let hint = demo_address(user);
        let pending = self.begin(Some(&hint)).await?;
        let browser = reqwest::Client::builder()
            .timeout(DEMO_SIGN_IN_TIMEOUT)
            .build()
            .map_err(|e| ServiceError::new(ErrorCode::Other, e.to_string()))?;
        let url = pending.authorize_url.clone();
        let visit = async move { browser.get(url).send().await };
        let (visited, tokens) = tokio::join!(visit, pending.flow.finish(DEMO_SIGN_IN_TIMEOUT));
        if let Err(e) = visited {
            tracing::debug!(error = %e, "the sign-in page visit ended with an error");
        }
        match tokens {
            Ok(t) => self.adopt(t),
            Err(e) => Err(ServiceError::new(
                ErrorCode::SignInRequired,
                format!(
                    "Could not sign in {hint} without a browser ({e}). --as works with the \
                     sandbox, whose sign-in page knows the demo users; otherwise use `onbehalf \
                     login`."
                ),
            )),
        }
    }

    /// Sign in with the device code flow: `on_prompt` tells the person where to enter the code.
    pub async fn sign_in_device_code(
        &self,
        on_prompt: impl FnOnce(&DeviceCodePrompt),
    ) -> Result<AccountView, ServiceError> {
        let (flow, prompt) = DeviceCodeSignIn::start(self.endpoints()?).await?;
        on_prompt(&prompt);
        let tokens = flow.finish().await?;
        self.adopt(tokens)
    }

    /// Forget the account and remove its tokens from the keyring.
    pub async fn sign_out(&self) -> Result<(), ServiceError> {
        if let Some(account) = self.store.accounts().current()? {
            self.secrets.delete(&self.keyring_key(&account.id)?)?;
            self.store.accounts().remove(&account.id)?;
        }
        self.store.accounts().set_current(None)?;
        Ok(())
    }

    /// Keep a fresh sign-in: tokens to the keyring first (so a failure leaves the old account
    /// usable), then the account, replacing any previous one.
    fn adopt(&self, tokens: TokenSet) -> Result<AccountView, ServiceError> {
        let endpoints = self.endpoints()?;
        let claims = &tokens.account;
        let account = Account {
            id: format!("{}.{}", claims.tenant_id, claims.object_id),
            tenant_id: claims.tenant_id.clone(),
            object_id: claims.object_id.clone(),
            address: claims.username.to_lowercase(),
            display_name: claims.name.clone(),
            authority: endpoints.authority.to_string(),
            client_id: endpoints.client_id.clone(),
            graph_url: endpoints.graph_url.to_string(),
            signed_in_at: Utc::now(),
        };
        self.secrets
            .set(&self.keyring_key(&account.id)?, &tokens.to_keyring_json())?;
        let accounts = self.store.accounts();
        if let Some(previous) = accounts.current()? {
            if previous.id != account.id {
                self.secrets.delete(&self.keyring_key(&previous.id)?)?;
                accounts.remove(&previous.id)?;
            }
        }
        accounts.upsert(&account)?;
        accounts.set_current(Some(&account.id))?;
        tracing::info!(tenant = %account.tenant_id, "signed in");
        Ok(AccountView::from(&account))
    }

    /// Keyring entries are namespaced by data folder, so two profiles never share tokens.
    pub(crate) fn keyring_key(&self, account_id: &str) -> Result<String, ServiceError> {
        Ok(format!(
            "{}:{account_id}",
            self.store.settings().profile_id()?
        ))
    }
}

/// A demo user named by address, local part ("daniel.reyes") or first name ("daniel").
fn demo_address(user: &str) -> String {
    let wanted = user.trim().to_lowercase();
    if wanted.contains('@') {
        return wanted;
    }
    onbehalf_sandbox::demo_org()
        .users
        .iter()
        .map(|u| u.address.to_lowercase())
        .find(|a| {
            let local = a.split('@').next().unwrap_or_default();
            local == wanted || local.split('.').next() == Some(wanted.as_str())
        })
        .unwrap_or(wanted)
}
