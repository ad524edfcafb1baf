//! Permission sets and their assignments as the Object Reference describes them: each user
//! holds their profile's own permission set (`IsOwnedByProfile`) and those an administrator
//! assigned; SOQL reads the permission set through the `PermissionSet` relationship, nested
//! under its name with its own `attributes`; describe lists both objects, read only.

// A failed step panics on purpose.
#![allow(clippy::unwrap_used)]

mod common;

use common::salesforce::*;
use common::{start, AARON, CARLA, DANIEL, EMMA, NOAH, RITA};
use onbehalf_sandbox::demo_org;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn assigned_to(user: &str, profile_owned: Option<bool>) -> String {
    let mut soql = format!(
        "SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = '{}'",
        crm_id(user)
    );
    if let Some(owned) = profile_owned {
        soql.push_str(&format!(" AND PermissionSet.IsOwnedByProfile = {owned}"));
    }
    soql
}

fn set_names(body: &Value) -> Vec<String> {
    let mut names: Vec<String> = body["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["PermissionSet"]["Name"].as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

#[tokio::test]
async fn assignments_name_their_permission_set_through_the_relationship() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let body = query(&t, &assigned_to(DANIEL, Some(false))).await;
    assert_eq!(body["totalSize"], 1);
    assert_eq!(body["done"], true);
    let record = &body["records"][0];
    assert_eq!(record["attributes"]["type"], "PermissionSetAssignment");
    let url = record["attributes"]["url"].as_str().unwrap();
    assert!(
        url.starts_with(&format!(
            "/services/data/{V}/sobjects/PermissionSetAssignment/0Pa"
        )),
        "{url}"
    );
    let set = &record["PermissionSet"];
    assert_eq!(set["attributes"]["type"], "PermissionSet");
    assert!(set["attributes"]["url"]
        .as_str()
        .unwrap()
        .contains("/sobjects/PermissionSet/0PS"));
    assert_eq!(set["Name"], "Onbehalf_Assistant");
    let keys: Vec<&str> = record
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys.len(), 2, "only what was selected: {record}");

    for (user, expected) in [
        (EMMA, vec!["Onbehalf_Assistant"]),
        (AARON, vec!["Onbehalf_Calendar_Only"]),
        (RITA, vec![]),
        (CARLA, vec![]),
    ] {
        let body = query(&t, &assigned_to(user, Some(false))).await;
        assert_eq!(set_names(&body), expected, "{user}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn every_user_also_holds_the_permission_set_their_profile_owns() {
    let sb = start().await;
    let t = sign_in(&sb, RITA).await;
    let all = query(&t, &assigned_to(DANIEL, None)).await;
    assert_eq!(all["totalSize"], 2, "{all}");
    let owned = query(&t, &assigned_to(DANIEL, Some(true))).await;
    let name = owned["records"][0]["PermissionSet"]["Name"]
        .as_str()
        .unwrap();
    assert!(name.starts_with("X00e"), "{name}");

    let contoso = &demo_org().crm_orgs[0].id;
    let users = demo_org()
        .users
        .iter()
        .filter(|u| &u.crm.org_id == contoso)
        .count();
    let holders = query(
        &t,
        "SELECT AssigneeId, Assignee.Name, IsActive FROM PermissionSetAssignment \
         WHERE PermissionSet.IsOwnedByProfile = true",
    )
    .await;
    assert_eq!(holders["totalSize"], users);
    assert!(holders["records"]
        .as_array()
        .unwrap()
        .iter()
        .all(|r| { r["IsActive"] == true && r["Assignee"]["attributes"]["type"] == "User" }));

    let sets = query(
        &t,
        "SELECT Name, Label, IsOwnedByProfile, IsCustom FROM PermissionSet \
         WHERE IsOwnedByProfile = false ORDER BY Name",
    )
    .await;
    let listed: Vec<(&str, &str)> = sets["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["Name"].as_str().unwrap(), r["Label"].as_str().unwrap()))
        .collect();
    assert_eq!(
        listed,
        [
            ("Onbehalf_Assistant", "Onbehalf Assistant"),
            ("Onbehalf_Calendar_Only", "Onbehalf Calendar Only"),
        ]
    );
    assert!(sets["records"][0]["IsCustom"] == true);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_subsidiarys_org_has_only_its_profiles_permission_set() {
    let sb = start().await;
    let t = sign_in(&sb, NOAH).await;
    let body = query(&t, &assigned_to(NOAH, Some(false))).await;
    assert_eq!(body["totalSize"], 0);
    let body = query(&t, &assigned_to(NOAH, None)).await;
    assert_eq!(body["totalSize"], 1);
    sb.shutdown().await;
}

#[tokio::test]
async fn describe_lists_both_objects_read_only_with_their_relationships() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let global = get(&t, "/sobjects").await;
    let find = |name: &str| {
        global.body["sobjects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} is listed"))
    };
    let set = find("PermissionSet");
    assert_eq!(set["keyPrefix"], "0PS");
    let assignment = find("PermissionSetAssignment");
    assert_eq!(assignment["keyPrefix"], "0Pa");
    for o in [&set, &assignment] {
        assert_eq!(o["createable"], false, "{o}");
        assert_eq!(o["queryable"], true, "{o}");
    }

    let r = get(&t, "/sobjects/PermissionSetAssignment/describe").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let fields = r.body["fields"].as_array().unwrap();
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    assert_eq!(field("AssigneeId")["relationshipName"], "Assignee");
    assert_eq!(field("AssigneeId")["referenceTo"], json!(["User"]));
    assert_eq!(
        field("PermissionSetId")["relationshipName"],
        "PermissionSet"
    );
    assert_eq!(
        field("PermissionSetId")["referenceTo"],
        json!(["PermissionSet"])
    );
    assert_eq!(field("SystemModstamp")["label"], "Date Assigned");
    // The object keeps no creation fields of its own.
    let bad = get(
        &t,
        &format!(
            "/query?q={}",
            urlencode("SELECT CreatedDate FROM PermissionSetAssignment")
        ),
    )
    .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST, "{}", bad.body);
    assert_eq!(code(&bad.body), "INVALID_FIELD");

    let r = get(&t, "/sobjects/PermissionSet/describe").await;
    let fields = r.body["fields"].as_array().unwrap();
    assert!(fields.iter().any(|f| f["name"] == "IsOwnedByProfile"
        && f["type"] == "boolean"
        && f["filterable"] == true));

    // Assigning is not for a demo user.
    let refused = call(
        &t,
        Method::POST,
        "/sobjects/PermissionSetAssignment",
        Some(json!({"AssigneeId": crm_id(RITA), "PermissionSetId": set_id(&t).await})),
    )
    .await;
    assert!(refused.status.is_client_error(), "{}", refused.body);
    sb.shutdown().await;
}

async fn set_id(t: &SfTokens) -> String {
    let body = query(
        t,
        "SELECT Id FROM PermissionSet WHERE Name = 'Onbehalf_Assistant'",
    )
    .await;
    body["records"][0]["Id"].as_str().unwrap().to_string()
}
