//! Conflicts: one per item, raised again without change, renewed when the values change,
//! settled by the user's choice or by a newer sync of the item, cleared, and gone with the
//! account.

mod common;

use common::{account, at, link, store_with_account};
use onbehalf_store::{ConflictRow, Resolution, Store, StoreError};

const SUBJECT: &str =
    r#"{"subject":{"exchange":"Budget review","crm":"Budget call","synced":"Budget"}}"#;
const TIME: &str = r#"{"time":{"exchange":"10:00","crm":"11:00","synced":"09:00"}}"#;

#[test]
fn a_conflict_comes_back_whole_and_open() {
    let (store, a) = store_with_account();
    store
        .sync_conflicts()
        .raise(&a.id, "Boss@contoso.com", "AAMk1", SUBJECT, at(10))
        .unwrap();
    let expected = ConflictRow {
        account_id: a.id.clone(),
        item_owner: "boss@contoso.com".into(),
        item_id: "AAMk1".into(),
        detected_at: at(10),
        fields: SUBJECT.into(),
        resolution: None,
        resolved_at: None,
    };
    assert_eq!(
        store
            .sync_conflicts()
            .get(&a.id, "boss@contoso.com", "AAMk1")
            .unwrap()
            .as_ref(),
        Some(&expected)
    );
    assert_eq!(store.sync_conflicts().open(&a.id).unwrap(), [expected]);
}

#[test]
fn raising_the_same_conflict_again_changes_nothing_not_even_the_choice() {
    let (store, a) = store_with_account();
    let conflicts = store.sync_conflicts();
    conflicts
        .raise(&a.id, "boss@contoso.com", "AAMk1", SUBJECT, at(10))
        .unwrap();
    conflicts
        .resolve(&a.id, "boss@contoso.com", "AAMk1", Resolution::Crm, at(11))
        .unwrap();
    let settled = conflicts.get(&a.id, "boss@contoso.com", "AAMk1").unwrap();

    conflicts
        .raise(&a.id, "boss@contoso.com", "AAMk1", SUBJECT, at(12))
        .unwrap();
    assert_eq!(
        conflicts.get(&a.id, "boss@contoso.com", "AAMk1").unwrap(),
        settled
    );
    assert!(conflicts.open(&a.id).unwrap().is_empty());
}

#[test]
fn a_conflict_over_other_values_replaces_the_item_s_conflict_and_its_choice() {
    let (store, a) = store_with_account();
    let conflicts = store.sync_conflicts();
    conflicts
        .raise(&a.id, "boss@contoso.com", "AAMk1", SUBJECT, at(10))
        .unwrap();
    conflicts
        .resolve(
            &a.id,
            "boss@contoso.com",
            "AAMk1",
            Resolution::Exchange,
            at(11),
        )
        .unwrap();
    conflicts
        .raise(&a.id, "boss@contoso.com", "AAMk1", TIME, at(12))
        .unwrap();

    let open = conflicts.open(&a.id).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].fields, TIME);
    assert_eq!(open[0].detected_at, at(12));
    assert_eq!((open[0].resolution, open[0].resolved_at), (None, None));
}

#[test]
fn the_user_s_choice_settles_the_conflict_until_it_is_cleared() {
    let (store, a) = store_with_account();
    let conflicts = store.sync_conflicts();
    conflicts
        .raise(&a.id, "boss@contoso.com", "AAMk1", SUBJECT, at(10))
        .unwrap();
    conflicts
        .raise(&a.id, "boss@contoso.com", "AAMk2", TIME, at(11))
        .unwrap();

    assert!(conflicts
        .resolve(
            &a.id,
            "Boss@contoso.com",
            "AAMk1",
            Resolution::Exchange,
            at(12)
        )
        .unwrap());
    // A change of mind before the choice was applied.
    assert!(conflicts
        .resolve(&a.id, "boss@contoso.com", "AAMk1", Resolution::Crm, at(13))
        .unwrap());
    let settled = conflicts
        .get(&a.id, "boss@contoso.com", "AAMk1")
        .unwrap()
        .unwrap();
    assert_eq!(settled.resolution, Some(Resolution::Crm));
    assert_eq!(settled.resolved_at, Some(at(13)));
    let open: Vec<_> = conflicts
        .open(&a.id)
        .unwrap()
        .into_iter()
        .map(|c| c.item_id)
        .collect();
    assert_eq!(open, ["AAMk2"]);

    assert!(conflicts.clear(&a.id, "boss@contoso.com", "AAMk1").unwrap());
    assert!(!conflicts.clear(&a.id, "boss@contoso.com", "AAMk1").unwrap());
    assert_eq!(
        conflicts.get(&a.id, "boss@contoso.com", "AAMk1").unwrap(),
        None
    );
    assert!(!conflicts
        .resolve(&a.id, "boss@contoso.com", "AAMk1", Resolution::Crm, at(14))
        .unwrap());
}

#[test]
fn a_conflict_goes_once_its_item_is_synced_after_it_was_found() {
    let (store, a) = store_with_account();
    let conflicts = store.sync_conflicts();
    for item in ["AAMk1", "AAMk2", "AAMk3"] {
        conflicts
            .raise(&a.id, "boss@contoso.com", item, SUBJECT, at(11))
            .unwrap();
    }
    // AAMk1 was synced again after its conflict was found (the user changed Outlook to match);
    // AAMk2's link is from before; AAMk3 has none here (another app links it).
    let mut synced = link(&a.id, "boss@contoso.com", "AAMk1", "00U1");
    synced.synced_at = at(12);
    store.sync_links().upsert(&synced).unwrap();
    store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk2", "00U2"))
        .unwrap();

    assert_eq!(conflicts.settle_synced(&a.id).unwrap(), 1);
    let open: Vec<_> = conflicts
        .open(&a.id)
        .unwrap()
        .into_iter()
        .map(|c| c.item_id)
        .collect();
    assert_eq!(open, ["AAMk2", "AAMk3"]);
    assert_eq!(conflicts.settle_synced(&a.id).unwrap(), 0);
}

#[test]
fn open_conflicts_come_oldest_first() {
    let (store, a) = store_with_account();
    for (item, hour) in [("AAMk3", 12), ("AAMk1", 11), ("AAMk2", 10)] {
        store
            .sync_conflicts()
            .raise(&a.id, "boss@contoso.com", item, SUBJECT, at(hour))
            .unwrap();
    }
    let open: Vec<_> = store
        .sync_conflicts()
        .open(&a.id)
        .unwrap()
        .into_iter()
        .map(|c| c.item_id)
        .collect();
    assert_eq!(open, ["AAMk2", "AAMk1", "AAMk3"]);
}

#[test]
fn removing_the_account_removes_its_conflicts_only() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    for id in [&a.id, &other.id] {
        store
            .sync_conflicts()
            .raise(id, "boss@contoso.com", "AAMk1", SUBJECT, at(10))
            .unwrap();
    }
    store.accounts().remove(&a.id).unwrap();
    assert!(store.sync_conflicts().open(&a.id).unwrap().is_empty());
    assert_eq!(store.sync_conflicts().open(&other.id).unwrap().len(), 1);
}

#[test]
fn a_conflict_needs_its_account_an_item_and_json_fields() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .sync_conflicts()
        .raise("nobody.none", "boss@contoso.com", "AAMk1", SUBJECT, at(10))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");

    let (store, a) = store_with_account();
    let err = store
        .sync_conflicts()
        .raise(&a.id, "boss@contoso.com", "", SUBJECT, at(10))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Empty {
                field: "item id",
                ..
            }
        ),
        "{err:?}"
    );
    let err = store
        .sync_conflicts()
        .raise(
            &a.id,
            "boss@contoso.com",
            "AAMk1",
            "subject changed",
            at(10),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidJson { .. }), "{err:?}");
    assert!(store.sync_conflicts().open(&a.id).unwrap().is_empty());
}

#[test]
fn a_choice_is_spelled_exchange_or_crm() {
    assert_eq!(Resolution::Exchange.as_str(), "exchange");
    assert_eq!(Resolution::Crm.to_string(), "crm");
}
