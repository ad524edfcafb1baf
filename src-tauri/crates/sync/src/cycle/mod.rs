//! One sync cycle: read what changed on both sides, pair each item with its event, plan each
//! pair, perform (or, in preview, count) the steps, then move the cursors on when nothing was
//! left over.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{Changes, Crm, CrmEvent, ItemResult};
use onbehalf_engine::sync::incoming::plan_incoming;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::plan::{plan, CrmSide, ExSide, Step};
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::{
    item_subject, normalize_address, LinkRow, ProblemRow, Store, ITEM_SUBJECT_PREFIX,
};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;
use crate::execute::{Executor, Outcome};
use crate::intents;
use crate::refusals::{cause_of, refused_version, REFUSED_FOR_GOOD};
use crate::report::Report;
use crate::waves::Pair;

mod category;
mod exchange;
mod incoming;
mod sides;

use category::ensure_share_category;
use exchange::{read_exchange, ExchangeRead, OWN_CURSOR};
use incoming::{incoming_events, INCOMING_CURSOR};
use sides::{link_of_event, link_of_row, row_of_link, side_of, side_of_read};

/// The cursor of the CRM's changed and deleted events.
const CRM_CURSOR: &str = "crm.events";
/// The most of the user's own CRM events checked against their items after a lost delta.
pub(super) const ORPHAN_SCAN_LIMIT: usize = 2000;

/// Whether a cycle acts, or only says what it would do (a first sync's preview).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Execute,
    Preview,
}

/// One cycle of the sync of `ctx`'s account.
#[tracing::instrument(skip_all, err)]
pub async fn run_cycle<S: ItemSource, C: Crm>(
    items: &S,
    crm: &C,
    store: &Arc<Store>,
    ctx: &Context,
    mode: Mode,
    now: DateTime<Utc>,
) -> Result<Report, SyncError> {
    let mut report = Report::default();
    let ctx = &crate::direct::with_learnt(store, ctx, now).await?;
    let ctx = &crate::item_ids::with_cached(store, ctx, now).await?;
    if mode == Mode::Execute {
        intents::run_due(items, crm, store, ctx, now, &mut report).await?;
    }
    let window = ctx.window(now);
    let account = ctx.account_id.clone();
    if mode == Mode::Execute {
        ensure_share_category(items, store, ctx, now).await?;
    }

    // Exchange: the user's own calendar by its delta, the owners' calendars when they changed.
    let ExchangeRead {
        mut seen,
        mut removed,
        own_cursor,
        own_full_round,
        own_restarted,
        read_whole,
        new_prints,
    } = read_exchange(items, store, ctx, window, now).await?;

    // The CRM: what changed since last time.
    let acc = account.clone();
    let crm_cursor = db(store, "reading the CRM cursor", move |s| {
        s.sync_cursors().get(&acc, CRM_CURSOR)
    })
    .await?
    .and_then(|c| DateTime::parse_from_rfc3339(&c.value).ok())
    .map(|d| d.with_timezone(&Utc));
    let (crm_changed, crm_deleted, next_crm_cursor, reconcile) =
        match crm.changes_since(crm_cursor).await? {
            Changes::Since {
                updated,
                deleted,
                cursor,
            } => (
                updated.into_iter().collect::<BTreeSet<_>>(),
                deleted.into_iter().collect::<BTreeSet<_>>(),
                Some(cursor),
                false,
            ),
            Changes::TooOld => (BTreeSet::new(), BTreeSet::new(), Some(now), true),
        };

    // What this app remembers, and the items behind changed events it has not read yet.
    let acc = account.clone();
    let links: Vec<LinkRow> = db(store, "reading the links", move |s| {
        s.sync_links().list(&acc, None)
    })
    .await?;
    let by_item: BTreeMap<ItemKey, LinkRow> = links
        .iter()
        .map(|l| {
            (
                ItemKey {
                    owner: l.item_owner.clone(),
                    id: l.item_id.clone(),
                },
                l.clone(),
            )
        })
        .collect();
    for row in &links {
        let key = ItemKey {
            owner: row.item_owner.clone(),
            id: row.item_id.clone(),
        };
        let event_moved =
            crm_changed.contains(&row.event_id) || crm_deleted.contains(&row.event_id);
        // After a delta begun anew, a linked item of the user's own calendar it did not list
        // is read on its own: gone, it is a deletion the lost delta would have reported.
        let own_unlisted = own_full_round && key.owner == ctx.me;
        if (event_moved || reconcile || own_unlisted)
            && !seen.contains_key(&key)
            && !removed.contains(&key)
        {
            match items.item(&key).await? {
                Some(item) => {
                    seen.insert(key, item);
                }
                // Gone from the user's own calendar is proof; an owner's item that is no
                // longer visible may only have become private.
                None if key.owner == ctx.me => {
                    removed.insert(key);
                }
                None => {}
            }
        }
    }
    // An item linked by another app (or by this one, cut short before it remembered the link)
    // and deleted while Exchange lost this app's delta left no trace here but its event, which
    // carries the item's id: after such a loss, the user's own CRM events made for items are
    // checked against the items. Rare (a lost delta), so the cost of the scan is paid rarely.
    if own_restarted {
        let own_crm = ctx
            .calendars
            .iter()
            .find(|c| c.is_own)
            .and_then(|c| c.owner_crm_user.clone());
        if let Some(own_crm) = own_crm {
            let known: BTreeSet<&str> = links.iter().map(|l| l.event_id.as_str()).collect();
            let unknown: Vec<String> = crm
                .events_of(&own_crm, ORPHAN_SCAN_LIMIT)
                .await?
                .into_iter()
                .filter(|id| !known.contains(id.as_str()))
                .collect();
            let events = match unknown.is_empty() {
                true => Vec::new(),
                false => crm.read_events(&unknown).await?,
            };
            for event in events.into_iter().flatten() {
                let Some(item_id) = event.external_id else {
                    continue;
                };
                let key = ItemKey {
                    owner: ctx.me.clone(),
                    id: item_id,
                };
                if seen.contains_key(&key) || removed.contains(&key) {
                    continue;
                }
                if items.item(&key).await?.is_none() {
                    removed.insert(key);
                }
            }
        }
    }
    // The same, where the CRM keeps no item id: an item whose event's creation was noted and
    // never linked is looked at.
    if own_restarted {
        for key in crate::made::noted_items(store, ctx, &ctx.me).await? {
            if !seen.contains_key(&key)
                && !removed.contains(&key)
                && items.item(&key).await?.is_none()
            {
                removed.insert(key);
            }
        }
    }
    report.exchange_items_read = seen.len();
    let incoming = incoming_events(crm, store, ctx, &links, &seen, &crm_changed, window).await?;

    // Which CRM events to read, and which items to look for by external id.
    let mut to_read: BTreeSet<String> = BTreeSet::new();
    let mut to_find: Vec<String> = Vec::new();
    for (key, item) in &seen {
        match (&item.link, by_item.get(key)) {
            (Some(link), row) => {
                let moved_here = row.is_none_or(|r| r.ex_version != item.version);
                let moved_there =
                    crm_changed.contains(&link.event_id) || crm_deleted.contains(&link.event_id);
                if moved_here || moved_there || reconcile || item.pending.is_some() {
                    to_read.insert(link.event_id.clone());
                }
            }
            (None, _) if wants_share(item, ctx) => to_find.push(key.id.clone()),
            // A changed item of the user's own calendar, not shared: an event made for it by a
            // share withdrawn before it was linked is found, and goes (see the planner).
            (None, _) if key.owner == ctx.me => to_find.push(key.id.clone()),
            (None, _) => {}
        }
    }
    for key in &removed {
        if let Some(row) = by_item.get(key) {
            to_read.insert(row.event_id.clone());
        }
        // Linked (or linked anew) by another app before this one saw the link, the item's
        // event is not the one remembered here, if any: the live event made for the item is
        // found by the item's id it carries.
        if key.owner == ctx.me {
            to_find.push(key.id.clone());
        }
    }
    let read_ids: Vec<String> = to_read.into_iter().collect();
    let read: BTreeMap<String, ItemResult<CrmEvent>> = match read_ids.is_empty() {
        true => BTreeMap::new(),
        false => read_ids
            .iter()
            .cloned()
            .zip(crm.read_events(&read_ids).await?)
            .collect(),
    };
    let found: BTreeMap<String, CrmEvent> = match to_find.is_empty() {
        true => BTreeMap::new(),
        false => crate::made::events_for_items(crm, store, ctx, &to_find)
            .await?
            .into_iter()
            .filter_map(|e| e.external_id.clone().map(|x| (x, e)))
            .collect(),
    };
    report.crm_events_read = read.len() + found.len();
    // Known from here on: free when the look for the items' events told the CRM port.
    let ctx = &crate::item_ids::with_known(crm, store, ctx, now).await?;

    // What the user may do with each event on the owners' calendars.
    let foreign: Vec<String> = read
        .iter()
        .filter(|(_, r)| r.is_ok())
        .map(|(id, _)| id.clone())
        .chain(found.values().filter_map(|e| e.id.clone()))
        .collect();
    let access: BTreeMap<String, bool> = match foreign.is_empty() || only_own(ctx) {
        true => BTreeMap::new(),
        false => crm
            .access(&ctx.crm_user, &foreign)
            .await?
            .into_iter()
            .map(|(id, a)| (id, a.edit))
            .collect(),
    };

    // Plan and act, pair by pair, in a stable order.
    let exec = Executor::new(items, crm, store, ctx, now);
    let mut pairs: Vec<Pair<'_>> = Vec::new();
    let mut still: Vec<(String, String)> = Vec::new();
    let mut planned_subjects: BTreeSet<String> = BTreeSet::new();
    // The CRM's refusals for good (too long, a validation rule), with the item version each
    // was made from: the same item would be refused the same way, so it is not sent again
    // (every cycle, by every app that reads it) until it changes. The problem stays open.
    // The problems open before this cycle: read once, for this and for settling them at the end
    // (a problem raised during the cycle is present, so never settled by it).
    let open_before: Vec<ProblemRow> = match mode {
        Mode::Preview => Vec::new(),
        Mode::Execute => {
            let acc = account.clone();
            db(store, "reading the problems", move |s| {
                s.sync_problems().open(&acc)
            })
            .await?
        }
    };
    let held: BTreeMap<String, (String, String)> = open_before
        .iter()
        .filter(|p| REFUSED_FOR_GOOD.contains(&p.cause.as_str()))
        .filter_map(|p| {
            refused_version(&p.detail).map(|v| (p.subject.clone(), (v, p.cause.clone())))
        })
        .collect();
    for (key, item) in &seen {
        let Some(cal) = ctx.calendar(&key.owner) else {
            continue;
        };
        let subject = item_subject(&key.owner, &key.id);
        if let Some((version, cause)) = held.get(&subject) {
            if *version == item.version {
                still.push((subject.clone(), cause.clone()));
                planned_subjects.insert(subject);
                continue;
            }
        }
        let link = item.link.as_ref();
        let looked_up = to_find.contains(&key.id);
        let crm_side = side_of(link, item, &read, &found, looked_up);
        let may_edit = link.and_then(|l| access.get(&l.event_id).copied());
        let actor = ctx.actor(cal, may_edit, now);
        let steps = plan(ExSide::Present(item), link, crm_side, &actor);
        planned_subjects.insert(item_subject(&key.owner, &key.id));
        if item.link.is_none() {
            if let Some(row) = by_item.get(key) {
                // Unlinked by another app (or by hand): forget it here too.
                if mode == Mode::Execute && steps.is_empty() {
                    let acc = account.clone();
                    let row = row.clone();
                    db(store, "forgetting a link", move |s| {
                        s.sync_links().remove(&acc, &row.item_owner, &row.item_id)
                    })
                    .await?;
                }
            }
        }
        // A link another app wrote (a delegate's direct share, or this app before a crash cut
        // it short of remembering it) is remembered once nothing is left to write for the pair
        // (it is in step, or waits for the user): a deletion in the user's own calendar, or
        // its event's deletion in the CRM, is found through this row only.
        let nothing_to_write = steps
            .iter()
            .all(|s| matches!(s, Step::Conflict { .. } | Step::Problem { .. }));
        if let (Some(l), Mode::Execute, true) = (&item.link, mode, nothing_to_write) {
            let known = by_item.get(key).is_some_and(|r| r.event_id == l.event_id);
            if key.owner == ctx.me && !known {
                let row = row_of_link(&account, key, l, &item.version);
                db(store, "remembering a link", move |s| {
                    s.sync_links().upsert(&row)
                })
                .await?;
            }
        }
        note(mode, Some(item), steps, &mut pairs, &mut still, &mut report);
    }
    for key in &removed {
        let Some(cal) = ctx.calendar(&key.owner) else {
            continue;
        };
        let row = by_item.get(key);
        let (link, crm_side) = match (found.get(&key.id), row) {
            (Some(event), _) => (link_of_event(event, now, ctx), CrmSide::Present(event)),
            (None, Some(r)) => (link_of_row(r), side_of_read(read.get(&r.event_id))),
            (None, None) => (None, CrmSide::NotRead),
        };
        let may_edit = Some(true).filter(|_| cal.is_own);
        let actor = ctx.actor(cal, may_edit, now);
        let steps = plan(ExSide::Removed(key), link.as_ref(), crm_side, &actor);
        planned_subjects.insert(item_subject(&key.owner, &key.id));
        note(mode, None, steps, &mut pairs, &mut still, &mut report);
    }
    if let Some(own) = ctx.calendars.iter().find(|c| c.is_own) {
        let actor = ctx.actor(own, Some(true), now);
        for event in &incoming.events {
            let steps = plan_incoming(event, ctx.settings.crm_to_exchange, &actor);
            note(mode, None, steps, &mut pairs, &mut still, &mut report);
        }
    }
    // Every pair's steps, performed together: same-kind writes share their round trips.
    let left_over = exec
        .run_all(pairs, &mut report)
        .await?
        .contains(&Outcome::Deferred);

    if mode == Mode::Execute {
        // Problems of items planned this cycle whose cause is gone are resolved; those the
        // steps raised (a CRM refusal, an Exchange refusal) are present, not gone.
        still.extend(exec.take_raised());
        // A calendar read whole (an owner's, or the user's own when its delta began anew)
        // lists every item in the window the user may see: an item it no longer lists is gone,
        // hidden from the user or outside the window, and nothing about it can be done here,
        // so its problems are settled too, as are those of a calendar no longer synced (or they
        // would stay open for good).
        let whole: BTreeSet<String> = ctx
            .calendars
            .iter()
            .filter(|c| c.is_own && own_full_round)
            .map(|c| normalize_address(&c.owner))
            .chain(read_whole)
            .collect();
        let synced: BTreeSet<String> = ctx
            .calendars
            .iter()
            .map(|c| normalize_address(&c.owner))
            .collect();
        let acc = account.clone();
        let subjects = planned_subjects;
        db(store, "settling problems", move |s| {
            let problems = s.sync_problems();
            for open in open_before {
                let unlisted = open
                    .subject
                    .strip_prefix(ITEM_SUBJECT_PREFIX)
                    .and_then(|rest| rest.split_once('/'))
                    .is_some_and(|(owner, _)| whole.contains(owner) || !synced.contains(owner));
                let planned = subjects.contains(&open.subject) || unlisted;
                let present = still
                    .iter()
                    .any(|(subject, cause)| *subject == open.subject && *cause == open.cause);
                if planned && !present && open.subject.starts_with(ITEM_SUBJECT_PREFIX) {
                    problems.resolve(&acc, &open.subject, &open.cause, now)?;
                }
            }
            Ok(())
        })
        .await?;
        if !left_over {
            let acc = account.clone();
            db(store, "moving the cursors on", move |s| {
                let cursors = s.sync_cursors();
                if let Some(c) = own_cursor {
                    cursors.set(&acc, OWN_CURSOR, &c, now)?;
                }
                if let Some(c) = next_crm_cursor {
                    cursors.set(&acc, CRM_CURSOR, &c.to_rfc3339(), now)?;
                }
                for (name, print) in new_prints {
                    cursors.set(&acc, &name, &print, now)?;
                }
                if let Some(state) = incoming.scanned {
                    cursors.set(&acc, INCOMING_CURSOR, state, now)?;
                }
                Ok(())
            })
            .await?;
            forget_old_links(store, ctx, now).await?;
        }
    }
    Ok(report)
}

/// When the links were last looked through for old ones.
const PRUNED_CURSOR: &str = "links.pruned";

/// Once a day, forget the local rows of links synced longer ago than the window spans: their
/// items, unchanged since, are before the window now (a pair synced at `t` was within the
/// window around `t`). The row is a cache of the link on the item; one read brings it back.
async fn forget_old_links(
    store: &Arc<Store>,
    ctx: &Context,
    now: DateTime<Utc>,
) -> Result<(), SyncError> {
    let acc = ctx.account_id.clone();
    let span = chrono::Duration::days(ctx.settings.days_back + ctx.settings.days_ahead + 1);
    db(store, "forgetting old links", move |s| {
        let cursors = s.sync_cursors();
        let due = cursors
            .get(&acc, PRUNED_CURSOR)?
            .is_none_or(|c| now - c.updated_at >= chrono::Duration::days(1));
        if due {
            s.sync_links().forget_synced_before(&acc, now - span)?;
            s.sync_creating().forget_sent_before(&acc, now - span)?;
            cursors.set(&acc, PRUNED_CURSOR, "done", now)?;
        }
        Ok(())
    })
    .await
}

/// Keep one pair's steps to perform (or, in preview, count them); the problems they raise
/// are noted as still present.
fn note<'i>(
    mode: Mode,
    item: Option<&'i ExItem>,
    steps: Vec<Step>,
    pairs: &mut Vec<Pair<'i>>,
    still: &mut Vec<(String, String)>,
    report: &mut Report,
) {
    for step in &steps {
        if let Step::Problem { item, problem } = step {
            still.push((item_subject(&item.owner, &item.id), cause_of(problem)));
        }
    }
    match mode {
        Mode::Preview => {
            for step in &steps {
                *report
                    .planned
                    .entry(step_name(step).to_string())
                    .or_default() += 1;
            }
        }
        Mode::Execute if steps.is_empty() => {}
        Mode::Execute => pairs.push(Pair { item, steps }),
    }
}

fn step_name(step: &Step) -> &'static str {
    match step {
        Step::CreateEvent { .. } => "create_in_crm",
        Step::UpdateEvent { .. } => "update_in_crm",
        Step::UpdateItem { .. } => "update_in_exchange",
        Step::LinkItem { .. } => "link",
        Step::Unlink { .. } => "unlink",
        Step::DeleteEvent { .. } => "delete_in_crm",
        Step::Forget { .. } => "forget",
        Step::Conflict { .. } => "conflict",
        Step::Problem { .. } => "problem",
        Step::Overwrote { .. } => "overwritten",
        Step::CreateItem { .. } => "create_in_exchange",
    }
}

fn wants_share(item: &ExItem, ctx: &Context) -> bool {
    item.pending.is_some()
        || item
            .categories
            .iter()
            .any(|c| c.eq_ignore_ascii_case(&ctx.settings.share_category))
}

fn only_own(ctx: &Context) -> bool {
    ctx.calendars.iter().all(|c| c.is_own)
}
