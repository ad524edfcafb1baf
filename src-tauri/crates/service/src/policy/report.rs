//! `onbehalf policy`: every effective setting, its value, where it came from and whether it is
//! locked; the keys policy holds that this version ignores; the user's profile and what it
//! grants; the owners policy has the user watch.

use onbehalf_engine::policy::{
    choose, Effective, FeatureLine, Key, Membership, Origin, PolicyNote, ProfileChoice, Value,
};
use serde::Serialize;

use crate::blocking::blocking;
use crate::error::ServiceError;
use crate::syncing::settings;
use crate::Onbehalf;

use super::effective::with_kept;

/// The policy in force, for a person or a script.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct PolicyReport {
    /// Where machine policy was read (none: no machine policy on this computer).
    pub sources: Vec<String>,
    pub settings: Vec<Effective>,
    /// Keys this version does not know, ignored.
    pub ignored: Vec<PolicyNote>,
    /// The signed-in user's profile (`None`: nobody is signed in).
    pub profile: Option<ProfileChoice>,
    pub features: Vec<FeatureLine>,
    /// Owners policy has the signed-in user watch.
    pub watched_owners: Vec<String>,
}

impl Onbehalf {
    /// With `--sandbox`, the endpoints are the sandbox's, whatever policy says.
    fn as_connected(&self, mut e: Effective) -> Effective {
        if !self.is_sandbox() {
            return e;
        }
        let c = &self.config;
        let value = match e.key {
            Key::MicrosoftAuthority => Some(c.microsoft.authority.clone()),
            Key::GraphUrl => Some(c.microsoft.graph_url.clone()),
            Key::MicrosoftClientId => c.microsoft.client_id.clone(),
            Key::SalesforceLoginUrl => Some(c.salesforce.login_url.clone()),
            Key::SalesforceClientId => c.salesforce.client_id.clone(),
            _ => return e,
        };
        e.value = value.map(Value::Text);
        e.origin = Origin::User {
            place: "--sandbox".into(),
        };
        e.locked = false;
        e.note = None;
        e
    }

    pub async fn policy_report(&self) -> Result<PolicyReport, ServiceError> {
        let account = self.current().await?;
        let kept = match &account {
            Some(a) => {
                let store = self.store.clone();
                let id = a.id.clone();
                blocking("reading the sync settings", move || {
                    settings::load_kept(&store, &id)
                })
                .await?
            }
            None => None,
        };
        let policy = with_kept(&self.config.policy_layers, kept.as_ref())?;
        let (profile, watched_owners) = match &account {
            Some(a) => {
                let s = self.standing(a).await?;
                (Some(s.profile), s.owners)
            }
            None => (None, Vec::new()),
        };
        let features = profile
            .clone()
            .unwrap_or_else(|| choose(&policy, &Membership::default(), None))
            .lines();
        Ok(PolicyReport {
            sources: self
                .config
                .policy_layers
                .iter()
                .filter(|l| l.strength != onbehalf_engine::policy::Strength::User)
                .map(|l| l.place.clone())
                .collect(),
            settings: policy
                .settings()
                .map(|e| self.as_connected(e.clone()))
                .collect(),
            ignored: policy.notes.clone(),
            profile,
            features,
            watched_owners,
        })
    }
}
