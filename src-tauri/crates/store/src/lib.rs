//! Onbehalf's local store: one SQLite database per data folder holding the signed-in accounts
//! and their CRM sign-ins, the last known calendars with their permission, the owners added by
//! hand, settings, and the sync's state: the link of each shared item to its CRM event (like
//! vdirsyncer's status), the change-feed cursors, the outbox of what the user asked for, open
//! conflicts, events being created where the CRM keeps no item id, what merges overwrote, and the problems to tell the user about. It is the only
//! crate with SQL, and it depends on no other Onbehalf crate: its rows are its own plain types,
//! and what they hold as JSON text is the caller's to shape.
//!
//! Invariants: nothing secret is stored (no table has a column that could hold a token); every
//! call is one transaction, so a crash or a failed row never leaves a half-written state; writes
//! are upserts, so replaying one changes nothing; everything kept for an account goes with it
//! when it is removed; the schema only moves forward through the append-only migrations in
//! `migrations/`, and a database written by a newer release is refused rather than opened.

mod accounts;
mod calendars;
mod crm_accounts;
mod error;
mod migrations;
mod owners;
mod settings;
mod slot_offers;
mod store;
mod sync_conflicts;
mod sync_creating;
mod sync_cursors;
mod sync_links;
mod sync_outbox;
mod sync_overwrites;
mod sync_problems;

pub use accounts::{Account, Accounts};
pub use calendars::{CalendarRow, Calendars, ChangeKind, RoleChange};
pub use crm_accounts::{CrmAccount, CrmAccounts};
pub use error::{IoProblem, StoreError};
pub use migrations::SCHEMA_VERSION;
pub use owners::{normalize_address, AddedOwner, Owners};
pub use settings::Settings;
pub use slot_offers::{OfferRow, OfferState, SlotOffers};
pub use store::Store;
pub use sync_conflicts::{ConflictRow, Resolution, SyncConflicts};
pub use sync_creating::{CreatingRow, SyncCreating};
pub use sync_cursors::{CursorRow, SyncCursors};
pub use sync_links::{LinkRow, SyncLinks};
pub use sync_outbox::{OutboxRow, SyncOutbox};
pub use sync_overwrites::{OverwriteRow, SyncOverwrites, OVERWRITES_KEPT_PER_ITEM};
pub use sync_problems::{
    item_subject, ProblemRow, RaiseOutcome, SyncProblems, ACCOUNT_SUBJECT, ITEM_SUBJECT_PREFIX,
};
