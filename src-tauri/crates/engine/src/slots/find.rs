//! Slot finding itself: one pass that narrows the period asked for to the time every person is
//! free in, then lays the start times on the recipient's grid.

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use crate::slots::busy::busy_spans;
use crate::slots::params::{Slot, SlotParams};
use crate::slots::schedule::PersonSchedule;
use crate::slots::span::{intersect, shifted, subtract, Span};
use crate::slots::working::working_spans;
use crate::slots::zone::Zone;

/// The times a meeting of `params.duration_minutes` can start at, earliest first: within the
/// recipient's days `first_day..=last_day`, at least the minimum notice after `now`, and only
/// where every person is inside their own working hours and free, with the buffers kept from
/// their busy items. With nobody to meet there is nothing to offer.
///
/// Each person's busy time is merged once and the people are intersected in one sweep each,
/// so the work grows with the number of items and days, not with the number of start times
/// tried against them.
pub fn find_slots(people: &[PersonSchedule], params: &SlotParams, now: DateTime<Utc>) -> Vec<Slot> {
    let zone = &params.recipient_zone;
    let Some(after_last) = params.last_day.succ_opt() else {
        return Vec::new();
    };
    if people.is_empty() || params.last_day < params.first_day {
        return Vec::new();
    }
    let notice = shifted(now, i64::from(params.minimum_notice_minutes) * 60);
    let window = Span {
        start: zone.start_of_day(params.first_day).max(notice),
        end: zone.start_of_day(after_last),
    };
    if window.is_empty() {
        return Vec::new();
    }
    let mut free = vec![window];
    for person in people {
        let (available, day_zone) = match &person.working_hours {
            Some(hours) => (working_spans(hours, window), &hours.zone),
            None => (vec![window], zone),
        };
        let busy = busy_spans(person, day_zone, params);
        free = intersect(&free, &subtract(&available, &busy));
        if free.is_empty() {
            break;
        }
    }
    starts(&free, params)
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

/// The first instant at or after `from` that is a whole number of steps after the top of the
/// recipient's hour `from` falls in.
fn first_on_grid(zone: &Zone, from: DateTime<Utc>, step: i64) -> DateTime<Utc> {
    let local = zone.local(from);
    let seconds = from.timestamp();
    let top = seconds - i64::from(local.minute()) * 60 - i64::from(local.second());
    let partial = i64::from(from.timestamp_subsec_nanos() > 0);
    let elapsed = seconds - top + partial;
    let steps = (elapsed + step - 1) / step;
    DateTime::from_timestamp(top + steps * step, 0).unwrap_or(from)
}
