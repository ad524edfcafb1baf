//! A Graph event as sync sees it: times in UTC (all-day items as dates, the last one
//! included), the body as text, the attendees without the organizer, where it stands in a
//! series, and Onbehalf's marks read from its extended properties.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, Utc};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::item::CREATOR_STAMP_ID;
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::{own_marks, Link, PendingShare, LINK_ID, PENDING_ID};
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey, Recurrence};
use serde::de::DeserializeOwned;

use crate::models::{DateTimeTimeZone, Event};

fn invalid(detail: String) -> SourceError {
    SourceError::Other {
        code: "InvalidResponse".to_string(),
        message: format!("Microsoft Graph sent an event Onbehalf cannot read: {detail}"),
    }
}

fn filled(s: Option<&str>) -> Option<String> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// A `dateTimeTimeZone` asked for in UTC.
fn wall_clock(t: Option<&DateTimeTimeZone>, which: &str) -> Result<NaiveDateTime, SourceError> {
    let t = t.ok_or_else(|| invalid(format!("no {which} time")))?;
    if !(t.time_zone.is_empty() || t.time_zone.eq_ignore_ascii_case("UTC")) {
        return Err(invalid(format!(
            "its {which} time is in {} although UTC was asked for",
            t.time_zone
        )));
    }
    NaiveDateTime::parse_from_str(t.date_time.trim(), "%Y-%m-%dT%H:%M:%S%.f")
        .map_err(|e| invalid(format!("its {which} time is not a date and time: {e}")))
}

/// All-day items are midnight to midnight whatever zone is asked for (a floating date), and
/// end at the start of the day after their last.
pub(crate) fn event_time(e: &Event) -> Result<EventTime, SourceError> {
    let start = wall_clock(e.start.as_ref(), "start")?;
    let end = wall_clock(e.end.as_ref(), "end")?;
    if e.is_all_day {
        let first = start.date();
        let last = (end.date() - Duration::days(1)).max(first);
        Ok(EventTime::AllDay { first, last })
    } else {
        Ok(EventTime::Timed {
            start: start.and_utc(),
            end: end.and_utc(),
        })
    }
}

/// A mark is JSON in an extended property; empty means absent (a property cannot be removed
/// through Graph, so Onbehalf clears it by writing an empty value).
fn mark<T: DeserializeOwned>(e: &Event, id: &str) -> Option<T> {
    let raw = filled(e.extended_property(id))?;
    match serde_json::from_str(&raw) {
        Ok(v) => Some(v),
        Err(error) => {
            // Not Onbehalf's format (another version's, or damaged): left as if absent, so it
            // is neither trusted nor overwritten unseen.
            tracing::warn!(item = %e.id, property = id, %error, "an Onbehalf mark could not be read");
            None
        }
    }
}

fn recurrence(e: &Event, start: &EventTime) -> Recurrence {
    let series_id = filled(e.series_master_id.as_deref());
    let exception = match (e.kind.as_deref(), series_id) {
        (Some("occurrence"), Some(id)) => Some((false, id)),
        (Some("exception"), Some(id)) => Some((true, id)),
        _ => None,
    };
    let Some((exception, series_id)) = exception else {
        return Recurrence::Single;
    };
    let original = e
        .original_start
        .as_deref()
        .and_then(|t| DateTime::parse_from_rfc3339(t.trim()).ok())
        .map(|t| t.with_timezone(&Utc));
    // An unchanged occurrence starts when its series made it start.
    let fallback = match start {
        EventTime::Timed { start, .. } => *start,
        EventTime::AllDay { first, .. } => midnight(*first),
    };
    Recurrence::Occurrence {
        series_id,
        original_start: original.unwrap_or(fallback),
        exception,
    }
}

fn midnight(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// Whether the item shows as taken: busy, tentative, out of office or working elsewhere.
fn busy(show_as: Option<&str>) -> bool {
    !matches!(show_as, Some("free") | Some("unknown"))
}

/// The item of `owner`'s mailbox as sync sees it.
pub(crate) fn to_item(owner: &str, e: Event) -> Result<ExItem, SourceError> {
    let time = event_time(&e)?;
    let version = e
        .version()
        .map(str::to_string)
        .ok_or_else(|| invalid(format!("{} has no change key", e.id)))?;
    let organizer = e
        .organizer
        .as_ref()
        .and_then(|o| o.email_address.as_ref())
        .and_then(|a| filled(a.address.as_deref()));
    let attendees = e
        .attendees
        .iter()
        .filter_map(|a| filled(a.email_address.as_ref()?.address.as_deref()))
        .filter(|a| {
            !organizer
                .as_ref()
                .is_some_and(|o| o.eq_ignore_ascii_case(a))
        })
        .collect();
    let owner = owner.trim().to_lowercase();
    let (link, pending) = own_marks(
        &e.id,
        &owner,
        mark::<Link>(&e, LINK_ID),
        mark::<PendingShare>(&e, PENDING_ID),
    );
    Ok(ExItem {
        key: ItemKey {
            owner,
            id: e.id.clone(),
        },
        version,
        fields: Fields {
            subject: e.subject.clone().unwrap_or_default(),
            location: filled(e.location.as_ref().map(|l| l.display_name.as_str())),
            body: e
                .body
                .as_ref()
                .map(|b| b.content.clone())
                .filter(|b| !b.trim().is_empty()),
            show_as_busy: busy(e.show_as.as_deref()),
            time,
        },
        categories: e.categories.clone(),
        is_private: e.is_private(),
        attendees,
        organizer,
        recurrence: recurrence(&e, &time),
        cancelled: e.is_cancelled,
        link,
        pending,
        creator: filled(e.extended_property(CREATOR_STAMP_ID)),
        web_link: filled(e.web_link.as_deref()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_day_items_end_on_their_last_day() {
        let e: Event = serde_json::from_value(serde_json::json!({
            "id": "a", "changeKey": "k", "isAllDay": true,
            "start": {"dateTime": "2026-12-10T00:00:00.0000000", "timeZone": "UTC"},
            "end": {"dateTime": "2026-12-12T00:00:00.0000000", "timeZone": "UTC"}
        }))
        .unwrap();
        assert_eq!(
            event_time(&e).unwrap(),
            EventTime::AllDay {
                first: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
                last: NaiveDate::from_ymd_opt(2026, 12, 11).unwrap(),
            }
        );
    }

    #[test]
    fn a_time_in_another_zone_than_asked_is_refused() {
        let e: Event = serde_json::from_value(serde_json::json!({
            "id": "a", "changeKey": "k",
            "start": {"dateTime": "2026-12-10T09:00:00", "timeZone": "Pacific Standard Time"},
            "end": {"dateTime": "2026-12-10T10:00:00", "timeZone": "Pacific Standard Time"}
        }))
        .unwrap();
        assert!(
            matches!(event_time(&e), Err(SourceError::Other { code, .. }) if code == "InvalidResponse")
        );
    }
}
