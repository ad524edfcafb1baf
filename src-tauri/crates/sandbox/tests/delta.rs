//! Delta queries on a calendar view, as event-delta and delta-query-events document them: a
//! round of pages linked by `@odata.nextLink` (`$skiptoken`) ending with `@odata.deltaLink`
//! (`$deltatoken`); a later round with only what was added, changed or removed; unsupported
//! options refused; an unknown or expired token 410 `SyncStateNotFound`.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::*;
use onbehalf_sandbox::{Sandbox, SandboxOptions};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const PAGE_OF_5: (&str, &str) = ("Prefer", "odata.maxpagesize=5");

/// One page of a delta round.
struct DeltaPage {
    value: Vec<Value>,
    next: Option<String>,
    delta: Option<String>,
}

async fn page(sb: &Sandbox, token: &str, url: &str) -> DeltaPage {
    let (status, headers, body) = call_with(sb, token, Method::GET, url, &[PAGE_OF_5], None).await;
    assert_eq!(status, StatusCode::OK, "{url}: {body}");
    assert!(
        header(&headers, "Preference-Applied").contains("odata.maxpagesize=5"),
        "{headers:?}"
    );
    assert!(body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/$metadata#Collection(event)"));
    DeltaPage {
        value: body["value"].as_array().unwrap().clone(),
        next: body["@odata.nextLink"].as_str().map(str::to_string),
        delta: body["@odata.deltaLink"].as_str().map(str::to_string),
    }
}

/// Follow a round to its end: every entry, the number of pages and the delta link.
async fn round(sb: &Sandbox, token: &str, first: &str) -> (Vec<Value>, usize, String) {
    let mut entries = Vec::new();
    let mut url = first.to_string();
    let mut pages = 0;
    loop {
        let p = page(sb, token, &url).await;
        pages += 1;
        assert!(p.value.len() <= 5);
        entries.extend(p.value);
        match (p.next, p.delta) {
            (Some(next), None) => {
                assert!(next.contains("/calendarView/delta?$skiptoken="), "{next}");
                url = next;
            }
            (None, Some(delta)) => {
                assert!(
                    delta.contains("/calendarView/delta?$deltatoken="),
                    "{delta}"
                );
                return (entries, pages, delta);
            }
            other => panic!("a page has exactly one of the two links: {other:?}"),
        }
    }
}

fn changed_ids(entries: &[Value]) -> BTreeSet<String> {
    entries
        .iter()
        .filter(|e| e.get("@removed").is_none())
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

fn removed_ids(entries: &[Value]) -> BTreeSet<String> {
    entries
        .iter()
        .filter(|e| e["@removed"]["reason"] == "deleted")
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_first_round_gives_the_calendar_view_and_the_next_only_what_changed() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let window = window(14);
    let view = get_all(&sb, &olivia, &format!("/me/calendarView?{window}")).await;

    let (first, pages, delta) =
        round(&sb, &olivia, &format!("/me/calendarView/delta?{window}")).await;
    assert!(pages > 1, "the view takes several pages of 5");
    let view_ids: BTreeSet<String> = view
        .iter()
        .map(|e| e["id"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(changed_ids(&first), view_ids, "occurrences included");
    assert!(removed_ids(&first).is_empty());
    assert!(first
        .iter()
        .all(|e| e["@odata.type"] == "#microsoft.graph.event" && e["subject"].is_string()));

    let (quiet, _, delta) = round(&sb, &olivia, &delta).await;
    assert!(quiet.is_empty(), "nothing changed: {quiet:?}");

    let single = view.iter().find(|e| e["type"] == "singleInstance").unwrap();
    let occurrences: Vec<&Value> = view.iter().filter(|e| e["type"] == "occurrence").collect();
    let (moved, cancelled) = (occurrences[0], occurrences[1]);
    let (status, created) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/events",
        Some(json!({
            "subject": "Added since",
            "start": {"dateTime": chrono::Utc::now().format("%Y-%m-%dT09:00:00").to_string(), "timeZone": "UTC"},
            "end": {"dateTime": chrono::Utc::now().format("%Y-%m-%dT10:00:00").to_string(), "timeZone": "UTC"}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, far) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/events",
        Some(json!({
            "subject": "Far outside the window",
            "start": {"dateTime": "2031-01-01T09:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2031-01-01T10:00:00", "timeZone": "UTC"}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = |e: &Value| format!("/me/events/{}", e["id"].as_str().unwrap());
    let (status, _) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &path(moved),
        Some(json!({"subject": "Changed occurrence"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    for gone in [single, cancelled] {
        let (status, _) = call(&sb, &olivia, Method::DELETE, &path(gone), None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
    }

    let (changes, _, _) = round(&sb, &olivia, &delta).await;
    let id = |e: &Value| e["id"].as_str().unwrap().to_string();
    assert_eq!(
        changed_ids(&changes),
        BTreeSet::from([id(&created), id(moved)]),
        "{changes:?}"
    );
    assert_eq!(
        removed_ids(&changes),
        BTreeSet::from([id(single), id(cancelled), id(&far)]),
        "deleted, cancelled, and changed outside the window"
    );
    let changed = changes.iter().find(|e| e["id"] == moved["id"]).unwrap();
    assert_eq!(changed["subject"], "Changed occurrence");
    assert_eq!(changed["type"], "exception");
    let removed = changes.iter().find(|e| e["id"] == single["id"]).unwrap();
    assert_eq!(
        removed,
        &json!({"@odata.type": "#microsoft.graph.event", "id": single["id"], "@removed": {"reason": "deleted"}})
    );
}

#[tokio::test]
async fn unknown_expired_and_foreign_tokens_are_410_sync_state_not_found() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let window = window(3);

    let (status, body) = get(
        &sb,
        &olivia,
        "/me/calendarView/delta?$deltatoken=R0usmcMDNGg0J1E",
    )
    .await;
    assert_eq!(status, StatusCode::GONE);
    assert_eq!(error_code(&body), "SyncStateNotFound");
    assert_shape(&fixture("error.json"), &body, "410");

    let first = format!("/me/calendarView/delta?{window}");
    let (status, _, body) = call_with(
        &sb,
        &olivia,
        Method::GET,
        &first,
        &[("Prefer", "odata.maxpagesize=1000")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let delta = body["@odata.deltaLink"].as_str().unwrap().to_string();
    let token = delta.split("$deltatoken=").nth(1).unwrap();

    // Another user, even one who may read the calendar, does not share the caller's state.
    let (status, body) = get(
        &sb,
        &daniel,
        &format!("/users/{OLIVIA}/calendarView/delta?$deltatoken={token}"),
    )
    .await;
    assert_eq!(status, StatusCode::GONE, "{body}");

    // The cache keeps the newest tokens; older ones are gone.
    let mut latest = delta.clone();
    for _ in 0..8 {
        let (status, body) = get(&sb, &olivia, &latest).await;
        assert_eq!(status, StatusCode::OK);
        latest = body["@odata.deltaLink"].as_str().unwrap().to_string();
    }
    let (status, body) = get(&sb, &olivia, &delta).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::GONE, "SyncStateNotFound")
    );
    let (status, _) = get(&sb, &olivia, &latest).await;
    assert_eq!(status, StatusCode::OK);

    sb.faults().expire_delta_tokens();
    let (status, body) = get(&sb, &olivia, &latest).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::GONE, "SyncStateNotFound")
    );
}

#[tokio::test]
async fn select_expand_filter_and_a_missing_window_are_refused() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let window = window(3);
    for option in [
        "$select=subject",
        "$filter=subject%20eq%20%27x%27",
        "$orderby=subject",
        "$expand=singleValueExtendedProperties($filter=id%20eq%20%27String%200x3FF8%27)",
    ] {
        let (status, body) = get(
            &sb,
            &olivia,
            &format!("/me/calendarView/delta?{window}&{option}"),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{option}: {body}");
    }
    let (status, body) = get(&sb, &olivia, "/me/calendarView/delta").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "ErrorInvalidParameter");
}

#[tokio::test]
async fn a_delegate_tracks_the_owners_calendar_view_and_a_free_busy_viewer_may_not() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let felix = token_for(&sb, FELIX).await;
    let window = window(7);
    let first = format!("/users/{OLIVIA}/calendarView/delta?{window}");

    let (status, body) = get(&sb, &felix, &first).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "ErrorAccessDenied");

    let (entries, _, delta) = round(&sb, &daniel, &first).await;
    let target = entries
        .iter()
        .find(|e| e["type"] == "singleInstance")
        .unwrap();
    let (status, _) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &format!("/me/events/{}", target["id"].as_str().unwrap()),
        Some(json!({"location": {"displayName": "Board Room 4.02"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (changes, _, _) = round(&sb, &daniel, &delta).await;
    assert_eq!(changes.len(), 1, "{changes:?}");
    assert_eq!(changes[0]["id"], target["id"], "ids of the owner's mailbox");
    assert_eq!(changes[0]["location"]["displayName"], "Board Room 4.02");
}

#[tokio::test]
async fn delta_tokens_are_kept_in_the_state_file() {
    let dir = tempfile::tempdir().unwrap();
    let options = SandboxOptions {
        state_file: Some(dir.path().join("state.json")),
        ..SandboxOptions::default()
    };
    let sb = Sandbox::start(options.clone()).await.unwrap();
    let olivia = token_for(&sb, OLIVIA).await;
    let (_, _, delta) = round(
        &sb,
        &olivia,
        &format!("/me/calendarView/delta?{}", window(2)),
    )
    .await;
    let token = delta.split("$deltatoken=").nth(1).unwrap().to_string();
    sb.shutdown().await;

    let sb = Sandbox::start(options).await.unwrap();
    let (status, body) = get(
        &sb,
        &olivia,
        &format!("/me/calendarView/delta?$deltatoken={token}"),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["value"], json!([]));
}
