//! The JSON of an event as one caller sees it. Three levels: full details; "titles and
//! locations" (LimitedDetails): only id, subject, location, times, showAs, sensitivity, type
//! and series id; and a private item seen without private access: its times, showAs and
//! sensitivity, with an empty subject and no body, location or attendees.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono_tz::Tz;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::access::CalView;
use super::filter::{self, Expr, Subject, EXTENDED};
use super::items::{Item, ItemKind};
use crate::ids::{ItemId, Kind};
use crate::roles::ReadAccess;
use crate::state::{ExtendedValue, State};
use crate::tz;

/// MAPI `PidTagCreatorName` in the proptag form, as Exchange names it back.
pub(crate) const CREATOR_NAME_ID: &str = "String 0x3ff8";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Detail {
    Full,
    Limited,
    Hidden,
}

/// How much of `item` the holder of `view` is shown.
pub(crate) fn detail(view: &CalView, item: &Item<'_>) -> Detail {
    if item.is_private() && !view.rights.private {
        Detail::Hidden
    } else if view.rights.read == ReadAccess::Full {
        Detail::Full
    } else {
        Detail::Limited
    }
}

/// The change key of a version of an item.
pub(crate) fn change_key(kind: &str, key: u64, day: Option<u32>, version: u64) -> String {
    let digest = Sha256::new()
        .chain_update(kind.as_bytes())
        .chain_update(key.to_be_bytes())
        .chain_update(day.unwrap_or(0).to_be_bytes())
        .chain_update(version.to_be_bytes())
        .finalize();
    STANDARD.encode(&digest[..16])
}

/// The change key an item shows now (its `@odata.etag` is `W/"<changeKey>"`).
pub(crate) fn item_change_key(item: &Item<'_>) -> String {
    change_key("event", item.ev.key, item.day, item.version())
}

pub(crate) fn item_id(view: &CalView, item: &Item<'_>) -> String {
    match (item.kind, item.day) {
        (ItemKind::Occurrence | ItemKind::Exception, Some(day)) => ItemId {
            mailbox: view.mailbox,
            kind: Kind::Occurrence,
            key: item.ev.key,
            extra: day,
        }
        .encode(),
        _ => ItemId::new(view.mailbox, Kind::Event, item.ev.key).encode(),
    }
}

fn date_time(item: &Item<'_>, local: chrono::NaiveDateTime, zone: Option<&(String, Tz)>) -> Value {
    let name = zone
        .map(|(n, _)| n.clone())
        .unwrap_or_else(|| "UTC".to_string());
    // All-day items are dates: midnight to midnight in whatever zone is asked for.
    let shown = if item.ev.is_all_day {
        local
    } else {
        let source = tz::resolve(&item.ev.time_zone).unwrap_or(Tz::UTC);
        let instant = tz::to_utc(local, source);
        match zone {
            Some((_, z)) => tz::from_utc(instant, *z),
            None => instant.naive_utc(),
        }
    };
    json!({ "dateTime": tz::format_local(shown), "timeZone": name })
}

fn location(display: &str) -> Value {
    if display.is_empty() {
        return json!({
            "displayName": "",
            "locationType": "default",
            "uniqueIdType": "unknown",
            "address": {},
            "coordinates": {}
        });
    }
    json!({
        "displayName": display,
        "locationType": "default",
        "uniqueId": display,
        "uniqueIdType": "private",
        "address": {},
        "coordinates": {}
    })
}

fn locations(display: &str) -> Value {
    if display.is_empty() {
        return json!([]);
    }
    json!([{
        "displayName": display,
        "locationType": "default",
        "uniqueId": display,
        "uniqueIdType": "private"
    }])
}

/// The first 255 characters of a body's text (`bodyPreview`).
pub(crate) fn preview(body: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    let mut in_head = false;
    let lower = body.to_lowercase();
    for (i, c) in body.char_indices() {
        match c {
            '<' => {
                in_tag = true;
                if lower[i..].starts_with("<head") {
                    in_head = true;
                } else if lower[i..].starts_with("</head") {
                    in_head = false;
                }
            }
            '>' => in_tag = false,
            c if !in_tag && !in_head => text.push(c),
            _ => {}
        }
    }
    let text = html_escape::decode_html_entities(&text).to_string();
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    collapsed.chars().take(255).collect()
}

fn recurrence(item: &Item<'_>) -> Value {
    let Some(r) = (item.kind == ItemKind::SeriesMaster)
        .then_some(item.ev.recurrence.as_ref())
        .flatten()
    else {
        return Value::Null;
    };
    json!({
        "pattern": {
            "type": r.pattern,
            "interval": r.interval,
            "month": r.month,
            "dayOfMonth": r.day_of_month,
            "daysOfWeek": r.days_of_week,
            "firstDayOfWeek": r.first_day_of_week,
            "index": "first"
        },
        "range": {
            "type": r.range,
            "startDate": r.start_date.format("%Y-%m-%d").to_string(),
            "endDate": r.end_date.map(|d| d.format("%Y-%m-%d").to_string()).unwrap_or_else(|| "0001-01-01".to_string()),
            "recurrenceTimeZone": r.time_zone,
            "numberOfOccurrences": r.occurrences
        }
    })
}

/// The extended properties of an item, as `{"id","value"}` objects.
pub(crate) fn extended_list<'a>(values: impl Iterator<Item = &'a ExtendedValue>) -> Vec<Value> {
    values
        .map(|e| json!({ "id": e.id, "value": e.value }))
        .collect()
}

/// Add the properties a `$expand=singleValueExtendedProperties($filter=...)` asks for; none
/// matching means the property is left out, as Graph does.
pub(crate) fn expand_extended(target: &mut Value, props: &[Value], wanted: Option<&Expr>) {
    let Some(wanted) = wanted else {
        return;
    };
    let chosen: Vec<Value> = props
        .iter()
        .filter(|p| {
            filter::matches(
                wanted,
                &Subject {
                    item: p,
                    extended: &[],
                    is_extended_property: true,
                },
            )
        })
        .cloned()
        .collect();
    if !chosen.is_empty() {
        if let Some(map) = target.as_object_mut() {
            map.insert(EXTENDED.to_string(), Value::Array(chosen));
        }
    }
}

/// The extended properties an item shows its viewer (none unless full details).
///
/// Besides those written through Graph, every item carries MAPI `PidTagCreatorName`
/// (`String 0x3FF8`, read-only): the display name of whoever created it, the delegate for an
/// item a delegate booked. Best effort, as in Exchange: Outlook stamps it on items it creates,
/// and the sandbox stamps it on all of them; Microsoft documents no guarantee for items
/// created through Graph or from meeting requests.
pub(crate) fn visible_extended(world: &State, view: &CalView, item: &Item<'_>) -> Vec<Value> {
    if detail(view, item) != Detail::Full {
        return Vec::new();
    }
    let mut merged = item.ev.extended.clone();
    if let Some(x) = item.ex {
        merged.extend(x.extended.clone());
    }
    let mut list = extended_list(merged.values());
    if let Some(creator) = world.users.get(item.ev.created_by) {
        list.push(json!({ "id": CREATOR_NAME_ID, "value": creator.display_name }));
    }
    list
}

/// The event JSON for one viewer.
pub(crate) fn event_json(
    world: &State,
    graph_url: &str,
    view: &CalView,
    item: &Item<'_>,
    zone: Option<&(String, Tz)>,
) -> Value {
    let id = item_id(view, item);
    let ck = item_change_key(item);
    let series_master = match item.kind {
        ItemKind::Occurrence | ItemKind::Exception => {
            Value::String(ItemId::new(view.mailbox, Kind::Event, item.ev.key).encode())
        }
        ItemKind::SingleInstance | ItemKind::SeriesMaster => Value::Null,
    };
    let start = date_time(item, item.start, zone);
    let end = date_time(item, item.end, zone);
    let etag = format!("W/\"{ck}\"");
    let empty_body = json!({ "contentType": "text", "content": "" });
    match detail(view, item) {
        Detail::Hidden => json!({
            "@odata.etag": etag,
            "id": id,
            "subject": "",
            "bodyPreview": "",
            "body": empty_body,
            "sensitivity": item.ev.sensitivity,
            "isAllDay": item.ev.is_all_day,
            "showAs": item.show_as(),
            "type": item.kind.as_str(),
            "seriesMasterId": series_master,
            "start": start,
            "end": end,
            "location": location(""),
            "attendees": [],
            "categories": []
        }),
        Detail::Limited => json!({
            "@odata.etag": etag,
            "id": id,
            "subject": item.subject(),
            "bodyPreview": "",
            "body": empty_body,
            "sensitivity": item.ev.sensitivity,
            "isAllDay": item.ev.is_all_day,
            "showAs": item.show_as(),
            "type": item.kind.as_str(),
            "seriesMasterId": series_master,
            "start": start,
            "end": end,
            "location": location(item.location()),
            "attendees": [],
            "categories": []
        }),
        Detail::Full => {
            let owner = world
                .calendars
                .get(&item.ev.calendar)
                .map(|c| world.person(c.owner))
                .unwrap_or_else(|| item.ev.organizer.clone());
            let is_organizer = owner
                .address
                .eq_ignore_ascii_case(&item.ev.organizer.address);
            let ical = format!(
                "040000008200E00074C5B7101A82E00800000000{:016X}{:08X}",
                item.ev.key,
                item.day.unwrap_or(0)
            );
            let attendees: Vec<Value> = item
                .ev
                .attendees
                .iter()
                .map(|a| {
                    json!({
                        "type": a.kind,
                        "status": { "response": a.response, "time": "0001-01-01T00:00:00Z" },
                        "emailAddress": { "name": a.person.name, "address": a.person.address }
                    })
                })
                .collect();
            let mut full = json!({
                "@odata.etag": etag,
                "id": id,
                "createdDateTime": tz::format_utc(item.ev.created),
                "lastModifiedDateTime": tz::format_utc(item.modified()),
                "changeKey": ck,
                "categories": item.categories(),
                "transactionId": null,
                "originalStartTimeZone": item.ev.time_zone,
                "originalEndTimeZone": item.ev.time_zone,
                "iCalUId": ical,
                "reminderMinutesBeforeStart": item.ev.reminder_minutes,
                "isReminderOn": item.ev.is_reminder_on,
                "hasAttachments": false,
                "subject": item.subject(),
                "bodyPreview": preview(item.body()),
                "importance": item.ev.importance,
                "sensitivity": item.ev.sensitivity,
                "isAllDay": item.ev.is_all_day,
                "isCancelled": false,
                "isOrganizer": is_organizer,
                "responseRequested": item.ev.response_requested,
                "seriesMasterId": series_master,
                "showAs": item.show_as(),
                "type": item.kind.as_str(),
                "webLink": format!(
                    "{}/owa/?itemid={id}&exvsurl=1&path=/calendar/item",
                    graph_url.trim_end_matches("/v1.0")
                ),
                "onlineMeetingUrl": null,
                "isOnlineMeeting": false,
                "onlineMeetingProvider": "unknown",
                "allowNewTimeProposals": true,
                "isDraft": false,
                "hideAttendees": false,
                "responseStatus": {
                    "response": if is_organizer { "organizer" } else { "none" },
                    "time": "0001-01-01T00:00:00Z"
                },
                "body": { "contentType": item.ev.body_type, "content": item.body() },
                "start": start,
                "end": end,
                "location": location(item.location()),
                "locations": locations(item.location()),
                "recurrence": recurrence(item),
                "attendees": attendees,
                "organizer": {
                    "emailAddress": { "name": item.ev.organizer.name, "address": item.ev.organizer.address }
                },
                "onlineMeeting": null
            });
            // "Not returned for events that are single instances" (event resource); in UTC.
            if let (Some(original), Some(map)) = (item.original_start(), full.as_object_mut()) {
                map.insert(
                    "originalStart".to_string(),
                    json!(original.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
                );
            }
            full
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn previews_are_plain_text() {
        assert_eq!(
            preview("<html><head><title>x</title></head><body><p>Agenda &amp; notes</p>\n<p>Two</p></body></html>"),
            "Agenda & notes Two"
        );
    }
}
