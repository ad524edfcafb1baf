//! The grid start times sit on: whole steps from the top of the recipient's hour.

use chrono::{DateTime, Timelike, Utc};

use crate::slots::zone::Zone;

/// The first instant at or after `from` that is a whole number of `step` seconds after the top
/// of the recipient's hour `from` falls in.
pub(crate) fn first_on_grid(zone: &Zone, from: DateTime<Utc>, step: i64) -> DateTime<Utc> {
    let local = zone.local(from);
    let seconds = from.timestamp();
    let top = seconds - i64::from(local.minute()) * 60 - i64::from(local.second());
    let partial = i64::from(from.timestamp_subsec_nanos() > 0);
    let elapsed = seconds - top + partial;
    let steps = (elapsed + step - 1) / step;
    DateTime::from_timestamp(top + steps * step, 0).unwrap_or(from)
}
