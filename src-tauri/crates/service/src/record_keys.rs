//! This user's status record key pair, and what was last published with it.
//!
//! The secret key (44 characters) is one keyring entry per account; the public key goes in the
//! user's status record, so the people who share their calendar with the user seal their grant
//! to it. What was last published (a fingerprint of the content and the time) is kept in the
//! store: it is no secret, and it lets a refresh that changes nothing write nothing.

use chrono::{DateTime, Utc};
use onbehalf_engine::publish::LastPublication;
use onbehalf_engine::status_record::RecordKeys;
use onbehalf_secrets::Sensitive;
use onbehalf_store::Account;

use crate::blocking::blocking;
use crate::error::ServiceError;
use crate::Onbehalf;

impl Onbehalf {
    /// The account's key pair, made and kept in the keyring the first time.
    pub(crate) async fn record_keys(&self, account: &Account) -> Result<RecordKeys, ServiceError> {
        let keyring = self.keyring.clone();
        let entry = format!("{}:{}:status-key", self.profile, account.id);
        blocking("reading your status key from the keyring", move || {
            if let Some(saved) = keyring.get(&entry)? {
                match RecordKeys::from_secret_base64(saved.expose()) {
                    Ok(keys) => return Ok(keys),
                    // A damaged key is replaced: owners re-seal to the new one at their next
                    // refresh, and nothing else depends on it.
                    Err(e) => tracing::warn!(error = %e, "replacing an unreadable status key"),
                }
            }
            let keys = RecordKeys::generate();
            keyring.set(&entry, &Sensitive::new(keys.secret_base64()))?;
            Ok(keys)
        })
        .await
    }

    /// What this app last published for the account, if it remembers.
    pub(crate) async fn last_publication(
        &self,
        account: &Account,
    ) -> Result<Option<LastPublication>, ServiceError> {
        let store = self.store.clone();
        let name = setting_name(&account.id);
        blocking("reading what was last published", move || {
            Ok(store.settings().get(&name)?.and_then(|v| {
                let (at, fingerprint) = v.split_once(' ')?;
                Some(LastPublication {
                    fingerprint: fingerprint.to_string(),
                    published_at: DateTime::parse_from_rfc3339(at).ok()?.with_timezone(&Utc),
                })
            }))
        })
        .await
    }

    /// Remember a publication: one value, so it is written whole or not at all.
    pub(crate) async fn remember_publication(
        &self,
        account: &Account,
        fingerprint: &str,
        published_at: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let store = self.store.clone();
        let name = setting_name(&account.id);
        let value = format!("{} {fingerprint}", published_at.to_rfc3339());
        blocking("remembering what was published", move || {
            store.settings().set(&name, &value)?;
            Ok(())
        })
        .await
    }
}

fn setting_name(account_id: &str) -> String {
    format!("status_record.{account_id}")
}
