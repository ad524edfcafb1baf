//! After each cycle, the problems of the account as a whole and of each watched owner's
//! calendar (an expired sign-in, a service out of reach for longer than the user allows, an
//! owner in another organisation or CRM org, conflicts waiting): raised when present, resolved
//! when gone. The engine decides; this gathers the facts and keeps the result.

use chrono::{DateTime, Duration, Utc};
use onbehalf_engine::crm::CrmError;
use onbehalf_engine::sync::account::{
    account_problems, AccountFacts, CycleOutcome, OwnerFacts, Service, ACCOUNT, OWNER_PREFIX,
};
use onbehalf_engine::view::CalendarEntry;
use onbehalf_store::{Account, Store};
use onbehalf_sync::SyncError;

use crate::blocking::blocking;
use crate::error::{ErrorCode, ServiceError};
use crate::syncing::context::watched_owners;
use crate::syncing::run::sync_service_error;
use crate::syncing::settings;
use crate::Onbehalf;

/// A cycle that stopped before it finished: what the user is told, and what it means for the
/// account's problems.
#[derive(Debug, Clone)]
pub(crate) struct CycleFailure {
    pub error: ServiceError,
    pub outcome: CycleOutcome,
}

impl CycleFailure {
    /// A failure while talking to `service` (`None`: either one).
    pub fn of(error: ServiceError, service: Option<Service>) -> Self {
        let outcome = match (error.code, service) {
            (ErrorCode::SignInRequired, _) => CycleOutcome::SignInExpired(Service::Microsoft365),
            (ErrorCode::CrmSignInRequired, _) => CycleOutcome::SignInExpired(Service::Crm),
            (ErrorCode::Network, service) => CycleOutcome::Unreachable(service),
            (
                ErrorCode::Config
                | ErrorCode::Refused
                | ErrorCode::Locked
                | ErrorCode::InvalidInput
                | ErrorCode::KeyringUnavailable
                | ErrorCode::Store
                | ErrorCode::Other,
                _,
            ) => CycleOutcome::Failed,
        };
        CycleFailure { error, outcome }
    }

    /// A cycle the sync crate stopped: which service failed, or the CRM's allowance spent.
    pub fn of_sync(e: SyncError) -> Self {
        let service = match &e {
            SyncError::Exchange(_) => Some(Service::Microsoft365),
            SyncError::Crm(_) => Some(Service::Crm),
            SyncError::SignInExpired
            | SyncError::CrmSignInExpired
            | SyncError::Store(_)
            | SyncError::Stopped(_) => None,
        };
        let spent = matches!(&e, SyncError::Crm(CrmError::BudgetSpent { .. }));
        let failure = CycleFailure::of(sync_service_error(e), service);
        match spent {
            true => CycleFailure {
                outcome: CycleOutcome::CrmBudgetSpent,
                ..failure
            },
            false => failure,
        }
    }
}

impl Onbehalf {
    /// Raise the account's and its owners' problems present after a cycle that ended with
    /// `outcome`, and resolve those that are gone. `known`: the calendars and CRM org the cycle
    /// worked with, when it got that far (else they are read from the store).
    pub(crate) async fn settle_account_problems(
        &self,
        account: &Account,
        known: Option<(Vec<CalendarEntry>, Option<String>)>,
        outcome: CycleOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), ServiceError> {
        let (calendars, crm_org) = match known {
            Some(known) => known,
            None => (
                self.stored_calendars(account).await?,
                self.crm_account_of(account).await?.map(|c| c.org_id),
            ),
        };
        let store = self.store.clone();
        let account = account.clone();
        blocking("keeping the account's problems", move || {
            settle(
                &store,
                &account,
                &calendars,
                crm_org.as_deref(),
                outcome,
                now,
            )
        })
        .await
    }
}

fn settle(
    store: &Store,
    account: &Account,
    calendars: &[CalendarEntry],
    crm_org: Option<&str>,
    outcome: CycleOutcome,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let id = &account.id;
    let unreachable = matches!(outcome, CycleOutcome::Unreachable(_)).then_some(now);
    let unreachable_since = settings::note_unreachable(store, id, unreachable)?;
    let owners = owner_facts(calendars, crm_org);
    let facts = AccountFacts {
        outcome,
        unreachable_since,
        now,
        threshold: Duration::minutes(i64::from(settings::load(store, id)?.problem_after_minutes)),
        owners: &owners,
        conflicts_waiting: store.sync_conflicts().open(id)?.len(),
    };
    let present = account_problems(&facts);
    let problems = store.sync_problems();
    for p in &present {
        problems.raise(id, &p.subject, p.cause, &p.detail.to_string(), now)?;
    }
    let keep: Vec<(&str, &str)> = present
        .iter()
        .map(|p| (p.subject.as_str(), p.cause))
        .collect();
    problems.resolve_all_except(id, ACCOUNT, &keep, now)?;
    problems.resolve_all_except(id, OWNER_PREFIX, &keep, now)?;
    Ok(())
}

/// What each watched owner's published record says about where their Onbehalf works.
fn owner_facts(calendars: &[CalendarEntry], crm_org: Option<&str>) -> Vec<OwnerFacts> {
    watched_owners(calendars)
        .into_iter()
        .filter_map(|c| {
            let o = c.owner_onbehalf.as_ref()?;
            let other_crm_org = match (o.crm_org_id.as_deref(), crm_org) {
                (Some(theirs), Some(mine)) => theirs != mine,
                // Unknown on either side proves nothing.
                _ => false,
            };
            Some(OwnerFacts {
                address: c.owner.clone(),
                name: c.owner_name.clone(),
                other_tenant: !o.same_tenant,
                other_crm_org,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_says_what_it_means_for_the_account() {
        let f = |code, service| CycleFailure::of(ServiceError::new(code, "x"), service).outcome;
        assert_eq!(
            f(ErrorCode::SignInRequired, Some(Service::Crm)),
            CycleOutcome::SignInExpired(Service::Microsoft365)
        );
        assert_eq!(
            f(ErrorCode::CrmSignInRequired, None),
            CycleOutcome::SignInExpired(Service::Crm)
        );
        assert_eq!(
            f(ErrorCode::Network, Some(Service::Crm)),
            CycleOutcome::Unreachable(Some(Service::Crm))
        );
        assert_eq!(f(ErrorCode::Store, None), CycleOutcome::Failed);
        let spent = CycleFailure::of_sync(SyncError::Crm(CrmError::BudgetSpent {
            message: "TotalRequests Limit exceeded.".into(),
        }));
        assert_eq!(spent.outcome, CycleOutcome::CrmBudgetSpent);
    }
}
