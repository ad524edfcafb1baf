//! Payload shapes against fixtures written from the Graph reference, paging, `$batch`, OData
//! options, ids, and faults.

mod common;

use std::time::Duration;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn me_calendars_and_permissions_have_the_documented_shapes() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let daniel = token_for(&sb, DANIEL).await;

    let (status, me) = get(&sb, &olivia, "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert_shape(&fixture("user.json"), &me, "me");
    let (status, body) = get(&sb, &daniel, "/users/OLIVIA.GRANT@contoso.com").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "User.Read covers only /me");
    assert_eq!(error_code(&body), "Authorization_RequestDenied");
    let directory = sign_in_with(&sb, DANIEL, &format!("{SCOPE} User.ReadBasic.All")).await;
    let (status, by_upn) = get(&sb, &directory.access, "/users/OLIVIA.GRANT@contoso.com").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(by_upn["id"], me["id"]);

    let (status, own) = get(&sb, &olivia, "/me/calendars").await;
    assert_eq!(status, StatusCode::OK);
    assert_shape(&fixture("calendars.json"), &own, "calendars");
    assert_eq!(own["value"][0]["isDefaultCalendar"], true);
    assert_eq!(own["value"][0]["canShare"], true);
    assert_eq!(own["value"][0]["isRemovable"], false);

    let (_, mine) = get(&sb, &daniel, "/me/calendars").await;
    let shared = mine["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["owner"]["address"] == OLIVIA)
        .cloned()
        .unwrap();
    let (status, shared) = get(
        &sb,
        &daniel,
        &format!("/me/calendars/{}", shared["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_shape(&fixture("calendar-shared.json"), &shared, "shared calendar");
    assert_eq!(shared["name"], "Olivia Grant");
    assert_eq!(shared["canShare"], false);
    assert_eq!(shared["isRemovable"], true);
    assert_eq!(shared["canEdit"], true);
    assert_eq!(shared["canViewPrivateItems"], true);
    let (_, owner_view) = get(&sb, &daniel, &format!("/users/{OLIVIA}/calendar")).await;
    assert_ne!(
        owner_view["id"], shared["id"],
        "the sharee's entry has its own id"
    );

    let (status, perms) = get(&sb, &olivia, "/me/calendar/calendarPermissions").await;
    assert_eq!(status, StatusCode::OK);
    assert_shape(&fixture("calendar-permissions.json"), &perms, "permissions");
    let roles: Vec<(Value, Value)> = perms["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["emailAddress"]["address"].clone(), p["role"].clone()))
        .collect();
    assert!(roles.contains(&(Value::Null, json!("freeBusyRead"))));
    assert!(roles.contains(&(json!(DANIEL), json!("delegateWithPrivateEventAccess"))));
    assert!(roles.contains(&(json!(AARON), json!("custom"))));

    let (status, events) = get(&sb, &olivia, "/me/events?$top=1").await;
    assert_eq!(status, StatusCode::OK);
    let id = events["value"][0]["id"].as_str().unwrap();
    let (_, event) = get(&sb, &olivia, &format!("/me/events/{id}")).await;
    assert_shape(&fixture("event.json"), &event, "event");

    let (status, missing) = get(&sb, &olivia, "/me/events/AAMkAAAAAAAAAAAAAAAAAAAAAAAAAA").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&missing), "ErrorInvalidIdMalformed");
    assert_shape(&fixture("error.json"), &missing, "error");
    sb.shutdown().await;
}

#[tokio::test]
async fn ids_are_bound_to_their_mailbox() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let emma = token_for(&sb, EMMA).await;
    let (_, events) = get(
        &sb,
        &olivia,
        "/me/events?$top=1&$filter=sensitivity eq 'normal'",
    )
    .await;
    let id = events["value"][0]["id"].as_str().unwrap().to_string();
    let (status, _) = get(&sb, &emma, &format!("/users/{OLIVIA}/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = get(&sb, &emma, &format!("/me/events/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(error_code(&body), "ErrorItemNotFound");
    let (status, body) = get(&sb, &emma, "/me/calendars/Calendar").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "ErrorInvalidIdMalformed");
    sb.shutdown().await;
}

#[tokio::test]
async fn paging_follows_next_links_to_the_end() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let (_, first) = get(&sb, &olivia, "/me/events").await;
    assert_eq!(
        first["value"].as_array().unwrap().len(),
        10,
        "default page size"
    );
    assert!(first["@odata.nextLink"].as_str().is_some());
    let all = get_all(&sb, &olivia, "/me/events?$top=50&$select=subject,start").await;
    let (_, counted) = get(&sb, &olivia, "/me/events?$top=1&$count=true").await;
    assert_eq!(all.len() as u64, counted["@odata.count"].as_u64().unwrap());
    assert!(all.len() > 300, "{} items", all.len());
    let mut ids: Vec<&str> = all.iter().map(|e| e["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), all.len(), "no item twice");
    assert!(
        all[0].get("body").is_none(),
        "$select keeps only what was asked"
    );
    let (status, body) = get(&sb, &olivia, "/me/events?$top=5000").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "BadRequest");
    sb.shutdown().await;
}

#[tokio::test]
async fn calendar_view_expands_the_series_with_its_moved_and_cancelled_occurrences() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let items = get_all(
        &sb,
        &olivia,
        &format!(
            "/me/calendarView?{}&$top=200&$orderby=start/dateTime",
            window(100)
        ),
    )
    .await;
    let weekly: Vec<&Value> = items
        .iter()
        .filter(|e| {
            e["subject"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Leadership team weekly")
        })
        .collect();
    assert_eq!(weekly.len(), 25, "26 weeks less one cancelled");
    assert!(weekly.iter().all(|e| e["seriesMasterId"].is_string()));
    assert!(weekly.iter().all(|e| e["type"] != "seriesMaster"));
    let moved: Vec<_> = weekly.iter().filter(|e| e["type"] == "exception").collect();
    assert_eq!(moved.len(), 1);
    assert!(
        moved[0]["start"]["dateTime"]
            .as_str()
            .unwrap()
            .contains("T19:00:00")
            || moved[0]["start"]["dateTime"]
                .as_str()
                .unwrap()
                .contains("T18:00:00")
    );
    let starts: Vec<&str> = items
        .iter()
        .map(|e| e["start"]["dateTime"].as_str().unwrap())
        .collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "ordered by start");

    let master = weekly[0]["seriesMasterId"].as_str().unwrap();
    let (status, instances) = get(
        &sb,
        &olivia,
        &format!("/me/events/{master}/instances?{}&$top=100", window(100)),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(instances["value"].as_array().unwrap().len(), 25);
    let (status, body) = get(&sb, &olivia, "/me/calendarView").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "ErrorInvalidParameter");

    let (_, tokyo) = get(
        &sb,
        &olivia,
        &format!(
            "/me/calendarView?{}&$filter=subject eq 'Call with Fabrikam Japan'",
            window(30)
        ),
    )
    .await;
    let resp = http()
        .get(format!(
            "{}/me/events/{}",
            sb.graph_url(),
            tokyo["value"][0]["id"].as_str().unwrap()
        ))
        .bearer_auth(&olivia)
        .header("Prefer", "outlook.timezone=\"Tokyo Standard Time\"")
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.headers()["preference-applied"],
        "outlook.timezone=\"Tokyo Standard Time\""
    );
    let event: Value = resp.json().await.unwrap();
    assert_eq!(event["start"]["timeZone"], "Tokyo Standard Time");
    assert!(event["start"]["dateTime"]
        .as_str()
        .unwrap()
        .ends_with("T09:00:00.0000000"));
    assert_eq!(event["originalStartTimeZone"], "Tokyo Standard Time");
    sb.shutdown().await;
}

#[tokio::test]
async fn extended_properties_are_set_found_and_expanded_but_not_echoed() {
    let sb = start().await;
    let emma = token_for(&sb, EMMA).await;
    let prop = "String {66F5A359-4659-4830-9070-00047EC6AC6E} Name CrmId";
    let (status, created) = call(
        &sb,
        &emma,
        Method::POST,
        &format!("/users/{OLIVIA}/calendar/events"),
        Some(json!({
            "subject": "Customer lunch",
            "start": {"dateTime": "2030-05-02T12:00:00", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2030-05-02T13:00:00", "timeZone": "Pacific Standard Time"},
            "singleValueExtendedProperties": [{"id": prop, "value": "006Ab00000XyZ"}],
            "someFutureField": {"ignored": true}
        })),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert!(created.get("singleValueExtendedProperties").is_none());
    assert_eq!(created["organizer"]["emailAddress"]["address"], OLIVIA);
    let filter = format!(
        "/users/{OLIVIA}/events?$filter=singleValueExtendedProperties/Any(ep: ep/id eq '{}' and ep/value eq '006ab00000xyz')",
        prop.to_lowercase().replace("name crmid", "Name CrmId")
    );
    let (status, found) = get(&sb, &emma, &filter).await;
    assert_eq!(status, StatusCode::OK, "{found}");
    assert_eq!(found["value"].as_array().unwrap().len(), 1);
    assert_eq!(found["value"][0]["id"], created["id"]);
    let id = created["id"].as_str().unwrap();
    let (_, expanded) = get(
        &sb,
        &emma,
        &format!("/users/{OLIVIA}/events/{id}?$expand=singleValueExtendedProperties($filter=id eq '{prop}')"),
    )
    .await;
    assert_eq!(
        expanded["singleValueExtendedProperties"][0]["value"],
        "006Ab00000XyZ"
    );
    let (_, plain) = get(&sb, &emma, &format!("/users/{OLIVIA}/events/{id}")).await;
    assert!(plain.get("singleValueExtendedProperties").is_none());

    let record = onbehalf_engine::status_record::PROPERTY_ID;
    let felix = token_for(&sb, FELIX).await;
    let (status, cal) = get(
        &sb,
        &felix,
        &format!("/users/{OLIVIA}/calendar?$expand=singleValueExtendedProperties($filter=id eq '{record}')"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let value = cal["singleValueExtendedProperties"][0]["value"]
        .as_str()
        .unwrap();
    let parsed = onbehalf_engine::status_record::StatusRecord::parse(value).unwrap();
    assert!(parsed.sync_on);
    assert_eq!(parsed.tenant_id, onbehalf_sandbox::TENANT_ID);
    assert!(parsed.public_key().is_some());
    let keys = onbehalf_engine::status_record::RecordKeys::generate();
    assert_eq!(
        parsed.open_grant(FELIX, &keys),
        None,
        "Felix never published a key, so nothing is sealed to him"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn batch_runs_dependencies_in_order_and_refuses_more_than_twenty() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let (status, body) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({"requests": [
            {"id": "1", "method": "GET", "url": "/me"},
            {"id": "2", "method": "POST", "url": "/me/events", "dependsOn": ["1"],
             "headers": {"Content-Type": "application/json"},
             "body": {"subject": "Batched", "start": {"dateTime": "2030-01-01T09:00:00", "timeZone": "UTC"},
                      "end": {"dateTime": "2030-01-01T10:00:00", "timeZone": "UTC"}}},
            {"id": "3", "method": "GET", "url": "/me/events/AAMknotanid"},
            {"id": "4", "method": "GET", "url": "/me/calendar", "dependsOn": ["3"]},
            {"id": "5", "method": "GET", "url": "me/calendars?$top=1"}
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_shape(&fixture("batch-response.json"), &body, "batch");
    let by_id = |id: &str| {
        body["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(by_id("1")["status"], 200);
    assert_eq!(by_id("1")["body"]["mail"], OLIVIA);
    assert_eq!(by_id("2")["status"], 201);
    assert_eq!(by_id("3")["status"], 400);
    assert_eq!(
        by_id("3")["body"]["error"]["code"],
        "ErrorInvalidIdMalformed"
    );
    assert_eq!(by_id("4")["status"], 424);
    assert_eq!(by_id("5")["status"], 200);

    let many: Vec<Value> = (0..21)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"}))
        .collect();
    let (status, body) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({"requests": many})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(error_code(&body), "BadRequest");
    sb.shutdown().await;
}

#[tokio::test]
async fn faults_throttle_fail_and_drop_every_nth_graph_request() {
    let sb = start().await;
    let token = token_for(&sb, NOAH).await;
    let faults = sb.faults();
    let seen = faults.requests_seen();
    faults.throttle_every(3, 7);
    let mut statuses = Vec::new();
    for _ in 0..6 {
        let resp = http()
            .get(format!("{}/me", sb.graph_url()))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        let status = resp.status();
        if status == StatusCode::TOO_MANY_REQUESTS {
            assert_eq!(resp.headers()["retry-after"], "7");
            let body: Value = resp.json().await.unwrap();
            assert_eq!(error_code(&body), "TooManyRequests");
        }
        statuses.push(status.as_u16());
    }
    assert_eq!(faults.requests_seen(), seen + 6);
    assert_eq!(statuses.iter().filter(|s| **s == 429).count(), 2);

    // A mailbox's calendar is throttled by Outlook's mailbox concurrency limit.
    faults.clear();
    faults.throttle_every(1, 1);
    let (status, body) = get(&sb, &token, "/me/events").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(error_code(&body), "ApplicationThrottled");
    assert_eq!(
        body["error"]["message"],
        "Application is over its MailboxConcurrency limit."
    );

    faults.clear();
    faults.unavailable_every(1);
    let (status, _) = get(&sb, &token, "/me").await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);

    faults.clear();
    faults.drop_connection_every(1);
    let dropped = http()
        .get(format!("{}/me", sb.graph_url()))
        .bearer_auth(&token)
        .send()
        .await;
    assert!(dropped.is_err(), "the connection closes without an answer");

    faults.clear();
    faults.set_latency(Duration::from_millis(150));
    let started = std::time::Instant::now();
    let (status, _) = get(&sb, &token, "/me").await;
    assert_eq!(status, StatusCode::OK);
    assert!(started.elapsed() >= Duration::from_millis(150));

    let resp = http()
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .json(&json!({"clear": true, "throttle_every": 1, "retry_after_secs": 2}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let (status, _) = get(&sb, &token, "/me").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let org: Value = http()
        .get(format!("{}/_sandbox/org", sb.base_url()))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        org["users"].as_array().unwrap().len(),
        onbehalf_sandbox::demo_org().users.len()
    );
    sb.shutdown().await;
}
