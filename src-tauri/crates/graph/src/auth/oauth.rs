//! The `oauth2` crate set up for the Microsoft identity platform: the client types, an HTTP
//! client that never follows redirects, the token response with its id token, and the mapping
//! of protocol errors to [`AuthError`].

use std::fmt;
use std::time::Duration;

use chrono::{DateTime, Utc};
use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse,
    BasicTokenType,
};
use oauth2::{
    AuthUrl, Client, ClientId, DeviceAuthorizationUrl, EndpointNotSet, EndpointSet,
    ErrorResponseType, ExtraTokenFields, HttpClientError, RequestTokenError, Scope,
    StandardErrorResponse, StandardRevocableToken, StandardTokenResponse, TokenResponse, TokenUrl,
};
use onbehalf_secrets::Sensitive;
use serde::{Deserialize, Serialize};

use super::{AccountClaims, AuthError, TokenSet};
use crate::Endpoints;

/// The token endpoint's extra answer: the id token naming the account.
#[derive(Clone, Default, Deserialize, Serialize)]
pub(crate) struct IdTokenField {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<String>,
}

impl fmt::Debug for IdTokenField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("IdTokenField([redacted])")
    }
}

impl ExtraTokenFields for IdTokenField {}

pub(crate) type MsTokenResponse = StandardTokenResponse<IdTokenField, BasicTokenType>;

pub(crate) type MsClient<HasAuthUrl, HasDeviceAuthUrl> = Client<
    BasicErrorResponse,
    MsTokenResponse,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    HasAuthUrl,
    HasDeviceAuthUrl,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

pub(crate) type HttpError = HttpClientError<reqwest::Error>;

/// Lifetime assumed when the token endpoint does not say (its documented default).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// The longest lifetime believed. Entra's configurable access token lifetime ends at one day.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// Any single call to the identity service.
const HTTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The HTTP client for the identity service, trusting what `e` trusts. Redirects are not
/// followed: a token endpoint never redirects, and following one would send a code or a
/// refresh token elsewhere.
pub(crate) fn http_client(e: &Endpoints) -> Result<reqwest::Client, AuthError> {
    onbehalf_http::api_client(HTTP_TIMEOUT, HTTP_TIMEOUT, &e.trust).map_err(|e| AuthError::Local {
        step: "prepare the HTTP client",
        detail: e.to_string(),
    })
}

/// A client for the token endpoint only (refresh).
pub(crate) fn token_client(
    e: &Endpoints,
) -> Result<MsClient<EndpointNotSet, EndpointNotSet>, AuthError> {
    let token = TokenUrl::from_url(e.token_url()?);
    Ok(Client::new(ClientId::new(e.client_id.clone())).set_token_uri(token))
}

/// A client for the authorization code flow.
pub(crate) fn code_client(
    e: &Endpoints,
) -> Result<MsClient<EndpointSet, EndpointNotSet>, AuthError> {
    let auth = AuthUrl::from_url(e.authorize_url()?);
    Ok(token_client(e)?.set_auth_uri(auth))
}

/// A client for the device code flow.
pub(crate) fn device_client(
    e: &Endpoints,
) -> Result<MsClient<EndpointNotSet, EndpointSet>, AuthError> {
    let device = DeviceAuthorizationUrl::from_url(e.device_code_url()?);
    Ok(token_client(e)?.set_device_authorization_url(device))
}

pub(crate) fn scopes(e: &Endpoints) -> Vec<Scope> {
    e.scopes().into_iter().map(Scope::new).collect()
}

/// Turn a token response into a [`TokenSet`]. When the server rotates the refresh token the
/// new one is kept; when it sends none, the one just used stays valid and is kept. An answer
/// without an id token keeps the account already known, if any.
pub(crate) fn token_set(
    response: &MsTokenResponse,
    used_refresh_token: Option<&Sensitive<String>>,
    known_account: Option<&AccountClaims>,
    step: &'static str,
) -> Result<TokenSet, AuthError> {
    let account = match (&response.extra_fields().id_token, known_account) {
        (Some(id_token), _) => AccountClaims::from_id_token(id_token)?,
        (None, Some(known)) => known.clone(),
        (None, None) => {
            return Err(AuthError::Invalid {
                step,
                detail: "no id token came back; is the openid scope allowed?".to_string(),
            })
        }
    };
    Ok(TokenSet {
        access_token: Sensitive::new(response.access_token().secret().clone()),
        refresh_token: response
            .refresh_token()
            .map(|t| Sensitive::new(t.secret().clone()))
            .or_else(|| used_refresh_token.cloned()),
        expires_at: expiry(Utc::now(), response.expires_in()),
        account,
    })
}

/// When an access token said to last `expires_in` from `now` expires. The server's number is
/// bounded by [`MAX_LIFETIME`] before any date arithmetic, so no answer can overflow it; a
/// longer claim only means an earlier refresh.
pub(crate) fn expiry(now: DateTime<Utc>, expires_in: Option<Duration>) -> DateTime<Utc> {
    let lifetime = expires_in.unwrap_or(DEFAULT_LIFETIME).min(MAX_LIFETIME);
    let lifetime = chrono::Duration::from_std(lifetime).unwrap_or(chrono::Duration::zero());
    now.checked_add_signed(lifetime).unwrap_or(now)
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

/// Map an OAuth error code (RFC 6749 §5.2, RFC 8628 §3.5, and Microsoft's
/// `authorization_declined`) to what a person can do about it.
pub(crate) fn protocol_error(step: &'static str, code: &str, description: &str) -> AuthError {
    match code {
        "invalid_grant" | "interaction_required" | "login_required" | "consent_required" => {
            AuthError::SignInRequired {
                detail: first_line(description, code),
            }
        }
        "access_denied" | "authorization_declined" => AuthError::Declined,
        "expired_token" => AuthError::Expired,
        "temporarily_unavailable" | "server_error" => AuthError::Network {
            step,
            detail: first_line(description, code),
        },
        _ => AuthError::Server {
            step,
            error: code.to_string(),
            description: first_line(description, ""),
        },
    }
}

/// Microsoft's descriptions carry a trace id and timestamp on later lines; the first is the
/// part a person can read.
fn first_line(description: &str, fallback: &str) -> String {
    description
        .lines()
        .next()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .unwrap_or(fallback)
        .to_string()
}

fn http_error_text(e: &HttpError) -> String {
    match e {
        HttpClientError::Reqwest(inner) => {
            let kind = if inner.is_timeout() {
                "timed out"
            } else if inner.is_connect() {
                "could not connect"
            } else {
                "request failed"
            };
            // reqwest's own message names the URL, which holds no secret here.
            format!("{kind} ({inner})")
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn an_absurd_lifetime_is_bounded_instead_of_overflowing() {
        let far = expiry(now(), Some(Duration::from_secs(u64::MAX)));
        assert_eq!(far, now() + chrono::Duration::hours(24));
        let large = expiry(now(), Some(Duration::from_secs(i64::MAX as u64)));
        assert_eq!(large, now() + chrono::Duration::hours(24));
        // Small enough for a chrono duration, too large for a date: this one used to panic.
        let past_any_date = expiry(now(), Some(Duration::from_secs(10_000_000_000_000)));
        assert_eq!(past_any_date, now() + chrono::Duration::hours(24));
    }

    #[test]
    fn a_zero_lifetime_expires_at_once_and_none_means_an_hour() {
        assert_eq!(expiry(now(), Some(Duration::ZERO)), now());
        assert_eq!(expiry(now(), None), now() + chrono::Duration::hours(1));
        assert_eq!(
            expiry(now(), Some(Duration::from_secs(3599))),
            now() + chrono::Duration::seconds(3599)
        );
    }

    #[test]
    fn the_latest_representable_moment_does_not_overflow() {
        assert_eq!(
            expiry(DateTime::<Utc>::MAX_UTC, Some(Duration::from_secs(60))),
            DateTime::<Utc>::MAX_UTC
        );
    }
}
