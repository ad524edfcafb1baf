//! Events being created where the CRM keeps no item id: kept until the item is linked, then
//! gone with the link in the same statement; forgotten when refused or old; per account.

mod common;

use common::{account, at, link, store_with_account};
use onbehalf_store::CreatingRow;

fn creating(account_id: &str, owner: &str, item: &str, hour: u32) -> CreatingRow {
    CreatingRow {
        account_id: account_id.into(),
        item_owner: owner.into(),
        item_id: item.into(),
        crm_owner_id: "005OLIVIA".into(),
        subject: "Quarterly review".into(),
        starts: "2026-03-02T09:00:00Z".into(),
        sent_at: at(hour),
    }
}

#[test]
fn a_creation_is_kept_until_its_item_is_linked() {
    let (store, a) = store_with_account();
    let journal = store.sync_creating();
    journal
        .record_many(&[
            creating(&a.id, "Olivia@Contoso.com", "AAMk-1", 10),
            creating(&a.id, "olivia@contoso.com", "AAMk-2", 11),
        ])
        .unwrap();
    let rows = journal.list(&a.id).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        rows[0].item_owner, "olivia@contoso.com",
        "owners kept lowercase"
    );
    assert_eq!(rows[0].item_id, "AAMk-1", "oldest first");

    store
        .sync_links()
        .upsert(&link(&a.id, "olivia@contoso.com", "AAMk-1", "00U1"))
        .unwrap();
    let left: Vec<String> = journal
        .list(&a.id)
        .unwrap()
        .into_iter()
        .map(|r| r.item_id)
        .collect();
    assert_eq!(left, ["AAMk-2"], "the linked item's creation is over");

    // Linked again (an update of the link row) ends a creation noted meanwhile too.
    journal
        .record_many(&[creating(&a.id, "olivia@contoso.com", "AAMk-1", 12)])
        .unwrap();
    store
        .sync_links()
        .upsert(&link(&a.id, "olivia@contoso.com", "AAMk-1", "00U1"))
        .unwrap();
    assert_eq!(journal.list(&a.id).unwrap().len(), 1);
}

#[test]
fn noting_a_creation_again_replaces_it() {
    let (store, a) = store_with_account();
    let journal = store.sync_creating();
    journal
        .record_many(&[creating(&a.id, "olivia@contoso.com", "AAMk-1", 10)])
        .unwrap();
    let mut again = creating(&a.id, "olivia@contoso.com", "AAMk-1", 12);
    again.subject = "Quarterly review (moved)".into();
    journal.record_many(std::slice::from_ref(&again)).unwrap();
    assert_eq!(journal.list(&a.id).unwrap(), [again]);
}

#[test]
fn refused_and_old_creations_are_forgotten() {
    let (store, a) = store_with_account();
    let journal = store.sync_creating();
    journal
        .record_many(&[
            creating(&a.id, "olivia@contoso.com", "AAMk-1", 8),
            creating(&a.id, "olivia@contoso.com", "AAMk-2", 10),
            creating(&a.id, "olivia@contoso.com", "AAMk-3", 12),
        ])
        .unwrap();
    let refused = [("Olivia@contoso.com".to_string(), "AAMk-3".to_string())];
    assert_eq!(journal.forget(&a.id, &refused).unwrap(), 1);
    assert_eq!(journal.forget_sent_before(&a.id, at(9)).unwrap(), 1);
    let left: Vec<String> = journal
        .list(&a.id)
        .unwrap()
        .into_iter()
        .map(|r| r.item_id)
        .collect();
    assert_eq!(left, ["AAMk-2"]);
}

#[test]
fn creations_are_per_account_and_go_with_it() {
    let (store, a) = store_with_account();
    let other = account("fabrikam", "lee");
    store.accounts().upsert(&other).unwrap();
    let journal = store.sync_creating();
    journal
        .record_many(&[
            creating(&a.id, "olivia@contoso.com", "AAMk-1", 10),
            creating(&other.id, "olivia@contoso.com", "AAMk-1", 10),
        ])
        .unwrap();
    assert_eq!(journal.list(&a.id).unwrap().len(), 1);
    store.accounts().remove(&other.id).unwrap();
    assert!(journal.list(&other.id).unwrap().is_empty());
    assert_eq!(journal.list(&a.id).unwrap().len(), 1);
}

#[test]
fn a_creation_for_an_unknown_account_is_refused_and_nothing_is_kept() {
    let (store, a) = store_with_account();
    let journal = store.sync_creating();
    let err = journal
        .record_many(&[
            creating(&a.id, "olivia@contoso.com", "AAMk-1", 10),
            creating("nobody", "olivia@contoso.com", "AAMk-2", 10),
        ])
        .unwrap_err();
    assert!(!err.to_string().is_empty());
    assert!(journal.list(&a.id).unwrap().is_empty(), "one transaction");
}
