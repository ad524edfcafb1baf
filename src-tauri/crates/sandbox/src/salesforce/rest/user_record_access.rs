//! `SELECT RecordId, HasReadAccess, HasEditAccess, HasDeleteAccess, HasTransferAccess,
//! HasAllAccess, MaxAccessLevel FROM UserRecordAccess WHERE UserId = '...' AND RecordId IN
//! (...)`: a user's access to up to 200 records, from the same rules every call enforces.
//! Records the running user cannot read are left out, as the Object Reference documents.

use serde_json::{Map, Value};

use super::error::SfError;
use super::soql::parser::{Cond, Literal, Op, Query, Select};
use super::{query, Ctx, SfResult};
use crate::salesforce::access::record_access;
use crate::salesforce::ids;
use crate::salesforce::world::CrmWorld;

/// "You can query up to 200 record IDs."
const MAX_IDS: usize = 200;

const FIELDS: &[&str] = &[
    "Id",
    "UserId",
    "RecordId",
    "HasReadAccess",
    "HasEditAccess",
    "HasDeleteAccess",
    "HasTransferAccess",
    "HasAllAccess",
    "MaxAccessLevel",
];

fn malformed(message: &str) -> SfError {
    SfError::bad_request("MALFORMED_QUERY", message)
}

fn text_value(literal: &Literal) -> Option<&str> {
    match literal {
        Literal::Str(s) => Some(s),
        _ => None,
    }
}

/// The `UserId` and record ids a filter names, if it has the one shape this object allows.
fn filter_ids(cond: Option<&Cond>) -> Option<(String, Vec<String>)> {
    let Some(Cond::And(terms)) = cond else {
        return None;
    };
    let mut user = None;
    let mut records = None;
    for term in terms {
        match term {
            Cond::Compare {
                path,
                op: Op::Eq,
                value,
            } if path.text().eq_ignore_ascii_case("UserId") => {
                user = Some(text_value(&value.literal)?.to_string());
            }
            Cond::Compare {
                path,
                op: Op::Eq,
                value,
            } if path.text().eq_ignore_ascii_case("RecordId") => {
                records = Some(vec![text_value(&value.literal)?.to_string()]);
            }
            Cond::In {
                path,
                negated: false,
                values,
            } if path.text().eq_ignore_ascii_case("RecordId") => {
                let ids: Option<Vec<String>> = values
                    .iter()
                    .map(|v| text_value(&v.literal).map(str::to_string))
                    .collect();
                records = Some(ids?);
            }
            _ => return None,
        }
    }
    Some((user?, records?))
}

pub(super) fn run(world: &CrmWorld, ctx: &Ctx<'_>, parsed: &Query) -> SfResult {
    let org = world.orgs.get(ctx.org).ok_or_else(SfError::session)?;
    let Select::Fields(paths) = &parsed.select else {
        return Err(malformed("UserRecordAccess does not support COUNT()"));
    };
    let mut fields = Vec::new();
    for path in paths {
        let name = FIELDS
            .iter()
            .find(|f| f.eq_ignore_ascii_case(&path.text()))
            .ok_or_else(|| {
                SfError::bad_request(
                    "INVALID_FIELD",
                    format!(
                        "No such column '{}' on entity 'UserRecordAccess'.",
                        path.text()
                    ),
                )
            })?;
        fields.push(*name);
    }
    // Assumption: the wording of the refusals; the reference gives the one query shape and
    // the 200-id limit, not the errors.
    let (user, record_ids) = filter_ids(parsed.filter.as_ref()).ok_or_else(|| {
        malformed("UserRecordAccess can only be queried with WHERE UserId = '<user id>' AND RecordId = '<id>' or RecordId IN ('<id>', ...)")
    })?;
    if record_ids.len() > MAX_IDS {
        return Err(malformed(&format!(
            "UserRecordAccess can be queried for at most {MAX_IDS} record ids"
        )));
    }
    let invalid = |v: &str| {
        SfError::bad_request(
            "INVALID_QUERY_FILTER_OPERATOR",
            format!("invalid ID field: {v}"),
        )
    };
    let user = ids::normalize(&user).ok_or_else(|| invalid(&user))?;
    let mut rows = Vec::new();
    for text in &record_ids {
        let id = ids::normalize(text).ok_or_else(|| invalid(text))?;
        let Some(record) = org.live(&id) else {
            continue;
        };
        if !record_access(org, &ctx.caller, record).read {
            continue;
        }
        let access = record_access(org, &user, record);
        let mut row = Map::new();
        row.insert(
            "attributes".into(),
            serde_json::json!({"type": "UserRecordAccess"}),
        );
        for f in &fields {
            let v = match *f {
                // Assumption: the row's own id; the reference does not say what it holds.
                "Id" => Value::String(format!("000{}", &id[3..])),
                "UserId" => Value::String(user.clone()),
                "RecordId" => Value::String(id.clone()),
                "HasReadAccess" => Value::Bool(access.read),
                "HasEditAccess" => Value::Bool(access.edit),
                "HasDeleteAccess" => Value::Bool(access.delete),
                "HasTransferAccess" => Value::Bool(access.transfer),
                "HasAllAccess" => Value::Bool(access.all),
                _ => Value::String(access.max_level().to_string()),
            };
            row.insert((*f).to_string(), v);
        }
        rows.push(Value::Object(row));
    }
    for order in parsed.order.iter().rev() {
        let text = order.path.text();
        let key = FIELDS
            .iter()
            .find(|f| f.eq_ignore_ascii_case(&text))
            .copied()
            .unwrap_or_default();
        rows.sort_by(|a, b| {
            let o = a[key].to_string().cmp(&b[key].to_string());
            if order.descending {
                o.reverse()
            } else {
                o
            }
        });
    }
    if let Some(limit) = parsed.limit {
        rows.truncate(limit);
    }
    Ok(query::page(ctx, rows))
}
