//! What a run did, for the summary printed at its end.

use std::collections::BTreeMap;
use std::fmt;

use onbehalf_sync::Report;

use crate::world::Counts;

/// Counts over a whole run.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub steps: u64,
    /// Operations by kind.
    pub ops: BTreeMap<&'static str, u64>,
    pub cycles: u64,
    pub cycles_failed: u64,
    pub crashes: u64,
    /// From the cycles' reports.
    pub shared: u64,
    pub updated_in_crm: u64,
    pub updated_in_exchange: u64,
    pub unlinked: u64,
    pub deleted_in_crm: u64,
    pub conflicts: u64,
    pub problems: u64,
    pub deferred: u64,
    /// Share and unshare requests, and how many were refused.
    pub share_requests: u64,
    pub share_refused: u64,
    pub unshare_requests: u64,
    pub unshare_refused: u64,
    /// Invariant checks made (one per invariant per check).
    pub invariant_checks: u64,
    pub quiescences: u64,
    /// Cycles run to reach quiescence, in all.
    pub quiescence_rounds: u64,
    /// What the apps asked of both sides.
    pub calls: Counts,
}

impl Stats {
    pub fn op(&mut self, kind: &'static str) {
        *self.ops.entry(kind).or_default() += 1;
    }

    pub fn add_report(&mut self, r: &Report) {
        self.shared += r.shared as u64;
        self.updated_in_crm += r.updated_in_crm as u64;
        self.updated_in_exchange += r.updated_in_exchange as u64;
        self.unlinked += r.unlinked as u64;
        self.deleted_in_crm += r.deleted_in_crm as u64;
        self.conflicts += r.conflicts as u64;
        self.problems += r.problems as u64;
        self.deferred += r.deferred as u64;
    }
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "steps: {}", self.steps)?;
        writeln!(f, "operations:")?;
        for (kind, n) in &self.ops {
            writeln!(f, "  {kind:<22} {n:>9}")?;
        }
        writeln!(
            f,
            "cycles: {} ({} ended in an error, {} crashed mid-way)",
            self.cycles, self.cycles_failed, self.crashes
        )?;
        writeln!(
            f,
            "shares done: {}   updated in CRM: {}   updated in Exchange: {}   unlinked: {}   \
             deleted in CRM: {}",
            self.shared,
            self.updated_in_crm,
            self.updated_in_exchange,
            self.unlinked,
            self.deleted_in_crm
        )?;
        writeln!(
            f,
            "problems raised: {}   conflicts: {}   pairs deferred: {}",
            self.problems, self.conflicts, self.deferred
        )?;
        writeln!(
            f,
            "share requests: {} ({} refused)   unshare requests: {} ({} refused)",
            self.share_requests, self.share_refused, self.unshare_requests, self.unshare_refused
        )?;
        writeln!(
            f,
            "Exchange: {} calls, {} writes ({} refused, {} If-Match conflicts)   CRM: {} calls, \
             {} record writes ({} refused)",
            self.calls.exchange_calls,
            self.calls.exchange_writes,
            self.calls.exchange_refused,
            self.calls.exchange_conflicts,
            self.calls.crm_calls,
            self.calls.crm_writes,
            self.calls.crm_refused
        )?;
        write!(
            f,
            "invariant checks: {}   quiescences: {} ({} cycles to reach them)",
            self.invariant_checks, self.quiescences, self.quiescence_rounds
        )
    }
}
