//! An offer that can come back by reply: the times offered, kept under the reference their
//! reply links carry, with tentative holds on the owner's calendar (category "Onbehalf hold")
//! while it waits. Holds are released when a time is booked, when the offer is withdrawn and
//! when it expires.
//!
//! The offer is kept before any hold is placed, and each hold is kept as soon as it exists,
//! so a process killed half-way leaves nothing on the calendar that the store does not know.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use onbehalf_engine::actions::Action;
use onbehalf_engine::slots::params::Slot;
use onbehalf_engine::slots::zone::Zone;
use onbehalf_engine::view::CalendarKind;
use onbehalf_graph::models::{DateTimeTimeZone, ItemBody, NewEvent, ShowAs};
use onbehalf_graph::{source_error, CalendarTarget, GraphClient, GraphError};
use onbehalf_store::{OfferRow, OfferState};
use serde::{Deserialize, Serialize};

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::slots::find::Person;
use crate::slots::prefs::SlotPrefs;
use crate::Onbehalf;

/// The category of a hold.
pub const HOLD_CATEGORY: &str = "Onbehalf hold";
/// At most this many times are held for one offer.
pub const MAX_HOLDS: usize = 10;

/// What was offered, kept as the offer row's JSON.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Offer {
    pub reference: String,
    pub owner: Person,
    pub sender: Person,
    pub subject: String,
    /// The times offered, numbered from 1 in this order.
    pub slots: Vec<Slot>,
    /// Who it was sent to, when known.
    pub to: Vec<String>,
    /// Required attendees besides the owner.
    pub with: Vec<String>,
    pub prefs: SlotPrefs,
    pub recipient_zone: Zone,
    /// Set once a reply booked a time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booked: Option<Booked>,
}

/// The meeting a reply booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Booked {
    pub number: u32,
    pub event_id: String,
    pub web_link: Option<String>,
    pub attendee: Person,
    pub at: DateTime<Utc>,
}

/// One hold on the owner's calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Hold {
    pub number: u32,
    pub event_id: String,
}

/// An offer as the user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OfferView {
    pub reference: String,
    pub owner: Person,
    pub subject: String,
    pub slots: Vec<Slot>,
    pub to: Vec<String>,
    /// `open`, `booked`, `withdrawn` or `expired`.
    pub state: String,
    pub holds: usize,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    /// The time a reply booked, as its start.
    #[cfg_attr(feature = "ts", ts(optional))]
    pub booked_start: Option<String>,
    #[cfg_attr(feature = "ts", ts(optional))]
    pub booked_with: Option<String>,
}

pub(crate) fn read_offer(row: &OfferRow) -> Option<(Offer, Vec<Hold>)> {
    let offer = serde_json::from_str(&row.offer)
        .map_err(|e| tracing::warn!(error = %e, "an offer this version cannot read is skipped"))
        .ok()?;
    let holds = serde_json::from_str(&row.holds).unwrap_or_default();
    Some((offer, holds))
}

pub(crate) fn to_json<T: Serialize>(value: &T) -> Result<String, ServiceError> {
    serde_json::to_string(value)
        .map_err(|e| ServiceError::new(ErrorCode::Other, format!("Could not keep the offer: {e}")))
}

/// The owner's calendar, as Graph addresses it from the user's mailbox.
pub(crate) fn calendar_of(owner: &Person, sender: &Person) -> CalendarTarget {
    match owner.address.eq_ignore_ascii_case(&sender.address) {
        true => CalendarTarget::my_default(),
        false => CalendarTarget::default_of(&owner.address),
    }
}

pub(crate) fn utc(t: DateTime<Utc>) -> DateTimeTimeZone {
    let written = t.to_rfc3339_opts(SecondsFormat::Secs, true);
    DateTimeTimeZone {
        date_time: written.trim_end_matches('Z').to_string(),
        time_zone: "UTC".to_string(),
    }
}

impl Onbehalf {
    /// Keep `offer` so replies can book it, holding its times on the owner's calendar when
    /// asked (which needs the right to create items there). Returns how many times are held.
    pub(crate) async fn place_offer(
        &self,
        offer: Offer,
        holds: bool,
        expires_at: DateTime<Utc>,
    ) -> Result<usize, ServiceError> {
        if holds {
            if offer.slots.len() > MAX_HOLDS {
                return Err(ServiceError::new(
                    ErrorCode::InvalidInput,
                    format!(
                        "Hold at most {MAX_HOLDS} times: pick fewer, or send the offer without holds."
                    ),
                ));
            }
            self.may_hold(&offer).await?;
        }
        let session = self.session().await?;
        let account_id = session.account.id.clone();
        let row = OfferRow {
            account_id: account_id.clone(),
            reference: offer.reference.clone(),
            owner: offer.owner.address.clone(),
            state: OfferState::Open,
            offer: to_json(&offer)?,
            holds: "[]".into(),
            created_at: Utc::now(),
            expires_at,
            closed_at: None,
        };
        let store = self.store.clone();
        blocking("keeping the offer", move || {
            Ok(store.slot_offers().insert(&row)?)
        })
        .await?;
        if !holds {
            return Ok(0);
        }
        let client = session.source.client();
        let mut placed: Vec<Hold> = Vec::new();
        for (i, slot) in offer.slots.iter().enumerate() {
            let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
            match place_hold(client, &offer, number, slot).await {
                Ok(event_id) => {
                    placed.push(Hold { number, event_id });
                    self.keep_holds(&account_id, &offer.reference, &placed)
                        .await?;
                }
                Err(e) => {
                    // Nothing half-held: what was placed goes again, and the offer with it.
                    release(client, &offer, &placed).await;
                    let store = self.store.clone();
                    let (id, reference) = (account_id.clone(), offer.reference.clone());
                    let text = to_json(&offer)?;
                    blocking("withdrawing the offer", move || {
                        store.slot_offers().close(
                            &id,
                            &reference,
                            OfferState::Withdrawn,
                            &text,
                            "[]",
                            Utc::now(),
                        )?;
                        Ok(())
                    })
                    .await?;
                    return Err(hold_error(e, &offer.owner.name));
                }
            }
        }
        Ok(placed.len())
    }

    /// Holds are items on the owner's calendar: they need the right to create items there.
    async fn may_hold(&self, offer: &Offer) -> Result<(), ServiceError> {
        if offer
            .owner
            .address
            .eq_ignore_ascii_case(&offer.sender.address)
        {
            return Ok(());
        }
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let entries = self.stored_calendars(&account).await?;
        let verdict = entries
            .iter()
            .filter(|e| e.owner.eq_ignore_ascii_case(&offer.owner.address))
            .filter(|e| {
                matches!(
                    e.kind,
                    CalendarKind::OwnerPrimary | CalendarKind::AddedByAddress
                )
            })
            .filter_map(|e| e.actions.get(&Action::Create))
            .find(|v| v.allowed)
            .cloned();
        match verdict {
            Some(_) => Ok(()),
            None => Err(ServiceError::new(
                ErrorCode::Refused,
                format!(
                    "Holding the times needs the right to create items on {}'s calendar, which \
                     you do not have. Send the offer without holds, or ask {} for Author or \
                     Editor access.",
                    offer.owner.name, offer.owner.name
                ),
            )),
        }
    }

    pub(crate) async fn keep_holds(
        &self,
        account_id: &str,
        reference: &str,
        holds: &[Hold],
    ) -> Result<(), ServiceError> {
        let store = self.store.clone();
        let (id, reference, text) = (
            account_id.to_string(),
            reference.to_string(),
            to_json(&holds)?,
        );
        blocking("keeping the holds", move || {
            store.slot_offers().set_holds(&id, &reference, &text)?;
            Ok(())
        })
        .await
    }

    /// Every offer kept, newest first.
    pub async fn offers(&self) -> Result<Vec<OfferView>, ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let store = self.store.clone();
        let rows = blocking("reading the offers", move || {
            Ok(store.slot_offers().all(&account.id)?)
        })
        .await?;
        Ok(rows
            .iter()
            .filter_map(|row| {
                let (offer, holds) = read_offer(row)?;
                Some(OfferView {
                    reference: offer.reference,
                    owner: offer.owner,
                    subject: offer.subject,
                    state: match row.state {
                        OfferState::Open => "open",
                        OfferState::Booked => "booked",
                        OfferState::Withdrawn => "withdrawn",
                        OfferState::Expired => "expired",
                    }
                    .to_string(),
                    holds: holds.len(),
                    booked_start: offer.booked.as_ref().and_then(|b| {
                        let i = usize::try_from(b.number).ok()?.checked_sub(1)?;
                        offer.slots.get(i).map(|s| s.start.to_rfc3339())
                    }),
                    booked_with: offer.booked.map(|b| b.attendee.address),
                    slots: offer.slots,
                    to: offer.to,
                    created_at: row.created_at,
                    expires_at: row.expires_at,
                })
            })
            .collect())
    }

    /// Take an open offer back: its holds are released and replies no longer book it.
    pub async fn withdraw_offer(&self, reference: &str) -> Result<(), ServiceError> {
        let reference = reference.trim().trim_start_matches("OB-").to_uppercase();
        let closed = self
            .close_offer(&reference, OfferState::Withdrawn, None)
            .await?;
        match closed {
            true => Ok(()),
            false => Err(ServiceError::new(
                ErrorCode::InvalidInput,
                format!("There is no open offer {reference}."),
            )),
        }
    }

    /// Release the holds of an open offer and close it; `false` when it was not open.
    pub(crate) async fn close_offer(
        &self,
        reference: &str,
        state: OfferState,
        booked: Option<Booked>,
    ) -> Result<bool, ServiceError> {
        let session = self.session().await?;
        let store = self.store.clone();
        let (id, r) = (session.account.id.clone(), reference.to_string());
        let row = blocking("reading the offer", move || {
            Ok(store.slot_offers().get(&id, &r)?)
        })
        .await?;
        let Some(row) = row.filter(|r| r.state == OfferState::Open) else {
            return Ok(false);
        };
        let Some((mut offer, holds)) = read_offer(&row) else {
            return Ok(false);
        };
        let left = release(session.source.client(), &offer, &holds).await;
        offer.booked = booked;
        let store = self.store.clone();
        let (id, reference) = (row.account_id.clone(), row.reference.clone());
        let (text, holds) = (to_json(&offer)?, to_json(&left)?);
        blocking("closing the offer", move || {
            Ok(store
                .slot_offers()
                .close(&id, &reference, state, &text, &holds, Utc::now())?)
        })
        .await
    }

    /// Close the offers whose time is over, releasing their holds.
    pub(crate) async fn expire_offers(&self, account_id: &str) -> Result<(), ServiceError> {
        let store = self.store.clone();
        let id = account_id.to_string();
        let open = blocking("reading the open offers", move || {
            Ok(store.slot_offers().open(&id)?)
        })
        .await?;
        let now = Utc::now();
        for row in open.iter().filter(|r| r.expires_at <= now) {
            self.close_offer(&row.reference, OfferState::Expired, None)
                .await?;
        }
        let store = self.store.clone();
        let id = account_id.to_string();
        blocking("forgetting old offers", move || {
            store
                .slot_offers()
                .forget_closed_before(&id, now - Duration::days(90))?;
            Ok(())
        })
        .await
    }
}

async fn place_hold(
    client: &GraphClient,
    offer: &Offer,
    number: u32,
    slot: &Slot,
) -> Result<String, GraphError> {
    let to = match offer.to.as_slice() {
        [] => String::new(),
        to => format!(" to {}", to.join(", ")),
    };
    let event = NewEvent {
        subject: format!("Hold: {}", offer.subject),
        body: Some(ItemBody {
            content_type: "text".into(),
            content: format!(
                "Held by Onbehalf for the times {} offered{to} (OB-{}, time {number}). It goes \
                 when one of the times is booked, or when the offer is withdrawn or expires.",
                offer.sender.name, offer.reference
            ),
        }),
        start: utc(slot.start.to_utc()),
        end: utc(slot.end.to_utc()),
        attendees: Vec::new(),
        show_as: Some(ShowAs::Tentative),
        categories: vec![HOLD_CATEGORY.to_string()],
        transaction_id: Some(format!("onbehalf-hold-{}-{number}", offer.reference)),
    };
    let target = calendar_of(&offer.owner, &offer.sender);
    Ok(client.events(target).create(&event).await?.id)
}

/// Delete the holds; the ones that could not be deleted are returned (a hold already gone
/// counts as released).
pub(crate) async fn release(client: &GraphClient, offer: &Offer, holds: &[Hold]) -> Vec<Hold> {
    let events = client.events(calendar_of(&offer.owner, &offer.sender));
    let mut left = Vec::new();
    for hold in holds {
        match events.delete(&hold.event_id).await {
            Ok(()) => {}
            Err(e) if e.status() == Some(404) => {}
            Err(e) => {
                tracing::warn!(error = %e, "a hold could not be released");
                left.push(hold.clone());
            }
        }
    }
    left
}

fn hold_error(e: GraphError, owner_name: &str) -> ServiceError {
    let mut error = ServiceError::from(source_error(e));
    error.message = format!(
        "The times could not be held on {owner_name}'s calendar, so nothing was held and the \
         offer was not kept: {}",
        error.message
    );
    error
}
