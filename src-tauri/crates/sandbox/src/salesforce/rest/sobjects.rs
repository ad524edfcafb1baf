//! `/sobjects`: the global describe, an object's basic information and describe, Get
//! Updated and Get Deleted, sObject Rows (`GET|PATCH|DELETE /sobjects/{type}/{id}`, create
//! with `POST /sobjects/{type}`), and sObject Rows by External ID (read, upsert, delete).

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};

use super::error::SfError;
use super::records::{self, Missing};
use super::render::{self, field_list};
use super::{describe, replication, Ctx, Reply, SfResult};
use crate::salesforce::schema::SObject;
use crate::salesforce::world::CrmWorld;

/// The save result of a single record: `{"id","success","errors"}`.
pub(crate) fn saved(id: &str) -> Value {
    json!({ "id": id, "success": true, "errors": [] })
}

fn body_object(body: Option<&Value>) -> Result<&serde_json::Map<String, Value>, SfError> {
    body.and_then(Value::as_object).ok_or_else(|| {
        SfError::json("The request body must be a JSON object of the record's fields.")
    })
}

pub(super) fn route(
    world: &mut CrmWorld,
    ctx: &Ctx<'_>,
    method: &Method,
    segments: &[String],
    params: &[(String, String)],
    body: Option<&Value>,
) -> SfResult {
    let Some((name, rest)) = segments.split_first() else {
        return match *method {
            Method::GET => Ok(Reply::ok(describe::global(ctx))),
            _ => Err(SfError::method(method.as_str(), "GET")),
        };
    };
    let object = SObject::parse(name).ok_or_else(SfError::not_found)?;
    let org = world.orgs.get_mut(ctx.org).ok_or_else(SfError::session)?;
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    let rest: Vec<&str> = rest.iter().map(String::as_str).collect();
    match (rest.as_slice(), method) {
        ([], &Method::GET) => Ok(Reply::ok(describe::basic(ctx, object))),
        ([], &Method::POST) => {
            let id = records::create(org, ctx, object, body_object(body)?)?;
            Ok(Reply::created(saved(&id)))
        }
        ([], _) => Err(SfError::method(method.as_str(), "GET,POST")),
        (["describe"], &Method::GET) => Ok(Reply::ok(describe::object(
            ctx,
            org.schema().object(object),
        ))),
        (["updated"], &Method::GET) => {
            replication::updated(org, ctx, object, param("start"), param("end"))
        }
        (["deleted"], &Method::GET) => {
            replication::deleted(org, ctx, object, param("start"), param("end"))
        }
        (["describe" | "updated" | "deleted"], _) => Err(SfError::method(method.as_str(), "GET")),
        ([id], &Method::GET) => {
            let view = org.schema().object(object);
            let record = records::locate(org, ctx, Some(object), id, Missing::Path)?;
            let fields = param("fields").map(|l| field_list(view, l)).transpose()?;
            Ok(Reply::ok(render::record(
                ctx,
                view,
                record,
                fields.as_deref(),
            )))
        }
        ([id], &Method::PATCH) => {
            records::update(
                org,
                ctx,
                Some(object),
                id,
                body_object(body)?,
                &[],
                Missing::Path,
            )?;
            Ok(Reply::no_content())
        }
        ([id], &Method::DELETE) => {
            records::delete(org, ctx, Some(object), id, Missing::Path)?;
            Ok(Reply::no_content())
        }
        ([_], _) => Err(SfError::method(method.as_str(), "GET,PATCH,DELETE")),
        ([field, value], &Method::GET) => {
            let view = org.schema().object(object);
            let record = records::by_external_id(org, object, field, value)?
                .filter(|r| crate::salesforce::access::record_access(org, &ctx.caller, r).read)
                .ok_or_else(SfError::not_found)?;
            let fields = param("fields").map(|l| field_list(view, l)).transpose()?;
            Ok(Reply::ok(render::record(
                ctx,
                view,
                record,
                fields.as_deref(),
            )))
        }
        ([field, value], &Method::PATCH) => {
            let (id, created) =
                records::upsert(org, ctx, object, field, value, body_object(body)?)?;
            let mut result = saved(&id);
            result["created"] = Value::Bool(created);
            let modern = ctx
                .version
                .split('.')
                .next()
                .and_then(|v| v.parse::<u32>().ok())
                >= Some(46);
            Ok(match (created, modern) {
                (true, _) => Reply::created(result),
                // Before v46.0 an upsert that updated answered 204 with no body.
                (false, false) => Reply::no_content(),
                (false, true) => Reply {
                    status: StatusCode::OK,
                    ..Reply::ok(result)
                },
            })
        }
        ([field, value], &Method::DELETE) => {
            let id = records::by_external_id(org, object, field, value)?
                .map(|r| r.id().to_string())
                .ok_or_else(SfError::not_found)?;
            records::delete(org, ctx, Some(object), &id, Missing::Path)?;
            Ok(Reply::no_content())
        }
        (_, _) => Err(SfError::not_found()),
    }
}
