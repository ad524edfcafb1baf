//! The time a person cannot meet in: their blocking items, all-day and multi-day ones widened
//! to whole days in the person's zone, each widened again by the meeting's buffers, merged.

use chrono::{DateTime, NaiveDate, NaiveTime, TimeDelta, Utc};

use crate::slots::params::SlotParams;
use crate::slots::schedule::{PersonSchedule, ScheduleItem};
use crate::slots::span::{shifted, union, Span};
use crate::slots::zone::Zone;

/// An item at least this long is a multi-day item: it blocks every day it touches, whole.
const MULTI_DAY_SECONDS: i64 = 24 * 60 * 60;

/// The spans a meeting may not overlap, sorted and disjoint. Buffers are folded in here: a
/// meeting needs `buffer_before` free before it, so each busy span reaches that much further
/// on; and `buffer_after` free after it, so each one starts that much earlier.
pub(crate) fn busy_spans(
    person: &PersonSchedule,
    day_zone: &Zone,
    params: &SlotParams,
) -> Vec<Span> {
    let before = i64::from(params.buffer_before_minutes) * 60;
    let after = i64::from(params.buffer_after_minutes) * 60;
    let spans = person
        .items
        .iter()
        .filter(|item| item.status.blocks(params.tentative_is_busy))
        .filter_map(|item| blocked(item, day_zone))
        .map(|s| Span {
            start: shifted(s.start, -after),
            end: shifted(s.end, before),
        })
        .collect();
    union(spans)
}

/// The time one blocking item takes away.
fn blocked(item: &ScheduleItem, zone: &Zone) -> Option<Span> {
    let exact = Span {
        start: item.start,
        end: item.end,
    };
    if item.is_all_day {
        let first = nearest_day(zone, item.start);
        let end = nearest_day(zone, item.end).max(next(first));
        return Some(days(zone, first, end));
    }
    if exact.is_empty() {
        return None;
    }
    if (item.end - item.start).num_seconds() >= MULTI_DAY_SECONDS {
        let first = zone.local(item.start).date_naive();
        let last = zone.local(item.end);
        let end = if last.time() == NaiveTime::MIN {
            last.date_naive()
        } else {
            next(last.date_naive())
        };
        return Some(days(zone, first, end));
    }
    Some(exact)
}

/// The local day whose midnight is nearest `instant`: an all-day item written in another zone
/// is a few hours off midnight here, and belongs to the day it mostly covers.
fn nearest_day(zone: &Zone, instant: DateTime<Utc>) -> NaiveDate {
    let local = zone.local(instant).naive_local();
    local
        .checked_add_signed(TimeDelta::hours(12))
        .unwrap_or(local)
        .date()
}

fn next(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap_or(day)
}

/// Whole days `first` up to (not including) `end`, in `zone`.
fn days(zone: &Zone, first: NaiveDate, end: NaiveDate) -> Span {
    Span {
        start: zone.start_of_day(first),
        end: zone.start_of_day(end),
    }
}
