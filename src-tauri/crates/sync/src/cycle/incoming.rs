//! Which CRM events may come into Exchange this cycle (CRM to Exchange, when the user turned
//! it on).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use onbehalf_engine::crm::{Crm, CrmEvent};
use onbehalf_engine::sync::incoming::in_window;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::port::Window;
use onbehalf_store::{LinkRow, Store};

use super::ORPHAN_SCAN_LIMIT;
use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;

/// Whether the user's own CRM events were looked through since CRM to Exchange was turned on
/// (`on`), or the direction is off (`off`).
pub(super) const INCOMING_CURSOR: &str = "crm.incoming";

/// The CRM events that may come into Exchange this cycle.
pub(super) struct Incoming {
    pub events: Vec<CrmEvent>,
    /// The state to keep once the cycle is through.
    pub scanned: Option<&'static str>,
}

/// Events the user owns, made in the CRM, in the window, that no item stands for: those that
/// changed since the last cycle, and all of the user's own when the direction was just
/// turned on. Nothing when it is off.
pub(super) async fn incoming_events<C: Crm>(
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    links: &[LinkRow],
    seen: &BTreeMap<ItemKey, ExItem>,
    crm_changed: &BTreeSet<String>,
    window: Window,
) -> Result<Incoming, SyncError> {
    let acc = ctx.account_id.clone();
    let state = db(store, "reading the CRM direction", move |s| {
        s.sync_cursors().get(&acc, INCOMING_CURSOR)
    })
    .await?
    .map(|c| c.value);
    let own_crm = ctx
        .calendars
        .iter()
        .find(|c| c.is_own)
        .and_then(|c| c.owner_crm_user.clone());
    let (true, Some(own_crm)) = (ctx.settings.crm_to_exchange, own_crm) else {
        let scanned = (state.as_deref() == Some("on")).then_some("off");
        return Ok(Incoming {
            events: Vec::new(),
            scanned,
        });
    };
    let paired: BTreeSet<&str> = links
        .iter()
        .map(|l| l.event_id.as_str())
        .chain(
            seen.values()
                .filter_map(|i| i.link.as_ref())
                .map(|l| l.event_id.as_str()),
        )
        .collect();
    let mut ids: BTreeSet<String> = crm_changed
        .iter()
        .filter(|id| !paired.contains(id.as_str()))
        .cloned()
        .collect();
    let first = state.as_deref() != Some("on");
    if first {
        ids.extend(
            crm.events_of(&own_crm, ORPHAN_SCAN_LIMIT)
                .await?
                .into_iter()
                .filter(|id| !paired.contains(id.as_str())),
        );
    }
    let ids: Vec<String> = ids.into_iter().collect();
    let read: Vec<CrmEvent> = match ids.is_empty() {
        true => Vec::new(),
        false => crm.read_events(&ids).await?.into_iter().flatten().collect(),
    };
    let events = crate::made::with_noted_items(store, ctx, read)
        .await?
        .into_iter()
        .filter(|e| e.owner_id == own_crm && e.external_id.is_none())
        .filter(|e| in_window(e, window))
        .collect();
    Ok(Incoming {
        events,
        scanned: first.then_some("on"),
    })
}
