//! Native notifications of the sync's problems, seen where a desktop sees them: a notification
//! server on the test's own session bus records what the CLIs raise over D-Bus.

use reqwest::Method;
use serde_json::json;

use crate::desktop::desktop;
use crate::office::{json_as, office, olivia_adds, DANIEL, EMMA, OLIVIA};
use crate::support::{encode, graph, token_for, Machine, World};

/// Olivia's sync is off; Daniel shares an item of hers called `subject`, which waits for it.
/// Olivia's and Daniel's machines, and the item's id.
async fn waiting_share(world: &World, subject: &str) -> (Machine, Machine, String) {
    let (olivia, mut delegates) = office(world, false, &[DANIEL]).await;
    let daniel = delegates.remove(0);
    let id = olivia_adds(world, subject, json!({})).await;
    json_as(
        &daniel,
        DANIEL,
        &["share", &id, "--calendar", OLIVIA, "--json"],
    )
    .await;
    (olivia, daniel, id)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_share_waiting_for_the_owners_sync_is_told_once_and_its_end_once() {
    let world = World::start().await;
    let screen = desktop();
    let subject = "Contoso QBR dry run";
    let (olivia, daniel, _) = waiting_share(&world, subject).await;

    // Three cycles of Daniel's sync (three processes): one notification, naming Olivia and
    // the item.
    for _ in 0..3 {
        daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    }
    let told = screen.about(subject);
    assert_eq!(told.len(), 1, "{told:?}");
    let n = &told[0];
    assert!(
        n.summary.contains("waiting for Olivia Grant's sync"),
        "{n:?}"
    );
    assert!(
        n.body.contains("Olivia Grant does not have sync turned on"),
        "{n:?}"
    );
    assert!(
        n.actions.is_empty(),
        "no button that nothing answers: {n:?}"
    );
    assert_ne!(
        n.replaces_id, 0,
        "a stable id, so showing it again replaces it"
    );

    // Olivia turns her sync on and it makes the event: Daniel is told once that it is over.
    olivia.ok(&["--as", OLIVIA, "sync", "on"]).await;
    olivia
        .ok(&["--as", OLIVIA, "sync", "--once", "--quiet"])
        .await;
    for _ in 0..2 {
        daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    }
    let told = screen.about(subject);
    assert_eq!(told.len(), 2, "{told:?}");
    assert!(
        told[1].summary.contains("Olivia Grant's sync is on"),
        "{told:?}"
    );

    // Each command above was a new process: nothing is repeated across restarts either.
    daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    assert_eq!(screen.about(subject).len(), 2);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_problem_is_listed_with_its_fix_and_once_dismissed_is_neither_listed_nor_told() {
    let world = World::start().await;
    let screen = desktop();
    let subject = "Fabrikam steering committee";
    let (_olivia, daniel, id) = waiting_share(&world, subject).await;
    // A quiet sync keeps the problem without telling it.
    daniel
        .ok(&["--as", DANIEL, "sync", "--once", "--quiet"])
        .await;
    assert!(screen.about(subject).is_empty());

    let list = json_as(&daniel, DANIEL, &["problems", "--json"]).await;
    let problem = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["item"]["id"] == id.as_str())
        .unwrap_or_else(|| panic!("no problem about the item: {list}"))
        .clone();
    assert_eq!(problem["cause"], "owner_sync_off", "{problem}");
    assert_eq!(problem["item"]["subject"], subject, "{problem}");
    assert_eq!(problem["item"]["owner_name"], "Olivia Grant", "{problem}");
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("when they turn it on"),
        "{problem}"
    );
    let shown = daniel.ok(&["--as", DANIEL, "problems"]).await;
    assert!(
        shown.contains(subject) && shown.contains("Olivia Grant"),
        "{shown}"
    );

    let pid = problem["id"].as_str().unwrap();
    daniel
        .ok(&["--as", DANIEL, "problems", "dismiss", pid])
        .await;
    let list = json_as(&daniel, DANIEL, &["problems", "--json"]).await;
    assert!(
        list.as_array().unwrap().iter().all(|p| p["id"] != pid),
        "{list}"
    );
    daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    assert!(
        screen.about(subject).is_empty(),
        "a dismissed problem is not told"
    );
    let out = daniel
        .run(&["--as", DANIEL, "problems", "dismiss", pid])
        .await;
    assert!(!out.status.success(), "nothing left to dismiss");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_the_crm_refuses_is_told_once_with_whom_to_ask() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, mut delegates) = office(&world, true, &[EMMA]).await;
    let emma = delegates.remove(0);
    let subject = "Northwind renewal call";
    let id = olivia_adds(&world, subject, json!({"categories": ["CRM"]})).await;
    olivia
        .ok(&["--as", OLIVIA, "sync", "--once", "--quiet"])
        .await;

    // Emma moves it to Teams in Outlook; her CRM user may read Olivia's events, not edit them.
    let moved = format!("{subject} (Teams)");
    let token = token_for(&world, EMMA).await;
    let (status, body) = graph(
        &world,
        &token,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", encode(&id)),
        Some(json!({ "subject": moved })),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    for _ in 0..3 {
        emma.ok(&["--as", EMMA, "sync", "--once"]).await;
    }
    let told = screen.about(&moved);
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(
        told[0]
            .summary
            .contains("ask Olivia Grant for edit access in the CRM"),
        "{told:?}"
    );
    assert!(
        told[0]
            .body
            .contains("ask Olivia Grant to give you edit access"),
        "{told:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_short_outage_of_the_crm_is_retried_and_never_told() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, _) = office(&world, true, &[]).await;
    let subject = "Board pack review";
    olivia_adds(&world, subject, json!({"categories": ["CRM"]})).await;
    // Every Salesforce request fails for one cycle: nothing is made, nothing is told.
    world.sandbox.salesforce_faults().unavailable_every(1);
    let out = olivia.run(&["--as", OLIVIA, "sync", "--once"]).await;
    assert!(
        !out.status.success(),
        "the cycle says it could not reach the CRM"
    );
    world.sandbox.salesforce_faults().clear();
    let run = json_as(&olivia, OLIVIA, &["sync", "--once", "--json"]).await;
    assert_eq!(run["report"]["shared"], 1, "{run}");
    assert!(
        screen.about(subject).is_empty(),
        "{:?}",
        screen.about(subject)
    );
    let list = json_as(&olivia, OLIVIA, &["problems", "--json"]).await;
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|p| p["item"]["subject"] != subject),
        "{list}"
    );
}
