//! The meeting messages Exchange would send for each write, counted per sending mailbox:
//! invitations on creating a meeting, updates on changing what attendees see of it,
//! cancellations on deleting or cancelling it; nothing for categories, extended properties or
//! appointments without attendees.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use onbehalf_engine::sync::marks::{LINK_ID, PENDING_ID};
use onbehalf_sandbox::MeetingMail;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn mail(invitations: u64, updates: u64, cancellations: u64) -> MeetingMail {
    MeetingMail {
        invitations,
        updates,
        cancellations,
    }
}

#[tokio::test]
async fn only_changes_attendees_see_mail_them_and_marks_never_do() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let faults = sb.faults();
    assert_eq!(faults.meeting_mail(OLIVIA), MeetingMail::default());

    let view = get_all(
        &sb,
        &daniel,
        &format!("/users/{OLIVIA}/calendarView?{}", window(14)),
    )
    .await;
    let meeting = view
        .iter()
        .find(|e| {
            e["type"] == "singleInstance"
                && e["attendees"].as_array().is_some_and(|a| !a.is_empty())
        })
        .unwrap();
    let appointment = view
        .iter()
        .find(|e| e["type"] == "singleInstance" && e["attendees"] == json!([]))
        .unwrap();
    let at = |e: &Value| format!("/users/{OLIVIA}/events/{}", e["id"].as_str().unwrap());

    // Marks, as a delegate: categories, extended properties, and both at once.
    for body in [
        json!({"categories": ["CRM"]}),
        json!({"singleValueExtendedProperties": [{"id": LINK_ID, "value": "{}"}]}),
        json!({"categories": [], "singleValueExtendedProperties": [{"id": PENDING_ID, "value": ""}]}),
        json!({"showAs": "tentative", "isReminderOn": false}),
    ] {
        let (status, _) = call(&sb, &daniel, Method::PATCH, &at(meeting), Some(body)).await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(faults.meeting_mail_sent(OLIVIA), 0);

    // What attendees see: an update, sent from the owner's mailbox.
    let (status, _) = call(
        &sb,
        &daniel,
        Method::PATCH,
        &at(meeting),
        Some(json!({"subject": "Moved agenda"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(faults.meeting_mail(OLIVIA), mail(0, 1, 0));
    assert_eq!(faults.meeting_mail_sent(DANIEL), 0);

    // An appointment's changes and deletion mail nobody.
    let (status, _) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &at(appointment),
        Some(json!({"subject": "Just me"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(&sb, &olivia, Method::DELETE, &at(appointment), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(faults.meeting_mail(OLIVIA), mail(0, 1, 0));

    // Creating a meeting invites; deleting one cancels.
    let (status, created) = call(
        &sb,
        &daniel,
        Method::POST,
        &format!("/users/{OLIVIA}/calendar/events"),
        Some(json!({
            "subject": "Budget sync",
            "start": {"dateTime": "2031-03-03T15:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2031-03-03T15:30:00", "timeZone": "UTC"},
            "attendees": [{"type": "required", "emailAddress": {"address": "pat.kim@fabrikam.com", "name": "Pat Kim"}}]
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(faults.meeting_mail(OLIVIA), mail(1, 1, 0));
    let (status, _) = call(&sb, &daniel, Method::DELETE, &at(&created), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(faults.meeting_mail(OLIVIA), mail(1, 1, 1));

    // The same count over HTTP.
    let resp = http()
        .get(format!(
            "{}/_sandbox/meeting-mail?address={}",
            sb.base_url(),
            OLIVIA.to_uppercase()
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        json!({"address": OLIVIA, "invitations": 1, "updates": 1, "cancellations": 1, "total": 3})
    );
}

#[tokio::test]
async fn series_updates_and_cancellations_follow_the_documented_counts() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let faults = sb.faults();
    let view = get_all(&sb, &olivia, &format!("/me/calendarView?{}", window(21))).await;
    // The leadership series: four attendees and one occurrence moved separately.
    let exception = view
        .iter()
        .find(|e| {
            e["type"] == "exception" && e["attendees"].as_array().is_some_and(|a| a.len() > 1)
        })
        .unwrap();
    let master = exception["seriesMasterId"].as_str().unwrap();
    let occurrence = view
        .iter()
        .find(|e| e["type"] == "occurrence" && e["seriesMasterId"] == master)
        .unwrap();

    // "one for the master series and one per instance that has been updated" (event-update).
    let (status, _) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &format!("/me/events/{master}"),
        Some(json!({"location": {"displayName": "Board Room 4.02"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(faults.meeting_mail(OLIVIA), mail(0, 2, 0));

    let (status, body) = call(
        &sb,
        &olivia,
        Method::POST,
        &format!("/me/events/{}/cancel", occurrence["id"].as_str().unwrap()),
        Some(json!({"Comment": "Cancelling for this week due to all hands"})),
    )
    .await;
    assert_eq!(status, StatusCode::ACCEPTED);
    assert_eq!(body, Value::Null, "202 without a body");
    assert_eq!(faults.meeting_mail(OLIVIA), mail(0, 2, 1));
    let (status, _) = get(
        &sb,
        &olivia,
        &format!("/me/events/{}", occurrence["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "the occurrence is cancelled");
}
