//! The identity URL `GET /id/{orgId}/{userId}`: with the session's bearer token (or the
//! `oauth_token` parameter) it answers who the user is and the org's endpoints. The endpoint
//! URLs carry the literal `{version}` unless a `version` parameter names one.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::json;

use crate::origin::Origin;
use crate::salesforce::values::format_datetime;
use crate::state::secret_hash;
use crate::Shared;

/// The identity service answers a token it does not accept with 403 and one word.
fn refused(word: &'static str) -> Response {
    (
        StatusCode::FORBIDDEN,
        [(header::CONTENT_TYPE, "text/plain")],
        word,
    )
        .into_response()
}

pub(super) async fn identity(
    State(shared): State<Arc<Shared>>,
    Path((org, user)): Path<(String, String)>,
    origin: Origin,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let params: Vec<(String, String)> = uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth")
        })
        .map(|(_, t)| t.trim().to_string())
        .or_else(|| param("oauth_token"));
    let now = Utc::now();
    let state = shared.store.lock();
    let Some(session) = bearer
        .and_then(|t| state.crm.auth.sessions.get(&secret_hash(&t)))
        .filter(|s| s.expires > now)
    else {
        return refused("Bad_OAuth_Token");
    };
    // Assumption: a session reads its own user's identity only (reading others' needs the
    // "Manage Users" permission no demo user has), and is refused with `Bad_Id`.
    let same = |a: &str, b: &str| a.get(..15).is_some() && a.get(..15) == b.get(..15);
    if !same(&session.who.org, &org) || !same(&session.who.user, &user) {
        return refused("Bad_Id");
    }
    let Some(crm_org) = state.crm.org(&session.who.org) else {
        return refused("Bad_Id");
    };
    let Some(record) = crm_org.user(&session.who.user) else {
        return refused("Bad_Id");
    };
    let instance = shared
        .salesforce
        .instance_url(&crm_org.id, &origin)
        .unwrap_or_default();
    let version = param("version").unwrap_or_else(|| "{version}".to_string());
    let api = |path: &str| format!("{instance}/services/data/v{version}/{path}");
    let text = |f: &str| record.text(f).unwrap_or_default().to_string();
    let id_url = format!("{origin}/id/{}/{}", crm_org.id, session.who.user);
    let body = json!({
        "id": id_url,
        "asserted_user": true,
        "user_id": session.who.user,
        "organization_id": crm_org.id,
        "username": text("Username"),
        "nick_name": text("Alias"),
        "display_name": text("Name"),
        "email": text("Email"),
        "email_verified": true,
        "first_name": text("FirstName"),
        "last_name": text("LastName"),
        "timezone": text("TimeZoneSidKey"),
        "photos": {
            "picture": format!("{instance}/profilephoto/005/F"),
            "thumbnail": format!("{instance}/profilephoto/005/T"),
        },
        "addr_street": null,
        "addr_city": null,
        "addr_state": null,
        "addr_country": null,
        "addr_zip": null,
        "mobile_phone": null,
        "mobile_phone_verified": false,
        "is_lightning_login_user": false,
        "status": { "created_date": null, "body": null },
        "urls": {
            "enterprise": format!("{instance}/services/Soap/c/{version}/{}", crm_org.id),
            "metadata": format!("{instance}/services/Soap/m/{version}/{}", crm_org.id),
            "partner": format!("{instance}/services/Soap/u/{version}/{}", crm_org.id),
            "rest": api(""),
            "sobjects": api("sobjects/"),
            "search": api("search/"),
            "query": api("query/"),
            "recent": api("recent/"),
            "tooling_soap": format!("{instance}/services/Soap/T/{version}/{}", crm_org.id),
            "tooling_rest": api("tooling/"),
            "profile": format!("{instance}/{}", session.who.user),
            "feeds": api("chatter/feeds"),
            "groups": api("chatter/groups"),
            "users": api("chatter/users"),
            "feed_items": api("chatter/feed-items"),
            "feed_elements": api("chatter/feed-elements"),
            "custom_domain": instance,
        },
        "active": record.flag("IsActive"),
        "user_type": "STANDARD",
        "language": text("LanguageLocaleKey"),
        "locale": text("LocaleSidKey"),
        "utcOffset": utc_offset(crm_org.time_zone_of(&session.who.user), now),
        "last_modified_date": record.text("LastModifiedDate").map(str::to_string).unwrap_or_else(|| format_datetime(now)),
        "is_app_installed": true,
    });
    (StatusCode::OK, Json(body)).into_response()
}

/// The zone's offset from UTC now, in milliseconds, as `utcOffset` gives it.
fn utc_offset(zone: chrono_tz::Tz, now: chrono::DateTime<Utc>) -> i64 {
    use chrono::Offset;
    let offset = now.with_timezone(&zone).offset().fix();
    i64::from(offset.local_minus_utc()) * 1000
}
