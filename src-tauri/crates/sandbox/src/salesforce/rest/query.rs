//! `/query?q=` and `/queryAll?q=` (which also returns records in the recycle bin), with
//! results in batches of the requested size (2,000 by default) and the rest behind
//! `nextRecordsUrl`. Records the caller may not read are filtered out. Query cursors are
//! kept in memory: at most ten per user (opening another closes the oldest) and each for 15
//! minutes after its last use, as Salesforce keeps them.

use chrono::{DateTime, Duration, Utc};
use rand::Rng;
use serde_json::{json, Value};

use super::error::SfError;
use super::soql::{self, parser};
use super::{user_record_access, Ctx, Reply, SfResult};
use crate::salesforce::access::record_access;
use crate::salesforce::schema::SObject;
use crate::salesforce::world::CrmWorld;

const MAX_CURSORS_PER_USER: usize = 10;
const CURSOR_MINUTES: i64 = 15;

struct Cursor {
    id: String,
    owner: String,
    version: String,
    records: Vec<Value>,
    batch: usize,
    last_used: DateTime<Utc>,
}

/// Open query cursors.
#[derive(Default)]
pub(crate) struct Cursors {
    open: Vec<Cursor>,
}

impl Cursors {
    fn prune(&mut self, now: DateTime<Utc>) {
        self.open
            .retain(|c| now - c.last_used < Duration::minutes(CURSOR_MINUTES));
    }

    fn open(&mut self, cursor: Cursor) {
        let owned = self.open.iter().filter(|c| c.owner == cursor.owner).count();
        if owned >= MAX_CURSORS_PER_USER {
            if let Some(oldest) = self
                .open
                .iter()
                .enumerate()
                .filter(|(_, c)| c.owner == cursor.owner)
                .min_by_key(|(_, c)| c.last_used)
                .map(|(i, _)| i)
            {
                self.open.remove(oldest);
            }
        }
        self.open.push(cursor);
    }
}

fn locator_id() -> String {
    const ALPHABET: &[u8] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
    let mut rng = rand::thread_rng();
    let body: String = (0..15)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("01g{body}")
}

/// The first batch of `records`; the rest stay behind a cursor.
pub(super) fn page(ctx: &Ctx<'_>, mut records: Vec<Value>) -> Reply {
    let total = records.len();
    if total <= ctx.batch_size {
        return Reply::ok(json!({ "totalSize": total, "done": true, "records": records }));
    }
    let rest = records.split_off(ctx.batch_size);
    let id = locator_id();
    let next = format!("{}/query/{id}-{}", ctx.base(), ctx.batch_size);
    let mut all = records.clone();
    all.extend(rest);
    let mut cursors = ctx
        .runtime
        .cursors
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cursors.prune(ctx.now);
    cursors.open(Cursor {
        id,
        owner: ctx.caller.clone(),
        version: ctx.version.clone(),
        records: all,
        batch: ctx.batch_size,
        last_used: ctx.now,
    });
    Reply::ok(json!({
        "totalSize": total,
        "done": false,
        "nextRecordsUrl": next,
        "records": records,
    }))
}

/// Run a query; `all` includes deleted records.
pub(super) fn run(world: &CrmWorld, ctx: &Ctx<'_>, text: Option<&str>, all: bool) -> SfResult {
    let text = text.filter(|t| !t.trim().is_empty()).ok_or_else(|| {
        SfError::bad_request("MALFORMED_QUERY", "A query string has to be specified")
    })?;
    let parsed = parser::parse(text).map_err(|e| e.into_sf(text))?;
    if parsed.from.eq_ignore_ascii_case("UserRecordAccess") {
        return user_record_access::run(world, ctx, &parsed);
    }
    let object = SObject::parse(&parsed.from).ok_or_else(|| {
        soql::SoqlError {
            code: "INVALID_TYPE",
            at: parsed.from_at,
            message: format!("sObject type '{}' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.", parsed.from),
        }
        .into_sf(text)
    })?;
    let org = world.orgs.get(ctx.org).ok_or_else(SfError::session)?;
    let zone = org.time_zone_of(&ctx.caller);
    let plan = soql::compile(&parsed, org.schema().object(object), zone, ctx.now)
        .map_err(|e| e.into_sf(text))?;
    let mut found: Vec<_> = org
        .records
        .values()
        .filter(|r| r.object == object && (all || r.deleted.is_none()))
        .filter(|r| record_access(org, &ctx.caller, r).read)
        .filter(|r| soql::matches(org, ctx, r, plan.filter.as_ref()))
        .collect();
    soql::sort(org, ctx, &plan, &mut found);
    let found: Vec<_> = found
        .into_iter()
        .skip(plan.offset)
        .take(plan.limit.unwrap_or(usize::MAX))
        .collect();
    if plan.count {
        return Ok(Reply::ok(
            json!({ "totalSize": found.len(), "done": true, "records": [] }),
        ));
    }
    let rendered = found
        .iter()
        .map(|r| soql::render(org, ctx, &plan, r))
        .collect();
    Ok(page(ctx, rendered))
}

/// The next batch behind a `nextRecordsUrl` (`01g...-2000`).
pub(super) fn more(ctx: &Ctx<'_>, locator: &str) -> SfResult {
    let invalid = || SfError::bad_request("INVALID_QUERY_LOCATOR", "invalid query locator");
    let (id, offset) = locator.split_once('-').ok_or_else(invalid)?;
    let offset: usize = offset.parse().map_err(|_| invalid())?;
    let mut cursors = ctx
        .runtime
        .cursors
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    cursors.prune(ctx.now);
    let cursor = cursors
        .open
        .iter_mut()
        .find(|c| c.id == id && c.owner == ctx.caller)
        .ok_or_else(invalid)?;
    if offset > cursor.records.len() {
        return Err(invalid());
    }
    cursor.last_used = ctx.now;
    let end = (offset + cursor.batch).min(cursor.records.len());
    let batch: Vec<Value> = cursor.records[offset..end].to_vec();
    let total = cursor.records.len();
    let mut body = json!({ "totalSize": total, "done": end >= total, "records": batch });
    if end < total {
        body["nextRecordsUrl"] = Value::String(format!(
            "/services/data/v{}/query/{id}-{end}",
            cursor.version
        ));
    }
    Ok(Reply::ok(body))
}
