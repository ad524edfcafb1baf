//! A Salesforce org without Onbehalf's CRM package: its events have no field for the Outlook
//! item's id. The doctor says so and whom to ask; sharing still works, with each link kept on
//! its Outlook item only: changes go over, a second sync writes nothing, and a sync killed
//! midway resumes without a duplicate.

use chrono::{Duration, Utc};
use onbehalf_sandbox::demo_org;
use reqwest::Method;
use serde_json::{json, Value};

use crate::office::{
    crm_user_of, json_as, office, olivia_adds, olivias_item, sync_killed_midway, DANIEL, OLIVIA,
};
use crate::support::{crm_token_for, encode, graph, token_for, World};

/// The sandbox with Contoso's CRM org as an admin left it: without Onbehalf's package.
async fn world_without_the_package() -> World {
    let world = World::start().await;
    let contoso = &demo_org().crm_orgs[0].id;
    assert!(world
        .sandbox
        .salesforce_faults()
        .set_exchange_id_field(contoso, false));
    world
}

/// The live events with this subject, as Olivia sees them in Salesforce.
async fn events_titled(world: &World, subject: &str) -> Vec<Value> {
    crm_token_for(world, OLIVIA)
        .await
        .query(&format!(
            "SELECT Id, OwnerId, StartDateTime FROM Event WHERE Subject = '{subject}'"
        ))
        .await
}

#[tokio::test(flavor = "multi_thread")]
async fn without_onbehalfs_package_the_doctor_says_so_and_sharing_keeps_its_links_in_outlook() {
    let world = world_without_the_package().await;
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);

    let out = olivia.run(&["--as", OLIVIA, "doctor", "--json"]).await;
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let check = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == "crm_item_ids")
        .unwrap_or_else(|| panic!("no crm_item_ids check: {report}"));
    assert_eq!(check["status"], "warn", "{check}");
    assert!(
        check["detail"]
            .as_str()
            .unwrap()
            .contains("kept on the Outlook item only"),
        "{check}"
    );
    assert_eq!(check["who_can_fix"], "Your CRM administrator", "{check}");

    // Shared by the category, made by Olivia's sync, owned by Olivia.
    let subject = "Northwind kickoff";
    let id = olivia_adds(&world, subject, json!({"categories": ["CRM"]})).await;
    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 1, "{run}");
    let events = events_titled(&world, subject).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["OwnerId"], crm_user_of(OLIVIA).as_str());
    let item = olivias_item(&olivia, OLIVIA, &id).await;
    assert_eq!(item["share"], "shared", "{item}");
    assert_eq!(item["crm"]["id"], events[0]["Id"], "{item}");
    let again = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
    assert_eq!(again["report"]["exchange_writes"], 0, "{again}");

    // Daniel moves it an hour later; his app carries it over by the link on the item.
    let token = token_for(&world, DANIEL).await;
    let day = (Utc::now() + Duration::days(1)).format("%Y-%m-%d");
    let (status, body) = graph(
        &world,
        &token,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", encode(&id)),
        Some(json!({
            "start": {"dateTime": format!("{day}T11:00:00"), "timeZone": "UTC"},
            "end": {"dateTime": format!("{day}T12:00:00"), "timeZone": "UTC"},
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let run = json_as(&daniel, DANIEL, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["updated_in_crm"], 1, "{run}");
    let events = events_titled(&world, subject).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let start = events[0]["StartDateTime"].as_str().unwrap();
    assert!(start.contains("T11:00:00"), "{start}");
    for (machine, user) in [(&olivia, OLIVIA), (&daniel, DANIEL)] {
        let again = json_as(machine, user, &["sync", "--once", "--json"]).await;
        assert_eq!(again["report"]["crm_writes"], 0, "{user}: {again}");
    }

    // Daniel may add events to Olivia's CRM calendar and asked to share directly; without the
    // package his app leaves it to hers, which alone can make it once.
    daniel
        .ok(&["--as", DANIEL, "settings", "--direct-share", OLIVIA])
        .await;
    let subject = "Northwind follow-up";
    let id = olivia_adds(&world, subject, json!({})).await;
    let shared = json_as(
        &daniel,
        DANIEL,
        &["share", &id, "--calendar", OLIVIA, "--json"],
    )
    .await;
    assert_eq!(shared["waits_for_owner"], true, "{shared}");
    json_as(&daniel, DANIEL, &["sync", "--once", "--json"]).await;
    assert!(events_titled(&world, subject).await.is_empty());
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let events = events_titled(&world, subject).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["OwnerId"], crm_user_of(OLIVIA).as_str());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_onbehalfs_package_a_sync_killed_midway_resumes_without_a_duplicate() {
    let world = world_without_the_package().await;
    let (olivia, _) = office(&world, true, &[]).await;
    let mut ids = Vec::new();
    for n in 0..24 {
        let subject = format!("Pipeline review {n:02}");
        ids.push(olivia_adds(&world, &subject, json!({"categories": ["CRM"]})).await);
    }
    sync_killed_midway(&world, &olivia, OLIVIA).await;

    for (n, id) in ids.iter().enumerate() {
        let events = events_titled(&world, &format!("Pipeline review {n:02}")).await;
        assert_eq!(events.len(), 1, "item {n}: {events:?}");
        let item = olivias_item(&olivia, OLIVIA, id).await;
        assert_eq!(item["share"], "shared", "{item}");
        assert_eq!(item["crm"]["id"], events[0]["Id"], "{item}");
    }
    let again = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
}
