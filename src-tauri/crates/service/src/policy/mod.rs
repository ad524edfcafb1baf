//! Where machine policy is read on each system, turned into policy documents for the engine's
//! layering (`onbehalf_engine::policy`):
//! - Windows: the registry (`registry.rs`), Group Policy and the MSI's keys;
//! - macOS: managed preferences written by a configuration profile (`plist_doc.rs`);
//! - Linux (and any system): `/etc/onbehalf/policy.toml` (`toml_doc.rs`).
//!
//! `--policy-file` (or `ONBEHALF_POLICY_FILE`) names a TOML policy file read instead of the
//! system's, so an administrator can try a policy before deploying it, and tests can give one.

mod effective;
mod plist_doc;
mod registry;
mod report;
mod toml_doc;
mod user;

use std::path::Path;

use onbehalf_engine::policy::{Layer, Strength};

use crate::error::ServiceError;

pub(crate) use effective::{check_change, effective_settings};
pub use effective::{SettingLock, SettingsView};
pub use report::PolicyReport;
pub(crate) use user::{user_layers, FileSettings};

pub const ENV_POLICY_FILE: &str = "ONBEHALF_POLICY_FILE";

/// The Linux machine policy file.
pub const LINUX_POLICY_FILE: &str = "/etc/onbehalf/policy.toml";

/// The machine policy documents of this computer, strongest first, or those of `file`.
pub fn machine_layers(file: Option<&Path>) -> Result<Vec<Layer>, ServiceError> {
    match file {
        Some(file) if !file.exists() => Err(ServiceError::config(format!(
            "The policy file {} does not exist.",
            file.display()
        ))),
        Some(file) => Ok(file_layer(file)?.into_iter().collect()),
        None => system_layers(),
    }
}

/// A TOML policy file, if it exists; a file that cannot be read or parsed is an error.
fn file_layer(path: &Path) -> Result<Option<Layer>, ServiceError> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml_doc::parse(&text)
            .map(|doc| {
                Some(Layer::new(
                    path.display().to_string(),
                    Strength::Machine,
                    doc,
                ))
            })
            .map_err(|e| {
                ServiceError::config(format!(
                    "The policy file {} is not valid TOML: {e}",
                    path.display()
                ))
            }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ServiceError::config(format!(
            "Could not read the policy file {}: {e}",
            path.display()
        ))),
    }
}

#[cfg(windows)]
fn system_layers() -> Result<Vec<Layer>, ServiceError> {
    Ok(registry::read_machine_policy())
}

#[cfg(target_os = "macos")]
fn system_layers() -> Result<Vec<Layer>, ServiceError> {
    let user = std::env::var("USER").ok();
    plist_doc::read_managed_preferences(Path::new(plist_doc::MANAGED_PREFERENCES), user.as_deref())
}

#[cfg(not(any(windows, target_os = "macos")))]
fn system_layers() -> Result<Vec<Layer>, ServiceError> {
    Ok(file_layer(Path::new(LINUX_POLICY_FILE))?
        .into_iter()
        .collect())
}
