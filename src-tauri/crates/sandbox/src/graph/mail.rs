//! The meeting messages Exchange sends when a meeting's organizer changes it, counted per
//! sending mailbox so tests can tell whether a client's writes mailed anyone:
//! - creating an event with attendees sends the invitations;
//! - "An event update that includes only the **attendees** property in the request body sends a
//!   meeting update to only the attendees that have changed", and updating a series master
//!   with attendees and separately updated instances sends "one for the master series and one
//!   per instance that has been updated" (event-update);
//! - "If the event is a meeting, deleting the event on the organizer's calendar sends a
//!   cancellation message to the meeting attendees" (event-delete); `cancel` sends one too
//!   (event-cancel).
//!
//! A meeting message is counted once however many attendees it goes to.

use serde::{Deserialize, Serialize};

use super::input::EventPatch;
use crate::state::{Event, Exception, State};

/// The meeting messages one mailbox has sent.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingMail {
    pub invitations: u64,
    pub updates: u64,
    pub cancellations: u64,
}

impl MeetingMail {
    /// Every meeting message of any kind.
    pub fn total(&self) -> u64 {
        self.invitations + self.updates + self.cancellations
    }
}

/// What one write sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sent {
    Invitation,
    Updates(u64),
    Cancellation,
}

/// The mailbox that sends a meeting's messages: its organizer's, when the organizer owns the
/// calendar the meeting is in (a delegate's changes go out from the owner's mailbox, on the
/// owner's behalf). An attendee's copy sends nothing.
fn sender(world: &State, ev: &Event) -> Option<String> {
    let owner = world.calendars.get(&ev.calendar).map(|c| c.owner)?;
    let address = world.users.get(owner)?.address.to_lowercase();
    address
        .eq_ignore_ascii_case(&ev.organizer.address)
        .then_some(address)
}

/// Whether a PATCH touches what attendees see of a meeting (time, subject, location, body,
/// attendees, recurrence).
///
/// Assumption: any of those properties in the request counts, even when its value is
/// unchanged; other properties (categories, extended properties, `showAs`, `sensitivity`,
/// reminders, importance) only change the organizer's copy and send nothing. The
/// documentation names the meeting-update behaviour only for attendees.
pub(crate) fn touches_meeting(p: &EventPatch) -> bool {
    p.subject.is_some()
        || p.body.is_some()
        || p.start.is_some()
        || p.end.is_some()
        || p.is_all_day.is_some()
        || p.location.is_some()
        || p.attendees.is_some()
        || p.recurrence.is_some()
}

/// What updating `ev` (already changed; it had attendees or not `before`) sends.
pub(crate) fn on_update(ev: &Event, had_attendees: bool, touched: bool) -> Option<Sent> {
    let has_attendees = !ev.attendees.is_empty();
    match (touched, had_attendees, has_attendees) {
        (false, _, _) | (true, false, false) => None,
        // Attendees added to an appointment: it becomes a meeting, and they are invited.
        (true, false, true) => Some(Sent::Invitation),
        (true, true, _) => {
            let updated_instances = if ev.recurrence.is_some() && ev.attendees.len() > 1 {
                ev.exceptions
                    .values()
                    .filter(|x| matches!(x, Exception::Changed(_)))
                    .count()
            } else {
                0
            };
            Some(Sent::Updates(1 + updated_instances as u64))
        }
    }
}

/// What deleting or cancelling `ev` (or one occurrence of it) sends.
pub(crate) fn on_delete(ev: &Event) -> Option<Sent> {
    (!ev.attendees.is_empty()).then_some(Sent::Cancellation)
}

/// Count what a write to `ev` sent, from the mailbox that sends for it.
pub(crate) fn record(world: &mut State, ev: &Event, sent: Option<Sent>) {
    let Some(sent) = sent else {
        return;
    };
    let Some(address) = sender(world, ev) else {
        return;
    };
    let count = world.meeting_mail.entry(address).or_default();
    match sent {
        Sent::Invitation => count.invitations += 1,
        Sent::Updates(n) => count.updates += n,
        Sent::Cancellation => count.cancellations += 1,
    }
}

/// Whether the holder of `ev`'s calendar organizes it (only the organizer may `cancel`).
pub(crate) fn is_organizer_copy(world: &State, ev: &Event) -> bool {
    sender(world, ev).is_some()
}
