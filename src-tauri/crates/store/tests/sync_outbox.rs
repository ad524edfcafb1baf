//! The outbox of what the user asked the sync to do: kept before it is acted on, replayed
//! without change, handed out oldest first when due, its failed attempts counted, removed when
//! done, and gone with the account.

mod common;

use chrono::{Duration, TimeZone, Utc};
use common::{account, at, intent, store_with_account};
use onbehalf_store::{OutboxRow, Store, StoreError};

fn ids(rows: &[OutboxRow]) -> Vec<&str> {
    rows.iter().map(|r| r.id.as_str()).collect()
}

#[test]
fn an_intent_comes_back_whole() {
    let (store, a) = store_with_account();
    let i = intent(&a.id, "7d1e", at(10));
    assert!(store.sync_outbox().enqueue(&i).unwrap());
    assert_eq!(
        store.sync_outbox().due(&a.id, at(10)).unwrap(),
        store.sync_outbox().list(&a.id).unwrap()
    );
    assert_eq!(store.sync_outbox().list(&a.id).unwrap(), [i]);
}

#[test]
fn the_owner_is_stored_in_one_spelling() {
    let (store, a) = store_with_account();
    let i = OutboxRow {
        item_owner: " Boss@Contoso.com".into(),
        ..intent(&a.id, "7d1e", at(10))
    };
    store.sync_outbox().enqueue(&i).unwrap();
    assert_eq!(
        store.sync_outbox().list(&a.id).unwrap()[0].item_owner,
        "boss@contoso.com"
    );
}

#[test]
fn a_replayed_request_changes_nothing() {
    let (store, a) = store_with_account();
    let i = intent(&a.id, "7d1e", at(10));
    assert!(store.sync_outbox().enqueue(&i).unwrap());
    assert!(!store.sync_outbox().enqueue(&i).unwrap());
    assert_eq!(store.sync_outbox().list(&a.id).unwrap(), [i]);
}

#[test]
fn a_replay_after_failed_attempts_keeps_the_order_and_the_attempts() {
    let (store, a) = store_with_account();
    let i = intent(&a.id, "7d1e", at(10));
    store.sync_outbox().enqueue(&i).unwrap();
    store
        .sync_outbox()
        .record_attempt(&i.id, "the CRM did not answer", at(12))
        .unwrap();
    let after_attempt = store.sync_outbox().list(&a.id).unwrap();

    // The same request sent again later, as a fresh intent with the same id.
    assert!(!store
        .sync_outbox()
        .enqueue(&intent(&a.id, "7d1e", at(11)))
        .unwrap());
    assert_eq!(store.sync_outbox().list(&a.id).unwrap(), after_attempt);
}

#[test]
fn due_intents_come_oldest_first_and_not_before_their_time() {
    let (store, a) = store_with_account();
    let outbox = store.sync_outbox();
    for (id, hour) in [("c", 12), ("a", 10), ("b", 11), ("later", 9)] {
        outbox.enqueue(&intent(&a.id, id, at(hour))).unwrap();
    }
    outbox
        .record_attempt("later", "the owner's calendar was busy", at(15))
        .unwrap();

    assert_eq!(ids(&outbox.due(&a.id, at(9)).unwrap()), Vec::<&str>::new());
    assert_eq!(ids(&outbox.due(&a.id, at(11)).unwrap()), ["a", "b"]);
    assert_eq!(ids(&outbox.due(&a.id, at(14)).unwrap()), ["a", "b", "c"]);
    assert_eq!(
        ids(&outbox.due(&a.id, at(15)).unwrap()),
        ["later", "a", "b", "c"]
    );
    assert_eq!(ids(&outbox.list(&a.id).unwrap()), ["later", "a", "b", "c"]);
}

#[test]
fn intents_made_in_the_same_second_keep_their_order() {
    let (store, a) = store_with_account();
    let base = Utc.with_ymd_and_hms(2026, 3, 2, 10, 0, 0).unwrap();
    let times = [
        ("d", base + Duration::milliseconds(1500)),
        ("a", base),
        ("c", base + Duration::microseconds(1)),
        ("b", base + Duration::nanoseconds(1)),
        (
            "e",
            base + Duration::seconds(1) + Duration::milliseconds(10),
        ),
    ];
    for (id, created) in times {
        store
            .sync_outbox()
            .enqueue(&intent(&a.id, id, created))
            .unwrap();
    }
    assert_eq!(
        ids(&store.sync_outbox().list(&a.id).unwrap()),
        ["a", "b", "c", "e", "d"]
    );
    assert_eq!(
        ids(&store
            .sync_outbox()
            .due(&a.id, base + Duration::microseconds(1))
            .unwrap()),
        ["a", "b", "c"]
    );
}

#[test]
fn each_failed_attempt_is_counted_with_its_error_and_next_time() {
    let (store, a) = store_with_account();
    let outbox = store.sync_outbox();
    let i = intent(&a.id, "7d1e", at(10));
    outbox.enqueue(&i).unwrap();

    assert!(outbox
        .record_attempt(&i.id, "the CRM did not answer", at(11))
        .unwrap());
    assert!(outbox
        .record_attempt(&i.id, "the CRM refused: row lock", at(13))
        .unwrap());
    assert_eq!(
        outbox.list(&a.id).unwrap(),
        [OutboxRow {
            attempts: 2,
            next_attempt_at: at(13),
            last_error: Some("the CRM refused: row lock".into()),
            ..i
        }]
    );
    assert!(outbox.due(&a.id, at(12)).unwrap().is_empty());
    assert_eq!(outbox.due(&a.id, at(13)).unwrap().len(), 1);
    assert!(!outbox.record_attempt("gone", "x", at(13)).unwrap());
}

#[test]
fn a_done_intent_leaves_the_outbox() {
    let (store, a) = store_with_account();
    let outbox = store.sync_outbox();
    outbox.enqueue(&intent(&a.id, "a", at(10))).unwrap();
    outbox.enqueue(&intent(&a.id, "b", at(11))).unwrap();
    assert!(outbox.done("a").unwrap());
    assert!(!outbox.done("a").unwrap());
    assert_eq!(ids(&outbox.list(&a.id).unwrap()), ["b"]);
}

#[test]
fn intents_are_kept_per_account_and_go_with_it() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    let outbox = store.sync_outbox();
    outbox.enqueue(&intent(&a.id, "a", at(10))).unwrap();
    outbox.enqueue(&intent(&other.id, "b", at(10))).unwrap();
    assert_eq!(ids(&outbox.due(&a.id, at(10)).unwrap()), ["a"]);

    store.accounts().remove(&a.id).unwrap();
    assert!(outbox.list(&a.id).unwrap().is_empty());
    assert_eq!(ids(&outbox.list(&other.id).unwrap()), ["b"]);
}

#[test]
fn an_intent_needs_its_account_a_key_and_a_json_payload() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .sync_outbox()
        .enqueue(&intent("nobody.none", "a", at(10)))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");

    let (store, a) = store_with_account();
    let err = store
        .sync_outbox()
        .enqueue(&intent(&a.id, "", at(10)))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Empty {
                field: "request id",
                ..
            }
        ),
        "{err:?}"
    );
    let err = store
        .sync_outbox()
        .enqueue(&OutboxRow {
            payload: "share it".into(),
            ..intent(&a.id, "a", at(10))
        })
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidJson {
                field: "request payload",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(store.sync_outbox().list(&a.id).unwrap().is_empty());
}
