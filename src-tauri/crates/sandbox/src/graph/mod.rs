//! Microsoft Graph v1.0 under `/v1.0`: the users, calendars, calendar groups, calendar
//! permissions, events, calendar views and JSON batching Onbehalf uses. Every request is
//! counted for faults, authenticated with a bearer token from this server's identity platform,
//! routed from its path, and answered with Graph's headers and error shape.

mod access;
mod batch;
mod calendars;
mod error;
mod events;
mod filter;
mod input;
mod items;
mod odata;
mod permissions;
mod project;
mod users;

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::Router;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::{json, Value};

use crate::faults::Verdict;
use crate::server::ConnectionKill;
use crate::state::{secret_hash, State as World};
use crate::tz;
use crate::Shared;
use error::GraphError;
use odata::Query;

const JSON_TYPE: &str =
    "application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8";
const MAX_BODY: usize = 4 * 1024 * 1024;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new().route("/v1.0/{*rest}", any(entry))
}

/// What every handler knows about the request.
#[derive(Clone)]
pub(crate) struct Ctx {
    pub caller: usize,
    pub graph_url: String,
    pub now: DateTime<Utc>,
    /// `Prefer: outlook.timezone`, when it names a known zone.
    pub zone: Option<(String, Tz)>,
    /// The request path below `/v1.0`, for `@odata.nextLink`.
    pub path: String,
    pub request_id: String,
    pub client_request_id: String,
}

/// A Graph answer before it becomes HTTP (or a `$batch` member).
pub(crate) struct Reply {
    pub status: StatusCode,
    pub body: Option<Value>,
    pub headers: Vec<(String, String)>,
}

impl Reply {
    pub fn ok(body: Value) -> Reply {
        Reply {
            status: StatusCode::OK,
            body: Some(body),
            headers: Vec::new(),
        }
    }

    pub fn created(body: Value, location: String) -> Reply {
        Reply {
            status: StatusCode::CREATED,
            body: Some(body),
            headers: vec![("Location".to_string(), location)],
        }
    }

    pub fn no_content() -> Reply {
        Reply {
            status: StatusCode::NO_CONTENT,
            body: None,
            headers: Vec::new(),
        }
    }
}

pub(crate) type GraphResult = Result<Reply, GraphError>;

/// Graph's error body.
pub(crate) fn error_body(
    e: &GraphError,
    request_id: &str,
    client_request_id: &str,
    now: DateTime<Utc>,
) -> Value {
    json!({
        "error": {
            "code": e.code,
            "message": e.message,
            "innerError": {
                "date": now.format("%Y-%m-%dT%H:%M:%S").to_string(),
                "request-id": request_id,
                "client-request-id": client_request_id
            }
        }
    })
}

/// The zone a `Prefer` header asks for with `outlook.timezone="..."`.
pub(crate) fn prefer_zone(prefer: &str) -> Option<(String, Tz)> {
    prefer.split(',').find_map(|part| {
        let (key, value) = part.split_once('=')?;
        if !key.trim().eq_ignore_ascii_case("outlook.timezone") {
            return None;
        }
        let name = value.trim().trim_matches('"').to_string();
        tz::resolve(&name).map(|z| (name, z))
    })
}

fn respond(
    result: GraphResult,
    request_id: &str,
    client_request_id: &str,
    now: DateTime<Utc>,
    zone: Option<&(String, Tz)>,
) -> Response {
    let reply = result.unwrap_or_else(|e| Reply {
        status: e.status,
        body: Some(error_body(&e, request_id, client_request_id, now)),
        headers: if e.status == StatusCode::UNAUTHORIZED {
            vec![(
                "WWW-Authenticate".to_string(),
                "Bearer realm=\"\", error=\"invalid_token\"".to_string(),
            )]
        } else {
            Vec::new()
        },
    });
    let mut headers = HeaderMap::new();
    let mut put = |name: &str, value: &str| {
        if let (Ok(n), Ok(v)) = (HeaderName::try_from(name), HeaderValue::from_str(value)) {
            headers.insert(n, v);
        }
    };
    put("request-id", request_id);
    put("client-request-id", client_request_id);
    if let (Some((name, _)), true) = (zone, reply.status.is_success()) {
        put(
            "Preference-Applied",
            &format!("outlook.timezone=\"{name}\""),
        );
    }
    for (k, v) in &reply.headers {
        put(k, v);
    }
    let body = match &reply.body {
        Some(v) => {
            put(header::CONTENT_TYPE.as_str(), JSON_TYPE);
            Body::from(serde_json::to_vec(v).unwrap_or_default())
        }
        None => Body::empty(),
    };
    (reply.status, headers, body).into_response()
}

fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<usize, GraphError> {
    let value = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let token = match value.split_once(' ') {
        Some((scheme, token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            token.trim()
        }
        _ => return Err(GraphError::token("Access token is empty.")),
    };
    let world = shared.store.lock();
    let found = world
        .auth
        .access_tokens
        .get(&secret_hash(token))
        .ok_or_else(|| GraphError::token("Access token validation failure. Invalid token."))?;
    if found.expires <= now {
        return Err(GraphError::token(
            "Lifetime validation failed, the token is expired.",
        ));
    }
    Ok(found.user)
}

async fn entry(State(shared): State<Arc<Shared>>, req: Request) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| request_id.clone());
    let latency = shared.faults.latency();
    if latency > Duration::ZERO {
        tokio::time::sleep(latency).await;
    }
    let now = Utc::now();
    match shared.faults.next() {
        Verdict::Serve => {}
        Verdict::Drop => {
            if let Some(kill) = req.extensions().get::<ConnectionKill>() {
                kill.kill();
                // The connection is closing; this answer is never written.
                std::future::pending::<()>().await;
            }
        }
        Verdict::Throttle { retry_after_secs } => {
            let e = GraphError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "TooManyRequests",
                "Application is over its MailboxConcurrency limit.",
            );
            let mut r = respond(Err(e), &request_id, &client_request_id, now, None);
            if let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string()) {
                r.headers_mut().insert(header::RETRY_AFTER, v);
            }
            return r;
        }
        Verdict::Unavailable => {
            let e = GraphError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "ServiceNotAvailable",
                "The service is temporarily unavailable. Try again later.",
            );
            let mut r = respond(Err(e), &request_id, &client_request_id, now, None);
            r.headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            return r;
        }
    }

    let (parts, body) = req.into_parts();
    let zone = parts
        .headers
        .get_all("prefer")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(prefer_zone);
    let fail = |e: GraphError| respond(Err(e), &request_id, &client_request_id, now, None);
    let caller = match authenticate(&shared, &parts.headers, now) {
        Ok(c) => c,
        Err(e) => return fail(e),
    };
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return fail(GraphError::bad_request(
                "The request body could not be read.",
            ))
        }
    };
    let body: Option<Value> = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                return fail(GraphError::bad_request(format!(
                    "Unable to read JSON request payload: {e}"
                )))
            }
        }
    };
    let path = parts
        .uri
        .path()
        .strip_prefix("/v1.0")
        .unwrap_or_default()
        .to_string();
    let segments: Vec<String> = path
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let params: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let ctx = Ctx {
        caller,
        graph_url: shared.graph_url(),
        now,
        zone: zone.clone(),
        path,
        request_id: request_id.clone(),
        client_request_id: client_request_id.clone(),
    };
    let result = {
        let mut world = shared.store.lock();
        let (result, changed) = if segments.len() == 1 && segments[0] == "$batch" {
            batch::run(&mut world, &ctx, &parts.method, body.as_ref())
        } else {
            let r = dispatch(
                &mut world,
                &ctx,
                &parts.method,
                &segments,
                params,
                body.as_ref(),
            );
            let changed = parts.method != Method::GET && r.is_ok();
            (r, changed)
        };
        if changed {
            shared.store.save_logged(&world);
        }
        result
    };
    respond(result, &request_id, &client_request_id, now, zone.as_ref())
}

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
            None if method == Method::GET => users::list(world, ctx, &q),
            None => Err(GraphError::method()),
            Some((key, tail)) => match world.user_by_id_or_upn(key) {
                Some(user) => mailbox(world, ctx, user, tail, method, &q, body),
                None if tail.is_empty() => Err(GraphError::new(
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
    match (names.as_slice(), method) {
        ([], &Method::GET) => users::get(world, ctx, user, q),
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
            events::create(world, ctx, &view, body)
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
        ([] | ["calendars"] | ["calendargroups", ..] | ["events"] | ["calendarview"], _) => {
            Err(GraphError::method())
        }
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
        ([], &Method::PATCH) => calendars::update(world, &view, body),
        (["events"], &Method::GET) => events::list(world, ctx, &view, q),
        (["events"], &Method::POST) => events::create(world, ctx, &view, body),
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
            permissions::update(world, &view, &tail[1], body)
        }
        (["calendarpermissions", _], &Method::DELETE) => {
            permissions::delete(world, &view, &tail[1])
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
        ([], &Method::PATCH) => events::update(world, ctx, &r, body),
        ([], &Method::DELETE) => events::delete(world, ctx, &r),
        (["instances"], &Method::GET) => events::instances(world, ctx, &r, q),
        ([] | ["instances"], _) => Err(GraphError::method()),
        (_, _) => Err(GraphError::segment(
            tail.first().map(String::as_str).unwrap_or_default(),
        )),
    }
}
