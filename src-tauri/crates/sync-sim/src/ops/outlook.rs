//! What people do in Outlook (not through Onbehalf): create items of every kind, edit and move
//! them, delete them, cut a series short or rename it, mark them private or not, give them the
//! share category or take it away. Each edit is told to the oracle.

use chrono::{Duration, NaiveTime};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::sync::hash::{Field, FieldHashes};
use onbehalf_engine::sync::model::{Fields, Recurrence};
use rand::seq::SliceRandom;
use rand::Rng;

use super::{shift, MAX_ITEMS_DELEGATE, MAX_ITEMS_OWNER, WORK_AHEAD, WORK_BACK};
use crate::exchange::Item;
use crate::people::{AppId, GUESTS, SHARE_CATEGORY};
use crate::sim::Sim;

impl Sim {
    /// The item that ended first, when `cal`'s calendar holds as many items as it may: a
    /// busy calendar is one whose owner also clears out old items.
    pub(super) fn oldest_beyond_cap(&self, cal: AppId) -> Option<String> {
        let cap = match cal {
            AppId::Owner => MAX_ITEMS_OWNER,
            AppId::DelegateA | AppId::DelegateB => MAX_ITEMS_DELEGATE,
        };
        let w = self.world.lock();
        let live: Vec<&Item> = w.exchange.live_items(cal.address()).collect();
        if live.len() < cap {
            return None;
        }
        live.into_iter()
            .min_by_key(|i| (crate::exchange::span(&i.fields.time).1, i.id.clone()))
            .map(|i| i.id.clone())
    }

    pub(super) fn delete_old(&mut self, cal: AppId, id: String) -> String {
        self.stats.op("delete_old_item");
        self.world.lock().exchange.remove(cal.address(), &id);
        self.oracle.gone(&id);
        format!(
            "{}'s calendar is full: someone in Outlook deletes its oldest item {id}",
            cal.short()
        )
    }

    pub(super) fn new_time(&mut self, all_day: bool, days: i64) -> EventTime {
        let now = self.now();
        if all_day {
            let first =
                (now + Duration::days(self.rng.gen_range(-3..WORK_AHEAD - 20))).date_naive();
            EventTime::AllDay {
                first,
                last: first + Duration::days(days - 1),
            }
        } else {
            let minutes = self.rng.gen_range(-3 * 96..(WORK_AHEAD - 20) * 96) * 15;
            let start =
                now.date_naive().and_time(NaiveTime::MIN).and_utc() + Duration::minutes(minutes);
            EventTime::Timed {
                start,
                end: start + Duration::minutes(self.rng.gen_range(1..=8) * 15),
            }
        }
    }

    /// Someone adds an item (or a series) to `cal`'s calendar in Outlook.
    pub(crate) fn create_item(&mut self, cal: AppId) -> String {
        let kind = self.rng.gen_range(0..100);
        let (attendees, private, all_day, days, series) = match kind {
            0..=49 => (0, false, false, 1, 1),
            50..=69 => (self.rng.gen_range(1..=2), false, false, 1, 1),
            70..=79 => (0, true, false, 1, 1),
            80..=87 => (0, false, true, self.rng.gen_range(1..=3), 1),
            88..=96 => (
                self.rng.gen_range(0..=1),
                false,
                false,
                1,
                self.rng.gen_range(3..=5),
            ),
            _ => (0, false, true, 15, 1),
        };
        let by_hand = self.rng.gen_range(0..100) < 25;
        let creator = match (cal, self.rng.gen_range(0..100)) {
            (AppId::Owner, 0..=7) => AppId::DelegateA,
            (AppId::Owner, 8..=11) => AppId::DelegateB,
            (c, _) => c,
        };
        let subject = self.text("Subject");
        let location = match self.rng.gen_bool(0.6) {
            true => Some(self.text("Room")),
            false => None,
        };
        let body = Some(self.text("Notes"));
        let time = self.new_time(all_day, days);
        let guests: Vec<String> = GUESTS
            .choose_multiple(&mut self.rng, attendees)
            .map(|g| g.to_string())
            .collect();
        let show_as_busy = self.rng.gen_range(0..100) < 85;
        let series_id = self.text("series");
        let mut ids = Vec::new();
        for n in 0..series {
            let time = shift(time, Duration::weeks(n));
            let recurrence = match series {
                1 => Recurrence::Single,
                _ => Recurrence::Occurrence {
                    series_id: series_id.clone(),
                    original_start: crate::exchange::span(&time).0,
                    exception: false,
                },
            };
            let item = Item {
                id: String::new(),
                owner: cal.address().to_string(),
                change: 0,
                fields: Fields {
                    subject: subject.clone(),
                    location: location.clone(),
                    body: body.clone(),
                    time,
                    show_as_busy,
                },
                categories: if by_hand {
                    vec![SHARE_CATEGORY.to_string()]
                } else {
                    Vec::new()
                },
                is_private: private,
                attendees: guests.clone(),
                organizer: cal.address().to_string(),
                creator: creator.address().to_string(),
                recurrence,
                cancelled: false,
                deleted: false,
                link: None,
                pending: None,
            };
            let id = self.world.lock().exchange.create(item);
            if private {
                for t in [Some(&subject), location.as_ref(), body.as_ref()]
                    .into_iter()
                    .flatten()
                {
                    self.oracle.private_text(&id, t);
                }
            }
            ids.push(id);
        }
        format!(
            "{} creates in {}'s calendar {} {:?}{}{}{}{}: {}",
            creator.short(),
            cal.short(),
            match series {
                1 => "an item".to_string(),
                n => format!("a series of {n}"),
            },
            subject,
            if attendees > 0 { ", a meeting" } else { "" },
            if private { ", private" } else { "" },
            if all_day {
                format!(", all-day {days}d")
            } else {
                String::new()
            },
            if by_hand { ", category CRM" } else { "" },
            ids.join(" ")
        )
    }

    /// A field edit as a person makes it in Outlook, noted for the oracle.
    pub(super) fn edit_in_outlook(
        &mut self,
        item: &Item,
        edit: impl FnOnce(&mut Fields),
    ) -> Fields {
        let mut fields = item.fields.clone();
        edit(&mut fields);
        let new = fields.clone();
        self.world
            .lock()
            .exchange
            .edit(&item.owner, &item.id, |i| i.fields = new);
        let (before, after) = (FieldHashes::of(&item.fields), FieldHashes::of(&fields));
        for f in after.changed_since(&before) {
            self.oracle.exchange_edit(&item.id, f, &after, self.step);
        }
        fields
    }

    pub(super) fn op_edit_item(&mut self) -> String {
        self.stats.op("edit_item");
        let cal = self.pick_calendar();
        let now = self.now();
        let Some(item) = self.pick_item(cal, |i| {
            i.overlaps(
                now - Duration::days(WORK_BACK),
                now + Duration::days(WORK_AHEAD),
            )
        }) else {
            return "edit: no item to edit".to_string();
        };
        let (field, text) = match self.rng.gen_range(0..4) {
            0 => (Field::Subject, Some(self.text("Subject"))),
            1 => (
                Field::Location,
                self.rng.gen_bool(0.8).then(|| self.text("Room")),
            ),
            2 => (Field::Body, Some(self.text("Notes"))),
            _ => (Field::ShowAs, None),
        };
        let t = text.clone();
        self.edit_in_outlook(&item, |f| match field {
            Field::Subject => f.subject = t.unwrap_or_default(),
            Field::Location => f.location = t,
            Field::Body => f.body = t,
            Field::ShowAs | Field::Time => f.show_as_busy = !f.show_as_busy,
        });
        if item.is_private {
            if let Some(t) = &text {
                self.oracle.private_text(&item.id, t);
            }
        }
        format!(
            "someone in Outlook sets {field:?} of {} in {}'s calendar to {:?}",
            item.id,
            cal.short(),
            text.as_deref().unwrap_or("(toggled/cleared)")
        )
    }

    pub(super) fn op_move_item(&mut self) -> String {
        self.stats.op("move_item");
        let cal = self.pick_calendar();
        let now = self.now();
        let Some(item) = self.pick_item(cal, |i| {
            i.overlaps(
                now - Duration::days(WORK_BACK - 2),
                now + Duration::days(WORK_AHEAD - 5),
            )
        }) else {
            return "move: no item to move".to_string();
        };
        let by = match item.fields.time {
            EventTime::Timed { .. } => Duration::minutes(self.rng.gen_range(-24..=24) * 30),
            EventTime::AllDay { .. } => Duration::days(self.rng.gen_range(-2..=2)),
        };
        let to = shift(item.fields.time, by);
        self.edit_in_outlook(&item, |f| f.time = to);
        format!(
            "someone in Outlook moves {} in {}'s calendar by {} minutes",
            item.id,
            cal.short(),
            by.num_minutes()
        )
    }

    pub(super) fn op_delete_item(&mut self) -> String {
        self.stats.op("delete_item");
        let cal = self.pick_calendar();
        let Some(item) = self.pick_item(cal, |_| true) else {
            return "delete: no item".to_string();
        };
        self.world.lock().exchange.remove(&item.owner, &item.id);
        self.oracle.gone(&item.id);
        format!(
            "someone in Outlook deletes {} ({:?}) from {}'s calendar",
            item.id,
            item.recurrence,
            cal.short()
        )
    }

    pub(super) fn op_cut_series(&mut self) -> String {
        self.stats.op("cut_series");
        let cal = self.pick_calendar();
        let Some(item) = self.pick_item(cal, |i| {
            matches!(i.recurrence, Recurrence::Occurrence { .. })
        }) else {
            return "cut series: no series".to_string();
        };
        let Recurrence::Occurrence {
            series_id,
            original_start,
            ..
        } = &item.recurrence
        else {
            return "cut series: no series".to_string();
        };
        let mut w = self.world.lock();
        let later: Vec<String> = w
            .exchange
            .live_items(cal.address())
            .filter(|i| match &i.recurrence {
                Recurrence::Occurrence {
                    series_id: s,
                    original_start: o,
                    ..
                } => s == series_id && o > original_start,
                Recurrence::Single => false,
            })
            .map(|i| i.id.clone())
            .collect();
        for id in &later {
            w.exchange.remove(cal.address(), id);
        }
        drop(w);
        for id in &later {
            self.oracle.gone(id);
        }
        format!(
            "someone in Outlook ends series {series_id} after {}: cancels {}",
            item.id,
            later.join(" ")
        )
    }

    pub(super) fn op_rename_series(&mut self) -> String {
        self.stats.op("rename_series");
        let cal = self.pick_calendar();
        let Some(item) = self.pick_item(cal, |i| {
            matches!(i.recurrence, Recurrence::Occurrence { .. })
        }) else {
            return "rename series: no series".to_string();
        };
        let Recurrence::Occurrence { series_id, .. } = &item.recurrence else {
            return "rename series: no series".to_string();
        };
        let subject = self.text("Series subject");
        let members: Vec<Item> = {
            let w = self.world.lock();
            w.exchange
                .live_items(cal.address())
                .filter(|i| {
                    matches!(&i.recurrence, Recurrence::Occurrence { series_id: s, exception: false, .. } if s == series_id)
                })
                .cloned()
                .collect()
        };
        for m in &members {
            let s = subject.clone();
            self.world
                .lock()
                .exchange
                .edit_as_series(cal.address(), &m.id, |i| i.fields.subject = s);
            let mut f = m.fields.clone();
            f.subject = subject.clone();
            self.oracle
                .exchange_edit(&m.id, Field::Subject, &FieldHashes::of(&f), self.step);
            if m.is_private {
                self.oracle.private_text(&m.id, &subject);
            }
        }
        format!(
            "someone in Outlook renames series {series_id} to {subject:?}: {} occurrences",
            members.len()
        )
    }

    pub(super) fn op_set_private(&mut self) -> String {
        self.stats.op("set_private");
        let cal = self.pick_calendar();
        let Some(item) = self.pick_item(cal, |_| true) else {
            return "private: no item".to_string();
        };
        let private = !item.is_private;
        self.world
            .lock()
            .exchange
            .edit(&item.owner, &item.id, |i| i.is_private = private);
        if !private {
            self.oracle.not_private(&item.id);
        }
        format!(
            "someone in Outlook marks {} in {}'s calendar {}",
            item.id,
            cal.short(),
            if private { "private" } else { "not private" }
        )
    }

    pub(super) fn op_set_category(&mut self) -> String {
        self.stats.op("set_category");
        let cal = self.pick_calendar();
        let Some(item) = self.pick_item(cal, |_| true) else {
            return "category: no item".to_string();
        };
        let has = item.categories.iter().any(|c| c == SHARE_CATEGORY);
        let mut categories = item.categories.clone();
        if has {
            categories.retain(|c| c != SHARE_CATEGORY);
        } else {
            categories.push(SHARE_CATEGORY.to_string());
        }
        self.world
            .lock()
            .exchange
            .edit(&item.owner, &item.id, |i| i.categories = categories);
        format!(
            "someone in Outlook {} the CRM category {} {} in {}'s calendar",
            if has { "removes" } else { "gives" },
            if has { "from" } else { "to" },
            item.id,
            cal.short()
        )
    }
}
