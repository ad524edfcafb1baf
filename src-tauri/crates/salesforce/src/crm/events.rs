//! The engine's [`CrmEvent`] and Salesforce's Event fields, both ways.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use onbehalf_engine::crm::{CrmError, CrmEvent, EventTime};

use crate::models::{EventFields, EventRecord};

/// Salesforce refuses an event longer than this.
pub(crate) const MAX_EVENT_DAYS: i64 = 14;
const MINUTES_PER_DAY: i64 = 1440;

/// The fields to write. `creating`: a new event names its owner; an update leaves the owner
/// as it is. A private event is related to nothing: Salesforce does not allow it.
pub(crate) fn to_fields(event: &CrmEvent, creating: bool) -> Result<EventFields, CrmError> {
    let (start, end, all_day, activity_date, duration) = match event.time {
        EventTime::Timed { start, end } => {
            if end < start {
                return Err(invalid("the event ends before it starts", "EndDateTime"));
            }
            if end - start > Duration::days(MAX_EVENT_DAYS) {
                return Err(too_long());
            }
            (start, Some(end), false, None, None)
        }
        EventTime::AllDay { first, last } => {
            if last < first {
                return Err(invalid("the event ends before it starts", "ActivityDate"));
            }
            let days = (last - first).num_days() + 1;
            if days > MAX_EVENT_DAYS {
                return Err(too_long());
            }
            (
                midnight_utc(first),
                None,
                true,
                Some(first),
                Some(days * MINUTES_PER_DAY),
            )
        }
    };
    let (who_id, what_id) = if event.is_private {
        (None, None)
    } else {
        (event.who_id.clone(), event.what_id.clone())
    };
    Ok(EventFields {
        owner_id: creating.then(|| event.owner_id.clone()),
        subject: non_empty(&event.subject),
        location: event.location.as_deref().and_then(non_empty),
        description: event.description.as_deref().and_then(non_empty),
        start_date_time: start,
        end_date_time: end,
        is_all_day_event: all_day,
        activity_date,
        duration_in_minutes: duration,
        is_private: event.is_private,
        show_as: if event.show_as_busy { "Busy" } else { "Free" },
        who_id,
        what_id,
        exchange_id: event.external_id.clone(),
    })
}

/// The engine's event from a record read.
pub(crate) fn from_record(r: EventRecord) -> Result<CrmEvent, CrmError> {
    let time = if r.is_all_day_event {
        let first = r
            .activity_date
            .or(r.start_date_time.map(|s| s.date_naive()))
            .ok_or_else(|| unreadable("an all-day event has no date"))?;
        EventTime::AllDay {
            first,
            last: last_day(first, r.duration_in_minutes, r.end_date_time),
        }
    } else {
        let start = r
            .start_date_time
            .ok_or_else(|| unreadable("an event has no start"))?;
        let end = match (r.end_date_time, r.duration_in_minutes) {
            (Some(end), _) => end,
            (None, Some(minutes)) => start
                .checked_add_signed(Duration::minutes(
                    minutes.clamp(0, MAX_EVENT_DAYS * MINUTES_PER_DAY),
                ))
                .unwrap_or(start),
            (None, None) => start,
        };
        EventTime::Timed { start, end }
    };
    Ok(CrmEvent {
        id: Some(r.id),
        owner_id: r.owner_id.unwrap_or_default(),
        subject: r.subject.unwrap_or_default(),
        location: r.location,
        description: r.description,
        time,
        is_private: r.is_private,
        show_as_busy: r.show_as.as_deref() != Some("Free"),
        who_id: r.who_id,
        what_id: r.what_id,
        external_id: r.exchange_id,
        version: r.system_modstamp,
    })
}

/// The last day of an all-day event: from its length in whole days, else from its end
/// (midnight after the last day, or a time on it).
fn last_day(first: NaiveDate, minutes: Option<i64>, end: Option<DateTime<Utc>>) -> NaiveDate {
    let days = match (minutes, end) {
        (Some(m), _) if m >= MINUTES_PER_DAY => m / MINUTES_PER_DAY,
        (_, Some(end)) => {
            let end_day = end.date_naive();
            let exclusive = end.time() == NaiveTime::MIN && end_day > first;
            let last = if exclusive {
                end_day.pred_opt().unwrap_or(end_day)
            } else {
                end_day
            };
            (last - first).num_days() + 1
        }
        _ => 1,
    };
    let days = days.clamp(1, MAX_EVENT_DAYS);
    first
        .checked_add_signed(Duration::days(days - 1))
        .unwrap_or(first)
}

fn midnight_utc(day: NaiveDate) -> DateTime<Utc> {
    day.and_time(NaiveTime::MIN).and_utc()
}

fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_string())
}

fn invalid(message: &str, field: &str) -> CrmError {
    CrmError::Invalid {
        message: message.to_string(),
        fields: vec![field.to_string()],
    }
}

fn too_long() -> CrmError {
    invalid(
        "an event in Salesforce can't last longer than 14 days",
        "DurationInMinutes",
    )
}

fn unreadable(message: &str) -> CrmError {
    CrmError::Other {
        code: "UNREADABLE_EVENT".to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use serde_json::json;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn event(time: EventTime) -> CrmEvent {
        CrmEvent {
            id: None,
            owner_id: "005x00000012Q9PAAU".into(),
            subject: "Quarterly review".into(),
            location: Some("Room 4".into()),
            description: None,
            time,
            is_private: false,
            show_as_busy: true,
            who_id: Some("003D000000QbUhTIAV".into()),
            what_id: Some("006D000000QbUhTIAV".into()),
            external_id: Some("AAMkAGI2=".into()),
            version: None,
        }
    }

    #[test]
    fn a_timed_event_is_written_in_utc_with_its_links_and_owner() {
        let e = event(EventTime::Timed {
            start: at("2026-03-02T09:00:00+01:00"),
            end: at("2026-03-02T10:30:00+01:00"),
        });
        let v = serde_json::to_value(to_fields(&e, true).unwrap()).unwrap();
        assert_eq!(
            v,
            json!({
                "OwnerId": "005x00000012Q9PAAU",
                "Subject": "Quarterly review",
                "Location": "Room 4",
                "Description": null,
                "StartDateTime": "2026-03-02T08:00:00Z",
                "EndDateTime": "2026-03-02T09:30:00Z",
                "IsAllDayEvent": false,
                "IsPrivate": false,
                "ShowAs": "Busy",
                "WhoId": "003D000000QbUhTIAV",
                "WhatId": "006D000000QbUhTIAV",
                "Onbehalf_Exchange_Id__c": "AAMkAGI2="
            })
        );
        let update = serde_json::to_value(to_fields(&e, false).unwrap()).unwrap();
        assert!(update.get("OwnerId").is_none(), "{update}");
    }

    #[test]
    fn an_all_day_event_is_dates_at_midnight_utc_in_whole_days() {
        let e = event(EventTime::AllDay {
            first: day("2026-03-02"),
            last: day("2026-03-04"),
        });
        let f = to_fields(&e, true).unwrap();
        assert!(f.is_all_day_event);
        assert_eq!(f.start_date_time, at("2026-03-02T00:00:00Z"));
        assert_eq!(f.activity_date, Some(day("2026-03-02")));
        assert_eq!(f.duration_in_minutes, Some(3 * 1440));
        assert_eq!(f.end_date_time, None);
    }

    #[test]
    fn a_private_event_carries_no_links_and_free_shows_as_free() {
        let mut e = event(EventTime::Timed {
            start: at("2026-03-02T08:00:00Z"),
            end: at("2026-03-02T09:00:00Z"),
        });
        e.is_private = true;
        e.show_as_busy = false;
        let v = serde_json::to_value(to_fields(&e, true).unwrap()).unwrap();
        assert_eq!(v["IsPrivate"], json!(true));
        assert_eq!(v["WhoId"], json!(null));
        assert_eq!(v["WhatId"], json!(null));
        assert_eq!(v["ShowAs"], json!("Free"));
    }

    #[test]
    fn events_salesforce_cannot_hold_are_refused_before_sending() {
        let long = event(EventTime::Timed {
            start: at("2026-03-01T08:00:00Z"),
            end: at("2026-03-16T08:00:01Z"),
        });
        assert!(matches!(
            to_fields(&long, true),
            Err(CrmError::Invalid { .. })
        ));
        let backwards = event(EventTime::AllDay {
            first: day("2026-03-04"),
            last: day("2026-03-02"),
        });
        assert!(matches!(
            to_fields(&backwards, true),
            Err(CrmError::Invalid { .. })
        ));
        let fifteen_days = event(EventTime::AllDay {
            first: day("2026-03-01"),
            last: day("2026-03-15"),
        });
        assert!(matches!(
            to_fields(&fifteen_days, true),
            Err(CrmError::Invalid { .. })
        ));
    }

    fn record(v: serde_json::Value) -> EventRecord {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn a_record_read_becomes_the_engines_event() {
        let r = record(json!({
            "attributes": {"type": "Event"},
            "Id": "00U5e00000AbCdEFGH", "OwnerId": "005x00000012Q9PAAU",
            "Subject": "Call", "Location": null, "Description": "Agenda",
            "StartDateTime": "2026-03-02T08:00:00.000+0000",
            "EndDateTime": "2026-03-02T08:30:00.000+0000",
            "IsAllDayEvent": false, "ActivityDate": "2026-03-02", "DurationInMinutes": 30,
            "IsPrivate": false, "ShowAs": "OutOfOffice",
            "WhoId": "003D000000QbUhTIAV", "WhatId": null,
            "Onbehalf_Exchange_Id__c": "AAMk=", "SystemModstamp": "2026-03-01T12:00:00.000+0000",
            "IsDeleted": false
        }));
        let e = from_record(r).unwrap();
        assert_eq!(
            e.time,
            EventTime::Timed {
                start: at("2026-03-02T08:00:00Z"),
                end: at("2026-03-02T08:30:00Z")
            }
        );
        assert!(e.show_as_busy);
        assert_eq!(e.version.as_deref(), Some("2026-03-01T12:00:00.000+0000"));
        assert_eq!(e.external_id.as_deref(), Some("AAMk="));
    }

    #[test]
    fn all_day_records_read_back_as_the_days_they_cover() {
        let three_days = record(json!({
            "Id": "00U5e00000AbCdEFGH", "IsAllDayEvent": true, "ActivityDate": "2026-03-02",
            "StartDateTime": "2026-03-02T00:00:00.000+0000", "DurationInMinutes": 4320
        }));
        assert_eq!(
            from_record(three_days).unwrap().time,
            EventTime::AllDay {
                first: day("2026-03-02"),
                last: day("2026-03-04")
            }
        );
        let by_end = record(json!({
            "Id": "00U5e00000AbCdEFGH", "IsAllDayEvent": true, "ActivityDate": "2026-03-02",
            "EndDateTime": "2026-03-03T00:00:00.000+0000"
        }));
        assert_eq!(
            from_record(by_end).unwrap().time,
            EventTime::AllDay {
                first: day("2026-03-02"),
                last: day("2026-03-02")
            }
        );
        let absurd = record(json!({
            "Id": "00U5e00000AbCdEFGH", "IsAllDayEvent": true, "ActivityDate": "2026-03-02",
            "DurationInMinutes": 9_000_000_000_i64
        }));
        assert_eq!(
            from_record(absurd).unwrap().time,
            EventTime::AllDay {
                first: day("2026-03-02"),
                last: day("2026-03-15")
            }
        );
    }

    #[test]
    fn a_round_trip_keeps_the_event() {
        for time in [
            EventTime::Timed {
                start: at("2026-03-02T08:00:00Z"),
                end: at("2026-03-02T09:15:00Z"),
            },
            EventTime::AllDay {
                first: day("2026-12-31"),
                last: day("2027-01-01"),
            },
        ] {
            let mut e = event(time);
            e.id = Some("00U5e00000AbCdEFGH".into());
            e.version = Some("v".into());
            let mut v = serde_json::to_value(to_fields(&e, true).unwrap()).unwrap();
            v["Id"] = json!("00U5e00000AbCdEFGH");
            v["SystemModstamp"] = json!("v");
            assert_eq!(from_record(record(v)).unwrap(), e);
        }
    }
}
