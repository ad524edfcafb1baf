//! What can go wrong with the keyring, worded for the person who has to fix it.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SecretsError {
    /// No keyring could be reached, or it is locked: nothing can be kept until that changes.
    #[error(
        "The system keyring is not available: {detail}. On Linux, start a Secret Service such \
         as GNOME Keyring and unlock it; on Windows, make sure the Credential Manager service is \
         running for your account; on macOS, unlock your login keychain. Then try again."
    )]
    Unavailable { detail: String },
    /// The keyring answered but refused this operation on this entry.
    #[error("The system keyring could not {step} the entry \"{key}\": {detail}")]
    Failed {
        step: &'static str,
        key: String,
        detail: String,
    },
}
