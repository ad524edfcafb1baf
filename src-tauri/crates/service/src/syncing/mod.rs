//! Sharing and sync for the signed-in account: settings, the context of a cycle made from the
//! last refresh, one cycle, the scheduled loop, the items of a calendar with their share state,
//! share / unshare, and conflicts with what merges overwrote.

pub(crate) mod account_problems;
pub(crate) mod conflicts;
pub(crate) mod context;
pub(crate) mod items;
pub(crate) mod problems;
pub(crate) mod run;
pub(crate) mod runtime;
pub(crate) mod schedule;
pub(crate) mod settings;
pub(crate) mod share;
pub(crate) mod status;
pub(crate) mod tell;
