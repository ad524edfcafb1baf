//! The sides of a pair as the cycle found them, and the link a local row or an event stands
//! for.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{CrmError, CrmEvent, ItemResult};
use onbehalf_engine::sync::marks::Link;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::plan::CrmSide;
use onbehalf_store::LinkRow;

use crate::context::Context;

/// The CRM side of an item: its linked event as read, or the event made for it found by its
/// external id (`looked_up`: it was looked for, so not finding it means there is none).
pub(super) fn side_of<'a>(
    link: Option<&Link>,
    item: &ExItem,
    read: &'a BTreeMap<String, ItemResult<CrmEvent>>,
    found: &'a BTreeMap<String, CrmEvent>,
    looked_up: bool,
) -> CrmSide<'a> {
    match (link, found.get(&item.key.id), looked_up) {
        (Some(l), _, _) => side_of_read(read.get(&l.event_id)),
        (None, Some(event), _) => CrmSide::Present(event),
        (None, None, true) => CrmSide::Absent,
        (None, None, false) => CrmSide::NotRead,
    }
}

pub(super) fn side_of_read(result: Option<&ItemResult<CrmEvent>>) -> CrmSide<'_> {
    match result {
        Some(Ok(event)) => CrmSide::Present(event),
        Some(Err(CrmError::Deleted)) => CrmSide::Deleted,
        Some(Err(CrmError::NotFound)) => CrmSide::NotVisible,
        Some(Err(_)) | None => CrmSide::NotRead,
    }
}

/// The local row of a link read on an item at `version`.
pub(super) fn row_of_link(account: &str, key: &ItemKey, l: &Link, version: &str) -> LinkRow {
    LinkRow {
        account_id: account.to_string(),
        item_owner: key.owner.clone(),
        item_id: key.id.clone(),
        crm: l.crm.clone(),
        org_id: l.org_id.clone(),
        event_id: l.event_id.clone(),
        crm_owner_id: l.owner_id.clone(),
        who_id: l.who_id.clone(),
        what_id: l.what_id.clone(),
        synced_hashes: serde_json::to_string(&l.synced).unwrap_or_else(|_| "{}".to_string()),
        synced_fields: None,
        ex_version: version.to_string(),
        crm_version: l.crm_version.clone(),
        synced_at: l.synced_at,
    }
}

/// The link an event found by its item's id stands for, for an item no longer there.
pub(super) fn link_of_event(event: &CrmEvent, now: DateTime<Utc>, ctx: &Context) -> Option<Link> {
    Some(Link {
        v: onbehalf_engine::sync::marks::LINK_FORMAT,
        crm: ctx.crm.clone(),
        org_id: ctx.crm_org.clone(),
        event_id: event.id.clone()?,
        item_id: event.external_id.clone(),
        owner_id: event.owner_id.clone(),
        who_id: event.who_id.clone(),
        what_id: event.what_id.clone(),
        synced: onbehalf_engine::sync::hash::FieldHashes::of(
            &onbehalf_engine::sync::plan::fields_of(event),
        ),
        crm_version: event.version.clone().unwrap_or_default(),
        synced_at: now,
    })
}

/// The link a local row remembers, for an item no longer there to carry its own.
pub(super) fn link_of_row(row: &LinkRow) -> Option<Link> {
    Some(Link {
        v: onbehalf_engine::sync::marks::LINK_FORMAT,
        crm: row.crm.clone(),
        org_id: row.org_id.clone(),
        event_id: row.event_id.clone(),
        item_id: Some(row.item_id.clone()),
        owner_id: row.crm_owner_id.clone(),
        who_id: row.who_id.clone(),
        what_id: row.what_id.clone(),
        synced: serde_json::from_str(&row.synced_hashes).ok()?,
        crm_version: row.crm_version.clone(),
        synced_at: row.synced_at,
    })
}
