//! The records an event is linked to, and the users events belong to.

use std::fmt;

use serde::de::DeserializeOwned;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer};
use serde_json::Value;

/// The sObjects Onbehalf uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SObject {
    Event,
    Contact,
    Lead,
    Account,
    Opportunity,
    Case,
    User,
}

impl SObject {
    /// The API name, as in `/sobjects/{name}`.
    pub fn api_name(self) -> &'static str {
        match self {
            SObject::Event => "Event",
            SObject::Contact => "Contact",
            SObject::Lead => "Lead",
            SObject::Account => "Account",
            SObject::Opportunity => "Opportunity",
            SObject::Case => "Case",
            SObject::User => "User",
        }
    }

    /// The standard key prefix of this object's ids (their first three characters).
    pub fn key_prefix(self) -> &'static str {
        match self {
            SObject::Event => "00U",
            SObject::Contact => "003",
            SObject::Lead => "00Q",
            SObject::Account => "001",
            SObject::Opportunity => "006",
            SObject::Case => "500",
            SObject::User => "005",
        }
    }

    /// The object an id belongs to, by its key prefix.
    pub fn of_id(id: &str) -> Option<SObject> {
        let prefix = id.get(..3)?;
        [
            SObject::Event,
            SObject::Contact,
            SObject::Lead,
            SObject::Account,
            SObject::Opportunity,
            SObject::Case,
            SObject::User,
        ]
        .into_iter()
        .find(|o| o.key_prefix() == prefix)
    }

    /// The fields read to show a record of this object, related names included.
    pub fn link_fields(self) -> &'static [&'static str] {
        match self {
            SObject::Contact => &["Id", "Name", "Email", "Account.Name"],
            SObject::Lead => &["Id", "Name", "Email", "Company"],
            SObject::Account => &["Id", "Name"],
            SObject::Opportunity => &["Id", "Name", "StageName", "Account.Name"],
            SObject::Case => &["Id", "CaseNumber", "Subject", "Status", "Account.Name"],
            SObject::User => &["Id", "Name", "Email", "IsActive"],
            SObject::Event => super::EVENT_FIELDS,
        }
    }
}

impl fmt::Display for SObject {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// A related record's name (`Account.Name`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ParentName {
    #[serde(rename = "Name", default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct ContactRecord {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub account: Option<ParentName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct LeadRecord {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub company: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct AccountRecord {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct OpportunityRecord {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub stage_name: Option<String>,
    #[serde(default)]
    pub account: Option<ParentName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CaseRecord {
    pub id: String,
    #[serde(default)]
    pub case_number: Option<String>,
    #[serde(default)]
    pub subject: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub account: Option<ParentName>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct UserRecord {
    pub id: String,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub is_active: bool,
}

/// A record of any kind an event links to, told apart by its `attributes.type` (search
/// results mix them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRecord {
    Contact(ContactRecord),
    Lead(LeadRecord),
    Account(AccountRecord),
    Opportunity(OpportunityRecord),
    Case(CaseRecord),
    /// Another object (a search may be asked for more); kept as its type name.
    Other(String),
}

impl<'de> Deserialize<'de> for LinkRecord {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<LinkRecord, D::Error> {
        let value = Value::deserialize(d)?;
        let kind = value
            .pointer("/attributes/type")
            .and_then(Value::as_str)
            .ok_or_else(|| D::Error::custom("a record without attributes.type"))?
            .to_string();
        // serde_json's message could quote the record's content, so only its type is named.
        fn from<T: DeserializeOwned, E: serde::de::Error>(v: Value, kind: &str) -> Result<T, E> {
            serde_json::from_value(v)
                .map_err(|_| E::custom(format!("unexpected content in a {kind} record")))
        }
        Ok(match kind.as_str() {
            "Contact" => LinkRecord::Contact(from(value, &kind)?),
            "Lead" => LinkRecord::Lead(from(value, &kind)?),
            "Account" => LinkRecord::Account(from(value, &kind)?),
            "Opportunity" => LinkRecord::Opportunity(from(value, &kind)?),
            "Case" => LinkRecord::Case(from(value, &kind)?),
            _ => LinkRecord::Other(kind),
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn ids_name_their_object_by_prefix() {
        assert_eq!(SObject::of_id("003D000000QbUhTIAV"), Some(SObject::Contact));
        assert_eq!(SObject::of_id("500D000000QbUhT"), Some(SObject::Case));
        assert_eq!(SObject::of_id("a0B000000000001"), None);
        assert_eq!(SObject::of_id("00"), None);
    }

    #[test]
    fn mixed_records_are_told_apart_by_their_type() {
        let records: Vec<LinkRecord> = serde_json::from_str(
            r#"[
              {"attributes":{"type":"Contact","url":"/services/data/v62.0/sobjects/Contact/003D000000QbUhTIAV"},
               "Id":"003D000000QbUhTIAV","Name":"Rose Gonzalez","Email":"rose@edge.com",
               "Account":{"attributes":{"type":"Account"},"Name":"Edge Communications"}},
              {"attributes":{"type":"Opportunity"},"Id":"006D000000QbUhTIAV","Name":"Edge SLA",
               "StageName":"Closed Won","Account":null},
              {"attributes":{"type":"Campaign"},"Id":"701D000000QbUhTIAV","Name":"Fall fair"}
            ]"#,
        )
        .unwrap();
        match &records[0] {
            LinkRecord::Contact(c) => assert_eq!(
                c.account.as_ref().and_then(|a| a.name.as_deref()),
                Some("Edge Communications")
            ),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&records[1], LinkRecord::Opportunity(o) if o.account.is_none()));
        assert_eq!(records[2], LinkRecord::Other("Campaign".into()));
    }
}
