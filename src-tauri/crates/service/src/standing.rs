//! The user's standing under the administrator's policy: their profile (which features they may
//! use) and the owners policy has them watch. Both may need the user's groups (from Microsoft
//! 365) and the CRM's permission sets; they are learnt at most once an hour, kept for when
//! neither can be reached, and never guessed: unknown grants nothing.

use std::time::{Duration, Instant};

use onbehalf_engine::crm::Crm;
use onbehalf_engine::policy::{choose, needs, owners_for, Key, Membership, ProfileChoice};
use onbehalf_engine::ports::CalendarSource;
use onbehalf_store::{Account, Store};
use serde::{Deserialize, Serialize};

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::Onbehalf;

/// How long a standing learnt from the services holds before it is learnt again.
const FRESH_FOR: Duration = Duration::from_secs(60 * 60);

/// The user's profile and the owners policy has them watch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Standing {
    pub profile: ProfileChoice,
    pub owners: Vec<String>,
}

/// The standing in memory, by account.
#[derive(Default)]
pub(crate) struct StandingCache(std::sync::Mutex<Option<(String, Instant, Standing)>>);

impl StandingCache {
    fn get(&self, account: &str) -> Option<Standing> {
        let held = self.0.lock().ok()?;
        let (id, at, s) = held.as_ref()?;
        (id == account && at.elapsed() < FRESH_FOR).then(|| s.clone())
    }

    fn put(&self, account: &str, s: &Standing) {
        if let Ok(mut held) = self.0.lock() {
            *held = Some((account.to_string(), Instant::now(), s.clone()));
        }
    }

    /// Forget it, so the next use learns it again (a new sign-in, a refresh).
    pub fn forget(&self) {
        if let Ok(mut held) = self.0.lock() {
            *held = None;
        }
    }
}

fn kept_key(account: &str) -> String {
    format!("policy.standing.{account}")
}

impl Onbehalf {
    /// The signed-in user's profile (everyone's grants when nobody is signed in).
    pub async fn profile(&self) -> Result<ProfileChoice, ServiceError> {
        match self.current().await? {
            Some(account) => Ok(self.standing(&account).await?.profile),
            None => Ok(choose(&self.config.policy, &Membership::default(), None)),
        }
    }

    /// The user's standing: in memory, else learnt, else the last one kept.
    pub(crate) async fn standing(&self, account: &Account) -> Result<Standing, ServiceError> {
        if let Some(s) = self.standing_cache.get(&account.id) {
            return Ok(s);
        }
        let policy = &self.config.policy;
        let (need_groups, need_crm) = needs(policy);
        let learnt = self.learn_membership(account, need_groups, need_crm).await;
        let standing = match learnt {
            Ok((membership, crm_sets)) => {
                let s = Standing {
                    profile: choose(policy, &membership, crm_sets.as_deref()),
                    owners: owners_for(policy.list(Key::WatchOwners), &policy.watch, &membership),
                };
                self.keep_standing(&account.id, &s).await?;
                s
            }
            Err(why) => match self.kept_standing(&account.id).await? {
                Some(kept) => {
                    tracing::info!(reason = %why, "using the profile learnt last time");
                    return Ok(kept);
                }
                None => Standing {
                    profile: ProfileChoice::unknown(policy, why),
                    owners: owners_for(
                        policy.list(Key::WatchOwners),
                        &[],
                        &Membership::new(&account.address, []),
                    ),
                },
            },
        };
        self.standing_cache.put(&account.id, &standing);
        Ok(standing)
    }

    /// The user's groups and CRM permission sets, where policy needs them; the error says, for
    /// a person, why they could not be read.
    async fn learn_membership(
        &self,
        account: &Account,
        need_groups: bool,
        need_crm: bool,
    ) -> Result<(Membership, Option<Vec<String>>), String> {
        let mut groups = Vec::new();
        if need_groups {
            let session = self
                .session()
                .await
                .map_err(|e| format!("your groups could not be read: {}", e.message))?;
            let found = session
                .source
                .my_groups()
                .await
                .map_err(|e| format!("your groups could not be read: {e}"))?;
            for g in found {
                groups.push(g.id);
                groups.extend(g.mail);
                if !g.display_name.is_empty() {
                    groups.push(g.display_name);
                }
            }
        }
        let membership = Membership::new(&account.address, groups);
        if !need_crm {
            return Ok((membership, None));
        }
        match self.crm_session().await {
            Ok((crm_account, crm)) => {
                let sets = crm
                    .profile_names(&crm_account.user_id)
                    .await
                    .map_err(|e| format!("your CRM permission sets could not be read: {e}"))?;
                Ok((membership, Some(sets)))
            }
            // Not signed in to the CRM: no permission set to go by yet.
            Err(e) if e.code == ErrorCode::CrmSignInRequired => Ok((membership, Some(Vec::new()))),
            Err(e) => Err(format!(
                "your CRM permission sets could not be read: {}",
                e.message
            )),
        }
    }

    async fn keep_standing(&self, account: &str, s: &Standing) -> Result<(), ServiceError> {
        let store = self.store.clone();
        let key = kept_key(account);
        let s = s.clone();
        blocking("keeping your profile", move || {
            crate::kept_json::save(&store, &key, "your profile", &s)
        })
        .await
    }

    async fn kept_standing(&self, account: &str) -> Result<Option<Standing>, ServiceError> {
        let store = self.store.clone();
        let key = kept_key(account);
        blocking("reading your profile", move || kept(&store, &key)).await
    }
}

fn kept(store: &Store, key: &str) -> Result<Option<Standing>, ServiceError> {
    Ok(store
        .settings()
        .get(key)?
        .and_then(|text| serde_json::from_str(&text).ok()))
}
