//! The status record each user's Onbehalf publishes on their own default calendar, so that
//! delegates (who cannot read the owner's `calendarPermissions`) can show the exact role.
//!
//! It is one single-value named extended property in Onbehalf's own GUID namespace whose value
//! is this JSON. Grantee addresses are salted SHA-256 hashes: a reader finds their own grant by
//! hashing their address with the record's salt, and learns nothing about anyone else's.

use chrono::{DateTime, Utc};
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::permission::GraphRole;
use crate::ports::Grant;

/// Onbehalf's MAPI property namespace.
pub const PROPERTY_SET: &str = "{6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91}";
/// The extended property id, in the "{type} {guid} Name {name}" form Graph documents.
pub const PROPERTY_ID: &str = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfStatus";
/// The record format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// A grant as published: who (hashed) holds which role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedGrant {
    /// Hex SHA-256 of `salt || lowercase(address)`; "My Organization" is published as `"*"`.
    pub grantee: String,
    pub role: GraphRole,
}

/// What an owner's Onbehalf says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusRecord {
    pub v: u32,
    pub app_version: String,
    pub sync_on: bool,
    pub last_run: Option<DateTime<Utc>>,
    pub published_at: DateTime<Utc>,
    pub tenant_id: String,
    pub crm_org_id: Option<String>,
    pub crm_user_id: Option<String>,
    /// Hex salt for the grantee hashes.
    pub salt: String,
    pub grants: Vec<PublishedGrant>,
}

#[derive(Debug, Error, PartialEq, Eq)]
pub enum RecordError {
    #[error("the owner's status record is not valid: {0}")]
    Malformed(String),
    #[error("the owner's status record was written by a newer Onbehalf (format {0})")]
    NewerFormat(u32),
}

/// The fields an owner fills in when publishing.
#[derive(Debug, Clone)]
pub struct Publication<'a> {
    pub app_version: &'a str,
    pub sync_on: bool,
    pub last_run: Option<DateTime<Utc>>,
    pub tenant_id: &'a str,
    pub crm_org_id: Option<&'a str>,
    pub crm_user_id: Option<&'a str>,
    pub grants: &'a [Grant],
}

impl StatusRecord {
    /// Build a record with a fresh random salt.
    pub fn publish(p: &Publication<'_>, now: DateTime<Utc>) -> StatusRecord {
        let mut salt = [0u8; 16];
        rand::thread_rng().fill_bytes(&mut salt);
        Self::publish_with_salt(p, now, &hex::encode(salt))
    }

    /// Build a record with a given salt (deterministic, for seeds and tests).
    pub fn publish_with_salt(p: &Publication<'_>, now: DateTime<Utc>, salt: &str) -> StatusRecord {
        let grants = p
            .grants
            .iter()
            .map(|g| PublishedGrant {
                grantee: match &g.address {
                    Some(a) => grantee_hash(salt, a),
                    None => "*".to_string(),
                },
                role: g.role,
            })
            .collect();
        StatusRecord {
            v: FORMAT_VERSION,
            app_version: p.app_version.to_string(),
            sync_on: p.sync_on,
            last_run: p.last_run,
            published_at: now,
            tenant_id: p.tenant_id.to_string(),
            crm_org_id: p.crm_org_id.map(str::to_string),
            crm_user_id: p.crm_user_id.map(str::to_string),
            salt: salt.to_string(),
            grants,
        }
    }

    pub fn to_value(&self) -> String {
        // Serializing plain data with string keys cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn parse(value: &str) -> Result<StatusRecord, RecordError> {
        #[derive(Deserialize)]
        struct Head {
            v: u32,
        }
        let head: Head =
            serde_json::from_str(value).map_err(|e| RecordError::Malformed(e.to_string()))?;
        if head.v > FORMAT_VERSION {
            return Err(RecordError::NewerFormat(head.v));
        }
        serde_json::from_str(value).map_err(|e| RecordError::Malformed(e.to_string()))
    }

    /// The role this record grants to `address`, falling back to "My Organization".
    pub fn role_for(&self, address: &str) -> Option<GraphRole> {
        let mine = grantee_hash(&self.salt, address);
        self.grants
            .iter()
            .find(|g| g.grantee == mine)
            .or_else(|| self.grants.iter().find(|g| g.grantee == "*"))
            .map(|g| g.role)
    }
}

/// Hex SHA-256 of the salt followed by the lowercased, trimmed address.
pub fn grantee_hash(salt: &str, address: &str) -> String {
    let mut h = Sha256::new();
    h.update(salt.as_bytes());
    h.update(address.trim().to_lowercase().as_bytes());
    hex::encode(h.finalize())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grants() -> Vec<Grant> {
        vec![
            Grant {
                address: None,
                role: GraphRole::FreeBusyRead,
                is_inside_organization: true,
            },
            Grant {
                address: Some("Daniel.Reyes@contoso.com".into()),
                role: GraphRole::DelegateWithPrivateEventAccess,
                is_inside_organization: true,
            },
        ]
    }

    fn publication(g: &[Grant]) -> Publication<'_> {
        Publication {
            app_version: "0.1.0",
            sync_on: true,
            last_run: None,
            tenant_id: "t",
            crm_org_id: None,
            crm_user_id: None,
            grants: g,
        }
    }

    #[test]
    fn a_reader_finds_their_own_grant_case_insensitively() {
        let g = grants();
        let rec = StatusRecord::publish(&publication(&g), Utc::now());
        let parsed = StatusRecord::parse(&rec.to_value()).unwrap();
        assert_eq!(
            parsed.role_for("daniel.reyes@CONTOSO.com"),
            Some(GraphRole::DelegateWithPrivateEventAccess)
        );
        assert_eq!(
            parsed.role_for("someone.else@contoso.com"),
            Some(GraphRole::FreeBusyRead)
        );
    }

    #[test]
    fn the_record_does_not_list_grantee_addresses() {
        let g = grants();
        let value = StatusRecord::publish(&publication(&g), Utc::now()).to_value();
        assert!(!value.to_lowercase().contains("daniel"));
        assert!(!value.contains("contoso"));
    }

    #[test]
    fn a_newer_format_and_garbage_are_refused_clearly() {
        assert_eq!(
            StatusRecord::parse(r#"{"v":99}"#),
            Err(RecordError::NewerFormat(99))
        );
        assert!(matches!(
            StatusRecord::parse("not json"),
            Err(RecordError::Malformed(_))
        ));
    }
}
