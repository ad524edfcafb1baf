//! The executive's first sync, and her second computer: the first run is shown before anything
//! is written, a second machine with an empty data folder re-pairs with what the first made
//! (no duplicate, nothing deleted because its own records look empty), and a private item is
//! sent only under the administrator's policy, private and linked to no record.

use serde_json::{json, Value};

use crate::office::{json_as, olivia_adds, OLIVIA};
use crate::support::{crm_token_for, World};

#[tokio::test(flavor = "multi_thread")]
async fn the_first_sync_is_shown_first_and_a_second_computer_re_pairs_without_duplicates() {
    let world = World::start().await;
    let first = world.machine();
    let ids = [
        olivia_adds(&world, "Budget review", json!({"categories": ["CRM"]})).await,
        olivia_adds(&world, "Hiring panel", json!({"categories": ["CRM"]})).await,
    ];
    let crm = crm_token_for(&world, OLIVIA).await;

    // Turning sync on shows what the first run will do, and writes nothing yet.
    let on = json_as(&first, OLIVIA, &["sync", "on", "--json"]).await;
    let planned = &on["preview"]["report"]["planned"];
    assert_eq!(planned["create_in_crm"], 2, "{on}");
    assert!(planned.get("delete_in_crm").is_none(), "{on}");
    for id in &ids {
        assert!(
            crm.events_for(id).await.is_empty(),
            "a preview wrote to the CRM"
        );
    }
    let run = json_as(&first, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 2, "{run}");

    // A second computer, its data folder empty: nothing to create, nothing deleted.
    let second = world.machine();
    let preview = json_as(&second, OLIVIA, &["sync", "on", "--json"]).await;
    let planned = &preview["preview"]["report"]["planned"];
    for step in ["create_in_crm", "delete_in_crm", "unlink"] {
        assert!(planned.get(step).is_none(), "{step} in {preview}");
    }
    let again = json_as(&second, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
    assert_eq!(again["report"]["deleted_in_crm"], 0, "{again}");
    for id in &ids {
        assert_eq!(crm.events_for(id).await.len(), 1, "one event for {id}");
    }
    let items = json_as(&second, OLIVIA, &["items", "--json"]).await;
    for id in &ids {
        let item = items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["id"] == id.as_str())
            .unwrap();
        assert_eq!(item["share"], "shared", "{item}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_private_item_is_sent_only_under_policy_and_then_private_and_unlinked() {
    let world = World::start().await;
    let allowed = world.machine_with("[policy]\nallow_private_sync = true\n");
    allowed.ok(&["--as", OLIVIA, "sync", "on"]).await;
    let id = olivia_adds(&world, "Doctor", json!({"sensitivity": "private"})).await;
    let found = json_as(&allowed, OLIVIA, &["crm", "search", "Fabrikam", "--json"]).await;
    let contact = found
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["type"] == "contact")
        .and_then(|r| r["id"].as_str())
        .unwrap()
        .to_string();

    // Allowed by the administrator, but not turned on: refused.
    let mut refused = vec!["--as", OLIVIA, "share", id.as_str()];
    refused.extend(["--link", contact.as_str()]);
    assert_eq!(allowed.run(&refused).await.status.code(), Some(10));

    // Turned on: sent private, and linked to no record.
    allowed
        .ok(&["--as", OLIVIA, "settings", "--private-sync", "on"])
        .await;
    allowed.ok(&refused).await;
    allowed.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    let events = crm.events_for(&id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["IsPrivate"], true);
    assert_eq!(events[0]["WhoId"], Value::Null);
    assert_eq!(events[0]["WhatId"], Value::Null);
}
