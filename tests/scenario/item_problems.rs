//! Each cause of an item's problem the sandbox can bring about, told once as a notification
//! naming the item and listed by `onbehalf problems` with whoever can fix it; and a kind of
//! problem the user silenced, listed but never told.

use chrono::{Duration, Utc};
use onbehalf_sandbox::demo_org;
use reqwest::Method;
use serde_json::{json, Value};

use crate::desktop::desktop;
use crate::office::{json_as, office, olivia_adds, olivia_sets_role, DANIEL, OLIVIA};
use crate::support::{encode, graph, token_for, World};

const FELIX: &str = "felix.braun@contoso.com";

/// Olivia's open problem about the item with this subject.
async fn listed_for(machine: &crate::support::Machine, user: &str, subject: &str) -> Value {
    let list = json_as(machine, user, &["problems", "--json"]).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["item"]["subject"] == subject)
        .cloned()
        .unwrap_or_else(|| panic!("no problem about {subject:?}: {list}"))
}

#[tokio::test(flavor = "multi_thread")]
async fn an_event_the_crm_refuses_is_told_once_in_the_crms_words() {
    let world = World::start().await;
    let screen = desktop();
    let contoso = &demo_org().crm_orgs[0].id;
    assert!(world
        .sandbox
        .salesforce_faults()
        .set_multiday_events(contoso, false));
    let (olivia, _) = office(&world, true, &[]).await;
    // A two-day offsite, where the org allows no event longer than a day.
    let subject = "Leadership offsite";
    let start = (Utc::now() + Duration::days(3)).format("%Y-%m-%dT09:00:00");
    let end = (Utc::now() + Duration::days(4)).format("%Y-%m-%dT17:00:00");
    olivia_adds(
        &world,
        subject,
        json!({
            "categories": ["CRM"],
            "start": {"dateTime": start.to_string(), "timeZone": "UTC"},
            "end": {"dateTime": end.to_string(), "timeZone": "UTC"},
        }),
    )
    .await;
    for _ in 0..3 {
        olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    }
    let told = screen.about(subject);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].summary.contains("the CRM refused it"), "{told:?}");
    let p = listed_for(&olivia, OLIVIA, subject).await;
    assert_eq!(p["cause"], "crm_cannot_keep", "{p}");
    assert_eq!(p["kind"], "crm_refused", "{p}");
    assert_eq!(p["who_can_fix"], "You", "{p}");
    assert!(
        p["message"]
            .as_str()
            .unwrap()
            .contains("Change the item in Outlook"),
        "{p}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn an_edit_by_a_delegate_who_cannot_see_the_crm_event_is_told_once() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, _) = office(&world, true, &[]).await;
    let subject = "Woodgrove pricing review";
    let id = olivia_adds(&world, subject, json!({"categories": ["CRM"]})).await;
    olivia
        .ok(&["--as", OLIVIA, "sync", "--once", "--quiet"])
        .await;

    // Olivia makes Felix an Editor of her calendar in Outlook; in the CRM he keeps the org's
    // default, which hides the details of her events from him.
    olivia_sets_role(&world, FELIX, "write").await;
    // Her Onbehalf publishes the new grant; Felix's finds it.
    let felix = world.machine();
    felix.ok(&["--as", FELIX, "calendars"]).await;
    olivia.ok(&["--as", OLIVIA, "calendars"]).await;
    felix.ok(&["--as", FELIX, "calendars"]).await;

    // Felix moves the meeting to Teams in Outlook; his sync carries the change to the CRM.
    let moved = format!("{subject} (Teams)");
    let (status, body) = graph(
        &world,
        &token_for(&world, FELIX).await,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", encode(&id)),
        Some(json!({ "subject": moved })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..2 {
        felix.ok(&["--as", FELIX, "sync", "--once"]).await;
    }
    let told = screen.about(&moved);
    assert_eq!(told.len(), 1, "{told:?}");
    let p = listed_for(&felix, FELIX, &moved).await;
    assert_eq!(p["cause"], "no_crm_read_access", "{p}");
    assert_eq!(p["who_can_fix"], "Olivia Grant", "{p}");
    assert!(
        told[0]
            .summary
            .contains("insufficient CRM permissions to save this event"),
        "{told:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_silenced_kind_of_problem_is_listed_but_never_told() {
    let world = World::start().await;
    let screen = desktop();
    let (_olivia, mut delegates) = office(&world, false, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    daniel
        .ok(&["--as", DANIEL, "settings", "--notify-off", "waiting"])
        .await;
    let subject = "Tailspin onboarding";
    let id = olivia_adds(&world, subject, json!({})).await;
    json_as(
        &daniel,
        DANIEL,
        &["share", &id, "--calendar", OLIVIA, "--json"],
    )
    .await;
    for _ in 0..2 {
        daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    }
    assert!(
        screen.about(subject).is_empty(),
        "{:?}",
        screen.about(subject)
    );
    let p = listed_for(&daniel, DANIEL, subject).await;
    assert_eq!(p["cause"], "owner_sync_off", "{p}");
    assert_eq!(p["who_can_fix"], "Olivia Grant", "{p}");
    let shown = daniel.ok(&["--as", DANIEL, "settings"]).await;
    assert!(
        shown.contains("Not notified:         Shares waiting"),
        "{shown}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_write_outlook_refuses_after_a_permission_was_lowered_is_told_once() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, mut delegates) = office(&world, true, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let subject = "Northwind board prep";
    let id = olivia_adds(&world, subject, json!({"categories": ["CRM"]})).await;
    olivia
        .ok(&["--as", OLIVIA, "sync", "--once", "--quiet"])
        .await;
    daniel
        .ok(&["--as", DANIEL, "sync", "--once", "--quiet"])
        .await;

    // Daniel moves the meeting in Outlook; before his sync runs, Olivia makes him a Reviewer.
    let moved = format!("{subject} (moved)");
    let (status, body) = graph(
        &world,
        &token_for(&world, DANIEL).await,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", encode(&id)),
        Some(json!({ "subject": moved })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    olivia_sets_role(&world, DANIEL, "read").await;

    // His sync carries the change to the CRM; Outlook refuses the sync's own note on the item.
    for _ in 0..2 {
        daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    }
    let told = screen.about(&moved);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]
            .summary
            .contains("your Outlook permission does not allow it"),
        "{told:?}"
    );
    let p = listed_for(&daniel, DANIEL, &moved).await;
    assert_eq!(p["cause"], "exchange_permission", "{p}");
    assert_eq!(
        p["who_can_fix"], "Olivia Grant, who can change your permission",
        "{p}"
    );
    assert!(
        p["message"].as_str().unwrap().contains("ErrorAccessDenied"),
        "{p}"
    );
}
