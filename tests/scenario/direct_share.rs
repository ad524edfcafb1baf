//! A delegate who chose to share for the executive directly: with the executive's sync off,
//! the delegate's own app makes the CRM event, owned by the executive, when the CRM lets the
//! delegate's CRM user add events to her calendar; when it does not, the share waits for her
//! sync and the delegate is told why.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::json;

use crate::office::{crm_user_of, json_as, AARON, DANIEL, OLIVIA};
use crate::support::{crm_token_for, graph, token_for, World};

/// `user` adds an appointment to Olivia's calendar through Graph, as Outlook would.
async fn adds_to_olivias(world: &World, user: &str, subject: &str) -> String {
    let token = token_for(world, user).await;
    let day = (Utc::now() + Duration::days(2)).format("%Y-%m-%d");
    // Stamped with its creator, as items Onbehalf makes are (an Author may share only those).
    let body = json!({
        "subject": subject,
        "start": {"dateTime": format!("{day}T15:00:00"), "timeZone": "UTC"},
        "end": {"dateTime": format!("{day}T16:00:00"), "timeZone": "UTC"},
        "singleValueExtendedProperties": [
            {"id": onbehalf_engine::item::CREATOR_STAMP_ID, "value": user}
        ],
    });
    let path = format!("/users/{OLIVIA}/events");
    let (status, created) = graph(world, &token, Method::POST, &path, Some(body)).await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_delegate_allowed_to_add_events_shares_directly_and_one_refused_waits() {
    let world = World::start().await;
    let daniel = world.machine();
    let aaron = world.machine();
    daniel.ok(&["--as", DANIEL, "calendars"]).await;
    aaron.ok(&["--as", AARON, "calendars"]).await;
    let olivia = world.machine();
    olivia.ok(&["--as", OLIVIA, "sync", "off"]).await;
    for (m, user) in [(&daniel, DANIEL), (&aaron, AARON)] {
        m.ok(&["--as", user, "calendars"]).await;
        m.ok(&["--as", user, "settings", "--direct-share", OLIVIA])
            .await;
    }
    let crm = crm_token_for(&world, OLIVIA).await;

    // Daniel's CRM user has Full Access to Olivia's CRM calendar: his app makes the event.
    let id = adds_to_olivias(&world, DANIEL, "Supplier call").await;
    json_as(
        &daniel,
        DANIEL,
        &["share", &id, "--calendar", OLIVIA, "--json"],
    )
    .await;
    json_as(&daniel, DANIEL, &["sync", "--once", "--json"]).await;
    let events = crm.events_for(&id).await;
    assert_eq!(events.len(), 1, "{events:?}");
    assert_eq!(events[0]["OwnerId"], crm_user_of(OLIVIA).as_str());

    // Aaron's may only see details of hers: the CRM refuses, he is told, the share waits.
    let his = adds_to_olivias(&world, AARON, "Press briefing").await;
    json_as(
        &aaron,
        AARON,
        &["share", &his, "--calendar", OLIVIA, "--json"],
    )
    .await;
    let run = json_as(&aaron, AARON, &["sync", "--once", "--json"]).await;
    assert!(crm.events_for(&his).await.is_empty());
    let notices = run["report"]["notices"].to_string();
    assert!(
        notices.contains("may not add events to Olivia Grant's CRM calendar"),
        "{run}"
    );
    let items = json_as(&aaron, AARON, &["items", "--calendar", OLIVIA, "--json"]).await;
    let item = items
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == his.as_str())
        .cloned()
        .unwrap();
    assert_eq!(item["share"], "pending", "{item}");

    // Once Olivia's sync runs, it makes the event Aaron's app could not.
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    assert_eq!(crm.events_for(&his).await.len(), 1);
}
