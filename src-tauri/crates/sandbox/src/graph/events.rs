//! Reading events: list (single items and series masters), calendarView and instances
//! (occurrences expanded) and get, each checked against the caller's rights on the calendar:
//! reading needs more than free/busy, and a private item needs private access. Writes are in
//! `event_writes`.

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::access::{CalView, EventRef};
use super::body;
use super::error::GraphError;
use super::filter::{self, Subject};
use super::items::{self, Item, ItemKind};
use super::odata::{self, Query};
use super::project::{self, Detail};
use super::{Ctx, GraphResult, Reply};
use crate::roles::ReadAccess;
use crate::state::{Event, State};
use crate::tz;

/// Events per page when the client does not say, as Outlook does.
const PAGE: usize = 10;

pub(crate) fn require_read(view: &CalView) -> Result<(), GraphError> {
    if view.rights.read >= ReadAccess::Limited {
        Ok(())
    } else {
        Err(GraphError::access_denied())
    }
}

pub(crate) fn mailbox_id(world: &State, view: &CalView) -> String {
    world
        .users
        .get(view.mailbox)
        .map(|u| u.id.clone())
        .unwrap_or_default()
}

pub(crate) fn window(q: &Query) -> Result<(DateTime<Utc>, DateTime<Utc>), GraphError> {
    let missing = || {
        GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            "This request requires a time window specified by the query string parameters StartDateTime and EndDateTime.",
        )
    };
    let from = q.param("startDateTime").ok_or_else(missing)?;
    let to = q.param("endDateTime").ok_or_else(missing)?;
    let parse = |text: &str| {
        tz::parse_instant(text).ok_or_else(|| {
            GraphError::new(
                StatusCode::BAD_REQUEST,
                "ErrorInvalidParameter",
                format!("The value '{text}' of parameter 'StartDateTime/EndDateTime' is invalid."),
            )
        })
    };
    Ok((parse(from)?, parse(to)?))
}

fn respond_list(
    world: &State,
    ctx: &Ctx,
    view: &CalView,
    q: &Query,
    items: Vec<Item<'_>>,
    context: &str,
) -> GraphResult {
    let mut rows: Vec<(Value, Item<'_>)> = Vec::new();
    for item in items {
        let json = project::event_json(world, &ctx.graph_url, view, &item, None);
        if let Some(f) = &q.filter {
            let extended = project::visible_extended(world, view, &item);
            let subject = Subject {
                item: &json,
                extended: &extended,
                is_extended_property: false,
            };
            if !filter::matches(f, &subject) {
                continue;
            }
        }
        rows.push((json, item));
    }
    rows.sort_by_key(|(_, i)| (i.start_utc(), i.ev.key, i.day));
    odata::order(&mut rows, &q.orderby);
    let count = rows.len();
    let page = odata::page(rows, q, PAGE, ctx.prefs.max_page_size);
    let value: Vec<Value> = page
        .items
        .iter()
        .map(|(_, item)| {
            let mut v = project::event_json(world, &ctx.graph_url, view, item, ctx.zone());
            body::present(&mut v, ctx.prefs.body);
            project::expand_extended(
                &mut v,
                &project::visible_extended(world, view, item),
                q.expand_extended.as_ref(),
            );
            odata::select(&mut v, &q.select);
            v
        })
        .collect();
    let mut body = json!({
        "@odata.context": format!("{}/$metadata#users('{}')/{context}", ctx.graph_url, mailbox_id(world, view)),
        "value": value,
    });
    if q.count {
        body["@odata.count"] = json!(count);
    }
    if let Some(skip) = page.next {
        body["@odata.nextLink"] = json!(odata::next_link(&ctx.graph_url, &ctx.path, q, skip));
    }
    let mut reply = Reply::ok(body);
    reply.applied.extend(page.applied);
    Ok(reply)
}

pub(crate) fn in_calendar<'a>(world: &'a State, view: &CalView) -> impl Iterator<Item = &'a Event> {
    let calendar = view.calendar;
    world
        .events
        .values()
        .filter(move |e| e.calendar == calendar)
}

/// `GET .../events`: single items and series masters.
pub(crate) fn list(world: &State, ctx: &Ctx, view: &CalView, q: &Query) -> GraphResult {
    require_read(view)?;
    let items = in_calendar(world, view).map(Item::of_event).collect();
    respond_list(world, ctx, view, q, items, "events")
}

/// `GET .../calendarView?startDateTime=..&endDateTime=..`
pub(crate) fn calendar_view(world: &State, ctx: &Ctx, view: &CalView, q: &Query) -> GraphResult {
    let (from, to) = window(q)?;
    require_read(view)?;
    let items = in_calendar(world, view)
        .flat_map(|e| items::expand(e, from, to))
        .collect();
    respond_list(world, ctx, view, q, items, "calendarView")
}

pub(crate) fn item_of<'a>(world: &'a State, r: &EventRef) -> Result<Item<'a>, GraphError> {
    let ev = world
        .events
        .get(&r.event)
        .ok_or_else(GraphError::not_found)?;
    match r.day {
        None => Ok(Item::of_event(ev)),
        Some(day) => items::instance(ev, day).ok_or_else(GraphError::not_found),
    }
}

/// `GET .../events/{id}/instances?startDateTime=..&endDateTime=..`
pub(crate) fn instances(world: &State, ctx: &Ctx, r: &EventRef, q: &Query) -> GraphResult {
    let (from, to) = window(q)?;
    require_read(&r.view)?;
    let master = item_of(world, r)?;
    if master.kind != ItemKind::SeriesMaster {
        return Err(GraphError::invalid_request(
            "Instances can only be listed for a series master.",
        ));
    }
    let found = items::instances(master.ev, from, to);
    respond_list(world, ctx, &r.view, q, found, "events")
}

pub(crate) fn single(
    world: &State,
    ctx: &Ctx,
    view: &CalView,
    item: &Item<'_>,
    q: Option<&Query>,
) -> Value {
    let mut v = project::event_json(world, &ctx.graph_url, view, item, ctx.zone());
    body::present(&mut v, ctx.prefs.body);
    if let Some(q) = q {
        project::expand_extended(
            &mut v,
            &project::visible_extended(world, view, item),
            q.expand_extended.as_ref(),
        );
        odata::select(&mut v, &q.select);
    }
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "@odata.context".to_string(),
            json!(format!(
                "{}/$metadata#users('{}')/events/$entity",
                ctx.graph_url,
                mailbox_id(world, view)
            )),
        );
    }
    v
}

/// `GET .../events/{id}`: to a delegate or sharee without private-items access a private item
/// does not exist (404 `ErrorItemNotFound`, "The specified object was not found in the
/// store."), as Graph answers.
///
/// Assumption: listings (`events`, `calendarView`, `instances`) still include such an item,
/// stripped to its times, `showAs` and `sensitivity` (see `project`), as Outlook shows it as
/// a "Private appointment" block; the documentation is silent on listings, and a known issue
/// (microsoftgraph/microsoft-graph-docs#14494) reports exactly this mix of a listed item that
/// a single GET refuses.
pub(crate) fn get(world: &State, ctx: &Ctx, r: &EventRef, q: &Query) -> GraphResult {
    require_read(&r.view)?;
    let item = item_of(world, r)?;
    if project::detail(&r.view, &item) == Detail::Hidden {
        return Err(GraphError::not_found());
    }
    Ok(Reply::ok(single(world, ctx, &r.view, &item, Some(q))))
}
