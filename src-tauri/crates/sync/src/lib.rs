//! The sync of one Microsoft 365 account with its CRM. A cycle reads both sides through the
//! engine's ports (`ItemSource`, `Crm`), pairs each Exchange item with its CRM event, plans each
//! pair with the engine's pure planner, performs the steps, and records each result in the store
//! in its own transaction. The user's intents (share, unshare, the side kept in a conflict) are
//! kept in the store before they are acted on; what merges overwrote is kept for the user to
//! see.
//!
//! Invariants: the link on the Exchange item and the external id on the CRM event are the truth;
//! the store is a status cache that only moves forward after the write it records succeeded; a
//! cursor advances only when every pair it covered was handled, so a failure is retried, never
//! lost; a crash between any two steps resumes with neither loss nor duplicate (a CRM event made
//! for an item is found by its external id and relinked; where the CRM keeps no such id, by the
//! creation noted before it was sent); nothing is deleted on either side
//! without proof of a deletion on the other; no store call runs on an async worker.

mod conflicts;
mod context;
mod cycle;
mod db;
mod direct;
mod error;
mod execute;
mod intents;
mod item_ids;
mod made;
mod overwrites;
mod refusals;
mod report;
mod resolve;
mod waves;
mod words;

pub use conflicts::{
    conflicts, Choice, ConflictView, ConflictsView, FieldValues, OverwriteView, When,
};
pub use context::{Calendar, Context, Settings};
pub use cycle::{run_cycle, Mode};
pub use error::SyncError;
pub use intents::{share, unshare, ShareDone};
pub use overwrites::field_name;
pub use report::Report;
pub use resolve::{resolve, Resolved};
pub use words::problem_view;
