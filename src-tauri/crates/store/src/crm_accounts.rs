//! The CRM account each Microsoft 365 account signed in to: who, in which org, against which
//! hosts. No secrets by construction: a [`CrmAccount`] has no field that could hold a token.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::store::{require_account, Store};

/// A CRM sign-in of one Microsoft 365 account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrmAccount {
    /// The Microsoft 365 account it belongs to.
    pub account_id: String,
    /// Which CRM (`salesforce`).
    pub crm: String,
    pub org_id: String,
    pub user_id: String,
    pub name: String,
    pub email: String,
    /// Where the user signed in.
    pub login_url: String,
    /// Where the CRM's data is served.
    pub instance_url: String,
    pub signed_in_at: DateTime<Utc>,
}

const COLUMNS: &str =
    "account_id, crm, org_id, user_id, name, email, login_url, instance_url, signed_in_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<CrmAccount> {
    Ok(CrmAccount {
        account_id: r.get(0)?,
        crm: r.get(1)?,
        org_id: r.get(2)?,
        user_id: r.get(3)?,
        name: r.get(4)?,
        email: r.get(5)?,
        login_url: r.get(6)?,
        instance_url: r.get(7)?,
        signed_in_at: r.get(8)?,
    })
}

/// The `crm_accounts` table.
#[derive(Debug, Clone, Copy)]
pub struct CrmAccounts<'s> {
    store: &'s Store,
}

impl<'s> CrmAccounts<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        CrmAccounts { store }
    }

    /// Keeps the CRM sign-in of an account, replacing the one it had.
    pub fn upsert(&self, a: &CrmAccount) -> Result<(), StoreError> {
        self.store.write("save the CRM account", |tx| {
            require_account(tx, &a.account_id)?;
            tx.execute(
                &format!(
                    "INSERT INTO crm_accounts ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                     ON CONFLICT (account_id) DO UPDATE SET
                       crm = excluded.crm, org_id = excluded.org_id, user_id = excluded.user_id,
                       name = excluded.name, email = excluded.email,
                       login_url = excluded.login_url, instance_url = excluded.instance_url,
                       signed_in_at = excluded.signed_in_at"
                ),
                rusqlite::params![
                    a.account_id,
                    a.crm,
                    a.org_id,
                    a.user_id,
                    a.name,
                    a.email,
                    a.login_url,
                    a.instance_url,
                    a.signed_in_at,
                ],
            )?;
            Ok(())
        })
    }

    /// The CRM sign-in of an account, if it has one.
    pub fn get(&self, account_id: &str) -> Result<Option<CrmAccount>, StoreError> {
        self.store.read("read the CRM account", |conn| {
            conn.query_row(
                &format!("SELECT {COLUMNS} FROM crm_accounts WHERE account_id = ?1"),
                [account_id],
                from_row,
            )
            .optional()
        })
    }

    /// Forgets the CRM sign-in of an account; returns whether there was one.
    pub fn remove(&self, account_id: &str) -> Result<bool, StoreError> {
        self.store.write("forget the CRM account", |tx| {
            Ok(tx.execute(
                "DELETE FROM crm_accounts WHERE account_id = ?1",
                [account_id],
            )? > 0)
        })
    }
}
