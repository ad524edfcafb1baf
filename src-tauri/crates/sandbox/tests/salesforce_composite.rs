//! sObject Collections (per-record results inside 200, `allOrNone`, 200 records at most) and
//! Composite (`referenceId` chaining, `allOrNone`, 25 subrequests at most), each one API call.

mod common;

use common::salesforce::*;
use common::{start, DANIEL, OLIVIA};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn contact(last: &str) -> Value {
    json!({"attributes": {"type": "Contact"}, "LastName": last, "Email": format!("{}@example.com", last.to_lowercase())})
}

#[tokio::test]
async fn collections_answer_each_record_in_order_within_one_call() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let before = api_usage(&get(&t, "/limits").await).0;
    let r = call(&t, Method::POST, "/composite/sobjects", Some(json!({
        "allOrNone": false,
        "records": [
            contact("Alpha"),
            {"attributes": {"type": "Contact"}, "FirstName": "No last name"},
            {"attributes": {"type": "Event"}, "Subject": "Collections event", "StartDateTime": "2031-02-03T10:00:00Z", "DurationInMinutes": 30},
        ]
    }))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        api_usage(&r).0,
        before + 1,
        "a Collections request is one call"
    );
    let results = r.body.as_array().unwrap();
    assert_eq!(results.len(), 3);
    assert_eq!(results[0]["success"], true);
    assert!(results[0]["id"].as_str().unwrap().starts_with("003"));
    assert_eq!(results[1]["success"], false);
    assert_eq!(
        results[1]["errors"][0]["statusCode"],
        "REQUIRED_FIELD_MISSING"
    );
    assert_eq!(results[1]["errors"][0]["fields"], json!(["LastName"]));
    assert!(results[2]["id"].as_str().unwrap().starts_with("00U"));

    let ids = [
        results[0]["id"].as_str().unwrap(),
        results[2]["id"].as_str().unwrap(),
    ];
    let r = call(
        &t,
        Method::PATCH,
        "/composite/sobjects",
        Some(json!({
            "records": [
                {"attributes": {"type": "Contact"}, "id": ids[0], "Title": "Partner"},
                {"attributes": {"type": "Contact"}, "id": "nonsense", "Title": "x"},
            ]
        })),
    )
    .await;
    assert_eq!(r.body[0]["success"], true);
    assert_eq!(r.body[1]["errors"][0]["statusCode"], "MALFORMED_ID");

    let r = get(
        &t,
        &format!(
            "/composite/sobjects/Contact?ids={},003000000000000AAA&fields=Id,Title",
            ids[0]
        ),
    )
    .await;
    assert_eq!(r.body[0]["Title"], "Partner");
    assert_eq!(r.body[1], Value::Null);

    let r = call(
        &t,
        Method::DELETE,
        &format!("/composite/sobjects?ids={},{}", ids[0], ids[1]),
        None,
    )
    .await;
    assert_eq!(
        r.body,
        json!([
            {"id": ids[0], "success": true, "errors": []},
            {"id": ids[1], "success": true, "errors": []},
        ])
    );

    let many: Vec<Value> = (0..201).map(|i| contact(&format!("Many{i}"))).collect();
    let r = call(
        &t,
        Method::POST,
        "/composite/sobjects",
        Some(json!({"records": many})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "EXCEEDED_ID_LIMIT");
    sb.shutdown().await;
}

#[tokio::test]
async fn all_or_none_rolls_every_record_back() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let r = call(&t, Method::POST, "/composite/sobjects", Some(json!({
        "allOrNone": true,
        "records": [contact("Rollback"), {"attributes": {"type": "Lead"}, "LastName": "No company"}],
    }))).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body[0]["success"], false);
    assert_eq!(
        r.body[0]["errors"][0]["statusCode"],
        "ALL_OR_NONE_OPERATION_ROLLED_BACK"
    );
    assert!(
        r.body[0].get("id").is_none(),
        "a rolled-back record was never created"
    );
    assert_eq!(
        r.body[1]["errors"][0]["statusCode"],
        "REQUIRED_FIELD_MISSING"
    );
    let left = query(&t, "SELECT Id FROM Contact WHERE LastName = 'Rollback'").await;
    assert_eq!(left["totalSize"], 0);
    sb.shutdown().await;
}

#[tokio::test]
async fn composite_chains_subrequests_by_reference_in_one_call() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let before = api_usage(&get(&t, "/limits").await).0;
    let r = call(&t, Method::POST, "/composite", Some(json!({
        "allOrNone": true,
        "compositeRequest": [
            {"method": "POST", "url": format!("/services/data/{V}/sobjects/Account"), "referenceId": "newAccount", "body": {"Name": "Composite Traders"}},
            {"method": "POST", "url": format!("/services/data/{V}/sobjects/Contact"), "referenceId": "newContact", "body": {"LastName": "Chain", "AccountId": "@{newAccount.id}"}},
            {"method": "GET", "url": format!("/services/data/{V}/query?q=SELECT+Id,Name,Account.Name+FROM+Contact+WHERE+AccountId='@{{newAccount.id}}'"), "referenceId": "found"},
            {"method": "POST", "url": format!("/services/data/{V}/sobjects/Event"), "referenceId": "meeting", "body": {
                "Subject": "Intro call", "StartDateTime": "2031-03-01T14:00:00Z", "DurationInMinutes": 30,
                "WhoId": "@{found.records[0].Id}", "OwnerId": crm_id(OLIVIA)
            }},
        ]
    }))).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(
        api_usage(&r).0,
        before + 1,
        "a Composite request is one call"
    );
    let subs = r.body["compositeResponse"].as_array().unwrap();
    let statuses: Vec<u64> = subs
        .iter()
        .map(|s| s["httpStatusCode"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, [201, 201, 200, 201], "{}", r.body);
    assert_eq!(subs[1]["referenceId"], "newContact");
    let account = subs[0]["body"]["id"].as_str().unwrap();
    assert_eq!(
        subs[0]["httpHeaders"]["Location"],
        format!("/services/data/{V}/sobjects/Account/{account}")
    );
    assert_eq!(
        subs[2]["body"]["records"][0]["Account"]["Name"],
        "Composite Traders"
    );
    let event = subs[3]["body"]["id"].as_str().unwrap();
    let read = get(&t, &format!("/sobjects/Event/{event}")).await;
    assert_eq!(
        read.body["AccountId"], account,
        "the event's account comes from its contact"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn composite_all_or_none_rolls_back_and_halts_the_rest() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let body = |all_or_none: bool| {
        json!({
            "allOrNone": all_or_none,
            "compositeRequest": [
                {"method": "POST", "url": format!("/services/data/{V}/sobjects/Account"), "referenceId": "first", "body": {"Name": format!("Halted {all_or_none}")}},
                {"method": "POST", "url": format!("/services/data/{V}/sobjects/Contact"), "referenceId": "broken", "body": {"FirstName": "No last name"}},
                {"method": "PATCH", "url": format!("/services/data/{V}/sobjects/Contact/@{{broken.id}}"), "referenceId": "dependent", "body": {"Title": "x"}},
                {"method": "GET", "url": format!("/services/data/{V}/limits"), "referenceId": "after"},
            ]
        })
    };
    let r = call(&t, Method::POST, "/composite", Some(body(true))).await;
    let subs = r.body["compositeResponse"].as_array().unwrap();
    assert_eq!(subs[0]["httpStatusCode"], 400);
    assert_eq!(subs[0]["body"][0]["errorCode"], "PROCESSING_HALTED");
    assert_eq!(subs[1]["body"][0]["errorCode"], "REQUIRED_FIELD_MISSING");
    assert_eq!(subs[3]["body"][0]["errorCode"], "PROCESSING_HALTED");
    assert_eq!(
        query(&t, "SELECT Id FROM Account WHERE Name = 'Halted true'").await["totalSize"],
        0
    );

    let r = call(&t, Method::POST, "/composite", Some(body(false))).await;
    let subs = r.body["compositeResponse"].as_array().unwrap();
    assert_eq!(subs[0]["httpStatusCode"], 201);
    assert_eq!(subs[2]["body"][0]["errorCode"], "PROCESSING_HALTED");
    assert!(subs[2]["body"][0]["message"]
        .as_str()
        .unwrap()
        .starts_with("Invalid reference specified."));
    assert_eq!(subs[3]["httpStatusCode"], 200);
    assert_eq!(
        query(&t, "SELECT Id FROM Account WHERE Name = 'Halted false'").await["totalSize"],
        1
    );

    let many: Vec<Value> = (0..26)
        .map(|i| json!({"method": "GET", "url": format!("/services/data/{V}/limits"), "referenceId": format!("r{i}")}))
        .collect();
    let r = call(
        &t,
        Method::POST,
        "/composite",
        Some(json!({"compositeRequest": many})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    sb.shutdown().await;
}
