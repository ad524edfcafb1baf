//! One sync cycle: read what changed on both sides, pair each item with its event, plan each
//! pair, perform (or, in preview, count) the steps, then move the cursors on when nothing was
//! left over.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::{Changes, Crm, CrmError, CrmEvent, ItemResult};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::Link;
use onbehalf_engine::sync::model::{ExItem, ItemKey};
use onbehalf_engine::sync::plan::{plan, CrmSide, ExSide, Step};
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::{item_subject, LinkRow, Store, ITEM_SUBJECT_PREFIX};

use crate::context::Context;
use crate::db::db;
use crate::error::SyncError;
use crate::execute::{cause_of, Executor, Outcome};
use crate::intents;
use crate::report::Report;

/// The cursor of the user's own calendar (Graph's delta link).
const OWN_CURSOR: &str = "exchange.own";
/// The cursor of the CRM's changed and deleted events.
const CRM_CURSOR: &str = "crm.events";

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
    if mode == Mode::Execute {
        intents::run_due(items, crm, store, ctx, now, &mut report).await?;
    }
    let window = ctx.window(now);
    let account = ctx.account_id.clone();

    // Exchange: the user's own calendar by its delta, the owners' calendars read whole.
    let mut seen: BTreeMap<ItemKey, ExItem> = BTreeMap::new();
    let mut removed: BTreeSet<ItemKey> = BTreeSet::new();
    let mut own_cursor = None;
    if ctx.calendars.iter().any(|c| c.is_own) {
        let acc = account.clone();
        let cursor = db(store, "reading the calendar cursor", move |s| {
            s.sync_cursors().get(&acc, OWN_CURSOR)
        })
        .await?
        .map(|c| c.value);
        let changes = match items.own_changes(window, cursor.as_deref()).await {
            Err(SourceError::Other { code, .. }) if code == "SyncStateNotFound" => {
                items.own_changes(window, None).await?
            }
            other => other?,
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
    for cal in ctx.calendars.iter().filter(|c| !c.is_own) {
        for item in items.items(&cal.owner, window).await? {
            seen.insert(item.key.clone(), item);
        }
    }

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
        if (event_moved || reconcile) && !seen.contains_key(&key) && !removed.contains(&key) {
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
    report.exchange_items_read = seen.len();

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
            (None, _) => {}
        }
    }
    for key in &removed {
        if let Some(row) = by_item.get(key) {
            to_read.insert(row.event_id.clone());
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
        false => crm
            .events_for_items(&to_find)
            .await?
            .into_iter()
            .filter_map(|e| e.external_id.clone().map(|x| (x, e)))
            .collect(),
    };
    report.crm_events_read = read.len() + found.len();

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
    let exec = Executor {
        items,
        crm,
        store,
        ctx,
        now,
    };
    let mut left_over = false;
    let mut still: Vec<(String, String)> = Vec::new();
    let mut planned_subjects: BTreeSet<String> = BTreeSet::new();
    for (key, item) in &seen {
        let Some(cal) = ctx.calendar(&key.owner) else {
            continue;
        };
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
        left_over |= act(&exec, mode, Some(item), steps, &mut still, &mut report).await?
            == Outcome::Deferred;
    }
    for key in &removed {
        let Some(cal) = ctx.calendar(&key.owner) else {
            continue;
        };
        let row = by_item.get(key);
        let link = row.and_then(link_of_row);
        let crm_side = match row {
            Some(r) => side_of_read(read.get(&r.event_id)),
            None => CrmSide::NotRead,
        };
        let may_edit = Some(true).filter(|_| cal.is_own);
        let actor = ctx.actor(cal, may_edit, now);
        let steps = plan(ExSide::Removed(key), link.as_ref(), crm_side, &actor);
        planned_subjects.insert(item_subject(&key.owner, &key.id));
        left_over |=
            act(&exec, mode, None, steps, &mut still, &mut report).await? == Outcome::Deferred;
    }

    if mode == Mode::Execute {
        // Problems of items planned this cycle whose cause is gone are resolved.
        let acc = account.clone();
        let subjects: Vec<String> = planned_subjects.into_iter().collect();
        db(store, "settling problems", move |s| {
            let problems = s.sync_problems();
            for open in problems.open(&acc)? {
                let planned = subjects.contains(&open.subject);
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
                Ok(())
            })
            .await?;
        }
    }
    Ok(report)
}

/// Perform (or count) one pair's steps; the problems they raise are noted as still present.
async fn act<S: ItemSource, C: Crm>(
    exec: &Executor<'_, S, C>,
    mode: Mode,
    item: Option<&ExItem>,
    steps: Vec<Step>,
    still: &mut Vec<(String, String)>,
    report: &mut Report,
) -> Result<Outcome, SyncError> {
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
            Ok(Outcome::Done)
        }
        Mode::Execute if steps.is_empty() => Ok(Outcome::Done),
        Mode::Execute => exec.run(item, steps, report).await,
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

/// The CRM side of an item: its linked event as read, or the event made for it found by its
/// external id (`looked_up`: it was looked for, so not finding it means there is none).
fn side_of<'a>(
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

fn side_of_read(result: Option<&ItemResult<CrmEvent>>) -> CrmSide<'_> {
    match result {
        Some(Ok(event)) => CrmSide::Present(event),
        Some(Err(CrmError::Deleted)) => CrmSide::Deleted,
        Some(Err(CrmError::NotFound)) => CrmSide::NotVisible,
        Some(Err(_)) | None => CrmSide::NotRead,
    }
}

/// The link a local row remembers, for an item no longer there to carry its own.
fn link_of_row(row: &LinkRow) -> Option<Link> {
    Some(Link {
        v: onbehalf_engine::sync::marks::LINK_FORMAT,
        crm: row.crm.clone(),
        org_id: row.org_id.clone(),
        event_id: row.event_id.clone(),
        owner_id: row.crm_owner_id.clone(),
        who_id: row.who_id.clone(),
        what_id: row.what_id.clone(),
        synced: serde_json::from_str(&row.synced_hashes).ok()?,
        crm_version: row.crm_version.clone(),
        synced_at: row.synced_at,
    })
}
