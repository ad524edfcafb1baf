//! How the slots' messages write dates, times, lengths and zones for a person: in English, with
//! one format each, used everywhere: "Tuesday 8 December 2026", "Tue 8 Dec, 10:00",
//! "10:00–10:45" (24-hour clock, en dash), "1 hour 30 minutes", "UTC−05:00" (a true minus),
//! "New York time (America/New_York)".

use chrono::{DateTime, FixedOffset, NaiveDate};

use crate::slots::zone::Zone;

/// A day in full: "Tuesday 8 December 2026".
pub fn long_day(day: NaiveDate) -> String {
    day.format("%A %-d %B %Y").to_string()
}

/// A start in short, as a reply subject carries it: "Tue 8 Dec, 10:00".
pub fn short_start(start: &DateTime<FixedOffset>) -> String {
    start.format("%a %-d %b, %H:%M").to_string()
}

/// A weekday in short: "Wed".
pub fn short_weekday(day: NaiveDate) -> String {
    day.format("%a").to_string()
}

/// A stretch of wall-clock time: "10:00–10:45". An end at midnight is "00:00".
pub fn time_range(start: &DateTime<FixedOffset>, end: &DateTime<FixedOffset>) -> String {
    format!("{}\u{2013}{}", start.format("%H:%M"), end.format("%H:%M"))
}

/// A meeting's length: "45 minutes", "1 hour", "1 hour 30 minutes", "2 hours 1 minute".
pub fn length(minutes: u32) -> String {
    let plural = |n: u32, unit: &str| {
        if n == 1 {
            format!("1 {unit}")
        } else {
            format!("{n} {unit}s")
        }
    };
    match (minutes / 60, minutes % 60) {
        (0, m) => plural(m, "minute"),
        (h, 0) => plural(h, "hour"),
        (h, m) => format!("{} {}", plural(h, "hour"), plural(m, "minute")),
    }
}

/// An offset from UTC: "UTC−05:00", "UTC+05:30", "UTC+00:00", with a true minus sign.
pub fn offset_label(offset: FixedOffset) -> String {
    let seconds = offset.local_minus_utc();
    let sign = if seconds < 0 { '\u{2212}' } else { '+' };
    let minutes = seconds.unsigned_abs() / 60;
    format!("UTC{sign}{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The zone as a person knows it: "New York time (America/New_York)" (the city of its IANA
/// name, then the name itself), or "UTC". None for a zone with no name a person would know,
/// a Graph custom zone or a fixed offset ("Etc/GMT+5"): its times carry their offset instead.
pub fn zone_name(zone: &Zone) -> Option<String> {
    match zone_kind(zone) {
        ZoneKind::Utc => Some("UTC".to_string()),
        ZoneKind::City { city, iana } => Some(format!("{city} time ({iana})")),
        ZoneKind::Offsets => None,
    }
}

/// The zone in a few words, beside another zone's times: "Berlin time", "UTC", or the offset
/// in force at `at` ("UTC+01:00") for a zone without a name.
pub fn short_zone_name(zone: &Zone, at: &DateTime<FixedOffset>) -> String {
    match zone_kind(zone) {
        ZoneKind::Utc => "UTC".to_string(),
        ZoneKind::City { city, .. } => format!("{city} time"),
        ZoneKind::Offsets => offset_label(zone.offset_at(at.to_utc())),
    }
}

/// How a zone can be named.
enum ZoneKind {
    Utc,
    City { city: String, iana: &'static str },
    Offsets,
}

fn zone_kind(zone: &Zone) -> ZoneKind {
    let Some(iana) = zone.iana_name() else {
        return ZoneKind::Offsets;
    };
    if matches!(
        iana,
        "UTC"
            | "Etc/UTC"
            | "Etc/UCT"
            | "UCT"
            | "Etc/Universal"
            | "Universal"
            | "Etc/Zulu"
            | "Zulu"
            | "GMT"
            | "Etc/GMT"
            | "GMT0"
            | "Etc/GMT0"
            | "Greenwich"
            | "Etc/Greenwich"
    ) {
        return ZoneKind::Utc;
    }
    match iana.rsplit_once('/') {
        Some((area, city)) if area != "Etc" => ZoneKind::City {
            city: city.replace('_', " "),
            iana,
        },
        // "Etc/GMT+5" and the like: a fixed offset, whose name reads backwards to most people.
        Some(_) => ZoneKind::Offsets,
        // Old names without an area ("Japan", "EST5EDT"): the name is all there is.
        None => ZoneKind::City {
            city: iana.to_string(),
            iana,
        },
    }
}
