//! Sign-in on another device: the device authorization grant (RFC 8628), for machines without
//! a browser.

use std::fmt;
use std::time::Duration;

use oauth2::{DeviceAuthorizationResponse, ExtraDeviceAuthorizationFields};
use serde::{Deserialize, Serialize, Serializer};

use super::oauth::{self, map_token_error, token_set};
use super::{AuthError, TokenSet};
use crate::Endpoints;

/// The poll interval and code lifetime believed from the server. The `oauth2` crate adds to the
/// interval on `slow_down` and turns the lifetime into a date, and either overflows (a panic)
/// on a large enough number; an interval of 0 would poll without pause. No real server asks
/// for more than these.
const POLL_INTERVAL_SECS: std::ops::RangeInclusive<u64> = 1..=60;
const MAX_CODE_LIFETIME_SECS: u64 = 3600;

/// Microsoft adds a ready-made instruction to the device authorization answer.
#[derive(Clone, Debug, Default, Deserialize, Serialize)]
pub(crate) struct MessageField {
    #[serde(default)]
    message: Option<String>,
}

impl ExtraDeviceAuthorizationFields for MessageField {}

/// What to tell the person: where to go and which code to enter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceCodePrompt {
    pub user_code: String,
    pub verification_uri: String,
    /// The server's own instruction, or one built from the code and address.
    pub message: String,
    /// How long the code stays valid (serialized as seconds).
    #[serde(serialize_with = "as_seconds")]
    pub expires_in: Duration,
}

fn as_seconds<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(d.as_secs())
}

/// The device authorization answer with its timings brought within bounds. The crate keeps its
/// fields private, so the answer goes through its own serialized form.
fn bounded(
    details: DeviceAuthorizationResponse<MessageField>,
) -> Result<DeviceAuthorizationResponse<MessageField>, AuthError> {
    // The serializer's message could quote the device code, so it is not passed on.
    let invalid = |_: serde_json::Error| AuthError::Invalid {
        step: "start a device code sign-in",
        detail: "its interval and lifetime could not be read".to_string(),
    };
    let interval = details
        .interval()
        .as_secs()
        .clamp(*POLL_INTERVAL_SECS.start(), *POLL_INTERVAL_SECS.end());
    let expires_in = details.expires_in().as_secs().min(MAX_CODE_LIFETIME_SECS);
    let mut value = serde_json::to_value(details).map_err(invalid)?;
    value["interval"] = interval.into();
    value["expires_in"] = expires_in.into();
    serde_json::from_value(value).map_err(invalid)
}

/// A device code sign-in waiting for the person to enter the code.
pub struct DeviceCodeSignIn {
    endpoints: Endpoints,
    details: DeviceAuthorizationResponse<MessageField>,
}

impl fmt::Debug for DeviceCodeSignIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCodeSignIn").finish_non_exhaustive()
    }
}

impl DeviceCodeSignIn {
    /// Ask the identity service for a device code.
    #[tracing::instrument(skip_all, err)]
    pub async fn start(
        endpoints: &Endpoints,
    ) -> Result<(DeviceCodeSignIn, DeviceCodePrompt), AuthError> {
        const STEP: &str = "start a device code sign-in";
        let client = oauth::device_client(endpoints)?;
        let http = oauth::http_client(endpoints)?;
        let details: DeviceAuthorizationResponse<MessageField> = client
            .exchange_device_code()
            .add_scopes(oauth::scopes(endpoints))
            .request_async(&http)
            .await
            .map_err(|e| map_token_error(STEP, e))?;
        let details = bounded(details)?;
        let user_code = details.user_code().secret().clone();
        let verification_uri = details.verification_uri().to_string();
        let message = details
            .extra_fields()
            .message
            .clone()
            .filter(|m| !m.trim().is_empty())
            .unwrap_or_else(|| {
                format!("To sign in, open {verification_uri} and enter the code {user_code}.")
            });
        let prompt = DeviceCodePrompt {
            user_code,
            verification_uri,
            message,
            expires_in: details.expires_in(),
        };
        Ok((
            DeviceCodeSignIn {
                endpoints: endpoints.clone(),
                details,
            },
            prompt,
        ))
    }

    /// Poll the token endpoint at the interval the server asked for (longer after
    /// `slow_down`) until the person finishes, declines, or the code expires.
    #[tracing::instrument(skip_all, err)]
    pub async fn finish(self) -> Result<TokenSet, AuthError> {
        const STEP: &str = "finish the device code sign-in";
        let client = oauth::device_client(&self.endpoints)?;
        let http = oauth::http_client(&self.endpoints)?;
        let response = client
            .exchange_device_access_token(&self.details)
            .request_async(&http, tokio::time::sleep, None)
            .await
            .map_err(|e| map_token_error(STEP, e))?;
        let tokens = token_set(&response, None, None, STEP)?;
        tracing::info!(tenant = %tokens.account.tenant_id, "signed in with a device code");
        Ok(tokens)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(expires_in: &str, interval: &str) -> DeviceAuthorizationResponse<MessageField> {
        serde_json::from_str(&format!(
            r#"{{"device_code":"d","user_code":"U","verification_uri":"https://microsoft.com/devicelogin","expires_in":{expires_in},"interval":{interval}}}"#
        ))
        .unwrap()
    }

    #[test]
    fn huge_timings_are_bounded_so_slow_down_cannot_overflow() {
        let b = bounded(answer("18446744073709551615", "18446744073709551615")).unwrap();
        assert_eq!(b.interval(), Duration::from_secs(60));
        assert_eq!(b.expires_in(), Duration::from_secs(3600));
        // What the oauth2 crate does on slow_down, and what overflowed before.
        assert!(b.interval().checked_add(Duration::from_secs(5)).is_some());
        assert_eq!(b.device_code().secret(), "d");
    }

    #[test]
    fn a_zero_interval_does_not_poll_without_pause_and_usual_values_are_kept() {
        let b = bounded(answer("0", "0")).unwrap();
        assert_eq!(b.interval(), Duration::from_secs(1));
        assert_eq!(b.expires_in(), Duration::ZERO);
        let usual = bounded(answer("900", "5")).unwrap();
        assert_eq!(usual.interval(), Duration::from_secs(5));
        assert_eq!(usual.expires_in(), Duration::from_secs(900));
    }
}
