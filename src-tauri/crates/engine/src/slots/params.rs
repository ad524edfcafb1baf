//! What the user asks for when looking for meeting times, and the times found.

use std::num::NonZeroU32;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::slots::zone::Zone;

/// The request: a meeting length, the days to look in, and the rules a time must meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SlotParams {
    /// The meeting's length.
    pub duration_minutes: NonZeroU32,
    /// The first day to look in, a day in the recipient's zone.
    pub first_day: NaiveDate,
    /// The last day to look in (included), a day in the recipient's zone.
    pub last_day: NaiveDate,
    /// How far apart start times are. They sit on a grid from the top of the recipient's hour:
    /// an increment that divides an hour gives the same starts every hour (15: :00, :15, :30,
    /// :45); a longer one restarts at the top of the hour each stretch of free time begins in.
    pub increment_minutes: NonZeroU32,
    /// Free time kept before the meeting, away from any busy item (not from working hours).
    pub buffer_before_minutes: u32,
    /// Free time kept after the meeting, away from any busy item (not from working hours).
    pub buffer_after_minutes: u32,
    /// The earliest start is this long after `now`.
    pub minimum_notice_minutes: u32,
    /// At most this many slots on one day of the recipient's, the earliest ones; none: no limit.
    pub max_per_day: Option<NonZeroU32>,
    /// Whether a tentative item keeps a meeting out (the default) or its time can be offered.
    pub tentative_is_busy: bool,
    /// The recipient's zone: slots are shown in it, and counted and aligned by its days and
    /// hours.
    pub recipient_zone: Zone,
}

/// The default increment.
const HALF_HOUR: NonZeroU32 = match NonZeroU32::new(30) {
    Some(n) => n,
    None => NonZeroU32::MIN,
};

impl SlotParams {
    /// A request with the defaults: starts every 30 minutes, no buffers, no notice, no limit
    /// per day, tentative items busy.
    pub fn new(
        duration_minutes: NonZeroU32,
        first_day: NaiveDate,
        last_day: NaiveDate,
        recipient_zone: Zone,
    ) -> SlotParams {
        SlotParams {
            duration_minutes,
            first_day,
            last_day,
            increment_minutes: HALF_HOUR,
            buffer_before_minutes: 0,
            buffer_after_minutes: 0,
            minimum_notice_minutes: 0,
            max_per_day: None,
            tentative_is_busy: true,
            recipient_zone,
        }
    }
}

/// A time that can be offered, with the recipient zone's offset at each end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Slot {
    pub start: DateTime<FixedOffset>,
    pub end: DateTime<FixedOffset>,
}

impl Slot {
    /// The recipient's day the slot is on.
    pub fn day(&self) -> NaiveDate {
        self.start.date_naive()
    }
}
