//! An org without Onbehalf's CRM package has no `Onbehalf_Exchange_Id__c` on Event: describe
//! leaves it out, and SOQL, writes and upserts naming it fail as they do for any field that does
//! not exist. Installing the package again brings the field back with the values events held.

// Test helpers fail the test by panicking, like assertions.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Timelike;
use common::salesforce::*;
use common::{http, start, DANIEL, OLIVIA};
use onbehalf_sandbox::{demo_org, Sandbox};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const FIELD: &str = "Onbehalf_Exchange_Id__c";

/// `POST /_sandbox/salesforce/settings` for Contoso's org.
async fn settings(sb: &Sandbox, body: Value) -> StatusCode {
    http()
        .post(format!("{}/_sandbox/salesforce/settings", sb.base_url()))
        .json(&body)
        .send()
        .await
        .unwrap()
        .status()
}

async fn event_fields(t: &SfTokens) -> Vec<String> {
    let r = get(t, "/sobjects/Event/describe").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    r.body["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["name"].as_str().unwrap().to_string())
        .collect()
}

fn with_exchange_id(subject: &str, exchange_id: &str) -> Value {
    let mut body = event(subject, 3, 30);
    body[FIELD] = json!(exchange_id);
    body
}

async fn create(t: &SfTokens, body: Value) -> String {
    let r = call(t, Method::POST, "/sobjects/Event", Some(body)).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.body);
    r.body["id"].as_str().unwrap().to_string()
}

fn no_such_column_in(query: &str, column: usize) -> String {
    format!(
        "\n{query}\n{}^\nERROR at Row:1:Column:{column}\nNo such column '{FIELD}' on entity 'Event'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
        " ".repeat(column - 1)
    )
}

#[tokio::test]
async fn describe_lists_the_exchange_id_only_while_the_package_is_installed() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    assert!(event_fields(&t).await.iter().any(|f| f == FIELD));

    assert_eq!(
        settings(&sb, json!({"exchange_id_field": false})).await,
        StatusCode::NO_CONTENT
    );
    let fields = event_fields(&t).await;
    assert!(!fields.iter().any(|f| f == FIELD), "{fields:?}");
    assert!(fields.iter().any(|f| f == "Subject"), "the rest stay");

    assert_eq!(
        settings(&sb, json!({"exchange_id_field": true})).await,
        StatusCode::NO_CONTENT
    );
    assert!(event_fields(&t).await.iter().any(|f| f == FIELD));
    sb.shutdown().await;
}

#[tokio::test]
async fn soql_naming_the_missing_field_is_an_invalid_field() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    assert_eq!(
        settings(&sb, json!({"exchange_id_field": false})).await,
        StatusCode::NO_CONTENT
    );
    let select = format!("SELECT Id, {FIELD} FROM Event");
    let r = get(&t, &format!("/query?q={}", urlencode(&select))).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        r.body,
        json!([{"errorCode": "INVALID_FIELD", "message": no_such_column_in(&select, 12)}])
    );

    let filtered = format!("SELECT Id FROM Event WHERE {FIELD} = 'AAMkAGI2TG93AAA='");
    let ordered = format!("SELECT Id FROM Event ORDER BY {FIELD}");
    for (resource, query) in [("query", &filtered), ("queryAll", &ordered)] {
        let r = get(&t, &format!("/{resource}?q={}", urlencode(query))).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}");
        assert_eq!(code(&r.body), "INVALID_FIELD", "{query}");
    }

    let r = call(
        &t,
        Method::POST,
        "/composite",
        Some(json!({"compositeRequest": [{
            "method": "GET",
            "url": format!("/services/data/{V}/query?q={}", urlencode(&select)),
            "referenceId": "synced",
        }]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let sub = &r.body["compositeResponse"][0];
    assert_eq!(sub["httpStatusCode"], 400);
    assert_eq!(code(&sub["body"]), "INVALID_FIELD");

    let plain = query(&t, "SELECT Id, Subject FROM Event LIMIT 1").await;
    assert_eq!(plain["totalSize"], 1, "queries without it still run");
    sb.shutdown().await;
}

#[tokio::test]
async fn writes_sending_the_missing_field_fail_per_record() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let id = create(&t, event("Board prep", 3, 30)).await;
    assert_eq!(
        settings(&sb, json!({"exchange_id_field": false})).await,
        StatusCode::NO_CONTENT
    );
    let no_such_column = json!([{
        "errorCode": "INVALID_FIELD",
        "message": format!("No such column '{FIELD}' on sobject of type Event"),
        "fields": [FIELD],
    }]);

    let r = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(with_exchange_id("Refused", "AAMkAGI2TG93AAA=")),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body, no_such_column);
    let r = call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Event/{id}"),
        Some(json!({FIELD: "AAMkAGI2TG93AAA="})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.body, no_such_column);

    let mut with_field = with_exchange_id("Refused in a batch", "AAMkAGI2TG93AAB=");
    with_field["attributes"] = json!({"type": "Event"});
    let mut without = event("Accepted in a batch", 4, 30);
    without["attributes"] = json!({"type": "Event"});
    let r = call(
        &t,
        Method::POST,
        "/composite/sobjects",
        Some(json!({"allOrNone": false, "records": [with_field, without]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        r.body[0],
        json!({"success": false, "errors": [{
            "statusCode": "INVALID_FIELD",
            "message": format!("No such column '{FIELD}' on sobject of type Event"),
            "fields": [FIELD],
        }]})
    );
    assert_eq!(r.body[1]["success"], true, "{}", r.body);

    let r = call(
        &t,
        Method::PATCH,
        "/composite/sobjects",
        Some(json!({"records": [
            {"attributes": {"type": "Event"}, "id": id, FIELD: "AAMkAGI2TG93AAC="},
            {"attributes": {"type": "Event"}, "id": id, "Location": "Room 4"},
        ]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body[0]["errors"][0]["statusCode"], "INVALID_FIELD");
    assert_eq!(r.body[1]["success"], true, "{}", r.body);
    sb.shutdown().await;
}

#[tokio::test]
async fn upserting_by_the_missing_field_is_not_found() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    assert_eq!(
        settings(&sb, json!({"exchange_id_field": false})).await,
        StatusCode::NO_CONTENT
    );
    let not_found = json!([{
        "errorCode": "NOT_FOUND",
        "message": format!("Provided external ID field does not exist or is not accessible: {FIELD}"),
    }]);

    let r = call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Event/{FIELD}/AAMkAGI2TG93AAA="),
        Some(event("From Exchange", 3, 30)),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, not_found);

    let mut record = with_exchange_id("From Exchange", "AAMkAGI2TG93AAA=");
    record["attributes"] = json!({"type": "Event"});
    let r = call(
        &t,
        Method::PATCH,
        &format!("/composite/sobjects/Event/{FIELD}"),
        Some(json!({"records": [record]})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.body, not_found);

    let found = query(&t, "SELECT Id FROM Event WHERE Subject = 'From Exchange'").await;
    assert_eq!(found["totalSize"], 0, "nothing was created");
    sb.shutdown().await;
}

#[tokio::test]
async fn reinstalling_the_package_brings_back_the_field_and_its_values() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let contoso = demo_org().crm_orgs[0].id.clone();
    let id = create(&t, with_exchange_id("Quarterly review", "AAMkAGI2TG93AAA=")).await;
    let path = format!("/sobjects/Event/{id}");

    assert!(sb
        .salesforce_faults()
        .set_exchange_id_field(&contoso, false));
    let read = get(&t, &path).await;
    assert_eq!(read.body["Subject"], "Quarterly review");
    assert!(read.body.get(FIELD).is_none(), "{}", read.body);
    let r = call(
        &t,
        Method::PATCH,
        &path,
        Some(json!({"Location": "Room 4"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT, "{}", r.body);

    assert!(sb.salesforce_faults().set_exchange_id_field(&contoso, true));
    assert!(!sb
        .salesforce_faults()
        .set_exchange_id_field("00Dnot-an-org", true));
    let read = get(&t, &path).await;
    assert_eq!(read.body[FIELD], "AAMkAGI2TG93AAA=", "the value was kept");
    assert_eq!(read.body["Location"], "Room 4");
    let found = query(
        &t,
        &format!(
            "SELECT Id, {FIELD} FROM Event WHERE {FIELD} = 'AAMkAGI2TG93AAA=' ORDER BY {FIELD}"
        ),
    )
    .await;
    assert_eq!(found["records"][0]["Id"], id.as_str());
    let r = call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Event/{FIELD}/AAMkAGI2TG93AAA="),
        Some(json!({"Subject": "Quarterly review, moved"})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.body["id"], id.as_str());
    assert!(event_fields(&t).await.iter().any(|f| f == FIELD));
    sb.shutdown().await;
}

#[tokio::test]
async fn an_assistant_finds_the_events_they_created_on_the_executives_calendar_since_a_time() {
    let sb = start().await;
    let daniel = sign_in(&sb, DANIEL).await;
    let olivia = sign_in(&sb, OLIVIA).await;
    let owner = crm_id(OLIVIA);
    let on_olivias = |subject: &str| {
        let mut body = event(subject, 5, 30);
        body["OwnerId"] = json!(owner);
        body
    };
    let earlier = create(&daniel, on_olivias("Booked earlier")).await;
    let booked = get(&daniel, &format!("/sobjects/Event/{earlier}")).await;
    let booked_at = chrono::DateTime::parse_from_str(
        booked.body["CreatedDate"].as_str().unwrap(),
        "%Y-%m-%dT%H:%M:%S%.3f%z",
    )
    .unwrap()
    .with_timezone(&chrono::Utc);
    // SOQL date-times are to the second: the window opens at the next one.
    let since = booked_at.with_nanosecond(0).unwrap() + chrono::Duration::seconds(1);
    let wait = (since - chrono::Utc::now()).to_std().unwrap_or_default();
    tokio::time::sleep(wait + std::time::Duration::from_millis(20)).await;

    let first = create(&daniel, on_olivias("Booked first")).await;
    let second = create(&daniel, on_olivias("Booked second")).await;
    create(&daniel, event("Daniel's own", 5, 30)).await;
    create(&olivia, event("Olivia's own", 5, 30)).await;

    let soql = format!(
        "SELECT Id, OwnerId, Subject, StartDateTime, EndDateTime, IsAllDayEvent, ActivityDate, DurationInMinutes, IsPrivate, ShowAs, WhoId, WhatId, Location, Description, SystemModstamp, IsDeleted FROM Event WHERE OwnerId = '{owner}' AND CreatedById = '{}' AND CreatedDate >= {} ORDER BY CreatedDate LIMIT 2000",
        crm_id(DANIEL),
        since.format("%Y-%m-%dT%H:%M:%SZ"),
    );
    let found = query(&daniel, &soql).await;
    let records = found["records"].as_array().unwrap();
    let ids: Vec<&str> = records.iter().map(|r| r["Id"].as_str().unwrap()).collect();
    assert_eq!(ids, [first.as_str(), second.as_str()], "{found}");
    let record = &records[0];
    assert_eq!(record["Subject"], "Booked first");
    assert_eq!(record["OwnerId"], owner.as_str());
    assert_eq!(record["DurationInMinutes"], 30);
    assert_eq!(record["ShowAs"], "Busy");
    assert_eq!(record["IsDeleted"], false);
    assert_eq!(record.as_object().unwrap().len(), 17, "{record}");
    sb.shutdown().await;
}
