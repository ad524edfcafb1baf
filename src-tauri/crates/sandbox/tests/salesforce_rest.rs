//! The REST API's frame: versions, error arrays, the `Sforce-Limit-Info` header and the daily
//! budget, describe, sObject Rows and upsert by the Exchange item id external id.

mod common;

use common::salesforce::*;
use common::{http, start, DANIEL, OLIVIA};
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

#[tokio::test]
async fn versions_are_listed_without_a_session_and_others_are_not_found() {
    let sb = start().await;
    let resp = http()
        .get(format!("{}/services/data/", sb.salesforce_instance_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    assert!(
        resp.headers().get("sforce-limit-info").is_none(),
        "the versions call is not counted"
    );
    let versions: Vec<Value> = resp.json().await.unwrap();
    assert!(versions.contains(
        &json!({"label": "Summer '26", "url": "/services/data/v67.0", "version": "67.0"})
    ));
    assert!(versions.iter().any(|v| v["version"] == "31.0"));
    let t = sign_in(&sb, OLIVIA).await;
    let r = get(&t, "/services/data/v30.0/limits").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&r.body), "NOT_FOUND");
    let r = get(&t, "/services/data/v45.0/").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.body["sobjects"], "/services/data/v45.0/sobjects");
    sb.shutdown().await;
}

#[tokio::test]
async fn errors_are_arrays_of_message_error_code_and_fields() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let anonymous = SfTokens {
        access: "00Dbad!token".into(),
        ..sign_in(&sb, OLIVIA).await
    };
    let r = get(&anonymous, "/sobjects").await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
    assert!(r.headers.contains_key("sforce-limit-info"));
    assert_eq!(
        r.body,
        json!([{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}])
    );

    let r = get(&t, "/sobjects/Contact/003000000000000AAA").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&r.body), "NOT_FOUND");
    let r = call(
        &t,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"LastName": "Lee", "Shoe_Size__c": 9})),
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(code(&r.body), "INVALID_FIELD");
    assert_eq!(r.body[0]["fields"], json!(["Shoe_Size__c"]));
    let r = call(
        &t,
        Method::POST,
        "/sobjects/Lead",
        Some(json!({"FirstName": "Ann"})),
    )
    .await;
    assert_eq!(code(&r.body), "REQUIRED_FIELD_MISSING");
    assert_eq!(r.body[0]["fields"], json!(["LastName", "Company"]));
    let r = call(
        &t,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"LastName": "Lee", "Email": "not-an-address"})),
    )
    .await;
    assert_eq!(code(&r.body), "INVALID_EMAIL_ADDRESS");
    let r = call(
        &t,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"LastName": "Lee", "AccountId": "xyz"})),
    )
    .await;
    assert_eq!(code(&r.body), "MALFORMED_ID");
    let r = call(&t, Method::PUT, "/sobjects/Contact", None).await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    sb.shutdown().await;
}

#[tokio::test]
async fn every_call_carries_the_usage_header_and_the_budget_runs_out() {
    let sb = start().await;
    let t = sign_in(&sb, DANIEL).await;
    let first = get(&t, "/limits").await;
    let (used, max) = api_usage(&first);
    assert_eq!(first.body["DailyApiRequests"]["Max"], max);
    assert_eq!(first.body["DailyApiRequests"]["Remaining"], max - used);
    let second = get(&t, "/sobjects/Event/describe").await;
    assert_eq!(api_usage(&second).0, used + 1, "each call counts one");
    // The version list is not counted.
    http()
        .get(format!("{}/services/data/", t.instance_url))
        .send()
        .await
        .unwrap();
    let third = query(&t, "SELECT Id FROM Account LIMIT 1").await;
    assert!(third["records"].is_array());
    let after = get(&t, "/limits").await;
    assert_eq!(api_usage(&after).0, used + 3);

    sb.salesforce_faults().spend_api_budget();
    let refused = get(&t, "/sobjects").await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused.body,
        json!([{"message": "TotalRequests Limit exceeded.", "errorCode": "REQUEST_LIMIT_EXCEEDED"}])
    );
    let (used, max) = api_usage(&refused);
    assert_eq!(used, max);
    sb.shutdown().await;
}

#[tokio::test]
async fn describe_lists_the_exchange_item_id_external_id_on_event() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let global = get(&t, "/sobjects").await;
    let names: Vec<&str> = global.body["sobjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    for name in [
        "Event",
        "Contact",
        "Lead",
        "Account",
        "Opportunity",
        "Case",
        "User",
    ] {
        assert!(names.contains(&name), "{name}");
    }
    let r = get(&t, "/sobjects/Event/describe").await;
    assert_eq!(r.body["keyPrefix"], "00U");
    let fields = r.body["fields"].as_array().unwrap();
    let field = |name: &str| {
        fields
            .iter()
            .find(|f| f["name"] == name)
            .unwrap_or_else(|| panic!("{name}"))
    };
    let ext = field("Onbehalf_Exchange_Id__c");
    assert_eq!(ext["type"], "string");
    assert_eq!(ext["length"], 255);
    assert_eq!(ext["externalId"], true);
    assert_eq!(ext["custom"], true);
    let show_as: Vec<&str> = field("ShowAs")["picklistValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["value"].as_str().unwrap())
        .collect();
    assert_eq!(show_as, ["Busy", "OutOfOffice", "Free"]);
    assert_eq!(field("Subject")["length"], 255);
    assert_eq!(field("Description")["length"], 32000);
    assert_eq!(field("WhoId")["referenceTo"], json!(["Contact", "Lead"]));
    assert_eq!(field("AccountId")["createable"], false);
    sb.shutdown().await;
}

#[tokio::test]
async fn records_are_created_read_updated_and_soft_deleted() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let created = call(
        &t,
        Method::POST,
        "/sobjects/Contact",
        Some(json!({"FirstName": "Ada", "LastName": "Byron", "Email": "ada@example.com"})),
    )
    .await;
    assert_eq!(created.status, StatusCode::CREATED);
    let id = created.body["id"].as_str().unwrap().to_string();
    assert_eq!(
        created.body,
        json!({"id": id, "success": true, "errors": []})
    );
    assert!(id.starts_with("003") && id.len() == 18);

    let read = get(&t, &format!("/sobjects/Contact/{}", &id[..15])).await;
    assert_eq!(read.status, StatusCode::OK, "a 15-character id is accepted");
    assert_eq!(read.body["Name"], "Ada Byron");
    assert_eq!(read.body["OwnerId"], crm_id(OLIVIA).as_str());
    assert_eq!(read.body["CreatedById"], crm_id(OLIVIA).as_str());
    assert_eq!(read.body["attributes"]["type"], "Contact");
    let stamp = read.body["SystemModstamp"].as_str().unwrap().to_string();
    let some = get(&t, &format!("/sobjects/Contact/{id}?fields=Name,Email")).await;
    assert_eq!(some.body.as_object().unwrap().len(), 3, "{}", some.body);

    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let updated = call(
        &t,
        Method::PATCH,
        &format!("/sobjects/Contact/{id}"),
        Some(json!({"Title": "Analyst"})),
    )
    .await;
    assert_eq!(updated.status, StatusCode::NO_CONTENT);
    let read = get(&t, &format!("/sobjects/Contact/{id}")).await;
    assert_eq!(read.body["Title"], "Analyst");
    assert!(read.body["SystemModstamp"].as_str().unwrap() > stamp.as_str());
    assert_eq!(read.body["LastModifiedDate"], read.body["SystemModstamp"]);

    assert_eq!(
        call(&t, Method::DELETE, &format!("/sobjects/Contact/{id}"), None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );
    let gone = get(&t, &format!("/sobjects/Contact/{id}")).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(code(&gone.body), "ENTITY_IS_DELETED");
    let live = query(&t, &format!("SELECT Id FROM Contact WHERE Id = '{id}'")).await;
    assert_eq!(live["totalSize"], 0);
    let all = get(
        &t,
        &format!(
            "/queryAll?q={}",
            urlencode(&format!(
                "SELECT Id, IsDeleted FROM Contact WHERE Id = '{id}'"
            ))
        ),
    )
    .await;
    assert_eq!(all.body["records"][0]["IsDeleted"], true);
    sb.shutdown().await;
}

#[tokio::test]
async fn events_upsert_by_the_exchange_item_id() {
    let sb = start().await;
    let t = sign_in(&sb, OLIVIA).await;
    let path = "/sobjects/Event/Onbehalf_Exchange_Id__c/AAMkAGI2TG93AAA=";
    let first = call(
        &t,
        Method::PATCH,
        path,
        Some(event("Synced from Exchange", 3, 30)),
    )
    .await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", first.body);
    assert_eq!(first.body["created"], true);
    let id = first.body["id"].as_str().unwrap().to_string();
    let again = call(
        &t,
        Method::PATCH,
        path,
        Some(json!({"Subject": "Renamed in Exchange"})),
    )
    .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        again.body,
        json!({"id": id, "success": true, "errors": [], "created": false})
    );
    let read = get(&t, path).await;
    assert_eq!(read.body["Subject"], "Renamed in Exchange");
    // Exchange ids are case-sensitive, and so is the external id.
    let other = call(
        &t,
        Method::PATCH,
        &path
            .to_lowercase()
            .replace("onbehalf_exchange_id__c", "Onbehalf_Exchange_Id__c"),
        Some(event("Another item", 4, 30)),
    )
    .await;
    assert_eq!(other.body["created"], true);
    let duplicate = call(
        &t,
        Method::POST,
        "/sobjects/Event",
        Some(json!({
            "Subject": "Twin", "StartDateTime": "2031-01-01T10:00:00Z", "DurationInMinutes": 30,
            "Onbehalf_Exchange_Id__c": "AAMkAGI2TG93AAA="
        })),
    )
    .await;
    assert_eq!(code(&duplicate.body), "DUPLICATE_VALUE");
    sb.shutdown().await;
}
