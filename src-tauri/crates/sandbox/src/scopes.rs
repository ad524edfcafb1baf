//! OAuth scope strings as the identity platform reads them. A Graph permission may be written
//! bare (`Calendars.Read`, which Entra reads as Graph's), with Graph's identifier URI
//! (`https://graph.microsoft.com/Calendars.Read`), with Graph's application id, or with this
//! sandbox's own origin, which stands in for Graph the way a national cloud's Graph host does.
//! Scopes of any other resource are kept apart and never count as Graph permissions.

use std::collections::BTreeMap;

/// Graph's identifier URI in the public cloud.
const GRAPH_URI: &str = "https://graph.microsoft.com";
/// Graph's application id, also accepted as its resource name.
const GRAPH_APP_ID: &str = "00000003-0000-0000-c000-000000000000";
/// The Graph permissions configured on Onbehalf's registration in the demo tenant, which
/// `.default` stands for: the mail ones let a delegate write drafts, read her mail and send on
/// the executive's behalf. Assumption: an admin consented to them for the tenant.
pub(crate) const REGISTERED: &[&str] = &[
    "User.Read",
    "Calendars.ReadWrite",
    "Calendars.ReadWrite.Shared",
    "MailboxSettings.ReadWrite",
    "Mail.ReadWrite",
    "Mail.Send.Shared",
];

/// A set of scopes, compared without regard to case or resource spelling.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ScopeSet {
    /// Comparable form (lowercase; Graph permissions without their resource) to the form shown.
    items: BTreeMap<String, String>,
}

impl ScopeSet {
    /// Read a space-separated `scope` value; `own_origin` is this sandbox's
    /// `http://127.0.0.1:PORT`.
    pub fn parse(scope: &str, own_origin: &str) -> ScopeSet {
        let mut items = BTreeMap::new();
        for token in scope.split_whitespace() {
            for (key, shown) in normalize(token, own_origin) {
                items.entry(key).or_insert(shown);
            }
        }
        ScopeSet { items }
    }

    /// Whether the set holds `name` (an OIDC scope or a bare Graph permission).
    pub fn has(&self, name: &str) -> bool {
        self.items.contains_key(&name.to_ascii_lowercase())
    }

    /// Whether the set holds any of `names`.
    pub fn has_any(&self, names: &[&str]) -> bool {
        names.iter().any(|n| self.has(n))
    }

    /// Whether every scope of `self` is also in `other`.
    pub fn is_subset(&self, other: &ScopeSet) -> bool {
        self.items.keys().all(|k| other.items.contains_key(k))
    }

    /// The scopes as an access token's `scp` claim lists them: Graph permissions and OIDC
    /// scopes by bare name, other resources' scopes left out (a token is for one resource).
    pub fn scp(&self) -> String {
        self.items
            .iter()
            .filter(|(k, _)| !k.contains('/') && k.as_str() != "offline_access")
            .map(|(_, shown)| shown.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// `http(s)://127.0.0.1:PORT` or `http(s)://localhost:PORT`.
fn is_loopback_origin(resource: &str) -> bool {
    [
        "http://127.0.0.1:",
        "http://localhost:",
        "https://127.0.0.1:",
        "https://localhost:",
    ]
    .iter()
    .any(|p| {
        resource.len() > p.len()
            && resource[..p.len()].eq_ignore_ascii_case(p)
            && resource[p.len()..].bytes().all(|b| b.is_ascii_digit())
    })
}

/// The comparable and shown forms of one scope token (`.default` stands for several).
fn normalize(token: &str, own_origin: &str) -> Vec<(String, String)> {
    let Some((resource, permission)) = token.rsplit_once('/') else {
        return vec![(token.to_ascii_lowercase(), token.to_string())];
    };
    let resource = resource.trim_end_matches('/');
    // Any loopback origin is this sandbox: it listens on a new port after each restart, while
    // a grant keeps the origin it was made with.
    let is_graph = [GRAPH_URI, GRAPH_APP_ID, own_origin.trim_end_matches('/')]
        .iter()
        .any(|g| g.eq_ignore_ascii_case(resource))
        || is_loopback_origin(resource);
    if !is_graph {
        return vec![(token.to_ascii_lowercase(), token.to_string())];
    }
    if permission.eq_ignore_ascii_case(".default") {
        return REGISTERED
            .iter()
            .map(|p| (p.to_ascii_lowercase(), p.to_string()))
            .collect();
    }
    vec![(permission.to_ascii_lowercase(), permission.to_string())]
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGIN: &str = "http://127.0.0.1:4711";

    #[test]
    fn graph_permissions_match_whatever_the_resource_spelling() {
        let set = ScopeSet::parse(
            "openid offline_access https://graph.microsoft.com/Calendars.ReadWrite http://127.0.0.1:4711/User.Read Calendars.Read.Shared",
            ORIGIN,
        );
        assert!(set.has("calendars.readwrite"));
        assert!(set.has("User.Read"));
        assert!(set.has("Calendars.Read.Shared"));
        assert!(!set.has("Calendars.ReadWrite.Shared"));
        assert_eq!(
            set.scp(),
            "Calendars.Read.Shared Calendars.ReadWrite openid User.Read"
        );
    }

    #[test]
    fn other_resources_do_not_count_and_default_means_the_registration() {
        let set = ScopeSet::parse("https://outlook.office.com/Calendars.Read", ORIGIN);
        assert!(!set.has("Calendars.Read"));
        let set = ScopeSet::parse("https://graph.microsoft.com/.default", ORIGIN);
        assert!(set.has("Calendars.ReadWrite.Shared") && set.has("User.Read"));
    }

    #[test]
    fn a_grant_made_before_a_restart_still_covers_the_same_permissions() {
        let granted = ScopeSet::parse("openid http://127.0.0.1:4711/Calendars.ReadWrite", ORIGIN);
        let after_restart = ScopeSet::parse(
            "openid http://127.0.0.1:5822/Calendars.ReadWrite",
            "http://127.0.0.1:5822",
        );
        assert!(after_restart.is_subset(&granted));
        let elsewhere = ScopeSet::parse("http://example.com:5822/Calendars.ReadWrite", ORIGIN);
        assert!(!elsewhere.has("Calendars.ReadWrite"));
    }

    #[test]
    fn a_narrower_request_is_a_subset() {
        let granted = ScopeSet::parse(
            "openid profile offline_access https://graph.microsoft.com/Calendars.ReadWrite",
            ORIGIN,
        );
        let narrower = ScopeSet::parse("openid Calendars.ReadWrite", ORIGIN);
        let wider = ScopeSet::parse("openid Calendars.ReadWrite Mail.Send", ORIGIN);
        assert!(narrower.is_subset(&granted));
        assert!(!wider.is_subset(&granted));
    }
}
