//! Onbehalf's application API, free of Tauri: configuration, sign-in with tokens in the OS
//! keyring, discovery of calendars and permissions, publishing the user's status record, and
//! the doctor. The CLI and the app shell call only this crate.
//!
//! Invariants: no secret is written to the store, a log or a returned value; endpoints come from
//! [`config::Config`] (or the in-process sandbox), never from constants; every error a caller
//! sees is a [`ServiceError`] with a message worded for a person.

mod account;
mod calendars;
pub mod config;
mod error;
mod session;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_graph::Endpoints;
use onbehalf_sandbox::{Sandbox, SandboxOptions};
use onbehalf_secrets::SecretStore;
use onbehalf_store::Store;
use serde::Serialize;
use tokio::sync::Mutex;
use url::Url;

pub use account::{AccountView, DeviceCodePrompt, PendingSignIn};
pub use config::{Config, Options};
pub use error::{ErrorCode, ServiceError};
pub use onbehalf_engine::doctor::DoctorReport;
pub use onbehalf_engine::view::CalendarEntry;

/// The keyring service name under which tokens are kept.
const KEYRING_SERVICE: &str = "Onbehalf";
/// This build's version, published in the status record.
pub const APP_VERSION: &str = env!("CARGO_PKG_VERSION");

/// The result of a refresh of the calendar list.
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Refreshed {
    pub calendars: Vec<CalendarEntry>,
    /// What changed since the last refresh, worded for a person.
    pub notices: Vec<String>,
    pub refreshed_at: DateTime<Utc>,
}

/// A running Onbehalf: its configuration, store, keyring and, in sandbox mode, the emulator.
pub struct Onbehalf {
    endpoints: Result<Endpoints, ServiceError>,
    store: Arc<Store>,
    secrets: Arc<SecretStore>,
    sandbox: Mutex<Option<Sandbox>>,
    is_sandbox: bool,
    config: Config,
}

impl Onbehalf {
    /// Open the data folder and, with `--sandbox`, start the emulator in-process.
    pub async fn start(opts: &Options) -> Result<Onbehalf, ServiceError> {
        let mut config = Config::load(opts)?;
        std::fs::create_dir_all(&config.data_dir).map_err(|e| {
            ServiceError::new(
                ErrorCode::Store,
                format!(
                    "Could not create the data folder {}: {e}",
                    config.data_dir.display()
                ),
            )
        })?;
        let store = Arc::new(Store::open(&config.data_dir.join("onbehalf.sqlite3"))?);
        let sandbox = match opts.sandbox {
            true => {
                let sb = Sandbox::start(SandboxOptions {
                    state_file: Some(config.data_dir.join("sandbox-state.json")),
                    ..SandboxOptions::default()
                })
                .await
                .map_err(|e| {
                    ServiceError::new(
                        ErrorCode::Other,
                        format!("Could not start the sandbox: {e}"),
                    )
                })?;
                config.microsoft.authority = sb.authority();
                config.microsoft.graph_url = sb.graph_url();
                config.microsoft.client_id = Some(sb.client_id().to_string());
                Some(sb)
            }
            false => None,
        };
        let endpoints = endpoints_of(&config);
        Ok(Onbehalf {
            endpoints,
            store,
            secrets: Arc::new(SecretStore::new(KEYRING_SERVICE)),
            sandbox: Mutex::new(sandbox),
            is_sandbox: opts.sandbox,
            config,
        })
    }

    pub fn is_sandbox(&self) -> bool {
        self.is_sandbox
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// The configured endpoints, or why they are not usable.
    pub fn endpoints(&self) -> Result<&Endpoints, ServiceError> {
        self.endpoints.as_ref().map_err(Clone::clone)
    }

    /// Stop the in-process sandbox, if any.
    pub async fn shutdown(&self) {
        if let Some(sb) = self.sandbox.lock().await.take() {
            sb.shutdown().await;
        }
    }
}

fn endpoints_of(config: &Config) -> Result<Endpoints, ServiceError> {
    let parse = |name: &str, v: &str| {
        Url::parse(v).map_err(|e| {
            ServiceError::config(format!("The {name} \"{v}\" is not a valid URL: {e}"))
        })
    };
    let client_id = config.microsoft.client_id.clone().ok_or_else(|| {
        ServiceError::config(format!(
            "No Microsoft 365 client id is configured. Your administrator sets it as \
             client_id in the [microsoft] table of the configuration file (--config), or in \
             {}. To try Onbehalf without an account, start it with --sandbox.",
            config::ENV_CLIENT_ID
        ))
    })?;
    Ok(Endpoints {
        authority: parse("authority", &config.microsoft.authority)?,
        graph_url: parse("Graph URL", &config.microsoft.graph_url)?,
        client_id,
    })
}
