//! Sign-in through the system browser: authorization code with PKCE (S256), redirected to the
//! loopback listener of `onbehalf-loopback` (RFC 8252 §7.3), which serves until this sign-in's
//! redirect comes.

use std::fmt;
use std::time::Duration;

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl};
use onbehalf_loopback::{FinishError, LoopbackError, Redirect, RedirectListener};
use url::Url;

use super::oauth::{self, map_token_error, protocol_error, token_set};
use super::{AuthError, TokenSet};
use crate::Endpoints;

/// Microsoft accepts any port on a loopback redirect URI registered without one, so the
/// listener takes any free port, on the root path.
const REDIRECT_PATH: &str = "/";

/// Who a sign-in is for, when that is known: on re-authentication, the account that is
/// signing in again, so the sign-in page does not ask which one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SignInHint<'a> {
    /// `login_hint`: the account's sign-in name.
    pub login: Option<&'a str>,
    /// `domain_hint`: the account's tenant id (its `tid`), which skips the discovery of the
    /// home organisation.
    pub domain: Option<&'a str>,
}

/// A sign-in name alone, as `login_hint`.
impl<'a> From<Option<&'a str>> for SignInHint<'a> {
    fn from(login: Option<&'a str>) -> Self {
        SignInHint {
            login,
            domain: None,
        }
    }
}

/// A sign-in waiting for the browser to come back to the loopback address.
pub struct LoopbackSignIn {
    endpoints: Endpoints,
    listener: RedirectListener,
    redirect_uri: RedirectUrl,
    state: CsrfToken,
    verifier: PkceCodeVerifier,
}

impl fmt::Debug for LoopbackSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LoopbackSignIn")
            .field("redirect_uri", &self.redirect_uri.as_str())
            .finish_non_exhaustive()
    }
}

impl LoopbackSignIn {
    /// Listen on `127.0.0.1:0` and build the authorize URL to open in the browser. The hint
    /// pre-fills (or, on servers that honour it, picks) the account.
    pub async fn start<'h>(
        endpoints: &Endpoints,
        hint: impl Into<SignInHint<'h>>,
    ) -> Result<(LoopbackSignIn, Url), AuthError> {
        let hint = hint.into();
        let listener = RedirectListener::bind(0, REDIRECT_PATH)
            .await
            .map_err(listener_error)?;
        let port = listener.port();
        let redirect_uri = RedirectUrl::new(listener.redirect_uri().to_string()).map_err(|e| {
            AuthError::Local {
                step: "build the redirect address",
                detail: e.to_string(),
            }
        })?;
        let client = oauth::code_client(endpoints)?.set_redirect_uri(redirect_uri.clone());
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client
            .authorize_url(CsrfToken::new_random)
            .add_scopes(oauth::scopes(endpoints))
            .set_pkce_challenge(challenge);
        if let Some(login) = hint.login {
            request = request.add_extra_param("login_hint", login.to_string());
        }
        if let Some(domain) = hint.domain {
            request = request.add_extra_param("domain_hint", domain.to_string());
        }
        let (url, state) = request.url();
        tracing::info!(
            port,
            "waiting for the browser sign-in on the loopback address"
        );
        Ok((
            LoopbackSignIn {
                endpoints: endpoints.clone(),
                listener,
                redirect_uri,
                state,
                verifier,
            },
            url,
        ))
    }

    /// The address the browser is sent back to.
    pub fn redirect_uri(&self) -> &str {
        self.redirect_uri.as_str()
    }

    /// Wait up to `timeout` for the browser's redirect, check it, redeem the code and answer
    /// the browser with the result.
    #[tracing::instrument(skip_all, err)]
    pub async fn finish(self, timeout: Duration) -> Result<TokenSet, AuthError> {
        let LoopbackSignIn {
            endpoints,
            listener,
            redirect_uri,
            state,
            verifier,
        } = self;
        let outcome = listener
            .finish(state.secret(), timeout, |redirect| async move {
                match redirect {
                    Redirect::Code(code) => {
                        redeem(&endpoints, &redirect_uri, verifier, code.into_secret()).await
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
    endpoints: &Endpoints,
    redirect_uri: &RedirectUrl,
    verifier: PkceCodeVerifier,
    code: String,
) -> Result<TokenSet, AuthError> {
    const STEP: &str = "redeem the sign-in code";
    let client = oauth::code_client(endpoints)?.set_redirect_uri(redirect_uri.clone());
    let http = oauth::http_client(endpoints)?;
    let response = client
        .exchange_code(AuthorizationCode::new(code))
        .set_pkce_verifier(verifier)
        .request_async(&http)
        .await
        .map_err(|e| map_token_error(STEP, e))?;
    let tokens = token_set(&response, None, None, STEP)?;
    tracing::info!(tenant = %tokens.account.tenant_id, "signed in through the browser");
    Ok(tokens)
}

fn listener_error(e: LoopbackError) -> AuthError {
    let (step, detail) = match e {
        LoopbackError::Accept { detail } => ("accept the browser's connection", detail),
        LoopbackError::Bind { detail, .. } => ("listen for the browser on 127.0.0.1", detail),
        invalid @ LoopbackError::InvalidPath { .. } => {
            ("listen for the browser on 127.0.0.1", invalid.to_string())
        }
    };
    AuthError::Local { step, detail }
}
