//! Parameterized Search (`GET /parameterizedSearch/?q=&sobject=&{type}.fields=&{type}.limit=`
//! and the POST JSON form with `sobjects`, `fields`, `in`, `overallLimit`, `defaultLimit` and
//! a per-object `where`) over contacts, leads, accounts, opportunities and cases the caller may
//! read. Answers `{"searchRecords": [...]}` with `Id` unless fields are named.
//!
//! Assumption: each word of `q` must match a word of the searched fields (a trailing `*`
//! matches a prefix), or a whole field value such as an e-mail address, case aside; SOSL's
//! operators, phrases and stemming are left out.

use serde_json::{json, Value};

use super::error::SfError;
use super::soql::{self, parser};
use super::{Ctx, Reply, SfResult};
use crate::salesforce::access::record_access;
use crate::salesforce::schema::{FieldDef, Kind, SObject};
use crate::salesforce::world::{CrmOrg, CrmWorld, Record};

const SEARCHABLE: [SObject; 5] = [
    SObject::Contact,
    SObject::Lead,
    SObject::Account,
    SObject::Opportunity,
    SObject::Case,
];
const OVERALL_LIMIT: usize = 2000;

/// One object to search and how.
struct Target {
    object: SObject,
    /// The fields to answer with, as a query over the object would select them (relationship
    /// fields such as `Account.Name` included, as SOSL's `RETURNING` allows).
    fields: soql::Plan,
    limit: Option<usize>,
    filter: Option<soql::Filter>,
}

#[derive(Clone, Copy)]
enum Scope {
    All,
    Name,
    Email,
    Phone,
}

fn scope(text: Option<&str>) -> Result<Scope, SfError> {
    match text.map(str::to_ascii_uppercase).as_deref() {
        None | Some("ALL") => Ok(Scope::All),
        Some("NAME") => Ok(Scope::Name),
        Some("EMAIL") => Ok(Scope::Email),
        Some("PHONE") => Ok(Scope::Phone),
        Some(other) => Err(SfError::bad_request(
            "INVALID_SEARCH",
            format!("Invalid search scope: {other}"),
        )),
    }
}

fn searched(field: &FieldDef, scope: Scope) -> bool {
    match scope {
        Scope::All => field.kind.is_searchable_text() && field.name != "Description",
        Scope::Name => field.name_field || matches!(field.name, "FirstName" | "LastName"),
        Scope::Email => matches!(field.kind, Kind::Email),
        Scope::Phone => matches!(field.kind, Kind::Phone),
    }
}

fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
}

fn term_matches(term: &str, value: &str) -> bool {
    let value_lower = value.to_lowercase();
    if value_lower == term {
        return true;
    }
    match term.strip_suffix('*') {
        Some(prefix) => words(value).any(|w| w.starts_with(prefix)),
        None => words(value).any(|w| w == term),
    }
}

fn record_matches(org: &CrmOrg, record: &Record, terms: &[String], scope: Scope) -> bool {
    let values: Vec<&str> = org
        .schema()
        .object(record.object)
        .all_fields()
        .filter(|f| searched(f, scope))
        .filter_map(|f| record.text(f.name))
        .collect();
    terms
        .iter()
        .all(|t| values.iter().any(|v| term_matches(t, v)))
}

fn terms(q: Option<&str>) -> Result<Vec<String>, SfError> {
    let q = q.unwrap_or_default();
    let terms: Vec<String> = q
        .split_whitespace()
        .map(|t| t.trim_matches('"').to_lowercase())
        .filter(|t| !t.is_empty())
        .collect();
    let meaningful: usize = terms
        .iter()
        .map(|t| t.trim_end_matches('*').chars().count())
        .max()
        .unwrap_or(0);
    if meaningful < 2 {
        return Err(SfError::bad_request(
            "INVALID_SEARCH",
            "search term must be longer than one character",
        ));
    }
    Ok(terms)
}

fn object_of(name: &str) -> Result<SObject, SfError> {
    SObject::parse(name)
        .filter(|o| SEARCHABLE.contains(o))
        .ok_or_else(|| {
            SfError::bad_request(
                "INVALID_TYPE",
                format!("sObject type '{name}' is not supported."),
            )
        })
}

fn condition(
    org: &CrmOrg,
    ctx: &Ctx<'_>,
    object: SObject,
    text: &str,
) -> Result<soql::Filter, SfError> {
    let cond = parser::parse_condition(text).map_err(|e| e.into_sf(text))?;
    let object = org.schema().object(object);
    soql::compile_condition(&cond, object, org.time_zone_of(&ctx.caller), ctx.now)
        .map_err(|e| e.into_sf(text))
}

fn search(
    world: &CrmWorld,
    ctx: &Ctx<'_>,
    terms: &[String],
    scope: Scope,
    targets: Vec<Target>,
    overall: usize,
) -> SfResult {
    let org = world.orgs.get(ctx.org).ok_or_else(SfError::session)?;
    let mut out = Vec::new();
    for target in targets {
        let mut found: Vec<&Record> = org
            .records
            .values()
            .filter(|r| r.object == target.object && r.deleted.is_none())
            .filter(|r| record_matches(org, r, terms, scope))
            .filter(|r| record_access(org, &ctx.caller, r).read)
            .filter(|r| soql::matches(org, ctx, r, target.filter.as_ref()))
            .collect();
        let name = org
            .schema()
            .object(target.object)
            .name_field()
            .map_or("Id", |f| f.name);
        found.sort_by_key(|r| r.text(name).unwrap_or_default().to_lowercase());
        out.extend(
            found
                .into_iter()
                .take(target.limit.unwrap_or(usize::MAX))
                .map(|r| soql::render(org, ctx, &target.fields, r)),
        );
    }
    out.truncate(overall);
    Ok(Reply::ok(json!({ "searchRecords": out })))
}

/// The fields named in `list` (comma-separated; `Id` when none) of `object`, checked and
/// resolved as a query's would be.
fn fields_of(
    org: &CrmOrg,
    ctx: &Ctx<'_>,
    object: SObject,
    list: Option<&str>,
) -> Result<soql::Plan, SfError> {
    let list = list.filter(|l| !l.trim().is_empty()).unwrap_or("Id");
    let text = format!("SELECT {list} FROM {}", object.name());
    let parsed = parser::parse(&text).map_err(|e| e.into_sf(&text))?;
    let zone = org.time_zone_of(&ctx.caller);
    soql::compile(&parsed, org.schema().object(object), zone, ctx.now).map_err(|e| e.into_sf(&text))
}

pub(super) fn get(world: &CrmWorld, ctx: &Ctx<'_>, params: &[(String, String)]) -> SfResult {
    let param = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    };
    let terms = terms(param("q"))?;
    let scope = scope(param("in"))?;
    let org = world.orgs.get(ctx.org).ok_or_else(SfError::session)?;
    let default_limit = param("defaultLimit").and_then(|v| v.parse().ok());
    let named: Vec<SObject> = params
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("sobject"))
        .map(|(_, v)| object_of(v))
        .collect::<Result<_, _>>()?;
    let objects = if named.is_empty() {
        SEARCHABLE.to_vec()
    } else {
        named
    };
    let mut targets = Vec::new();
    for object in objects {
        let prefixed = |what: &str| param(&format!("{}.{what}", object.name()));
        let fields = fields_of(
            org,
            ctx,
            object,
            prefixed("fields").or_else(|| param("fields")),
        )?;
        let filter = prefixed("where")
            .map(|w| condition(org, ctx, object, w))
            .transpose()?;
        targets.push(Target {
            object,
            fields,
            limit: prefixed("limit")
                .and_then(|v| v.parse().ok())
                .or(default_limit),
            filter,
        });
    }
    let overall = param("overallLimit")
        .and_then(|v| v.parse().ok())
        .unwrap_or(OVERALL_LIMIT);
    search(world, ctx, &terms, scope, targets, overall)
}

pub(super) fn post(world: &CrmWorld, ctx: &Ctx<'_>, body: Option<&Value>) -> SfResult {
    let body = body
        .and_then(Value::as_object)
        .ok_or_else(|| SfError::json("The request body must be a JSON object with q."))?;
    let text = |v: Option<&Value>| v.and_then(Value::as_str).map(str::to_string);
    let list = |v: Option<&Value>| {
        v.and_then(Value::as_array).map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join(",")
        })
    };
    let terms = terms(text(body.get("q")).as_deref())?;
    let scope = scope(text(body.get("in")).as_deref())?;
    let org = world.orgs.get(ctx.org).ok_or_else(SfError::session)?;
    let default_limit = body
        .get("defaultLimit")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok());
    let common_fields = list(body.get("fields"));
    let specs: Vec<Value> = match body.get("sobjects").and_then(Value::as_array) {
        Some(specs) => specs.clone(),
        None => SEARCHABLE
            .iter()
            .map(|o| json!({ "name": o.name() }))
            .collect(),
    };
    let mut targets = Vec::new();
    for spec in &specs {
        let name = text(spec.get("name")).unwrap_or_default();
        let object = object_of(&name)?;
        let fields = fields_of(
            org,
            ctx,
            object,
            list(spec.get("fields"))
                .or_else(|| common_fields.clone())
                .as_deref(),
        )?;
        let filter = text(spec.get("where"))
            .map(|w| condition(org, ctx, object, &w))
            .transpose()?;
        let limit = spec
            .get("limit")
            .and_then(Value::as_u64)
            .and_then(|n| usize::try_from(n).ok())
            .or(default_limit);
        targets.push(Target {
            object,
            fields,
            limit,
            filter,
        });
    }
    let overall = body
        .get("overallLimit")
        .and_then(Value::as_u64)
        .and_then(|n| usize::try_from(n).ok())
        .unwrap_or(OVERALL_LIMIT);
    search(world, ctx, &terms, scope, targets, overall)
}
