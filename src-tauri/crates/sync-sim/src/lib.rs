//! A deterministic, seeded simulation of the sync (`onbehalf-sync`): an executive's app and
//! two delegates' apps, each with its own store, over an in-memory Exchange and CRM that
//! implement the engine's ports with the documented APIs' semantics (immutable ids, change
//! keys and `If-Match`, a calendar delta with expiring tokens, folder permissions and private
//! items; CRM events with owners, versions, an upserting external id, a getUpdated/getDeleted
//! feed and record access). Random operations by people on both sides, by the apps and by the
//! environment (permission changes, busy services, expired sign-ins, crashes between any two
//! port calls) are applied one per step, and invariants are checked after every step and
//! whenever the world has been let settle.
//!
//! Invariants of the simulation itself: a run is a pure function of its seed and step count
//! (one seeded generator chooses the operations, another the faults; the clock is simulated;
//! the apps' work runs one piece at a time on a current-thread runtime), so any failure is
//! replayed exactly with `simulate --seed S --steps N`. The simulated services are emulators
//! held to the APIs' semantics, never shaped by what the sync happens to do.

mod apps;
mod crm;
mod exchange;
mod faults;
mod invariants;
mod items;
mod ops;
mod oracle;
mod people;
mod salesforce;
mod scenario;
mod sim;
mod stats;
mod trace;
mod world;

pub use apps::Config;
pub use crm::SimCrm;
pub use items::SimItems;
pub use people::AppId;
pub use people::MANAGER_CRM;
pub use salesforce::{CalendarAccess, EventRec};
pub use scenario::{NewItem, Scenario};
pub use sim::Sim;
pub use stats::Stats;
pub use trace::{Entry, Failure};
