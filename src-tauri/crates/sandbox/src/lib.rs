//! An emulator of the Microsoft identity platform v2.0 and of the Microsoft Graph v1.0 calendar
//! endpoints Onbehalf uses, serving the Contoso demo organisation on 127.0.0.1, with faults on
//! demand. Tests, `--sandbox` and `onbehalf sandbox` all run this same server. The executive's
//! own Onbehalf is simulated too: it publishes her status record, sealed to each grantee who
//! published a key, whenever that or her grants change.
//!
//! Invariants: behaviour follows the documented APIs, never a particular client, and where the
//! documentation is silent the choice is marked "Assumption:" where it is made; every Graph
//! call is authorised by a bearer token this server issued, unexpired, whose scopes include
//! what the call's documented permission table asks for; permissions are enforced from the
//! classic Exchange role of each grant (and the private-items flag kept beside it), and Graph
//! only ever shows the documented projection of it; ids are opaque and bound to one mailbox;
//! the seed is built from [`demo_org`] alone and, but for the executive's record keys, is the
//! same for the same start date; with a state file, every change is on disk (atomically)
//! before the answer leaves, and a file of an older format is replaced by the seed. Secrets
//! (codes, tokens, verifiers) are kept hashed and never logged.

// The event JSON literal is deeper than serde_json's macro allows by default.
#![recursion_limit = "256"]

mod control;
mod error;
mod extprops;
mod faults;
mod graph;
mod identity;
mod ids;
mod onbehalf;
mod org;
mod roles;
mod scopes;
mod seed;
mod server;
mod state;
mod tz;

use std::net::{Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use chrono::Utc;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

pub use error::SandboxError;
pub use faults::{FaultSettings, Faults};
pub use org::{demo_org, DemoCalendar, DemoGrant, DemoOrg, DemoUser, Reach, ReachableCalendar};
pub use roles::ExchangeRole;

/// The application (client) id of Onbehalf as registered in the demo tenant.
pub const CLIENT_ID: &str = "7c1e2d4a-5b6f-4e8a-9c0d-1e2f3a4b5c6d";
/// The Contoso demo tenant id.
pub const TENANT_ID: &str = "b3e1f0a2-6c4d-4e8f-9a1b-2c3d4e5f6a7b";

/// How to start a sandbox.
#[derive(Debug, Clone)]
pub struct SandboxOptions {
    /// Keep the state in this file (loaded at start when present, saved after every change).
    pub state_file: Option<PathBuf>,
    /// Lifetime of access tokens.
    pub token_lifetime: Duration,
    /// Port on 127.0.0.1; 0 picks a free one.
    pub port: u16,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            state_file: None,
            token_lifetime: Duration::from_secs(3600),
            port: 0,
        }
    }
}

/// What every handler shares.
pub(crate) struct Shared {
    pub store: Arc<state::Store>,
    pub faults: Faults,
    /// `http://127.0.0.1:PORT`
    pub base_url: String,
    pub token_lifetime: Duration,
}

impl Shared {
    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.base_url)
    }
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    faults: Faults,
    shutdown: watch::Sender<bool>,
    task: JoinHandle<()>,
}

impl Sandbox {
    /// Bind 127.0.0.1, load or seed the state and start serving.
    pub async fn start(opts: SandboxOptions) -> Result<Sandbox, SandboxError> {
        let loaded = match &opts.state_file {
            Some(path) => state::Store::load(path)?,
            None => None,
        };
        let fresh = loaded.is_none();
        let state = loaded.unwrap_or_else(|| seed::seed(Utc::now()));
        let store = Arc::new(state::Store::new(state, opts.state_file.clone()));
        if fresh {
            let state = store.lock();
            store.save(&state)?;
        }
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, opts.port))
            .await
            .map_err(|source| SandboxError::Bind {
                port: opts.port,
                source,
            })?;
        let addr = listener.local_addr().map_err(|source| SandboxError::Bind {
            port: opts.port,
            source,
        })?;
        let faults = Faults::new(store.clone());
        let shared = Arc::new(Shared {
            store,
            faults: faults.clone(),
            base_url: format!("http://{addr}"),
            token_lifetime: opts.token_lifetime,
        });
        let app: Router = Router::new()
            .merge(identity::routes())
            .merge(graph::routes())
            .merge(control::routes())
            .with_state(shared);
        let (shutdown, rx) = watch::channel(false);
        let task = server::spawn(listener, app, rx);
        tracing::info!(%addr, "sandbox listening");
        Ok(Sandbox {
            addr,
            faults,
            shutdown,
            task,
        })
    }

    /// `http://127.0.0.1:PORT`
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// `http://127.0.0.1:PORT/{tenant id}`, the counterpart of
    /// `https://login.microsoftonline.com/{tenant}`.
    pub fn authority(&self) -> String {
        format!("{}/{TENANT_ID}", self.base_url())
    }

    /// `http://127.0.0.1:PORT/v1.0`
    pub fn graph_url(&self) -> String {
        format!("{}/v1.0", self.base_url())
    }

    pub fn client_id(&self) -> &'static str {
        CLIENT_ID
    }

    pub fn faults(&self) -> Faults {
        self.faults.clone()
    }

    /// Stop serving and close every connection.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        if let Err(e) = self.task.await {
            tracing::warn!(error = %e, "the sandbox server task ended abnormally");
        }
    }
}

/// Serve until Ctrl-C, then shut down. Prints nothing; the caller shows the URLs.
pub async fn run_standalone(opts: SandboxOptions) -> Result<(), SandboxError> {
    let sandbox = Sandbox::start(opts).await?;
    let waited = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    waited.map_err(SandboxError::Signal)
}
