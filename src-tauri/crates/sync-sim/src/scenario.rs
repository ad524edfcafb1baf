//! Scenarios: the simulation's world and apps driven step by step by a test, not by the seeded
//! generator, to pin down one behaviour (each one a case a random run once found).

use chrono::{Duration, NaiveTime};
use onbehalf_engine::crm::{CrmError, EventTime};
use onbehalf_engine::sync::marks::Link;
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey, Recurrence};
use onbehalf_engine::sync::share::ShareRefusal;
use onbehalf_sync::{Mode, Report, SyncError};

use crate::apps::Config;
use crate::exchange::Item;
use crate::faults::Fuse;
use crate::people::{AppId, SHARE_CATEGORY};
use crate::salesforce::{CalendarAccess, EventRec};
use crate::sim::{Outcome, Sim};
use crate::world::Counts;

/// A world with no items, its apps each synced once, driven by hand.
#[derive(Debug)]
pub struct Scenario {
    sim: Sim,
}

/// What a new item is.
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    pub subject: String,
    /// Whole days (an all-day item) instead of an hour.
    pub all_day_days: Option<i64>,
    /// Given the share category in Outlook.
    pub category: bool,
    pub attendees: Vec<String>,
}

impl Scenario {
    pub fn new(config: Config) -> Scenario {
        let mut sim = Sim::bare(config);
        for app in AppId::ALL {
            sim.cycle(app, Mode::Execute, None);
        }
        Scenario { sim }
    }

    /// Let a few minutes pass (the CRM's change feed works by the minute).
    pub fn later(&mut self) {
        self.sim.advance(Duration::minutes(3));
    }

    /// Someone adds an item to `cal`'s calendar in Outlook, tomorrow; its id.
    pub fn add_item(&mut self, cal: AppId, new: NewItem) -> String {
        let tomorrow = (self.sim.now() + Duration::days(1)).date_naive();
        let time = match new.all_day_days {
            Some(days) => EventTime::AllDay {
                first: tomorrow,
                last: tomorrow + Duration::days(days - 1),
            },
            None => {
                let start = tomorrow.and_time(NaiveTime::MIN).and_utc() + Duration::hours(9);
                EventTime::Timed {
                    start,
                    end: start + Duration::hours(1),
                }
            }
        };
        let item = Item {
            id: String::new(),
            owner: cal.address().to_string(),
            change: 0,
            fields: Fields {
                subject: new.subject,
                location: None,
                body: None,
                time,
                show_as_busy: true,
            },
            categories: match new.category {
                true => vec![SHARE_CATEGORY.to_string()],
                false => Vec::new(),
            },
            is_private: false,
            attendees: new.attendees,
            organizer: cal.address().to_string(),
            creator: cal.address().to_string(),
            recurrence: Recurrence::Single,
            cancelled: false,
            deleted: false,
            link: None,
            pending: None,
        };
        self.sim.world.lock().exchange.create(item)
    }

    /// Someone changes an item in Outlook.
    pub fn edit_item(&mut self, cal: AppId, id: &str, f: impl FnOnce(&mut Fields)) {
        self.sim
            .world
            .lock()
            .exchange
            .edit(cal.address(), id, |i| f(&mut i.fields));
    }

    /// Someone takes the share category off an item in Outlook.
    pub fn remove_category(&mut self, cal: AppId, id: &str) {
        self.sim
            .world
            .lock()
            .exchange
            .edit(cal.address(), id, |i| i.categories.clear());
    }

    /// Someone deletes an item in Outlook.
    pub fn delete_item(&mut self, cal: AppId, id: &str) {
        self.sim.world.lock().exchange.remove(cal.address(), id);
    }

    /// The item as its calendar's owner sees it (`None` when gone).
    pub fn item(&self, cal: AppId, id: &str) -> Option<ExItem> {
        let key = ItemKey {
            owner: cal.address().to_string(),
            id: id.to_string(),
        };
        self.sim.world.lock().exchange.get(cal.address(), &key)
    }

    /// The item's link, when it has one.
    pub fn link(&self, cal: AppId, id: &str) -> Option<Link> {
        self.item(cal, id).and_then(|i| i.link)
    }

    /// The live CRM event made for an item.
    pub fn event_for(&self, item: &str) -> Option<EventRec> {
        self.sim.world.lock().crm.made_for(item).cloned()
    }

    /// How many live CRM events were made for an item (more than one is a duplicate).
    pub fn events_made_for(&self, item: &str) -> usize {
        let w = self.sim.world.lock();
        w.crm
            .events
            .values()
            .filter(|e| e.is_live() && e.external_id.as_deref() == Some(item))
            .count()
    }

    /// Someone edits an event in the CRM's own screens as `user`.
    pub fn edit_event(&mut self, user: &str, id: &str, f: impl FnOnce(&mut EventRec)) -> bool {
        let now = self.sim.now();
        self.sim.world.lock().crm.edit_as(user, id, now, f)
    }

    /// Someone deletes an event in the CRM as `user`.
    pub fn delete_event(&mut self, user: &str, id: &str) {
        let now = self.sim.now();
        // A refusal here is the test's own mistake, and shows in what it checks next.
        let _refused = self.sim.world.lock().crm.delete(user, id, now);
    }

    /// What a delegate's CRM user holds on the executive's CRM calendar.
    pub fn crm_sharing(&mut self, delegate: AppId, access: CalendarAccess) {
        self.sim.world.lock().crm.sharing.insert(
            (
                AppId::Owner.crm_user().to_string(),
                delegate.crm_user().to_string(),
            ),
            access,
        );
        self.sim.refresh_apps();
    }

    /// An administrator assigns `user`'s CRM user these permission sets (by API name), in
    /// place of those they held.
    pub fn assign_permission_sets(&mut self, user: AppId, names: &[&str]) {
        self.sim.world.lock().crm.profiles.insert(
            user.crm_user().to_string(),
            names.iter().map(|n| n.to_string()).collect(),
        );
    }

    /// The CRM-side profiles of `of`'s CRM user, as `app`'s CRM port reads them.
    pub fn profile_names(&self, app: AppId, of: AppId) -> Result<Vec<String>, CrmError> {
        self.sim.profile_names(app, of.crm_user())
    }

    /// Exchange forgets `app`'s delta tokens.
    pub fn lose_delta(&mut self, app: AppId) {
        self.sim.world.lock().exchange.expire_tokens(app.address());
    }

    /// One cycle of `app`.
    pub fn cycle(&mut self, app: AppId) -> Result<Report, SyncError> {
        match self.sim.cycle(app, Mode::Execute, None) {
            Outcome::Done(r) => r,
            Outcome::Crashed => panic!("a cycle without a fuse crashed"),
        }
    }

    /// One cycle of `app` that dies at its `call`-th port call (1-based), after that call's
    /// effect when `after`.
    pub fn cycle_dying(&mut self, app: AppId, call: u32, after: bool) {
        let fuse = Fuse {
            calls_left: call.saturating_sub(1),
            after,
        };
        match self.sim.cycle(app, Mode::Execute, Some(fuse)) {
            Outcome::Crashed => {}
            Outcome::Done(r) => panic!("the cycle was to die at call {call}, but ended: {r:?}"),
        }
    }

    /// `app`'s user presses Share (no records).
    pub fn share(&mut self, app: AppId, cal: AppId, id: &str) -> Result<(), ShareRefusal> {
        let key = ItemKey {
            owner: cal.address().to_string(),
            id: id.to_string(),
        };
        match self.sim.share(app, &key, None, None, None) {
            Outcome::Done(Ok(r)) => r.map(|_| ()),
            Outcome::Done(Err(e)) => panic!("share failed: {e}"),
            Outcome::Crashed => panic!("share crashed"),
        }
    }

    /// `app`'s user presses Unshare.
    pub fn unshare(&mut self, app: AppId, cal: AppId, id: &str) -> Result<(), ShareRefusal> {
        let key = ItemKey {
            owner: cal.address().to_string(),
            id: id.to_string(),
        };
        match self.sim.unshare(app, &key, None) {
            Outcome::Done(Ok(r)) => r,
            Outcome::Done(Err(e)) => panic!("unshare failed: {e}"),
            Outcome::Crashed => panic!("unshare crashed"),
        }
    }

    /// The causes of the problems `app` shows for an item.
    pub fn problems(&self, app: AppId, cal: AppId, id: &str) -> Vec<String> {
        let subject = onbehalf_store::item_subject(cal.address(), id);
        let acc = &self.sim.app(app).ctx.account_id;
        self.sim
            .store(app)
            .sync_problems()
            .open(acc)
            .expect("problems are read")
            .into_iter()
            .filter(|p| p.subject == subject)
            .map(|p| p.cause)
            .collect()
    }

    /// What `app` asked of both sides so far.
    pub fn counts(&self, app: AppId) -> Counts {
        self.sim
            .world
            .lock()
            .log
            .counts
            .get(&app)
            .copied()
            .unwrap_or_default()
    }
}
