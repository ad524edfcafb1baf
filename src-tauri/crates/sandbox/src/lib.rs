//! An emulator of the Microsoft identity platform v2.0 and of the Microsoft Graph v1.0 calendar,
//! mail and group-membership endpoints Onbehalf uses, and of Salesforce (its OAuth login host and each org's
//! REST instance, on origins of their own), serving the Contoso demo organisation on
//! 127.0.0.1, with faults on demand. Tests, `--sandbox` and `onbehalf sandbox` all run this
//! same server. Nothing ever leaves it: the meeting messages Exchange would send for a write
//! (invitations, updates, cancellations) are counted per mailbox instead, so a test can tell
//! whether a client mailed anyone ([`Faults::meeting_mail`]); mail sent through Graph lands in
//! the Inbox of each recipient inside the organisation and is logged for those outside
//! ([`Faults::outbound_mail`]); mail from outside arrives on demand ([`Faults::deliver_mail`]).
//! The executive's own Onbehalf is simulated too: it publishes her status record, sealed to
//! each grantee who published a key, whenever that or her grants change.
//!
//! Invariants: behaviour follows the documented APIs, never a particular client, and where the
//! documentation is silent the choice is marked "Assumption:" where it is made; every Graph
//! call is authorised by a bearer token this server issued, unexpired, whose scopes include
//! what the call's documented permission table asks for; permissions are enforced from the
//! classic Exchange role of each grant (and the private-items flag kept beside it), and Graph
//! only ever shows the documented projection of it; mail goes out from another mailbox only
//! with Send on Behalf there (its Send on Behalf list, or a delegate role, as Outlook grants
//! it); ids are opaque and bound to one mailbox;
//! the seed is built from [`demo_org`] alone and, but for the executive's record keys, is the
//! same for the same start date; with a state file, every change is on disk (atomically)
//! before the answer leaves, and a file of an older format is replaced by the seed. Secrets
//! (codes, tokens, verifiers) are kept hashed and never logged. The Salesforce API usage
//! count is the one thing held in memory only.

// The event JSON literal is deeper than serde_json's macro allows by default.
#![recursion_limit = "256"]

mod control;
mod error;
mod extprops;
mod faults;
mod graph;
mod identity;
mod ids;
mod mailbox;
mod nesting;
mod onbehalf;
mod org;
mod origin;
mod roles;
mod salesforce;
mod scopes;
mod seed;
mod server;
mod state;
mod tls;
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
pub use faults::{FaultSettings, Faults, GraphCounts};
pub use graph::MeetingMail;
pub use mailbox::{InboundMail, MailAddress, MailBody, MailError, OutboundMail};
pub use org::{
    demo_org, ActivitySharing, CalendarAccess, DemoCalendar, DemoCalendarShare, DemoCrmOrg,
    DemoCrmUser, DemoGrant, DemoGroup, DemoOrg, DemoPermissionSet, DemoRole, DemoUser, Reach,
    ReachableCalendar,
};
pub use roles::ExchangeRole;
pub use salesforce::{
    SalesforceCounts, SalesforceFaultSettings, SalesforceFaults, SALESFORCE_CLIENT_ID,
    SALESFORCE_CONSUMER_SECRET,
};

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
    /// Port on 127.0.0.1; 0 picks a free one. The Salesforce login host and instances
    /// listen on free ports of their own.
    pub port: u16,
    /// Lifetime of Salesforce sessions (access tokens).
    pub salesforce_session_lifetime: Duration,
    /// Port of the Salesforce login host on 127.0.0.1, each org's instance taking the ports
    /// after it; 0 picks free ones.
    pub salesforce_port: u16,
    /// Serve HTTPS, with the local CA kept in this folder (made there the first time).
    pub tls_folder: Option<PathBuf>,
    /// The `interval` a device code answer asks clients to poll at (Entra's is 5 seconds;
    /// a test may ask for less).
    pub device_code_interval: Duration,
}

impl Default for SandboxOptions {
    fn default() -> Self {
        SandboxOptions {
            state_file: None,
            token_lifetime: Duration::from_secs(3600),
            port: 0,
            salesforce_session_lifetime: Duration::from_secs(2 * 3600),
            salesforce_port: 0,
            tls_folder: None,
            device_code_interval: Duration::from_secs(5),
        }
    }
}

/// What every handler shares.
pub(crate) struct Shared {
    pub store: Arc<state::Store>,
    pub faults: Faults,
    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` over TLS: the origin of links made
    /// outside any request. Links in answers follow the request's [`origin::Origin`].
    pub base_url: String,
    pub token_lifetime: Duration,
    pub device_code_interval: Duration,
    pub salesforce: salesforce::Runtime,
}

/// A running sandbox.
pub struct Sandbox {
    addr: SocketAddr,
    /// The local CA's certificate, when serving HTTPS.
    ca_file: Option<PathBuf>,
    salesforce_login: SocketAddr,
    /// Each Salesforce org's id and instance address, Contoso's first.
    salesforce_instances: Vec<(String, SocketAddr)>,
    faults: Faults,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

async fn bind(port: u16) -> Result<(TcpListener, SocketAddr), SandboxError> {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, port))
        .await
        .map_err(|source| SandboxError::Bind { port, source })?;
    let addr = listener
        .local_addr()
        .map_err(|source| SandboxError::Bind { port, source })?;
    Ok((listener, addr))
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
        let tls = match &opts.tls_folder {
            Some(folder) => Some(tls::LocalTls::prepare(folder)?),
            None => None,
        };
        let acceptor = tls.as_ref().map(|t| t.acceptor.clone());
        let (listener, addr) = bind(opts.port).await?;
        // The login host and each org's instance are origins of their own, as in real orgs.
        let (login_listener, salesforce_login) = bind(opts.salesforce_port).await?;
        let org_ids: Vec<String> = store.lock().crm.orgs.iter().map(|o| o.id.clone()).collect();
        let mut instance_listeners = Vec::new();
        for (i, org) in (1u16..).zip(org_ids) {
            let port = match opts.salesforce_port {
                0 => 0,
                first => first.saturating_add(i),
            };
            let (l, a) = bind(port).await?;
            instance_listeners.push((org, l, a));
        }
        let salesforce_instances: Vec<(String, SocketAddr)> = instance_listeners
            .iter()
            .map(|(org, _, a)| (org.clone(), *a))
            .collect();
        let faults = Faults::new(store.clone());
        let https = tls.is_some();
        let runtime = salesforce::Runtime::new(
            salesforce_instances.clone(),
            opts.salesforce_session_lifetime,
            faults.salesforce(),
        );
        let shared = Arc::new(Shared {
            store,
            faults: faults.clone(),
            base_url: origin_of(addr, https),
            token_lifetime: opts.token_lifetime,
            device_code_interval: opts.device_code_interval,
            salesforce: runtime,
        });
        let app: Router = Router::new()
            .merge(identity::routes())
            .merge(graph::routes())
            .merge(control::routes())
            .with_state(shared.clone());
        let (shutdown, rx) = watch::channel(false);
        let mut tasks = vec![server::spawn(listener, app, acceptor.clone(), rx.clone())];
        let login: Router = salesforce::login_routes().with_state(shared.clone());
        tasks.push(server::spawn(
            login_listener,
            login,
            acceptor.clone(),
            rx.clone(),
        ));
        for (org, listener, _) in instance_listeners {
            let instance = Arc::new(salesforce::Instance {
                shared: shared.clone(),
                org,
            });
            let app: Router = salesforce::instance_routes().with_state(instance);
            tasks.push(server::spawn(listener, app, acceptor.clone(), rx.clone()));
        }
        tracing::info!(%addr, %salesforce_login, "sandbox listening");
        Ok(Sandbox {
            addr,
            ca_file: tls.map(|t| t.ca_file),
            salesforce_login,
            salesforce_instances,
            faults,
            shutdown,
            tasks,
        })
    }

    /// `http://127.0.0.1:PORT`, or `https://localhost:PORT` over TLS.
    pub fn base_url(&self) -> String {
        origin_of(self.addr, self.ca_file.is_some())
    }

    /// The local CA's certificate file (PEM), when serving HTTPS: what a client trusts.
    pub fn ca_file(&self) -> Option<&std::path::Path> {
        self.ca_file.as_deref()
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

    /// `http://127.0.0.1:PORT` of the Salesforce login host (the counterpart of
    /// `https://login.salesforce.com`): OAuth and identity URLs.
    pub fn salesforce_login_url(&self) -> String {
        origin_of(self.salesforce_login, self.ca_file.is_some())
    }

    /// The consumer key of Onbehalf's connected app in the demo orgs.
    pub fn salesforce_client_id(&self) -> &'static str {
        SALESFORCE_CLIENT_ID
    }

    /// `http://127.0.0.1:PORT` of Contoso's Salesforce instance (its My Domain), which the
    /// token response names as `instance_url`.
    pub fn salesforce_instance_url(&self) -> String {
        self.salesforce_instances
            .first()
            .map(|(_, a)| origin_of(*a, self.ca_file.is_some()))
            .unwrap_or_default()
    }

    /// The instance URL of a demo org by its id (`00D...`).
    pub fn salesforce_instance_url_for(&self, org_id: &str) -> Option<String> {
        self.salesforce_instances
            .iter()
            .find(|(id, _)| id == org_id)
            .map(|(_, a)| origin_of(*a, self.ca_file.is_some()))
    }

    /// The Salesforce side's faults and admin actions.
    pub fn salesforce_faults(&self) -> SalesforceFaults {
        self.faults.salesforce()
    }

    /// Stop serving and close every connection.
    pub async fn shutdown(self) {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            if let Err(e) = task.await {
                tracing::warn!(error = %e, "a sandbox server task ended abnormally");
            }
        }
    }
}

/// `http://127.0.0.1:PORT`, or `https://localhost:PORT` (the name the certificate holds).
fn origin_of(addr: SocketAddr, https: bool) -> String {
    match https {
        true => format!("https://localhost:{}", addr.port()),
        false => format!("http://{addr}"),
    }
}

/// Serve until Ctrl-C, then shut down. Prints nothing; the caller shows the URLs.
pub async fn run_standalone(opts: SandboxOptions) -> Result<(), SandboxError> {
    let sandbox = Sandbox::start(opts).await?;
    let waited = tokio::signal::ctrl_c().await;
    sandbox.shutdown().await;
    waited.map_err(SandboxError::Signal)
}
