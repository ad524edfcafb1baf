//! The tokens of one Salesforce sign-in, and the part of them that is kept between runs.

use chrono::{DateTime, Utc};
use onbehalf_secrets::Sensitive;
use serde::{Deserialize, Serialize};
use url::Url;

use super::urls::service_url;
use super::AuthError;
use crate::soql::is_id;

/// The identity URL a sign-in names (`…/id/{orgId}/{userId}`): who signed in, in which org.
/// `GET` with the access token, it answers the user's name and e-mail.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityUrl {
    url: Url,
    org_id: String,
    user_id: String,
}

impl IdentityUrl {
    /// Read an identity URL; its last three segments must be `id`, an org id and a user id.
    pub fn parse(text: &str) -> Result<IdentityUrl, AuthError> {
        const STEP: &str = "name the signed-in user";
        let url = service_url(text, "identity URL", STEP)?;
        let segments: Vec<&str> = url
            .path_segments()
            .map(|s| s.filter(|s| !s.is_empty()).collect())
            .unwrap_or_default();
        match segments.as_slice() {
            [.., "id", org, user] if is_id(org) && is_id(user) => Ok(IdentityUrl {
                org_id: org.to_string(),
                user_id: user.to_string(),
                url,
            }),
            _ => Err(AuthError::Invalid {
                step: STEP,
                detail: "the identity URL does not end in /id/{org id}/{user id}".to_string(),
            }),
        }
    }

    pub fn url(&self) -> &Url {
        &self.url
    }

    pub fn as_str(&self) -> &str {
        self.url.as_str()
    }

    /// The org id (`00D…`); two users are in the same org when these are equal.
    pub fn org_id(&self) -> &str {
        &self.org_id
    }

    /// The user id (`005…`).
    pub fn user_id(&self) -> &str {
        &self.user_id
    }
}

/// The result of a sign-in or a refresh. `Debug` shows no token; there is no `Serialize`: the
/// access token lives in memory only, and what is kept is a [`SavedSignIn`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenSet {
    pub access_token: Sensitive<String>,
    /// The refresh token; with rotation on, each refresh brings a new one and retires the old.
    pub refresh_token: Option<Sensitive<String>>,
    /// Where the org's data is served; every data call goes here, never to the login host.
    pub instance_url: Url,
    pub identity_url: IdentityUrl,
    /// When Salesforce issued the access token. It does not say when it expires (that is the
    /// org's session policy): a refused token is renewed when a call is refused.
    pub issued_at: Option<DateTime<Utc>>,
}

/// What is kept between runs: the refresh token and where it applies. Never the access
/// token. Its JSON is a few hundred characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedSignIn {
    pub refresh_token: Sensitive<String>,
    pub instance_url: Url,
    pub identity_url: IdentityUrl,
}

/// The saved form, versioned so that a later format can still read this one.
#[derive(Serialize, Deserialize)]
struct Saved {
    v: u32,
    refresh_token: String,
    instance_url: String,
    identity_url: String,
}

const SAVED_VERSION: u32 = 1;
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
                detail: "no refresh token came back; does the connected app allow the \
                         refresh_token scope?"
                    .to_string(),
            })?;
        Ok(SavedSignIn {
            refresh_token,
            instance_url: self.instance_url.clone(),
            identity_url: self.identity_url.clone(),
        })
    }
}

impl SavedSignIn {
    /// The JSON to keep in the token vault.
    pub fn to_json(&self) -> Sensitive<String> {
        let saved = Saved {
            v: SAVED_VERSION,
            refresh_token: self.refresh_token.expose().clone(),
            instance_url: self.instance_url.to_string(),
            identity_url: self.identity_url.as_str().to_string(),
        };
        // Strings in a plain struct always serialize.
        Sensitive::new(serde_json::to_string(&saved).unwrap_or_default())
    }

    /// Read what [`SavedSignIn::to_json`] wrote.
    pub fn from_json(json: &Sensitive<String>) -> Result<SavedSignIn, AuthError> {
        // The parser's message could quote the token, so only its position is reported.
        let saved: Saved = serde_json::from_str(json.expose()).map_err(|e| AuthError::Invalid {
            step: READ_STEP,
            detail: format!("not valid at line {} column {}", e.line(), e.column()),
        })?;
        if saved.v > SAVED_VERSION {
            return Err(AuthError::Invalid {
                step: READ_STEP,
                detail: format!("it was saved by a newer Onbehalf (format {})", saved.v),
            });
        }
        Ok(SavedSignIn {
            refresh_token: Sensitive::new(saved.refresh_token),
            instance_url: service_url(&saved.instance_url, "instance URL", READ_STEP)?,
            identity_url: IdentityUrl::parse(&saved.identity_url)?,
        })
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const ID_URL: &str = "https://login.salesforce.com/id/00Dx0000000BV7zEAG/005x00000012Q9PAAU";

    fn tokens() -> TokenSet {
        TokenSet {
            access_token: Sensitive::from("00Dx!access-secret"),
            refresh_token: Some(Sensitive::from("5Aep8-refresh-secret")),
            instance_url: Url::parse("https://contoso.my.salesforce.com").unwrap(),
            identity_url: IdentityUrl::parse(ID_URL).unwrap(),
            issued_at: None,
        }
    }

    #[test]
    fn the_identity_url_names_org_and_user() {
        let id = IdentityUrl::parse(ID_URL).unwrap();
        assert_eq!(id.org_id(), "00Dx0000000BV7zEAG");
        assert_eq!(id.user_id(), "005x00000012Q9PAAU");
        assert!(IdentityUrl::parse("https://login.salesforce.com/id/00Dx/005x").is_err());
        assert!(IdentityUrl::parse("https://login.salesforce.com/services/data").is_err());
        assert!(IdentityUrl::parse(
            "http://login.example.com/id/00Dx0000000BV7zEAG/005x00000012Q9PAAU"
        )
        .is_err());
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
        assert!(json.expose().len() < 1_000);
        assert_eq!(SavedSignIn::from_json(&json).unwrap(), saved);
    }

    #[test]
    fn a_sign_in_without_a_refresh_token_cannot_be_kept() {
        let mut t = tokens();
        t.refresh_token = None;
        assert!(t.saved().unwrap_err().to_string().contains("refresh_token"));
    }

    #[test]
    fn debug_shows_no_token_and_bad_json_is_not_quoted() {
        let text = format!("{:?} {:?}", tokens(), tokens().saved().unwrap());
        assert!(!text.contains("secret"), "{text}");
        let err =
            SavedSignIn::from_json(&Sensitive::from(r#"{"v":1,"refresh_token":"5Aep-secret"#))
                .unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        let newer = SavedSignIn::from_json(&Sensitive::from(
            r#"{"v":7,"refresh_token":"r","instance_url":"https://x.my.salesforce.com","identity_url":"x"}"#,
        ))
        .unwrap_err();
        assert!(newer.to_string().contains("newer"), "{newer}");
    }
}
