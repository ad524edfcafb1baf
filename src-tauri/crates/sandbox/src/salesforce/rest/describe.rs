//! Describe: the global list of objects, an object's basic information, and the full describe
//! with every field the org has, each with its type, length and properties (Event's
//! `Onbehalf_Exchange_Id__c` external id where Onbehalf's CRM package is installed).

use serde_json::{json, Value};

use super::Ctx;
use crate::salesforce::schema::{FieldDef, Kind, ObjectDef, ObjectView, SObject};

fn urls(ctx: &Ctx<'_>, def: &ObjectDef) -> Value {
    let base = format!("{}/sobjects/{}", ctx.base(), def.name);
    json!({
        "sobject": base,
        "describe": format!("{base}/describe"),
        "rowTemplate": format!("{base}/{{ID}}"),
    })
}

fn summary(ctx: &Ctx<'_>, def: &ObjectDef) -> Value {
    json!({
        "name": def.name,
        "label": def.label,
        "labelPlural": def.plural,
        "keyPrefix": def.prefix,
        "custom": false,
        "createable": def.writable,
        "updateable": def.writable,
        "deletable": def.writable,
        "undeletable": def.writable,
        "queryable": true,
        "retrieveable": true,
        "searchable": def.writable,
        "replicateable": true,
        "layoutable": true,
        "triggerable": true,
        "urls": urls(ctx, def),
    })
}

/// `GET /sobjects`
pub(super) fn global(ctx: &Ctx<'_>) -> Value {
    json!({
        "encoding": "UTF-8",
        "maxBatchSize": 200,
        "sobjects": SObject::ALL.iter().map(|o| summary(ctx, o.def())).collect::<Vec<_>>(),
    })
}

/// `GET /sobjects/{type}`
pub(super) fn basic(ctx: &Ctx<'_>, object: SObject) -> Value {
    json!({
        "objectDescribe": summary(ctx, object.def()),
        "recentItems": [],
    })
}

fn picklist(values: &[&str], default: Option<&str>) -> Value {
    values
        .iter()
        .map(|v| {
            json!({
                "active": true,
                "defaultValue": Some(*v) == default,
                "label": v,
                "validFor": null,
                "value": v,
            })
        })
        .collect()
}

fn field(def: &FieldDef) -> Value {
    let default_text = match def.default {
        Some(crate::salesforce::schema::Initial::Text(t)) => Some(t),
        _ => None,
    };
    let values = match def.kind {
        Kind::Picklist(v) | Kind::Combobox(v) => picklist(v, default_text),
        _ => json!([]),
    };
    let (precision, scale, digits) = match def.kind {
        Kind::Currency => (18, 2, 0),
        Kind::Percent => (3, 0, 0),
        Kind::Int => (0, 0, 9),
        _ => (0, 0, 0),
    };
    let length = match def.kind {
        Kind::Id | Kind::Reference(_) => 18,
        k => k.length(),
    };
    json!({
        "name": def.name,
        "label": def.label,
        "type": def.kind.type_name(),
        "soapType": def.kind.soap_type(),
        "length": length,
        "byteLength": length * 3,
        "precision": precision,
        "scale": scale,
        "digits": digits,
        "nillable": def.nillable,
        "createable": def.create,
        "updateable": def.update,
        "defaultedOnCreate": def.default.is_some() || def.name == "OwnerId" || !def.create,
        "defaultValue": match def.default {
            Some(crate::salesforce::schema::Initial::Flag(b)) => json!(b),
            Some(crate::salesforce::schema::Initial::Text(t)) => json!(t),
            None => Value::Null,
        },
        "filterable": def.filterable(),
        "sortable": def.filterable(),
        "groupable": def.filterable() && !matches!(def.kind, Kind::DateTime | Kind::Currency | Kind::Percent),
        "aggregatable": def.filterable(),
        "externalId": def.external_id,
        "idLookup": def.external_id || def.name == "Id" || def.name == "Email",
        "unique": def.unique,
        "caseSensitive": def.case_sensitive,
        "custom": def.custom,
        "calculated": false,
        "autoNumber": def.name == "CaseNumber",
        "nameField": def.name_field,
        "namePointing": def.is_polymorphic(),
        "polymorphicForeignKey": def.is_polymorphic(),
        "referenceTo": def.targets().iter().map(|o| o.name()).collect::<Vec<_>>(),
        "relationshipName": def.relationship,
        "restrictedPicklist": def.restricted,
        "picklistValues": values,
    })
}

/// `GET /sobjects/{type}/describe`
pub(super) fn object(ctx: &Ctx<'_>, object: ObjectView) -> Value {
    let mut out = summary(ctx, object.def());
    out["fields"] = object.all_fields().map(field).collect();
    out["childRelationships"] = json!([]);
    out["recordTypeInfos"] = json!([{
        "active": true,
        "available": true,
        "defaultRecordTypeMapping": true,
        "developerName": "Master",
        "master": true,
        "name": "Master",
        "recordTypeId": "012000000000000AAA",
    }]);
    out
}
