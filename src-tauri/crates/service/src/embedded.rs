//! The built-in sandbox, started in-process for `--sandbox`. It exists only in builds with the
//! `sandbox` feature (the default for development); a release build can leave it out, and then
//! holds no emulator and no demo data.

use std::path::Path;

use crate::config::Config;
use crate::error::{ErrorCode, ServiceError};

/// A running in-process sandbox.
#[cfg(feature = "sandbox")]
pub(crate) struct Embedded(onbehalf_sandbox::Sandbox);

/// Without the feature there is nothing to run: no value of this type can exist.
#[cfg(not(feature = "sandbox"))]
pub(crate) enum Embedded {}

impl Embedded {
    /// Start the sandbox with its state in the data folder and point `config` at it; with
    /// `tls`, over HTTPS under the local CA kept in the data folder, which `config` then trusts.
    #[cfg(feature = "sandbox")]
    pub async fn start(
        data_dir: &Path,
        tls: bool,
        config: &mut Config,
    ) -> Result<Embedded, ServiceError> {
        let sb = start_sandbox(onbehalf_sandbox::SandboxOptions {
            state_file: Some(data_dir.join("sandbox-state.json")),
            tls_folder: tls.then(|| data_dir.to_path_buf()),
            ..onbehalf_sandbox::SandboxOptions::default()
        })
        .await?;
        if let Some(ca) = sb.ca_file() {
            config.ca_file = Some(ca.to_path_buf());
        }
        config.microsoft.authority = sb.authority();
        config.microsoft.graph_url = sb.graph_url();
        config.microsoft.client_id = Some(sb.client_id().to_string());
        config.salesforce.login_url = sb.salesforce_login_url();
        config.salesforce.client_id = Some(sb.salesforce_client_id().to_string());
        // The sandbox, like a loopback-friendly server, takes any free redirect port.
        config.salesforce.redirect_port = 0;
        Ok(Embedded(sb))
    }

    #[cfg(not(feature = "sandbox"))]
    pub async fn start(
        _data_dir: &Path,
        _tls: bool,
        _config: &mut Config,
    ) -> Result<Embedded, ServiceError> {
        Err(ServiceError::new(
            ErrorCode::Config,
            "This build of Onbehalf has no built-in sandbox. Use a development build, or \
             point it at a running sandbox with --config.",
        ))
    }

    pub async fn shutdown(self) {
        #[cfg(feature = "sandbox")]
        self.0.shutdown().await;
    }
}

/// Start a sandbox (in-process, or the standalone `onbehalf sandbox`), its failure in words.
#[cfg(feature = "sandbox")]
pub async fn start_sandbox(
    options: onbehalf_sandbox::SandboxOptions,
) -> Result<onbehalf_sandbox::Sandbox, ServiceError> {
    onbehalf_sandbox::Sandbox::start(options)
        .await
        .map_err(|e| {
            ServiceError::new(
                ErrorCode::Other,
                format!("Could not start the sandbox: {e}"),
            )
        })
}

/// The address of a demo user named by address, local part ("daniel.reyes") or first name
/// ("daniel"); without the sandbox, what was given.
pub(crate) fn demo_address(user: &str) -> String {
    let wanted = user.trim().to_lowercase();
    if wanted.contains('@') {
        return wanted;
    }
    #[cfg(feature = "sandbox")]
    if let Some(address) = onbehalf_sandbox::demo_org()
        .users
        .iter()
        .map(|u| u.address.to_lowercase())
        .find(|a| {
            let local = a.split('@').next().unwrap_or_default();
            local == wanted || local.split('.').next() == Some(wanted.as_str())
        })
    {
        return address;
    }
    wanted
}
