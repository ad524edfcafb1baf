//! The shared world every app sees through its ports: Exchange, the CRM, the simulated clock,
//! each app's faults, and the log of what the apps asked of both sides (calls, writes
//! attempted, refusals) and of invariant violations found while serving them.
//!
//! The clock only moves when the simulation moves it; nothing reads the wall clock.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use onbehalf_engine::sync::hash::FieldHashes;
use rand_chacha::ChaCha8Rng;

use crate::exchange::Exchange;
use crate::faults::{AppFaults, Gate, Side};
use crate::people::AppId;
use crate::salesforce::Salesforce;

/// Writes remembered for a failure's report.
const RECENT_WRITES: usize = 60;

/// What one app asked of the two sides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub exchange_calls: u64,
    pub crm_calls: u64,
    /// Writes that reached the service (refused ones included).
    pub exchange_writes: u64,
    pub crm_writes: u64,
    /// Writes the service refused (rights, validation, conflicts).
    pub exchange_refused: u64,
    pub crm_refused: u64,
    /// `If-Match` failures.
    pub exchange_conflicts: u64,
}

impl Counts {
    /// Writes attempted on either side.
    pub fn writes(&self) -> u64 {
        self.exchange_writes + self.crm_writes
    }
}

/// Everything the world records while serving the apps.
#[derive(Debug, Clone, Default)]
pub struct Log {
    pub counts: BTreeMap<AppId, Counts>,
    /// Invariant violations seen at the ports (a write beyond the user's rights, a change to
    /// a meeting's fields), not yet reported.
    pub violations: Vec<String>,
    /// The latest writes the apps asked for, with their results, for a failure's report.
    pub recent: VecDeque<String>,
    /// Also print each write as it is made.
    pub echo: bool,
    /// The fields and bases the apps wrote, in order, for the oracle.
    pub sync_writes: Vec<SyncWrite>,
}

/// A write by an app that the oracle follows: a side's fields changed by the sync, or a new
/// base (the link's hashes of the fields as last synced) written on an item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SyncWrite {
    Fields {
        item: String,
        /// The CRM event written, for CRM writes.
        event: Option<String>,
        before: FieldHashes,
        after: FieldHashes,
    },
    Base {
        item: String,
        event: String,
        synced: FieldHashes,
        /// What the item holds as the link is written.
        item_now: FieldHashes,
    },
}

impl Log {
    pub fn of(&mut self, app: AppId) -> &mut Counts {
        self.counts.entry(app).or_default()
    }

    /// Keep a line about one write.
    pub fn note(&mut self, line: String) {
        if self.echo {
            println!("{:>30}{line}", "");
        }
        if self.recent.len() >= RECENT_WRITES {
            self.recent.pop_front();
        }
        self.recent.push_back(line);
    }

    /// Writes attempted by every app so far.
    pub fn total_writes(&self) -> u64 {
        self.counts.values().map(Counts::writes).sum()
    }
}

/// The world's state.
#[derive(Debug)]
pub struct WorldState {
    pub now: DateTime<Utc>,
    pub exchange: Exchange,
    pub crm: Salesforce,
    pub faults: BTreeMap<AppId, AppFaults>,
    /// Draws the faults, in the order the calls come.
    pub rng: ChaCha8Rng,
    pub log: Log,
}

impl WorldState {
    /// Decide one port call's fate, counting it.
    pub fn gate(&mut self, app: AppId, side: Side, write: bool) -> Gate {
        let counts = self.log.of(app);
        match side {
            Side::Exchange => counts.exchange_calls += 1,
            Side::Crm => counts.crm_calls += 1,
        }
        let faults = self.faults.entry(app).or_default();
        faults.gate(side, write, &mut self.rng)
    }
}

/// The world, shared by every app's ports and the driver.
#[derive(Debug, Clone)]
pub struct World(Arc<Mutex<WorldState>>);

impl World {
    pub fn new(state: WorldState) -> World {
        World(Arc::new(Mutex::new(state)))
    }

    /// The state, for one short synchronous step (never held across an `.await`).
    pub fn lock(&self) -> MutexGuard<'_, WorldState> {
        // A panic while holding the lock already failed the run; its state is still the
        // best evidence there is.
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}
