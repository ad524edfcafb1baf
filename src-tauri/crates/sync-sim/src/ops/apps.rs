//! What the apps do: a sync cycle (maybe dying after a few port calls), a preview (which must
//! write nothing), Share with records, and Unshare, each on an item the user sees.

use chrono::Duration;
use onbehalf_engine::crm::CrmRecord;
use onbehalf_engine::sync::model::ItemKey;
use onbehalf_sync::{Mode, SyncError};
use rand::seq::SliceRandom;
use rand::Rng;

use super::{fuse_text, WORK_AHEAD, WORK_BACK};
use crate::exchange::Item;
use crate::people::{records, AppId, SHARE_CATEGORY};
use crate::sim::{Outcome, Sim};
use crate::trace::Failure;

impl Sim {
    /// An item an app may act on: one it sees (sometimes any, to be refused).
    pub(super) fn pick_for_app(
        &mut self,
        app: AppId,
        want: impl Fn(&Item) -> bool,
    ) -> Option<Item> {
        let cal = match self.rng.gen_range(0..100) {
            0..=11 => app,
            _ => AppId::Owner,
        };
        let any = self.rng.gen_range(0..100) < 8;
        let now = self.now();
        let (from, to) = (
            now - Duration::days(WORK_BACK),
            now + Duration::days(WORK_AHEAD),
        );
        // People act on the items the Items view shows: those in the sync window.
        let visible: Vec<Item> = {
            let w = self.world.lock();
            w.exchange
                .live_items(cal.address())
                .filter(|i| i.overlaps(from, to))
                .filter(|i| any || w.exchange.sees(app.address(), i))
                .filter(|i| want(i))
                .cloned()
                .collect()
        };
        visible.choose(&mut self.rng).cloned()
    }

    pub(super) fn records_for_share(&mut self) -> (Option<CrmRecord>, Option<CrmRecord>) {
        let all = records();
        let people: Vec<CrmRecord> = all.iter().filter(|r| r.kind.is_person()).cloned().collect();
        let things: Vec<CrmRecord> = all
            .iter()
            .filter(|r| !r.kind.is_person())
            .cloned()
            .collect();
        let who = self
            .rng
            .gen_bool(0.6)
            .then(|| people.choose(&mut self.rng).cloned())
            .flatten();
        let what = self
            .rng
            .gen_bool(0.6)
            .then(|| things.choose(&mut self.rng).cloned())
            .flatten();
        match self.rng.gen_range(0..100) {
            // The wrong kind in a slot, refused by the share.
            0..=3 => (what, who),
            _ => (who, what),
        }
    }

    pub(super) fn op_share(&mut self) -> Result<String, Failure> {
        self.stats.op("share");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        let Some(item) = self.pick_for_app(app, |_| true) else {
            return Ok(format!("{} share: no item", app.short()));
        };
        let (who, what) = self.records_for_share();
        let fuse = self.fuse(15, 5);
        let key = ItemKey {
            owner: item.owner.clone(),
            id: item.id.clone(),
        };
        let names = format!(
            "who={:?} what={:?}",
            who.as_ref().map(|r| &r.id),
            what.as_ref().map(|r| &r.id)
        );
        self.stats.share_requests += 1;
        let outcome = match self.share(app, &key, who, what, fuse) {
            Outcome::Crashed => "crashed mid-way".to_string(),
            Outcome::Done(Ok(Ok(done))) => format!(
                "recorded{}{}",
                if done.waits_for_owner {
                    ", waits for the owner's sync"
                } else {
                    ""
                },
                if done.notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", done.notes.join(" "))
                }
            ),
            Outcome::Done(Ok(Err(refusal))) => {
                self.stats.share_refused += 1;
                format!("refused: {refusal}")
            }
            Outcome::Done(Err(e)) => self.app_error("share", e)?,
        };
        Ok(format!(
            "{} presses Share on {} ({names}){}: {outcome} {}",
            app.short(),
            item.id,
            fuse_text(fuse),
            self.calls_text(app)
        ))
    }

    pub(super) fn op_unshare(&mut self) -> Result<String, Failure> {
        self.stats.op("unshare");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        let Some(item) = self.pick_for_app(app, |i| {
            i.link.is_some()
                || i.pending.is_some()
                || i.categories.iter().any(|c| c == SHARE_CATEGORY)
        }) else {
            return Ok(format!("{} unshare: nothing shared", app.short()));
        };
        let fuse = self.fuse(15, 6);
        let key = ItemKey {
            owner: item.owner.clone(),
            id: item.id.clone(),
        };
        self.stats.unshare_requests += 1;
        let outcome = match self.unshare(app, &key, fuse) {
            Outcome::Crashed => "crashed mid-way".to_string(),
            Outcome::Done(Ok(Ok(()))) => "done".to_string(),
            Outcome::Done(Ok(Err(refusal))) => {
                self.stats.unshare_refused += 1;
                format!("refused: {refusal}")
            }
            Outcome::Done(Err(e)) => self.app_error("unshare", e)?,
        };
        Ok(format!(
            "{} presses Unshare on {}{}: {outcome} {}",
            app.short(),
            item.id,
            fuse_text(fuse),
            self.calls_text(app)
        ))
    }

    /// An error an app's work ended with: expected ones are told, a store failure fails the
    /// run (nothing in the world can cause one).
    pub(crate) fn app_error(&self, what: &str, e: SyncError) -> Result<String, Failure> {
        match e {
            SyncError::Store(_) | SyncError::Stopped(_) => {
                Err(self.fail("the store never fails", format!("{what}: {e}")))
            }
            SyncError::SignInExpired
            | SyncError::CrmSignInExpired
            | SyncError::Exchange(_)
            | SyncError::Crm(_) => Ok(format!("failed: {e}")),
        }
    }

    pub(super) fn op_cycle(&mut self, app: AppId) -> Result<String, Failure> {
        self.stats.op("cycle");
        if app == AppId::Owner && !self.owner_sync_on {
            return Ok("owner's sync is off: no cycle".to_string());
        }
        let fuse = self.fuse(25, 20);
        self.stats.cycles += 1;
        let outcome = match self.cycle(app, Mode::Execute, fuse) {
            Outcome::Crashed => "crashed mid-way".to_string(),
            Outcome::Done(Ok(r)) => {
                self.stats.add_report(&r);
                format!(
                    "ok: read {}+{}, wrote {}x/{}c, shared {}, to CRM {}, to Exchange {}, \
                     unlinked {}, deleted {}, conflicts {}, problems {}, deferred {}",
                    r.exchange_items_read,
                    r.crm_events_read,
                    r.exchange_writes,
                    r.crm_writes,
                    r.shared,
                    r.updated_in_crm,
                    r.updated_in_exchange,
                    r.unlinked,
                    r.deleted_in_crm,
                    r.conflicts,
                    r.problems,
                    r.deferred
                )
            }
            Outcome::Done(Err(e)) => {
                self.stats.cycles_failed += 1;
                self.app_error("cycle", e)?
            }
        };
        Ok(format!(
            "{} runs a sync cycle{}: {outcome} {}",
            app.short(),
            fuse_text(fuse),
            self.calls_text(app)
        ))
    }

    pub(super) fn op_preview(&mut self) -> Result<String, Failure> {
        self.stats.op("preview");
        let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
        let before = self.world.lock().log.total_writes();
        let outcome = match self.cycle(app, Mode::Preview, None) {
            Outcome::Crashed => "crashed".to_string(),
            Outcome::Done(Ok(r)) => format!("would do {:?}", r.planned),
            Outcome::Done(Err(e)) => self.app_error("preview", e)?,
        };
        let after = self.world.lock().log.total_writes();
        self.stats.invariant_checks += 1;
        if after != before {
            return Err(self.fail(
                "a preview writes nothing",
                format!(
                    "{} wrote {} times in a preview",
                    app.short(),
                    after - before
                ),
            ));
        }
        Ok(format!("{} previews a cycle: {outcome}", app.short()))
    }
}
