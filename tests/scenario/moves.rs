//! Moving a shared meeting to another person's calendar. Graph shows it as a delete in one
//! mailbox and a new item in the other that carries the old one's categories and properties,
//! Onbehalf's link among them. The CRM follows: the old event goes with the old item, and the
//! new item is shared on its own, owned by its new calendar's owner, with the same records:
//! never two events, and never the old link taken for the new item's.

use onbehalf_engine::sync::marks::{LINK_ID, PENDING_ID};
use reqwest::Method;
use serde_json::{json, Value};

use crate::office::{
    adds, crm_user_of, fabrikam_records, item_in, json_as, office, olivias_item, DANIEL, OLIVIA,
};
use crate::support::{crm_token_for, encode, graph, token_for, World};

/// `user` drags their item `id` into `to`'s calendar, as Outlook does it across mailboxes: a
/// copy with every property, then the original deleted. Returns the new item's id.
async fn moves(world: &World, user: &str, id: &str, to: &str) -> String {
    let token = token_for(world, user).await;
    let expand =
        format!("singleValueExtendedProperties($filter=id eq '{LINK_ID}' or id eq '{PENDING_ID}')");
    let path = format!("/me/events/{}?$expand={}", encode(id), encode(&expand));
    let (status, old) = graph(world, &token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{old}");
    let carried = old["singleValueExtendedProperties"].clone();
    assert!(
        carried.as_array().is_some_and(|p| !p.is_empty()),
        "the shared item carries its link: {old}"
    );
    let copy = json!({
        "subject": old["subject"],
        "body": old["body"],
        "start": old["start"],
        "end": old["end"],
        "location": old["location"],
        "categories": old["categories"],
        "singleValueExtendedProperties": carried,
    });
    let target = format!("/users/{}/calendar/events", encode(to));
    let (status, new) = graph(world, &token, Method::POST, &target, Some(copy)).await;
    assert_eq!(status, 201, "{new}");
    let gone = format!("/me/events/{}", encode(id));
    let (status, body) = graph(world, &token, Method::DELETE, &gone, None).await;
    assert_eq!(status, 204, "{body}");
    new["id"].as_str().unwrap().to_string()
}

/// The live events with this subject.
async fn events_titled(world: &World, subject: &str) -> Vec<Value> {
    crm_token_for(world, OLIVIA)
        .await
        .query(&format!(
            "SELECT Id, OwnerId, WhoId, WhatId, Onbehalf_Exchange_Id__c FROM Event \
             WHERE Subject = '{subject}'"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_shared_meeting_moved_to_the_executives_calendar_is_shared_there_once() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    daniel.ok(&["--as", DANIEL, "sync", "on"]).await;

    // Daniel shares a meeting of his own calendar with a contact and an opportunity.
    let subject = "Fabrikam pricing call";
    let id = adds(&world, DANIEL, subject, json!({})).await;
    let (contact, opportunity) = fabrikam_records(&daniel).await;
    let args = ["share", &id, "--link", &contact, "--link", &opportunity];
    daniel.ok(&[&["--as", DANIEL][..], &args].concat()).await;
    daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    let before = events_titled(&world, subject).await;
    assert_eq!(before.len(), 1, "{before:?}");
    assert_eq!(before[0]["OwnerId"], crm_user_of(DANIEL).as_str());
    let old_event = before[0]["Id"].clone();

    // It belongs in Olivia's calendar: Daniel moves it there. Olivia's sync sees the new item
    // before Daniel's sees the old one gone.
    let moved = moves(&world, DANIEL, &id, OLIVIA).await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;

    let after = events_titled(&world, subject).await;
    assert_eq!(after.len(), 1, "one event for the meeting: {after:?}");
    let event = &after[0];
    assert_ne!(
        event["Id"], old_event,
        "the old event went with the old item"
    );
    assert_eq!(event["OwnerId"], crm_user_of(OLIVIA).as_str(), "{event}");
    assert_eq!(event["Onbehalf_Exchange_Id__c"], moved.as_str(), "{event}");
    assert_eq!(event["WhoId"], contact.as_str(), "the records came along");
    assert_eq!(
        event["WhatId"],
        opportunity.as_str(),
        "the records came along"
    );
    let item = olivias_item(&olivia, OLIVIA, &moved).await;
    assert_eq!(item["share"], "shared", "{item}");
    assert_eq!(item["crm"]["id"], event["Id"], "{item}");
    let list = json_as(&daniel, DANIEL, &["items", "--json"]).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|i| i["id"] != id.as_str()),
        "{list}"
    );
    let seen_by_daniel = item_in(&daniel, DANIEL, OLIVIA, &moved).await;
    assert_eq!(seen_by_daniel["share"], "shared", "{seen_by_daniel}");

    // Settled: another round writes nothing anywhere.
    for (machine, user) in [(&olivia, OLIVIA), (&daniel, DANIEL)] {
        let again = json_as(machine, user, &["sync", "--once", "--json"]).await;
        assert_eq!(again["report"]["crm_writes"], 0, "{user}: {again}");
        assert_eq!(again["report"]["exchange_writes"], 0, "{user}: {again}");
    }
}
