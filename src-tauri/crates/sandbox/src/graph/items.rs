//! Items as Graph lists them: single items and series masters for `/events`, and the
//! occurrences and exceptions of series for `calendarView` and `/instances` (cancelled
//! occurrences are left out, as Outlook does).

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, Utc, Weekday};

use crate::seed::{date_of_day, day_number};
use crate::state::{Event, Exception, ExceptionData, Recurrence};
use crate::tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemKind {
    SingleInstance,
    SeriesMaster,
    Occurrence,
    Exception,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::SingleInstance => "singleInstance",
            ItemKind::SeriesMaster => "seriesMaster",
            ItemKind::Occurrence => "occurrence",
            ItemKind::Exception => "exception",
        }
    }
}

/// One item as shown: an event, or one instance of a series.
#[derive(Clone, Copy)]
pub(crate) struct Item<'a> {
    pub ev: &'a Event,
    pub kind: ItemKind,
    /// Original day of an occurrence or exception.
    pub day: Option<u32>,
    pub start: NaiveDateTime,
    pub end: NaiveDateTime,
    pub ex: Option<&'a ExceptionData>,
}

impl<'a> Item<'a> {
    pub fn of_event(ev: &'a Event) -> Item<'a> {
        Item {
            ev,
            kind: if ev.recurrence.is_some() {
                ItemKind::SeriesMaster
            } else {
                ItemKind::SingleInstance
            },
            day: None,
            start: ev.start,
            end: ev.end,
            ex: None,
        }
    }

    pub fn subject(&self) -> &'a str {
        self.ex
            .and_then(|x| x.subject.as_deref())
            .unwrap_or(&self.ev.subject)
    }

    pub fn body(&self) -> &'a str {
        self.ex
            .and_then(|x| x.body.as_deref())
            .unwrap_or(&self.ev.body)
    }

    pub fn location(&self) -> &'a str {
        self.ex
            .and_then(|x| x.location.as_deref())
            .unwrap_or(&self.ev.location)
    }

    pub fn show_as(&self) -> &'a str {
        self.ex
            .and_then(|x| x.show_as.as_deref())
            .unwrap_or(&self.ev.show_as)
    }

    pub fn categories(&self) -> &'a [String] {
        self.ex
            .and_then(|x| x.categories.as_deref())
            .unwrap_or(&self.ev.categories)
    }

    pub fn is_private(&self) -> bool {
        self.ev.sensitivity == "private"
    }

    fn zone(&self) -> chrono_tz::Tz {
        tz::resolve(&self.ev.time_zone).unwrap_or(chrono_tz::Tz::UTC)
    }

    pub fn start_utc(&self) -> DateTime<Utc> {
        tz::to_utc(self.start, self.zone())
    }

    pub fn end_utc(&self) -> DateTime<Utc> {
        tz::to_utc(self.end, self.zone())
    }

    /// The item's version, for its change key: an exception changes with its series too (the
    /// sum grows whenever either does, and stays above the occurrence's own version).
    pub fn version(&self) -> u64 {
        self.ex
            .map(|x| x.version + self.ev.version)
            .unwrap_or(self.ev.version)
    }

    /// The change count of the item's last change (its series' or its own).
    pub fn changed(&self) -> u64 {
        self.ex
            .map(|x| x.changed.max(self.ev.changed))
            .unwrap_or(self.ev.changed)
    }

    /// When an occurrence or exception was to start as the series made it.
    pub fn original_start(&self) -> Option<DateTime<Utc>> {
        let day = self.day?;
        let local = date_of_day(day).and_time(self.ev.start.time());
        Some(tz::to_utc(local, self.zone()))
    }

    pub fn modified(&self) -> DateTime<Utc> {
        self.ex.and_then(|x| x.modified).unwrap_or(self.ev.modified)
    }

    /// Whether the item overlaps `[from, to)`; a zero-length item counts at its start.
    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        let (s, e) = (self.start_utc(), self.end_utc());
        if s == e {
            s >= from && s < to
        } else {
            s < to && e > from
        }
    }
}

fn weekday(name: &str) -> Option<Weekday> {
    match name.to_ascii_lowercase().as_str() {
        "sunday" => Some(Weekday::Sun),
        "monday" => Some(Weekday::Mon),
        "tuesday" => Some(Weekday::Tue),
        "wednesday" => Some(Weekday::Wed),
        "thursday" => Some(Weekday::Thu),
        "friday" => Some(Weekday::Fri),
        "saturday" => Some(Weekday::Sat),
        _ => None,
    }
}

/// Whether the pattern (ignoring the range) puts an occurrence on `day`.
fn on_pattern(r: &Recurrence, day: NaiveDate) -> bool {
    let interval = i64::from(r.interval.max(1));
    match r.pattern.as_str() {
        "daily" => (day - r.start_date).num_days() % interval == 0,
        "weekly" => {
            let first = weekday(&r.first_day_of_week).unwrap_or(Weekday::Sun);
            let week_start = |d: NaiveDate| {
                let back =
                    (7 + d.weekday().num_days_from_sunday() - first.num_days_from_sunday()) % 7;
                d - Duration::days(i64::from(back))
            };
            let weeks = (week_start(day) - week_start(r.start_date)).num_days() / 7;
            weeks % interval == 0
                && r.days_of_week
                    .iter()
                    .any(|d| weekday(d) == Some(day.weekday()))
        }
        "absoluteMonthly" => {
            let months = (day.year() - r.start_date.year()) * 12 + day.month() as i32
                - r.start_date.month() as i32;
            day.day() == r.day_of_month && i64::from(months) % interval == 0
        }
        "absoluteYearly" => {
            let years = day.year() - r.start_date.year();
            day.month() == r.month
                && day.day() == r.day_of_month
                && i64::from(years) % interval == 0
        }
        _ => false,
    }
}

/// The original dates of a series' occurrences within `[from, to]`.
pub(crate) fn occurrence_dates(r: &Recurrence, from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let last = match (r.range.as_str(), r.end_date) {
        ("endDate", Some(end)) => to.min(end),
        _ => to,
    };
    let mut out = Vec::new();
    if r.range == "numbered" {
        // Counting starts at the first occurrence, whatever the window.
        let mut n = 0;
        let mut d = r.start_date;
        while d <= last && n < r.occurrences {
            if on_pattern(r, d) {
                n += 1;
                if d >= from {
                    out.push(d);
                }
            }
            d += Duration::days(1);
        }
        return out;
    }
    let mut d = from.max(r.start_date);
    while d <= last {
        if on_pattern(r, d) {
            out.push(d);
        }
        d += Duration::days(1);
    }
    out
}

/// One instance of a series by its original day; `None` if the series has none that day or
/// it was cancelled.
pub(crate) fn instance(ev: &Event, day: u32) -> Option<Item<'_>> {
    let r = ev.recurrence.as_ref()?;
    let date = date_of_day(day);
    if occurrence_dates(r, date, date).is_empty() {
        return None;
    }
    let length = ev.end - ev.start;
    let start = date.and_time(ev.start.time());
    match ev.exceptions.get(&day) {
        Some(Exception::Cancelled) => None,
        Some(Exception::Changed(x)) => Some(Item {
            ev,
            kind: ItemKind::Exception,
            day: Some(day),
            start: x.start.unwrap_or(start),
            end: x.end.unwrap_or(start + length),
            ex: Some(x),
        }),
        None => Some(Item {
            ev,
            kind: ItemKind::Occurrence,
            day: Some(day),
            start,
            end: start + length,
            ex: None,
        }),
    }
}

/// The instances of a series overlapping `[from, to)`.
pub(crate) fn instances(ev: &Event, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Item<'_>> {
    let Some(r) = &ev.recurrence else {
        return Vec::new();
    };
    let length = ev.end - ev.start;
    let slack = length + Duration::days(2);
    let first = (from - slack).date_naive();
    let last = (to + Duration::days(2)).date_naive();
    let mut days: BTreeSet<u32> = occurrence_dates(r, first, last)
        .into_iter()
        .map(day_number)
        .collect();
    // Moved occurrences may now fall far from their original day.
    days.extend(ev.exceptions.keys().copied());
    days.into_iter()
        .filter_map(|d| instance(ev, d))
        .filter(|i| i.overlaps(from, to))
        .collect()
}

/// What a calendar view shows of one event over `[from, to)`.
pub(crate) fn expand(ev: &Event, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<Item<'_>> {
    if ev.recurrence.is_some() {
        instances(ev, from, to)
    } else {
        let item = Item::of_event(ev);
        if item.overlaps(from, to) {
            vec![item]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn weekly_monday(start: NaiveDate) -> Recurrence {
        Recurrence {
            pattern: "weekly".into(),
            interval: 2,
            days_of_week: vec!["monday".into()],
            first_day_of_week: "sunday".into(),
            day_of_month: 0,
            month: 0,
            range: "numbered".into(),
            start_date: start,
            end_date: None,
            occurrences: 3,
            time_zone: "UTC".into(),
        }
    }

    #[test]
    fn numbered_biweekly_series() {
        let start = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
        let r = weekly_monday(start);
        let dates = occurrence_dates(&r, start, start + Duration::days(60));
        assert_eq!(
            dates,
            vec![
                start,
                start + Duration::days(14),
                start + Duration::days(28)
            ]
        );
    }
}
