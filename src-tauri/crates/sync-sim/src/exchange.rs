//! Exchange as Microsoft Graph shows it, in memory: mailboxes of calendar items with immutable
//! ids and a `changeKey` that changes with every change (categories and extended properties
//! included), writes conditioned on `If-Match`, folder permissions per (viewer, owner) with
//! Exchange's private-items flag, master category lists, and a calendar-view delta whose
//! tokens are kept server-side, bound to the window of the round that began them, and
//! forgotten beyond a small cache (`SyncStateNotFound`).
//!
//! Recurring series appear as their expanded occurrences, each with its own id (as a calendar
//! view shows them); changing one makes it an exception; cancelling one removes it from the
//! view and reports it removed.
//!
//! The delta as the engine's port gives it (the Graph client reads every id a round reports
//! again): items added or changed since the cursor, in the window or not, and as removed only
//! what is gone.
//!
//! This module holds the state and the rules; [`crate::items::SimItems`] is one signed-in
//! user's view of it through the engine's `ItemSource` port.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, NaiveTime, Utc};
use onbehalf_engine::crm::EventTime;
use onbehalf_engine::permission::{ItemScope, Permission, ReadLevel, Rights};
use onbehalf_engine::ports::SourceError;
use onbehalf_engine::sync::marks::Marks;
use onbehalf_engine::sync::model::{ExItem, Fields, ItemKey, Recurrence};
use onbehalf_engine::sync::port::{ItemChanges, Versions, Window};

/// Delta tokens kept per viewer and calendar, as Exchange keeps a handful of generations.
pub const DELTA_CACHE: usize = 8;

/// One calendar item in its owner's mailbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Item {
    /// Immutable id in the owner's mailbox.
    pub id: String,
    pub owner: String,
    /// The world's change number of its last change; the `changeKey` is made from it.
    pub change: u64,
    pub fields: Fields,
    pub categories: Vec<String>,
    pub is_private: bool,
    pub attendees: Vec<String>,
    pub organizer: String,
    /// Who created it (the owner, or a delegate in the owner's calendar).
    pub creator: String,
    pub recurrence: Recurrence,
    /// A cancelled occurrence: gone from the view.
    pub cancelled: bool,
    /// Deleted: gone, kept only so that the delta can report it.
    pub deleted: bool,
    /// Onbehalf's link extended property, as stored (JSON text).
    pub link: Option<String>,
    /// Onbehalf's pending-share extended property, as stored (JSON text).
    pub pending: Option<String>,
}

impl Item {
    /// The `changeKey`.
    pub fn version(&self) -> String {
        change_key(self.change)
    }

    /// Neither deleted nor cancelled.
    pub fn is_live(&self) -> bool {
        !self.deleted && !self.cancelled
    }

    pub fn is_meeting(&self) -> bool {
        !self.attendees.is_empty()
    }

    /// Whether the item overlaps `[from, to)`; a zero-length item counts at its start.
    pub fn overlaps(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> bool {
        let (s, e) = span(&self.fields.time);
        if s == e {
            s >= from && s < to
        } else {
            s < to && e > from
        }
    }

    /// The item as the engine sees it. A mark that does not parse is no mark.
    pub fn to_ex_item(&self) -> ExItem {
        ExItem {
            key: ItemKey {
                owner: self.owner.clone(),
                id: self.id.clone(),
            },
            version: self.version(),
            fields: self.fields.clone(),
            categories: self.categories.clone(),
            is_private: self.is_private,
            attendees: self.attendees.clone(),
            organizer: Some(self.organizer.clone()),
            recurrence: self.recurrence.clone(),
            cancelled: self.cancelled,
            link: self
                .link
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok()),
            pending: self
                .pending
                .as_deref()
                .and_then(|t| serde_json::from_str(t).ok()),
            creator: Some(self.creator.clone()),
            web_link: None,
        }
    }
}

/// The span of an item's time: whole days run from midnight UTC to the midnight after.
pub fn span(t: &EventTime) -> (DateTime<Utc>, DateTime<Utc>) {
    match *t {
        EventTime::Timed { start, end } => (start, end),
        EventTime::AllDay { first, last } => (
            first.and_time(NaiveTime::MIN).and_utc(),
            last.and_time(NaiveTime::MIN).and_utc() + Duration::days(1),
        ),
    }
}

pub fn change_key(change: u64) -> String {
    format!("ck{change:08x}")
}

/// One mailbox.
#[derive(Debug, Clone, Default)]
pub struct Mailbox {
    pub items: BTreeMap<String, Item>,
    /// The master category list.
    pub categories: Vec<String>,
}

/// A delta token's state, as Exchange keeps it.
#[derive(Debug, Clone)]
struct DeltaState {
    viewer: String,
    /// The window of the round that began the chain: a later request's window is ignored.
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    /// The change number when the round ended.
    change: u64,
    /// The ids the client was given.
    known: BTreeSet<String>,
    /// Order of issue.
    generation: u64,
}

/// A write Exchange refused: its error, and why when it was for lack of rights (for the
/// invariant that nothing is attempted beyond the user's rights).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refused {
    pub error: SourceError,
    pub beyond_rights: Option<String>,
}

impl Refused {
    fn plain(error: SourceError) -> Box<Refused> {
        Box::new(Refused {
            error,
            beyond_rights: None,
        })
    }
}

/// The Exchange side of the world.
#[derive(Debug, Clone, Default)]
pub struct Exchange {
    pub mailboxes: BTreeMap<String, Mailbox>,
    /// Folder permissions on default calendars: (viewer, owner) → permission.
    pub grants: BTreeMap<(String, String), Permission>,
    change: u64,
    next_id: u64,
    tokens: BTreeMap<String, DeltaState>,
    generation: u64,
}

/// What a write through the port may touch.
pub enum Write<'a> {
    Marks(&'a Marks),
    Fields(&'a Fields),
}

impl Exchange {
    pub fn new(owners: &[&str]) -> Exchange {
        let mut x = Exchange::default();
        for o in owners {
            x.mailboxes.insert(o.to_string(), Mailbox::default());
        }
        x
    }

    fn next_change(&mut self) -> u64 {
        self.change += 1;
        self.change
    }

    /// The viewer's rights on `owner`'s calendar (`None`: no access).
    pub fn rights(&self, viewer: &str, owner: &str) -> Option<Rights> {
        if viewer.eq_ignore_ascii_case(owner) {
            return Some(Rights::OWNER_SELF);
        }
        self.grants
            .get(&(viewer.to_string(), owner.to_string()))
            .map(Permission::rights)
            .filter(|r| r.read != ReadLevel::None)
    }

    /// Whether `viewer` sees `item` at all: a private item is hidden from a viewer without
    /// private-items access.
    pub fn sees(&self, viewer: &str, item: &Item) -> bool {
        match self.rights(viewer, &item.owner) {
            None => false,
            Some(r) => !item.is_private || r.view_private || viewer == item.owner,
        }
    }

    pub fn item(&self, owner: &str, id: &str) -> Option<&Item> {
        self.mailboxes.get(owner).and_then(|m| m.items.get(id))
    }

    pub fn item_mut(&mut self, owner: &str, id: &str) -> Option<&mut Item> {
        self.mailboxes
            .get_mut(owner)
            .and_then(|m| m.items.get_mut(id))
    }

    /// Live items of one mailbox, in id order.
    pub fn live_items<'a>(&'a self, owner: &str) -> impl Iterator<Item = &'a Item> + 'a {
        self.mailboxes
            .get(owner)
            .into_iter()
            .flat_map(|m| m.items.values())
            .filter(|i| i.is_live())
    }

    // ----- what people do in Outlook (not through Onbehalf) -----

    /// Add an item (or one occurrence of a series) to `owner`'s calendar; its id.
    pub fn create(&mut self, mut item: Item) -> String {
        self.next_id += 1;
        let id = format!("AAMkSim{:06}=", self.next_id);
        item.id = id.clone();
        item.change = self.next_change();
        if let Some(m) = self.mailboxes.get_mut(&item.owner) {
            m.items.insert(id.clone(), item);
        }
        id
    }

    /// Change an item as a person does in Outlook; an occurrence becomes an exception.
    pub fn edit(&mut self, owner: &str, id: &str, f: impl FnOnce(&mut Item)) -> bool {
        let change = self.change + 1;
        let Some(item) = self.item_mut(owner, id).filter(|i| i.is_live()) else {
            return false;
        };
        f(item);
        item.change = change;
        if let Recurrence::Occurrence { exception, .. } = &mut item.recurrence {
            *exception = true;
        }
        self.change = change;
        true
    }

    /// Change an occurrence as its series changes: it stays an occurrence.
    pub fn edit_as_series(&mut self, owner: &str, id: &str, f: impl FnOnce(&mut Item)) -> bool {
        let change = self.change + 1;
        let Some(item) = self.item_mut(owner, id).filter(|i| i.is_live()) else {
            return false;
        };
        f(item);
        item.change = change;
        self.change = change;
        true
    }

    /// Delete an item, or cancel an occurrence.
    pub fn remove(&mut self, owner: &str, id: &str) -> bool {
        let change = self.change + 1;
        let Some(item) = self.item_mut(owner, id).filter(|i| i.is_live()) else {
            return false;
        };
        match item.recurrence {
            Recurrence::Single => item.deleted = true,
            Recurrence::Occurrence { .. } => item.cancelled = true,
        }
        item.change = change;
        self.change = change;
        true
    }

    /// Forget every delta token of `viewer`: their next delta is `SyncStateNotFound`.
    pub fn expire_tokens(&mut self, viewer: &str) {
        self.tokens.retain(|_, s| s.viewer != viewer);
    }

    /// Drop removed items no delta token can still need.
    pub fn purge(&mut self) {
        let oldest = self.tokens.values().map(|s| s.change).min();
        for m in self.mailboxes.values_mut() {
            m.items
                .retain(|_, i| i.is_live() || oldest.is_some_and(|o| i.change > o));
        }
    }

    // ----- the port's calls, as one viewer -----

    /// Every item of `owner`'s calendar overlapping the window that the viewer sees.
    pub fn list(
        &self,
        viewer: &str,
        owner: &str,
        window: Window,
    ) -> Result<Vec<ExItem>, SourceError> {
        let rights = self.rights(viewer, owner).ok_or_else(not_found)?;
        if rights.read < ReadLevel::TitlesAndLocations {
            return Err(access_denied());
        }
        Ok(self
            .live_items(owner)
            .filter(|i| i.overlaps(window.from, window.to) && self.sees(viewer, i))
            .map(Item::to_ex_item)
            .collect())
    }

    /// One item, `None` when gone or hidden from the viewer.
    pub fn get(&self, viewer: &str, key: &ItemKey) -> Option<ExItem> {
        self.item(&key.owner, &key.id)
            .filter(|i| i.is_live() && self.sees(viewer, i))
            .map(Item::to_ex_item)
    }

    /// Whether `viewer` may change `item` (Graph's PATCH), and why not.
    pub fn may_change(&self, viewer: &str, item: &Item) -> Result<(), String> {
        if viewer == item.owner {
            return Ok(());
        }
        let Some(r) = self.rights(viewer, &item.owner) else {
            return Err("no access to the calendar".to_string());
        };
        if item.is_private && !r.view_private {
            return Err("a private item, without private-items access".to_string());
        }
        match r.edit {
            ItemScope::All => Ok(()),
            ItemScope::Own if item.creator == viewer => Ok(()),
            ItemScope::Own => Err("may change only the items it created".to_string()),
            ItemScope::None => Err("may change no item (a view-only level)".to_string()),
        }
    }

    /// A write through the port: `If-Match` on the version, then the rights. A refusal for
    /// lack of rights is also returned as a [`Refusal`] for the invariants.
    pub fn write(
        &mut self,
        viewer: &str,
        key: &ItemKey,
        version: &str,
        what: Write<'_>,
    ) -> Result<String, Box<Refused>> {
        let item = self
            .item(&key.owner, &key.id)
            .filter(|i| i.is_live())
            .ok_or_else(|| Refused::plain(not_found()))?;
        if self.rights(viewer, &item.owner).is_none() {
            return Err(Refused::plain(not_found()));
        }
        if let Err(reason) = self.may_change(viewer, item) {
            return Err(Box::new(Refused {
                error: access_denied(),
                beyond_rights: Some(format!("{viewer} wrote to item {} ({reason})", key.id)),
            }));
        }
        if item.version() != version {
            return Err(Refused::plain(SourceError::Conflict {
                code: "ErrorIrresolvableConflict".to_string(),
                message: "The change key passed in the request does not match the current \
                          change key of the item."
                    .to_string(),
            }));
        }
        let change = self.next_change();
        let Some(item) = self.item_mut(&key.owner, &key.id) else {
            return Err(Refused::plain(not_found()));
        };
        match what {
            Write::Marks(marks) => {
                if let Some(c) = &marks.categories {
                    item.categories = c.clone();
                }
                if let Some(link) = &marks.link {
                    item.link = link.as_ref().and_then(|l| serde_json::to_string(l).ok());
                }
                if let Some(p) = &marks.pending {
                    item.pending = p.as_ref().and_then(|p| serde_json::to_string(p).ok());
                }
            }
            Write::Fields(f) => {
                item.fields = f.clone();
                if let Recurrence::Occurrence { exception, .. } = &mut item.recurrence {
                    *exception = true;
                }
            }
        }
        item.change = change;
        Ok(item.version())
    }

    /// Create an appointment in the viewer's own calendar, with marks.
    pub fn create_own(
        &mut self,
        viewer: &str,
        fields: &Fields,
        is_private: bool,
        marks: &Marks,
    ) -> Result<ExItem, SourceError> {
        if !self.mailboxes.contains_key(viewer) {
            return Err(not_found());
        }
        let id = self.create(Item {
            id: String::new(),
            owner: viewer.to_string(),
            change: 0,
            fields: fields.clone(),
            categories: marks.categories.clone().unwrap_or_default(),
            is_private,
            attendees: Vec::new(),
            organizer: viewer.to_string(),
            creator: viewer.to_string(),
            recurrence: Recurrence::Single,
            cancelled: false,
            deleted: false,
            link: marks
                .link
                .clone()
                .flatten()
                .and_then(|l| serde_json::to_string(&l).ok()),
            pending: marks
                .pending
                .clone()
                .flatten()
                .and_then(|p| serde_json::to_string(&p).ok()),
        });
        self.item(viewer, &id)
            .map(Item::to_ex_item)
            .ok_or_else(not_found)
    }

    /// Add a category to the viewer's own master list when missing; whether it was added.
    pub fn ensure_category(&mut self, viewer: &str, name: &str) -> Result<bool, SourceError> {
        let m = self.mailboxes.get_mut(viewer).ok_or_else(not_found)?;
        if m.categories.iter().any(|c| c.eq_ignore_ascii_case(name)) {
            return Ok(false);
        }
        m.categories.push(name.to_string());
        Ok(true)
    }

    /// The calendar-view delta of the viewer's own calendar.
    pub fn delta(
        &mut self,
        viewer: &str,
        window: Window,
        cursor: Option<&str>,
    ) -> Result<ItemChanges, SourceError> {
        let (from, to, before) = match cursor {
            None => (window.from, window.to, None),
            Some(token) => {
                let state = self
                    .tokens
                    .get(token)
                    .filter(|s| s.viewer == viewer)
                    .ok_or_else(|| SourceError::Other {
                        code: "SyncStateNotFound".to_string(),
                        message: "The sync state generation is not found.".to_string(),
                    })?;
                (
                    state.from,
                    state.to,
                    Some((state.change, state.known.clone())),
                )
            }
        };
        let now_ids: Vec<&Item> = self
            .live_items(viewer)
            .filter(|i| i.overlaps(from, to))
            .collect();
        let (changed, removed) = match &before {
            None => (
                now_ids.iter().map(|i| i.to_ex_item()).collect::<Vec<_>>(),
                Vec::new(),
            ),
            Some((change, known)) => {
                // Graph reports an item changed outside the window (moved out of it, or
                // added beyond it) as `@removed`; the port reads each such id again and, the
                // item being there, reports it changed.
                let outside = self
                    .live_items(viewer)
                    .filter(|i| !i.overlaps(from, to) && i.change > *change);
                let changed = now_ids
                    .iter()
                    .copied()
                    .filter(|i| !known.contains(&i.id) || i.change > *change)
                    .chain(outside)
                    .map(Item::to_ex_item)
                    .collect();
                // Proof of removal: what the read again does not find (deleted items and
                // cancelled occurrences).
                let removed = self
                    .mailboxes
                    .get(viewer)
                    .into_iter()
                    .flat_map(|m| m.items.values())
                    .filter(|i| !i.is_live() && i.change > *change)
                    .map(|i| i.id.clone())
                    .collect();
                (changed, removed)
            }
        };
        let known = now_ids.iter().map(|i| i.id.clone()).collect();
        let token = self.issue(DeltaState {
            viewer: viewer.to_string(),
            from,
            to,
            change: self.change,
            known,
            generation: 0,
        });
        Ok(ItemChanges {
            changed,
            removed,
            cursor: token,
        })
    }

    fn issue(&mut self, mut state: DeltaState) -> String {
        self.generation += 1;
        state.generation = self.generation;
        let mut mine: Vec<(u64, String)> = self
            .tokens
            .iter()
            .filter(|(_, s)| s.viewer == state.viewer)
            .map(|(t, s)| (s.generation, t.clone()))
            .collect();
        mine.sort_unstable();
        let excess = (mine.len() + 1).saturating_sub(DELTA_CACHE);
        for (_, old) in mine.into_iter().take(excess) {
            self.tokens.remove(&old);
        }
        let token = format!("delta.{}", self.generation);
        self.tokens.insert(token.clone(), state);
        token
    }

    /// The versions of several owners' calendars.
    pub fn versions(
        &self,
        viewer: &str,
        owners: &[String],
        window: Window,
    ) -> Vec<Result<Versions, SourceError>> {
        owners
            .iter()
            .map(|o| {
                self.list(viewer, o, window).map(|items| Versions {
                    items: items.into_iter().map(|i| (i.key.id, i.version)).collect(),
                })
            })
            .collect()
    }
}

pub fn not_found() -> SourceError {
    SourceError::NotFound {
        code: "ErrorItemNotFound".to_string(),
    }
}

pub fn access_denied() -> SourceError {
    SourceError::AccessDenied {
        code: "ErrorAccessDenied".to_string(),
    }
}
