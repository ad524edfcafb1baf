//! Composite (`POST /composite`): up to 25 subrequests (at most 5 of them queries or sObject
//! Collections) run in order in one transaction, each named by a `referenceId` whose answer
//! later subrequests use through `@{referenceId.path}`. With `allOrNone` the first failure
//! rolls everything back and every other subrequest answers `PROCESSING_HALTED`. The
//! request counts as one API call; its answer is 200 with each subrequest's status, headers
//! and body.

use std::collections::HashMap;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::error::SfError;
use super::{dispatch, version, Ctx, Reply, SfResult};
use crate::salesforce::world::CrmWorld;

const MAX_SUBREQUESTS: usize = 25;
const MAX_QUERIES_AND_COLLECTIONS: usize = 5;

fn rolled_back() -> SfError {
    SfError::bad_request(
        "PROCESSING_HALTED",
        "The transaction was rolled back since another operation in the same transaction failed.",
    )
}

/// The value a reference path (`ref.a.b[0].c`) names in the answers so far.
fn lookup<'v>(answers: &'v HashMap<String, Value>, path: &str) -> Option<&'v Value> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let (name, first_indexes) = split_indexes(first);
    let mut value = answers.get(name)?;
    for i in first_indexes {
        value = value.get(i)?;
    }
    for part in parts {
        let (key, indexes) = split_indexes(part);
        value = value.get(key)?;
        for i in indexes {
            value = value.get(i)?;
        }
    }
    Some(value)
}

/// `records[0][1]` into `records` and `[0, 1]`.
fn split_indexes(part: &str) -> (&str, Vec<usize>) {
    let name_end = part.find('[').unwrap_or(part.len());
    let indexes = part[name_end..]
        .split(['[', ']'])
        .filter_map(|s| s.parse().ok())
        .collect();
    (&part[..name_end], indexes)
}

fn reference_error(path: &str) -> SfError {
    let name = path.split(['.', '[']).next().unwrap_or_default();
    SfError::bad_request(
        "PROCESSING_HALTED",
        format!("Invalid reference specified. No value for {path} found in {name}."),
    )
}

/// Replace every `@{...}` in a text; a text that is one reference takes the value's type.
fn substitute_text(text: &str, answers: &HashMap<String, Value>) -> Result<Value, SfError> {
    if let Some(path) = text.strip_prefix("@{").and_then(|t| t.strip_suffix('}')) {
        if !path.contains('}') {
            return lookup(answers, path)
                .cloned()
                .ok_or_else(|| reference_error(path));
        }
    }
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("@{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| reference_error(after))?;
        let path = &after[..end];
        let value = lookup(answers, path).ok_or_else(|| reference_error(path))?;
        match value {
            Value::String(s) => out.push_str(s),
            other => out.push_str(&other.to_string()),
        }
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(Value::String(out))
}

fn substitute(value: &Value, answers: &HashMap<String, Value>) -> Result<Value, SfError> {
    Ok(match value {
        Value::String(s) if s.contains("@{") => substitute_text(s, answers)?,
        Value::Array(items) => Value::Array(
            items
                .iter()
                .map(|v| substitute(v, answers))
                .collect::<Result<_, _>>()?,
        ),
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| Ok((k.clone(), substitute(v, answers)?)))
                .collect::<Result<_, SfError>>()?,
        ),
        other => other.clone(),
    })
}

struct Sub<'b> {
    method: Method,
    url: String,
    reference: String,
    body: Option<&'b Value>,
}

fn parse_subrequests(body: Option<&Value>) -> Result<(bool, Vec<Sub<'_>>), SfError> {
    let body = body
        .and_then(Value::as_object)
        .ok_or_else(|| SfError::json("The request body must contain compositeRequest."))?;
    let all_or_none = body
        .get("allOrNone")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let list = body
        .get("compositeRequest")
        .and_then(Value::as_array)
        .ok_or_else(|| SfError::json("The request body must contain compositeRequest."))?;
    // Assumption: the wording of the whole-request refusals; the limits are documented.
    if list.len() > MAX_SUBREQUESTS {
        return Err(SfError::bad_request(
            "LIMIT_EXCEEDED",
            format!("Limit Exceeded: a composite request can contain at most {MAX_SUBREQUESTS} subrequests"),
        ));
    }
    let mut subs = Vec::new();
    for item in list {
        let get = |k: &str| item.get(k).and_then(Value::as_str);
        let method = get("method")
            .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
            .ok_or_else(|| SfError::json("Each subrequest needs a method."))?;
        let url = get("url").ok_or_else(|| SfError::json("Each subrequest needs a url."))?;
        let reference = get("referenceId")
            .ok_or_else(|| SfError::json("Each subrequest needs a referenceId."))?;
        let well_formed = reference
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
            && reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !well_formed || subs.iter().any(|s: &Sub<'_>| s.reference == reference) {
            return Err(SfError::bad_request(
                "INVALID_INPUT",
                format!("Invalid or duplicate referenceId: {reference}. A referenceId must start with a letter or a number and contain only letters, numbers and underscores."),
            ));
        }
        subs.push(Sub {
            method,
            url: url.to_string(),
            reference: reference.to_string(),
            body: item.get("body"),
        });
    }
    let heavy = subs
        .iter()
        .filter(|s| s.url.contains("/query") || s.url.contains("/composite/sobjects"))
        .count();
    if heavy > MAX_QUERIES_AND_COLLECTIONS {
        return Err(SfError::bad_request(
            "LIMIT_EXCEEDED",
            format!("Limit Exceeded: a composite request can contain at most {MAX_QUERIES_AND_COLLECTIONS} query or sObject Collections subrequests"),
        ));
    }
    Ok((all_or_none, subs))
}

/// Run one subrequest against the world.
fn run_one(
    world: &mut CrmWorld,
    ctx: &Ctx<'_>,
    sub: &Sub<'_>,
    url: &str,
    body: Option<&Value>,
) -> SfResult {
    let (path, query) = url.split_once('?').unwrap_or((url, ""));
    let segments: Vec<String> = path
        .trim_start_matches("/services/data/")
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let version = segments
        .first()
        .filter(|_| path.starts_with("/services/data/"))
        .and_then(|s| version(s))
        .ok_or_else(SfError::not_found)?;
    let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect();
    let sub_ctx = Ctx {
        org: ctx.org,
        caller: ctx.caller.clone(),
        version,
        now: ctx.now,
        batch_size: ctx.batch_size,
        runtime: ctx.runtime,
    };
    let mut reply = dispatch(
        world,
        &sub_ctx,
        &sub.method,
        &segments[1..],
        &params,
        body,
        false,
    )?;
    if reply.status == StatusCode::CREATED {
        if let Some(id) = reply
            .body
            .as_ref()
            .and_then(|b| b.get("id"))
            .and_then(Value::as_str)
        {
            let object = segments.get(2).cloned().unwrap_or_default();
            reply.headers.push((
                "Location".to_string(),
                format!("{}/sobjects/{object}/{id}", sub_ctx.base()),
            ));
        }
    }
    Ok(reply)
}

pub(super) fn run(world: &mut CrmWorld, ctx: &Ctx<'_>, body: Option<&Value>) -> SfResult {
    let (all_or_none, subs) = parse_subrequests(body)?;
    let before = world
        .orgs
        .get(ctx.org)
        .cloned()
        .ok_or_else(SfError::session)?;
    let mut answers: HashMap<String, Value> = HashMap::new();
    let mut results: Vec<Result<Reply, SfError>> = Vec::new();
    let mut failed = false;
    for sub in &subs {
        if all_or_none && failed {
            results.push(Err(rolled_back()));
            continue;
        }
        let outcome = substitute_text(&sub.url, &answers).and_then(|url| {
            let url = url.as_str().unwrap_or_default().to_string();
            let body = sub.body.map(|b| substitute(b, &answers)).transpose()?;
            run_one(world, ctx, sub, &url, body.as_ref())
        });
        match &outcome {
            Ok(reply) => {
                answers.insert(
                    sub.reference.clone(),
                    reply.body.clone().unwrap_or(Value::Null),
                );
            }
            Err(_) => failed = true,
        }
        results.push(outcome);
    }
    if all_or_none && failed {
        if let Some(org) = world.orgs.get_mut(ctx.org) {
            *org = before;
        }
        for r in &mut results {
            if r.is_ok() {
                *r = Err(rolled_back());
            }
        }
    }
    let answer: Vec<Value> = subs
        .iter()
        .zip(results)
        .map(|(sub, r)| {
            let (status, body, headers) = match r {
                Ok(reply) => (
                    reply.status,
                    reply.body.unwrap_or(Value::Null),
                    reply.headers,
                ),
                Err(e) => (e.status, e.body(), Vec::new()),
            };
            let headers: serde_json::Map<String, Value> = headers
                .into_iter()
                .map(|(k, v)| (k, Value::String(v)))
                .collect();
            json!({
                "body": body,
                "httpHeaders": headers,
                "httpStatusCode": status.as_u16(),
                "referenceId": sub.reference,
            })
        })
        .collect();
    Ok(Reply::ok(json!({ "compositeResponse": answer })))
}
