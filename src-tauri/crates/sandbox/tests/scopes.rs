//! OAuth scopes on Graph: each call needs a permission from its documented table, another
//! user's mailbox needs a `.Shared` one, and a refresh never widens the grant.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::json;

const GRAPH: &str = "https://graph.microsoft.com";

fn scope(permissions: &[&str]) -> String {
    let graph: Vec<String> = permissions.iter().map(|p| format!("{GRAPH}/{p}")).collect();
    format!("openid profile offline_access {}", graph.join(" "))
}

#[tokio::test]
async fn without_a_shared_permission_another_users_calendar_is_access_denied() {
    let sb = start().await;
    let own_only = sign_in_with(&sb, EMMA, &scope(&["User.Read", "Calendars.ReadWrite"])).await;
    for path in [
        format!("/users/{OLIVIA}/calendar"),
        format!("/users/{OLIVIA}/calendar/events"),
        format!("/users/{OLIVIA}/calendar/calendarView?{}", window(7)),
    ] {
        let (status, body) = get(&sb, &own_only.access, &path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(error_code(&body), "ErrorAccessDenied");
        assert_eq!(
            body["error"]["message"],
            "Access is denied. Check credentials and try again."
        );
        assert!(body["error"]["innerError"]["request-id"].is_string());
    }
    let (status, _) = get(&sb, &own_only.access, "/me/calendar/events?$top=1").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "own calendar with Calendars.ReadWrite"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn read_shared_reads_another_mailbox_but_writes_need_read_write_shared() {
    let sb = start().await;
    let reader = sign_in_with(&sb, EMMA, &scope(&["Calendars.Read.Shared"])).await;
    let (status, _) = get(
        &sb,
        &reader.access,
        &format!("/users/{OLIVIA}/calendar/events?$top=1"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let event = json!({
        "subject": "Scoped",
        "start": {"dateTime": "2031-02-03T09:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2031-02-03T09:30:00", "timeZone": "UTC"}
    });
    let path = format!("/users/{OLIVIA}/calendar/events");
    let (status, body) = call(
        &sb,
        &reader.access,
        Method::POST,
        &path,
        Some(event.clone()),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), "ErrorAccessDenied");
    let writer = token_for(&sb, EMMA).await;
    let (status, body) = call(&sb, &writer, Method::POST, &path, Some(event)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    sb.shutdown().await;
}

#[tokio::test]
async fn permissions_and_own_calendar_updates_need_the_plain_read_write_permission() {
    let sb = start().await;
    let shared_only = sign_in_with(
        &sb,
        OLIVIA,
        &scope(&["User.Read", "Calendars.ReadWrite.Shared"]),
    )
    .await;
    let (status, body) = get(&sb, &shared_only.access, "/me/calendar/calendarPermissions").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), "ErrorAccessDenied");
    let (status, _) = call(
        &sb,
        &shared_only.access,
        Method::PATCH,
        "/me/calendar",
        Some(json!({"name": "Work"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = get(&sb, &shared_only.access, "/me/calendar/events?$top=1").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "events of one's own calendar are covered"
    );

    let basic = sign_in_with(&sb, OLIVIA, &scope(&["Calendars.ReadBasic"])).await;
    let (status, _) = get(&sb, &basic.access, "/me/calendar/calendarPermissions").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "listing needs only Calendars.ReadBasic"
    );
    let (status, _) = call(
        &sb,
        &basic.access,
        Method::POST,
        "/me/calendar/calendarPermissions",
        Some(json!({"emailAddress": {"address": NOAH}, "role": "read"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "creating needs Calendars.ReadWrite"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn the_sandbox_origin_and_bare_names_count_as_graph_scopes() {
    let sb = start().await;
    let origin = sb.base_url();
    let scope = format!(
        "openid offline_access {origin}/Calendars.ReadWrite.Shared User.Read https://outlook.office.com/Calendars.ReadWrite"
    );
    let tokens = sign_in_with(&sb, DANIEL, &scope).await;
    let (status, _) = get(&sb, &tokens.access, &format!("/users/{OLIVIA}/calendar")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&sb, &tokens.access, "/me").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &sb,
        &tokens.access,
        Method::PATCH,
        "/me/calendar",
        Some(json!({"name": "Mine"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "another resource's Calendars.ReadWrite is not Graph's"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_refresh_may_narrow_the_scopes_but_never_widen_them() {
    let sb = start().await;
    let tokens = sign_in_with(&sb, EMMA, &scope(&["User.Read", "Calendars.Read.Shared"])).await;
    let (status, narrowed) = refresh(
        &sb,
        &tokens.refresh,
        Some(&format!("openid {GRAPH}/User.Read")),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{narrowed}");
    let access = narrowed["access_token"].as_str().unwrap();
    let (status, _) = get(&sb, access, "/me").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = get(&sb, access, &format!("/users/{OLIVIA}/calendar")).await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the access token is narrower"
    );

    let wider = format!("openid {GRAPH}/User.Read {GRAPH}/Calendars.ReadWrite.Shared");
    let (status, body) = refresh(&sb, &tokens.refresh, Some(&wider)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["error_codes"][0], 65001);
    assert_eq!(body["suberror"], "consent_required");
    assert_shape(&fixture("token-error.json"), &body, "consent error");

    let next = narrowed["refresh_token"].as_str().unwrap();
    let (status, full) = refresh(&sb, next, None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the grant itself was not narrowed: {full}"
    );
    let (status, _) = get(
        &sb,
        full["access_token"].as_str().unwrap(),
        &format!("/users/{OLIVIA}/calendar"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    sb.shutdown().await;
}
