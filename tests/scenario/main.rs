//! Scenario tests: the `onbehalf` command line over real HTTP against the sandbox, each user on
//! their own "machine" (data folder), as people would use it.

// Test code: a failed unwrap is a failed test, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod desktop;
mod office;
mod slots_support;
mod support;

mod account_problems;
mod admin_policy;
mod booking_by_reply;
mod crm;
mod demo_org;
mod direct_share;
mod first_sync;
mod from_crm;
mod item_problems;
mod moves;
mod notifications;
mod permissions_change;
mod privacy;
mod record_privacy;
mod resilience;
mod secrets_at_rest;
mod sharing;
mod sign_in;
mod terminal_output;
mod time_slots;
mod without_package;
