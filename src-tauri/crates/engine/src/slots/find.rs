//! Slot finding itself: the period asked for narrowed to the time every person is free in,
//! then the start times laid on the recipient's grid.

use chrono::{DateTime, NaiveDate, Utc};

use crate::slots::free::{free_spans, requested_window};
use crate::slots::grid::first_on_grid;
use crate::slots::params::{Slot, SlotParams};
use crate::slots::schedule::PersonSchedule;
use crate::slots::span::{shifted, Span};

/// The times a meeting of `params.duration_minutes` can start at, earliest first: within the
/// recipient's days `first_day..=last_day`, at least the minimum notice after `now`, and only
/// where every person is inside their own working hours and free, with the buffers kept from
/// their busy items. With nobody to meet there is nothing to offer.
pub fn find_slots(people: &[PersonSchedule], params: &SlotParams, now: DateTime<Utc>) -> Vec<Slot> {
    match requested_window(params, now) {
        Some(window) => starts(&free_spans(people, params, window), params),
        None => Vec::new(),
    }
}

/// The start times on the grid that leave room for the meeting in the free spans, at most
/// `max_per_day` on each of the recipient's days.
fn starts(free: &[Span], params: &SlotParams) -> Vec<Slot> {
    let zone = &params.recipient_zone;
    let length = i64::from(params.duration_minutes.get()) * 60;
    let step = i64::from(params.increment_minutes.get()) * 60;
    let limit = params.max_per_day.map(|n| n.get());
    let mut out = Vec::new();
    let mut today: Option<(NaiveDate, u32)> = None;
    for span in free {
        let mut start = first_on_grid(zone, span.start, step);
        loop {
            let end = shifted(start, length);
            if end <= start || end > span.end {
                break;
            }
            let day = zone.local(start).date_naive();
            let taken = match today {
                Some((d, n)) if d == day => n,
                _ => 0,
            };
            if limit.is_none_or(|max| taken < max) {
                out.push(Slot {
                    start: zone.local(start),
                    end: zone.local(end),
                });
                today = Some((day, taken + 1));
            }
            let next = shifted(start, step);
            if next <= start {
                break;
            }
            start = next;
        }
    }
    out
}
