//! Sharing an executive's calendar items into the CRM, with the executive's and two
//! assistants' CLIs each on their own machine against the sandbox: who may share, who creates
//! the CRM event, who carries later changes over, and what a person is told.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::{json, Value};

use crate::office::{
    crm_user_of, fabrikam_records, json_as, office, olivia_adds, olivias_item, sync_killed_midway,
    DANIEL, EMMA, OLIVIA, RITA,
};
use crate::support::{crm_token_for, graph, token_for, World};

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
    sync_killed_midway(&world, &olivia, OLIVIA).await;

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

/// The names in the master category list of the holder of `token`, as Outlook reads it.
async fn master_categories(world: &World, token: &str) -> Vec<String> {
    let (status, list) = graph(
        world,
        token,
        Method::GET,
        "/me/outlook/masterCategories",
        None,
    )
    .await;
    assert_eq!(status, 200, "{list}");
    list["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["displayName"].as_str().map(str::to_string))
        .collect()
}

/// Give Olivia's item these categories in Outlook, as the holder of `token` (Olivia, or a
/// delegate on her calendar).
async fn categorize(world: &World, token: &str, mailbox: &str, id: &str, categories: &[&str]) {
    let (status, body) = graph(
        world,
        token,
        Method::PATCH,
        &format!("{mailbox}/events/{}", crate::support::encode(id)),
        Some(json!({ "categories": categories })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
}

/// An instant as Graph, `items --json` or Salesforce writes it.
fn instant(text: &str) -> chrono::DateTime<Utc> {
    chrono::DateTime::parse_from_rfc3339(text)
        .or_else(|_| chrono::DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .unwrap_or_else(|e| panic!("{text} is not a time: {e}"))
        .with_timezone(&Utc)
}

/// The one CRM event made for `id`: owned by Olivia's CRM user, with the item's subject and
/// time as `items --json` shows them.
async fn assert_olivias_event_for(world: &World, item: &Value) {
    let id = item["id"].as_str().unwrap();
    let crm = crm_token_for(world, OLIVIA).await;
    let events = crm.events_for(id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    let event = &events[0];
    assert_eq!(event["OwnerId"], crm_user_of(OLIVIA).as_str(), "{event}");
    assert_eq!(event["Subject"], item["subject"], "{event}");
    let times = |v: &Value, start: &str, end: &str| {
        (
            instant(v[start].as_str().unwrap()),
            instant(v[end].as_str().unwrap()),
        )
    };
    assert_eq!(
        times(event, "StartDateTime", "EndDateTime"),
        times(item, "start", "end"),
        "{event} {item}"
    );
    assert_eq!(item["share"], "shared", "{item}");
    assert_eq!(item["crm"]["id"], event["Id"], "{item}");
    assert_eq!(item["crm"]["owner"], crm_user_of(OLIVIA).as_str(), "{item}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_share_category_is_made_when_missing_and_an_item_given_it_in_outlook_is_shared() {
    let world = World::start().await;
    let token = token_for(&world, OLIVIA).await;
    let before = master_categories(&world, &token).await;
    assert!(
        !before.iter().any(|c| c.eq_ignore_ascii_case("CRM")),
        "{before:?}"
    );

    let (olivia, _) = office(&world, true, &[]).await;
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let after = master_categories(&world, &token).await;
    assert_eq!(
        after.iter().filter(|c| c.as_str() == "CRM").count(),
        1,
        "her sync made the CRM category in her own list: {after:?}"
    );

    // She gives one of her appointments the category in Outlook.
    let id = olivia_adds(&world, "Northwind kickoff", json!({})).await;
    categorize(&world, &token, "/me", &id, &["CRM"]).await;
    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 1, "{run}");
    let item = olivias_item(&olivia, OLIVIA, &id).await;
    assert_eq!(item["subject"], "Northwind kickoff");
    assert_olivias_event_for(&world, &item).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegates_category_on_the_owners_item_is_shared_by_the_owners_sync() {
    let world = World::start().await;
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let id = olivia_adds(&world, "Litware due diligence", json!({})).await;

    // Daniel, her delegate, gives her appointment the category in Outlook.
    let token = token_for(&world, DANIEL).await;
    categorize(&world, &token, &format!("/users/{OLIVIA}"), &id, &["CRM"]).await;
    // His own sync does not make the event: the owner's does.
    daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    assert!(crm.events_for(&id).await.is_empty());

    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 1, "{run}");
    let item = olivias_item(&olivia, OLIVIA, &id).await;
    assert_olivias_event_for(&world, &item).await;
    let seen_by_daniel = olivias_item(&daniel, DANIEL, &id).await;
    assert_eq!(seen_by_daniel["share"], "shared", "{seen_by_daniel}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_configured_share_category_is_the_one_that_shares() {
    let world = World::start().await;
    let (olivia, _) = office(&world, true, &[]).await;
    let settings = json_as(
        &olivia,
        OLIVIA,
        &["settings", "--category", "Salesforce", "--json"],
    )
    .await;
    assert_eq!(
        settings["settings"]["share_category"], "Salesforce",
        "{settings}"
    );

    let token = token_for(&world, OLIVIA).await;
    let configured = olivia_adds(&world, "Tailspin quarterly", json!({})).await;
    categorize(&world, &token, "/me", &configured, &["Salesforce"]).await;
    let default_name = olivia_adds(&world, "Team lunch", json!({})).await;
    categorize(&world, &token, "/me", &default_name, &["CRM"]).await;
    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 1, "{run}");

    let item = olivias_item(&olivia, OLIVIA, &configured).await;
    assert_olivias_event_for(&world, &item).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    assert!(crm.events_for(&default_name).await.is_empty());
    let other = olivias_item(&olivia, OLIVIA, &default_name).await;
    assert_eq!(other["share"], "none", "{other}");
    let categories = master_categories(&world, &token).await;
    assert!(
        categories.iter().any(|c| c == "Salesforce"),
        "the configured category is in her list: {categories:?}"
    );
}

/// Conflicts: a CRM change to a meeting waits for Olivia's decision and mails no attendee; a
/// field changed on both sides is decided by the winner, and what it overwrote is shown.
mod conflicts {
    use super::*;

    const PAT: &str = "pat.kim@fabrikam.com";

    /// `day`, at this hour, as Salesforce writes a time.
    fn crm_time(day: chrono::NaiveDate, hour: u32) -> String {
        format!("{day}T{hour:02}:00:00.000+0000")
    }

    /// Salesforce's changes feed counts whole minutes: a change shows once a minute has
    /// passed since the sync that last looked.
    async fn wait_for_the_crm_feed(since: std::time::Instant) {
        let minute = std::time::Duration::from_secs(62);
        tokio::time::sleep(minute.saturating_sub(since.elapsed())).await;
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_crm_change_to_a_shared_meeting_waits_for_the_user_and_mails_no_attendee() {
        let world = World::start().await;
        let (olivia, _) = office(&world, true, &[]).await;
        let id = olivia_adds(
            &world,
            "Fabrikam renewal review",
            json!({
                "categories": ["CRM"],
                "attendees": [{
                    "emailAddress": {"address": PAT, "name": "Pat Kim"},
                    "type": "required",
                }],
            }),
        )
        .await;
        olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
        let synced_at = std::time::Instant::now();
        let invited = world.sandbox.faults().meeting_mail(OLIVIA);
        assert_eq!(invited.invitations, 1, "Outlook invited Pat: {invited:?}");

        // Someone working in the CRM moves the meeting two hours later, to Fabrikam's office.
        let crm = crm_token_for(&world, OLIVIA).await;
        let event = crm.events_for(&id).await[0]["Id"]
            .as_str()
            .unwrap()
            .to_string();
        let day = (Utc::now() + Duration::days(1)).date_naive();
        crm.update_event(
            &event,
            json!({
                "StartDateTime": crm_time(day, 12),
                "EndDateTime": crm_time(day, 13),
                "Location": "Fabrikam HQ",
            }),
        )
        .await;
        wait_for_the_crm_feed(synced_at).await;
        let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
        assert_eq!(run["report"]["conflicts"], 1, "{run}");
        assert_eq!(run["report"]["exchange_writes"], 0, "{run}");

        // Olivia sees both values of each field, and why the CRM's cannot be kept.
        let listed = json_as(&olivia, OLIVIA, &["conflicts", "--json"]).await;
        let conflicts = listed["conflicts"].as_array().unwrap();
        assert_eq!(conflicts.len(), 1, "{listed}");
        let conflict = &conflicts[0];
        assert_eq!(conflict["item"], id.as_str(), "{conflict}");
        assert_eq!(conflict["subject"], "Fabrikam renewal review");
        assert_eq!(conflict["calendar"], OLIVIA);
        assert_eq!(conflict["meeting"], true);
        let field = |name: &str| {
            conflict["fields"]
                .as_array()
                .unwrap()
                .iter()
                .find(|f| f["field"] == name)
                .cloned()
                .unwrap_or_else(|| panic!("no {name} in {conflict}"))
        };
        assert_eq!(field("location")["outlook"], "Board room");
        assert_eq!(field("location")["crm"], "Fabrikam HQ");
        let time = field("time");
        assert!(
            time["outlook"].as_str().unwrap().contains("T10:00:00"),
            "{time}"
        );
        assert!(
            time["crm"].as_str().unwrap().contains("T12:00:00"),
            "{time}"
        );
        assert_eq!(conflict["keep_outlook"]["allowed"], true, "{conflict}");
        assert_eq!(conflict["keep_crm"]["allowed"], false, "{conflict}");
        assert!(
            conflict["keep_crm"]["reason"]
                .as_str()
                .unwrap_or("")
                .contains("every attendee"),
            "{conflict}"
        );
        let status = json_as(&olivia, OLIVIA, &["status", "--json"]).await;
        assert_eq!(status["conflicts"], 1, "{status}");
        // It is a problem too, until she decides, listed with what to do.
        let problems = json_as(&olivia, OLIVIA, &["problems", "--json"]).await;
        let waiting = problems
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["cause"] == "conflicts_waiting")
            .unwrap_or_else(|| panic!("{problems}"));
        assert!(
            waiting["message"]
                .as_str()
                .unwrap()
                .starts_with("A meeting was changed in both Outlook and the CRM"),
            "{waiting}"
        );

        // The meeting in Outlook is as it was, and Pat was sent nothing more.
        let item = olivias_item(&olivia, OLIVIA, &id).await;
        assert!(
            item["start"].as_str().unwrap().contains("T10:00:00"),
            "{item}"
        );
        assert_eq!(item["location"], "Board room", "{item}");
        assert_eq!(world.sandbox.faults().meeting_mail(OLIVIA), invited);

        // Keeping the CRM's values would mail Pat: refused, with the reason.
        let out = olivia
            .run(&["--as", OLIVIA, "resolve", &id, "--keep", "crm"])
            .await;
        assert_eq!(out.status.code(), Some(10));
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("never changes a meeting"), "{err}");
        assert!(err.contains("keep Outlook's values"), "{err}");

        // Keeping Outlook's: the CRM event takes them, and the conflict is gone.
        let resolved = json_as(
            &olivia,
            OLIVIA,
            &["resolve", &id, "--keep", "outlook", "--json"],
        )
        .await;
        assert_eq!(resolved["kept"], "exchange", "{resolved}");
        let events = crm
            .query(&format!(
                "SELECT StartDateTime, EndDateTime, Location FROM Event WHERE Id = '{event}'"
            ))
            .await;
        assert!(
            events[0]["StartDateTime"]
                .as_str()
                .unwrap()
                .contains("T10:00:00"),
            "{events:?}"
        );
        assert_eq!(events[0]["Location"], "Board room", "{events:?}");
        let listed = json_as(&olivia, OLIVIA, &["conflicts", "--json"]).await;
        assert_eq!(listed["conflicts"], json!([]), "{listed}");
        let status = json_as(&olivia, OLIVIA, &["status", "--json"]).await;
        assert_eq!(status["conflicts"], 0, "{status}");
        assert_eq!(world.sandbox.faults().meeting_mail(OLIVIA), invited);

        // Both sides agree with the link: the next sync has nothing to write.
        let again = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
        assert_eq!(again["report"]["crm_writes"], 0, "{again}");
        assert_eq!(again["report"]["exchange_writes"], 0, "{again}");
        assert_eq!(again["report"]["conflicts"], 0, "{again}");
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_subject_changed_on_both_sides_keeps_outlooks_and_shows_the_crms_as_overwritten() {
        let world = World::start().await;
        let (olivia, _) = office(&world, true, &[]).await;
        let id = olivia_adds(&world, "Quarterly planning", json!({"categories": ["CRM"]})).await;
        olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
        let crm = crm_token_for(&world, OLIVIA).await;
        let event = crm.events_for(&id).await[0]["Id"]
            .as_str()
            .unwrap()
            .to_string();

        // Before the next sync, the subject changes in the CRM and in Outlook.
        crm.update_event(
            &event,
            json!({"Subject": "Quarterly planning with Fabrikam"}),
        )
        .await;
        let token = token_for(&world, OLIVIA).await;
        let (status, body) = graph(
            &world,
            &token,
            Method::PATCH,
            &format!("/me/events/{}", crate::support::encode(&id)),
            Some(json!({"subject": "Quarterly planning (moved to Teams)"})),
        )
        .await;
        assert_eq!(status, 200, "{body}");

        let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
        assert_eq!(run["report"]["updated_in_crm"], 1, "{run}");
        assert_eq!(run["report"]["updated_in_exchange"], 0, "{run}");
        assert_eq!(run["report"]["conflicts"], 0, "{run}");
        let notices: Vec<&str> = run["report"]["notices"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|n| n.as_str())
            .collect();
        assert!(
            notices
                .iter()
                .any(|n| n.contains("the CRM's \"Quarterly planning with Fabrikam\" overwritten")),
            "{notices:?}"
        );

        // Exchange wins by default: the CRM has Outlook's subject, Outlook keeps it.
        assert_eq!(
            crm.events_for(&id).await[0]["Subject"],
            "Quarterly planning (moved to Teams)"
        );
        let item = olivias_item(&olivia, OLIVIA, &id).await;
        assert_eq!(item["subject"], "Quarterly planning (moved to Teams)");

        // What the CRM held is shown as overwritten, and nothing waits for a decision.
        let listed = json_as(&olivia, OLIVIA, &["conflicts", "--json"]).await;
        assert_eq!(listed["conflicts"], json!([]), "{listed}");
        let overwritten = listed["overwritten"].as_array().unwrap();
        assert_eq!(overwritten.len(), 1, "{listed}");
        let notice = &overwritten[0];
        assert_eq!(notice["item"], id.as_str(), "{notice}");
        assert_eq!(notice["subject"], "Quarterly planning (moved to Teams)");
        assert_eq!(
            notice["fields"],
            json!([{
                "field": "subject",
                "winner": "exchange",
                "kept": "Quarterly planning (moved to Teams)",
                "overwritten": "Quarterly planning with Fabrikam",
            }]),
            "{notice}"
        );

        // Read, the notice is dismissed.
        let number = notice["id"].to_string();
        olivia
            .ok(&["--as", OLIVIA, "conflicts", "dismiss", &number])
            .await;
        let listed = json_as(&olivia, OLIVIA, &["conflicts", "--json"]).await;
        assert_eq!(listed["overwritten"], json!([]), "{listed}");
    }
}
