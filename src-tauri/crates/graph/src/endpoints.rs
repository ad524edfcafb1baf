//! Where sign-in and Graph live. Every URL the crate calls is derived from an [`Endpoints`]
//! value, so sovereign clouds, the sandbox and any server speaking the documented protocols
//! work without code changes.

use onbehalf_http::Trust;
use url::Url;

use crate::auth::AuthError;

/// The configured Microsoft identity authority, Graph root and application id, and the
/// certificate authorities trusted to serve them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The authority including its tenant segment, e.g.
    /// `https://login.microsoftonline.com/organizations` or `http://127.0.0.1:PORT/{tenant}`.
    pub authority: Url,
    /// The Graph version root, e.g. `https://graph.microsoft.com/v1.0`.
    pub graph_url: Url,
    /// The application (client) id of the public client registration.
    pub client_id: String,
    /// The built-in roots, plus a configured CA's (a local server over HTTPS).
    pub trust: Trust,
}

/// The delegated Graph permissions Onbehalf asks for, without their resource prefix:
/// - `User.Read`: who signed in (`GET /me`) and the groups they belong to
///   (`/me/transitiveMemberOf`, user-list-transitivememberof); Graph then lists the groups by
///   id alone, as their names need a permission that reads groups (`GroupMember.Read.All`),
///   which only an administrator can consent to and so is not asked for here;
/// - `Calendars.ReadWrite`: the user's own calendar, i.e. reading its `calendarPermissions`
///   (documented for `Calendars.ReadBasic`/`Read`/`ReadWrite`, not for the `.Shared` scopes)
///   and publishing the status record on it (`PATCH /me/calendar`);
/// - `Calendars.ReadWrite.Shared`: the calendars others delegated or shared to the user;
/// - `MailboxSettings.ReadWrite`: the user's own master category list, where sharing to the CRM
///   needs its category (outlookuser-post-mastercategories; no `.Shared` form exists);
/// - `Mail.ReadWrite`: drafts in the user's own mailbox (user-post-messages) and reading the
///   replies in their inbox (mailfolder-list-messages; it covers `Mail.Read`);
/// - `Mail.Send`: sending a draft or a message (message-send, user-sendmail);
/// - `Mail.Send.Shared`: sending with `from` set to another mailbox, the executive's
///   (outlook-send-mail-from-other-user); Exchange must also give the user Send on Behalf or
///   Send As on it.
///
/// A saved sign-in consented before a scope was added here is not renewed with it (Entra
/// refuses the refresh, AADSTS65001, which reads as "sign in again"): the user signs in once
/// more and consents to the new ones.
const GRAPH_SCOPES: [&str; 7] = [
    "User.Read",
    "Calendars.ReadWrite",
    "Calendars.ReadWrite.Shared",
    "MailboxSettings.ReadWrite",
    "Mail.ReadWrite",
    "Mail.Send",
    "Mail.Send.Shared",
];
/// OpenID Connect scopes: an id token for the account, and a refresh token.
const OIDC_SCOPES: [&str; 3] = ["openid", "profile", "offline_access"];

impl Endpoints {
    /// `{authority}/oauth2/v2.0/authorize`
    pub fn authorize_url(&self) -> Result<Url, AuthError> {
        self.identity_endpoint("authorize")
    }

    /// `{authority}/oauth2/v2.0/token`
    pub fn token_url(&self) -> Result<Url, AuthError> {
        self.identity_endpoint("token")
    }

    /// `{authority}/oauth2/v2.0/devicecode`
    pub fn device_code_url(&self) -> Result<Url, AuthError> {
        self.identity_endpoint("devicecode")
    }

    /// The resource prefix of Graph scopes: the origin of `graph_url` with a trailing slash.
    ///
    /// Entra ID names a Graph permission by the resource's identifier URI followed by the
    /// permission. In the public cloud that is `https://graph.microsoft.com/`, which is also the
    /// origin of the public Graph root; national clouds have their own Graph host and identifier
    /// (e.g. `https://graph.microsoft.us/`), and other servers (the sandbox) accept their own
    /// origin. Deriving it from `graph_url` keeps one setting for both.
    pub fn graph_resource(&self) -> String {
        format!("{}/", self.graph_url.origin().ascii_serialization())
    }

    /// Every scope requested at sign-in and refresh, in a stable order.
    pub fn scopes(&self) -> Vec<String> {
        let resource = self.graph_resource();
        OIDC_SCOPES
            .iter()
            .map(|s| s.to_string())
            .chain(GRAPH_SCOPES.iter().map(|s| format!("{resource}{s}")))
            .collect()
    }

    fn identity_endpoint(&self, leaf: &str) -> Result<Url, AuthError> {
        let mut url = self.authority.clone();
        url.set_query(None);
        url.set_fragment(None);
        url.path_segments_mut()
            .map_err(|()| AuthError::Config {
                detail: format!("the authority \"{}\" cannot have a path", self.authority),
            })?
            .pop_if_empty()
            .extend(["oauth2", "v2.0", leaf]);
        Ok(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn endpoints(authority: &str, graph: &str) -> Endpoints {
        Endpoints {
            authority: Url::parse(authority).unwrap(),
            graph_url: Url::parse(graph).unwrap(),
            client_id: "client".into(),
            trust: Trust::default(),
        }
    }

    #[test]
    fn identity_urls_keep_the_tenant_segment() {
        let e = endpoints(
            "https://login.microsoftonline.com/organizations",
            "https://graph.microsoft.com/v1.0",
        );
        assert_eq!(
            e.authorize_url().unwrap().as_str(),
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/authorize"
        );
        assert_eq!(
            e.token_url().unwrap().as_str(),
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/token"
        );
        assert_eq!(
            e.device_code_url().unwrap().as_str(),
            "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode"
        );
    }

    #[test]
    fn a_trailing_slash_and_a_port_are_kept_right() {
        let e = endpoints(
            "http://127.0.0.1:8123/b3e1f0a2-6c4d/",
            "http://127.0.0.1:8123/v1.0",
        );
        assert_eq!(
            e.token_url().unwrap().as_str(),
            "http://127.0.0.1:8123/b3e1f0a2-6c4d/oauth2/v2.0/token"
        );
    }

    #[test]
    fn scopes_use_the_graph_origin_as_resource() {
        let public = endpoints(
            "https://login.microsoftonline.com/organizations",
            "https://graph.microsoft.com/v1.0",
        );
        assert_eq!(
            public.scopes(),
            [
                "openid",
                "profile",
                "offline_access",
                "https://graph.microsoft.com/User.Read",
                "https://graph.microsoft.com/Calendars.ReadWrite",
                "https://graph.microsoft.com/Calendars.ReadWrite.Shared",
                "https://graph.microsoft.com/MailboxSettings.ReadWrite",
                "https://graph.microsoft.com/Mail.ReadWrite",
                "https://graph.microsoft.com/Mail.Send",
                "https://graph.microsoft.com/Mail.Send.Shared",
            ]
        );
        let us_gov = endpoints(
            "https://login.microsoftonline.us/organizations",
            "https://graph.microsoft.us/v1.0",
        );
        assert_eq!(us_gov.graph_resource(), "https://graph.microsoft.us/");
    }
}
