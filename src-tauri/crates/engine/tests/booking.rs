//! Deciding a reply that chose a slot: book it while everyone is still free then, offer the
//! next free times when it has been taken, and say so when it has already begun. The offer's
//! own tentative holds are not mistaken for meetings.
//!
//! Dates are in 2026: 3 March is a Tuesday.

#![allow(clippy::unwrap_used)]

mod slots_common;

use onbehalf_engine::slots::booking::{decide, Booking};
use onbehalf_engine::slots::params::{Slot, SlotParams};
use onbehalf_engine::slots::schedule::{FreeBusyStatus, ScheduleItem};
use rstest::rstest;
use slots_common::*;

/// Hour-long meetings on the hour, Tuesday and Wednesday, for a recipient in Berlin.
fn params() -> SlotParams {
    request(60, 60, "2026-03-03", "2026-03-04", "Europe/Berlin")
}

/// The slot Tuesday 10:00–11:00 in Berlin.
fn ten() -> Slot {
    slot("2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00")
}

/// Our three holds: Tuesday 10:00, 11:00 and 14:00.
fn holds() -> Vec<Slot> {
    vec![
        ten(),
        slot("2026-03-03T11:00:00+01:00", "2026-03-03T12:00:00+01:00"),
        slot("2026-03-03T14:00:00+01:00", "2026-03-03T15:00:00+01:00"),
    ]
}

/// The tentative items our holds show as on Olivia's calendar.
fn hold_items() -> Vec<ScheduleItem> {
    holds()
        .iter()
        .map(|h| tentative(&h.start.to_rfc3339(), &h.end.to_rfc3339()))
        .collect()
}

/// The Monday before.
fn monday() -> chrono::DateTime<chrono::Utc> {
    at("2026-03-02T12:00:00+01:00")
}

fn alternatives(starts: &[&str]) -> Booking {
    Booking::Taken {
        alternatives: starts
            .iter()
            .map(|s| {
                let start = local(s);
                Slot {
                    start,
                    end: start + chrono::TimeDelta::hours(1),
                }
            })
            .collect(),
    }
}

#[rstest]
#[case::nothing_in_the_way(vec![], SlotParams { ..params() }, Booking::Book)]
#[case::only_our_own_holds(hold_items(), params(), Booking::Book)]
#[case::a_free_item(
    vec![item(FreeBusyStatus::Free, "2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00")],
    params(),
    Booking::Book
)]
#[case::a_tentative_meeting_when_tentative_is_free(
    vec![tentative("2026-03-03T10:30:00+01:00", "2026-03-03T11:30:00+01:00")],
    SlotParams { tentative_is_busy: false, ..params() },
    Booking::Book
)]
// The minimum notice was kept when the slot was offered; an answer may come after it.
#[case::within_the_minimum_notice(
    vec![],
    SlotParams { minimum_notice_minutes: 48 * 60, ..params() },
    Booking::Book
)]
// Our holds are free to take, so the other two held times come first.
#[case::a_meeting_booked_over_it(
    [hold_items(), vec![busy("2026-03-03T10:30:00+01:00", "2026-03-03T11:00:00+01:00")]].concat(),
    params(),
    alternatives(&["2026-03-03T09:00:00+01:00", "2026-03-03T11:00:00+01:00", "2026-03-03T12:00:00+01:00"])
)]
#[case::a_tentative_meeting_that_is_not_our_hold(
    vec![tentative("2026-03-03T10:00:00+01:00", "2026-03-03T10:30:00+01:00")],
    params(),
    alternatives(&["2026-03-03T09:00:00+01:00", "2026-03-03T11:00:00+01:00", "2026-03-03T12:00:00+01:00"])
)]
// Someone accepted into our hold's time: the same times, but busy, is a meeting.
#[case::a_busy_item_at_our_holds_time(
    vec![busy("2026-03-03T10:00:00+01:00", "2026-03-03T11:00:00+01:00")],
    params(),
    alternatives(&["2026-03-03T09:00:00+01:00", "2026-03-03T11:00:00+01:00", "2026-03-03T12:00:00+01:00"])
)]
// 30 minutes kept after the meeting: an item at 11:15 is too close.
#[case::too_close_for_the_buffer(
    vec![busy("2026-03-03T11:15:00+01:00", "2026-03-03T12:00:00+01:00")],
    SlotParams { buffer_after_minutes: 30, ..params() },
    alternatives(&["2026-03-03T09:00:00+01:00", "2026-03-03T12:00:00+01:00", "2026-03-03T13:00:00+01:00"])
)]
// Out of office on Tuesday: the alternatives are Wednesday's.
#[case::out_of_office_all_day(
    vec![ScheduleItem { is_all_day: true, ..item(FreeBusyStatus::Oof, "2026-03-02T23:00:00Z", "2026-03-03T23:00:00Z") }],
    params(),
    alternatives(&["2026-03-04T09:00:00+01:00", "2026-03-04T10:00:00+01:00", "2026-03-04T11:00:00+01:00"])
)]
fn a_chosen_slot_is_booked_only_while_it_is_still_free(
    #[case] items: Vec<ScheduleItem>,
    #[case] params: SlotParams,
    #[case] expected: Booking,
) {
    assert_eq!(
        decide(&ten(), &[olivia(items)], &params, &holds(), monday()),
        expected
    );
}

#[test]
fn a_slot_taken_on_an_attendees_calendar_is_taken() {
    let sam = person(
        "sam@contoso.co.uk",
        hours("GMT Standard Time", "09:00", "17:00"),
        vec![busy("2026-03-03T09:00:00Z", "2026-03-03T09:30:00Z")],
    );
    let booking = decide(&ten(), &[olivia(vec![]), sam], &params(), &[], monday());
    assert_eq!(
        booking,
        alternatives(&[
            "2026-03-03T11:00:00+01:00",
            "2026-03-03T12:00:00+01:00",
            "2026-03-03T13:00:00+01:00"
        ])
    );
}

#[test]
fn a_slot_no_longer_in_working_hours_is_taken() {
    let later = person(
        "olivia.grant@contoso.com",
        hours("W. Europe Standard Time", "12:00", "17:00"),
        vec![],
    );
    assert!(matches!(
        decide(&ten(), &[later], &params(), &[], monday()),
        Booking::Taken { .. }
    ));
}

#[test]
fn alternatives_are_never_in_the_past_nor_inside_the_notice() {
    let params = SlotParams {
        minimum_notice_minutes: 120,
        ..params()
    };
    let now = at("2026-03-03T09:40:00+01:00");
    let booking = decide(
        &ten(),
        &[olivia(vec![busy(
            "2026-03-03T10:00:00+01:00",
            "2026-03-03T10:10:00+01:00",
        )])],
        &params,
        &[],
        now,
    );
    assert_eq!(
        booking,
        alternatives(&[
            "2026-03-03T12:00:00+01:00",
            "2026-03-03T13:00:00+01:00",
            "2026-03-03T14:00:00+01:00"
        ])
    );
}

#[test]
fn a_taken_slot_with_nothing_else_free_has_no_alternatives() {
    let away = busy("2026-03-02T23:00:00Z", "2026-03-04T23:00:00Z");
    assert_eq!(
        decide(&ten(), &[olivia(vec![away])], &params(), &[], monday()),
        Booking::Taken {
            alternatives: vec![]
        }
    );
}

#[rstest]
#[case::at_its_start("2026-03-03T10:00:00+01:00", Booking::Expired)]
#[case::during_it("2026-03-03T10:30:00+01:00", Booking::Expired)]
#[case::after_it("2026-03-05T08:00:00+01:00", Booking::Expired)]
#[case::a_minute_before("2026-03-03T09:59:00+01:00", Booking::Book)]
fn a_slot_that_has_begun_is_expired_whatever_the_calendars_say(
    #[case] now: &str,
    #[case] expected: Booking,
) {
    assert_eq!(
        decide(&ten(), &[olivia(vec![])], &params(), &[], at(now)),
        expected
    );
}

#[test]
fn with_nobody_to_meet_nothing_is_booked() {
    assert_eq!(
        decide(&ten(), &[], &params(), &[], monday()),
        Booking::Taken {
            alternatives: vec![]
        }
    );
}

#[test]
fn a_booking_travels_with_its_kind() {
    let json = serde_json::to_string(&alternatives(&["2026-03-03T09:00:00+01:00"])).unwrap();
    assert_eq!(
        json,
        r#"{"kind":"taken","alternatives":[{"start":"2026-03-03T09:00:00+01:00","end":"2026-03-03T10:00:00+01:00"}]}"#
    );
    assert_eq!(
        serde_json::to_string(&Booking::Book).unwrap(),
        r#"{"kind":"book"}"#
    );
}
