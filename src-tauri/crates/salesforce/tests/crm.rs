//! `SalesforceCrm`, the engine's CRM port, against small in-test servers answering like the
//! Salesforce REST API Developer Guide's examples.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use chrono::{DateTime, Duration, NaiveDate, Utc};
use common::{
    client, event_describe, event_json, ok, ok_with_usage, query_page, serve, sf_error, sf_id,
    FakeTokens, DATA, OWNER_ID,
};
use onbehalf_engine::crm::{Changes, Crm, CrmError, CrmEvent, EventTime, RecordKind};
use onbehalf_salesforce::SalesforceCrm;
use serde_json::{json, Value};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn crm(base: &str) -> SalesforceCrm {
    SalesforceCrm::new(client(FakeTokens::new(base, "t")))
        .with_clock(Arc::new(|| at("2026-03-10T12:00:30Z")))
}

fn event(subject: &str) -> CrmEvent {
    CrmEvent {
        id: None,
        owner_id: OWNER_ID.into(),
        subject: subject.into(),
        location: None,
        description: None,
        time: EventTime::Timed {
            start: at("2026-03-11T09:00:00Z"),
            end: at("2026-03-11T10:00:00Z"),
        },
        is_private: false,
        show_as_busy: true,
        who_id: Some("003D000000QbUhTIAV".into()),
        what_id: Some("001D000000IqhSLIAZ".into()),
        external_id: Some(format!("AAMk-{subject}")),
        version: None,
    }
}

#[tokio::test]
async fn created_events_get_their_ids_and_each_refusal_stays_with_its_event() {
    let bodies: Arc<Mutex<Vec<Value>>> = Arc::default();
    let b2 = bodies.clone();
    let base = serve(move |_| {
        // Events made for Exchange items are written by their external id (upsert), so two
        // apps sharing one item at once make one event.
        Router::new()
            .merge(event_describe(true, Arc::default()))
            .route(
            &format!("{DATA}/composite/sobjects/Event/Onbehalf_Exchange_Id__c"),
            patch(move |Json(body): Json<Value>| {
                b2.lock().unwrap().push(body.clone());
                async move {
                    let results: Vec<Value> = body["records"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .enumerate()
                        .map(|(i, r)| {
                            if r["Subject"] == json!("Board") {
                                json!({ "success": false, "errors": [{
                                    "statusCode": "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY",
                                    "message": "insufficient access rights on cross-reference id",
                                    "fields": [] }] })
                            } else {
                                json!({ "id": sf_id("00U", i), "success": true, "errors": [], "created": true })
                            }
                        })
                        .collect();
                    ok(Value::Array(results))
                }
            }),
        )
    })
    .await;
    let mut private = event("Doctor");
    private.is_private = true;
    let mut backwards = event("Backwards");
    backwards.time = EventTime::Timed {
        start: at("2026-03-11T10:00:00Z"),
        end: at("2026-03-11T09:00:00Z"),
    };
    let mut all_day = event("Offsite");
    all_day.time = EventTime::AllDay {
        first: NaiveDate::from_ymd_opt(2026, 3, 12).unwrap(),
        last: NaiveDate::from_ymd_opt(2026, 3, 13).unwrap(),
    };
    let results = crm(&base)
        .create_events(&[event("Review"), backwards, private, event("Board"), all_day])
        .await
        .unwrap();
    assert_eq!(results.len(), 5);
    assert_eq!(results[0], Ok(sf_id("00U", 0)));
    assert!(
        matches!(&results[1], Err(CrmError::Invalid { .. })),
        "{:?}",
        results[1]
    );
    assert_eq!(results[2], Ok(sf_id("00U", 1)));
    assert!(
        matches!(&results[3], Err(CrmError::NoAccessToRelated { .. })),
        "{:?}",
        results[3]
    );
    assert_eq!(results[4], Ok(sf_id("00U", 3)));

    let body = bodies.lock().unwrap()[0].clone();
    let sent = body["records"].as_array().unwrap();
    assert_eq!(
        sent.len(),
        4,
        "the event ending before it starts was not sent"
    );
    assert_eq!(sent[0]["OwnerId"], json!(OWNER_ID));
    assert_eq!(sent[0]["Onbehalf_Exchange_Id__c"], json!("AAMk-Review"));
    assert_eq!(sent[1]["IsPrivate"], json!(true));
    assert_eq!(sent[1]["WhoId"], json!(null));
    assert_eq!(sent[1]["WhatId"], json!(null));
    assert_eq!(sent[3]["IsAllDayEvent"], json!(true));
    assert_eq!(sent[3]["ActivityDate"], json!("2026-03-12"));
    assert_eq!(sent[3]["StartDateTime"], json!("2026-03-12T00:00:00Z"));
    assert_eq!(sent[3]["DurationInMinutes"], json!(2880));
}

#[tokio::test]
async fn each_salesforce_error_code_becomes_what_the_sync_words_for_a_person() {
    type Check = fn(&CrmError) -> bool;
    let table: Vec<(&str, Check)> = vec![
        ("INSUFFICIENT_ACCESS_OR_READONLY", |e| {
            matches!(e, CrmError::NoEditAccess { .. })
        }),
        ("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", |e| {
            matches!(e, CrmError::NoAccessToRelated { .. })
        }),
        ("ENTITY_IS_DELETED", |e| *e == CrmError::Deleted),
        ("NOT_FOUND", |e| *e == CrmError::NotFound),
        (
            "FIELD_INTEGRITY_EXCEPTION",
            |e| matches!(e, CrmError::Invalid { fields, .. } if fields == &["DurationInMinutes"]),
        ),
        (
            "FIELD_CUSTOM_VALIDATION_EXCEPTION",
            |e| matches!(e, CrmError::Rejected { message, .. } if message == "message of FIELD_CUSTOM_VALIDATION_EXCEPTION"),
        ),
        ("STRING_TOO_LONG", |e| matches!(e, CrmError::Invalid { .. })),
        ("UNABLE_TO_LOCK_ROW", |e| {
            matches!(e, CrmError::Transient { .. })
        }),
        (
            "MALFORMED_QUERY",
            |e| matches!(e, CrmError::Other { code, .. } if code == "MALFORMED_QUERY"),
        ),
        (
            "INVALID_FIELD",
            |e| matches!(e, CrmError::Other { code, .. } if code == "INVALID_FIELD"),
        ),
    ];
    let codes: Vec<&'static str> = table.iter().map(|(c, _)| *c).collect();
    let base = serve(move |_| {
        Router::new()
            .merge(event_describe(true, Arc::default()))
            .route(
                &format!("{DATA}/composite/sobjects"),
                axum::routing::patch(move |Json(body): Json<Value>| {
                    let codes = codes.clone();
                    async move {
                        let records = body["records"].as_array().unwrap();
                        assert!(
                            records.iter().all(|r| r.get("OwnerId").is_none()),
                            "an update moved the owner"
                        );
                        // Each record is refused with the code of its place (a locked one is
                        // sent again, alone).
                        let results: Vec<Value> = records
                            .iter()
                            .map(|r| {
                                let n = (0..codes.len())
                                    .find(|n| r["id"] == json!(sf_id("00U", *n)))
                                    .unwrap();
                                let code = codes[n];
                                json!({ "id": null, "success": false, "errors": [{
                            "statusCode": code, "message": format!("message of {code}"),
                            "fields": ["DurationInMinutes"] }] })
                            })
                            .collect();
                        ok(Value::Array(results))
                    }
                }),
            )
    })
    .await;
    let events: Vec<CrmEvent> = (0..table.len())
        .map(|i| CrmEvent {
            id: Some(sf_id("00U", i)),
            ..event("Update")
        })
        .collect();
    let results = crm(&base).update_events(&events).await.unwrap();
    for ((code, check), result) in table.iter().zip(&results) {
        let err = result.as_ref().unwrap_err();
        assert!(check(err), "{code} became {err:?}");
    }
    assert!(results[7].as_ref().unwrap_err().is_retryable());
}

#[tokio::test]
async fn limits_and_the_reserve_become_the_engines_errors() {
    for (message, expected) in [
        ("TotalRequests Limit exceeded.", "budget"),
        (
            "ConcurrentRequests (Concurrent API Requests) Limit exceeded.",
            "throttled",
        ),
    ] {
        let base = serve(move |_| {
            Router::new().route(
                &format!("{DATA}/query/"),
                get(move || async move {
                    sf_error(StatusCode::FORBIDDEN, "REQUEST_LIMIT_EXCEEDED", message)
                }),
            )
        })
        .await;
        let err = crm(&base)
            .find_user("olivia.grant@contoso.com")
            .await
            .unwrap_err();
        match (expected, &err) {
            ("budget", CrmError::BudgetSpent { .. }) => assert!(!err.is_retryable()),
            ("throttled", CrmError::Throttled { .. }) => assert!(err.is_retryable()),
            _ => panic!("{message}: {err:?}"),
        }
    }

    let base = serve(|_| {
        Router::new().route(
            &format!("{DATA}/query/"),
            get(|| async { ok_with_usage(query_page(vec![], 0, None), 95_000, 100_000) }),
        )
    })
    .await;
    let c = crm(&base);
    c.find_user("olivia.grant@contoso.com").await.unwrap();
    assert_eq!(
        c.delete_events(&[sf_id("00U", 1)]).await.unwrap_err(),
        CrmError::ReserveKept {
            reserve_percent: 10
        }
    );
}

#[tokio::test]
async fn events_read_by_id_tell_deleted_from_missing() {
    let base = serve(|_| {
        Router::new()
            .merge(event_describe(true, Arc::default()))
            .route(
                &format!("{DATA}/queryAll/"),
                get(|Query(q): Query<HashMap<String, String>>| async move {
                    let soql = &q["q"];
                    assert!(soql.contains("FROM Event WHERE Id IN ("), "{soql}");
                    assert!(soql.contains("Onbehalf_Exchange_Id__c"), "{soql}");
                    let mut deleted = event_json(&sf_id("00U", 2), "Gone");
                    deleted["IsDeleted"] = json!(true);
                    ok(query_page(
                        vec![event_json(&sf_id("00U", 1), "Here"), deleted],
                        2,
                        None,
                    ))
                }),
            )
    })
    .await;
    // The caller may hold the 15-character form of an id.
    let short = sf_id("00U", 1)[..15].to_string();
    let results = crm(&base)
        .read_events(&[short, sf_id("00U", 2), sf_id("00U", 3), "nonsense".into()])
        .await
        .unwrap();
    let here = results[0].as_ref().unwrap();
    assert_eq!(here.subject, "Here");
    assert_eq!(
        here.version.as_deref(),
        Some("2026-03-01T09:30:00.000+0000")
    );
    assert_eq!(results[1], Err(CrmError::Deleted));
    assert_eq!(results[2], Err(CrmError::NotFound));
    assert_eq!(results[3], Err(CrmError::NotFound));
}

#[derive(Clone, Default)]
struct Changed {
    calls: Arc<AtomicUsize>,
    windows: Arc<Mutex<Vec<(String, String)>>>,
    earliest: Arc<Mutex<Option<&'static str>>>,
    refuse: Arc<Mutex<Option<&'static str>>>,
}

/// Get Updated and Get Deleted, answered as subrequests of one Composite call (the client
/// sends both together).
async fn changes_server(state: Changed) -> String {
    fn updated(s: &Changed, q: &HashMap<String, String>) -> (u16, Value) {
        s.windows
            .lock()
            .unwrap()
            .push((q["start"].clone(), q["end"].clone()));
        if let Some(code) = *s.refuse.lock().unwrap() {
            return (
                400,
                json!([{ "message": "startDate must chronologically precede endDate",
                         "errorCode": code, "fields": [] }]),
            );
        }
        (
            200,
            json!({
                "ids": [sf_id("00U", 1), sf_id("00U", 2)],
                "latestDateCovered": "2026-03-10T12:00:00.000+0000"
            }),
        )
    }
    fn deleted(s: &Changed) -> (u16, Value) {
        let earliest = s
            .earliest
            .lock()
            .unwrap()
            .unwrap_or("2026-02-24T00:00:00.000+0000");
        (
            200,
            json!({
                "deletedRecords": [{ "id": sf_id("00U", 2), "deletedDate": "2026-03-10T11:58:00.000+0000" }],
                "earliestDateAvailable": earliest,
                "latestDateCovered": "2026-03-10T11:59:00.000+0000"
            }),
        )
    }
    async fn composite(State(s): State<Changed>, Json(body): Json<Value>) -> Response {
        s.calls.fetch_add(1, Ordering::SeqCst);
        let answers: Vec<Value> = body["compositeRequest"]
            .as_array()
            .unwrap()
            .iter()
            .map(|sub| {
                let url = sub["url"].as_str().unwrap();
                assert_eq!(sub["method"], json!("GET"));
                let (path, query) = url.split_once('?').unwrap();
                let q: HashMap<String, String> = url::form_urlencoded::parse(query.as_bytes())
                    .into_owned()
                    .collect();
                let (status, body) = match path {
                    p if p == format!("{DATA}/sobjects/Event/updated/") => updated(&s, &q),
                    p if p == format!("{DATA}/sobjects/Event/deleted/") => deleted(&s),
                    other => panic!("unexpected subrequest {other}"),
                };
                json!({ "body": body, "httpHeaders": {}, "httpStatusCode": status,
                        "referenceId": sub["referenceId"] })
            })
            .collect();
        ok(json!({ "compositeResponse": answers }))
    }
    serve(move |_| {
        Router::new()
            .route(&format!("{DATA}/composite"), post(composite))
            .with_state(state)
    })
    .await
}

#[tokio::test]
async fn changes_come_from_get_updated_and_get_deleted_with_the_cursor_they_cover() {
    let state = Changed::default();
    let base = changes_server(state.clone()).await;
    let c = crm(&base);
    let changes = c
        .changes_since(Some(at("2026-03-09T08:00:00Z")))
        .await
        .unwrap();
    assert_eq!(
        changes,
        Changes::Since {
            updated: vec![sf_id("00U", 1)],
            deleted: vec![sf_id("00U", 2)],
            cursor: at("2026-03-10T11:59:00Z"),
        }
    );
    assert_eq!(
        state.windows.lock().unwrap()[0],
        (
            "2026-03-09T08:00:00Z".to_string(),
            "2026-03-10T12:00:30Z".to_string()
        )
    );

    // No cursor: start from now. A cursor within the minute: nothing to ask.
    assert_eq!(
        c.changes_since(None).await.unwrap(),
        Changes::Since {
            updated: vec![],
            deleted: vec![],
            cursor: at("2026-03-10T12:00:30Z")
        }
    );
    let calls = state.calls.load(Ordering::SeqCst);
    c.changes_since(Some(at("2026-03-10T12:00:00Z")))
        .await
        .unwrap();
    assert_eq!(state.calls.load(Ordering::SeqCst), calls);
}

#[tokio::test]
async fn a_cursor_older_than_salesforce_keeps_changes_asks_for_a_full_reconcile() {
    let state = Changed::default();
    let base = changes_server(state.clone()).await;
    let c = crm(&base);
    // Get Deleted reaches 15 days back; this is 16.
    let old = at("2026-03-10T12:00:30Z") - Duration::days(16);
    assert_eq!(c.changes_since(Some(old)).await.unwrap(), Changes::TooOld);
    assert_eq!(state.calls.load(Ordering::SeqCst), 0, "asked anyway");

    // The delete log was purged after the cursor.
    *state.earliest.lock().unwrap() = Some("2026-03-08T00:00:00.000+0000");
    assert_eq!(
        c.changes_since(Some(at("2026-03-05T00:00:00Z")))
            .await
            .unwrap(),
        Changes::TooOld
    );

    *state.refuse.lock().unwrap() = Some("INVALID_REPLICATION_DATE");
    assert_eq!(
        c.changes_since(Some(at("2026-03-09T00:00:00Z")))
            .await
            .unwrap(),
        Changes::TooOld
    );
}

#[tokio::test]
async fn addresses_are_matched_with_escaped_soql_in_one_composite_call() {
    let queries: Arc<Mutex<Vec<String>>> = Arc::default();
    let q2 = queries.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/composite"),
            post(move |Json(body): Json<Value>| {
                let q2 = q2.clone();
                async move {
                    let mut answers = Vec::new();
                    for sub in body["compositeRequest"].as_array().unwrap() {
                        let url = url::Url::parse(&format!("http://x{}", sub["url"].as_str().unwrap())).unwrap();
                        let soql = url.query_pairs().find(|(k, _)| k == "q").unwrap().1.to_string();
                        q2.lock().unwrap().push(soql.clone());
                        let records = if soql.contains("FROM Contact") {
                            vec![json!({ "attributes": {"type": "Contact"}, "Id": "003D000000QbUhTIAV",
                                         "Name": "Rose O'Neil", "Email": "o'neil@edge.com",
                                         "Account": { "Name": "Edge Communications" } })]
                        } else {
                            vec![json!({ "attributes": {"type": "Lead"}, "Id": "00QD000000QbUhTIAV",
                                         "Name": "Bertha Boxer", "Email": "back\\slash@fcof.net",
                                         "Company": "Farmers Coop. of Florida" })]
                        };
                        answers.push(json!({ "body": query_page(records, 1, None), "httpHeaders": {},
                                             "httpStatusCode": 200, "referenceId": sub["referenceId"] }));
                    }
                    ok(json!({ "compositeResponse": answers }))
                }
            }),
        )
    })
    .await;
    let found = crm(&base)
        .match_addresses(&[
            "O'Neil@edge.com".into(),
            "back\\slash@fcof.net".into(),
            "o'neil@edge.com".into(),
            "not an address".into(),
        ])
        .await
        .unwrap();
    let q = queries.lock().unwrap().clone();
    assert_eq!(q.len(), 2, "{q:?}");
    assert_eq!(
        q[0],
        r"SELECT Id, Name, Email, Account.Name FROM Contact WHERE Email IN ('back\\slash@fcof.net', 'o\'neil@edge.com')"
    );
    assert!(
        q[1].starts_with("SELECT Id, Name, Email, Company FROM Lead WHERE Email IN ("),
        "{}",
        q[1]
    );
    assert!(q[1].ends_with("AND IsConverted = false"), "{}", q[1]);
    assert_eq!(found.len(), 2);
    assert_eq!(found[0].kind, RecordKind::Contact);
    assert_eq!(found[0].account.as_deref(), Some("Edge Communications"));
    assert_eq!(found[1].kind, RecordKind::Lead);
}

#[tokio::test]
async fn search_asks_every_linkable_kind_and_a_single_letter_asks_nothing() {
    let bodies: Arc<Mutex<Vec<Value>>> = Arc::default();
    let b2 = bodies.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/parameterizedSearch/"),
            post(move |Json(body): Json<Value>| {
                b2.lock().unwrap().push(body);
                async {
                    ok(json!({ "searchRecords": [
                        { "attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/001D000000IqhSLIAZ"},
                          "Id": "001D000000IqhSLIAZ", "Name": "Acme" },
                        { "attributes": {"type": "Case"}, "Id": "500D000000QbUhTIAV", "CaseNumber": "00001026",
                          "Subject": "Acme printer jam", "Status": "Working", "Account": {"Name": "Acme"} }
                    ], "metadata": {} }))
                }
            }),
        )
    })
    .await;
    let c = crm(&base);
    let found = c.search("Acm").await.unwrap();
    assert_eq!(found.len(), 2);
    assert_eq!(found[1].kind, RecordKind::Case);
    assert_eq!(found[1].number.as_deref(), Some("00001026"));
    let body = bodies.lock().unwrap()[0].clone();
    assert_eq!(body["q"], json!("Acm*"));
    let names: Vec<&str> = body["sobjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["Contact", "Lead", "Account", "Opportunity", "Case"]);

    assert!(c.search("A").await.unwrap().is_empty());
    assert_eq!(bodies.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn record_access_is_asked_200_ids_at_a_time_and_unseen_records_have_none() {
    let queries: Arc<Mutex<Vec<String>>> = Arc::default();
    let q2 = queries.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/query/"),
            get(move |Query(q): Query<HashMap<String, String>>| {
                q2.lock().unwrap().push(q["q"].clone());
                async move {
                    let soql = q["q"].clone();
                    let rows: Vec<Value> = (0..250)
                        .map(|i| sf_id("00U", i))
                        .filter(|id| soql.contains(id.as_str()) && id != &sf_id("00U", 7))
                        .map(|id| {
                            json!({ "attributes": {"type": "UserRecordAccess"}, "RecordId": id,
                                          "HasReadAccess": true, "HasEditAccess": id == sf_id("00U", 3),
                                          "HasDeleteAccess": false, "MaxAccessLevel": "Read" })
                        })
                        .collect();
                    let n = rows.len();
                    ok(query_page(rows, n, None))
                }
            }),
        )
    })
    .await;
    let ids: Vec<String> = (0..250).map(|i| sf_id("00U", i)).collect();
    let access = crm(&base).access(OWNER_ID, &ids).await.unwrap();
    let q = queries.lock().unwrap().clone();
    assert_eq!(q.len(), 2);
    assert!(
        q[0].contains(&format!("WHERE UserId = '{OWNER_ID}' AND RecordId IN (")),
        "{}",
        q[0]
    );
    assert_eq!(access.len(), 250);
    assert_eq!(access[3].0, sf_id("00U", 3));
    assert!(access[3].1.read && access[3].1.edit);
    assert!(access[4].1.read && !access[4].1.edit);
    assert!(
        !access[7].1.read,
        "a record Salesforce left out has no access"
    );
}

#[tokio::test]
async fn the_budget_comes_from_limits_or_from_the_refusals_header() {
    let base = serve(|_| {
        Router::new().route(
            &format!("{DATA}/limits"),
            get(|| async {
                ok(json!({ "DailyApiRequests": { "Max": 15000, "Remaining": 14998 } }))
            }),
        )
    })
    .await;
    let b = crm(&base).budget().await.unwrap();
    assert_eq!((b.remaining, b.max), (14_998, 15_000));

    let base = serve(|_| {
        Router::new().route(
            &format!("{DATA}/limits"),
            get(|| async {
                let mut r = sf_error(
                    StatusCode::FORBIDDEN,
                    "INSUFFICIENT_ACCESS",
                    "insufficient access rights on object id",
                );
                r.headers_mut()
                    .insert("Sforce-Limit-Info", "api-usage=120/5000".parse().unwrap());
                r
            }),
        )
    })
    .await;
    let b = crm(&base).budget().await.unwrap();
    assert_eq!((b.remaining, b.max), (4_880, 5_000));
}

#[tokio::test]
async fn the_owners_user_and_events_are_found_by_quoted_values() {
    let queries: Arc<Mutex<Vec<String>>> = Arc::default();
    let q2 = queries.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/query/"),
            get(move |Query(q): Query<HashMap<String, String>>| {
                q2.lock().unwrap().push(q["q"].clone());
                async move {
                    if q["q"].contains("FROM User") {
                        ok(query_page(vec![json!({ "attributes": {"type": "User"}, "Id": OWNER_ID,
                            "Name": "Olivia Grant", "Email": "olivia.grant@contoso.com", "IsActive": true })], 1, None))
                    } else {
                        ok(query_page(vec![json!({ "attributes": {"type": "Event"}, "Id": sf_id("00U", 9) })], 1, None))
                    }
                }
            }),
        )
    })
    .await;
    let c = crm(&base);
    let user = c
        .find_user("olivia.grant@contoso.com' OR Name != '")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.id, OWNER_ID);
    assert!(user.active);
    assert_eq!(c.events_of(OWNER_ID, 5).await.unwrap(), [sf_id("00U", 9)]);
    let q = queries.lock().unwrap().clone();
    assert!(
        q[0].contains(r"WHERE Email = 'olivia.grant@contoso.com\' OR Name != \''"),
        "{}",
        q[0]
    );
    assert!(
        q[1].ends_with(&format!(
            "WHERE OwnerId = '{OWNER_ID}' ORDER BY StartDateTime DESC LIMIT 5"
        )),
        "{}",
        q[1]
    );
}

#[tokio::test]
async fn an_org_without_onbehalfs_field_is_never_sent_it_and_finds_no_event_by_item() {
    let described = Arc::new(AtomicUsize::new(0));
    let bodies: Arc<Mutex<Vec<Value>>> = Arc::default();
    let (d2, b2) = (described.clone(), bodies.clone());
    let base = serve(move |_| {
        let b3 = b2.clone();
        Router::new()
            .merge(event_describe(false, d2))
            .route(
                &format!("{DATA}/composite/sobjects"),
                post(move |Json(body): Json<Value>| {
                    b2.lock().unwrap().push(body.clone());
                    async move {
                        let n = body["records"].as_array().unwrap().len();
                        ok(Value::Array(
                            (0..n)
                                .map(|i| json!({"id": sf_id("00U", i), "success": true, "errors": []}))
                                .collect(),
                        ))
                    }
                }),
            )
            .route(
                &format!("{DATA}/queryAll/"),
                get(move |Query(q): Query<HashMap<String, String>>| {
                    b3.lock().unwrap().push(json!({"soql": q["q"]}));
                    let mut row = event_json(&sf_id("00U", 1), "Here");
                    row.as_object_mut().unwrap().remove("Onbehalf_Exchange_Id__c");
                    async move { ok(query_page(vec![row], 1, None)) }
                }),
            )
    })
    .await;
    let crm = crm(&base);
    assert!(!crm.keeps_item_ids().await.unwrap());
    // Plain creates, without the field (an upsert by it would be refused).
    let made = crm
        .create_events(&[event("Review"), event("Board")])
        .await
        .unwrap();
    assert_eq!(made, [Ok(sf_id("00U", 0)), Ok(sf_id("00U", 1))]);
    let read = crm.read_events(&[sf_id("00U", 1)]).await.unwrap();
    assert_eq!(read[0].as_ref().unwrap().external_id, None);
    assert!(crm
        .events_for_items(&["AAMk-Review".into()])
        .await
        .unwrap()
        .is_empty());
    let sent = bodies.lock().unwrap().clone();
    assert_eq!(sent.len(), 2, "one create, one read: {sent:?}");
    for record in sent[0]["records"].as_array().unwrap() {
        assert!(record.get("Onbehalf_Exchange_Id__c").is_none(), "{record}");
    }
    let soql = sent[1]["soql"].as_str().unwrap();
    assert!(!soql.contains("Onbehalf_Exchange_Id__c"), "{soql}");
    assert_eq!(described.load(Ordering::SeqCst), 1, "asked once");
}

#[tokio::test]
async fn the_events_a_user_made_on_a_calendar_since_a_time_are_asked_for_in_one_query() {
    let soqls: Arc<Mutex<Vec<String>>> = Arc::default();
    let s2 = soqls.clone();
    let base = serve(move |_| {
        Router::new()
            .merge(event_describe(true, Arc::default()))
            .route(
                &format!("{DATA}/query/"),
                get(move |Query(q): Query<HashMap<String, String>>| {
                    s2.lock().unwrap().push(q["q"].clone());
                    async move {
                        ok(query_page(
                            vec![event_json(&sf_id("00U", 4), "Pricing call")],
                            1,
                            None,
                        ))
                    }
                }),
            )
    })
    .await;
    let made = crm(&base)
        .made_since(OWNER_ID, common::USER_ID, at("2026-03-10T11:45:00Z"))
        .await
        .unwrap();
    assert_eq!(made.len(), 1);
    assert_eq!(made[0].subject, "Pricing call");
    let soql = soqls.lock().unwrap()[0].clone();
    for part in [
        format!("OwnerId = '{OWNER_ID}'"),
        format!("CreatedById = '{}'", common::USER_ID),
        "CreatedDate >= 2026-03-10T11:45:00Z".to_string(),
        "ORDER BY CreatedDate".to_string(),
    ] {
        assert!(soql.contains(&part), "{part} in {soql}");
    }
}

#[tokio::test]
async fn assigned_permission_sets_are_read_by_a_quoted_id_without_the_profiles_own() {
    let queries: Arc<Mutex<Vec<String>>> = Arc::default();
    let q2 = queries.clone();
    let base = serve(move |_| {
        Router::new().route(
            &format!("{DATA}/query/"),
            get(move |Query(q): Query<HashMap<String, String>>| {
                q2.lock().unwrap().push(q["q"].clone());
                let assignment = |n: usize, name: &str| {
                    let id = sf_id("0Pa", n);
                    let set = sf_id("0PS", n);
                    json!({
                        "attributes": {"type": "PermissionSetAssignment",
                                       "url": format!("{DATA}/sobjects/PermissionSetAssignment/{id}")},
                        "PermissionSet": {
                            "attributes": {"type": "PermissionSet",
                                           "url": format!("{DATA}/sobjects/PermissionSet/{set}")},
                            "Name": name
                        }
                    })
                };
                async move {
                    ok(query_page(
                        vec![
                            assignment(1, "Onbehalf_Calendar_Only"),
                            assignment(2, "Onbehalf_Assistant"),
                            assignment(3, "Onbehalf_Assistant"),
                        ],
                        3,
                        None,
                    ))
                }
            }),
        )
    })
    .await;
    let c = crm(&base);
    assert_eq!(
        c.profile_names(OWNER_ID).await.unwrap(),
        ["Onbehalf_Assistant", "Onbehalf_Calendar_Only"]
    );
    // Not an id: nothing is asked.
    assert_eq!(
        c.profile_names("005' OR Name != '").await.unwrap_err(),
        CrmError::NotFound
    );
    let q = queries.lock().unwrap().clone();
    assert_eq!(
        q,
        [format!(
            "SELECT PermissionSet.Name FROM PermissionSetAssignment WHERE AssigneeId = \
             '{OWNER_ID}' AND PermissionSet.IsOwnedByProfile = false"
        )]
    );
}
