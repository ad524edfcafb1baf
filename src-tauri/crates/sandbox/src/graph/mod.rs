//! Microsoft Graph v1.0 under `/v1.0`: the users and the groups they belong to, calendars,
//! calendar groups, calendar permissions, events (with `If-Match` on writes), calendar views
//! and their delta queries, free/busy schedules (`getSchedule`), the master category list,
//! mail (drafts, sending, also on behalf of another mailbox, and the Inbox, Drafts and Sent
//! Items) and JSON batching Onbehalf uses. Every request is counted for faults, authenticated
//! with a bearer token from this server's identity platform, routed from its path, checked
//! against the token's scopes, and answered with Graph's headers (`Prefer` honoured and named
//! in `Preference-Applied`) and error shape. The meeting messages Exchange would send for each
//! write are counted per mailbox.

mod access;
mod batch;
mod body;
mod calendars;
mod categories;
mod conditional;
mod delta;
mod error;
mod event_writes;
mod events;
mod filter;
mod input;
mod items;
mod mail;
mod mail_routes;
mod memberships;
mod message_input;
mod message_send;
mod message_writes;
mod messages;
mod odata;
mod permission_table;
mod permissions;
mod prefer;
mod project;
mod reply;
mod routes;
mod schedule;
mod sync_state;
mod users;

pub(crate) use categories::CategoryRecord;
pub use mail::MeetingMail;
pub(crate) use sync_state::SyncState;

use std::sync::Arc;
use std::time::Duration;

use axum::body::to_bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, Method};
use axum::response::Response;
use axum::routing::any;
use axum::Router;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde_json::Value;

use crate::faults::Verdict;
use crate::origin::Origin;
use crate::scopes::ScopeSet;
use crate::server::ConnectionKill;
use crate::state::secret_hash;
use crate::Shared;
use error::GraphError;
use prefer::Preferences;
use reply::{refused, respond};
pub(crate) use reply::{GraphResult, Reply};

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
    /// The `Prefer` header's time zone and page size.
    pub prefs: Preferences,
    /// The scopes of the caller's access token.
    pub scopes: ScopeSet,
    /// The request path below `/v1.0`, for `@odata.nextLink`.
    pub path: String,
    pub request_id: String,
    pub client_request_id: String,
    /// The request's (or `$batch` member's) `If-Match` header.
    pub if_match: Option<String>,
    /// The request's (or `$batch` member's) `ConsistencyLevel` header, which with `$count`
    /// asks for the directory's advanced queries.
    pub consistency_level: Option<String>,
}

impl Ctx {
    /// `Prefer: outlook.timezone`, when it names a known zone.
    pub fn zone(&self) -> Option<&(String, Tz)> {
        self.prefs.zone.as_ref()
    }
}

/// The caller and the scopes of a valid bearer token.
fn authenticate(
    shared: &Shared,
    headers: &HeaderMap,
    now: DateTime<Utc>,
) -> Result<(usize, ScopeSet), GraphError> {
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
    Ok((found.user, ScopeSet::parse(&found.scope, &shared.base_url)))
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
            let error = GraphError::throttled(req.uri().path());
            return refused(
                &error,
                retry_after_secs,
                &request_id,
                &client_request_id,
                now,
            );
        }
        Verdict::Unavailable => {
            let error = GraphError::unavailable();
            return refused(&error, 1, &request_id, &client_request_id, now);
        }
    }

    let (parts, body) = req.into_parts();
    let prefs = Preferences::parse(
        parts
            .headers
            .get_all("prefer")
            .iter()
            .filter_map(|v| v.to_str().ok()),
    );
    let fail = |e: GraphError| {
        respond(
            Err(e),
            &request_id,
            &client_request_id,
            now,
            &Preferences::default(),
        )
    };
    let (caller, scopes) = match authenticate(&shared, &parts.headers, now) {
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
        graph_url: format!("{}/v1.0", Origin::of(&parts.headers, &parts.extensions)),
        now,
        prefs: prefs.clone(),
        scopes,
        path,
        request_id: request_id.clone(),
        client_request_id: client_request_id.clone(),
        if_match: parts
            .headers
            .get(header::IF_MATCH)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
        consistency_level: parts
            .headers
            .get("consistencylevel")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    let result = {
        let mut world = shared.store.lock();
        let (result, changed) = if segments.len() == 1 && segments[0] == "$batch" {
            batch::run(
                &mut world,
                &ctx,
                &shared.faults,
                &parts.method,
                body.as_ref(),
            )
        } else {
            let page_size = prefs.max_page_size.unwrap_or(delta::PAGE);
            shared
                .faults
                .count_routed(&parts.method, &ctx.path, page_size);
            let r = routes::dispatch(
                &mut world,
                &ctx,
                &parts.method,
                &segments,
                params,
                body.as_ref(),
            );
            let changed = match &r {
                Ok(reply) => parts.method != Method::GET || reply.persist,
                Err(_) => false,
            };
            (r, changed)
        };
        if changed {
            shared.store.save_logged(&world);
        }
        result
    };
    respond(result, &request_id, &client_request_id, now, &prefs)
}
