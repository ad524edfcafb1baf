//! The key ID tokens are signed with, as Entra signs them: RS256, the key named by `kid` in
//! the token's header and published at the `jwks_uri` of the OpenID metadata. One RSA key per
//! sandbox state, made the first time a token needs it and kept with the state, so a restart
//! keeps tokens already issued verifiable.
//!
//! Invariant: only the public half ever leaves the sandbox; the key is kept in the state file,
//! which is the sandbox's own (a sandbox signing key is not a secret anything else trusts).

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rsa::pkcs1::EncodeRsaPrivateKey;
use rsa::traits::PublicKeyParts;
use rsa::RsaPrivateKey;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

/// The modulus size Entra's keys have.
const BITS: usize = 2048;

/// An RSA key as the state keeps it.
#[derive(Clone, Serialize, Deserialize)]
pub(crate) struct SigningKey {
    /// The key id: the base64url SHA-256 of the modulus, shortened, as opaque as Entra's.
    pub kid: String,
    /// PKCS#1 DER, base64.
    pub private_pkcs1: String,
    /// The modulus and exponent, base64url, as the JWK publishes them.
    pub n: String,
    pub e: String,
}

impl SigningKey {
    pub fn generate() -> Result<SigningKey, String> {
        let key = RsaPrivateKey::new(&mut rand::thread_rng(), BITS).map_err(|e| e.to_string())?;
        let der = key.to_pkcs1_der().map_err(|e| e.to_string())?;
        let n = key.n().to_bytes_be();
        let e = key.e().to_bytes_be();
        let kid = URL_SAFE_NO_PAD.encode(&Sha256::digest(&n)[..20]);
        Ok(SigningKey {
            kid,
            private_pkcs1: STANDARD.encode(der.as_bytes()),
            n: URL_SAFE_NO_PAD.encode(n),
            e: URL_SAFE_NO_PAD.encode(e),
        })
    }

    /// A JWT of `claims`, signed RS256 with this key and naming it.
    pub fn sign<T: Serialize>(&self, claims: &T) -> Result<String, String> {
        let der = STANDARD
            .decode(&self.private_pkcs1)
            .map_err(|e| e.to_string())?;
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some(self.kid.clone());
        jsonwebtoken::encode(&header, claims, &EncodingKey::from_rsa_der(&der))
            .map_err(|e| e.to_string())
    }

    /// The JWK of the public key, as `discovery/v2.0/keys` lists it.
    pub fn jwk(&self, issuer: &str) -> Value {
        json!({
            "kty": "RSA",
            "use": "sig",
            "kid": self.kid,
            "n": self.n,
            "e": self.e,
            "cloud_instance_name": "microsoftonline.com",
            "issuer": issuer,
        })
    }
}

/// The state's key, made now when it has none.
pub(crate) fn signing_key(world: &mut crate::state::State) -> Result<SigningKey, String> {
    if let Some(key) = &world.auth.signing_key {
        return Ok(key.clone());
    }
    let key = SigningKey::generate()?;
    world.auth.signing_key = Some(key.clone());
    tracing::info!(kid = %key.kid, "made the ID token signing key");
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jsonwebtoken::{DecodingKey, Validation};

    #[test]
    fn a_signed_token_verifies_with_the_published_key_only() {
        let key = SigningKey::generate().unwrap();
        let token = key
            .sign(&json!({"sub": "x", "exp": 4_000_000_000u64}))
            .unwrap();
        let header = jsonwebtoken::decode_header(&token).unwrap();
        assert_eq!(header.alg, Algorithm::RS256);
        assert_eq!(header.kid.as_deref(), Some(key.kid.as_str()));
        let public = DecodingKey::from_rsa_components(&key.n, &key.e).unwrap();
        let mut validation = Validation::new(Algorithm::RS256);
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Value>(&token, &public, &validation).unwrap();
        assert_eq!(claims.claims["sub"], "x");
        let other = SigningKey::generate().unwrap();
        let wrong = DecodingKey::from_rsa_components(&other.n, &other.e).unwrap();
        assert!(jsonwebtoken::decode::<Value>(&token, &wrong, &validation).is_err());
    }
}
