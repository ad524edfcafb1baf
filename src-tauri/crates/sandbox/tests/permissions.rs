//! Each role sees and may do exactly what its Exchange role allows, through Graph.

mod common;

use common::*;
use onbehalf_sandbox::{demo_org, Reach};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn new_event(subject: &str) -> Value {
    json!({
        "subject": subject,
        "start": {"dateTime": "2031-03-03T09:00:00", "timeZone": "Eastern Standard Time"},
        "end": {"dateTime": "2031-03-03T09:30:00", "timeZone": "Eastern Standard Time"}
    })
}

async fn olivia_events(sb: &onbehalf_sandbox::Sandbox, token: &str) -> (StatusCode, Value) {
    get(
        sb,
        token,
        &format!(
            "/users/{OLIVIA}/calendar/calendarView?{}&$top=500",
            window(14)
        ),
    )
    .await
}

#[tokio::test]
async fn each_user_lists_exactly_the_calendars_the_demo_org_grants() {
    let sb = start().await;
    for user in demo_org().users {
        let token = token_for(&sb, &user.address).await;
        let listed = get_all(&sb, &token, "/me/calendars").await;
        let mut got: Vec<(String, String, bool, bool)> = listed
            .iter()
            .map(|c| {
                (
                    c["owner"]["address"].as_str().unwrap().to_string(),
                    c["name"].as_str().unwrap().to_string(),
                    c["canEdit"].as_bool().unwrap(),
                    c["canViewPrivateItems"].as_bool().unwrap(),
                )
            })
            .collect();
        let mut want: Vec<(String, String, bool, bool)> = user
            .reachable
            .iter()
            .filter(|r| r.in_my_calendars)
            .map(|r| {
                (
                    r.owner.clone(),
                    r.name_in_my_calendars.clone().unwrap(),
                    r.can_edit,
                    r.can_view_private_items,
                )
            })
            .collect();
        got.sort();
        want.sort();
        assert_eq!(got, want, "{}", user.address);

        for reach in user
            .reachable
            .iter()
            .filter(|r| r.is_owner_default && r.via != Reach::Own)
        {
            let (status, cal) = get(&sb, &token, &format!("/users/{}/calendar", reach.owner)).await;
            assert_eq!(
                status,
                StatusCode::OK,
                "{} probing {}",
                user.address,
                reach.owner
            );
            assert_eq!(cal["canEdit"], reach.can_edit);
            assert_eq!(cal["canViewPrivateItems"], reach.can_view_private_items);
        }
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_probe_without_any_grant_is_not_found_and_others_calendars_list_only_grants() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let noah = token_for(&sb, NOAH).await;
    let organization = permission_id(&sb, &olivia, None).await;
    assert_eq!(
        organization, "RGVmYXVsdA==",
        "base64 of \"Default\", as documented"
    );
    let (status, _) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &format!("/me/calendar/calendarPermissions/{organization}"),
        Some(json!({"role": "none"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = get(&sb, &noah, &format!("/users/{OLIVIA}/calendar")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "ErrorItemNotFound");
    let (status, _) = get(&sb, &noah, &format!("/users/{OLIVIA}/calendars")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let daniel = token_for(&sb, DANIEL).await;
    let listed = get_all(&sb, &daniel, &format!("/users/{CARLA}/calendars")).await;
    let names: Vec<&str> = listed.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec!["Customer Visits"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn free_busy_gets_403_on_events_and_limited_details_would_show_titles_only() {
    let sb = start().await;
    let felix = token_for(&sb, FELIX).await;
    let (status, body) = olivia_events(&sb, &felix).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "ErrorAccessDenied");
    let (status, _) = get(&sb, &felix, &format!("/users/{OLIVIA}/events")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let olivia = token_for(&sb, OLIVIA).await;
    let felix_permission = permission_id(&sb, &olivia, Some(FELIX)).await;
    let (status, updated) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &format!("/me/calendar/calendarPermissions/{felix_permission}"),
        Some(json!({"role": "limitedRead"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["role"], "limitedRead");
    let (status, body) = olivia_events(&sb, &felix).await;
    assert_eq!(status, StatusCode::OK);
    let items = body["value"].as_array().unwrap();
    assert!(items
        .iter()
        .any(|e| e["subject"].as_str().is_some_and(|s| !s.is_empty())));
    assert!(items
        .iter()
        .all(|e| e["body"]["content"] == "" && e["attendees"] == json!([])));
    assert!(items.iter().all(|e| e.get("organizer").is_none()));
    sb.shutdown().await;
}

#[tokio::test]
async fn private_items_are_stripped_for_the_editor_and_whole_for_the_private_delegate() {
    let sb = start().await;
    let emma = token_for(&sb, EMMA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let rita = token_for(&sb, RITA).await;

    let (status, seen_by_daniel) = olivia_events(&sb, &daniel).await;
    assert_eq!(status, StatusCode::OK);
    let private_daniel: Vec<&Value> = seen_by_daniel["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["sensitivity"] == "private")
        .collect();
    assert!(private_daniel
        .iter()
        .any(|e| e["subject"] == "Doctor appointment"));
    assert!(private_daniel
        .iter()
        .any(|e| e["subject"] == "Call with lawyer"));

    for token in [&emma, &rita] {
        let (status, seen) = olivia_events(&sb, token).await;
        assert_eq!(status, StatusCode::OK);
        let private: Vec<&Value> = seen["value"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["sensitivity"] == "private")
            .collect();
        assert_eq!(private.len(), private_daniel.len());
        for e in &private {
            assert_eq!(e["subject"], "");
            assert_eq!(e["body"]["content"], "");
            assert_eq!(e["attendees"], json!([]));
            assert_eq!(e["location"]["displayName"], "");
            assert!(e["start"]["dateTime"].is_string());
            assert!(e["showAs"].is_string());
        }
        let text = seen.to_string();
        assert!(!text.contains("Doctor appointment") && !text.contains("Harbor Medical"));
    }

    let id = private_daniel[0]["id"].as_str().unwrap();
    let (status, full) = get(&sb, &daniel, &format!("/users/{OLIVIA}/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!full["subject"].as_str().unwrap().is_empty());
    let (status, body) = get(&sb, &emma, &format!("/users/{OLIVIA}/events/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(error_code(&body), "ErrorItemNotFound");
    assert_eq!(
        body["error"]["message"],
        "The specified object was not found in the store."
    );
    let (status, _) = call(
        &sb,
        &emma,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{id}"),
        Some(json!({"subject": "x"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &sb,
        &daniel,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{id}"),
        Some(json!({"sensitivity": "normal"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the private delegate may remove the private mark"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn reviewer_cannot_create_and_author_edits_only_own_items() {
    let sb = start().await;
    let rita = token_for(&sb, RITA).await;
    let aaron = token_for(&sb, AARON).await;
    let path = format!("/users/{OLIVIA}/calendar/events");

    let (status, body) = call(
        &sb,
        &rita,
        Method::POST,
        &path,
        Some(new_event("Reviewer tries")),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(error_code(&body), "ErrorAccessDenied");

    let (status, mine) = call(
        &sb,
        &aaron,
        Method::POST,
        &path,
        Some(new_event("Room booking")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{mine}");
    let mine_id = mine["id"].as_str().unwrap();
    let (status, edited) = call(
        &sb,
        &aaron,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{mine_id}"),
        Some(json!({"subject": "Room booking (confirmed)"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(edited["subject"], "Room booking (confirmed)");

    let (_, others) = get(
        &sb,
        &aaron,
        &format!("/users/{OLIVIA}/events?$filter=startswith(subject,'Budget review')&$top=1"),
    )
    .await;
    let other_id = others["value"][0]["id"].as_str().unwrap();
    let (status, _) = call(
        &sb,
        &aaron,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{other_id}"),
        Some(json!({"subject": "Hijacked"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &sb,
        &aaron,
        Method::DELETE,
        &format!("/users/{OLIVIA}/events/{other_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &sb,
        &aaron,
        Method::DELETE,
        &format!("/users/{OLIVIA}/events/{mine_id}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let emma = token_for(&sb, EMMA).await;
    let (status, _) = call(
        &sb,
        &emma,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{other_id}"),
        Some(json!({"location": {"displayName": "Board Room 2"}})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "an Editor edits everyone's items");
    sb.shutdown().await;
}

#[tokio::test]
async fn permissions_are_owner_only_and_a_revoked_grant_vanishes_at_once() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let rita = token_for(&sb, RITA).await;

    let (status, theirs) = get(
        &sb,
        &rita,
        &format!("/users/{OLIVIA}/calendar/calendarPermissions"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(theirs["value"], json!([]));
    let (status, _) = call(
        &sb,
        &rita,
        Method::POST,
        &format!("/users/{OLIVIA}/calendar/calendarPermissions"),
        Some(json!({"emailAddress": {"address": NOAH}, "role": "read"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    let mine = get_all(&sb, &rita, "/me/calendars").await;
    let entry = mine
        .iter()
        .find(|c| c["owner"]["address"] == OLIVIA)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let rita_permission = permission_id(&sb, &olivia, Some(RITA)).await;
    let (status, _) = call(
        &sb,
        &olivia,
        Method::DELETE,
        &format!("/me/calendar/calendarPermissions/{rita_permission}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let mine = get_all(&sb, &rita, "/me/calendars").await;
    assert!(mine.iter().all(|c| c["owner"]["address"] != OLIVIA));
    let (status, _) = get(&sb, &rita, &format!("/me/calendars/{entry}/events")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = olivia_events(&sb, &rita).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only My Organization's free/busy remains"
    );

    let (status, created) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/calendar/calendarPermissions",
        Some(json!({"emailAddress": {"address": NOAH, "name": "Noah Lind"}, "isInsideOrganization": true, "isRemovable": true, "role": "write"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let noah = token_for(&sb, NOAH).await;
    let listed = get_all(&sb, &noah, "/me/calendars").await;
    let shared = listed
        .iter()
        .find(|c| c["owner"]["address"] == OLIVIA)
        .unwrap();
    assert_eq!(shared["canEdit"], true);
    let (status, _) = call(
        &sb,
        &noah,
        Method::POST,
        &format!("/me/calendars/{}/events", shared["id"].as_str().unwrap()),
        Some(new_event("Booked through my entry")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let organization = permission_id(&sb, &olivia, None).await;
    let (status, body) = call(
        &sb,
        &olivia,
        Method::DELETE,
        &format!("/me/calendar/calendarPermissions/{organization}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    sb.shutdown().await;
}
