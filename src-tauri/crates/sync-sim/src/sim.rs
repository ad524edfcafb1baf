//! A run: the world, the three apps, the seeded generator of operations, the simulated clock,
//! the trace and the counts. Each step applies one operation and then checks the invariants;
//! every so often (and at the end) faults are switched off and the apps run until nothing
//! changes, and the invariants of a settled world are checked.
//!
//! The apps' work runs on a current-thread runtime, one operation at a time, so a run is a
//! function of its seed alone.

use std::future::Future;
use std::sync::Arc;

use chrono::{DateTime, Duration, TimeZone, Utc};
use onbehalf_engine::crm::{Crm, CrmError, CrmRecord};
use onbehalf_engine::permission::{OutlookLevel, Permission};
use onbehalf_engine::sync::merge::Winner;
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_engine::sync::share::ShareRefusal;
use onbehalf_sync::{run_cycle, share, unshare, Mode, Report, ShareDone, SyncError};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::runtime::Runtime;
use tokio::sync::Notify;

use crate::apps::{App, Config};
use crate::exchange::Exchange;
use crate::faults::Fuse;
use crate::oracle::Oracle;
use crate::people::{AppId, MANAGER_CRM};
use crate::salesforce::{CalendarAccess, Salesforce};
use crate::stats::Stats;
use crate::trace::{Failure, Trace};
use crate::world::{Counts, Log, SyncWrite, World, WorldState};

/// How a piece of an app's work ended.
#[derive(Debug)]
pub enum Outcome<T> {
    Done(T),
    /// The app died mid-way; its work was dropped.
    Crashed,
}

/// How often the world is settled and checked, in steps.
const QUIESCE_EVERY: (u64, u64) = (150, 400);
/// Trace entries kept in long runs.
const TRACE_KEPT: usize = 4000;

/// One run of the simulation.
pub struct Sim {
    pub(crate) seed: u64,
    pub(crate) rng: ChaCha8Rng,
    pub(crate) world: World,
    pub(crate) apps: Vec<App>,
    pub(crate) config: Config,
    pub(crate) owner_sync_on: bool,
    rt: Runtime,
    pub(crate) trace: Trace,
    pub(crate) step: u64,
    pub(crate) stats: Stats,
    pub(crate) oracle: Oracle,
    text_seq: u64,
    start: DateTime<Utc>,
    next_quiescence: u64,
    /// An app's counts before its current piece of work.
    before: Counts,
    /// Print what the oracle is told about writes whose description contains this text.
    watch: Option<String>,
}

impl std::fmt::Debug for Sim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sim")
            .field("seed", &self.seed)
            .field("step", &self.step)
            .finish_non_exhaustive()
    }
}

/// Runs `work`, or drops it when the app dies mid-way.
async fn guarded<T>(crash: &Notify, work: impl Future<Output = T>) -> Option<T> {
    let crashed = crash.notified();
    tokio::select! {
        biased;
        _ = crashed => None,
        r = work => Some(r),
    }
}

impl Sim {
    /// A new world and apps for `seed`: the executive's calendar shared with delegate A as
    /// Delegate with private items and with delegate B as Delegate, in the CRM full access
    /// for A and Show Details for B, and a manager above the executive.
    pub fn new(seed: u64) -> Sim {
        Sim::with_item_ids(seed, true)
    }

    /// The same, in a CRM org that keeps item ids on its events or not. Without them, no
    /// delegate shares directly: two apps making the same item's event is what only the ids
    /// prevent (the doctor says so).
    pub fn with_item_ids(seed: u64, kept: bool) -> Sim {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let config = Config {
            winner: if rng.gen_bool(0.5) {
                Winner::Exchange
            } else {
                Winner::Crm
            },
            private_sync: rng.gen_bool(0.3),
            direct_share: rng.gen_bool(0.5) && kept,
            crm_to_exchange: rng.gen_bool(0.5),
            crm_keeps_item_ids: kept,
        };
        let mut sim = Sim::build(seed, rng, config);
        sim.seed_items();
        sim.first_sync();
        sim
    }

    /// The world and apps with `config`, no items, nothing synced yet.
    pub(crate) fn bare(config: Config) -> Sim {
        Sim::build(0, ChaCha8Rng::seed_from_u64(0), config)
    }

    fn build(seed: u64, mut rng: ChaCha8Rng, config: Config) -> Sim {
        let start = Utc
            .with_ymd_and_hms(2026, 3, 2, 8, 0, 0)
            .single()
            .expect("a valid start time");
        let addresses: Vec<&str> = AppId::ALL.iter().map(|a| a.address()).collect();
        let mut exchange = Exchange::new(&addresses);
        let owner = AppId::Owner.address().to_string();
        exchange.grants.insert(
            (AppId::DelegateA.address().to_string(), owner.clone()),
            Permission::of_level(OutlookLevel::DelegateWithPrivate),
        );
        exchange.grants.insert(
            (AppId::DelegateB.address().to_string(), owner),
            Permission::of_level(OutlookLevel::Delegate),
        );
        let mut crm = Salesforce::default();
        crm.without_item_ids = !config.crm_keeps_item_ids;
        let exec = AppId::Owner.crm_user().to_string();
        crm.sharing.insert(
            (exec.clone(), AppId::DelegateA.crm_user().to_string()),
            CalendarAccess::FullAccess,
        );
        crm.sharing.insert(
            (exec.clone(), AppId::DelegateB.crm_user().to_string()),
            CalendarAccess::ShowDetails,
        );
        crm.managers.insert((MANAGER_CRM.to_string(), exec));
        let world = World::new(WorldState {
            now: start,
            exchange,
            crm,
            faults: Default::default(),
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x9e37_79b9_7f4a_7c15),
            log: Log::default(),
        });
        let apps = AppId::ALL
            .into_iter()
            .map(|id| App::new(id, &world, config, start))
            .collect();
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("a current-thread runtime");
        let first = rng.gen_range(QUIESCE_EVERY.0..QUIESCE_EVERY.1);
        let mut sim = Sim {
            seed,
            rng,
            world,
            apps,
            config,
            owner_sync_on: true,
            rt,
            trace: Trace::default(),
            step: 0,
            stats: Stats::default(),
            oracle: Oracle::default(),
            text_seq: 0,
            start,
            next_quiescence: first,
            before: Counts::default(),
            watch: None,
        };
        sim.refresh_apps();
        sim
    }

    /// Every app syncs once before anything else happens: the doctor's prerequisite that the
    /// executive and the delegates all run Onbehalf with sync on. (An executive whose app never
    /// synced has no record of the delegates' direct shares; nothing can carry the deletion
    /// of such an item to the CRM.)
    fn first_sync(&mut self) {
        for app in AppId::ALL {
            let outcome = match self.cycle(app, Mode::Execute, None) {
                Outcome::Done(Ok(r)) => format!("ok, shared {}", r.shared),
                Outcome::Done(Err(e)) => format!("failed: {e}"),
                Outcome::Crashed => "crashed".to_string(),
            };
            self.log(&format!(
                "{} syncs for the first time: {outcome}",
                app.short()
            ));
        }
    }

    /// Print every step as it happens.
    pub fn echo(&mut self, on: bool) {
        self.trace.echo = on;
        self.world.lock().log.echo = on;
    }

    /// Print the sync's writes (as the oracle follows them) that mention `text`, e.g. an
    /// item id, to see what a failing pair went through.
    pub fn watch(&mut self, text: Option<String>) {
        self.watch = text;
    }

    pub fn seed(&self) -> u64 {
        self.seed
    }

    pub fn config(&self) -> Config {
        self.config
    }

    pub fn steps_done(&self) -> u64 {
        self.step
    }

    /// The counts so far, with the apps' calls added up.
    pub fn stats(&self) -> Stats {
        let mut s = self.stats.clone();
        s.steps = self.step;
        let w = self.world.lock();
        for c in w.log.counts.values() {
            s.calls.exchange_calls += c.exchange_calls;
            s.calls.crm_calls += c.crm_calls;
            s.calls.exchange_writes += c.exchange_writes;
            s.calls.crm_writes += c.crm_writes;
            s.calls.exchange_refused += c.exchange_refused;
            s.calls.crm_refused += c.crm_refused;
            s.calls.exchange_conflicts += c.exchange_conflicts;
        }
        s
    }

    /// One step: an operation (or, when due, settling the world), then the checks.
    pub fn step(&mut self) -> Result<(), Failure> {
        self.step += 1;
        let secs = self.rng.gen_range(5..=90);
        self.advance(Duration::seconds(secs));
        if self.step >= self.next_quiescence {
            self.next_quiescence = self.step + self.rng.gen_range(QUIESCE_EVERY.0..QUIESCE_EVERY.1);
            self.log("quiesce: faults off, everyone signed in, cycles until nothing changes");
            self.stats.op("quiesce");
            self.quiesce()?;
        } else {
            let text = self.random_op()?;
            self.log(&text);
        }
        self.follow_sync_writes();
        self.check_step()?;
        // Now and then (every 64 steps).
        if self.step & 63 == 0 {
            let mut w = self.world.lock();
            w.exchange.purge();
            let now = w.now;
            w.crm.purge(now);
        }
        self.trace.trim(TRACE_KEPT);
        Ok(())
    }

    /// Tell the oracle what the apps wrote.
    pub(crate) fn follow_sync_writes(&mut self) {
        let writes = std::mem::take(&mut self.world.lock().log.sync_writes);
        for w in writes {
            if let Some(watched) = &self.watch {
                let line = format!("{w:?}");
                if line.contains(watched.as_str()) {
                    println!("{:>8} sync write followed by the oracle: {line}", self.step);
                }
            }
            match w {
                SyncWrite::Fields {
                    item,
                    event,
                    before,
                    after,
                } => self
                    .oracle
                    .sync_write(&item, event.as_deref(), &before, &after, self.step),
                SyncWrite::Base {
                    item,
                    event,
                    synced,
                    item_now,
                } => self
                    .oracle
                    .base_write(&item, &event, &synced, &item_now, self.config.winner),
            }
        }
    }

    /// Run `steps` steps, then settle the world and check it once more.
    pub fn run(&mut self, steps: u64) -> Result<Stats, Failure> {
        for _ in 0..steps {
            self.step()?;
        }
        self.finish()
    }

    /// Settle the world and check it: the end of a run.
    pub fn finish(&mut self) -> Result<Stats, Failure> {
        self.log("final quiesce");
        self.quiesce()?;
        Ok(self.stats())
    }

    // ----- helpers for the operations and checks -----

    pub(crate) fn now(&self) -> DateTime<Utc> {
        self.world.lock().now
    }

    pub(crate) fn advance(&mut self, by: Duration) {
        self.world.lock().now += by;
    }

    pub(crate) fn log(&mut self, text: &str) {
        let at = (self.now() - self.start).num_seconds();
        self.trace.push(self.step, at, text.to_string());
    }

    /// A text never used before, so every value can be traced to where it was written.
    pub(crate) fn text(&mut self, what: &str) -> String {
        self.text_seq += 1;
        format!("{what} #{}", self.text_seq)
    }

    pub(crate) fn app(&self, id: AppId) -> &App {
        &self.apps[index(id)]
    }

    /// What `id`'s app reads of the CRM-side profiles assigned to the CRM user `user`.
    pub(crate) fn profile_names(&self, id: AppId, user: &str) -> Result<Vec<String>, CrmError> {
        self.rt.block_on(self.app(id).crm.profile_names(user))
    }

    /// Tell every app what discovery would: its rights and whether the executive syncs.
    pub(crate) fn refresh_apps(&mut self) {
        let w = self.world.lock();
        for app in &mut self.apps {
            app.refresh(&w, self.owner_sync_on, self.config);
        }
    }

    pub(crate) fn fail(&self, invariant: &str, detail: String) -> Failure {
        let recent: Vec<String> = self.world.lock().log.recent.iter().cloned().collect();
        Failure {
            seed: self.seed,
            step: self.step,
            invariant: invariant.to_string(),
            detail: format!(
                "{detail}\nthe apps' latest writes, oldest first:\n  {}",
                recent.join("\n  ")
            ),
            trace: self.trace.entries.clone(),
        }
    }

    fn arm(&mut self, id: AppId, fuse: Option<Fuse>) {
        let mut w = self.world.lock();
        let before = w.log.of(id).to_owned();
        self.before = before;
        let f = w.faults.entry(id).or_default();
        f.fuse = fuse;
        f.crashed = false;
    }

    /// What the last piece of an app's work asked of both sides, for the trace.
    pub(crate) fn calls_text(&self, id: AppId) -> String {
        let now = self.world.lock().log.of(id).to_owned();
        let b = self.before;
        format!(
            "[Exchange {} calls {} writes {} refused; CRM {} calls {} writes {} refused]",
            now.exchange_calls - b.exchange_calls,
            now.exchange_writes - b.exchange_writes,
            now.exchange_refused - b.exchange_refused,
            now.crm_calls - b.crm_calls,
            now.crm_writes - b.crm_writes,
            now.crm_refused - b.crm_refused
        )
    }

    /// Disarm the fuse; whether it went off.
    fn disarm(&mut self, id: AppId) -> bool {
        let mut w = self.world.lock();
        let f = w.faults.entry(id).or_default();
        f.fuse = None;
        std::mem::take(&mut f.crashed)
    }

    fn settle<T>(&mut self, id: AppId, out: Option<T>) -> Outcome<T> {
        let crashed = self.disarm(id);
        match out {
            Some(r) if !crashed => Outcome::Done(r),
            // The last call's effect was made and the app died before it could go on: the
            // work is dropped even if nothing was left to do.
            Some(_) | None => {
                self.stats.crashes += 1;
                Outcome::Crashed
            }
        }
    }

    /// One sync cycle of `id`'s app.
    pub(crate) fn cycle(
        &mut self,
        id: AppId,
        mode: Mode,
        fuse: Option<Fuse>,
    ) -> Outcome<Result<Report, SyncError>> {
        let now = self.now();
        self.arm(id, fuse);
        let app = &self.apps[index(id)];
        let out = self.rt.block_on(guarded(
            &app.crash,
            run_cycle(&app.items, &app.crm, &app.store, &app.ctx, mode, now),
        ));
        self.settle(id, out)
    }

    /// The user of `id`'s app presses Share.
    pub(crate) fn share(
        &mut self,
        id: AppId,
        key: &ItemKey,
        who: Option<CrmRecord>,
        what: Option<CrmRecord>,
        fuse: Option<Fuse>,
    ) -> Outcome<Result<Result<ShareDone, ShareRefusal>, SyncError>> {
        let now = self.now();
        self.arm(id, fuse);
        let app = &self.apps[index(id)];
        let out = self.rt.block_on(guarded(
            &app.crash,
            share(&app.items, &app.store, &app.ctx, key, who, what, now),
        ));
        self.settle(id, out)
    }

    /// The user of `id`'s app presses Unshare.
    pub(crate) fn unshare(
        &mut self,
        id: AppId,
        key: &ItemKey,
        fuse: Option<Fuse>,
    ) -> Outcome<Result<Result<(), ShareRefusal>, SyncError>> {
        let now = self.now();
        self.arm(id, fuse);
        let app = &self.apps[index(id)];
        let out = self.rt.block_on(guarded(
            &app.crash,
            unshare(&app.items, &app.crm, &app.store, &app.ctx, key, now),
        ));
        self.settle(id, out)
    }

    /// The store of `id`'s app, for the checks.
    pub(crate) fn store(&self, id: AppId) -> Arc<onbehalf_store::Store> {
        Arc::clone(&self.app(id).store)
    }
}

pub(crate) fn index(id: AppId) -> usize {
    match id {
        AppId::Owner => 0,
        AppId::DelegateA => 1,
        AppId::DelegateB => 2,
    }
}
