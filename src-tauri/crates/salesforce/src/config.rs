//! Where and as what Onbehalf signs in to Salesforce. Every URL the crate calls for sign-in is
//! derived from a [`SalesforceConfig`]; data calls go to the instance the sign-in names.

use std::fmt;

use onbehalf_http::Trust;
use thiserror::Error;
use url::Url;

use crate::auth::AuthError;

/// Production orgs and Developer Editions sign in here.
pub const PRODUCTION_LOGIN_URL: &str = "https://login.salesforce.com";
/// Sandboxes sign in here (or at their own My Domain).
pub const SANDBOX_LOGIN_URL: &str = "https://test.salesforce.com";
/// Salesforce matches the redirect URI exactly, port included, so the connected app of
/// Onbehalf's CRM package registers this one (the port the Salesforce CLI made familiar).
pub const DEFAULT_REDIRECT_PORT: u16 = 1717;
pub const DEFAULT_REDIRECT_PATH: &str = "/OauthRedirect";
/// - `api`: the REST API;
/// - `id`: the identity URL (who signed in, in which org);
/// - `refresh_token`: a refresh token, so a sign-in outlives the access token.
pub const DEFAULT_SCOPES: [&str; 3] = ["api", "id", "refresh_token"];
/// A version every current org serves; [`crate::SalesforceClient::check_version`] confirms it.
pub const DEFAULT_API_VERSION: &str = "62.0";
/// The share of the daily API allowance (in percent) that writes leave untouched.
pub const DEFAULT_RESERVE_PERCENT: u8 = 10;

/// A REST API version such as `62.0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ApiVersion(String);

/// The version is not of the form `62.0`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("\"{0}\" is not a Salesforce API version (expected a number such as 62.0)")]
pub struct InvalidApiVersion(pub String);

impl ApiVersion {
    /// `62.0` or `v62.0`.
    pub fn parse(text: &str) -> Result<ApiVersion, InvalidApiVersion> {
        let bare = text.trim().trim_start_matches('v');
        let valid = bare.split_once('.').is_some_and(|(major, minor)| {
            !major.is_empty()
                && !minor.is_empty()
                && major.len() <= 4
                && minor.len() <= 2
                && major.bytes().all(|b| b.is_ascii_digit())
                && minor.bytes().all(|b| b.is_ascii_digit())
        });
        if valid {
            Ok(ApiVersion(bare.to_string()))
        } else {
            Err(InvalidApiVersion(text.to_string()))
        }
    }

    /// `62.0`
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// `v62.0`, the path segment.
    pub fn segment(&self) -> String {
        format!("v{}", self.0)
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The configured login host, connected app and API version, and the certificate authorities
/// trusted to serve sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SalesforceConfig {
    /// `https://login.salesforce.com`, `https://test.salesforce.com`, a My Domain such as
    /// `https://contoso.my.salesforce.com`, or any server speaking the same protocol.
    pub login_url: Url,
    /// The connected app's consumer key.
    pub client_id: String,
    pub api_version: ApiVersion,
    /// The loopback port of the browser sign-in (0: any free port, for servers that allow it).
    pub redirect_port: u16,
    /// The path of the redirect URI, e.g. `/OauthRedirect`.
    pub redirect_path: String,
    pub scopes: Vec<String>,
    /// The built-in roots, plus a configured CA's (a local server over HTTPS).
    pub trust: Trust,
}

impl SalesforceConfig {
    /// The defaults: API 62.0, redirect to `http://127.0.0.1:1717/OauthRedirect`, scopes
    /// `api id refresh_token`, the built-in roots only.
    pub fn new(login_url: Url, client_id: impl Into<String>) -> SalesforceConfig {
        SalesforceConfig {
            login_url,
            client_id: client_id.into(),
            api_version: ApiVersion(DEFAULT_API_VERSION.to_string()),
            redirect_port: DEFAULT_REDIRECT_PORT,
            redirect_path: DEFAULT_REDIRECT_PATH.to_string(),
            scopes: DEFAULT_SCOPES.iter().map(|s| s.to_string()).collect(),
            trust: Trust::default(),
        }
    }

    /// `{login}/services/oauth2/authorize`
    pub fn authorize_url(&self) -> Result<Url, AuthError> {
        self.oauth_endpoint("authorize")
    }

    /// `{login}/services/oauth2/token`: code and refresh token redemption, and the device flow.
    pub fn token_url(&self) -> Result<Url, AuthError> {
        self.oauth_endpoint("token")
    }

    /// `{login}/services/oauth2/revoke`
    pub fn revoke_url(&self) -> Result<Url, AuthError> {
        self.oauth_endpoint("revoke")
    }

    fn oauth_endpoint(&self, leaf: &str) -> Result<Url, AuthError> {
        // Codes and refresh tokens go there: only over HTTPS, or to this computer.
        let loopback = matches!(
            self.login_url.host_str(),
            Some("127.0.0.1" | "localhost" | "[::1]")
        );
        if self.login_url.scheme() != "https" && !(self.login_url.scheme() == "http" && loopback) {
            return Err(AuthError::Config {
                detail: format!(
                    "the login URL \"{}\" is not an HTTPS address",
                    self.login_url
                ),
            });
        }
        let mut url = self.login_url.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut()
            .map_err(|()| AuthError::Config {
                detail: format!("the login URL \"{}\" cannot have a path", self.login_url),
            })?
            .pop_if_empty()
            .extend(["services", "oauth2", leaf]);
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn oauth_endpoints_hang_off_the_login_host() {
        let c = SalesforceConfig::new(
            Url::parse("https://contoso.my.salesforce.com/").unwrap(),
            "3MVG9",
        );
        assert_eq!(
            c.authorize_url().unwrap().as_str(),
            "https://contoso.my.salesforce.com/services/oauth2/authorize"
        );
        assert_eq!(
            c.token_url().unwrap().as_str(),
            "https://contoso.my.salesforce.com/services/oauth2/token"
        );
        let emulator =
            SalesforceConfig::new(Url::parse("http://127.0.0.1:9000/salesforce").unwrap(), "x");
        assert_eq!(
            emulator.revoke_url().unwrap().as_str(),
            "http://127.0.0.1:9000/salesforce/services/oauth2/revoke"
        );
        let plain = SalesforceConfig::new(Url::parse("http://login.salesforce.com").unwrap(), "x");
        assert!(matches!(plain.token_url(), Err(AuthError::Config { .. })));
    }

    #[test]
    fn versions_are_numbers_with_one_dot() {
        assert_eq!(ApiVersion::parse("62.0").unwrap().segment(), "v62.0");
        assert_eq!(ApiVersion::parse("v61.0").unwrap().as_str(), "61.0");
        for bad in ["62", "62.", ".0", "62.0.1", "sixty", "62.0/../x", ""] {
            assert!(ApiVersion::parse(bad).is_err(), "{bad}");
        }
    }
}
