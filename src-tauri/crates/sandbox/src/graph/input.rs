//! Reading event bodies of POST and PATCH requests. Unknown properties are ignored, as Graph
//! does; known ones with a wrong type or value are a 400.

use axum::http::StatusCode;
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde_json::Value;

use super::error::GraphError;
use super::project::CREATOR_NAME_ID;
use crate::extprops;
use crate::state::{Attendee, Person, Recurrence};
use crate::tz;

/// The properties a request sets; `None` leaves a property as it is.
#[derive(Default)]
pub(crate) struct EventPatch {
    pub subject: Option<String>,
    pub body: Option<(String, String)>,
    pub start: Option<(NaiveDateTime, String)>,
    pub end: Option<(NaiveDateTime, String)>,
    pub is_all_day: Option<bool>,
    pub location: Option<String>,
    pub attendees: Option<Vec<Attendee>>,
    pub categories: Option<Vec<String>>,
    pub sensitivity: Option<String>,
    pub show_as: Option<String>,
    pub importance: Option<String>,
    pub is_reminder_on: Option<bool>,
    pub reminder_minutes: Option<i64>,
    pub response_requested: Option<bool>,
    /// `Some(None)` removes the recurrence.
    pub recurrence: Option<Option<Recurrence>>,
    pub extended: Vec<(String, String)>,
}

fn invalid(property: &str) -> GraphError {
    GraphError::bad_request(format!("Invalid value for property '{property}'."))
}

fn field<'v>(body: &'v Value, name: &str) -> Option<&'v Value> {
    body.get(name).filter(|v| !v.is_null())
}

fn string(body: &Value, name: &str) -> Result<Option<String>, GraphError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(invalid(name)),
    }
}

fn boolean(body: &Value, name: &str) -> Result<Option<bool>, GraphError> {
    match field(body, name) {
        None => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(invalid(name)),
    }
}

fn one_of(body: &Value, name: &str, allowed: &[&str]) -> Result<Option<String>, GraphError> {
    match string(body, name)? {
        None => Ok(None),
        Some(v) => allowed
            .iter()
            .find(|a| a.eq_ignore_ascii_case(&v))
            .map(|a| Some(a.to_string()))
            .ok_or_else(|| invalid(name)),
    }
}

/// A `dateTimeTimeZone` object.
pub(crate) fn date_time_zone(
    body: &Value,
    name: &str,
) -> Result<Option<(NaiveDateTime, String)>, GraphError> {
    let Some(v) = field(body, name) else {
        return Ok(None);
    };
    let text = v
        .get("dateTime")
        .and_then(Value::as_str)
        .ok_or_else(|| invalid(name))?;
    let local = tz::parse_local(text).ok_or_else(|| invalid(name))?;
    let zone = v
        .get("timeZone")
        .and_then(Value::as_str)
        .filter(|z| !z.is_empty())
        .unwrap_or("UTC");
    if tz::resolve(zone).is_none() {
        return Err(GraphError::bad_request(format!(
            "A valid TimeZone value must be specified. The following TimeZone value is not supported: '{zone}'."
        )));
    }
    Ok(Some((local, zone.to_string())))
}

fn strings(v: &Value, name: &str) -> Result<Vec<String>, GraphError> {
    v.as_array()
        .ok_or_else(|| invalid(name))?
        .iter()
        .map(|s| s.as_str().map(str::to_string).ok_or_else(|| invalid(name)))
        .collect()
}

fn attendees(v: &Value) -> Result<Vec<Attendee>, GraphError> {
    let list = v.as_array().ok_or_else(|| invalid("attendees"))?;
    list.iter()
        .map(|a| {
            let email = a.get("emailAddress").ok_or_else(|| invalid("attendees"))?;
            let address = email
                .get("address")
                .and_then(Value::as_str)
                .filter(|s| s.contains('@'))
                .ok_or_else(|| invalid("attendees"))?;
            let name = email.get("name").and_then(Value::as_str).unwrap_or(address);
            let kind = match a.get("type").and_then(Value::as_str).unwrap_or("required") {
                k @ ("required" | "optional" | "resource") => k.to_string(),
                _ => return Err(invalid("attendees")),
            };
            Ok(Attendee {
                person: Person {
                    name: name.to_string(),
                    address: address.to_string(),
                },
                kind,
                response: "none".to_string(),
            })
        })
        .collect()
}

fn date(v: Option<&Value>, name: &str) -> Result<Option<NaiveDate>, GraphError> {
    match v.filter(|v| !v.is_null()).map(|v| v.as_str()) {
        None => Ok(None),
        Some(Some("0001-01-01")) => Ok(None),
        Some(Some(s)) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| invalid(name)),
        Some(None) => Err(invalid(name)),
    }
}

fn recurrence(v: &Value, default_zone: &str) -> Result<Recurrence, GraphError> {
    let pattern = v.get("pattern").ok_or_else(|| invalid("recurrence"))?;
    let range = v.get("range").ok_or_else(|| invalid("recurrence"))?;
    let kind = pattern
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(
        kind,
        "daily" | "weekly" | "absoluteMonthly" | "absoluteYearly"
    ) {
        return Err(GraphError::invalid_request(format!(
            "Recurrence pattern type '{kind}' is not supported by the sandbox."
        )));
    }
    let number = |v: Option<&Value>| {
        v.and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let days_of_week = match pattern.get("daysOfWeek") {
        Some(d) if !d.is_null() => strings(d, "recurrence")?,
        _ => Vec::new(),
    };
    if kind == "weekly" && days_of_week.is_empty() {
        return Err(invalid("recurrence"));
    }
    let range_type = range
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_default();
    if !matches!(range_type, "endDate" | "noEnd" | "numbered") {
        return Err(invalid("recurrence"));
    }
    let start_date =
        date(range.get("startDate"), "recurrence")?.ok_or_else(|| invalid("recurrence"))?;
    let end_date = date(range.get("endDate"), "recurrence")?;
    let occurrences = number(range.get("numberOfOccurrences")).unwrap_or(0);
    if (range_type == "endDate" && end_date.is_none())
        || (range_type == "numbered" && occurrences == 0)
    {
        return Err(invalid("recurrence"));
    }
    Ok(Recurrence {
        pattern: kind.to_string(),
        interval: number(pattern.get("interval")).unwrap_or(1).max(1),
        days_of_week: days_of_week.iter().map(|d| d.to_lowercase()).collect(),
        first_day_of_week: pattern
            .get("firstDayOfWeek")
            .and_then(Value::as_str)
            .unwrap_or("sunday")
            .to_lowercase(),
        day_of_month: number(pattern.get("dayOfMonth")).unwrap_or(0),
        month: number(pattern.get("month")).unwrap_or(0),
        range: range_type.to_string(),
        start_date,
        end_date,
        occurrences,
        time_zone: range
            .get("recurrenceTimeZone")
            .and_then(Value::as_str)
            .unwrap_or(default_zone)
            .to_string(),
    })
}

/// The extended properties a request sets (on an event or a calendar).
pub(crate) fn extended(body: &Value) -> Result<Vec<(String, String)>, GraphError> {
    let Some(list) = field(body, "singleValueExtendedProperties") else {
        return Ok(Vec::new());
    };
    let list = list
        .as_array()
        .ok_or_else(|| invalid("singleValueExtendedProperties"))?;
    list.iter()
        .map(|p| {
            let id = p.get("id").and_then(Value::as_str).unwrap_or_default();
            if !extprops::is_valid(id) {
                return Err(GraphError::bad_request(format!(
                    "The extended property id '{id}' is not in a supported format."
                )));
            }
            // Assumption: Exchange refuses to set a property it computes (PidTagCreatorName
            // is "read-only for clients") the way EWS does, with ErrorInvalidPropertySet.
            if extprops::normalize(id) == extprops::normalize(CREATOR_NAME_ID) {
                return Err(GraphError::new(
                    StatusCode::BAD_REQUEST,
                    "ErrorInvalidPropertySet",
                    "Set action is invalid for property.",
                ));
            }
            let value = match p.get("value") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Number(n)) => n.to_string(),
                Some(Value::Bool(b)) => b.to_string(),
                _ => return Err(invalid("singleValueExtendedProperties")),
            };
            Ok((id.to_string(), value))
        })
        .collect()
}

/// Read an event body.
pub(crate) fn parse(body: &Value) -> Result<EventPatch, GraphError> {
    if !body.is_object() {
        return Err(GraphError::bad_request(
            "The request body must be a JSON object.",
        ));
    }
    let start = date_time_zone(body, "start")?;
    let default_zone = start.as_ref().map(|(_, z)| z.as_str()).unwrap_or("UTC");
    Ok(EventPatch {
        subject: string(body, "subject")?,
        body: match field(body, "body") {
            None => None,
            Some(b) => {
                let kind = match b
                    .get("contentType")
                    .and_then(Value::as_str)
                    .unwrap_or("text")
                {
                    k if k.eq_ignore_ascii_case("html") => "html",
                    k if k.eq_ignore_ascii_case("text") => "text",
                    _ => return Err(invalid("body")),
                };
                let content = b.get("content").and_then(Value::as_str).unwrap_or_default();
                Some((kind.to_string(), content.to_string()))
            }
        },
        end: date_time_zone(body, "end")?,
        is_all_day: boolean(body, "isAllDay")?,
        location: field(body, "location").map(|l| {
            l.get("displayName")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string()
        }),
        attendees: field(body, "attendees").map(attendees).transpose()?,
        categories: field(body, "categories")
            .map(|c| strings(c, "categories"))
            .transpose()?,
        sensitivity: one_of(
            body,
            "sensitivity",
            &["normal", "personal", "private", "confidential"],
        )?,
        show_as: one_of(
            body,
            "showAs",
            &[
                "unknown",
                "free",
                "tentative",
                "busy",
                "oof",
                "workingElsewhere",
            ],
        )?,
        importance: one_of(body, "importance", &["low", "normal", "high"])?,
        is_reminder_on: boolean(body, "isReminderOn")?,
        reminder_minutes: match field(body, "reminderMinutesBeforeStart") {
            None => None,
            Some(v) => Some(
                v.as_i64()
                    .ok_or_else(|| invalid("reminderMinutesBeforeStart"))?,
            ),
        },
        response_requested: boolean(body, "responseRequested")?,
        recurrence: match body.get("recurrence") {
            None => None,
            Some(Value::Null) => Some(None),
            Some(r) => Some(Some(recurrence(r, default_zone)?)),
        },
        extended: extended(body)?,
        start,
    })
}

/// Whether a wall-clock time is midnight, as all-day items require.
pub(crate) fn is_midnight(t: NaiveDateTime) -> bool {
    t.time() == NaiveTime::MIN
}
