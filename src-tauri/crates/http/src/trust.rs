//! Which certificate authorities Onbehalf's HTTP clients trust: the built-in (webpki) roots,
//! plus the roots of one PEM file when one is configured (a local CA, such as the sandbox's in
//! its HTTPS mode). Certificate checks are never turned off; an extra root only adds an
//! authority whose certificates are then checked like any other.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls_pki_types::pem::{self, PemObject};
use rustls_pki_types::CertificateDer;

/// The roots an HTTP client trusts. The default is the built-in roots only.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Trust {
    extra: Option<Arc<ExtraRoots>>,
}

#[derive(PartialEq, Eq)]
struct ExtraRoots {
    file: PathBuf,
    /// Each root, DER-encoded, in the file's order.
    der: Vec<Vec<u8>>,
}

/// An extra CA file that cannot be used. Each names the file.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    #[error("Could not read the CA file {}: {source}", file.display())]
    Unreadable {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("The CA file {} is not a PEM file: {detail}", file.display())]
    NotPem { file: PathBuf, detail: String },
    #[error(
        "The CA file {} holds no certificate (expected one or more \
         \"-----BEGIN CERTIFICATE-----\" sections)",
        file.display()
    )]
    NoCertificate { file: PathBuf },
    #[error("The CA file {} holds a certificate that cannot be trusted as a root: {detail}", file.display())]
    Unusable { file: PathBuf, detail: String },
}

impl Trust {
    /// The built-in roots and every certificate in the PEM file at `path`. The file is read
    /// once, here; each certificate is checked to be usable as a root, so a bad file is told
    /// now, naming it, rather than as a failed connection later.
    pub fn from_pem_file(path: &Path) -> Result<Trust, TrustError> {
        let file = path.to_path_buf();
        let bytes = std::fs::read(path).map_err(|source| TrustError::Unreadable {
            file: file.clone(),
            source,
        })?;
        let der = CertificateDer::pem_slice_iter(&bytes)
            .map(|c| c.map(|c| c.as_ref().to_vec()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| TrustError::NotPem {
                file: file.clone(),
                detail: pem_problem(&e),
            })?;
        if der.is_empty() {
            return Err(TrustError::NoCertificate { file });
        }
        let trust = Trust {
            extra: Some(Arc::new(ExtraRoots { file, der })),
        };
        // The same steps a client takes, without the built-in roots: a certificate rustls
        // cannot take as a root fails here.
        trust
            .apply(reqwest::Client::builder().tls_built_in_root_certs(false))
            .and_then(reqwest::ClientBuilder::build)
            .map_err(|e| TrustError::Unusable {
                file: path.to_path_buf(),
                detail: error_chain(&e),
            })?;
        Ok(trust)
    }

    /// The file the extra roots came from, if any.
    pub fn file(&self) -> Option<&Path> {
        self.extra.as_deref().map(|e| e.file.as_path())
    }

    /// `builder` trusting the extra roots too. For clients that cannot be an
    /// [`crate::api_client`] (a stand-in browser that follows redirects).
    pub fn apply(
        &self,
        mut builder: reqwest::ClientBuilder,
    ) -> Result<reqwest::ClientBuilder, reqwest::Error> {
        for der in self.extra.iter().flat_map(|e| e.der.iter()) {
            builder = builder.add_root_certificate(reqwest::Certificate::from_der(der)?);
        }
        Ok(builder)
    }
}

impl fmt::Debug for Trust {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.extra.as_deref() {
            None => f.write_str("Trust(built-in roots)"),
            Some(e) => f
                .debug_struct("Trust")
                .field("file", &e.file)
                .field("extra_roots", &e.der.len())
                .finish(),
        }
    }
}

/// A PEM syntax error in words; the library's own text quotes the offending line as bytes.
fn pem_problem(e: &pem::Error) -> String {
    match e {
        pem::Error::MissingSectionEnd { .. } => "a section has no END line".to_string(),
        pem::Error::IllegalSectionStart { .. } => "a BEGIN line is malformed".to_string(),
        pem::Error::Base64Decode(_) => "a section is not valid base64".to_string(),
        other => other.to_string(),
    }
}

/// reqwest says "builder error" and keeps the reason in its sources.
fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ca_pem() -> String {
        rcgen::generate_simple_self_signed(vec!["localhost".to_string()])
            .unwrap()
            .cert
            .pem()
    }

    #[test]
    fn a_missing_file_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("no-such-ca.pem");
        let err = Trust::from_pem_file(&path).unwrap_err();
        assert!(matches!(err, TrustError::Unreadable { .. }), "{err:?}");
        assert!(err.to_string().contains("no-such-ca.pem"), "{err}");
    }

    #[test]
    fn a_file_without_a_certificate_is_an_error_naming_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("empty-ca.pem");
        std::fs::write(&path, "not a certificate\n").unwrap();
        let err = Trust::from_pem_file(&path).unwrap_err();
        assert!(matches!(err, TrustError::NoCertificate { .. }), "{err:?}");
        assert!(err.to_string().contains("empty-ca.pem"), "{err}");
        // A key alone is not a certificate either.
        let key = rcgen::KeyPair::generate().unwrap().serialize_pem();
        std::fs::write(&path, key).unwrap();
        let err = Trust::from_pem_file(&path).unwrap_err();
        assert!(matches!(err, TrustError::NoCertificate { .. }), "{err:?}");
    }

    #[test]
    fn a_certificate_that_is_not_der_is_an_error_naming_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("garbled-ca.pem");
        std::fs::write(
            &path,
            "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
        )
        .unwrap();
        let err = Trust::from_pem_file(&path).unwrap_err();
        assert!(matches!(err, TrustError::Unusable { .. }), "{err:?}");
        assert!(err.to_string().contains("garbled-ca.pem"), "{err}");
    }

    #[test]
    fn a_pem_bundle_is_trusted_and_an_api_client_builds_with_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, format!("{}{}", ca_pem(), ca_pem())).unwrap();
        let trust = Trust::from_pem_file(&path).unwrap();
        assert_eq!(trust.file(), Some(path.as_path()));
        assert_eq!(trust.extra.as_ref().map(|e| e.der.len()), Some(2));
        assert_ne!(trust, Trust::default());
        let timeout = std::time::Duration::from_secs(5);
        crate::api_client(timeout, timeout, &trust).unwrap();
    }

    #[test]
    fn the_default_trusts_only_the_built_in_roots() {
        let trust = Trust::default();
        assert_eq!(trust.file(), None);
        assert_eq!(format!("{trust:?}"), "Trust(built-in roots)");
    }
}
