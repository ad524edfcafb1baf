//! Hashes of the synced fields, one per field, so that a side's change to one field is told
//! apart from a change to another without keeping the fields' text.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::crm::EventTime;
use crate::sync::model::Fields;

/// A field that travels between Exchange and the CRM.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Field {
    Subject,
    Location,
    Body,
    Time,
    ShowAs,
}

impl Field {
    pub const ALL: [Field; 5] = [
        Field::Subject,
        Field::Location,
        Field::Body,
        Field::Time,
        Field::ShowAs,
    ];
}

/// One short hash per field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldHashes {
    pub subject: String,
    pub location: String,
    pub body: String,
    pub time: String,
    pub show_as: String,
}

impl FieldHashes {
    pub fn of(f: &Fields) -> FieldHashes {
        FieldHashes {
            subject: short(f.subject.trim()),
            location: short(f.location.as_deref().unwrap_or("").trim()),
            body: short(&normalize_body(f.body.as_deref().unwrap_or(""))),
            time: short(&time_text(&f.time)),
            show_as: short(if f.show_as_busy { "busy" } else { "free" }),
        }
    }

    pub fn get(&self, field: Field) -> &str {
        match field {
            Field::Subject => &self.subject,
            Field::Location => &self.location,
            Field::Body => &self.body,
            Field::Time => &self.time,
            Field::ShowAs => &self.show_as,
        }
    }

    /// The fields whose hash differs from `base`.
    pub fn changed_since(&self, base: &FieldHashes) -> Vec<Field> {
        Field::ALL
            .into_iter()
            .filter(|f| self.get(*f) != base.get(*f))
            .collect()
    }
}

/// 16 hex characters of SHA-256: enough to tell changes apart, short enough for a property.
fn short(text: &str) -> String {
    hex::encode(&Sha256::digest(text.as_bytes())[..8])
}

fn time_text(t: &EventTime) -> String {
    match t {
        EventTime::Timed { start, end } => format!("{}/{}", start.timestamp(), end.timestamp()),
        EventTime::AllDay { first, last } => format!("{first}..{last}"),
    }
}

/// Line endings and trailing white space differ between Exchange's text and a CRM's without
/// anyone having changed the text.
fn normalize_body(body: &str) -> String {
    body.replace("\r\n", "\n")
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim()
        .to_string()
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn fields(subject: &str, body: &str) -> Fields {
        Fields {
            subject: subject.into(),
            location: None,
            body: Some(body.into()),
            time: EventTime::Timed {
                start: Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 12, 1, 10, 0, 0).unwrap(),
            },
            show_as_busy: true,
        }
    }

    #[test]
    fn only_the_changed_field_shows_as_changed() {
        let base = FieldHashes::of(&fields("Budget review", "Agenda"));
        let now = FieldHashes::of(&fields("Budget review (moved)", "Agenda"));
        assert_eq!(now.changed_since(&base), vec![Field::Subject]);
    }

    #[test]
    fn line_endings_and_trailing_space_are_not_a_change() {
        let base = FieldHashes::of(&fields("S", "Line one\r\nLine two  \r\n"));
        let now = FieldHashes::of(&fields("S", "Line one\nLine two"));
        assert!(now.changed_since(&base).is_empty());
    }
}
