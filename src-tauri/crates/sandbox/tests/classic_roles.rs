//! The demo users of the classic roles and of Send on Behalf, private items for an old-style
//! delegate, a sharee's own name for a shared calendar, iCalUId across mailboxes and the
//! creator's name on an item.

mod common;

use common::*;
use onbehalf_sandbox::demo_org;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn new_event(subject: &str) -> Value {
    json!({
        "subject": subject,
        "start": {"dateTime": "2031-04-07T09:00:00", "timeZone": "UTC"},
        "end": {"dateTime": "2031-04-07T09:30:00", "timeZone": "UTC"}
    })
}

async fn first_private_item(sb: &onbehalf_sandbox::Sandbox) -> String {
    let olivia = token_for(sb, OLIVIA).await;
    let (_, found) = get(
        sb,
        &olivia,
        "/me/events?$filter=sensitivity eq 'private'&$top=1",
    )
    .await;
    found["value"][0]["id"]
        .as_str()
        .expect("Olivia has private items")
        .to_string()
}

#[tokio::test]
async fn a_reviewer_with_the_private_items_flag_reads_private_items_and_a_plain_reviewer_does_not()
{
    let sb = start().await;
    let hannah = token_for(&sb, HANNAH).await;
    let ines = token_for(&sb, INES).await;
    let (_, probe) = get(&sb, &hannah, &format!("/users/{OLIVIA}/calendar")).await;
    assert_eq!(probe["canViewPrivateItems"], true);
    assert_eq!(probe["canEdit"], false);
    let olivia = token_for(&sb, OLIVIA).await;
    let (_, perms) = get(&sb, &olivia, "/me/calendar/calendarPermissions").await;
    let role_of = |who: &str| {
        perms["value"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["emailAddress"]["address"] == who)
            .map(|p| p["role"].clone())
    };
    assert_eq!(role_of(HANNAH), Some(json!("read")));

    let id = first_private_item(&sb).await;
    let (status, item) = get(&sb, &hannah, &format!("/users/{OLIVIA}/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(!item["subject"].as_str().unwrap().is_empty());
    let (status, body) = get(&sb, &ines, &format!("/users/{OLIVIA}/events/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "ErrorItemNotFound");
    let (status, _) = call(
        &sb,
        &hannah,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{id}"),
        Some(json!({"subject": "x"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "a Reviewer still writes nothing"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_contributor_adds_items_but_sees_only_free_busy_and_cannot_edit() {
    let sb = start().await;
    let marcus = token_for(&sb, MARCUS).await;
    let entry = entry_of(&sb, &marcus, OLIVIA).await;
    assert_eq!(entry["canEdit"], false);
    assert_eq!(entry["canViewPrivateItems"], false);
    let path = format!("/users/{OLIVIA}/calendar/events");
    let (status, created) = call(
        &sb,
        &marcus,
        Method::POST,
        &path,
        Some(new_event("Visitor")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, body) = get(&sb, &marcus, &path).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "free/busy only: {body}");
    let id = created["id"].as_str().unwrap();
    let (status, _) = call(
        &sb,
        &marcus,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{id}"),
        Some(json!({"subject": "Visitor (moved)"})),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    sb.shutdown().await;
}

#[tokio::test]
async fn a_nonediting_author_reads_adds_and_deletes_only_her_own_items() {
    let sb = start().await;
    let priya = token_for(&sb, PRIYA).await;
    let entry = entry_of(&sb, &priya, OLIVIA).await;
    assert_eq!(entry["canEdit"], false);
    let path = format!("/users/{OLIVIA}/calendar/events");
    let (status, listed) = get(
        &sb,
        &priya,
        &format!("{path}?$top=1&$filter=sensitivity eq 'normal'"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let others = listed["value"][0]["id"].as_str().unwrap().to_string();
    assert!(!listed["value"][0]["body"]["content"]
        .as_str()
        .unwrap()
        .is_empty());

    let (status, mine) = call(&sb, &priya, Method::POST, &path, Some(new_event("Flights"))).await;
    assert_eq!(status, StatusCode::CREATED);
    let mine = mine["id"].as_str().unwrap();
    let (status, _) = call(
        &sb,
        &priya,
        Method::PATCH,
        &format!("/users/{OLIVIA}/events/{mine}"),
        Some(json!({"subject": "Flights (changed)"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "never edits, not even her own"
    );
    let (status, _) = call(
        &sb,
        &priya,
        Method::DELETE,
        &format!("/users/{OLIVIA}/events/{others}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = call(
        &sb,
        &priya,
        Method::DELETE,
        &format!("/users/{OLIVIA}/events/{mine}"),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    sb.shutdown().await;
}

#[tokio::test]
async fn send_on_behalf_alone_gives_no_calendar_but_my_organizations_free_busy() {
    let sb = start().await;
    let lucas = token_for(&sb, LUCAS).await;
    let mine = get_all(&sb, &lucas, "/me/calendars").await;
    assert!(mine.iter().all(|c| c["owner"]["address"] == LUCAS));
    let (status, probe) = get(&sb, &lucas, &format!("/users/{OLIVIA}/calendar")).await;
    assert_eq!(status, StatusCode::OK, "My Organization's free/busy");
    assert_eq!(probe["canEdit"], false);
    let (status, _) = get(&sb, &lucas, &format!("/users/{OLIVIA}/calendar/events")).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let olivia = demo_org()
        .users
        .into_iter()
        .find(|u| u.address == OLIVIA)
        .unwrap();
    assert!(olivia.send_on_behalf_to.iter().any(|a| a == LUCAS));
    assert!(olivia.send_on_behalf_to.iter().any(|a| a == INES));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_sharee_renames_only_their_own_entry() {
    let sb = start().await;
    let emma = token_for(&sb, EMMA).await;
    let daniel = token_for(&sb, DANIEL).await;
    let entry = entry_of(&sb, &emma, OLIVIA).await;
    let id = entry["id"].as_str().unwrap();
    let (status, renamed) = call(
        &sb,
        &emma,
        Method::PATCH,
        &format!("/me/calendars/{id}"),
        Some(json!({"name": "Olivia (CEO)"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{renamed}");
    assert_eq!(renamed["name"], "Olivia (CEO)");
    assert_eq!(entry_of(&sb, &emma, OLIVIA).await["name"], "Olivia (CEO)");
    assert_eq!(entry_of(&sb, &daniel, OLIVIA).await["name"], "Olivia Grant");
    let olivia = token_for(&sb, OLIVIA).await;
    let (_, own) = get(&sb, &olivia, "/me/calendar").await;
    assert_eq!(
        own["name"], "Calendar",
        "the owner does not see the sharee's name"
    );
    let (_, probe) = get(&sb, &emma, &format!("/users/{OLIVIA}/calendar")).await;
    assert_eq!(probe["name"], "Calendar");
    let (status, _) = call(
        &sb,
        &emma,
        Method::PATCH,
        &format!("/me/calendars/{id}"),
        Some(json!({"color": "lightRed"})),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "only the name is the sharee's"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn an_items_ical_uid_is_the_same_through_the_owners_mailbox_and_the_sharees_entry() {
    let sb = start().await;
    let emma = token_for(&sb, EMMA).await;
    let entry = entry_of(&sb, &emma, OLIVIA).await;
    let filter = "$filter=subject eq 'Strategy offsite'";
    let (_, via_owner) = get(
        &sb,
        &emma,
        &format!("/users/{OLIVIA}/calendar/events?{filter}"),
    )
    .await;
    let (_, via_entry) = get(
        &sb,
        &emma,
        &format!(
            "/me/calendars/{}/events?{filter}",
            entry["id"].as_str().unwrap()
        ),
    )
    .await;
    let a = &via_owner["value"][0];
    let b = &via_entry["value"][0];
    assert_ne!(a["id"], b["id"], "ids are per mailbox");
    assert!(a["iCalUId"].as_str().is_some_and(|u| !u.is_empty()));
    assert_eq!(a["iCalUId"], b["iCalUId"]);
    sb.shutdown().await;
}

#[tokio::test]
async fn the_creators_name_is_readable_as_pid_tag_creator_name_and_cannot_be_set() {
    let sb = start().await;
    let aaron = token_for(&sb, AARON).await;
    let olivia = token_for(&sb, OLIVIA).await;
    let (status, created) = call(
        &sb,
        &aaron,
        Method::POST,
        &format!("/users/{OLIVIA}/calendar/events"),
        Some(new_event("Room booking")),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED);
    let expand = "$expand=singleValueExtendedProperties($filter=id eq 'String 0x3FF8')";
    let id = created["id"].as_str().unwrap();
    let (status, seen) = get(&sb, &olivia, &format!("/me/events/{id}?{expand}")).await;
    assert_eq!(status, StatusCode::OK, "{seen}");
    let props = seen["singleValueExtendedProperties"].as_array().unwrap();
    assert_eq!(props.len(), 1);
    assert_eq!(props[0]["value"], "Aaron Patel");
    let (_, plain) = get(&sb, &olivia, &format!("/me/events/{id}")).await;
    assert!(plain.get("singleValueExtendedProperties").is_none());
    let (status, body) = call(
        &sb,
        &olivia,
        Method::PATCH,
        &format!("/me/events/{id}"),
        Some(
            json!({"singleValueExtendedProperties": [{"id": "String 0x3FF8", "value": "Someone"}]}),
        ),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    sb.shutdown().await;
}
