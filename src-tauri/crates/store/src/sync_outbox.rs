//! The outbox: what the user asked the sync to do (share an item, stop sharing it, settle a
//! conflict), kept before it is acted on so a crash or a failed attempt loses nothing. An
//! intent leaves the outbox only when it is done.

use chrono::{DateTime, Utc};
use rusqlite::Row;
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::owners::normalize_address;
use crate::store::{require_account, require_json, require_key, Store};

/// One intent and its attempts so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OutboxRow {
    /// A uuid the caller makes when the user asks, so a replayed request finds its own row.
    pub id: String,
    pub account_id: String,
    /// What was asked (`share`, `unshare`, `resolve_conflict`, …).
    pub kind: String,
    /// The address of the calendar's owner; stored lowercase, without surrounding white space.
    pub item_owner: String,
    /// The item's Graph immutable id.
    pub item_id: String,
    /// JSON: what the intent needs besides the item.
    pub payload: String,
    pub created_at: DateTime<Utc>,
    /// Attempts that did not finish it.
    pub attempts: u32,
    /// Not to be tried before this time; a new intent is due at once (its `created_at`).
    pub next_attempt_at: DateTime<Utc>,
    /// Why the last attempt did not finish it.
    pub last_error: Option<String>,
}

const COLUMNS: &str = "id, account_id, kind, item_owner, item_id, payload, created_at, attempts, \
                       next_attempt_at, last_error";

fn from_row(r: &Row<'_>) -> rusqlite::Result<OutboxRow> {
    Ok(OutboxRow {
        id: r.get(0)?,
        account_id: r.get(1)?,
        kind: r.get(2)?,
        item_owner: r.get(3)?,
        item_id: r.get(4)?,
        payload: r.get(5)?,
        created_at: r.get(6)?,
        attempts: r.get(7)?,
        next_attempt_at: r.get(8)?,
        last_error: r.get(9)?,
    })
}

/// The `sync_outbox` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncOutbox<'s> {
    store: &'s Store,
}

impl<'s> SyncOutbox<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncOutbox { store }
    }

    /// Keeps an intent. A new id is stored as given; a known id (a replayed request) takes
    /// the intent's kind, item and payload and keeps its account, its `created_at` and its
    /// attempts, so a replay neither reorders it nor forgets how often it failed. Returns
    /// whether the id was new.
    pub fn enqueue(&self, intent: &OutboxRow) -> Result<bool, StoreError> {
        const STEP: &str = "keep the sync request";
        let owner = normalize_address(&intent.item_owner);
        self.store.write(STEP, |tx| {
            for (field, value) in [
                ("request id", intent.id.as_str()),
                ("request kind", &intent.kind),
                ("owner address", &owner),
                ("item id", &intent.item_id),
            ] {
                require_key(STEP, field, value)?;
            }
            require_json(tx, STEP, "request payload", &intent.payload)?;
            require_account(tx, &intent.account_id)?;
            let known: bool = tx.query_row(
                "SELECT EXISTS (SELECT 1 FROM sync_outbox WHERE id = ?1)",
                [&intent.id],
                |r| r.get(0),
            )?;
            tx.execute(
                &format!(
                    "INSERT INTO sync_outbox ({COLUMNS})
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)
                     ON CONFLICT (id) DO UPDATE SET
                        kind = excluded.kind, item_owner = excluded.item_owner,
                        item_id = excluded.item_id, payload = excluded.payload"
                ),
                rusqlite::params![
                    intent.id,
                    intent.account_id,
                    intent.kind,
                    owner,
                    intent.item_id,
                    intent.payload,
                    intent.created_at,
                    intent.attempts,
                    intent.next_attempt_at,
                    intent.last_error,
                ],
            )?;
            Ok(!known)
        })
    }

    /// The account's intents whose next attempt is due at `now`, oldest first.
    pub fn due(&self, account_id: &str, now: DateTime<Utc>) -> Result<Vec<OutboxRow>, StoreError> {
        self.store.read("read the due sync requests", |c| {
            // UTC times as stored compare as text in time order.
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_outbox
                 WHERE account_id = ?1 AND next_attempt_at <= ?2
                 ORDER BY created_at, id"
            ))?;
            let rows = stmt.query_map(rusqlite::params![account_id, now], from_row)?;
            rows.collect()
        })
    }

    /// Records an attempt that did not finish the intent: why, and when to try again. Returns
    /// whether the intent is still there.
    pub fn record_attempt(
        &self,
        id: &str,
        error: &str,
        next_attempt_at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        self.store.write("record a sync attempt", |tx| {
            let updated = tx.execute(
                "UPDATE sync_outbox
                 SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3
                 WHERE id = ?1",
                rusqlite::params![id, error, next_attempt_at],
            )?;
            Ok(updated > 0)
        })
    }

    /// Removes an intent that was carried out; returns whether it was there.
    pub fn done(&self, id: &str) -> Result<bool, StoreError> {
        self.store.write("remove a finished sync request", |tx| {
            Ok(tx.execute("DELETE FROM sync_outbox WHERE id = ?1", [id])? > 0)
        })
    }

    /// Every intent of the account, oldest first.
    pub fn list(&self, account_id: &str) -> Result<Vec<OutboxRow>, StoreError> {
        self.store.read("list the sync requests", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_outbox WHERE account_id = ?1 ORDER BY created_at, id"
            ))?;
            let rows = stmt.query_map([account_id], from_row)?;
            rows.collect()
        })
    }
}
