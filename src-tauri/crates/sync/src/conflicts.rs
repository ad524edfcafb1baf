//! What waits for the user's decision and what merges decided for them: each open conflict
//! with both sides' values read afresh and which side may be kept (with the reason when one
//! may not), and what merges overwrote, newest first.
//!
//! A conflict whose cause is gone (its item or event deleted, the item unshared, or the two
//! sides holding the same values again) is cleared as it is listed: there is nothing left to
//! choose between, and a sync that finds the pair in conflict again raises it again.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{Crm, CrmError, CrmEvent, EventTime, ItemResult};
use onbehalf_engine::sync::hash::Field;
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::plan::{fields_of, ConflictField, Overwritten, Problem};
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_engine::sync::resolve::{differences, keep_side};
use onbehalf_engine::sync::view::problem_words;
use onbehalf_store::{ConflictRow, OverwriteRow, Store};
use serde::Serialize;

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;
use crate::overwrites::OverwriteDetail;

/// Open conflicts and what merges overwrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictsView {
    /// Oldest first.
    pub conflicts: Vec<ConflictView>,
    /// Newest first.
    pub overwritten: Vec<OverwriteView>,
}

/// When an item happens, as the Items view says it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct When {
    /// RFC 3339 in UTC; for an all-day item, its first day (`YYYY-MM-DD`).
    pub start: String,
    /// RFC 3339 in UTC; for an all-day item, its last day, included.
    pub end: String,
    pub all_day: bool,
}

impl When {
    fn of(time: &EventTime) -> When {
        match time {
            EventTime::Timed { start, end } => When {
                start: start.to_rfc3339(),
                end: end.to_rfc3339(),
                all_day: false,
            },
            EventTime::AllDay { first, last } => When {
                start: first.to_string(),
                end: last.to_string(),
                all_day: true,
            },
        }
    }
}

/// One field's value on each side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct FieldValues {
    pub field: Field,
    pub outlook: String,
    pub crm: String,
}

/// Whether a side's values may be kept, and why not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Choice {
    pub allowed: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reason: Option<String>,
}

impl Choice {
    fn of<T, E: ToString>(r: Result<T, E>) -> Choice {
        match r {
            Ok(_) => Choice {
                allowed: true,
                reason: None,
            },
            Err(e) => Choice::refused(e.to_string()),
        }
    }

    fn refused(reason: String) -> Choice {
        Choice {
            allowed: false,
            reason: Some(reason),
        }
    }
}

/// An item whose sides differ and wait for the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct ConflictView {
    /// The item's immutable id in the owner's mailbox.
    pub item: String,
    /// The owner's address.
    pub calendar: String,
    pub owner_name: String,
    /// Outlook's subject and time.
    pub subject: String,
    pub when: When,
    /// It has attendees: its details are never changed in Outlook by Onbehalf.
    pub meeting: bool,
    pub detected_at: DateTime<Utc>,
    /// The fields whose values differ, read afresh (as found, when the CRM cannot be read).
    pub fields: Vec<FieldValues>,
    pub keep_outlook: Choice,
    pub keep_crm: Choice,
}

/// What one merge overwrote on an item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct OverwriteView {
    /// Its number, to dismiss it.
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub id: i64,
    pub item: String,
    pub calendar: String,
    /// The subject and time both sides hold since.
    pub subject: String,
    pub when: When,
    pub decided_at: DateTime<Utc>,
    pub fields: Vec<Overwritten>,
}

/// The account's open conflicts, each read afresh, and what merges overwrote.
pub async fn conflicts<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<ConflictsView, SyncError> {
    let account = ctx.account_id.clone();
    let (open, overwrites) = db(store, "reading the conflicts", move |s| {
        Ok((
            s.sync_conflicts().open(&account)?,
            s.sync_overwrites().list(&account)?,
        ))
    })
    .await?;

    let mut found: Vec<(ConflictRow, ExItem)> = Vec::new();
    let mut gone: Vec<ItemKey> = Vec::new();
    for row in open {
        let key = ItemKey {
            owner: row.item_owner.clone(),
            id: row.item_id.clone(),
        };
        if ctx.calendar(&key.owner).is_none() {
            continue;
        }
        match items.item(&key).await? {
            Some(item) if item.link.is_some() => found.push((row, item)),
            Some(_) | None => gone.push(key),
        }
    }
    let event_ids: Vec<String> = found
        .iter()
        .filter_map(|(_, i)| i.link.as_ref().map(|l| l.event_id.clone()))
        .collect();
    let events: BTreeMap<String, ItemResult<CrmEvent>> = match event_ids.is_empty() {
        true => BTreeMap::new(),
        false => event_ids
            .iter()
            .cloned()
            .zip(crm.read_events(&event_ids).await?)
            .collect(),
    };
    let access = edit_access(crm, ctx, &found, &events).await?;

    let mut views = Vec::new();
    for (row, item) in &found {
        let Some(cal) = ctx.calendar(&item.key.owner) else {
            continue;
        };
        let event_id = item
            .link
            .as_ref()
            .map(|l| l.event_id.as_str())
            .unwrap_or("");
        let actor = ctx.actor(cal, access.get(event_id).copied(), now);
        let view = |fields: Vec<ConflictField>, keep_outlook, keep_crm| ConflictView {
            item: item.key.id.clone(),
            calendar: item.key.owner.clone(),
            owner_name: cal.owner_name.clone(),
            subject: item.fields.subject.clone(),
            when: When::of(&item.fields.time),
            meeting: item.is_meeting(),
            detected_at: row.detected_at,
            fields: fields.into_iter().map(values).collect(),
            keep_outlook,
            keep_crm,
        };
        match events.get(event_id) {
            Some(Ok(event)) => {
                let fields = differences(&item.fields, &fields_of(event));
                if fields.is_empty() {
                    gone.push(item.key.clone());
                    continue;
                }
                views.push(view(
                    fields,
                    Choice::of(keep_side(item, event, Winner::Exchange, &actor)),
                    Choice::of(keep_side(item, event, Winner::Crm, &actor)),
                ));
            }
            Some(Err(CrmError::Deleted)) => gone.push(item.key.clone()),
            // The event cannot be read now: the values as found, and no choice until it can.
            Some(Err(_)) | None => {
                let stored: Vec<ConflictField> =
                    serde_json::from_str(&row.fields).unwrap_or_default();
                let reason = problem_words(&Problem::NoCrmReadAccess, &cal.owner_name);
                views.push(view(
                    stored,
                    Choice::refused(reason.clone()),
                    Choice::refused(reason),
                ));
            }
        }
    }
    clear(store, ctx, gone).await?;

    let overwritten = overwrites.iter().filter_map(overwrite_view).collect();
    Ok(ConflictsView {
        conflicts: views,
        overwritten,
    })
}

/// Whether the user may edit each event on an owner's calendar (the user's own: always).
async fn edit_access<C: Crm>(
    crm: &C,
    ctx: &Context,
    found: &[(ConflictRow, ExItem)],
    events: &BTreeMap<String, ItemResult<CrmEvent>>,
) -> Result<BTreeMap<String, bool>, SyncError> {
    let foreign: Vec<String> = found
        .iter()
        .filter(|(_, i)| ctx.calendar(&i.key.owner).is_some_and(|c| !c.is_own))
        .filter_map(|(_, i)| i.link.as_ref().map(|l| l.event_id.clone()))
        .filter(|id| events.get(id).is_some_and(|e| e.is_ok()))
        .collect();
    if foreign.is_empty() {
        return Ok(BTreeMap::new());
    }
    Ok(crm
        .access(&ctx.crm_user, &foreign)
        .await?
        .into_iter()
        .map(|(id, a)| (id, a.edit))
        .collect())
}

/// Forget the conflicts of these items.
pub(crate) async fn clear(
    store: &Arc<Store>,
    ctx: &Context,
    keys: Vec<ItemKey>,
) -> Result<(), SyncError> {
    if keys.is_empty() {
        return Ok(());
    }
    let account = ctx.account_id.clone();
    db(store, "clearing settled conflicts", move |s| {
        for key in keys {
            s.sync_conflicts().clear(&account, &key.owner, &key.id)?;
        }
        Ok(())
    })
    .await
}

fn values(f: ConflictField) -> FieldValues {
    FieldValues {
        field: f.field,
        outlook: f.exchange,
        crm: f.crm,
    }
}

fn overwrite_view(row: &OverwriteRow) -> Option<OverwriteView> {
    let detail = OverwriteDetail::from_json(&row.detail)?;
    Some(OverwriteView {
        id: row.id,
        item: row.item_id.clone(),
        calendar: row.item_owner.clone(),
        subject: detail.subject,
        when: When::of(&detail.time),
        decided_at: row.decided_at,
        fields: detail.fields,
    })
}
