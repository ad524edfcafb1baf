//! Events made in the CRM coming into Exchange (the CRM to Exchange direction), row by row:
//! only the user's own events, only into the user's own calendar, only with the direction on,
//! never an event made for an item.

mod sync_common;

use chrono::{Duration, TimeZone, Utc};
use onbehalf_engine::crm::{CrmEvent, EventTime};
use onbehalf_engine::permission::OutlookLevel;
use onbehalf_engine::sync::incoming::{in_window, plan_incoming};
use onbehalf_engine::sync::plan::Step;
use onbehalf_engine::sync::port::Window;
use sync_common::*;

/// An event Olivia made in the CRM: nothing links it, it carries no item id.
fn made_in_crm() -> CrmEvent {
    let mut e = event(&item("Quarterly review").fields);
    e.external_id = None;
    e.who_id = None;
    e
}

#[test]
fn the_users_own_event_made_in_the_crm_comes_as_a_linked_appointment() {
    let mut e = made_in_crm();
    e.is_private = true;
    match plan_incoming(&e, true, &owner()).as_slice() {
        [Step::CreateItem {
            event_id,
            fields,
            is_private,
            categories,
            link,
        }] => {
            assert_eq!(event_id, "00U-1");
            assert_eq!(fields.subject, "Quarterly review");
            assert!(is_private, "private in the CRM, private in Outlook");
            assert_eq!(categories, &["CRM"]);
            assert_eq!(link.event_id, "00U-1");
            assert_eq!(link.owner_id, "005-olivia");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn nothing_comes_with_the_direction_off() {
    assert!(plan_incoming(&made_in_crm(), false, &owner()).is_empty());
}

#[test]
fn an_event_made_for_an_item_is_that_items_pair_not_a_new_item() {
    let mut e = made_in_crm();
    e.external_id = Some("AAMk-1".into());
    assert!(plan_incoming(&e, true, &owner()).is_empty());
}

#[test]
fn someone_elses_event_stays_for_their_own_sync() {
    let mut e = made_in_crm();
    e.owner_id = "005-daniel".into();
    assert!(plan_incoming(&e, true, &owner()).is_empty());
    // Nor does a delegate's app bring the owner's events into the owner's calendar.
    let d = delegate(OutlookLevel::DelegateWithPrivate, Some(true));
    assert!(plan_incoming(&made_in_crm(), true, &d).is_empty());
}

#[test]
fn only_events_in_the_window_are_considered() {
    let from = Utc.with_ymd_and_hms(2026, 11, 16, 0, 0, 0).unwrap();
    let window = Window {
        from,
        to: from + Duration::days(74),
    };
    let mut e = made_in_crm();
    e.time = EventTime::Timed {
        start: from - Duration::hours(2),
        end: from - Duration::hours(1),
    };
    assert!(!in_window(&e, window));
    e.time = EventTime::AllDay {
        first: (from - Duration::days(1)).date_naive(),
        last: from.date_naive(),
    };
    assert!(in_window(&e, window), "its last day is in the window");
}
