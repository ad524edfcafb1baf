//! `GET /me/calendarView/delta` and `GET /users/{id}/calendarView/delta` (event-delta,
//! delta-query-events): a round of pages linked by `@odata.nextLink` (`$skiptoken`) ending
//! with an `@odata.deltaLink` (`$deltatoken`). The first round gives every item of the
//! calendar view; a later round gives the items added or changed since (occurrences and
//! exceptions as the calendar view expands them, with the same properties) and
//! `{"@removed": {"reason": "deleted"}, "id": ...}` for those gone from the view: deleted,
//! cancelled, or moved out of the window. "Events that are _outside_ the date range and that
//! have been added, deleted, or updated since the previous delta call" come as `@removed` too.
//! `$select`, `$expand`, `$filter`, `$orderby` and `$search` are not supported; `Prefer:
//! odata.maxpagesize` is. A token the cache no longer holds is 410 `SyncStateNotFound`.
//!
//! Another user's calendar view: event-delta documents `/users/{id}/calendarView/delta` for a
//! user's primary calendar, and "the same permissions that are required to read a specific
//! resource are also required to perform delta query on that resource" (delta-query-overview),
//! so a delegate or sharee who may read the owner's calendar view may track it, with a
//! `.Shared` permission. Assumption: it behaves as for the owner; reports of follow-up pages
//! failing for delegates (microsoftgraph/microsoft-graph-docs#3997) are not emulated.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::access::{self, CalView};
use super::body;
use super::error::GraphError;
use super::events;
use super::items::{self, Item};
use super::odata::Query;
use super::prefer::page_size_applied;
use super::project;
use super::sync_state::{self, Entry, Known, Stage, SyncState};
use super::{Ctx, GraphResult, Reply};
use crate::state::State;

/// Items per page when the client does not say. Assumption: as for the calendar view.
pub(crate) const PAGE: usize = 10;

/// Query options documented as unsupported on a calendar view's delta.
///
/// Assumption: they are refused with 400 `BadRequest` rather than ignored; the page says only
/// that they are not supported.
fn refuse_unsupported(q: &Query) -> Result<(), GraphError> {
    for (key, _) in &q.params {
        let lower = key.to_ascii_lowercase();
        if lower.starts_with('$') && lower != "$skiptoken" && lower != "$deltatoken" {
            return Err(GraphError::bad_request(format!(
                "The query option '{key}' is not supported with change tracking on a calendar view."
            )));
        }
    }
    Ok(())
}

/// The calendar view now: each item's id, the count of its last change, and its start.
fn current(
    world: &State,
    view: &CalView,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<(String, u64)> {
    let mut found: Vec<(DateTime<Utc>, u64, String, u64)> = events::in_calendar(world, view)
        .flat_map(|e| items::expand(e, from, to))
        .map(|i| {
            (
                i.start_utc(),
                i.ev.key,
                project::item_id(view, &i),
                i.changed(),
            )
        })
        .collect();
    found.sort();
    found
        .into_iter()
        .map(|(_, _, id, changed)| (id, changed))
        .collect()
}

/// The first round: everything in the view.
fn full_round(
    world: &State,
    view: &CalView,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> (Vec<Entry>, Known) {
    let now = current(world, view, from, to);
    let entries = now
        .iter()
        .map(|(id, _)| Entry::Changed(id.clone()))
        .collect();
    let known = Known {
        change_count: world.change_count,
        ids: now.into_iter().map(|(id, _)| id).collect(),
    };
    (entries, known)
}

/// A later round: what changed since `before`.
fn next_round(
    world: &State,
    view: &CalView,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    before: &Known,
) -> (Vec<Entry>, Known) {
    let now = current(world, view, from, to);
    let now_ids: BTreeSet<String> = now.iter().map(|(id, _)| id.clone()).collect();
    let mut entries: Vec<Entry> = now
        .iter()
        .filter(|(id, changed)| !before.ids.contains(id) || *changed > before.change_count)
        .map(|(id, _)| Entry::Changed(id.clone()))
        .collect();
    entries.extend(
        before
            .ids
            .difference(&now_ids)
            .map(|id| Entry::Removed(id.clone())),
    );
    // Changed since, but with nothing in the window.
    for ev in events::in_calendar(world, view) {
        let changed = ev.changed.max(
            ev.exceptions
                .values()
                .filter_map(|x| match x {
                    crate::state::Exception::Changed(d) => Some(d.changed),
                    crate::state::Exception::Cancelled => None,
                })
                .max()
                .unwrap_or(0),
        );
        if changed > before.change_count && items::expand(ev, from, to).is_empty() {
            let id = project::item_id(view, &Item::of_event(ev));
            if !before.ids.contains(&id) {
                entries.push(Entry::Removed(id));
            }
        }
    }
    let known = Known {
        change_count: world.change_count,
        ids: now_ids,
    };
    (entries, known)
}

fn removed(id: &str) -> Value {
    json!({
        "@odata.type": "#microsoft.graph.event",
        "id": id,
        "@removed": { "reason": "deleted" }
    })
}

/// An entry as the page shows it; an item gone since the round began shows as removed.
fn render(world: &State, ctx: &Ctx, view: &CalView, entry: &Entry) -> Value {
    let id = match entry {
        Entry::Removed(id) => return removed(id),
        Entry::Changed(id) => id,
    };
    let found = access::event_by_id(world, ctx.caller, view.mailbox, id, Some(view))
        .and_then(|r| events::item_of(world, &r));
    match found {
        Ok(item) => {
            let mut v = project::event_json(world, &ctx.graph_url, view, &item, ctx.zone());
            body::present(&mut v, ctx.prefs.body);
            if let Some(map) = v.as_object_mut() {
                map.insert("@odata.type".to_string(), json!("#microsoft.graph.event"));
            }
            v
        }
        Err(_) => removed(id),
    }
}

/// `GET …/calendarView/delta`
pub(crate) fn calendar_view(
    world: &mut State,
    ctx: &Ctx,
    view: &CalView,
    q: &Query,
) -> GraphResult {
    refuse_unsupported(q)?;
    events::require_read(view)?;
    let token = q.param("$skiptoken").or_else(|| q.param("$deltatoken"));
    let (from, to, pending, then) = match token {
        None => {
            let (from, to) = events::window(q)?;
            let (pending, then) = full_round(world, view, from, to);
            (from, to, pending, then)
        }
        Some(token) => {
            let state = sync_state::find(world, ctx.caller, view, token)?;
            match state.stage {
                Stage::Paging { pending, then } => (state.from, state.to, pending, then),
                Stage::Done(before) => {
                    let (pending, then) = next_round(world, view, state.from, state.to, &before);
                    (state.from, state.to, pending, then)
                }
            }
        }
    };
    let size = ctx.prefs.max_page_size.unwrap_or(PAGE);
    let mut pending = pending;
    let rest = pending.split_off(size.min(pending.len()));
    let value: Vec<Value> = pending
        .iter()
        .map(|e| render(world, ctx, view, e))
        .collect();
    let (stage, link_name, token_name) = if rest.is_empty() {
        (Stage::Done(then), "@odata.deltaLink", "$deltatoken")
    } else {
        (
            Stage::Paging {
                pending: rest,
                then,
            },
            "@odata.nextLink",
            "$skiptoken",
        )
    };
    let token = sync_state::issue(
        world,
        SyncState {
            caller: ctx.caller,
            mailbox: view.mailbox,
            calendar: view.calendar,
            from,
            to,
            generation: 0,
            stage,
        },
    );
    let mut page = json!({
        "@odata.context": format!("{}/$metadata#Collection(event)", ctx.graph_url),
        "value": value,
    });
    page[link_name] = json!(format!(
        "{}{}?{token_name}={token}",
        ctx.graph_url, ctx.path
    ));
    let mut reply = Reply::ok(page);
    // Outlook names change tracking back (`preference-applied: odata.track-changes` in the
    // headers quoted in microsoftgraph/microsoft-graph-docs-contrib#7790).
    reply.applied.push("odata.track-changes".to_string());
    if let Some(n) = ctx.prefs.max_page_size {
        reply.applied.push(page_size_applied(n));
    }
    reply.persist = true;
    Ok(reply)
}
