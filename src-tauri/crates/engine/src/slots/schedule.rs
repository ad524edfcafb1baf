//! A person's schedule as slot finding sees it: what Graph's `getSchedule` returns for one
//! schedule (`scheduleInformation`), its items already read as instants and its working hours'
//! zone resolved.

use chrono::{DateTime, NaiveTime, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::slots::zone::Zone;

/// How a person shows during an item: Graph's `freeBusyStatus`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FreeBusyStatus {
    Free,
    Tentative,
    Busy,
    /// Out of office.
    Oof,
    WorkingElsewhere,
    Unknown,
}

impl FreeBusyStatus {
    /// Whether an item with this status keeps a meeting out of its time.
    pub fn blocks(self, tentative_is_busy: bool) -> bool {
        match self {
            FreeBusyStatus::Free => false,
            // Graph's own availabilityView shows working elsewhere as free (0).
            FreeBusyStatus::WorkingElsewhere => false,
            FreeBusyStatus::Tentative => tentative_is_busy,
            FreeBusyStatus::Busy => true,
            FreeBusyStatus::Oof => true,
            // Nothing proves the time free, so it is not offered.
            FreeBusyStatus::Unknown => true,
        }
    }
}

/// One item of a schedule: Graph's `scheduleItem` without its subject and location, which slot
/// finding never needs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScheduleItem {
    pub status: FreeBusyStatus,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Marked private: Graph shows it without details, and it blocks by its status like any
    /// other item.
    pub is_private: bool,
    /// An all-day item: it blocks every day it covers in the person's zone, whole, even when
    /// its instants were written in another zone and so start or end a few hours off midnight.
    pub is_all_day: bool,
}

/// When a person works: Graph's `workingHours`, the same hours on each of the days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkingHours {
    pub days_of_week: Vec<Weekday>,
    pub start_time: NaiveTime,
    /// An end at or before the start ends on the next day (22:00 to 06:00; 08:00 to 00:00).
    pub end_time: NaiveTime,
    /// The zone the hours are in, which may differ from the zone the person's Outlook shows.
    pub zone: Zone,
}

/// One person's (or room's) schedule over the period asked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonSchedule {
    /// Graph's `scheduleId`: the SMTP address asked for.
    pub schedule_id: String,
    pub items: Vec<ScheduleItem>,
    /// None when Graph gives none (a room, say): any time of day will do, and whole days are
    /// counted in the recipient's zone.
    pub working_hours: Option<WorkingHours>,
}
