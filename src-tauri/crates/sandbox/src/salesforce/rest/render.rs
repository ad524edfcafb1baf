//! A record as the REST API shows it: its fields (every field the org's object has, or those
//! asked for) with `attributes` naming its type and URL.

use serde_json::{json, Map, Value};

use super::error::SfError;
use super::Ctx;
use crate::salesforce::schema::{FieldDef, ObjectView, SObject};
use crate::salesforce::world::Record;

pub(crate) fn attributes(ctx: &Ctx<'_>, object: SObject, id: &str) -> Value {
    json!({
        "type": object.name(),
        "url": format!("{}/sobjects/{}/{id}", ctx.base(), object.name()),
    })
}

/// The record with `fields` (all that `object` has when `None`).
pub(crate) fn record(
    ctx: &Ctx<'_>,
    object: ObjectView,
    record: &Record,
    fields: Option<&[&FieldDef]>,
) -> Value {
    let mut map = Map::new();
    map.insert(
        "attributes".into(),
        attributes(ctx, record.object, record.id()),
    );
    let all: Vec<&FieldDef> = object.all_fields().collect();
    for f in fields.unwrap_or(&all) {
        map.insert(f.name.to_string(), record.get(f.name).clone());
    }
    Value::Object(map)
}

/// The fields a `fields=a,b` parameter names, each checked against the object.
pub(crate) fn field_list(
    object: ObjectView,
    list: &str,
) -> Result<Vec<&'static FieldDef>, SfError> {
    list.split(',')
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .map(|name| {
            object.field(name).ok_or_else(|| {
                SfError::bad_request(
                    "INVALID_FIELD",
                    format!(
                        "No such column '{name}' on entity '{}'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.",
                        object.name()
                    ),
                )
            })
        })
        .collect()
}
