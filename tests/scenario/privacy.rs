//! An owner's private items: their details reach only people with private-items access.

use chrono::{Duration, Utc};
use reqwest::Method;
use serde_json::Value;

use crate::support::{encode, graph, token_for, World};

async fn olivias_items(world: &World, token: &str) -> Vec<Value> {
    let start = (Utc::now() - Duration::days(100)).format("%Y-%m-%dT00:00:00Z");
    let end = (Utc::now() + Duration::days(100)).format("%Y-%m-%dT00:00:00Z");
    let mut path = format!(
        "/users/olivia.grant@contoso.com/calendar/calendarView?startDateTime={start}&endDateTime={end}&$top=100"
    );
    let mut items = Vec::new();
    loop {
        let (status, page) = graph(world, token, Method::GET, &path, None).await;
        assert_eq!(status, 200, "{page}");
        items.extend(page["value"].as_array().unwrap().iter().cloned());
        match page["@odata.nextLink"].as_str() {
            Some(next) => {
                path = next
                    .trim_start_matches(&world.sandbox.graph_url())
                    .to_string()
            }
            None => break,
        }
    }
    items
}

fn private(items: &[Value]) -> Vec<&Value> {
    items
        .iter()
        .filter(|e| e["sensitivity"] == "private")
        .collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn private_details_never_reach_an_editor_without_private_access() {
    let world = World::start().await;
    let emma = token_for(&world, "emma.chen@contoso.com").await;
    let items = olivias_items(&world, &emma).await;
    let hidden = private(&items);
    assert!(!hidden.is_empty(), "the demo calendar has private items");
    for e in &hidden {
        assert_eq!(e["subject"].as_str().unwrap_or(""), "", "{e}");
        assert_eq!(e["body"]["content"].as_str().unwrap_or(""), "", "{e}");
        assert!(
            e["attendees"].as_array().is_none_or(|a| a.is_empty()),
            "{e}"
        );
        assert_eq!(
            e["location"]["displayName"].as_str().unwrap_or(""),
            "",
            "{e}"
        );
    }
    // Opening one directly finds nothing (Graph's 404 for a private item).
    let id = hidden[0]["id"].as_str().unwrap();
    let (status, body) = graph(
        &world,
        &emma,
        Method::GET,
        &format!("/users/olivia.grant@contoso.com/events/{}", encode(id)),
        None,
    )
    .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "ErrorItemNotFound");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_delegate_with_private_access_sees_private_details() {
    let world = World::start().await;
    let daniel = token_for(&world, "daniel.reyes@contoso.com").await;
    let items = olivias_items(&world, &daniel).await;
    let shown = private(&items);
    assert!(!shown.is_empty());
    assert!(shown
        .iter()
        .all(|e| !e["subject"].as_str().unwrap_or("").is_empty()));
}

#[tokio::test(flavor = "multi_thread")]
async fn free_busy_only_cannot_list_items_at_all() {
    let world = World::start().await;
    let felix = token_for(&world, "felix.braun@contoso.com").await;
    let (status, body) = graph(
        &world,
        &felix,
        Method::GET,
        "/users/olivia.grant@contoso.com/calendar/events",
        None,
    )
    .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(body["error"]["code"], "ErrorAccessDenied");
}
