//! Routing of one Graph request (or `$batch` member) from its path: the mailbox (and the
//! groups its user belongs to), then the calendar, then the item (mail below the mailbox goes
//! on in `mail_routes`), with the token's scopes checked against the call's permission table
//! once the mailbox is known.

use axum::http::{Method, StatusCode};
use serde_json::Value;

use super::error::GraphError;
use super::odata::{self, Query};
use super::permission_table::{self, Need};
use super::{
    access, calendars, categories, delta, event_writes, events, mail_routes, memberships,
    permissions, schedule, users, Ctx, GraphResult,
};
use crate::state::State as World;

/// Route one Graph request (also used for each `$batch` member).
pub(crate) fn dispatch(
    world: &mut World,
    ctx: &Ctx,
    method: &Method,
    segments: &[String],
    params: Vec<(String, String)>,
    body: Option<&Value>,
) -> GraphResult {
    let q = odata::parse(params)?;
    let Some((first, rest)) = segments.split_first() else {
        return Err(GraphError::segment(""));
    };
    match first.to_ascii_lowercase().as_str() {
        "me" => mailbox(world, ctx, ctx.caller, rest, method, &q, body),
        "users" => match rest.split_first() {
            None if method == Method::GET => {
                permission_table::check(&ctx.scopes, Need::Directory, false)?;
                users::list(world, ctx, &q)
            }
            None => Err(GraphError::method()),
            Some((key, tail)) => match world.user_by_id_or_upn(key) {
                Some(user) => mailbox(world, ctx, user, tail, method, &q, body),
                // The directory answers for a user and their memberships, Exchange for the
                // mailbox below.
                None if tail.is_empty() || is_membership(tail) => Err(GraphError::new(
                    StatusCode::NOT_FOUND,
                    "Request_ResourceNotFound",
                    format!("Resource '{key}' does not exist or one of its queried reference-property objects are not present."),
                )),
                None => Err(GraphError::invalid_user(key)),
            },
        },
        _ => Err(GraphError::segment(first)),
    }
}

fn is_membership(tail: &[String]) -> bool {
    tail.first().is_some_and(|t| {
        t.eq_ignore_ascii_case("memberOf") || t.eq_ignore_ascii_case("transitiveMemberOf")
    })
}

fn mailbox(
    world: &mut World,
    ctx: &Ctx,
    user: usize,
    tail: &[String],
    method: &Method,
    q: &Query,
    body: Option<&Value>,
) -> GraphResult {
    let names: Vec<String> = tail.iter().map(|s| s.to_ascii_lowercase()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let caller = ctx.caller;
    permission_table::check(
        &ctx.scopes,
        permission_table::need(&names, method),
        user == caller,
    )?;
    if mail_routes::is_mail(names.first()) {
        return mail_routes::dispatch(world, ctx, user, tail, method, q, body);
    }
    match (names.as_slice(), method) {
        ([], &Method::GET) => users::get(world, ctx, user, q),
        ([relationship @ ("memberof" | "transitivememberof")], &Method::GET) => memberships::list(
            world,
            ctx,
            user,
            *relationship == "transitivememberof",
            None,
            q,
        ),
        ([relationship @ ("memberof" | "transitivememberof"), _], &Method::GET) => {
            memberships::list(
                world,
                ctx,
                user,
                *relationship == "transitivememberof",
                Some(&tail[1]),
                q,
            )
        }
        (["memberof" | "transitivememberof"] | ["memberof" | "transitivememberof", _], _) => {
            Err(GraphError::method())
        }
        (["calendar", "getschedule"], &Method::POST) => {
            // The path's calendar must be one the caller reaches; the schedules are read as
            // the signed-in user sees them.
            access::default_calendar(world, caller, user)?;
            schedule::get_schedule(world, ctx, body)
        }
        (["calendar", "getschedule"], _) => Err(GraphError::method()),
        (["calendar", ..], _) => {
            let view = access::default_calendar(world, caller, user)?;
            calendar(world, ctx, view, &tail[1..], method, q, body)
        }
        (["calendars"], &Method::GET) => calendars::list(world, ctx, user, q),
        (["calendars"], &Method::POST) => calendars::create(world, ctx, user, body),
        (["calendars", _, ..], _) => {
            let view = access::calendar_by_id(world, caller, user, &tail[1])?;
            calendar(world, ctx, view, &tail[2..], method, q, body)
        }
        (["calendargroups"], &Method::GET) => calendars::groups(world, ctx, user),
        (["calendargroups", _], &Method::GET) => calendars::group(world, ctx, user, &tail[1]),
        (["calendargroups", _, "calendars"], &Method::GET) => {
            calendars::group_calendars(world, ctx, user, &tail[1], q)
        }
        (["events"], &Method::GET) => {
            let view = access::default_calendar(world, caller, user)?;
            events::list(world, ctx, &view, q)
        }
        (["events"], &Method::POST) => {
            let view = access::default_calendar(world, caller, user)?;
            event_writes::create(world, ctx, &view, body)
        }
        (["events", _, ..], _) => event(
            world,
            ctx,
            user,
            &tail[1],
            None,
            &tail[2..],
            method,
            q,
            body,
        ),
        (["calendarview"], &Method::GET) => {
            let view = access::default_calendar(world, caller, user)?;
            events::calendar_view(world, ctx, &view, q)
        }
        (["calendarview", "delta"], &Method::GET) => {
            let view = access::default_calendar(world, caller, user)?;
            delta::calendar_view(world, ctx, &view, q)
        }
        (["outlook", "mastercategories"], &Method::GET) => categories::list(world, ctx, user),
        (["outlook", "mastercategories"], &Method::POST) => {
            categories::create(world, ctx, user, body)
        }
        (["outlook", "mastercategories", _], &Method::GET) => {
            categories::get(world, ctx, user, &tail[2])
        }
        (
            []
            | ["calendars"]
            | ["calendargroups", ..]
            | ["events"]
            | ["calendarview"]
            | ["calendarview", "delta"]
            | ["outlook", "mastercategories", ..],
            _,
        ) => Err(GraphError::method()),
        (_, _) => Err(GraphError::segment(
            tail.first().map(String::as_str).unwrap_or_default(),
        )),
    }
}

fn calendar(
    world: &mut World,
    ctx: &Ctx,
    view: access::CalView,
    tail: &[String],
    method: &Method,
    q: &Query,
    body: Option<&Value>,
) -> GraphResult {
    let names: Vec<String> = tail.iter().map(|s| s.to_ascii_lowercase()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match (names.as_slice(), method) {
        ([], &Method::GET) => calendars::get(world, ctx, &view, q),
        ([], &Method::PATCH) => calendars::update(world, ctx, &view, body),
        (["events"], &Method::GET) => events::list(world, ctx, &view, q),
        (["events"], &Method::POST) => event_writes::create(world, ctx, &view, body),
        (["events", _, ..], _) => event(
            world,
            ctx,
            view.mailbox,
            &tail[1],
            Some(&view),
            &tail[2..],
            method,
            q,
            body,
        ),
        (["calendarview"], &Method::GET) => events::calendar_view(world, ctx, &view, q),
        (["calendarpermissions"], &Method::GET) => permissions::list(world, ctx, &view),
        (["calendarpermissions"], &Method::POST) => permissions::create(world, ctx, &view, body),
        (["calendarpermissions", _], &Method::GET) => permissions::get(world, ctx, &view, &tail[1]),
        (["calendarpermissions", _], &Method::PATCH) => {
            permissions::update(world, ctx, &view, &tail[1], body)
        }
        (["calendarpermissions", _], &Method::DELETE) => {
            permissions::delete(world, ctx, &view, &tail[1])
        }
        ([] | ["events"] | ["calendarview"] | ["calendarpermissions", ..], _) => {
            Err(GraphError::method())
        }
        (_, _) => Err(GraphError::segment(
            tail.first().map(String::as_str).unwrap_or_default(),
        )),
    }
}

#[allow(clippy::too_many_arguments)]
fn event(
    world: &mut World,
    ctx: &Ctx,
    mailbox: usize,
    id: &str,
    within: Option<&access::CalView>,
    tail: &[String],
    method: &Method,
    q: &Query,
    body: Option<&Value>,
) -> GraphResult {
    let r = access::event_by_id(world, ctx.caller, mailbox, id, within)?;
    let names: Vec<String> = tail.iter().map(|s| s.to_ascii_lowercase()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    match (names.as_slice(), method) {
        ([], &Method::GET) => events::get(world, ctx, &r, q),
        ([], &Method::PATCH) => event_writes::update(world, ctx, &r, body),
        ([], &Method::DELETE) => event_writes::delete(world, ctx, &r),
        (["instances"], &Method::GET) => events::instances(world, ctx, &r, q),
        (["cancel"], &Method::POST) => event_writes::cancel(world, ctx, &r, body),
        ([] | ["instances"] | ["cancel"], _) => Err(GraphError::method()),
        (_, _) => Err(GraphError::segment(
            tail.first().map(String::as_str).unwrap_or_default(),
        )),
    }
}
