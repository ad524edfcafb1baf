//! The rules of the Event object, applied to a record's fields after a create or update is
//! merged into them: timed events keep `StartDateTime`, `EndDateTime` and
//! `DurationInMinutes` consistent (either of the last two may be given, both must agree, the
//! other is computed) with `ActivityDateTime` following the start; all-day events are whole
//! days from `ActivityDate`, at midnight UTC; no event lasts longer than 14 days, and over
//! 1,440 minutes only with the org's multiday events; a private event relates to no record.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use super::error::SfError;
use crate::salesforce::values::{format_date, format_datetime, parse_date, parse_datetime};

type Fields = BTreeMap<String, Value>;

const DAY: i64 = 1440;
/// "An event can't last longer than 14 days" (Salesforce for Outlook error list).
const MAX_MINUTES: i64 = 14 * DAY;

/// What the rules need to know besides the fields.
pub(crate) struct EventRules {
    pub multiday_events: bool,
    /// The owner's time zone, for the local dates `ActivityDate` and `EndDate` of a timed
    /// event.
    pub zone: Tz,
    pub creating: bool,
}

fn time(fields: &Fields, name: &str) -> Option<DateTime<Utc>> {
    fields
        .get(name)
        .and_then(Value::as_str)
        .and_then(parse_datetime)
}

fn date(fields: &Fields, name: &str) -> Option<NaiveDate> {
    fields
        .get(name)
        .and_then(Value::as_str)
        .and_then(parse_date)
}

fn minutes(fields: &Fields, name: &str) -> Option<i64> {
    fields.get(name).and_then(Value::as_i64)
}

fn present(fields: &Fields, given: &BTreeSet<String>, name: &str) -> bool {
    given.contains(name) && fields.get(name).is_some_and(|v| !v.is_null())
}

fn integrity(message: &str, fields: &[&str]) -> SfError {
    SfError::record("FIELD_INTEGRITY_EXCEPTION", message, fields)
}

fn missing(field: &str) -> SfError {
    SfError::record(
        "REQUIRED_FIELD_MISSING",
        format!("Required fields are missing: [{field}]"),
        &[field],
    )
}

impl EventRules {
    /// Check `fields` (the record as it would be saved; `given` names what the request set)
    /// and fill in the computed time fields.
    pub fn apply(&self, fields: &mut Fields, given: &BTreeSet<String>) -> Result<(), SfError> {
        private_links(fields)?;
        let all_day = fields
            .get("IsAllDayEvent")
            .and_then(Value::as_bool)
            .unwrap_or(false);
        if all_day {
            self.all_day(fields, given)
        } else {
            self.timed(fields, given)
        }
    }

    fn check_length(&self, minutes: i64) -> Result<(), SfError> {
        // Assumption: the wording for an end before the start; the documentation names the
        // code only for the 1,440-minute limit.
        if minutes < 0 {
            return Err(integrity(
                "End Date Time can't be earlier than Start Date Time",
                &["EndDateTime"],
            ));
        }
        if minutes > DAY && !self.multiday_events {
            return Err(integrity(
                "Duration must be between 0 and 1440 minutes",
                &["DurationInMinutes"],
            ));
        }
        if minutes > MAX_MINUTES {
            return Err(integrity(
                "An event can't last longer than 14 days.",
                &["DurationInMinutes"],
            ));
        }
        Ok(())
    }

    fn timed(&self, fields: &mut Fields, given: &BTreeSet<String>) -> Result<(), SfError> {
        let start_given = present(fields, given, "StartDateTime");
        let activity_given = present(fields, given, "ActivityDateTime");
        let start = match (start_given, activity_given) {
            (true, true) => {
                let (s, a) = (
                    time(fields, "StartDateTime"),
                    time(fields, "ActivityDateTime"),
                );
                if s != a {
                    // Assumption: the wording; the reference says only that the two must match.
                    return Err(integrity(
                        "Due Date Time must match Start Date Time",
                        &["ActivityDateTime"],
                    ));
                }
                s
            }
            (true, false) => time(fields, "StartDateTime"),
            (false, true) => time(fields, "ActivityDateTime"),
            (false, false) => time(fields, "StartDateTime"),
        };
        let start = start.ok_or_else(|| missing("StartDateTime"))?;
        let end_given = present(fields, given, "EndDateTime");
        let duration_given = present(fields, given, "DurationInMinutes");
        let length = match (end_given, duration_given) {
            (true, true) => {
                let end = time(fields, "EndDateTime").unwrap_or(start);
                let length = minutes(fields, "DurationInMinutes").unwrap_or(0);
                if (end - start).num_minutes() != length {
                    // Assumption: the wording; both may be given only when consistent.
                    return Err(integrity(
                        "End Date Time and Duration don't match",
                        &["EndDateTime", "DurationInMinutes"],
                    ));
                }
                length
            }
            (true, false) => {
                let end = time(fields, "EndDateTime").unwrap_or(start);
                (end - start).num_minutes()
            }
            (false, true) => minutes(fields, "DurationInMinutes").unwrap_or(0),
            (false, false) if self.creating => return Err(missing("DurationInMinutes")),
            // Assumption: moving an event keeps its length; the end follows the start.
            (false, false) => minutes(fields, "DurationInMinutes").unwrap_or(0),
        };
        self.check_length(length)?;
        let end = start + Duration::minutes(length);
        put_time(fields, "StartDateTime", Some(start));
        put_time(fields, "ActivityDateTime", Some(start));
        put_time(fields, "EndDateTime", Some(end));
        fields.insert("DurationInMinutes".into(), Value::from(length));
        // Assumption: the local dates of a timed event are in the owner's time zone.
        put_date(
            fields,
            "ActivityDate",
            Some(start.with_timezone(&self.zone).date_naive()),
        );
        put_date(
            fields,
            "EndDate",
            Some(end.with_timezone(&self.zone).date_naive()),
        );
        Ok(())
    }

    fn all_day(&self, fields: &mut Fields, given: &BTreeSet<String>) -> Result<(), SfError> {
        let date_given = present(fields, given, "ActivityDate");
        let start_given = present(fields, given, "StartDateTime");
        let start_date = time(fields, "StartDateTime").map(|t| t.date_naive());
        let first = match (date_given, start_given) {
            (true, true) => {
                let d = date(fields, "ActivityDate");
                if d != start_date {
                    return Err(integrity(
                        "Due Date Only must match Start Date Time",
                        &["ActivityDate"],
                    ));
                }
                d
            }
            (true, false) => date(fields, "ActivityDate"),
            (false, true) => start_date,
            (false, false) => date(fields, "ActivityDate").or(start_date),
        };
        let first = first.ok_or_else(|| missing("ActivityDate"))?;
        let end_given = present(fields, given, "EndDateTime");
        let duration_given = present(fields, given, "DurationInMinutes");
        let end_days = time(fields, "EndDateTime").map(|e| (e.date_naive() - first).num_days() + 1);
        let days = if duration_given {
            let length = minutes(fields, "DurationInMinutes").unwrap_or(0);
            // Assumption: an all-day event is whole days, so a duration that is not a
            // multiple of 1,440 minutes is refused rather than rounded.
            if length <= 0 || length % DAY != 0 {
                return Err(integrity(
                    "An all-day event's Duration must be a whole number of days (multiples of 1440 minutes)",
                    &["DurationInMinutes"],
                ));
            }
            let days = length / DAY;
            if end_given && end_days != Some(days) {
                return Err(integrity(
                    "End Date Time and Duration don't match",
                    &["EndDateTime", "DurationInMinutes"],
                ));
            }
            days
        } else if end_given {
            end_days.unwrap_or(1)
        } else if self.creating {
            // Both null: one day, as the Event reference documents.
            1
        } else {
            minutes(fields, "DurationInMinutes")
                .filter(|m| *m > 0 && m % DAY == 0)
                .map_or(1, |m| m / DAY)
        };
        self.check_length(days * DAY)?;
        if days < 1 {
            return Err(integrity(
                "End Date Time can't be earlier than Start Date Time",
                &["EndDateTime"],
            ));
        }
        let last = first + Duration::days(days - 1);
        // Assumption: an all-day event's EndDateTime is midnight UTC of its last day, and its
        // ActivityDateTime is null (the reference fills ActivityDate for all-day events).
        put_time(
            fields,
            "StartDateTime",
            Some(first.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
        put_time(
            fields,
            "EndDateTime",
            Some(last.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
        put_time(fields, "ActivityDateTime", None);
        fields.insert("DurationInMinutes".into(), Value::from(days * DAY));
        put_date(fields, "ActivityDate", Some(first));
        put_date(fields, "EndDate", Some(last));
        Ok(())
    }
}

/// "Private events can't be associated with opportunities, accounts, cases, campaigns,
/// contracts, leads, or contacts" (Event reference, `IsPrivate`).
///
/// Assumption: the refusal is `FIELD_INTEGRITY_EXCEPTION` naming the relation fields; the
/// reference states the rule, not the error.
fn private_links(fields: &Fields) -> Result<(), SfError> {
    let private = fields
        .get("IsPrivate")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let linked: Vec<&str> = ["WhoId", "WhatId"]
        .into_iter()
        .filter(|f| fields.get(*f).is_some_and(|v| !v.is_null()))
        .collect();
    if private && !linked.is_empty() {
        return Err(integrity(
            "You can't relate a private event to a contact, lead, or other record.",
            &linked,
        ));
    }
    Ok(())
}

fn put_time(fields: &mut Fields, name: &str, value: Option<DateTime<Utc>>) {
    let v = value.map_or(Value::Null, |t| Value::String(format_datetime(t)));
    fields.insert(name.to_string(), v);
}

fn put_date(fields: &mut Fields, name: &str, value: Option<NaiveDate>) {
    let v = value.map_or(Value::Null, |d| Value::String(format_date(d)));
    fields.insert(name.to_string(), v);
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn rules(multiday: bool) -> EventRules {
        EventRules {
            multiday_events: multiday,
            zone: chrono_tz::America::New_York,
            creating: true,
        }
    }

    fn run(r: &EventRules, body: Value) -> Result<Fields, SfError> {
        let mut fields: Fields = body
            .as_object()
            .map(|m| m.clone().into_iter().collect())
            .unwrap_or_default();
        let given = fields.keys().cloned().collect();
        r.apply(&mut fields, &given).map(|()| fields)
    }

    #[test]
    fn the_end_or_the_duration_is_computed_and_both_must_agree() {
        let r = rules(false);
        let f = run(
            &r,
            json!({"StartDateTime": "2026-03-02T15:00:00Z", "DurationInMinutes": 45}),
        )
        .unwrap();
        assert_eq!(f["EndDateTime"], "2026-03-02T15:45:00.000+0000");
        assert_eq!(f["ActivityDateTime"], "2026-03-02T15:00:00.000+0000");
        let f = run(
            &r,
            json!({"StartDateTime": "2026-03-02T15:00:00Z", "EndDateTime": "2026-03-02T16:30:00Z"}),
        )
        .unwrap();
        assert_eq!(f["DurationInMinutes"], 90);
        let e = run(&r, json!({"StartDateTime": "2026-03-02T15:00:00Z", "EndDateTime": "2026-03-02T16:30:00Z", "DurationInMinutes": 60})).unwrap_err();
        assert_eq!(e.code, "FIELD_INTEGRITY_EXCEPTION");
        let e = run(&r, json!({"StartDateTime": "2026-03-02T15:00:00Z"})).unwrap_err();
        assert_eq!(e.code, "REQUIRED_FIELD_MISSING");
    }

    #[test]
    fn long_events_need_multiday_and_never_exceed_fourteen_days() {
        let body = json!({"StartDateTime": "2026-03-02T15:00:00Z", "DurationInMinutes": 1441});
        let e = run(&rules(false), body.clone()).unwrap_err();
        assert_eq!(e.message, "Duration must be between 0 and 1440 minutes");
        assert!(run(&rules(true), body).is_ok());
        let e = run(
            &rules(true),
            json!({"StartDateTime": "2026-03-02T15:00:00Z", "DurationInMinutes": 14 * 1440 + 1}),
        )
        .unwrap_err();
        assert_eq!(e.code, "FIELD_INTEGRITY_EXCEPTION");
    }

    #[test]
    fn all_day_events_are_whole_days_at_midnight_utc() {
        let f = run(
            &rules(true),
            json!({"IsAllDayEvent": true, "ActivityDate": "2026-03-10", "DurationInMinutes": 4320}),
        )
        .unwrap();
        assert_eq!(f["StartDateTime"], "2026-03-10T00:00:00.000+0000");
        assert_eq!(f["EndDateTime"], "2026-03-12T00:00:00.000+0000");
        assert_eq!(f["EndDate"], "2026-03-12");
        let f = run(
            &rules(false),
            json!({"IsAllDayEvent": true, "ActivityDate": "2026-03-10"}),
        )
        .unwrap();
        assert_eq!(f["DurationInMinutes"], 1440);
        assert!(run(
            &rules(false),
            json!({"IsAllDayEvent": true, "ActivityDate": "2026-03-10", "DurationInMinutes": 2880})
        )
        .is_err());
    }

    #[test]
    fn a_private_event_relates_to_nothing() {
        let e = run(&rules(true), json!({"IsPrivate": true, "WhatId": "001000000000001AAA", "StartDateTime": "2026-03-02T15:00:00Z", "DurationInMinutes": 30})).unwrap_err();
        assert_eq!(e.fields, Some(vec!["WhatId".to_string()]));
    }
}
