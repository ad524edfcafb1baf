//! The Event rules (duration and end, multiday events and the 14-day limit, all-day events,
//! private events and links, lengths, the ShowAs picklist, defaults and system fields) and the
//! Get Updated and Get Deleted windows.

mod common;

use chrono::{Duration, Utc};
use common::salesforce::*;
use common::{start, NOAH, OLIVIA};
use onbehalf_sandbox::demo_org;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

async fn create(t: &SfTokens, body: Value) -> SfReply {
    call(t, Method::POST, "/sobjects/Event", Some(body)).await
}

async fn read(t: &SfTokens, id: &str) -> Value {
    let r = get(t, &format!("/sobjects/Event/{id}")).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body
}

#[tokio::test]
async fn end_and_duration_are_consistent_and_the_activity_time_follows_the_start() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let r = create(&t, json!({"Subject": "Timed", "StartDateTime": "2031-05-06T09:00:00Z", "EndDateTime": "2031-05-06T10:15:00Z"})).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    let id = r.body["id"].as_str().unwrap().to_string();
    let e = read(&t, &id).await;
    assert_eq!(e["DurationInMinutes"], 75);
    assert_eq!(e["ActivityDateTime"], "2031-05-06T09:00:00.000+0000");
    assert_eq!(e["IsAllDayEvent"], false);
    assert_eq!(e["ShowAs"], "Busy", "the picklist's default");
    assert_eq!(e["OwnerId"], crm_id(OLIVIA).as_str());
    assert_eq!(e["CreatedById"], crm_id(OLIVIA).as_str());

    // Moving the start keeps the length; the activity time follows.
    call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Event/{id}"),
        Some(json!({"StartDateTime": "2031-05-07T13:00:00Z"})),
    )
    .await;
    let e = read(&t, &id).await;
    assert_eq!(e["EndDateTime"], "2031-05-07T14:15:00.000+0000");
    assert_eq!(e["ActivityDateTime"], "2031-05-07T13:00:00.000+0000");
    call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Event/{id}"),
        Some(json!({"DurationInMinutes": 30})),
    )
    .await;
    assert_eq!(
        read(&t, &id).await["EndDateTime"],
        "2031-05-07T13:30:00.000+0000"
    );

    let r = create(&t, json!({"Subject": "Both", "StartDateTime": "2031-05-06T09:00:00Z", "EndDateTime": "2031-05-06T10:00:00Z", "DurationInMinutes": 45})).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "FIELD_INTEGRITY_EXCEPTION");
    let r = create(
        &t,
        json!({"Subject": "Neither", "StartDateTime": "2031-05-06T09:00:00Z"}),
    )
    .await;
    assert_eq!(code(&r.body), "REQUIRED_FIELD_MISSING");
    let r = create(&t, json!({"Subject": "Read-only", "StartDateTime": "2031-05-06T09:00:00Z", "DurationInMinutes": 5, "EndDate": "2031-05-06"})).await;
    assert_eq!(code(&r.body), "INVALID_FIELD_FOR_INSERT_UPDATE");
    sb.shutdown().await;
}

#[tokio::test]
async fn over_a_day_needs_multiday_events_and_no_event_lasts_over_fourteen_days() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let contoso = demo_org().crm_orgs[0].clone();
    assert!(contoso.multiday_events, "Contoso has multiday events on");
    let long = json!({"Subject": "Conference", "StartDateTime": "2031-06-01T08:00:00Z", "DurationInMinutes": 3 * 1440});
    assert_eq!(create(&t, long.clone()).await.status, StatusCode::CREATED);
    let r = create(&t, json!({"Subject": "Too long", "StartDateTime": "2031-06-01T08:00:00Z", "DurationInMinutes": 14 * 1440 + 1})).await;
    assert_eq!(code(&r.body), "FIELD_INTEGRITY_EXCEPTION");

    assert!(sb
        .salesforce_faults()
        .set_multiday_events(&contoso.id, false));
    let r = create(&t, long).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body[0]["errorCode"], "FIELD_INTEGRITY_EXCEPTION");
    assert_eq!(
        r.body[0]["message"],
        "Duration must be between 0 and 1440 minutes"
    );
    assert_eq!(
        create(&t, event("A day exactly", 5, 1440)).await.status,
        StatusCode::CREATED
    );

    // The subsidiary's org never turned multiday events on.
    let noah = sign_in(&sb, NOAH).await;
    let r = create(&noah, event("Two days", 5, 2880)).await;
    assert_eq!(code(&r.body), "FIELD_INTEGRITY_EXCEPTION");
    sb.shutdown().await;
}

#[tokio::test]
async fn all_day_events_are_dates_at_midnight_utc() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let r = create(
        &t,
        json!({"Subject": "Offsite", "IsAllDayEvent": true, "ActivityDate": "2031-07-14"}),
    )
    .await;
    let e = read(&t, r.body["id"].as_str().unwrap()).await;
    assert_eq!(e["DurationInMinutes"], 1440);
    assert_eq!(e["StartDateTime"], "2031-07-14T00:00:00.000+0000");
    assert_eq!(e["EndDateTime"], "2031-07-14T00:00:00.000+0000");
    assert_eq!(e["ActivityDate"], "2031-07-14");
    let r = create(&t, json!({"Subject": "Summit", "IsAllDayEvent": true, "ActivityDate": "2031-07-20", "DurationInMinutes": 4320})).await;
    let e = read(&t, r.body["id"].as_str().unwrap()).await;
    assert_eq!(e["EndDate"], "2031-07-22");
    let r = create(&t, json!({"Subject": "Partial", "IsAllDayEvent": true, "ActivityDate": "2031-07-20", "DurationInMinutes": 600})).await;
    assert_eq!(code(&r.body), "FIELD_INTEGRITY_EXCEPTION");
    sb.shutdown().await;
}

#[tokio::test]
async fn private_events_relate_to_no_record_and_texts_have_their_limits() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let contact = query(
        &t,
        "SELECT Id FROM Contact WHERE Email = 'pat.kim@fabrikam.com'",
    )
    .await["records"][0]["Id"]
        .clone();
    let mut body = event("Private with a contact", 3, 30);
    body["IsPrivate"] = json!(true);
    body["WhoId"] = contact.clone();
    let r = create(&t, body).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "FIELD_INTEGRITY_EXCEPTION");
    assert_eq!(r.body[0]["fields"], json!(["WhoId"]));
    let mut linked = event("Linked", 3, 30);
    linked["WhoId"] = contact;
    let id = create(&t, linked).await.body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Event/{id}"),
        Some(json!({"IsPrivate": true})),
    )
    .await;
    assert_eq!(
        code(&r.body),
        "FIELD_INTEGRITY_EXCEPTION",
        "marking a linked event private"
    );

    let r = create(&t, event(&"s".repeat(256), 3, 30)).await;
    assert_eq!(code(&r.body), "STRING_TOO_LONG");
    assert_eq!(r.body[0]["fields"], json!(["Subject"]));
    assert_eq!(
        create(&t, event(&"s".repeat(255), 3, 30)).await.status,
        StatusCode::CREATED
    );
    let mut long = event("Long description", 3, 30);
    long["Description"] = json!("d".repeat(32_001));
    assert_eq!(code(&create(&t, long).await.body), "STRING_TOO_LONG");
    let mut show = event("Tentative", 3, 30);
    show["ShowAs"] = json!("Tentative");
    let r = create(&t, show).await;
    assert_eq!(code(&r.body), "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST");
    sb.shutdown().await;
}

fn window(from: chrono::DateTime<Utc>, to: chrono::DateTime<Utc>) -> String {
    let f = |t: chrono::DateTime<Utc>| urlencode(&t.format("%Y-%m-%dT%H:%M:%S+00:00").to_string());
    format!("?start={}&end={}", f(from), f(to))
}

#[tokio::test]
async fn get_updated_and_get_deleted_cover_their_documented_windows() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let now = Utc::now();
    let id = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(event("Replicated", 2, 30)),
    )
    .await
    .body["id"]
        .as_str()
        .unwrap()
        .to_string();
    let r = get(
        &t,
        &format!(
            "/sobjects/Event/updated/{}",
            window(now - Duration::days(29), now + Duration::hours(1))
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let ids: Vec<&str> = r.body["ids"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(ids.contains(&id.as_str()));
    assert!(
        ids.len() > 3,
        "the seeded events changed within the window too"
    );
    let covered = r.body["latestDateCovered"].as_str().unwrap();
    assert!(
        covered
            <= Utc::now()
                .format("%Y-%m-%dT%H:%M:%S.999+0000")
                .to_string()
                .as_str()
    );

    let r = get(
        &t,
        &format!(
            "/sobjects/Event/updated/{}",
            window(now - Duration::days(31), now)
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "INVALID_REPLICATION_DATE");
    let r = get(
        &t,
        &format!(
            "/sobjects/Event/updated/{}",
            window(now, now - Duration::hours(1))
        ),
    )
    .await;
    assert_eq!(code(&r.body), "INVALID_REPLICATION_DATE");

    call(&t, Method::DELETE, &format!("/sobjects/Event/{id}"), None).await;
    let r = get(
        &t,
        &format!(
            "/sobjects/Event/deleted/{}",
            window(now - Duration::days(14), now + Duration::hours(1))
        ),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let deleted: Vec<&str> = r.body["deletedRecords"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert!(deleted.contains(&id.as_str()));
    assert!(
        deleted.len() >= 2,
        "the seeded lunch deleted yesterday is there too"
    );
    assert!(r.body["earliestDateAvailable"].is_string() && r.body["latestDateCovered"].is_string());
    let r = get(
        &t,
        &format!(
            "/sobjects/Event/deleted/{}",
            window(now - Duration::days(16), now)
        ),
    )
    .await;
    assert_eq!(
        code(&r.body),
        "INVALID_REPLICATION_DATE",
        "the delete log goes back 15 days"
    );
    let r = get(
        &t,
        &format!(
            "/sobjects/Event/updated/{}",
            window(now - Duration::days(1), now + Duration::hours(1))
        ),
    )
    .await;
    assert!(
        !r.body["ids"]
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v == id.as_str()),
        "a deleted record is not updated"
    );
    sb.shutdown().await;
}
