//! The master list of categories (`/me/outlook/masterCategories`): list, get one and create.
//! A mailbox starts with Outlook's six default categories, as in the documentation's example
//! (Red `preset0`, Orange `preset1`, Yellow `preset3`, Green `preset4`, Blue `preset7`, Purple
//! `preset8`). Only the mailbox's own user reaches its list: Graph has no `.Shared` permission
//! for it, and a delegate reading the owner's list gets `ErrorAccessDenied`
//! (microsoftgraph/microsoft-graph-docs-contrib#3805, #4441).

use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::error::GraphError;
use super::{Ctx, GraphResult, Reply};
use crate::state::State;

/// One `outlookCategory`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct CategoryRecord {
    pub id: String,
    pub display_name: String,
    /// `none` or `preset0`..`preset24`.
    pub color: String,
}

const DEFAULTS: &[(&str, &str)] = &[
    ("Red category", "preset0"),
    ("Orange category", "preset1"),
    ("Yellow category", "preset3"),
    ("Green category", "preset4"),
    ("Blue category", "preset7"),
    ("Purple category", "preset8"),
];

/// A GUID-shaped id, the same for the same mailbox and name (so the default list is stable).
fn category_id(user_id: &str, name: &str) -> String {
    let d = Sha256::new()
        .chain_update(user_id.as_bytes())
        .chain_update([0])
        .chain_update(name.as_bytes())
        .finalize();
    let h = hex::encode(&d[..16]);
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..32]
    )
}

fn own(ctx: &Ctx, user: usize) -> Result<(), GraphError> {
    if user == ctx.caller {
        Ok(())
    } else {
        Err(GraphError::access_denied())
    }
}

fn user_id(world: &State, user: usize) -> String {
    world
        .users
        .get(user)
        .map(|u| u.id.clone())
        .unwrap_or_default()
}

fn list_of(world: &State, user: usize) -> Vec<CategoryRecord> {
    world
        .master_categories
        .get(&user)
        .cloned()
        .unwrap_or_else(|| {
            let id = user_id(world, user);
            DEFAULTS
                .iter()
                .map(|(name, color)| CategoryRecord {
                    id: category_id(&id, name),
                    display_name: name.to_string(),
                    color: color.to_string(),
                })
                .collect()
        })
}

fn to_json(c: &CategoryRecord) -> Value {
    json!({ "id": c.id, "displayName": c.display_name, "color": c.color })
}

fn context(ctx: &Ctx, world: &State, user: usize) -> String {
    format!(
        "{}/$metadata#users('{}')/outlook/masterCategories",
        ctx.graph_url,
        user_id(world, user)
    )
}

/// `GET …/outlook/masterCategories`
pub(crate) fn list(world: &State, ctx: &Ctx, user: usize) -> GraphResult {
    own(ctx, user)?;
    let value: Vec<Value> = list_of(world, user).iter().map(to_json).collect();
    Ok(Reply::ok(json!({
        "@odata.context": context(ctx, world, user),
        "value": value
    })))
}

/// `GET …/outlook/masterCategories/{id}`
pub(crate) fn get(world: &State, ctx: &Ctx, user: usize, id: &str) -> GraphResult {
    own(ctx, user)?;
    let found = list_of(world, user)
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(GraphError::not_found)?;
    let mut v = to_json(&found);
    v["@odata.context"] = json!(format!("{}/$entity", context(ctx, world, user)));
    Ok(Reply::ok(v))
}

fn valid_color(color: &str) -> bool {
    color == "none" || (0..=24).any(|n| color == format!("preset{n}"))
}

/// `POST …/outlook/masterCategories` → 201 with the new category.
///
/// Assumption: `displayName` is required and, being "a unique name that identifies a category
/// in the user's mailbox", a second category of the same name (compared without regard to
/// case, as Outlook does) is refused with 409 and the generic code `nameAlreadyExists` ("The
/// specified item name already exists", errors); a category without `color` gets `none`. The
/// pages document neither case.
pub(crate) fn create(
    world: &mut State,
    ctx: &Ctx,
    user: usize,
    body: Option<&Value>,
) -> GraphResult {
    own(ctx, user)?;
    let body = body.ok_or_else(|| GraphError::bad_request("The request body is empty."))?;
    let name = body
        .get("displayName")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .ok_or_else(|| GraphError::bad_request("Invalid value for property 'displayName'."))?;
    let color = match body.get("color") {
        None | Some(Value::Null) => "none",
        Some(Value::String(c)) if valid_color(c) => c.as_str(),
        Some(_) => {
            return Err(GraphError::bad_request(
                "Invalid value for property 'color'.",
            ))
        }
    };
    let mut list = list_of(world, user);
    if list
        .iter()
        .any(|c| c.display_name.eq_ignore_ascii_case(name))
    {
        return Err(GraphError::new(
            StatusCode::CONFLICT,
            "nameAlreadyExists",
            format!("A category named '{name}' already exists."),
        ));
    }
    let record = CategoryRecord {
        id: category_id(&user_id(world, user), name),
        display_name: name.to_string(),
        color: color.to_string(),
    };
    let mut v = to_json(&record);
    v["@odata.context"] = json!(format!("{}/$entity", context(ctx, world, user)));
    list.push(record);
    world.master_categories.insert(user, list);
    Ok(Reply {
        status: StatusCode::CREATED,
        ..Reply::ok(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colors_are_none_or_one_of_the_25_presets() {
        assert!(valid_color("none") && valid_color("preset0") && valid_color("preset24"));
        assert!(!valid_color("preset25") && !valid_color("blue") && !valid_color("preset"));
    }
}
