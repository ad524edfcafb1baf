//! The one error the CLI and the UI receive: a code they branch on and a message for a person.

use serde::Serialize;

/// The few codes callers branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No account, or the sign-in expired: sign in again.
    SignInRequired,
    /// The OS keyring cannot be used.
    KeyringUnavailable,
    /// Microsoft 365 or the network failed; trying again later may help.
    Network,
    /// The configuration is wrong.
    Config,
    /// The local data folder cannot be used.
    Store,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[error("{message}")]
pub struct ServiceError {
    pub code: ErrorCode,
    pub message: String,
}

impl ServiceError {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        ServiceError {
            code,
            message: message.into(),
        }
    }

    pub fn config(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::Config, message)
    }

    pub fn sign_in_required(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::SignInRequired, message)
    }

    pub fn not_signed_in() -> Self {
        Self::sign_in_required("You are not signed in. Sign in with your Microsoft 365 account.")
    }
}

impl From<onbehalf_store::StoreError> for ServiceError {
    fn from(e: onbehalf_store::StoreError) -> Self {
        ServiceError::new(ErrorCode::Store, e.to_string())
    }
}

impl From<onbehalf_secrets::SecretsError> for ServiceError {
    fn from(e: onbehalf_secrets::SecretsError) -> Self {
        let code = match e {
            onbehalf_secrets::SecretsError::Unavailable { .. } => ErrorCode::KeyringUnavailable,
            _ => ErrorCode::Other,
        };
        ServiceError::new(code, e.to_string())
    }
}

impl From<onbehalf_graph::AuthError> for ServiceError {
    fn from(e: onbehalf_graph::AuthError) -> Self {
        use onbehalf_graph::AuthError as A;
        let code = match &e {
            A::SignInRequired { .. } => ErrorCode::SignInRequired,
            A::Network { .. } => ErrorCode::Network,
            _ => ErrorCode::Other,
        };
        ServiceError::new(code, e.to_string())
    }
}

impl From<onbehalf_engine::ports::SourceError> for ServiceError {
    fn from(e: onbehalf_engine::ports::SourceError) -> Self {
        use onbehalf_engine::ports::SourceError as S;
        let code = match &e {
            S::SignInExpired => ErrorCode::SignInRequired,
            S::Transient { .. } => ErrorCode::Network,
            S::NotFound { .. } | S::AccessDenied { .. } | S::Other { .. } => ErrorCode::Other,
        };
        ServiceError::new(code, e.to_string())
    }
}

impl From<onbehalf_engine::discovery::DiscoveryError> for ServiceError {
    fn from(e: onbehalf_engine::discovery::DiscoveryError) -> Self {
        use onbehalf_engine::discovery::DiscoveryError as D;
        let message = e.to_string();
        let source = match e {
            D::Me(s) | D::ListCalendars(s) | D::SignInExpired(s) => s,
        };
        ServiceError::new(ServiceError::from(source).code, message)
    }
}
