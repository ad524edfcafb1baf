//! Where each change feed was last read: kept, replaced, cleared, per account, and gone with
//! the account.

mod common;

use common::{account, at, store_with_account};
use onbehalf_store::{CursorRow, Store, StoreError};

const DELTA: &str = "own_calendar_delta";

#[test]
fn a_cursor_is_kept_replaced_and_cleared() {
    let (store, a) = store_with_account();
    let cursors = store.sync_cursors();
    assert_eq!(cursors.get(&a.id, DELTA).unwrap(), None);

    cursors
        .set(&a.id, DELTA, "https://graph/delta?token=1", at(10))
        .unwrap();
    cursors
        .set(&a.id, DELTA, "https://graph/delta?token=2", at(11))
        .unwrap();
    assert_eq!(
        cursors.get(&a.id, DELTA).unwrap(),
        Some(CursorRow {
            account_id: a.id.clone(),
            name: DELTA.into(),
            value: "https://graph/delta?token=2".into(),
            updated_at: at(11),
        })
    );

    assert!(cursors.clear(&a.id, DELTA).unwrap());
    assert!(!cursors.clear(&a.id, DELTA).unwrap());
    assert_eq!(cursors.get(&a.id, DELTA).unwrap(), None);
}

#[test]
fn setting_the_same_cursor_twice_changes_nothing() {
    let (store, a) = store_with_account();
    let cursors = store.sync_cursors();
    cursors.set(&a.id, DELTA, "token=1", at(10)).unwrap();
    let first = cursors.get(&a.id, DELTA).unwrap();
    cursors.set(&a.id, DELTA, "token=1", at(10)).unwrap();
    assert_eq!(cursors.get(&a.id, DELTA).unwrap(), first);
}

#[test]
fn cursors_are_kept_apart_by_name_and_account() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    let cursors = store.sync_cursors();
    cursors.set(&a.id, DELTA, "mine", at(10)).unwrap();
    cursors
        .set(&a.id, "crm_updated", "2026-03-02T10:00:00Z", at(10))
        .unwrap();
    cursors.set(&other.id, DELTA, "theirs", at(10)).unwrap();

    cursors.clear(&a.id, "crm_updated").unwrap();
    assert_eq!(cursors.get(&a.id, DELTA).unwrap().unwrap().value, "mine");
    assert_eq!(
        cursors.get(&other.id, DELTA).unwrap().unwrap().value,
        "theirs"
    );
}

#[test]
fn removing_the_account_removes_its_cursors() {
    let (store, a) = store_with_account();
    store
        .sync_cursors()
        .set(&a.id, DELTA, "mine", at(10))
        .unwrap();
    store.accounts().remove(&a.id).unwrap();
    assert_eq!(store.sync_cursors().get(&a.id, DELTA).unwrap(), None);
    // Signing in again starts the feed over.
    store.accounts().upsert(&a).unwrap();
    assert_eq!(store.sync_cursors().get(&a.id, DELTA).unwrap(), None);
}

#[test]
fn a_cursor_needs_its_account_and_a_name() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .sync_cursors()
        .set("nobody.none", DELTA, "x", at(10))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");

    let (store, a) = store_with_account();
    let err = store
        .sync_cursors()
        .set(&a.id, "", "x", at(10))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Empty {
                field: "cursor name",
                ..
            }
        ),
        "{err:?}"
    );
}
