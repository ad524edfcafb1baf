//! Sharing calendar items into the CRM and keeping them in sync: the items as the engine sees
//! them (neither Graph's nor a CRM's types), the Exchange side's port for items, the marks
//! Onbehalf keeps on an item, field hashes for change detection and the field-level merge, the
//! pure planner over (Exchange item, CRM event, last synced state), the share protocol and the
//! settling of a conflict by the side the user keeps.
//!
//! Invariants: no I/O here; the planner is total over its inputs, each case a labelled arm,
//! and gives the same actions for the same inputs; nothing is ever deleted on either side
//! because the other side looks empty, only on proof of a deletion.

pub mod account;
pub mod hash;
pub mod incoming;
pub mod marks;
pub mod merge;
pub mod model;
pub mod notice_kinds;
pub mod notices;
pub mod plan;
pub mod port;
pub mod resolve;
pub mod share;
pub mod view;
