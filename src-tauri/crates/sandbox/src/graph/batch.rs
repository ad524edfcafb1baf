//! `POST /$batch` (JSON batching): at most 20 requests, `dependsOn` honoured (a request whose
//! dependency failed gets 424), each answered with `id`, `status`, `headers` and `body`; the
//! envelope is 200 even when members fail. Members are throttled one by one ("requests in a
//! batch are evaluated individually against the applicable throttling limits"), each with
//! its own `Retry-After`, and a member's own `Prefer` header applies to it (over the batch
//! request's).

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use serde_json::{json, Map, Value};

use super::error::GraphError;
use super::prefer::Preferences;
use super::routes::dispatch;
use super::{Ctx, GraphResult, Reply};
use crate::faults::Faults;
use crate::state::State;

const MAX_REQUESTS: usize = 20;

struct Member {
    id: String,
    method: Method,
    url: String,
    headers: Map<String, Value>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn invalid(message: impl Into<String>) -> GraphError {
    GraphError::bad_request(message)
}

fn members(body: Option<&Value>) -> Result<Vec<Member>, GraphError> {
    let list = body
        .and_then(|b| b.get("requests"))
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("Invalid batch payload format: 'requests' must be an array."))?;
    if list.len() > MAX_REQUESTS {
        return Err(invalid(format!(
            "Number of batch requests exceeds the limit of {MAX_REQUESTS}."
        )));
    }
    let mut out: Vec<Member> = Vec::new();
    for r in list {
        let id = match r.get("id") {
            Some(Value::String(s)) if !s.is_empty() => s.clone(),
            Some(Value::Number(n)) => n.to_string(),
            _ => return Err(invalid("Every batch request needs an 'id'.")),
        };
        if out.iter().any(|m| m.id == id) {
            return Err(invalid(format!(
                "The batch request id '{id}' is used twice."
            )));
        }
        let method = r
            .get("method")
            .and_then(Value::as_str)
            .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
            .ok_or_else(|| invalid(format!("Batch request '{id}' needs a 'method'.")))?;
        let url = r
            .get("url")
            .and_then(Value::as_str)
            .ok_or_else(|| invalid(format!("Batch request '{id}' needs a 'url'.")))?
            .to_string();
        let headers = r
            .get("headers")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let body = r.get("body").filter(|b| !b.is_null()).cloned();
        if body.is_some()
            && !headers
                .keys()
                .any(|k| k.eq_ignore_ascii_case("content-type"))
        {
            return Err(invalid(format!(
                "Batch request '{id}' has a body but no Content-Type header."
            )));
        }
        let depends_on = match r.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|d| match d {
                    Value::String(s) => Ok(s.clone()),
                    Value::Number(n) => Ok(n.to_string()),
                    _ => Err(invalid(format!(
                        "Batch request '{id}' has an invalid 'dependsOn'."
                    ))),
                })
                .collect::<Result<_, _>>()?,
            Some(_) => {
                return Err(invalid(format!(
                    "Batch request '{id}' has an invalid 'dependsOn'."
                )))
            }
        };
        out.push(Member {
            id,
            method,
            url,
            headers,
            body,
            depends_on,
        });
    }
    let ids: BTreeSet<&str> = out.iter().map(|m| m.id.as_str()).collect();
    for m in &out {
        if let Some(d) = m.depends_on.iter().find(|d| !ids.contains(d.as_str())) {
            return Err(invalid(format!(
                "Batch request '{}' depends on '{d}', which is not in the batch.",
                m.id
            )));
        }
    }
    Ok(out)
}

/// Order members so each comes after its dependencies, keeping the given order otherwise.
fn order(members: &[Member]) -> Result<Vec<usize>, GraphError> {
    let mut done: BTreeSet<&str> = BTreeSet::new();
    let mut out = Vec::new();
    while out.len() < members.len() {
        let next = members.iter().enumerate().find(|(i, m)| {
            !out.contains(i) && m.depends_on.iter().all(|d| done.contains(d.as_str()))
        });
        let Some((i, m)) = next else {
            return Err(invalid("The batch requests' dependsOn form a cycle."));
        };
        done.insert(&m.id);
        out.push(i);
    }
    Ok(out)
}

fn header_value(headers: &Map<String, Value>, name: &str) -> Option<String> {
    headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .and_then(|(_, v)| v.as_str())
        .map(str::to_string)
}

fn run_member(world: &mut State, outer: &Ctx, m: &Member) -> (GraphResult, Ctx) {
    let relative = m.url.trim_start_matches('/');
    let relative = relative.strip_prefix("v1.0/").unwrap_or(relative);
    let mut ctx = outer.clone();
    ctx.prefs =
        Preferences::parse(header_value(&m.headers, "prefer").as_deref()).over(&outer.prefs);
    // A condition is the member's own; the batch request's does not reach its members.
    ctx.if_match = header_value(&m.headers, "if-match");
    // "To use advanced query capabilities in batch requests, specify the ConsistencyLevel
    // header in the JSON body" (aad-advanced-queries): the member's own, as for a condition.
    ctx.consistency_level = header_value(&m.headers, "consistencylevel");
    let parsed = match url::Url::parse(&format!("http://batch.invalid/{relative}")) {
        Ok(u) if !m.url.contains("://") => u,
        _ => {
            return (
                Err(invalid(format!(
                    "The batch request url '{}' must be relative.",
                    m.url
                ))),
                ctx,
            )
        }
    };
    let segments: Vec<String> = parsed
        .path_segments()
        .map(|s| {
            s.map(|seg| {
                percent_encoding::percent_decode_str(seg)
                    .decode_utf8_lossy()
                    .into_owned()
            })
            .filter(|seg| !seg.is_empty())
            .collect()
        })
        .unwrap_or_default();
    if segments.first().is_some_and(|s| s == "$batch") {
        return (Err(invalid("A batch cannot contain another batch.")), ctx);
    }
    ctx.path = parsed.path().to_string();
    let params: Vec<(String, String)> = parsed.query_pairs().into_owned().collect();
    let result = dispatch(world, &ctx, &m.method, &segments, params, m.body.as_ref());
    (result, ctx)
}

fn member_response(id: &str, reply: Reply) -> Value {
    let mut headers = Map::new();
    if reply.body.is_some() {
        headers.insert(
            "Content-Type".to_string(),
            json!("application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8"),
        );
    }
    for (k, v) in &reply.headers {
        headers.insert(k.clone(), json!(v));
    }
    let mut out = json!({
        "id": id,
        "status": reply.status.as_u16(),
        "headers": headers,
    });
    if let Some(body) = reply.body {
        out["body"] = body;
    }
    out
}

/// Run a batch; the second value says whether anything was changed.
pub(crate) fn run(
    world: &mut State,
    ctx: &Ctx,
    faults: &Faults,
    method: &Method,
    body: Option<&Value>,
) -> (GraphResult, bool) {
    if method != Method::POST {
        return (Err(GraphError::method()), false);
    }
    let members = match members(body) {
        Ok(m) => m,
        Err(e) => return (Err(e), false),
    };
    let sequence = match order(&members) {
        Ok(s) => s,
        Err(e) => return (Err(e), false),
    };
    faults.count_batch(members.len());
    let mut statuses: BTreeMap<String, u16> = BTreeMap::new();
    let mut responses: BTreeMap<usize, Value> = BTreeMap::new();
    let mut changed = false;
    for i in sequence {
        let m = &members[i];
        let member_id = format!("{}-{}", ctx.request_id, m.id);
        let error_reply =
            |e: &GraphError| Reply::error(e, &member_id, &ctx.client_request_id, ctx.now);
        let failed = m
            .depends_on
            .iter()
            .any(|d| statuses.get(d).is_none_or(|s| *s >= 400));
        let reply = if failed {
            error_reply(&GraphError::new(
                StatusCode::FAILED_DEPENDENCY,
                "FailedDependency",
                "A request this one depends on failed.",
            ))
        } else if let Some(retry_after) = faults.next_batch_member() {
            let mut r = error_reply(&GraphError::throttled(&m.url));
            r.headers
                .push(("Retry-After".to_string(), retry_after.to_string()));
            r
        } else {
            let (result, sub) = run_member(world, ctx, m);
            let page_size = sub.prefs.max_page_size.unwrap_or(super::delta::PAGE);
            faults.count_routed(&m.method, &sub.path, page_size);
            let mut r = match result {
                Ok(r) => {
                    if m.method != Method::GET || r.persist {
                        changed = true;
                    }
                    r
                }
                Err(e) => error_reply(&e),
            };
            if let Some(applied) = r.preference_applied(&sub.prefs) {
                r.headers.push(("Preference-Applied".to_string(), applied));
            }
            r
        };
        statuses.insert(m.id.clone(), reply.status.as_u16());
        responses.insert(i, member_response(&m.id, reply));
    }
    let value: Vec<Value> = responses.into_values().collect();
    (Ok(Reply::ok(json!({ "responses": value }))), changed)
}
