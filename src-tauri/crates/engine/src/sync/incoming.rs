//! Events made in the CRM coming into Exchange, when the user turned that direction on. Only
//! the user's own events come, only into the user's own calendar, and only those no item
//! stands for: an event that carries an item's id was made for that item (a share), and an
//! event an item links to is already paired.
//!
//! | event | what happens |
//! |---|---|
//! | the user's own, made in the CRM, no item links to it, direction on | create an appointment with its fields (private when it is), linked and in the share category |
//! | carries an item's id (made for a share) | nothing: that item is its pair |
//! | someone else's | nothing: it belongs in their calendar, by their sync |
//! | direction off, or not the user's own calendar | nothing |
//!
//! The appointment carries its link from the moment it is made, so a crash before the app
//! remembers it leaves an item the next delta lists as linked: never a second appointment.

use chrono::{Duration, NaiveTime};

use crate::crm::{CrmEvent, EventTime};
use crate::sync::hash::FieldHashes;
use crate::sync::plan::{fields_of, link_of, Actor, Step};
use crate::sync::port::Window;

/// What to do with a CRM event no item links to. `direction_on`: the user turned CRM to
/// Exchange on.
pub fn plan_incoming(event: &CrmEvent, direction_on: bool, a: &Actor<'_>) -> Vec<Step> {
    let mine = a.owner_crm_user == Some(event.owner_id.as_str());
    match (
        direction_on,
        a.is_owner,
        mine,
        &event.external_id,
        &event.id,
    ) {
        (true, true, true, None, Some(id)) => {
            let fields = fields_of(event);
            vec![Step::CreateItem {
                event_id: id.clone(),
                is_private: event.is_private,
                categories: vec![a.share_category.to_string()],
                link: link_of(event, None, FieldHashes::of(&fields), a),
                fields,
            }]
        }
        // Made for an item, someone else's, without an id, or the direction is off.
        (false, ..) | (_, false, ..) | (_, _, false, ..) | (_, _, _, Some(_), _) | (.., None) => {
            Vec::new()
        }
    }
}

/// The event overlaps the window (an all-day event by its days, in UTC).
pub fn in_window(event: &CrmEvent, window: Window) -> bool {
    let (start, end) = match event.time {
        EventTime::Timed { start, end } => (start, end),
        EventTime::AllDay { first, last } => (
            first.and_time(NaiveTime::MIN).and_utc(),
            (last + Duration::days(1))
                .and_time(NaiveTime::MIN)
                .and_utc(),
        ),
    };
    start < window.to && end > window.from
}
