//! Conflicts: items changed on both sides in the same fields since the last sync. One per
//! item, kept until the side the user chose has been written and the caller clears it.

use std::fmt;

use chrono::{DateTime, Utc};
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::owners::normalize_address;
use crate::store::{require_account, require_json, require_key, Store};

/// The side whose values win.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Resolution {
    /// Keep the calendar item's values; the CRM event takes them.
    Exchange,
    /// Keep the CRM event's values; the calendar item takes them.
    Crm,
}

impl Resolution {
    /// The spelling stored and sent: `exchange` or `crm`.
    pub fn as_str(self) -> &'static str {
        match self {
            Resolution::Exchange => "exchange",
            Resolution::Crm => "crm",
        }
    }
}

impl fmt::Display for Resolution {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl ToSql for Resolution {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.as_str()))
    }
}

impl FromSql for Resolution {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        match value.as_str()? {
            "exchange" => Ok(Resolution::Exchange),
            "crm" => Ok(Resolution::Crm),
            other => Err(FromSqlError::Other(
                format!("unknown conflict resolution {other:?}").into(),
            )),
        }
    }
}

/// One item's conflict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictRow {
    pub account_id: String,
    /// The address of the calendar's owner; stored lowercase, without surrounding white space.
    pub item_owner: String,
    /// The item's Graph immutable id.
    pub item_id: String,
    /// When these values were found in conflict.
    pub detected_at: DateTime<Utc>,
    /// JSON: per conflicting field, the Exchange value, the CRM value and the last synced one.
    pub fields: String,
    /// The side the user chose, once they chose.
    pub resolution: Option<Resolution>,
    pub resolved_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str = "account_id, item_owner, item_id, detected_at, fields, resolution, \
                       resolved_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<ConflictRow> {
    Ok(ConflictRow {
        account_id: r.get(0)?,
        item_owner: r.get(1)?,
        item_id: r.get(2)?,
        detected_at: r.get(3)?,
        fields: r.get(4)?,
        resolution: r.get(5)?,
        resolved_at: r.get(6)?,
    })
}

/// The `sync_conflicts` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncConflicts<'s> {
    store: &'s Store,
}

impl<'s> SyncConflicts<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncConflicts { store }
    }

    /// The account's conflicts the user has not settled yet, oldest first.
    pub fn open(&self, account_id: &str) -> Result<Vec<ConflictRow>, StoreError> {
        self.store.read("list the open conflicts", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_conflicts
                 WHERE account_id = ?1 AND resolution IS NULL
                 ORDER BY detected_at, item_owner, item_id"
            ))?;
            let rows = stmt.query_map([account_id], from_row)?;
            rows.collect()
        })
    }

    /// One item's conflict, settled or not.
    pub fn get(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
    ) -> Result<Option<ConflictRow>, StoreError> {
        let owner = normalize_address(item_owner);
        self.store.read("read the conflict", |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_conflicts
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3"
            ))?
            .query_row([account_id, owner.as_str(), item_id], from_row)
            .optional()
        })
    }

    /// Records the item's conflict. Raising it again with the same `fields` changes nothing,
    /// and keeps the user's choice; with other `fields` it is a new conflict: detected at `at`,
    /// and unsettled, since the choice was made between other values.
    pub fn raise(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
        fields: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        const STEP: &str = "save the conflict";
        let owner = normalize_address(item_owner);
        self.store.write(STEP, |tx| {
            require_key(STEP, "owner address", &owner)?;
            require_key(STEP, "item id", item_id)?;
            require_json(tx, STEP, "conflicting fields", fields)?;
            require_account(tx, account_id)?;
            tx.execute(
                &format!(
                    "INSERT INTO sync_conflicts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, NULL, NULL)
                     ON CONFLICT (account_id, item_owner, item_id) DO UPDATE SET
                        detected_at = excluded.detected_at, fields = excluded.fields,
                        resolution = NULL, resolved_at = NULL
                     WHERE sync_conflicts.fields IS NOT excluded.fields"
                ),
                rusqlite::params![account_id, owner, item_id, at, fields],
            )?;
            Ok(())
        })
    }

    /// Records the side the user chose (a later choice replaces an earlier one); returns
    /// whether the item had a conflict.
    pub fn resolve(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
        resolution: Resolution,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        let owner = normalize_address(item_owner);
        self.store.write("settle the conflict", |tx| {
            let updated = tx.execute(
                "UPDATE sync_conflicts SET resolution = ?4, resolved_at = ?5
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3",
                rusqlite::params![account_id, owner, item_id, resolution, at],
            )?;
            Ok(updated > 0)
        })
    }

    /// Forgets the open conflicts of items synced since they were found: a link written with
    /// a newer base means both sides agreed again (the user changed one side to match, or a
    /// later change was decided by the winner). Returns how many went.
    pub fn settle_synced(&self, account_id: &str) -> Result<usize, StoreError> {
        self.store.write("settle the conflicts synced since", |tx| {
            let removed = tx.execute(
                "DELETE FROM sync_conflicts
                 WHERE account_id = ?1 AND resolution IS NULL AND EXISTS (
                     SELECT 1 FROM sync_links l
                     WHERE l.account_id = sync_conflicts.account_id
                       AND l.item_owner = sync_conflicts.item_owner
                       AND l.item_id = sync_conflicts.item_id
                       AND l.synced_at > sync_conflicts.detected_at)",
                [account_id],
            )?;
            Ok(removed)
        })
    }

    /// Forgets the item's conflict, once the chosen side was written or the conflict went
    /// away; returns whether there was one.
    pub fn clear(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
    ) -> Result<bool, StoreError> {
        let owner = normalize_address(item_owner);
        self.store.write("clear the conflict", |tx| {
            let removed = tx.execute(
                "DELETE FROM sync_conflicts
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3",
                [account_id, owner.as_str(), item_id],
            )?;
            Ok(removed > 0)
        })
    }
}
