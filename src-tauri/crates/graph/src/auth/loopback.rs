//! Sign-in through the system browser: authorization code with PKCE (S256), redirected to an
//! HTTP listener on 127.0.0.1 (RFC 8252 §7.3) that serves until this sign-in's redirect comes.

use std::collections::HashMap;
use std::fmt;
use std::time::Duration;

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use url::Url;

use super::oauth::{self, map_token_error, protocol_error, token_set};
use super::{AuthError, TokenSet};
use crate::Endpoints;

/// The largest request head the listener reads; a browser's redirect is far smaller.
const MAX_HEAD: usize = 16 * 1024;
/// How long one browser connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(10);

const SIGNED_IN: &str = "You are signed in to Onbehalf. You can close this window.";
const IGNORED: &str = "This answer does not belong to the sign-in Onbehalf is waiting for (state \
                       mismatch), so it was ignored. Finish signing in in the window Onbehalf \
                       opened, or start the sign-in again from Onbehalf.";

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
    listener: TcpListener,
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

/// What the browser brought back on the redirect.
enum Outcome {
    Code(String),
    Refused(AuthError),
    /// The state is not this sign-in's: not the answer being waited for.
    Foreign,
}

impl LoopbackSignIn {
    /// Listen on `127.0.0.1:0` and build the authorize URL to open in the browser. The hint
    /// pre-fills (or, on servers that honour it, picks) the account.
    pub async fn start<'h>(
        endpoints: &Endpoints,
        hint: impl Into<SignInHint<'h>>,
    ) -> Result<(LoopbackSignIn, Url), AuthError> {
        let hint = hint.into();
        let listener = TcpListener::bind(("127.0.0.1", 0))
            .await
            .map_err(|e| AuthError::Local {
                step: "listen for the browser on 127.0.0.1",
                detail: e.to_string(),
            })?;
        let port = listener
            .local_addr()
            .map_err(|e| AuthError::Local {
                step: "listen for the browser on 127.0.0.1",
                detail: e.to_string(),
            })?
            .port();
        let redirect_uri = RedirectUrl::new(format!("http://127.0.0.1:{port}/")).map_err(|e| {
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
        match tokio::time::timeout(timeout, self.serve()).await {
            Ok(result) => result,
            Err(_) => Err(AuthError::TimedOut {
                seconds: timeout.as_secs(),
            }),
        }
    }

    async fn serve(self) -> Result<TokenSet, AuthError> {
        loop {
            let (mut stream, _) = self.listener.accept().await.map_err(|e| AuthError::Local {
                step: "accept the browser's connection",
                detail: e.to_string(),
            })?;
            let head = match tokio::time::timeout(READ_TIMEOUT, read_head(&mut stream)).await {
                Ok(Ok(head)) => head,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "ignoring an unreadable loopback request");
                    continue;
                }
                Err(_) => continue,
            };
            let Some(params) = redirect_params(&head) else {
                // Browsers also ask for /favicon.ico and the like; only the redirect counts.
                respond(
                    &mut stream,
                    404,
                    "Not found",
                    "This address only finishes a sign-in.",
                )
                .await;
                continue;
            };
            let result = match self.check(&params) {
                Outcome::Code(code) => self.redeem(code).await,
                Outcome::Refused(e) => Err(e),
                Outcome::Foreign => {
                    // Another page (or a stale tab of an earlier sign-in) can reach this port;
                    // it must not end the sign-in the person is still completing.
                    tracing::warn!("ignored a loopback redirect whose state does not match");
                    respond(&mut stream, 400, "Not this sign-in", IGNORED).await;
                    continue;
                }
            };
            match &result {
                Ok(_) => respond(&mut stream, 200, "Signed in", SIGNED_IN).await,
                Err(e) => {
                    let text = format!("Onbehalf could not sign you in. {e}");
                    respond(&mut stream, 400, "Sign-in failed", &text).await
                }
            }
            return result;
        }
    }

    fn check(&self, params: &HashMap<String, String>) -> Outcome {
        let state_ok = params
            .get("state")
            .is_some_and(|s| constant_time_eq(s.as_bytes(), self.state.secret().as_bytes()));
        if !state_ok {
            return Outcome::Foreign;
        }
        if let Some(error) = params.get("error") {
            let description = params
                .get("error_description")
                .map(String::as_str)
                .unwrap_or_default();
            return Outcome::Refused(protocol_error("sign you in", error, description));
        }
        match params.get("code").filter(|c| !c.is_empty()) {
            Some(code) => Outcome::Code(code.clone()),
            None => Outcome::Refused(AuthError::Invalid {
                step: "sign you in",
                detail: "the redirect carried neither a code nor an error".to_string(),
            }),
        }
    }

    async fn redeem(&self, code: String) -> Result<TokenSet, AuthError> {
        const STEP: &str = "redeem the sign-in code";
        let client =
            oauth::code_client(&self.endpoints)?.set_redirect_uri(self.redirect_uri.clone());
        let http = oauth::http_client()?;
        let verifier = PkceCodeVerifier::new(self.verifier.secret().clone());
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
}

/// Read up to the end of the request head.
async fn read_head(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut head = Vec::with_capacity(1024);
    let mut buf = [0u8; 2048];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") {
        if head.len() > MAX_HEAD {
            return Err(std::io::Error::other("request head too large"));
        }
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            return Err(std::io::Error::other(
                "connection closed before the request ended",
            ));
        }
        head.extend_from_slice(&buf[..n]);
    }
    Ok(head)
}

/// The query parameters of a `GET /?…` that carries a code or an error, if this is one.
fn redirect_params(head: &[u8]) -> Option<HashMap<String, String>> {
    let mut headers = [httparse::EMPTY_HEADER; 64];
    let mut request = httparse::Request::new(&mut headers);
    request.parse(head).ok()?;
    if request.method? != "GET" {
        return None;
    }
    let target = request.path?;
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    if path != "/" {
        return None;
    }
    let params: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    (params.contains_key("code") || params.contains_key("error")).then_some(params)
}

async fn respond(stream: &mut TcpStream, status: u16, title: &str, text: &str) {
    let reason = match status {
        200 => "OK",
        400 => "Bad Request",
        _ => "Not Found",
    };
    let body = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title} – \
         Onbehalf</title><style>body{{font-family:system-ui,sans-serif;margin:4em auto;\
         max-width:32em;line-height:1.5}}</style></head><body><h1>{title}</h1><p>{}</p>\
         </body></html>",
        html_escape::encode_text(text)
    );
    let response = format!(
        "HTTP/1.1 {status} {reason}\r\nContent-Type: text/html; charset=utf-8\r\n\
         Cache-Control: no-store\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    if let Err(e) = stream.write_all(response.as_bytes()).await {
        tracing::debug!(error = %e, "the browser went away before the answer");
    }
    let _ = stream.shutdown().await;
}

/// Comparing the state in constant time keeps its value from leaking through timing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_redirect_request_counts() {
        let ok = redirect_params(b"GET /?code=abc&state=xyz HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
        assert_eq!(ok.get("code").map(String::as_str), Some("abc"));
        let err = redirect_params(
            b"GET /?error=access_denied&error_description=No%20thanks HTTP/1.1\r\n\r\n",
        )
        .unwrap();
        assert_eq!(
            err.get("error_description").map(String::as_str),
            Some("No thanks")
        );
        assert!(redirect_params(b"GET /favicon.ico HTTP/1.1\r\n\r\n").is_none());
        assert!(redirect_params(b"GET / HTTP/1.1\r\n\r\n").is_none());
        assert!(redirect_params(b"POST /?code=a HTTP/1.1\r\n\r\n").is_none());
    }

    #[test]
    fn constant_time_eq_compares_exactly() {
        assert!(constant_time_eq(b"abc", b"abc"));
        assert!(!constant_time_eq(b"abc", b"abd"));
        assert!(!constant_time_eq(b"abc", b"ab"));
    }
}
