//! "Send availability": a free/busy overview of a period, the stretches of time everyone can
//! meet in, day by day in the recipient's zone, rather than single start times.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::slots::free::{free_spans, requested_window};
use crate::slots::grid::first_on_grid;
use crate::slots::params::{Slot, SlotParams};
use crate::slots::schedule::PersonSchedule;
use crate::slots::span::{shifted, Span};
use crate::slots::zone::Zone;

/// One of the recipient's days and the stretches of it everyone is free in, earliest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct DayFree {
    pub day: NaiveDate,
    pub free: Vec<Slot>,
}

/// The stretches where every person is inside their working hours and free, by the recipient's
/// days `first_day..=last_day`, under the same rules as [`find_slots`]: buffers kept from busy
/// items, nothing before the minimum notice after `now`, tentative items busy or not as asked.
///
/// `duration_minutes` is the shortest stretch worth listing, and each stretch starts on the
/// grid: so every stretch holds at least one start [`find_slots`] offers, and every start it
/// offers lies in a stretch (`max_per_day` aside, which an overview does not apply). A stretch
/// running over the recipient's midnight is listed in two parts, one on each day. Days with no
/// free stretch are left out.
///
/// [`find_slots`]: crate::slots::find::find_slots
pub fn free_periods(
    people: &[PersonSchedule],
    params: &SlotParams,
    now: DateTime<Utc>,
) -> Vec<DayFree> {
    let Some(window) = requested_window(params, now) else {
        return Vec::new();
    };
    let zone = &params.recipient_zone;
    let length = i64::from(params.duration_minutes.get()) * 60;
    let step = i64::from(params.increment_minutes.get()) * 60;
    let mut out: Vec<DayFree> = Vec::new();
    for span in free_spans(people, params, window) {
        let stretch = Span {
            start: first_on_grid(zone, span.start, step),
            end: span.end,
        };
        let first_end = shifted(stretch.start, length);
        if first_end <= stretch.start || first_end > stretch.end {
            continue;
        }
        for (day, part) in by_day(zone, stretch) {
            let slot = Slot {
                start: zone.local(part.start),
                end: zone.local(part.end),
            };
            match out.last_mut() {
                Some(last) if last.day == day => last.free.push(slot),
                _ => out.push(DayFree {
                    day,
                    free: vec![slot],
                }),
            }
        }
    }
    out
}

/// `stretch` cut at the recipient's midnights, each part with its day.
fn by_day(zone: &Zone, stretch: Span) -> Vec<(NaiveDate, Span)> {
    let mut parts = Vec::new();
    let mut from = stretch.start;
    while from < stretch.end {
        let day = zone.local(from).date_naive();
        let to = day
            .succ_opt()
            .map(|next| zone.start_of_day(next))
            .filter(|midnight| *midnight > from)
            .map_or(stretch.end, |midnight| midnight.min(stretch.end));
        parts.push((
            day,
            Span {
                start: from,
                end: to,
            },
        ));
        from = to;
    }
    parts
}
