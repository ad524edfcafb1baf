//! `POST /me/calendar/getSchedule` and `POST /users/{id|userPrincipalName}/calendar/getSchedule`
//! (calendar-getschedule): the free/busy availability of up to 20 mailboxes over a period of
//! less than 62 days, one `scheduleInformation` per requested address, in the order asked.
//!
//! Each mailbox is read as the signed-in user sees its default calendar, through the calendar
//! permissions the sandbox models (outlook-get-free-busy-schedule, "Event data returned"):
//! - no access at all (role `None`): a per-schedule `error`, the others still answer;
//! - free/busy only ("My Organization" `AvailabilityOnly`, Contributor): `status`, `start` and
//!   `end` of each item;
//! - more (Limited Details and up, or the owner): also `isPrivate`, and `subject` and
//!   `location` of items of low sensitivity (`normal` or `personal`).
//!
//! Times are in the `Prefer: outlook.timezone` zone, UTC without one. `availabilityView` has a
//! digit per `availabilityViewInterval` minutes from `startTime` (`0` free, `1` tentative, `2`
//! busy, `3` out of office, `4` working elsewhere, from the scheduleInformation resource),
//! each slot showing the strongest status of the items overlapping it.

use axum::http::StatusCode;
use chrono::{DateTime, Duration, Utc};
use chrono_tz::Tz;
use serde_json::{json, Map, Value};

use super::access;
use super::error::GraphError;
use super::items::{self, Item};
use super::{Ctx, GraphResult, Reply};
use crate::roles::ReadAccess;
use crate::state::{State, WorkingHours, WorkingZone, ZoneTransition};
use crate::tz;

/// "getSchedule can support looking up free/busy information for up to 20 entities at once."
const MAX_SCHEDULES: usize = 20;
/// "The time period to look up must be less than 62 days."
const MAX_DAYS: i64 = 62;
/// "The default is 30 minutes, minimum is 5, maximum is 1440."
const DEFAULT_INTERVAL: i64 = 30;
const INTERVALS: std::ops::RangeInclusive<i64> = 5..=1440;

/// What the caller may see of one mailbox's schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Sight {
    FreeBusy,
    Details,
}

/// A body property, matched without regard to case: Graph's own concept page sends
/// `Schedules`, `StartTime` and `EndTime`.
fn field<'a>(body: &'a Map<String, Value>, name: &str) -> Option<&'a Value> {
    body.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
        .filter(|v| !v.is_null())
}

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "ErrorInvalidParameter", message)
}

/// A `dateTimeTimeZone` of the request, as an instant.
fn instant(body: &Map<String, Value>, name: &str) -> Result<DateTime<Utc>, GraphError> {
    let v =
        field(body, name).ok_or_else(|| invalid(format!("The parameter '{name}' is missing.")))?;
    let text = v
        .get("dateTime")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(format!("The parameter '{name}' has no dateTime.")))?;
    let local = tz::parse_local(text).ok_or_else(|| {
        invalid(format!(
            "The value '{text}' of parameter '{name}' is invalid."
        ))
    })?;
    let zone_name = v
        .get("timeZone")
        .and_then(Value::as_str)
        .filter(|z| !z.trim().is_empty())
        .unwrap_or("UTC");
    let zone = tz::resolve(zone_name).ok_or_else(|| {
        GraphError::bad_request(format!(
            "A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zone_name}'."
        ))
    })?;
    Ok(tz::to_utc(local, zone))
}

/// `availabilityViewInterval`: a number, or a number in a string as the concept page sends it.
fn interval(body: &Map<String, Value>) -> Result<i64, GraphError> {
    let bad = || {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidMergedFreeBusyInterval",
            "The specified merged free/busy interval is not valid. Specify an interval that is less than the free/busy time window and between 5 and 1440 minutes.",
        )
    };
    let minutes = match field(body, "availabilityViewInterval") {
        None => DEFAULT_INTERVAL,
        Some(Value::Number(n)) => n.as_i64().ok_or_else(bad)?,
        Some(Value::String(s)) => s.trim().parse::<i64>().map_err(|_| bad())?,
        Some(_) => return Err(bad()),
    };
    if INTERVALS.contains(&minutes) {
        Ok(minutes)
    } else {
        Err(bad())
    }
}

/// The request, checked.
struct Request {
    schedules: Vec<String>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    interval: i64,
}

fn parse(body: Option<&Value>) -> Result<Request, GraphError> {
    let body = body
        .and_then(Value::as_object)
        .ok_or_else(|| GraphError::bad_request("The request body must be a JSON object."))?;
    let schedules = field(body, "schedules")
        .and_then(Value::as_array)
        .ok_or_else(|| {
            invalid("The parameter 'schedules' must be a collection of SMTP addresses.")
        })?
        .iter()
        .map(|s| {
            s.as_str().map(|a| a.trim().to_string()).ok_or_else(|| {
                invalid("The parameter 'schedules' must be a collection of SMTP addresses.")
            })
        })
        .collect::<Result<Vec<String>, GraphError>>()?;
    if schedules.len() > MAX_SCHEDULES {
        return Err(invalid(format!(
            "Too many schedules were requested: {}. getSchedule looks up at most {MAX_SCHEDULES} at once.",
            schedules.len()
        )));
    }
    let from = instant(body, "startTime")?;
    let to = instant(body, "endTime")?;
    if to <= from {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidTimeInterval",
            "The time duration specified for FreeBusyViewOptions.TimeWindow is invalid.",
        ));
    }
    if to - from >= Duration::days(MAX_DAYS) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorTimeIntervalTooBig",
            format!("The time interval specified is too big. The time period to look up must be less than {MAX_DAYS} days."),
        ));
    }
    let interval = interval(body)?;
    if Duration::minutes(interval) > to - from {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidMergedFreeBusyInterval",
            "The specified merged free/busy interval is not valid. Specify an interval that is less than the free/busy time window and between 5 and 1440 minutes.",
        ));
    }
    Ok(Request {
        schedules,
        from,
        to,
        interval,
    })
}

/// The per-schedule `freeBusyError`, with Exchange's availability response codes.
fn schedule_error(id: &str, code: &str, message: String) -> Value {
    json!({
        "scheduleId": id,
        "error": {"message": message, "responseCode": code},
    })
}

/// A `freeBusyStatus` and its `availabilityView` digit; the rank orders statuses for merging.
fn status_of(show_as: &str) -> (&'static str, char, u8) {
    match show_as {
        "free" => ("free", '0', 0),
        "workingElsewhere" => ("workingElsewhere", '4', 1),
        "tentative" => ("tentative", '1', 2),
        "oof" => ("oof", '3', 4),
        "unknown" => ("unknown", '0', 0),
        _ => ("busy", '2', 3),
    }
}

fn date_time_zone(t: DateTime<Utc>, zone: &(String, Tz)) -> Value {
    json!({
        "dateTime": tz::format_local(tz::from_utc(t, zone.1)),
        "timeZone": zone.0,
    })
}

fn time_of_day(t: chrono::NaiveTime) -> String {
    format!("{}.0000000", t.format("%H:%M:%S"))
}

fn transition(t: &ZoneTransition) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("time".into(), json!(time_of_day(t.time)));
    m.insert("dayOccurrence".into(), json!(t.day_occurrence));
    m.insert("dayOfWeek".into(), json!(t.day_of_week));
    m.insert("month".into(), json!(t.month));
    m.insert("year".into(), json!(t.year));
    m
}

/// Graph `workingHours`.
pub(crate) fn working_hours_json(w: &WorkingHours) -> Value {
    let time_zone = match &w.time_zone {
        WorkingZone::Named(name) => json!({ "name": name }),
        WorkingZone::Custom(c) => {
            let mut daylight = transition(&c.daylight);
            daylight.insert("daylightBias".into(), json!(c.daylight_bias));
            json!({
                "@odata.type": "#microsoft.graph.customTimeZone",
                "bias": c.bias,
                "name": c.name,
                "standardOffset": transition(&c.standard),
                "daylightOffset": daylight,
            })
        }
    };
    json!({
        "daysOfWeek": w.days_of_week,
        "startTime": time_of_day(w.start),
        "endTime": time_of_day(w.end),
        "timeZone": time_zone,
    })
}

fn schedule_item(item: &Item<'_>, sight: Sight, zone: &(String, Tz)) -> Value {
    let (status, _, _) = status_of(item.show_as());
    let mut m = Map::new();
    if sight == Sight::Details {
        m.insert("isPrivate".into(), json!(item.is_private()));
    }
    m.insert("status".into(), json!(status));
    // Subject and location only for items of low sensitivity ("normal or personal").
    if sight == Sight::Details && matches!(item.ev.sensitivity.as_str(), "normal" | "personal") {
        m.insert("subject".into(), json!(item.subject()));
        m.insert("location".into(), json!(item.location()));
    }
    m.insert("start".into(), date_time_zone(item.start_utc(), zone));
    m.insert("end".into(), date_time_zone(item.end_utc(), zone));
    Value::Object(m)
}

/// The merged view: per slot, the strongest status among the items overlapping it.
fn availability_view(found: &[Item<'_>], req: &Request) -> String {
    let step = Duration::minutes(req.interval);
    let mut out = String::new();
    let mut slot = req.from;
    while slot < req.to {
        let end = (slot + step).min(req.to);
        let digit = found
            .iter()
            .filter(|i| i.overlaps(slot, end))
            .map(|i| status_of(i.show_as()))
            .max_by_key(|(_, _, rank)| *rank)
            .map(|(_, d, _)| d)
            .unwrap_or('0');
        out.push(digit);
        slot = end;
    }
    out
}

fn one_schedule(world: &State, ctx: &Ctx, req: &Request, id: &str, zone: &(String, Tz)) -> Value {
    let not_found = || {
        schedule_error(
            id,
            "ErrorMailRecipientNotFound",
            format!("Unable to resolve the e-mail address {id} to an Active Directory object."),
        )
    };
    let Some(user) = world.user_by_address(id) else {
        return not_found();
    };
    let Some(cal) = world.default_calendar(user) else {
        return not_found();
    };
    let sight = match access::role_on(ctx.caller, cal, world) {
        Some(None) => Some(Sight::Details),
        Some(Some(held)) => match held.rights().read {
            ReadAccess::None => None,
            ReadAccess::FreeBusy => Some(Sight::FreeBusy),
            ReadAccess::Limited | ReadAccess::Full => Some(Sight::Details),
        },
        None => None,
    };
    let Some(sight) = sight else {
        return schedule_error(
            id,
            "ErrorNoFreeBusyAccess",
            format!("No free/busy access to the calendar of {id}."),
        );
    };
    let mut found: Vec<Item<'_>> = world
        .events
        .values()
        .filter(|e| e.calendar == cal.key)
        .flat_map(|e| items::expand(e, req.from, req.to))
        .filter(|i| i.overlaps(req.from, req.to))
        .collect();
    found.sort_by_key(|i| (i.start_utc(), i.ev.key, i.day));
    let hours = world
        .users
        .get(user)
        .and_then(|u| u.working_hours.clone())
        .unwrap_or_else(|| crate::seed::working_hours(id));
    let scheduled: Vec<Value> = found
        .iter()
        .map(|i| schedule_item(i, sight, zone))
        .collect();
    json!({
        "scheduleId": id,
        "availabilityView": availability_view(&found, req),
        "scheduleItems": scheduled,
        "workingHours": working_hours_json(&hours),
    })
}

/// `POST .../calendar/getSchedule`.
pub(crate) fn get_schedule(world: &State, ctx: &Ctx, body: Option<&Value>) -> GraphResult {
    let req = parse(body)?;
    let zone = ctx
        .zone()
        .cloned()
        .unwrap_or_else(|| ("UTC".to_string(), Tz::UTC));
    let value: Vec<Value> = req
        .schedules
        .iter()
        .map(|id| one_schedule(world, ctx, &req, id, &zone))
        .collect();
    Ok(Reply::ok(json!({
        "@odata.context": format!("{}/$metadata#Collection(microsoft.graph.scheduleInformation)", ctx.graph_url),
        "value": value,
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_merge_strongest_first() {
        let rank = |s| status_of(s).2;
        assert!(rank("oof") > rank("busy"));
        assert!(rank("busy") > rank("tentative"));
        assert!(rank("tentative") > rank("workingElsewhere"));
        assert!(rank("workingElsewhere") > rank("free"));
        assert_eq!(status_of("workingElsewhere").1, '4');
    }
}
