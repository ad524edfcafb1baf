//! The token vault: secrets too large for a keyring entry, sealed in a file in the data folder
//! with a random key that lives in the keyring.
//!
//! Windows Credential Manager keeps at most 2,560 bytes per entry, and a refresh token with its
//! account is close to that on its own. So each account has one small keyring entry (its 256-bit
//! key, base64) and one file `{dir}/{sha256(account id)}.sealed` (see `sealed.rs`). Either one
//! alone is useless: the file without the key cannot be opened, the key opens nothing else.
//!
//! Writes replace the file atomically (a temporary file in the same folder, flushed to disk,
//! then renamed over the old one), so a crash leaves the old file or the new one, never half of
//! one. The file is written before the key, so a crash between the two never leaves a key
//! without the file it opens.

use std::fmt;
use std::fs;
use std::io::{ErrorKind, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::sealed::{self, KEY_LEN};
use crate::{SecretStore, SecretsError, Sensitive, VaultError};

/// Where the vault keeps its keys: the OS keyring, or a map in tests.
trait Keys: Send + Sync {
    fn get(&self, name: &str) -> Result<Option<Sensitive<String>>, SecretsError>;
    fn set(&self, name: &str, value: &Sensitive<String>) -> Result<(), SecretsError>;
    fn delete(&self, name: &str) -> Result<(), SecretsError>;
}

impl Keys for SecretStore {
    fn get(&self, name: &str) -> Result<Option<Sensitive<String>>, SecretsError> {
        SecretStore::get(self, name)
    }
    fn set(&self, name: &str, value: &Sensitive<String>) -> Result<(), SecretsError> {
        SecretStore::set(self, name, value)
    }
    fn delete(&self, name: &str) -> Result<(), SecretsError> {
        SecretStore::delete(self, name)
    }
}

/// What the vault holds for an account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// The secret last given to [`TokenVault::put`].
    Secret(Sensitive<String>),
    /// The keyring entry still holds what an older Onbehalf kept there in place of a key (its
    /// whole saved sign-in). Convert it and give it to [`TokenVault::put`], which moves it into
    /// the vault and replaces the entry with a key.
    Legacy(Sensitive<String>),
}

/// Sealed secrets of one data folder. Every call blocks on the keyring and the disk.
#[derive(Clone)]
pub struct TokenVault {
    keyring: Arc<dyn Keys>,
    dir: PathBuf,
    profile: String,
}

impl fmt::Debug for TokenVault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenVault")
            .field("dir", &self.dir)
            .finish_non_exhaustive()
    }
}

impl TokenVault {
    /// A vault whose files live in `dir` and whose keys are named `"{profile}:{account id}"`
    /// in `keyring`. The profile names the data folder, so two folders on one machine never
    /// share a key.
    pub fn new(keyring: SecretStore, dir: impl Into<PathBuf>, profile: &str) -> Self {
        TokenVault {
            keyring: Arc::new(keyring),
            dir: dir.into(),
            profile: profile.to_string(),
        }
    }

    /// The keyring entry holding `account_id`'s key (an older Onbehalf kept its tokens there).
    pub fn keyring_name(&self, account_id: &str) -> String {
        format!("{}:{account_id}", self.profile)
    }

    /// The sealed file of `account_id`. Named by a hash, so that any account id makes a valid,
    /// short file name on every OS.
    pub fn file_path(&self, account_id: &str) -> PathBuf {
        let digest = Sha256::digest(account_id.as_bytes());
        let name: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        self.dir.join(format!("{name}.sealed"))
    }

    /// Seal `secret` for `account_id`, replacing what was kept. The account's key is reused
    /// when the keyring has one, so a routine write (a rotated refresh token) touches only the
    /// file.
    pub fn put(&self, account_id: &str, secret: &Sensitive<String>) -> Result<(), VaultError> {
        let name = self.keyring_name(account_id);
        let existing = match self.keyring.get(&name)? {
            Some(value) => decode_key(&value),
            None => None,
        };
        let (key, key_is_new) = match existing {
            Some(key) => (key, false),
            None => {
                let key = sealed::new_key().map_err(|detail| VaultError::Random {
                    step: "make a key for the saved sign-in",
                    detail,
                })?;
                (key, true)
            }
        };
        let file =
            sealed::seal(&key, account_id, secret.expose().as_bytes()).map_err(|detail| {
                VaultError::Random {
                    step: "encrypt the saved sign-in",
                    detail,
                }
            })?;
        self.write_atomically(&self.file_path(account_id), &file)?;
        if key_is_new {
            self.keyring
                .set(&name, &Sensitive::new(STANDARD.encode(key)))?;
        }
        tracing::debug!("saved sign-in sealed");
        Ok(())
    }

    /// What is kept for `account_id`.
    pub fn get(&self, account_id: &str) -> Result<Opened, VaultError> {
        let name = self.keyring_name(account_id);
        let Some(value) = self.keyring.get(&name)? else {
            return Err(VaultError::NotFound);
        };
        let Some(key) = decode_key(&value) else {
            return match value.expose().trim_start().starts_with('{') {
                true => Ok(Opened::Legacy(value)),
                false => Err(VaultError::BadKey { key: name }),
            };
        };
        let path = self.file_path(account_id);
        let file = match fs::read(&path) {
            Ok(bytes) => bytes,
            Err(e) if e.kind() == ErrorKind::NotFound => {
                return Err(VaultError::FileMissing { path })
            }
            Err(e) => return Err(io("read", &path, &e)),
        };
        let plain = sealed::open(&key, account_id, &file).map_err(|e| VaultError::Unreadable {
            path: path.clone(),
            reason: e.reason(),
        })?;
        let text = String::from_utf8(plain).map_err(|_| VaultError::Unreadable {
            path,
            reason: "its content is not text".to_string(),
        })?;
        Ok(Opened::Secret(Sensitive::new(text)))
    }

    /// Delete `account_id`'s sealed file; a missing file is not an error. Without the file the
    /// key opens nothing, so this alone makes the saved secret unrecoverable.
    pub fn remove_file(&self, account_id: &str) -> Result<(), VaultError> {
        let path = self.file_path(account_id);
        match fs::remove_file(&path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io("remove", &path, &e)),
        }
    }

    /// Delete `account_id`'s key from the keyring; a missing key is not an error.
    pub fn remove_key(&self, account_id: &str) -> Result<(), VaultError> {
        Ok(self.keyring.delete(&self.keyring_name(account_id))?)
    }

    fn write_atomically(&self, path: &Path, bytes: &[u8]) -> Result<(), VaultError> {
        create_private_dir(&self.dir)?;
        let mut temp = tempfile::NamedTempFile::new_in(&self.dir)
            .map_err(|e| io("create a file in", &self.dir, &e))?;
        temp.write_all(bytes)
            .and_then(|()| temp.as_file().sync_all())
            .map_err(|e| io("write", temp.path(), &e))?;
        temp.persist(path)
            .map_err(|e| io("replace", path, &e.error))?;
        sync_dir(&self.dir);
        Ok(())
    }
}

/// A vault key, if `value` is one (an older Onbehalf's saved sign-in is JSON, never this).
fn decode_key(value: &Sensitive<String>) -> Option<[u8; KEY_LEN]> {
    let bytes = STANDARD.decode(value.expose().trim()).ok()?;
    bytes.try_into().ok()
}

fn io(step: &'static str, path: &Path, e: &std::io::Error) -> VaultError {
    VaultError::Io {
        step,
        path: path.to_path_buf(),
        detail: e.to_string(),
    }
}

/// The vault's folder, readable by its owner only where the OS has such modes (the files are
/// encrypted anyway; this keeps their names and sizes private too).
fn create_private_dir(dir: &Path) -> Result<(), VaultError> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| io("create the folder", dir, &e))
}

/// Make the rename itself durable. Only Unix lets a folder be opened and flushed; elsewhere the
/// rename is as durable as the file system makes it.
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Err(e) = fs::File::open(dir).and_then(|d| d.sync_all()) {
        tracing::debug!(error = %e, "could not flush the vault folder");
    }
    #[cfg(not(unix))]
    let _ = dir;
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;
    use std::sync::Mutex;

    use super::*;
    use crate::MAX_SECRET_UTF16_UNITS;

    const ACCOUNT: &str =
        "b3e1f0a2-6c4d-4e8f-9a1b-2c3d4e5f6a7b.0b6f2a4c-1111-4222-8333-444455556666";

    /// A keyring in memory that refuses what Windows Credential Manager would, and remembers
    /// the size of every value written.
    #[derive(Default)]
    struct MemoryKeys {
        entries: Mutex<HashMap<String, String>>,
        written: Mutex<Vec<usize>>,
        unavailable: Mutex<bool>,
    }

    impl MemoryKeys {
        fn fail_if_unavailable(&self) -> Result<(), SecretsError> {
            match *self.unavailable.lock().unwrap() {
                true => Err(SecretsError::Unavailable {
                    detail: "the collection is locked".into(),
                }),
                false => Ok(()),
            }
        }
    }

    impl Keys for MemoryKeys {
        fn get(&self, name: &str) -> Result<Option<Sensitive<String>>, SecretsError> {
            self.fail_if_unavailable()?;
            Ok(self
                .entries
                .lock()
                .unwrap()
                .get(name)
                .cloned()
                .map(Sensitive::new))
        }
        fn set(&self, name: &str, value: &Sensitive<String>) -> Result<(), SecretsError> {
            self.fail_if_unavailable()?;
            let units = value.expose().encode_utf16().count();
            self.written.lock().unwrap().push(units);
            assert!(units <= MAX_SECRET_UTF16_UNITS, "{units} units written");
            self.entries
                .lock()
                .unwrap()
                .insert(name.to_string(), value.expose().clone());
            Ok(())
        }
        fn delete(&self, name: &str) -> Result<(), SecretsError> {
            self.fail_if_unavailable()?;
            self.entries.lock().unwrap().remove(name);
            Ok(())
        }
    }

    fn vault() -> (TokenVault, Arc<MemoryKeys>, tempfile::TempDir) {
        let dir = tempfile::tempdir().unwrap();
        let keys = Arc::new(MemoryKeys::default());
        let vault = TokenVault {
            keyring: keys.clone(),
            dir: dir.path().join("tokens"),
            profile: "profile".into(),
        };
        (vault, keys, dir)
    }

    /// A saved sign-in as large as real Entra tokens make it.
    fn big_secret() -> Sensitive<String> {
        Sensitive::new(format!(
            r#"{{"v":2,"refresh_token":"{}","account":{{"username":"daniel.reyes@contoso.com"}}}}"#,
            "0.AXEA".repeat(300)
        ))
    }

    fn secret_of(opened: Opened) -> String {
        match opened {
            Opened::Secret(s) => s.into_inner(),
            Opened::Legacy(_) => panic!("expected the sealed secret, got the legacy entry"),
        }
    }

    #[test]
    fn a_large_secret_round_trips_with_only_a_small_key_in_the_keyring() {
        let (vault, keys, _dir) = vault();
        vault.put(ACCOUNT, &big_secret()).unwrap();
        assert_eq!(
            secret_of(vault.get(ACCOUNT).unwrap()),
            *big_secret().expose()
        );

        let entries = keys.entries.lock().unwrap();
        let key = entries.get(&format!("profile:{ACCOUNT}")).unwrap();
        assert_eq!(key.len(), 44, "a 256-bit key in base64");
        let file = fs::read(vault.file_path(ACCOUNT)).unwrap();
        assert!(!String::from_utf8_lossy(&file).contains("0.AXEA"));
    }

    #[test]
    fn a_second_write_replaces_the_file_and_keeps_the_key() {
        let (vault, keys, _dir) = vault();
        vault.put(ACCOUNT, &Sensitive::from("first")).unwrap();
        vault.put(ACCOUNT, &Sensitive::from("second")).unwrap();
        assert_eq!(secret_of(vault.get(ACCOUNT).unwrap()), "second");
        assert_eq!(
            keys.written.lock().unwrap().len(),
            1,
            "the key is written once"
        );
        let leftovers: Vec<_> = fs::read_dir(&vault.dir).unwrap().collect();
        assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
    }

    #[test]
    fn nothing_kept_is_not_found_and_asks_for_a_sign_in() {
        let (vault, _, _dir) = vault();
        let err = vault.get(ACCOUNT).unwrap_err();
        assert_eq!(err, VaultError::NotFound);
        assert!(err.needs_sign_in());
        assert!(err.to_string().contains("Sign in again"), "{err}");
    }

    #[test]
    fn a_wrong_key_asks_for_a_sign_in() {
        let (vault, keys, _dir) = vault();
        vault.put(ACCOUNT, &Sensitive::from("secret")).unwrap();
        keys.entries.lock().unwrap().insert(
            format!("profile:{ACCOUNT}"),
            STANDARD.encode([9u8; KEY_LEN]),
        );
        let err = vault.get(ACCOUNT).unwrap_err();
        assert!(matches!(err, VaultError::Unreadable { .. }), "{err:?}");
        assert!(err.needs_sign_in());
        assert!(err.to_string().contains("does not match the key"), "{err}");
    }

    #[test]
    fn a_truncated_or_tampered_file_asks_for_a_sign_in() {
        let (vault, _, _dir) = vault();
        vault.put(ACCOUNT, &Sensitive::from("secret")).unwrap();
        let path = vault.file_path(ACCOUNT);
        let good = fs::read(&path).unwrap();

        fs::write(&path, &good[..good.len() / 2]).unwrap();
        let truncated = vault.get(ACCOUNT).unwrap_err();
        assert!(
            matches!(truncated, VaultError::Unreadable { .. }),
            "{truncated:?}"
        );

        let mut tampered = good.clone();
        let last = tampered.len() - 1;
        tampered[last] ^= 0x80;
        fs::write(&path, &tampered).unwrap();
        let changed = vault.get(ACCOUNT).unwrap_err();
        assert!(
            matches!(changed, VaultError::Unreadable { .. }),
            "{changed:?}"
        );
        assert!(changed.needs_sign_in());

        fs::remove_file(&path).unwrap();
        let missing = vault.get(ACCOUNT).unwrap_err();
        assert!(
            matches!(missing, VaultError::FileMissing { .. }),
            "{missing:?}"
        );
        assert!(missing.needs_sign_in());
    }

    #[test]
    fn another_accounts_file_does_not_open_as_this_one() {
        let (vault, keys, _dir) = vault();
        vault.put(ACCOUNT, &Sensitive::from("daniel's")).unwrap();
        let other = "t.other";
        let key = keys.entries.lock().unwrap()[&format!("profile:{ACCOUNT}")].clone();
        keys.entries
            .lock()
            .unwrap()
            .insert(format!("profile:{other}"), key);
        fs::copy(vault.file_path(ACCOUNT), vault.file_path(other)).unwrap();
        assert!(matches!(
            vault.get(other),
            Err(VaultError::Unreadable { .. })
        ));
    }

    #[test]
    fn an_older_onbehalfs_entry_is_handed_back_once_then_moved_into_the_vault() {
        let (vault, keys, _dir) = vault();
        let legacy = format!(
            r#"{{"v":1,"access_token":"{}","refresh_token":"rt"}}"#,
            "a".repeat(2_000)
        );
        keys.entries
            .lock()
            .unwrap()
            .insert(format!("profile:{ACCOUNT}"), legacy.clone());

        let Opened::Legacy(found) = vault.get(ACCOUNT).unwrap() else {
            panic!("the old entry is handed back as legacy");
        };
        assert_eq!(found.expose(), &legacy);

        // The caller converts it and puts it back: the entry becomes a key.
        vault.put(ACCOUNT, &Sensitive::from("converted")).unwrap();
        assert_eq!(secret_of(vault.get(ACCOUNT).unwrap()), "converted");
        let entry = keys.entries.lock().unwrap()[&format!("profile:{ACCOUNT}")].clone();
        assert_eq!(entry.len(), 44);
    }

    #[test]
    fn a_garbled_keyring_entry_asks_for_a_sign_in() {
        let (vault, keys, _dir) = vault();
        keys.entries
            .lock()
            .unwrap()
            .insert(format!("profile:{ACCOUNT}"), "not a key".into());
        let err = vault.get(ACCOUNT).unwrap_err();
        assert!(matches!(err, VaultError::BadKey { .. }), "{err:?}");
        assert!(err.needs_sign_in());
    }

    #[test]
    fn removing_the_file_and_the_key_forgets_the_secret_and_is_repeatable() {
        let (vault, keys, _dir) = vault();
        vault.put(ACCOUNT, &Sensitive::from("secret")).unwrap();
        vault.remove_file(ACCOUNT).unwrap();
        vault.remove_key(ACCOUNT).unwrap();
        assert!(keys.entries.lock().unwrap().is_empty());
        assert!(!vault.file_path(ACCOUNT).exists());
        assert_eq!(vault.get(ACCOUNT), Err(VaultError::NotFound));
        vault.remove_file(ACCOUNT).unwrap();
        vault.remove_key(ACCOUNT).unwrap();
    }

    #[test]
    fn a_locked_keyring_is_not_mistaken_for_a_lost_sign_in() {
        let (vault, keys, _dir) = vault();
        vault.put(ACCOUNT, &Sensitive::from("secret")).unwrap();
        *keys.unavailable.lock().unwrap() = true;
        let err = vault.get(ACCOUNT).unwrap_err();
        assert!(
            matches!(err, VaultError::Keyring(SecretsError::Unavailable { .. })),
            "{err:?}"
        );
        assert!(!err.needs_sign_in());
        // The file can still be removed without the keyring.
        vault.remove_file(ACCOUNT).unwrap();
        assert!(vault.remove_key(ACCOUNT).is_err());
    }

    #[test]
    fn file_names_are_short_and_safe_for_any_account_id() {
        let (vault, _, _dir) = vault();
        let path = vault.file_path("../../etc/passwd\\:*?");
        assert_eq!(path.parent(), Some(vault.dir.as_path()));
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let stem = name.strip_suffix(".sealed").unwrap();
        assert_eq!(stem.len(), 64, "{name}");
        assert!(stem.chars().all(|c| c.is_ascii_hexdigit()), "{name}");
    }
}
