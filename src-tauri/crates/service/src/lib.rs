//! Onbehalf's application API, free of Tauri: configuration, sign-in with the refresh token
//! sealed in the data folder under a key in the OS keyring, discovery of calendars and permissions, publishing the user's status record, and
//! the doctor. The CLI and the app shell call only this crate.
//!
//! Invariants: no secret is written to the store, a log or a returned value, and the access
//! token is written nowhere; no keyring, SQLite or file call runs on an async worker (see
//! `blocking.rs`); endpoints come from
//! [`config::Config`] (or the in-process sandbox), never from constants; every error a caller
//! sees is a [`ServiceError`] with a message worded for a person.

mod account;
mod blocking;
mod calendars;
pub mod config;
mod crm;
mod crm_doctor;
mod data_folder;
mod embedded;
mod error;
mod kept_json;
pub mod policy;
mod record_keys;
mod saved;
mod session;
mod slots;
mod standing;
mod syncing;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_graph::Endpoints;
use onbehalf_http::Trust;
use onbehalf_secrets::{SecretStore, TokenVault};
use onbehalf_store::Store;
use serde::Serialize;
use tokio::sync::Mutex;
use url::Url;

pub use account::{AccountView, DeviceCodePrompt, PendingSignIn, SignOutReport};
pub use config::{Config, Options};
pub use crm::{CrmAccountView, PendingCrmSignIn};
#[cfg(feature = "sandbox")]
pub use embedded::start_sandbox;
pub use error::{ErrorCode, ServiceError};
pub use onbehalf_engine::crm::{ApiBudget, CrmRecord, RecordKind};
pub use onbehalf_engine::doctor::DoctorReport;
pub use onbehalf_engine::sync::hash::Field;
pub use onbehalf_engine::sync::merge::Winner;
pub use onbehalf_engine::sync::plan::Overwritten;
pub use onbehalf_engine::sync::view::{ItemView, ShareState};
pub use onbehalf_engine::view::CalendarEntry;
pub use onbehalf_salesforce::DevicePrompt as CrmDevicePrompt;
pub use onbehalf_sync::{
    field_name, Choice, ConflictView, ConflictsView, FieldValues, Mode as SyncMode, OverwriteView,
    Report as SyncReport, Resolved, When,
};
pub use slots::{
    compose_message, ComposedMessage, DraftOutcome, DraftRequest, MessageRequest, OfferView,
    Person, ReplyOutcome, SendOnBehalf, SlotCalendar, SlotCalendars, SlotPrefs, SlotRequest,
    SlotsFound, HOLD_CATEGORY,
};
pub use syncing::items::ItemsQuery;
pub use syncing::problems::{ProblemEntry, ProblemItem};
pub use syncing::run::SyncRun;
pub use syncing::runtime::LoopState;
pub use syncing::settings::SyncSettings;
pub use syncing::share::ShareOutcome;
pub use syncing::status::SyncStatus;

/// The keyring service name under which the keys of saved sign-ins are kept.
const KEYRING_SERVICE: &str = "Onbehalf";
/// The folder of the data folder where saved sign-ins are sealed.
const TOKENS_DIR: &str = "tokens";
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

/// A running Onbehalf: its configuration, store, saved sign-ins and, in sandbox mode, the
/// emulator.
pub struct Onbehalf {
    endpoints: Result<Endpoints, ServiceError>,
    store: Arc<Store>,
    saved: saved::SavedSignIns,
    live: Mutex<Option<session::LiveTokens>>,
    /// The keyring, for the status record key (sign-ins go through `saved`).
    keyring: Arc<SecretStore>,
    /// The token provider of the CRM sign-in last used, by vault slot.
    crm_live: Mutex<Option<(String, Arc<onbehalf_salesforce::TokenProvider>)>>,
    /// This data folder's profile id, which namespaces its keyring entries.
    profile: String,
    sandbox: Mutex<Option<embedded::Embedded>>,
    is_sandbox: bool,
    config: Config,
    /// The roots every client trusts: the built-in ones, plus the configured CA file's.
    trust: Trust,
    sync_runtime: syncing::runtime::SyncRuntime,
    /// Where the sync's problems are told (none: they are only kept).
    notifier: std::sync::Mutex<Option<Arc<dyn onbehalf_engine::sync::notices::Notifier>>>,
    /// Wakes the watch for replies to offers.
    offer_wake: tokio::sync::Notify,
    /// The user's profile and the owners policy has them watch, learnt at most hourly.
    standing_cache: standing::StandingCache,
}

impl Onbehalf {
    /// Open the data folder and, with `--sandbox`, start the emulator in-process.
    pub async fn start(opts: &Options) -> Result<Onbehalf, ServiceError> {
        let mut config = Config::load(opts)?;
        let data_dir = config.data_dir.clone();
        let (store, profile) = blocking::blocking("opening the data folder", move || {
            std::fs::create_dir_all(&data_dir).map_err(|e| {
                ServiceError::new(
                    ErrorCode::Store,
                    format!(
                        "Could not create the data folder {}: {e}",
                        data_dir.display()
                    ),
                )
            })?;
            let store = Store::open(&data_dir.join("onbehalf.sqlite3"))?;
            let profile = store.settings().profile_id()?;
            Ok((Arc::new(store), profile))
        })
        .await?;
        let vault = TokenVault::new(
            SecretStore::new(KEYRING_SERVICE),
            config.data_dir.join(TOKENS_DIR),
            &profile,
        );
        let sandbox = match opts.sandbox {
            true => Some(
                embedded::Embedded::start(&config.data_dir.clone(), opts.sandbox_tls, &mut config)
                    .await?,
            ),
            false => None,
        };
        // After the sandbox, which may serve HTTPS under a CA of its own.
        let trust = config.trust()?;
        let endpoints = endpoints_of(&config, &trust);
        Ok(Onbehalf {
            endpoints,
            store,
            saved: saved::SavedSignIns::start(vault)?,
            live: Mutex::new(None),
            keyring: Arc::new(SecretStore::new(KEYRING_SERVICE)),
            crm_live: Mutex::new(None),
            profile,
            sandbox: Mutex::new(sandbox),
            is_sandbox: opts.sandbox,
            config,
            trust,
            sync_runtime: Default::default(),
            notifier: std::sync::Mutex::new(None),
            offer_wake: tokio::sync::Notify::new(),
            standing_cache: Default::default(),
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

    /// Finish writing saved sign-ins and stop the in-process sandbox, if any. Call it before
    /// the process exits, or the last rotated refresh token may not be kept.
    pub async fn shutdown(&self) {
        self.saved.flush().await;
        if let Some(sb) = self.sandbox.lock().await.take() {
            sb.shutdown().await;
        }
    }
}

fn endpoints_of(config: &Config, trust: &Trust) -> Result<Endpoints, ServiceError> {
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
        trust: trust.clone(),
    })
}
