//! Accounts and the current-account pointer.

mod common;

use common::{account, at, cal, store_with_account};
use onbehalf_store::{Store, StoreError};

#[test]
fn upsert_is_idempotent_and_updates_in_place() {
    let store = Store::open_in_memory().unwrap();
    let mut a = account("contoso", "megan");
    store.accounts().upsert(&a).unwrap();
    store.accounts().upsert(&a).unwrap();
    assert_eq!(store.accounts().list().unwrap(), [a.clone()]);

    a.display_name = "Megan Bowen".into();
    a.signed_in_at = at(15);
    store.accounts().upsert(&a).unwrap();
    assert_eq!(store.accounts().get(&a.id).unwrap(), Some(a.clone()));
    assert_eq!(store.accounts().list().unwrap().len(), 1);
}

#[test]
fn an_account_id_must_be_tenant_dot_object() {
    let store = Store::open_in_memory().unwrap();
    let mut a = account("contoso", "megan");
    a.id = "megan".into();
    let err = store.accounts().upsert(&a).unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Sqlite {
                step: "save the account",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(store.accounts().list().unwrap().is_empty());
}

#[test]
fn the_current_account_is_chosen_changed_and_cleared() {
    let store = Store::open_in_memory().unwrap();
    let megan = account("contoso", "megan");
    let adele = account("contoso", "adele");
    store.accounts().upsert(&megan).unwrap();
    store.accounts().upsert(&adele).unwrap();
    assert_eq!(store.accounts().current().unwrap(), None);

    store.accounts().set_current(Some(&megan.id)).unwrap();
    assert_eq!(store.accounts().current().unwrap(), Some(megan.clone()));
    store.accounts().set_current(Some(&adele.id)).unwrap();
    store.accounts().set_current(Some(&adele.id)).unwrap();
    assert_eq!(store.accounts().current().unwrap(), Some(adele));
    store.accounts().set_current(None).unwrap();
    assert_eq!(store.accounts().current().unwrap(), None);
}

#[test]
fn an_unknown_account_cannot_become_current() {
    let (store, a) = store_with_account();
    let err = store
        .accounts()
        .set_current(Some("contoso.nobody"))
        .unwrap_err();
    assert!(
        matches!(&err, StoreError::UnknownAccount { account_id } if account_id == "contoso.nobody"),
        "{err:?}"
    );
    assert_eq!(store.accounts().current().unwrap(), Some(a));
}

#[test]
fn removing_an_account_removes_its_calendars_owners_and_current_mark() {
    let store = Store::open_in_memory().unwrap();
    let megan = account("contoso", "megan");
    let adele = account("contoso", "adele");
    for a in [&megan, &adele] {
        store.accounts().upsert(a).unwrap();
        store.owners().add(&a.id, "boss@contoso.com").unwrap();
        store
            .calendars()
            .replace_all(&a.id, &[cal("boss@contoso.com", "default", Some("write"))])
            .unwrap();
    }
    store.accounts().set_current(Some(&megan.id)).unwrap();

    assert!(store.accounts().remove(&megan.id).unwrap());
    assert!(!store.accounts().remove(&megan.id).unwrap());

    assert_eq!(store.accounts().get(&megan.id).unwrap(), None);
    assert_eq!(store.accounts().current().unwrap(), None);
    assert!(store.owners().list(&megan.id).unwrap().is_empty());
    assert!(store.calendars().list(&megan.id).unwrap().is_empty());
    // The other account is untouched.
    assert_eq!(store.owners().list(&adele.id).unwrap().len(), 1);
    assert_eq!(store.calendars().list(&adele.id).unwrap().len(), 1);
}

#[test]
fn writes_for_a_removed_account_say_so() {
    let (store, a) = store_with_account();
    store.accounts().remove(&a.id).unwrap();
    let owner = store.owners().add(&a.id, "boss@contoso.com").unwrap_err();
    let cals = store
        .calendars()
        .replace_all(&a.id, &[cal("boss@contoso.com", "default", None)])
        .unwrap_err();
    for err in [owner, cals] {
        assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");
        assert!(err.to_string().contains("sign in again"), "{err}");
    }
}
