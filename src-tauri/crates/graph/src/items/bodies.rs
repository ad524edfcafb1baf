//! The bodies Onbehalf writes to items: its marks (categories and two extended properties),
//! an item's synced fields, and a new appointment. None of them has attendees, so none of them
//! sends a meeting message.

use chrono::{Duration, NaiveDateTime};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::item::CREATOR_STAMP_ID;
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::{Marks, LINK_ID, PENDING_ID};
use onbehalf_engine::sync::model::Fields;
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The zone all-day items are written in when nothing else is known.
///
/// Assumption: an all-day item is a floating date; Graph shows it midnight to midnight in
/// whatever zone is asked for (reference §11.7), so the zone written only has to be one
/// Exchange accepts.
pub(crate) const ALL_DAY_ZONE: &str = "UTC";

fn unwritable(e: serde_json::Error) -> SourceError {
    SourceError::Other {
        code: "InvalidRequest".to_string(),
        message: format!("an Onbehalf mark could not be written: {e}"),
    }
}

/// A mark as its property's value; `None` (remove) is the empty value.
///
/// Graph documents creating and reading single-value extended properties, not removing one; an
/// empty value stands for "absent", and reading treats it so.
fn mark_value<T: Serialize>(mark: Option<&T>) -> Result<String, SourceError> {
    match mark {
        Some(m) => serde_json::to_string(m).map_err(unwritable),
        None => Ok(String::new()),
    }
}

fn property(id: &str, value: String) -> Value {
    json!({ "id": id, "value": value })
}

/// The PATCH body of a change of marks; `None` when nothing is to change.
pub(crate) fn marks_body(marks: &Marks) -> Result<Option<Value>, SourceError> {
    let mut body = Map::new();
    if let Some(categories) = &marks.categories {
        body.insert("categories".to_string(), json!(categories));
    }
    let mut properties = Vec::new();
    if let Some(link) = &marks.link {
        properties.push(property(LINK_ID, mark_value(link.as_ref())?));
    }
    if let Some(pending) = &marks.pending {
        properties.push(property(PENDING_ID, mark_value(pending.as_ref())?));
    }
    if !properties.is_empty() {
        body.insert(
            "singleValueExtendedProperties".to_string(),
            Value::Array(properties),
        );
    }
    Ok((!body.is_empty()).then_some(Value::Object(body)))
}

fn date_time(t: NaiveDateTime, zone: &str) -> Value {
    json!({
        "dateTime": format!("{}.0000000", t.format("%Y-%m-%dT%H:%M:%S")),
        "timeZone": zone
    })
}

/// The fields of an item, as a PATCH or POST body; all-day items are written in `all_day_zone`.
pub(crate) fn fields_body(fields: &Fields, all_day_zone: &str) -> Map<String, Value> {
    let mut body = Map::new();
    body.insert("subject".to_string(), json!(fields.subject));
    body.insert(
        "body".to_string(),
        json!({ "contentType": "text", "content": fields.body.clone().unwrap_or_default() }),
    );
    body.insert(
        "location".to_string(),
        json!({ "displayName": fields.location.clone().unwrap_or_default() }),
    );
    let (start, end, all_day) = match &fields.time {
        EventTime::Timed { start, end } => (
            date_time(start.naive_utc(), "UTC"),
            date_time(end.naive_utc(), "UTC"),
            false,
        ),
        EventTime::AllDay { first, last } => {
            let midnight = chrono::NaiveTime::MIN;
            (
                date_time(first.and_time(midnight), all_day_zone),
                date_time((*last + Duration::days(1)).and_time(midnight), all_day_zone),
                true,
            )
        }
    };
    body.insert("isAllDay".to_string(), json!(all_day));
    body.insert("start".to_string(), start);
    body.insert("end".to_string(), end);
    body.insert(
        "showAs".to_string(),
        json!(if fields.show_as_busy { "busy" } else { "free" }),
    );
    body
}

/// The POST body of a new appointment: its fields, privacy, marks and Onbehalf's creator
/// stamp; never attendees.
pub(crate) fn create_body(
    fields: &Fields,
    is_private: bool,
    marks: &Marks,
    creator: &str,
) -> Result<Value, SourceError> {
    let mut body = fields_body(fields, ALL_DAY_ZONE);
    body.insert(
        "sensitivity".to_string(),
        json!(if is_private { "private" } else { "normal" }),
    );
    let mut properties = vec![property(CREATOR_STAMP_ID, creator.to_string())];
    if let Some(Value::Object(m)) = marks_body(marks)? {
        for (k, v) in m {
            match (k.as_str(), v) {
                ("singleValueExtendedProperties", Value::Array(list)) => properties.extend(list),
                (_, v) => {
                    body.insert(k, v);
                }
            }
        }
    }
    body.insert(
        "singleValueExtendedProperties".to_string(),
        Value::Array(properties),
    );
    Ok(Value::Object(body))
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    #[test]
    fn nothing_to_change_is_no_body_and_a_removed_mark_is_empty() {
        assert_eq!(marks_body(&Marks::default()).unwrap(), None);
        let body = marks_body(&Marks {
            categories: Some(vec!["CRM".into()]),
            link: None,
            pending: Some(None),
        })
        .unwrap()
        .unwrap();
        assert_eq!(
            body,
            json!({"categories": ["CRM"], "singleValueExtendedProperties": [{"id": PENDING_ID, "value": ""}]})
        );
    }

    #[test]
    fn an_all_day_item_ends_at_midnight_after_its_last_day() {
        let fields = Fields {
            subject: "Offsite".into(),
            location: None,
            body: None,
            time: EventTime::AllDay {
                first: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                last: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            },
            show_as_busy: false,
        };
        let body = fields_body(&fields, "W. Europe Standard Time");
        assert_eq!(body["isAllDay"], true);
        assert_eq!(
            body["end"],
            json!({"dateTime": "2026-12-12T00:00:00.0000000", "timeZone": "W. Europe Standard Time"})
        );
        assert_eq!(body["showAs"], "free");
    }
}
