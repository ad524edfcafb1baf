//! `calendar: getSchedule`: Microsoft's documented example answer read into the engine's
//! schedules, per-schedule errors, malformed answers, and the split of large requests against
//! a small in-test server that records what it is sent.

// Test servers and fixtures panic on purpose when a test is wrong.
#![allow(clippy::unwrap_used)]

mod common;

use std::sync::{Arc, Mutex};

use axum::extract::State;
use axum::http::{HeaderMap, Uri};
use axum::response::Response;
use axum::routing::post;
use axum::{Json, Router};
use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Utc, Weekday};
use common::{graph, ok, serve, FakeTokens};
use onbehalf_engine::slots::custom_zone::{CustomZone, DaylightOffset, TransitionRule};
use onbehalf_engine::slots::schedule::{
    FreeBusyStatus, PersonSchedule, ScheduleItem, WorkingHours,
};
use onbehalf_engine::slots::zone::Zone;
use onbehalf_graph::{
    read_schedule_response, GraphError, Mailbox, ScheduleAnswer, ScheduleError,
    MAX_SCHEDULES_PER_CALL,
};
use serde_json::{json, Value};

/// The example response of learn.microsoft.com/graph/api/calendar-getschedule (v1.0).
const DOCUMENTED: &[u8] =
    include_bytes!("../../../../tests/fixtures/graph/getschedule-response.json");

fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn item(status: FreeBusyStatus, start: DateTime<Utc>, end: DateTime<Utc>) -> ScheduleItem {
    ScheduleItem {
        status,
        start,
        end,
        is_private: false,
        is_all_day: false,
    }
}

fn weekdays() -> Vec<Weekday> {
    vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ]
}

/// The example's custom zone: US Pacific time written as Windows rules.
fn customized_pacific() -> CustomZone {
    CustomZone {
        bias: 480,
        standard_offset: Some(TransitionRule {
            month: 11,
            day_occurrence: 1,
            day_of_week: Weekday::Sun,
            time: hm(2, 0),
            year: 0,
        }),
        daylight_offset: Some(DaylightOffset {
            daylight_bias: -60,
            rule: TransitionRule {
                month: 3,
                day_occurrence: 2,
                day_of_week: Weekday::Sun,
                time: hm(2, 0),
                year: 0,
            },
        }),
    }
}

fn ok_schedule(answer: &ScheduleAnswer) -> &PersonSchedule {
    answer
        .schedule
        .as_ref()
        .unwrap_or_else(|e| panic!("{}: {e}", answer.schedule_id))
}

#[test]
fn the_documented_example_reads_into_the_expected_schedules() {
    use FreeBusyStatus::{Busy, Tentative};
    let answers = read_schedule_response(DOCUMENTED).unwrap();
    assert_eq!(answers.len(), 2);

    // 15 March 2019 is in US daylight saving time: Pacific Standard Time is UTC-7 that day.
    let adele = ok_schedule(&answers[0]);
    assert_eq!(
        *adele,
        PersonSchedule {
            schedule_id: "adelev@contoso.onmicrosoft.com".into(),
            items: vec![item(Busy, utc(2019, 3, 15, 19, 0), utc(2019, 3, 15, 21, 0))],
            working_hours: Some(WorkingHours {
                days_of_week: weekdays(),
                start_time: hm(8, 0),
                end_time: hm(17, 0),
                zone: Zone::named("Pacific Standard Time").unwrap(),
            }),
        }
    );
    assert_eq!(
        adele.working_hours.as_ref().unwrap().zone.iana_name(),
        Some("America/Los_Angeles")
    );

    let megan = ok_schedule(&answers[1]);
    assert_eq!(
        *megan,
        PersonSchedule {
            schedule_id: "meganb@contoso.onmicrosoft.com".into(),
            items: vec![
                item(Busy, utc(2019, 3, 15, 15, 30), utc(2019, 3, 15, 16, 30)),
                item(Busy, utc(2019, 3, 15, 19, 0), utc(2019, 3, 15, 21, 0)),
                item(Tentative, utc(2019, 3, 15, 19, 0), utc(2019, 3, 15, 20, 0)),
                item(Busy, utc(2019, 3, 15, 20, 0), utc(2019, 3, 15, 21, 0)),
                item(Tentative, utc(2019, 3, 15, 23, 0), utc(2019, 3, 16, 0, 0)),
            ],
            working_hours: Some(WorkingHours {
                days_of_week: weekdays(),
                start_time: hm(8, 0),
                end_time: hm(17, 0),
                zone: Zone::Custom(customized_pacific()),
            }),
        }
    );
}

#[test]
fn the_documented_custom_zone_keeps_pacific_time() {
    let answers = read_schedule_response(DOCUMENTED).unwrap();
    let zone = &ok_schedule(&answers[1])
        .working_hours
        .as_ref()
        .unwrap()
        .zone;
    let pacific = Zone::named("Pacific Standard Time").unwrap();
    for instant in [
        utc(2019, 1, 15, 12, 0),
        utc(2019, 3, 15, 12, 0),
        utc(2019, 7, 1, 12, 0),
        utc(2019, 11, 20, 12, 0),
    ] {
        assert_eq!(
            zone.offset_at(instant),
            pacific.offset_at(instant),
            "{instant}"
        );
    }
    assert_eq!(
        zone.offset_at(utc(2019, 3, 15, 12, 0)).local_minus_utc(),
        -7 * 3600
    );
    assert_eq!(
        zone.offset_at(utc(2019, 1, 15, 12, 0)).local_minus_utc(),
        -8 * 3600
    );
}

#[test]
fn a_schedule_graph_could_not_read_is_its_own_error() {
    let body = json!({
        "value": [
            {
                "scheduleId": "ghost@contoso.com",
                "availabilityView": "",
                "scheduleItems": [],
                "error": {
                    "message": "The user or resource could not be found.",
                    "responseCode": "ErrorMailRecipientNotFound"
                }
            },
            {
                "scheduleId": "room@contoso.com",
                "availabilityView": "0",
                "scheduleItems": [
                    {
                        "isPrivate": true,
                        "status": "oof",
                        "start": { "dateTime": "2019-03-15T10:00:00.0000000", "timeZone": "UTC" },
                        "end": { "dateTime": "2019-03-15T11:00:00.0000000", "timeZone": "UTC" }
                    }
                ]
            }
        ]
    });
    let answers = read_schedule_response(body.to_string().as_bytes()).unwrap();
    assert_eq!(
        answers[0].schedule,
        Err(ScheduleError::Refused {
            response_code: "ErrorMailRecipientNotFound".into(),
            message: "The user or resource could not be found.".into(),
        })
    );
    let err = answers[0].schedule.as_ref().unwrap_err().to_string();
    assert!(err.contains("ErrorMailRecipientNotFound"), "{err}");
    let room = ok_schedule(&answers[1]);
    assert_eq!(room.working_hours, None);
    assert_eq!(
        room.items,
        [ScheduleItem {
            status: FreeBusyStatus::Oof,
            start: utc(2019, 3, 15, 10, 0),
            end: utc(2019, 3, 15, 11, 0),
            is_private: true,
            is_all_day: false,
        }]
    );
}

fn with_hours(items: Value, zone: Value) -> Vec<u8> {
    json!({
        "value": [{
            "scheduleId": "a@contoso.com",
            "scheduleItems": items,
            "workingHours": {
                "daysOfWeek": ["monday", "tuesday", "wednesday", "thursday", "friday"],
                "startTime": "09:00:00.0000000",
                "endTime": "17:00:00.0000000",
                "timeZone": zone
            }
        }]
    })
    .to_string()
    .into_bytes()
}

fn utc_item(status: &str, start: &str, end: &str) -> Value {
    json!({
        "status": status,
        "start": { "dateTime": start, "timeZone": "UTC" },
        "end": { "dateTime": end, "timeZone": "UTC" }
    })
}

#[test]
fn whole_days_in_the_working_hours_zone_are_all_day() {
    // Asked for in UTC, a Pacific all-day event runs from 08:00 to 08:00 UTC in winter.
    let body = with_hours(
        json!([
            utc_item(
                "oof",
                "2019-01-14T08:00:00.0000000",
                "2019-01-16T08:00:00.0000000"
            ),
            utc_item(
                "busy",
                "2019-01-17T12:00:00.0000000",
                "2019-01-18T12:00:00.0000000"
            ),
            utc_item(
                "busy",
                "2019-01-18T08:00:00.0000000",
                "2019-01-18T16:00:00.0000000"
            ),
        ]),
        json!({ "name": "Pacific Standard Time" }),
    );
    let answers = read_schedule_response(&body).unwrap();
    let flags: Vec<bool> = ok_schedule(&answers[0])
        .items
        .iter()
        .map(|i| i.is_all_day)
        .collect();
    assert_eq!(flags, [true, false, false]);
}

#[test]
fn a_custom_zone_without_daylight_time_and_an_iana_name_are_read() {
    let body = with_hours(
        json!([]),
        json!({
            "@odata.type": "#microsoft.graph.customTimeZone",
            "bias": -330,
            "name": "Customized Time Zone",
            "standardOffset": { "time": "00:00:00.0000000", "dayOccurrence": 0, "dayOfWeek": "sunday", "month": 0, "year": 0 },
            "daylightOffset": { "daylightBias": 0, "time": "00:00:00.0000000", "dayOccurrence": 0, "dayOfWeek": "sunday", "month": 0, "year": 0 }
        }),
    );
    let answers = read_schedule_response(&body).unwrap();
    let zone = &ok_schedule(&answers[0])
        .working_hours
        .as_ref()
        .unwrap()
        .zone;
    assert!(matches!(zone, Zone::Custom(c) if c.bias == -330));
    // Windows' sign: bias -330 is India, UTC+5:30, all year.
    for instant in [utc(2024, 1, 1, 0, 0), utc(2024, 7, 1, 0, 0)] {
        assert_eq!(zone.offset_at(instant).local_minus_utc(), 5 * 3600 + 1800);
    }

    let body = with_hours(json!([]), json!({ "name": "Europe/Berlin" }));
    let answers = read_schedule_response(&body).unwrap();
    let zone = &ok_schedule(&answers[0])
        .working_hours
        .as_ref()
        .unwrap()
        .zone;
    assert_eq!(zone.iana_name(), Some("Europe/Berlin"));
}

#[test]
fn malformed_answers_are_typed_errors() {
    for body in [&b"not json"[..], b"{}", br#"{"value": {}}"#] {
        let err = read_schedule_response(body).unwrap_err();
        assert!(matches!(err, GraphError::Decode { .. }), "{err:?}");
    }
    let err = read_schedule_response(br#"{"value": [{"scheduleItems": []}]}"#).unwrap_err();
    assert!(matches!(err, GraphError::Decode { .. }), "{err:?}");

    let bad = |items: Value, zone: Value| {
        let answers = read_schedule_response(&with_hours(items, zone)).unwrap();
        match &answers[0].schedule {
            Err(ScheduleError::Malformed { detail }) => detail.clone(),
            other => panic!("expected a malformed schedule, got {other:?}"),
        }
    };
    let pacific = json!({ "name": "Pacific Standard Time" });
    let detail = bad(
        json!([utc_item("busy", "yesterday", "2019-01-18T12:00:00")]),
        pacific.clone(),
    );
    assert!(detail.contains("scheduleItems[0]"), "{detail}");
    bad(json!([{ "status": "busy" }]), pacific.clone());
    bad(json!([]), json!({ "name": "Middle Earth Standard Time" }));
    bad(json!([]), json!({}));
    bad(
        json!([]),
        json!({ "bias": 0, "standardOffset": { "time": "25:00", "dayOfWeek": "sunday", "month": 1 } }),
    );
    let mut wrong_day = serde_json::from_slice::<Value>(&with_hours(json!([]), pacific)).unwrap();
    wrong_day["value"][0]["workingHours"]["daysOfWeek"] = json!(["someday"]);
    let answers = read_schedule_response(wrong_day.to_string().as_bytes()).unwrap();
    assert!(matches!(
        answers[0].schedule,
        Err(ScheduleError::Malformed { .. })
    ));
}

/// What the test server was sent: path, `Prefer` header, body.
type Sent = Arc<Mutex<Vec<(String, Option<String>, Value)>>>;

fn local(text: &str) -> DateTime<Utc> {
    NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S")
        .unwrap()
        .and_utc()
}

/// Answers every schedule with one busy hour at the start of the period asked for and one
/// item crossing the end of the first 61 days, except `ghost@…`, which it does not know.
async fn get_schedule(
    State(sent): State<Sent>,
    uri: Uri,
    headers: HeaderMap,
    Json(body): Json<Value>,
) -> Response {
    let prefer = headers
        .get("Prefer")
        .map(|v| v.to_str().unwrap().to_string());
    sent.lock()
        .unwrap()
        .push((uri.path().to_string(), prefer, body.clone()));
    let from = body["startTime"]["dateTime"].as_str().unwrap();
    let start = local(from);
    let edge = utc(2025, 1, 1, 0, 0) + TimeDelta::days(61);
    let write = |t: DateTime<Utc>| t.format("%Y-%m-%dT%H:%M:%S.0000000").to_string();
    let value: Vec<Value> = body["schedules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|id| {
            let id = id.as_str().unwrap();
            if id.starts_with("ghost@") {
                return json!({
                    "scheduleId": id,
                    "availabilityView": "",
                    "scheduleItems": [],
                    "error": { "message": "Not found.", "responseCode": "ErrorMailRecipientNotFound" }
                });
            }
            json!({
                "scheduleId": id.to_uppercase(),
                "availabilityView": "2",
                "scheduleItems": [
                    utc_item("busy", &write(start), &write(start + TimeDelta::hours(1))),
                    utc_item("tentative", &write(edge - TimeDelta::hours(1)), &write(edge + TimeDelta::hours(1))),
                ],
            })
        })
        .collect();
    ok(json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#Collection(microsoft.graph.scheduleInformation)",
        "value": value
    }))
}

#[tokio::test]
async fn many_schedules_over_a_long_period_are_split_and_merged() {
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let base = serve(move |_| {
        Router::new()
            .route(
                "/v1.0/users/{owner}/calendar/getSchedule",
                post(get_schedule),
            )
            .route("/v1.0/me/calendar/getSchedule", post(get_schedule))
            .with_state(s)
    })
    .await;
    let client = graph(&base, FakeTokens::new("t"));
    let mut schedules: Vec<String> = (0..44).map(|i| format!("p{i}@contoso.com")).collect();
    schedules.push("ghost@contoso.com".into());
    schedules.push("P0@contoso.com".into()); // the same address again
    let start = utc(2025, 1, 1, 0, 0);
    let end = start + TimeDelta::days(90);

    let answers = client
        .get_schedule(
            &Mailbox::User("owner@contoso.com".into()),
            &schedules,
            start,
            end,
            30,
        )
        .await
        .unwrap();

    let sent = sent.lock().unwrap().clone();
    // Two windows (61 + 29 days), each asked for in chunks of 20, 20 and 5.
    assert_eq!(sent.len(), 6);
    let sizes: Vec<usize> = sent
        .iter()
        .map(|(_, _, b)| b["schedules"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [20, 20, 5, 20, 20, 5]);
    assert!(sizes.iter().all(|n| *n <= MAX_SCHEDULES_PER_CALL));
    let mut periods: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    for (path, prefer, body) in &sent {
        assert_eq!(path, "/v1.0/users/owner%40contoso.com/calendar/getSchedule");
        assert_eq!(prefer.as_deref(), Some("outlook.timezone=\"UTC\""));
        assert_eq!(body["startTime"]["timeZone"], "UTC");
        assert_eq!(body["endTime"]["timeZone"], "UTC");
        assert_eq!(body["availabilityViewInterval"], 30);
        let period = (
            local(body["startTime"]["dateTime"].as_str().unwrap()),
            local(body["endTime"]["dateTime"].as_str().unwrap()),
        );
        assert!(period.1 - period.0 < TimeDelta::days(62));
        if periods.last() != Some(&period) {
            periods.push(period);
        }
    }
    let edge = start + TimeDelta::days(61);
    assert_eq!(periods, [(start, edge), (edge, end)]);

    // One answer per distinct address, in the order asked.
    assert_eq!(answers.len(), 45);
    assert_eq!(answers[0].schedule_id, "p0@contoso.com");
    assert_eq!(answers[44].schedule_id, "ghost@contoso.com");
    assert!(matches!(
        &answers[44].schedule,
        Err(ScheduleError::Refused { response_code, .. }) if response_code == "ErrorMailRecipientNotFound"
    ));
    for answer in &answers[..44] {
        let p = ok_schedule(answer);
        assert_eq!(p.schedule_id, answer.schedule_id);
        // Each window's first hour, and the item across the windows' edge once.
        assert_eq!(
            p.items,
            [
                item(FreeBusyStatus::Busy, start, start + TimeDelta::hours(1)),
                item(
                    FreeBusyStatus::Tentative,
                    edge - TimeDelta::hours(1),
                    edge + TimeDelta::hours(1)
                ),
                item(FreeBusyStatus::Busy, edge, edge + TimeDelta::hours(1)),
            ],
            "{}",
            answer.schedule_id
        );
    }
}

#[tokio::test]
async fn my_own_calendar_is_called_through_me_and_bad_requests_are_refused_locally() {
    let sent: Sent = Arc::default();
    let s = sent.clone();
    let base = serve(move |_| {
        Router::new()
            .route("/v1.0/me/calendar/getSchedule", post(get_schedule))
            .with_state(s)
    })
    .await;
    let client = graph(&base, FakeTokens::new("t"));
    let start = utc(2025, 1, 1, 0, 0);
    let end = start + TimeDelta::hours(9);
    let answers = client
        .get_schedule(&Mailbox::Me, &["a@contoso.com".into()], start, end, 60)
        .await
        .unwrap();
    assert_eq!(answers.len(), 1);
    assert_eq!(sent.lock().unwrap().len(), 1);
    assert_eq!(
        sent.lock().unwrap()[0].2["startTime"],
        json!({ "dateTime": "2025-01-01T00:00:00", "timeZone": "UTC" })
    );

    let none = client
        .get_schedule(&Mailbox::Me, &[], start, end, 60)
        .await
        .unwrap();
    assert!(none.is_empty());
    for (s, e, interval) in [(end, start, 30), (start, end, 4), (start, end, 1441)] {
        let err = client
            .get_schedule(&Mailbox::Me, &["a@contoso.com".into()], s, e, interval)
            .await
            .unwrap_err();
        assert!(matches!(err, GraphError::Invalid { .. }), "{err:?}");
    }
    assert_eq!(sent.lock().unwrap().len(), 1);
}
