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

#[tokio::test(flavor = "multi_thread")]
async fn a_sync_killed_midway_resumes_without_a_duplicate_or_a_lost_share() {
    let world = World::start().await;
    let (olivia, _) = office(&world, true, &[]).await;
    let mut ids = Vec::new();
    for n in 0..24 {
        let subject = format!("Account review {n:02}");
        ids.push(olivia_adds(&world, &subject, json!({"categories": ["CRM"]})).await);
    }
    // Slow servers make the run long enough to be cut at several points.
    world
        .sandbox
        .faults()
        .set_latency(std::time::Duration::from_millis(25));
    world
        .sandbox
        .salesforce_faults()
        .set_latency(std::time::Duration::from_millis(25));
    for cut_after_ms in [700u64, 1400, 2100] {
        let mut run = olivia.spawn(&["--as", OLIVIA, "sync", "--once"]);
        tokio::time::sleep(std::time::Duration::from_millis(cut_after_ms)).await;
        // SIGKILL: no chance to tidy up, as when the machine loses power.
        run.kill().await.unwrap();
        let crm = crm_token_for(&world, OLIVIA).await;
        let made = crm
            .query("SELECT Id FROM Event WHERE Onbehalf_Exchange_Id__c != null")
            .await
            .len();
        eprintln!("cut after {cut_after_ms} ms: {made} events made so far");
    }
    world
        .sandbox
        .faults()
        .set_latency(std::time::Duration::ZERO);
    world
        .sandbox
        .salesforce_faults()
        .set_latency(std::time::Duration::ZERO);
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;

    let crm = crm_token_for(&world, OLIVIA).await;
    for id in &ids {
        let events = crm.events_for(id).await;
        assert_eq!(events.len(), 1, "item {id}: {events:?}");
        let item = olivias_item(&olivia, OLIVIA, id).await;
        assert_eq!(item["share"], "shared", "{item}");
        assert_eq!(item["crm"]["id"], events[0]["Id"], "{item}");
    }
    let again = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
}

#[tokio::test(flavor = "multi_thread")]
async fn each_occurrence_is_its_own_event_and_a_cancelled_one_goes() {
    let world = World::start().await;
    let (olivia, _) = office(&world, true, &[]).await;
    let first = (Utc::now() + Duration::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let series = olivia_adds(
        &world,
        "Morning stand-up",
        json!({
            "categories": ["CRM"],
            "recurrence": {
                "pattern": {"type": "daily", "interval": 1},
                "range": {"type": "numbered", "startDate": first, "numberOfOccurrences": 3},
            },
        }),
    )
    .await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let list = json_as(&olivia, OLIVIA, &["items", "--json"]).await;
    let occurrences: Vec<&Value> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["subject"] == "Morning stand-up")
        .collect();
    assert_eq!(occurrences.len(), 3, "{list}");
    let crm = crm_token_for(&world, OLIVIA).await;
    for o in &occurrences {
        assert_eq!(o["share"], "shared", "{o}");
        assert_ne!(o["id"], series.as_str());
        assert_eq!(crm.events_for(o["id"].as_str().unwrap()).await.len(), 1);
    }

    // Olivia deletes the middle one in Outlook: its event goes, the others stay.
    let gone = occurrences[1]["id"].as_str().unwrap().to_string();
    let token = token_for(&world, OLIVIA).await;
    let (status, body) = graph(
        &world,
        &token,
        Method::DELETE,
        &format!("/me/events/{}", crate::support::encode(&gone)),
        None,
    )
    .await;
    assert_eq!(status, 204, "{body}");
    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["deleted_in_crm"], 1, "{run}");
    assert!(crm.events_for(&gone).await.is_empty());
    for o in [occurrences[0], occurrences[2]] {
        assert_eq!(crm.events_for(o["id"].as_str().unwrap()).await.len(), 1);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn an_all_day_item_is_dates_and_one_too_long_for_the_crm_is_a_problem_not_a_retry() {
    let world = World::start().await;
    let (olivia, _) = office(&world, true, &[]).await;
    let day = (Utc::now() + Duration::days(3)).date_naive();
    let next = day + Duration::days(1);
    let offsite = olivia_adds(
        &world,
        "Offsite",
        json!({
            "categories": ["CRM"],
            "isAllDay": true,
            "start": {"dateTime": format!("{day}T00:00:00"), "timeZone": "UTC"},
            "end": {"dateTime": format!("{next}T00:00:00"), "timeZone": "UTC"},
        }),
    )
    .await;
    let long_end = day + Duration::days(20);
    let sabbatical = olivia_adds(
        &world,
        "Sabbatical",
        json!({
            "categories": ["CRM"],
            "start": {"dateTime": format!("{day}T09:00:00"), "timeZone": "UTC"},
            "end": {"dateTime": format!("{long_end}T17:00:00"), "timeZone": "UTC"},
        }),
    )
    .await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;

    let crm = crm_token_for(&world, OLIVIA).await;
    let events = crm
        .query(&format!(
            "SELECT Id, IsAllDayEvent, ActivityDate FROM Event \
             WHERE Onbehalf_Exchange_Id__c = '{offsite}'"
        ))
        .await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["IsAllDayEvent"], true);
    assert_eq!(events[0]["ActivityDate"], day.to_string().as_str());

    assert!(crm.events_for(&sabbatical).await.is_empty());
    let item = olivias_item(&olivia, OLIVIA, &sabbatical).await;
    assert_eq!(item["share"], "problem", "{item}");
    assert!(
        item["problems"][0]["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("The CRM refused this item"),
        "{item}"
    );
    // Not sent again while it is unchanged.
    let again = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(again["report"]["crm_writes"], 0, "{again}");
}
