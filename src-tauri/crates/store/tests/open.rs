//! Opening a data folder: fresh, again, from a newer release, or not a database at all.

mod common;

use std::thread;

use common::{account, store_with_account};
use onbehalf_store::{Store, StoreError, SCHEMA_VERSION};
use rusqlite::Connection;

#[test]
fn a_fresh_folder_is_created_and_migrated_to_the_latest_schema() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir
        .path()
        .join("nested")
        .join("profile")
        .join("onbehalf.sqlite3");
    let store = Store::open(&path).unwrap();
    assert!(path.exists());
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);

    let raw = Connection::open(&path).unwrap();
    let mut tables: Vec<String> = raw
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.sort();
    assert_eq!(
        tables,
        [
            "accounts",
            "added_owners",
            "calendars",
            "crm_accounts",
            "current_account",
            "settings",
            "slot_offers",
            "sync_conflicts",
            "sync_creating",
            "sync_cursors",
            "sync_links",
            "sync_outbox",
            "sync_overwrites",
            "sync_problems",
        ]
    );
}

#[test]
fn this_build_knows_eight_schema_versions() {
    // The initial schema, CRM sign-ins, the sync's state, what merges overwrote, the index
    // of open problems, the events being created where the CRM keeps no item id, problems
    // of an owner's calendar as a whole, time slots offered by e-mail.
    assert_eq!(SCHEMA_VERSION, 8);
}

#[test]
fn an_in_memory_store_starts_at_the_latest_schema() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert!(store.accounts().current().unwrap().is_none());
}

#[test]
fn the_file_uses_write_ahead_logging_and_foreign_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    let store = Store::open(&path).unwrap();
    let a = account("contoso", "megan");
    store.accounts().upsert(&a).unwrap();
    let raw = Connection::open(&path).unwrap();
    let mode: String = raw
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    // Foreign keys are per connection: the store's own connection enforces them, which the
    // cascade on removal shows.
    store.owners().add(&a.id, "boss@contoso.com").unwrap();
    store.accounts().remove(&a.id).unwrap();
    let orphans: i64 = raw
        .query_row("SELECT count(*) FROM added_owners", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphans, 0);
}

#[test]
fn reopening_keeps_everything() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    let a = account("contoso", "megan");
    let profile = {
        let store = Store::open(&path).unwrap();
        store.accounts().upsert(&a).unwrap();
        store.accounts().set_current(Some(&a.id)).unwrap();
        store.owners().add(&a.id, "boss@contoso.com").unwrap();
        store
            .calendars()
            .replace_all(
                &a.id,
                &[common::cal("boss@contoso.com", "default", Some("write"))],
            )
            .unwrap();
        store.settings().set("theme", "dark").unwrap();
        store.settings().profile_id().unwrap()
    };

    let store = Store::open(&path).unwrap();
    assert_eq!(store.accounts().current().unwrap(), Some(a.clone()));
    assert_eq!(store.owners().list(&a.id).unwrap().len(), 1);
    let cals = store.calendars().list(&a.id).unwrap();
    assert_eq!(
        cals,
        [common::cal("boss@contoso.com", "default", Some("write"))]
    );
    assert_eq!(
        store.settings().get("theme").unwrap().as_deref(),
        Some("dark")
    );
    assert_eq!(store.settings().profile_id().unwrap(), profile);
}

#[test]
fn a_database_from_a_newer_release_is_refused_and_left_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    let newer = SCHEMA_VERSION + 3;
    {
        let raw = Connection::open(&path).unwrap();
        raw.execute_batch("CREATE TABLE future (x TEXT); INSERT INTO future VALUES ('kept');")
            .unwrap();
        raw.pragma_update(None, "user_version", newer).unwrap();
    }

    let err = Store::open(&path).unwrap_err();
    match &err {
        StoreError::NewerDatabase {
            data_dir,
            found,
            supported,
        } => {
            assert_eq!(*found, newer);
            assert_eq!(*supported, SCHEMA_VERSION);
            assert_eq!(data_dir, dir.path());
        }
        other => panic!("expected NewerDatabase, got {other:?}"),
    }
    assert_eq!(
        err.to_string(),
        format!(
            "This Onbehalf data folder ({}) was written by a newer version of Onbehalf \
             (schema {newer}; this version knows {SCHEMA_VERSION}). Update Onbehalf, or start \
             it with another --data-dir.",
            dir.path().display()
        )
    );

    let raw = Connection::open(&path).unwrap();
    let version: u32 = raw
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, newer);
    let kept: String = raw
        .query_row("SELECT x FROM future", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, "kept");
}

#[test]
fn a_file_that_is_not_sqlite_is_refused_with_its_path_and_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    let text = "these are someone's notes, not a database\n".repeat(40);
    std::fs::write(&path, &text).unwrap();

    let err = Store::open(&path).unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { path: p, .. } if p == &path),
        "{err:?}"
    );
    let message = err.to_string();
    assert!(message.contains(&path.display().to_string()), "{message}");
    assert!(message.contains("--data-dir"), "{message}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), text);
}

#[test]
fn two_processes_opening_a_fresh_folder_at_once_both_succeed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    let openers: Vec<_> = (0..4)
        .map(|_| {
            let path = path.clone();
            thread::spawn(move || Store::open(&path).map(|s| s.schema_version()))
        })
        .collect();
    for opener in openers {
        assert_eq!(opener.join().unwrap().unwrap().unwrap(), SCHEMA_VERSION);
    }
}

#[test]
fn the_store_can_be_shared_between_threads() {
    fn shareable<T: Send + Sync>() {}
    shareable::<Store>();

    let (store, a) = store_with_account();
    let store = std::sync::Arc::new(store);
    let writers: Vec<_> = (0..8)
        .map(|i| {
            let store = std::sync::Arc::clone(&store);
            let id = a.id.clone();
            thread::spawn(move || store.owners().add(&id, &format!("owner{i}@contoso.com")))
        })
        .collect();
    for w in writers {
        assert!(w.join().unwrap().unwrap());
    }
    assert_eq!(store.owners().list(&a.id).unwrap().len(), 8);
}

#[test]
fn no_table_has_a_column_that_could_hold_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    drop(Store::open(&path).unwrap());
    let raw = Connection::open(&path).unwrap();
    let columns = |table: &str| -> Vec<String> {
        raw.prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap()
    };

    assert_eq!(
        columns("accounts"),
        [
            "id",
            "tenant_id",
            "object_id",
            "address",
            "display_name",
            "authority",
            "client_id",
            "graph_url",
            "signed_in_at"
        ]
    );
    // Every table, so a table added later is checked without being listed here.
    let tables: Vec<String> = raw
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(tables.len() >= 11, "{tables:?}");
    for table in &tables {
        for column in columns(table) {
            for word in ["token", "secret", "password", "verifier", "credential"] {
                assert!(
                    !column.contains(word),
                    "{table}.{column} could hold a secret"
                );
            }
        }
    }
}
