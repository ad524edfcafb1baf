//! Sign-in on another device, for machines without a browser. Salesforce's device flow is not
//! RFC 8628's: the code is asked for at the token endpoint (`response_type=device_code`) and
//! polled for with `grant_type=device`, so it is written here over the same HTTP client and
//! token response types as the other flows.

use std::fmt;
use std::time::Duration;

use oauth2::basic::BasicErrorResponse;
use onbehalf_secrets::Sensitive;
use serde::{Deserialize, Serialize, Serializer};
use tokio::time::Instant;

use super::oauth::{self, protocol_error, reqwest_text, token_set, SfTokenResponse};
use super::{AuthError, TokenSet};
use crate::SalesforceConfig;

/// How polling treats the server's timings. Every number the server sends is brought within
/// these bounds before use, so no answer can make the poll spin, overflow or wait forever.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DevicePolling {
    /// The shortest wait between polls.
    pub min_interval: Duration,
    /// The longest wait between polls, `slow_down` included.
    pub max_interval: Duration,
    /// Added to the interval on each `slow_down` (RFC 8628 §3.5 says 5 seconds).
    pub slow_down_step: Duration,
    /// The longest the person is given to enter the code (Salesforce does not say).
    pub max_wait: Duration,
    /// Network failures in a row that end the poll.
    pub max_network_failures: u32,
}

impl Default for DevicePolling {
    fn default() -> Self {
        DevicePolling {
            min_interval: Duration::from_secs(1),
            max_interval: Duration::from_secs(60),
            slow_down_step: Duration::from_secs(5),
            max_wait: Duration::from_secs(15 * 60),
            max_network_failures: 3,
        }
    }
}

/// What to tell the person: where to go and which code to enter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DevicePrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub message: String,
    /// The poll interval the server asked for (serialized as seconds).
    #[serde(serialize_with = "as_seconds")]
    pub interval: Duration,
}

fn as_seconds<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

#[derive(Deserialize)]
struct DeviceAnswer {
    device_code: String,
    user_code: String,
    verification_uri: String,
    #[serde(default)]
    interval: Option<u64>,
    #[serde(default)]
    expires_in: Option<u64>,
}

/// A device sign-in waiting for the person to enter the code.
pub struct DeviceSignIn {
    config: SalesforceConfig,
    http: reqwest::Client,
    device_code: Sensitive<String>,
    interval: Option<u64>,
    expires_in: Option<u64>,
}

impl fmt::Debug for DeviceSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceSignIn").finish_non_exhaustive()
    }
}

/// One poll's answer.
enum Poll {
    Done(Box<SfTokenResponse>),
    Pending,
    SlowDown,
}

impl DeviceSignIn {
    /// Ask Salesforce for a device code and the code the person enters.
    #[tracing::instrument(skip_all, err)]
    pub async fn start(
        config: &SalesforceConfig,
    ) -> Result<(DeviceSignIn, DevicePrompt), AuthError> {
        const STEP: &str = "start a device sign-in";
        let http = oauth::http_client(config)?;
        let scope = config.scopes.join(" ");
        let body = form(&[
            ("response_type", "device_code"),
            ("client_id", &config.client_id),
            ("scope", &scope),
        ]);
        let (status, bytes) = post(&http, config, body, STEP).await?;
        if !status.is_success() {
            return Err(refusal(STEP, &bytes));
        }
        // The parser's message could quote the device code, so it is not passed on.
        let answer: DeviceAnswer =
            serde_json::from_slice(&bytes).map_err(|e| AuthError::Invalid {
                step: STEP,
                detail: format!(
                    "not a device code answer (line {}, column {})",
                    e.line(),
                    e.column()
                ),
            })?;
        let prompt = DevicePrompt {
            message: format!(
                "To sign in to Salesforce, open {} and enter the code {}.",
                answer.verification_uri, answer.user_code
            ),
            user_code: answer.user_code,
            verification_uri: answer.verification_uri,
            interval: Duration::from_secs(answer.interval.unwrap_or(5).min(3600)),
        };
        Ok((
            DeviceSignIn {
                config: config.clone(),
                http,
                device_code: Sensitive::new(answer.device_code),
                interval: answer.interval,
                expires_in: answer.expires_in,
            },
            prompt,
        ))
    }

    /// Poll until the person finishes, declines, or the code expires.
    pub async fn finish(self) -> Result<TokenSet, AuthError> {
        self.finish_with(DevicePolling::default()).await
    }

    /// [`DeviceSignIn::finish`] with other bounds on the server's timings.
    #[tracing::instrument(skip_all, err)]
    pub async fn finish_with(self, polling: DevicePolling) -> Result<TokenSet, AuthError> {
        const STEP: &str = "finish the device sign-in";
        let clamp = |d: Duration| {
            d.clamp(
                polling.min_interval,
                polling.max_interval.max(polling.min_interval),
            )
        };
        // Seconds from the server become a duration only after being bounded.
        let mut interval = clamp(Duration::from_secs(
            self.interval
                .unwrap_or(5)
                .min(polling.max_interval.as_secs().saturating_add(1)),
        ));
        let lifetime = self
            .expires_in
            .map(|s| Duration::from_secs(s.min(polling.max_wait.as_secs())))
            .unwrap_or(polling.max_wait);
        let deadline = Instant::now()
            .checked_add(lifetime)
            .unwrap_or_else(Instant::now);
        let mut failures = 0u32;
        loop {
            if Instant::now()
                .checked_add(interval)
                .is_none_or(|next| next > deadline)
            {
                return Err(AuthError::Expired);
            }
            tokio::time::sleep(interval).await;
            match self.poll(STEP).await {
                Ok(Poll::Done(response)) => {
                    let tokens = token_set(&response, None, STEP)?;
                    tracing::info!(
                        org = tokens.identity_url.org_id(),
                        "signed in to Salesforce with a device code"
                    );
                    return Ok(tokens);
                }
                Ok(Poll::Pending) => failures = 0,
                Ok(Poll::SlowDown) => {
                    failures = 0;
                    interval = clamp(interval.saturating_add(polling.slow_down_step));
                    tracing::debug!(
                        interval_ms = interval.as_millis() as u64,
                        "asked to poll more slowly"
                    );
                }
                Err(e @ AuthError::Network { .. }) => {
                    failures += 1;
                    if failures >= polling.max_network_failures {
                        return Err(e);
                    }
                    tracing::warn!(error = %e, "device sign-in poll failed; polling on");
                }
                Err(e) => return Err(e),
            }
        }
    }

    async fn poll(&self, step: &'static str) -> Result<Poll, AuthError> {
        let body = form(&[
            ("grant_type", "device"),
            ("client_id", &self.config.client_id),
            ("code", self.device_code.expose()),
        ]);
        let (status, bytes) = post(&self.http, &self.config, body, step).await?;
        if status.is_success() {
            let response: SfTokenResponse =
                serde_json::from_slice(&bytes).map_err(|e| AuthError::Invalid {
                    step,
                    detail: format!(
                        "not a token answer (line {}, column {})",
                        e.line(),
                        e.column()
                    ),
                })?;
            return Ok(Poll::Done(Box::new(response)));
        }
        match serde_json::from_slice::<BasicErrorResponse>(&bytes) {
            Ok(e) if e.error().as_ref() == "authorization_pending" => Ok(Poll::Pending),
            Ok(e) if e.error().as_ref() == "slow_down" => Ok(Poll::SlowDown),
            _ => Err(refusal(step, &bytes)),
        }
    }
}

fn form(pairs: &[(&str, &str)]) -> String {
    url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(pairs)
        .finish()
}

async fn post(
    http: &reqwest::Client,
    config: &SalesforceConfig,
    body: String,
    step: &'static str,
) -> Result<(reqwest::StatusCode, Vec<u8>), AuthError> {
    let network = |e: reqwest::Error| AuthError::Network {
        step,
        detail: reqwest_text(&e),
    };
    let response = http
        .post(config.token_url()?)
        .header(
            reqwest::header::CONTENT_TYPE,
            "application/x-www-form-urlencoded",
        )
        .header(reqwest::header::ACCEPT, "application/json")
        .body(body)
        .send()
        .await
        .map_err(network)?;
    let status = response.status();
    let bytes = response.bytes().await.map_err(network)?;
    Ok((status, bytes.to_vec()))
}

/// A refusal in the OAuth error shape, or a plain server failure.
fn refusal(step: &'static str, body: &[u8]) -> AuthError {
    match serde_json::from_slice::<BasicErrorResponse>(body) {
        Ok(e) => protocol_error(
            step,
            e.error().as_ref(),
            e.error_description()
                .map(String::as_str)
                .unwrap_or_default(),
        ),
        Err(_) => AuthError::Network {
            step,
            detail: "Salesforce answered with an error page".to_string(),
        },
    }
}
