//! Where each change feed was last read (a Graph delta link, a CRM's updated and deleted
//! cursors), so an interrupted sync resumes instead of reading everything again.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::{require_account, require_key, Store};

/// One named cursor of one account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CursorRow {
    pub account_id: String,
    /// The caller's name for the feed, such as the own calendar's delta link.
    pub name: String,
    /// Opaque to the store: a link, a time, an id.
    pub value: String,
    pub updated_at: DateTime<Utc>,
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<CursorRow> {
    Ok(CursorRow {
        account_id: r.get(0)?,
        name: r.get(1)?,
        value: r.get(2)?,
        updated_at: r.get(3)?,
    })
}

/// The `sync_cursors` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncCursors<'s> {
    store: &'s Store,
}

impl<'s> SyncCursors<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncCursors { store }
    }

    /// The cursor, if one was kept.
    pub fn get(&self, account_id: &str, name: &str) -> Result<Option<CursorRow>, StoreError> {
        self.store.read("read the sync cursor", |c| {
            c.prepare_cached(
                "SELECT account_id, name, value, updated_at FROM sync_cursors
                 WHERE account_id = ?1 AND name = ?2",
            )?
            .query_row([account_id, name], from_row)
            .optional()
        })
    }

    /// Keeps the cursor's new value, replacing the one it had.
    pub fn set(
        &self,
        account_id: &str,
        name: &str,
        value: &str,
        at: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        const STEP: &str = "save the sync cursor";
        self.store.write(STEP, |tx| {
            require_key(STEP, "cursor name", name)?;
            require_account(tx, account_id)?;
            tx.execute(
                "INSERT INTO sync_cursors (account_id, name, value, updated_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (account_id, name) DO UPDATE SET
                    value = excluded.value, updated_at = excluded.updated_at",
                rusqlite::params![account_id, name, value, at],
            )?;
            Ok(())
        })
    }

    /// Forgets the cursor, so the next read of that feed starts over; returns whether there
    /// was one.
    pub fn clear(&self, account_id: &str, name: &str) -> Result<bool, StoreError> {
        self.store.write("clear the sync cursor", |tx| {
            let removed = tx.execute(
                "DELETE FROM sync_cursors WHERE account_id = ?1 AND name = ?2",
                [account_id, name],
            )?;
            Ok(removed > 0)
        })
    }
}
