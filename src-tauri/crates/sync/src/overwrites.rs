//! What a merge overwrote, as kept in the store (`sync_overwrites.detail`) and told to the user:
//! the item's subject and time afterwards, and per decided field the winner, the value kept
//! and the value it replaced.

use onbehalf_engine::crm::EventTime;
use onbehalf_engine::sync::hash::Field;
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::plan::Overwritten;
use serde::{Deserialize, Serialize};

/// One merge's notice, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OverwriteDetail {
    /// What both sides hold afterwards.
    pub subject: String,
    pub time: EventTime,
    pub fields: Vec<Overwritten>,
}

impl OverwriteDetail {
    /// The JSON kept in the store. Written the same way each time, so a merge recorded again
    /// is recognised.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| "{}".to_string())
    }

    /// The stored JSON read back; `None` when it is not a notice this build can read.
    pub fn from_json(text: &str) -> Option<OverwriteDetail> {
        serde_json::from_str(text).ok()
    }

    /// Said to the user after the cycle: which side's values were kept, and what went.
    pub fn notice(&self) -> String {
        let what: Vec<String> = self
            .fields
            .iter()
            .map(|f| {
                format!(
                    "{} {} was kept and {} \"{}\" overwritten",
                    side(f.winner),
                    field_name(f.field),
                    other_side(f.winner),
                    short(&f.overwritten)
                )
            })
            .collect();
        format!(
            "\"{}\" was changed in Outlook and in the CRM: {}.",
            self.subject,
            what.join("; ")
        )
    }
}

/// A field's name as a person says it.
pub fn field_name(field: Field) -> &'static str {
    match field {
        Field::Subject => "subject",
        Field::Location => "location",
        Field::Body => "description",
        Field::Time => "time",
        Field::ShowAs => "busy state",
    }
}

fn side(winner: Winner) -> &'static str {
    match winner {
        Winner::Exchange => "Outlook's",
        Winner::Crm => "the CRM's",
    }
}

fn other_side(winner: Winner) -> &'static str {
    match winner {
        Winner::Exchange => "the CRM's",
        Winner::Crm => "Outlook's",
    }
}

/// A value short enough for one line of a notice.
fn short(value: &str) -> String {
    const MAX: usize = 60;
    let line = value.lines().next().unwrap_or("");
    match line.chars().count() > MAX || line.len() < value.trim_end().len() {
        true => format!("{}…", line.chars().take(MAX).collect::<String>()),
        false => line.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn detail(winner: Winner, kept: &str, overwritten: &str) -> OverwriteDetail {
        OverwriteDetail {
            subject: kept.to_string(),
            time: EventTime::Timed {
                start: Utc.with_ymd_and_hms(2026, 12, 2, 9, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 12, 2, 10, 0, 0).unwrap(),
            },
            fields: vec![Overwritten {
                field: Field::Subject,
                winner,
                kept: kept.to_string(),
                overwritten: overwritten.to_string(),
            }],
        }
    }

    #[test]
    fn the_notice_says_which_side_was_kept_and_what_was_overwritten() {
        assert_eq!(
            detail(Winner::Exchange, "Budget review", "Budget call").notice(),
            "\"Budget review\" was changed in Outlook and in the CRM: Outlook's subject was \
             kept and the CRM's \"Budget call\" overwritten."
        );
        assert_eq!(
            detail(Winner::Crm, "Budget call", "Budget review").notice(),
            "\"Budget call\" was changed in Outlook and in the CRM: the CRM's subject was kept \
             and Outlook's \"Budget review\" overwritten."
        );
    }

    #[test]
    fn a_long_or_many_line_value_is_cut_in_the_notice() {
        let d = detail(Winner::Exchange, "Review", "Line one\nLine two");
        assert!(d.notice().contains("\"Line one…\""), "{}", d.notice());
    }

    #[test]
    fn the_stored_detail_reads_back_as_written() {
        let d = detail(Winner::Crm, "Budget call", "Budget review");
        assert_eq!(OverwriteDetail::from_json(&d.to_json()), Some(d));
        assert_eq!(OverwriteDetail::from_json("{\"other\":1}"), None);
    }
}
