//! The operations a step may apply, chosen by the run's seeded generator:
//!
//! - people in Outlook: create an item (an appointment, a meeting with attendees, a private
//!   item, an all-day item, a recurring series, an item longer than the CRM allows), edit a
//!   field, move it, delete it, cut a series short, rename a series, mark it private or not,
//!   give it the share category by hand or take it away;
//! - people in the CRM's own screens: edit an event (as its owner, the manager above the
//!   owner, or delegate A), delete one, add one of their own;
//! - the apps: a sync cycle (maybe crashing after a few port calls), a preview, Share (with
//!   records, maybe crashing) and Unshare;
//! - the environment: a delegate's Exchange level or CRM calendar sharing changes, the
//!   executive's sync is turned off or on, services turn busy or calm, a sign-in expires or is
//!   renewed, Exchange forgets delta tokens, time jumps ahead.
//!
//! Each returns the line the trace keeps: what was done, to what, and how it ended.

mod apps;
mod crm;
mod environment;
mod outlook;

use chrono::Duration;
use onbehalf_engine::crm::EventTime;
use rand::seq::SliceRandom;
use rand::Rng;

use crate::exchange::Item;
use crate::faults::Fuse;
use crate::people::AppId;
use crate::sim::Sim;
use crate::trace::Failure;

/// Days around now that people work in (inside every app's sync window).
const WORK_BACK: i64 = 10;
const WORK_AHEAD: i64 = 50;
/// Live items a calendar holds at most, to keep the world (and each step) small.
const MAX_ITEMS_OWNER: usize = 60;
const MAX_ITEMS_DELEGATE: usize = 10;
/// Events people make in the CRM's own screens, live at most.
const MAX_CRM_MADE: usize = 15;

impl Sim {
    /// A few items in each calendar to begin with.
    pub(crate) fn seed_items(&mut self) {
        for _ in 0..12 {
            self.create_item(AppId::Owner);
        }
        for d in AppId::DELEGATES {
            for _ in 0..2 {
                self.create_item(d);
            }
        }
        self.log("seeded: 12 items in the executive's calendar, 2 in each delegate's");
    }

    /// One random operation; the trace line.
    pub(crate) fn random_op(&mut self) -> Result<String, Failure> {
        let roll = self.rng.gen_range(0..1000);
        Ok(match roll {
            0..=119 => self.op_cycle(AppId::Owner)?,
            120..=199 => self.op_cycle(AppId::DelegateA)?,
            200..=279 => self.op_cycle(AppId::DelegateB)?,
            280..=289 => self.op_preview()?,
            290..=359 => {
                let cal = self.pick_calendar();
                match self.oldest_beyond_cap(cal) {
                    Some(old) => self.delete_old(cal, old),
                    None => {
                        self.stats.op("create_item");
                        self.create_item(cal)
                    }
                }
            }
            360..=459 => self.op_edit_item(),
            460..=509 => self.op_move_item(),
            510..=549 => self.op_delete_item(),
            550..=559 => self.op_cut_series(),
            560..=569 => self.op_rename_series(),
            570..=589 => self.op_set_private(),
            590..=629 => self.op_set_category(),
            630..=709 => self.op_share()?,
            710..=739 => self.op_unshare()?,
            740..=809 => self.op_crm_edit(),
            810..=829 => self.op_crm_delete(),
            830..=839 => self.op_crm_create(),
            840..=854 => self.op_permission(),
            855..=869 => self.op_crm_sharing(),
            870..=884 => self.op_owner_sync(),
            885..=909 => self.op_faults(),
            910..=929 => self.op_sign_out(),
            930..=959 => self.op_sign_in(),
            960..=969 => self.op_expire_delta(),
            970..=979 => self.op_clock_jump(),
            _ => {
                let app = *AppId::ALL.choose(&mut self.rng).unwrap_or(&AppId::Owner);
                self.op_cycle(app)?
            }
        })
    }

    pub(super) fn pick_calendar(&mut self) -> AppId {
        match self.rng.gen_range(0..100) {
            0..=5 => AppId::DelegateA,
            6..=11 => AppId::DelegateB,
            _ => AppId::Owner,
        }
    }

    pub(super) fn fuse(&mut self, per_cent: u32, max_calls: u32) -> Option<Fuse> {
        (self.rng.gen_range(0..100) < per_cent).then(|| Fuse {
            calls_left: self.rng.gen_range(0..max_calls),
            after: self.rng.gen_bool(0.5),
        })
    }

    /// A live item of `cal`'s calendar that passes `keep`, chosen at random.
    pub(super) fn pick_item(&mut self, cal: AppId, keep: impl Fn(&Item) -> bool) -> Option<Item> {
        let found: Vec<Item> = {
            let w = self.world.lock();
            w.exchange
                .live_items(cal.address())
                .filter(|i| keep(i))
                .cloned()
                .collect()
        };
        found.choose(&mut self.rng).cloned()
    }
}

/// A time moved by `by` (whole days for all-day items).
pub(super) fn shift(t: EventTime, by: Duration) -> EventTime {
    match t {
        EventTime::Timed { start, end } => EventTime::Timed {
            start: start + by,
            end: end + by,
        },
        EventTime::AllDay { first, last } => {
            let days = Duration::days(by.num_days());
            EventTime::AllDay {
                first: first + days,
                last: last + days,
            }
        }
    }
}

pub(super) fn fuse_text(fuse: Option<Fuse>) -> String {
    match fuse {
        None => String::new(),
        Some(f) => format!(
            " (set to die at port call {}{})",
            f.calls_left + 1,
            if f.after { ", after its effect" } else { "" }
        ),
    }
}
