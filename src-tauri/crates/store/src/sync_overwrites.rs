//! What field-level merges overwrote: when both sides changed a field since the last sync, the
//! winner's value was kept and the other side's replaced. Kept per item, newest first, so the
//! user can see what was replaced, until they dismiss it.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::owners::normalize_address;
use crate::store::{require_account, require_json, require_key, Store};

/// How many notices are kept per item; older ones go as newer ones come.
pub const OVERWRITES_KEPT_PER_ITEM: u32 = 10;

/// One merge's notice of what it overwrote on one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverwriteRow {
    pub id: i64,
    pub account_id: String,
    /// The address of the calendar's owner; stored lowercase.
    pub item_owner: String,
    /// The item's Graph immutable id.
    pub item_id: String,
    pub decided_at: DateTime<Utc>,
    /// JSON: what the caller needs to show it (the fields, the values kept and overwritten).
    pub detail: String,
    pub dismissed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "id, account_id, item_owner, item_id, decided_at, detail, dismissed_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OverwriteRow> {
    Ok(OverwriteRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        item_owner: r.get(2)?,
        item_id: r.get(3)?,
        decided_at: r.get(4)?,
        detail: r.get(5)?,
        dismissed_at: r.get(6)?,
    })
}

/// The `sync_overwrites` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncOverwrites<'s> {
    store: &'s Store,
}

impl<'s> SyncOverwrites<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncOverwrites { store }
    }

    /// Keeps what a merge of the item overwrote. A notice equal to the item's newest one
    /// (the same merge recorded again after an interrupted cycle) adds nothing; returns
    /// whether a notice was added. Only the newest [`OVERWRITES_KEPT_PER_ITEM`] of an item
    /// are kept.
    pub fn record(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
        detail: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        const STEP: &str = "keep what a merge overwrote";
        let owner = normalize_address(item_owner);
        self.store.write(STEP, |tx| {
            require_key(STEP, "owner address", &owner)?;
            require_key(STEP, "item id", item_id)?;
            require_json(tx, STEP, "overwritten fields", detail)?;
            require_account(tx, account_id)?;
            let newest: Option<String> = tx
                .query_row(
                    "SELECT detail FROM sync_overwrites
                     WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3
                     ORDER BY decided_at DESC, id DESC LIMIT 1",
                    [account_id, owner.as_str(), item_id],
                    |r| r.get(0),
                )
                .optional()?;
            if newest.as_deref() == Some(detail) {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO sync_overwrites (account_id, item_owner, item_id, decided_at, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                rusqlite::params![account_id, owner, item_id, at, detail],
            )?;
            tx.execute(
                "DELETE FROM sync_overwrites
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3 AND id NOT IN (
                     SELECT id FROM sync_overwrites
                     WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3
                     ORDER BY decided_at DESC, id DESC LIMIT ?4)",
                rusqlite::params![account_id, owner, item_id, OVERWRITES_KEPT_PER_ITEM],
            )?;
            Ok(true)
        })
    }

    /// The account's notices the user has not dismissed, newest first.
    pub fn list(&self, account_id: &str) -> Result<Vec<OverwriteRow>, StoreError> {
        self.store.read("list what merges overwrote", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_overwrites
                 WHERE account_id = ?1 AND dismissed_at IS NULL
                 ORDER BY decided_at DESC, id DESC"
            ))?;
            let rows = stmt.query_map([account_id], from_row)?;
            rows.collect()
        })
    }

    /// The user has seen the notice: it is no longer listed. Returns whether the account had
    /// such a notice still listed.
    pub fn dismiss(
        &self,
        account_id: &str,
        id: i64,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.store.write("dismiss what a merge overwrote", |tx| {
            let updated = tx.execute(
                "UPDATE sync_overwrites SET dismissed_at = ?3
                 WHERE account_id = ?1 AND id = ?2 AND dismissed_at IS NULL",
                rusqlite::params![account_id, id, at],
            )?;
            Ok(updated > 0)
        })
    }
}
