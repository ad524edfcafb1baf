//! Time slots and availability from whichever calendar the user picks: the picker (own and
//! owners' calendars with the free/busy verdict), the search over `getSchedule`, and the rules
//! remembered per owner.
//!
//! Invariants: a calendar the picker refuses is never read; a person whose free/busy could
//! not be read makes the search fail rather than offer times they may not have free.

mod draft;
mod find;
mod instead;
mod keep;
mod message;
mod offer;
mod picker;
mod prefs;
mod replies;
mod watch;

pub use draft::{DraftOutcome, DraftRequest};
pub use find::{Person, SlotRequest, SlotsFound};
pub use message::{compose_message, ComposedMessage, MessageRequest};
pub use offer::{OfferView, HOLD_CATEGORY};
pub use picker::{SendOnBehalf, SlotCalendar, SlotCalendars};
pub use prefs::SlotPrefs;
pub use replies::ReplyOutcome;
