//! How long slot finding takes for five calendars over a year: about eight items a working day
//! each, some all-day and some over several days, working hours in five zones (Windows names,
//! an IANA name and a Graph custom zone). Only `find_slots` (and, for comparison,
//! `free_periods`, and `find_slots` for the first calendar alone, which leaves thousands of
//! slots) is timed, after the calendars are built. Prints figures; asserts nothing.

use std::error::Error;
use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Utc, Weekday};
use onbehalf_engine::slots::availability::free_periods;
use onbehalf_engine::slots::custom_zone::{CustomZone, DaylightOffset, TransitionRule};
use onbehalf_engine::slots::find::find_slots;
use onbehalf_engine::slots::params::SlotParams;
use onbehalf_engine::slots::schedule::{
    FreeBusyStatus, PersonSchedule, ScheduleItem, WorkingHours,
};
use onbehalf_engine::slots::zone::Zone;

const ROUNDS: usize = 50;
const YEAR: i32 = 2026;

fn main() -> Result<(), Box<dyn Error>> {
    let people = five_people()?;
    let items: usize = people.iter().map(|p| p.items.len()).sum();
    let params = SlotParams {
        increment_minutes: minutes(15)?,
        buffer_before_minutes: 5,
        buffer_after_minutes: 5,
        minimum_notice_minutes: 60,
        ..SlotParams::new(
            minutes(30)?,
            date(YEAR, 1, 1)?,
            date(YEAR, 12, 31)?,
            Zone::named("America/New_York")?,
        )
    };
    let now = date(YEAR - 1, 12, 31)?.and_time(NaiveTime::MIN).and_utc();

    // One round unmeasured, so the first measured one is not paying for cold caches.
    let slots = find_slots(&people, &params, now).len();
    let days = free_periods(&people, &params, now).len();
    // One calendar alone leaves far more free time: thousands of slots laid on the grid.
    let alone = &people[..1];
    let alone_items = alone.iter().map(|p| p.items.len()).sum::<usize>();
    let alone_slots = find_slots(alone, &params, now).len();
    let mut find = Vec::with_capacity(ROUNDS);
    let mut free = Vec::with_capacity(ROUNDS);
    let mut one = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        let start = Instant::now();
        let found = find_slots(&people, &params, now);
        find.push(start.elapsed());
        std::hint::black_box(found);
        let start = Instant::now();
        let found = free_periods(&people, &params, now);
        free.push(start.elapsed());
        std::hint::black_box(found);
        let start = Instant::now();
        let found = find_slots(alone, &params, now);
        one.push(start.elapsed());
        std::hint::black_box(found);
    }
    println!(
        "5 calendars, {items} items over {YEAR}: {slots} slots of 30 minutes every 15, free time on {days} days"
    );
    report("find_slots", &mut find);
    report("free_periods", &mut free);
    println!("1 calendar, {alone_items} items: {alone_slots} slots");
    report("find_slots", &mut one);
    Ok(())
}

fn minutes(n: u32) -> Result<NonZeroU32, Box<dyn Error>> {
    NonZeroU32::new(n).ok_or_else(|| "zero minutes".into())
}

fn date(year: i32, month: u32, day: u32) -> Result<NaiveDate, Box<dyn Error>> {
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| format!("no {year}-{month}-{day}").into())
}

fn time(h: u32, m: u32) -> Result<NaiveTime, Box<dyn Error>> {
    NaiveTime::from_hms_opt(h, m, 0).ok_or_else(|| format!("no {h}:{m}").into())
}

/// US Eastern time by its rules, as Graph gives a custom zone.
fn eastern_by_rules() -> Result<Zone, Box<dyn Error>> {
    Ok(Zone::Custom(CustomZone {
        bias: 300,
        standard_offset: Some(TransitionRule {
            month: 11,
            day_occurrence: 1,
            day_of_week: Weekday::Sun,
            time: time(2, 0)?,
            year: 0,
        }),
        daylight_offset: Some(DaylightOffset {
            daylight_bias: -60,
            rule: TransitionRule {
                month: 3,
                day_occurrence: 2,
                day_of_week: Weekday::Sun,
                time: time(2, 0)?,
                year: 0,
            },
        }),
    }))
}

fn five_people() -> Result<Vec<PersonSchedule>, Box<dyn Error>> {
    let weekdays = vec![
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
    ];
    let working = [
        (
            "olivia",
            Zone::named("W. Europe Standard Time")?,
            (8, 0),
            (18, 0),
        ),
        ("sam", Zone::named("Europe/London")?, (8, 0), (17, 30)),
        ("megan", eastern_by_rules()?, (8, 0), (17, 0)),
        (
            "lea",
            Zone::named("Romance Standard Time")?,
            (8, 30),
            (18, 0),
        ),
        ("aino", Zone::named("FLE Standard Time")?, (9, 0), (18, 0)),
    ];
    let mut dice = Dice(2026);
    working
        .into_iter()
        .map(|(name, zone, from, to)| {
            let hours = WorkingHours {
                days_of_week: weekdays.clone(),
                start_time: time(from.0, from.1)?,
                end_time: time(to.0, to.1)?,
                zone,
            };
            Ok(PersonSchedule {
                schedule_id: format!("{name}@contoso.com"),
                items: a_year(&mut dice, &hours)?,
                working_hours: Some(hours),
            })
        })
        .collect()
}

/// A small deterministic generator, so every run times the same calendars.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }

    fn pick<T: Copy>(&mut self, from: &[T]) -> Option<T> {
        let i = usize::try_from(self.roll(from.len() as u64)).ok()?;
        from.get(i).copied()
    }
}

/// A year of one person's calendar: about eight items of 15 to 90 minutes each working day
/// from 07:00 to 19:00 their time, one or two now and then at a weekend, an all-day item
/// every few weeks (a day off, a birthday shown free) and a conference of two to four days
/// every couple of months.
fn a_year(dice: &mut Dice, hours: &WorkingHours) -> Result<Vec<ScheduleItem>, Box<dyn Error>> {
    use FreeBusyStatus::*;
    let zone = &hours.zone;
    let statuses = [
        Busy,
        Busy,
        Busy,
        Busy,
        Busy,
        Busy,
        Tentative,
        Tentative,
        Free,
        WorkingElsewhere,
        Oof,
    ];
    let mut items = Vec::new();
    let mut today = date(YEAR, 1, 1)?;
    let end = date(YEAR + 1, 1, 1)?;
    let item = |status, start: DateTime<Utc>, end: DateTime<Utc>, is_all_day| ScheduleItem {
        status,
        start,
        end,
        is_private: false,
        is_all_day,
    };
    while today < end {
        let midnight = zone.start_of_day(today);
        let tomorrow = today.succ_opt().ok_or("end of time")?;
        let working = hours.days_of_week.contains(&today.weekday());
        let count = if working {
            6 + dice.roll(5)
        } else {
            dice.roll(3) / 2
        };
        for _ in 0..count {
            let start = midnight + TimeDelta::minutes(7 * 60 + 15 * dice.roll(12 * 4) as i64);
            let length = TimeDelta::minutes(15 * (1 + dice.roll(6)) as i64);
            let status = dice.pick(&statuses).unwrap_or(Busy);
            items.push(ScheduleItem {
                is_private: dice.roll(5) == 0,
                ..item(status, start, start + length, false)
            });
        }
        match dice.roll(60) {
            0 | 1 => items.push(item(Oof, midnight, zone.start_of_day(tomorrow), true)),
            2 => items.push(item(Free, midnight, zone.start_of_day(tomorrow), true)),
            3 => {
                let days = 2 + dice.roll(3) as i64;
                let start = midnight + TimeDelta::hours(9);
                items.push(item(
                    Busy,
                    start,
                    start + TimeDelta::days(days) - TimeDelta::hours(1),
                    false,
                ));
            }
            _ => {}
        }
        today = tomorrow;
    }
    Ok(items)
}

fn report(what: &str, times: &mut [Duration]) {
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let at = |q: f64| {
        let i = ((times.len() as f64 - 1.0) * q).round() as usize;
        times.get(i).copied().unwrap_or_default()
    };
    println!(
        "{what:<24} min {:>8.3} ms   median {:>8.3} ms   p95 {:>8.3} ms   max {:>8.3} ms   ({} rounds)",
        ms(at(0.0)),
        ms(at(0.5)),
        ms(at(0.95)),
        ms(at(1.0)),
        times.len()
    );
}
