//! What a refusal becomes: a problem kept in the store (once per item and cause), a pair left
//! for the next cycle when a side was only busy, or the cycle stopped when a sign-in expired.

use onbehalf_engine::crm::{Crm, CrmError};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_engine::sync::plan::Problem;
use onbehalf_engine::sync::port::ItemSource;
use onbehalf_store::item_subject;
use serde_json::json;

use crate::db::db;
use crate::error::SyncError;
use crate::execute::{Executor, Outcome};
use crate::report::Report;

impl<S: ItemSource, C: Crm> Executor<'_, S, C> {
    pub(crate) async fn raise(&self, key: &ItemKey, problem: &Problem) -> Result<(), SyncError> {
        let account = self.ctx.account_id.clone();
        let subject = item_subject(&key.owner, &key.id);
        let cause = cause_of(problem);
        let detail = serde_json::to_string(problem).unwrap_or_else(|_| "{}".to_string());
        let now = self.now;
        self.note_raised(&subject, &cause);
        db(self.store, "keeping a problem", move |s| {
            s.sync_problems()
                .raise(&account, &subject, &cause, &detail, now)
                .map(|_| ())
        })
        .await
    }

    fn note_raised(&self, subject: &str, cause: &str) {
        self.raised
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((subject.to_string(), cause.to_string()));
    }

    /// The problems raised so far.
    pub fn take_raised(&self) -> Vec<(String, String)> {
        std::mem::take(
            &mut *self
                .raised
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner),
        )
    }

    /// The CRM refused one item: a problem, or the next cycle when it was busy. `version` is
    /// the item's version the refused write was made from.
    pub(crate) async fn crm_refused(
        &self,
        key: &ItemKey,
        e: CrmError,
        version: &Option<String>,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        match e {
            CrmError::SignInExpired => Err(SyncError::CrmSignInExpired),
            CrmError::Throttled { .. } | CrmError::Transient { .. } => Ok(Outcome::Deferred),
            other => {
                let account = self.ctx.account_id.clone();
                let subject = item_subject(&key.owner, &key.id);
                let (cause, detail) = crm_problem(&other, version.as_deref());
                let now = self.now;
                self.note_raised(&subject, cause);
                db(self.store, "keeping a problem", move |s| {
                    s.sync_problems()
                        .raise(&account, &subject, cause, &detail, now)
                        .map(|_| ())
                })
                .await?;
                report.problems += 1;
                Ok(Outcome::Refused)
            }
        }
    }

    /// Exchange refused or failed a write to one item.
    pub(crate) async fn exchange_failed(
        &self,
        key: &ItemKey,
        e: SourceError,
        report: &mut Report,
    ) -> Result<Outcome, SyncError> {
        match e {
            SourceError::SignInExpired => Err(SyncError::SignInExpired),
            // Changed under the write, or busy: planned again next time from what is there.
            SourceError::Conflict { .. }
            | SourceError::Throttled { .. }
            | SourceError::Transient { .. } => Ok(Outcome::Deferred),
            SourceError::NotFound { .. } => Ok(Outcome::Deferred),
            SourceError::AccessDenied { code } | SourceError::Other { code, .. } => {
                let problem = Problem::ExchangePermission {
                    needed: "write to the item".to_string(),
                    reason: format!("Microsoft 365 refused the change ({code})."),
                };
                self.raise(key, &problem).await?;
                report.problems += 1;
                Ok(Outcome::Refused)
            }
        }
    }
}

/// The stored cause code of a planner's problem.
pub(crate) fn cause_of(problem: &Problem) -> String {
    serde_json::to_value(problem)
        .ok()
        .and_then(|v| v.get("cause").and_then(|c| c.as_str()).map(str::to_string))
        .unwrap_or_else(|| "problem".to_string())
}

/// Causes of a CRM refusal that trying again cannot change while the item stays as it is.
pub(crate) const REFUSED_FOR_GOOD: [&str; 2] = ["crm_cannot_keep", "crm_rejected"];

/// The item version a stored refusal was made from, if it says.
pub(crate) fn refused_version(detail: &str) -> Option<String> {
    serde_json::from_str::<serde_json::Value>(detail)
        .ok()?
        .get("version")?
        .as_str()
        .map(str::to_string)
}

/// The stored cause and detail of a CRM refusal, with the item version it was made from.
fn crm_problem(e: &CrmError, version: Option<&str>) -> (&'static str, String) {
    let (cause, message) = match e {
        CrmError::NoEditAccess { message } => ("no_crm_edit_access", message.clone()),
        CrmError::NoAccessToRelated { message } => ("no_crm_access_related", message.clone()),
        CrmError::NotFound | CrmError::Deleted => ("no_crm_read_access", e.to_string()),
        CrmError::Rejected { message, .. } => ("crm_rejected", message.clone()),
        CrmError::Invalid { message, .. } => ("crm_cannot_keep", message.clone()),
        CrmError::BudgetSpent { message } => ("crm_budget_spent", message.clone()),
        CrmError::ReserveKept { .. } => ("crm_budget_reserve", e.to_string()),
        CrmError::SignInExpired
        | CrmError::Throttled { .. }
        | CrmError::Transient { .. }
        | CrmError::Other { .. } => ("crm_error", e.to_string()),
    };
    (
        cause,
        json!({ "cause": cause, "message": message, "version": version }).to_string(),
    )
}
