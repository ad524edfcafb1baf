//! A time zone as Graph names it (a Windows name such as "Pacific Standard Time", an IANA name,
//! or a `customTimeZone`), resolved once into rules the engine can compute offsets with.

use std::str::FromStr;

use chrono::{
    DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, TimeZone, Utc,
};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use windows_timezones::WindowsTimezone;

use crate::slots::custom_zone::CustomZone;

/// A zone the engine can compute with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Zone {
    /// A zone of the IANA database, named directly or reached from a Windows name.
    Iana(Tz),
    /// A zone Graph gives by its rules.
    Custom(CustomZone),
}

/// A zone name that is neither a Windows name CLDR maps nor an IANA name.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown time zone \"{0}\": neither a Windows zone name CLDR maps nor an IANA zone")]
pub struct UnknownZone(pub String);

impl Zone {
    /// UTC, the zone Graph answers in when no `Prefer: outlook.timezone` is sent.
    pub fn utc() -> Zone {
        Zone::Iana(Tz::UTC)
    }

    /// An IANA zone by its name ("Europe/Berlin").
    pub fn iana(name: &str) -> Result<Zone, UnknownZone> {
        Tz::from_str(name)
            .map(Zone::Iana)
            .map_err(|_| UnknownZone(name.to_string()))
    }

    /// A Windows zone by its name ("W. Europe Standard Time"), through CLDR's mapping to the
    /// IANA zone it names as the world-wide default.
    pub fn windows(name: &str) -> Result<Zone, UnknownZone> {
        WindowsTimezone::from_str(name)
            .map(|w| Zone::Iana(Tz::from(w)))
            .map_err(|_| UnknownZone(name.to_string()))
    }

    /// A zone by whatever name Graph used: Windows names first (what Exchange mostly sends),
    /// then IANA names (which Graph accepts and returns too).
    pub fn named(name: &str) -> Result<Zone, UnknownZone> {
        Zone::windows(name).or_else(|_| Zone::iana(name))
    }

    /// The IANA name, for a zone that has one.
    pub fn iana_name(&self) -> Option<&'static str> {
        match self {
            Zone::Iana(tz) => Some(tz.name()),
            Zone::Custom(_) => None,
        }
    }

    /// The offset from UTC in force at `instant`.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        match self {
            Zone::Iana(tz) => tz.offset_from_utc_datetime(&instant.naive_utc()).fix(),
            Zone::Custom(custom) => custom.offset_at(instant),
        }
    }

    /// `instant` as a wall-clock time in this zone.
    pub fn local(&self, instant: DateTime<Utc>) -> DateTime<FixedOffset> {
        instant.with_timezone(&self.offset_at(instant))
    }

    /// The instant a wall-clock time in this zone stands for. A time the clock shows twice
    /// (when it goes back) is the first of the two; a time it skips (when it goes forward) is
    /// read with the offset before the jump, so it lands as far after the jump as it was after
    /// the last time shown before it (02:30 on a morning that jumps from 02:00 to 03:00 is 03:30).
    pub fn instant(&self, local: NaiveDateTime) -> DateTime<Utc> {
        // Zones change offset months apart and never by a day, so the offsets a day either
        // side are the only ones a wall-clock time can be read with.
        let day = TimeDelta::days(1);
        let around = |d: TimeDelta| {
            let guess = local.checked_add_signed(d).unwrap_or(local).and_utc();
            self.offset_at(guess)
        };
        let before = around(-day);
        let after = around(day);
        let read = |o: FixedOffset| {
            local
                .checked_sub_signed(TimeDelta::seconds(i64::from(o.local_minus_utc())))
                .unwrap_or(local)
                .and_utc()
        };
        let holds = |o: FixedOffset| self.offset_at(read(o)) == o;
        match (holds(before), holds(after)) {
            (true, true) => read(before).min(read(after)),
            (true, false) => read(before),
            (false, true) => read(after),
            (false, false) => read(before),
        }
    }

    /// The instant `day` starts in this zone.
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        self.instant(day.and_time(NaiveTime::MIN))
    }
}
