//! The Graph HTTP client: bearer tokens from an [`AccessTokens`] provider, one forced refresh
//! after a 401, one retry layer, typed errors, paging and `$batch`.

mod batch;
mod error;
mod page;
mod request;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH};
use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use url::Url;

use crate::auth::AccessTokens;

pub use batch::{BatchRequest, BatchResponse, MAX_BATCH};
pub use error::{codes, GraphError};
pub use onbehalf_http::RetryPolicy;
pub use page::{Page, Pager};
pub(crate) use request::{odata_string, to_body};
pub use request::{GraphPath, Request};

use error::{api_error, is_retryable_status};
use onbehalf_http::{retry_after, Trust};

/// Asks Graph for immutable ids, which survive an item's move between folders.
const PREFER_IMMUTABLE_IDS: &str = "IdType=\"ImmutableId\"";
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// A Microsoft Graph client. Cheap to clone; clones share one connection pool.
#[derive(Clone)]
pub struct GraphClient {
    inner: Arc<Inner>,
}

struct Inner {
    http: reqwest::Client,
    base: Url,
    tokens: Arc<dyn AccessTokens>,
    retry: RetryPolicy,
    /// Kept so that [`GraphClient::with_timeout`] builds its client trusting the same roots.
    trust: Trust,
}

impl std::fmt::Debug for GraphClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GraphClient")
            .field("graph_url", &self.inner.base.as_str())
            .field("retry", &self.inner.retry)
            .finish_non_exhaustive()
    }
}

/// A successful (or finally unsuccessful) answer, read in full.
pub(crate) struct RawResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl GraphClient {
    /// A client for the Graph root `graph_url` (e.g. `https://graph.microsoft.com/v1.0`),
    /// trusting the built-in roots and those of `trust` (usually [`crate::Endpoints::trust`]).
    pub fn new(
        graph_url: Url,
        tokens: Arc<dyn AccessTokens>,
        trust: &Trust,
    ) -> Result<Self, ClientBuildError> {
        Ok(GraphClient {
            inner: Arc::new(Inner {
                http: http_client(REQUEST_TIMEOUT, trust)?,
                base: graph_url,
                tokens,
                retry: RetryPolicy::default(),
                trust: trust.clone(),
            }),
        })
    }

    /// The same client with other retry bounds.
    pub fn with_retry_policy(self, retry: RetryPolicy) -> Self {
        self.rebuild(|i| i.retry = retry)
    }

    /// The same client with another per-call timeout.
    pub fn with_timeout(self, timeout: Duration) -> Result<Self, ClientBuildError> {
        let http = http_client(timeout, &self.inner.trust)?;
        Ok(self.rebuild(|i| i.http = http))
    }

    fn rebuild(self, change: impl FnOnce(&mut Inner)) -> Self {
        let mut inner = Inner {
            http: self.inner.http.clone(),
            base: self.inner.base.clone(),
            tokens: Arc::clone(&self.inner.tokens),
            retry: self.inner.retry,
            trust: self.inner.trust.clone(),
        };
        change(&mut inner);
        GraphClient {
            inner: Arc::new(inner),
        }
    }

    pub fn graph_url(&self) -> &Url {
        &self.inner.base
    }

    pub fn retry_policy(&self) -> RetryPolicy {
        self.inner.retry
    }

    /// A request for `path` below the Graph root.
    pub(crate) fn request(
        &self,
        operation: &'static str,
        method: Method,
        path: &GraphPath,
        query: &[(&str, String)],
    ) -> Request {
        Request::new(operation, method, path.url(&self.inner.base, query))
    }

    /// Send and decode a JSON answer.
    pub(crate) async fn send_json<T: DeserializeOwned>(
        &self,
        req: &Request,
    ) -> Result<T, GraphError> {
        let response = self.send_ok(req).await?;
        decode(req.operation, &response.body)
    }

    /// Send where only success matters; any answer body is ignored.
    pub(crate) async fn send_empty(&self, req: &Request) -> Result<(), GraphError> {
        self.send_ok(req).await.map(|_| ())
    }

    async fn send_ok(&self, req: &Request) -> Result<RawResponse, GraphError> {
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

    /// Send with the retry layer and the forced refresh after a 401; returns the last answer
    /// whatever its status, or the network failure once retries are spent.
    #[tracing::instrument(skip_all, fields(operation = req.operation, method = %req.method))]
    pub(crate) async fn execute(&self, req: &Request) -> Result<RawResponse, GraphError> {
        let operation = req.operation;
        let retry = self.inner.retry;
        let client_request_id = uuid::Uuid::new_v4().to_string();
        let mut token = None;
        let mut refreshed = false;
        let mut attempt = 0u32;
        loop {
            attempt += 1;
            let bearer = match token.take() {
                Some(t) => t,
                None => self
                    .inner
                    .tokens
                    .access_token()
                    .await
                    .map_err(|source| GraphError::Auth { operation, source })?,
            };
            let mut builder = self
                .inner
                .http
                .request(req.method.clone(), req.url.clone())
                .header(AUTHORIZATION, format!("Bearer {}", bearer.expose()))
                .header(ACCEPT, HeaderValue::from_static("application/json"))
                .header("client-request-id", &client_request_id);
            // A request with its own Prefer (a batch member's) already asks for immutable ids.
            if !req
                .headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("Prefer"))
            {
                builder = builder.header("Prefer", PREFER_IMMUTABLE_IDS);
            }
            for (name, value) in &req.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            match &req.body {
                Some(body) => builder = builder.json(body),
                // Graph asks for `Content-Length: 0` on a POST without a body (message-send),
                // which reqwest would send without any length.
                None if req.method == Method::POST => {
                    builder = builder.header(CONTENT_LENGTH, "0").body(Vec::new());
                }
                None => {}
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
                    // A refused connection never reached Graph; anything later might have.
                    let safe = e.is_connect() || req.is_idempotent();
                    if safe && attempt < retry.max_attempts {
                        let wait = retry.delay(attempt, None);
                        tracing::warn!(attempt, wait_ms = wait.as_millis() as u64, error = %e, "network failure; retrying");
                        tokio::time::sleep(wait).await;
                        continue;
                    }
                    return Err(GraphError::Network {
                        operation,
                        detail: onbehalf_http::network_text(&e),
                    });
                }
            };
            let status = response.status;
            tracing::debug!(attempt, status = status.as_u16(), "graph answered");
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                // The token may have been revoked or rotated early; one fresh token settles it.
                refreshed = true;
                attempt -= 1;
                token = Some(
                    self.inner
                        .tokens
                        .refresh_after_401()
                        .await
                        .map_err(|source| GraphError::Auth { operation, source })?,
                );
                continue;
            }
            let may_retry = is_retryable_status(status.as_u16())
                && (status != StatusCode::GATEWAY_TIMEOUT || req.is_idempotent());
            if may_retry && attempt < retry.max_attempts {
                let wait = retry.delay(attempt, retry_after(&response.headers));
                tracing::warn!(
                    attempt,
                    status = status.as_u16(),
                    wait_ms = wait.as_millis() as u64,
                    "graph is busy; retrying"
                );
                tokio::time::sleep(wait).await;
                continue;
            }
            return Ok(response);
        }
    }
}

/// The HTTP client could not be built (for example, the TLS backend could not start). There is
/// no fallback: a default client would have no timeouts and would follow redirects, taking
/// the bearer token with it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Could not prepare the connection to Microsoft Graph on this computer: {detail}")]
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
) -> Result<T, GraphError> {
    onbehalf_http::decode(body).map_err(|f| GraphError::Decode {
        operation,
        detail: f.detail,
    })
}
