//! The field-level merge: when both sides changed since the last sync, each field changed on
//! one side only goes to the other; a field changed on both is decided by the winner.

use serde::{Deserialize, Serialize};

use crate::sync::hash::{Field, FieldHashes};
use crate::sync::model::Fields;

/// Which side decides a field changed on both.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Winner {
    #[default]
    Exchange,
    Crm,
}

/// Where each field goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Merge {
    /// The fields as they should be on both sides afterwards.
    pub result: Fields,
    /// Fields the CRM must take from Exchange.
    pub to_crm: Vec<Field>,
    /// Fields Exchange must take from the CRM.
    pub to_exchange: Vec<Field>,
    /// Fields changed on both sides, with the side whose value was kept.
    pub decided: Vec<(Field, Winner)>,
}

/// Merge the Exchange and CRM fields against the hashes of the last synced ones.
pub fn merge(ex: &Fields, crm: &Fields, base: &FieldHashes, winner: Winner) -> Merge {
    let ex_changed = FieldHashes::of(ex).changed_since(base);
    let crm_changed = FieldHashes::of(crm).changed_since(base);
    let mut result = ex.clone();
    let mut to_crm = Vec::new();
    let mut to_exchange = Vec::new();
    let mut decided = Vec::new();
    for field in Field::ALL {
        let on_ex = ex_changed.contains(&field);
        let on_crm = crm_changed.contains(&field);
        let same = FieldHashes::of(ex).get(field) == FieldHashes::of(crm).get(field);
        match (on_ex, on_crm, same) {
            // Unchanged, or changed the same way on both sides.
            (false, false, _) | (true, true, true) => {}
            (true, false, _) => to_crm.push(field),
            (false, true, _) => {
                take(&mut result, crm, field);
                to_exchange.push(field);
            }
            (true, true, false) => {
                decided.push((field, winner));
                match winner {
                    Winner::Exchange => to_crm.push(field),
                    Winner::Crm => {
                        take(&mut result, crm, field);
                        to_exchange.push(field);
                    }
                }
            }
        }
    }
    Merge {
        result,
        to_crm,
        to_exchange,
        decided,
    }
}

fn take(into: &mut Fields, from: &Fields, field: Field) {
    match field {
        Field::Subject => into.subject = from.subject.clone(),
        Field::Location => into.location = from.location.clone(),
        Field::Body => into.body = from.body.clone(),
        Field::Time => into.time = from.time,
        Field::ShowAs => into.show_as_busy = from.show_as_busy,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;
    use crate::crm::EventTime;

    fn fields(subject: &str, location: &str, hour: u32) -> Fields {
        Fields {
            subject: subject.into(),
            location: Some(location.into()),
            body: None,
            time: EventTime::Timed {
                start: Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap(),
                end: Utc.with_ymd_and_hms(2026, 12, 1, hour + 1, 0, 0).unwrap(),
            },
            show_as_busy: true,
        }
    }

    #[test]
    fn a_field_changed_on_one_side_goes_to_the_other() {
        let base = FieldHashes::of(&fields("Review", "Room 1", 9));
        let ex = fields("Review", "Room 1", 10); // moved in Outlook
        let crm = fields("Review", "Room 2", 9); // relocated in the CRM
        let m = merge(&ex, &crm, &base, Winner::Exchange);
        assert_eq!(m.to_crm, vec![Field::Time]);
        assert_eq!(m.to_exchange, vec![Field::Location]);
        assert!(m.decided.is_empty());
        assert_eq!(m.result, fields("Review", "Room 2", 10));
    }

    #[test]
    fn a_field_changed_on_both_sides_is_decided_by_the_winner() {
        let base = FieldHashes::of(&fields("Review", "Room 1", 9));
        let ex = fields("Review (Exchange)", "Room 1", 9);
        let crm = fields("Review (CRM)", "Room 1", 9);
        let m = merge(&ex, &crm, &base, Winner::Exchange);
        assert_eq!(m.to_crm, vec![Field::Subject]);
        assert_eq!(m.decided, vec![(Field::Subject, Winner::Exchange)]);
        assert_eq!(m.result.subject, "Review (Exchange)");
        let m = merge(&ex, &crm, &base, Winner::Crm);
        assert_eq!(m.to_exchange, vec![Field::Subject]);
        assert_eq!(m.result.subject, "Review (CRM)");
    }

    #[test]
    fn the_same_change_on_both_sides_is_no_conflict() {
        let base = FieldHashes::of(&fields("Review", "Room 1", 9));
        let both = fields("Review", "Room 1", 11);
        let m = merge(&both, &both, &base, Winner::Crm);
        assert!(m.to_crm.is_empty() && m.to_exchange.is_empty() && m.decided.is_empty());
    }
}
