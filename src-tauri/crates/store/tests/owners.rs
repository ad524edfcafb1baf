//! Owners added by address.

mod common;

use common::store_with_account;
use onbehalf_store::StoreError;
use rstest::rstest;

#[rstest]
#[case::already_lowercase("boss@contoso.com")]
#[case::mixed_case("Boss@Contoso.COM")]
#[case::surrounding_space("  boss@contoso.com\t")]
fn an_address_is_stored_in_one_spelling(#[case] typed: &str) {
    let (store, a) = store_with_account();
    assert!(store.owners().add(&a.id, typed).unwrap());
    let owners = store.owners().list(&a.id).unwrap();
    assert_eq!(owners.len(), 1);
    assert_eq!(owners[0].address, "boss@contoso.com");
}

#[test]
fn adding_the_same_owner_again_changes_nothing() {
    let (store, a) = store_with_account();
    assert!(store.owners().add(&a.id, "boss@contoso.com").unwrap());
    let first = store.owners().list(&a.id).unwrap();
    assert!(!store.owners().add(&a.id, "BOSS@contoso.com ").unwrap());
    assert_eq!(store.owners().list(&a.id).unwrap(), first);
}

#[test]
fn owners_are_listed_by_address_per_account() {
    let (store, a) = store_with_account();
    let other = common::account("fabrikam", "megan");
    store.accounts().upsert(&other).unwrap();
    for address in ["zoe@contoso.com", "adele@contoso.com", "miriam@contoso.com"] {
        store.owners().add(&a.id, address).unwrap();
    }
    store.owners().add(&other.id, "lee@fabrikam.com").unwrap();

    let listed: Vec<String> = store
        .owners()
        .list(&a.id)
        .unwrap()
        .into_iter()
        .map(|o| o.address)
        .collect();
    assert_eq!(
        listed,
        ["adele@contoso.com", "miriam@contoso.com", "zoe@contoso.com"]
    );
}

#[test]
fn removing_an_owner_takes_any_spelling_and_reports_whether_it_was_there() {
    let (store, a) = store_with_account();
    store.owners().add(&a.id, "boss@contoso.com").unwrap();
    store.owners().add(&a.id, "cfo@contoso.com").unwrap();
    assert!(store.owners().remove(&a.id, " Boss@Contoso.com").unwrap());
    assert!(!store.owners().remove(&a.id, "boss@contoso.com").unwrap());
    let left: Vec<String> = store
        .owners()
        .list(&a.id)
        .unwrap()
        .into_iter()
        .map(|o| o.address)
        .collect();
    assert_eq!(left, ["cfo@contoso.com"]);
}

#[test]
fn an_empty_address_is_refused() {
    let (store, a) = store_with_account();
    let err = store.owners().add(&a.id, "   ").unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Empty {
                field: "owner address",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(store.owners().list(&a.id).unwrap().is_empty());
}
