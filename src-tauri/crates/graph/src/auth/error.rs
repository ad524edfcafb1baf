//! Why a sign-in or a token refresh failed, worded for the person at the keyboard.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// The refresh token was refused (expired, revoked, password changed) or there is none:
    /// only an interactive sign-in helps.
    #[error("Your Microsoft 365 sign-in has expired or was revoked ({detail}). Sign in again.")]
    SignInRequired { detail: String },
    #[error("The sign-in was declined. Sign in again and accept to continue.")]
    Declined,
    #[error("The sign-in code expired before the sign-in was completed. Start the sign-in again.")]
    Expired,
    #[error(
        "The answer from the sign-in page did not belong to this sign-in (state mismatch), so it \
         was refused. Start the sign-in again."
    )]
    StateMismatch,
    #[error(
        "The sign-in page did not come back within {seconds} seconds. Start the sign-in again."
    )]
    TimedOut { seconds: u64 },
    /// Retryable: the identity service could not be reached or is temporarily unavailable.
    #[error(
        "Could not reach the Microsoft sign-in service to {step}: {detail}. Check the network \
         connection and try again."
    )]
    Network { step: &'static str, detail: String },
    #[error("The Microsoft sign-in service refused to {step}: {error}{}", description_suffix(.description))]
    Server {
        step: &'static str,
        error: String,
        description: String,
    },
    #[error("The answer of the Microsoft sign-in service to {step} could not be read: {detail}")]
    Invalid { step: &'static str, detail: String },
    #[error("The sign-in could not {step} on this computer: {detail}")]
    Local { step: &'static str, detail: String },
    #[error("The Microsoft 365 sign-in configuration is not usable: {detail}")]
    Config { detail: String },
}

impl AuthError {
    /// Whether trying the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        matches!(self, AuthError::Network { .. })
    }
}

fn description_suffix(description: &str) -> String {
    match description.trim() {
        "" => String::new(),
        d => format!(" ({d})"),
    }
}
