//! Signing in and out. The account (who, which tenant, which endpoints) goes to the store; its
//! refresh token is sealed in the token vault (see `saved.rs`); its access token stays in
//! memory.
//!
//! Local data belongs to the account, not to the sign-in: signing in again, as the same account
//! or another one, and signing out never delete owners added by hand or cached calendars.

use std::time::Duration;

use chrono::Utc;
use onbehalf_graph::{DeviceCodeSignIn, LoopbackSignIn, SignInHint, TokenSet};
use onbehalf_store::Account;
use serde::Serialize;

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::saved::Leftovers;
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

/// What a sign-out could not do. The sign-out itself always happens on this computer: no
/// account is current afterwards, whatever the keyring said.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SignOutReport {
    /// What was left behind and how to remove it by hand, worded for a person; `None` when
    /// everything was removed.
    pub left_behind: Option<String>,
}

/// A sign-in waiting for the browser: open `authorize_url`, then call
/// [`Onbehalf::complete_sign_in`].
pub struct PendingSignIn {
    pub authorize_url: String,
    flow: LoopbackSignIn,
}

impl Onbehalf {
    pub async fn current_account(&self) -> Result<Option<AccountView>, ServiceError> {
        Ok(self.current().await?.as_ref().map(AccountView::from))
    }

    /// The current account as stored, read off the async workers.
    pub(crate) async fn current(&self) -> Result<Option<Account>, ServiceError> {
        let store = self.store.clone();
        blocking("reading who is signed in", move || {
            Ok(store.accounts().current()?)
        })
        .await
    }

    /// Start an authorization-code sign-in with PKCE and a loopback redirect. When an account
    /// is current this is a new sign-in of that account (its sign-in expired), so the sign-in
    /// page is told who it is for.
    pub async fn begin_sign_in(&self) -> Result<PendingSignIn, ServiceError> {
        let current = self.current().await?;
        let hint = current.as_ref().map(|a| SignInHint {
            login: Some(a.address.as_str()),
            domain: Some(a.tenant_id.as_str()),
        });
        self.begin(hint.unwrap_or_default()).await
    }

    async fn begin(&self, hint: SignInHint<'_>) -> Result<PendingSignIn, ServiceError> {
        let (flow, url) = LoopbackSignIn::start(self.endpoints()?, hint).await?;
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
        self.adopt(tokens).await
    }

    /// Sign in a demo user through the same authorization-code flow, with `login_hint` naming
    /// them: the sandbox's sign-in page redirects at once, so no person is needed.
    pub async fn sign_in_as(&self, user: &str) -> Result<AccountView, ServiceError> {
        let address = crate::embedded::demo_address(user);
        let pending = self
            .begin(SignInHint {
                login: Some(&address),
                domain: None,
            })
            .await?;
        let browser = self
            .trust
            .apply(reqwest::Client::builder().timeout(DEMO_SIGN_IN_TIMEOUT))
            .and_then(reqwest::ClientBuilder::build)
            .map_err(|e| {
                ServiceError::new(
                    ErrorCode::Other,
                    format!("Could not prepare the sign-in of {address}: {e}"),
                )
            })?;
        let url = pending.authorize_url.clone();
        let finish = pending.flow.finish(DEMO_SIGN_IN_TIMEOUT);
        tokio::pin!(finish);
        let visit = browser.get(url).send();
        tokio::pin!(visit);
        // The visit follows the redirect to the loopback listener, which `finish` serves; a
        // sign-in page that answers with an error instead (an address it does not know) is
        // told at once, not after the wait.
        let tokens = tokio::select! {
            tokens = &mut finish => tokens,
            visited = &mut visit => {
                match visited {
                    Ok(page) if page.status().is_client_error() => {
                        let body = page.text().await.unwrap_or_default();
                        return Err(not_a_demo_user(&address, &body));
                    }
                    Ok(_) => {}
                    Err(e) => tracing::debug!(error = %e, "the sign-in page visit ended with an error"),
                }
                finish.await
            }
        };
        match tokens {
            Ok(t) => self.adopt(t).await,
            Err(e) => {
                let code = ServiceError::from(e.clone()).code;
                Err(ServiceError::new(
                    code,
                    format!(
                        "Could not sign in {address} without a browser ({e}). --as works with \
                         the sandbox, whose sign-in page knows the demo users; otherwise use \
                         `onbehalf login`."
                    ),
                ))
            }
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
        self.adopt(tokens).await
    }

    /// Sign out: no account is current afterwards, and the current account's saved sign-in
    /// (its vault file and its key in the keyring) is removed. What could not be removed is
    /// reported, not an error: the person asked to be signed out here, and is.
    ///
    /// Owners added by hand and cached calendars are kept: they are this person's local
    /// preferences, not secrets, and they are there again when the same account signs in.
    pub async fn sign_out(&self) -> Result<SignOutReport, ServiceError> {
        let Some(account) = self.current().await? else {
            return Ok(SignOutReport::default());
        };
        self.forget_live_tokens().await;
        let store = self.store.clone();
        blocking("signing out", move || {
            Ok(store.accounts().set_current(None)?)
        })
        .await?;
        let leftovers = self.saved.sign_out(&account.id).await?;
        tracing::info!(tenant = %account.tenant_id, "signed out");
        Ok(SignOutReport {
            left_behind: left_behind(&leftovers),
        })
    }

    /// Keep a fresh sign-in: the saved sign-in first (so a failure leaves the previous account
    /// usable), then the account, which becomes current. Nothing of any account is removed:
    /// the same account signing in again keeps everything, and another account's data waits
    /// for it to come back.
    async fn adopt(&self, tokens: TokenSet) -> Result<AccountView, ServiceError> {
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
        self.saved.sign_in(&account.id, tokens.saved()?).await?;
        let store = self.store.clone();
        let stored = account.clone();
        blocking("saving who signed in", move || {
            let accounts = store.accounts();
            accounts.upsert(&stored)?;
            accounts.set_current(Some(&stored.id))?;
            Ok(())
        })
        .await?;
        self.use_live_tokens(&account.id, tokens).await?;
        tracing::info!(tenant = %account.tenant_id, "signed in");
        Ok(AccountView::from(&account))
    }
}

/// What a person reads when part of a sign-out could not be done, with what to do about it.
fn left_behind(leftovers: &Leftovers) -> Option<String> {
    let mut parts = Vec::new();
    if let Some(e) = &leftovers.file {
        let e = e.to_string();
        let e = e.trim_end_matches('.');
        parts.push(format!(
            "The saved sign-in file could not be removed ({e}); delete it by hand."
        ));
    }
    if let Some(e) = &leftovers.key {
        let e = e.to_string();
        let e = e.trim_end_matches('.');
        let opens = match leftovers.file {
            None => " It opens nothing any more, since the file it unlocked is gone.",
            Some(_) => "",
        };
        parts.push(format!(
            "The saved sign-in key could not be removed from the system keyring: {e}.{opens} To \
             remove it by hand, delete the \"Onbehalf\" entries in Credential Manager \
             (Windows), Keychain Access (macOS) or Passwords and Keys (Linux)."
        ));
    }
    (!parts.is_empty()).then(|| parts.join(" "))
}

/// The sign-in page refused `address`: say so, with the users it offers (the sandbox's page
/// marks each with `data-user`).
fn not_a_demo_user(address: &str, page: &str) -> ServiceError {
    let users: Vec<&str> = page
        .split("data-user=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|u| !u.is_empty())
        .collect();
    let message = match users.is_empty() {
        true => format!(
            "The sign-in page does not know {address}. --as works with the sandbox's demo users; \
             otherwise use `onbehalf login`."
        ),
        false => format!(
            "{address} is not one of the sandbox's demo users. They are:\n  {}",
            users.join("\n  ")
        ),
    };
    ServiceError::new(ErrorCode::Other, message)
}

#[cfg(test)]
mod tests {
    use onbehalf_secrets::{SecretsError, VaultError};

    use super::*;

    #[test]
    fn a_complete_sign_out_leaves_nothing_behind() {
        assert_eq!(left_behind(&Leftovers::default()), None);
    }

    #[test]
    fn a_key_left_in_the_keyring_says_where_to_remove_it() {
        let text = left_behind(&Leftovers {
            file: None,
            key: Some(VaultError::Keyring(SecretsError::Unavailable {
                detail: "the collection is locked".into(),
            })),
        })
        .expect("something was left behind");
        assert!(text.contains("the collection is locked"), "{text}");
        assert!(text.contains("opens nothing"), "{text}");
        for place in [
            "Credential Manager",
            "Keychain Access",
            "Passwords and Keys",
        ] {
            assert!(text.contains(place), "{place}: {text}");
        }
    }

    #[test]
    fn a_file_left_in_the_data_folder_is_named() {
        let text = left_behind(&Leftovers {
            file: Some(VaultError::Io {
                step: "remove",
                path: "/data/tokens/ab.sealed".into(),
                detail: "Permission denied".into(),
            }),
            key: None,
        })
        .expect("something was left behind");
        assert!(text.contains("/data/tokens/ab.sealed"), "{text}");
        assert!(!text.contains("keyring"), "{text}");
    }
}
