//! The status record each user's Onbehalf publishes on their own default calendar, so that
//! delegates (who cannot read the owner's `calendarPermissions`) can show their exact role.
//!
//! It is one single-value named extended property in Onbehalf's own GUID namespace whose value
//! is this JSON. Anyone who can open the owner's calendar can read it, so it says only what
//! every such reader may know:
//! - in clear: the app version, whether sync is on and when it last ran, when the record was
//!   published, the tenant id, the CRM org and user ids, the publisher's own public key and the
//!   "My Organization" role (what everyone without a grant of their own holds);
//! - sealed: one entry per grantee, naming the grantee, their role and whether they may send
//!   on the owner's behalf, sealed (libsodium sealed box: X25519 + XSalsa20-Poly1305) to the
//!   public key the grantee's own Onbehalf published. Only that grantee can open it. Entries
//!   have one fixed size, come in random order and are padded with decoys to a bucket of
//!   [`MIN_ENTRIES`] (then the next power of two), so a reader who is not a grantee learns
//!   neither who has access, nor which roles, nor how many people (beyond the bucket).
//!
//! A grantee whose key the owner cannot read gets no entry; their Onbehalf then infers the
//! permission and says why.

use std::collections::BTreeMap;
use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chrono::{DateTime, Utc};
use crypto_box::aead::OsRng;
use crypto_box::{PublicKey, SecretKey};
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::permission::GraphRole;
use crate::ports::Grant;

/// Onbehalf's MAPI property namespace.
pub const PROPERTY_SET: &str = "{6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91}";
/// The extended property id, in the "{type} {guid} Name {name}" form Graph documents.
pub const PROPERTY_ID: &str = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfStatus";
/// The record format this build writes. Format 1 (salted address hashes) is still read, but
/// its grants are ignored: anyone could recover them by hashing the directory.
pub const FORMAT_VERSION: u32 = 2;
/// The smallest number of sealed entries a record carries.
pub const MIN_ENTRIES: usize = 8;
/// Every sealed entry's plaintext is padded to this many bytes (an address is at most 254).
const ENTRY_LEN: usize = 320;

/// This user's key pair for the status record. The secret half lives in the OS keyring; it
/// never appears in `Debug` output and is not serializable.
#[derive(Clone)]
pub struct RecordKeys {
    secret: SecretKey,
}

impl fmt::Debug for RecordKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RecordKeys")
            .field("public", &self.public_base64())
            .finish_non_exhaustive()
    }
}

impl RecordKeys {
    pub fn generate() -> RecordKeys {
        RecordKeys {
            secret: SecretKey::generate(&mut OsRng),
        }
    }

    /// Read a secret key kept by [`RecordKeys::secret_base64`].
    pub fn from_secret_base64(text: &str) -> Result<RecordKeys, RecordError> {
        let bytes = STANDARD
            .decode(text.trim())
            .map_err(|_| RecordError::BadKey)?;
        let secret = SecretKey::from_slice(&bytes).map_err(|_| RecordError::BadKey)?;
        Ok(RecordKeys { secret })
    }

    /// The secret key, for the keyring only (44 characters).
    pub fn secret_base64(&self) -> String {
        STANDARD.encode(self.secret.to_bytes())
    }

    /// The public key, as published in this user's record.
    pub fn public_base64(&self) -> String {
        STANDARD.encode(self.secret.public_key().as_bytes())
    }
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
    /// The publisher's own public key (X25519, base64), which others seal grants to.
    #[serde(default)]
    pub public_key: Option<String>,
    /// The "My Organization" role on the publisher's calendar.
    #[serde(default)]
    pub organization_role: Option<GraphRole>,
    /// Sealed grant entries (base64), padded and shuffled.
    #[serde(default)]
    pub sealed: Vec<String>,
}

#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum RecordError {
    #[error("the owner's status record is not valid: {0}")]
    Malformed(String),
    #[error("the owner's status record was written by a newer Onbehalf (format {0})")]
    NewerFormat(u32),
    #[error("the saved status record key is not valid")]
    BadKey,
}

/// The grant a reader found sealed to them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenedGrant {
    pub role: GraphRole,
    pub send_on_behalf: bool,
}

/// The plaintext of one sealed entry.
#[derive(Serialize, Deserialize)]
struct Entry {
    to: String,
    role: GraphRole,
    sob: bool,
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
    /// Each grantee's published public key, by lowercase address.
    pub grantee_keys: &'a BTreeMap<String, String>,
}

impl Publication<'_> {
    /// Grantees who get no sealed entry because their key is not known (or not valid). Local
    /// knowledge of the owner only: it names people.
    pub fn grantees_without_key(&self) -> Vec<String> {
        let mut missing: Vec<String> = self
            .grants
            .iter()
            .filter_map(|g| g.address.as_deref())
            .map(normalize)
            .filter(|a| self.key_of(a).is_none())
            .collect();
        missing.sort();
        missing.dedup();
        missing
    }

    fn key_of(&self, address: &str) -> Option<PublicKey> {
        let text = self.grantee_keys.get(address)?;
        let bytes = STANDARD.decode(text.trim()).ok()?;
        PublicKey::from_slice(&bytes).ok()
    }

    /// A digest of everything the record says, but its time of publishing and the random parts
    /// of the sealing: equal digests mean publishing again would change nothing. Kept locally
    /// only; published, it would let anyone test guesses of who has access.
    pub fn fingerprint(&self, keys: &RecordKeys) -> String {
        let mut grants: Vec<(String, &str, bool, Option<&String>)> = self
            .grants
            .iter()
            .map(|g| {
                let address = g.address.as_deref().map(normalize).unwrap_or_default();
                let key = self.grantee_keys.get(&address);
                (address, g.role.as_str(), g.send_on_behalf, key)
            })
            .collect();
        grants.sort();
        let content = serde_json::json!({
            "v": FORMAT_VERSION,
            "app_version": self.app_version,
            "sync_on": self.sync_on,
            "last_run": self.last_run,
            "tenant_id": self.tenant_id,
            "crm_org_id": self.crm_org_id,
            "crm_user_id": self.crm_user_id,
            "public_key": keys.public_base64(),
            "grants": grants,
        });
        hex::encode(Sha256::digest(content.to_string().as_bytes()))
    }
}

impl StatusRecord {
    /// Build a record, sealing each grant to its grantee's key.
    pub fn publish(p: &Publication<'_>, keys: &RecordKeys, now: DateTime<Utc>) -> StatusRecord {
        let mut sealed: Vec<String> = p
            .grants
            .iter()
            .filter_map(|g| {
                let address = normalize(g.address.as_deref()?);
                let key = p.key_of(&address)?;
                let entry = Entry {
                    to: address,
                    role: g.role,
                    sob: g.send_on_behalf,
                };
                seal(&key, &serde_json::to_vec(&entry).ok()?)
            })
            .collect();
        let bucket = bucket_for(sealed.len());
        while sealed.len() < bucket {
            // A decoy: padding sealed to a key nobody holds looks like any other entry.
            let nobody = SecretKey::generate(&mut OsRng).public_key();
            match seal(&nobody, b"") {
                Some(decoy) => sealed.push(decoy),
                None => break,
            }
        }
        sealed.shuffle(&mut rand::thread_rng());
        StatusRecord {
            v: FORMAT_VERSION,
            app_version: p.app_version.to_string(),
            sync_on: p.sync_on,
            last_run: p.last_run,
            published_at: now,
            tenant_id: p.tenant_id.to_string(),
            crm_org_id: p.crm_org_id.map(str::to_string),
            crm_user_id: p.crm_user_id.map(str::to_string),
            public_key: Some(keys.public_base64()),
            organization_role: p
                .grants
                .iter()
                .find(|g| g.address.is_none())
                .map(|g| g.role),
            sealed,
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
        let mut record: StatusRecord =
            serde_json::from_str(value).map_err(|e| RecordError::Malformed(e.to_string()))?;
        if record.v < FORMAT_VERSION {
            // Format 1 published grantees as salted hashes, which anyone can reverse by hashing
            // the directory; its grants are not used.
            record.sealed.clear();
        }
        Ok(record)
    }

    /// The publisher's public key, when it is a valid one.
    pub fn public_key(&self) -> Option<&str> {
        let text = self.public_key.as_deref()?;
        let bytes = STANDARD.decode(text.trim()).ok()?;
        PublicKey::from_slice(&bytes).ok().map(|_| text)
    }

    /// The grant sealed to `address` with `keys`, if there is one.
    pub fn open_grant(&self, address: &str, keys: &RecordKeys) -> Option<OpenedGrant> {
        let me = normalize(address);
        self.sealed.iter().find_map(|text| {
            let bytes = STANDARD.decode(text).ok()?;
            let plain = keys.secret.unseal(&bytes).ok()?;
            let entry: Entry = serde_json::from_slice(trim_padding(&plain)).ok()?;
            (normalize(&entry.to) == me).then_some(OpenedGrant {
                role: entry.role,
                send_on_behalf: entry.sob,
            })
        })
    }
}

/// How many entries a record with `grants` sealed grants carries.
pub fn bucket_for(grants: usize) -> usize {
    grants.max(1).next_power_of_two().max(MIN_ENTRIES)
}

fn seal(key: &PublicKey, plain: &[u8]) -> Option<String> {
    if plain.len() > ENTRY_LEN {
        return None;
    }
    let mut padded = plain.to_vec();
    padded.resize(ENTRY_LEN, b' ');
    key.seal(&mut OsRng, &padded)
        .ok()
        .map(|b| STANDARD.encode(b))
}

fn trim_padding(plain: &[u8]) -> &[u8] {
    let end = plain.iter().rposition(|b| *b != b' ').map_or(0, |i| i + 1);
    &plain[..end]
}

fn normalize(address: &str) -> String {
    address.trim().to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grant(address: &str, role: GraphRole) -> Grant {
        Grant {
            address: Some(address.into()),
            role,
            is_inside_organization: true,
            send_on_behalf: false,
        }
    }

    fn publication<'a>(g: &'a [Grant], keys: &'a BTreeMap<String, String>) -> Publication<'a> {
        Publication {
            app_version: "0.1.0",
            sync_on: true,
            last_run: None,
            tenant_id: "t",
            crm_org_id: None,
            crm_user_id: None,
            grants: g,
            grantee_keys: keys,
        }
    }

    #[test]
    fn a_grantee_opens_only_their_own_entry() {
        let owner = RecordKeys::generate();
        let daniel = RecordKeys::generate();
        let emma = RecordKeys::generate();
        let keys = BTreeMap::from([
            (
                "daniel.reyes@contoso.com".to_string(),
                daniel.public_base64(),
            ),
            ("emma.chen@contoso.com".to_string(), emma.public_base64()),
        ]);
        let grants = vec![
            grant(
                "Daniel.Reyes@contoso.com",
                GraphRole::DelegateWithPrivateEventAccess,
            ),
            grant("emma.chen@contoso.com", GraphRole::Write),
        ];
        let record = StatusRecord::publish(&publication(&grants, &keys), &owner, Utc::now());
        let parsed = StatusRecord::parse(&record.to_value()).unwrap();
        assert_eq!(
            parsed
                .open_grant("DANIEL.reyes@contoso.com", &daniel)
                .map(|g| g.role),
            Some(GraphRole::DelegateWithPrivateEventAccess)
        );
        assert_eq!(
            parsed
                .open_grant("emma.chen@contoso.com", &emma)
                .map(|g| g.role),
            Some(GraphRole::Write)
        );
        // Daniel's key does not open Emma's entry, even when he claims her address.
        assert_eq!(parsed.open_grant("emma.chen@contoso.com", &daniel), None);
        assert_eq!(parsed.public_key(), Some(owner.public_base64().as_str()));
    }

    #[test]
    fn a_record_tells_a_non_grantee_neither_who_nor_how_many() {
        let owner = RecordKeys::generate();
        let rita = RecordKeys::generate();
        let outsider = RecordKeys::generate();
        let keys = BTreeMap::from([("rita.novak@contoso.com".to_string(), rita.public_base64())]);
        let one = vec![grant("rita.novak@contoso.com", GraphRole::Read)];
        let three = vec![
            grant("rita.novak@contoso.com", GraphRole::Read),
            grant("emma.chen@contoso.com", GraphRole::Write),
            grant("felix.braun@contoso.com", GraphRole::FreeBusyRead),
        ];
        let small = StatusRecord::publish(&publication(&one, &keys), &owner, Utc::now());
        let larger = StatusRecord::publish(&publication(&three, &keys), &owner, Utc::now());
        for record in [&small, &larger] {
            let value = record.to_value();
            for word in [
                "rita", "emma", "felix", "contoso", "read", "write", "freeBusy",
            ] {
                assert!(!value.contains(word), "{word} in {value}");
            }
            assert_eq!(record.sealed.len(), MIN_ENTRIES);
            let sizes: std::collections::BTreeSet<usize> =
                record.sealed.iter().map(String::len).collect();
            assert_eq!(sizes.len(), 1, "every entry has one size");
            assert_eq!(record.open_grant("someone@contoso.com", &outsider), None);
        }
    }

    #[test]
    fn a_grantee_without_a_published_key_gets_no_entry_and_is_named_to_the_owner() {
        let owner = RecordKeys::generate();
        let keys = BTreeMap::new();
        let grants = vec![grant("aaron.patel@contoso.com", GraphRole::Custom)];
        let p = publication(&grants, &keys);
        assert_eq!(p.grantees_without_key(), vec!["aaron.patel@contoso.com"]);
        let record = StatusRecord::publish(&p, &owner, Utc::now());
        let aaron = RecordKeys::generate();
        assert_eq!(record.open_grant("aaron.patel@contoso.com", &aaron), None);
    }

    #[test]
    fn the_bucket_grows_in_powers_of_two() {
        assert_eq!(bucket_for(0), MIN_ENTRIES);
        assert_eq!(bucket_for(8), 8);
        assert_eq!(bucket_for(9), 16);
        assert_eq!(bucket_for(33), 64);
    }

    #[test]
    fn the_fingerprint_changes_with_content_but_not_with_sealing() {
        let owner = RecordKeys::generate();
        let keys = BTreeMap::new();
        let a = vec![grant("a@contoso.com", GraphRole::Read)];
        let b = vec![grant("a@contoso.com", GraphRole::Write)];
        let fa = publication(&a, &keys).fingerprint(&owner);
        assert_eq!(fa, publication(&a, &keys).fingerprint(&owner));
        assert_ne!(fa, publication(&b, &keys).fingerprint(&owner));
    }

    #[test]
    fn keys_round_trip_through_their_keyring_form() {
        let keys = RecordKeys::generate();
        let back = RecordKeys::from_secret_base64(&keys.secret_base64()).unwrap();
        assert_eq!(back.public_base64(), keys.public_base64());
        assert!(keys.secret_base64().len() <= 44);
        assert!(!format!("{keys:?}").contains(&keys.secret_base64()));
        assert_eq!(
            RecordKeys::from_secret_base64("short").err(),
            Some(RecordError::BadKey)
        );
    }

    #[test]
    fn a_format_1_record_is_read_without_its_grants_and_garbage_is_refused() {
        let v1 = r#"{"v":1,"app_version":"0.1.0","sync_on":true,"last_run":null,
            "published_at":"2026-11-01T00:00:00Z","tenant_id":"t","crm_org_id":null,
            "crm_user_id":null,"salt":"00","grants":[{"grantee":"*","role":"freeBusyRead"}]}"#;
        let record = StatusRecord::parse(v1).unwrap();
        assert!(record.sync_on);
        assert!(record.sealed.is_empty());
        assert_eq!(record.public_key(), None);
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
