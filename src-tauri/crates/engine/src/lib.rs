//! Onbehalf's domain. It decides what a user may do on each calendar they can reach, finds those
//! calendars, publishes the user's own status record, and checks the prerequisites, talking to
//! Exchange only through the [`ports::CalendarSource`] port and to a CRM only through the
//! [`crm::Crm`] port, which no vendor's words reach.
//!
//! Invariants: no HTTP, no Tauri, no SQL in this crate; time comes in as a parameter; every
//! allowed action is derived from [`permission::Rights`], never from the name of a level; output
//! collections are ordered so that the same input always gives the same output.

pub mod actions;
pub mod crm;
pub mod crm_checks;
pub mod discovery;
pub mod doctor;
pub mod item;
pub mod permission;
pub mod policy;
pub mod ports;
pub mod publish;
pub mod resolve;
pub mod slots;
pub mod status_record;
pub mod sync;
pub mod view;
