//! What can go wrong with the data folder, worded for the person who has to fix it.

use std::path::{Path, PathBuf};

use rusqlite::ErrorCode;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database was migrated by a later release; opening it here could lose its data.
    #[error(
        "This Onbehalf data folder ({}) was written by a newer version of Onbehalf (schema \
         {found}; this version knows {supported}). Update Onbehalf, or start it with another \
         --data-dir.",
        data_dir.display()
    )]
    NewerDatabase {
        data_dir: PathBuf,
        found: u32,
        supported: u32,
    },

    /// The file is not SQLite, or SQLite found it damaged.
    #[error(
        "{} is not an Onbehalf database or is damaged ({reason}). Move that file away so \
         Onbehalf can start afresh (you will sign in again), or start Onbehalf with another \
         --data-dir.",
        path.display()
    )]
    Corrupt { path: PathBuf, reason: String },

    /// The file system refused: disk full, permissions, a failing disk.
    #[error("could not {step} {}: {problem}", path.display())]
    Io {
        step: &'static str,
        path: PathBuf,
        problem: IoProblem,
    },

    /// SQLite refused a statement; `step` names what the store was doing.
    #[error("could not {step}: {source}")]
    Sqlite {
        step: &'static str,
        #[source]
        source: rusqlite::Error,
    },

    /// The schema upgrade failed for a reason other than SQLite itself.
    #[error("could not upgrade the data folder at {}: {source}", path.display())]
    Migration {
        path: PathBuf,
        #[source]
        source: rusqlite_migration::Error,
    },

    /// A write named an account that is not (or no longer) in this data folder.
    #[error("there is no account {account_id} in this data folder; sign in again")]
    UnknownAccount { account_id: String },

    /// A value the store keys on was empty.
    #[error("could not {step}: the {field} is empty")]
    Empty {
        step: &'static str,
        field: &'static str,
    },

    /// A value the store keeps as JSON text was not JSON.
    #[error("could not {step}: the {field} is not valid JSON")]
    InvalidJson {
        step: &'static str,
        field: &'static str,
    },

    /// A link named a CRM event that is already linked to another calendar item; linking it
    /// twice would sync two items into one event. Nothing was written. The item and the event
    /// are the caller's own; this names the item that holds the event.
    #[error(
        "could not link the calendar item: the CRM event {event_id} is already linked to the \
         item {linked_item_id} of {linked_owner}"
    )]
    EventAlreadyLinked {
        event_id: String,
        linked_owner: String,
        linked_item_id: String,
    },
}

/// Why the file system refused.
#[derive(Debug, thiserror::Error)]
pub enum IoProblem {
    #[error("the disk may be full")]
    DiskFull,
    #[error(
        "permission denied or read-only; check that you may write to this folder, or start \
         Onbehalf with another --data-dir"
    )]
    Denied,
    #[error("{0}")]
    Failed(String),
}

impl StoreError {
    /// Classifies a SQLite error: the person needs to hear "disk full" or "damaged file", not a
    /// SQLite code, while other failures keep the step that failed.
    pub(crate) fn sqlite(step: &'static str, path: &Path, err: rusqlite::Error) -> Self {
        let io = |problem| StoreError::Io {
            step: "write to",
            path: path.to_path_buf(),
            problem,
        };
        match err.sqlite_error_code() {
            Some(ErrorCode::DiskFull) => io(IoProblem::DiskFull),
            Some(ErrorCode::ReadOnly) => io(IoProblem::Denied),
            Some(ErrorCode::PermissionDenied | ErrorCode::CannotOpen) => StoreError::Io {
                step: "open",
                path: path.to_path_buf(),
                problem: IoProblem::Denied,
            },
            Some(ErrorCode::SystemIoFailure) => io(IoProblem::Failed(err.to_string())),
            Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => StoreError::Corrupt {
                path: path.to_path_buf(),
                reason: err.to_string(),
            },
            _ => StoreError::Sqlite { step, source: err },
        }
    }

    pub(crate) fn io(step: &'static str, path: &Path, err: &std::io::Error) -> Self {
        let problem = match err.kind() {
            std::io::ErrorKind::StorageFull => IoProblem::DiskFull,
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem => {
                IoProblem::Denied
            }
            _ => IoProblem::Failed(err.to_string()),
        };
        StoreError::Io {
            step,
            path: path.to_path_buf(),
            problem,
        }
    }

    pub(crate) fn migration(path: &Path, err: rusqlite_migration::Error) -> Self {
        match err {
            rusqlite_migration::Error::RusqliteError { err, .. } => {
                Self::sqlite("upgrade the schema", path, err)
            }
            other => StoreError::Migration {
                path: path.to_path_buf(),
                source: other,
            },
        }
    }
}

/// The error inside a write transaction: SQLite's own, classified once by the caller that knows
/// the step and the path, or a store error already worded.
#[derive(Debug)]
pub(crate) enum TxError {
    Sqlite(rusqlite::Error),
    Store(StoreError),
}

impl From<rusqlite::Error> for TxError {
    fn from(e: rusqlite::Error) -> Self {
        TxError::Sqlite(e)
    }
}

impl From<StoreError> for TxError {
    fn from(e: StoreError) -> Self {
        TxError::Store(e)
    }
}
