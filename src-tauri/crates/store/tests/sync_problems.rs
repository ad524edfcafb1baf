//! Problems the sync tells the user about: raised, refreshed, dismissed and quiet until they
//! change, resolved when their cause is gone, back when it returns, and gone with the account.

mod common;

use common::{account, at, store_with_account};
use onbehalf_store::{
    item_subject, ProblemRow, RaiseOutcome, Store, StoreError, ACCOUNT_SUBJECT, ITEM_SUBJECT_PREFIX,
};

const NO_CRM_USER: &str = "owner_has_no_crm_user";
const SIGNED_OUT: &str = "crm_signed_out";
const DETAIL: &str = r#"{"owner":"boss@contoso.com"}"#;
const OTHER_DETAIL: &str = r#"{"owner":"boss@contoso.com","org":"00D5e000000Sandbox"}"#;

fn keys(rows: &[ProblemRow]) -> Vec<(&str, &str)> {
    rows.iter()
        .map(|p| (p.subject.as_str(), p.cause.as_str()))
        .collect()
}

#[test]
fn an_item_subject_names_the_owner_in_one_spelling() {
    assert_eq!(
        item_subject(" Boss@Contoso.com", "AAMk1"),
        "item:boss@contoso.com/AAMk1"
    );
    assert!(item_subject("boss@contoso.com", "AAMk1").starts_with(ITEM_SUBJECT_PREFIX));
}

#[test]
fn a_new_problem_is_open_and_comes_back_whole() {
    let (store, a) = store_with_account();
    let item = item_subject("boss@contoso.com", "AAMk1");
    assert_eq!(
        store
            .sync_problems()
            .raise(&a.id, &item, NO_CRM_USER, DETAIL, at(10))
            .unwrap(),
        RaiseOutcome::New
    );
    let expected = ProblemRow {
        account_id: a.id.clone(),
        subject: item.clone(),
        cause: NO_CRM_USER.into(),
        detail: DETAIL.into(),
        raised_at: at(10),
        updated_at: at(10),
        notified_at: None,
        dismissed_at: None,
        resolved_at: None,
    };
    assert_eq!(
        store
            .sync_problems()
            .get(&a.id, &item, NO_CRM_USER)
            .unwrap()
            .as_ref(),
        Some(&expected)
    );
    assert_eq!(store.sync_problems().open(&a.id).unwrap(), [expected]);
}

#[test]
fn raising_an_open_problem_again_updates_it_and_a_replay_changes_nothing() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    problems
        .mark_notified(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(10))
        .unwrap();
    assert_eq!(
        problems
            .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, OTHER_DETAIL, at(11))
            .unwrap(),
        RaiseOutcome::Updated
    );
    let updated = problems.get(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT).unwrap();
    let row = updated.clone().unwrap();
    assert_eq!(
        (
            row.detail.as_str(),
            row.raised_at,
            row.updated_at,
            row.notified_at
        ),
        (OTHER_DETAIL, at(10), at(11), Some(at(10)))
    );

    assert_eq!(
        problems
            .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, OTHER_DETAIL, at(11))
            .unwrap(),
        RaiseOutcome::Updated
    );
    assert_eq!(
        problems.get(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT).unwrap(),
        updated
    );
}

#[test]
fn a_dismissed_problem_stays_quiet_until_its_detail_changes() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    let item = item_subject("boss@contoso.com", "AAMk1");
    problems
        .raise(&a.id, &item, NO_CRM_USER, DETAIL, at(10))
        .unwrap();
    problems
        .mark_notified(&a.id, &item, NO_CRM_USER, at(10))
        .unwrap();
    assert!(problems.dismiss(&a.id, &item, NO_CRM_USER, at(11)).unwrap());
    assert!(problems.open(&a.id).unwrap().is_empty());

    assert_eq!(
        problems
            .raise(&a.id, &item, NO_CRM_USER, DETAIL, at(12))
            .unwrap(),
        RaiseOutcome::StillDismissed
    );
    assert!(problems.open(&a.id).unwrap().is_empty());
    let dismissed = problems.get(&a.id, &item, NO_CRM_USER).unwrap().unwrap();
    assert_eq!(dismissed.dismissed_at, Some(at(11)));
    assert_eq!(dismissed.updated_at, at(12));

    assert_eq!(
        problems
            .raise(&a.id, &item, NO_CRM_USER, OTHER_DETAIL, at(13))
            .unwrap(),
        RaiseOutcome::New
    );
    let open = problems.open(&a.id).unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(
        (
            open[0].detail.as_str(),
            open[0].raised_at,
            open[0].notified_at,
            open[0].dismissed_at
        ),
        (OTHER_DETAIL, at(13), None, None)
    );
}

#[test]
fn a_dismissal_holds_while_the_same_problem_comes_and_goes() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    problems
        .dismiss(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(11))
        .unwrap();
    assert!(problems
        .resolve(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(12))
        .unwrap());
    assert_eq!(
        problems
            .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(13))
            .unwrap(),
        RaiseOutcome::StillDismissed
    );
    let row = problems
        .get(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT)
        .unwrap()
        .unwrap();
    assert_eq!((row.dismissed_at, row.resolved_at), (Some(at(11)), None));
    assert!(problems.open(&a.id).unwrap().is_empty());
    // An owner's calendar as a whole is a subject too.
    problems
        .raise(
            &a.id,
            "owner:boss@contoso.com",
            "other_crm_org",
            DETAIL,
            at(10),
        )
        .unwrap();
    assert_eq!(
        keys(&problems.open(&a.id).unwrap()),
        [("owner:boss@contoso.com", "other_crm_org")]
    );
}

#[test]
fn a_resolved_problem_that_comes_back_is_new() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    problems
        .mark_notified(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(10))
        .unwrap();
    assert!(problems
        .resolve(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(11))
        .unwrap());
    assert!(!problems
        .resolve(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(12))
        .unwrap());
    assert!(problems.open(&a.id).unwrap().is_empty());
    assert_eq!(
        problems
            .get(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT)
            .unwrap()
            .unwrap()
            .resolved_at,
        Some(at(11))
    );

    assert_eq!(
        problems
            .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(13))
            .unwrap(),
        RaiseOutcome::New
    );
    let open = problems.open(&a.id).unwrap();
    assert_eq!(
        (open[0].raised_at, open[0].notified_at, open[0].resolved_at),
        (at(13), None, None)
    );
}

#[test]
fn a_resolved_problem_cannot_be_dismissed() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    problems
        .resolve(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(11))
        .unwrap();
    assert!(!problems
        .dismiss(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(12))
        .unwrap());
    assert!(!problems
        .dismiss(&a.id, ACCOUNT_SUBJECT, "never_raised", at(12))
        .unwrap());
}

#[test]
fn a_sync_cycle_resolves_what_it_no_longer_finds_under_its_prefix() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    let boss1 = item_subject("boss@contoso.com", "AAMk1");
    let boss2 = item_subject("boss@contoso.com", "AAMk2");
    let zoe1 = item_subject("zoe@contoso.com", "AAMk1");
    for (subject, cause) in [
        (boss1.as_str(), NO_CRM_USER),
        (boss1.as_str(), "event_deleted_in_crm"),
        (boss2.as_str(), NO_CRM_USER),
        (zoe1.as_str(), NO_CRM_USER),
        (ACCOUNT_SUBJECT, SIGNED_OUT),
    ] {
        problems
            .raise(&a.id, subject, cause, DETAIL, at(10))
            .unwrap();
    }
    problems
        .dismiss(&a.id, &boss2, NO_CRM_USER, at(10))
        .unwrap();

    // One owner's items: only the first item's first cause is still there.
    let resolved = problems
        .resolve_all_except(
            &a.id,
            &item_subject("Boss@contoso.com", ""),
            &[(boss1.clone(), NO_CRM_USER.to_string())],
            at(11),
        )
        .unwrap();
    assert_eq!(resolved, 2);
    assert_eq!(
        keys(&problems.open(&a.id).unwrap()),
        [
            (ACCOUNT_SUBJECT, SIGNED_OUT),
            (boss1.as_str(), NO_CRM_USER),
            (zoe1.as_str(), NO_CRM_USER),
        ]
    );
    let dismissed = problems.get(&a.id, &boss2, NO_CRM_USER).unwrap().unwrap();
    assert_eq!(
        (dismissed.dismissed_at, dismissed.resolved_at),
        (Some(at(10)), Some(at(11)))
    );

    // Every item: nothing is left; the account's problem is another subject.
    let none: &[(&str, &str)] = &[];
    assert_eq!(
        problems
            .resolve_all_except(&a.id, ITEM_SUBJECT_PREFIX, none, at(12))
            .unwrap(),
        2
    );
    assert_eq!(
        keys(&problems.open(&a.id).unwrap()),
        [(ACCOUNT_SUBJECT, SIGNED_OUT)]
    );
    // Run again, it finds nothing more to resolve.
    assert_eq!(
        problems
            .resolve_all_except(&a.id, ITEM_SUBJECT_PREFIX, none, at(12))
            .unwrap(),
        0
    );
    assert_eq!(
        problems
            .get(&a.id, &zoe1, NO_CRM_USER)
            .unwrap()
            .unwrap()
            .resolved_at,
        Some(at(12))
    );
}

#[test]
fn a_prefix_is_matched_literally() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    let subject = item_subject("b_ss@contoso.com", "AAMk1");
    problems
        .raise(&a.id, &subject, NO_CRM_USER, DETAIL, at(10))
        .unwrap();
    let none: &[(&str, &str)] = &[];
    // In a LIKE pattern "_" and "%" would match "boss@…".
    for prefix in ["item:boss@", "item:%", "ITEM:"] {
        assert_eq!(
            problems
                .resolve_all_except(&a.id, prefix, none, at(11))
                .unwrap(),
            0,
            "{prefix}"
        );
    }
    assert_eq!(
        problems
            .resolve_all_except(&a.id, "item:b_ss@", none, at(11))
            .unwrap(),
        1
    );
}

#[test]
fn open_problems_come_oldest_first_per_account_and_go_with_it() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    let problems = store.sync_problems();
    let item = item_subject("boss@contoso.com", "AAMk1");
    problems
        .raise(&a.id, &item, NO_CRM_USER, DETAIL, at(11))
        .unwrap();
    problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    problems
        .raise(&other.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    assert_eq!(
        keys(&problems.open(&a.id).unwrap()),
        [(ACCOUNT_SUBJECT, SIGNED_OUT), (item.as_str(), NO_CRM_USER)]
    );

    store.accounts().remove(&a.id).unwrap();
    assert!(problems.open(&a.id).unwrap().is_empty());
    assert_eq!(problems.open(&other.id).unwrap().len(), 1);
}

#[test]
fn a_problem_needs_its_account_a_known_kind_of_subject_a_cause_and_json() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .sync_problems()
        .raise("nobody.none", ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");

    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    let err = problems
        .raise(&a.id, ACCOUNT_SUBJECT, "", DETAIL, at(10))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Empty {
                field: "problem cause",
                ..
            }
        ),
        "{err:?}"
    );
    let err = problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, "signed out", at(10))
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::InvalidJson {
                field: "problem detail",
                ..
            }
        ),
        "{err:?}"
    );
    for subject in [
        "calendar",
        "item:boss@contoso.com",
        "item:/AAMk1",
        "Account",
        "owner:",
    ] {
        let err = problems
            .raise(&a.id, subject, SIGNED_OUT, DETAIL, at(10))
            .unwrap_err();
        assert!(
            matches!(
                err,
                StoreError::Sqlite {
                    step: "save the sync problem",
                    ..
                }
            ),
            "{subject}: {err:?}"
        );
    }
    assert!(problems.open(&a.id).unwrap().is_empty());
}

#[test]
fn each_problem_is_told_once_and_its_end_once() {
    let (store, a) = store_with_account();
    let problems = store.sync_problems();
    let item = item_subject("boss@contoso.com", "AAMk1");
    problems
        .raise(&a.id, &item, NO_CRM_USER, DETAIL, at(9))
        .unwrap();
    problems
        .raise(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, DETAIL, at(10))
        .unwrap();
    assert_eq!(
        keys(&problems.to_tell(&a.id).unwrap()),
        [(item.as_str(), NO_CRM_USER), (ACCOUNT_SUBJECT, SIGNED_OUT)]
    );

    // Told: not listed again while it stays, refreshed by later cycles or not.
    let told = [(item.clone(), NO_CRM_USER.to_string())];
    assert_eq!(problems.mark_told(&a.id, &told, at(10)).unwrap(), 1);
    problems
        .raise(&a.id, &item, NO_CRM_USER, DETAIL, at(11))
        .unwrap();
    assert_eq!(
        keys(&problems.to_tell(&a.id).unwrap()),
        [(ACCOUNT_SUBJECT, SIGNED_OUT)]
    );

    // Gone: its end is to be told, once.
    problems.resolve(&a.id, &item, NO_CRM_USER, at(12)).unwrap();
    assert_eq!(
        keys(&problems.to_tell(&a.id).unwrap()),
        [(item.as_str(), NO_CRM_USER), (ACCOUNT_SUBJECT, SIGNED_OUT)]
    );
    problems.mark_told(&a.id, &told, at(12)).unwrap();
    assert_eq!(
        keys(&problems.to_tell(&a.id).unwrap()),
        [(ACCOUNT_SUBJECT, SIGNED_OUT)]
    );

    // A dismissed problem is not told, nor is its end; one never told is not told of its end.
    problems
        .dismiss(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(13))
        .unwrap();
    assert!(problems.to_tell(&a.id).unwrap().is_empty());
    problems
        .resolve(&a.id, ACCOUNT_SUBJECT, SIGNED_OUT, at(14))
        .unwrap();
    assert!(problems.to_tell(&a.id).unwrap().is_empty());

    let told_then_dismissed = [(item.clone(), "told_then_dismissed".to_string())];
    problems
        .raise(&a.id, &item, "told_then_dismissed", DETAIL, at(15))
        .unwrap();
    problems
        .mark_told(&a.id, &told_then_dismissed, at(15))
        .unwrap();
    problems
        .dismiss(&a.id, &item, "told_then_dismissed", at(16))
        .unwrap();
    problems
        .resolve(&a.id, &item, "told_then_dismissed", at(17))
        .unwrap();
    assert!(problems.to_tell(&a.id).unwrap().is_empty());
}

#[test]
fn a_data_folder_of_schema_6_upgrades_keeping_its_problems_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        for sql in [
            include_str!("../migrations/0001_initial.sql"),
            include_str!("../migrations/0002_crm_accounts.sql"),
            include_str!("../migrations/0003_sync.sql"),
            include_str!("../migrations/0004_sync_overwrites.sql"),
            include_str!("../migrations/0005_open_problems.sql"),
            include_str!("../migrations/0006_sync_creating.sql"),
        ] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 6).unwrap();
        conn.execute_batch(
            "INSERT INTO accounts VALUES
                ('t.o', 't', 'o', 'o@contoso.com', 'O', 'a', 'c', 'g', '2026-03-02 09:00:00+00:00');
             INSERT INTO sync_problems VALUES ('t.o', 'item:boss@contoso.com/AAMk1',
                'owner_sync_off', '{}', '2026-03-02 09:00:00+00:00',
                '2026-03-02 10:00:00+00:00', '2026-03-02 09:01:00+00:00', NULL, NULL);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let open = store.sync_problems().open("t.o").unwrap();
    assert_eq!(
        keys(&open),
        [("item:boss@contoso.com/AAMk1", "owner_sync_off")]
    );
    assert!(open[0].notified_at.is_some(), "told stays told");
    assert!(store.sync_problems().to_tell("t.o").unwrap().is_empty());
}
