//! What can go wrong with the keyring and the token vault, worded for the person who has to
//! fix it.

use std::path::PathBuf;

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
    /// The value is longer than the smallest platform keyring keeps (Windows Credential
    /// Manager), so it was refused on every OS.
    #[error(
        "The secret for \"{key}\" is {units} UTF-16 units long; the Windows Credential Manager \
         keeps at most {limit}, so Onbehalf does not store it in any system keyring."
    )]
    TooLarge {
        key: String,
        units: usize,
        limit: usize,
    },
}

/// What can go wrong with the token vault: the key in the keyring or the sealed file in the
/// data folder. [`VaultError::needs_sign_in`] tells a lost or unreadable sign-in (only signing
/// in again helps) from a keyring or a data folder that cannot be used right now.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum VaultError {
    #[error(transparent)]
    Keyring(#[from] SecretsError),
    /// Nothing is kept for this account: it never signed in here, or it signed out.
    #[error("No saved sign-in was found for this account on this computer. Sign in again.")]
    NotFound,
    /// The keyring holds this account's key, but the file it opens is gone.
    #[error("The saved sign-in file {} is missing. Sign in again.", .path.display())]
    FileMissing { path: PathBuf },
    /// The file is there but cannot be opened with the key.
    #[error("The saved sign-in in {} could not be opened: {reason}. Sign in again.", .path.display())]
    Unreadable { path: PathBuf, reason: String },
    /// The keyring entry is neither a vault key nor an older Onbehalf's saved sign-in.
    #[error(
        "The sign-in key kept in the system keyring as \"{key}\" is not usable. Sign in again."
    )]
    BadKey { key: String },
    /// The data folder refused a read, a write or a removal.
    #[error("Could not {step} {}: {detail}", .path.display())]
    Io {
        step: &'static str,
        path: PathBuf,
        detail: String,
    },
    /// The operating system gave no random numbers for a key or a nonce.
    #[error("Could not {step}: the operating system gave no random numbers ({detail}).")]
    Random { step: &'static str, detail: String },
}

impl VaultError {
    /// Whether only a new sign-in can help (the saved one is gone or unreadable), as opposed
    /// to a keyring or a data folder that may work again once fixed.
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self,
            VaultError::NotFound
                | VaultError::FileMissing { .. }
                | VaultError::Unreadable { .. }
                | VaultError::BadKey { .. }
        )
    }
}
