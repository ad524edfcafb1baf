//! `$batch` members throttled one by one, `Prefer: odata.maxpagesize` on collections and in
//! batch members, and the documented error shape inside a batch.

mod common;

use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

fn member<'a>(body: &'a Value, id: &str) -> &'a Value {
    body["responses"]
        .as_array()
        .expect("a batch answer has responses")
        .iter()
        .find(|r| r["id"] == id)
        .expect("every member is answered")
}

#[tokio::test]
async fn every_nth_batch_member_is_throttled_while_the_batch_is_200() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    sb.faults().throttle_batch_members_every(2, 3);
    let requests: Vec<Value> = (1..=4)
        .map(|i| json!({"id": i.to_string(), "method": "GET", "url": "/me"}))
        .chain([json!({"id": "5", "method": "GET", "url": "/me/calendar", "dependsOn": ["4"]})])
        .collect();
    let (status, body) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({ "requests": requests })),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_shape(&fixture("batch-response.json"), &body, "batch");
    let statuses: Vec<u64> = (1..=5)
        .map(|i| member(&body, &i.to_string())["status"].as_u64().unwrap())
        .collect();
    assert_eq!(statuses, vec![200, 429, 200, 429, 424]);
    let throttled = member(&body, "2");
    assert_eq!(throttled["headers"]["Retry-After"], "3");
    assert_eq!(throttled["body"]["error"]["code"], "TooManyRequests");
    assert_shape(
        &fixture("error.json"),
        &throttled["body"],
        "throttled member",
    );
    let inner = &throttled["body"]["error"]["innerError"];
    assert!(inner["date"].is_string() && inner["request-id"].is_string());
    assert!(inner["client-request-id"].is_string());

    let resp = http()
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .json(&json!({"clear": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let resp = http()
        .post(format!("{}/_sandbox/faults", sb.base_url()))
        .json(&json!({"throttle_batch_members_every": 1, "retry_after_secs": 9}))
        .send()
        .await
        .unwrap();
    let settings: Value = resp.json().await.unwrap();
    assert_eq!(settings["throttle_batch_members_every"], 1);
    let (_, body) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({"requests": [{"id": "a", "method": "GET", "url": "/me"}]})),
    )
    .await;
    assert_eq!(member(&body, "a")["status"], 429);
    assert_eq!(member(&body, "a")["headers"]["Retry-After"], "9");
    sb.shutdown().await;
}

#[tokio::test]
async fn max_page_size_is_honoured_and_applied_on_collections_and_in_batches() {
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let resp = http()
        .get(format!("{}/me/calendarView?{}", sb.graph_url(), window(30)))
        .bearer_auth(&olivia)
        .header("Prefer", "odata.maxpagesize=3")
        .header("Prefer", "outlook.timezone=\"Pacific Standard Time\"")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    let applied = resp.headers()["preference-applied"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(applied.contains("odata.maxpagesize=3"), "{applied}");
    assert!(
        applied.contains("outlook.timezone=\"Pacific Standard Time\""),
        "{applied}"
    );
    let page: Value = resp.json().await.unwrap();
    assert_eq!(page["value"].as_array().unwrap().len(), 3);
    assert!(page["@odata.nextLink"].is_string());

    let resp = http()
        .get(format!("{}/me/calendars", sb.graph_url()))
        .bearer_auth(&olivia)
        .send()
        .await
        .unwrap();
    assert!(
        resp.headers().get("preference-applied").is_none(),
        "nothing to apply without a Prefer header"
    );

    let (status, body) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({"requests": [
            {"id": "1", "method": "GET", "url": "/me/events",
             "headers": {"Prefer": "odata.maxpagesize=2"}},
            {"id": "2", "method": "GET", "url": "/me/events"}
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let small = member(&body, "1");
    assert_eq!(small["body"]["value"].as_array().unwrap().len(), 2);
    assert_eq!(
        small["headers"]["Preference-Applied"],
        "odata.maxpagesize=2"
    );
    let default = member(&body, "2");
    assert_eq!(default["body"]["value"].as_array().unwrap().len(), 10);
    assert!(default["headers"].get("Preference-Applied").is_none());
    sb.shutdown().await;
}

#[tokio::test]
async fn permission_ids_are_base64_of_descriptive_strings_as_documented() {
    use base64::engine::general_purpose::STANDARD;
    use base64::Engine;
    let sb = start().await;
    let olivia = token_for(&sb, OLIVIA).await;
    let decoded = |id: String| String::from_utf8(STANDARD.decode(id).unwrap()).unwrap();
    assert_eq!(decoded(permission_id(&sb, &olivia, None).await), "Default");
    let daniel = decoded(permission_id(&sb, &olivia, Some(DANIEL)).await);
    assert!(
        daniel.starts_with("/o=ExchangeLabs/ou=Exchange Administrative Group")
            && daniel.ends_with("-daniel.reyes"),
        "{daniel}"
    );
    let (status, created) = call(
        &sb,
        &olivia,
        Method::POST,
        "/me/calendar/calendarPermissions",
        Some(json!({"emailAddress": {"address": "pat.kim@fabrikam.com", "name": "Pat Kim"}, "role": "read"})),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["isInsideOrganization"], false);
    assert_eq!(
        decoded(created["id"].as_str().unwrap().to_string()),
        "ExchangePublishedUser.pat.kim@fabrikam.com"
    );
    let (status, one) = get(
        &sb,
        &olivia,
        &format!(
            "/me/calendar/calendarPermissions/{}",
            created["id"].as_str().unwrap()
        ),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(one["emailAddress"]["address"], "pat.kim@fabrikam.com");
    sb.shutdown().await;
}
