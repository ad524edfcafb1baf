//! What merges overwrote: kept per item, newest first, recorded once however often a cycle
//! records it, a few per item, dismissed one by one, and gone with the account.

mod common;

use common::{account, at, store_with_account};
use onbehalf_store::{Store, StoreError, OVERWRITES_KEPT_PER_ITEM};

const OUTLOOK_WON: &str = r#"{"subject":"Budget review","fields":[{"field":"subject","winner":"exchange","kept":"Budget review","overwritten":"Budget call"}]}"#;
const CRM_WON: &str = r#"{"subject":"Budget call","fields":[{"field":"subject","winner":"crm","kept":"Budget call","overwritten":"Budget review"}]}"#;

#[test]
fn what_was_overwritten_is_listed_newest_first() {
    let (store, a) = store_with_account();
    let overwrites = store.sync_overwrites();
    assert!(overwrites
        .record(&a.id, "Boss@Contoso.com", "AAMk1", OUTLOOK_WON, at(10))
        .unwrap());
    assert!(overwrites
        .record(&a.id, "boss@contoso.com", "AAMk2", CRM_WON, at(12))
        .unwrap());
    assert!(overwrites
        .record(&a.id, "boss@contoso.com", "AAMk1", CRM_WON, at(11))
        .unwrap());

    let listed = overwrites.list(&a.id).unwrap();
    let order: Vec<_> = listed
        .iter()
        .map(|o| (o.item_id.as_str(), o.decided_at))
        .collect();
    assert_eq!(
        order,
        [("AAMk2", at(12)), ("AAMk1", at(11)), ("AAMk1", at(10))]
    );
    assert_eq!(listed[2].item_owner, "boss@contoso.com");
    assert_eq!(listed[2].detail, OUTLOOK_WON);
    assert_eq!(listed[2].dismissed_at, None);
}

#[test]
fn the_same_merge_recorded_again_adds_nothing() {
    let (store, a) = store_with_account();
    let overwrites = store.sync_overwrites();
    assert!(overwrites
        .record(&a.id, "boss@contoso.com", "AAMk1", OUTLOOK_WON, at(10))
        .unwrap());
    assert!(!overwrites
        .record(&a.id, "boss@contoso.com", "AAMk1", OUTLOOK_WON, at(11))
        .unwrap());
    let listed = overwrites.list(&a.id).unwrap();
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].decided_at, at(10));
}

#[test]
fn only_the_newest_notices_of_an_item_are_kept() {
    let (store, a) = store_with_account();
    let overwrites = store.sync_overwrites();
    for n in 0..OVERWRITES_KEPT_PER_ITEM + 3 {
        let detail = format!(r#"{{"subject":"Review {n}","fields":[]}}"#);
        overwrites
            .record(&a.id, "boss@contoso.com", "AAMk1", &detail, at(1 + n))
            .unwrap();
    }
    let listed = overwrites.list(&a.id).unwrap();
    assert_eq!(listed.len(), OVERWRITES_KEPT_PER_ITEM as usize);
    assert_eq!(listed[0].decided_at, at(OVERWRITES_KEPT_PER_ITEM + 3));
    assert_eq!(
        listed.last().map(|o| o.decided_at),
        Some(at(4)),
        "the three oldest went"
    );
}

#[test]
fn a_dismissed_notice_is_no_longer_listed() {
    let (store, a) = store_with_account();
    let overwrites = store.sync_overwrites();
    overwrites
        .record(&a.id, "boss@contoso.com", "AAMk1", OUTLOOK_WON, at(10))
        .unwrap();
    overwrites
        .record(&a.id, "boss@contoso.com", "AAMk2", CRM_WON, at(11))
        .unwrap();
    let first = overwrites.list(&a.id).unwrap()[1].id;

    assert!(overwrites.dismiss(&a.id, first, at(12)).unwrap());
    assert!(!overwrites.dismiss(&a.id, first, at(13)).unwrap());
    let left: Vec<_> = overwrites
        .list(&a.id)
        .unwrap()
        .into_iter()
        .map(|o| o.item_id)
        .collect();
    assert_eq!(left, ["AAMk2"]);
    // Dismissed, the same merge recorded again stays quiet.
    assert!(!overwrites
        .record(&a.id, "boss@contoso.com", "AAMk1", OUTLOOK_WON, at(14))
        .unwrap());
}

#[test]
fn another_accounts_notice_cannot_be_dismissed_and_removal_takes_only_the_accounts() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    for id in [&a.id, &other.id] {
        store
            .sync_overwrites()
            .record(id, "boss@contoso.com", "AAMk1", OUTLOOK_WON, at(10))
            .unwrap();
    }
    let others = store.sync_overwrites().list(&other.id).unwrap()[0].id;
    assert!(!store
        .sync_overwrites()
        .dismiss(&a.id, others, at(11))
        .unwrap());

    store.accounts().remove(&a.id).unwrap();
    assert!(store.sync_overwrites().list(&a.id).unwrap().is_empty());
    assert_eq!(store.sync_overwrites().list(&other.id).unwrap().len(), 1);
}

#[test]
fn a_notice_needs_its_account_an_item_and_json() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .sync_overwrites()
        .record(
            "nobody.none",
            "boss@contoso.com",
            "AAMk1",
            OUTLOOK_WON,
            at(10),
        )
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");

    let (store, a) = store_with_account();
    let err = store
        .sync_overwrites()
        .record(&a.id, "boss@contoso.com", "", OUTLOOK_WON, at(10))
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
        .sync_overwrites()
        .record(&a.id, "boss@contoso.com", "AAMk1", "subject", at(10))
        .unwrap_err();
    assert!(matches!(err, StoreError::InvalidJson { .. }), "{err:?}");
}
