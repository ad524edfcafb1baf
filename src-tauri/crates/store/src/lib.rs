//! Onbehalf's local store: one SQLite database per data folder holding the signed-in accounts
//! and their CRM sign-ins, the last known calendars with their permission, the owners added by
//! hand, and settings. It
//! is the only crate with SQL, and it depends on no other Onbehalf crate: its rows are its own
//! plain types.
//!
//! Invariants: nothing secret is stored (no table has a column that could hold a token); every
//! call is one transaction, so a crash or a failed row never leaves a half-written state; writes
//! are upserts, so replaying one changes nothing; the schema only moves forward through the
//! append-only migrations in `migrations/`, and a database written by a newer release is
//! refused rather than opened.

mod accounts;
mod calendars;
mod crm_accounts;
mod error;
mod migrations;
mod owners;
mod settings;
mod store;

pub use accounts::{Account, Accounts};
pub use calendars::{CalendarRow, Calendars, ChangeKind, RoleChange};
pub use crm_accounts::{CrmAccount, CrmAccounts};
pub use error::{IoProblem, StoreError};
pub use migrations::SCHEMA_VERSION;
pub use owners::{normalize_address, AddedOwner, Owners};
pub use settings::Settings;
pub use store::Store;
