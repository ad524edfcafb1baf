//! Calendars and calendar groups. A user's `/me/calendars` lists their own calendars and,
//! after them, their entries for calendars shared with them: named after the owner for a
//! shared primary calendar, `canShare` false, `isRemovable` true, `canEdit` and
//! `canViewPrivateItems` from the grant. `/users/{other}/calendars` lists only the calendars the
//! caller holds a grant on.

use std::collections::BTreeMap;

use axum::http::StatusCode;
use onbehalf_engine::status_record::PROPERTY_ID;
use serde_json::{json, Value};

use super::access::{self, CalView};
use super::error::GraphError;
use super::filter::{self, Subject};
use super::input;
use super::odata::{self, Query};
use super::project::{self, change_key};
use super::{Ctx, GraphResult, Reply};
use crate::extprops;
use crate::ids::{ItemId, Kind};
use crate::onbehalf;
use crate::roles::{FolderRights, ItemScope};
use crate::state::{Calendar, ExtendedValue, State};

const PAGE: usize = 10;
/// Outlook's class ids of the two calendar groups.
const MY_CALENDARS: (&str, &str) = ("My Calendars", "0006f0b7-0000-0000-c000-000000000046");
const PEOPLES_CALENDARS: (&str, &str) =
    ("People's Calendars", "0006f0b8-0000-0000-c000-000000000046");

/// The calendar JSON for one viewer (without `@odata.context`).
pub(crate) fn calendar_json(world: &State, view: &CalView) -> Value {
    let Some(cal) = world.calendars.get(&view.calendar) else {
        return Value::Null;
    };
    let owner = world.person(cal.owner);
    let link = view.link.and_then(|l| world.links.get(&l));
    let (name, color, version) = match link {
        // "name defaults to the owner's display name" for a shared primary calendar.
        Some(l) => (
            l.name.clone().unwrap_or_else(|| {
                if cal.is_default {
                    owner.name.clone()
                } else {
                    cal.name.clone()
                }
            }),
            l.color.clone(),
            l.version,
        ),
        None => (cal.name.clone(), cal.color.clone(), cal.version),
    };
    let own = view.is_owner();
    json!({
        "id": view.id(),
        "name": name,
        "color": color,
        "hexColor": cal.hex_color,
        "isDefaultCalendar": link.is_none() && cal.is_default,
        "changeKey": change_key("calendar", view.link.unwrap_or(cal.key), None, version),
        "canShare": own,
        "canViewPrivateItems": view.rights.private,
        // Write access, not "may add items": see `ExchangeRole::can_edit`.
        "canEdit": view.rights.edit != ItemScope::None,
        "allowedOnlineMeetingProviders": ["teamsForBusiness"],
        "defaultOnlineMeetingProvider": "teamsForBusiness",
        "isTallyingResponses": own && cal.is_default,
        "isRemovable": link.is_some() || !cal.is_default,
        "owner": { "name": owner.name, "address": owner.address }
    })
}

fn extended_of(world: &State, view: &CalView) -> Vec<Value> {
    // A sharee's entry is a different folder from the owner's; it has no properties of its own.
    match (view.link, world.calendars.get(&view.calendar)) {
        (None, Some(cal)) => project::extended_list(cal.extended.values()),
        _ => Vec::new(),
    }
}

fn shaped(world: &State, view: &CalView, q: Option<&Query>) -> Value {
    let mut v = calendar_json(world, view);
    if let Some(q) = q {
        project::expand_extended(
            &mut v,
            &extended_of(world, view),
            q.expand_extended.as_ref(),
        );
        odata::select(&mut v, &q.select);
    }
    v
}

fn context(ctx: &Ctx, world: &State, mailbox: usize, suffix: &str) -> String {
    let id = world
        .users
        .get(mailbox)
        .map(|u| u.id.as_str())
        .unwrap_or_default();
    format!("{}/$metadata#users('{id}')/{suffix}", ctx.graph_url)
}

fn respond(
    world: &State,
    ctx: &Ctx,
    mailbox: usize,
    q: &Query,
    views: Vec<CalView>,
) -> GraphResult {
    let mut rows: Vec<(Value, CalView)> = Vec::new();
    for view in views {
        let json = calendar_json(world, &view);
        if let Some(f) = &q.filter {
            let extended = extended_of(world, &view);
            let subject = Subject {
                item: &json,
                extended: &extended,
                is_extended_property: false,
            };
            if !filter::matches(f, &subject) {
                continue;
            }
        }
        rows.push((json, view));
    }
    odata::order(&mut rows, &q.orderby);
    let count = rows.len();
    let page = odata::page(rows, q, PAGE, ctx.prefs.max_page_size);
    let value: Vec<Value> = page
        .items
        .iter()
        .map(|(_, v)| shaped(world, v, Some(q)))
        .collect();
    let mut body = json!({
        "@odata.context": context(ctx, world, mailbox, "calendars"),
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

fn own_views(world: &State, user: usize) -> Vec<CalView> {
    let mut own: Vec<&Calendar> = world
        .calendars
        .values()
        .filter(|c| c.owner == user)
        .collect();
    own.sort_by_key(|c| (!c.is_default, c.key));
    own.into_iter()
        .map(|c| CalView {
            calendar: c.key,
            mailbox: user,
            link: None,
            role: None,
            rights: FolderRights::OWNER,
        })
        .collect()
}

fn linked_views(world: &State, user: usize) -> Vec<CalView> {
    world
        .links
        .values()
        .filter(|l| l.sharee == user)
        .filter_map(|l| {
            let cal = world.calendars.get(&l.calendar)?;
            let held = access::role_on(user, cal, world)??;
            Some(CalView {
                calendar: cal.key,
                mailbox: user,
                link: Some(l.key),
                role: Some(held.role),
                rights: held.rights(),
            })
        })
        .collect()
}

/// `GET /me/calendars` or `/users/{id}/calendars`.
pub(crate) fn list(world: &State, ctx: &Ctx, mailbox: usize, q: &Query) -> GraphResult {
    let views = if mailbox == ctx.caller {
        let mut v = own_views(world, mailbox);
        v.extend(linked_views(world, mailbox));
        v
    } else {
        let granted: Vec<CalView> = world
            .calendars
            .values()
            .filter(|c| c.owner == mailbox && access::has_explicit_grant(ctx.caller, c, world))
            .filter_map(|c| {
                access::calendar_by_id(
                    world,
                    ctx.caller,
                    mailbox,
                    &ItemId::new(mailbox, Kind::Calendar, c.key).encode(),
                )
                .ok()
            })
            .collect();
        if granted.is_empty() {
            return Err(GraphError::not_found());
        }
        granted
    };
    respond(world, ctx, mailbox, q, views)
}

/// `GET` one calendar.
pub(crate) fn get(world: &State, ctx: &Ctx, view: &CalView, q: &Query) -> GraphResult {
    let mut v = shaped(world, view, Some(q));
    if let Some(map) = v.as_object_mut() {
        map.insert(
            "@odata.context".to_string(),
            json!(context(ctx, world, view.mailbox, "calendars/$entity")),
        );
    }
    Ok(Reply::ok(v))
}

/// `PATCH` a calendar: the owner may rename it, recolour it and set extended properties; a
/// sharee may only rename their own entry ("A sharee or delegate can customize only the name
/// property of a shared/delegated calendar. The update is visible only to themselves"); anyone
/// else is refused. Writing the status record on a default calendar lets the simulated
/// executive's Onbehalf publish again at once.
pub(crate) fn update(
    world: &mut State,
    ctx: &Ctx,
    view: &CalView,
    body: Option<&Value>,
) -> GraphResult {
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let name = body.get("name").and_then(Value::as_str).map(str::to_string);
    let color = body
        .get("color")
        .and_then(Value::as_str)
        .map(str::to_string);
    let extended = input::extended(body)?;
    match (view.link, view.is_owner()) {
        (Some(link), _) => {
            // Assumption: any other property on a sharee's entry is refused as a whole, not
            // silently dropped, so the caller learns it did not apply.
            let others = body
                .as_object()
                .is_some_and(|m| m.keys().any(|k| k != "name"));
            if others {
                return Err(GraphError::access_denied());
            }
            let l = world
                .links
                .get_mut(&link)
                .ok_or_else(GraphError::not_found)?;
            if let Some(n) = name {
                l.name = Some(n);
                l.version += 1;
            }
        }
        (None, true) => {
            let cal = world
                .calendars
                .get_mut(&view.calendar)
                .ok_or_else(GraphError::not_found)?;
            if let Some(n) = name {
                cal.name = n;
            }
            if let Some(c) = color {
                cal.color = c;
            }
            let record = extprops::normalize(PROPERTY_ID);
            let mut wrote_record = false;
            for (id, value) in extended {
                let key = extprops::normalize(&id);
                wrote_record |= key == record;
                cal.extended.insert(key, ExtendedValue { id, value });
            }
            cal.version += 1;
            if wrote_record {
                onbehalf::record_written(world, view.calendar, ctx.now);
            }
        }
        (None, false) => return Err(GraphError::access_denied()),
    }
    Ok(Reply::ok(shaped(world, view, None)))
}

/// `POST /me/calendars`: a new secondary calendar in the caller's own mailbox.
pub(crate) fn create(
    world: &mut State,
    ctx: &Ctx,
    mailbox: usize,
    body: Option<&Value>,
) -> GraphResult {
    if mailbox != ctx.caller {
        return Err(GraphError::access_denied());
    }
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let name = body
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.trim().is_empty())
        .ok_or_else(|| GraphError::bad_request("A calendar needs a name."))?;
    if world
        .calendars
        .values()
        .any(|c| c.owner == mailbox && c.name.eq_ignore_ascii_case(name))
    {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "ErrorFolderExists",
            "A folder with the specified name already exists.",
        ));
    }
    let key = world.take_key();
    let mut extended = BTreeMap::new();
    for (id, value) in input::extended(body)? {
        extended.insert(extprops::normalize(&id), ExtendedValue { id, value });
    }
    world.calendars.insert(
        key,
        Calendar {
            key,
            owner: mailbox,
            name: name.to_string(),
            color: body
                .get("color")
                .and_then(Value::as_str)
                .unwrap_or("auto")
                .to_string(),
            hex_color: String::new(),
            is_default: false,
            organization_role: None,
            grants: Vec::new(),
            extended,
            version: 1,
        },
    );
    let view = CalView {
        calendar: key,
        mailbox,
        link: None,
        role: None,
        rights: FolderRights::OWNER,
    };
    let location = format!("{}/me/calendars('{}')", ctx.graph_url, view.id());
    Ok(Reply::created(shaped(world, &view, None), location))
}

fn group_json(mailbox: usize, which: u64) -> Value {
    let (name, class) = if which == 1 {
        MY_CALENDARS
    } else {
        PEOPLES_CALENDARS
    };
    json!({
        "id": ItemId::new(mailbox, Kind::CalendarGroup, which).encode(),
        "name": name,
        "classId": class,
        "changeKey": change_key("group", which, None, u64::try_from(mailbox).unwrap_or(0)),
    })
}

fn own_mailbox_only(ctx: &Ctx, mailbox: usize) -> Result<(), GraphError> {
    if mailbox == ctx.caller {
        Ok(())
    } else {
        Err(GraphError::access_denied())
    }
}

/// `GET /me/calendarGroups`
pub(crate) fn groups(world: &State, ctx: &Ctx, mailbox: usize) -> GraphResult {
    own_mailbox_only(ctx, mailbox)?;
    Ok(Reply::ok(json!({
        "@odata.context": context(ctx, world, mailbox, "calendarGroups"),
        "value": [group_json(mailbox, 1), group_json(mailbox, 2)],
    })))
}

fn group_key(mailbox: usize, text: &str) -> Result<u64, GraphError> {
    let id = ItemId::decode(text).ok_or_else(GraphError::malformed_id)?;
    if id.mailbox != mailbox || id.kind != Kind::CalendarGroup || !(1..=2).contains(&id.key) {
        return Err(GraphError::not_found());
    }
    Ok(id.key)
}

/// `GET /me/calendarGroups/{id}`
pub(crate) fn group(world: &State, ctx: &Ctx, mailbox: usize, text: &str) -> GraphResult {
    own_mailbox_only(ctx, mailbox)?;
    let key = group_key(mailbox, text)?;
    let mut v = group_json(mailbox, key);
    v["@odata.context"] = json!(context(ctx, world, mailbox, "calendarGroups/$entity"));
    Ok(Reply::ok(v))
}

/// `GET /me/calendarGroups/{id}/calendars`
pub(crate) fn group_calendars(
    world: &State,
    ctx: &Ctx,
    mailbox: usize,
    text: &str,
    q: &Query,
) -> GraphResult {
    own_mailbox_only(ctx, mailbox)?;
    let views = match group_key(mailbox, text)? {
        1 => own_views(world, mailbox),
        _ => linked_views(world, mailbox),
    };
    respond(world, ctx, mailbox, q, views)
}
