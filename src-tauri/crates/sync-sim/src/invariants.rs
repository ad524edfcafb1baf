//! The invariants, checked after every step and in a settled world.
//!
//! After every step:
//! - nothing beyond a user's Exchange rights was attempted (no write by a Reviewer, by an
//!   Author on another's item, or on a private item without private-items access), neither in
//!   Exchange nor in the CRM for such an item, and no meeting's fields were written (either
//!   would be refused by Exchange, or mail every attendee);
//! - a preview writes nothing on either side (checked where a preview runs);
//! - no two live CRM events carry the same item id (no duplicate);
//! - every event made for an item is owned by the CRM user of the item's calendar owner;
//! - no text written into a private item is in the CRM, unless private sync is allowed, and
//!   then only in a private event linked to no record;
//! - one event, one item: no two items link the same event, and a linked event carries its
//!   item's id.
//!
//! Settled (faults off, everyone signed in, the executive's sync on, every app cycling until a
//! round writes nothing on either side):
//! - the apps converge within a bounded number of rounds, and every intent left the outbox;
//! - every share of an item in the sync window is done (linked to a live event owned by the
//!   calendar owner's CRM user) or shown as an open problem by the app that asked or the
//!   owner's app;
//! - every linked pair agrees on every field and on the private mark (except a meeting with an
//!   open conflict, or a private item that policy keeps out of the CRM), and no edit was lost;
//! - a CRM deletion unlinked its item; an Exchange deletion deleted its event; no event made
//!   for an item is left without its item's link (unless a problem says why);
//! - no app still shows a problem about an item that is gone;
//! - one more cycle in every app writes nothing on either side.

use std::collections::{BTreeMap, BTreeSet};

use chrono::Duration;
use onbehalf_engine::sync::hash::FieldHashes;
use onbehalf_engine::sync::plan::fields_of;
use onbehalf_store::item_subject;
use onbehalf_sync::Mode;

use crate::faults::AppFaults;
use crate::people::{AppId, SHARE_CATEGORY};
use crate::sim::{Outcome, Sim};
use crate::trace::Failure;
use crate::world::Counts;

/// Exchange and CRM writes of one round, by app.
type RoundWrites = Vec<(AppId, u64, u64)>;

/// The apps' sync window (their settings).
const SYNC_DAYS_BACK: i64 = 14;
const SYNC_DAYS_AHEAD: i64 = 60;

/// Rounds of cycles a settled world may take.
const MAX_ROUNDS: usize = 12;

/// What the apps' stores hold open, for the settled checks.
#[derive(Debug, Default)]
struct Open {
    /// (app, problem subject) of every open problem.
    problems: BTreeSet<(AppId, String)>,
    /// Items with an open conflict, in any app.
    conflicts: BTreeSet<String>,
    /// Intents left in an outbox.
    outbox: Vec<String>,
}

impl Open {
    fn problem(&self, app: AppId, owner: &str, id: &str) -> bool {
        self.problems.contains(&(app, item_subject(owner, id)))
    }

    fn any_problem(&self, owner: &str, id: &str) -> bool {
        AppId::ALL.into_iter().any(|a| self.problem(a, owner, id))
    }
}

impl Sim {
    /// The invariants that hold after every step.
    pub(crate) fn check_step(&mut self) -> Result<(), Failure> {
        self.stats.invariant_checks += 5;
        let found = {
            let mut w = self.world.lock();
            let violations = std::mem::take(&mut w.log.violations);
            if let Some(v) = violations.first() {
                Some((
                    "nothing beyond the user's rights, no meeting mail",
                    v.clone(),
                ))
            } else {
                self.step_invariants(&w)
            }
        };
        match found {
            None => Ok(()),
            Some((name, detail)) => Err(self.fail(name, detail)),
        }
    }

    fn step_invariants(&self, w: &crate::world::WorldState) -> Option<(&'static str, String)> {
        let mut by_external: BTreeMap<&str, &str> = BTreeMap::new();
        let items: BTreeMap<&str, &crate::exchange::Item> = w
            .exchange
            .mailboxes
            .values()
            .flat_map(|m| m.items.values())
            .map(|i| (i.id.as_str(), i))
            .collect();
        for e in w.crm.events.values().filter(|e| e.is_live()) {
            if let Some(x) = e.external_id.as_deref() {
                if let Some(other) = by_external.insert(x, &e.id) {
                    return Some((
                        "no duplicate CRM events",
                        format!("events {other} and {} both carry item id {x}", e.id),
                    ));
                }
                if let Some(item) = items.get(x) {
                    let owner = AppId::of_address(&item.owner).map(AppId::crm_user);
                    if owner != Some(e.owner.as_str()) {
                        return Some((
                            "the CRM event is the calendar owner's",
                            format!(
                                "event {} for item {x} of {} is owned by {}",
                                e.id, item.owner, e.owner
                            ),
                        ));
                    }
                }
            }
            for text in [
                Some(&e.subject),
                e.location.as_ref(),
                e.description.as_ref(),
            ]
            .into_iter()
            .flatten()
            {
                let Some(item) = self.oracle.private_owner_of(text) else {
                    continue;
                };
                let linked = e.who_id.is_some() || e.what_id.is_some();
                if !self.config.private_sync || !e.is_private || linked {
                    return Some((
                        "nothing private reaches the CRM unless policy allows, and then private",
                        format!(
                            "event {} holds {text:?}, written into private item {item} \
                             (private sync {}, event private {}, linked to records {linked})",
                            e.id, self.config.private_sync, e.is_private
                        ),
                    ));
                }
            }
        }
        let mut linked_events: BTreeMap<String, &str> = BTreeMap::new();
        for item in items.values().filter(|i| i.is_live()) {
            let Some(link) = item.to_ex_item().link else {
                continue;
            };
            if let Some(other) = linked_events.insert(link.event_id.clone(), &item.id) {
                return Some((
                    "one event, one item",
                    format!(
                        "items {other} and {} both link event {}",
                        item.id, link.event_id
                    ),
                ));
            }
            if let Some(e) = w.crm.events.get(&link.event_id) {
                // An event made in the CRM carries no item id until the item brought in for it
                // is written back to it, a step later.
                let carries_other = e
                    .external_id
                    .as_deref()
                    .is_some_and(|x| x != item.id.as_str());
                if carries_other {
                    return Some((
                        "one event, one item",
                        format!(
                            "item {} links event {} which carries item id {:?}",
                            item.id, e.id, e.external_id
                        ),
                    ));
                }
            }
        }
        None
    }

    /// Switch faults off, sign everyone in, turn the executive's sync on, and run every app's
    /// cycles until a round writes nothing; then check the settled world, and that one more
    /// round writes nothing either.
    pub(crate) fn quiesce(&mut self) -> Result<(), Failure> {
        self.stats.quiescences += 1;
        {
            let mut w = self.world.lock();
            for f in w.faults.values_mut() {
                *f = AppFaults::default();
            }
        }
        self.owner_sync_on = true;
        self.refresh_apps();
        let mut settled = false;
        let mut last = String::new();
        for round in 1..=MAX_ROUNDS {
            let (total, per_app) = self.round()?;
            last = format!("round {round}: writes by app {per_app:?}");
            self.log(&format!("  settling, {last}"));
            self.follow_sync_writes();
            self.check_step()?;
            if total == 0 {
                settled = true;
                break;
            }
        }
        self.stats.invariant_checks += 1;
        if !settled {
            return Err(self.fail(
                "the apps converge",
                format!("still writing after {MAX_ROUNDS} rounds; {last}"),
            ));
        }
        let judged = self.check_settled()?;
        let (total, per_app) = self.round()?;
        self.stats.invariant_checks += 1;
        if total != 0 {
            return Err(self.fail(
                "a cycle with no changes writes nothing",
                format!("one more round wrote: {per_app:?}"),
            ));
        }
        self.oracle.settle(&judged);
        Ok(())
    }

    /// One cycle in every app; the writes made, in all and by app.
    fn round(&mut self) -> Result<(u64, RoundWrites), Failure> {
        self.advance(Duration::minutes(2));
        let mut per_app = Vec::new();
        let mut total = 0;
        for app in AppId::ALL {
            let before = self.counts(app);
            self.stats.quiescence_rounds += 1;
            match self.cycle(app, Mode::Execute, None) {
                Outcome::Done(Ok(r)) => self.stats.add_report(&r),
                Outcome::Done(Err(e)) => {
                    return Err(self.fail(
                        "cycles succeed when nothing fails",
                        format!("{}'s cycle: {e}", app.short()),
                    ))
                }
                Outcome::Crashed => {
                    return Err(self.fail(
                        "cycles succeed when nothing fails",
                        format!("{}'s cycle crashed with no fuse", app.short()),
                    ))
                }
            }
            let after = self.counts(app);
            let x = after.exchange_writes - before.exchange_writes;
            let c = after.crm_writes - before.crm_writes;
            total += x + c;
            per_app.push((app, x, c));
        }
        Ok((total, per_app))
    }

    fn counts(&self, app: AppId) -> Counts {
        self.world
            .lock()
            .log
            .counts
            .get(&app)
            .copied()
            .unwrap_or_default()
    }

    fn open_in_stores(&self) -> Open {
        let mut open = Open::default();
        for app in AppId::ALL {
            let store = self.store(app);
            let acc = &self.app(app).ctx.account_id;
            for p in store.sync_problems().open(acc).expect("problems are read") {
                open.problems.insert((app, p.subject));
            }
            for c in store
                .sync_conflicts()
                .open(acc)
                .expect("conflicts are read")
            {
                open.conflicts.insert(c.item_id);
            }
            for o in store.sync_outbox().list(acc).expect("the outbox is read") {
                open.outbox.push(format!(
                    "{}: {} {} ({} attempts, last error {:?})",
                    app.short(),
                    o.kind,
                    o.item_id,
                    o.attempts,
                    o.last_error
                ));
            }
        }
        open
    }

    /// Whether policy keeps a private item of `owner`'s calendar out of the CRM.
    fn kept_private(&self, owner: &str, is_private: bool) -> bool {
        let allowed =
            self.config.private_sync && AppId::of_address(owner) != Some(AppId::DelegateB);
        is_private && !allowed
    }

    /// The invariants of a settled world; the items whose pair was judged to agree.
    fn check_settled(&mut self) -> Result<BTreeSet<String>, Failure> {
        self.stats.invariant_checks += 6;
        let open = self.open_in_stores();
        if let Some(o) = open.outbox.first() {
            return Err(self.fail("every intent is done", o.clone()));
        }
        let mut judged = BTreeSet::new();
        let now = self.now();
        let in_window = |i: &crate::exchange::Item| {
            i.overlaps(
                now - Duration::days(SYNC_DAYS_BACK),
                now + Duration::days(SYNC_DAYS_AHEAD),
            )
        };
        let found = {
            let w = self.world.lock();
            let mut found = None;
            let live: Vec<&crate::exchange::Item> = w
                .exchange
                .mailboxes
                .values()
                .flat_map(|m| m.items.values())
                .filter(|i| i.is_live())
                .collect();
            for item in &live {
                let ex = item.to_ex_item();
                let owner_app = AppId::of_address(&item.owner).unwrap_or(AppId::Owner);
                let wants =
                    ex.pending.is_some() || item.categories.iter().any(|c| c == SHARE_CATEGORY);
                let kept = self.kept_private(&item.owner, item.is_private);
                let problem_here = open.any_problem(&item.owner, &item.id);
                match &ex.link {
                    Some(link) => {
                        let event = w.crm.events.get(&link.event_id).filter(|e| e.is_live());
                        let Some(e) = event else {
                            if !problem_here {
                                found = Some((
                                    "a CRM deletion unlinks its item",
                                    format!(
                                        "item {} still links event {}, which is gone",
                                        item.id, link.event_id
                                    ),
                                ));
                                break;
                            }
                            continue;
                        };
                        if kept || (item.is_meeting() && open.conflicts.contains(&item.id)) {
                            continue;
                        }
                        let ex_h = FieldHashes::of(&item.fields);
                        let crm_fields = fields_of(&e.to_event());
                        if ex_h != FieldHashes::of(&crm_fields) || e.is_private != item.is_private {
                            found = Some((
                                "linked pairs agree",
                                format!(
                                    "item {} ({}private{}) and event {} ({}private) differ:\n  \
                                     Exchange {:?}\n  CRM      {:?}\n  problem open: {problem_here}",
                                    item.id,
                                    if item.is_private { "" } else { "not " },
                                    if item.is_meeting() { ", a meeting" } else { "" },
                                    e.id,
                                    if e.is_private { "" } else { "not " },
                                    item.fields,
                                    crm_fields
                                ),
                            ));
                            break;
                        }
                        if let Err(lost) =
                            self.oracle
                                .judge(&item.id, &e.id, &ex_h, self.config.winner)
                        {
                            found = Some(("no lost edit", lost));
                            break;
                        }
                        judged.insert(item.id.clone());
                    }
                    // The sync's scope is its window: a share of an item that has left it
                    // (time passed while the owner's sync did not run) is not made.
                    None if wants && !in_window(item) => {}
                    None if wants => {
                        let asker = ex
                            .pending
                            .as_ref()
                            .and_then(|p| AppId::of_address(&p.requested_by))
                            .unwrap_or(owner_app);
                        let told = open.problem(asker, &item.owner, &item.id)
                            || open.problem(owner_app, &item.owner, &item.id);
                        if !told {
                            found = Some((
                                "every share is done or shown as a problem",
                                format!(
                                    "item {} of {} asks to be shared ({}), is not linked, and \
                                     neither {} nor {} shows a problem for it",
                                    item.id,
                                    item.owner,
                                    match &ex.pending {
                                        Some(p) => format!("pending, asked by {}", p.requested_by),
                                        None => "category".to_string(),
                                    },
                                    asker.short(),
                                    owner_app.short()
                                ),
                            ));
                            break;
                        }
                    }
                    None => {}
                }
            }
            if found.is_none() {
                // A problem is told until it is resolved; about an item that is gone, nothing
                // remains to resolve.
                for (app, subject) in &open.problems {
                    let Some(id) = subject
                        .strip_prefix(onbehalf_store::ITEM_SUBJECT_PREFIX)
                        .and_then(|rest| rest.split_once('/'))
                        .map(|(_, id)| id)
                    else {
                        continue;
                    };
                    let live = w
                        .exchange
                        .mailboxes
                        .values()
                        .any(|m| m.items.get(id).is_some_and(|i| i.is_live()));
                    if !live {
                        found = Some((
                            "no problem stays open about an item that is gone",
                            format!("{} still shows a problem about {subject}", app.short()),
                        ));
                        break;
                    }
                }
            }
            if found.is_none() {
                let by_id: BTreeMap<&str, &crate::exchange::Item> = w
                    .exchange
                    .mailboxes
                    .values()
                    .flat_map(|m| m.items.values())
                    .map(|i| (i.id.as_str(), i))
                    .collect();
                for e in w.crm.events.values().filter(|e| e.is_live()) {
                    let Some(x) = e.external_id.as_deref() else {
                        continue;
                    };
                    let item = by_id.get(x).filter(|i| i.is_live());
                    let owner = by_id.get(x).map(|i| i.owner.clone()).unwrap_or_default();
                    let told = open.any_problem(&owner, x);
                    // Only the calendar owner's app carries its deletions over.
                    let owner_told =
                        AppId::of_address(&owner).is_some_and(|a| open.problem(a, &owner, x));
                    match item {
                        None if !owner_told => {
                            found = Some((
                                "an Exchange deletion deletes its CRM event",
                                format!("event {} lives on; its item {x} is gone", e.id),
                            ));
                            break;
                        }
                        Some(i) => {
                            let linked = i.to_ex_item().link.is_some_and(|l| l.event_id == e.id);
                            if !linked && !told {
                                found = Some((
                                    "no event is left behind by its item",
                                    format!(
                                        "event {} carries item {x}, which does not link it \
                                         (item categories {:?}, pending {})",
                                        e.id,
                                        i.categories,
                                        i.pending.is_some()
                                    ),
                                ));
                                break;
                            }
                        }
                        None => {}
                    }
                }
            }
            found
        };
        match found {
            None => Ok(judged),
            Some((name, detail)) => Err(self.fail(name, detail)),
        }
    }
}
