//! Get Updated (`/sobjects/{type}/updated/?start&end`, by `SystemModstamp`, no more than 30
//! days back) and Get Deleted (`/sobjects/{type}/deleted/?start&end`, from the delete log,
//! no more than 15 days back), each only over records the session user may see. Seconds are
//! ignored in both bounds, and `latestDateCovered` is never later than now, so a caller that
//! starts its next window there misses nothing (and, the seconds of that start being dropped,
//! may see a record twice).

use chrono::{DateTime, Duration, DurationRound, Utc};
use serde_json::json;

use super::error::SfError;
use super::{Ctx, Reply, SfResult};
use crate::salesforce::access::record_access;
use crate::salesforce::schema::SObject;
use crate::salesforce::values::{format_datetime, parse_datetime};
use crate::salesforce::world::{CrmOrg, RECYCLE_BIN_DAYS};

const UPDATED_DAYS: i64 = 30;

fn replication_error(message: &str) -> SfError {
    SfError::bad_request("INVALID_REPLICATION_DATE", message)
}

fn minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::minutes(1)).unwrap_or(t)
}

/// The window asked for, checked: start and end truncated to the minute, the start no
/// earlier than `earliest` (`days` back), the end not after now.
///
/// Assumption: an end in the future covers up to the moment of the call (to the
/// millisecond), so that a change is listed as soon as it is made.
///
/// Assumption: the wording of the errors; the guides name `INVALID_REPLICATION_DATE` for a
/// start that does not precede the end and say how far back results go.
fn window(
    ctx: &Ctx<'_>,
    start: Option<&str>,
    end: Option<&str>,
    earliest: DateTime<Utc>,
    days: i64,
) -> Result<(DateTime<Utc>, DateTime<Utc>), SfError> {
    let parse = |name: &str, v: Option<&str>| {
        let v = v.ok_or_else(|| {
            SfError::bad_request("MISSING_ARGUMENT", format!("{name} date is required"))
        })?;
        parse_datetime(v)
            .map(minute)
            .ok_or_else(|| replication_error(&format!("{name} date is not a valid dateTime: {v}")))
    };
    let (start, end) = (parse("start", start)?, parse("end", end)?);
    if start >= end {
        return Err(replication_error(
            "startDate must chronologically precede endDate",
        ));
    }
    if start < earliest {
        return Err(replication_error(&format!(
            "startDate cannot be more than {days} days ago"
        )));
    }
    Ok((start, end.min(ctx.now)))
}

pub(super) fn updated(
    org: &CrmOrg,
    ctx: &Ctx<'_>,
    object: SObject,
    start: Option<&str>,
    end: Option<&str>,
) -> SfResult {
    // "Results are returned for no more than 30 days previous to the day the call is
    // executed."
    let earliest = ctx
        .now
        .date_naive()
        .and_hms_opt(0, 0, 0)
        .unwrap_or_default()
        .and_utc()
        - Duration::days(UPDATED_DAYS);
    let (start, latest) = window(ctx, start, end, earliest, UPDATED_DAYS)?;
    let ids: Vec<&str> = org
        .records
        .values()
        .filter(|r| r.object == object && r.deleted.is_none())
        .filter(|r| r.stamp().is_some_and(|t| t >= start && t < latest))
        .filter(|r| record_access(org, &ctx.caller, r).read)
        .map(|r| r.id())
        .collect();
    Ok(Reply::ok(json!({
        "ids": ids,
        "latestDateCovered": format_datetime(latest),
    })))
}

pub(super) fn deleted(
    org: &CrmOrg,
    ctx: &Ctx<'_>,
    object: SObject,
    start: Option<&str>,
    end: Option<&str>,
) -> SfResult {
    // The log is purged as records leave the recycle bin, so it is complete from here on.
    let earliest = minute(ctx.now - Duration::days(RECYCLE_BIN_DAYS));
    let (start, latest) = window(ctx, start, end, earliest, RECYCLE_BIN_DAYS)?;
    let records: Vec<_> = org
        .records
        .values()
        .filter(|r| r.object == object)
        .filter_map(|r| r.deleted.map(|d| (r, d)))
        .filter(|(_, d)| *d >= start && *d < latest)
        .filter(|(r, _)| record_access(org, &ctx.caller, r).read)
        .map(|(r, d)| json!({ "id": r.id(), "deletedDate": format_datetime(d) }))
        .collect();
    Ok(Reply::ok(json!({
        "deletedRecords": records,
        "earliestDateAvailable": format_datetime(earliest),
        "latestDateCovered": format_datetime(latest),
    })))
}
