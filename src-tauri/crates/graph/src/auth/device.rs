//! Sign-in on another device: the device authorization grant (RFC 8628), for machines without
//! a browser.

use std::fmt;
use std::time::Duration;

use oauth2::{DeviceAuthorizationResponse, ExtraDeviceAuthorizationFields};
use serde::{Deserialize, Serialize, Serializer};

use super::oauth::{self, map_token_error, token_set};
use super::{AuthError, TokenSet};
use crate::Endpoints;

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
        let http = oauth::http_client()?;
        let details: DeviceAuthorizationResponse<MessageField> = client
            .exchange_device_code()
            .add_scopes(oauth::scopes(endpoints))
            .request_async(&http)
            .await
            .map_err(|e| map_token_error(STEP, e))?;
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
        let http = oauth::http_client()?;
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
