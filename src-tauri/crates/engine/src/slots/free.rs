//! The time everyone can meet in, the common ground of slot finding, the availability overview
//! and the check of a chosen slot: inside each person's working hours (in their own zone),
//! away from their blocking items by the buffers, and within the window asked about.

use chrono::{DateTime, Utc};

use crate::slots::busy::busy_spans;
use crate::slots::params::SlotParams;
use crate::slots::schedule::PersonSchedule;
use crate::slots::span::{intersect, shifted, subtract, Span};
use crate::slots::working::working_spans;

/// The instants a request looks in: the recipient's days `first_day..=last_day`, from the
/// minimum notice after `now` on. None when that leaves nothing.
pub(crate) fn requested_window(params: &SlotParams, now: DateTime<Utc>) -> Option<Span> {
    let zone = &params.recipient_zone;
    let after_last = params.last_day.succ_opt()?;
    if params.last_day < params.first_day {
        return None;
    }
    let notice = shifted(now, i64::from(params.minimum_notice_minutes) * 60);
    let window = Span {
        start: zone.start_of_day(params.first_day).max(notice),
        end: zone.start_of_day(after_last),
    };
    (!window.is_empty()).then_some(window)
}

/// The spans within `window` where every person is inside their working hours and free, with
/// the buffers kept from their busy items; sorted and disjoint. With nobody to meet there is
/// no common time.
///
/// Each person's busy time is merged once and the people are intersected in one sweep each,
/// so the work grows with the number of items and days, not with the number of start times
/// later tried against them.
pub(crate) fn free_spans(
    people: &[PersonSchedule],
    params: &SlotParams,
    window: Span,
) -> Vec<Span> {
    if people.is_empty() || window.is_empty() {
        return Vec::new();
    }
    let mut free = vec![window];
    for person in people {
        let (available, day_zone) = match &person.working_hours {
            Some(hours) => (working_spans(hours, window), &hours.zone),
            None => (vec![window], &params.recipient_zone),
        };
        let busy = busy_spans(person, day_zone, params);
        free = intersect(&free, &subtract(&available, &busy));
        if free.is_empty() {
            break;
        }
    }
    free
}
