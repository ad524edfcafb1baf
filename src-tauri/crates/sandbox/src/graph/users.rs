//! `/me`, `/users` and `/users/{id or userPrincipalName}`: the basic profile every member of the
//! tenant may read.

use serde_json::{json, Value};

use super::odata::{self, Query};
use super::{Ctx, GraphResult, Reply};
use crate::state::State;

fn user_json(world: &State, user: usize) -> Value {
    let Some(u) = world.users.get(user) else {
        return Value::Null;
    };
    json!({
        "businessPhones": u.business_phones,
        "displayName": u.display_name,
        "givenName": u.given_name,
        "jobTitle": u.job_title,
        "mail": u.address,
        "mobilePhone": u.mobile_phone,
        "officeLocation": u.office_location,
        "preferredLanguage": "en-US",
        "surname": u.surname,
        "userPrincipalName": u.address,
        "id": u.id
    })
}

/// `GET /me` or `/users/{id}`.
pub(crate) fn get(world: &State, ctx: &Ctx, user: usize, q: &Query) -> GraphResult {
    let mut v = user_json(world, user);
    odata::select(&mut v, &q.select);
    v["@odata.context"] = json!(format!("{}/$metadata#users/$entity", ctx.graph_url));
    Ok(Reply::ok(v))
}

/// `GET /users`
pub(crate) fn list(world: &State, ctx: &Ctx, q: &Query) -> GraphResult {
    let all: Vec<Value> = (0..world.users.len())
        .map(|u| {
            let mut v = user_json(world, u);
            odata::select(&mut v, &q.select);
            v
        })
        .collect();
    let page = odata::page(all, q, 100, ctx.prefs.max_page_size);
    let mut body = json!({
        "@odata.context": format!("{}/$metadata#users", ctx.graph_url),
        "value": page.items,
    });
    if let Some(skip) = page.next {
        body["@odata.nextLink"] = json!(odata::next_link(&ctx.graph_url, &ctx.path, q, skip));
    }
    let mut reply = Reply::ok(body);
    reply.applied.extend(page.applied);
    Ok(reply)
}
