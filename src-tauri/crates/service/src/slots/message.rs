//! The message about the times found: which of them to offer, the sender's note, and reply
//! links whose subjects carry the offer's token, composed by the engine in the recipient's
//! zone. A token is made once per offer and given back by the caller while the offer is being
//! edited, so the links it shows stay the ones sent.

use std::num::NonZeroU32;

use onbehalf_engine::slots::message::{compose, Mailbox, Message, MessageInput, ReplyTo, Times};
use onbehalf_engine::slots::reply_token::{offer_subject, OfferToken};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorCode, ServiceError};
use crate::slots::find::{Person, SlotsFound};

/// What to put in the message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct MessageRequest {
    pub found: SlotsFound,
    /// The numbers (from 1, in `found.slots`) of the times to offer; empty: all of them.
    #[serde(default)]
    pub picked: Vec<u32>,
    /// The free stretches by day instead of start times ("Send availability").
    #[serde(default)]
    pub availability: bool,
    /// The sender's own words, put first.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub note: Option<String>,
    /// Each time links to a ready reply that books it.
    #[serde(default)]
    pub reply_links: bool,
    /// The offer's token, once one was made.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional, type = "string"))]
    pub token: Option<OfferToken>,
    /// Hold the times offered on the owner's calendar (tentative, category "Onbehalf hold")
    /// until one is booked or the offer ends.
    #[serde(default)]
    pub holds: bool,
    /// The offer ends this many days after it is sent (at the latest when its last time
    /// begins); none: when its last time begins.
    #[serde(default)]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub hold_days: Option<u32>,
}

/// The message, and the token its reply links carry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ComposedMessage {
    pub message: Message,
    #[cfg_attr(feature = "ts", ts(type = "string | null"))]
    pub token: Option<OfferToken>,
    /// How many times it offers (or days of availability it lists).
    pub count: usize,
}

/// A new offer token: 30 random bits.
pub(crate) fn new_token() -> OfferToken {
    OfferToken::from_bits(rand::random::<u32>() & 0x3FFF_FFFF)
}

fn mailbox(p: &Person) -> Mailbox {
    Mailbox {
        name: p.name.clone(),
        address: p.address.clone(),
    }
}

/// The message for `request`, with a token made when reply links are asked for and none was
/// given.
pub fn compose_message(request: &MessageRequest) -> Result<ComposedMessage, ServiceError> {
    let found = &request.found;
    let minutes = NonZeroU32::new(found.duration_minutes).ok_or_else(|| {
        ServiceError::new(
            ErrorCode::InvalidInput,
            "The meeting length cannot be zero.",
        )
    })?;
    let token = match (request.reply_links && !request.availability, request.token) {
        (false, _) => None,
        (true, Some(t)) => Some(t),
        (true, None) => Some(new_token()),
    };
    let (times, count) = match request.availability {
        true => (
            Times::Free {
                days: found.free.clone(),
            },
            found.free.len(),
        ),
        false => {
            let slots = picked(found, &request.picked)?;
            let count = slots.len();
            let reply = token.map(|token| ReplyTo {
                address: found.sender.address.clone(),
                token,
            });
            (Times::Slots { slots, reply }, count)
        }
    };
    let input = MessageInput {
        owner: mailbox(&found.owner),
        sender: mailbox(&found.sender),
        meeting_minutes: minutes,
        first_day: found.first_day,
        last_day: found.last_day,
        recipient_zone: found.recipient_zone.clone(),
        owner_zone: found
            .owner_zone
            .clone()
            .unwrap_or_else(|| found.recipient_zone.clone()),
        note: request.note.clone(),
        times,
    };
    let mut message = compose(&input);
    if let Some(token) = token {
        // A plain reply, with the time's number in its text, still names the offer.
        message.subject = offer_subject(&message.subject, token);
    }
    Ok(ComposedMessage {
        message,
        token,
        count,
    })
}

/// The slots numbered in `numbers`, in the order found; all of them when none are.
pub(crate) fn picked(
    found: &SlotsFound,
    numbers: &[u32],
) -> Result<Vec<onbehalf_engine::slots::params::Slot>, ServiceError> {
    if numbers.is_empty() {
        return Ok(found.slots.clone());
    }
    let mut out = Vec::new();
    for (i, slot) in found.slots.iter().enumerate() {
        if numbers
            .iter()
            .any(|n| usize::try_from(*n).ok() == Some(i + 1))
        {
            out.push(slot.clone());
        }
    }
    if let Some(n) = numbers
        .iter()
        .find(|n| **n == 0 || usize::try_from(**n).map_or(true, |n| n > found.slots.len()))
    {
        return Err(ServiceError::new(
            ErrorCode::InvalidInput,
            format!(
                "There is no time number {n}: the search found {} times.",
                found.slots.len()
            ),
        ));
    }
    Ok(out)
}
