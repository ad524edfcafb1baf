//! What to do with a reply that chose a slot: book it when everyone is still free then, and
//! otherwise offer the next free times of the same request.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::slots::find::find_slots;
use crate::slots::free::free_spans;
use crate::slots::params::{Slot, SlotParams};
use crate::slots::schedule::{FreeBusyStatus, PersonSchedule, ScheduleItem};
use crate::slots::span::Span;

/// How many other times a taken slot is answered with.
const ALTERNATIVES: usize = 3;

/// The decision on a chosen slot.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "kind", rename_all = "camelCase")]
pub enum Booking {
    /// Everyone is still free then: book it.
    Book,
    /// Someone is no longer free then; these are the next free times of the same request, at
    /// most three, earliest first (none when nothing else is free).
    Taken { alternatives: Vec<Slot> },
    /// The slot has already begun.
    Expired,
}

/// Whether `chosen` can still be booked, by the request's own rules (working hours, buffers,
/// tentative busy or not): `Expired` once `now` has reached its start; `Book` when it lies
/// wholly in time every person is free in; `Taken` otherwise, with the next free slots of the
/// request from `now` on (its minimum notice kept).
///
/// `own_holds` are the tentative holds this offer put on the calendar: an item that is
/// tentative and starts and ends exactly with one of them is that hold, not a meeting, and does
/// not count as busy, for the chosen slot or the alternatives. The minimum notice does not
/// apply to the chosen slot: it was offered in time, and the reply only has to come before it.
pub fn decide(
    chosen: &Slot,
    people: &[PersonSchedule],
    params: &SlotParams,
    own_holds: &[Slot],
    now: DateTime<Utc>,
) -> Booking {
    if now >= chosen.start {
        return Booking::Expired;
    }
    let people: Vec<PersonSchedule> = people.iter().map(|p| without(p, own_holds)).collect();
    let wanted = Span {
        start: chosen.start.to_utc(),
        end: chosen.end.to_utc(),
    };
    let free = free_spans(&people, params, wanted);
    if !wanted.is_empty() && free == [wanted] {
        return Booking::Book;
    }
    Booking::Taken {
        alternatives: find_slots(&people, params, now)
            .into_iter()
            .take(ALTERNATIVES)
            .collect(),
    }
}

/// `person`'s schedule without the items that are this offer's own holds.
fn without(person: &PersonSchedule, holds: &[Slot]) -> PersonSchedule {
    PersonSchedule {
        items: person
            .items
            .iter()
            .filter(|item| !holds.iter().any(|hold| is_hold(item, hold)))
            .cloned()
            .collect(),
        ..person.clone()
    }
}

fn is_hold(item: &ScheduleItem, hold: &Slot) -> bool {
    item.status == FreeBusyStatus::Tentative && item.start == hold.start && item.end == hold.end
}
