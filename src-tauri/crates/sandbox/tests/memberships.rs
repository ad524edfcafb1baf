//! Group memberships as Graph documents them (user-list-memberof,
//! user-list-transitivememberof, aad-advanced-queries): direct and transitive lists of the
//! signed-in user's and another user's groups, the `microsoft.graph.group` cast as an advanced
//! query, `$select`, `$top` pages behind `@odata.nextLink`, the permissions each needs, and
//! groups listed by id alone to a caller who may not read groups.

// A failed step panics on purpose.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::BTreeSet;

use common::*;
use onbehalf_sandbox::demo_org;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const GRAPH: &str = "https://graph.microsoft.com";
const EVENTUAL: &[(&str, &str)] = &[("ConsistencyLevel", "eventual")];
const GROUPS_OF_ME: &str =
    "/me/transitiveMemberOf/microsoft.graph.group?$count=true&$select=id,displayName,mail";

fn scope(permissions: &[&str]) -> String {
    let graph: Vec<String> = permissions.iter().map(|p| format!("{GRAPH}/{p}")).collect();
    format!("openid profile offline_access {}", graph.join(" "))
}

/// Signed in with `User.Read` and a permission that reads groups.
async fn reader(sb: &onbehalf_sandbox::Sandbox, user: &str) -> String {
    sign_in_with(sb, user, &scope(&["User.Read", "GroupMember.Read.All"]))
        .await
        .access
}

fn names(body: &Value) -> Vec<String> {
    body["value"]
        .as_array()
        .unwrap_or_else(|| panic!("a collection: {body}"))
        .iter()
        .map(|g| g["displayName"].as_str().unwrap_or_default().to_string())
        .collect()
}

fn group_id(name: &str) -> String {
    demo_org()
        .groups
        .into_iter()
        .find(|g| g.display_name == name)
        .map(|g| g.id)
        .unwrap_or_else(|| panic!("{name} is a demo group"))
}

async fn get_with(
    sb: &onbehalf_sandbox::Sandbox,
    token: &str,
    path: &str,
    headers: &[(&str, &str)],
) -> (StatusCode, Value) {
    let (status, _, body) = call_with(sb, token, Method::GET, path, headers, None).await;
    (status, body)
}

#[tokio::test]
async fn direct_and_transitive_groups_of_the_signed_in_user_are_directory_objects() {
    let sb = start().await;
    let daniel = reader(&sb, DANIEL).await;

    let (status, direct) = get(&sb, &daniel, "/me/memberOf").await;
    assert_eq!(status, StatusCode::OK, "{direct}");
    assert_eq!(
        direct["@odata.context"],
        format!("{}/$metadata#directoryObjects", sb.graph_url())
    );
    assert_eq!(names(&direct), ["Executive Assistants"]);
    let group = &direct["value"][0];
    assert_eq!(group["@odata.type"], "#microsoft.graph.group");
    assert_eq!(group["id"], group_id("Executive Assistants"));
    assert_eq!(group["mail"], "executive-assistants@contoso.com");
    assert_eq!(group["mailEnabled"], true);
    assert_eq!(group["securityEnabled"], true);
    assert!(group["groupTypes"].is_array() && group["createdDateTime"].is_string());

    // All Staff holds Executive Assistants: Daniel is in it through the nesting alone.
    let (status, all) = get(&sb, &daniel, "/me/transitiveMemberOf").await;
    assert_eq!(status, StatusCode::OK, "{all}");
    assert_eq!(names(&all), ["Executive Assistants", "All Staff"]);
    assert!(all["value"]
        .as_array()
        .unwrap()
        .iter()
        .all(|g| g["@odata.type"] == "#microsoft.graph.group"));
    let all_staff = &all["value"][1];
    assert_eq!(all_staff["mail"], Value::Null, "not mail-enabled");
    assert_eq!(all_staff["mailEnabled"], false);

    let carla = reader(&sb, CARLA).await;
    let (status, body) = get_with(&sb, &carla, GROUPS_OF_ME, EVENTUAL).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(names(&body), ["Sales", "All Staff"]);
    let olivia = reader(&sb, OLIVIA).await;
    let (_, body) = get_with(&sb, &olivia, GROUPS_OF_ME, EVENTUAL).await;
    assert_eq!(names(&body), ["All Staff"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_group_cast_selects_and_counts_as_an_advanced_query() {
    let sb = start().await;
    let daniel = reader(&sb, DANIEL).await;
    let (status, body) = get_with(&sb, &daniel, GROUPS_OF_ME, EVENTUAL).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        body["@odata.context"],
        format!("{}/$metadata#groups(id,displayName,mail)", sb.graph_url())
    );
    assert_eq!(body["@odata.count"], 2);
    for g in body["value"].as_array().unwrap() {
        let keys: BTreeSet<&str> = g.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys, BTreeSet::from(["id", "displayName", "mail"]), "{g}");
    }

    // Without the advanced query parameters the cast of a transitive list is refused.
    for (path, headers) in [
        (GROUPS_OF_ME, &[][..]),
        (
            "/me/transitiveMemberOf/microsoft.graph.group?$select=id",
            EVENTUAL,
        ),
    ] {
        let (status, refused) = get_with(&sb, &daniel, path, headers).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {refused}");
        assert_eq!(error_code(&refused), "Request_UnsupportedQuery");
        assert!(refused["error"]["innerError"]["request-id"].is_string());
    }
    // The direct list is cast without them (user-list-memberof's example 6), and a $count
    // without the header is ignored.
    let (status, direct) = get(
        &sb,
        &daniel,
        "/me/memberOf/microsoft.graph.group?$count=true&$select=id,displayName",
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{direct}");
    assert_eq!(names(&direct), ["Executive Assistants"]);
    assert!(direct.get("@odata.count").is_none(), "{direct}");

    // Directory roles and administrative units: the demo holds none; other casts are no type.
    let (status, roles) = get_with(
        &sb,
        &daniel,
        "/me/transitiveMemberOf/microsoft.graph.directoryRole?$count=true",
        EVENTUAL,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{roles}");
    assert_eq!(roles["value"], json!([]));
    assert_eq!(roles["@odata.count"], 0);
    let (status, _) = get(&sb, &daniel, "/me/memberOf/microsoft.graph.banana").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(&sb, &daniel, Method::POST, "/me/memberOf", Some(json!({}))).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    sb.shutdown().await;
}

#[tokio::test]
async fn pages_of_top_groups_follow_next_links_that_keep_the_query() {
    let sb = start().await;
    let daniel = reader(&sb, DANIEL).await;
    let first =
        "/me/transitiveMemberOf/microsoft.graph.group?$count=true&$top=1&$select=id,displayName";
    let (status, page) = get_with(&sb, &daniel, first, EVENTUAL).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(names(&page), ["Executive Assistants"]);
    assert_eq!(page["@odata.count"], 2);
    let next = page["@odata.nextLink"].as_str().unwrap().to_string();
    assert!(next.starts_with(&sb.graph_url()), "{next}");
    for kept in ["$top=1", "$count=true", "$select=id,displayName"] {
        assert!(next.contains(kept), "{kept} in {next}");
    }
    let (status, page) = get_with(&sb, &daniel, &next, EVENTUAL).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(names(&page), ["All Staff"]);
    assert!(page.get("@odata.nextLink").is_none(), "{page}");

    let (status, big) = get(&sb, &daniel, "/me/transitiveMemberOf?$top=999").await;
    assert_eq!(status, StatusCode::OK, "{big}");
    assert_eq!(names(&big).len(), 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn with_user_read_alone_groups_come_by_id_with_nothing_else() {
    let sb = start().await;
    // What Onbehalf asks for at sign-in reads no group.
    let daniel = token_for(&sb, DANIEL).await;
    let (status, body) = get_with(&sb, &daniel, GROUPS_OF_ME, EVENTUAL).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let ids: Vec<&str> = body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [group_id("Executive Assistants"), group_id("All Staff")]
    );
    for g in body["value"].as_array().unwrap() {
        assert_eq!(g["displayName"], Value::Null, "{g}");
        assert_eq!(g["mail"], Value::Null, "{g}");
    }
    let (_, plain) = get(&sb, &daniel, "/me/memberOf").await;
    let group = &plain["value"][0];
    assert_eq!(group["@odata.type"], "#microsoft.graph.group");
    assert_eq!(group["mailEnabled"], Value::Null);
    sb.shutdown().await;
}

#[tokio::test]
async fn memberships_need_user_read_and_another_users_need_user_read_all() {
    let sb = start().await;
    let calendars_only = sign_in_with(&sb, DANIEL, &scope(&["Calendars.ReadWrite"]))
        .await
        .access;
    for path in ["/me/memberOf", "/me/transitiveMemberOf"] {
        let (status, body) = get(&sb, &calendars_only, path).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {body}");
        assert_eq!(error_code(&body), "Authorization_RequestDenied");
        assert_eq!(
            body["error"]["message"],
            "Insufficient privileges to complete the operation."
        );
    }

    let own = sign_in_with(&sb, DANIEL, &scope(&["User.Read", "GroupMember.Read.All"]))
        .await
        .access;
    let carlas = format!("/users/{CARLA}/transitiveMemberOf");
    let (status, body) = get(&sb, &own, &format!("/users/{CARLA}/memberOf")).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "GroupMember.Read.All reads anyone's: {body}"
    );
    let user_read = token_for(&sb, DANIEL).await;
    let (status, body) = get(&sb, &user_read, &carlas).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
    assert_eq!(error_code(&body), "Authorization_RequestDenied");
    // Addressed by their own id, the signed-in user's memberships need User.Read only.
    let daniel_id = demo_org()
        .users
        .into_iter()
        .find(|u| u.address == DANIEL)
        .map(|u| u.id)
        .unwrap();
    let (status, _) = get(
        &sb,
        &user_read,
        &format!("/users/{daniel_id}/transitiveMemberOf"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);

    let directory = sign_in_with(&sb, DANIEL, &scope(&["User.Read.All", "Group.Read.All"]))
        .await
        .access;
    let (status, body) = get(&sb, &directory, &carlas).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(names(&body), ["Sales", "All Staff"]);
    let (status, body) = get(&sb, &directory, "/users/nobody@contoso.com/memberOf").await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert_eq!(error_code(&body), "Request_ResourceNotFound");
    sb.shutdown().await;
}

#[tokio::test]
async fn a_batch_member_carries_its_own_consistency_level() {
    let sb = start().await;
    let daniel = reader(&sb, DANIEL).await;
    let url = "/me/transitiveMemberOf/microsoft.graph.group?$count=true&$select=id,displayName";
    let requests = json!({"requests": [
        {"id": "1", "method": "GET", "url": url, "headers": {"ConsistencyLevel": "eventual"}},
        {"id": "2", "method": "GET", "url": url},
    ]});
    let (status, body) = call(&sb, &daniel, Method::POST, "/$batch", Some(requests)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let member = |id: &str| {
        body["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(member("1")["status"], 200);
    assert_eq!(
        names(&member("1")["body"]),
        ["Executive Assistants", "All Staff"]
    );
    assert_eq!(member("2")["status"], 400);
    assert_eq!(
        member("2")["body"]["error"]["code"],
        "Request_UnsupportedQuery"
    );
    sb.shutdown().await;
}
