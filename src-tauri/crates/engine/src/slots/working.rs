//! A person's working hours laid out as instants: each working day's hours read in the
//! person's own zone, so a daylight saving change moves them with the person's clock.

use chrono::Datelike;

use crate::slots::schedule::WorkingHours;
use crate::slots::span::{intersect, union, Span};

/// The working spans that meet `within`, sorted and disjoint.
pub(crate) fn working_spans(hours: &WorkingHours, within: Span) -> Vec<Span> {
    let zone = &hours.zone;
    let last = zone.local(within.end).date_naive();
    // A day's hours may run past midnight, so the day before the first one counts too.
    let start = zone.local(within.start).date_naive();
    let mut day = start.pred_opt().unwrap_or(start);
    let overnight = hours.end_time <= hours.start_time;
    let mut spans = Vec::new();
    loop {
        let end_day = if overnight { day.succ_opt() } else { Some(day) };
        if let (true, Some(end_day)) = (hours.days_of_week.contains(&day.weekday()), end_day) {
            spans.push(Span {
                start: zone.instant(day.and_time(hours.start_time)),
                end: zone.instant(end_day.and_time(hours.end_time)),
            });
        }
        match day.succ_opt() {
            Some(d) if d <= last => day = d,
            _ => break,
        }
    }
    intersect(&union(spans), &[within])
}
