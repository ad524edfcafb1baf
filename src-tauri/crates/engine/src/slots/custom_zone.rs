//! Graph's `customTimeZone`: a zone given by its rules rather than a name, as `getSchedule`
//! returns for working hours set in a zone Exchange keeps as a custom definition.
//!
//! The signs follow Windows' `TIME_ZONE_INFORMATION`, which is what Graph's own `getSchedule`
//! example shows (bias 480 with daylight bias -60 for US Pacific time): UTC = local time + bias
//! (+ daylight bias while daylight saving time is in force). The prose of the customTimeZone page
//! says the opposite ("ahead of UTC have a positive offset"), but its example does not bear that
//! out, so the example wins.

use chrono::{
    DateTime, Datelike, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, Offset, TimeDelta, Utc,
    Weekday,
};
use serde::{Deserialize, Serialize};

/// When a custom zone changes between standard and daylight saving time, every year: Graph's
/// `standardTimeZoneOffset`, and the rule part of `daylightTimeZoneOffset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TransitionRule {
    /// 1 to 12; any other value means the zone has no such change (Windows' convention for a
    /// zone without daylight saving time).
    pub month: u32,
    /// Which `day_of_week` of the month: 1 to 4 the first to fourth, 5 (or more) the last one,
    /// as in Windows; -1 to -4 counted from the end of the month, as in Exchange's web services;
    /// 0 is read as the first.
    pub day_occurrence: i32,
    pub day_of_week: Weekday,
    /// The wall-clock time the change happens at, read on the clock in force just before it
    /// (standard time for the change to daylight time, daylight time for the change back).
    pub time: NaiveTime,
    /// Graph: "how frequently in terms of years … 0 means every year". Every rule is applied
    /// every year; a non-zero value is kept but not acted on.
    pub year: i32,
}

/// Graph's `daylightTimeZoneOffset`: when daylight saving time starts, and how far it moves the
/// clock.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DaylightOffset {
    /// Minutes added to the bias while daylight saving time is in force (-60 for a clock that
    /// goes forward an hour).
    pub daylight_bias: i32,
    #[serde(flatten)]
    pub rule: TransitionRule,
}

/// A zone defined by Graph's `customTimeZone`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CustomZone {
    /// Minutes, Windows-style: UTC = local standard time + bias (480 for US Pacific time).
    pub bias: i32,
    /// When the zone goes back to standard time; none for a zone without daylight saving time.
    pub standard_offset: Option<TransitionRule>,
    /// When the zone goes to daylight saving time; none for a zone without it.
    pub daylight_offset: Option<DaylightOffset>,
}

/// Offsets are kept within a day of UTC, the most chrono (and any real zone) allows.
const MAX_OFFSET_SECONDS: i64 = 86_399;

fn offset_seconds(bias_minutes: i64) -> i64 {
    (-bias_minutes * 60).clamp(-MAX_OFFSET_SECONDS, MAX_OFFSET_SECONDS)
}

fn fixed(seconds: i64) -> FixedOffset {
    i32::try_from(seconds)
        .ok()
        .and_then(FixedOffset::east_opt)
        .unwrap_or_else(|| Utc.fix())
}

impl CustomZone {
    /// Local standard time's distance from UTC.
    fn standard_seconds(&self) -> i64 {
        offset_seconds(i64::from(self.bias))
    }

    /// The offset in force at `instant`.
    pub fn offset_at(&self, instant: DateTime<Utc>) -> FixedOffset {
        let standard = self.standard_seconds();
        let Some((to_standard, daylight)) = self.rules() else {
            return fixed(standard);
        };
        let dst = daylight_seconds(self.bias, daylight.daylight_bias);
        let utc = instant.naive_utc();
        let year = utc
            .checked_add_signed(TimeDelta::seconds(standard))
            .unwrap_or(utc)
            .year();
        let starts = change_at(year, &daylight.rule, standard);
        let ends = change_at(year, to_standard, dst);
        let in_daylight = match (starts, ends) {
            (Some(on), Some(off)) if on <= off => on <= instant && instant < off,
            (Some(on), Some(off)) => instant >= on || instant < off,
            _ => false,
        };
        fixed(if in_daylight { dst } else { standard })
    }

    /// Both rules, when the zone has daylight saving time at all.
    fn rules(&self) -> Option<(&TransitionRule, &DaylightOffset)> {
        let to_standard = self.standard_offset.as_ref()?;
        let daylight = self.daylight_offset.as_ref()?;
        let real = |m: u32| (1..=12).contains(&m);
        (daylight.daylight_bias != 0 && real(to_standard.month) && real(daylight.rule.month))
            .then_some((to_standard, daylight))
    }
}

fn daylight_seconds(bias: i32, daylight_bias: i32) -> i64 {
    offset_seconds(i64::from(bias) + i64::from(daylight_bias))
}

/// The instant of a yearly change, its wall-clock time read with the offset in force before it.
fn change_at(year: i32, rule: &TransitionRule, before_seconds: i64) -> Option<DateTime<Utc>> {
    let day = change_day(year, rule)?;
    let local: NaiveDateTime = day.and_time(rule.time);
    local
        .checked_sub_signed(TimeDelta::seconds(before_seconds))
        .map(|t| t.and_utc())
}

/// The day of `year` a rule names.
fn change_day(year: i32, rule: &TransitionRule) -> Option<NaiveDate> {
    let first = NaiveDate::from_ymd_opt(year, rule.month, 1)?;
    let next_month = if rule.month == 12 {
        NaiveDate::from_ymd_opt(year.checked_add(1)?, 1, 1)?
    } else {
        NaiveDate::from_ymd_opt(year, rule.month + 1, 1)?
    };
    let last = next_month.pred_opt()?;
    let wanted = rule.day_of_week.num_days_from_monday();
    let first_match = first.checked_add_signed(TimeDelta::days(i64::from(
        (wanted + 7 - first.weekday().num_days_from_monday()) % 7,
    )))?;
    let last_match = last.checked_sub_signed(TimeDelta::days(i64::from(
        (last.weekday().num_days_from_monday() + 7 - wanted) % 7,
    )))?;
    let weeks = |n: i32| TimeDelta::weeks(i64::from(n));
    match rule.day_occurrence {
        n if n >= 5 => Some(last_match),
        n if n >= 1 => first_match
            .checked_add_signed(weeks(n - 1))
            .filter(|d| *d <= last)
            .or(Some(last_match)),
        0 => Some(first_match),
        n => last_match
            .checked_sub_signed(weeks(n.saturating_neg().min(4) - 1))
            .filter(|d| *d >= first)
            .or(Some(first_match)),
    }
}
