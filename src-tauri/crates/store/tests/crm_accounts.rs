//! The CRM sign-in of each account: kept, replaced, forgotten with the account, and a data
//! folder from before CRM sign-in existed upgrades with everything in it.

mod common;

use common::{at, store_with_account};
use onbehalf_store::{CrmAccount, Store, StoreError, SCHEMA_VERSION};

fn salesforce(account_id: &str, user: &str) -> CrmAccount {
    CrmAccount {
        account_id: account_id.into(),
        crm: "salesforce".into(),
        org_id: "00D5e000000Contoso".into(),
        user_id: user.into(),
        name: "Megan Bowen".into(),
        email: "megan@contoso.com".into(),
        login_url: "https://login.salesforce.com".into(),
        instance_url: "https://contoso.my.salesforce.com".into(),
        signed_in_at: at(10),
    }
}

#[test]
fn a_crm_sign_in_is_kept_replaced_and_forgotten() {
    let (store, a) = store_with_account();
    let crm = store.crm_accounts();
    assert_eq!(crm.get(&a.id).unwrap(), None);
    crm.upsert(&salesforce(&a.id, "005A")).unwrap();
    crm.upsert(&salesforce(&a.id, "005B")).unwrap();
    assert_eq!(crm.get(&a.id).unwrap().unwrap().user_id, "005B");
    assert!(crm.remove(&a.id).unwrap());
    assert!(!crm.remove(&a.id).unwrap());
    assert_eq!(crm.get(&a.id).unwrap(), None);
}

#[test]
fn removing_the_account_removes_its_crm_sign_in() {
    let (store, a) = store_with_account();
    store
        .crm_accounts()
        .upsert(&salesforce(&a.id, "005A"))
        .unwrap();
    store.accounts().remove(&a.id).unwrap();
    assert_eq!(store.crm_accounts().get(&a.id).unwrap(), None);
}

#[test]
fn a_crm_sign_in_needs_its_account() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .crm_accounts()
        .upsert(&salesforce("nobody.none", "005A"))
        .unwrap_err();
    assert!(matches!(err, StoreError::UnknownAccount { .. }), "{err:?}");
}

#[test]
fn a_data_folder_of_schema_1_upgrades_keeping_its_accounts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("onbehalf.sqlite3");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(include_str!("../migrations/0001_initial.sql"))
            .unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO accounts VALUES ('t.o', 't', 'o', 'o@contoso.com', 'O', 'a', 'c', 'g', ?1)",
            [at(9)],
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(
        store.accounts().get("t.o").unwrap().unwrap().address,
        "o@contoso.com"
    );
    store
        .crm_accounts()
        .upsert(&salesforce("t.o", "005A"))
        .unwrap();
}
