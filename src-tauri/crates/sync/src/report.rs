//! What a cycle did, for the user and for `onbehalf sync --json`.

use serde::Serialize;

/// What one cycle read, wrote and found.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Report {
    /// Items read from Exchange and events read from the CRM.
    pub exchange_items_read: usize,
    pub crm_events_read: usize,
    /// Writes to each side.
    pub exchange_writes: usize,
    pub crm_writes: usize,
    /// What happened to shared items.
    pub shared: usize,
    pub updated_in_crm: usize,
    pub updated_in_exchange: usize,
    /// Events made in the CRM that came into Outlook.
    pub created_in_exchange: usize,
    pub unlinked: usize,
    pub deleted_in_crm: usize,
    pub conflicts: usize,
    /// Problems found this cycle (each also kept in the store).
    pub problems: usize,
    /// Pairs left for the next cycle because a side was busy or changed under the write.
    pub deferred: usize,
    /// Said to the user (e.g. an event deleted in the CRM and its meeting unlinked).
    pub notices: Vec<String>,
    /// In preview mode, what would be done, per kind of step.
    pub planned: std::collections::BTreeMap<String, usize>,
}
