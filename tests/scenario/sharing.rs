//! Sharing an executive's calendar items into the CRM, with the executive's and two
//! assistants' CLIs each on their own machine against the sandbox: who may share, who creates
//! the CRM event, who carries later changes over, and what a person is told.

use chrono::{Duration, Utc};
use onbehalf_sandbox::demo_org;
use reqwest::Method;
use serde_json::{json, Value};

use crate::support::{crm_token_for, graph, token_for, Machine, World};

const OLIVIA: &str = "olivia.grant@contoso.com";
const DANIEL: &str = "daniel.reyes@contoso.com";
const EMMA: &str = "emma.chen@contoso.com";
const RITA: &str = "rita.novak@contoso.com";

/// Run `args` as `user` and parse the JSON it prints.
async fn json_as(machine: &Machine, user: &str, args: &[&str]) -> Value {
    let mut all = vec!["--as", user];
    all.extend_from_slice(args);
    let out = machine.ok(&all).await;
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?} is not JSON ({e}): {out}"))
}

/// Olivia adds an appointment to her calendar in Outlook; returns its id.
async fn olivia_adds(world: &World, subject: &str, extra: Value) -> String {
    let token = token_for(world, OLIVIA).await;
    let start = (Utc::now() + Duration::days(1)).format("%Y-%m-%dT10:00:00");
    let end = (Utc::now() + Duration::days(1)).format("%Y-%m-%dT11:00:00");
    let mut body = json!({
        "subject": subject,
        "body": {"contentType": "text", "content": "Agenda: renewal terms."},
        "start": {"dateTime": start.to_string(), "timeZone": "UTC"},
        "end": {"dateTime": end.to_string(), "timeZone": "UTC"},
        "location": {"displayName": "Board room"},
    });
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    let (status, created) = graph(world, &token, Method::POST, "/me/events", Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

/// The item with this id in `user`'s view of Olivia's calendar.
async fn olivias_item(machine: &Machine, user: &str, id: &str) -> Value {
    let calendar = match user {
        OLIVIA => None,
        _ => Some(OLIVIA),
    };
    let mut args = vec!["items", "--json"];
    if let Some(c) = calendar {
        args.extend(["--calendar", c]);
    }
    let list = json_as(machine, user, &args).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .cloned()
        .unwrap_or_else(|| panic!("{user} does not see item {id} in {list}"))
}

/// A contact and an opportunity to link, found as Daniel would find them.
async fn fabrikam_records(machine: &Machine) -> (String, String) {
    let found = json_as(machine, DANIEL, &["crm", "search", "Fabrikam", "--json"]).await;
    let id_of = |kind: &str| {
        found
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["type"] == kind)
            .and_then(|r| r["id"].as_str())
            .unwrap_or_else(|| panic!("no {kind} in {found}"))
            .to_string()
    };
    (id_of("contact"), id_of("opportunity"))
}

fn crm_user_of(address: &str) -> String {
    demo_org()
        .users
        .into_iter()
        .find(|u| u.address == address)
        .map(|u| u.crm.user_id)
        .unwrap()
}

/// Each delegate's app publishes its key, then Olivia's app turns her sync on or off (its
/// record seals each delegate's grant to their key), then each delegate's app reads it.
async fn office(world: &World, olivia_sync: bool, delegates: &[&str]) -> (Machine, Vec<Machine>) {
    let machines: Vec<Machine> = delegates.iter().map(|_| world.machine()).collect();
    for (m, user) in machines.iter().zip(delegates) {
        m.ok(&["--as", user, "calendars"]).await;
    }
    let olivia = world.machine();
    let switch = if olivia_sync { "on" } else { "off" };
    olivia.ok(&["--as", OLIVIA, "sync", switch]).await;
    for (m, user) in machines.iter().zip(delegates) {
        let list = m.calendars_as(user).await;
        let hers = crate::support::find(&list, OLIVIA, "owner_primary").unwrap();
        assert_eq!(hers["permission"]["source"], "published", "{hers}");
        assert_eq!(hers["owner_onbehalf"]["sync_on"], olivia_sync, "{hers}");
    }
    (olivia, machines)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegates_share_is_created_by_the_owners_sync_and_owned_by_the_owner() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let id = olivia_adds(&world, "Fabrikam renewal review", json!({})).await;
    let (contact, opportunity) = fabrikam_records(&daniel).await;

    let shared = json_as(
        &daniel,
        DANIEL,
        &[
            "share",
            &id,
            "--calendar",
            OLIVIA,
            "--link",
            &contact,
            "--link",
            &opportunity,
            "--json",
        ],
    )
    .await;
    assert_eq!(shared["waits_for_owner"], true, "{shared}");
    assert_eq!(shared["item"]["share"], "pending", "{shared}");
    let crm = crm_token_for(&world, OLIVIA).await;
    assert!(
        crm.events_for(&id).await.is_empty(),
        "nothing in the CRM before Olivia's sync"
    );

    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 1, "{run}");

    let events = crm.events_for(&id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["OwnerId"], crm_user_of(OLIVIA).as_str());
    assert_eq!(events[0]["Subject"], "Fabrikam renewal review");
    assert_eq!(events[0]["WhoId"], contact.as_str());
    assert_eq!(events[0]["WhatId"], opportunity.as_str());
    let item = olivias_item(&daniel, DANIEL, &id).await;
    assert_eq!(item["share"], "shared", "{item}");
    assert_eq!(item["crm"]["owner"], crm_user_of(OLIVIA).as_str());

    // A second run with nothing changed writes nothing.
    let again = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
    assert_eq!(again["report"]["exchange_writes"], 0, "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn when_the_owners_sync_is_off_the_delegate_is_told_at_once_and_the_share_waits() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, false, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let id = olivia_adds(&world, "Quarterly review", json!({})).await;

    let out = daniel
        .ok(&["--as", DANIEL, "share", &id, "--calendar", OLIVIA])
        .await;
    assert!(
        out.contains(
            "Olivia Grant does not have sync turned on; this item will be saved to the CRM when \
             they turn it on."
        ),
        "{out}"
    );
    let item = olivias_item(&daniel, DANIEL, &id).await;
    assert_eq!(item["share"], "pending", "{item}");
    assert!(item["pending"]["waiting_for"]
        .as_str()
        .unwrap_or("")
        .contains("does not have sync turned on"));

    // Olivia turns it on: the share she never saw is made, once.
    olivia.ok(&["--as", OLIVIA, "sync", "on"]).await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    assert_eq!(crm.events_for(&id).await.len(), 1);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegate_with_crm_edit_access_carries_a_move_straight_to_the_crm() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let id = olivia_adds(&world, "Contoso board prep", json!({"categories": ["CRM"]})).await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;

    // Daniel moves it an hour later in Outlook; his own app carries it over, not Olivia's.
    let token = token_for(&world, DANIEL).await;
    let start = (Utc::now() + Duration::days(1))
        .format("%Y-%m-%dT11:00:00")
        .to_string();
    let end = (Utc::now() + Duration::days(1))
        .format("%Y-%m-%dT12:00:00")
        .to_string();
    let (status, body) = graph(
        &world,
        &token,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", crate::support::encode(&id)),
        Some(json!({
            "start": {"dateTime": start, "timeZone": "UTC"},
            "end": {"dateTime": end, "timeZone": "UTC"},
        })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let run = json_as(&daniel, DANIEL, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["updated_in_crm"], 1, "{run}");

    let crm = crm_token_for(&world, OLIVIA).await;
    let events = crm.events_for(&id).await;
    assert_eq!(events.len(), 1);
    let moved = events[0]["StartDateTime"].as_str().unwrap();
    assert!(moved.contains("T11:00:00"), "{moved}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegate_without_crm_edit_access_is_told_whom_to_ask() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, true, &[EMMA]).await;
    let emma = delegates.remove(0);
    let id = olivia_adds(&world, "Supplier call", json!({"categories": ["CRM"]})).await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;

    let token = token_for(&world, EMMA).await;
    let (status, body) = graph(
        &world,
        &token,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", crate::support::encode(&id)),
        Some(json!({"subject": "Supplier call (moved to Teams)"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let run = json_as(&emma, EMMA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["crm_writes"], 0, "{run}");
    let item = olivias_item(&emma, EMMA, &id).await;
    assert_eq!(item["share"], "problem", "{item}");
    let message = item["problems"][0]["message"].as_str().unwrap_or("");
    assert!(
        message.contains("ask Olivia Grant to give you edit access"),
        "{message}"
    );

    // Olivia's own sync carries Emma's change over: nothing is lost.
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    assert_eq!(
        crm.events_for(&id).await[0]["Subject"],
        "Supplier call (moved to Teams)"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_deleted_in_the_crm_unlinks_the_meeting_and_keeps_it() {
    let world = World::start().await;
    let (olivia, _) = office(&world, true, &[]).await;
    let id = olivia_adds(&world, "Partner lunch", json!({"categories": ["CRM"]})).await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let synced_at = std::time::Instant::now();
    let crm = crm_token_for(&world, OLIVIA).await;
    let event = crm.events_for(&id).await[0]["Id"]
        .as_str()
        .unwrap()
        .to_string();

    crm.delete_event(&event).await;
    // Salesforce's deleted-records feed counts whole minutes: a deletion shows once a minute
    // has passed since the last look.
    let minute = std::time::Duration::from_secs(62);
    tokio::time::sleep(minute.saturating_sub(synced_at.elapsed())).await;
    let out = olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    assert!(
        out.contains("\"Partner lunch\" is no longer shared"),
        "{out}"
    );

    let item = olivias_item(&olivia, OLIVIA, &id).await;
    assert_eq!(item["share"], "none", "{item}");
    assert!(!item["categories"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "CRM"));
    assert!(crm.events_for(&id).await.is_empty(), "not created again");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_private_item_is_refused_with_the_reason_and_never_reaches_the_crm() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let id = olivia_adds(&world, "Doctor", json!({"sensitivity": "private"})).await;

    let out = daniel
        .run(&["--as", DANIEL, "share", &id, "--calendar", OLIVIA])
        .await;
    assert_eq!(out.status.code(), Some(10));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("This is a private item"), "{err}");

    // Even the category set by hand does not send it.
    let token = token_for(&world, OLIVIA).await;
    let (status, _) = graph(
        &world,
        &token,
        Method::PATCH,
        &format!("/me/events/{}", crate::support::encode(&id)),
        Some(json!({"categories": ["CRM"]})),
    )
    .await;
    assert_eq!(status, 200);
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    assert!(crm.events_for(&id).await.is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewer_may_not_share_and_is_told_why() {
    let world = World::start().await;
    let (_olivia, mut delegates) = office(&world, true, &[RITA]).await;
    let rita = delegates.remove(0);
    let id = olivia_adds(&world, "Offsite planning", json!({})).await;
    let out = rita
        .run(&["--as", RITA, "share", &id, "--calendar", OLIVIA])
        .await;
    assert_eq!(out.status.code(), Some(10));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Reviewer"), "{err}");
}
