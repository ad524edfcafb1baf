//! The state file: everything (items, grants, tokens) survives a restart; a corrupt file is
//! refused with a message naming it.

mod common;

use common::*;
use onbehalf_sandbox::{Sandbox, SandboxError, SandboxOptions};
use reqwest::{Method, StatusCode};
use serde_json::json;

fn options(path: &std::path::Path) -> SandboxOptions {
    SandboxOptions {
        state_file: Some(path.to_path_buf()),
        ..SandboxOptions::default()
    }
}

#[tokio::test]
async fn items_grants_and_tokens_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sandbox-state.json");
    let sb = Sandbox::start(options(&path)).await.unwrap();
    assert!(path.exists(), "the seed is saved at once");
    let olivia = sign_in(&sb, OLIVIA).await;
    let (status, created) = call(
        &sb,
        &olivia.access,
        Method::POST,
        "/me/events",
        Some(json!({
            "subject": "Kept across restarts",
            "start": {"dateTime": "2031-01-01T09:00:00", "timeZone": "UTC"},
            "end": {"dateTime": "2031-01-01T10:00:00", "timeZone": "UTC"}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let rita_permission = permission_id(&sb, &olivia.access, Some(RITA)).await;
    let (status, _) = call(
        &sb,
        &olivia.access,
        Method::DELETE,
        &format!("/me/calendar/calendarPermissions/{rita_permission}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, before) = get(&sb, &olivia.access, "/me/events?$top=1&$count=true").await;
    sb.shutdown().await;
    let saved = std::fs::read_to_string(&path).unwrap();
    assert!(
        !saved.contains(&olivia.access) && !saved.contains(&olivia.refresh),
        "tokens are kept hashed"
    );

    let sb = Sandbox::start(options(&path)).await.unwrap();
    let (status, event) = get(
        &sb,
        &olivia.access,
        &format!("/me/events/{}", created["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the access token and the item survived"
    );
    assert_eq!(event["subject"], "Kept across restarts");
    let (_, after) = get(&sb, &olivia.access, "/me/events?$top=1&$count=true").await;
    assert_eq!(after["@odata.count"], before["@odata.count"]);
    let (status, perms) = get(&sb, &olivia.access, "/me/calendar/calendarPermissions").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!perms.to_string().contains("rita.novak"));
    let (status, refreshed) = token_request(
        &sb,
        &[
            ("client_id", onbehalf_sandbox::CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", &olivia.refresh),
        ],
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{refreshed}");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_corrupt_state_file_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.json");
    std::fs::write(&path, "{ this is not the sandbox state").unwrap();
    let err = match Sandbox::start(options(&path)).await {
        Ok(_) => panic!("a corrupt state file must not start"),
        Err(e) => e,
    };
    assert!(matches!(err, SandboxError::CorruptState { .. }));
    assert!(err.to_string().contains("broken.json"), "{err}");
}

#[tokio::test]
async fn a_state_file_of_an_older_sandbox_is_replaced_by_the_seed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.json");
    std::fs::write(&path, r#"{"format": 1, "users": []}"#).unwrap();
    let sb = Sandbox::start(options(&path)).await.unwrap();
    let token = token_for(&sb, HANNAH).await;
    let (status, _) = get(&sb, &token, "/me").await;
    assert_eq!(status, StatusCode::OK, "the new demo users are there");
    sb.shutdown().await;
    let saved: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(saved["format"], 4);

    std::fs::write(&path, r#"{"format": 99}"#).unwrap();
    let err = match Sandbox::start(options(&path)).await {
        Ok(_) => panic!("a newer state file must not start"),
        Err(e) => e,
    };
    assert!(err.to_string().contains("newer"), "{err}");
}
