//! Opening the database and running each call as one short locked step.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

use crate::accounts::Accounts;
use crate::calendars::Calendars;
use crate::crm_accounts::CrmAccounts;
use crate::error::{StoreError, TxError};
use crate::migrations::{MIGRATIONS, SCHEMA_VERSION};
use crate::owners::Owners;
use crate::settings::Settings;
use crate::sync_conflicts::SyncConflicts;
use crate::sync_creating::SyncCreating;
use crate::sync_cursors::SyncCursors;
use crate::sync_links::SyncLinks;
use crate::sync_outbox::SyncOutbox;
use crate::sync_overwrites::SyncOverwrites;
use crate::sync_problems::SyncProblems;

/// Another Onbehalf process (the CLI next to the tray app) may hold the write lock briefly.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

/// The local database of one data folder. Cheap calls, each its own transaction; share it
/// behind an `Arc`.
pub struct Store {
    conn: Mutex<Connection>,
    path: PathBuf,
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    /// Refuses a database from a newer release and a file that is not SQLite.
    #[tracing::instrument(skip_all, fields(path = %path.display()), err)]
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let dir = data_dir(path);
        if dir != path {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError::io("create the data folder", dir, &e))?;
        }
        let conn =
            Connection::open(path).map_err(|e| StoreError::sqlite("open the database", path, e))?;
        Self::prepare(conn, path.to_path_buf(), true)
    }

    /// A private database that lives as long as the value, for tests and previews.
    pub fn open_in_memory() -> Result<Store, StoreError> {
        let path = PathBuf::from(":memory:");
        let conn = Connection::open_in_memory()
            .map_err(|e| StoreError::sqlite("open the database", &path, e))?;
        Self::prepare(conn, path, false)
    }

    fn prepare(mut conn: Connection, path: PathBuf, on_disk: bool) -> Result<Store, StoreError> {
        let fail = |step| {
            let path = path.clone();
            move |e| StoreError::sqlite(step, &path, e)
        };
        conn.busy_timeout(BUSY_TIMEOUT)
            .map_err(fail("set the busy timeout"))?;
        // The first read of the file: a file that is not SQLite fails here, before anything
        // is written to it.
        let found: u32 = conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(fail("read the schema version"))?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::NewerDatabase {
                data_dir: data_dir(&path).to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        conn.pragma_update(None, "foreign_keys", true)
            .map_err(fail("turn on foreign keys"))?;
        if on_disk {
            // WAL lets the UI read while a refresh writes, and survives a crash mid-write.
            let mode = enable_wal(&conn).map_err(fail("turn on write-ahead logging"))?;
            if !mode.eq_ignore_ascii_case("wal") {
                tracing::warn!(mode, "the file system does not allow write-ahead logging");
            }
        }
        // Writers take the lock when they begin, so two processes never deadlock upgrading a
        // read lock; the busy timeout then covers the wait.
        conn.set_transaction_behavior(TransactionBehavior::Immediate);
        Self::migrate(&mut conn, &path, found)?;
        Ok(Store {
            conn: Mutex::new(conn),
            path,
        })
    }

    fn migrate(conn: &mut Connection, path: &Path, found: u32) -> Result<(), StoreError> {
        if found == SCHEMA_VERSION {
            return Ok(());
        }
        match MIGRATIONS.to_latest(conn) {
            Ok(()) => {
                tracing::info!(from = found, to = SCHEMA_VERSION, "upgraded the schema");
                Ok(())
            }
            Err(e) => {
                // Two processes opening a fresh folder at once both see the old version; the
                // second fails on tables the first just made. What matters is the outcome.
                let now: Result<u32, _> =
                    conn.pragma_query_value(None, "user_version", |r| r.get(0));
                match now {
                    Ok(v) if v == SCHEMA_VERSION => Ok(()),
                    _ => Err(StoreError::migration(path, e)),
                }
            }
        }
    }

    /// Where the database lives (`:memory:` for [`Store::open_in_memory`]).
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<u32, StoreError> {
        self.read("read the schema version", |c| {
            c.pragma_query_value(None, "user_version", |r| r.get(0))
        })
    }

    pub fn settings(&self) -> Settings<'_> {
        Settings::new(self)
    }

    pub fn accounts(&self) -> Accounts<'_> {
        Accounts::new(self)
    }

    pub fn owners(&self) -> Owners<'_> {
        Owners::new(self)
    }

    pub fn crm_accounts(&self) -> CrmAccounts<'_> {
        CrmAccounts::new(self)
    }

    pub fn calendars(&self) -> Calendars<'_> {
        Calendars::new(self)
    }

    pub fn sync_links(&self) -> SyncLinks<'_> {
        SyncLinks::new(self)
    }

    pub fn sync_cursors(&self) -> SyncCursors<'_> {
        SyncCursors::new(self)
    }

    pub fn sync_creating(&self) -> SyncCreating<'_> {
        SyncCreating::new(self)
    }

    pub fn sync_outbox(&self) -> SyncOutbox<'_> {
        SyncOutbox::new(self)
    }

    pub fn sync_conflicts(&self) -> SyncConflicts<'_> {
        SyncConflicts::new(self)
    }

    pub fn sync_overwrites(&self) -> SyncOverwrites<'_> {
        SyncOverwrites::new(self)
    }

    pub fn slot_offers(&self) -> crate::SlotOffers<'_> {
        crate::SlotOffers::new(self)
    }

    pub fn sync_problems(&self) -> SyncProblems<'_> {
        SyncProblems::new(self)
    }

    fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock dropped its transaction, which rolled back: the
        // connection is consistent, so a poisoned lock is safe to keep using.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// One read. A single statement is already atomic in SQLite.
    pub(crate) fn read<T>(
        &self,
        step: &'static str,
        f: impl FnOnce(&Connection) -> rusqlite::Result<T>,
    ) -> Result<T, StoreError> {
        let conn = self.lock();
        f(&conn).map_err(|e| StoreError::sqlite(step, &self.path, e))
    }

    /// One write transaction: all of `f` is committed, or none of it.
    pub(crate) fn write<T>(
        &self,
        step: &'static str,
        f: impl FnOnce(&Transaction<'_>) -> Result<T, TxError>,
    ) -> Result<T, StoreError> {
        let mut conn = self.lock();
        let classify = |e: TxError| match e {
            TxError::Sqlite(e) => StoreError::sqlite(step, &self.path, e),
            TxError::Store(e) => e,
        };
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| classify(e.into()))?;
        let value = f(&tx).map_err(classify)?;
        tx.commit().map_err(|e| classify(e.into()))?;
        Ok(value)
    }
}

/// The folder a person passes as `--data-dir`: the database file's parent.
fn data_dir(db: &Path) -> &Path {
    db.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(db)
}

/// Fails with [`StoreError::UnknownAccount`] unless the account exists, so a write for a
/// removed account says so instead of a foreign-key message.
pub(crate) fn require_account(tx: &Transaction<'_>, account_id: &str) -> Result<(), TxError> {
    let exists: bool = tx.query_row(
        "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1)",
        [account_id],
        |r| r.get(0),
    )?;
    match exists {
        true => Ok(()),
        false => Err(StoreError::UnknownAccount {
            account_id: account_id.to_string(),
        }
        .into()),
    }
}

/// Fails with [`StoreError::Empty`] when a value the store keys on is empty, before SQLite's
/// own check would answer with a bare constraint name.
pub(crate) fn require_key(
    step: &'static str,
    field: &'static str,
    value: &str,
) -> Result<(), TxError> {
    match value.is_empty() {
        true => Err(StoreError::Empty { step, field }.into()),
        false => Ok(()),
    }
}

/// Fails with [`StoreError::InvalidJson`] unless SQLite reads `value` as JSON, the same test
/// the tables' checks make.
pub(crate) fn require_json(
    tx: &Transaction<'_>,
    step: &'static str,
    field: &'static str,
    value: &str,
) -> Result<(), TxError> {
    let valid: bool = tx.query_row("SELECT json_valid(?1)", [value], |r| r.get(0))?;
    match valid {
        true => Ok(()),
        false => Err(StoreError::InvalidJson { step, field }.into()),
    }
}

/// Switch to WAL. While another connection is switching the same fresh file, SQLite answers
/// "busy" at once without calling the busy handler, so wait and try again for a while.
fn enable_wal(conn: &Connection) -> rusqlite::Result<String> {
    let mut attempt = 0;
    loop {
        match conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy && attempt < 100 =>
            {
                attempt += 1;
                std::thread::sleep(Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::IoProblem;

    #[test]
    fn a_full_disk_is_named_as_such() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("onbehalf.sqlite3");
        let store = Store::open(&path).unwrap();
        // SQLite reports SQLITE_FULL when the file would outgrow this cap, as on a full disk.
        let pages: u32 = store
            .lock()
            .pragma_query_value(None, "page_count", |r| r.get(0))
            .unwrap();
        store
            .lock()
            .pragma_update(None, "max_page_count", pages)
            .unwrap();

        let err = store
            .settings()
            .set("big", &"x".repeat(1 << 20))
            .unwrap_err();
        assert!(
            matches!(
                &err,
                StoreError::Io { problem: IoProblem::DiskFull, path: p, .. } if p == &path
            ),
            "{err:?}"
        );
        assert_eq!(
            err.to_string(),
            format!(
                "could not write to {}: the disk may be full",
                path.display()
            )
        );
        assert_eq!(store.settings().get("big").unwrap(), None);
    }

    #[test]
    fn a_folder_that_cannot_be_created_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("a-file");
        std::fs::write(&file, "not a folder").unwrap();
        let err = Store::open(&file.join("onbehalf.sqlite3")).unwrap_err();
        assert!(
            matches!(&err, StoreError::Io { step: "create the data folder", path, .. } if path == &file),
            "{err:?}"
        );
    }
}
