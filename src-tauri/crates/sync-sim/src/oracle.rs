//! What people did, remembered independently of the sync, to judge its outcome: the last
//! edit of each field on each side of a shared item (for "no lost edit"), and the texts
//! written into items while they were private (for "nothing private reaches the CRM").
//!
//! No lost edit, per field of a linked pair, once both sides agree again:
//! - edited on one side only: the agreed value is that edit;
//! - edited on both: the agreed value is the later edit or the configured winner's edit
//!   (both changed since the last sync, so the winner may decide);
//! - a CRM edit made while the event was not yet linked to its item (a crash between
//!   creating and linking) has no known base: relinking takes the event as the base and sends
//!   Exchange's values, so such an edit may be overwritten;
//! - linking an item to a new event (a first share, or a share again after its event was
//!   deleted) starts from Exchange's values: the edits before it are settled;
//! - a value the sync itself wrote to one side but never recorded as the new base (it was cut
//!   off between the two writes) is, to the sync, a change on that side since the last sync:
//!   against a later edit on the other side, the winner may decide; and a later edit on the
//!   other side that puts back the value of that stale base is no change at all to the sync
//!   (its merge compares with the base), so the sync's written value may stand. Both are the
//!   price of a base recorded after the writes, not with them.

use std::collections::{BTreeMap, BTreeSet};

use onbehalf_engine::sync::hash::{Field, FieldHashes};
use onbehalf_engine::sync::merge::Winner;

/// One person's edit of one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The field's hash after the edit.
    pub hash: String,
    pub step: u64,
    /// CRM edits: the event edited, and whether its item was linked to it then.
    pub event: Option<String>,
    pub anchored: bool,
    /// Written by the sync, not by a person.
    pub by_sync: bool,
}

#[derive(Debug, Clone, Default)]
struct FieldEdits {
    exchange: Option<Edit>,
    crm: Option<Edit>,
    /// Values the sync wrote to each side that no base recorded yet.
    unbased_exchange: Option<Edit>,
    unbased_crm: Option<Edit>,
}

#[derive(Debug, Clone, Default)]
pub struct Oracle {
    edits: BTreeMap<(String, Field), FieldEdits>,
    /// Texts written into an item during its current private period, by text and by item.
    private_texts: BTreeMap<String, String>,
    private_by_item: BTreeMap<String, BTreeSet<String>>,
    /// The event each item was last linked to, and the base last written on it.
    linked: BTreeMap<String, String>,
    bases: BTreeMap<String, FieldHashes>,
}

impl Oracle {
    pub fn exchange_edit(&mut self, item: &str, field: Field, hashes: &FieldHashes, step: u64) {
        self.edits
            .entry((item.to_string(), field))
            .or_default()
            .exchange = Some(Edit {
            hash: hashes.get(field).to_string(),
            step,
            event: None,
            anchored: true,
            by_sync: false,
        });
    }

    pub fn crm_edit(
        &mut self,
        item: &str,
        event: &str,
        anchored: bool,
        field: Field,
        hashes: &FieldHashes,
        step: u64,
    ) {
        self.edits.entry((item.to_string(), field)).or_default().crm = Some(Edit {
            hash: hashes.get(field).to_string(),
            step,
            event: Some(event.to_string()),
            anchored,
            by_sync: false,
        });
    }

    /// The sync wrote fields to one side (`event`: the CRM event, for the CRM side).
    pub fn sync_write(
        &mut self,
        item: &str,
        event: Option<&str>,
        before: &FieldHashes,
        after: &FieldHashes,
        step: u64,
    ) {
        for field in after.changed_since(before) {
            let e = self.edits.entry((item.to_string(), field)).or_default();
            let edit = Some(Edit {
                hash: after.get(field).to_string(),
                step,
                event: event.map(str::to_string),
                anchored: false,
                by_sync: true,
            });
            match event {
                Some(_) => e.unbased_crm = edit,
                None => e.unbased_exchange = edit,
            }
        }
    }

    /// The sync wrote a new base on an item: the values it covers are synced. Where the base
    /// took a value the sync had written to one side without a base, and a person edited the
    /// other side since, the sync merged against a stale base: the winner decided, or the edit
    /// put back the stale base's value and was no change to the sync. That edit is settled.
    /// `item_now`: what the item holds as the link is written.
    pub fn base_write(
        &mut self,
        item: &str,
        event: &str,
        synced: &FieldHashes,
        item_now: &FieldHashes,
        winner: Winner,
    ) {
        let before = self.bases.insert(item.to_string(), synced.clone());
        if self.linked.get(item).map(String::as_str) != Some(event) {
            // A new pairing. A relink takes the event's values as its base: where the item
            // holds a value of a person's edit that the base does not, that edit is still to
            // go to the CRM. Every other edit is settled by the pairing.
            self.linked.insert(item.to_string(), event.to_string());
            for field in Field::ALL {
                let Some(e) = self.edits.get_mut(&(item.to_string(), field)) else {
                    continue;
                };
                let held = item_now.get(field);
                let pending = e
                    .exchange
                    .take()
                    .filter(|x| x.hash == held && held != synced.get(field));
                *e = FieldEdits {
                    exchange: pending,
                    ..FieldEdits::default()
                };
            }
            return;
        }
        for field in Field::ALL {
            let Some(e) = self.edits.get_mut(&(item.to_string(), field)) else {
                continue;
            };
            let h = synced.get(field);
            let stale = before.as_ref().map(|b| b.get(field).to_string());
            let settled = |unbased: &Option<Edit>, other: &Option<Edit>, won: bool| {
                unbased.as_ref().zip(other.as_ref()).is_some_and(|(u, o)| {
                    u.hash == h
                        && o.hash != h
                        && o.step > u.step
                        && (won || stale.as_deref() == Some(o.hash.as_str()))
                })
            };
            // An edit that put a side back to the value last synced is no change to the merge
            // (it compares with that base): the other side's edit, now on both, stands.
            let back_to_base = |edit: &Option<Edit>, other: &Option<Edit>| {
                edit.as_ref()
                    .is_some_and(|x| stale.as_deref() == Some(x.hash.as_str()) && x.hash != h)
                    && other.as_ref().is_some_and(|o| o.hash == h)
            };
            if back_to_base(&e.exchange, &e.crm) {
                e.exchange = None;
            }
            if back_to_base(&e.crm, &e.exchange) {
                e.crm = None;
            }
            if settled(&e.unbased_exchange, &e.crm, winner == Winner::Exchange) {
                e.crm = None;
            }
            if settled(&e.unbased_crm, &e.exchange, winner == Winner::Crm) {
                e.exchange = None;
            }
            if e.unbased_exchange.as_ref().is_some_and(|u| u.hash == h) {
                e.unbased_exchange = None;
            }
            if e.unbased_crm.as_ref().is_some_and(|u| u.hash == h) {
                e.unbased_crm = None;
            }
        }
    }

    /// Judge one linked pair whose sides agree on `agreed`.
    pub fn judge(
        &self,
        item: &str,
        event: &str,
        agreed: &FieldHashes,
        winner: Winner,
    ) -> Result<(), String> {
        for field in Field::ALL {
            let Some(e) = self.edits.get(&(item.to_string(), field)) else {
                continue;
            };
            let on_event = |c: &&Edit| c.event.as_deref() == Some(event);
            let crm = latest(
                e.crm.as_ref().filter(on_event),
                e.unbased_crm.as_ref().filter(on_event),
            );
            let exchange = latest(e.exchange.as_ref(), e.unbased_exchange.as_ref());
            let h = agreed.get(field);
            let ok = match (exchange, crm) {
                (None, None) => true,
                (Some(x), None) => h == x.hash,
                (None, Some(c)) => h == c.hash || !c.anchored,
                (Some(x), Some(c)) => {
                    let later = if x.step > c.step { x } else { c };
                    let won = match winner {
                        Winner::Exchange => x,
                        Winner::Crm => c,
                    };
                    h == later.hash || h == won.hash || (!c.anchored && !c.by_sync && h == x.hash)
                }
            };
            if !ok {
                return Err(format!(
                    "lost edit: field {field:?} of item {item} (event {event}) settled on {h}; \
                     last Exchange edit {exchange:?}, last CRM edit {crm:?}, winner {winner:?}; \
                     all edits of the field {e:?}; last base written {:?}",
                    self.bases.get(item).map(|b| b.get(field))
                ));
            }
        }
        Ok(())
    }

    /// Forget the edits of pairs judged to agree.
    pub fn settle(&mut self, items: &BTreeSet<String>) {
        for item in items {
            self.forget(item);
        }
    }

    /// Forget everything about an item's edits (settled, or the item is gone).
    pub fn forget(&mut self, item: &str) {
        for field in Field::ALL {
            self.edits.remove(&(item.to_string(), field));
        }
    }

    /// The item is gone for good.
    pub fn gone(&mut self, item: &str) {
        self.forget(item);
        self.not_private(item);
        self.linked.remove(item);
        self.bases.remove(item);
    }

    /// A text written into a private item.
    pub fn private_text(&mut self, item: &str, text: &str) {
        self.private_texts
            .insert(text.to_string(), item.to_string());
        self.private_by_item
            .entry(item.to_string())
            .or_default()
            .insert(text.to_string());
    }

    /// The item is no longer private (or gone): its texts may be shared from now on.
    pub fn not_private(&mut self, item: &str) {
        if let Some(texts) = self.private_by_item.remove(item) {
            for t in texts {
                self.private_texts.remove(&t);
            }
        }
    }

    /// The private item a text was written into, if any.
    pub fn private_owner_of(&self, text: &str) -> Option<&str> {
        self.private_texts.get(text).map(String::as_str)
    }
}

/// The later of two edits of one side.
fn latest<'a>(a: Option<&'a Edit>, b: Option<&'a Edit>) -> Option<&'a Edit> {
    match (a, b) {
        (Some(x), Some(y)) => Some(if y.step >= x.step { y } else { x }),
        (x, None) => x,
        (None, y) => y,
    }
}
