//! The executive's first sync, and her second computer: the first run is shown before anything
//! is written, a second machine with an empty data folder re-pairs with what the first made
//! (no duplicate, nothing deleted because its own records look empty), and a private item is
//! sent only under the administrator's policy, private and linked to no record.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{crm_token_for, graph, token_for, Machine, World};

const OLIVIA: &str = "olivia.grant@contoso.com";

async fn json_as(machine: &Machine, args: &[&str]) -> Value {
    let mut all = vec!["--as", OLIVIA];
    all.extend_from_slice(args);
    let out = machine.ok(&all).await;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} is not JSON ({e}): {out}"))
}

/// Olivia adds an appointment in Outlook with `extra` properties; returns its id.
async fn olivia_adds(world: &World, subject: &str, extra: Value) -> String {
    let token = token_for(world, OLIVIA).await;
    let day = (Utc::now() + Duration::days(4)).format("%Y-%m-%d");
    let mut body = json!({
        "subject": subject,
        "start": {"dateTime": format!("{day}T09:00:00"), "timeZone": "UTC"},
        "end": {"dateTime": format!("{day}T10:00:00"), "timeZone": "UTC"},
    });
    for (k, v) in extra.as_object().unwrap() {
        body[k] = v.clone();
    }
    let (status, created) = graph(world, &token, Method::POST, "/me/events", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

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
    let on = json_as(&first, &["sync", "on", "--json"]).await;
    let planned = &on["preview"]["report"]["planned"];
    assert_eq!(planned["create_in_crm"], 2, "{on}");
    assert!(planned.get("delete_in_crm").is_none(), "{on}");
    for id in &ids {
        assert!(
            crm.events_for(id).await.is_empty(),
            "a preview wrote to the CRM"
        );
    }
    let run = json_as(&first, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 2, "{run}");

    // A second computer, its data folder empty: nothing to create, nothing deleted.
    let second = world.machine();
    let preview = json_as(&second, &["sync", "on", "--json"]).await;
    let planned = &preview["preview"]["report"]["planned"];
    for step in ["create_in_crm", "delete_in_crm", "unlink"] {
        assert!(planned.get(step).is_none(), "{step} in {preview}");
    }
    let again = json_as(&second, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
    assert_eq!(again["report"]["deleted_in_crm"], 0, "{again}");
    for id in &ids {
        assert_eq!(crm.events_for(id).await.len(), 1, "one event for {id}");
    }
    let items = json_as(&second, &["items", "--json"]).await;
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
    let found = json_as(&allowed, &["crm", "search", "Fabrikam", "--json"]).await;
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
