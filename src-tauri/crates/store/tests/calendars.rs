//! The stored calendar list: atomic replacement, order, and what changed.

mod common;

use common::{cal, store_with_account};
use onbehalf_store::{CalendarRow, ChangeKind, RoleChange, StoreError};
use rstest::rstest;

fn snapshot() -> Vec<CalendarRow> {
    vec![
        cal("megan@contoso.com", "own", Some("owner")),
        cal(
            "boss@contoso.com",
            "default",
            Some("delegateWithPrivateEventAccess"),
        ),
        cal("adele@contoso.com", "projects", Some("read")),
    ]
}

fn keys(rows: &[CalendarRow]) -> Vec<(String, String)> {
    rows.iter()
        .map(|r| (r.owner_address.clone(), r.calendar_key.clone()))
        .collect()
}

#[test]
fn the_list_comes_back_whole_ordered_by_owner_then_key() {
    let (store, a) = store_with_account();
    let mut rows = snapshot();
    rows.push(cal("boss@contoso.com", "birthdays", None));
    store.calendars().replace_all(&a.id, &rows).unwrap();

    let listed = store.calendars().list(&a.id).unwrap();
    assert_eq!(
        keys(&listed),
        [
            ("adele@contoso.com".to_string(), "projects".to_string()),
            ("boss@contoso.com".into(), "birthdays".into()),
            ("boss@contoso.com".into(), "default".into()),
            ("megan@contoso.com".into(), "own".into()),
        ]
    );
    let birthdays = &listed[1];
    assert_eq!(birthdays, &cal("boss@contoso.com", "birthdays", None));
}

#[test]
fn replacing_with_the_same_list_again_changes_nothing() {
    let (store, a) = store_with_account();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    let first = store.calendars().list(&a.id).unwrap();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    assert_eq!(store.calendars().list(&a.id).unwrap(), first);
}

#[test]
fn a_smaller_list_replaces_the_old_one_entirely() {
    let (store, a) = store_with_account();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    let only = [cal("megan@contoso.com", "own", Some("owner"))];
    store.calendars().replace_all(&a.id, &only).unwrap();
    assert_eq!(store.calendars().list(&a.id).unwrap(), only);
    store.calendars().replace_all(&a.id, &[]).unwrap();
    assert!(store.calendars().list(&a.id).unwrap().is_empty());
}

#[test]
fn owner_addresses_are_stored_in_one_spelling() {
    let (store, a) = store_with_account();
    store
        .calendars()
        .replace_all(&a.id, &[cal(" Boss@Contoso.com", "default", Some("write"))])
        .unwrap();
    let listed = store.calendars().list(&a.id).unwrap();
    assert_eq!(listed[0].owner_address, "boss@contoso.com");
    // Another spelling of the same calendar is not a change.
    let again = [cal("BOSS@contoso.com", "default", Some("write"))];
    assert!(store.calendars().changes(&a.id, &again).unwrap().is_empty());
}

#[test]
fn lists_of_two_accounts_are_kept_apart() {
    let (store, a) = store_with_account();
    let other = common::account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    store
        .calendars()
        .replace_all(&other.id, &[cal("lee@fabrikam.com", "own", Some("owner"))])
        .unwrap();
    store.calendars().replace_all(&a.id, &[]).unwrap();
    assert_eq!(store.calendars().list(&other.id).unwrap().len(), 1);
}

/// Each bad list fails on its last row, after the old rows were deleted and the first new ones
/// inserted: the old list must survive exactly.
#[rstest]
#[case::duplicate_calendar(cal("boss@contoso.com", "default", Some("read")))]
#[case::invalid_json(
    CalendarRow { entry_json: "{not json".into(), ..cal("new@contoso.com", "x", None) }
)]
fn a_failed_replacement_leaves_the_old_list_intact(#[case] bad_last_row: CalendarRow) {
    let (store, a) = store_with_account();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    let before = store.calendars().list(&a.id).unwrap();

    let mut new = vec![
        cal("boss@contoso.com", "default", Some("write")),
        cal("zoe@contoso.com", "team", Some("read")),
    ];
    new.push(bad_last_row);
    let err = store.calendars().replace_all(&a.id, &new).unwrap_err();
    match &err {
        StoreError::Sqlite { step, .. } => assert_eq!(*step, "save the calendar list"),
        other => panic!("expected a SQLite constraint error, got {other:?}"),
    }
    assert!(err
        .to_string()
        .starts_with("could not save the calendar list"));
    assert_eq!(store.calendars().list(&a.id).unwrap(), before);
}

#[test]
fn an_empty_calendar_key_is_refused_without_touching_the_old_list() {
    let (store, a) = store_with_account();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    let before = store.calendars().list(&a.id).unwrap();
    let new = [
        cal("boss@contoso.com", "default", None),
        cal("zoe@contoso.com", "", None),
    ];
    let err = store.calendars().replace_all(&a.id, &new).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Empty {
                field: "calendar key",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(store.calendars().list(&a.id).unwrap(), before);
}

fn change(
    owner: &str,
    key: &str,
    kind: ChangeKind,
    before: Option<&str>,
    after: Option<&str>,
) -> RoleChange {
    RoleChange {
        owner_address: owner.into(),
        calendar_key: key.into(),
        kind,
        before: before.map(str::to_string),
        after: after.map(str::to_string),
    }
}

#[rstest]
#[case::nothing_changed(snapshot(), vec![])]
#[case::only_the_name_and_time_changed(
    snapshot().into_iter().map(|r| CalendarRow { name: "Renamed".into(), source: "published".into(), seen_at: common::at(18), ..r }).collect(),
    vec![]
)]
#[case::a_calendar_appeared(
    { let mut s = snapshot(); s.push(cal("cfo@contoso.com", "default", Some("limitedRead"))); s },
    vec![change("cfo@contoso.com", "default", ChangeKind::Appeared, None, Some("limitedRead"))]
)]
#[case::a_calendar_appeared_without_a_known_role(
    { let mut s = snapshot(); s.push(cal("cfo@contoso.com", "default", None)); s },
    vec![change("cfo@contoso.com", "default", ChangeKind::Appeared, None, None)]
)]
#[case::a_calendar_vanished(
    snapshot().into_iter().filter(|r| r.owner_address != "adele@contoso.com").collect(),
    vec![change("adele@contoso.com", "projects", ChangeKind::Vanished, Some("read"), None)]
)]
#[case::a_role_was_lowered(
    snapshot().into_iter().map(|r| match r.owner_address.as_str() {
        "boss@contoso.com" => CalendarRow { graph_role: Some("write".into()), ..r },
        _ => r,
    }).collect(),
    vec![change("boss@contoso.com", "default", ChangeKind::RoleChanged, Some("delegateWithPrivateEventAccess"), Some("write"))]
)]
#[case::a_role_became_unknown(
    snapshot().into_iter().map(|r| match r.owner_address.as_str() {
        "adele@contoso.com" => CalendarRow { graph_role: None, ..r },
        _ => r,
    }).collect(),
    vec![change("adele@contoso.com", "projects", ChangeKind::RoleChanged, Some("read"), None)]
)]
#[case::everything_at_once_in_stable_order(
    vec![
        cal("megan@contoso.com", "own", Some("owner")),
        cal("boss@contoso.com", "default", Some("read")),
        cal("aaron@contoso.com", "default", Some("freeBusyRead")),
    ],
    vec![
        change("aaron@contoso.com", "default", ChangeKind::Appeared, None, Some("freeBusyRead")),
        change("adele@contoso.com", "projects", ChangeKind::Vanished, Some("read"), None),
        change("boss@contoso.com", "default", ChangeKind::RoleChanged, Some("delegateWithPrivateEventAccess"), Some("read")),
    ]
)]
fn changes_compare_a_new_list_with_the_stored_one_by_role(
    #[case] new: Vec<CalendarRow>,
    #[case] expected: Vec<RoleChange>,
) {
    let (store, a) = store_with_account();
    store.calendars().replace_all(&a.id, &snapshot()).unwrap();
    assert_eq!(store.calendars().changes(&a.id, &new).unwrap(), expected);
    // Asking does not store anything.
    assert_eq!(keys(&store.calendars().list(&a.id).unwrap()).len(), 3);
}

#[test]
fn against_an_empty_store_every_calendar_appeared() {
    let (store, a) = store_with_account();
    let changes = store.calendars().changes(&a.id, &snapshot()).unwrap();
    assert_eq!(changes.len(), 3);
    assert!(changes.iter().all(|c| c.kind == ChangeKind::Appeared));
}
