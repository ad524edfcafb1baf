//! Events: list (single items and series masters), calendarView and instances (occurrences
//! expanded), get, create, update and delete, each checked against the caller's rights on the
//! calendar: reading needs more than free/busy; a private item needs private access; writing
//! needs the role's create, edit or delete right, on all items or only on the caller's own.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::access::{CalView, EventRef};
use super::error::GraphError;
use super::filter::{self, Subject};
use super::input::{self, EventPatch};
use super::items::{self, Item, ItemKind};
use super::odata::{self, Query};
use super::project::{self, Detail};
use super::{Ctx, GraphResult, Reply};
use crate::extprops;
use crate::roles::{ItemScope, ReadAccess};
use crate::state::{Event, Exception, ExceptionData, ExtendedValue, State};
use crate::tz;

/// Events per page when the client does not say, as Outlook does.
const PAGE: usize = 10;

fn require_read(view: &CalView) -> Result<(), GraphError> {
    if view.rights.read >= ReadAccess::Limited {
        Ok(())
    } else {
        Err(GraphError::access_denied())
    }
}

fn mailbox_id(world: &State, view: &CalView) -> String {
    world
        .users
        .get(view.mailbox)
        .map(|u| u.id.clone())
        .unwrap_or_default()
}

fn window(q: &Query) -> Result<(DateTime<Utc>, DateTime<Utc>), GraphError> {
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

fn in_calendar<'a>(world: &'a State, view: &CalView) -> impl Iterator<Item = &'a Event> {
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

fn item_of<'a>(world: &'a State, r: &EventRef) -> Result<Item<'a>, GraphError> {
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

fn single(world: &State, ctx: &Ctx, view: &CalView, item: &Item<'_>, q: Option<&Query>) -> Value {
    let mut v = project::event_json(world, &ctx.graph_url, view, item, ctx.zone());
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

fn may_change(
    view: &CalView,
    ev: &Event,
    caller: usize,
    scope: ItemScope,
) -> Result<(), GraphError> {
    if view.is_owner() {
        return Ok(());
    }
    // Assumption: a write to a private item without private-items access is refused as
    // access denied, not "not found" like a GET: the documentation is silent on writes, and
    // a client told "not found" could take the item for deleted.
    if ev.sensitivity == "private" && !view.rights.private {
        return Err(GraphError::access_denied());
    }
    match scope {
        ItemScope::All => Ok(()),
        ItemScope::Own if ev.created_by == caller => Ok(()),
        ItemScope::Own | ItemScope::None => Err(GraphError::access_denied()),
    }
}

fn put_extended(target: &mut BTreeMap<String, ExtendedValue>, props: &[(String, String)]) {
    for (id, value) in props {
        target.insert(
            extprops::normalize(id),
            ExtendedValue {
                id: id.clone(),
                value: value.clone(),
            },
        );
    }
}

/// A wall-clock time given in one zone, as wall-clock time in another.
fn convert(local: chrono::NaiveDateTime, from: &str, to: &str) -> chrono::NaiveDateTime {
    if from.eq_ignore_ascii_case(to) {
        return local;
    }
    match (tz::resolve(from), tz::resolve(to)) {
        (Some(f), Some(t)) => tz::from_utc(tz::to_utc(local, f), t),
        _ => local,
    }
}

fn apply(ev: &mut Event, p: EventPatch) {
    if let Some(s) = p.subject {
        ev.subject = s;
    }
    if let Some((kind, content)) = p.body {
        ev.body_type = kind;
        ev.body = content;
    }
    if let Some((start, zone)) = p.start {
        ev.start = start;
        ev.time_zone = zone;
    }
    if let Some((end, zone)) = p.end {
        ev.end = convert(end, &zone, &ev.time_zone);
    }
    if let Some(v) = p.is_all_day {
        ev.is_all_day = v;
    }
    if let Some(v) = p.location {
        ev.location = v;
    }
    if let Some(v) = p.attendees {
        ev.attendees = v;
    }
    if let Some(v) = p.categories {
        ev.categories = v;
    }
    if let Some(v) = p.sensitivity {
        ev.sensitivity = v;
    }
    if let Some(v) = p.show_as {
        ev.show_as = v;
    }
    if let Some(v) = p.importance {
        ev.importance = v;
    }
    if let Some(v) = p.is_reminder_on {
        ev.is_reminder_on = v;
    }
    if let Some(v) = p.reminder_minutes {
        ev.reminder_minutes = v;
    }
    if let Some(v) = p.response_requested {
        ev.response_requested = v;
    }
    if let Some(r) = p.recurrence {
        ev.recurrence = r;
        ev.exceptions.clear();
    }
    put_extended(&mut ev.extended, &p.extended);
}

fn validate(ev: &Event) -> Result<(), GraphError> {
    if ev.end < ev.start {
        return Err(GraphError::invalid_request(
            "The end of the event must not be before its start.",
        ));
    }
    if ev.is_all_day
        && (!input::is_midnight(ev.start) || !input::is_midnight(ev.end) || ev.end <= ev.start)
    {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorPropertyValidationFailure",
            "An all-day event must start and end at midnight and last at least one day.",
        ));
    }
    Ok(())
}

/// `POST .../events`
pub(crate) fn create(
    world: &mut State,
    ctx: &Ctx,
    view: &CalView,
    body: Option<&Value>,
) -> GraphResult {
    if !view.rights.create {
        return Err(GraphError::access_denied());
    }
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let patch = input::parse(body)?;
    let (Some((start, zone)), Some(_)) = (patch.start.clone(), patch.end.as_ref()) else {
        return Err(GraphError::bad_request(
            "An event needs a start and an end.",
        ));
    };
    let owner = world
        .calendars
        .get(&view.calendar)
        .map(|c| c.owner)
        .ok_or_else(GraphError::not_found)?;
    let key = world.take_key();
    let mut ev = Event {
        key,
        calendar: view.calendar,
        created_by: ctx.caller,
        created: ctx.now,
        modified: ctx.now,
        version: 1,
        subject: String::new(),
        body_type: "text".to_string(),
        body: String::new(),
        start,
        end: start,
        time_zone: zone,
        is_all_day: false,
        location: String::new(),
        attendees: Vec::new(),
        // A delegate's meeting is organized by the calendar's owner.
        organizer: world.person(owner),
        categories: Vec::new(),
        sensitivity: "normal".to_string(),
        show_as: "busy".to_string(),
        importance: "normal".to_string(),
        is_reminder_on: true,
        reminder_minutes: 15,
        response_requested: true,
        recurrence: None,
        exceptions: BTreeMap::new(),
        extended: BTreeMap::new(),
    };
    apply(&mut ev, patch);
    validate(&ev)?;
    world.events.insert(key, ev);
    let item = world
        .events
        .get(&key)
        .map(Item::of_event)
        .ok_or_else(GraphError::not_found)?;
    let json = single(world, ctx, view, &item, None);
    let location = format!(
        "{}/users('{}')/events('{}')",
        ctx.graph_url,
        mailbox_id(world, view),
        project::item_id(view, &item)
    );
    Ok(Reply::created(json, location))
}

fn update_exception(
    ev: &mut Event,
    day: u32,
    p: EventPatch,
    now: DateTime<Utc>,
) -> Result<(), GraphError> {
    let zone = ev.time_zone.clone();
    let version = ev.version;
    let slot = ev
        .exceptions
        .entry(day)
        .or_insert_with(|| Exception::Changed(Box::default()));
    let Exception::Changed(x) = slot else {
        return Err(GraphError::not_found());
    };
    let x: &mut ExceptionData = x;
    if let Some((start, z)) = p.start {
        x.start = Some(convert(start, &z, &zone));
    }
    if let Some((end, z)) = p.end {
        x.end = Some(convert(end, &z, &zone));
    }
    if p.subject.is_some() {
        x.subject = p.subject;
    }
    if let Some((_, content)) = p.body {
        x.body = Some(content);
    }
    if p.location.is_some() {
        x.location = p.location;
    }
    if p.show_as.is_some() {
        x.show_as = p.show_as;
    }
    if p.categories.is_some() {
        x.categories = p.categories;
    }
    put_extended(&mut x.extended, &p.extended);
    x.modified = Some(now);
    x.version = x.version.max(version) + 1;
    Ok(())
}

/// `PATCH .../events/{id}`; on an occurrence this makes it an exception.
pub(crate) fn update(
    world: &mut State,
    ctx: &Ctx,
    r: &EventRef,
    body: Option<&Value>,
) -> GraphResult {
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    {
        let item = item_of(world, r)?;
        may_change(&r.view, item.ev, ctx.caller, r.view.rights.edit)?;
    }
    let patch = input::parse(body)?;
    let ev = world
        .events
        .get_mut(&r.event)
        .ok_or_else(GraphError::not_found)?;
    match r.day {
        Some(day) => update_exception(ev, day, patch, ctx.now)?,
        None => {
            let before = ev.clone();
            apply(ev, patch);
            if let Err(e) = validate(ev) {
                *ev = before;
                return Err(e);
            }
            ev.version += 1;
            ev.modified = ctx.now;
        }
    }
    let item = item_of(world, r)?;
    Ok(Reply::ok(single(world, ctx, &r.view, &item, None)))
}

/// `DELETE .../events/{id}`; on an occurrence this cancels that occurrence only.
pub(crate) fn delete(world: &mut State, ctx: &Ctx, r: &EventRef) -> GraphResult {
    {
        let item = item_of(world, r)?;
        may_change(&r.view, item.ev, ctx.caller, r.view.rights.delete)?;
    }
    match r.day {
        Some(day) => {
            if let Some(ev) = world.events.get_mut(&r.event) {
                ev.exceptions.insert(day, Exception::Cancelled);
                ev.modified = ctx.now;
            }
        }
        None => {
            world.events.remove(&r.event);
        }
    }
    Ok(Reply::no_content())
}
