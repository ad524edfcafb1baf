//! Access and refresh tokens shaped like Entra's, so clients meet their real sizes (keyring
//! entries, headers, logs). An access token is a v1.0 JWT for Graph carrying the claims Entra
//! puts there (2,000 characters and more); a refresh token is an opaque string of about
//! 1,500 characters starting `0.A`. The sandbox keeps only their hashes.
//!
//! Assumption: the signature is random bytes. Graph access tokens are opaque to clients
//! (Microsoft tells them not to validate or parse them), and the sandbox recognises its tokens
//! by hash, so nothing ever checks it.

use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use serde_json::json;
use sha2::{Digest, Sha256};

use crate::state::User;
use crate::{CLIENT_ID, TENANT_ID};

/// Graph's application id, the audience of Graph access tokens.
const GRAPH_AUDIENCE: &str = "00000003-0000-0000-c000-000000000000";
/// The directory role template of an ordinary member ("User").
const MEMBER_ROLE: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

fn random_b64url(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    URL_SAFE_NO_PAD.encode(buf)
}

fn random_b64(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    STANDARD.encode(buf)
}

/// A stable pairwise value for a user and this app, as `sub` is.
fn pairwise(user: &User, salt: &str) -> String {
    URL_SAFE_NO_PAD.encode(
        Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update(user.id.as_bytes())
            .chain_update(CLIENT_ID.as_bytes())
            .finalize(),
    )
}

/// A Graph access token for `user` with the `scp` claim `scp`.
pub(crate) fn access_token(
    user: &User,
    scp: &str,
    now: DateTime<Utc>,
    lifetime: Duration,
) -> String {
    let header = json!({
        "typ": "JWT",
        "nonce": random_b64url(32),
        "alg": "RS256",
        "x5t": random_b64url(20),
        "kid": random_b64url(20),
    });
    let puid = hex::encode_upper(&Sha256::digest(user.id.as_bytes())[..8]);
    let claims = json!({
        "aud": GRAPH_AUDIENCE,
        "iss": format!("https://sts.windows.net/{TENANT_ID}/"),
        "iat": now.timestamp(),
        "nbf": now.timestamp(),
        "exp": (now + lifetime).timestamp(),
        "acct": 0,
        "acr": "1",
        "aio": random_b64(132),
        "amr": ["pwd", "mfa"],
        "app_displayname": "Onbehalf",
        "appid": CLIENT_ID,
        "appidacr": "0",
        "family_name": user.surname,
        "given_name": user.given_name,
        "idtyp": "user",
        "ipaddr": "127.0.0.1",
        "name": user.display_name,
        "oid": user.id,
        "platf": "3",
        "puid": puid,
        "rh": format!("1.A{}AAA.", random_b64url(48)),
        "scp": scp,
        "sid": uuid::Uuid::new_v4().to_string(),
        "signin_state": ["kmsi"],
        "sub": pairwise(user, "sub"),
        "tenant_region_scope": "NA",
        "tid": TENANT_ID,
        "unique_name": user.address,
        "upn": user.address,
        "uti": random_b64url(16),
        "ver": "1.0",
        "wids": [MEMBER_ROLE],
        "xms_ftd": random_b64url(40),
        "xms_idrel": "1 20",
        "xms_st": { "sub": pairwise(user, "xms_st") },
        "xms_tcdt": 1_640_995_200,
    });
    let part = |v: &serde_json::Value| URL_SAFE_NO_PAD.encode(v.to_string().as_bytes());
    format!("{}.{}.{}", part(&header), part(&claims), random_b64url(256))
}

/// An opaque refresh token: `0.A`, a routing part, then the encrypted-looking grant.
pub(crate) fn refresh_token() -> String {
    format!("0.A{}.{}", random_b64url(90), random_b64url(1030))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user() -> User {
        User {
            id: "5f0c7c1e-3c3a-4a53-9d1b-0b8a4f6c2e01".into(),
            address: "olivia.grant@contoso.com".into(),
            display_name: "Olivia Grant".into(),
            given_name: "Olivia".into(),
            surname: "Grant".into(),
            job_title: String::new(),
            office_location: String::new(),
            business_phones: Vec::new(),
            mobile_phone: None,
            send_on_behalf_to: Vec::new(),
            tokens_valid_from: None,
            working_hours: None,
        }
    }

    #[test]
    fn tokens_have_entras_sizes_and_claims() {
        let token = access_token(
            &user(),
            "Calendars.ReadWrite openid profile User.Read",
            Utc::now(),
            Duration::hours(1),
        );
        assert!(token.len() >= 2000, "{} characters", token.len());
        let claims: serde_json::Value = serde_json::from_slice(
            &URL_SAFE_NO_PAD
                .decode(token.split('.').nth(1).unwrap())
                .unwrap(),
        )
        .unwrap();
        assert_eq!(claims["upn"], "olivia.grant@contoso.com");
        assert_eq!(claims["ver"], "1.0");
        assert_eq!(
            claims["scp"],
            "Calendars.ReadWrite openid profile User.Read"
        );
        let refresh = refresh_token();
        assert!(refresh.starts_with("0.A"));
        assert!((1400..1600).contains(&refresh.len()), "{}", refresh.len());
    }
}
