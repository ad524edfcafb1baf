//! The account an id token names.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};

use super::AuthError;

/// Who signed in, from the id token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountClaims {
    /// `tid`
    pub tenant_id: String,
    /// `oid`
    pub object_id: String,
    /// `preferred_username` (usually the UPN or email address)
    pub username: String,
    /// `name`
    pub name: String,
}

#[derive(Deserialize)]
struct Payload {
    tid: Option<String>,
    oid: Option<String>,
    preferred_username: Option<String>,
    upn: Option<String>,
    email: Option<String>,
    name: Option<String>,
}

impl AccountClaims {
    /// Read the claims of an id token.
    ///
    /// The signature is not checked: the token comes straight from the token endpoint of the
    /// configured authority, over the connection this process opened to it, in answer to our
    /// own request (OpenID Connect Core §3.1.3.7 allows TLS server validation in place of the
    /// signature in this case). It is never accepted from any other channel.
    pub fn from_id_token(id_token: &str) -> Result<AccountClaims, AuthError> {
        let invalid = |detail: &str| AuthError::Invalid {
            step: "read the id token",
            detail: detail.to_string(),
        };
        let mut parts = id_token.split('.');
        let payload = match (parts.next(), parts.next()) {
            (Some(_header), Some(payload)) => payload,
            _ => return Err(invalid("it is not a JWT")),
        };
        let bytes = URL_SAFE_NO_PAD
            .decode(payload.trim_end_matches('='))
            .map_err(|_| invalid("its payload is not base64url"))?;
        let p: Payload =
            serde_json::from_slice(&bytes).map_err(|_| invalid("its payload is not JSON"))?;
        let tenant_id = p
            .tid
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("no tid"))?;
        let object_id = p
            .oid
            .filter(|s| !s.is_empty())
            .ok_or_else(|| invalid("no oid"))?;
        Ok(AccountClaims {
            tenant_id,
            object_id,
            username: p
                .preferred_username
                .or(p.upn)
                .or(p.email)
                .unwrap_or_default(),
            name: p.name.unwrap_or_default(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.sig",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"RS256","typ":"JWT"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn claims_come_from_the_payload() {
        let token = jwt(
            r#"{"tid":"t-1","oid":"o-1","preferred_username":"megan@contoso.com","name":"Megan Bowen","aud":"x"}"#,
        );
        assert_eq!(
            AccountClaims::from_id_token(&token).unwrap(),
            AccountClaims {
                tenant_id: "t-1".into(),
                object_id: "o-1".into(),
                username: "megan@contoso.com".into(),
                name: "Megan Bowen".into(),
            }
        );
    }

    #[test]
    fn a_token_without_tenant_or_garbage_is_refused() {
        assert!(AccountClaims::from_id_token(&jwt(r#"{"oid":"o"}"#)).is_err());
        assert!(AccountClaims::from_id_token("not-a-token").is_err());
        assert!(AccountClaims::from_id_token("a.%%%.c").is_err());
    }
}
