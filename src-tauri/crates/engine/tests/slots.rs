//! Meeting times as an assistant offers them (issue 9 §2): free time inside everyone's working
//! hours, each person in their own zone, shown and counted in the recipient's zone; zones by
//! Windows name, IANA name or Graph's custom rules; daylight saving weeks on both sides of the
//! Atlantic; all-day, multi-day, tentative and private items; buffers, notice and daily limits.
//!
//! Dates are in 2025: the US changed clocks on 9 March and 2 November, Europe on 30 March and
//! 26 October, Sydney went back on 6 April.

#![allow(clippy::unwrap_used)]

use std::num::NonZeroU32;

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeDelta, Timelike, Utc, Weekday};
use onbehalf_engine::slots::custom_zone::{CustomZone, DaylightOffset, TransitionRule};
use onbehalf_engine::slots::find::find_slots;
use onbehalf_engine::slots::params::{Slot, SlotParams};
use onbehalf_engine::slots::schedule::{
    FreeBusyStatus, PersonSchedule, ScheduleItem, WorkingHours,
};
use onbehalf_engine::slots::zone::{UnknownZone, Zone};
use rstest::rstest;

// ---- how the tests say things ----

fn at(rfc3339: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(rfc3339)
        .unwrap()
        .with_timezone(&Utc)
}

fn day(iso: &str) -> NaiveDate {
    NaiveDate::parse_from_str(iso, "%Y-%m-%d").unwrap()
}

fn clock(hhmm: &str) -> NaiveTime {
    NaiveTime::parse_from_str(hhmm, "%H:%M").unwrap()
}

fn minutes(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}

fn count(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap()
}

const WEEKDAYS: [Weekday; 5] = [
    Weekday::Mon,
    Weekday::Tue,
    Weekday::Wed,
    Weekday::Thu,
    Weekday::Fri,
];

/// Monday to Friday, `from` to `to`, in the zone Graph would name.
fn hours_in(zone: Zone, from: &str, to: &str) -> WorkingHours {
    WorkingHours {
        days_of_week: WEEKDAYS.to_vec(),
        start_time: clock(from),
        end_time: clock(to),
        zone,
    }
}

fn hours(zone_name: &str, from: &str, to: &str) -> WorkingHours {
    hours_in(Zone::named(zone_name).unwrap(), from, to)
}

fn person(id: &str, working: WorkingHours, items: Vec<ScheduleItem>) -> PersonSchedule {
    PersonSchedule {
        schedule_id: id.to_string(),
        items,
        working_hours: Some(working),
    }
}

fn item(status: FreeBusyStatus, start: &str, end: &str) -> ScheduleItem {
    ScheduleItem {
        status,
        start: at(start),
        end: at(end),
        is_private: false,
        is_all_day: false,
    }
}

fn busy(start: &str, end: &str) -> ScheduleItem {
    item(FreeBusyStatus::Busy, start, end)
}

fn all_day(status: FreeBusyStatus, start: &str, end: &str) -> ScheduleItem {
    ScheduleItem {
        is_all_day: true,
        ..item(status, start, end)
    }
}

/// Hour-long meetings starting on the hour, between two of the recipient's days.
fn hourly(first: &str, last: &str, recipient: &str) -> SlotParams {
    SlotParams {
        increment_minutes: minutes(60),
        ..SlotParams::new(
            minutes(60),
            day(first),
            day(last),
            Zone::named(recipient).unwrap(),
        )
    }
}

fn first_each_day(params: SlotParams) -> SlotParams {
    SlotParams {
        max_per_day: Some(count(1)),
        ..params
    }
}

fn starts(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.start.to_rfc3339()).collect()
}

/// Long before any range the tests ask about.
fn long_ago() -> DateTime<Utc> {
    at("2025-01-01T00:00:00Z")
}

fn olivia(items: Vec<ScheduleItem>) -> PersonSchedule {
    person(
        "olivia.grant@contoso.com",
        hours("W. Europe Standard Time", "09:00", "17:00"),
        items,
    )
}

// ---- zones ----

#[rstest]
#[case::pacific("Pacific Standard Time", "America/Los_Angeles")]
#[case::eastern("Eastern Standard Time", "America/New_York")]
#[case::western_europe("W. Europe Standard Time", "Europe/Berlin")]
#[case::gmt_with_british_summer_time("GMT Standard Time", "Europe/London")]
#[case::india_by_cldrs_older_name("India Standard Time", "Asia/Calcutta")]
#[case::tokyo("Tokyo Standard Time", "Asia/Tokyo")]
#[case::sydney("AUS Eastern Standard Time", "Australia/Sydney")]
#[case::sao_paulo("E. South America Standard Time", "America/Sao_Paulo")]
#[case::utc("UTC", "Etc/UTC")]
fn windows_zone_names_reach_the_iana_zone_cldr_names(#[case] windows: &str, #[case] iana: &str) {
    assert_eq!(Zone::windows(windows).unwrap().iana_name(), Some(iana));
    assert_eq!(Zone::named(windows).unwrap().iana_name(), Some(iana));
}

#[test]
fn iana_names_are_taken_as_they_are() {
    let zone = Zone::named("Europe/Berlin").unwrap();
    assert_eq!(zone.iana_name(), Some("Europe/Berlin"));
}

#[test]
fn a_zone_name_nobody_knows_is_refused_by_name() {
    assert_eq!(
        Zone::named("Mars Standard Time"),
        Err(UnknownZone("Mars Standard Time".into()))
    );
    assert!(Zone::windows("Europe/Berlin").is_err());
}

#[rstest]
// Europe/Berlin jumps from 02:00 to 03:00 on 30 March: 02:30 does not exist and means 03:30.
#[case::skipped_in_berlin("Europe/Berlin", "2025-03-30T02:30", "2025-03-30T01:30:00Z")]
// It goes back from 03:00 to 02:00 on 26 October: 02:30 happens twice, the first one is meant.
#[case::shown_twice_in_berlin("Europe/Berlin", "2025-10-26T02:30", "2025-10-26T00:30:00Z")]
#[case::skipped_in_new_york("America/New_York", "2025-03-09T02:30", "2025-03-09T07:30:00Z")]
#[case::shown_twice_in_new_york("America/New_York", "2025-11-02T01:30", "2025-11-02T05:30:00Z")]
#[case::an_ordinary_summer_morning("America/New_York", "2025-07-01T09:00", "2025-07-01T13:00:00Z")]
fn wall_clock_times_around_a_change_are_read_the_way_a_person_would(
    #[case] zone: &str,
    #[case] local: &str,
    #[case] expected: &str,
) {
    let local = chrono::NaiveDateTime::parse_from_str(local, "%Y-%m-%dT%H:%M").unwrap();
    assert_eq!(Zone::named(zone).unwrap().instant(local), at(expected));
}

/// The custom zone in Graph's own getSchedule example: US Pacific time by its rules.
fn graphs_example_zone() -> CustomZone {
    CustomZone {
        bias: 480,
        standard_offset: Some(TransitionRule {
            month: 11,
            day_occurrence: 1,
            day_of_week: Weekday::Sun,
            time: clock("02:00"),
            year: 0,
        }),
        daylight_offset: Some(DaylightOffset {
            daylight_bias: -60,
            rule: TransitionRule {
                month: 3,
                day_occurrence: 2,
                day_of_week: Weekday::Sun,
                time: clock("02:00"),
                year: 0,
            },
        }),
    }
}

/// Sydney by its rules: daylight time from the first Sunday of October at 02:00 standard time
/// to the first Sunday of April at 03:00 daylight time, across the new year.
fn sydney_by_rules() -> CustomZone {
    CustomZone {
        bias: -600,
        standard_offset: Some(TransitionRule {
            month: 4,
            day_occurrence: 1,
            day_of_week: Weekday::Sun,
            time: clock("03:00"),
            year: 0,
        }),
        daylight_offset: Some(DaylightOffset {
            daylight_bias: -60,
            rule: TransitionRule {
                month: 10,
                day_occurrence: 1,
                day_of_week: Weekday::Sun,
                time: clock("02:00"),
                year: 0,
            },
        }),
    }
}

/// Berlin by its rules, with "5" for the last Sunday as Windows writes it.
fn berlin_by_rules() -> CustomZone {
    CustomZone {
        bias: -60,
        standard_offset: Some(TransitionRule {
            month: 10,
            day_occurrence: 5,
            day_of_week: Weekday::Sun,
            time: clock("03:00"),
            year: 0,
        }),
        daylight_offset: Some(DaylightOffset {
            daylight_bias: -60,
            rule: TransitionRule {
                month: 3,
                day_occurrence: 5,
                day_of_week: Weekday::Sun,
                time: clock("02:00"),
                year: 0,
            },
        }),
    }
}

#[rstest]
#[case::graphs_example_is_pacific_time(graphs_example_zone(), "America/Los_Angeles")]
#[case::south_of_the_equator(sydney_by_rules(), "Australia/Sydney")]
#[case::last_sunday_written_as_five(berlin_by_rules(), "Europe/Berlin")]
fn a_custom_zone_keeps_the_same_clock_as_the_named_zone_every_hour_of_the_year(
    #[case] custom: CustomZone,
    #[case] iana: &str,
) {
    let custom = Zone::Custom(custom);
    let named = Zone::iana(iana).unwrap();
    let mut t = at("2025-01-01T00:00:00Z");
    while t < at("2026-01-01T00:00:00Z") {
        assert_eq!(custom.offset_at(t), named.offset_at(t), "at {t}");
        t += TimeDelta::minutes(30);
    }
}

#[test]
fn a_custom_zone_without_daylight_saving_keeps_one_offset() {
    let india = Zone::Custom(CustomZone {
        bias: -330,
        standard_offset: None,
        daylight_offset: None,
    });
    for t in ["2025-01-15T12:00:00Z", "2025-07-15T12:00:00Z"] {
        assert!(india.local(at(t)).to_rfc3339().ends_with("+05:30"));
    }
}

// ---- the basic promise ----

#[test]
fn free_hours_inside_working_hours_are_offered_in_the_recipients_zone() {
    let people = [olivia(vec![busy(
        "2025-03-04T10:00:00+01:00",
        "2025-03-04T11:00:00+01:00",
    )])];
    let slots = find_slots(
        &people,
        &hourly("2025-03-04", "2025-03-04", "Europe/Berlin"),
        long_ago(),
    );
    assert_eq!(
        starts(&slots),
        [
            "2025-03-04T09:00:00+01:00",
            "2025-03-04T11:00:00+01:00",
            "2025-03-04T12:00:00+01:00",
            "2025-03-04T13:00:00+01:00",
            "2025-03-04T14:00:00+01:00",
            "2025-03-04T15:00:00+01:00",
            "2025-03-04T16:00:00+01:00",
        ]
    );
    assert_eq!(slots[0].end.to_rfc3339(), "2025-03-04T10:00:00+01:00");
    assert_eq!(slots[0].day(), day("2025-03-04"));
}

#[test]
fn nobody_to_meet_and_a_backwards_range_offer_nothing() {
    let params = hourly("2025-03-04", "2025-03-04", "Europe/Berlin");
    assert!(find_slots(&[], &params, long_ago()).is_empty());
    let backwards = hourly("2025-03-05", "2025-03-04", "Europe/Berlin");
    assert!(find_slots(&[olivia(vec![])], &backwards, long_ago()).is_empty());
}

// ---- daylight saving weeks ----

#[rstest]
#[case::for_a_berlin_recipient(
    "Europe/Berlin",
    ["2025-03-28T09:00:00+01:00", "2025-03-31T09:00:00+02:00"]
)]
// New York changed three weeks earlier, so Berlin's 09:00 comes an hour earlier there.
#[case::for_a_new_york_recipient(
    "America/New_York",
    ["2025-03-28T04:00:00-04:00", "2025-03-31T03:00:00-04:00"]
)]
fn in_europes_change_week_berlin_still_starts_at_nine(
    #[case] recipient: &str,
    #[case] expected: [&str; 2],
) {
    let params = first_each_day(hourly("2025-03-28", "2025-03-31", recipient));
    assert_eq!(
        starts(&find_slots(&[olivia(vec![])], &params, long_ago())),
        expected
    );
}

#[rstest]
#[case::for_a_new_york_recipient(
    "America/New_York",
    ["2025-03-07T09:00:00-05:00", "2025-03-10T09:00:00-04:00"]
)]
#[case::for_a_london_recipient(
    "Europe/London",
    ["2025-03-07T14:00:00+00:00", "2025-03-10T13:00:00+00:00"]
)]
#[case::for_a_berlin_recipient(
    "Europe/Berlin",
    ["2025-03-07T15:00:00+01:00", "2025-03-10T14:00:00+01:00"]
)]
fn in_the_us_change_week_new_york_still_starts_at_nine(
    #[case] recipient: &str,
    #[case] expected: [&str; 2],
) {
    let sam = person(
        "sam@fabrikam.com",
        hours("Eastern Standard Time", "09:00", "17:00"),
        vec![],
    );
    let params = first_each_day(hourly("2025-03-07", "2025-03-10", recipient));
    assert_eq!(starts(&find_slots(&[sam], &params, long_ago())), expected);
}

#[rstest]
#[case::both_on_winter_time("2025-03-03", &["2025-03-03T15:00:00+01:00", "2025-03-03T16:00:00+01:00"])]
#[case::between_the_two_changes(
    "2025-03-17",
    &["2025-03-17T14:00:00+01:00", "2025-03-17T15:00:00+01:00", "2025-03-17T16:00:00+01:00"]
)]
#[case::both_on_summer_time("2025-03-31", &["2025-03-31T15:00:00+02:00", "2025-03-31T16:00:00+02:00"])]
fn berlin_and_new_york_share_an_extra_hour_between_the_two_changes(
    #[case] on: &str,
    #[case] expected: &[&str],
) {
    let sam = person(
        "sam@fabrikam.com",
        hours("Eastern Standard Time", "09:00", "17:00"),
        vec![],
    );
    let params = hourly(on, on, "Europe/Berlin");
    assert_eq!(
        starts(&find_slots(&[olivia(vec![]), sam], &params, long_ago())),
        expected
    );
}

#[rstest]
#[case::us_spring("2025-03-07", "2025-03-10", ["2025-03-07T08:00:00-08:00", "2025-03-10T08:00:00-07:00"])]
#[case::us_autumn("2025-10-31", "2025-11-03", ["2025-10-31T08:00:00-07:00", "2025-11-03T08:00:00-08:00"])]
fn working_hours_in_graphs_example_custom_zone_follow_pacific_time(
    #[case] first: &str,
    #[case] last: &str,
    #[case] expected: [&str; 2],
) {
    let megan = person(
        "meganb@contoso.com",
        hours_in(Zone::Custom(graphs_example_zone()), "08:00", "17:00"),
        vec![],
    );
    let params = first_each_day(hourly(first, last, "America/Los_Angeles"));
    assert_eq!(starts(&find_slots(&[megan], &params, long_ago())), expected);
}

#[test]
fn working_hours_in_a_southern_custom_zone_follow_its_autumn_change() {
    let ava = person(
        "ava@contoso.com.au",
        hours_in(Zone::Custom(sydney_by_rules()), "09:00", "17:00"),
        vec![],
    );
    let params = first_each_day(hourly("2025-04-04", "2025-04-07", "Australia/Sydney"));
    assert_eq!(
        starts(&find_slots(&[ava], &params, long_ago())),
        ["2025-04-04T09:00:00+11:00", "2025-04-07T09:00:00+10:00"]
    );
}

// ---- items that block ----

#[rstest]
#[case::written_at_the_owners_midnight("2025-03-04T23:00:00Z", "2025-03-05T23:00:00Z")]
// Written in UTC, it starts at 01:00 in Berlin: it is still Wednesday's, and only Wednesday's.
#[case::written_at_utc_midnight("2025-03-05T00:00:00Z", "2025-03-06T00:00:00Z")]
fn an_all_day_item_takes_its_whole_day(#[case] start: &str, #[case] end: &str) {
    let people = [olivia(vec![all_day(FreeBusyStatus::Oof, start, end)])];
    let params = first_each_day(hourly("2025-03-04", "2025-03-06", "Europe/Berlin"));
    assert_eq!(
        starts(&find_slots(&people, &params, long_ago())),
        ["2025-03-04T09:00:00+01:00", "2025-03-06T09:00:00+01:00"]
    );
}

#[test]
fn an_all_day_item_shown_as_free_takes_nothing() {
    let birthday = all_day(
        FreeBusyStatus::Free,
        "2025-03-04T23:00:00Z",
        "2025-03-05T23:00:00Z",
    );
    let params = first_each_day(hourly("2025-03-04", "2025-03-06", "Europe/Berlin"));
    assert_eq!(
        starts(&find_slots(&[olivia(vec![birthday])], &params, long_ago())),
        [
            "2025-03-04T09:00:00+01:00",
            "2025-03-05T09:00:00+01:00",
            "2025-03-06T09:00:00+01:00"
        ]
    );
}

#[test]
fn a_multi_day_item_takes_every_day_it_touches_whole() {
    let conference = busy("2025-03-03T13:00:00+01:00", "2025-03-05T12:00:00+01:00");
    let params = first_each_day(hourly("2025-03-03", "2025-03-06", "Europe/Berlin"));
    assert_eq!(
        starts(&find_slots(
            &[olivia(vec![conference])],
            &params,
            long_ago()
        )),
        ["2025-03-06T09:00:00+01:00"]
    );
}

#[test]
fn an_item_shorter_than_a_day_takes_only_its_hours_even_across_midnight() {
    let late = busy("2025-03-03T16:00:00+01:00", "2025-03-04T10:00:00+01:00");
    let params = hourly("2025-03-03", "2025-03-04", "Europe/Berlin");
    let found = starts(&find_slots(&[olivia(vec![late])], &params, long_ago()));
    assert!(found.contains(&"2025-03-03T15:00:00+01:00".to_string()));
    assert!(!found.contains(&"2025-03-04T09:00:00+01:00".to_string()));
    assert!(found.contains(&"2025-03-04T10:00:00+01:00".to_string()));
}

#[rstest]
#[case::free(FreeBusyStatus::Free, true)]
#[case::working_elsewhere(FreeBusyStatus::WorkingElsewhere, true)]
#[case::tentative(FreeBusyStatus::Tentative, false)]
#[case::busy(FreeBusyStatus::Busy, false)]
#[case::out_of_office(FreeBusyStatus::Oof, false)]
#[case::unknown(FreeBusyStatus::Unknown, false)]
fn each_status_blocks_or_not_by_default(#[case] status: FreeBusyStatus, #[case] offered: bool) {
    let people = [olivia(vec![item(
        status,
        "2025-03-04T10:00:00+01:00",
        "2025-03-04T11:00:00+01:00",
    )])];
    let params = hourly("2025-03-04", "2025-03-04", "Europe/Berlin");
    let found = starts(&find_slots(&people, &params, long_ago()));
    assert_eq!(
        found.contains(&"2025-03-04T10:00:00+01:00".to_string()),
        offered
    );
}

#[rstest]
#[case::counted_as_busy(true, false)]
#[case::counted_as_free(false, true)]
fn a_tentative_item_blocks_only_when_tentative_counts_as_busy(
    #[case] tentative_is_busy: bool,
    #[case] offered: bool,
) {
    let people = [olivia(vec![item(
        FreeBusyStatus::Tentative,
        "2025-03-04T10:00:00+01:00",
        "2025-03-04T11:00:00+01:00",
    )])];
    let params = SlotParams {
        tentative_is_busy,
        ..hourly("2025-03-04", "2025-03-04", "Europe/Berlin")
    };
    let found = starts(&find_slots(&people, &params, long_ago()));
    assert_eq!(
        found.contains(&"2025-03-04T10:00:00+01:00".to_string()),
        offered
    );
}

#[test]
fn a_private_item_blocks_its_time_though_its_details_are_hidden() {
    let private = ScheduleItem {
        is_private: true,
        ..busy("2025-03-04T10:00:00+01:00", "2025-03-04T11:00:00+01:00")
    };
    let params = hourly("2025-03-04", "2025-03-04", "Europe/Berlin");
    let found = starts(&find_slots(&[olivia(vec![private])], &params, long_ago()));
    assert!(!found.contains(&"2025-03-04T10:00:00+01:00".to_string()));
    assert_eq!(found.len(), 7);
}

// ---- buffers, notice, limits, grid ----

#[rstest]
#[case::no_buffers(0, 0, &["09:00", "09:30", "10:00", "10:30", "11:00", "13:00", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00"])]
// 30 minutes kept after the meeting: it must end by 11:30. 15 before: it starts from 13:15,
// and the next start on the half-hour grid is 13:30.
#[case::before_and_after(15, 30, &["09:00", "09:30", "10:00", "10:30", "13:30", "14:00", "14:30", "15:00", "15:30", "16:00"])]
fn buffers_keep_meetings_away_from_busy_items_but_not_from_working_hours(
    #[case] before: u32,
    #[case] after: u32,
    #[case] expected: &[&str],
) {
    let people = [olivia(vec![busy(
        "2025-03-04T12:00:00+01:00",
        "2025-03-04T13:00:00+01:00",
    )])];
    let params = SlotParams {
        buffer_before_minutes: before,
        buffer_after_minutes: after,
        ..SlotParams::new(
            minutes(60),
            day("2025-03-04"),
            day("2025-03-04"),
            Zone::named("Europe/Berlin").unwrap(),
        )
    };
    let expected: Vec<String> = expected
        .iter()
        .map(|hm| format!("2025-03-04T{hm}:00+01:00"))
        .collect();
    assert_eq!(starts(&find_slots(&people, &params, long_ago())), expected);
}

#[rstest]
#[case::no_notice(0, "2025-03-04T10:30:00+01:00")]
#[case::two_hours_notice(120, "2025-03-04T12:30:00+01:00")]
#[case::notice_past_the_working_day(600, "2025-03-05T09:00:00+01:00")]
fn minimum_notice_counts_from_now(#[case] notice: u32, #[case] first: &str) {
    let params = SlotParams {
        minimum_notice_minutes: notice,
        ..SlotParams::new(
            minutes(60),
            day("2025-03-04"),
            day("2025-03-05"),
            Zone::named("Europe/Berlin").unwrap(),
        )
    };
    let now = at("2025-03-04T10:20:00+01:00");
    let found = find_slots(&[olivia(vec![])], &params, now);
    assert_eq!(found[0].start.to_rfc3339(), first);
}

#[test]
fn the_daily_limit_counts_the_recipients_days_not_the_owners() {
    // 09:00–17:00 in Seattle is 17:00–01:00 in London: one working day touches two of London's.
    let megan = person(
        "meganb@contoso.com",
        hours("Pacific Standard Time", "09:00", "17:00"),
        vec![],
    );
    let params = SlotParams {
        max_per_day: Some(count(2)),
        ..hourly("2025-03-04", "2025-03-05", "Europe/London")
    };
    assert_eq!(
        starts(&find_slots(&[megan], &params, long_ago())),
        [
            "2025-03-04T00:00:00+00:00",
            "2025-03-04T17:00:00+00:00",
            "2025-03-05T00:00:00+00:00",
            "2025-03-05T17:00:00+00:00",
        ]
    );
}

#[test]
fn start_times_sit_on_the_recipients_hours_not_the_owners() {
    // 09:00–17:30 in Mumbai is 04:30–13:00 in Berlin; hourly starts are on Berlin's hours.
    let priya = person(
        "priya@contoso.in",
        hours("India Standard Time", "09:00", "17:30"),
        vec![],
    );
    let params = hourly("2025-03-04", "2025-03-04", "Europe/Berlin");
    assert_eq!(
        starts(&find_slots(&[priya], &params, long_ago())),
        [
            "2025-03-04T05:00:00+01:00",
            "2025-03-04T06:00:00+01:00",
            "2025-03-04T07:00:00+01:00",
            "2025-03-04T08:00:00+01:00",
            "2025-03-04T09:00:00+01:00",
            "2025-03-04T10:00:00+01:00",
            "2025-03-04T11:00:00+01:00",
            "2025-03-04T12:00:00+01:00",
        ]
    );
}

#[test]
fn working_hours_that_end_after_midnight_run_into_the_next_day() {
    let night = person("night@contoso.com", hours("UTC", "22:00", "02:00"), vec![]);
    let params = hourly("2025-03-04", "2025-03-04", "UTC");
    assert_eq!(
        starts(&find_slots(&[night], &params, long_ago())),
        [
            "2025-03-04T00:00:00+00:00",
            "2025-03-04T01:00:00+00:00",
            "2025-03-04T22:00:00+00:00",
            "2025-03-04T23:00:00+00:00",
        ]
    );
}

// ---- several people ----

#[test]
fn several_attendees_in_different_zones_get_only_time_all_of_them_work_and_are_free() {
    // Berlin 09–17 (08–16 UTC), Mumbai 10:00–18:30 (04:30–13:00 UTC), London 09–17 (09–17 UTC):
    // together 09:00–13:00 UTC, 10:00–14:00 in Berlin; Priya is busy 11:00–11:30 UTC.
    let priya = person(
        "priya@contoso.in",
        hours("India Standard Time", "10:00", "18:30"),
        vec![busy("2025-03-04T11:00:00Z", "2025-03-04T11:30:00Z")],
    );
    let sam = person(
        "sam@contoso.co.uk",
        hours("GMT Standard Time", "09:00", "17:00"),
        vec![],
    );
    let params = SlotParams::new(
        minutes(30),
        day("2025-03-04"),
        day("2025-03-04"),
        Zone::named("Europe/Berlin").unwrap(),
    );
    assert_eq!(
        starts(&find_slots(
            &[olivia(vec![]), priya, sam],
            &params,
            long_ago()
        )),
        [
            "2025-03-04T10:00:00+01:00",
            "2025-03-04T10:30:00+01:00",
            "2025-03-04T11:00:00+01:00",
            "2025-03-04T11:30:00+01:00",
            "2025-03-04T12:30:00+01:00",
            "2025-03-04T13:00:00+01:00",
            "2025-03-04T13:30:00+01:00",
        ]
    );
}

#[test]
fn an_attendees_day_off_leaves_nothing_that_day() {
    let sam = person(
        "sam@contoso.co.uk",
        WorkingHours {
            days_of_week: vec![Weekday::Mon, Weekday::Wed],
            ..hours("GMT Standard Time", "09:00", "17:00")
        },
        vec![],
    );
    let params = first_each_day(hourly("2025-03-03", "2025-03-05", "Europe/Berlin"));
    assert_eq!(
        starts(&find_slots(&[olivia(vec![]), sam], &params, long_ago())),
        ["2025-03-03T10:00:00+01:00", "2025-03-05T10:00:00+01:00"]
    );
}

#[test]
fn a_room_without_working_hours_is_free_whenever_it_is_not_booked() {
    let room = PersonSchedule {
        schedule_id: "room.4.12@contoso.com".into(),
        items: vec![busy(
            "2025-03-04T09:00:00+01:00",
            "2025-03-04T12:00:00+01:00",
        )],
        working_hours: None,
    };
    let params = first_each_day(hourly("2025-03-04", "2025-03-04", "Europe/Berlin"));
    assert_eq!(
        starts(&find_slots(&[olivia(vec![]), room], &params, long_ago())),
        ["2025-03-04T12:00:00+01:00"]
    );
}

// ---- a year for five people ----

/// A small deterministic generator, so the year's calendars are the same on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }
}

/// A year of items: a few a day at any hour and of any status, some private, now and then
/// an all-day item (a whole day in the person's zone) or one running over two days.
fn a_busy_year(dice: &mut Dice, zone: &Zone) -> Vec<ScheduleItem> {
    use FreeBusyStatus::*;
    let statuses = [
        Busy,
        Busy,
        Busy,
        Tentative,
        Oof,
        Free,
        WorkingElsewhere,
        Unknown,
    ];
    let mut items = Vec::new();
    let mut today = day("2025-01-01");
    while today < day("2026-01-01") {
        let morning = zone.start_of_day(today) + TimeDelta::hours(6);
        for _ in 0..dice.roll(5) {
            let status = statuses[dice.roll(statuses.len() as u64) as usize];
            let is_private = dice.roll(4) == 0;
            let (start, end, is_all_day) = match dice.roll(60) {
                0 => (
                    zone.start_of_day(today),
                    zone.start_of_day(today.succ_opt().unwrap()),
                    true,
                ),
                1 => (morning, morning + TimeDelta::hours(50), false),
                _ => {
                    let start = morning + TimeDelta::minutes(5 * dice.roll(12 * 14) as i64);
                    (
                        start,
                        start + TimeDelta::minutes(15 * (1 + dice.roll(8)) as i64),
                        false,
                    )
                }
            };
            items.push(ScheduleItem {
                status,
                start,
                end,
                is_private,
                is_all_day,
            });
        }
        today = today.succ_opt().unwrap();
    }
    items
}

#[test]
fn a_year_for_five_people_in_five_zones_keeps_every_promise() {
    let mut dice = Dice(9);
    let helsinki = CustomZone {
        bias: -120,
        standard_offset: Some(TransitionRule {
            month: 10,
            day_occurrence: 5,
            day_of_week: Weekday::Sun,
            time: clock("04:00"),
            year: 0,
        }),
        daylight_offset: Some(DaylightOffset {
            daylight_bias: -60,
            rule: TransitionRule {
                month: 3,
                day_occurrence: 5,
                day_of_week: Weekday::Sun,
                time: clock("03:00"),
                year: 0,
            },
        }),
    };
    let working = [
        hours("W. Europe Standard Time", "08:00", "18:00"),
        hours("GMT Standard Time", "08:00", "18:00"),
        hours("Eastern Standard Time", "07:00", "17:00"),
        hours("America/Sao_Paulo", "09:00", "18:00"),
        hours_in(Zone::Custom(helsinki), "09:00", "17:00"),
    ];
    let people: Vec<PersonSchedule> = working
        .into_iter()
        .enumerate()
        .map(|(i, wh)| {
            let items = a_busy_year(&mut dice, &wh.zone);
            person(&format!("person{i}@contoso.com"), wh, items)
        })
        .collect();
    let params = SlotParams {
        increment_minutes: minutes(15),
        buffer_before_minutes: 10,
        buffer_after_minutes: 5,
        ..SlotParams::new(
            minutes(30),
            day("2025-01-01"),
            day("2025-12-31"),
            Zone::named("Europe/Berlin").unwrap(),
        )
    };
    let found = find_slots(&people, &params, long_ago());
    assert!(found.len() > 100, "only {} slots in a year", found.len());
    assert!(found.windows(2).all(|w| w[0].start < w[1].start));
    for slot in &found {
        let (start, end) = (slot.start.with_timezone(&Utc), slot.end.with_timezone(&Utc));
        assert_eq!(end - start, TimeDelta::minutes(30));
        assert_eq!(slot.start.minute() % 15, 0, "{slot:?} off the grid");
        for p in &people {
            let wh = p.working_hours.as_ref().unwrap();
            let (ls, le) = (wh.zone.local(start), wh.zone.local(end));
            assert!(
                wh.days_of_week.contains(&ls.weekday()),
                "{slot:?} on {}'s day off",
                p.schedule_id
            );
            assert!(
                ls.date_naive() == le.date_naive()
                    && ls.time() >= wh.start_time
                    && le.time() <= wh.end_time,
                "{slot:?} outside {}'s hours",
                p.schedule_id
            );
            for it in p.items.iter().filter(|it| it.status.blocks(true)) {
                let keep_from = it.start - TimeDelta::minutes(5);
                let keep_to = it.end + TimeDelta::minutes(10);
                assert!(
                    end <= keep_from || start >= keep_to,
                    "{slot:?} meets {it:?} of {}",
                    p.schedule_id
                );
            }
        }
    }
}
