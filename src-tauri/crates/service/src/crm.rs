//! The CRM (Salesforce): signing in (browser, device code, or a demo user of the sandbox), who
//! the user is there, and finding the records a meeting is about. The sign-in belongs to the
//! Microsoft 365 account that made it: its refresh token is sealed in the token vault under
//! that account, and each rotated one is kept before it is used; the store keeps only who and
//! where.

use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use onbehalf_engine::crm::{ApiBudget, Crm, CrmError, CrmRecord};
use onbehalf_salesforce::{
    on_new_sign_in, ApiVersion, DevicePrompt, DeviceSignIn, SalesforceClient, SalesforceConfig,
    SalesforceCrm, SavedSignIn, TokenProvider, TokenSet, WebSignIn,
};
use onbehalf_store::{Account, CrmAccount};
use serde::Serialize;
use url::Url;

use crate::account::SignOutReport;
use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::saved::SavedSignIns;
use crate::Onbehalf;

/// The CRM this build speaks.
const CRM: &str = "salesforce";
/// How long the app waits for the browser to come back from the CRM's sign-in page.
const BROWSER_TIMEOUT: Duration = Duration::from_secs(300);
/// `--as` needs no person; a server that does not redirect at once will not sign anyone in.
const DEMO_SIGN_IN_TIMEOUT: Duration = Duration::from_secs(30);

/// The CRM account, as the UI and the CLI show it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CrmAccountView {
    /// Which CRM (`salesforce`).
    pub crm: String,
    pub org_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    pub instance_url: String,
    /// The org's API allowance left, when it was read.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub budget: Option<ApiBudget>,
}

impl CrmAccountView {
    fn of(a: &CrmAccount, budget: Option<ApiBudget>) -> CrmAccountView {
        CrmAccountView {
            crm: a.crm.clone(),
            org_id: a.org_id.clone(),
            user_id: a.user_id.clone(),
            name: a.name.clone(),
            email: a.email.clone(),
            instance_url: a.instance_url.clone(),
            budget,
        }
    }
}

/// A CRM sign-in waiting for the browser: open `authorize_url`, then call
/// [`Onbehalf::crm_complete_sign_in`].
pub struct PendingCrmSignIn {
    pub authorize_url: String,
    flow: WebSignIn,
}

/// The vault slot of an account's CRM sign-in.
fn slot(account_id: &str) -> String {
    format!("{account_id}.{CRM}")
}

impl Onbehalf {
    /// Whether a CRM is configured (a client id is set), so signing in to it can be offered.
    pub fn crm_configured(&self) -> bool {
        self.config.salesforce.client_id.is_some()
    }

    /// The Salesforce sign-in configuration, or why there is none.
    fn salesforce(&self) -> Result<SalesforceConfig, ServiceError> {
        let c = &self.config.salesforce;
        let client_id = c.client_id.clone().ok_or_else(|| {
            ServiceError::config(format!(
                "No CRM is configured. Your administrator sets Salesforce's client id in the \
                 policy (salesforce_client_id; the MSI's SALESFORCE_CLIENT_ID), as client_id in \
                 the [salesforce] table of the configuration file (--config), or in {}; a policy \
                 with crm = \"none\" turns the CRM off.",
                crate::config::ENV_SALESFORCE_CLIENT_ID
            ))
        })?;
        let login_url = Url::parse(&c.login_url).map_err(|e| {
            ServiceError::config(format!(
                "The Salesforce login URL \"{}\" is not a valid URL: {e}",
                c.login_url
            ))
        })?;
        let api_version =
            ApiVersion::parse(&c.api_version).map_err(|e| ServiceError::config(e.to_string()))?;
        let mut config = SalesforceConfig::new(login_url, client_id);
        config.api_version = api_version;
        config.redirect_port = c.redirect_port;
        config.trust = self.trust.clone();
        Ok(config)
    }

    /// The Microsoft 365 account a CRM sign-in belongs to.
    async fn crm_owner_account(&self) -> Result<Account, ServiceError> {
        self.current().await?.ok_or_else(|| {
            ServiceError::sign_in_required(
                "Sign in with Microsoft 365 first; the CRM sign-in belongs to that account.",
            )
        })
    }

    /// Start a browser sign-in to the CRM, for the Microsoft 365 account signed in.
    pub async fn crm_begin_sign_in(&self) -> Result<PendingCrmSignIn, ServiceError> {
        let account = self.crm_owner_account().await?;
        self.crm_begin(Some(&account.address)).await
    }

    async fn crm_begin(&self, login_hint: Option<&str>) -> Result<PendingCrmSignIn, ServiceError> {
        let config = self.salesforce()?;
        let (flow, url) = WebSignIn::start(&config, login_hint)
            .await
            .map_err(crm_auth_error)?;
        Ok(PendingCrmSignIn {
            authorize_url: url.to_string(),
            flow,
        })
    }

    /// Wait for the browser's redirect and keep the CRM sign-in.
    pub async fn crm_complete_sign_in(
        &self,
        pending: PendingCrmSignIn,
    ) -> Result<CrmAccountView, ServiceError> {
        let tokens = pending
            .flow
            .finish(BROWSER_TIMEOUT)
            .await
            .map_err(crm_auth_error)?;
        self.crm_adopt(tokens).await
    }

    /// Sign a demo user in to the CRM through the same browser flow, with `login_hint`: the
    /// sandbox's sign-in page redirects at once.
    pub async fn crm_sign_in_as(&self, user: &str) -> Result<CrmAccountView, ServiceError> {
        let address = crate::embedded::demo_address(user);
        let pending = self.crm_begin(Some(&address)).await?;
        let browser = self
            .trust
            .apply(reqwest::Client::builder().timeout(DEMO_SIGN_IN_TIMEOUT))
            .and_then(reqwest::ClientBuilder::build)
            .map_err(|e| {
                ServiceError::new(
                    ErrorCode::Other,
                    format!("Could not prepare the CRM sign-in of {address}: {e}"),
                )
            })?;
        let url = pending.authorize_url.clone();
        let visit = async move { browser.get(url).send().await };
        let (visited, tokens) = tokio::join!(visit, pending.flow.finish(DEMO_SIGN_IN_TIMEOUT));
        if let Err(e) = visited {
            tracing::debug!(error = %e, "the CRM sign-in page visit ended with an error");
        }
        self.crm_adopt(tokens.map_err(crm_auth_error)?).await
    }

    /// Sign in to the CRM with the device flow: `on_prompt` tells the person where to go.
    pub async fn crm_sign_in_device_code(
        &self,
        on_prompt: impl FnOnce(&DevicePrompt),
    ) -> Result<CrmAccountView, ServiceError> {
        self.crm_owner_account().await?;
        let config = self.salesforce()?;
        let (flow, prompt) = DeviceSignIn::start(&config).await.map_err(crm_auth_error)?;
        on_prompt(&prompt);
        let tokens = flow.finish().await.map_err(crm_auth_error)?;
        self.crm_adopt(tokens).await
    }

    /// Keep a fresh CRM sign-in: check the org serves the configured API version, read who
    /// signed in, keep the refresh token sealed, then the account.
    async fn crm_adopt(&self, tokens: TokenSet) -> Result<CrmAccountView, ServiceError> {
        let account = self.crm_owner_account().await?;
        let config = self.salesforce()?;
        let slot = slot(&account.id);
        let saved = tokens.saved().map_err(crm_auth_error)?;
        let provider = TokenProvider::new(&config, tokens, keeper(&self.saved, &slot))
            .map_err(crm_auth_error)?;
        let client = self.salesforce_client(&config, Arc::new(provider))?;
        client.check_version().await.map_err(crm_api_error)?;
        let me = SalesforceCrm::new(client.clone())
            .me()
            .await
            .map_err(crm_service_error)?;
        self.sync_runtime.forget_owner_users();
        self.saved.keep(&slot, saved.to_json()).await?;
        let crm = CrmAccount {
            account_id: account.id.clone(),
            crm: CRM.to_string(),
            org_id: me.org_id,
            user_id: me.user_id,
            name: me.name,
            email: me.email,
            login_url: config.login_url.to_string(),
            instance_url: me.instance_url,
            signed_in_at: Utc::now(),
        };
        let store = self.store.clone();
        let row = crm.clone();
        blocking("saving your CRM sign-in", move || {
            Ok(store.crm_accounts().upsert(&row)?)
        })
        .await?;
        tracing::info!(org = %crm.org_id, "signed in to the CRM");
        Ok(CrmAccountView::of(&crm, client.latest_budget()))
    }

    fn salesforce_client(
        &self,
        config: &SalesforceConfig,
        tokens: Arc<TokenProvider>,
    ) -> Result<SalesforceClient, ServiceError> {
        let client = SalesforceClient::new(config.api_version.clone(), tokens, &config.trust)
            .map_err(|e| ServiceError::new(ErrorCode::Other, e.to_string()))?;
        Ok(client.with_reserve_percent(self.config.salesforce.budget_reserve_percent))
    }

    /// The stored CRM account of the Microsoft 365 account signed in, without asking the CRM.
    pub async fn crm_account(&self) -> Result<Option<CrmAccountView>, ServiceError> {
        let Some(account) = self.current().await? else {
            return Ok(None);
        };
        Ok(self
            .crm_account_of(&account)
            .await?
            .map(|a| CrmAccountView::of(&a, None)))
    }

    /// The CRM port over the saved sign-in, with the stored account.
    pub(crate) async fn crm_session(&self) -> Result<(CrmAccount, SalesforceCrm), ServiceError> {
        let account = self.crm_owner_account().await?;
        let crm = self
            .crm_account_of(&account)
            .await?
            .ok_or_else(not_signed_in_to_crm)?;
        let config = self.salesforce()?;
        let slot = slot(&account.id);
        let provider = self.crm_tokens(&config, &slot).await?;
        let client = self.salesforce_client(&config, provider)?;
        Ok((crm, SalesforceCrm::new(client)))
    }

    /// The token provider of the CRM sign-in in `slot`: the one in memory, or one restored
    /// from the vault, whose first use redeems the refresh token.
    async fn crm_tokens(
        &self,
        config: &SalesforceConfig,
        slot: &str,
    ) -> Result<Arc<TokenProvider>, ServiceError> {
        let mut live = self.crm_live.lock().await;
        if let Some((held, provider)) = live.as_ref() {
            if held == slot {
                return Ok(Arc::clone(provider));
            }
        }
        let json = self.saved.kept(slot).await.map_err(|e| match e.code {
            ErrorCode::SignInRequired => not_signed_in_to_crm(),
            _ => e,
        })?;
        let saved = SavedSignIn::from_json(&json).map_err(crm_auth_error)?;
        let provider = Arc::new(
            TokenProvider::restore(config, saved, keeper(&self.saved, slot))
                .map_err(crm_auth_error)?,
        );
        *live = Some((slot.to_string(), Arc::clone(&provider)));
        Ok(provider)
    }

    /// Who the user is in the CRM, asked of the CRM, with the API allowance left.
    pub async fn crm_whoami(&self) -> Result<CrmAccountView, ServiceError> {
        let (stored, crm) = self.crm_session().await?;
        let me = crm.me().await.map_err(crm_service_error)?;
        let budget = crm.budget().await.map_err(crm_service_error)?;
        Ok(CrmAccountView {
            name: me.name,
            email: me.email,
            instance_url: me.instance_url,
            ..CrmAccountView::of(&stored, Some(budget))
        })
    }

    /// Records of every linkable kind matching a few typed letters.
    pub async fn crm_search(&self, text: &str) -> Result<Vec<CrmRecord>, ServiceError> {
        let text = text.trim();
        if text.chars().count() < 2 {
            return Err(ServiceError::new(
                ErrorCode::Other,
                "Type at least two letters to search the CRM.",
            ));
        }
        let (_, crm) = self.crm_session().await?;
        crm.search(text).await.map_err(crm_service_error)
    }

    /// The contacts and leads with these e-mail addresses.
    pub async fn crm_match(&self, addresses: &[String]) -> Result<Vec<CrmRecord>, ServiceError> {
        let addresses: Vec<String> = addresses
            .iter()
            .map(|a| a.trim().to_lowercase())
            .filter(|a| !a.is_empty())
            .collect();
        if addresses.is_empty() {
            return Ok(Vec::new());
        }
        let (_, crm) = self.crm_session().await?;
        crm.match_addresses(&addresses)
            .await
            .map_err(crm_service_error)
    }

    /// The records with these ids, to name what events are linked to (ids the user may not
    /// see are left out).
    pub async fn crm_records(&self, ids: &[String]) -> Result<Vec<CrmRecord>, ServiceError> {
        let ids: Vec<String> = ids
            .iter()
            .map(|i| i.trim().to_string())
            .filter(|i| !i.is_empty())
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let (_, crm) = self.crm_session().await?;
        crm.records(&ids).await.map_err(crm_service_error)
    }

    /// Sign out of the CRM: revoke the refresh token, remove it and the account. Succeeds
    /// locally even when the CRM or the keyring cannot be reached, and says what was left.
    pub async fn crm_sign_out(&self) -> Result<SignOutReport, ServiceError> {
        let account = self.crm_owner_account().await?;
        let slot = slot(&account.id);
        let mut left = Vec::new();
        if let Ok(config) = self.salesforce() {
            match self.crm_tokens(&config, &slot).await {
                Ok(provider) => {
                    if let Err(e) = provider.sign_out().await {
                        left.push(format!(
                            "The CRM could not be told to end the sign-in ({e}); it ends by \
                             itself when unused."
                        ));
                    }
                }
                Err(e) => tracing::debug!(error = %e, "no CRM sign-in to revoke"),
            }
        }
        let leftovers = self.saved.sign_out(&slot).await?;
        if let Some(key) = leftovers.key {
            left.push(format!(
                "The saved CRM sign-in key could not be removed from the system keyring: {key}."
            ));
        }
        if let Some(file) = leftovers.file {
            left.push(format!(
                "The saved CRM sign-in file could not be removed: {file}."
            ));
        }
        let store = self.store.clone();
        let id = account.id.clone();
        blocking("forgetting your CRM sign-in", move || {
            Ok(store.crm_accounts().remove(&id)?)
        })
        .await?;
        // Last: a sync cycle that looked for the CRM before this could otherwise make the
        // live session again from the saved sign-in and keep it after the sign-out.
        *self.crm_live.lock().await = None;
        Ok(SignOutReport {
            left_behind: (!left.is_empty()).then(|| left.join(" ")),
        })
    }
}

/// Keeps each rotated CRM sign-in in the vault, and waits until it is kept.
fn keeper(saved: &SavedSignIns, slot: &str) -> onbehalf_salesforce::OnNewSignIn {
    let saved = saved.clone();
    let slot = slot.to_string();
    on_new_sign_in(move |sign_in: SavedSignIn| {
        let saved = saved.clone();
        let slot = slot.clone();
        async move {
            saved
                .keep(&slot, sign_in.to_json())
                .await
                .map_err(|e| Box::new(e) as onbehalf_salesforce::PersistError)
        }
    })
}

fn not_signed_in_to_crm() -> ServiceError {
    ServiceError::new(
        ErrorCode::CrmSignInRequired,
        "You are not signed in to the CRM. Sign in to the CRM in Onbehalf's settings (or \
         `onbehalf crm login`).",
    )
}

/// A failed CRM sign-in or renewal, worded for a person.
fn crm_auth_error(e: onbehalf_salesforce::AuthError) -> ServiceError {
    use onbehalf_salesforce::AuthError as A;
    let code = match &e {
        A::SignInRequired { .. } => ErrorCode::CrmSignInRequired,
        A::Network { .. } | A::TimedOut { .. } => ErrorCode::Network,
        A::Config { .. } | A::AppNotApproved { .. } => ErrorCode::Config,
        _ => ErrorCode::Other,
    };
    ServiceError::new(code, format!("CRM sign-in: {e}"))
}

fn crm_api_error(e: onbehalf_salesforce::SalesforceError) -> ServiceError {
    crm_service_error(onbehalf_salesforce::crm_error(&e))
}

/// A CRM failure, worded for a person, with the code the caller branches on.
pub(crate) fn crm_service_error(e: CrmError) -> ServiceError {
    let code = match &e {
        CrmError::SignInExpired => ErrorCode::CrmSignInRequired,
        CrmError::Throttled { .. } | CrmError::Transient { .. } => ErrorCode::Network,
        CrmError::BudgetSpent { .. }
        | CrmError::ReserveKept { .. }
        | CrmError::NoEditAccess { .. }
        | CrmError::NoAccessToRelated { .. }
        | CrmError::Deleted
        | CrmError::NotFound
        | CrmError::Rejected { .. }
        | CrmError::Invalid { .. }
        | CrmError::Other { .. } => ErrorCode::Other,
    };
    ServiceError::new(code, crate::error::sentence(&e.to_string()))
}
