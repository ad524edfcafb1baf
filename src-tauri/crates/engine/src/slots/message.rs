//! The message that offers slots, or sends availability, to a recipient: a subject, plain
//! text and HTML saying the same things. Times are listed by the recipient's days in the
//! recipient's zone, each day with its offset from UTC (so a daylight saving change in the
//! middle of the list shows), and with the owner's own time beside them where the owner's
//! clock differs. When a delegate sends for the owner, the message says so.
//!
//! Wording (`{Owner}` is the owner's name, `{length}` as "1 hour 30 minutes"):
//! - subject: "Meeting with {Owner}" (slots), "Availability of {Owner}" (availability);
//! - slots: "Here are times for a meeting of {length} with {Owner}.", then the zone line,
//!   the numbered times, and "Reply with the number of the time that suits you.";
//! - availability: "{Owner} is free at these times, each long enough for a meeting of
//!   {length}.", then the zone line, the stretches, and "Reply with a time that suits you.";
//! - nothing free: "{Owner} has no free times for a meeting of {length} between {first day}
//!   and {last day}." (or "on {day}"), then "Reply to suggest another period.";
//! - zone line: "Times are in {New York time (America/New_York)}." or, for a zone without a
//!   name, "Times are shown with their offset from UTC.";
//! - a day: "Tuesday 8 December 2026 (UTC−05:00)", then "1. 10:00–10:45 (Olivia Grant:
//!   16:00–16:45 Berlin time)";
//! - last, when the sender is not the owner: "{Delegate} sent this on behalf of {Owner}".

use std::num::NonZeroU32;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::slots::availability::DayFree;
use crate::slots::mailto::mailto_link;
use crate::slots::params::Slot;
use crate::slots::render::{html, text, Block, Entry};
use crate::slots::reply_token::{reply_subject, OfferToken};
use crate::slots::wording::{
    length, long_day, offset_label, short_start, short_weekday, short_zone_name, time_range,
    zone_name,
};
use crate::slots::zone::Zone;

/// A person as a message names them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mailbox {
    pub name: String,
    pub address: String,
}

impl Mailbox {
    /// The name, or the address when there is no name.
    fn shown(&self) -> &str {
        match self.name.trim() {
            "" => self.address.trim(),
            name => name,
        }
    }

    fn is(&self, other: &Mailbox) -> bool {
        self.address
            .trim()
            .eq_ignore_ascii_case(other.address.trim())
    }
}

/// Where a chosen slot's reply goes, and the offer's token its subject carries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyTo {
    pub address: String,
    pub token: OfferToken,
}

/// What the message lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Times {
    /// Start times to choose from, as `find_slots` gives them. Each is numbered by its place
    /// in the list, from 1: the number a reply chooses it by. With a reply address each one
    /// also links to a ready reply whose subject carries the token and its number.
    Slots {
        slots: Vec<Slot>,
        reply: Option<ReplyTo>,
    },
    /// Free stretches, as `free_periods` gives them ("Send availability").
    Free { days: Vec<DayFree> },
}

/// Everything a message is made from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageInput {
    /// Whose time is offered.
    pub owner: Mailbox,
    /// Who sends the message: the owner, or a delegate sending on the owner's behalf.
    pub sender: Mailbox,
    pub meeting_minutes: NonZeroU32,
    /// The period looked in, for the wording when nothing is free.
    pub first_day: NaiveDate,
    pub last_day: NaiveDate,
    /// The zone the times are listed in.
    pub recipient_zone: Zone,
    /// The owner's zone: where its clock differs from the recipient's, a time also shows the
    /// owner's own time.
    pub owner_zone: Zone,
    /// The sender's own words, put first.
    pub note: Option<String>,
    pub times: Times,
}

/// A message ready to copy or to put in a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Message {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// The message for `input`.
pub fn compose(input: &MessageInput) -> Message {
    let owner = input.owner.shown();
    let subject = match &input.times {
        Times::Slots { .. } => format!("Meeting with {owner}"),
        Times::Free { .. } => format!("Availability of {owner}"),
    };
    let mut blocks = Vec::new();
    if let Some(note) = input
        .note
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
    {
        blocks.push(Block::Paragraph(note.lines().map(str::to_string).collect()));
    }
    match &input.times {
        Times::Slots { slots, reply } if !slots.is_empty() => {
            blocks.push(Block::Paragraph(vec![
                format!(
                    "Here are times for a meeting of {} with {owner}.",
                    length(input.meeting_minutes.get())
                ),
                zone_line(&input.recipient_zone),
            ]));
            blocks.extend(slot_days(input, &subject, slots, reply.as_ref()));
            let by_number = "Reply with the number of the time that suits you.".to_string();
            blocks.push(match reply {
                Some(_) => Block::Worded {
                    text: by_number,
                    html: "Click a time to reply with it, or reply with its number.".to_string(),
                },
                None => Block::Paragraph(vec![by_number]),
            });
        }
        Times::Free { days } if days.iter().any(|d| !d.free.is_empty()) => {
            blocks.push(Block::Paragraph(vec![
                format!(
                    "{owner} is free at these times, each long enough for a meeting of {}.",
                    length(input.meeting_minutes.get())
                ),
                zone_line(&input.recipient_zone),
            ]));
            blocks.extend(free_days(input, days));
            blocks.push(Block::Paragraph(vec![
                "Reply with a time that suits you.".to_string()
            ]));
        }
        Times::Slots { .. } | Times::Free { .. } => {
            blocks.push(Block::Paragraph(vec![nothing_free(input, owner)]));
            blocks.push(Block::Paragraph(vec![
                "Reply to suggest another period.".to_string()
            ]));
        }
    }
    if !input.sender.is(&input.owner) {
        blocks.push(Block::Aside(format!(
            "{} sent this on behalf of {owner}",
            input.sender.shown()
        )));
    }
    Message {
        subject,
        text: text(&blocks),
        html: html(&blocks),
    }
}

fn zone_line(zone: &Zone) -> String {
    match zone_name(zone) {
        Some(name) => format!("Times are in {name}."),
        None => "Times are shown with their offset from UTC.".to_string(),
    }
}

fn nothing_free(input: &MessageInput, owner: &str) -> String {
    let period = if input.first_day == input.last_day {
        format!("on {}", long_day(input.first_day))
    } else {
        format!(
            "between {} and {}",
            long_day(input.first_day),
            long_day(input.last_day)
        )
    };
    format!(
        "{owner} has no free times for a meeting of {} {period}.",
        length(input.meeting_minutes.get())
    )
}

/// A time in the recipient's zone: the stretch, and its start's day and offset.
struct Local {
    start: DateTime<FixedOffset>,
    end: DateTime<FixedOffset>,
}

impl Local {
    fn of(slot: &Slot, zone: &Zone) -> Local {
        Local {
            start: zone.local(slot.start.to_utc()),
            end: zone.local(slot.end.to_utc()),
        }
    }

    fn day(&self) -> NaiveDate {
        self.start.date_naive()
    }

    fn offset(&self) -> FixedOffset {
        *self.start.offset()
    }
}

/// The numbered slots, by day.
fn slot_days(
    input: &MessageInput,
    subject: &str,
    slots: &[Slot],
    reply: Option<&ReplyTo>,
) -> Vec<Block> {
    let times: Vec<(Local, Option<String>)> = slots
        .iter()
        .zip(1u32..)
        .map(|(slot, number)| {
            let local = Local::of(slot, &input.recipient_zone);
            let link = reply.map(|r| reply_link(r, subject, &local, number));
            (local, link)
        })
        .collect();
    let mut number = 0u32;
    by_day(input, times, || {
        number += 1;
        format!("{number}.")
    })
}

/// The free stretches, by day.
fn free_days(input: &MessageInput, days: &[DayFree]) -> Vec<Block> {
    let times: Vec<(Local, Option<String>)> = days
        .iter()
        .flat_map(|d| d.free.iter())
        .map(|slot| (Local::of(slot, &input.recipient_zone), None))
        .collect();
    by_day(input, times, || "\u{2022}".to_string())
}

/// Times grouped by the recipient's day, each day headed by its date and offset.
fn by_day(
    input: &MessageInput,
    times: Vec<(Local, Option<String>)>,
    mut marker: impl FnMut() -> String,
) -> Vec<Block> {
    let mut blocks: Vec<Block> = Vec::new();
    let mut current: Option<(NaiveDate, FixedOffset)> = None;
    for (local, link) in times {
        let heading_offset = match current {
            Some((day, offset)) if day == local.day() => offset,
            _ => {
                current = Some((local.day(), local.offset()));
                blocks.push(Block::Day {
                    heading: long_day(local.day()),
                    detail: format!("({})", offset_label(local.offset())),
                    entries: Vec::new(),
                });
                local.offset()
            }
        };
        let mut details = Vec::new();
        if local.offset() != heading_offset {
            details.push(format!("({})", offset_label(local.offset())));
        }
        details.extend(owner_time(input, &local));
        let entry = Entry {
            marker: marker(),
            time: time_range(&local.start, &local.end),
            link,
            details,
        };
        if let Some(Block::Day { entries, .. }) = blocks.last_mut() {
            entries.push(entry);
        }
    }
    blocks
}

/// "(Olivia Grant: 16:00–16:45 Berlin time)", with the owner's weekday when their day is not
/// the recipient's; none when the owner's clock shows the same time.
fn owner_time(input: &MessageInput, local: &Local) -> Option<String> {
    let zone = &input.owner_zone;
    let start = zone.local(local.start.to_utc());
    if start.offset() == local.start.offset() {
        return None;
    }
    let end = zone.local(local.end.to_utc());
    let weekday = if start.date_naive() == local.day() {
        String::new()
    } else {
        format!("{} ", short_weekday(start.date_naive()))
    };
    Some(format!(
        "({}: {weekday}{} {})",
        input.owner.shown(),
        time_range(&start, &end),
        short_zone_name(zone, &start)
    ))
}

/// The link that answers with slot `number`: to the reply address, its subject the offer's
/// with the slot's start and the marker, its body naming the time in full.
fn reply_link(reply: &ReplyTo, subject: &str, local: &Local, number: u32) -> String {
    let base = format!("{subject} \u{2014} {}", short_start(&local.start));
    let body = format!(
        "{}, {} ({}) suits me.",
        long_day(local.day()),
        time_range(&local.start, &local.end),
        offset_label(local.offset())
    );
    mailto_link(
        &reply.address,
        &reply_subject(&base, reply.token, number),
        &body,
    )
}
