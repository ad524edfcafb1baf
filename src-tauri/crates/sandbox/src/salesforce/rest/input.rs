//! A record body as sent to create or update: each member checked against the object's
//! fields (unknown, read-only, wrong type, too long, not in a restricted picklist, malformed
//! id) with Salesforce's error codes, and turned into the stored form.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::error::SfError;
use crate::salesforce::ids;
use crate::salesforce::schema::{FieldDef, Initial, Kind, ObjectView, SObject};
use crate::salesforce::values::{format_date, format_datetime, parse_date, parse_datetime};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Create,
    Update,
}

/// The body's fields by their canonical API names, in stored form. `attributes` is skipped,
/// as are the names in `skip` (an update's own `Id`).
pub(crate) fn parse(
    object: ObjectView,
    body: &Map<String, Value>,
    op: Op,
    skip: &[&str],
) -> Result<BTreeMap<String, Value>, SfError> {
    let mut out = BTreeMap::new();
    for (name, value) in body {
        if name == "attributes" || skip.iter().any(|s| s.eq_ignore_ascii_case(name)) {
            continue;
        }
        let field = object
            .field(name)
            .ok_or_else(|| SfError::invalid_field(name, object.name()))?;
        let writable = match op {
            Op::Create => field.create,
            Op::Update => field.update,
        };
        if !writable {
            return Err(SfError::record(
                "INVALID_FIELD_FOR_INSERT_UPDATE",
                format!("Unable to create/update fields: {}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.", field.name),
                &[field.name],
            ));
        }
        out.insert(field.name.to_string(), coerce(field, value)?);
    }
    Ok(out)
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "VALUE_NULL",
        Value::Bool(true) => "VALUE_TRUE",
        Value::Bool(false) => "VALUE_FALSE",
        Value::Number(n) if n.is_i64() || n.is_u64() => "VALUE_NUMBER_INT",
        Value::Number(_) => "VALUE_NUMBER_FLOAT",
        Value::String(_) => "VALUE_STRING",
        Value::Array(_) => "START_ARRAY",
        Value::Object(_) => "START_OBJECT",
    }
}

fn parse_error(field: &FieldDef, value: &Value) -> SfError {
    SfError::json(format!(
        "Cannot deserialize instance of {} from {} value {} or request may be missing a required field",
        field.kind.type_name(),
        kind_of(value),
        value
    ))
}

/// One value in stored form.
pub(crate) fn coerce(field: &FieldDef, value: &Value) -> Result<Value, SfError> {
    if value.is_null() {
        return Ok(match field.default {
            // A checkbox is never null; clearing it unchecks it.
            Some(Initial::Flag(_)) => Value::Bool(false),
            _ => Value::Null,
        });
    }
    match field.kind {
        Kind::Boolean => value
            .as_bool()
            .map(Value::Bool)
            .ok_or_else(|| parse_error(field, value)),
        Kind::Int => value
            .as_i64()
            .or_else(|| {
                value
                    .as_f64()
                    .filter(|f| f.fract() == 0.0)
                    .map(|f| f as i64)
            })
            .map(Value::from)
            .ok_or_else(|| parse_error(field, value)),
        Kind::Currency | Kind::Percent => value
            .as_f64()
            .map(Value::from)
            .ok_or_else(|| parse_error(field, value)),
        Kind::Date => value
            .as_str()
            .and_then(parse_date)
            .map(|d| Value::String(format_date(d)))
            .ok_or_else(|| parse_error(field, value)),
        Kind::DateTime => value
            .as_str()
            .and_then(parse_datetime)
            .map(|t| Value::String(format_datetime(t)))
            .ok_or_else(|| parse_error(field, value)),
        Kind::Id | Kind::Reference(_) => reference(field, value),
        Kind::Text(_)
        | Kind::TextArea(_)
        | Kind::Email
        | Kind::Phone
        | Kind::Url
        | Kind::Picklist(_)
        | Kind::Combobox(_) => text(field, value),
    }
}

fn text(field: &FieldDef, value: &Value) -> Result<Value, SfError> {
    let text = match value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Null | Value::Array(_) | Value::Object(_) => return Err(parse_error(field, value)),
    };
    let max = field.kind.length();
    if text.chars().count() > max {
        let shown: String = text.chars().take(40).collect();
        return Err(SfError::record(
            "STRING_TOO_LONG",
            format!(
                "{}: data value too large: {shown}... (max length={max})",
                field.label
            ),
            &[field.name],
        ));
    }
    if matches!(field.kind, Kind::Email) && !looks_like_email(&text) {
        return Err(SfError::record(
            "INVALID_EMAIL_ADDRESS",
            format!("{}: invalid email address: {text}", field.label),
            &[field.name],
        ));
    }
    if let Kind::Picklist(values) = field.kind {
        if field.restricted && !values.contains(&text.as_str()) {
            return Err(SfError::record(
                "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST",
                format!(
                    "{}: bad value for restricted picklist field: {text}",
                    field.label
                ),
                &[field.name],
            ));
        }
    }
    // An empty text is stored as null, as Salesforce does.
    Ok(if text.is_empty() {
        Value::Null
    } else {
        Value::String(text)
    })
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.contains(char::is_whitespace)
        }
        None => false,
    }
}

fn reference(field: &FieldDef, value: &Value) -> Result<Value, SfError> {
    let text = value.as_str().ok_or_else(|| parse_error(field, value))?;
    if text.is_empty() {
        return Ok(Value::Null);
    }
    let message = format!("{}: id value of incorrect type: {text}", field.label);
    let id = ids::normalize(text)
        .ok_or_else(|| SfError::record("MALFORMED_ID", message.clone(), &[field.name]))?;
    let fits = SObject::of_id(&id).is_some_and(|o| field.targets().contains(&o));
    if !fits {
        return Err(SfError::record(
            "FIELD_INTEGRITY_EXCEPTION",
            message,
            &[field.name],
        ));
    }
    Ok(Value::String(id))
}
