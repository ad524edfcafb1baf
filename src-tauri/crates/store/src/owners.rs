//! Calendar owners the user added by address, probed on every refresh.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{StoreError, TxError};
use crate::store::{require_account, Store};

/// An owner the user named, and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddedOwner {
    /// Lowercase, without surrounding white space.
    pub address: String,
    pub added_at: DateTime<Utc>,
}

/// The one spelling of an address the store keys on, so "Boss@Contoso.com " and
/// "boss@contoso.com" are the same owner.
pub fn normalize_address(address: &str) -> String {
    address.trim().to_lowercase()
}

/// The `added_owners` table.
#[derive(Debug, Clone, Copy)]
pub struct Owners<'s> {
    store: &'s Store,
}

impl<'s> Owners<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        Owners { store }
    }

    /// Adds an owner; `false` if it was already there (its first `added_at` is kept).
    pub fn add(&self, account_id: &str, address: &str) -> Result<bool, StoreError> {
        const STEP: &str = "add the owner";
        let address = normalize_address(address);
        self.store.write(STEP, |tx| {
            if address.is_empty() {
                return Err(TxError::Store(StoreError::Empty {
                    step: STEP,
                    field: "owner address",
                }));
            }
            require_account(tx, account_id)?;
            let added = tx.execute(
                "INSERT INTO added_owners (account_id, address, added_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (account_id, address) DO NOTHING",
                rusqlite::params![account_id, address, Utc::now()],
            )?;
            Ok(added > 0)
        })
    }

    /// Removes an owner; `false` if it was not there.
    pub fn remove(&self, account_id: &str, address: &str) -> Result<bool, StoreError> {
        let address = normalize_address(address);
        self.store.write("remove the owner", |tx| {
            let removed = tx.execute(
                "DELETE FROM added_owners WHERE account_id = ?1 AND address = ?2",
                [account_id, address.as_str()],
            )?;
            Ok(removed > 0)
        })
    }

    /// The account's added owners, by address.
    pub fn list(&self, account_id: &str) -> Result<Vec<AddedOwner>, StoreError> {
        self.store.read("list the added owners", |c| {
            let mut stmt = c.prepare_cached(
                "SELECT address, added_at FROM added_owners WHERE account_id = ?1
                 ORDER BY address",
            )?;
            let rows = stmt.query_map([account_id], |r| {
                Ok(AddedOwner {
                    address: r.get(0)?,
                    added_at: r.get(1)?,
                })
            })?;
            rows.collect()
        })
    }
}
