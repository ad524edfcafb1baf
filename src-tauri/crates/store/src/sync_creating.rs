//! Events whose creation was sent to a CRM that keeps no Exchange item id on its events, kept
//! until the item is linked (remembering the link ends the row, by a trigger in the same
//! statement). After a crash or a lost answer, the caller looks for the event among those the
//! user made since the row was written, instead of making a second one.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::{require_account, require_key, Store};

/// One event's creation, sent and not yet linked to its item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatingRow {
    pub account_id: String,
    /// Lowercase, as `normalize_address` spells it.
    pub item_owner: String,
    pub item_id: String,
    /// The CRM user whose calendar the event goes on.
    pub crm_owner_id: String,
    pub subject: String,
    /// The event's start as the caller spells it.
    pub starts: String,
    pub sent_at: DateTime<Utc>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<CreatingRow> {
    Ok(CreatingRow {
        account_id: r.get(0)?,
        item_owner: r.get(1)?,
        item_id: r.get(2)?,
        crm_owner_id: r.get(3)?,
        subject: r.get(4)?,
        starts: r.get(5)?,
        sent_at: r.get(6)?,
    })
}

/// The `sync_creating` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncCreating<'s> {
    store: &'s Store,
}

impl<'s> SyncCreating<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncCreating { store }
    }

    /// Keeps these creations (one transaction), each replacing an earlier one of its item.
    pub fn record_many(&self, rows: &[CreatingRow]) -> Result<(), StoreError> {
        const STEP: &str = "note the events being created";
        self.store.write(STEP, |tx| {
            let mut insert = tx.prepare_cached(
                "INSERT INTO sync_creating (account_id, item_owner, item_id, crm_owner_id,
                                            subject, starts, sent_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (account_id, item_owner, item_id) DO UPDATE SET
                    crm_owner_id = excluded.crm_owner_id, subject = excluded.subject,
                    starts = excluded.starts, sent_at = excluded.sent_at",
            )?;
            let mut accounts_seen: Vec<&str> = Vec::new();
            for row in rows {
                require_key(STEP, "item id", &row.item_id)?;
                require_key(STEP, "CRM owner", &row.crm_owner_id)?;
                if !accounts_seen.contains(&row.account_id.as_str()) {
                    require_account(tx, &row.account_id)?;
                    accounts_seen.push(&row.account_id);
                }
                insert.execute(rusqlite::params![
                    row.account_id,
                    crate::normalize_address(&row.item_owner),
                    row.item_id,
                    row.crm_owner_id,
                    row.subject,
                    row.starts,
                    row.sent_at,
                ])?;
            }
            Ok(())
        })
    }

    /// The account's creations not yet linked, oldest first.
    pub fn list(&self, account_id: &str) -> Result<Vec<CreatingRow>, StoreError> {
        self.store.read("read the events being created", |c| {
            c.prepare_cached(
                "SELECT account_id, item_owner, item_id, crm_owner_id, subject, starts, sent_at
                 FROM sync_creating WHERE account_id = ?1 ORDER BY sent_at, item_owner, item_id",
            )?
            .query_map([account_id], from_row)?
            .collect()
        })
    }

    /// Forgets these items' creations (refused, or not made after all); returns how many
    /// there were.
    pub fn forget(
        &self,
        account_id: &str,
        items: &[(String, String)],
    ) -> Result<usize, StoreError> {
        self.store.write("forget events being created", |tx| {
            let mut delete = tx.prepare_cached(
                "DELETE FROM sync_creating
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3",
            )?;
            let mut removed = 0;
            for (owner, id) in items {
                removed += delete.execute(rusqlite::params![
                    account_id,
                    crate::normalize_address(owner),
                    id
                ])?;
            }
            Ok(removed)
        })
    }

    /// Forgets creations sent before `before` (their items long gone or shared another way);
    /// returns how many.
    pub fn forget_sent_before(
        &self,
        account_id: &str,
        before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.store.write("forget old events being created", |tx| {
            Ok(tx.execute(
                "DELETE FROM sync_creating WHERE account_id = ?1 AND sent_at < ?2",
                rusqlite::params![account_id, before],
            )?)
        })
    }
}
