//! The request counts a benchmark reads: Graph requests by kind (batches and their members,
//! delta pages with the page size in force, writes) and Salesforce instance requests that
//! wrote records, with the records written.

mod common;

use common::salesforce::{self as sf, crm_id};
use common::{call, call_with, http, start, window, OLIVIA};
use onbehalf_sandbox::{GraphCounts, SalesforceCounts};
use reqwest::{Method, StatusCode};
use serde_json::json;

#[tokio::test]
async fn graph_requests_are_counted_by_kind() {
    let sb = start().await;
    let faults = sb.faults();
    let olivia = common::token_for(&sb, OLIVIA).await;
    assert_eq!(faults.delta_page_size(), None);
    let before = faults.graph_counts();

    // A delta round of two pages of 3, the second page asked inside a batch with a write and
    // a read beside it.
    let delta = format!("/me/calendarView/delta?{}", window(7));
    let (status, _, first) = call_with(
        &sb,
        &olivia,
        Method::GET,
        &delta,
        &[("Prefer", "odata.maxpagesize=3")],
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{first}");
    let next = first["@odata.nextLink"].as_str().unwrap().to_string();
    let relative = next.split_once("/v1.0").unwrap().1.to_string();
    let item = first["value"][0]["id"].as_str().unwrap().to_string();
    let (status, body) = call(
        &sb,
        &olivia,
        Method::POST,
        "/$batch",
        Some(json!({"requests": [
            {"id": "1", "method": "GET", "url": relative,
             "headers": {"Prefer": "odata.maxpagesize=3"}},
            {"id": "2", "method": "PATCH", "url": format!("/me/events/{}", sf::urlencode(&item)),
             "headers": {"Content-Type": "application/json"}, "body": {"categories": ["Blue category"]}},
            {"id": "3", "method": "GET", "url": "/me"},
        ]})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let counted = faults.graph_counts().since(&before);
    assert_eq!(
        counted,
        GraphCounts {
            requests: 2,
            batches: 1,
            batch_members: 3,
            delta_pages: 2,
            writes: 1,
        }
    );
    assert_eq!(faults.delta_page_size(), Some(3));
    assert_eq!(faults.requests_seen(), faults.graph_counts().requests);
}

/// A client in another process (a retrying library) checks its requests through
/// `GET /_sandbox/graph-counts`: a throttled request and its retry count as two.
#[tokio::test]
async fn graph_counts_are_read_over_http_and_count_a_throttled_retry() {
    let sb = start().await;
    let olivia = common::token_for(&sb, OLIVIA).await;
    let counts = || async {
        let resp = http()
            .get(format!("{}/_sandbox/graph-counts", sb.base_url()))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), StatusCode::OK);
        resp.json::<serde_json::Value>().await.unwrap()
    };
    let (status, _) = call(&sb, &olivia, Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::OK);
    let before = counts().await;
    let seen = before["requests"].as_u64().unwrap();
    assert_eq!(seen, sb.faults().graph_counts().requests);
    for key in ["batches", "batch_members", "delta_pages", "writes"] {
        assert!(before[key].is_u64(), "{key}: {before}");
    }

    // The next request is the throttled one; its retry is served.
    sb.faults()
        .throttle_every(u32::try_from(seen + 1).unwrap(), 1);
    let (status, _) = call(&sb, &olivia, Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let (status, _) = call(&sb, &olivia, Method::GET, "/me", None).await;
    assert_eq!(status, StatusCode::OK);
    sb.faults().clear();
    assert_eq!(counts().await["requests"], seen + 2);
}

#[tokio::test]
async fn salesforce_requests_that_write_are_counted_with_their_records() {
    let sb = start().await;
    let faults = sb.salesforce_faults();
    let t = sf::sign_in(&sb, OLIVIA).await;
    let before = faults.counts();

    let owner = crm_id(OLIVIA);
    let records: Vec<_> = (0..3)
        .map(|i| {
            let mut e = sf::event(&format!("Counted {i}"), 2, 30);
            e["attributes"] = json!({"type": "Event"});
            e["OwnerId"] = json!(owner);
            e
        })
        .collect();
    let r = sf::call(
        &t,
        Method::POST,
        "/composite/sobjects",
        Some(json!({"allOrNone": true, "records": records})),
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    sf::query(&t, "SELECT Id FROM Event WHERE Subject LIKE 'Counted %'").await;

    assert_eq!(
        faults.counts().since(&before),
        SalesforceCounts {
            requests: 2,
            write_requests: 1,
            records_written: 3,
        }
    );
}
