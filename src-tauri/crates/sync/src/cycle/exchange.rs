//! What changed in Exchange: the user's own calendar by its delta round, and the owners'
//! calendars, polled together in one round trip where the service allows; an owner's calendar
//! is read whole only when its versions changed since it was last read, or once per full-cycle
//! interval.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::port::{ItemSource, Window};
use onbehalf_store::{normalize_address, Store};

use crate::context::{Calendar, Context};
use crate::db::db;
use crate::error::SyncError;

/// The cursor of the user's own calendar (Graph's delta link).
pub(super) const OWN_CURSOR: &str = "exchange.own";
/// The fingerprint of an owner's calendar when it was last read whole.
fn owner_cursor(owner: &str) -> String {
    format!("exchange.owner.{}", normalize_address(owner))
}

/// What the read found, and the cursors to keep once the cycle is through.
pub(super) struct ExchangeRead {
    pub seen: BTreeMap<ItemKey, ExItem>,
    /// Proven removed (from the user's own calendar).
    pub removed: BTreeSet<ItemKey>,
    /// The own calendar's next delta link.
    pub own_cursor: Option<String>,
    /// The delta began anew: it listed what is in the window, never what was deleted.
    pub own_full_round: bool,
    /// ... because Exchange lost the delta this app had.
    pub own_restarted: bool,
    /// The owners (addresses, normalized) whose calendars were read whole.
    pub read_whole: BTreeSet<String>,
    /// The owners' fingerprints to keep (cursor name, fingerprint).
    pub new_prints: Vec<(String, String)>,
}

pub(super) async fn read_exchange<S: ItemSource>(
    items: &S,
    store: &Arc<Store>,
    ctx: &Context,
    window: Window,
    now: DateTime<Utc>,
) -> Result<ExchangeRead, SyncError> {
    let account = ctx.account_id.clone();
    let mut seen: BTreeMap<ItemKey, ExItem> = BTreeMap::new();
    let mut removed: BTreeSet<ItemKey> = BTreeSet::new();
    let mut own_cursor = None;
    // A delta begun anew lists what is in the window, never what was deleted meanwhile.
    let mut own_full_round = false;
    // ... and begun anew because Exchange lost the delta this app had.
    let mut own_restarted = false;
    // One poll: the own calendar's delta (from its cursor) and the owners' versions, together.
    let has_own = ctx.calendars.iter().any(|c| c.is_own);
    let owners: Vec<&Calendar> = ctx.calendars.iter().filter(|c| !c.is_own).collect();
    let acc = account.clone();
    let names: Vec<String> = owners.iter().map(|c| owner_cursor(&c.owner)).collect();
    let (cursor, fingerprints) = db(store, "reading the calendar cursors", move |s| {
        let cursors = s.sync_cursors();
        let own = cursors.get(&acc, OWN_CURSOR)?.map(|c| c.value);
        let mut prints = BTreeMap::new();
        for name in names {
            if let Some(c) = cursors.get(&acc, &name)? {
                prints.insert(name, (c.value, c.updated_at));
            }
        }
        Ok((own, prints))
    })
    .await?;
    let owner_ids: Vec<String> = owners.iter().map(|c| c.owner.clone()).collect();
    let polled = items
        .poll(cursor.as_deref().filter(|_| has_own), &owner_ids, window)
        .await?;
    if has_own {
        let changes = match polled.own {
            Some(Err(SourceError::Other { code, .. })) if code == "SyncStateNotFound" => {
                own_full_round = true;
                own_restarted = true;
                items.own_changes(window, None).await?
            }
            Some(result) => result?,
            None => {
                own_full_round = true;
                items.own_changes(window, None).await?
            }
        };
        for item in changes.changed {
            seen.insert(item.key.clone(), item);
        }
        for id in changes.removed {
            removed.insert(ItemKey {
                owner: ctx.me.clone(),
                id,
            });
        }
        own_cursor = Some(changes.cursor);
    }
    // An owner's calendar is read whole when its versions changed since it was last read (or
    // that was longer ago than the full cycle's interval); otherwise there is nothing new in it.
    let mut read_whole: BTreeSet<String> = BTreeSet::new();
    let mut new_prints: Vec<(String, String)> = Vec::new();
    for (cal, versions) in owners.iter().zip(polled.owners) {
        let print = versions?.fingerprint();
        let name = owner_cursor(&cal.owner);
        let fresh = fingerprints.get(&name).is_some_and(|(last, at)| {
            *last == print && now - *at < Duration::minutes(ctx.settings.reread_minutes.max(1))
        });
        if fresh {
            continue;
        }
        for item in items.items(&cal.owner, window).await? {
            seen.insert(item.key.clone(), item);
        }
        read_whole.insert(normalize_address(&cal.owner));
        new_prints.push((name, print));
    }

    Ok(ExchangeRead {
        seen,
        removed,
        own_cursor,
        own_full_round,
        own_restarted,
        read_whole,
        new_prints,
    })
}
