//! The sync of one Microsoft 365 account with its CRM. A cycle reads both sides through the
//! engine's ports (`ItemSource`, `Crm`), pairs each Exchange item with its CRM event, plans each
//! pair with the engine's pure planner, performs the steps, and records each result in the store
//! in its own transaction. The user's intents (share, unshare) are kept in the store before they
//! are acted on.
//!
//! Invariants: the link on the Exchange item and the external id on the CRM event are the truth;
//! the store is a status cache that only moves forward after the write it records succeeded; a
//! cursor advances only when every pair it covered was handled, so a failure is retried, never
//! lost; a crash between any two steps resumes with neither loss nor duplicate (a CRM event made
//! for an item is found by its external id and relinked); nothing is deleted on either side
//! without proof of a deletion on the other; no store call runs on an async worker.

mod context;
mod cycle;
mod db;
mod error;
mod execute;
mod intents;
mod report;
mod words;

pub use context::{Calendar, Context, Settings};
pub use cycle::{run_cycle, Mode};
pub use error::SyncError;
pub use intents::{share, unshare, ShareDone};
pub use report::Report;
pub use words::problem_view;
