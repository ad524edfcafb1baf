//! An object's describe: its fields as the org has them (custom fields included only where the
//! org defines them).

use serde::Deserialize;

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectDescribe {
    pub name: String,
    #[serde(default)]
    pub fields: Vec<FieldDescribe>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FieldDescribe {
    pub name: String,
    #[serde(rename = "type", default)]
    pub kind: String,
    #[serde(default)]
    pub external_id: bool,
    #[serde(default)]
    pub unique: bool,
    #[serde(default)]
    pub length: u32,
}

impl ObjectDescribe {
    pub fn field(&self, name: &str) -> Option<&FieldDescribe> {
        self.fields
            .iter()
            .find(|f| f.name.eq_ignore_ascii_case(name))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn a_describe_as_salesforce_documents_it_is_read() {
        let text = r#"{
            "name": "Event", "label": "Event", "custom": false, "keyPrefix": "00U",
            "fields": [
                {"name": "Id", "type": "id", "length": 18, "externalId": false,
                 "unique": false, "nillable": false},
                {"name": "Onbehalf_Exchange_Id__c", "type": "string", "length": 255,
                 "externalId": true, "unique": true, "custom": true, "nillable": true}
            ],
            "urls": {"describe": "/services/data/v62.0/sobjects/Event/describe"}
        }"#;
        let d: ObjectDescribe = serde_json::from_str(text).unwrap();
        let f = d.field("onbehalf_exchange_id__c").unwrap();
        assert!(f.external_id && f.unique);
        assert_eq!((f.kind.as_str(), f.length), ("string", 255));
        assert!(d.field("Missing__c").is_none());
    }
}
