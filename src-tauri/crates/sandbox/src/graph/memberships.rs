//! `memberOf` and `transitiveMemberOf` below `/me` and `/users/{id or userPrincipalName}`: the
//! groups a user is a direct member of, or a member of directly or through nested groups (the
//! demo directory has no directory roles or administrative units), as Graph documents them
//! (user-list-memberof, user-list-transitivememberof, aad-advanced-queries, and "limited
//! information returned for inaccessible member objects" in permissions-overview):
//!
//! - the plain list is of `directoryObject`s (`$metadata#directoryObjects`), each with its
//!   `@odata.type`; the OData cast `/microsoft.graph.group` lists groups only
//!   (`$metadata#groups`, the `$select`ed properties named in it), and a cast to
//!   `microsoft.graph.directoryRole` or `microsoft.graph.administrativeUnit` lists nothing;
//! - a cast of the transitive list is an advanced query ("Use of OData cast with transitive
//!   members list"): it needs `ConsistencyLevel: eventual` and `$count=true`, and without them
//!   is refused with 400 `Request_UnsupportedQuery`, the code the directory answers for a
//!   query missing them (aad-advanced-queries; microsoftgraph/microsoft-graph-docs#19672 for a
//!   cast of a group's transitive members); with them `@odata.count` comes along, and a
//!   `$count=true` without the header is ignored;
//! - `$select` picks the properties (`id` always comes); `$top` sets the page size (100 by
//!   default, 999 at most), the rest behind `@odata.nextLink`;
//! - without a permission that reads groups (`GroupMember.Read.All`, `Group.Read.All`,
//!   `Directory.Read.All`...), as with `User.Read` alone, each group comes with its `id` (and
//!   `@odata.type`) and every other property `null`.
//!
//! Assumption: a `$top` above 999 gives pages of 999; `Prefer: odata.maxpagesize`, an Outlook
//! preference, does not apply; `$filter` and `$orderby` on memberships are refused, as the
//! sandbox does not evaluate them here.

use axum::http::StatusCode;
use serde_json::{json, Value};

use super::error::GraphError;
use super::odata::{self, Query};
use super::{Ctx, GraphResult, Reply};
use crate::state::{DirectoryGroup, State};

/// The documented default and largest page sizes of a membership list.
const DEFAULT_PAGE: usize = 100;
const MAX_PAGE: usize = 999;

/// The permissions that read a group's properties; without one a group shows its id alone.
const READS_GROUPS: &[&str] = &[
    "GroupMember.Read.All",
    "GroupMember.ReadWrite.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// What an OData cast after the relationship keeps.
enum Cast {
    /// No cast: every directory object.
    None,
    Groups,
    /// A directory type the demo holds no memberships of.
    Nothing,
}

fn cast(segment: Option<&str>) -> Result<Cast, GraphError> {
    let Some(segment) = segment else {
        return Ok(Cast::None);
    };
    let name = segment.to_ascii_lowercase();
    match name.as_str() {
        "microsoft.graph.group" => Ok(Cast::Groups),
        "microsoft.graph.directoryrole" | "microsoft.graph.administrativeunit" => Ok(Cast::Nothing),
        _ => Err(GraphError::segment(segment)),
    }
}

fn unsupported(message: impl Into<String>) -> GraphError {
    GraphError::new(StatusCode::BAD_REQUEST, "Request_UnsupportedQuery", message)
}

/// A group as Graph shows it: its properties, or (`limited`) its id with the rest `null`.
fn group_json(g: &DirectoryGroup, limited: bool) -> Value {
    let created = g.created.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let mut v = json!({
        "id": g.id,
        "deletedDateTime": null,
        "classification": null,
        "createdDateTime": created,
        "creationOptions": [],
        "description": g.description,
        "displayName": g.display_name,
        "expirationDateTime": null,
        "groupTypes": [],
        "isAssignableToRole": null,
        "mail": g.mail,
        "mailEnabled": g.mail_enabled,
        "mailNickname": g.mail_nickname,
        "membershipRule": null,
        "membershipRuleProcessingState": null,
        "onPremisesSyncEnabled": null,
        "preferredDataLocation": null,
        "preferredLanguage": null,
        "proxyAddresses": g.mail.iter().map(|m| format!("SMTP:{m}")).collect::<Vec<_>>(),
        "renewedDateTime": created,
        "resourceBehaviorOptions": [],
        "resourceProvisioningOptions": [],
        "securityEnabled": g.security_enabled,
        "theme": null,
        "visibility": null,
    });
    if limited {
        if let Some(map) = v.as_object_mut() {
            for (key, value) in map.iter_mut() {
                if key != "id" {
                    *value = Value::Null;
                }
            }
        }
    }
    v
}

/// `GET {user}/memberOf[/{cast}]` or (`transitive`) `{user}/transitiveMemberOf[/{cast}]`.
pub(crate) fn list(
    world: &State,
    ctx: &Ctx,
    user: usize,
    transitive: bool,
    cast_segment: Option<&str>,
    q: &Query,
) -> GraphResult {
    let cast = cast(cast_segment)?;
    let advanced = q.count
        && ctx
            .consistency_level
            .as_deref()
            .is_some_and(|c| c.trim().eq_ignore_ascii_case("eventual"));
    if transitive && !matches!(cast, Cast::None) && !advanced {
        return Err(unsupported(
            "OData cast on a transitive membership list is not supported because the required parameters might be missing. Try adding $count=true query parameter and ConsistencyLevel:eventual header. Refer to https://aka.ms/graph-docs/advanced-queries for more information",
        ));
    }
    if q.filter.is_some() || !q.orderby.is_empty() {
        return Err(unsupported(
            "The sandbox does not filter or sort membership lists.",
        ));
    }
    let limited = !ctx.scopes.has_any(READS_GROUPS);
    let groups: Vec<&DirectoryGroup> = match cast {
        Cast::Nothing => Vec::new(),
        Cast::None | Cast::Groups => world.groups_of(user, transitive),
    };
    let total = groups.len();
    let size = q.top.unwrap_or(DEFAULT_PAGE).clamp(1, MAX_PAGE);
    let items: Vec<Value> = groups
        .into_iter()
        .skip(q.skip)
        .take(size)
        .map(|g| {
            let mut v = group_json(g, limited);
            if matches!(cast, Cast::None) {
                v["@odata.type"] = json!("#microsoft.graph.group");
            }
            odata::select(&mut v, &q.select);
            v
        })
        .collect();
    let context = match (&cast, &q.select) {
        (Cast::None, _) => "directoryObjects".to_string(),
        (_, Some(fields)) => format!("groups({})", fields.join(",")),
        (_, None) => "groups".to_string(),
    };
    let mut body = json!({
        "@odata.context": format!("{}/$metadata#{context}", ctx.graph_url),
    });
    if advanced {
        body["@odata.count"] = json!(total);
    }
    let next = q.skip + size;
    if next < total {
        body["@odata.nextLink"] = json!(odata::next_link(&ctx.graph_url, &ctx.path, q, next));
    }
    body["value"] = Value::Array(items);
    Ok(Reply::ok(body))
}
