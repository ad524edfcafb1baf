//! Time zones and Graph's date-time text. Graph accepts Windows zone names and IANA names; the
//! seed uses a handful of Windows names, mapped here to their IANA equivalents.

use chrono::{DateTime, LocalResult, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// Windows zone names used by the seed and common clients, with their IANA equivalent.
const WINDOWS_ZONES: &[(&str, Tz)] = &[
    ("UTC", Tz::UTC),
    ("Coordinated Universal Time", Tz::UTC),
    ("GMT Standard Time", Tz::Europe__London),
    ("W. Europe Standard Time", Tz::Europe__Berlin),
    ("Romance Standard Time", Tz::Europe__Paris),
    ("Central Europe Standard Time", Tz::Europe__Budapest),
    ("Eastern Standard Time", Tz::America__New_York),
    ("Central Standard Time", Tz::America__Chicago),
    ("Mountain Standard Time", Tz::America__Denver),
    ("Pacific Standard Time", Tz::America__Los_Angeles),
    ("Tokyo Standard Time", Tz::Asia__Tokyo),
    ("China Standard Time", Tz::Asia__Shanghai),
    ("Singapore Standard Time", Tz::Asia__Singapore),
    ("India Standard Time", Tz::Asia__Kolkata),
    ("AUS Eastern Standard Time", Tz::Australia__Sydney),
];

/// The zone a Graph `timeZone` value names, if known.
pub(crate) fn resolve(name: &str) -> Option<Tz> {
    let name = name.trim();
    WINDOWS_ZONES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, tz)| *tz)
        .or_else(|| name.parse::<Tz>().ok())
}

/// The instant a wall-clock time stands for; in a DST gap the time is moved an hour forward,
/// in an overlap the earlier instant wins (as Outlook does).
pub(crate) fn to_utc(local: NaiveDateTime, tz: Tz) -> DateTime<Utc> {
    match tz.from_local_datetime(&local) {
        LocalResult::Single(t) => t.with_timezone(&Utc),
        LocalResult::Ambiguous(a, _) => a.with_timezone(&Utc),
        LocalResult::None => {
            let later = local + chrono::Duration::hours(1);
            match tz.from_local_datetime(&later) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => t.with_timezone(&Utc),
                LocalResult::None => Utc.from_utc_datetime(&local),
            }
        }
    }
}

/// The wall-clock time of an instant in a zone.
pub(crate) fn from_utc(instant: DateTime<Utc>, tz: Tz) -> NaiveDateTime {
    instant.with_timezone(&tz).naive_local()
}

/// Graph's `dateTime` text: seven fractional digits, no offset.
pub(crate) fn format_local(t: NaiveDateTime) -> String {
    format!(
        "{}.{:07}",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.nanosecond() / 100
    )
}

/// Graph's UTC timestamp text, as in `createdDateTime`.
pub(crate) fn format_utc(t: DateTime<Utc>) -> String {
    format!("{}Z", format_local(t.naive_utc()))
}

/// A `dateTime` value as clients send it: no offset (wall clock), or with `Z`/an offset, in
/// which case the wall clock in UTC is taken.
pub(crate) fn parse_local(text: &str) -> Option<NaiveDateTime> {
    let text = text.trim();
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f") {
        return Some(t);
    }
    if let Ok(t) = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M") {
        return Some(t);
    }
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.naive_utc());
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
}

/// A `startDateTime`/`endDateTime` query value: the offset in the value counts, none means UTC.
pub(crate) fn parse_instant(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    parse_local(text).map(|t| Utc.from_utc_datetime(&t))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_and_iana_names_resolve() {
        assert_eq!(
            resolve("Pacific Standard Time"),
            Some(Tz::America__Los_Angeles)
        );
        assert_eq!(resolve("tokyo standard time"), Some(Tz::Asia__Tokyo));
        assert_eq!(resolve("Europe/Berlin"), Some(Tz::Europe__Berlin));
        assert_eq!(resolve("Mars Standard Time"), None);
    }

    #[test]
    fn graph_text_round_trips() {
        let t = parse_local("2025-03-04T09:30:00.0000000").unwrap();
        assert_eq!(format_local(t), "2025-03-04T09:30:00.0000000");
        let i = parse_instant("2025-03-04T10:30:00+01:00").unwrap();
        assert_eq!(format_utc(i), "2025-03-04T09:30:00.0000000Z");
    }
}
