//! The last known list of reachable calendars with their permission: shown at once on start,
//! and compared with each new list to tell the user when their access changed.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, TxError};
use crate::owners::normalize_address;
use crate::store::{require_account, Store};

/// One calendar as the caller last saw it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarRow {
    /// Stored lowercase, without surrounding white space.
    pub owner_address: String,
    /// The caller's stable key for this calendar, unique per owner.
    pub calendar_key: String,
    pub name: String,
    /// The whole entry as the caller serialises it; must be valid JSON.
    pub entry_json: String,
    /// Graph `calendarRoleType` name, when known.
    pub graph_role: Option<String>,
    /// Where the permission came from (for example `published` or `inferred`).
    pub source: String,
    pub seen_at: DateTime<Utc>,
}

/// How one calendar's reach changed between two lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// In the new list only.
    Appeared,
    /// In the stored list only.
    Vanished,
    /// In both, with a different role.
    RoleChanged,
}

/// A change worth telling the user: "your access to X changed".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleChange {
    pub owner_address: String,
    pub calendar_key: String,
    pub kind: ChangeKind,
    pub before: Option<String>,
    pub after: Option<String>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<CalendarRow> {
    Ok(CalendarRow {
        owner_address: r.get(0)?,
        calendar_key: r.get(1)?,
        name: r.get(2)?,
        entry_json: r.get(3)?,
        graph_role: r.get(4)?,
        source: r.get(5)?,
        seen_at: r.get(6)?,
    })
}

/// The `calendars` table.
#[derive(Debug, Clone, Copy)]
pub struct Calendars<'s> {
    store: &'s Store,
}

impl<'s> Calendars<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        Calendars { store }
    }

    /// Replaces the account's whole list in one transaction: a failure on any row leaves the
    /// previous list exactly as it was.
    pub fn replace_all(&self, account_id: &str, rows: &[CalendarRow]) -> Result<(), StoreError> {
        const STEP: &str = "save the calendar list";
        self.store.write(STEP, |tx| {
            require_account(tx, account_id)?;
            tx.execute("DELETE FROM calendars WHERE account_id = ?1", [account_id])?;
            let mut insert = tx.prepare_cached(
                "INSERT INTO calendars (account_id, owner_address, calendar_key, name,
                     entry_json, graph_role, source, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
            )?;
            for row in rows {
                if row.calendar_key.is_empty() {
                    return Err(TxError::Store(StoreError::Empty {
                        step: STEP,
                        field: "calendar key",
                    }));
                }
                insert.execute(rusqlite::params![
                    account_id,
                    normalize_address(&row.owner_address),
                    row.calendar_key,
                    row.name,
                    row.entry_json,
                    row.graph_role,
                    row.source,
                    row.seen_at,
                ])?;
            }
            tracing::debug!(count = rows.len(), "saved the calendar list");
            Ok(())
        })
    }

    /// The account's stored list, by owner address then calendar key.
    pub fn list(&self, account_id: &str) -> Result<Vec<CalendarRow>, StoreError> {
        self.store.read("read the calendar list", |c| {
            let mut stmt = c.prepare_cached(
                "SELECT owner_address, calendar_key, name, entry_json, graph_role, source,
                        seen_at
                 FROM calendars WHERE account_id = ?1
                 ORDER BY owner_address, calendar_key",
            )?;
            let rows = stmt.query_map([account_id], from_row)?;
            rows.collect()
        })
    }

    /// What differs between the stored list and `new` by role: calendars that appeared,
    /// vanished, or whose role changed, ordered by owner address then calendar key. Other
    /// fields (name, source, time seen) are not changes of access.
    pub fn changes(
        &self,
        account_id: &str,
        new: &[CalendarRow],
    ) -> Result<Vec<RoleChange>, StoreError> {
        let stored = self.list(account_id)?;
        Ok(diff(&stored, new))
    }
}

type Key = (String, String);

fn by_key(rows: &[CalendarRow]) -> BTreeMap<Key, Option<&str>> {
    rows.iter()
        .map(|r| {
            (
                (normalize_address(&r.owner_address), r.calendar_key.clone()),
                r.graph_role.as_deref(),
            )
        })
        .collect()
}

fn diff(stored: &[CalendarRow], new: &[CalendarRow]) -> Vec<RoleChange> {
    let before = by_key(stored);
    let after = by_key(new);
    let mut keys: Vec<&Key> = before.keys().chain(after.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter_map(|key| {
            let kind = match (before.get(key), after.get(key)) {
                (None, None) => return None,
                (None, Some(_)) => ChangeKind::Appeared,
                (Some(_), None) => ChangeKind::Vanished,
                (Some(b), Some(a)) if b == a => return None,
                (Some(_), Some(_)) => ChangeKind::RoleChanged,
            };
            Some(RoleChange {
                owner_address: key.0.clone(),
                calendar_key: key.1.clone(),
                kind,
                before: before.get(key).copied().flatten().map(str::to_string),
                after: after.get(key).copied().flatten().map(str::to_string),
            })
        })
        .collect()
}
