//! The sync's status: one row per calendar item linked to a CRM event, with what each side
//! looked like after the last successful write. Like vdirsyncer's status database, a row only
//! moves forward once the remote write it records has succeeded.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, TxError};
use crate::owners::normalize_address;
use crate::store::{require_account, require_json, require_key, Store};

/// A calendar item and the CRM event it is linked to, as last synced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkRow {
    /// The Microsoft 365 account that syncs this item.
    pub account_id: String,
    /// The address of the calendar's owner; stored lowercase, without surrounding white space.
    pub item_owner: String,
    /// The item's Graph immutable id.
    pub item_id: String,
    /// Which CRM (`salesforce`).
    pub crm: String,
    pub org_id: String,
    pub event_id: String,
    /// The CRM user who owns the event: the calendar owner's CRM user.
    pub crm_owner_id: String,
    /// The person the event is about (a contact or lead), if any.
    pub who_id: Option<String>,
    /// The record the event is about (an account, opportunity, case), if any.
    pub what_id: Option<String>,
    /// JSON: per field, the hash of its value as last synced.
    pub synced_hashes: String,
    /// JSON: the fields as last synced, to show what a conflict overwrote.
    pub synced_fields: Option<String>,
    /// The Exchange change key after the last write.
    pub ex_version: String,
    /// The CRM event's version after the last write.
    pub crm_version: String,
    pub synced_at: DateTime<Utc>,
}

const COLUMNS: &str = "account_id, item_owner, item_id, crm, org_id, event_id, crm_owner_id, \
                       who_id, what_id, synced_hashes, synced_fields, ex_version, crm_version, \
                       synced_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<LinkRow> {
    Ok(LinkRow {
        account_id: r.get(0)?,
        item_owner: r.get(1)?,
        item_id: r.get(2)?,
        crm: r.get(3)?,
        org_id: r.get(4)?,
        event_id: r.get(5)?,
        crm_owner_id: r.get(6)?,
        who_id: r.get(7)?,
        what_id: r.get(8)?,
        synced_hashes: r.get(9)?,
        synced_fields: r.get(10)?,
        ex_version: r.get(11)?,
        crm_version: r.get(12)?,
        synced_at: r.get(13)?,
    })
}

/// The `sync_links` table.
#[derive(Debug, Clone, Copy)]
pub struct SyncLinks<'s> {
    store: &'s Store,
}

impl<'s> SyncLinks<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SyncLinks { store }
    }

    /// Inserts the link or updates every field of the item's link. Fails with
    /// [`StoreError::EventAlreadyLinked`] when the CRM event is linked to another item of the
    /// account: that link must be removed first.
    pub fn upsert(&self, link: &LinkRow) -> Result<(), StoreError> {
        self.store.write(UPSERT_STEP, |tx| upsert_in(tx, link))
    }

    /// [`SyncLinks::upsert`] for many links, in one transaction: all are kept, or none.
    pub fn upsert_many(&self, links: &[LinkRow]) -> Result<(), StoreError> {
        if links.is_empty() {
            return Ok(());
        }
        self.store.write(UPSERT_STEP, |tx| {
            for link in links {
                upsert_in(tx, link)?;
            }
            Ok(())
        })
    }

    /// The link of one item, if it is linked.
    pub fn get(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
    ) -> Result<Option<LinkRow>, StoreError> {
        let owner = normalize_address(item_owner);
        self.store.read("read the sync link", |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_links
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3"
            ))?
            .query_row([account_id, owner.as_str(), item_id], from_row)
            .optional()
        })
    }

    /// The link of one CRM event, if it is linked.
    pub fn by_event(
        &self,
        account_id: &str,
        crm: &str,
        org_id: &str,
        event_id: &str,
    ) -> Result<Option<LinkRow>, StoreError> {
        self.store.read("read the sync link of a CRM event", |c| {
            c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_links
                 WHERE account_id = ?1 AND crm = ?2 AND org_id = ?3 AND event_id = ?4"
            ))?
            .query_row([account_id, crm, org_id, event_id], from_row)
            .optional()
        })
    }

    /// The account's links, of one owner's calendar or of all, by owner then item id.
    pub fn list(
        &self,
        account_id: &str,
        item_owner: Option<&str>,
    ) -> Result<Vec<LinkRow>, StoreError> {
        let owner = item_owner.map(normalize_address);
        self.store.read("list the sync links", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM sync_links
                 WHERE account_id = ?1 AND (?2 IS NULL OR item_owner = ?2)
                 ORDER BY item_owner, item_id"
            ))?;
            let rows = stmt.query_map(rusqlite::params![account_id, owner], from_row)?;
            rows.collect()
        })
    }

    /// Forgets the link of one item; returns whether it was linked.
    pub fn remove(
        &self,
        account_id: &str,
        item_owner: &str,
        item_id: &str,
    ) -> Result<bool, StoreError> {
        let owner = normalize_address(item_owner);
        self.store.write("remove the sync link", |tx| {
            let removed = tx.execute(
                "DELETE FROM sync_links
                 WHERE account_id = ?1 AND item_owner = ?2 AND item_id = ?3",
                [account_id, owner.as_str(), item_id],
            )?;
            Ok(removed > 0)
        })
    }
}

impl SyncLinks<'_> {
    /// Forgets the links last synced before `before`; returns how many. The link on the item
    /// is the truth: a row forgotten here is remembered again when its item is read.
    pub fn forget_synced_before(
        &self,
        account_id: &str,
        before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.store.write("forget old sync links", |tx| {
            Ok(tx.execute(
                "DELETE FROM sync_links WHERE account_id = ?1 AND synced_at < ?2",
                rusqlite::params![account_id, before],
            )?)
        })
    }
}

const UPSERT_STEP: &str = "save the sync link";

fn upsert_in(tx: &Transaction<'_>, link: &LinkRow) -> Result<(), TxError> {
    const STEP: &str = UPSERT_STEP;
    let owner = normalize_address(&link.item_owner);
    for (field, value) in [
        ("owner address", owner.as_str()),
        ("item id", &link.item_id),
        ("CRM name", &link.crm),
        ("CRM org id", &link.org_id),
        ("CRM event id", &link.event_id),
        ("CRM owner id", &link.crm_owner_id),
    ] {
        require_key(STEP, field, value)?;
    }
    require_json(tx, STEP, "synced field hashes", &link.synced_hashes)?;
    if let Some(fields) = &link.synced_fields {
        require_json(tx, STEP, "synced fields", fields)?;
    }
    require_account(tx, &link.account_id)?;
    require_event_free(tx, link, &owner)?;
    tx.execute(
        &format!(
            "INSERT INTO sync_links ({COLUMNS})
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)
             ON CONFLICT (account_id, item_owner, item_id) DO UPDATE SET
                crm = excluded.crm, org_id = excluded.org_id,
                event_id = excluded.event_id, crm_owner_id = excluded.crm_owner_id,
                who_id = excluded.who_id, what_id = excluded.what_id,
                synced_hashes = excluded.synced_hashes,
                synced_fields = excluded.synced_fields,
                ex_version = excluded.ex_version, crm_version = excluded.crm_version,
                synced_at = excluded.synced_at"
        ),
        rusqlite::params![
            link.account_id,
            owner,
            link.item_id,
            link.crm,
            link.org_id,
            link.event_id,
            link.crm_owner_id,
            link.who_id,
            link.what_id,
            link.synced_hashes,
            link.synced_fields,
            link.ex_version,
            link.crm_version,
            link.synced_at,
        ],
    )?;
    Ok(())
}

/// Names the other item when the event is already linked to one, instead of the unique
/// index's bare message. The write lock is held, so the answer still holds at the insert.
fn require_event_free(tx: &Transaction<'_>, link: &LinkRow, owner: &str) -> Result<(), TxError> {
    let linked: Option<(String, String)> = tx
        .query_row(
            "SELECT item_owner, item_id FROM sync_links
             WHERE account_id = ?1 AND crm = ?2 AND org_id = ?3 AND event_id = ?4
               AND NOT (item_owner = ?5 AND item_id = ?6)",
            [
                link.account_id.as_str(),
                &link.crm,
                &link.org_id,
                &link.event_id,
                owner,
                &link.item_id,
            ],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match linked {
        None => Ok(()),
        Some((linked_owner, linked_item_id)) => Err(StoreError::EventAlreadyLinked {
            event_id: link.event_id.clone(),
            linked_owner,
            linked_item_id,
        }
        .into()),
    }
}
