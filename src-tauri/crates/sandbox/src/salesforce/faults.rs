//! Faults and admin actions on the Salesforce side: latency and 503 on instance requests,
//! `UNABLE_TO_LOCK_ROW` on every nth record write, every session expired, the daily API
//! budget spent, refresh tokens revoked, and the org settings an admin changes (multiday
//! events, the activity org-wide default, whether Onbehalf's CRM package and its Event field
//! are installed). The daily API usage is counted here too.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::org::ActivitySharing;
use crate::state::Store;

/// The fault knobs; also the JSON body of `POST /_sandbox/salesforce/faults`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SalesforceFaultSettings {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub latency_ms: Option<u64>,
    /// Answer every nth instance request with 503.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unavailable_every: Option<u32>,
    /// Refuse every nth record write with `UNABLE_TO_LOCK_ROW`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unable_to_lock_row_every: Option<u32>,
    /// Over HTTP: clear every fault before applying the other fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clear: Option<bool>,
}

#[derive(Default)]
struct Knobs {
    latency_ms: AtomicU64,
    unavailable_every: AtomicU32,
    lock_every: AtomicU32,
    seen: AtomicU64,
    writes: AtomicU64,
    write_requests: AtomicU64,
}

/// Instance requests counted since the sandbox started (see [`SalesforceFaults::counts`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SalesforceCounts {
    /// Every request to an org's instance.
    pub requests: u64,
    /// Requests among them that wrote at least one record.
    pub write_requests: u64,
    /// Records created, updated or deleted (each member of a Collections or Composite call
    /// counting once; a write refused with `UNABLE_TO_LOCK_ROW` counts too).
    pub records_written: u64,
}

impl SalesforceCounts {
    /// What was counted after `earlier`.
    pub fn since(&self, earlier: &SalesforceCounts) -> SalesforceCounts {
        SalesforceCounts {
            requests: self.requests.saturating_sub(earlier.requests),
            write_requests: self.write_requests.saturating_sub(earlier.write_requests),
            records_written: self.records_written.saturating_sub(earlier.records_written),
        }
    }
}

/// API calls per org, in hourly buckets, for the rolling 24 hours Salesforce counts over.
///
/// Assumption: the count lives in memory, not in the state file; a restarted emulator starts
/// a fresh day.
#[derive(Default)]
pub(crate) struct Budget {
    calls: Mutex<HashMap<String, BTreeMap<i64, u64>>>,
}

fn hour(now: DateTime<Utc>) -> i64 {
    now.timestamp().div_euclid(3600)
}

impl Budget {
    /// Calls made in the last 24 hours.
    pub fn used(&self, org: &str, now: DateTime<Utc>) -> u64 {
        let calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        calls
            .get(org)
            .map(|buckets| buckets.range(hour(now) - 23..).map(|(_, n)| n).sum())
            .unwrap_or(0)
    }

    /// Count one call; `Err(used)` when the allocation is spent and the call is refused.
    pub fn charge(&self, org: &str, max: u64, now: DateTime<Utc>) -> Result<u64, u64> {
        let used = self.used(org, now);
        if used >= max {
            return Err(used);
        }
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        let buckets = calls.entry(org.to_string()).or_default();
        *buckets.entry(hour(now)).or_insert(0) += 1;
        let oldest = hour(now) - 23;
        buckets.retain(|h, _| *h >= oldest);
        Ok(used + 1)
    }

    fn spend(&self, org: &str, max: u64, now: DateTime<Utc>) {
        let left = max.saturating_sub(self.used(org, now));
        let mut calls = self.calls.lock().unwrap_or_else(PoisonError::into_inner);
        *calls
            .entry(org.to_string())
            .or_default()
            .entry(hour(now))
            .or_insert(0) += left;
    }
}

/// Control of the Salesforce side's faults and settings. Cheap to clone.
#[derive(Clone)]
pub struct SalesforceFaults {
    knobs: Arc<Knobs>,
    store: Arc<Store>,
    budget: Arc<Budget>,
}

impl SalesforceFaults {
    pub(crate) fn new(store: Arc<Store>) -> SalesforceFaults {
        SalesforceFaults {
            knobs: Arc::new(Knobs::default()),
            store,
            budget: Arc::new(Budget::default()),
        }
    }

    pub(crate) fn budget(&self) -> &Budget {
        &self.budget
    }

    /// Delay every instance response by this much.
    pub fn set_latency(&self, latency: Duration) {
        let ms = u64::try_from(latency.as_millis()).unwrap_or(u64::MAX);
        self.knobs.latency_ms.store(ms, Ordering::SeqCst);
    }

    /// Answer every `n`th instance request with 503; 0 stops.
    pub fn unavailable_every(&self, n: u32) {
        self.knobs.unavailable_every.store(n, Ordering::SeqCst);
    }

    /// Refuse every `n`th record write (a create, update or delete, also inside Collections
    /// and Composite) with `UNABLE_TO_LOCK_ROW`; 0 stops.
    pub fn unable_to_lock_row_every(&self, n: u32) {
        self.knobs.lock_every.store(n, Ordering::SeqCst);
    }

    /// Remove every fault (the counts are kept).
    pub fn clear(&self) {
        self.set_latency(Duration::ZERO);
        self.unavailable_every(0);
        self.unable_to_lock_row_every(0);
    }

    /// The faults now in force.
    pub fn settings(&self) -> SalesforceFaultSettings {
        let k = &self.knobs;
        let nonzero = |v: u32| (v != 0).then_some(v);
        SalesforceFaultSettings {
            latency_ms: Some(k.latency_ms.load(Ordering::SeqCst)).filter(|v| *v != 0),
            unavailable_every: nonzero(k.unavailable_every.load(Ordering::SeqCst)),
            unable_to_lock_row_every: nonzero(k.lock_every.load(Ordering::SeqCst)),
            clear: None,
        }
    }

    /// Apply settings received over HTTP.
    pub fn apply(&self, s: &SalesforceFaultSettings) {
        if s.clear == Some(true) {
            self.clear();
        }
        if let Some(ms) = s.latency_ms {
            self.set_latency(Duration::from_millis(ms));
        }
        if let Some(n) = s.unavailable_every {
            self.unavailable_every(n);
        }
        if let Some(n) = s.unable_to_lock_row_every {
            self.unable_to_lock_row_every(n);
        }
    }

    /// How many instance requests have arrived since the sandbox started.
    pub fn requests_seen(&self) -> u64 {
        self.knobs.seen.load(Ordering::SeqCst)
    }

    /// The instance requests and record writes counted so far.
    pub fn counts(&self) -> SalesforceCounts {
        let k = &self.knobs;
        SalesforceCounts {
            requests: k.seen.load(Ordering::SeqCst),
            write_requests: k.write_requests.load(Ordering::SeqCst),
            records_written: k.writes.load(Ordering::SeqCst),
        }
    }

    /// End every session issued so far, as an admin's "expire all sessions" does: the next
    /// call gets `INVALID_SESSION_ID`. Refresh tokens keep working.
    pub fn expire_all_sessions(&self) {
        let now = Utc::now();
        let mut state = self.store.lock();
        for session in state.crm.auth.sessions.values_mut() {
            session.expires = session.expires.min(now);
        }
        self.store.save_logged(&state);
    }

    /// Revoke every refresh token (and so every session that came from one): the next
    /// refresh gets `invalid_grant`.
    pub fn revoke_refresh_tokens(&self) {
        let mut state = self.store.lock();
        state.crm.auth.refresh_tokens.clear();
        state.crm.auth.sessions.retain(|_, s| s.family.is_none());
        self.store.save_logged(&state);
    }

    /// Revoke one person's refresh tokens; `false` when no CRM user has that address.
    pub fn revoke_refresh_tokens_of(&self, address: &str) -> bool {
        let mut state = self.store.lock();
        let Some(who) = state.crm.principal_by_login(address) else {
            return false;
        };
        let auth = &mut state.crm.auth;
        auth.refresh_tokens.retain(|_, t| t.who != who);
        auth.sessions
            .retain(|_, s| s.who != who || s.family.is_none());
        self.store.save_logged(&state);
        true
    }

    /// Use up what is left of every org's daily API allocation.
    pub fn spend_api_budget(&self) {
        let now = Utc::now();
        let orgs: Vec<(String, u64)> = {
            let state = self.store.lock();
            state
                .crm
                .orgs
                .iter()
                .map(|o| (o.id.clone(), o.daily_api_requests))
                .collect()
        };
        for (org, max) in orgs {
            self.budget.spend(&org, max, now);
        }
    }

    /// Calls made in the last 24 hours and the allocation, for an org id.
    pub fn api_usage(&self, org_id: &str) -> Option<(u64, u64)> {
        let max = {
            let state = self.store.lock();
            state.crm.org(org_id)?.daily_api_requests
        };
        Some((self.budget.used(org_id, Utc::now()), max))
    }

    /// Turn an org's "Enable Multiday Events" on or off; `false` when there is no such org.
    pub fn set_multiday_events(&self, org_id: &str, on: bool) -> bool {
        self.change_org(org_id, |o| o.settings.multiday_events = on)
    }

    /// Install or uninstall Onbehalf's CRM package in an org, and with it Event's
    /// `Onbehalf_Exchange_Id__c`; `false` when there is no such org. Values events hold are
    /// kept, unseen, while the field is gone.
    pub fn set_exchange_id_field(&self, org_id: &str, on: bool) -> bool {
        self.change_org(org_id, |o| o.settings.exchange_id_field = on)
    }

    /// Set an org's activity org-wide default; `false` when there is no such org.
    pub fn set_activity_sharing(&self, org_id: &str, sharing: ActivitySharing) -> bool {
        self.change_org(org_id, |o| o.settings.activity_sharing = sharing)
    }

    fn change_org(&self, org_id: &str, change: impl FnOnce(&mut super::world::CrmOrg)) -> bool {
        let mut state = self.store.lock();
        let Some(org) = state.crm.orgs.iter_mut().find(|o| o.id == org_id) else {
            return false;
        };
        change(org);
        self.store.save_logged(&state);
        true
    }

    pub(crate) fn latency(&self) -> Duration {
        Duration::from_millis(self.knobs.latency_ms.load(Ordering::SeqCst))
    }

    /// Count one instance request; `true` when it is to be answered 503.
    pub(crate) fn next_unavailable(&self) -> bool {
        let n = self.knobs.seen.fetch_add(1, Ordering::SeqCst) + 1;
        let every = u64::from(self.knobs.unavailable_every.load(Ordering::SeqCst));
        every != 0 && n.is_multiple_of(every)
    }

    /// Record writes counted so far (read under the store's lock, as every write is made).
    pub(crate) fn records_written(&self) -> u64 {
        self.knobs.writes.load(Ordering::SeqCst)
    }

    /// Count one request that wrote records, told by the count before it was handled.
    pub(crate) fn count_request_writes(&self, written_before: u64) {
        if self.records_written() > written_before {
            self.knobs.write_requests.fetch_add(1, Ordering::SeqCst);
        }
    }

    /// Count one record write; `true` when its row is to be "locked".
    pub(crate) fn next_write_locked(&self) -> bool {
        let n = self.knobs.writes.fetch_add(1, Ordering::SeqCst) + 1;
        let every = u64::from(self.knobs.lock_every.load(Ordering::SeqCst));
        every != 0 && n.is_multiple_of(every)
    }
}
