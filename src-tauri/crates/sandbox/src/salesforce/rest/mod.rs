//! The REST API on an org's instance host: `/services/data/` (the versions, uncounted) and
//! `/services/data/vXX.X/...` for the supported versions. Every other request is subject to
//! faults, authenticated by a session of this org with the `api` scope, counted against the
//! org's daily API allocation (refused once it is spent), routed from its path, and answered
//! with the `Sforce-Limit-Info` header.

mod collections;
mod composite;
mod describe;
pub(crate) mod error;
pub(crate) mod events;
mod input;
mod query;
mod records;
mod render;
mod replication;
mod resources;
mod search;
mod sobjects;
mod soql;
mod user_record_access;

use std::sync::Arc;
use std::time::Duration;

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{any, get};
use axum::Router;
use chrono::{DateTime, Utc};
use serde_json::Value;

use super::world::CrmWorld;
use super::{Instance, Runtime};
use crate::state::secret_hash;
use error::SfError;
pub(crate) use query::Cursors;

const MAX_BODY: usize = 8 * 1024 * 1024;
/// The oldest and newest API versions served.
pub(crate) const OLDEST: u32 = 31;
pub(crate) const NEWEST: u32 = 67;

pub(crate) fn routes() -> Router<Arc<Instance>> {
    Router::new()
        .route("/services/data", get(resources::versions))
        .route("/services/data/", get(resources::versions))
        .route("/services/data/{*rest}", any(entry))
}

/// A REST answer before it becomes HTTP (or a Composite subrequest's result).
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

    pub fn created(body: Value) -> Reply {
        Reply {
            status: StatusCode::CREATED,
            ..Reply::ok(body)
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

pub(crate) type SfResult = Result<Reply, SfError>;

/// What every handler knows about the request.
pub(crate) struct Ctx<'a> {
    /// The org's index in the world.
    pub org: usize,
    /// The session's user id.
    pub caller: String,
    /// `67.0`
    pub version: String,
    pub now: DateTime<Utc>,
    /// `Sforce-Query-Options: batchSize=N`, kept within 200–2,000.
    pub batch_size: usize,
    pub runtime: &'a Runtime,
}

impl Ctx<'_> {
    /// `/services/data/v67.0`
    pub fn base(&self) -> String {
        format!("/services/data/v{}", self.version)
    }
}

/// The API version a path segment names, when it is one this server serves.
pub(crate) fn version(segment: &str) -> Option<String> {
    let number = segment.strip_prefix('v')?;
    let (major, minor) = number.split_once('.')?;
    let major: u32 = major.parse().ok()?;
    (minor == "0" && (OLDEST..=NEWEST).contains(&major)).then(|| format!("{major}.0"))
}

fn respond(result: SfResult, usage: Option<(u64, u64)>) -> Response {
    let reply = result.unwrap_or_else(|e| Reply {
        status: e.status,
        body: Some(e.body()),
        headers: if e.status == StatusCode::UNAUTHORIZED {
            vec![("WWW-Authenticate".to_string(), "Token".to_string())]
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
    if let Some((used, max)) = usage {
        put("Sforce-Limit-Info", &format!("api-usage={used}/{max}"));
    }
    for (k, v) in &reply.headers {
        put(k, v);
    }
    let body = match &reply.body {
        Some(v) => {
            put(
                header::CONTENT_TYPE.as_str(),
                "application/json;charset=UTF-8",
            );
            Body::from(serde_json::to_vec(v).unwrap_or_default())
        }
        None => Body::empty(),
    };
    (reply.status, headers, body).into_response()
}

/// The session a request carries, if valid on this org: its user and whether it has `api`.
fn authenticate(
    world: &CrmWorld,
    org: &str,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<(String, bool), SfError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| {
            scheme.eq_ignore_ascii_case("bearer") || scheme.eq_ignore_ascii_case("oauth")
        })
        .map(|(_, t)| t.trim())
        .ok_or_else(SfError::session)?;
    let session = world
        .auth
        .sessions
        .get(&secret_hash(token))
        .filter(|s| s.expires > now && s.who.org == org)
        .ok_or_else(SfError::session)?;
    let api = session
        .scope
        .split_whitespace()
        .any(|s| s == "api" || s == "full");
    Ok((session.who.user.clone(), api))
}

fn batch_size(headers: &HeaderMap) -> usize {
    // Assumption: a batch size outside 200–2,000 is brought within it, as the guide says the
    // size asked for is a request, not a guarantee.
    headers
        .get("Sforce-Query-Options")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.split(',')
                .filter_map(|kv| kv.split_once('='))
                .find(|(k, _)| k.trim().eq_ignore_ascii_case("batchSize"))
                .and_then(|(_, n)| n.trim().parse::<usize>().ok())
        })
        .map_or(2000, |n| n.clamp(200, 2000))
}

/// The org's usage as it stands, for answers given before the call is counted: "This
/// response header is returned in each request to REST API (except for calls to the
/// Versions URI)".
fn current_usage(instance: &Instance, now: DateTime<Utc>) -> Option<(u64, u64)> {
    let max = instance
        .shared
        .store
        .lock()
        .crm
        .org(&instance.org)?
        .daily_api_requests;
    let used = instance
        .shared
        .salesforce
        .faults
        .budget()
        .used(&instance.org, now);
    Some((used, max))
}

/// The most a request's URI and headers together may take (Salesforce Help, "Maximum number
/// of rows returned by SOQL queries over the REST API"): past it, 414 when the URI alone is
/// too long, else 431. Answered before the API, as the front door does.
const MAX_URI_AND_HEADERS: usize = 16_384;

fn too_large(req: &Request) -> Option<Response> {
    let uri = req.uri().to_string().len();
    let headers: usize = req
        .headers()
        .iter()
        .map(|(k, v)| k.as_str().len() + v.len() + 4)
        .sum();
    let status = match (
        uri > MAX_URI_AND_HEADERS,
        uri + headers > MAX_URI_AND_HEADERS,
    ) {
        (true, _) => StatusCode::URI_TOO_LONG,
        (false, true) => StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE,
        (false, false) => return None,
    };
    Some((status, status.canonical_reason().unwrap_or_default()).into_response())
}

async fn entry(State(instance): State<Arc<Instance>>, req: Request) -> Response {
    let shared = &instance.shared;
    let runtime = &shared.salesforce;
    let latency = runtime.faults.latency();
    if latency > Duration::ZERO {
        tokio::time::sleep(latency).await;
    }
    let now = Utc::now();
    let early = |e: SfError| respond(Err(e), current_usage(&instance, now));
    if runtime.faults.next_unavailable() {
        // Assumption: the body Salesforce sends with a 503 during maintenance or overload.
        return early(SfError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "SERVER_UNAVAILABLE",
            "Server is temporarily unavailable. Try again later.",
        ));
    }
    if let Some(refused) = too_large(&req) {
        return refused;
    }
    let (parts, body) = req.into_parts();
    let segments: Vec<String> = parts
        .uri
        .path()
        .trim_start_matches("/services/data/")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let Some(version) = segments.first().and_then(|s| version(s)) else {
        return early(SfError::not_found());
    };
    let params: Vec<(String, String)> = parts
        .uri
        .query()
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect()
        })
        .unwrap_or_default();
    let auth = {
        let state = shared.store.lock();
        authenticate(&state.crm, &instance.org, &parts.headers, now).map(|a| {
            (
                a,
                state
                    .crm
                    .org(&instance.org)
                    .map_or(0, |o| o.daily_api_requests),
            )
        })
    };
    let ((caller, api), max) = match auth {
        Ok(a) => a,
        Err(e) => return early(e),
    };
    if !api {
        // Assumption: the refusal of a session without the `api` scope.
        return early(SfError::new(
            StatusCode::FORBIDDEN,
            "INVALID_SESSION_ID",
            "This session is not valid for use with the REST API",
        ));
    }
    let used = match runtime.faults.budget().charge(&instance.org, max, now) {
        Ok(used) => used,
        Err(used) => return respond(Err(SfError::limit_exceeded()), Some((used, max))),
    };
    let usage = Some((used, max));
    let bytes = match to_bytes(body, MAX_BODY).await {
        Ok(b) => b,
        Err(_) => {
            return respond(
                Err(SfError::json("The request body could not be read.")),
                usage,
            )
        }
    };
    let body: Option<Value> = if bytes.iter().all(u8::is_ascii_whitespace) {
        None
    } else {
        match serde_json::from_slice(&bytes) {
            Ok(v) => Some(v),
            Err(e) => {
                return respond(
                    Err(SfError::json(format!("Unexpected character: {e}"))),
                    usage,
                )
            }
        }
    };
    let result = {
        let mut state = shared.store.lock();
        state.crm.prune(now);
        let Some(org) = state.crm.org_index(&instance.org) else {
            return respond(Err(SfError::session()), usage);
        };
        let ctx = Ctx {
            org,
            caller,
            version,
            now,
            batch_size: batch_size(&parts.headers),
            runtime,
        };
        let written_before = runtime.faults.records_written();
        let result = dispatch(
            &mut state.crm,
            &ctx,
            &parts.method,
            &segments[1..],
            &params,
            body.as_ref(),
            true,
        );
        runtime.faults.count_request_writes(written_before);
        if parts.method != Method::GET {
            shared.store.save_logged(&state);
        }
        result
    };
    respond(result, usage)
}

/// Route one request below `/services/data/vXX.X` (also each Composite subrequest, where
/// `top` is false and Composite itself is not allowed).
pub(crate) fn dispatch(
    world: &mut CrmWorld,
    ctx: &Ctx<'_>,
    method: &Method,
    segments: &[String],
    params: &[(String, String)],
    body: Option<&Value>,
    top: bool,
) -> SfResult {
    let names: Vec<&str> = segments.iter().map(String::as_str).collect();
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match (names.as_slice(), method) {
        ([], &Method::GET) => Ok(resources::resources(ctx)),
        (["limits"], &Method::GET) => Ok(resources::limits(world, ctx)),
        (["sobjects", ..], _) => sobjects::route(world, ctx, method, &segments[1..], params, body),
        (["query"], &Method::GET) => query::run(world, ctx, get("q"), false),
        (["queryAll"], &Method::GET) => query::run(world, ctx, get("q"), true),
        (["query" | "queryAll", locator], &Method::GET) => query::more(ctx, locator),
        (["composite"], &Method::POST) if top => composite::run(world, ctx, body),
        (["composite", "sobjects", ..], _) => {
            collections::route(world, ctx, method, &segments[2..], params, body)
        }
        (["parameterizedSearch"], &Method::GET) => search::get(world, ctx, params),
        (["parameterizedSearch"], &Method::POST) => search::post(world, ctx, body),
        ([] | ["limits"] | ["query" | "queryAll", ..] | ["parameterizedSearch"], _) => {
            Err(SfError::method(method.as_str(), "GET"))
        }
        (["composite"], _) if top => Err(SfError::method(method.as_str(), "POST")),
        (_, _) => Err(SfError::not_found()),
    }
}
