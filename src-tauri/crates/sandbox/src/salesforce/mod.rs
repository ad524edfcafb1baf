//! An emulator of the Salesforce REST API and OAuth endpoints for the demo's CRM. The login
//! host (`salesforce_login_url`) serves OAuth and the identity URL; each org's instance is a
//! different origin (its own loopback listener, as a My Domain is its own host) serving
//! `/services/data`. A session is valid only on its own org's instance.
//!
//! Invariants: shapes and errors follow the REST API Developer Guide and the Object
//! Reference, never a client; where they are silent the choice is marked "Assumption:";
//! record access is decided in [`access`] alone and every read, write and
//! `UserRecordAccess` answer goes through it; codes and tokens are kept only as hashes.

mod access;
mod control;
mod derive;
mod faults;
pub(crate) mod ids;
mod names;
mod oauth;
mod objects;
mod rest;
mod schema;
pub(crate) mod seed;
mod values;
pub(crate) mod world;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;

use crate::origin::Origin;
use crate::Shared;
pub(crate) use control::routes as control_routes;
pub use faults::{SalesforceCounts, SalesforceFaultSettings, SalesforceFaults};

/// The consumer key of Onbehalf's connected app in the demo orgs.
pub const SALESFORCE_CLIENT_ID: &str =
    "3MVG9Onbehalf.Sandbox.Contoso.CRM.Package.7c1e2d4a5b6f4e8a9c0d1e2f3a4b5c6d_Desktop";
/// The consumer secret the token response's `signature` is made with. Onbehalf is a public
/// client and never sends it; it is here so that a test can check a signature.
pub const SALESFORCE_CONSUMER_SECRET: &str = "ONBEHALF-SANDBOX-CONSUMER-SECRET-NOT-A-SECRET";

/// What the Salesforce endpoints share at run time.
pub(crate) struct Runtime {
    /// Each org's id and instance address.
    pub instances: Vec<(String, SocketAddr)>,
    pub session_lifetime: Duration,
    pub faults: SalesforceFaults,
    pub cursors: Mutex<rest::Cursors>,
}

impl Runtime {
    pub fn new(
        instances: Vec<(String, SocketAddr)>,
        session_lifetime: Duration,
        faults: SalesforceFaults,
    ) -> Runtime {
        Runtime {
            instances,
            session_lifetime,
            faults,
            cursors: Mutex::new(rest::Cursors::default()),
        }
    }

    /// An org's instance URL as seen by a client that reached the login host at `origin`:
    /// the same scheme and host, the instance's own port.
    pub fn instance_url(&self, org: &str, origin: &Origin) -> Option<String> {
        self.instances
            .iter()
            .find(|(id, _)| id == org)
            .map(|(_, addr)| origin.with_port(addr.port()))
    }
}

/// One org's instance host.
pub(crate) struct Instance {
    pub shared: Arc<Shared>,
    pub org: String,
}

/// The login host's routes.
pub(crate) fn login_routes() -> Router<Arc<Shared>> {
    oauth::routes()
}

/// An instance host's routes.
pub(crate) fn instance_routes() -> Router<Arc<Instance>> {
    rest::routes()
}
