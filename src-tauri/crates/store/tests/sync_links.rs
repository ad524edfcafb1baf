//! The sync's links between calendar items and CRM events: kept whole, found from either side,
//! never linking one event twice, gone with the account; and a data folder from before the sync
//! existed upgrades with everything in it.

mod common;

use common::{account, at, link, store_with_account};
use onbehalf_store::{LinkRow, Resolution, Store, StoreError, SCHEMA_VERSION};
use rstest::rstest;

#[test]
fn a_link_comes_back_whole_by_item_and_by_event() {
    let (store, a) = store_with_account();
    let l = link(&a.id, "boss@contoso.com", "AAMk1", "00U1");
    store.sync_links().upsert(&l).unwrap();

    assert_eq!(
        store
            .sync_links()
            .get(&a.id, "boss@contoso.com", "AAMk1")
            .unwrap(),
        Some(l.clone())
    );
    assert_eq!(
        store
            .sync_links()
            .by_event(&a.id, "salesforce", "00D5e000000Contoso", "00U1")
            .unwrap(),
        Some(l.clone())
    );
    assert_eq!(store.sync_links().list(&a.id, None).unwrap(), [l]);
}

#[test]
fn a_link_without_who_what_or_synced_fields_keeps_them_empty() {
    let (store, a) = store_with_account();
    let l = LinkRow {
        who_id: None,
        what_id: None,
        synced_fields: None,
        ..link(&a.id, "boss@contoso.com", "AAMk1", "00U1")
    };
    store.sync_links().upsert(&l).unwrap();
    assert_eq!(
        store
            .sync_links()
            .get(&a.id, "boss@contoso.com", "AAMk1")
            .unwrap(),
        Some(l)
    );
}

#[test]
fn the_same_link_written_twice_changes_nothing() {
    let (store, a) = store_with_account();
    let l = link(&a.id, "boss@contoso.com", "AAMk1", "00U1");
    store.sync_links().upsert(&l).unwrap();
    let first = store.sync_links().list(&a.id, None).unwrap();
    store.sync_links().upsert(&l).unwrap();
    assert_eq!(store.sync_links().list(&a.id, None).unwrap(), first);
}

#[test]
fn a_later_sync_advances_the_link_in_place() {
    let (store, a) = store_with_account();
    store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();
    let later = LinkRow {
        what_id: Some("006Deal".into()),
        synced_hashes: r#"{"subject":"c3","time":"b2"}"#.into(),
        ex_version: "CQAAABYAAAB2".into(),
        crm_version: "2026-03-02T11:00:00.000+0000".into(),
        synced_at: at(11),
        ..link(&a.id, "boss@contoso.com", "AAMk1", "00U1")
    };
    store.sync_links().upsert(&later).unwrap();
    assert_eq!(store.sync_links().list(&a.id, None).unwrap(), [later]);
}

#[rstest]
#[case::mixed_case("Boss@Contoso.COM")]
#[case::surrounding_space(" boss@contoso.com\t")]
fn the_owner_is_stored_and_found_in_one_spelling(#[case] typed: &str) {
    let (store, a) = store_with_account();
    store
        .sync_links()
        .upsert(&link(&a.id, typed, "AAMk1", "00U1"))
        .unwrap();
    let stored = store
        .sync_links()
        .get(&a.id, "boss@contoso.com", "AAMk1")
        .unwrap()
        .unwrap();
    assert_eq!(stored.item_owner, "boss@contoso.com");
    assert!(store
        .sync_links()
        .get(&a.id, typed, "AAMk1")
        .unwrap()
        .is_some());
    assert_eq!(
        store.sync_links().list(&a.id, Some(typed)).unwrap().len(),
        1
    );
}

#[test]
fn linking_a_second_item_to_the_same_event_is_refused_and_names_the_first() {
    let (store, a) = store_with_account();
    let first = link(&a.id, "boss@contoso.com", "AAMk1", "00U1");
    store.sync_links().upsert(&first).unwrap();

    let err = store
        .sync_links()
        .upsert(&link(&a.id, "Adele@contoso.com", "AAMk2", "00U1"))
        .unwrap_err();
    match &err {
        StoreError::EventAlreadyLinked {
            event_id,
            linked_owner,
            linked_item_id,
        } => {
            assert_eq!(event_id, "00U1");
            assert_eq!(linked_owner, "boss@contoso.com");
            assert_eq!(linked_item_id, "AAMk1");
        }
        other => panic!("expected EventAlreadyLinked, got {other:?}"),
    }
    assert!(err.to_string().contains("already linked"), "{err}");
    assert_eq!(store.sync_links().list(&a.id, None).unwrap(), [first]);
}

#[test]
fn the_database_itself_holds_one_link_per_event() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    let store = Store::open(&path).unwrap();
    let a = account("contoso", "megan");
    store.accounts().upsert(&a).unwrap();
    store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();

    let raw = rusqlite::Connection::open(&path).unwrap();
    let err = raw
        .execute(
            "INSERT INTO sync_links SELECT account_id, item_owner, 'AAMk2', crm, org_id,
                event_id, crm_owner_id, who_id, what_id, synced_hashes, synced_fields,
                ex_version, crm_version, synced_at
             FROM sync_links",
            [],
        )
        .unwrap_err();
    assert_eq!(
        err.sqlite_error_code(),
        Some(rusqlite::ErrorCode::ConstraintViolation),
        "{err}"
    );
    assert_eq!(store.sync_links().list(&a.id, None).unwrap().len(), 1);
}

#[test]
fn moving_an_item_onto_an_event_linked_elsewhere_is_refused_too() {
    let (store, a) = store_with_account();
    let one = link(&a.id, "boss@contoso.com", "AAMk1", "00U1");
    let two = link(&a.id, "boss@contoso.com", "AAMk2", "00U2");
    store.sync_links().upsert(&one).unwrap();
    store.sync_links().upsert(&two).unwrap();
    let err = store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk2", "00U1"))
        .unwrap_err();
    assert!(
        matches!(err, StoreError::EventAlreadyLinked { .. }),
        "{err:?}"
    );
    assert_eq!(store.sync_links().list(&a.id, None).unwrap(), [one, two]);
}

#[test]
fn an_event_may_be_linked_again_once_its_link_is_removed() {
    let (store, a) = store_with_account();
    store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();
    assert!(store
        .sync_links()
        .remove(&a.id, "Boss@contoso.com", "AAMk1")
        .unwrap());
    assert!(!store
        .sync_links()
        .remove(&a.id, "boss@contoso.com", "AAMk1")
        .unwrap());
    let again = link(&a.id, "boss@contoso.com", "AAMk2", "00U1");
    store.sync_links().upsert(&again).unwrap();
    assert_eq!(
        store
            .sync_links()
            .by_event(&a.id, "salesforce", "00D5e000000Contoso", "00U1")
            .unwrap(),
        Some(again)
    );
}

#[test]
fn the_same_event_id_in_another_org_or_account_is_another_event() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();
    store
        .sync_links()
        .upsert(&LinkRow {
            org_id: "00D5e000000Sandbox".into(),
            ..link(&a.id, "boss@contoso.com", "AAMk2", "00U1")
        })
        .unwrap();
    store
        .sync_links()
        .upsert(&link(&other.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();
    assert_eq!(store.sync_links().list(&a.id, None).unwrap().len(), 2);
    assert_eq!(store.sync_links().list(&other.id, None).unwrap().len(), 1);
}

#[test]
fn links_are_listed_by_owner_then_item_and_filtered_by_owner() {
    let (store, a) = store_with_account();
    for (owner, item, event) in [
        ("zoe@contoso.com", "AAMk3", "00U3"),
        ("boss@contoso.com", "AAMk2", "00U2"),
        ("boss@contoso.com", "AAMk1", "00U1"),
    ] {
        store
            .sync_links()
            .upsert(&link(&a.id, owner, item, event))
            .unwrap();
    }
    let keys = |rows: Vec<LinkRow>| -> Vec<(String, String)> {
        rows.into_iter()
            .map(|l| (l.item_owner, l.item_id))
            .collect()
    };
    assert_eq!(
        keys(store.sync_links().list(&a.id, None).unwrap()),
        [
            ("boss@contoso.com".to_string(), "AAMk1".to_string()),
            ("boss@contoso.com".into(), "AAMk2".into()),
            ("zoe@contoso.com".into(), "AAMk3".into()),
        ]
    );
    assert_eq!(
        keys(
            store
                .sync_links()
                .list(&a.id, Some("zoe@contoso.com"))
                .unwrap()
        ),
        [("zoe@contoso.com".to_string(), "AAMk3".to_string())]
    );
    assert!(store
        .sync_links()
        .list(&a.id, Some("nobody@contoso.com"))
        .unwrap()
        .is_empty());
}

#[test]
fn removing_the_account_removes_its_links_only() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    store
        .sync_links()
        .upsert(&link(&a.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();
    store
        .sync_links()
        .upsert(&link(&other.id, "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap();
    store.accounts().remove(&a.id).unwrap();
    assert!(store.sync_links().list(&a.id, None).unwrap().is_empty());
    assert_eq!(store.sync_links().list(&other.id, None).unwrap().len(), 1);
}

#[test]
fn a_link_needs_its_account() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .sync_links()
        .upsert(&link("nobody.none", "boss@contoso.com", "AAMk1", "00U1"))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");
}

#[rstest]
#[case::owner(link("", "  ", "AAMk1", "00U1"), "owner address")]
#[case::item(link("", "boss@contoso.com", "", "00U1"), "item id")]
#[case::event(link("", "boss@contoso.com", "AAMk1", ""), "CRM event id")]
#[case::crm_owner(
    LinkRow { crm_owner_id: "".into(), ..link("", "boss@contoso.com", "AAMk1", "00U1") },
    "CRM owner id"
)]
fn a_link_with_an_empty_key_is_refused(#[case] bad: LinkRow, #[case] expected: &str) {
    let (store, a) = store_with_account();
    let bad = LinkRow {
        account_id: a.id.clone(),
        ..bad
    };
    let err = store.sync_links().upsert(&bad).unwrap_err();
    assert!(
        matches!(err, StoreError::Empty { field, .. } if field == expected),
        "{err:?}"
    );
    assert!(store.sync_links().list(&a.id, None).unwrap().is_empty());
}

#[rstest]
#[case::hashes(
    LinkRow { synced_hashes: "{subject".into(), ..link("", "boss@contoso.com", "AAMk1", "00U1") },
    "synced field hashes"
)]
#[case::fields(
    LinkRow { synced_fields: Some("".into()), ..link("", "boss@contoso.com", "AAMk1", "00U1") },
    "synced fields"
)]
fn a_link_whose_json_is_not_json_is_refused(#[case] bad: LinkRow, #[case] expected: &str) {
    let (store, a) = store_with_account();
    let bad = LinkRow {
        account_id: a.id.clone(),
        ..bad
    };
    let err = store.sync_links().upsert(&bad).unwrap_err();
    assert!(
        matches!(err, StoreError::InvalidJson { field, .. } if field == expected),
        "{err:?}"
    );
    assert!(store.sync_links().list(&a.id, None).unwrap().is_empty());
}

#[test]
fn a_data_folder_of_schema_2_upgrades_keeping_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
            .unwrap();
        conn.execute_batch(include_str!("../migrations/0002_crm_accounts.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 2).unwrap();
        conn.execute_batch(
            "INSERT INTO settings VALUES ('profile_id', 'p1');
             INSERT INTO accounts VALUES
                ('t.o', 't', 'o', 'o@contoso.com', 'O', 'a', 'c', 'g', '2026-03-02 09:00:00+00:00');
             INSERT INTO current_account VALUES (1, 't.o');
             INSERT INTO added_owners VALUES ('t.o', 'boss@contoso.com', '2026-03-02 09:00:00+00:00');
             INSERT INTO calendars VALUES ('t.o', 'boss@contoso.com', 'default', 'Calendar',
                '{}', 'write', 'inferred', '2026-03-02 10:00:00+00:00');
             INSERT INTO crm_accounts VALUES ('t.o', 'salesforce', '00D5e000000Contoso', '005A',
                'O', 'o@contoso.com', 'https://login.salesforce.com',
                'https://contoso.my.salesforce.com', '2026-03-02 10:00:00+00:00');",
        )
        .unwrap();
    }

    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(SCHEMA_VERSION, 8);
    assert_eq!(
        store.accounts().current().unwrap().unwrap().address,
        "o@contoso.com"
    );
    assert_eq!(
        store.settings().get("profile_id").unwrap().as_deref(),
        Some("p1")
    );
    assert_eq!(store.owners().list("t.o").unwrap().len(), 1);
    assert_eq!(
        store.calendars().list("t.o").unwrap()[0]
            .graph_role
            .as_deref(),
        Some("write")
    );
    assert_eq!(
        store.crm_accounts().get("t.o").unwrap().unwrap().user_id,
        "005A"
    );

    // Every sync table takes the account's rows.
    let l = link("t.o", "boss@contoso.com", "AAMk1", "00U1");
    store.sync_links().upsert(&l).unwrap();
    store
        .sync_cursors()
        .set(
            "t.o",
            "own_calendar_delta",
            "https://graph/delta?token=1",
            at(11),
        )
        .unwrap();
    store
        .sync_outbox()
        .enqueue(&common::intent("t.o", "7d1e", at(11)))
        .unwrap();
    store
        .sync_conflicts()
        .raise("t.o", "boss@contoso.com", "AAMk1", "{}", at(11))
        .unwrap();
    store
        .sync_conflicts()
        .resolve("t.o", "boss@contoso.com", "AAMk1", Resolution::Crm, at(12))
        .unwrap();
    store
        .sync_problems()
        .raise("t.o", "account", "crm_signed_out", "{}", at(11))
        .unwrap();
    store
        .sync_overwrites()
        .record("t.o", "boss@contoso.com", "AAMk1", "{}", at(11))
        .unwrap();
    drop(store);

    let store = Store::open(&path).unwrap();
    assert_eq!(store.sync_links().list("t.o", None).unwrap(), [l]);
    assert_eq!(
        store
            .sync_cursors()
            .get("t.o", "own_calendar_delta")
            .unwrap()
            .unwrap()
            .value,
        "https://graph/delta?token=1"
    );
    assert_eq!(store.sync_outbox().list("t.o").unwrap().len(), 1);
    assert_eq!(
        store
            .sync_conflicts()
            .get("t.o", "boss@contoso.com", "AAMk1")
            .unwrap()
            .unwrap()
            .resolution,
        Some(Resolution::Crm)
    );
    assert_eq!(store.sync_problems().open("t.o").unwrap().len(), 1);
    assert_eq!(store.sync_overwrites().list("t.o").unwrap().len(), 1);
}

#[test]
fn links_synced_before_a_time_are_forgotten_and_the_others_kept() {
    let (store, a) = store_with_account();
    let old = link(&a.id, "boss@contoso.com", "AAMkOld", "00UOld");
    let recent = LinkRow {
        synced_at: at(18),
        ..link(&a.id, "boss@contoso.com", "AAMkNew", "00UNew")
    };
    store.sync_links().upsert(&old).unwrap();
    store.sync_links().upsert(&recent).unwrap();

    let forgotten = store
        .sync_links()
        .forget_synced_before(&a.id, at(12))
        .unwrap();
    assert_eq!(forgotten, 1);
    assert_eq!(store.sync_links().list(&a.id, None).unwrap(), [recent]);
}

#[test]
fn many_links_are_kept_together_or_not_at_all() {
    let (store, a) = store_with_account();
    let first = link(&a.id, "boss@contoso.com", "AAMk1", "00U1");
    let second = link(&a.id, "boss@contoso.com", "AAMk2", "00U2");
    store
        .sync_links()
        .upsert_many(&[first.clone(), second.clone()])
        .unwrap();
    assert_eq!(store.sync_links().list(&a.id, None).unwrap().len(), 2);

    // A third item on the first's event is refused, and the fourth with it is not kept.
    let clash = link(&a.id, "boss@contoso.com", "AAMk3", "00U1");
    let fourth = link(&a.id, "boss@contoso.com", "AAMk4", "00U4");
    assert!(store.sync_links().upsert_many(&[fourth, clash]).is_err());
    assert_eq!(
        store.sync_links().list(&a.id, None).unwrap(),
        [first, second]
    );
}
