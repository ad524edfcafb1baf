//! The one error the CLI and the UI receive: a code they branch on and a message for a person.

use serde::Serialize;

/// The few codes callers branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// No account, or the sign-in expired: sign in again.
    SignInRequired,
    /// Not signed in to the CRM, or that sign-in expired: sign in to the CRM again.
    CrmSignInRequired,
    /// The OS keyring cannot be used.
    KeyringUnavailable,
    /// Microsoft 365 or the network failed; trying again later may help.
    Network,
    /// The configuration is wrong.
    Config,
    /// The local data folder cannot be used.
    Store,
    /// The user's rights or the policy do not allow it; the message says why.
    Refused,
    /// The setting is locked by the administrator's policy; the message says where.
    Locked,
    /// What was given is not what is asked for (e.g. an address that is not one): the message
    /// says what is expected. Asking again the same way cannot help.
    InvalidInput,
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

    pub fn invalid_input(message: impl Into<String>) -> Self {
        Self::new(ErrorCode::InvalidInput, message)
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

/// A lowercase error text made a sentence for a person: capitalised, with a full stop.
pub(crate) fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => {
            let rest = chars.as_str().trim_end_matches('.');
            first.to_uppercase().collect::<String>() + rest + "."
        }
        None => String::new(),
    }
}

impl From<onbehalf_secrets::SecretsError> for ServiceError {
    fn from(e: onbehalf_secrets::SecretsError) -> Self {
        use onbehalf_secrets::SecretsError as S;
        let code = match e {
            S::Unavailable { .. } => ErrorCode::KeyringUnavailable,
            S::Failed { .. } | S::TooLarge { .. } => ErrorCode::Other,
        };
        ServiceError::new(code, e.to_string())
    }
}

impl From<onbehalf_secrets::VaultError> for ServiceError {
    fn from(e: onbehalf_secrets::VaultError) -> Self {
        use onbehalf_secrets::VaultError as V;
        let code = match &e {
            V::Keyring(inner) => return ServiceError::from(inner.clone()),
            V::NotFound | V::FileMissing { .. } | V::Unreadable { .. } | V::BadKey { .. } => {
                ErrorCode::SignInRequired
            }
            V::Io { .. } => ErrorCode::Store,
            V::Random { .. } => ErrorCode::Other,
        };
        ServiceError::new(code, e.to_string())
    }
}

/// Only a refresh token that was refused or is missing asks for a new sign-in; every other
/// failure says what it is, so that a person fixes the configuration or waits out the network
/// instead of signing in again to no effect.
impl From<onbehalf_graph::AuthError> for ServiceError {
    fn from(e: onbehalf_graph::AuthError) -> Self {
        use onbehalf_graph::AuthError as A;
        let code = match &e {
            A::SignInRequired { .. } => ErrorCode::SignInRequired,
            A::Network { .. } => ErrorCode::Network,
            A::Config { .. } => ErrorCode::Config,
            A::Server { error, .. } if is_registration_error(error) => ErrorCode::Config,
            A::Server { .. }
            | A::Declined
            | A::Expired
            | A::StateMismatch
            | A::TimedOut { .. }
            | A::Invalid { .. }
            | A::Local { .. } => ErrorCode::Other,
        };
        ServiceError::new(code, e.to_string())
    }
}

/// OAuth errors (RFC 6749 §5.2) that mean the app registration or the configured client id
/// does not allow what Onbehalf asks: an administrator fixes them, not a new sign-in.
fn is_registration_error(code: &str) -> bool {
    matches!(
        code,
        "invalid_client" | "unauthorized_client" | "invalid_scope" | "unsupported_grant_type"
    )
}

impl From<onbehalf_graph::ClientBuildError> for ServiceError {
    fn from(e: onbehalf_graph::ClientBuildError) -> Self {
        ServiceError::new(ErrorCode::Other, e.to_string())
    }
}

impl From<onbehalf_engine::ports::SourceError> for ServiceError {
    fn from(e: onbehalf_engine::ports::SourceError) -> Self {
        use onbehalf_engine::ports::SourceError as S;
        if let S::Other { code, message } = &e {
            if code == onbehalf_graph::CONFIGURATION {
                return ServiceError::config(message.clone());
            }
        }
        let code = match &e {
            S::SignInExpired => return ServiceError::sign_in_required(SIGN_IN_AGAIN),
            S::Transient { .. } | S::Throttled { .. } => ErrorCode::Network,
            S::NotFound { .. } | S::AccessDenied { .. } | S::Conflict { .. } | S::Other { .. } => {
                ErrorCode::Other
            }
        };
        ServiceError::new(code, sentence(&e.to_string()))
    }
}

/// What an expired or revoked Microsoft 365 sign-in tells the user: the engine's words are a
/// clause for logs, and the revoked case is the same to the user.
const SIGN_IN_AGAIN: &str = "Your Microsoft 365 sign-in has expired or was revoked. Sign in again.";

impl From<onbehalf_engine::discovery::DiscoveryError> for ServiceError {
    fn from(e: onbehalf_engine::discovery::DiscoveryError) -> Self {
        use onbehalf_engine::discovery::DiscoveryError as D;
        let message = sentence(&e.to_string());
        let source = match e {
            D::SignInExpired(s) => return ServiceError::from(s),
            D::Me(s) | D::ListCalendars(s) => s,
        };
        ServiceError::new(ServiceError::from(source).code, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use onbehalf_graph::AuthError;
    use onbehalf_secrets::{SecretsError, VaultError};

    fn code_of(e: AuthError) -> ErrorCode {
        ServiceError::from(e).code
    }

    #[test]
    fn only_a_refused_or_missing_refresh_token_asks_to_sign_in_again() {
        assert_eq!(
            code_of(AuthError::SignInRequired {
                detail: "AADSTS700082: The refresh token has expired".into()
            }),
            ErrorCode::SignInRequired
        );
        let not_expiry = [
            (
                AuthError::Config {
                    detail: "the authority cannot have a path".into(),
                },
                ErrorCode::Config,
            ),
            (
                AuthError::Server {
                    step: "renew the sign-in",
                    error: "invalid_client".into(),
                    description: "AADSTS7000218".into(),
                },
                ErrorCode::Config,
            ),
            (
                AuthError::Server {
                    step: "renew the sign-in",
                    error: "invalid_request".into(),
                    description: String::new(),
                },
                ErrorCode::Other,
            ),
            (
                AuthError::Network {
                    step: "renew the sign-in",
                    detail: "timed out".into(),
                },
                ErrorCode::Network,
            ),
            (AuthError::TimedOut { seconds: 300 }, ErrorCode::Other),
            (
                AuthError::Invalid {
                    step: "renew the sign-in",
                    detail: "no id token".into(),
                },
                ErrorCode::Other,
            ),
            (
                AuthError::Local {
                    step: "listen for the browser on 127.0.0.1",
                    detail: "address in use".into(),
                },
                ErrorCode::Other,
            ),
            (AuthError::Declined, ErrorCode::Other),
            (AuthError::Expired, ErrorCode::Other),
            (AuthError::StateMismatch, ErrorCode::Other),
        ];
        for (error, code) in not_expiry {
            let text = error.to_string();
            assert_eq!(code_of(error), code, "{text}");
        }
    }

    #[test]
    fn an_expired_sign_in_and_a_failed_discovery_are_told_in_sentences() {
        use onbehalf_engine::discovery::DiscoveryError;
        use onbehalf_engine::ports::SourceError;
        for expired in [
            ServiceError::from(SourceError::SignInExpired),
            ServiceError::from(DiscoveryError::SignInExpired(SourceError::SignInExpired)),
        ] {
            assert_eq!(expired.code, ErrorCode::SignInRequired);
            assert_eq!(expired.message, SIGN_IN_AGAIN);
        }
        let busy = ServiceError::from(DiscoveryError::ListCalendars(SourceError::Transient {
            message: "503".into(),
        }));
        assert_eq!(busy.code, ErrorCode::Network);
        assert_eq!(
            busy.message,
            "Could not list your calendars: Microsoft 365 is busy or unreachable: 503."
        );
    }

    #[test]
    fn a_lost_saved_sign_in_asks_to_sign_in_but_a_locked_keyring_does_not() {
        let lost = ServiceError::from(VaultError::FileMissing {
            path: "/data/tokens/x.sealed".into(),
        });
        assert_eq!(lost.code, ErrorCode::SignInRequired);
        let locked = ServiceError::from(VaultError::Keyring(SecretsError::Unavailable {
            detail: "the collection is locked".into(),
        }));
        assert_eq!(locked.code, ErrorCode::KeyringUnavailable);
        let disk = ServiceError::from(VaultError::Io {
            step: "write",
            path: "/data/tokens/x.sealed".into(),
            detail: "No space left on device".into(),
        });
        assert_eq!(disk.code, ErrorCode::Store);
    }
}
