//! `Prefer` headers on events: bodies in HTML unless text is asked for
//! (`outlook.body-content-type`), immutable ids (`IdType="ImmutableId"`), each named back in
//! `Preference-Applied`; and `originalStart` on occurrences only.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn bodies_are_html_unless_text_is_preferred() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let (status, created) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/events",
        Some(json!({
            "subject": "Plain",
            "body": {"contentType": "text", "content": "Line one\nA < B"},
            "start": {"dateTime": "2031-04-01T09:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2031-04-01T10:00:00", "timeZone": "UTC"}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let path = format!("/me/events/{}", created["id"].as_str().unwrap());

    let (_, headers, html) = call_with(&sb, &olivia, Method::GET, &path, &[], None).await;
    assert_eq!(html["body"]["contentType"], "html");
    assert!(html["body"]["content"]
        .as_str()
        .unwrap()
        .contains("A &lt; B"));
    assert_eq!(header(&headers, "Preference-Applied"), "");

    let text_pref = [("Prefer", "outlook.body-content-type=\"text\"")];
    let (_, headers, text) = call_with(&sb, &olivia, Method::GET, &path, &text_pref, None).await;
    assert_eq!(
        text["body"],
        json!({"contentType": "text", "content": "Line one\nA < B"})
    );
    assert_eq!(
        header(&headers, "Preference-Applied"),
        "outlook.body-content-type=\"text\""
    );

    // A seeded HTML body, as text.
    let view = get_all(&sb, &olivia, &format!("/me/calendarView?{}", window(3))).await;
    let seeded = view
        .iter()
        .find(|e| {
            e["body"]["content"]
                .as_str()
                .is_some_and(|c| c.contains("<p>"))
        })
        .unwrap();
    let (_, _, as_text) = call_with(
        &sb,
        &olivia,
        Method::GET,
        &format!("/me/events/{}", seeded["id"].as_str().unwrap()),
        &text_pref,
        None,
    )
    .await;
    let content = as_text["body"]["content"].as_str().unwrap();
    assert_eq!(as_text["body"]["contentType"], "text");
    assert!(!content.contains('<') && !content.is_empty(), "{content}");
}

#[tokio::test]
async fn immutable_ids_are_acknowledged_and_the_same() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let list = format!("/me/calendarView?{}&$top=3", window(3));
    let (_, _, plain) = call_with(&sb, &olivia, Method::GET, &list, &[], None).await;
    let (status, headers, immutable) = call_with(
        &sb,
        &olivia,
        Method::GET,
        &list,
        &[("Prefer", "IdType=\"ImmutableId\", outlook.timezone=\"UTC\"")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let applied = header(&headers, "Preference-Applied");
    assert!(
        applied.contains("IdType=\"ImmutableId\"") && applied.contains("outlook.timezone=\"UTC\""),
        "{applied}"
    );
    assert_eq!(plain["value"][0]["id"], immutable["value"][0]["id"]);
}

#[tokio::test]
async fn occurrences_name_their_original_start_and_single_items_do_not() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let view = get_all(&sb, &olivia, &format!("/me/calendarView?{}", window(14))).await;
    for e in &view {
        match e["type"].as_str().unwrap() {
            "occurrence" => {
                let original = e["originalStart"].as_str().unwrap();
                assert!(original.ends_with('Z'), "{original}");
                let start = chrono::DateTime::parse_from_rfc3339(original).unwrap();
                let shown = chrono::NaiveDateTime::parse_from_str(
                    e["start"]["dateTime"].as_str().unwrap(),
                    "%Y-%m-%dT%H:%M:%S%.f",
                )
                .unwrap();
                assert_eq!(
                    start.naive_utc(),
                    shown,
                    "an unchanged occurrence starts when it was to"
                );
            }
            "exception" => assert!(e["originalStart"].is_string()),
            _ => assert!(e.get("originalStart").is_none(), "{e}"),
        }
    }
}
