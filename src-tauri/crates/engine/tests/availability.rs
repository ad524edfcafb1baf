//! "Send availability": the stretches everyone is free in, day by day in the recipient's zone,
//! under the same rules as the slots offered one by one.
//!
//! Dates are in 2026: 3 March is a Tuesday; the US changed clocks on 8 March.

#![allow(clippy::unwrap_used)]

mod slots_common;

use chrono::Datelike;
use onbehalf_engine::slots::availability::{free_periods, DayFree};
use onbehalf_engine::slots::find::find_slots;
use onbehalf_engine::slots::params::{Slot, SlotParams};
use onbehalf_engine::slots::schedule::{PersonSchedule, ScheduleItem};
use rstest::rstest;
use slots_common::*;

/// Each day as "YYYY-MM-DD: HH:MM-HH:MM, …" in the recipient's wall-clock time.
fn overview(days: &[DayFree]) -> Vec<String> {
    days.iter()
        .map(|d| {
            let stretches: Vec<String> = d
                .free
                .iter()
                .map(|s| format!("{}-{}", s.start.format("%H:%M"), s.end.format("%H:%M")))
                .collect();
            format!("{}: {}", d.day, stretches.join(", "))
        })
        .collect()
}

/// Olivia on Tuesday 3 March: busy 10:00–11:00 and 12:00–12:20, tentative 15:00–15:30.
fn olivias_tuesday() -> Vec<ScheduleItem> {
    vec![
        busy("2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00"),
        busy("2026-03-03T12:00:00+01:00", "2026-03-03T12:20:00+01:00"),
        tentative("2026-03-03T15:00:00+01:00", "2026-03-03T15:30:00+01:00"),
    ]
}

fn tuesday(length: u32) -> SlotParams {
    request(length, 30, "2026-03-03", "2026-03-03", "Europe/Berlin")
}

#[rstest]
// A stretch starts on the grid: free from 12:20, the first half-hour start is 12:30.
#[case::half_hour_meetings(
    tuesday(30),
    &["2026-03-03: 09:00-10:00, 11:00-12:00, 12:30-15:00, 15:30-17:00"]
)]
// A stretch too short for the meeting is not worth listing.
#[case::two_hour_meetings(tuesday(120), &["2026-03-03: 12:30-15:00"])]
// 30 minutes kept before a meeting, away from the end of a busy item; 15 after: 11:30–11:45
// is left between the two morning items, too short for the meeting.
#[case::with_buffers(
    SlotParams { buffer_before_minutes: 30, buffer_after_minutes: 15, ..tuesday(30) },
    &["2026-03-03: 09:00-09:45, 13:00-14:45, 16:00-17:00"]
)]
#[case::tentative_counted_as_free(
    SlotParams { tentative_is_busy: false, ..tuesday(30) },
    &["2026-03-03: 09:00-10:00, 11:00-12:00, 12:30-17:00"]
)]
fn free_stretches_follow_the_rules_slots_follow(
    #[case] params: SlotParams,
    #[case] expected: &[&str],
) {
    let days = free_periods(&[olivia(olivias_tuesday())], &params, long_ago());
    assert_eq!(overview(&days), expected);
}

#[test]
fn nothing_before_the_minimum_notice_is_listed() {
    let params = SlotParams {
        minimum_notice_minutes: 60,
        ..tuesday(30)
    };
    let now = at("2026-03-03T13:10:00+01:00");
    let days = free_periods(&[olivia(olivias_tuesday())], &params, now);
    assert_eq!(overview(&days), ["2026-03-03: 14:30-15:00, 15:30-17:00"]);
}

#[test]
fn days_without_free_time_are_left_out() {
    // Friday to Monday: the weekend is nobody's working time.
    let params = request(60, 30, "2026-03-06", "2026-03-09", "Europe/Berlin");
    let days = free_periods(&[olivia(vec![])], &params, long_ago());
    assert_eq!(
        overview(&days),
        ["2026-03-06: 09:00-17:00", "2026-03-09: 09:00-17:00"]
    );
}

#[test]
fn a_stretch_over_the_recipients_midnight_is_listed_on_both_days() {
    // 09:00–17:00 in Seattle is 17:00–01:00 in London, in March before either change. The
    // hour after Tuesday's midnight is what is left of Monday's stretch, outside the days asked
    // about: alone, it is too short for the meeting.
    let megan = person(
        "meganb@contoso.com",
        hours("Pacific Standard Time", "09:00", "17:00"),
        vec![],
    );
    let params = request(90, 30, "2026-03-03", "2026-03-04", "Europe/London");
    let days = free_periods(&[megan], &params, long_ago());
    assert_eq!(
        overview(&days),
        [
            "2026-03-03: 17:00-00:00",
            "2026-03-04: 00:00-01:00, 17:00-00:00",
        ]
    );
    assert_eq!(
        days[1].free[1].end.to_rfc3339(),
        "2026-03-05T00:00:00+00:00"
    );
}

#[test]
fn a_stretch_is_shown_with_the_recipients_offset_on_each_side_of_a_change() {
    let sam = person(
        "sam@fabrikam.com",
        hours("Eastern Standard Time", "09:00", "17:00"),
        vec![],
    );
    let params = request(60, 30, "2026-03-06", "2026-03-09", "America/New_York");
    let days = free_periods(&[sam], &params, long_ago());
    let starts: Vec<String> = days.iter().map(|d| d.free[0].start.to_rfc3339()).collect();
    assert_eq!(
        starts,
        ["2026-03-06T09:00:00-05:00", "2026-03-09T09:00:00-04:00"]
    );
}

#[test]
fn nobody_to_meet_and_a_backwards_range_list_nothing() {
    assert!(free_periods(&[], &tuesday(30), long_ago()).is_empty());
    let backwards = request(30, 30, "2026-03-04", "2026-03-03", "Europe/Berlin");
    assert!(free_periods(&[olivia(vec![])], &backwards, long_ago()).is_empty());
}

/// Three people in three zones over two weeks, with a few items each.
fn a_fortnight() -> Vec<PersonSchedule> {
    let priya = person(
        "priya@contoso.in",
        hours("India Standard Time", "10:00", "18:30"),
        vec![
            busy("2026-03-03T11:00:00Z", "2026-03-03T11:40:00Z"),
            tentative("2026-03-10T09:00:00Z", "2026-03-10T10:00:00Z"),
        ],
    );
    let sam = person(
        "sam@contoso.co.uk",
        hours("GMT Standard Time", "09:00", "17:00"),
        vec![
            busy("2026-03-04T09:05:00Z", "2026-03-04T10:10:00Z"),
            busy("2026-03-05T12:00:00Z", "2026-03-06T12:00:00Z"),
        ],
    );
    vec![olivia(olivias_tuesday()), priya, sam]
}

#[rstest]
#[case::quarter_hours(30, 15, 5, 10)]
#[case::hours_on_the_hour(60, 60, 0, 0)]
#[case::long_steps(45, 50, 15, 0)]
fn every_slot_offered_lies_in_a_listed_stretch_and_every_stretch_starts_with_one(
    #[case] length: u32,
    #[case] step: u32,
    #[case] before: u32,
    #[case] after: u32,
) {
    let people = a_fortnight();
    let params = SlotParams {
        buffer_before_minutes: before,
        buffer_after_minutes: after,
        ..request(length, step, "2026-03-02", "2026-03-13", "Europe/Berlin")
    };
    let slots = find_slots(&people, &params, long_ago());
    let days = free_periods(&people, &params, long_ago());
    let stretches: Vec<&Slot> = days.iter().flat_map(|d| &d.free).collect();
    assert!(!slots.is_empty());
    for s in &slots {
        assert!(
            stretches
                .iter()
                .any(|f| f.start <= s.start && s.end <= f.end),
            "{} in no stretch",
            shown(s)
        );
    }
    for f in &stretches {
        assert!(
            slots.iter().any(|s| s.start == f.start),
            "{} starts with no slot",
            shown(f)
        );
    }
    for d in &days {
        assert!(d.free.iter().all(|f| f.start.date_naive() == d.day));
        assert!(d.day.weekday().num_days_from_monday() < 5);
    }
}
