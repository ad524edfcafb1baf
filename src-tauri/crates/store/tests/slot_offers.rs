//! Time slots offered by e-mail: kept per reference, closed once, listed while open.

mod common;

use common::{at, store_with_account};
use onbehalf_store::{OfferRow, OfferState, StoreError};

fn offer(account_id: &str, reference: &str, hour: u32) -> OfferRow {
    OfferRow {
        account_id: account_id.into(),
        reference: reference.into(),
        owner: "Olivia.Grant@contoso.com".into(),
        state: OfferState::Open,
        offer: r#"{"subject":"Meeting with Olivia Grant"}"#.into(),
        holds: "[]".into(),
        created_at: at(hour),
        expires_at: at(hour + 1),
        closed_at: None,
    }
}

#[test]
fn an_offer_is_kept_by_token_with_the_owner_in_one_spelling() {
    let (store, a) = store_with_account();
    store
        .slot_offers()
        .insert(&offer(&a.id, "K7Q2MX", 9))
        .unwrap();
    let kept = store.slot_offers().get(&a.id, "K7Q2MX").unwrap().unwrap();
    assert_eq!(kept.owner, "olivia.grant@contoso.com");
    assert_eq!(kept.state, OfferState::Open);
    assert_eq!(store.slot_offers().get(&a.id, "AAAAAA").unwrap(), None);
}

#[test]
fn a_token_is_never_overwritten() {
    let (store, a) = store_with_account();
    store
        .slot_offers()
        .insert(&offer(&a.id, "K7Q2MX", 9))
        .unwrap();
    let mut again = offer(&a.id, "K7Q2MX", 10);
    again.offer = r#"{"subject":"another"}"#.into();
    assert!(store.slot_offers().insert(&again).is_err());
    let kept = store.slot_offers().get(&a.id, "K7Q2MX").unwrap().unwrap();
    assert!(kept.offer.contains("Olivia"));
}

#[test]
fn an_offer_that_is_not_json_is_refused_and_nothing_is_written() {
    let (store, a) = store_with_account();
    let mut bad = offer(&a.id, "K7Q2MX", 9);
    bad.holds = "[{".into();
    assert!(matches!(
        store.slot_offers().insert(&bad),
        Err(StoreError::InvalidJson { .. })
    ));
    assert!(store.slot_offers().all(&a.id).unwrap().is_empty());
}

#[test]
fn an_offer_is_closed_once_and_leaves_the_open_list() {
    let (store, a) = store_with_account();
    let offers = store.slot_offers();
    offers.insert(&offer(&a.id, "AAAAAA", 9)).unwrap();
    offers.insert(&offer(&a.id, "BBBBBB", 10)).unwrap();
    assert!(offers
        .set_holds(&a.id, "AAAAAA", r#"[{"event":"h1"}]"#)
        .unwrap());

    let closed = offers
        .close(&a.id, "AAAAAA", OfferState::Booked, "{}", "[]", at(11))
        .unwrap();
    assert!(closed);
    // A second process closing it too changes nothing.
    assert!(!offers
        .close(&a.id, "AAAAAA", OfferState::Expired, "{}", "[]", at(12))
        .unwrap());
    let kept = offers.get(&a.id, "AAAAAA").unwrap().unwrap();
    assert_eq!(kept.state, OfferState::Booked);
    assert_eq!(kept.closed_at, Some(at(11)));

    let open: Vec<String> = offers
        .open(&a.id)
        .unwrap()
        .into_iter()
        .map(|o| o.reference)
        .collect();
    assert_eq!(open, ["BBBBBB"]);
    let all: Vec<String> = offers
        .all(&a.id)
        .unwrap()
        .into_iter()
        .map(|o| o.reference)
        .collect();
    assert_eq!(all, ["BBBBBB", "AAAAAA"]);
}

#[test]
fn closed_offers_are_forgotten_after_a_while_open_ones_never() {
    let (store, a) = store_with_account();
    let offers = store.slot_offers();
    offers.insert(&offer(&a.id, "AAAAAA", 9)).unwrap();
    offers.insert(&offer(&a.id, "BBBBBB", 9)).unwrap();
    offers
        .close(&a.id, "AAAAAA", OfferState::Withdrawn, "{}", "[]", at(10))
        .unwrap();
    assert_eq!(offers.forget_closed_before(&a.id, at(20)).unwrap(), 1);
    assert!(offers.get(&a.id, "AAAAAA").unwrap().is_none());
    assert!(offers.get(&a.id, "BBBBBB").unwrap().is_some());
}
