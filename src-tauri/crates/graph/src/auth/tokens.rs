//! The tokens of one sign-in, and their keyring form.

use chrono::{DateTime, Utc};
use onbehalf_secrets::Sensitive;
use serde::{Deserialize, Serialize};

use super::{AccountClaims, AuthError};

/// The result of a sign-in or a refresh. `Debug` shows no token; there is no `Serialize`:
/// the only way to write it anywhere is [`TokenSet::to_keyring_json`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Sensitive<String>,
    pub refresh_token: Option<Sensitive<String>>,
    pub expires_at: DateTime<Utc>,
    pub account: AccountClaims,
}

/// The keyring form. Versioned so that a later format can still read this one.
#[derive(Serialize, Deserialize)]
struct Stored {
    v: u32,
    access_token: String,
    refresh_token: Option<String>,
    expires_at: DateTime<Utc>,
    account: AccountClaims,
}

const STORED_VERSION: u32 = 1;

impl TokenSet {
    /// The JSON kept in the OS keyring.
    pub fn to_keyring_json(&self) -> Sensitive<String> {
        let stored = Stored {
            v: STORED_VERSION,
            access_token: self.access_token.expose().clone(),
            refresh_token: self.refresh_token.as_ref().map(|t| t.expose().clone()),
            expires_at: self.expires_at,
            account: self.account.clone(),
        };
        // Strings, a date and a plain struct always serialize.
        Sensitive::new(serde_json::to_string(&stored).unwrap_or_default())
    }

    /// Read what [`TokenSet::to_keyring_json`] wrote.
    pub fn from_keyring_json(json: &Sensitive<String>) -> Result<TokenSet, AuthError> {
        // The parser's message could quote a token, so only its position is reported.
        let stored: Stored =
            serde_json::from_str(json.expose()).map_err(|e| AuthError::Invalid {
                step: "read the saved sign-in",
                detail: format!("not valid at line {} column {}", e.line(), e.column()),
            })?;
        if stored.v > STORED_VERSION {
            return Err(AuthError::Invalid {
                step: "read the saved sign-in",
                detail: format!("it was saved by a newer Onbehalf (format {})", stored.v),
            });
        }
        Ok(TokenSet {
            access_token: Sensitive::new(stored.access_token),
            refresh_token: stored.refresh_token.map(Sensitive::new),
            expires_at: stored.expires_at,
            account: stored.account,
        })
    }

    /// Whether the access token is still good for at least `margin`.
    pub fn is_fresh(&self, now: DateTime<Utc>, margin: chrono::Duration) -> bool {
        self.expires_at - margin > now
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> TokenSet {
        TokenSet {
            access_token: Sensitive::from("access-secret"),
            refresh_token: Some(Sensitive::from("refresh-secret")),
            expires_at: DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            account: AccountClaims {
                tenant_id: "t".into(),
                object_id: "o".into(),
                username: "u@contoso.com".into(),
                name: "U".into(),
            },
        }
    }

    #[test]
    fn keyring_json_round_trips() {
        let t = tokens();
        assert_eq!(
            TokenSet::from_keyring_json(&t.to_keyring_json()).unwrap(),
            t
        );
    }

    #[test]
    fn debug_shows_no_token() {
        let text = format!("{:?}", tokens());
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("u@contoso.com"));
    }

    #[test]
    fn unreadable_json_does_not_quote_it() {
        let err = TokenSet::from_keyring_json(&Sensitive::from(r#"{"v":1,"access_token":7}"#))
            .unwrap_err();
        assert!(matches!(err, AuthError::Invalid { .. }));
        let newer = TokenSet::from_keyring_json(&Sensitive::from(
            r#"{"v":9,"access_token":"a","refresh_token":null,"expires_at":"2030-01-01T00:00:00Z","account":{"tenant_id":"t","object_id":"o","username":"u","name":"n"}}"#,
        ))
        .unwrap_err();
        assert!(newer.to_string().contains("newer"), "{newer}");
    }
}
