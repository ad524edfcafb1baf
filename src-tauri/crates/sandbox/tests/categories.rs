//! The master category list, as outlookuser-list-mastercategories and
//! outlookuser-post-mastercategories document it: Outlook's default six, creation with a
//! preset colour, `MailboxSettings.Read`/`ReadWrite`, and only the mailbox's own user.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn settings_scope() -> String {
    format!("{SCOPE} https://graph.microsoft.com/MailboxSettings.ReadWrite")
}

fn names(list: &Value) -> Vec<(String, String)> {
    list["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["displayName"].as_str().unwrap().to_string(),
                c["color"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_owner_lists_the_defaults_and_adds_a_blue_category() {
    let sb = start().await;
    let olivia = sign_in_with(&sb, OLIVIA, &settings_scope()).await.access;

    let (status, list) = get(&sb, &olivia, "/me/outlook/masterCategories").await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(
        names(&list),
        [
            ("Red category", "preset0"),
            ("Orange category", "preset1"),
            ("Yellow category", "preset3"),
            ("Green category", "preset4"),
            ("Blue category", "preset7"),
            ("Purple category", "preset8"),
        ]
        .map(|(n, c)| (n.to_string(), c.to_string()))
    );
    assert!(list["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/outlook/masterCategories"));

    let (status, created) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/outlook/masterCategories",
        Some(json!({"displayName": "CRM", "color": "preset7"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["displayName"], "CRM");
    assert_eq!(created["color"], "preset7");
    let id = created["id"].as_str().unwrap();
    assert_eq!(id.len(), 36, "a GUID: {id}");

    let (status, again) = get(
        &sb,
        &olivia,
        &format!("/users/{OLIVIA}/outlook/masterCategories"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(names(&again).contains(&("CRM".to_string(), "preset7".to_string())));
    let (status, one) = get(&sb, &olivia, &format!("/me/outlook/masterCategories/{id}")).await;
    assert_eq!(
        (status, one["displayName"].as_str()),
        (StatusCode::OK, Some("CRM"))
    );

    let (status, dup) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/outlook/masterCategories",
        Some(json!({"displayName": "crm", "color": "preset1"})),
    )
    .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(error_code(&dup), "nameAlreadyExists");
    for bad in [
        json!({"displayName": "X", "color": "blue"}),
        json!({"color": "preset7"}),
    ] {
        let (status, _) = call(
            &sb,
            &olivia,
            Method::POST,
            "/me/outlook/masterCategories",
            Some(bad),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
    }
}

#[tokio::test]
async fn another_mailboxs_list_and_a_token_without_mailbox_settings_are_refused() {
    let sb = start().await;
    let daniel = sign_in_with(&sb, DANIEL, &settings_scope()).await.access;
    let (status, body) = get(
        &sb,
        &daniel,
        &format!("/users/{OLIVIA}/outlook/masterCategories"),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ErrorAccessDenied")
    );
    let (status, body) = call(
        &sb,
        &daniel,
        Method::POST,
        &format!("/users/{OLIVIA}/outlook/masterCategories"),
        Some(json!({"displayName": "CRM", "color": "preset7"})),
    )
    .await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ErrorAccessDenied")
    );

    let calendars_only = token_for(&sb, OLIVIA).await;
    let (status, body) = get(&sb, &calendars_only, "/me/outlook/masterCategories").await;
    assert_eq!(
        (status, error_code(&body)),
        (StatusCode::FORBIDDEN, "ErrorAccessDenied")
    );
    let read_only = sign_in_with(
        &sb,
        OLIVIA,
        &format!("{SCOPE} https://graph.microsoft.com/MailboxSettings.Read"),
    )
    .await
    .access;
    let (status, _) = get(&sb, &read_only, "/me/outlook/masterCategories").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = call(
        &sb,
        &read_only,
        Method::POST,
        "/me/outlook/masterCategories",
        Some(json!({"displayName": "CRM"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
