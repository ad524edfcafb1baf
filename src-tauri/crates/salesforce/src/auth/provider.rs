//! Where the client gets its access tokens. The client owns no storage: a provider hands out
//! a token and has every renewed sign-in kept, through the caller's `on_new`, before it uses
//! it.

use std::fmt;
use std::future::Future;
use std::sync::Arc;

use async_trait::async_trait;
use futures_util::future::BoxFuture;
use onbehalf_secrets::Sensitive;
use tokio::sync::Mutex;
use url::Url;

use super::refresh::refresh_with;
use super::{oauth, AuthError, IdentityUrl, SavedSignIn, TokenSet};
use crate::SalesforceConfig;

/// A token to call Salesforce with, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    pub token: Sensitive<String>,
    /// Where data calls go.
    pub instance_url: Url,
    pub identity_url: IdentityUrl,
}

/// A source of access tokens for the client.
#[async_trait]
pub trait AccessTokens: Send + Sync {
    /// The token to use now (renewing first when there is none yet).
    async fn access(&self) -> Result<Access, AuthError>;
    /// Salesforce refused `rejected` (`INVALID_SESSION_ID`): renew, unless another caller
    /// already did, in which case its token is returned.
    async fn refresh_after_401(&self, rejected: &Sensitive<String>) -> Result<Access, AuthError>;
}

/// Why keeping a renewed sign-in failed, in the caller's words.
pub type PersistError = Box<dyn std::error::Error + Send + Sync>;

/// Keeps a renewed sign-in (e.g. in the token vault). Awaited before the renewed access token
/// is used; while it fails, the renewed sign-in is held in memory and not used.
pub type OnNewSignIn =
    Arc<dyn Fn(SavedSignIn) -> BoxFuture<'static, Result<(), PersistError>> + Send + Sync>;

/// Make an [`OnNewSignIn`] from an async closure.
pub fn on_new_sign_in<F, Fut>(f: F) -> OnNewSignIn
where
    F: Fn(SavedSignIn) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<(), PersistError>> + Send + 'static,
{
    Arc::new(move |saved| Box::pin(f(saved)))
}

/// The tokens of one sign-in, renewed through the refresh token when Salesforce refuses the
/// access token, with every rotated refresh token kept before it is used.
pub struct TokenProvider {
    config: SalesforceConfig,
    http: reqwest::Client,
    // An async mutex held across the refresh and `on_new`: two callers must not both redeem
    // the same refresh token (rotation would retire it under the second), and no caller may
    // use a renewed token before it is kept.
    held: Mutex<Held>,
    on_new: OnNewSignIn,
}

struct Held {
    /// `None` until the first refresh of a restored sign-in, and after a refused token.
    access: Option<Sensitive<String>>,
    refresh_token: Option<Sensitive<String>>,
    instance_url: Url,
    identity_url: IdentityUrl,
    /// The sign-in changed and `on_new` has not yet succeeded for it.
    unsaved: bool,
}

impl Held {
    fn saved(&self) -> Option<SavedSignIn> {
        Some(SavedSignIn {
            refresh_token: self.refresh_token.clone()?,
            instance_url: self.instance_url.clone(),
            identity_url: self.identity_url.clone(),
        })
    }

    fn access(&self, token: Sensitive<String>) -> Access {
        Access {
            token,
            instance_url: self.instance_url.clone(),
            identity_url: self.identity_url.clone(),
        }
    }
}

impl TokenProvider {
    /// The tokens of a sign-in just made (and kept by the caller).
    pub fn new(
        config: &SalesforceConfig,
        tokens: TokenSet,
        on_new: OnNewSignIn,
    ) -> Result<TokenProvider, AuthError> {
        Ok(TokenProvider {
            config: config.clone(),
            http: oauth::http_client(config)?,
            held: Mutex::new(Held {
                access: Some(tokens.access_token),
                refresh_token: tokens.refresh_token,
                instance_url: tokens.instance_url,
                identity_url: tokens.identity_url,
                unsaved: false,
            }),
            on_new,
        })
    }

    /// A sign-in kept from an earlier run; the first call renews it.
    pub fn restore(
        config: &SalesforceConfig,
        saved: SavedSignIn,
        on_new: OnNewSignIn,
    ) -> Result<TokenProvider, AuthError> {
        Ok(TokenProvider {
            config: config.clone(),
            http: oauth::http_client(config)?,
            held: Mutex::new(Held {
                access: None,
                refresh_token: Some(saved.refresh_token),
                instance_url: saved.instance_url,
                identity_url: saved.identity_url,
                unsaved: false,
            }),
            on_new,
        })
    }

    /// What to keep of the sign-in now (the newest refresh token), if it has one.
    pub async fn saved(&self) -> Option<SavedSignIn> {
        self.held.lock().await.saved()
    }

    /// Sign out: revoke the refresh token (which ends its access tokens too) and forget the
    /// tokens. The caller removes what it kept.
    pub async fn sign_out(&self) -> Result<(), AuthError> {
        let mut held = self.held.lock().await;
        let token = held.refresh_token.clone().or_else(|| held.access.clone());
        if let Some(token) = token {
            super::revoke(&self.config, &token).await?;
        }
        held.access = None;
        held.refresh_token = None;
        held.unsaved = false;
        Ok(())
    }

    /// Keep a changed sign-in before anything uses it.
    async fn keep(&self, held: &mut Held) -> Result<(), AuthError> {
        if !held.unsaved {
            return Ok(());
        }
        let Some(saved) = held.saved() else {
            held.unsaved = false;
            return Ok(());
        };
        match (self.on_new)(saved).await {
            Ok(()) => {
                held.unsaved = false;
                Ok(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "the renewed Salesforce sign-in could not be kept");
                Err(AuthError::NotSaved {
                    detail: e.to_string(),
                })
            }
        }
    }

    async fn renew(&self, held: &mut Held) -> Result<Access, AuthError> {
        let Some(saved) = held.saved() else {
            return Err(AuthError::SignInRequired {
                detail: "no refresh token was kept".to_string(),
            });
        };
        held.access = None;
        let fresh = refresh_with(&self.config, &self.http, &saved).await?;
        let changed = fresh.saved().ok().as_ref() != Some(&saved);
        held.access = Some(fresh.access_token);
        held.refresh_token = fresh.refresh_token.or(held.refresh_token.take());
        held.instance_url = fresh.instance_url;
        held.identity_url = fresh.identity_url;
        held.unsaved = changed;
        self.keep(held).await?;
        match &held.access {
            Some(token) => Ok(held.access(token.clone())),
            None => Err(AuthError::SignInRequired {
                detail: "no access token came back".to_string(),
            }),
        }
    }
}

impl fmt::Debug for TokenProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenProvider")
            .field("login_url", &self.config.login_url.as_str())
            .finish_non_exhaustive()
    }
}

#[async_trait]
impl AccessTokens for TokenProvider {
    async fn access(&self) -> Result<Access, AuthError> {
        let mut held = self.held.lock().await;
        self.keep(&mut held).await?;
        match held.access.clone() {
            Some(token) => Ok(held.access(token)),
            None => self.renew(&mut held).await,
        }
    }

    async fn refresh_after_401(&self, rejected: &Sensitive<String>) -> Result<Access, AuthError> {
        let mut held = self.held.lock().await;
        self.keep(&mut held).await?;
        match held.access.clone() {
            Some(token) if &token != rejected => Ok(held.access(token)),
            _ => self.renew(&mut held).await,
        }
    }
}
