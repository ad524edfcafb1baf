//! `calendarPermissions`: list, get, create, update (role only) and delete, on behalf of the
//! calendar's owner only. A sharee or delegate listing them gets an empty collection, as the
//! calendarPermission resource documents; their writes are refused. A change takes effect at
//! once: a new grant adds the calendar to the sharee's `/me/calendars`, a removed one takes it
//! away, and the simulated executive's Onbehalf publishes her status record again.
//!
//! Ids are base64 of a descriptive string, as in the documentation's examples: `Default` for
//! "My Organization" (`RGVmYXVsdA==`), `ExchangePublishedUser.{address}` for a recipient
//! outside the directory, and for a user of the organisation their legacy Exchange DN
//! (`/o=ExchangeLabs/...`, the form the delegate example's id starts with). Assumption: the
//! DN's last part is the directory id without dashes and the alias, as Exchange Online
//! writes it.

use axum::http::StatusCode;
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Value};

use super::access::CalView;
use super::error::GraphError;
use super::{Ctx, GraphResult, Reply};
use crate::onbehalf;
use crate::roles::ExchangeRole;
use crate::state::{Calendar, GrantRecord, SharedLink, State};

const MY_ORGANIZATION: &str = "Default";
const DOMAIN: &str = "@contoso.com";
const RECIPIENTS: &str =
    "/o=ExchangeLabs/ou=Exchange Administrative Group (FYDIBOHF23SPDLT)/cn=Recipients/cn=";

/// The id of "My Organization" (`None`) or of a grantee's permission.
fn permission_id(world: &State, address: Option<&str>) -> String {
    let Some(address) = address else {
        return STANDARD.encode(MY_ORGANIZATION);
    };
    match world
        .user_by_address(address)
        .and_then(|u| world.users.get(u))
    {
        Some(user) => {
            let alias = user.address.split('@').next().unwrap_or_default();
            STANDARD.encode(format!("{RECIPIENTS}{}-{alias}", user.id.replace('-', "")))
        }
        None => STANDARD.encode(format!("ExchangePublishedUser.{address}")),
    }
}

fn allowed_roles(cal: &Calendar, grantee: Option<&GrantRecord>) -> Vec<&'static str> {
    match grantee {
        None => vec!["none", "freeBusyRead", "limitedRead", "read", "write"],
        Some(g) if !g.inside_organization => vec!["freeBusyRead", "limitedRead", "read"],
        Some(_) if cal.is_default => vec![
            "freeBusyRead",
            "limitedRead",
            "read",
            "write",
            "delegateWithoutPrivateEventAccess",
            "delegateWithPrivateEventAccess",
        ],
        Some(_) => vec!["freeBusyRead", "limitedRead", "read", "write"],
    }
}

fn organization_json(world: &State, cal: &Calendar, role: ExchangeRole) -> Value {
    json!({
        "id": permission_id(world, None),
        "isRemovable": false,
        "isInsideOrganization": true,
        "role": role.graph_role(),
        "allowedRoles": allowed_roles(cal, None),
        "emailAddress": { "name": "My Organization" }
    })
}

fn grant_json(world: &State, cal: &Calendar, g: &GrantRecord) -> Value {
    json!({
        "id": permission_id(world, Some(&g.address)),
        "isRemovable": true,
        "isInsideOrganization": g.inside_organization,
        "role": g.role.graph_role(),
        "allowedRoles": allowed_roles(cal, Some(g)),
        "emailAddress": { "name": g.name, "address": g.address }
    })
}

fn all(world: &State, cal: &Calendar) -> Vec<Value> {
    cal.organization_role
        .map(|r| organization_json(world, cal, r))
        .into_iter()
        .chain(cal.grants.iter().map(|g| grant_json(world, cal, g)))
        .collect()
}

fn context(ctx: &Ctx, world: &State, view: &CalView, suffix: &str) -> String {
    let id = world
        .users
        .get(view.mailbox)
        .map(|u| u.id.as_str())
        .unwrap_or_default();
    format!(
        "{}/$metadata#users('{id}')/calendar/calendarPermissions{suffix}",
        ctx.graph_url
    )
}

/// Which permission an id names: `None` for "My Organization", `Some(index)` for a grant.
fn find(world: &State, cal: &Calendar, id: &str) -> Result<Option<usize>, GraphError> {
    if id == permission_id(world, None) && cal.organization_role.is_some() {
        return Ok(None);
    }
    cal.grants
        .iter()
        .position(|g| permission_id(world, Some(&g.address)) == id)
        .map(Some)
        .ok_or_else(GraphError::not_found)
}

fn owner_calendar<'a>(world: &'a State, view: &CalView) -> Result<&'a Calendar, GraphError> {
    world
        .calendars
        .get(&view.calendar)
        .ok_or_else(GraphError::not_found)
}

/// `GET .../calendarPermissions`
pub(crate) fn list(world: &State, ctx: &Ctx, view: &CalView) -> GraphResult {
    let value = if view.is_owner() {
        all(world, owner_calendar(world, view)?)
    } else {
        Vec::new()
    };
    Ok(Reply::ok(json!({
        "@odata.context": context(ctx, world, view, ""),
        "value": value,
    })))
}

/// `GET .../calendarPermissions/{id}`
pub(crate) fn get(world: &State, ctx: &Ctx, view: &CalView, id: &str) -> GraphResult {
    if !view.is_owner() {
        return Err(GraphError::not_found());
    }
    let cal = owner_calendar(world, view)?;
    let mut v = match find(world, cal, id)? {
        None => organization_json(
            world,
            cal,
            cal.organization_role.unwrap_or(ExchangeRole::None),
        ),
        Some(i) => grant_json(world, cal, &cal.grants[i]),
    };
    v["@odata.context"] = json!(context(ctx, world, view, "/$entity"));
    Ok(Reply::ok(v))
}

fn role_from(body: &Value, allowed: &[&str]) -> Result<ExchangeRole, GraphError> {
    let role = body
        .get("role")
        .and_then(Value::as_str)
        .ok_or_else(|| GraphError::bad_request("The property 'role' is required."))?;
    if !allowed.contains(&role) {
        return Err(GraphError::new(
            StatusCode::BAD_REQUEST,
            "ErrorInvalidParameter",
            format!("The role '{role}' is not one of the allowed roles for this recipient."),
        ));
    }
    ExchangeRole::from_graph_role(role)
        .ok_or_else(|| GraphError::bad_request(format!("The role '{role}' cannot be set.")))
}

fn add_link(world: &mut State, calendar: u64, address: &str) {
    let Some(sharee) = world.user_by_address(address) else {
        return;
    };
    if world
        .links
        .values()
        .any(|l| l.sharee == sharee && l.calendar == calendar)
    {
        return;
    }
    let key = world.take_key();
    world.links.insert(
        key,
        SharedLink {
            key,
            sharee,
            calendar,
            name: None,
            color: "auto".to_string(),
            version: 1,
        },
    );
}

fn remove_link(world: &mut State, calendar: u64, address: &str) {
    if let Some(sharee) = world.user_by_address(address) {
        world
            .links
            .retain(|_, l| !(l.sharee == sharee && l.calendar == calendar));
    }
}

/// `POST .../calendarPermissions`: share the calendar with someone.
pub(crate) fn create(
    world: &mut State,
    ctx: &Ctx,
    view: &CalView,
    body: Option<&Value>,
) -> GraphResult {
    if !view.is_owner() {
        return Err(GraphError::access_denied());
    }
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let address = body
        .pointer("/emailAddress/address")
        .and_then(Value::as_str)
        .filter(|a| a.contains('@'))
        .ok_or_else(|| {
            GraphError::bad_request("The property 'emailAddress' with an address is required.")
        })?
        .to_lowercase();
    let cal = owner_calendar(world, view)?;
    if world
        .users
        .get(cal.owner)
        .is_some_and(|u| u.address.eq_ignore_ascii_case(&address))
    {
        return Err(GraphError::invalid_request(
            "A calendar cannot be shared with its owner.",
        ));
    }
    if cal.grants.iter().any(|g| g.address == address) {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "ErrorItemAlreadyExists",
            "The calendar is already shared with this recipient.",
        ));
    }
    let inside = address.ends_with(DOMAIN);
    let name = world
        .user_by_address(&address)
        .map(|u| world.users[u].display_name.clone())
        .or_else(|| {
            body.pointer("/emailAddress/name")
                .and_then(Value::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| address.clone());
    let mut record = GrantRecord {
        address: address.clone(),
        name,
        role: ExchangeRole::None,
        inside_organization: inside,
        view_private: false,
    };
    record.role = role_from(body, &allowed_roles(cal, Some(&record)))?;
    let json = grant_json(world, cal, &record);
    let calendar = cal.key;
    if let Some(cal) = world.calendars.get_mut(&calendar) {
        cal.grants.push(record);
        cal.version += 1;
    }
    add_link(world, calendar, &address);
    onbehalf::grants_changed(world, calendar, ctx.now);
    let location = format!(
        "{}/me/calendar/calendarPermissions('{}')",
        ctx.graph_url,
        permission_id(world, Some(&address))
    );
    Ok(Reply::created(json, location))
}

/// `PATCH .../calendarPermissions/{id}`: only `role` can change.
///
/// Assumption: the "can see private items" flag an old-style delegate holds beside the role is
/// a delegate setting of the mailbox, so a new role keeps it, except
/// `delegateWithoutPrivateEventAccess`, which says in its name that private items are out.
pub(crate) fn update(
    world: &mut State,
    ctx: &Ctx,
    view: &CalView,
    id: &str,
    body: Option<&Value>,
) -> GraphResult {
    if !view.is_owner() {
        return Err(GraphError::access_denied());
    }
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let cal = owner_calendar(world, view)?;
    let which = find(world, cal, id)?;
    let allowed = allowed_roles(cal, which.map(|i| &cal.grants[i]));
    let role = role_from(body, &allowed)?;
    let cal = world
        .calendars
        .get_mut(&view.calendar)
        .ok_or_else(GraphError::not_found)?;
    match which {
        None => cal.organization_role = Some(role),
        Some(i) => {
            let grant = &mut cal.grants[i];
            grant.role = role;
            grant.view_private &= role != ExchangeRole::EditorDelegate;
        }
    }
    cal.version += 1;
    onbehalf::grants_changed(world, view.calendar, ctx.now);
    let cal = owner_calendar(world, view)?;
    let json = match which {
        None => organization_json(world, cal, role),
        Some(i) => grant_json(world, cal, &cal.grants[i]),
    };
    Ok(Reply::ok(json))
}

/// `DELETE .../calendarPermissions/{id}`: "My Organization" cannot be removed.
pub(crate) fn delete(world: &mut State, ctx: &Ctx, view: &CalView, id: &str) -> GraphResult {
    if !view.is_owner() {
        return Err(GraphError::access_denied());
    }
    let cal = owner_calendar(world, view)?;
    let Some(i) = find(world, cal, id)? else {
        return Err(GraphError::new(
            StatusCode::FORBIDDEN,
            "ErrorAccessDenied",
            "The 'My Organization' permission cannot be removed.",
        ));
    };
    let calendar = cal.key;
    let address = cal.grants[i].address.clone();
    if let Some(cal) = world.calendars.get_mut(&calendar) {
        cal.grants.remove(i);
        cal.version += 1;
    }
    remove_link(world, calendar, &address);
    onbehalf::grants_changed(world, calendar, ctx.now);
    Ok(Reply::no_content())
}
