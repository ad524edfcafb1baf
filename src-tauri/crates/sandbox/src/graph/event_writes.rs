//! Writing events: create, update (with `If-Match`), delete and cancel, each checked against
//! the caller's rights on the calendar: a private item needs private access, and writing needs
//! the role's create, edit or delete right, on all items or only on the caller's own. Every
//! write counts a change (for delta queries) and the meeting messages it would send.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::access::{CalView, EventRef};
use super::conditional;
use super::error::GraphError;
use super::events::{item_of, mailbox_id, single};
use super::input::{self, EventPatch};
use super::items::Item;
use super::mail;
use super::project;
use super::{Ctx, GraphResult, Reply};
use crate::extprops;
use crate::roles::ItemScope;
use crate::state::{Event, Exception, ExceptionData, ExtendedValue, State};
use crate::tz;

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
    let changed = world.next_change();
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
        changed,
    };
    apply(&mut ev, patch);
    validate(&ev)?;
    if !ev.attendees.is_empty() {
        mail::record(world, &ev, Some(mail::Sent::Invitation));
    }
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
    changed: u64,
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
    x.changed = changed;
    Ok(())
}

/// The item's current change key must match the request's `If-Match`, if it has one.
fn precondition(world: &State, ctx: &Ctx, r: &EventRef) -> Result<(), GraphError> {
    let item = item_of(world, r)?;
    conditional::check(ctx.if_match.as_deref(), &project::item_change_key(&item))
}

/// `PATCH .../events/{id}`; on an occurrence this makes it an exception. With `If-Match`, only
/// while the item is at that version. Every write gives the item a new change key, a change
/// of its categories or extended properties included.
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
    precondition(world, ctx, r)?;
    let patch = input::parse(body)?;
    let touched = mail::touches_meeting(&patch);
    let changed = world.next_change();
    let ev = world
        .events
        .get_mut(&r.event)
        .ok_or_else(GraphError::not_found)?;
    let had_attendees = !ev.attendees.is_empty();
    let sent = match r.day {
        Some(day) => {
            update_exception(ev, day, patch, ctx.now, changed)?;
            // An occurrence's attendees are the series'.
            (touched && had_attendees).then_some(mail::Sent::Updates(1))
        }
        None => {
            let before = ev.clone();
            apply(ev, patch);
            if let Err(e) = validate(ev) {
                *ev = before;
                return Err(e);
            }
            ev.version += 1;
            ev.modified = ctx.now;
            ev.changed = changed;
            mail::on_update(ev, had_attendees, touched)
        }
    };
    if let Some(ev) = world.events.get(&r.event).cloned() {
        mail::record(world, &ev, sent);
    }
    let item = item_of(world, r)?;
    Ok(Reply::ok(single(world, ctx, &r.view, &item, None)))
}

/// Remove an event, or cancel one occurrence of a series, counting the cancellation a meeting
/// sends.
fn remove(world: &mut State, ctx: &Ctx, r: &EventRef) {
    let Some(ev) = world.events.get(&r.event).cloned() else {
        return;
    };
    mail::record(world, &ev, mail::on_delete(&ev));
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
    world.next_change();
}

/// `DELETE .../events/{id}`; on an occurrence this cancels that occurrence only. With
/// `If-Match`, only while the item is at that version.
pub(crate) fn delete(world: &mut State, ctx: &Ctx, r: &EventRef) -> GraphResult {
    {
        let item = item_of(world, r)?;
        may_change(&r.view, item.ev, ctx.caller, r.view.rights.delete)?;
    }
    precondition(world, ctx, r)?;
    remove(world, ctx, r);
    Ok(Reply::no_content())
}

/// `POST .../events/{id}/cancel` (event-cancel): the organizer cancels a meeting, or one
/// occurrence of it, and the attendees get a cancellation; 202 without a body. "An attendee
/// calling this action gets an error (HTTP 400 Bad Request)".
///
/// Assumption: that error's code is `ErrorInvalidRequest` (the page gives only its message),
/// and cancelling needs the same right as deleting.
pub(crate) fn cancel(
    world: &mut State,
    ctx: &Ctx,
    r: &EventRef,
    body: Option<&Value>,
) -> GraphResult {
    if let Some(b) = body {
        if !b.is_object()
            || b.get("comment")
                .or_else(|| b.get("Comment"))
                .is_some_and(|c| !c.is_string() && !c.is_null())
        {
            return Err(GraphError::bad_request(
                "Invalid value for parameter 'comment'.",
            ));
        }
    }
    {
        let item = item_of(world, r)?;
        may_change(&r.view, item.ev, ctx.caller, r.view.rights.delete)?;
        if !mail::is_organizer_copy(world, item.ev) {
            return Err(GraphError::invalid_request(
                "Your request can't be completed. You need to be an organizer to cancel a meeting.",
            ));
        }
    }
    precondition(world, ctx, r)?;
    remove(world, ctx, r);
    Ok(Reply {
        status: axum::http::StatusCode::ACCEPTED,
        body: None,
        ..Reply::no_content()
    })
}
