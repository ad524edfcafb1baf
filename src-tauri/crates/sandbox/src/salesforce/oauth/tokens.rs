//! Issuing a session: an access token shaped like Salesforce's (the 15-character org id, `!`,
//! an opaque part), a refresh token when `refresh_token` or `offline_access` was granted, and
//! the documented token response (`access_token, refresh_token, signature, scope,
//! instance_url, id, token_type, issued_at`, plus `id_token` with `openid`). Codes and tokens
//! are recorded only as hashes.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use rand::RngCore;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::OAuthError;
use crate::origin::Origin;
use crate::salesforce::world::{CrmWorld, Principal, SfRefresh, SfSession};
use crate::salesforce::{Runtime, SALESFORCE_CLIENT_ID, SALESFORCE_CONSUMER_SECRET};
use crate::state::secret_hash;

pub(super) fn random(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

/// HMAC-SHA256 (RFC 2104) over SHA-256, which is all the token signature needs.
fn hmac_sha256(key: &[u8], message: &[u8]) -> [u8; 32] {
    let mut block = [0u8; 64];
    if key.len() > block.len() {
        block[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        block[..key.len()].copy_from_slice(key);
    }
    let pad = |byte: u8| block.map(|k| k ^ byte);
    let inner = Sha256::new()
        .chain_update(pad(0x36))
        .chain_update(message)
        .finalize();
    Sha256::new()
        .chain_update(pad(0x5c))
        .chain_update(inner)
        .finalize()
        .into()
}

/// The token response's `signature`: "Base64-encoded HMAC-SHA256 signature signed with the
/// client_secret containing the concatenated ID and issued_at value".
pub(crate) fn signature(id: &str, issued_at: &str) -> String {
    STANDARD.encode(hmac_sha256(
        SALESFORCE_CONSUMER_SECRET.as_bytes(),
        format!("{id}{issued_at}").as_bytes(),
    ))
}

/// A new authorization code.
pub(super) fn code() -> String {
    format!("aPrx{}", random(48))
}

/// The identity URL of a user, on the login host the client reached at `origin`.
pub(crate) fn identity_url(origin: &Origin, who: &Principal) -> String {
    format!("{origin}/id/{}/{}", who.org, who.user)
}

/// Issue a session (and a refresh token in `family`, or a new family) for `who` with
/// `scopes`; the answer of the token endpoint.
pub(super) fn issue(
    world: &mut CrmWorld,
    runtime: &Runtime,
    origin: &Origin,
    who: &Principal,
    scopes: &[String],
    family: Option<String>,
    now: DateTime<Utc>,
) -> Result<Value, OAuthError> {
    let instance_url = runtime.instance_url(&who.org, origin).ok_or_else(|| {
        OAuthError::new("invalid_grant", "user is not in an org this server serves")
    })?;
    let lifetime = Duration::from_std(runtime.session_lifetime).unwrap_or(Duration::hours(2));
    let scope = scopes.join(" ");
    let wants_refresh = scopes
        .iter()
        .any(|s| s == "refresh_token" || s == "offline_access");
    let family = wants_refresh.then(|| family.unwrap_or_else(|| random(16)));
    let org15 = who.org.get(..15).unwrap_or(&who.org);
    let access = format!("{org15}!{}", random(84));
    world.auth.sessions.insert(
        secret_hash(&access),
        SfSession {
            who: who.clone(),
            scope: scope.clone(),
            family: family.clone(),
            expires: now + lifetime,
        },
    );
    let id = identity_url(origin, who);
    let issued_at = now.timestamp_millis().to_string();
    let mut body = json!({
        "access_token": access,
        "signature": signature(&id, &issued_at),
        "scope": scope,
        "instance_url": instance_url,
        "id": id,
        "token_type": "Bearer",
        "issued_at": issued_at,
    });
    if let Some(family) = family {
        let refresh = format!("5Aep861{}", random(60));
        world.auth.refresh_tokens.insert(
            secret_hash(&refresh),
            SfRefresh {
                who: who.clone(),
                scope: scope.clone(),
                family,
                issued: now,
                used: false,
            },
        );
        body["refresh_token"] = Value::String(refresh);
    }
    if scopes.iter().any(|s| s == "openid") {
        body["id_token"] = Value::String(id_token(origin, who, now)?);
    }
    Ok(body)
}

/// Signs id tokens. A sandbox-only key: nothing outside the sandbox trusts these tokens.
const ID_TOKEN_KEY: &[u8] = b"onbehalf-sandbox salesforce id_token key (HS256, not a secret)";

fn id_token(origin: &Origin, who: &Principal, now: DateTime<Utc>) -> Result<String, OAuthError> {
    let claims = json!({
        "iss": origin.to_string(),
        "sub": identity_url(origin, who),
        "aud": SALESFORCE_CLIENT_ID,
        "iat": now.timestamp(),
        "exp": (now + Duration::minutes(5)).timestamp(),
    });
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(ID_TOKEN_KEY),
    )
    .map_err(|e| {
        OAuthError::new("server_error", format!("could not sign the id token: {e}"))
            .status(axum::http::StatusCode::INTERNAL_SERVER_ERROR)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let mac = hmac_sha256(b"Jefe", b"what do ya want for nothing?");
        assert_eq!(
            hex::encode(mac),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }
}
