//! Salesforce's text forms of dates and times: the REST API answers date-times as
//! `2026-03-02T15:00:00.000+0000` (always UTC) and dates as `2026-03-02`, and accepts ISO 8601
//! date-times with `Z` or any offset, with or without milliseconds.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, Utc};

/// A date-time as the REST API writes it.
pub(crate) fn format_datetime(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()
}

pub(crate) fn format_date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// An ISO 8601 date-time with `Z`, `+hh:mm` or `+hhmm`; without a zone it is taken as UTC.
pub(crate) fn parse_datetime(text: &str) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(text) {
        return Some(t.with_timezone(&Utc));
    }
    for format in ["%Y-%m-%dT%H:%M:%S%.f%z", "%Y-%m-%dT%H:%M:%S%z"] {
        if let Ok(t) = DateTime::<FixedOffset>::parse_from_str(text, format) {
            return Some(t.with_timezone(&Utc));
        }
    }
    // Assumption: a date-time without a zone is UTC, the zone the API transfers times in.
    ["%Y-%m-%dT%H:%M:%S%.f", "%Y-%m-%dT%H:%M:%S"]
        .iter()
        .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())
        .map(|t| t.and_utc())
}

pub(crate) fn parse_date(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn accepts_the_iso_forms_and_writes_salesforces() {
        let t = Utc.with_ymd_and_hms(2026, 3, 2, 15, 0, 0).unwrap();
        for text in [
            "2026-03-02T15:00:00Z",
            "2026-03-02T15:00:00.000Z",
            "2026-03-02T15:00:00.000+0000",
            "2026-03-02T16:00:00+01:00",
            "2026-03-02T10:00:00-0500",
        ] {
            assert_eq!(parse_datetime(text), Some(t), "{text}");
        }
        assert_eq!(format_datetime(t), "2026-03-02T15:00:00.000+0000");
        assert_eq!(parse_datetime("tomorrow"), None);
    }
}
