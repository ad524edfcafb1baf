//! What every read of items asks Graph for: the properties an `ExItem` needs, Onbehalf's three
//! extended properties, times in UTC and bodies as text.

use chrono::{DateTime, SecondsFormat, Utc};
use onbehalf_engine::item::CREATOR_STAMP_ID;
use onbehalf_engine::sync::marks::{LINK_ID, PENDING_ID};
use onbehalf_engine::sync::port::Window;

use crate::client::{odata_string, GraphPath};

/// `$select` of an item read: everything `ExItem` is made of (`id` and `@odata.etag` always
/// come).
pub(crate) const SELECT: &str = "subject,body,location,start,end,isAllDay,showAs,categories,\
sensitivity,attendees,organizer,type,seriesMasterId,originalStart,originalStartTimeZone,\
isCancelled,webLink,changeKey";

/// `$select` of a version poll.
pub(crate) const SELECT_VERSIONS: &str = "id,changeKey,sensitivity";

/// Times in UTC (the default, said anyway), bodies as text, and immutable ids.
pub(crate) const PREFER: &str =
    "outlook.timezone=\"UTC\", outlook.body-content-type=\"text\", IdType=\"ImmutableId\"";

/// Items per page of a calendar view (`$top` may be 1..1000).
pub(crate) const PAGE: u32 = 250;

/// Entries per page of a delta round (`Prefer: odata.maxpagesize`).
pub(crate) const DELTA_PAGE: u32 = 200;

/// `$expand` of Onbehalf's extended properties: the link, the pending share and the creator
/// stamp.
pub(crate) fn expand() -> String {
    let ids = [LINK_ID, PENDING_ID, CREATOR_STAMP_ID]
        .iter()
        .map(|id| format!("id eq {}", odata_string(id)))
        .collect::<Vec<_>>()
        .join(" or ");
    format!("singleValueExtendedProperties($filter={ids})")
}

/// The query of an item read.
pub(crate) fn item_query() -> Vec<(&'static str, String)> {
    vec![("$select", SELECT.to_string()), ("$expand", expand())]
}

/// `startDateTime` and `endDateTime` of a window, in UTC.
pub(crate) fn window_query(window: Window) -> Vec<(&'static str, String)> {
    let text = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    vec![
        ("startDateTime", text(window.from)),
        ("endDateTime", text(window.to)),
    ]
}

/// The mailbox path of an owner: `/me` for the signed-in user, `/users/{owner}` otherwise.
pub(crate) fn mailbox(owner: &str, me: &str) -> GraphPath {
    if owner.trim().eq_ignore_ascii_case(me) {
        GraphPath::new().lit("me")
    } else {
        GraphPath::new().lit("users").id(owner.trim())
    }
}
