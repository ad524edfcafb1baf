//! Secrets of Onbehalf: [`Sensitive`], a wrapper that keeps a secret out of logs, `Debug` output
//! and serialized data; [`SecretStore`], the OS keyring (Secret Service on Linux, Credential
//! Manager on Windows, the login keychain on macOS); and [`TokenVault`], which keeps secrets too
//! large for a keyring entry encrypted in the data folder, with their key in the keyring.
//!
//! Invariants: this is the only crate that touches the OS keyring; a secret's value is never
//! formatted by `Debug` or `Display` and cannot be serialized by accident, because
//! [`Sensitive`] does not implement `Serialize`; a keyring that cannot be reached is reported
//! as [`SecretsError::Unavailable`], with what a person can do about it, and is never confused
//! with a missing entry; no keyring entry is longer than [`MAX_SECRET_UTF16_UNITS`], on any
//! OS, because Windows refuses longer ones.

mod error;
mod sealed;
mod sensitive;
mod store;
mod vault;

pub use error::{SecretsError, VaultError};
pub use sensitive::Sensitive;
pub use store::{SecretStore, MAX_SECRET_UTF16_UNITS};
pub use vault::{Opened, TokenVault};
