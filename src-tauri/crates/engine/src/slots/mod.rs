//! Finding meeting times and offering them: the free/busy Graph's `getSchedule` gives for one
//! or several people (their items, working hours and time zones) turned into the start times,
//! or the free stretches, that can be offered to a recipient in the recipient's time zone; the
//! message that offers them; and the decision on the reply that chooses one.
//!
//! Invariants: no I/O here, no clock and no randomness: `now` and a token's bits come in as
//! parameters; a slot is only where every person is free and inside their own working hours,
//! each in their own zone; time zones are IANA rules (Windows names reach them through CLDR's
//! table, never a hand-written one) or a Graph custom zone computed from its rules; the same
//! inputs always give the same slots, in order of start, and the same message.

pub mod availability;
pub mod booking;
pub mod custom_zone;
pub mod find;
pub mod mailto;
pub mod message;
pub mod params;
pub mod reply_token;
pub mod schedule;
pub mod wording;
pub mod zone;

mod busy;
mod free;
mod grid;
mod render;
mod span;
mod working;
