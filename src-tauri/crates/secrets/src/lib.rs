//! Secrets of Onbehalf: [`Sensitive`], a wrapper that keeps a secret out of logs, `Debug` output
//! and serialized data, and [`SecretStore`], the OS keyring (Secret Service on Linux, Credential
//! Manager on Windows, the login keychain on macOS).
//!
//! Invariants: this is the only crate that touches the OS keyring; a secret's value is never
//! formatted by `Debug` or `Display` and cannot be serialized by accident, because
//! [`Sensitive`] does not implement `Serialize`; a keyring that cannot be reached is reported
//! as [`SecretsError::Unavailable`], with what a person can do about it, and is never confused
//! with a missing entry.

mod error;
mod sensitive;
mod store;

pub use error::SecretsError;
pub use sensitive::Sensitive;
pub use store::SecretStore;
