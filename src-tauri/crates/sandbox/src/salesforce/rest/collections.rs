//! sObject Collections under `/composite/sobjects`: create (POST), update (PATCH), delete
//! (DELETE `?ids=`), retrieve (`GET /{type}?ids=&fields=`) and upsert by external id
//! (`PATCH /{type}/{field}`), up to 200 records each, answered 200 with one SaveResult per
//! record in order. With `allOrNone` one failure rolls every record back. Each request counts
//! as one API call.

use axum::http::Method;
use serde_json::{json, Map, Value};

use super::error::SfError;
use super::records::{self, Missing};
use super::render::{self, field_list};
use super::{Ctx, Reply, SfResult};
use crate::salesforce::schema::SObject;
use crate::salesforce::world::{CrmOrg, CrmWorld};

/// "The list can contain up to 200 objects."
const MAX_RECORDS: usize = 200;

fn too_many() -> SfError {
    SfError::bad_request(
        "EXCEEDED_ID_LIMIT",
        "record limit reached. cannot submit more than 200 records into this call",
    )
}

struct Outcome {
    id: Option<String>,
    result: Result<Option<bool>, SfError>,
}

fn save_result(outcome: &Outcome) -> Value {
    let mut v = match &outcome.result {
        Ok(_) => json!({ "success": true, "errors": [] }),
        Err(e) => json!({ "success": false, "errors": [e.save_result_entry()] }),
    };
    if let Some(id) = &outcome.id {
        v["id"] = Value::String(id.clone());
    }
    if let Ok(Some(created)) = outcome.result {
        v["created"] = Value::Bool(created);
    }
    v
}

/// Roll back when `all_or_none` and anything failed: the org as it was, and every success
/// turned into `ALL_OR_NONE_OPERATION_ROLLED_BACK`. Whether it rolled back.
/// `before` is the org as it was, kept only with `all_or_none` (copying a whole org for every
/// call would make large orgs slow for nothing).
fn settle(org: &mut CrmOrg, before: Option<CrmOrg>, outcomes: &mut [Outcome]) -> bool {
    let Some(before) = before else {
        return false;
    };
    if outcomes.iter().all(|o| o.result.is_ok()) {
        return false;
    }
    *org = before;
    for o in outcomes.iter_mut().filter(|o| o.result.is_ok()) {
        o.result = Err(SfError::record(
            "ALL_OR_NONE_OPERATION_ROLLED_BACK",
            "Record rolled back because not all records were valid and the request was using AllOrNone header",
            &[],
        ));
    }
    true
}

fn records_of(body: Option<&Value>) -> Result<(bool, &Vec<Value>), SfError> {
    let body = body
        .and_then(Value::as_object)
        .ok_or_else(|| SfError::json("The request body must be an object with 'records'."))?;
    let all_or_none = body
        .get("allOrNone")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let records = body
        .get("records")
        .and_then(Value::as_array)
        .ok_or_else(|| SfError::json("The request body must contain a 'records' array."))?;
    if records.len() > MAX_RECORDS {
        return Err(too_many());
    }
    Ok((all_or_none, records))
}

/// A record's type from its `attributes`.
fn typed(record: &Value) -> Result<(SObject, &Map<String, Value>), SfError> {
    let map = record
        .as_object()
        .ok_or_else(|| SfError::json("Each record must be a JSON object."))?;
    let name = map
        .get("attributes")
        .and_then(|a| a.get("type"))
        .and_then(Value::as_str)
        .ok_or_else(|| {
            SfError::bad_request(
                "INVALID_FIELD",
                "Each record must contain an attributes map with a type.",
            )
        })?;
    let object = SObject::parse(name).ok_or_else(|| {
        SfError::bad_request(
            "INVALID_TYPE",
            format!("sObject type '{name}' is not supported."),
        )
    })?;
    Ok((object, map))
}

fn param<'p>(params: &'p [(String, String)], name: &str) -> Option<&'p str> {
    params
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

fn id_list(text: Option<&str>) -> Result<Vec<String>, SfError> {
    let ids: Vec<String> = text
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect();
    if ids.is_empty() {
        return Err(SfError::bad_request(
            "MISSING_ARGUMENT",
            "ids parameter is required",
        ));
    }
    if ids.len() > MAX_RECORDS {
        return Err(too_many());
    }
    Ok(ids)
}

pub(super) fn route(
    world: &mut CrmWorld,
    ctx: &Ctx<'_>,
    method: &Method,
    segments: &[String],
    params: &[(String, String)],
    body: Option<&Value>,
) -> SfResult {
    let org = world.orgs.get_mut(ctx.org).ok_or_else(SfError::session)?;
    let names: Vec<&str> = segments.iter().map(String::as_str).collect();
    match (names.as_slice(), method) {
        ([], &Method::POST) => write(org, ctx, body, |org, ctx, object, map| {
            records::create(org, ctx, object, map).map(|id| (id, None))
        }),
        ([], &Method::PATCH) => write(org, ctx, body, |org, ctx, object, map| {
            let id = map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("id"))
                .and_then(|(_, v)| v.as_str())
                .ok_or_else(|| {
                    SfError::record(
                        "MISSING_ARGUMENT",
                        "Id not specified in an update call",
                        &[],
                    )
                })?;
            records::update(org, ctx, Some(object), id, map, &["id"], Missing::Id)
                .map(|id| (id, None))
        }),
        ([], &Method::DELETE) => {
            let ids = id_list(param(params, "ids"))?;
            let all_or_none =
                param(params, "allOrNone").is_some_and(|v| v.eq_ignore_ascii_case("true"));
            let before = all_or_none.then(|| org.clone());
            let mut outcomes: Vec<Outcome> = ids
                .iter()
                .map(|text| {
                    let result = records::delete(org, ctx, None, text, Missing::Id);
                    Outcome {
                        id: Some(result.as_ref().map_or_else(|_| text.clone(), Clone::clone)),
                        result: result.map(|_| None),
                    }
                })
                .collect();
            settle(org, before, &mut outcomes);
            Ok(Reply::ok(outcomes.iter().map(save_result).collect()))
        }
        ([name], &Method::GET | &Method::POST) => {
            let object = SObject::parse(name).ok_or_else(SfError::not_found)?;
            let (ids, fields) = if *method == Method::GET {
                (
                    id_list(param(params, "ids"))?,
                    param(params, "fields").map(str::to_string),
                )
            } else {
                let b = body
                    .and_then(Value::as_object)
                    .ok_or_else(|| SfError::json("ids and fields are required"))?;
                let list = |k: &str| {
                    b.get(k).and_then(Value::as_array).map(|a| {
                        a.iter()
                            .filter_map(Value::as_str)
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                };
                (id_list(list("ids").as_deref())?, list("fields"))
            };
            let fields = fields.ok_or_else(|| {
                SfError::bad_request("MISSING_ARGUMENT", "fields parameter is required")
            })?;
            let view = org.schema().object(object);
            let fields = field_list(view, &fields)?;
            let found: Vec<Value> = ids
                .iter()
                .map(|id| {
                    records::locate(org, ctx, Some(object), id, Missing::Id)
                        .map_or(Value::Null, |r| render::record(ctx, view, r, Some(&fields)))
                })
                .collect();
            Ok(Reply::ok(Value::Array(found)))
        }
        ([name, field], &Method::PATCH) => {
            let object = SObject::parse(name).ok_or_else(SfError::not_found)?;
            // Assumption: the field in the URL is checked once for the request, as sObject
            // Rows by External ID checks it, rather than for each record.
            records::external_id_field(org, object, field)?;
            let field = field.to_string();
            write(org, ctx, body, move |org, ctx, kind, map| {
                if kind != object {
                    return Err(SfError::record(
                        "INVALID_TYPE",
                        "records must all be of the type in the URL",
                        &[],
                    ));
                }
                let value = map
                    .iter()
                    .find(|(k, _)| k.eq_ignore_ascii_case(&field))
                    .and_then(|(_, v)| v.as_str())
                    .ok_or_else(|| {
                        SfError::record("MISSING_ARGUMENT", format!("{field} not specified"), &[])
                    })?
                    .to_string();
                records::upsert(org, ctx, object, &field, &value, map).map(|(id, c)| (id, Some(c)))
            })
        }
        (_, _) => Err(SfError::not_found()),
    }
}

/// Apply `each` to every record of the body in order, then settle `allOrNone`.
fn write(
    org: &mut CrmOrg,
    ctx: &Ctx<'_>,
    body: Option<&Value>,
    mut each: impl FnMut(
        &mut CrmOrg,
        &Ctx<'_>,
        SObject,
        &Map<String, Value>,
    ) -> Result<(String, Option<bool>), SfError>,
) -> SfResult {
    let (all_or_none, records) = records_of(body)?;
    let typed: Vec<(SObject, &Map<String, Value>)> =
        records.iter().map(typed).collect::<Result<_, _>>()?;
    let before = all_or_none.then(|| org.clone());
    let mut outcomes: Vec<Outcome> = typed
        .into_iter()
        .map(|(object, map)| {
            let given_id = map
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case("id"))
                .and_then(|(_, v)| v.as_str())
                .map(str::to_string);
            match each(org, ctx, object, map) {
                Ok((id, created)) => Outcome {
                    id: Some(id),
                    result: Ok(created),
                },
                Err(e) => Outcome {
                    id: given_id,
                    result: Err(e),
                },
            }
        })
        .collect();
    let created: Vec<bool> = match &before {
        Some(before) => outcomes
            .iter()
            .map(|o| {
                o.id.as_deref()
                    .is_some_and(|id| !before.records.contains_key(id))
            })
            .collect(),
        None => Vec::new(),
    };
    if settle(org, before, &mut outcomes) {
        // Assumption: a record created and then rolled back never existed, so its result
        // names no id.
        for (o, new) in outcomes.iter_mut().zip(created) {
            if new {
                o.id = None;
            }
        }
    }
    Ok(Reply::ok(outcomes.iter().map(save_result).collect()))
}
