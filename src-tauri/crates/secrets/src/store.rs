//! The OS keyring, one entry per key under one service name.

use keyring::{Entry, Error as KeyringError};

use crate::{SecretsError, Sensitive};

/// The longest value, in UTF-16 code units, that [`SecretStore::set`] accepts.
///
/// Windows Credential Manager refuses a secret over 2,560 bytes, which keyring-rs stores as
/// UTF-16: 1,280 units. Refusing longer values on every OS means a value that works on the
/// Linux and macOS keyrings never first fails on a Windows machine.
pub const MAX_SECRET_UTF16_UNITS: usize = 1280;

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

    /// Keep `value` under `key`, replacing what was there. A value longer than
    /// [`MAX_SECRET_UTF16_UNITS`] is refused before the keyring is asked.
    pub fn set(&self, key: &str, value: &Sensitive<String>) -> Result<(), SecretsError> {
        check_size(key, value)?;
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

fn check_size(key: &str, value: &Sensitive<String>) -> Result<(), SecretsError> {
    let units = value.expose().encode_utf16().count();
    if units > MAX_SECRET_UTF16_UNITS {
        return Err(SecretsError::TooLarge {
            key: key.to_string(),
            units,
            limit: MAX_SECRET_UTF16_UNITS,
        });
    }
    Ok(())
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
    fn a_value_at_the_windows_limit_is_accepted_and_one_unit_more_is_refused() {
        let at_limit = Sensitive::new("a".repeat(MAX_SECRET_UTF16_UNITS));
        assert_eq!(check_size("k", &at_limit), Ok(()));
        let over = Sensitive::new("a".repeat(MAX_SECRET_UTF16_UNITS + 1));
        assert_eq!(
            check_size("profile:account", &over),
            Err(SecretsError::TooLarge {
                key: "profile:account".into(),
                units: MAX_SECRET_UTF16_UNITS + 1,
                limit: MAX_SECRET_UTF16_UNITS,
            })
        );
    }

    #[test]
    fn the_limit_counts_utf16_units_not_bytes_or_chars() {
        // "é" is 2 bytes in UTF-8 but 1 UTF-16 unit; "𝄞" is 4 bytes, 1 char, 2 units.
        let accented = Sensitive::new("é".repeat(MAX_SECRET_UTF16_UNITS));
        assert_eq!(check_size("k", &accented), Ok(()));
        let clefs = Sensitive::new("𝄞".repeat(MAX_SECRET_UTF16_UNITS / 2 + 1));
        assert!(matches!(
            check_size("k", &clefs),
            Err(SecretsError::TooLarge { units, .. }) if units == MAX_SECRET_UTF16_UNITS + 2
        ));
    }

    #[test]
    fn a_token_set_as_large_as_real_entra_tokens_is_refused_and_says_why() {
        // Real access tokens run past 2,000 characters and refresh tokens to about 1,500:
        // together they are far past what Credential Manager keeps.
        let json = format!(
            r#"{{"access_token":"{}","refresh_token":"{}"}}"#,
            "x".repeat(2_100),
            "y".repeat(1_500)
        );
        let err = SecretStore::new("onbehalf-test")
            .set("profile:account", &Sensitive::new(json))
            .unwrap_err();
        assert!(matches!(err, SecretsError::TooLarge { .. }), "{err:?}");
        let text = err.to_string();
        assert!(text.contains("Windows Credential Manager"), "{text}");
        assert!(!text.contains("xxxx"), "{text}");
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
