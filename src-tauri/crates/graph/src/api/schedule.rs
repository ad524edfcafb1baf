//! `calendar: getSchedule`: the free/busy of people and resources, read into the engine's
//! [`PersonSchedule`]s for slot finding.
//!
//! As Graph documents it (calendar-getschedule, outlook-get-free-busy-schedule): `POST
//! /me/calendar/getSchedule` or `/users/{id}/calendar/getSchedule` with `schedules` (SMTP
//! addresses), `startTime` and `endTime` (`dateTimeTimeZone`) and `availabilityViewInterval`
//! (5 to 1440 minutes); at most 20 schedules per call, and a period of less than 62 days. The
//! answer is one `scheduleInformation` per schedule, each with its own `error` when Graph could
//! not read that one.

use std::str::FromStr;

use chrono::{DateTime, NaiveDateTime, NaiveTime, SecondsFormat, TimeDelta, Utc, Weekday};
use onbehalf_engine::slots::custom_zone::{CustomZone, DaylightOffset, TransitionRule};
use onbehalf_engine::slots::schedule::{
    FreeBusyStatus, PersonSchedule, ScheduleItem, WorkingHours,
};
use onbehalf_engine::slots::zone::Zone;
use reqwest::Method;
use serde::Deserialize;
use serde_json::{json, Value};

use super::Mailbox;
use crate::client::decode;
use crate::{GraphClient, GraphError};

/// Graph looks up at most this many schedules in one call.
pub const MAX_SCHEDULES_PER_CALL: usize = 20;
/// The period of one call must be shorter than this many days.
pub const MAX_PERIOD_DAYS: i64 = 62;
/// A longer period is asked for in windows of this many days (the last one shorter).
const WINDOW_DAYS: i64 = MAX_PERIOD_DAYS - 1;
/// `availabilityViewInterval`'s documented bounds.
const INTERVAL_MINUTES: std::ops::RangeInclusive<u32> = 5..=1440;

const OPERATION: &str = "read free/busy schedules";

/// One schedule asked for and what Graph gave for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScheduleAnswer {
    /// The address as asked for (or, from [`read_schedule_response`], as Graph wrote it).
    pub schedule_id: String,
    pub schedule: Result<PersonSchedule, ScheduleError>,
}

/// Why one schedule of a `getSchedule` answer cannot be used. The other schedules of the same
/// call are not affected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// Graph's `freeBusyError` for this schedule (an unknown address, say).
    #[error("Microsoft Graph could not read this schedule: {response_code}{}", suffix(.message))]
    Refused {
        /// `freeBusyError.responseCode`, e.g. `ErrorMailRecipientNotFound`.
        response_code: String,
        message: String,
    },
    /// The `scheduleInformation` does not have the documented shape.
    #[error("The free/busy Microsoft Graph gave for this schedule could not be read: {detail}")]
    Malformed { detail: String },
    /// Graph's answer had no `scheduleInformation` for this schedule.
    #[error("Microsoft Graph gave no free/busy for this schedule")]
    Missing,
}

fn suffix(message: &str) -> String {
    match message.trim() {
        "" => String::new(),
        m => format!(" ({m})"),
    }
}

fn malformed(detail: impl Into<String>) -> ScheduleError {
    ScheduleError::Malformed {
        detail: detail.into(),
    }
}

impl GraphClient {
    /// `POST /{via}/calendar/getSchedule` for `schedules` over `start..end`, times sent and
    /// asked for in UTC. More than [`MAX_SCHEDULES_PER_CALL`] schedules are asked for in
    /// several calls, and a period of [`MAX_PERIOD_DAYS`] or more in windows; the answers are
    /// merged per schedule. One answer per distinct address (compared without case), in the
    /// order asked. A schedule Graph could not read is an `Err` in its answer, not a failure
    /// of the call; a call Graph refuses fails the whole read.
    pub async fn get_schedule(
        &self,
        via: &Mailbox,
        schedules: &[String],
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        interval_minutes: u32,
    ) -> Result<Vec<ScheduleAnswer>, GraphError> {
        if !INTERVAL_MINUTES.contains(&interval_minutes) {
            return Err(GraphError::Invalid {
                operation: OPERATION,
                detail: format!(
                    "the availability interval must be 5 to 1440 minutes, not {interval_minutes}"
                ),
            });
        }
        if end <= start {
            return Err(GraphError::Invalid {
                operation: OPERATION,
                detail: "the period ends before it starts".into(),
            });
        }
        let mut asked: Vec<String> = Vec::new();
        for s in schedules {
            if !asked.iter().any(|a| a.eq_ignore_ascii_case(s)) {
                asked.push(s.clone());
            }
        }
        let mut merged: Vec<Option<Result<PersonSchedule, ScheduleError>>> =
            vec![None; asked.len()];
        let path = via.path().lit("calendar").lit("getSchedule");
        for (from, to) in windows(start, end) {
            for chunk in asked.chunks(MAX_SCHEDULES_PER_CALL) {
                let body = json!({
                    "schedules": chunk,
                    "startTime": utc_date_time(from),
                    "endTime": utc_date_time(to),
                    "availabilityViewInterval": interval_minutes,
                });
                let req = self
                    .request(OPERATION, Method::POST, &path, &[])
                    .with_header("Prefer", "outlook.timezone=\"UTC\"")
                    .with_body(body);
                let envelope: Envelope = self.send_json(&req).await?;
                for answer in read_envelope(envelope)? {
                    let Some(i) = asked
                        .iter()
                        .position(|a| a.eq_ignore_ascii_case(&answer.schedule_id))
                    else {
                        continue;
                    };
                    if let Some(slot) = merged.get_mut(i) {
                        merge(slot, answer.schedule, from);
                    }
                }
            }
        }
        Ok(asked
            .into_iter()
            .zip(merged)
            .map(|(schedule_id, result)| ScheduleAnswer {
                schedule: result.unwrap_or(Err(ScheduleError::Missing)).map(|mut p| {
                    p.schedule_id.clone_from(&schedule_id);
                    p
                }),
                schedule_id,
            })
            .collect())
    }
}

/// `start..end` cut into periods Graph accepts: the whole of it when shorter than
/// [`MAX_PERIOD_DAYS`], else windows of [`WINDOW_DAYS`].
fn windows(start: DateTime<Utc>, end: DateTime<Utc>) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    if end - start < TimeDelta::days(MAX_PERIOD_DAYS) {
        return vec![(start, end)];
    }
    let mut out = Vec::new();
    let mut from = start;
    while from < end {
        let to = from
            .checked_add_signed(TimeDelta::days(WINDOW_DAYS))
            .map_or(end, |t| t.min(end));
        out.push((from, to));
        from = to;
    }
    out
}

/// A `dateTimeTimeZone` in UTC, as the documented request examples write one (no offset).
fn utc_date_time(t: DateTime<Utc>) -> Value {
    let written = t.to_rfc3339_opts(SecondsFormat::Secs, true);
    json!({
        "dateTime": written.trim_end_matches('Z'),
        "timeZone": "UTC",
    })
}

/// Fold one window's answer for a schedule into what earlier windows gave. An error in any
/// window makes the schedule an error (its first one); items crossing into `window_start`
/// from before it are the ones an earlier window already gave, and are kept once.
fn merge(
    slot: &mut Option<Result<PersonSchedule, ScheduleError>>,
    new: Result<PersonSchedule, ScheduleError>,
    window_start: DateTime<Utc>,
) {
    match (slot.as_mut(), new) {
        (None, new) => *slot = Some(new),
        (Some(Err(_)), _) => {}
        (Some(Ok(_)), Err(e)) => *slot = Some(Err(e)),
        (Some(Ok(had)), Ok(more)) => {
            for item in more.items {
                if item.start < window_start && had.items.contains(&item) {
                    continue;
                }
                had.items.push(item);
            }
            if had.working_hours.is_none() {
                had.working_hours = more.working_hours;
            }
        }
    }
}

/// Read a `getSchedule` answer body (`{"value": [scheduleInformation…]}`) into one answer per
/// `scheduleInformation`, in Graph's order. A body that is not that collection, or an entry
/// without its `scheduleId`, is a [`GraphError::Decode`]; anything wrong inside one entry is
/// that schedule's [`ScheduleError`].
pub fn read_schedule_response(body: &[u8]) -> Result<Vec<ScheduleAnswer>, GraphError> {
    read_envelope(decode(OPERATION, body)?)
}

#[derive(Deserialize)]
struct Envelope {
    value: Vec<Value>,
}

fn read_envelope(envelope: Envelope) -> Result<Vec<ScheduleAnswer>, GraphError> {
    envelope
        .value
        .into_iter()
        .enumerate()
        .map(|(i, entry)| {
            let Some(id) = entry.get("scheduleId").and_then(Value::as_str) else {
                return Err(GraphError::Decode {
                    operation: OPERATION,
                    detail: format!("scheduleInformation {i} has no scheduleId"),
                });
            };
            let schedule_id = id.to_string();
            let schedule = serde_json::from_value::<WireInformation>(entry)
                .map_err(|e| malformed(e.to_string()))
                .and_then(|w| person(&schedule_id, w));
            Ok(ScheduleAnswer {
                schedule_id,
                schedule,
            })
        })
        .collect()
}

/// `scheduleInformation`: only what slot finding uses (no `availabilityView`, which the items
/// already say more precisely).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireInformation {
    #[serde(default)]
    error: Option<WireError>,
    #[serde(default)]
    schedule_items: Option<Vec<WireItem>>,
    #[serde(default)]
    working_hours: Option<WireWorkingHours>,
}

/// `freeBusyError`
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireError {
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    response_code: Option<String>,
}

/// `scheduleItem` without `subject` and `location`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireItem {
    status: String,
    #[serde(default)]
    is_private: Option<bool>,
    start: WireDateTime,
    end: WireDateTime,
}

/// `dateTimeTimeZone`
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireDateTime {
    date_time: String,
    #[serde(default)]
    time_zone: Option<String>,
}

/// `workingHours`
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireWorkingHours {
    #[serde(default)]
    days_of_week: Option<Vec<String>>,
    start_time: String,
    end_time: String,
    #[serde(default)]
    time_zone: Option<WireZone>,
}

/// `timeZoneBase` (just a `name`) or its subtype `customTimeZone` (rules).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireZone {
    #[serde(default, rename = "@odata.type")]
    odata_type: Option<String>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    bias: Option<i32>,
    #[serde(default)]
    standard_offset: Option<WireOffset>,
    #[serde(default)]
    daylight_offset: Option<WireOffset>,
}

/// `standardTimeZoneOffset`, and `daylightTimeZoneOffset` with its `daylightBias`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireOffset {
    #[serde(default)]
    daylight_bias: Option<i32>,
    time: String,
    #[serde(default)]
    day_occurrence: Option<i32>,
    day_of_week: String,
    month: i32,
    #[serde(default)]
    year: Option<i32>,
}

fn person(schedule_id: &str, wire: WireInformation) -> Result<PersonSchedule, ScheduleError> {
    if let Some(e) = wire.error {
        return Err(ScheduleError::Refused {
            response_code: e.response_code.unwrap_or_default(),
            message: e.message.unwrap_or_default(),
        });
    }
    let working_hours = wire.working_hours.map(working_hours).transpose()?;
    let items = wire
        .schedule_items
        .unwrap_or_default()
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            schedule_item(item, working_hours.as_ref().map(|h| &h.zone))
                .map_err(|detail| malformed(format!("scheduleItems[{i}]: {detail}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok(PersonSchedule {
        schedule_id: schedule_id.to_string(),
        items,
        working_hours,
    })
}

/// Graph's `freeBusyStatus`, compared without case (the concept page writes `Busy`, the API
/// page `busy`). A value Graph may add later reads as unknown, which blocks like busy.
fn status(value: &str) -> FreeBusyStatus {
    match value.to_ascii_lowercase().as_str() {
        "free" => FreeBusyStatus::Free,
        "tentative" => FreeBusyStatus::Tentative,
        "busy" => FreeBusyStatus::Busy,
        "oof" => FreeBusyStatus::Oof,
        "workingelsewhere" => FreeBusyStatus::WorkingElsewhere,
        _ => FreeBusyStatus::Unknown,
    }
}

/// One `scheduleItem`. `day_zone` is the person's working-hours zone, when they have one.
///
/// Graph's `scheduleItem` carries no all-day flag. An item is read as all-day when it starts
/// and ends at midnight in the person's working-hours zone (or, without working hours, in the
/// zone its own times are written in) and lasts at least a day: that is how an all-day event of
/// the person's shows in their free/busy, and a timed item almost never looks like that.
fn schedule_item(item: WireItem, day_zone: Option<&Zone>) -> Result<ScheduleItem, String> {
    let (start, start_zone) = instant(&item.start).map_err(|e| format!("start: {e}"))?;
    let (end, _) = instant(&item.end).map_err(|e| format!("end: {e}"))?;
    let zone = day_zone.unwrap_or(&start_zone);
    let midnight = |t: DateTime<Utc>| zone.local(t).time() == NaiveTime::MIN;
    let is_all_day = end - start >= TimeDelta::days(1) && midnight(start) && midnight(end);
    Ok(ScheduleItem {
        status: status(&item.status),
        start,
        end,
        is_private: item.is_private.unwrap_or(false),
        is_all_day,
    })
}

/// A `dateTimeTimeZone` as an instant, read in the zone it names ("UTC", a Windows or an IANA
/// name; none means UTC, Graph's default), with that zone.
fn instant(value: &WireDateTime) -> Result<(DateTime<Utc>, Zone), String> {
    let zone = match value.time_zone.as_deref().map(str::trim) {
        None | Some("") => Zone::utc(),
        Some(name) if name.eq_ignore_ascii_case("UTC") => Zone::utc(),
        Some(name) => Zone::named(name).map_err(|e| e.to_string())?,
    };
    let text = value.date_time.trim();
    if let Ok(local) = NaiveDateTime::from_str(text) {
        return Ok((zone.instant(local), zone));
    }
    // A time written with its own offset says which instant it is, whatever the zone.
    DateTime::parse_from_rfc3339(text)
        .map(|t| (t.with_timezone(&Utc), zone))
        .map_err(|_| format!("\"{text}\" is not a date and time"))
}

fn time_of_day(what: &str, text: &str) -> Result<NaiveTime, ScheduleError> {
    NaiveTime::from_str(text.trim())
        .map_err(|_| malformed(format!("{what} \"{text}\" is not a time of day")))
}

fn weekday(text: &str) -> Result<Weekday, ScheduleError> {
    Weekday::from_str(text.trim()).map_err(|_| malformed(format!("\"{text}\" is not a weekday")))
}

fn working_hours(wire: WireWorkingHours) -> Result<WorkingHours, ScheduleError> {
    let days_of_week = wire
        .days_of_week
        .unwrap_or_default()
        .iter()
        .map(|d| weekday(d))
        .collect::<Result<Vec<_>, _>>()?;
    let zone = match wire.time_zone {
        Some(z) => zone(z)?,
        None => return Err(malformed("workingHours has no timeZone")),
    };
    Ok(WorkingHours {
        days_of_week,
        start_time: time_of_day("workingHours.startTime", &wire.start_time)?,
        end_time: time_of_day("workingHours.endTime", &wire.end_time)?,
        zone,
    })
}

/// A working-hours `timeZone`: a `customTimeZone` (its `@odata.type`, or a `bias` present)
/// becomes the engine's [`CustomZone`] with Graph's numbers as they are — the engine reads them
/// in the sign convention of the getSchedule example (bias 480 for US Pacific time, daylight
/// bias -60); any other is a `timeZoneBase` and resolved by its `name`.
fn zone(wire: WireZone) -> Result<Zone, ScheduleError> {
    let custom = wire
        .odata_type
        .as_deref()
        .is_some_and(|t| t.to_ascii_lowercase().ends_with("customtimezone"))
        || wire.bias.is_some();
    if custom {
        return Ok(Zone::Custom(CustomZone {
            bias: wire.bias.unwrap_or(0),
            standard_offset: wire.standard_offset.as_ref().map(rule).transpose()?,
            daylight_offset: wire
                .daylight_offset
                .as_ref()
                .map(|d| {
                    Ok::<_, ScheduleError>(DaylightOffset {
                        daylight_bias: d.daylight_bias.unwrap_or(0),
                        rule: rule(d)?,
                    })
                })
                .transpose()?,
        }));
    }
    match wire.name.as_deref().map(str::trim) {
        None | Some("") => Err(malformed("workingHours.timeZone has no name")),
        Some(name) if name.eq_ignore_ascii_case("UTC") => Ok(Zone::utc()),
        Some(name) => Zone::named(name).map_err(|e| malformed(e.to_string())),
    }
}

/// A transition of a custom zone. A month outside 1 to 12 (negative included) means the zone
/// has no such change, as the engine reads it.
fn rule(wire: &WireOffset) -> Result<TransitionRule, ScheduleError> {
    Ok(TransitionRule {
        month: u32::try_from(wire.month).unwrap_or(0),
        day_occurrence: wire.day_occurrence.unwrap_or(0),
        day_of_week: weekday(&wire.day_of_week)?,
        time: time_of_day("timeZone transition time", &wire.time)?,
        year: wire.year.unwrap_or(0),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    #[test]
    fn graph_date_times_with_seven_fraction_digits_are_read() {
        let (t, _) = instant(&WireDateTime {
            date_time: "2019-03-15T12:00:00.0000000".into(),
            time_zone: Some("Pacific Standard Time".into()),
        })
        .unwrap();
        // 15 March 2019 is in US daylight time: UTC-7.
        assert_eq!(t, at(2019, 3, 15, 19, 0));
        let (t, _) = instant(&WireDateTime {
            date_time: "2019-03-15T12:00:00".into(),
            time_zone: Some("UTC".into()),
        })
        .unwrap();
        assert_eq!(t, at(2019, 3, 15, 12, 0));
        assert_eq!(
            time_of_day("t", "08:00:00.0000000").unwrap(),
            NaiveTime::from_hms_opt(8, 0, 0).unwrap()
        );
    }

    #[test]
    fn short_periods_are_one_window_and_long_ones_are_cut_below_62_days() {
        let start = at(2025, 1, 1, 0, 0);
        assert_eq!(
            windows(start, start + TimeDelta::days(61)),
            [(start, start + TimeDelta::days(61))]
        );
        let w = windows(start, start + TimeDelta::days(90));
        assert_eq!(
            w,
            [
                (start, start + TimeDelta::days(61)),
                (start + TimeDelta::days(61), start + TimeDelta::days(90))
            ]
        );
        assert!(w
            .iter()
            .all(|(a, b)| *b - *a < TimeDelta::days(MAX_PERIOD_DAYS)));
    }

    #[test]
    fn an_item_crossing_a_window_edge_is_kept_once() {
        let item = ScheduleItem {
            status: FreeBusyStatus::Busy,
            start: at(2025, 3, 2, 23, 0),
            end: at(2025, 3, 3, 1, 0),
            is_private: false,
            is_all_day: false,
        };
        let p = |items: Vec<ScheduleItem>| PersonSchedule {
            schedule_id: "a@contoso.com".into(),
            items,
            working_hours: None,
        };
        let mut slot = Some(Ok(p(vec![item.clone()])));
        merge(&mut slot, Ok(p(vec![item.clone()])), at(2025, 3, 3, 0, 0));
        assert_eq!(slot, Some(Ok(p(vec![item]))));
    }
}
