//! Why a Salesforce sign-in, refresh or sign-out failed, worded for the person at the keyboard.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AuthError {
    /// The refresh token was refused (expired, revoked, rotated away, user deactivated) or
    /// there is none: only an interactive sign-in helps.
    #[error("Your Salesforce sign-in has expired or was revoked ({detail}). Sign in again.")]
    SignInRequired { detail: String },
    #[error("The Salesforce sign-in was declined. Sign in again and allow access to continue.")]
    Declined,
    #[error("The sign-in code expired before the sign-in was completed. Start the sign-in again.")]
    Expired,
    #[error(
        "The Salesforce sign-in page did not come back within {seconds} seconds. Start the \
         sign-in again."
    )]
    TimedOut { seconds: u64 },
    /// The org does not let its users use Onbehalf's connected app yet.
    #[error(
        "Onbehalf is not installed or not approved in your Salesforce org ({detail}). Ask your \
         Salesforce administrator to install Onbehalf's package."
    )]
    AppNotApproved { detail: String },
    /// Retryable: Salesforce could not be reached or is temporarily unavailable.
    #[error(
        "Could not reach Salesforce to {step}: {detail}. Check the network connection and try \
         again."
    )]
    Network { step: &'static str, detail: String },
    #[error("Salesforce refused to {step}: {error}{}", description_suffix(.description))]
    Server {
        step: &'static str,
        error: String,
        description: String,
    },
    #[error("The answer of Salesforce to {step} could not be read: {detail}")]
    Invalid { step: &'static str, detail: String },
    #[error("The Salesforce sign-in could not {step} on this computer: {detail}")]
    Local { step: &'static str, detail: String },
    #[error("The Salesforce sign-in configuration is not usable: {detail}")]
    Config { detail: String },
    /// Retryable: a renewed sign-in could not be kept, so it is not used yet. Salesforce may
    /// have retired the previous refresh token, so the new one is held in memory and saving it
    /// is tried again before the next call.
    #[error("The renewed Salesforce sign-in could not be saved on this computer: {detail}")]
    NotSaved { detail: String },
}

impl AuthError {
    /// Whether trying the same thing again later may succeed.
    pub fn is_retryable(&self) -> bool {
        match self {
            AuthError::Network { .. } | AuthError::NotSaved { .. } => true,
            AuthError::SignInRequired { .. }
            | AuthError::Declined
            | AuthError::Expired
            | AuthError::TimedOut { .. }
            | AuthError::AppNotApproved { .. }
            | AuthError::Server { .. }
            | AuthError::Invalid { .. }
            | AuthError::Local { .. }
            | AuthError::Config { .. } => false,
        }
    }

    /// Whether only an interactive sign-in helps.
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self,
            AuthError::SignInRequired { .. } | AuthError::Declined | AuthError::Expired
        )
    }
}

fn description_suffix(description: &str) -> String {
    match description.trim() {
        "" => String::new(),
        d => format!(" ({d})"),
    }
}
