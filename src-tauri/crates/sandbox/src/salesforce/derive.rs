//! Fields Salesforce computes on save: a person's `Name` from its parts, an opportunity's
//! `IsClosed` and `IsWon` from its stage, a case's `IsClosed` and `ClosedDate` from its status,
//! and an event's `AccountId` from what it is related to (the What's account, else the
//! contact's).

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::Value;

use super::schema::SObject;
use super::values::format_datetime;
use super::world::CrmOrg;

/// Fill the computed fields of a record of `object` about to be saved at `now`.
pub(crate) fn complete(
    org: &CrmOrg,
    object: SObject,
    fields: &mut BTreeMap<String, Value>,
    now: DateTime<Utc>,
) {
    let text = |fields: &BTreeMap<String, Value>, name: &str| {
        fields.get(name).and_then(Value::as_str).map(str::to_string)
    };
    match object {
        SObject::Contact | SObject::Lead | SObject::User => {
            let name: Vec<String> = ["FirstName", "LastName"]
                .iter()
                .filter_map(|f| text(fields, f))
                .collect();
            fields.insert("Name".into(), Value::String(name.join(" ")));
        }
        SObject::Opportunity => {
            let stage = text(fields, "StageName").unwrap_or_default();
            let closed = stage.starts_with("Closed");
            fields.insert("IsClosed".into(), Value::Bool(closed));
            fields.insert("IsWon".into(), Value::Bool(stage == "Closed Won"));
        }
        SObject::Case => {
            let closed = text(fields, "Status").as_deref() == Some("Closed");
            fields.insert("IsClosed".into(), Value::Bool(closed));
            let closed_date = match (closed, text(fields, "ClosedDate")) {
                (true, Some(d)) => Value::String(d),
                (true, None) => Value::String(format_datetime(now)),
                (false, _) => Value::Null,
            };
            fields.insert("ClosedDate".into(), closed_date);
        }
        SObject::Event => {
            let account = event_account(org, fields);
            fields.insert(
                "AccountId".into(),
                account.map_or(Value::Null, Value::String),
            );
        }
        SObject::Account
        | SObject::UserRole
        | SObject::Organization
        | SObject::PermissionSet
        | SObject::PermissionSetAssignment => {}
    }
}

fn event_account(org: &CrmOrg, fields: &BTreeMap<String, Value>) -> Option<String> {
    let related = |name: &str| {
        fields
            .get(name)
            .and_then(Value::as_str)
            .and_then(|id| org.records.get(id))
    };
    let contact_account = || {
        related("WhoId")
            .filter(|who| who.object == SObject::Contact)
            .and_then(|who| who.text("AccountId").map(str::to_string))
    };
    // The Event reference lists the What objects whose account is taken (Account,
    // Opportunity, Contract); for any other What, or none, the contact's account is.
    match related("WhatId") {
        Some(what) if what.object == SObject::Account => Some(what.id().to_string()),
        Some(what) if what.object == SObject::Opportunity => {
            what.text("AccountId").map(str::to_string)
        }
        Some(_) | None => contact_account(),
    }
}
