//! Time slots offered by e-mail: one row per offer reference, with what was offered and the holds
//! placed for it as JSON the caller reads, and its state. A reply that books a slot, a
//! withdrawal or the expiry closes the offer; closed offers are kept a while for the record.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, Row};
use serde::{Deserialize, Serialize};

use crate::error::StoreError;
use crate::owners::normalize_address;
use crate::store::{require_account, require_json, require_key, Store};

/// Where an offer stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OfferState {
    /// Waiting for a reply.
    Open,
    /// A reply booked one of its slots.
    Booked,
    /// The user took it back.
    Withdrawn,
    /// Its time ran out before a reply came.
    Expired,
}

impl OfferState {
    fn as_str(self) -> &'static str {
        match self {
            OfferState::Open => "open",
            OfferState::Booked => "booked",
            OfferState::Withdrawn => "withdrawn",
            OfferState::Expired => "expired",
        }
    }

    fn parse(text: &str) -> Option<OfferState> {
        match text {
            "open" => Some(OfferState::Open),
            "booked" => Some(OfferState::Booked),
            "withdrawn" => Some(OfferState::Withdrawn),
            "expired" => Some(OfferState::Expired),
            _ => None,
        }
    }
}

/// One offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferRow {
    pub account_id: String,
    pub reference: String,
    /// The owner of the calendar the slots are on, spelled as [`normalize_address`] spells it.
    pub owner: String,
    pub state: OfferState,
    /// JSON: what was offered.
    pub offer: String,
    /// JSON: the holds placed for it.
    pub holds: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

const COLUMNS: &str =
    "account_id, reference, owner, state, offer, holds, created_at, expires_at, closed_at";

fn read_row(r: &Row<'_>) -> rusqlite::Result<OfferRow> {
    let state: String = r.get(3)?;
    let state = OfferState::parse(&state).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            3,
            rusqlite::types::Type::Text,
            format!("unknown offer state {state:?}").into(),
        )
    })?;
    Ok(OfferRow {
        account_id: r.get(0)?,
        reference: r.get(1)?,
        owner: r.get(2)?,
        state,
        offer: r.get(4)?,
        holds: r.get(5)?,
        created_at: r.get(6)?,
        expires_at: r.get(7)?,
        closed_at: r.get(8)?,
    })
}

/// The `slot_offers` table.
#[derive(Debug, Clone, Copy)]
pub struct SlotOffers<'s> {
    store: &'s Store,
}

impl<'s> SlotOffers<'s> {
    pub(crate) fn new(store: &'s Store) -> Self {
        SlotOffers { store }
    }

    /// Keeps a new offer; a reference already used by the account is an error, never overwritten.
    pub fn insert(&self, row: &OfferRow) -> Result<(), StoreError> {
        const STEP: &str = "keep the offer";
        self.store.write(STEP, |tx| {
            require_account(tx, &row.account_id)?;
            require_key(STEP, "reference", &row.reference)?;
            require_key(STEP, "owner", &row.owner)?;
            require_json(tx, STEP, "offer", &row.offer)?;
            require_json(tx, STEP, "holds", &row.holds)?;
            tx.execute(
                &format!("INSERT INTO slot_offers ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"),
                rusqlite::params![
                    row.account_id,
                    row.reference,
                    normalize_address(&row.owner),
                    row.state.as_str(),
                    row.offer,
                    row.holds,
                    row.created_at,
                    row.expires_at,
                    row.closed_at,
                ],
            )?;
            Ok(())
        })
    }

    pub fn get(&self, account_id: &str, reference: &str) -> Result<Option<OfferRow>, StoreError> {
        self.store.read("read the offer", |c| {
            c.query_row(
                &format!(
                    "SELECT {COLUMNS} FROM slot_offers WHERE account_id = ?1 AND reference = ?2"
                ),
                [account_id, reference],
                read_row,
            )
            .optional()
        })
    }

    /// The account's offers still waiting for a reply, oldest first.
    pub fn open(&self, account_id: &str) -> Result<Vec<OfferRow>, StoreError> {
        self.list(account_id, "state = 'open'", "created_at ASC")
    }

    /// Every offer of the account, newest first.
    pub fn all(&self, account_id: &str) -> Result<Vec<OfferRow>, StoreError> {
        self.list(account_id, "1", "created_at DESC")
    }

    fn list(
        &self,
        account_id: &str,
        filter: &'static str,
        order: &'static str,
    ) -> Result<Vec<OfferRow>, StoreError> {
        self.store.read("list the offers", |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM slot_offers WHERE account_id = ?1 AND {filter}
                 ORDER BY {order}, reference"
            ))?;
            let rows = stmt.query_map([account_id], read_row)?;
            rows.collect()
        })
    }

    /// Replaces the holds of an offer; `false` when there is no such offer.
    pub fn set_holds(
        &self,
        account_id: &str,
        reference: &str,
        holds: &str,
    ) -> Result<bool, StoreError> {
        const STEP: &str = "keep the offer's holds";
        self.store.write(STEP, |tx| {
            require_json(tx, STEP, "holds", holds)?;
            Ok(tx.execute(
                "UPDATE slot_offers SET holds = ?3 WHERE account_id = ?1 AND reference = ?2",
                [account_id, reference, holds],
            )? > 0)
        })
    }

    /// Closes an open offer with `state` and its holds as they are now, in one write; `false`
    /// when it was not open (another process closed it first).
    pub fn close(
        &self,
        account_id: &str,
        reference: &str,
        state: OfferState,
        offer: &str,
        holds: &str,
        at: DateTime<Utc>,
    ) -> Result<bool, StoreError> {
        const STEP: &str = "close the offer";
        self.store.write(STEP, |tx| {
            require_json(tx, STEP, "offer", offer)?;
            require_json(tx, STEP, "holds", holds)?;
            Ok(tx.execute(
                "UPDATE slot_offers SET state = ?3, offer = ?4, holds = ?5, closed_at = ?6
                 WHERE account_id = ?1 AND reference = ?2 AND state = 'open'",
                rusqlite::params![account_id, reference, state.as_str(), offer, holds, at],
            )? > 0)
        })
    }

    /// Forgets closed offers closed before `before`; how many.
    pub fn forget_closed_before(
        &self,
        account_id: &str,
        before: DateTime<Utc>,
    ) -> Result<usize, StoreError> {
        self.store.write("forget old offers", |tx| {
            Ok(tx.execute(
                "DELETE FROM slot_offers WHERE account_id = ?1 AND state <> 'open'
                 AND closed_at < ?2",
                rusqlite::params![account_id, before],
            )?)
        })
    }
}
