//! The OS keyring, one entry per key under one service name.

use keyring::{Entry, Error as KeyringError};

use crate::{SecretsError, Sensitive};

/// Entries of one service name in the OS keyring. Calls block on the platform store (a D-Bus
/// round trip on Linux), so async callers keep them short or move them to a blocking thread.
#[derive(Debug, Clone)]
pub struct SecretStore {
    service: String,
}

impl SecretStore {
    pub fn new(service: &str) -> Self {
        SecretStore {
            service: service.to_string(),
        }
    }

    pub fn service(&self) -> &str {
        &self.service
    }

    /// Keep `value` under `key`, replacing what was there.
    pub fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretsError> {
        set_on(&self.entry(key, "store")?, key, value)
    }

    /// The value under `key`, or `None` when there is none.
    pub fn get(&self, key: &str) -> Result<Option<Sensitive<String>>, SecretsError> {
        get_on(&self.entry(key, "read")?, key)
    }

    /// Remove `key`; removing a key that is not there succeeds.
    pub fn delete(&self, key: &str) -> Result<(), SecretsError> {
        delete_on(&self.entry(key, "delete")?, key)
    }

    fn entry(&self, key: &str, step: &'static str) -> Result<Entry, SecretsError> {
        Entry::new(&self.service, key).map_err(|e| classify(e, step, key))
    }
}

fn set_on(entry: &Entry, key: &str, value: &Sensitive<String>) -> Result<(), SecretsError> {
    entry
        .set_password(value.expose())
        .map_err(|e| classify(e, "store", key))?;
    tracing::debug!(key, "secret stored");
    Ok(())
}

fn get_on(entry: &Entry, key: &str) -> Result<Option<Sensitive<String>>, SecretsError> {
    match entry.get_password() {
        Ok(v) => Ok(Some(Sensitive::new(v))),
        Err(KeyringError::NoEntry) => Ok(None),
        Err(e) => Err(classify(e, "read", key)),
    }
}

fn delete_on(entry: &Entry, key: &str) -> Result<(), SecretsError> {
    match entry.delete_credential() {
        Ok(()) => {
            tracing::debug!(key, "secret deleted");
            Ok(())
        }
        Err(KeyringError::NoEntry) => Ok(()),
        Err(e) => Err(classify(e, "delete", key)),
    }
}

/// Platform failures (no D-Bus, no Secret Service, the store cannot be opened) and refused
/// access (a locked keyring) both mean no secret can be kept at all, which a person fixes
/// outside Onbehalf; the other errors are about one entry.
fn classify(e: KeyringError, step: &'static str, key: &str) -> SecretsError {
    match e {
        KeyringError::PlatformFailure(inner) | KeyringError::NoStorageAccess(inner) => {
            SecretsError::Unavailable {
                detail: inner.to_string(),
            }
        }
        other => SecretsError::Failed {
            step,
            key: key.to_string(),
            detail: other.to_string(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use keyring::mock::{self, MockCredential};

    fn mock_entry() -> Entry {
        let builder = mock::default_credential_builder();
        match builder.build(None, "onbehalf-test", "account") {
            Ok(credential) => Entry::new_with_credential(credential),
            Err(e) => panic!("the mock builder failed: {e}"),
        }
    }

    fn inject(entry: &Entry, error: KeyringError) {
        let mock: &MockCredential = entry
            .get_credential()
            .downcast_ref()
            .expect("a mock credential");
        mock.set_error(error);
    }

    #[test]
    fn a_value_round_trips_and_a_deleted_one_reads_as_none() {
        let entry = mock_entry();
        assert_eq!(get_on(&entry, "k").unwrap(), None);
        set_on(&entry, "k", &Sensitive::from("refresh-token")).unwrap();
        assert_eq!(
            get_on(&entry, "k").unwrap().map(Sensitive::into_inner),
            Some("refresh-token".to_string())
        );
        delete_on(&entry, "k").unwrap();
        assert_eq!(get_on(&entry, "k").unwrap(), None);
    }

    #[test]
    fn deleting_a_missing_entry_is_ok() {
        let entry = mock_entry();
        delete_on(&entry, "k").unwrap();
        delete_on(&entry, "k").unwrap();
    }

    #[test]
    fn a_locked_keyring_is_unavailable_and_says_what_to_do() {
        let entry = mock_entry();
        inject(
            &entry,
            KeyringError::NoStorageAccess("the collection is locked".into()),
        );
        let err = set_on(&entry, "k", &Sensitive::from("v")).unwrap_err();
        assert!(matches!(err, SecretsError::Unavailable { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("the collection is locked"), "{text}");
        assert!(text.contains("unlock it"), "{text}");
    }

    #[test]
    fn a_missing_platform_store_is_unavailable_on_every_operation() {
        for op in ["set", "get", "delete"] {
            let entry = mock_entry();
            inject(
                &entry,
                KeyringError::PlatformFailure("org.freedesktop.secrets was not provided".into()),
            );
            let err = match op {
                "set" => set_on(&entry, "k", &Sensitive::from("v")).unwrap_err(),
                "get" => get_on(&entry, "k").unwrap_err(),
                _ => delete_on(&entry, "k").unwrap_err(),
            };
            assert!(
                matches!(err, SecretsError::Unavailable { .. }),
                "{op}: {err:?}"
            );
        }
    }

    #[test]
    fn other_failures_name_the_step_and_the_key_but_not_the_value() {
        let entry = mock_entry();
        inject(&entry, KeyringError::BadEncoding(b"\xff-secret".to_vec()));
        let err = get_on(&entry, "profile:account").unwrap_err();
        match &err {
            SecretsError::Failed { step, key, .. } => {
                assert_eq!(*step, "read");
                assert_eq!(key, "profile:account");
            }
            other => panic!("expected Failed, got {other:?}"),
        }
        assert!(!err.to_string().contains("secret"), "{err}");
    }
}
