//! The web server flow in the system browser: authorization code with PKCE (S256), redirected
//! to the loopback listener on the configured port and path (Salesforce matches the redirect
//! URI exactly).

use std::fmt;
use std::time::Duration;

use oauth2::{
    AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, Scope,
};
use onbehalf_loopback::{FinishError, LoopbackError, Redirect, RedirectListener};
use url::Url;

use super::oauth::{self, map_token_error, protocol_error, token_set};
use super::{AuthError, TokenSet};
use crate::SalesforceConfig;

/// A browser sign-in waiting for Salesforce to send the browser back.
pub struct WebSignIn {
    config: SalesforceConfig,
    listener: RedirectListener,
    redirect_uri: RedirectUrl,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
}

impl fmt::Debug for WebSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebSignIn")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl WebSignIn {
    /// Listen on the configured loopback port and build the authorize URL to open in the
    /// browser. `login_hint` pre-fills the username (on re-authentication, the user's own).
    pub async fn start(
        config: &SalesforceConfig,
        login_hint: Option<&str>,
    ) -> Result<(WebSignIn, Url), AuthError> {
        let listener = RedirectListener::bind(config.redirect_port, &config.redirect_path)
            .await
            .map_err(listener_error)?;
        let redirect_uri = RedirectUrl::new(listener.redirect_uri().to_string()).map_err(|e| {
            AuthError::Config {
                detail: format!("the redirect address is not usable: {e}"),
            }
        })?;
        let client = oauth::code_client(config)?.set_redirect_uri(redirect_uri.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(config.scopes.iter().cloned().map(Scope::new))
            .set_pkce_challenge(challenge);
        if let Some(login) = login_hint.filter(|l| !l.trim().is_empty()) {
            request = request.add_extra_param("login_hint", login.to_string());
        }
        let (url, state) = request.url();
        tracing::info!(
            port = listener.port(),
            "waiting for the Salesforce sign-in on the loopback address"
        );
        Ok((
            WebSignIn {
                config: config.clone(),
                listener,
                redirect_uri,
                state,
                verifier,
            },
            url,
        ))
    }

    /// The address the browser is sent back to, exactly as sent to Salesforce.
    pub fn redirect_uri(&self) -> &str {
        self.redirect_uri.as_str()
    }

    /// Wait up to `timeout` for the browser's redirect, check its state, redeem the code with
    /// the PKCE verifier and answer the browser with the result.
    #[tracing::instrument(skip_all, err)]
    pub async fn finish(self, timeout: Duration) -> Result<TokenSet, AuthError> {
        let WebSignIn {
            config,
            listener,
            redirect_uri,
            state,
            verifier,
        } = self;
        let outcome = listener
            .finish(state.secret(), timeout, |redirect| async move {
                match redirect {
                    Redirect::Code(code) => {
                        redeem(&config, &redirect_uri, verifier, code.into_secret()).await
                    }
                    Redirect::Refused { error, description } => {
                        Err(protocol_error("sign you in", &error, &description))
                    }
                    Redirect::Empty => Err(AuthError::Invalid {
                        step: "sign you in",
                        detail: "the redirect carried neither a code nor an error".to_string(),
                    }),
                }
            })
            .await;
        match outcome {
            Ok(tokens) => Ok(tokens),
            Err(FinishError::Handler(e)) => Err(e),
            Err(FinishError::TimedOut { seconds }) => Err(AuthError::TimedOut { seconds }),
            Err(FinishError::Listener(e)) => Err(listener_error(e)),
        }
    }
}

async fn redeem(
    config: &SalesforceConfig,
    redirect_uri: &RedirectUrl,
    verifier: PkceCodeVerifier,
    code: String,
) -> Result<TokenSet, AuthError> {
    const STEP: &str = "redeem the sign-in code";
    let client = oauth::code_client(config)?.set_redirect_uri(redirect_uri.clone());
    let http = oauth::http_client(config)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .map_err(|e| map_token_error(STEP, e))?;
    let tokens = token_set(&response, None, STEP)?;
    tracing::info!(
        org = tokens.identity_url.org_id(),
        "signed in to Salesforce through the browser"
    );
    Ok(tokens)
}

fn listener_error(e: LoopbackError) -> AuthError {
    match e {
        LoopbackError::Accept { detail } => AuthError::Local {
            step: "accept the browser's connection",
            detail,
        },
        bind @ LoopbackError::Bind { .. } => AuthError::Local {
            step: "listen for the browser",
            detail: bind.to_string(),
        },
        path @ LoopbackError::InvalidPath { .. } => AuthError::Config {
            detail: path.to_string(),
        },
    }
}
