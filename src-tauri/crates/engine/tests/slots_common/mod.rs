//! How the slot tests beyond `slots.rs` say things: instants, days, people and requests.

#![allow(dead_code, clippy::unwrap_used)]

use std::num::NonZeroU32;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, Utc, Weekday};
use onbehalf_engine::slots::params::{Slot, SlotParams};
use onbehalf_engine::slots::schedule::{
    FreeBusyStatus, PersonSchedule, ScheduleItem, WorkingHours,
};
use onbehalf_engine::slots::zone::Zone;

pub fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

pub fn local(rfc3339: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(rfc3339).unwrap()
}

pub fn day(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
}

pub fn clock(hhmm: &str) -> NaiveTime {
    NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap()
}

pub fn minutes(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}

pub fn zone(name: &str) -> Zone {
    Zone::named(name).unwrap()
}

/// A slot written as two RFC 3339 times.
pub fn slot(start: &str, end: &str) -> Slot {
    Slot {
        start: local(start),
        end: local(end),
    }
}

pub const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// Monday to Friday, `from` to `to`, in the zone Graph would name.
pub fn hours(zone_name: &str, from: &str, to: &str) -> WorkingHours {
    WorkingHours {
        days_of_week: WEEKDAYS.to_vec(),
        start_time: clock(from),
        end_time: clock(to),
        zone: zone(zone_name),
    }
}

pub fn person(id: &str, working: WorkingHours, items: Vec<ScheduleItem>) -> PersonSchedule {
    PersonSchedule {
        schedule_id: id.to_string(),
        items,
        working_hours: Some(working),
    }
}

pub fn item(status: FreeBusyStatus, start: &str, end: &str) -> ScheduleItem {
    ScheduleItem {
        status,
        start: at(start),
        end: at(end),
        is_private: false,
        is_all_day: false,
    }
}

pub fn busy(start: &str, end: &str) -> ScheduleItem {
    item(FreeBusyStatus::Busy, start, end)
}

pub fn tentative(start: &str, end: &str) -> ScheduleItem {
    item(FreeBusyStatus::Tentative, start, end)
}

/// Olivia Grant works 09:00–17:00 in Berlin, Monday to Friday.
pub fn olivia(items: Vec<ScheduleItem>) -> PersonSchedule {
    person(
        "olivia.grant@contoso.com",
        hours("W. Europe Standard Time", "09:00", "17:00"),
        items,
    )
}

/// `length`-minute meetings every `step` minutes, between two of the recipient's days.
pub fn request(length: u32, step: u32, first: &str, last: &str, recipient: &str) -> SlotParams {
    SlotParams {
        increment_minutes: minutes(step),
        ..SlotParams::new(minutes(length), day(first), day(last), zone(recipient))
    }
}

/// Long before any range the tests ask about.
pub fn long_ago() -> DateTime<Utc> {
    at("2026-01-01T00:00:00Z")
}

/// A slot as "start/end" in RFC 3339, for comparing lists.
pub fn shown(slot: &Slot) -> String {
    format!("{}/{}", slot.start.to_rfc3339(), slot.end.to_rfc3339())
}
