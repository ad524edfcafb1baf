//! Writes to events with `If-Match` (412 on another version), the change key moving on every
//! write (categories and extended properties included), and Onbehalf's marks (categories and
//! its extended properties) written by whoever may edit the item and refused to anyone else.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use onbehalf_engine::item::CREATOR_STAMP_ID;
use onbehalf_engine::sync::marks::{LINK_ID, PENDING_ID};
use onbehalf_sandbox::Sandbox;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn expand_marks() -> String {
    let ids = [LINK_ID, PENDING_ID, CREATOR_STAMP_ID]
        .iter()
        .map(|id| format!("id eq '{id}'"))
        .collect::<Vec<_>>()
        .join(" or ");
    let value = format!("singleValueExtendedProperties($filter={ids})");
    format!(
        "$expand={}",
        url::form_urlencoded::byte_serialize(value.as_bytes()).collect::<String>()
    )
}

fn property<'a>(event: &'a Value, id: &str) -> Option<&'a str> {
    event["singleValueExtendedProperties"]
        .as_array()?
        .iter()
        .find(|p| p["id"].as_str().is_some_and(|i| i.eq_ignore_ascii_case(id)))
        .and_then(|p| p["value"].as_str())
}

/// An item of Olivia's in the next days, as her calendar view lists it.
async fn olivia_item(sb: &Sandbox, token: &str, pick: impl Fn(&Value) -> bool) -> Value {
    get_all(
        sb,
        token,
        &format!("/users/{OLIVIA}/calendarView?{}", window(14)),
    )
    .await
    .into_iter()
    .find(|e| pick(e))
    .expect("a seeded item of that kind")
}

fn id(e: &Value) -> &str {
    e["id"].as_str().unwrap()
}

fn etag(e: &Value) -> String {
    e["@odata.etag"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn if_match_with_the_current_etag_writes_and_another_is_412() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let item = olivia_item(&sb, &olivia, |e| e["type"] == "singleInstance").await;
    let path = format!("/me/events/{}", id(&item));
    let old = etag(&item);
    assert_eq!(
        old,
        format!("W/\"{}\"", item["changeKey"].as_str().unwrap())
    );

    let (status, _, updated) = call_with(
        &sb,
        &olivia,
        Method::PATCH,
        &path,
        &[("If-Match", &old)],
        Some(json!({"subject": "Checked write"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_ne!(etag(&updated), old, "a write gives a new change key");

    for (method, body) in [
        (Method::PATCH, Some(json!({"subject": "Lost update"}))),
        (Method::DELETE, None),
    ] {
        let (status, _, refused) =
            call_with(&sb, &olivia, method, &path, &[("If-Match", &old)], body).await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
        assert_eq!(error_code(&refused), "ErrorIrresolvableConflict");
        assert_shape(&fixture("error.json"), &refused, "412");
    }
    let (_, now) = get(&sb, &olivia, &path).await;
    assert_eq!(
        now["subject"], "Checked write",
        "the refused writes changed nothing"
    );

    let (status, _, _) = call_with(
        &sb,
        &olivia,
        Method::PATCH,
        &path,
        &[("If-Match", "*")],
        Some(json!({"importance": "high"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    // A $batch member carries its own condition.
    let (status, batch) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({"requests": [{
            "id": "1", "method": "PATCH", "url": path,
            "headers": {"Content-Type": "application/json", "If-Match": old},
            "body": {"subject": "Stale in a batch"}
        }]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(batch["responses"][0]["status"], 412);
    assert_eq!(
        batch["responses"][0]["body"]["error"]["code"],
        "ErrorIrresolvableConflict"
    );
}

#[tokio::test]
async fn a_delegate_writes_marks_which_change_the_change_key_and_read_back_with_expand() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let item = olivia_item(&sb, &daniel, |e| {
        e["type"] == "singleInstance" && e["attendees"].as_array().is_some_and(|a| !a.is_empty())
    })
    .await;
    let path = format!("/users/{OLIVIA}/events/{}", id(&item));

    let (status, _, after_categories) = call_with(
        &sb,
        &daniel,
        Method::PATCH,
        &path,
        &[("If-Match", &etag(&item))],
        Some(json!({"categories": ["CRM"]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(etag(&after_categories), etag(&item));
    assert_eq!(after_categories["categories"], json!(["CRM"]));

    let (status, _, after_marks) = call_with(
        &sb,
        &daniel,
        Method::PATCH,
        &path,
        &[("If-Match", &etag(&after_categories))],
        Some(json!({"singleValueExtendedProperties": [
            {"id": LINK_ID, "value": "{\"v\":1}"},
            {"id": PENDING_ID, "value": ""}
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_ne!(etag(&after_marks), etag(&after_categories));
    assert!(
        after_marks.get("singleValueExtendedProperties").is_none(),
        "the answer does not echo them"
    );

    // Read back by the owner, on the item and in her calendar view.
    let (status, one) = get(
        &sb,
        &olivia,
        &format!("/me/events/{}?{}", id(&item), expand_marks()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(property(&one, LINK_ID), Some("{\"v\":1}"));
    assert_eq!(property(&one, PENDING_ID), Some(""));
    assert_eq!(property(&one, CREATOR_STAMP_ID), None);
    let listed = get_all(
        &sb,
        &olivia,
        &format!(
            "/me/calendar/calendarView?{}&{}",
            window(14),
            expand_marks()
        ),
    )
    .await;
    let seen = listed.iter().find(|e| e["id"] == item["id"]).unwrap();
    assert_eq!(property(seen, LINK_ID), Some("{\"v\":1}"));
    assert!(listed
        .iter()
        .filter(|e| e["id"] != item["id"])
        .all(|e| e.get("singleValueExtendedProperties").is_none()));
}

#[tokio::test]
async fn marks_are_refused_to_whoever_may_not_edit_the_item() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let rita = token_for(&sb, RITA).await; // Reviewer
    let emma = token_for(&sb, EMMA).await; // Editor without private items
    let aaron = token_for(&sb, AARON).await; // Author
    let daniel = token_for(&sb, DANIEL).await; // delegate who sees private items
    let marks = json!({
        "categories": ["CRM"],
        "singleValueExtendedProperties": [{"id": PENDING_ID, "value": "{}"}]
    });
    let patch = |token: String, path: String| {
        let body = marks.clone();
        let sb = &sb;
        async move { call(sb, &token, Method::PATCH, &path, Some(body)).await }
    };
    let plain = olivia_item(&sb, &olivia, |e| {
        e["type"] == "singleInstance" && e["sensitivity"] == "normal"
    })
    .await;
    let private = olivia_item(&sb, &olivia, |e| e["sensitivity"] == "private").await;
    let at = |e: &Value| format!("/users/{OLIVIA}/events/{}", id(e));

    let (status, body) = patch(rita.clone(), at(&plain)).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ErrorAccessDenied")
    );
    let (status, body) = patch(emma.clone(), at(&private)).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ErrorAccessDenied")
    );
    let (status, _) = patch(emma, at(&plain)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = patch(daniel, at(&private)).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = patch(aaron.clone(), at(&plain)).await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ErrorAccessDenied"),
        "an Author edits only items they created"
    );

    let (status, own) = call(
        &sb,
        &aaron,
        Method::POST,
        &format!("/users/{OLIVIA}/calendar/events"),
        Some(json!({
            "subject": "Booked by Aaron",
            "start": {"dateTime": "2031-02-03T09:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2031-02-03T09:30:00", "timeZone": "UTC"},
            "singleValueExtendedProperties": [{"id": CREATOR_STAMP_ID, "value": AARON}]
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{own}");
    let (status, _) = patch(aaron, at(&own)).await;
    assert_eq!(status, StatusCode::OK);
    let (_, read) = get(
        &sb,
        &olivia,
        &format!("/me/events/{}?{}", id(&own), expand_marks()),
    )
    .await;
    assert_eq!(property(&read, CREATOR_STAMP_ID), Some(AARON));
    assert_eq!(property(&read, PENDING_ID), Some("{}"));
}

#[tokio::test]
async fn marks_on_an_occurrence_stay_on_that_occurrence() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let view = get_all(
        &sb,
        &daniel,
        &format!("/users/{OLIVIA}/calendarView?{}", window(21)),
    )
    .await;
    let occurrence = view.iter().find(|e| e["type"] == "occurrence").unwrap();
    let sibling = view
        .iter()
        .find(|e| {
            e["seriesMasterId"] == occurrence["seriesMasterId"] && e["id"] != occurrence["id"]
        })
        .unwrap();
    let (status, _, changed) = call_with(
        &sb,
        &daniel,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{}", id(occurrence)),
        &[("If-Match", &etag(occurrence))],
        Some(json!({"categories": ["CRM"], "singleValueExtendedProperties": [{"id": LINK_ID, "value": "x"}]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{changed}");
    assert_eq!(changed["type"], "exception");
    assert_eq!(changed["id"], occurrence["id"], "the id stays");
    let (_, one) = get(
        &sb,
        &olivia,
        &format!("/me/events/{}?{}", id(occurrence), expand_marks()),
    )
    .await;
    assert_eq!(property(&one, LINK_ID), Some("x"));
    let (_, other) = get(
        &sb,
        &olivia,
        &format!("/me/events/{}?{}", id(sibling), expand_marks()),
    )
    .await;
    assert_eq!(property(&other, LINK_ID), None);
    assert_eq!(other["@odata.etag"], sibling["@odata.etag"]);
}
