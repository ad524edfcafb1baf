//! `POST /me/calendar/getSchedule` and `/users/{id}/calendar/getSchedule` as Graph documents
//! them (calendar-getschedule, outlook-get-free-busy-schedule), over real HTTP.

mod common;

use chrono::{Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use common::*;
use reqwest::{Method, StatusCode};
use serde_json::{json, Value};

const EASTERN: &str = "Eastern Standard Time";

fn day(offset: i64) -> NaiveDate {
    Utc::now().date_naive() + Duration::days(offset)
}

fn stamp(date: NaiveDate, h: u32, m: u32) -> String {
    format!("{}T{h:02}:{m:02}:00", date.format("%Y-%m-%d"))
}

fn request(schedules: &[&str], start: &str, end: &str, interval: Option<i64>) -> Value {
    let mut body = json!({
        "schedules": schedules,
        "startTime": {"dateTime": start, "timeZone": EASTERN},
        "endTime": {"dateTime": end, "timeZone": EASTERN},
    });
    if let Some(i) = interval {
        body["availabilityViewInterval"] = json!(i);
    }
    body
}

async fn schedule(
    sb: &onbehalf_sandbox::Sandbox,
    token: &str,
    headers: &[(&str, &str)],
    body: Value,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    call_with(
        sb,
        token,
        Method::POST,
        "/me/calendar/getSchedule",
        headers,
        Some(body),
    )
    .await
}

/// The item starting at `local` (as the response writes it), if any.
fn item_at<'a>(info: &'a Value, local: &str) -> Option<&'a Value> {
    info["scheduleItems"].as_array()?.iter().find(|i| {
        i["start"]["dateTime"]
            .as_str()
            .is_some_and(|t| t.starts_with(local))
    })
}

#[tokio::test]
async fn a_delegate_gets_olivias_busy_items_and_working_hours() {
    let sb = start().await;
    let token = token_for(&sb, DANIEL).await;
    let body = request(
        &[OLIVIA, CARLA, HANNAH],
        &stamp(day(1), 0, 0),
        &stamp(day(3), 0, 0),
        None,
    );
    let (status, _, body) = schedule(&sb, &token, &[], body).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#Collection(microsoft.graph.scheduleInformation)"));
    let value = body["value"].as_array().unwrap();
    let ids: Vec<&str> = value
        .iter()
        .map(|v| v["scheduleId"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [OLIVIA, CARLA, HANNAH]);

    let olivia = &value[0];
    let items = olivia["scheduleItems"].as_array().unwrap();
    assert!(items.iter().any(|i| i["status"] == "busy"), "{olivia}");
    // Daniel is her delegate: he sees details of items that are not private.
    let normal = items.iter().find(|i| i["isPrivate"] == false).unwrap();
    assert!(normal["subject"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(normal.get("location").is_some());
    assert_eq!(normal["start"]["timeZone"], "UTC");
    // Two days at the default 30 minutes.
    assert_eq!(
        olivia["availabilityView"].as_str().unwrap().len(),
        2 * 48,
        "{olivia}"
    );

    let hours = &olivia["workingHours"];
    assert_eq!(
        hours["daysOfWeek"],
        json!(["monday", "tuesday", "wednesday", "thursday", "friday"])
    );
    assert_eq!(hours["startTime"], "08:00:00.0000000");
    assert_eq!(hours["endTime"], "17:00:00.0000000");
    assert_eq!(hours["timeZone"], json!({"name": EASTERN}));
    assert_eq!(
        value[1]["workingHours"]["timeZone"]["name"],
        "Pacific Standard Time"
    );
    let custom = &value[2]["workingHours"]["timeZone"];
    assert_eq!(custom["@odata.type"], "#microsoft.graph.customTimeZone");
    assert_eq!(custom["bias"], -60);
    assert_eq!(custom["daylightOffset"]["daylightBias"], -60);
    assert_eq!(custom["standardOffset"]["month"], 10);
}

#[tokio::test]
async fn a_private_item_shows_no_subject() {
    let sb = start().await;
    let prefer = [("Prefer", "outlook.timezone=\"Eastern Standard Time\"")];
    let doctor = stamp(day(2), 7, 30);
    let body = request(&[OLIVIA], &stamp(day(2), 0, 0), &stamp(day(3), 0, 0), None);

    // Daniel may see details (and even private items in Outlook), yet getSchedule gives
    // subject and location only for items of low sensitivity.
    let token = token_for(&sb, DANIEL).await;
    let (status, _, got) = schedule(&sb, &token, &prefer, body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let item = item_at(&got["value"][0], &doctor).unwrap();
    assert_eq!(item["isPrivate"], true);
    assert_eq!(item["status"], "oof");
    assert!(
        item.get("subject").is_none() && item.get("location").is_none(),
        "{item}"
    );

    // Felix holds free/busy only: status and times, nothing else.
    let token = token_for(&sb, FELIX).await;
    let (status, _, got) = schedule(&sb, &token, &prefer, body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    for item in got["value"][0]["scheduleItems"].as_array().unwrap() {
        let mut keys: Vec<&str> = item
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        keys.sort_unstable();
        assert_eq!(keys, ["end", "start", "status"], "{item}");
    }
    assert!(item_at(&got["value"][0], &doctor).is_some());
}

#[tokio::test]
async fn the_availability_view_digits_match_the_items() {
    let sb = start().await;
    let token = token_for(&sb, DANIEL).await;
    let prefer = [("Prefer", "outlook.timezone=\"Eastern Standard Time\"")];
    // The private doctor's appointment (07:30-08:15, out of office) and nothing else before
    // the first slot of the day at 08:30.
    let body = request(
        &[OLIVIA],
        &stamp(day(2), 7, 0),
        &stamp(day(2), 8, 30),
        Some(15),
    );
    let (status, _, got) = schedule(&sb, &token, &prefer, body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["value"][0]["availabilityView"], "003330");

    // Over three days, every digit is the strongest status of the items overlapping its slot.
    let from = day(-1).and_time(NaiveTime::MIN);
    let body = request(
        &[OLIVIA],
        &stamp(day(-1), 0, 0),
        &stamp(day(2), 0, 0),
        Some(60),
    );
    let (status, _, got) = schedule(&sb, &token, &prefer, body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let info = &got["value"][0];
    let view: Vec<char> = info["availabilityView"].as_str().unwrap().chars().collect();
    assert_eq!(view.len(), 72);
    let parse = |v: &Value| {
        chrono::NaiveDateTime::parse_from_str(
            v["dateTime"].as_str().unwrap(),
            "%Y-%m-%dT%H:%M:%S%.f",
        )
        .unwrap()
    };
    let rank = |d: char| match d {
        '0' => 0,
        '4' => 1,
        '1' => 2,
        '2' => 3,
        '3' => 4,
        _ => panic!("digit {d}"),
    };
    let items = info["scheduleItems"].as_array().unwrap();
    assert!(!items.is_empty());
    for (n, digit) in view.iter().enumerate() {
        let slot = from + Duration::hours(n as i64);
        let end = slot + Duration::hours(1);
        let want = items
            .iter()
            .filter(|i| parse(&i["start"]) < end && parse(&i["end"]) > slot)
            .map(|i| match i["status"].as_str().unwrap() {
                "free" | "unknown" => '0',
                "tentative" => '1',
                "busy" => '2',
                "oof" => '3',
                "workingElsewhere" => '4',
                s => panic!("status {s}"),
            })
            .max_by_key(|d| rank(*d))
            .unwrap_or('0');
        assert_eq!(*digit, want, "slot {n} at {slot}");
    }
}

#[tokio::test]
async fn the_documented_limits_are_errors() {
    let sb = start().await;
    let token = token_for(&sb, DANIEL).await;
    let (start_at, end_at) = (stamp(day(1), 0, 0), stamp(day(2), 0, 0));

    let many: Vec<String> = (0..21).map(|n| format!("user{n}@contoso.com")).collect();
    let many: Vec<&str> = many.iter().map(String::as_str).collect();
    let (status, _, got) =
        schedule(&sb, &token, &[], request(&many, &start_at, &end_at, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
    assert_eq!(error_code(&got), "ErrorInvalidParameter");
    let (status, _, got) = schedule(
        &sb,
        &token,
        &[],
        request(&many[..20], &start_at, &end_at, None),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["value"].as_array().unwrap().len(), 20);

    let far = stamp(day(1) + Duration::days(62), 0, 0);
    let (status, _, got) =
        schedule(&sb, &token, &[], request(&[OLIVIA], &start_at, &far, None)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
    assert_eq!(error_code(&got), "ErrorTimeIntervalTooBig");
    let near = stamp(day(1) + Duration::days(61), 0, 0);
    let (status, _, got) = schedule(
        &sb,
        &token,
        &[],
        request(&[OLIVIA], &start_at, &near, Some(1440)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        got["value"][0]["availabilityView"].as_str().unwrap().len(),
        61
    );

    for bad in [4, 1441, 0] {
        let (status, _, got) = schedule(
            &sb,
            &token,
            &[],
            request(&[OLIVIA], &start_at, &end_at, Some(bad)),
        )
        .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {got}");
        assert_eq!(error_code(&got), "ErrorInvalidMergedFreeBusyInterval");
    }
    let (status, _, got) = schedule(
        &sb,
        &token,
        &[],
        request(&[OLIVIA], &start_at, &end_at, Some(5)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        got["value"][0]["availabilityView"].as_str().unwrap().len(),
        288
    );

    let (status, _, got) = schedule(
        &sb,
        &token,
        &[],
        request(&[OLIVIA], &end_at, &start_at, None),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{got}");
    assert_eq!(error_code(&got), "ErrorInvalidTimeInterval");
}

#[tokio::test]
async fn an_unknown_address_gets_its_own_error_while_the_others_answer() {
    let sb = start().await;
    let token = token_for(&sb, NOAH).await;
    let body = request(
        &[OLIVIA, "nobody@contoso.com", CARLA],
        &stamp(day(1), 0, 0),
        &stamp(day(2), 0, 0),
        None,
    );
    let (status, _, got) = schedule(&sb, &token, &[], body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let value = got["value"].as_array().unwrap();
    assert_eq!(value.len(), 3);
    assert_eq!(value[1]["scheduleId"], "nobody@contoso.com");
    assert_eq!(
        value[1]["error"]["responseCode"],
        "ErrorMailRecipientNotFound"
    );
    assert!(value[1]["error"]["message"].as_str().is_some());
    for known in [&value[0], &value[2]] {
        assert!(known.get("error").is_none(), "{known}");
        assert_eq!(known["availabilityView"].as_str().unwrap().len(), 48);
        assert!(known["workingHours"].is_object());
    }
    // Noah has only "My Organization" free/busy on Olivia's calendar.
    for item in value[0]["scheduleItems"].as_array().unwrap() {
        assert!(item.get("subject").is_none() && item.get("isPrivate").is_none());
    }
}

#[tokio::test]
async fn a_calendar_with_no_access_is_a_per_schedule_error() {
    let sb = start().await;
    // Carla's "My Organization" permission set to none: Noah cannot see her at all.
    let carla = token_for(&sb, CARLA).await;
    let org = permission_id(&sb, &carla, None).await;
    let (status, got) = call(
        &sb,
        &carla,
        Method::PATCH,
        &format!("/me/calendar/calendarPermissions/{org}"),
        Some(json!({"role": "none"})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let token = token_for(&sb, NOAH).await;
    let body = request(
        &[CARLA, OLIVIA],
        &stamp(day(1), 0, 0),
        &stamp(day(2), 0, 0),
        None,
    );
    let (status, _, got) = schedule(&sb, &token, &[], body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        got["value"][0]["error"]["responseCode"],
        "ErrorNoFreeBusyAccess"
    );
    assert!(got["value"][1].get("error").is_none());
}

#[tokio::test]
async fn prefer_outlook_timezone_changes_the_zone_of_the_times() {
    let sb = start().await;
    let token = token_for(&sb, DANIEL).await;
    let body = request(&[OLIVIA], &stamp(day(2), 7, 0), &stamp(day(2), 9, 0), None);
    let doctor_utc = chrono_tz::America::New_York
        .from_local_datetime(&day(2).and_hms_opt(7, 30, 0).unwrap())
        .earliest()
        .unwrap()
        .with_timezone(&Utc);

    let (status, headers, got) = schedule(&sb, &token, &[], body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(header(&headers, "Preference-Applied"), "");
    let utc = doctor_utc.format("%Y-%m-%dT%H:%M:%S").to_string();
    let item = item_at(&got["value"][0], &utc).unwrap();
    assert_eq!(item["start"]["timeZone"], "UTC");

    let prefer = [("Prefer", "outlook.timezone=\"Pacific Standard Time\"")];
    let (status, headers, got) = schedule(&sb, &token, &prefer, body).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(
        header(&headers, "Preference-Applied"),
        "outlook.timezone=\"Pacific Standard Time\""
    );
    let pacific = doctor_utc
        .with_timezone(&chrono_tz::America::Los_Angeles)
        .format("%Y-%m-%dT%H:%M:%S")
        .to_string();
    let item = item_at(&got["value"][0], &pacific).unwrap();
    assert_eq!(item["start"]["timeZone"], "Pacific Standard Time");
    assert_eq!(item["end"]["timeZone"], "Pacific Standard Time");
    // Working hours keep the mailbox's own zone.
    assert_eq!(got["value"][0]["workingHours"]["timeZone"]["name"], EASTERN);
}

#[tokio::test]
async fn the_documented_permissions_and_paths_are_enforced() {
    let sb = start().await;
    let body = request(&[OLIVIA], &stamp(day(1), 0, 0), &stamp(day(2), 0, 0), None);
    let basic = sign_in_with(
        &sb,
        NOAH,
        "openid profile offline_access Calendars.ReadBasic",
    )
    .await
    .access;
    let (status, _, got) = schedule(&sb, &basic, &[], body.clone()).await;
    assert_eq!(status, StatusCode::OK, "{got}");
    let profile_only = sign_in_with(&sb, NOAH, "openid profile offline_access User.Read")
        .await
        .access;
    let (status, _, got) = schedule(&sb, &profile_only, &[], body.clone()).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{got}");
    assert_eq!(error_code(&got), "ErrorAccessDenied");

    // By user principal name, and only by POST.
    let token = token_for(&sb, DANIEL).await;
    let (status, got) = call(
        &sb,
        &token,
        Method::POST,
        &format!("/users/{DANIEL}/calendar/getSchedule"),
        Some(body),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{got}");
    assert_eq!(got["value"][0]["scheduleId"], OLIVIA);
    let (status, _) = get(&sb, &token, "/me/calendar/getSchedule").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
}
