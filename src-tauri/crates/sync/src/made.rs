//! Events made for items in a CRM that keeps no item id on its events (an org without
//! Onbehalf's CRM package), where links live on the Exchange items only. Each creation is noted
//! in the store before it is sent and ends when its item is linked (the store does that in the
//! same statement). After a crash or a lost answer in between, the event is looked for among
//! those the user made on that calendar since, by its subject and start, instead of being made
//! a second time. Where the CRM keeps item ids, events carry them and are found by them.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use onbehalf_engine::crm::{Crm, CrmEvent, EventTime, ItemResult};
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_store::{CreatingRow, Store};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;

/// How far the CRM's clock may be behind this machine's: an event is looked for among those
/// made this long before its creation was noted.
const CLOCK_SKEW_MINUTES: i64 = 15;

fn keeps(ctx: &Context) -> bool {
    ctx.keeps_item_ids == Some(true)
}

/// Create `events` (each made for the item beside it), noted first where the CRM keeps no
/// item id. A refused event was not made: its note goes at once.
pub(crate) async fn create_events<C: Crm>(
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
    events: &[(ItemKey, CrmEvent)],
) -> Result<Vec<ItemResult<String>>, SyncError> {
    let sent: Vec<CrmEvent> = events.iter().map(|(_, e)| e.clone()).collect();
    if keeps(ctx) {
        return Ok(crm.create_events(&sent).await?);
    }
    let rows: Vec<CreatingRow> = events
        .iter()
        .map(|(key, e)| CreatingRow {
            account_id: ctx.account_id.clone(),
            item_owner: key.owner.clone(),
            item_id: key.id.clone(),
            crm_owner_id: e.owner_id.clone(),
            subject: e.subject.trim().to_string(),
            starts: starts(&e.time),
            sent_at: now,
        })
        .collect();
    db(store, "noting the events being created", move |s| {
        s.sync_creating().record_many(&rows)
    })
    .await?;
    // A call that failed as a whole may have been carried out: the notes stay, and the next
    // look for these items finds what was made.
    let results = crm.create_events(&sent).await?;
    let refused: Vec<(String, String)> = events
        .iter()
        .zip(&results)
        .filter(|(_, r)| r.is_err())
        .map(|((key, _), _)| (key.owner.clone(), key.id.clone()))
        .collect();
    if !refused.is_empty() {
        let acc = ctx.account_id.clone();
        db(store, "forgetting events not made", move |s| {
            s.sync_creating().forget(&acc, &refused)
        })
        .await?;
    }
    Ok(results)
}

/// The live events made for these items, each with its item's id as its external id.
pub(crate) async fn events_for_items<C: Crm>(
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    item_ids: &[String],
) -> Result<Vec<CrmEvent>, SyncError> {
    match ctx.keeps_item_ids {
        Some(true) => return Ok(crm.events_for_items(item_ids).await?),
        Some(false) => {}
        // Not known yet: the look by id tells the port too (where the CRM keeps none, it
        // finds nothing), so asking next costs nothing.
        None => {
            let found = crm.events_for_items(item_ids).await?;
            if crm.keeps_item_ids().await? {
                return Ok(found);
            }
        }
    }
    let wanted: BTreeSet<&str> = item_ids.iter().map(String::as_str).collect();
    let rows: Vec<CreatingRow> = noted(store, ctx)
        .await?
        .into_iter()
        .filter(|r| wanted.contains(r.item_id.as_str()))
        .collect();
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut since: BTreeMap<&str, DateTime<Utc>> = BTreeMap::new();
    for r in &rows {
        let at = since.entry(r.crm_owner_id.as_str()).or_insert(r.sent_at);
        *at = (*at).min(r.sent_at);
    }
    let mut made: Vec<CrmEvent> = Vec::new();
    for (owner, at) in since {
        let from = at - Duration::minutes(CLOCK_SKEW_MINUTES);
        made.extend(crm.made_since(owner, &ctx.crm_user, from).await?);
    }
    let acc = ctx.account_id.clone();
    let linked: BTreeSet<String> = db(store, "reading the links", move |s| {
        s.sync_links().list(&acc, None)
    })
    .await?
    .into_iter()
    .map(|l| l.event_id)
    .collect();
    made.retain(|e| e.id.as_ref().is_some_and(|id| !linked.contains(id)));
    let (found, not_made) = pair(rows, made);
    if !not_made.is_empty() {
        let acc = ctx.account_id.clone();
        db(store, "forgetting events not made", move |s| {
            s.sync_creating().forget(&acc, &not_made)
        })
        .await?;
    }
    Ok(found)
}

/// `events` with the ids of the items they were noted as made for, where the CRM keeps none:
/// an event made for a share and not yet linked is not mistaken for one made in the CRM.
pub(crate) async fn with_noted_items(
    store: &Arc<Store>,
    ctx: &Context,
    events: Vec<CrmEvent>,
) -> Result<Vec<CrmEvent>, SyncError> {
    if keeps(ctx) || events.is_empty() {
        return Ok(events);
    }
    let rows = noted(store, ctx).await?;
    if rows.is_empty() {
        return Ok(events);
    }
    let (unmarked, marked): (Vec<CrmEvent>, Vec<CrmEvent>) =
        events.into_iter().partition(|e| e.external_id.is_none());
    let (found, _) = pair(rows, unmarked.clone());
    let found_ids: BTreeSet<Option<String>> = found.iter().map(|e| e.id.clone()).collect();
    Ok(marked
        .into_iter()
        .chain(found)
        .chain(unmarked.into_iter().filter(|e| !found_ids.contains(&e.id)))
        .collect())
}

/// The items of `owner`'s calendar whose event's creation was noted and not yet linked.
pub(crate) async fn noted_items(
    store: &Arc<Store>,
    ctx: &Context,
    owner: &str,
) -> Result<Vec<ItemKey>, SyncError> {
    Ok(noted(store, ctx)
        .await?
        .into_iter()
        .filter(|r| r.item_owner.eq_ignore_ascii_case(owner))
        .map(|r| ItemKey {
            owner: r.item_owner,
            id: r.item_id,
        })
        .collect())
}

async fn noted(store: &Arc<Store>, ctx: &Context) -> Result<Vec<CreatingRow>, SyncError> {
    let acc = ctx.account_id.clone();
    db(store, "reading the events being created", move |s| {
        s.sync_creating().list(&acc)
    })
    .await
}

/// Each noted creation with an event not yet taken on its calendar: first those with its
/// subject and start, then (someone changed the event in the CRM meanwhile) those with its
/// subject, then those with its start, each round oldest creation first. The events found carry
/// their item's id; the items for which none was found are told.
fn pair(rows: Vec<CreatingRow>, events: Vec<CrmEvent>) -> (Vec<CrmEvent>, Vec<(String, String)>) {
    let mut left: Vec<Option<CrmEvent>> = events.into_iter().map(Some).collect();
    let mut unpaired: Vec<Option<CreatingRow>> = rows.into_iter().map(Some).collect();
    let mut found = Vec::new();
    let rounds: [fn(&CreatingRow, &CrmEvent) -> bool; 3] = [
        |r, e| same_subject(r, e) && starts(&e.time) == r.starts,
        same_subject,
        |r, e| starts(&e.time) == r.starts,
    ];
    for alike in rounds {
        for slot in unpaired.iter_mut() {
            let Some(row) = slot.as_ref() else {
                continue;
            };
            let hit = left.iter_mut().find(|e| {
                e.as_ref()
                    .is_some_and(|e| e.owner_id == row.crm_owner_id && alike(row, e))
            });
            if let Some(mut event) = hit.and_then(Option::take) {
                event.external_id = slot.take().map(|r| r.item_id);
                found.push(event);
            }
        }
    }
    let not_made = unpaired
        .into_iter()
        .flatten()
        .map(|r| (r.item_owner, r.item_id))
        .collect();
    (found, not_made)
}

fn same_subject(row: &CreatingRow, event: &CrmEvent) -> bool {
    event.subject.trim() == row.subject
}

/// An event's start as noted: its time to the second, or its first day.
fn starts(time: &EventTime) -> String {
    match time {
        EventTime::Timed { start, .. } => start.to_rfc3339_opts(SecondsFormat::Secs, true),
        EventTime::AllDay { first, .. } => first.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use chrono::TimeZone;

    fn row(item: &str, subject: &str, hour: u32) -> CreatingRow {
        CreatingRow {
            account_id: "a".into(),
            item_owner: "olivia@contoso.com".into(),
            item_id: item.into(),
            crm_owner_id: "005-olivia".into(),
            subject: subject.into(),
            starts: starts(&at(hour)),
            sent_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        }
    }

    fn at(hour: u32) -> EventTime {
        EventTime::Timed {
            start: Utc.with_ymd_and_hms(2026, 12, 1, hour, 0, 0).unwrap(),
            end: Utc.with_ymd_and_hms(2026, 12, 1, hour + 1, 0, 0).unwrap(),
        }
    }

    fn event(id: &str, subject: &str, hour: u32) -> CrmEvent {
        CrmEvent {
            id: Some(id.into()),
            owner_id: "005-olivia".into(),
            subject: subject.into(),
            location: None,
            description: None,
            time: at(hour),
            is_private: false,
            show_as_busy: true,
            who_id: None,
            what_id: None,
            external_id: None,
            version: None,
        }
    }

    #[test]
    fn two_items_alike_take_one_event_each_and_an_unmade_one_is_told() {
        let rows = vec![
            row("AAMk-1", "Standup", 9),
            row("AAMk-2", "Standup", 9),
            row("AAMk-3", "Review", 11),
        ];
        let events = vec![event("00U-a", "Standup", 9), event("00U-b", "Standup", 9)];
        let (found, not_made) = pair(rows, events);
        let got: Vec<(Option<&str>, Option<&str>)> = found
            .iter()
            .map(|e| (e.id.as_deref(), e.external_id.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("00U-a"), Some("AAMk-1")),
                (Some("00U-b"), Some("AAMk-2"))
            ]
        );
        assert_eq!(
            not_made,
            [("olivia@contoso.com".to_string(), "AAMk-3".to_string())]
        );
    }

    #[test]
    fn an_event_changed_in_the_crm_meanwhile_is_found_by_what_is_left_of_it() {
        let rows = vec![
            row("AAMk-1", "Standup", 9),
            row("AAMk-2", "Review", 11),
            row("AAMk-3", "Lunch", 12),
        ];
        let mut elsewhere = event("00U-x", "Lunch", 12);
        elsewhere.owner_id = "005-daniel".into();
        let events = vec![
            elsewhere,
            event("00U-moved", "Standup", 10),
            event("00U-renamed", "Review (moved)", 11),
        ];
        let (found, not_made) = pair(rows, events);
        let got: Vec<(Option<&str>, Option<&str>)> = found
            .iter()
            .map(|e| (e.id.as_deref(), e.external_id.as_deref()))
            .collect();
        assert_eq!(
            got,
            [
                (Some("00U-moved"), Some("AAMk-1")),
                (Some("00U-renamed"), Some("AAMk-2"))
            ]
        );
        // Another person's calendar is never taken.
        assert_eq!(
            not_made,
            [("olivia@contoso.com".to_string(), "AAMk-3".to_string())]
        );
    }

    #[test]
    fn all_day_events_start_on_their_first_day() {
        let first = chrono::NaiveDate::from_ymd_opt(2026, 12, 1).unwrap();
        let time = EventTime::AllDay { first, last: first };
        assert_eq!(starts(&time), "2026-12-01");
        assert_eq!(starts(&at(9)), "2026-12-01T09:00:00Z");
    }
}
