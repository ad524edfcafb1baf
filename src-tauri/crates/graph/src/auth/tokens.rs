//! The tokens of one sign-in, and the part of them that is kept between runs.

use chrono::{DateTime, Utc};
use onbehalf_secrets::Sensitive;
use serde::{Deserialize, Serialize};

use super::{AccountClaims, AuthError};

/// The result of a sign-in or a refresh. `Debug` shows no token; there is no `Serialize`: the
/// access token lives in memory only, and what is kept is a [`SavedSignIn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Sensitive<String>,
    pub refresh_token: Option<Sensitive<String>>,
    pub expires_at: DateTime<Utc>,
    pub account: AccountClaims,
}

/// What is kept between runs: the refresh token and the account it belongs to. Never the
/// access token, which is short-lived and only ever held in memory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSignIn {
    pub refresh_token: Sensitive<String>,
    pub account: AccountClaims,
}

/// The saved form. Versioned so that a later format can still read this one; format 1 was the
/// whole token set, which older builds kept in the keyring entry itself.
#[derive(Serialize, Deserialize)]
struct Saved {
    v: u32,
    refresh_token: String,
    account: AccountClaims,
}

const SAVED_VERSION: u32 = 2;

/// Format 1, read once to move an older build's sign-in into the vault.
#[derive(Deserialize)]
struct LegacyV1 {
    v: u32,
    refresh_token: Option<String>,
    account: AccountClaims,
}

const READ_STEP: &str = "read the saved sign-in";

impl TokenSet {
    /// What to keep of this sign-in. Without a refresh token nothing outlives this process, so
    /// a sign-in that brought none is refused here rather than lost at the next start.
    pub fn saved(&self) -> Result<SavedSignIn, AuthError> {
        let refresh_token = self
            .refresh_token
            .clone()
            .ok_or_else(|| AuthError::Invalid {
                step: "keep the sign-in",
                detail: "no refresh token came back; is the offline_access scope allowed?"
                    .to_string(),
            })?;
        Ok(SavedSignIn {
            refresh_token,
            account: self.account.clone(),
        })
    }

    /// Whether the access token is still good for at least `margin`.
    pub fn is_fresh(&self, now: DateTime<Utc>, margin: chrono::Duration) -> bool {
        self.expires_at - margin > now
    }
}

impl SavedSignIn {
    /// The JSON that is sealed in the token vault.
    pub fn to_json(&self) -> Sensitive<String> {
        let saved = Saved {
            v: SAVED_VERSION,
            refresh_token: self.refresh_token.expose().clone(),
            account: self.account.clone(),
        };
        // Strings and a plain struct always serialize.
        Sensitive::new(serde_json::to_string(&saved).unwrap_or_default())
    }

    /// Read what [`SavedSignIn::to_json`] wrote.
    pub fn from_json(json: &Sensitive<String>) -> Result<SavedSignIn, AuthError> {
        let saved: Saved = parse(json)?;
        if saved.v > SAVED_VERSION {
            return Err(newer(saved.v));
        }
        Ok(SavedSignIn {
            refresh_token: Sensitive::new(saved.refresh_token),
            account: saved.account,
        })
    }

    /// Read the token set an older Onbehalf kept in the keyring entry (format 1). Its access
    /// token is dropped: it is kept nowhere any more, and a refresh makes a new one.
    pub fn from_legacy_keyring_json(json: &Sensitive<String>) -> Result<SavedSignIn, AuthError> {
        let legacy: LegacyV1 = parse(json)?;
        if legacy.v != 1 {
            return Err(newer(legacy.v));
        }
        let refresh_token = legacy
            .refresh_token
            .ok_or_else(|| AuthError::SignInRequired {
                detail: "the saved sign-in has no refresh token".to_string(),
            })?;
        Ok(SavedSignIn {
            refresh_token: Sensitive::new(refresh_token),
            account: legacy.account,
        })
    }

    /// A token set whose access token has already expired, so that the first use redeems the
    /// refresh token for a fresh one.
    pub fn into_token_set(self) -> TokenSet {
        TokenSet {
            access_token: Sensitive::new(String::new()),
            refresh_token: Some(self.refresh_token),
            expires_at: DateTime::<Utc>::UNIX_EPOCH,
            account: self.account,
        }
    }
}

fn parse<T: for<'de> Deserialize<'de>>(json: &Sensitive<String>) -> Result<T, AuthError> {
    // The parser's message could quote a token, so only its position is reported.
    serde_json::from_str(json.expose()).map_err(|e| AuthError::Invalid {
        step: READ_STEP,
        detail: format!("not valid at line {} column {}", e.line(), e.column()),
    })
}

fn newer(v: u32) -> AuthError {
    AuthError::Invalid {
        step: READ_STEP,
        detail: format!("it was saved by a newer Onbehalf (format {v})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn account() -> AccountClaims {
        AccountClaims {
            tenant_id: "t".into(),
            object_id: "o".into(),
            username: "u@contoso.com".into(),
            name: "U".into(),
        }
    }

    fn tokens() -> TokenSet {
        TokenSet {
            access_token: Sensitive::from("access-secret"),
            refresh_token: Some(Sensitive::from("refresh-secret")),
            expires_at: DateTime::parse_from_rfc3339("2030-01-01T00:00:00Z")
                .unwrap()
                .with_timezone(&Utc),
            account: account(),
        }
    }

    #[test]
    fn the_saved_form_round_trips_and_never_holds_the_access_token() {
        let saved = tokens().saved().unwrap();
        let json = saved.to_json();
        assert!(
            !json.expose().contains("access-secret"),
            "{}",
            json.expose()
        );
        assert_eq!(SavedSignIn::from_json(&json).unwrap(), saved);
    }

    #[test]
    fn a_sign_in_without_a_refresh_token_cannot_be_kept() {
        let mut t = tokens();
        t.refresh_token = None;
        let err = t.saved().unwrap_err();
        assert!(err.to_string().contains("offline_access"), "{err}");
    }

    #[test]
    fn a_restored_sign_in_refreshes_before_first_use() {
        let restored = tokens().saved().unwrap().into_token_set();
        assert!(!restored.is_fresh(Utc::now(), chrono::Duration::zero()));
        assert_eq!(
            restored.refresh_token.as_ref().map(|t| t.expose().as_str()),
            Some("refresh-secret")
        );
        assert_eq!(restored.account, account());
    }

    #[test]
    fn an_older_builds_keyring_entry_is_read_without_its_access_token() {
        let v1 = Sensitive::from(
            r#"{"v":1,"access_token":"access-secret","refresh_token":"refresh-secret","expires_at":"2030-01-01T00:00:00Z","account":{"tenant_id":"t","object_id":"o","username":"u@contoso.com","name":"U"}}"#,
        );
        let saved = SavedSignIn::from_legacy_keyring_json(&v1).unwrap();
        assert_eq!(saved.refresh_token.expose(), "refresh-secret");
        assert_eq!(saved.account, account());
        assert!(!saved.to_json().expose().contains("access-secret"));
    }

    #[test]
    fn debug_shows_no_token() {
        let text = format!("{:?} {:?}", tokens(), tokens().saved().unwrap());
        assert!(!text.contains("secret"), "{text}");
        assert!(text.contains("u@contoso.com"));
    }

    #[test]
    fn unreadable_or_newer_json_does_not_quote_it() {
        let err =
            SavedSignIn::from_json(&Sensitive::from(r#"{"v":2,"refresh_token":7}"#)).unwrap_err();
        assert!(matches!(err, AuthError::Invalid { .. }));
        let newer = SavedSignIn::from_json(&Sensitive::from(
            r#"{"v":9,"refresh_token":"r","account":{"tenant_id":"t","object_id":"o","username":"u","name":"n"}}"#,
        ))
        .unwrap_err();
        assert!(newer.to_string().contains("newer"), "{newer}");
    }
}
