//! The `oauth2` crate set up for Salesforce: the client types, an HTTP client that never
//! follows redirects, the token response with Salesforce's fields, and the mapping of protocol
//! errors to [`AuthError`].

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, Client, ClientId, EndpointNotSet, EndpointSet, ErrorResponseType, ExtraTokenFields,
    HttpClientError, RequestTokenError, StandardErrorResponse, StandardRevocableToken,
    StandardTokenResponse, TokenResponse, TokenUrl,
};
use onbehalf_secrets::Sensitive;
use serde::{Deserialize, Serialize};
use url::Url;

use super::urls::service_url;
use super::{AuthError, IdentityUrl, TokenSet};
use crate::SalesforceConfig;

/// What Salesforce adds to a token response.
#[derive(Clone, Default, Deserialize, Serialize)]
pub(crate) struct SalesforceFields {
    /// Where the org's data is served.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub instance_url: Option<String>,
    /// The identity URL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Milliseconds since the epoch, as a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
}

impl fmt::Debug for SalesforceFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SalesforceFields")
            .field("instance_url", &self.instance_url)
            .finish_non_exhaustive()
    }
}

impl ExtraTokenFields for SalesforceFields {}

pub(crate) type SfTokenResponse = StandardTokenResponse<SalesforceFields, BasicTokenType>;

pub(crate) type SfClient<HasAuthUrl> = Client<
    BasicErrorResponse,
    SfTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

pub(crate) type HttpError = HttpClientError<reqwest::Error>;

/// Any single call to the sign-in service.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The HTTP client for the sign-in service, trusting what `c` trusts. Redirects are not
/// followed: a token endpoint never redirects, and following one would send a code or a
/// refresh token elsewhere.
pub(crate) fn http_client(c: &SalesforceConfig) -> Result<reqwest::Client, AuthError> {
    onbehalf_http::api_client(HTTP_TIMEOUT, HTTP_TIMEOUT, &c.trust).map_err(|e| AuthError::Local {
        step: "prepare the HTTP client",
        detail: e.to_string(),
    })
}

/// A client for the token endpoint only (refresh).
pub(crate) fn token_client(c: &SalesforceConfig) -> Result<SfClient<EndpointNotSet>, AuthError> {
    Ok(Client::new(ClientId::new(c.client_id.clone()))
        .set_token_uri(TokenUrl::from_url(c.token_url()?)))
}

/// A client for the web server flow.
pub(crate) fn code_client(c: &SalesforceConfig) -> Result<SfClient<EndpointSet>, AuthError> {
    Ok(token_client(c)?.set_auth_uri(AuthUrl::from_url(c.authorize_url()?)))
}

/// What a refresh already knows, for an answer that leaves it out.
pub(crate) struct Known<'a> {
    pub refresh_token: &'a Sensitive<String>,
    pub instance_url: &'a Url,
    pub identity_url: &'a IdentityUrl,
}

/// Turn a token response into a [`TokenSet`]. With refresh token rotation the answer carries a
/// new refresh token, which is kept; without, the one just used stays valid and is kept.
pub(crate) fn token_set(
    response: &SfTokenResponse,
    known: Option<Known<'_>>,
    step: &'static str,
) -> Result<TokenSet, AuthError> {
    let extra = response.extra_fields();
    let missing = |what: &str| AuthError::Invalid {
        step,
        detail: format!("the answer names no {what}"),
    };
    let instance_url = match (&extra.instance_url, &known) {
        (Some(url), _) => service_url(url, "instance URL", step)?,
        (None, Some(k)) => k.instance_url.clone(),
        (None, None) => return Err(missing("instance URL")),
    };
    let identity_url = match (&extra.id, &known) {
        (Some(id), _) => IdentityUrl::parse(id)?,
        (None, Some(k)) => k.identity_url.clone(),
        (None, None) => return Err(missing("identity URL")),
    };
    if let Some(k) = &known {
        // A refresh answers for the same user; another one would mean a mixed-up sign-in.
        if k.identity_url.user_id() != identity_url.user_id()
            || k.identity_url.org_id() != identity_url.org_id()
        {
            return Err(AuthError::Invalid {
                step,
                detail: "the renewed sign-in names another user".to_string(),
            });
        }
    }
    Ok(TokenSet {
        access_token: Sensitive::new(response.access_token().secret().clone()),
        refresh_token: response
            .refresh_token()
            .map(|t| Sensitive::new(t.secret().clone()))
            .or_else(|| known.map(|k| k.refresh_token.clone())),
        instance_url,
        identity_url,
        issued_at: extra.issued_at.as_deref().and_then(issued_at),
    })
}

/// `issued_at`: milliseconds since the epoch. A value out of range is ignored, not trusted.
fn issued_at(millis: &str) -> Option<DateTime<Utc>> {
    DateTime::from_timestamp_millis(millis.trim().parse().ok()?)
}

/// Map a failed token request. The response body is never quoted: it may hold tokens.
pub(crate) fn map_token_error<T>(
    step: &'static str,
    e: RequestTokenError<HttpError, StandardErrorResponse<T>>,
) -> AuthError
where
    T: ErrorResponseType + AsRef<str> + fmt::Display + 'static,
{
    match e {
        RequestTokenError::Request(inner) => AuthError::Network {
            step,
            detail: http_error_text(&inner),
        },
        RequestTokenError::ServerResponse(r) => protocol_error(
            step,
            r.error().as_ref(),
            r.error_description()
                .map(String::as_str)
                .unwrap_or_default(),
        ),
        RequestTokenError::Parse(e, _body) => AuthError::Invalid {
            step,
            detail: format!("unexpected content at `{}`", e.path()),
        },
        RequestTokenError::Other(detail) => AuthError::Invalid { step, detail },
    }
}

/// Map an OAuth error code (RFC 6749 §5.2, RFC 8628 §3.5, and Salesforce's own) to what a
/// person can do about it.
pub(crate) fn protocol_error(step: &'static str, code: &str, description: &str) -> AuthError {
    let description = description.trim().to_string();
    let detail = || {
        if description.is_empty() {
            code.to_string()
        } else {
            description.clone()
        }
    };
    match code {
        "invalid_grant"
        | "inactive_user"
        | "inactive_org"
        | "login_required"
        | "consent_required"
        | "interaction_required" => AuthError::SignInRequired { detail: detail() },
        "access_denied" | "authorization_declined" => AuthError::Declined,
        "expired_token" => AuthError::Expired,
        // Since September 2025 an org blocks connected apps its admin did not install.
        "OAUTH_APP_BLOCKED" | "OAUTH_APP_ACCESS_DENIED" => {
            AuthError::AppNotApproved { detail: detail() }
        }
        "invalid_client" if description.contains("installed") => {
            AuthError::AppNotApproved { detail: detail() }
        }
        "temporarily_unavailable" | "server_error" => AuthError::Network {
            step,
            detail: detail(),
        },
        _ => AuthError::Server {
            step,
            error: code.to_string(),
            description,
        },
    }
}

pub(crate) fn http_error_text(e: &HttpError) -> String {
    match e {
        HttpClientError::Reqwest(inner) => reqwest_text(inner),
        other => other.to_string(),
    }
}

pub(crate) fn reqwest_text(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else {
        "request failed"
    };
    // reqwest's own message names the URL, which holds no secret on these endpoints.
    format!("{kind} ({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn salesforce_error_codes_say_what_helps() {
        assert!(matches!(
            protocol_error("s", "invalid_grant", "expired access/refresh token"),
            AuthError::SignInRequired { detail } if detail == "expired access/refresh token"
        ));
        assert!(matches!(
            protocol_error("s", "inactive_user", ""),
            AuthError::SignInRequired { .. }
        ));
        assert_eq!(
            protocol_error("s", "access_denied", "end-user denied authorization"),
            AuthError::Declined
        );
        assert!(matches!(
            protocol_error("s", "invalid_client", "app must be installed into org"),
            AuthError::AppNotApproved { .. }
        ));
        assert!(matches!(
            protocol_error("s", "invalid_client", "invalid client credentials"),
            AuthError::Server { .. }
        ));
        assert!(protocol_error("s", "temporarily_unavailable", "").is_retryable());
    }

    #[test]
    fn issued_at_is_milliseconds_and_nonsense_is_ignored() {
        assert_eq!(
            issued_at("1278448832702").map(|t| t.timestamp()),
            Some(1_278_448_832)
        );
        assert_eq!(issued_at("99999999999999999999"), None);
        assert_eq!(issued_at("soon"), None);
    }
}
