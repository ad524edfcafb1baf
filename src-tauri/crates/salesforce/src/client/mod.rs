//! The Salesforce HTTP client: bearer tokens from an [`AccessTokens`] provider, one renewal
//! after `INVALID_SESSION_ID`, one retry layer, the daily allowance read from every answer and
//! writes held back at the reserve, typed errors, and paging.

mod error;
mod limits;
mod page;
mod request;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use onbehalf_engine::crm::ApiBudget;
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION};
use reqwest::StatusCode;
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::{Access, AccessTokens};
use crate::config::DEFAULT_RESERVE_PERCENT;
use crate::ApiVersion;

pub use error::{codes, ApiError, LimitKind, SalesforceError};
pub use onbehalf_http::RetryPolicy;
pub use page::{Page, Pager};
pub use request::DataPath;

pub(crate) use error::{from_errors, parse_errors};
pub(crate) use request::{Request, Target};

use error::{api_error, is_busy_status};
use onbehalf_http::{retry_after, Trust};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Salesforce ends a REST call at 10 minutes; sync calls are short, and a hung one must not
/// hold the sync that long.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(120);

/// A Salesforce REST client. Cheap to clone; clones share one connection pool and the latest
/// known allowance.
#[derive(Clone)]
pub struct SalesforceClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    version: ApiVersion,
    tokens: Arc<dyn AccessTokens>,
    retry: RetryPolicy,
    reserve_percent: u8,
    instance_override: Option<Url>,
    /// The allowance as the last answer's `Sforce-Limit-Info` told it.
    budget: Arc<Mutex<Option<ApiBudget>>>,
    /// Kept so that [`SalesforceClient::with_timeout`] builds its client trusting the same
    /// roots.
    trust: Trust,
}

impl std::fmt::Debug for SalesforceClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SalesforceClient")
            .field("api_version", &self.inner.version)
            .field("retry", &self.inner.retry)
            .field("reserve_percent", &self.inner.reserve_percent)
            .finish_non_exhaustive()
    }
}

/// An answer read in full.
pub(crate) struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl SalesforceClient {
    /// A client for API `version`, calling the instance each token names, trusting the
    /// built-in roots and those of `trust` (usually [`crate::SalesforceConfig::trust`]).
    pub fn new(
        version: ApiVersion,
        tokens: Arc<dyn AccessTokens>,
        trust: &Trust,
    ) -> Result<SalesforceClient, ClientBuildError> {
        Ok(SalesforceClient {
            inner: Arc::new(Inner {
                http: http_client(REQUEST_TIMEOUT, trust)?,
                version,
                tokens,
                retry: default_retry(),
                reserve_percent: DEFAULT_RESERVE_PERCENT,
                instance_override: None,
                budget: Arc::default(),
                trust: trust.clone(),
            }),
        })
    }

    /// The same client with other retry bounds.
    pub fn with_retry_policy(self, retry: RetryPolicy) -> SalesforceClient {
        self.rebuild(|i| i.retry = retry)
    }

    /// The same client with another per-call timeout.
    pub fn with_timeout(self, timeout: Duration) -> Result<SalesforceClient, ClientBuildError> {
        let http = http_client(timeout, &self.inner.trust)?;
        Ok(self.rebuild(|i| i.http = http))
    }

    /// The same client keeping `percent` (0–100) of the daily allowance from writes.
    pub fn with_reserve_percent(self, percent: u8) -> SalesforceClient {
        self.rebuild(|i| i.reserve_percent = percent.min(100))
    }

    /// The same client sending data calls to `instance` instead of the instance the sign-in
    /// names (an emulator, a proxy).
    pub fn with_instance_url(self, instance: Url) -> SalesforceClient {
        self.rebuild(|i| i.instance_override = Some(instance))
    }

    fn rebuild(self, change: impl FnOnce(&mut Inner)) -> SalesforceClient {
        let mut inner = Inner {
            http: self.inner.http.clone(),
            version: self.inner.version.clone(),
            tokens: Arc::clone(&self.inner.tokens),
            retry: self.inner.retry,
            reserve_percent: self.inner.reserve_percent,
            instance_override: self.inner.instance_override.clone(),
            budget: Arc::clone(&self.inner.budget),
            trust: self.inner.trust.clone(),
        };
        change(&mut inner);
        SalesforceClient {
            inner: Arc::new(inner),
        }
    }

    pub fn api_version(&self) -> &ApiVersion {
        &self.inner.version
    }

    pub fn reserve_percent(&self) -> u8 {
        self.inner.reserve_percent
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// The daily allowance as the latest answer told it; `None` before the first answer.
    pub fn latest_budget(&self) -> Option<ApiBudget> {
        self.inner.budget.lock().ok().and_then(|b| *b)
    }

    /// The access the provider gives now (who, where).
    pub async fn access(&self) -> Result<Access, SalesforceError> {
        self.inner
            .tokens
            .access()
            .await
            .map_err(|source| SalesforceError::Auth {
                operation: "use the Salesforce sign-in",
                source,
            })
    }

    /// Send and decode a JSON answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: &Request,
    ) -> Result<T, SalesforceError> {
        let response = self.send_ok(req).await?;
        decode(req.operation, &response.body)
    }

    /// Send where only success matters.
    pub(crate) async fn send_empty(&self, req: &Request) -> Result<(), SalesforceError> {
        self.send_ok(req).await.map(|_| ())
    }

    async fn send_ok(&self, req: &Request) -> Result<RawResponse, SalesforceError> {
        let response = self.execute(req).await?;
        if response.status.is_success() {
            Ok(response)
        } else {
            Err(api_error(
                req.operation,
                response.status,
                &response.headers,
                &response.body,
            ))
        }
    }

    /// Refuse a write when the latest known allowance is down to the reserve.
    fn check_reserve(&self, req: &Request) -> Result<(), SalesforceError> {
        if !req.write {
            return Ok(());
        }
        let percent = self.inner.reserve_percent;
        match self.latest_budget() {
            Some(b) if !b.above_reserve(f64::from(percent) / 100.0) => {
                tracing::warn!(
                    remaining = b.remaining,
                    max = b.max,
                    "write held back to keep the API reserve"
                );
                Err(SalesforceError::ReserveKept {
                    operation: req.operation,
                    reserve_percent: percent,
                    remaining: b.remaining,
                    max: b.max,
                })
            }
            _ => Ok(()),
        }
    }

    fn note_budget(&self, headers: &HeaderMap) {
        if let Some(budget) = limits::from_headers(headers) {
            if let Ok(mut held) = self.inner.budget.lock() {
                *held = Some(budget);
            }
        }
    }

    /// Send with the retry layer and one renewal after a refused session; returns the last
    /// answer whatever its status, or the network failure once retries are spent.
    #[tracing::instrument(skip_all, fields(operation = req.operation, method = %req.method))]
    pub(crate) async fn execute(&self, req: &Request) -> Result<RawResponse, SalesforceError> {
        let operation = req.operation;
        let auth = |source| SalesforceError::Auth { operation, source };
        self.check_reserve(req)?;
        let retry = self.inner.retry;
        let mut access = self.inner.tokens.access().await.map_err(auth)?;
        let mut renewed = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let instance = self
                .inner
                .instance_override
                .clone()
                .unwrap_or_else(|| access.instance_url.clone());
            let url = req.url(&access, &instance, &self.inner.version)?;
            let mut builder = self
                .inner
                .http
                .request(req.method.clone(), url)
                .header(AUTHORIZATION, format!("Bearer {}", access.token.expose()))
                .header(ACCEPT, HeaderValue::from_static("application/json"));
            for (name, value) in &req.headers {
                builder = builder.header(*name, value.as_str());
            }
            if let Some(body) = &req.body {
                builder = builder.json(body);
            }
            let outcome = match builder.send().await {
                Ok(r) => {
                    let status = r.status();
                    let headers = r.headers().clone();
                    r.bytes().await.map(|b| RawResponse {
                        status,
                        headers,
                        body: b.to_vec(),
                    })
                }
                Err(e) => Err(e),
            };
            let response = match outcome {
                Ok(r) => r,
                Err(e) => {
                    // A refused connection never reached Salesforce; anything later might have.
                    let safe = e.is_connect() || req.idempotent;
                    if safe && attempt < retry.max_attempts {
                        let wait = retry.delay(attempt, None);
                        tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, error = %e, "network failure; retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(SalesforceError::Network {
                        operation,
                        detail: onbehalf_http::network_text(&e),
                    });
                }
            };
            self.note_budget(&response.headers);
            let status = response.status;
            tracing::debug!(attempt, status = status.as_u16(), "salesforce answered");
            if !renewed && session_refused(req, &response) {
                // The session expired or was revoked; one renewed token settles which.
                renewed = true;
                attempt -= 1;
                access = self
                    .inner
                    .tokens
                    .refresh_after_401(&access.token)
                    .await
                    .map_err(auth)?;
                continue;
            }
            if self.worth_retrying(req, &response) && attempt < retry.max_attempts {
                let wait = retry.delay(attempt, retry_after(&response.headers));
                tracing::warn!(
                    attempt,
                    status = status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    "salesforce is busy; retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(response);
        }
    }

    /// A locked row and an unavailable server did nothing, so any call may be repeated; other
    /// server errors may have done part of the work, so only calls safe to repeat are.
    fn worth_retrying(&self, req: &Request, response: &RawResponse) -> bool {
        let status = response.status.as_u16();
        if status == 503 || status == 429 {
            return true;
        }
        if is_busy_status(status) {
            return req.idempotent;
        }
        if response.status.is_client_error() {
            return parse_errors(response.status, &response.body)
                .iter()
                .any(|e| e.code == codes::UNABLE_TO_LOCK_ROW);
        }
        false
    }
}

/// Salesforce refused the access token: 401 on the REST API, and 403 `Bad_OAuth_Token` from
/// the identity URL.
fn session_refused(req: &Request, response: &RawResponse) -> bool {
    match response.status {
        StatusCode::UNAUTHORIZED => true,
        StatusCode::FORBIDDEN if req.target == Target::Identity => {
            parse_errors(response.status, &response.body)
                .iter()
                .any(|e| e.code == codes::BAD_OAUTH_TOKEN)
        }
        _ => false,
    }
}

/// Salesforce asks for no long waits: a lock clears within seconds, so no wait is longer than
/// 30 s.
fn default_retry() -> RetryPolicy {
    RetryPolicy {
        max_delay: Duration::from_secs(30),
        ..RetryPolicy::default()
    }
}

/// The HTTP client could not be built (for example, the TLS backend could not start). There is
/// no fallback: a default client would have no timeouts and would follow redirects, taking
/// the bearer token with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Could not prepare the connection to Salesforce on this computer: {detail}")]
pub struct ClientBuildError {
    pub detail: String,
}

fn http_client(timeout: Duration, trust: &Trust) -> Result<reqwest::Client, ClientBuildError> {
    onbehalf_http::api_client(timeout, CONNECT_TIMEOUT, trust).map_err(|e| ClientBuildError {
        detail: e.to_string(),
    })
}

/// Decode a JSON answer; a failure says where, never what (it could quote a record).
pub(crate) fn decode<T: DeserializeOwned>(
    operation: &'static str,
    body: &[u8],
) -> Result<T, SalesforceError> {
    onbehalf_http::decode(body).map_err(|f| SalesforceError::Decode {
        operation,
        detail: f.detail,
    })
}

/// Decode a JSON value (a Composite subresponse's body, a search record).
pub(crate) fn decode_value<T: DeserializeOwned>(
    operation: &'static str,
    value: serde_json::Value,
) -> Result<T, SalesforceError> {
    onbehalf_http::decode_value(value).map_err(|f| SalesforceError::Decode {
        operation,
        detail: f.detail,
    })
}
