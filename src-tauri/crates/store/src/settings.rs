//! Small named values kept per data folder.

use rusqlite::OptionalExtension;

use crate::store::Store;

/// Names the data folder in places shared by every folder on the machine, such as the keyring.
const PROFILE_ID: &str = "profile_id";

/// The `settings` table.
#[derive(Debug, Clone, Copy)]
pub struct Settings<'s> {
    store: &'s Store,
}

impl<'s> Settings<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        Settings { store }
    }

    pub fn get(&self, key: &str) -> Result<Option<String>, crate::StoreError> {
        self.store.read("read a setting", |c| {
            c.query_row("SELECT value FROM settings WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
        })
    }

    pub fn set(&self, key: &str, value: &str) -> Result<(), crate::StoreError> {
        self.store.write("save a setting", |tx| {
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [key, value],
            )?;
            Ok(())
        })
    }

    /// Forgets the value; returns whether there was one.
    pub fn remove(&self, key: &str) -> Result<bool, crate::StoreError> {
        self.store.write("remove a setting", |tx| {
            Ok(tx.execute("DELETE FROM settings WHERE key = ?1", [key])? > 0)
        })
    }

    /// A random id made the first time it is asked for and the same ever after in this data
    /// folder, so two folders on one machine never share keyring entries.
    pub fn profile_id(&self) -> Result<String, crate::StoreError> {
        if let Some(id) = self.get(PROFILE_ID)? {
            return Ok(id);
        }
        self.store.write("create the profile id", |tx| {
            // Insert-if-missing then read, in one transaction: two processes asking at once
            // agree on the same id.
            tx.execute(
                "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO NOTHING",
                [PROFILE_ID, &uuid::Uuid::new_v4().simple().to_string()],
            )?;
            let id = tx.query_row(
                "SELECT value FROM settings WHERE key = ?1",
                [PROFILE_ID],
                |r| r.get(0),
            )?;
            Ok(id)
        })
    }
}
