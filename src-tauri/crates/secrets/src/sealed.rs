//! The sealed-file format of the vault: a versioned header, then XChaCha20-Poly1305 over the
//! secret.
//!
//! ```text
//! offset  size  field
//!      0     4  magic "OBTV" (Onbehalf token vault)
//!      4     1  format version (1)
//!      5    24  random nonce
//!     29     …  ciphertext followed by the 16-byte Poly1305 tag
//! ```
//!
//! The associated data is the header followed by the account id, so a file copied over
//! another account's, or with its version byte changed, fails to open instead of being read as
//! something else. A 24-byte random nonce is large enough that picking it at random for every
//! write never repeats in practice, which is why the extended-nonce variant is used.

use chacha20poly1305::aead::rand_core::RngCore;
use chacha20poly1305::aead::{Aead, OsRng, Payload};
use chacha20poly1305::{Key, KeyInit, XChaCha20Poly1305, XNonce};

const MAGIC: &[u8; 4] = b"OBTV";
/// The format this build writes; it reads this one and refuses newer ones by name.
pub(crate) const FORMAT: u8 = 1;
const NONCE_LEN: usize = 24;
const HEADER_LEN: usize = MAGIC.len() + 1;
const TAG_LEN: usize = 16;

/// A 256-bit vault key.
pub(crate) const KEY_LEN: usize = 32;

/// Why a sealed file could not be opened, in words for the "sign in again" message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OpenError {
    CutShort,
    NotAVaultFile,
    Newer(u8),
    /// Wrong key, another account's file, or a changed byte: the tag does not check out.
    DoesNotMatch,
}

impl OpenError {
    pub(crate) fn reason(self) -> String {
        match self {
            OpenError::CutShort => "the file is cut short".to_string(),
            OpenError::NotAVaultFile => "the file is not a saved sign-in".to_string(),
            OpenError::Newer(v) => format!("it was saved by a newer Onbehalf (format {v})"),
            OpenError::DoesNotMatch => {
                "the file does not match the key in the system keyring, or it was changed"
                    .to_string()
            }
        }
    }
}

/// A fresh random key.
pub(crate) fn new_key() -> Result<[u8; KEY_LEN], String> {
    let mut key = [0u8; KEY_LEN];
    OsRng.try_fill_bytes(&mut key).map_err(|e| e.to_string())?;
    Ok(key)
}

/// Seal `plaintext` for `account_id` with `key`, under a fresh random nonce.
pub(crate) fn seal(
    key: &[u8; KEY_LEN],
    account_id: &str,
    plaintext: &[u8],
) -> Result<Vec<u8>, String> {
    let mut nonce = [0u8; NONCE_LEN];
    OsRng
        .try_fill_bytes(&mut nonce)
        .map_err(|e| e.to_string())?;
    let header = header(FORMAT);
    let aad = associated_data(&header, account_id);
    let cipher = XChaCha20Poly1305::new(&Key::from(*key));
    let sealed = cipher
        .encrypt(
            &XNonce::from(nonce),
            Payload {
                msg: plaintext,
                aad: &aad,
            },
        )
        .map_err(|_| "the secret is too large to encrypt".to_string())?;
    let mut file = Vec::with_capacity(HEADER_LEN + NONCE_LEN + sealed.len());
    file.extend_from_slice(&header);
    file.extend_from_slice(&nonce);
    file.extend_from_slice(&sealed);
    Ok(file)
}

/// Open what [`seal`] wrote for `account_id` with `key`.
pub(crate) fn open(
    key: &[u8; KEY_LEN],
    account_id: &str,
    file: &[u8],
) -> Result<Vec<u8>, OpenError> {
    if file.len() < HEADER_LEN {
        return Err(OpenError::CutShort);
    }
    let (header, rest) = file.split_at(HEADER_LEN);
    if &header[..MAGIC.len()] != MAGIC {
        return Err(OpenError::NotAVaultFile);
    }
    match header[MAGIC.len()] {
        FORMAT => {}
        newer if newer > FORMAT => return Err(OpenError::Newer(newer)),
        _ => return Err(OpenError::NotAVaultFile),
    }
    if rest.len() < NONCE_LEN + TAG_LEN {
        return Err(OpenError::CutShort);
    }
    let (nonce, sealed) = rest.split_at(NONCE_LEN);
    let mut nonce_bytes = [0u8; NONCE_LEN];
    nonce_bytes.copy_from_slice(nonce);
    let aad = associated_data(header, account_id);
    XChaCha20Poly1305::new(&Key::from(*key))
        .decrypt(
            &XNonce::from(nonce_bytes),
            Payload {
                msg: sealed,
                aad: &aad,
            },
        )
        .map_err(|_| OpenError::DoesNotMatch)
}

fn header(version: u8) -> [u8; HEADER_LEN] {
    let mut h = [0u8; HEADER_LEN];
    h[..MAGIC.len()].copy_from_slice(MAGIC);
    h[MAGIC.len()] = version;
    h
}

fn associated_data(header: &[u8], account_id: &str) -> Vec<u8> {
    let mut aad = header.to_vec();
    aad.extend_from_slice(account_id.as_bytes());
    aad
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: [u8; KEY_LEN] = [7; KEY_LEN];
    const ACCOUNT: &str = "tenant.object";

    #[test]
    fn a_sealed_secret_opens_with_its_key_and_account() {
        let file = seal(&KEY, ACCOUNT, b"refresh-token").unwrap();
        assert_eq!(open(&KEY, ACCOUNT, &file).unwrap(), b"refresh-token");
        assert!(!file
            .windows(b"refresh-token".len())
            .any(|w| w == b"refresh-token"));
    }

    #[test]
    fn two_seals_of_the_same_secret_differ() {
        let a = seal(&KEY, ACCOUNT, b"same").unwrap();
        let b = seal(&KEY, ACCOUNT, b"same").unwrap();
        assert_ne!(a, b, "each write takes a fresh nonce");
    }

    #[test]
    fn another_key_or_account_does_not_open_it() {
        let file = seal(&KEY, ACCOUNT, b"secret").unwrap();
        assert_eq!(
            open(&[8; KEY_LEN], ACCOUNT, &file),
            Err(OpenError::DoesNotMatch)
        );
        assert_eq!(
            open(&KEY, "tenant.other", &file),
            Err(OpenError::DoesNotMatch)
        );
    }

    #[test]
    fn every_changed_byte_is_noticed() {
        let file = seal(&KEY, ACCOUNT, b"secret").unwrap();
        for i in 0..file.len() {
            let mut tampered = file.clone();
            tampered[i] ^= 0x01;
            assert!(open(&KEY, ACCOUNT, &tampered).is_err(), "byte {i}");
        }
    }

    #[test]
    fn a_cut_short_or_foreign_or_newer_file_says_which() {
        let file = seal(&KEY, ACCOUNT, b"secret").unwrap();
        assert_eq!(open(&KEY, ACCOUNT, &file[..3]), Err(OpenError::CutShort));
        assert_eq!(open(&KEY, ACCOUNT, &file[..20]), Err(OpenError::CutShort));
        assert_eq!(
            open(&KEY, ACCOUNT, &file[..file.len() - 1]),
            Err(OpenError::DoesNotMatch)
        );
        assert_eq!(
            open(&KEY, ACCOUNT, b"{\"v\":1,\"access_token\":\"a\"}"),
            Err(OpenError::NotAVaultFile)
        );
        let mut newer = file.clone();
        newer[4] = 2;
        assert_eq!(open(&KEY, ACCOUNT, &newer), Err(OpenError::Newer(2)));
        assert!(OpenError::Newer(2).reason().contains("newer Onbehalf"));
    }
}
