//! What people do in the CRM's own screens: edit an event (as its owner, the manager above the
//! owner, or delegate A, with the rights each holds), delete one, add one of their own.

use chrono::Duration;
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::sync::hash::{Field, FieldHashes};
use onbehalf_engine::sync::plan::fields_of;
use rand::seq::SliceRandom;
use rand::Rng;

use super::{shift, MAX_CRM_MADE, WORK_AHEAD, WORK_BACK};
use crate::people::{AppId, CrmPerson, MANAGER_CRM};
use crate::salesforce::EventRec;
use crate::sim::Sim;

impl Sim {
    /// A live event of the CRM, chosen at random, that lies where people work.
    pub(super) fn pick_event(&mut self) -> Option<EventRec> {
        let now = self.now();
        let (from, to) = (
            now - Duration::days(WORK_BACK),
            now + Duration::days(WORK_AHEAD),
        );
        let found: Vec<EventRec> = {
            let w = self.world.lock();
            w.crm
                .events
                .values()
                .filter(|e| e.is_live())
                .filter(|e| {
                    let (s, end) = crate::exchange::span(&e.time);
                    s < to && end > from
                })
                .cloned()
                .collect()
        };
        found.choose(&mut self.rng).cloned()
    }

    pub(super) fn crm_person(&mut self, event: &EventRec) -> CrmPerson {
        let owner = AppId::of_crm_user(&event.owner).unwrap_or(AppId::Owner);
        match self.rng.gen_range(0..100) {
            0..=54 => CrmPerson::User(owner),
            55..=74 if owner == AppId::Owner => CrmPerson::Manager,
            _ => CrmPerson::User(AppId::DelegateA),
        }
    }

    pub(super) fn op_crm_edit(&mut self) -> String {
        self.stats.op("crm_edit");
        let Some(event) = self.pick_event() else {
            return "CRM edit: no event".to_string();
        };
        let person = self.crm_person(&event);
        let field = match self.rng.gen_range(0..10) {
            0..=2 => Field::Subject,
            3..=4 => Field::Location,
            5..=6 => Field::Body,
            7..=8 => Field::Time,
            _ => Field::ShowAs,
        };
        let text = match field {
            Field::Subject => Some(self.text("CRM subject")),
            Field::Location => Some(self.text("CRM room")),
            Field::Body => Some(self.text("CRM notes")),
            Field::Time | Field::ShowAs => None,
        };
        let by = match event.time {
            EventTime::Timed { .. } => Duration::minutes(self.rng.gen_range(-16..=16) * 30),
            EventTime::AllDay { .. } => Duration::days(self.rng.gen_range(-2..=2)),
        };
        let now = self.now();
        let t = text.clone();
        let done =
            self.world
                .lock()
                .crm
                .edit_as(person.user_id(), &event.id, now, |e| match field {
                    Field::Subject => e.subject = t.unwrap_or_default(),
                    Field::Location => e.location = t,
                    Field::Body => e.description = t,
                    Field::Time => e.time = shift(e.time, by),
                    Field::ShowAs => e.show_as_busy = !e.show_as_busy,
                });
        if !done {
            return format!(
                "{:?} may not edit event {} in the CRM: nothing changes",
                person, event.id
            );
        }
        let after = {
            let w = self.world.lock();
            w.crm
                .events
                .get(&event.id)
                .map(|e| fields_of(&e.to_event()))
        };
        // The item the event was made for, else (an event made in the CRM, where the CRM keeps
        // no item id) the item that links it.
        let item = event.external_id.clone().or_else(|| {
            let w = self.world.lock();
            w.exchange
                .mailboxes
                .values()
                .flat_map(|m| m.items.values())
                .find(|i| i.to_ex_item().link.is_some_and(|l| l.event_id == event.id))
                .map(|i| i.id.clone())
        });
        if let (Some(x), Some(after)) = (&item, after) {
            let anchored = {
                let w = self.world.lock();
                w.exchange
                    .mailboxes
                    .values()
                    .find_map(|m| m.items.get(x))
                    .and_then(|i| i.to_ex_item().link)
                    .is_some_and(|l| l.event_id == event.id)
            };
            let hashes = FieldHashes::of(&after);
            let before = FieldHashes::of(&fields_of(&event.to_event()));
            // Saving a value unchanged is no edit.
            if hashes.get(field) != before.get(field) {
                self.oracle
                    .crm_edit(x, &event.id, anchored, field, &hashes, self.step);
            }
        }
        format!(
            "{:?} edits {field:?} of event {} (item {:?}) in the CRM to {:?}",
            person,
            event.id,
            event.external_id,
            text.as_deref().unwrap_or("(moved/toggled)")
        )
    }

    pub(super) fn op_crm_delete(&mut self) -> String {
        self.stats.op("crm_delete");
        let Some(event) = self.pick_event() else {
            return "CRM delete: no event".to_string();
        };
        let owner = AppId::of_crm_user(&event.owner).unwrap_or(AppId::Owner);
        let user = match (owner, self.rng.gen_range(0..100)) {
            (AppId::Owner, 0..=29) => MANAGER_CRM,
            (o, _) => o.crm_user(),
        };
        let now = self.now();
        let r = self.world.lock().crm.delete(user, &event.id, now);
        format!(
            "{user} deletes event {} (item {:?}) in the CRM: {:?}",
            event.id, event.external_id, r
        )
    }

    pub(super) fn op_crm_create(&mut self) -> String {
        let made: Vec<EventRec> = {
            let w = self.world.lock();
            w.crm
                .events
                .values()
                .filter(|e| e.is_live() && e.external_id.is_none())
                .cloned()
                .collect()
        };
        if made.len() >= MAX_CRM_MADE {
            self.stats.op("crm_delete");
            let oldest = made
                .iter()
                .min_by_key(|e| e.stamp_ms)
                .map(|e| (e.id.clone(), e.owner.clone()));
            if let Some((id, owner)) = oldest {
                let now = self.now();
                let r = self.world.lock().crm.delete(&owner, &id, now);
                return format!("{owner} deletes their old CRM-made event {id}: {r:?}");
            }
        }
        self.stats.op("crm_create");
        let owner = self.pick_calendar();
        let subject = self.text("CRM-made");
        let time = self.new_time(false, 1);
        let now = self.now();
        let id = self.world.lock().crm.create_as(
            owner.crm_user(),
            EventRec {
                id: String::new(),
                owner: owner.crm_user().to_string(),
                creator: String::new(),
                subject: subject.clone(),
                location: None,
                description: None,
                time,
                is_private: false,
                show_as_busy: true,
                who_id: None,
                what_id: None,
                external_id: None,
                stamp_ms: 0,
                created_ms: 0,
                deleted: None,
            },
            now,
        );
        format!("{} adds event {id} {subject:?} in the CRM", owner.short())
    }
}
