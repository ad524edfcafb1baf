//! Finding meeting times: the free/busy Graph's `getSchedule` gives for one or several people
//! (their items, working hours and time zones) turned into the start times that can be offered
//! to a recipient, in the recipient's time zone.
//!
//! Invariants: no I/O here and no clock: `now` comes in as a parameter; a slot is only where
//! every person is free and inside their own working hours, each in their own zone; time zones
//! are IANA rules (Windows names reach them through CLDR's table, never a hand-written one) or a
//! Graph custom zone computed from its rules; the same inputs always give the same slots, in
//! order of start.

pub mod custom_zone;
pub mod find;
pub mod params;
pub mod schedule;
pub mod zone;

mod busy;
mod span;
mod working;
