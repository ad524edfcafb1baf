//! The executive's recurring meetings: a weekly leadership meeting with one occurrence moved
//! and the next cancelled, and an open-ended weekly one-on-one with Daniel.

use chrono::{Duration, NaiveDate, Weekday};

use super::names::COLLEAGUES;
use super::{at, attendee, day_number, weekday_on_or_before, Builder, Spec, HOME_ZONE};
use crate::state::{Exception, ExceptionData, Recurrence};

fn weekly(days: &[&str], start: NaiveDate, range: &str, end: Option<NaiveDate>) -> Recurrence {
    Recurrence {
        pattern: "weekly".to_string(),
        interval: 1,
        days_of_week: days.iter().map(|d| d.to_string()).collect(),
        first_day_of_week: "sunday".to_string(),
        day_of_month: 0,
        month: 0,
        range: range.to_string(),
        start_date: start,
        end_date: end,
        occurrences: 0,
        time_zone: HOME_ZONE.to_string(),
    }
}

/// A weekly series across the whole window, with the occurrence of the week after today
/// moved to Tuesday afternoon and the one after that cancelled.
pub(super) fn leadership_series(b: &mut Builder, cal: u64, exec: usize, today: NaiveDate) {
    let first = weekday_on_or_before(today - Duration::days(84), Weekday::Mon);
    let last = first + Duration::weeks(25);
    let mut spec = Spec::new("Leadership team weekly", at(first, 10, 0), 60, exec);
    spec.location = "Board Room 4.01".to_string();
    spec.attendees = COLLEAGUES
        .iter()
        .take(4)
        .enumerate()
        .map(|(i, (n, a))| attendee(n, a, i))
        .collect();
    spec.body = "Standing agenda: numbers, people, priorities.".to_string();
    spec.recurrence = Some(weekly(&["monday"], first, "endDate", Some(last)));
    let key = b.add(cal, spec);
    let moved = weekday_on_or_before(today, Weekday::Mon) + Duration::weeks(1);
    let cancelled = moved + Duration::weeks(1);
    if let Some(ev) = b.state.events.get_mut(&key) {
        let data = ExceptionData {
            start: Some(at(moved + Duration::days(1), 14, 0)),
            end: Some(at(moved + Duration::days(1), 15, 0)),
            subject: Some("Leadership team weekly (moved)".to_string()),
            version: 2,
            ..ExceptionData::default()
        };
        ev.exceptions
            .insert(day_number(moved), Exception::Changed(Box::new(data)));
        ev.exceptions
            .insert(day_number(cancelled), Exception::Cancelled);
    }
}

pub(super) fn one_on_one_series(
    b: &mut Builder,
    cal: u64,
    exec: usize,
    daniel: usize,
    today: NaiveDate,
) {
    let first = weekday_on_or_before(today - Duration::days(60), Weekday::Fri);
    let mut spec = Spec::new("1:1 with Daniel Reyes", at(first, 16, 0), 30, exec);
    let person = b.state.person(daniel);
    spec.attendees = vec![attendee(&person.name, &person.address, 0)];
    spec.location = "Olivia's office".to_string();
    spec.recurrence = Some(weekly(&["friday"], first, "noEnd", None));
    b.add(cal, spec);
}
