//! HTTPS for the sandbox: a local certificate authority made once per data folder, and a
//! server certificate for `localhost`, `127.0.0.1` and `::1` issued by it at each start.
//! Clients trust the sandbox by trusting the CA's certificate file, never by turning
//! certificate checks off.
//!
//! Invariants: the CA's key never leaves its folder and is written owner-only where the OS
//! has modes; both files are written atomically, so a killed start leaves either a whole CA
//! or none; the server speaks HTTP/1.1 only (ALPN), as the plain-HTTP server does.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{Datelike, Duration, NaiveDate, Utc};
use rcgen::{
    BasicConstraints, CertificateParams, DistinguishedName, DnType, ExtendedKeyUsagePurpose, IsCa,
    Issuer, KeyPair, KeyUsagePurpose,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::error::SandboxError;

/// The CA certificate's file name in the data folder.
pub const CA_CERT_FILE: &str = "sandbox-ca.pem";
/// The CA key's file name in the data folder.
const CA_KEY_FILE: &str = "sandbox-ca-key.pem";
/// The names the server certificate is valid for.
const SERVER_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// The local CA and an acceptor presenting a server certificate it issued.
pub(crate) struct LocalTls {
    pub ca_file: PathBuf,
    pub acceptor: TlsAcceptor,
}

impl LocalTls {
    /// Load the CA kept in `folder`, or make one there, and issue a server certificate.
    pub fn prepare(folder: &Path) -> Result<LocalTls, SandboxError> {
        let fail = |what: &str, detail: String| SandboxError::Tls {
            detail: format!("{what}: {detail}"),
        };
        fs::create_dir_all(folder).map_err(|e| {
            fail(
                &format!("could not create {}", folder.display()),
                e.to_string(),
            )
        })?;
        let ca_file = folder.join(CA_CERT_FILE);
        let key_file = folder.join(CA_KEY_FILE);
        let ca_key = match (fs::read_to_string(&key_file), ca_file.exists()) {
            (Ok(pem), true) => KeyPair::from_pem(&pem).map_err(|e| {
                fail(
                    &format!("the CA key {} could not be read", key_file.display()),
                    e.to_string(),
                )
            })?,
            _ => create_ca(&ca_file, &key_file).map_err(|e| fail("could not make the CA", e))?,
        };
        let issuer = Issuer::new(ca_params(), ca_key);
        let ca_der = CertificateDer::from_pem_file(&ca_file).map_err(|e| {
            fail(
                &format!("{} holds no usable certificate", ca_file.display()),
                format!("{e}; delete it to make a new CA"),
            )
        })?;
        let server_key = KeyPair::generate().map_err(|e| fail("key", e.to_string()))?;
        let mut params = CertificateParams::new(SERVER_NAMES.map(String::from).to_vec())
            .map_err(|e| fail("server certificate", e.to_string()))?;
        params
            .distinguished_name
            .push(DnType::CommonName, "localhost");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
        params.key_usages = vec![
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::KeyEncipherment,
        ];
        let today = Utc::now().date_naive();
        params.not_before = day(today - Duration::days(1));
        // Within the 398 days browsers accept for a server certificate.
        params.not_after = day(today + Duration::days(365));
        let server_cert = params
            .signed_by(&server_key, &issuer)
            .map_err(|e| fail("server certificate", e.to_string()))?;
        let chain = vec![server_cert.der().clone(), ca_der];
        let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der()));
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| fail("TLS", e.to_string()))?
            .with_no_client_auth()
            .with_single_cert(chain, key)
            .map_err(|e| fail("TLS", e.to_string()))?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(LocalTls {
            ca_file,
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }
}

/// The CA's parameters. They are the same at every start, so that an issuer rebuilt from them
/// and the kept key names the kept certificate's subject and key id.
fn ca_params() -> CertificateParams {
    let mut params = CertificateParams::default();
    let mut name = DistinguishedName::new();
    name.push(DnType::CommonName, "Onbehalf Sandbox Local CA");
    name.push(DnType::OrganizationName, "Onbehalf Sandbox");
    params.distinguished_name = name;
    params.is_ca = IsCa::Ca(BasicConstraints::Constrained(0));
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::CrlSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let today = Utc::now().date_naive();
    params.not_before = day(today - Duration::days(1));
    params.not_after = day(today + Duration::days(10 * 365));
    params
}

fn create_ca(ca_file: &Path, key_file: &Path) -> Result<KeyPair, String> {
    let key = KeyPair::generate().map_err(|e| e.to_string())?;
    let cert = ca_params().self_signed(&key).map_err(|e| e.to_string())?;
    // The key first: a certificate without its key is remade, never used.
    write_atomic(key_file, key.serialize_pem().as_bytes(), true)?;
    write_atomic(ca_file, cert.pem().as_bytes(), false)?;
    tracing::info!(ca = %ca_file.display(), "made the sandbox's local CA");
    Ok(key)
}

fn day(date: NaiveDate) -> time::OffsetDateTime {
    // Month and day always fit in a u8.
    rcgen::date_time_ymd(date.year(), date.month() as u8, date.day() as u8)
}

fn write_atomic(path: &Path, bytes: &[u8], private: bool) -> Result<(), String> {
    let tmp = path.with_extension("tmp");
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    if private {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    #[cfg(not(unix))]
    let _ = private;
    let mut file = options
        .open(&tmp)
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    file.write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| format!("{}: {e}", tmp.display()))?;
    fs::rename(&tmp, path).map_err(|e| format!("{}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ca_is_made_once_per_folder_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let first = LocalTls::prepare(dir.path()).unwrap();
        let pem = fs::read_to_string(&first.ca_file).unwrap();
        let second = LocalTls::prepare(dir.path()).unwrap();
        assert_eq!(first.ca_file, second.ca_file);
        assert_eq!(pem, fs::read_to_string(&second.ca_file).unwrap());
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(dir.path().join(CA_KEY_FILE))
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "the CA key is readable by others");
        }
    }
}
