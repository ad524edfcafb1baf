//! The CRM as Salesforce (and the sandbox's emulator) keeps events, in memory: each event has
//! an owner (Assigned To), a creator, a `SystemModstamp` version that changes with every
//! change, and the Exchange item id in a unique, case-sensitive external-id field, so a create
//! carrying an id another live event holds updates that event (an upsert) instead of making a
//! second one. Deleted events stay in the recycle bin for 15 days.
//!
//! Who may do what (as `UserRecordAccess` reports it and every call enforces it): the owner
//! everything; a manager above the owner in the role hierarchy reads, edits and deletes; the
//! owner's calendar sharing gives read (Show Details), adding events (… and Add Events) and
//! edit and delete (Full Access); with the activity org-wide default Private, anyone who can
//! read a related record (all records here are public) reads the event. A private event is
//! open to its owner and its creator only. An event the user may not read does not exist for
//! them (`NOT_FOUND`).
//!
//! The changes feed is Get Updated / Get Deleted as the Salesforce client uses them: seconds
//! are ignored in both bounds, the window ends at the start of the current minute, a cursor
//! older than the recycle bin's 15 days must read everything again, and only events the user
//! may read are listed.
//!
//! This module holds the state and the rules; [`crate::crm::SimCrm`] is one signed-in CRM
//! user's view of it through the engine's `Crm` port.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, DurationRound, Utc};
use onbehalf_engine::crm::{Changes, CrmError, CrmEvent, EventAccess, EventTime, ItemResult};

/// How long deleted events stay in the recycle bin (and in Get Deleted's log).
pub const RECYCLE_BIN_DAYS: i64 = 15;
/// Salesforce refuses an event longer than this.
pub const MAX_EVENT_DAYS: i64 = 14;

/// What a user holds on another user's CRM calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum CalendarAccess {
    HideDetails,
    ShowDetails,
    ShowDetailsAndAddEvents,
    FullAccess,
}

impl CalendarAccess {
    pub const ALL: [CalendarAccess; 4] = [
        CalendarAccess::HideDetails,
        CalendarAccess::ShowDetails,
        CalendarAccess::ShowDetailsAndAddEvents,
        CalendarAccess::FullAccess,
    ];

    fn shows_details(self) -> bool {
        self >= CalendarAccess::ShowDetails
    }

    pub fn adds_events(self) -> bool {
        self >= CalendarAccess::ShowDetailsAndAddEvents
    }

    pub fn edits_events(self) -> bool {
        self == CalendarAccess::FullAccess
    }
}

/// One event as the CRM keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventRec {
    pub id: String,
    pub owner: String,
    pub creator: String,
    pub subject: String,
    pub location: Option<String>,
    pub description: Option<String>,
    pub time: EventTime,
    pub is_private: bool,
    pub show_as_busy: bool,
    pub who_id: Option<String>,
    pub what_id: Option<String>,
    pub external_id: Option<String>,
    /// `SystemModstamp`, in milliseconds.
    pub stamp_ms: i64,
    /// `CreatedDate`, in milliseconds.
    pub created_ms: i64,
    /// When it went to the recycle bin.
    pub deleted: Option<DateTime<Utc>>,
}

impl EventRec {
    pub fn is_live(&self) -> bool {
        self.deleted.is_none()
    }

    /// The event as the port returns it.
    pub fn to_event(&self) -> CrmEvent {
        CrmEvent {
            id: Some(self.id.clone()),
            owner_id: self.owner.clone(),
            subject: self.subject.clone(),
            location: self.location.clone(),
            description: self.description.clone(),
            time: self.time,
            is_private: self.is_private,
            show_as_busy: self.show_as_busy,
            who_id: self.who_id.clone(),
            what_id: self.what_id.clone(),
            external_id: self.external_id.clone(),
            version: Some(modstamp(self.stamp_ms)),
        }
    }

    /// Take the writable fields of `e` as the Salesforce client sends them: empty texts are
    /// no value, and a private event relates to no record.
    fn take(&mut self, e: &CrmEvent) {
        self.subject = non_empty(&e.subject).unwrap_or_default();
        self.location = e.location.as_deref().and_then(non_empty);
        self.description = e.description.as_deref().and_then(non_empty);
        self.time = e.time;
        self.is_private = e.is_private;
        self.show_as_busy = e.show_as_busy;
        let (who, what) = if e.is_private {
            (None, None)
        } else {
            (e.who_id.clone(), e.what_id.clone())
        };
        self.who_id = who;
        self.what_id = what;
        self.external_id = e.external_id.clone();
    }
}

/// `SystemModstamp` as the REST API writes it.
pub fn modstamp(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .map(|t| t.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string())
        .unwrap_or_default()
}

fn non_empty(text: &str) -> Option<String> {
    (!text.trim().is_empty()).then(|| text.to_string())
}

fn minute(t: DateTime<Utc>) -> DateTime<Utc> {
    t.duration_trunc(Duration::minutes(1)).unwrap_or(t)
}

/// The CRM side of the world: one org.
#[derive(Debug, Clone, Default)]
pub struct Salesforce {
    pub events: BTreeMap<String, EventRec>,
    /// Calendar sharing: (owner, grantee) → access; missing is Hide Details.
    pub sharing: BTreeMap<(String, String), CalendarAccess>,
    /// Users above whom in the role hierarchy: (manager, report).
    pub managers: BTreeSet<(String, String)>,
    /// The org lacks Onbehalf's external-id field: the port neither shows nor finds events by
    /// their item's id. Each event still knows the item it was made for (`external_id`), as
    /// the world's truth the invariants check.
    pub without_item_ids: bool,
    /// The permission sets an administrator assigned to each CRM user (by user id), by API
    /// name; a user without an entry has none.
    pub profiles: BTreeMap<String, Vec<String>>,
    sequence: u64,
    last_stamp_ms: i64,
}

impl Salesforce {
    fn new_id(&mut self) -> String {
        self.sequence += 1;
        format!("00Usim{:012}", self.sequence)
    }

    /// A `SystemModstamp` for a change now: never earlier than the last one, always different.
    fn stamp(&mut self, now: DateTime<Utc>) -> i64 {
        let t = now.timestamp_millis().max(self.last_stamp_ms + 1);
        self.last_stamp_ms = t;
        t
    }

    pub fn calendar_access(&self, owner: &str, grantee: &str) -> CalendarAccess {
        self.sharing
            .get(&(owner.to_string(), grantee.to_string()))
            .copied()
            .unwrap_or(CalendarAccess::HideDetails)
    }

    fn is_above(&self, upper: &str, lower: &str) -> bool {
        self.managers
            .contains(&(upper.to_string(), lower.to_string()))
    }

    /// What `user` may do with `e`.
    pub fn access(&self, user: &str, e: &EventRec) -> EventAccess {
        let full = EventAccess {
            read: true,
            edit: true,
            delete: true,
        };
        if e.owner == user {
            return full;
        }
        let creator = e.creator == user;
        let sharing = self.calendar_access(&e.owner, user);
        if e.is_private {
            let edit = creator && sharing.edits_events();
            return EventAccess {
                read: creator,
                edit,
                delete: edit,
            };
        }
        let above = self.is_above(user, &e.owner);
        // Related records are public: reading one reads the event (activities Private).
        let parent_read = e.who_id.is_some() || e.what_id.is_some();
        let edit = above || sharing.edits_events();
        EventAccess {
            read: edit || sharing.shows_details() || creator || parent_read,
            edit,
            delete: edit,
        }
    }

    /// Whether `user` may create events owned by `owner`.
    pub fn may_add_for(&self, user: &str, owner: &str) -> bool {
        user == owner
            || self.is_above(user, owner)
            || self.calendar_access(owner, user).adds_events()
    }

    /// Empty the recycle bin of what is older than it keeps.
    pub fn purge(&mut self, now: DateTime<Utc>) {
        let horizon = now - Duration::days(RECYCLE_BIN_DAYS);
        self.events
            .retain(|_, e| e.deleted.is_none_or(|d| d >= horizon));
    }

    /// The live event whose external id is `value`.
    pub fn by_external_id(&self, value: &str) -> Option<&EventRec> {
        if self.without_item_ids {
            return None;
        }
        self.made_for(value)
    }

    /// The live event made for the item `value`, whether or not the port may find it by it.
    pub fn made_for(&self, value: &str) -> Option<&EventRec> {
        self.events
            .values()
            .find(|e| e.is_live() && e.external_id.as_deref() == Some(value))
    }

    // ----- the port's calls, as one CRM user -----

    /// An event as the port shows it: without its item's id where the org has no field for it.
    fn shown(&self, e: &EventRec) -> CrmEvent {
        let mut event = e.to_event();
        if self.without_item_ids {
            event.external_id = None;
        }
        event
    }

    /// Read events by id (queryAll: a deleted event is told apart from a missing one).
    pub fn read(&self, user: &str, ids: &[String]) -> Vec<ItemResult<CrmEvent>> {
        ids.iter()
            .map(|id| match self.events.get(id) {
                Some(e) if !self.access(user, e).read => Err(CrmError::NotFound),
                Some(e) if !e.is_live() => Err(CrmError::Deleted),
                Some(e) => Ok(self.shown(e)),
                None => Err(CrmError::NotFound),
            })
            .collect()
    }

    /// Checks the Salesforce client makes before sending an event.
    fn check_time(e: &CrmEvent) -> Result<(), CrmError> {
        let invalid = |message: &str, field: &str| CrmError::Invalid {
            message: message.to_string(),
            fields: vec![field.to_string()],
        };
        match e.time {
            EventTime::Timed { start, end } => {
                if end < start {
                    return Err(invalid("the event ends before it starts", "EndDateTime"));
                }
                if end - start > Duration::days(MAX_EVENT_DAYS) {
                    return Err(invalid(
                        "an event in Salesforce can't last longer than 14 days",
                        "DurationInMinutes",
                    ));
                }
            }
            EventTime::AllDay { first, last } => {
                if last < first {
                    return Err(invalid("the event ends before it starts", "ActivityDate"));
                }
                if (last - first).num_days() + 1 > MAX_EVENT_DAYS {
                    return Err(invalid(
                        "an event in Salesforce can't last longer than 14 days",
                        "DurationInMinutes",
                    ));
                }
            }
        }
        Ok(())
    }

    /// Create one event, or upsert it by its external id.
    pub fn create(&mut self, user: &str, e: &CrmEvent, now: DateTime<Utc>) -> ItemResult<String> {
        Self::check_time(e)?;
        if let Some(existing) = e
            .external_id
            .as_deref()
            .and_then(|x| self.by_external_id(x))
        {
            let id = existing.id.clone();
            let access = self.access(user, existing);
            if !access.read || !access.edit {
                return Err(CrmError::NoEditAccess {
                    message: "insufficient access rights on object id".to_string(),
                });
            }
            if existing.owner != e.owner_id && !self.may_add_for(user, &e.owner_id) {
                return Err(no_cross_reference(&e.owner_id));
            }
            let stamp = self.stamp(now);
            if let Some(rec) = self.events.get_mut(&id) {
                rec.take(e);
                rec.owner = e.owner_id.clone();
                rec.stamp_ms = stamp;
            }
            return Ok(id);
        }
        if !self.may_add_for(user, &e.owner_id) {
            return Err(no_cross_reference(&e.owner_id));
        }
        let id = self.new_id();
        let stamp = self.stamp(now);
        let mut rec = EventRec {
            id: id.clone(),
            owner: e.owner_id.clone(),
            creator: user.to_string(),
            subject: String::new(),
            location: None,
            description: None,
            time: e.time,
            is_private: false,
            show_as_busy: true,
            who_id: None,
            what_id: None,
            external_id: None,
            stamp_ms: stamp,
            created_ms: stamp,
            deleted: None,
        };
        rec.take(e);
        self.events.insert(id.clone(), rec);
        Ok(id)
    }

    /// Update one event (the owner is left as it is).
    pub fn update(&mut self, user: &str, e: &CrmEvent, now: DateTime<Utc>) -> ItemResult<()> {
        let id = e.id.clone().ok_or_else(|| CrmError::Invalid {
            message: "the event has no CRM id to update".to_string(),
            fields: vec!["Id".to_string()],
        })?;
        Self::check_time(e)?;
        let rec = self.events.get(&id).ok_or(CrmError::NotFound)?;
        let access = self.access(user, rec);
        if !access.read {
            return Err(CrmError::NotFound);
        }
        if !rec.is_live() {
            return Err(CrmError::Deleted);
        }
        if !access.edit {
            return Err(CrmError::NoEditAccess {
                message: "insufficient access rights on object id".to_string(),
            });
        }
        if let Some(x) = e.external_id.as_deref() {
            if let Some(other) = self.by_external_id(x).filter(|o| o.id != id) {
                return Err(CrmError::Other {
                    code: "DUPLICATE_VALUE".to_string(),
                    message: format!(
                        "duplicate value found: Onbehalf_Exchange_Id__c duplicates value on \
                         record with id: {}",
                        other.id
                    ),
                });
            }
        }
        let stamp = self.stamp(now);
        if let Some(rec) = self.events.get_mut(&id) {
            let made_for = rec.external_id.clone();
            rec.take(e);
            if self.without_item_ids {
                rec.external_id = made_for;
            }
            rec.stamp_ms = stamp;
        }
        Ok(())
    }

    /// Move one event to the recycle bin.
    pub fn delete(&mut self, user: &str, id: &str, now: DateTime<Utc>) -> ItemResult<()> {
        let rec = self.events.get(id).ok_or(CrmError::NotFound)?;
        let access = self.access(user, rec);
        if !access.read {
            return Err(CrmError::NotFound);
        }
        if !rec.is_live() {
            return Err(CrmError::Deleted);
        }
        if !access.delete {
            return Err(CrmError::NoEditAccess {
                message: "insufficient access rights on object id".to_string(),
            });
        }
        let stamp = self.stamp(now);
        if let Some(rec) = self.events.get_mut(id) {
            rec.deleted = Some(now);
            rec.stamp_ms = stamp;
        }
        Ok(())
    }

    /// A person's change in the CRM's own screens, with the rights they hold.
    pub fn edit_as(
        &mut self,
        user: &str,
        id: &str,
        now: DateTime<Utc>,
        f: impl FnOnce(&mut EventRec),
    ) -> bool {
        let Some(rec) = self.events.get(id).filter(|e| e.is_live()) else {
            return false;
        };
        if !self.access(user, rec).edit {
            return false;
        }
        let stamp = self.stamp(now);
        match self.events.get_mut(id) {
            Some(rec) => {
                f(rec);
                if rec.is_private {
                    rec.who_id = None;
                    rec.what_id = None;
                }
                rec.stamp_ms = stamp;
                true
            }
            None => false,
        }
    }

    /// A person's event made in the CRM's own screens (no external id).
    pub fn create_as(&mut self, user: &str, mut rec: EventRec, now: DateTime<Utc>) -> String {
        let id = self.new_id();
        rec.id = id.clone();
        rec.creator = user.to_string();
        rec.stamp_ms = self.stamp(now);
        rec.created_ms = rec.stamp_ms;
        self.events.insert(id.clone(), rec);
        id
    }

    /// Live events the user reads whose external id is one of `item_ids`.
    pub fn for_items(&self, user: &str, item_ids: &[String]) -> Vec<CrmEvent> {
        if self.without_item_ids {
            return Vec::new();
        }
        let wanted: BTreeSet<&str> = item_ids.iter().map(String::as_str).collect();
        self.events
            .values()
            .filter(|e| e.is_live())
            .filter(|e| e.external_id.as_deref().is_some_and(|x| wanted.contains(x)))
            .filter(|e| self.access(user, e).read)
            .map(EventRec::to_event)
            .collect()
    }

    /// Live events on `owner`'s calendar the user reads that `creator` made at or after
    /// `since`, oldest first.
    pub fn made_since(
        &self,
        user: &str,
        owner: &str,
        creator: &str,
        since: DateTime<Utc>,
    ) -> Vec<CrmEvent> {
        let since_ms = since.timestamp_millis();
        let mut made: Vec<&EventRec> = self
            .events
            .values()
            .filter(|e| e.is_live() && e.owner == owner && e.creator == creator)
            .filter(|e| e.created_ms >= since_ms)
            .filter(|e| self.access(user, e).read)
            .collect();
        made.sort_by_key(|e| (e.created_ms, e.id.clone()));
        made.into_iter().map(|e| self.shown(e)).collect()
    }

    /// Get Updated and Get Deleted since `cursor`, as the Salesforce client asks them.
    pub fn changes(
        &self,
        user: &str,
        cursor: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> Changes {
        let nothing = |cursor| Changes::Since {
            updated: Vec::new(),
            deleted: Vec::new(),
            cursor,
        };
        let Some(cursor) = cursor else {
            return nothing(now);
        };
        if cursor < now - Duration::days(RECYCLE_BIN_DAYS) {
            return Changes::TooOld;
        }
        if now - cursor < Duration::minutes(1) {
            return nothing(cursor);
        }
        let (start, end) = (minute(cursor), minute(now));
        let (start_ms, end_ms) = (start.timestamp_millis(), end.timestamp_millis());
        let deleted: BTreeSet<String> = self
            .events
            .values()
            .filter_map(|e| e.deleted.map(|d| (e, d)))
            .filter(|(_, d)| *d >= start && *d < end)
            .filter(|(e, _)| self.access(user, e).read)
            .map(|(e, _)| e.id.clone())
            .collect();
        let updated = self
            .events
            .values()
            .filter(|e| e.is_live())
            .filter(|e| e.stamp_ms >= start_ms && e.stamp_ms < end_ms)
            .filter(|e| self.access(user, e).read)
            .filter(|e| !deleted.contains(&e.id))
            .map(|e| e.id.clone())
            .collect();
        Changes::Since {
            updated,
            deleted: deleted.into_iter().collect(),
            cursor: end.max(cursor),
        }
    }

    /// Up to `limit` ids of `owner`'s events the user reads, newest first.
    pub fn events_of(&self, user: &str, owner: &str, limit: usize) -> Vec<String> {
        let mut found: Vec<(&EventRec, DateTime<Utc>)> = self
            .events
            .values()
            .filter(|e| e.is_live() && e.owner == owner && self.access(user, e).read)
            .map(|e| (e, crate::exchange::span(&e.time).0))
            .collect();
        found.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.id.cmp(&b.0.id)));
        found
            .into_iter()
            .take(limit)
            .map(|(e, _)| e.id.clone())
            .collect()
    }

    /// What `user_id` may do with each event; an event the running user cannot see is left
    /// out by Salesforce and answered as no access.
    pub fn access_of(
        &self,
        running: &str,
        user_id: &str,
        ids: &[String],
    ) -> Vec<(String, EventAccess)> {
        let none = EventAccess {
            read: false,
            edit: false,
            delete: false,
        };
        ids.iter()
            .map(|id| {
                let a = self
                    .events
                    .get(id)
                    .filter(|e| e.is_live() && self.access(running, e).read)
                    .map_or(none, |e| self.access(user_id, e));
                (id.clone(), a)
            })
            .collect()
    }
}

fn no_cross_reference(owner: &str) -> CrmError {
    CrmError::NoAccessToRelated {
        message: format!("insufficient access rights on cross-reference id: {owner}"),
    }
}
