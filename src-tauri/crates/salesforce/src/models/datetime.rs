//! Salesforce's dateTime values: `2024-05-01T10:00:00.000+0000` in answers (no colon in the
//! offset), ISO 8601 in UTC in requests.

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Deserializer};

pub(crate) fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .or_else(|_| DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f%z"))
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// `2024-05-01T10:00:00Z`
pub(crate) fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

pub(crate) fn required<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
    let text = String::deserialize(d)?;
    parse(&text).ok_or_else(|| serde::de::Error::custom("not a Salesforce dateTime"))
}

pub(crate) fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
    match Option::<String>::deserialize(d)? {
        None => Ok(None),
        Some(text) => parse(&text)
            .map(Some)
            .ok_or_else(|| serde::de::Error::custom("not a Salesforce dateTime")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_offset_forms_are_read() {
        let a = parse("2013-05-08T20:45:00.000+0000");
        let b = parse("2013-05-08T20:45:00Z");
        assert!(a.is_some());
        assert_eq!(a, b);
        assert_eq!(
            parse("2013-05-08T22:45:00.000+0200"),
            b,
            "offsets are applied"
        );
        assert_eq!(parse("yesterday"), None);
    }
}
