//! Booking by reply: the user's inbox is read for replies whose subject carries an open
//! offer's marker (`[OB-K7Q2MX-2]`); the chosen time is checked against everyone's free/busy
//! again, booked on the owner's calendar with the one who replied as attendee, and the other
//! holds released. A time taken meanwhile gets a reply draft with the next free times. The
//! user is told either way, and the owner is told of a booking made for them.
//!
//! Only messages received since the oldest open offer are read, and only their subjects
//! decide anything; the inbox is not read at all while no offer is open.

use std::collections::BTreeSet;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::slots::booking::{decide, Booking};
use onbehalf_engine::slots::params::Slot;
use onbehalf_engine::slots::reply_token::{find_choice, find_offer, number_in_reply};
use onbehalf_engine::slots::wording::short_start;
use onbehalf_graph::models::{ItemBody, MailAddress, NewAttendee, NewEvent, ShowAs};
use onbehalf_graph::{
    source_error, GraphClient, Mailbox, MessageBody, OutgoingMessage, ReceivedMessage,
};
use onbehalf_store::{OfferRow, OfferState};
use serde::{Deserialize, Serialize};

use crate::blocking::blocking;
use crate::error::ServiceError;
use crate::kept_json;
use crate::slots::find::{period, readable, slot_params, Person};
use crate::slots::offer::{calendar_of, read_offer, utc, Booked, Hold, Offer};
use crate::Onbehalf;

/// What a reply came to, for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum ReplyOutcome {
    /// The time was free and is booked.
    Booked {
        reference: String,
        owner: Person,
        attendee: Person,
        when: String,
        #[cfg_attr(feature = "ts", ts(optional))]
        web_link: Option<String>,
    },
    /// The time was no longer free; a reply offering the next free times is a draft.
    Taken {
        reference: String,
        owner: Person,
        attendee: Person,
        when: String,
        alternatives: usize,
    },
    /// The time had already begun.
    Passed {
        reference: String,
        attendee: Person,
        when: String,
    },
    /// A reply to the offer that chose no time by its number: for the user to read.
    Unclear {
        reference: String,
        owner: Person,
        attendee: Person,
    },
}

impl ReplyOutcome {
    /// One sentence for a person.
    pub fn sentence(&self) -> String {
        match self {
            ReplyOutcome::Booked {
                owner,
                attendee,
                when,
                ..
            } => format!(
                "{} chose {when}: booked on {}'s calendar, with {} invited.",
                shown(attendee),
                owner.name,
                shown(attendee)
            ),
            ReplyOutcome::Taken {
                owner,
                attendee,
                when,
                alternatives,
                ..
            } => match alternatives {
                0 => format!(
                    "{} chose {when}, which is no longer free on {}'s calendar, and no other time \
                     is free: a reply saying so is in your Drafts folder.",
                    shown(attendee),
                    owner.name
                ),
                n => format!(
                    "{} chose {when}, which is no longer free on {}'s calendar: a reply offering \
                     the next {n} free times is in your Drafts folder.",
                    shown(attendee),
                    owner.name
                ),
            },
            ReplyOutcome::Passed { attendee, when, .. } => format!(
                "{} chose {when}, which has already begun; nothing was booked.",
                shown(attendee)
            ),
            ReplyOutcome::Unclear {
                owner, attendee, ..
            } => format!(
                "{} answered the times offered for {} without choosing one by its number: \
                 read the reply in your inbox.",
                shown(attendee),
                owner.name
            ),
        }
    }
}

fn shown(p: &Person) -> &str {
    match p.name.trim() {
        "" => &p.address,
        name => name,
    }
}

/// Where reading the inbox got to: the newest time read, and the messages of that very time
/// already handled (the next read starts at that time again).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
struct InboxCursor {
    since: Option<DateTime<Utc>>,
    seen: BTreeSet<String>,
}

fn cursor_key(account_id: &str) -> String {
    format!("slots.inbox.{account_id}")
}

impl Onbehalf {
    /// Expire what is over, then read the replies to open offers and act on them.
    #[tracing::instrument(skip_all, err)]
    pub async fn check_replies(&self) -> Result<Vec<ReplyOutcome>, ServiceError> {
        let session = self.session().await?;
        let account_id = session.account.id.clone();
        self.expire_offers(&account_id).await?;
        let store = self.store.clone();
        let (id, key) = (account_id.clone(), cursor_key(&account_id));
        let (open, cursor) = blocking("reading the open offers", move || {
            let open = store.slot_offers().open(&id)?;
            let cursor: InboxCursor = kept_json::load(&store, &key, "where the inbox was read to")?;
            Ok((open, cursor))
        })
        .await?;
        let Some(oldest) = open.iter().map(|o| o.created_at).min() else {
            return Ok(Vec::new());
        };
        // A minute early: the offer's row is written just before its message leaves.
        let since = cursor.since.unwrap_or(oldest - Duration::minutes(1));
        let client = session.source.client();
        let messages = client
            .inbox_since(since)
            .await
            .map_err(|e| ServiceError::from(source_error(e)))?;
        let mut outcomes = Vec::new();
        let mut next = cursor.clone();
        for message in &messages {
            if next.seen.contains(&message.id) && Some(message.received) == next.since {
                continue;
            }
            if let Some(outcome) = self.answer(client, &open, message).await? {
                outcomes.push(outcome);
            }
            if Some(message.received) != next.since {
                next.since = Some(message.received);
                next.seen.clear();
            }
            next.seen.insert(message.id.clone());
        }
        if next != cursor {
            let store = self.store.clone();
            let key = cursor_key(&account_id);
            let kept = next.clone();
            blocking("keeping where the inbox was read to", move || {
                kept_json::save(&store, &key, "where the inbox was read to", &kept)
            })
            .await?;
        }
        Ok(outcomes)
    }

    /// Act on one message when it chooses a time of an open offer.
    async fn answer(
        &self,
        client: &GraphClient,
        open: &[OfferRow],
        message: &ReceivedMessage,
    ) -> Result<Option<ReplyOutcome>, ServiceError> {
        // A reply link's subject names the offer and the time; a plain reply to the offer
        // names the offer, and its first line the time's number.
        let (token, number) = match find_choice(&message.subject) {
            Some((token, number)) => (token, Some(number)),
            None => match find_offer(&message.subject) {
                Some(token) => (token, None),
                None => return Ok(None),
            },
        };
        let reference = token.to_string();
        let Some(row) = open.iter().find(|r| r.reference == reference) else {
            return Ok(None);
        };
        let Some((offer, holds)) = read_offer(row) else {
            return Ok(None);
        };
        let Some(from) = &message.from else {
            return Ok(None);
        };
        let attendee = Person {
            name: from.name.clone().unwrap_or_default(),
            address: from.address.to_lowercase(),
        };
        let number = number.or_else(|| number_in_reply(&message.body_text, offer.slots.len()));
        let chosen = number.and_then(|n| {
            let i = usize::try_from(n).ok()?.checked_sub(1)?;
            offer.slots.get(i).cloned()
        });
        let (Some(number), Some(chosen)) = (number, chosen) else {
            return Ok(Some(ReplyOutcome::Unclear {
                reference,
                owner: offer.owner,
                attendee,
            }));
        };
        let when = short_start(&chosen.start);
        let verdict = self.decide_again(client, &offer, &holds, &chosen).await?;
        Ok(Some(match verdict {
            Booking::Expired => ReplyOutcome::Passed {
                reference,
                attendee,
                when,
            },
            Booking::Book => {
                let booked = book(client, &offer, number, &chosen, &attendee).await?;
                let web_link = booked.web_link.clone();
                self.close_offer(&reference, OfferState::Booked, Some(booked))
                    .await?;
                tell_owner(client, &offer, &attendee, &when).await;
                ReplyOutcome::Booked {
                    reference,
                    owner: offer.owner,
                    attendee,
                    when,
                    web_link,
                }
            }
            Booking::Taken { alternatives } => {
                let count = alternatives.len();
                self.offer_instead(&offer, &attendee, alternatives).await?;
                self.close_offer(&reference, OfferState::Withdrawn, None)
                    .await?;
                ReplyOutcome::Taken {
                    reference,
                    owner: offer.owner,
                    attendee,
                    when,
                    alternatives: count,
                }
            }
        }))
    }

    /// Whether `chosen` can still be booked, by everyone's free/busy now.
    async fn decide_again(
        &self,
        client: &GraphClient,
        offer: &Offer,
        holds: &[Hold],
        chosen: &Slot,
    ) -> Result<Booking, ServiceError> {
        let day = chosen.day();
        let last = day + Duration::days(14);
        let mut schedules = vec![offer.owner.address.clone()];
        schedules.extend(offer.with.iter().cloned());
        let (start, end) = period(day, last);
        let answers = client
            .get_schedule(&Mailbox::Me, &schedules, start, end, 30)
            .await
            .map_err(|e| ServiceError::from(source_error(e)))?;
        let people = readable(answers, &offer.owner.name)?;
        let params = slot_params(&offer.prefs, day, last, &offer.recipient_zone)?;
        let own: Vec<Slot> = holds
            .iter()
            .filter_map(|h| {
                let i = usize::try_from(h.number).ok()?.checked_sub(1)?;
                offer.slots.get(i).cloned()
            })
            .collect();
        Ok(decide(chosen, &people, &params, &own, Utc::now()))
    }
}

/// The meeting on the owner's calendar, with the one who replied (and the offer's other
/// attendees) invited. Its transaction id makes a repeat after a lost answer create nothing new.
async fn book(
    client: &GraphClient,
    offer: &Offer,
    number: u32,
    chosen: &Slot,
    attendee: &Person,
) -> Result<Booked, ServiceError> {
    let mut attendees = vec![NewAttendee::required(MailAddress::named(
        &attendee.name,
        &attendee.address,
    ))];
    attendees.extend(
        offer
            .with
            .iter()
            .map(|a| NewAttendee::required(MailAddress::new(a))),
    );
    let event = NewEvent {
        subject: offer.subject.clone(),
        body: Some(ItemBody {
            content_type: "text".into(),
            content: format!(
                "Booked from {}'s reply to the times {} offered (OB-{}).",
                shown(attendee),
                offer.sender.name,
                offer.reference
            ),
        }),
        start: utc(chosen.start.to_utc()),
        end: utc(chosen.end.to_utc()),
        attendees,
        show_as: Some(ShowAs::Busy),
        categories: Vec::new(),
        transaction_id: Some(format!("onbehalf-booking-{}", offer.reference)),
    };
    let created = client
        .events(calendar_of(&offer.owner, &offer.sender))
        .create(&event)
        .await
        .map_err(|e| ServiceError::from(source_error(e)))?;
    Ok(Booked {
        number,
        event_id: created.id,
        web_link: created.web_link,
        attendee: attendee.clone(),
        at: Utc::now(),
    })
}

/// A short note to the owner when a delegate's offer was booked for them. A failure is
/// logged: the meeting is on their calendar either way.
async fn tell_owner(client: &GraphClient, offer: &Offer, attendee: &Person, when: &str) {
    if offer
        .owner
        .address
        .eq_ignore_ascii_case(&offer.sender.address)
    {
        return;
    }
    let note = OutgoingMessage {
        subject: format!("Booked: {} at {when}", offer.subject),
        body: MessageBody::Text(format!(
            "{} chose {when} from the times {} offered on your behalf. The meeting is on your \
             calendar and {} is invited.\n\n{} (sent by Onbehalf)",
            shown(attendee),
            offer.sender.name,
            shown(attendee),
            offer.sender.name
        )),
        to: vec![MailAddress::named(&offer.owner.name, &offer.owner.address)],
        cc: Vec::new(),
        from: None,
        reply_to: Vec::new(),
    };
    if let Err(e) = client.send_mail(&note, true).await {
        tracing::warn!(error = %e, "the owner could not be told of a booking");
    }
}
