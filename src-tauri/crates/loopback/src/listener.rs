//! Listening for the browser's redirect and handing this sign-in's answer to the caller.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::net::TcpListener;

use crate::page::{respond, IGNORED, ONLY_SIGN_IN, SIGNED_IN};
use crate::request::{constant_time_eq, read_head, redirect_params};
use crate::{FinishError, LoopbackError};

/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

/// The authorization code the redirect carried. `Debug` does not show it.
#[derive(Clone, PartialEq, Eq)]
pub struct AuthorizationCode(String);

impl AuthorizationCode {
    /// The code itself, to redeem it at the token endpoint.
    pub fn secret(&self) -> &str {
        &self.0
    }

    pub fn into_secret(self) -> String {
        self.0
    }
}

impl fmt::Debug for AuthorizationCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AuthorizationCode([redacted])")
    }
}

/// What this sign-in's redirect brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The code to redeem.
    Code(AuthorizationCode),
    /// The identity service refused (RFC 6749 §4.1.2.1), e.g. `access_denied`.
    Refused { error: String, description: String },
    /// Neither a code nor an error (an empty `code`).
    Empty,
}

/// A listener on 127.0.0.1 waiting for one sign-in's redirect.
pub struct RedirectListener {
    listener: TcpListener,
    path: String,
    redirect_uri: String,
    port: u16,
}

impl fmt::Debug for RedirectListener {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RedirectListener")
            .field("redirect_uri", &self.redirect_uri)
            .finish_non_exhaustive()
    }
}

impl RedirectListener {
    /// Listen on `127.0.0.1:{port}` (0: any free port) for `GET {path}`. The redirect URI to
    /// register and to send is then [`RedirectListener::redirect_uri`].
    pub async fn bind(port: u16, path: &str) -> Result<RedirectListener, LoopbackError> {
        if !path.starts_with('/') || path.contains(['?', '#']) {
            return Err(LoopbackError::InvalidPath {
                path: path.to_string(),
            });
        }
        let bind_error = |e: std::io::Error| LoopbackError::Bind {
            port,
            detail: e.to_string(),
        };
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        Ok(RedirectListener {
            listener,
            path: path.to_string(),
            redirect_uri: format!("http://127.0.0.1:{port}{path}"),
            port,
        })
    }

    /// `http://127.0.0.1:{port}{path}`
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }

    /// The port listened on (the one picked, when bound to port 0).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Serve until the redirect carrying `state` comes, hand it to `handle` (which redeems the
    /// code), and answer the browser with the outcome. Everything, `handle` included, ends at
    /// `timeout`. Other requests, and redirects with another state, are answered and ignored.
    pub async fn finish<T, E, F, Fut>(
        self,
        state: &str,
        timeout: Duration,
        handle: F,
    ) -> Result<T, FinishError<E>>
    where
        F: FnOnce(Redirect) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: fmt::Display,
    {
        match tokio::time::timeout(timeout, self.serve(state, handle)).await {
            Ok(result) => result,
            Err(_) => Err(FinishError::TimedOut {
                seconds: timeout.as_secs(),
            }),
        }
    }

    async fn serve<T, E, F, Fut>(&self, state: &str, handle: F) -> Result<T, FinishError<E>>
    where
        F: FnOnce(Redirect) -> Fut,
        Fut: Future<Output = Result<T, E>>,
        E: fmt::Display,
    {
        loop {
            let (mut stream, _) = self.listener.accept().await.map_err(|e| {
                FinishError::Listener(LoopbackError::Accept {
                    detail: e.to_string(),
                })
            })?;
            let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
                Ok(Ok(head)) => head,
                // An unreadable or stalled request is not the redirect; keep waiting.
                Ok(Err(_)) | Err(_) => continue,
            };
            let Some(params) = redirect_params(&head, &self.path) else {
                // Browsers also ask for /favicon.ico and the like; only the redirect counts.
                respond(&mut stream, 404, "Not found", ONLY_SIGN_IN).await;
                continue;
            };
            let Some(redirect) = this_sign_in(&params, state) else {
                // Another page (or a stale tab of an earlier sign-in) can reach this port; it
                // must not end the sign-in the person is still completing.
                respond(&mut stream, 400, "Not this sign-in", IGNORED).await;
                continue;
            };
            let result = handle(redirect).await;
            match &result {
                Ok(_) => respond(&mut stream, 200, "Signed in", SIGNED_IN).await,
                Err(e) => {
                    let text = format!("Onbehalf could not sign you in. {e}");
                    respond(&mut stream, 400, "Sign-in failed", &text).await
                }
            }
            return result.map_err(FinishError::Handler);
        }
    }
}

/// The redirect, if its state is this sign-in's.
fn this_sign_in(params: &HashMap<String, String>, state: &str) -> Option<Redirect> {
    let state_ok = params
        .get("state")
        .is_some_and(|s| constant_time_eq(s.as_bytes(), state.as_bytes()));
    if !state_ok {
        return None;
    }
    if let Some(error) = params.get("error") {
        return Some(Redirect::Refused {
            error: error.clone(),
            description: params.get("error_description").cloned().unwrap_or_default(),
        });
    }
    Some(match params.get("code").filter(|c| !c.is_empty()) {
        Some(code) => Redirect::Code(AuthorizationCode(code.clone())),
        None => Redirect::Empty,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn only_the_right_state_counts_and_an_error_wins_over_a_code() {
        assert_eq!(
            this_sign_in(&params(&[("code", "c"), ("state", "other")]), "s"),
            None
        );
        assert_eq!(this_sign_in(&params(&[("code", "c")]), "s"), None);
        assert_eq!(
            this_sign_in(&params(&[("code", "c"), ("state", "s")]), "s"),
            Some(Redirect::Code(AuthorizationCode("c".into())))
        );
        assert_eq!(
            this_sign_in(
                &params(&[("error", "access_denied"), ("code", "c"), ("state", "s")]),
                "s"
            ),
            Some(Redirect::Refused {
                error: "access_denied".into(),
                description: String::new()
            })
        );
        assert_eq!(
            this_sign_in(&params(&[("code", ""), ("state", "s")]), "s"),
            Some(Redirect::Empty)
        );
    }

    #[test]
    fn debug_does_not_show_the_code() {
        let text = format!(
            "{:?}",
            Redirect::Code(AuthorizationCode("secret-code".into()))
        );
        assert!(!text.contains("secret-code"), "{text}");
    }
}
