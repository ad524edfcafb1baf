//! One sync cycle of the signed-in account: the Microsoft 365 session, the CRM session, the
//! context made from the last refresh, then the sync crate's cycle.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use onbehalf_engine::crm::Crm;
use onbehalf_engine::policy::Feature;
use onbehalf_engine::sync::account::{CycleOutcome, Service};
use onbehalf_engine::view::CalendarEntry;
use onbehalf_graph::GraphItems;
use onbehalf_salesforce::SalesforceCrm;
use onbehalf_store::{Account, CrmAccount};
use onbehalf_sync::{run_cycle, Context, Mode, Report, SyncError};
use serde::Serialize;

use crate::blocking::blocking;
use crate::crm::crm_service_error;
use crate::error::{ErrorCode, ServiceError};
use crate::policy::{check_change, effective_settings, SettingsView};
use crate::syncing::account_problems::CycleFailure;
use crate::syncing::context::{context_of, published_crm_users, watched_owners};
use crate::syncing::settings::{self, SyncSettings};
use crate::Onbehalf;

/// What a cycle, a share or a listing works with.
pub(crate) struct Work {
    pub account: Account,
    /// The calendars of the last refresh the context was made from.
    pub calendars: Vec<CalendarEntry>,
    pub ctx: Context,
    pub items: GraphItems,
    pub crm: SalesforceCrm,
}

/// What one cycle did (or, in a preview, would do).
#[derive(Debug, Clone, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct SyncRun {
    pub preview: bool,
    pub started_at: DateTime<Utc>,
    pub finished_at: DateTime<Utc>,
    /// How many owners' calendars it covered besides the user's own.
    pub watched_owners: usize,
    pub report: Report,
}

impl Onbehalf {
    /// Run one cycle now (`Mode::Preview`: only count what it would do). After a cycle that
    /// acts, whether it finished or not, the account's problems are settled and told.
    #[tracing::instrument(skip(self), err)]
    pub async fn sync_once(&self, mode: Mode) -> Result<SyncRun, ServiceError> {
        let _one_at_a_time = self.sync_runtime.cycle.lock().await;
        let started_at = Utc::now();
        let work = self.sync_work_or_failure().await;
        let (result, outcome) = match &work {
            Ok(w) => match run_cycle(&w.items, &w.crm, &self.store, &w.ctx, mode, started_at).await
            {
                Ok(report) => (Ok(report), CycleOutcome::Done),
                Err(e) => {
                    let f = CycleFailure::of_sync(e);
                    (Err(f.error), f.outcome)
                }
            },
            Err(f) => (Err(f.error.clone()), f.outcome),
        };
        let finished_at = Utc::now();
        if mode == Mode::Execute {
            self.after_cycle(work.as_ref().ok(), outcome, result.is_ok(), finished_at)
                .await?;
        }
        let work = work.map_err(|f| f.error)?;
        Ok(SyncRun {
            preview: mode == Mode::Preview,
            started_at,
            finished_at,
            watched_owners: work.ctx.calendars.iter().filter(|c| !c.is_own).count(),
            report: result?,
        })
    }

    /// What follows a cycle that acted: the account's problems settled, the problems told, the
    /// time of a finished cycle noted, and conflicts it synced settled.
    async fn after_cycle(
        &self,
        work: Option<&Work>,
        outcome: CycleOutcome,
        finished: bool,
        finished_at: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let account = match work {
            Some(w) => w.account.clone(),
            None => match self.current().await? {
                Some(a) => a,
                // Nobody is signed in: there is no account to keep problems for.
                None => return Ok(()),
            },
        };
        // What the cycle read is used again; without it, the store is read.
        let known = work.map(|w| (w.calendars.clone(), Some(w.ctx.crm_org.clone())));
        if let Err(e) = self
            .settle_account_problems(&account, known, outcome, finished_at)
            .await
        {
            tracing::warn!(error = %e, "the account's problems could not be kept");
        }
        // Telling is not syncing: a notification that cannot be shown fails no cycle.
        if let Err(e) = self.tell(&account, work).await {
            tracing::warn!(error = %e, "the sync's problems could not be told");
        }
        if !finished {
            return Ok(());
        }
        let store = self.store.clone();
        let id = account.id.clone();
        blocking("noting the sync's last run", move || {
            settings::set_last_run(&store, &id, finished_at)?;
            // A conflict whose item this cycle (or another app) synced since is over.
            store.sync_conflicts().settle_synced(&id)?;
            Ok(())
        })
        .await
    }

    /// The two sides and the context of the signed-in account's sync.
    pub(crate) async fn sync_work(&self) -> Result<Work, ServiceError> {
        self.sync_work_or_failure().await.map_err(|f| f.error)
    }

    /// The same, a failure saying which service it came from.
    async fn sync_work_or_failure(&self) -> Result<Work, CycleFailure> {
        let session = self
            .session()
            .await
            .map_err(|e| CycleFailure::of(e, Some(Service::Microsoft365)))?;
        let (crm_account, crm) = self
            .crm_session()
            .await
            .map_err(|e| CycleFailure::of(e, Some(Service::Crm)))?;
        let calendars = self
            .calendars_for_sync(&session.account)
            .await
            .map_err(|e| CycleFailure::of(e, None))?;
        let ctx = self
            .sync_context(&session.account, &crm_account, &crm, &calendars)
            .await
            .map_err(|e| CycleFailure::of(e, None))?;
        let items = GraphItems::new(session.source.client().clone(), &ctx.me);
        Ok(Work {
            account: session.account,
            calendars,
            ctx,
            items,
            crm,
        })
    }

    /// The account's sync settings in force (the user's, under policy and their profile).
    pub async fn sync_settings(&self) -> Result<SyncSettings, ServiceError> {
        Ok(self.sync_settings_view().await?.settings)
    }

    /// The account's sync settings in force, with what locks them.
    pub async fn sync_settings_view(&self) -> Result<SettingsView, ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        self.settings_view_of(&account).await
    }

    pub(crate) async fn settings_view_of(
        &self,
        account: &Account,
    ) -> Result<SettingsView, ServiceError> {
        let store = self.store.clone();
        let id = account.id.clone();
        let kept = blocking("reading the sync settings", move || {
            settings::load_kept(&store, &id)
        })
        .await?;
        let standing = self.standing(account).await?;
        effective_settings(&self.config.policy_layers, kept.as_ref(), &standing.profile)
    }

    /// Keep new sync settings (checked first; nothing changes when they are refused: out of
    /// bounds, or locked by the administrator).
    pub async fn set_sync_settings(&self, new: SyncSettings) -> Result<SyncSettings, ServiceError> {
        let account = self
            .current()
            .await?
            .ok_or_else(ServiceError::not_signed_in)?;
        let view = self.settings_view_of(&account).await?;
        check_change(&view, &new)?;
        if new.on && !view.settings.on {
            self.refuse_unless_granted(&account, Feature::CalendarSync)
                .await?;
        }
        let store = self.store.clone();
        let kept = new.clone();
        blocking("keeping the sync settings", move || {
            settings::save(&store, &account.id, &kept)
        })
        .await?;
        self.wake_sync();
        self.sync_settings().await
    }

    /// Refuse what the user's profile does not grant, saying why and who can change it.
    pub(crate) async fn refuse_unless_granted(
        &self,
        account: &Account,
        feature: Feature,
    ) -> Result<(), ServiceError> {
        match self.standing(account).await?.profile.refusal(feature) {
            None => Ok(()),
            Some(why) => Err(ServiceError::new(ErrorCode::Refused, why)),
        }
    }

    /// The calendars of the last refresh; never refreshed on this machine, found first.
    async fn calendars_for_sync(
        &self,
        account: &Account,
    ) -> Result<Vec<CalendarEntry>, ServiceError> {
        let calendars = self.stored_calendars(account).await?;
        match calendars.is_empty() {
            true => Ok(self.refresh().await?.calendars),
            false => Ok(calendars),
        }
    }

    /// The context of a cycle: `calendars`, the settings, and each watched owner's CRM user
    /// (from their published record, else looked up by address).
    pub(crate) async fn sync_context<C: Crm>(
        &self,
        account: &Account,
        crm_account: &CrmAccount,
        crm: &C,
        calendars: &[CalendarEntry],
    ) -> Result<Context, ServiceError> {
        self.refuse_unless_granted(account, Feature::CalendarSync)
            .await?;
        let view = self.settings_view_of(account).await?;
        let settings = view.settings;
        let published = published_crm_users(calendars, crm_account);
        let mut owner_users: BTreeMap<String, Option<String>> = BTreeMap::new();
        for cal in watched_owners(calendars) {
            let owner = cal.owner.to_lowercase();
            let user = match published.get(&owner) {
                Some(user) => Some(user.clone()),
                None => self.owner_crm_user(crm, &owner).await?,
            };
            owner_users.insert(owner, user);
        }
        Ok(context_of(
            account,
            crm_account,
            calendars,
            &settings,
            &owner_users,
            view.private_sync_allowed,
        ))
    }

    /// An owner's CRM user by address, remembered for an hour so an idle cycle asks nothing.
    async fn owner_crm_user<C: Crm>(
        &self,
        crm: &C,
        owner: &str,
    ) -> Result<Option<String>, ServiceError> {
        if let Some(known) = self.sync_runtime.owner_user(owner) {
            return Ok(known);
        }
        let user = crm
            .find_user(owner)
            .await
            .map_err(crm_service_error)?
            .filter(|u| u.active)
            .map(|u| u.id);
        self.sync_runtime.remember_owner_user(owner, user.clone());
        Ok(user)
    }
}

/// A cycle that stopped, worded for a person, with the code the caller branches on.
pub(crate) fn sync_service_error(e: SyncError) -> ServiceError {
    let code = match &e {
        SyncError::SignInExpired => ErrorCode::SignInRequired,
        SyncError::CrmSignInExpired => ErrorCode::CrmSignInRequired,
        SyncError::Exchange(_) | SyncError::Crm(_) if e.is_retryable() => ErrorCode::Network,
        SyncError::Store(_) => ErrorCode::Store,
        SyncError::Exchange(_) | SyncError::Crm(_) | SyncError::Stopped(_) => ErrorCode::Other,
    };
    ServiceError::new(code, crate::error::sentence(&e.to_string()))
}
