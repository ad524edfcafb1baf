//! `GraphItems`, the engine's `ItemSource` port, against in-test servers answering with the
//! documented example payloads (delta-query-events, event-get, json-batching, errors).

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{NaiveDate, TimeZone, Utc};
use common::{graph, graph_error, ok, serve, FakeTokens};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::item::CREATOR_STAMP_ID;
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::{Marks, PendingShare, LINK_ID, PENDING_ID};
use onbehalf_engine::sync::model::{ItemKey, Recurrence};
use onbehalf_engine::sync::port::{ItemSource, Window};
use onbehalf_graph::GraphItems;
use serde_json::{json, Value};

const ME: &str = "samanthab@contoso.onmicrosoft.com";
const OWNER: &str = "megan.bowen@contoso.com";

fn window() -> Window {
    Window {
        from: Utc.with_ymd_and_hms(2016, 12, 1, 0, 0, 0).unwrap(),
        to: Utc.with_ymd_and_hms(2016, 12, 30, 0, 0, 0).unwrap(),
    }
}

/// An event as delta-query-events shows one, with what `$select` asked for.
fn event(id: &str, subject: &str, day: u32) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.event",
        "@odata.etag": format!("W/\"EZ9r3czxY0m2jz8c45czkwAAFXcv{day}==\""),
        "id": id,
        "changeKey": format!("EZ9r3czxY0m2jz8c45czkwAAFXcv{day}=="),
        "subject": subject,
        "body": {"contentType": "text", "content": ""},
        "start": {"dateTime": format!("2016-12-{day:02}T20:30:00.0000000"), "timeZone": "UTC"},
        "end": {"dateTime": format!("2016-12-{day:02}T22:00:00.0000000"), "timeZone": "UTC"},
        "isAllDay": false,
        "showAs": "busy",
        "sensitivity": "normal",
        "type": "singleInstance",
        "categories": [],
        "attendees": [],
        "organizer": {"emailAddress": {"name": "Samantha Booth", "address": ME}}
    })
}

/// What a server saw.
#[derive(Clone, Default)]
struct Seen {
    requests: Arc<Mutex<Vec<String>>>,
    prefers: Arc<Mutex<Vec<String>>>,
    bodies: Arc<Mutex<Vec<Value>>>,
}

impl Seen {
    fn note(&self, uri: &Uri, headers: &HeaderMap) {
        self.requests.lock().unwrap().push(uri.to_string());
        if let Some(p) = headers.get("prefer").and_then(|v| v.to_str().ok()) {
            self.prefers.lock().unwrap().push(p.to_string());
        }
    }

    fn count(&self, prefix: &str) -> usize {
        self.requests
            .lock()
            .unwrap()
            .iter()
            .filter(|r| r.starts_with(prefix))
            .count()
    }
}

#[derive(Clone)]
struct Server {
    base: String,
    seen: Seen,
}

#[tokio::test]
async fn a_delta_round_reads_changes_again_and_proves_removals() {
    async fn delta(
        State(s): State<Server>,
        uri: Uri,
        headers: HeaderMap,
        Query(q): Query<HashMap<String, String>>,
    ) -> Response {
        s.seen.note(&uri, &headers);
        let link = |kind: &str, token: &str| {
            format!("{}/v1.0/me/calendarView/delta?${kind}={token}", s.base)
        };
        let context = "https://graph.microsoft.com/v1.0/$metadata#Collection(event)";
        match (q.get("$skiptoken"), q.get("$deltatoken")) {
            (None, None) => {
                assert!(q.contains_key("startDateTime") && q.contains_key("endDateTime"));
                ok(json!({
                    "@odata.context": context,
                    "@odata.nextLink": link("skiptoken", "R0usmcCM996atia_s"),
                    "value": [event("AAMkADNVxRAAA=", "Plan shopping list", 9), event("AAMkADVxSAAA=", "Pick up car", 10)]
                }))
            }
            (Some(_), None) => ok(json!({
                "@odata.context": context,
                "@odata.deltaLink": link("deltatoken", "R0usmcMDNGg0J1E"),
                "value": [event("AAMkADj1HuAAA=", "Rest!", 12)]
            })),
            (None, Some(t)) if t == "R0usmcMDNGg0J1E" => ok(json!({
                "@odata.context": context,
                "@odata.deltaLink": link("deltatoken", "R0usmcFuQtZdtpk4"),
                "value": [
                    {"@odata.type": "#microsoft.graph.event", "id": "AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA=", "@removed": {"reason": "deleted"}},
                    // An occurrence, as delta gives it: only a few properties.
                    {"@odata.type": "#microsoft.graph.event", "@odata.etag": "W/\"EZ9r3czxY0m2jz8c45czkwAALZu97w==\"", "id": "AAMkADj1HvAAA=", "type": "occurrence", "seriesMasterId": "AAMkADj1HsAAA="},
                    {"@odata.type": "#microsoft.graph.event", "id": "AAMkADmovedAAA=", "@removed": {"reason": "deleted"}},
                    {"@odata.type": "#microsoft.graph.event", "id": "AAMkADj1HvAAA=", "@odata.etag": "W/\"again\""}
                ]
            })),
            (None, Some(_)) => graph_error(
                StatusCode::GONE,
                "SyncStateNotFound",
                "The sync state generation is not found; generation=149;[highest=157][157][155][156].",
            ),
            (Some(_), Some(_)) => panic!("both tokens"),
        }
    }
    async fn view(State(s): State<Server>, uri: Uri, headers: HeaderMap) -> Response {
        s.seen.note(&uri, &headers);
        ok(json!({"value": [
            event("AAMkADNVxRAAA=", "Plan shopping list", 9),
            event("AAMkADVxSAAA=", "Pick up car", 10),
            event("AAMkADj1HuAAA=", "Rest!", 12)
        ]}))
    }
    async fn batch(State(s): State<Server>, Json(body): Json<Value>) -> Response {
        s.seen.requests.lock().unwrap().push("/v1.0/$batch".into());
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let url = r["url"].as_str().unwrap();
                assert!(url.contains("$expand=singleValueExtendedProperties"), "{url}");
                assert!(r["headers"]["Prefer"].as_str().unwrap().contains("outlook.body-content-type=\"text\""));
                let id = percent_decode(url.split('/').nth(3).unwrap().split('?').next().unwrap());
                let (status, body) = match id.as_str() {
                    "AAMkADj1HvAAA=" => {
                        let mut e = event("AAMkADj1HvAAA=", "Attend service", 25);
                        e["type"] = json!("occurrence");
                        e["seriesMasterId"] = json!("AAMkADj1HsAAA=");
                        e["originalStart"] = json!("2016-12-25T20:30:00Z");
                        e["singleValueExtendedProperties"] = json!([{"id": PENDING_ID, "value": "{\"v\":1,\"requested_by\":\"daniel.reyes@contoso.com\",\"requested_at\":\"2016-12-20T10:00:00Z\"}"}]);
                        (200, e)
                    }
                    "AAMkADmovedAAA=" => (200, event("AAMkADmovedAAA=", "Moved to January", 28)),
                    _ => (404, json!({"error": {"code": "ErrorItemNotFound", "message": "The specified object was not found in the store."}})),
                };
                json!({"id": r["id"], "status": status, "headers": {}, "body": body})
            })
            .collect();
        ok(json!({"responses": responses}))
    }
    let seen = Seen::default();
    let s = seen.clone();
    let base = serve(move |base| {
        Router::new()
            .route("/v1.0/me/calendarView/delta", get(delta))
            .route("/v1.0/me/calendar/calendarView", get(view))
            .route("/v1.0/$batch", post(batch))
            .with_state(Server { base, seen: s })
    })
    .await;
    let items = GraphItems::new(graph(&base, FakeTokens::new("t")), ME);

    let first = items.own_changes(window(), None).await.unwrap();
    assert_eq!(first.changed.len(), 3, "the whole window");
    assert!(first.removed.is_empty());
    assert!(first.cursor.ends_with("$deltatoken=R0usmcMDNGg0J1E"));
    assert_eq!(seen.count("/v1.0/me/calendarView/delta"), 2);
    assert_eq!(seen.count("/v1.0/me/calendar/calendarView"), 1);
    assert!(seen
        .prefers
        .lock()
        .unwrap()
        .iter()
        .all(|p| p.contains("IdType=\"ImmutableId\"") && p.contains("outlook.timezone=\"UTC\"")));

    let next = items
        .own_changes(window(), Some(&first.cursor))
        .await
        .unwrap();
    assert!(next.cursor.ends_with("$deltatoken=R0usmcFuQtZdtpk4"));
    assert_eq!(
        next.removed,
        ["AAMkADk0MGFkODE3LWE4MmYtNDRhOS04OGQLkRkXbBznTvAADb6ytyAAA="],
        "only what is not found again is removed"
    );
    let ids: Vec<&str> = next.changed.iter().map(|i| i.key.id.as_str()).collect();
    assert_eq!(ids, ["AAMkADj1HvAAA=", "AAMkADmovedAAA="], "each once");
    let occurrence = &next.changed[0];
    assert_eq!(occurrence.key.owner, ME);
    assert_eq!(occurrence.fields.subject, "Attend service");
    assert_eq!(
        occurrence.recurrence,
        Recurrence::Occurrence {
            series_id: "AAMkADj1HsAAA=".into(),
            original_start: Utc.with_ymd_and_hms(2016, 12, 25, 20, 30, 0).unwrap(),
            exception: false
        }
    );
    assert_eq!(
        occurrence.pending.as_ref().map(|p| p.requested_by.as_str()),
        Some("daniel.reyes@contoso.com")
    );
    assert_eq!(seen.count("/v1.0/$batch"), 1, "three ids, one batch");

    let err = items
        .own_changes(
            window(),
            Some(&format!(
                "{base}/v1.0/me/calendarView/delta?$deltatoken=old"
            )),
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SourceError::Other { code, .. } if code == "SyncStateNotFound"),
        "{err:?}"
    );
    let elsewhere = items
        .own_changes(
            window(),
            Some("https://attacker.example/v1.0/me/calendarView/delta?$deltatoken=x"),
        )
        .await;
    assert!(
        elsewhere.is_err(),
        "a cursor off the Graph origin is not followed"
    );
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s)
        .decode_utf8()
        .unwrap()
        .into_owned()
}

#[tokio::test]
async fn marks_are_written_with_if_match_and_another_version_is_a_conflict() {
    async fn patch(
        State(s): State<Server>,
        Path((owner, id)): Path<(String, String)>,
        headers: HeaderMap,
        Json(body): Json<Value>,
    ) -> Response {
        assert_eq!(owner, OWNER);
        assert_eq!(id, "AAMk/a+b=", "the id arrives as one segment");
        s.seen.bodies.lock().unwrap().push(body);
        match headers.get("if-match").and_then(|v| v.to_str().ok()) {
            Some("W/\"IiLKjG2I7E+Xv0+ys6MD0wAEd5/kNQ==\"") => {
                let mut e = event(&id, "New Product Regulations Touchpoint", 3);
                e["changeKey"] = json!("IiLKjG2I7E+Xv0+ys6MD0wAEd5/kNg==");
                ok(e)
            }
            _ => graph_error(
                StatusCode::PRECONDITION_FAILED,
                "ErrorIrresolvableConflict",
                "The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.",
            ),
        }
    }
    let seen = Seen::default();
    let s = seen.clone();
    let base = serve(move |base| {
        Router::new()
            .route(
                "/v1.0/users/{owner}/events/{id}",
                axum::routing::patch(patch),
            )
            .with_state(Server { base, seen: s })
    })
    .await;
    let items = GraphItems::new(graph(&base, FakeTokens::new("t")), ME);
    let key = ItemKey {
        owner: OWNER.into(),
        id: "AAMk/a+b=".into(),
    };
    let marks = Marks {
        categories: Some(vec!["CRM".into()]),
        link: Some(None),
        pending: Some(Some(PendingShare {
            v: 1,
            who_id: Some("003xx000004TmiQAAS".into()),
            what_id: None,
            requested_by: "daniel.reyes@contoso.com".into(),
            requested_at: Utc.with_ymd_and_hms(2016, 12, 20, 10, 0, 0).unwrap(),
        })),
    };
    let version = items
        .write_marks(&key, "IiLKjG2I7E+Xv0+ys6MD0wAEd5/kNQ==", &marks)
        .await
        .unwrap();
    assert_eq!(version, "IiLKjG2I7E+Xv0+ys6MD0wAEd5/kNg==");
    let body = seen.bodies.lock().unwrap()[0].clone();
    assert_eq!(body["categories"], json!(["CRM"]));
    let props = body["singleValueExtendedProperties"].as_array().unwrap();
    assert_eq!(
        props[0],
        json!({"id": LINK_ID, "value": ""}),
        "removed: empty"
    );
    assert_eq!(props[1]["id"], PENDING_ID);
    assert!(props[1]["value"]
        .as_str()
        .unwrap()
        .contains("003xx000004TmiQAAS"));

    let err = items
        .write_marks(&key, "IiLKjG2I7E+Xv0+ys6MD0wAEd5/kNQ=", &marks)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, SourceError::Conflict { code, .. } if code == "ErrorIrresolvableConflict"),
        "{err:?}"
    );
    let unchanged = items
        .write_marks(&key, "v7", &Marks::default())
        .await
        .unwrap();
    assert_eq!(unchanged, "v7", "nothing to write, nothing sent");
    assert_eq!(seen.bodies.lock().unwrap().len(), 2);
}

#[tokio::test]
async fn versions_of_many_owners_take_one_batch_per_twenty() {
    async fn batch(State(s): State<Server>, Json(body): Json<Value>) -> Response {
        s.seen.requests.lock().unwrap().push("/v1.0/$batch".into());
        let responses: Vec<Value> = body["requests"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                let url = r["url"].as_str().unwrap();
                assert!(url.contains("/calendar/calendarView?") && url.contains("$select=id%2CchangeKey%2Csensitivity"), "{url}");
                let owner = percent_decode(url.split('/').nth(2).unwrap());
                if owner == "outsider@fabrikam.com" {
                    return json!({"id": r["id"], "status": 403, "headers": {}, "body": {"error": {"code": "ErrorAccessDenied", "message": "Access is denied. Check credentials and try again."}}});
                }
                json!({"id": r["id"], "status": 200, "headers": {}, "body": {"value": [
                    {"@odata.etag": "W/\"ck-1\"", "id": format!("{owner}-1"), "changeKey": "ck-1", "sensitivity": "normal"},
                    {"@odata.etag": "W/\"ck-2\"", "id": format!("{owner}-2"), "sensitivity": "normal"}
                ]}})
            })
            .collect();
        ok(json!({"responses": responses}))
    }
    let seen = Seen::default();
    let s = seen.clone();
    let base = serve(move |base| {
        Router::new()
            .route("/v1.0/$batch", post(batch))
            .with_state(Server { base, seen: s })
    })
    .await;
    let items = GraphItems::new(graph(&base, FakeTokens::new("t")), ME);
    let mut owners: Vec<String> = (0..24).map(|i| format!("owner{i}@contoso.com")).collect();
    owners.insert(5, "outsider@fabrikam.com".into());
    let results = items.versions(&owners, window()).await.unwrap();
    assert_eq!(results.len(), 25);
    assert_eq!(seen.count("/v1.0/$batch"), 2, "⌈25/20⌉ round trips");
    assert!(
        matches!(&results[5], Err(SourceError::AccessDenied { code }) if code == "ErrorAccessDenied")
    );
    let first = results[0].as_ref().unwrap();
    assert_eq!(
        first.items,
        [
            ("owner0@contoso.com-1".to_string(), "ck-1".to_string()),
            ("owner0@contoso.com-2".to_string(), "ck-2".to_string())
        ],
        "the change key, or the one in the etag"
    );
    assert_eq!(
        results[24].as_ref().unwrap().items[0].0,
        "owner23@contoso.com-1"
    );
}

#[tokio::test]
async fn all_day_items_occurrences_and_private_items_map_as_sync_sees_them() {
    async fn view(
        State(s): State<Server>,
        Path(owner): Path<String>,
        uri: Uri,
        headers: HeaderMap,
    ) -> Response {
        s.seen.note(&uri, &headers);
        let q = uri.query().unwrap();
        assert!(q.contains("$top=250") && q.contains("originalStart"), "{q}");
        let mut all_day = event("AAMkAllDay=", "Strategy offsite", 9);
        all_day["isAllDay"] = json!(true);
        all_day["start"] = json!({"dateTime": "2016-12-09T00:00:00.0000000", "timeZone": "UTC"});
        all_day["end"] = json!({"dateTime": "2016-12-11T00:00:00.0000000", "timeZone": "UTC"});
        all_day["showAs"] = json!("free");
        all_day["webLink"] = json!(
            "https://outlook.office365.com/owa/?itemid=AAMkAllDay%3D&exvsurl=1&path=/calendar/item"
        );
        let mut exception = event("AAMkException=", "Leadership (moved)", 13);
        exception["type"] = json!("exception");
        exception["seriesMasterId"] = json!("AAMkSeries=");
        exception["originalStart"] = json!("2016-12-12T15:00:00Z");
        exception["attendees"] = json!([
            {"type": "required", "status": {"response": "organizer", "time": "0001-01-01T00:00:00Z"}, "emailAddress": {"name": "Megan Bowen", "address": OWNER}},
            {"type": "required", "status": {"response": "none", "time": "0001-01-01T00:00:00Z"}, "emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.com"}}
        ]);
        exception["organizer"] = json!({"emailAddress": {"name": "Megan Bowen", "address": OWNER}});
        exception["singleValueExtendedProperties"] =
            json!([{"id": CREATOR_STAMP_ID.to_lowercase(), "value": "daniel.reyes@contoso.com"}]);
        let mut private = event("AAMkPrivate=", "", 14);
        private["sensitivity"] = json!("private");
        let _ = owner;
        ok(json!({"value": [all_day, exception, private]}))
    }
    async fn calendar(
        State(s): State<Server>,
        Path(owner): Path<String>,
        uri: Uri,
        headers: HeaderMap,
    ) -> Response {
        s.seen.note(&uri, &headers);
        ok(
            json!({"id": "AAMkCal", "name": "Calendar", "canViewPrivateItems": owner == "hannah.schmidt@contoso.com"}),
        )
    }
    let seen = Seen::default();
    let s = seen.clone();
    let base = serve(move |base| {
        Router::new()
            .route("/v1.0/users/{owner}/calendar/calendarView", get(view))
            .route("/v1.0/users/{owner}/calendar", get(calendar))
            .with_state(Server { base, seen: s })
    })
    .await;
    let items = GraphItems::new(graph(&base, FakeTokens::new("t")), ME);

    let megan = items.items(OWNER, window()).await.unwrap();
    let ids: Vec<&str> = megan.iter().map(|i| i.key.id.as_str()).collect();
    assert_eq!(
        ids,
        ["AAMkAllDay=", "AAMkException="],
        "her private item is left out"
    );
    let all_day = &megan[0];
    assert_eq!(
        all_day.fields.time,
        EventTime::AllDay {
            first: NaiveDate::from_ymd_opt(2016, 12, 9).unwrap(),
            last: NaiveDate::from_ymd_opt(2016, 12, 10).unwrap()
        }
    );
    assert!(!all_day.fields.show_as_busy);
    assert!(all_day
        .web_link
        .as_deref()
        .unwrap()
        .contains("itemid=AAMkAllDay"));
    let exception = &megan[1];
    assert_eq!(
        exception.attendees,
        ["AdeleV@contoso.com"],
        "the organizer is not an attendee"
    );
    assert_eq!(exception.organizer.as_deref(), Some(OWNER));
    assert!(exception.is_meeting());
    assert_eq!(
        exception.creator.as_deref(),
        Some("daniel.reyes@contoso.com")
    );
    assert!(matches!(
        exception.recurrence,
        Recurrence::Occurrence {
            exception: true,
            ..
        }
    ));

    let hannah = items
        .items("hannah.schmidt@contoso.com", window())
        .await
        .unwrap();
    assert_eq!(hannah.len(), 3);
    assert!(hannah[2].is_private);
    items.items(OWNER, window()).await.unwrap();
    assert_eq!(
        seen.count("/v1.0/users/megan.bowen%40contoso.com/calendar?"),
        1,
        "asked once"
    );
}
