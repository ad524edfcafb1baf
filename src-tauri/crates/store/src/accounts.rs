//! Signed-in accounts and which one is current. No secrets by construction: an [`Account`]
//! has no field that could hold a token.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::{require_account, Store};

/// A Microsoft 365 account and the endpoints it signed in against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// `"{tenant_id}.{object_id}"`, unique across tenants.
    pub id: String,
    pub tenant_id: String,
    pub object_id: String,
    pub address: String,
    pub display_name: String,
    pub authority: String,
    pub client_id: String,
    pub graph_url: String,
    pub signed_in_at: DateTime<Utc>,
}

const COLUMNS: &str = "id, tenant_id, object_id, address, display_name, authority, client_id, \
                       graph_url, signed_in_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Account> {
    Ok(Account {
        id: r.get(0)?,
        tenant_id: r.get(1)?,
        object_id: r.get(2)?,
        address: r.get(3)?,
        display_name: r.get(4)?,
        authority: r.get(5)?,
        client_id: r.get(6)?,
        graph_url: r.get(7)?,
        signed_in_at: r.get(8)?,
    })
}

/// The `accounts` table and the current-account pointer.
#[derive(Debug, Clone, Copy)]
pub struct Accounts<'s> {
    store: &'s Store,
}

impl<'s> Accounts<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        Accounts { store }
    }

    /// Inserts the account or updates every field of the one with the same id.
    pub fn upsert(&self, a: &Account) -> Result<(), StoreError> {
        self.store.write("save the account", |tx| {
            tx.execute(
                &format!(
                    "INSERT INTO accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (id) DO UPDATE SET
                        tenant_id = excluded.tenant_id, object_id = excluded.object_id,
                        address = excluded.address, display_name = excluded.display_name,
                        authority = excluded.authority, client_id = excluded.client_id,
                        graph_url = excluded.graph_url, signed_in_at = excluded.signed_in_at"
                ),
                rusqlite::params![
                    a.id,
                    a.tenant_id,
                    a.object_id,
                    a.address,
                    a.display_name,
                    a.authority,
                    a.client_id,
                    a.graph_url,
                    a.signed_in_at,
                ],
            )?;
            Ok(())
        })
    }

    pub fn get(&self, id: &str) -> Result<Option<Account>, StoreError> {
        self.store.read("read the account", |c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM accounts WHERE id = ?1"),
                [id],
                from_row,
            )
            .optional()
        })
    }

    /// Every account in this data folder, by address.
    pub fn list(&self) -> Result<Vec<Account>, StoreError> {
        self.store.read("list the accounts", |c| {
            let mut stmt = c.prepare(&format!(
                "SELECT {COLUMNS} FROM accounts ORDER BY address, id"
            ))?;
            let rows = stmt.query_map([], from_row)?;
            rows.collect()
        })
    }

    /// The account the app acts as, if one is chosen.
    pub fn current(&self) -> Result<Option<Account>, StoreError> {
        self.store.read("read the current account", |c| {
            c.query_row(
                &format!(
                    "SELECT {COLUMNS} FROM accounts
                     WHERE id = (SELECT account_id FROM current_account WHERE slot = 1)"
                ),
                [],
                from_row,
            )
            .optional()
        })
    }

    /// Chooses the current account (`None`: nobody). The account must already be stored.
    pub fn set_current(&self, id: Option<&str>) -> Result<(), StoreError> {
        self.store.write("choose the current account", |tx| {
            match id {
                None => {
                    tx.execute("DELETE FROM current_account", [])?;
                }
                Some(id) => {
                    require_account(tx, id)?;
                    tx.execute(
                        "INSERT INTO current_account (slot, account_id) VALUES (1, ?1)
                         ON CONFLICT (slot) DO UPDATE SET account_id = excluded.account_id",
                        [id],
                    )?;
                }
            }
            Ok(())
        })
    }

    /// Forgets the account with its calendars and added owners; if it was current, no account
    /// is current afterwards. Returns whether it was there.
    pub fn remove(&self, id: &str) -> Result<bool, StoreError> {
        self.store.write("remove the account", |tx| {
            Ok(tx.execute("DELETE FROM accounts WHERE id = ?1", [id])? > 0)
        })
    }
}
