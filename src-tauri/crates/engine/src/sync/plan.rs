//! The planner: for one Exchange item and its CRM event, given what was last synced (the link
//! on the item), what this app should do. Pure and total: every combination of the sides is a
//! labelled arm, and the same inputs give the same actions in the same order.
//!
//! The truth table (E = the Exchange side, C = the CRM side, L = the item's link):
//!
//! | E | L | C | what happens |
//! |---|---|---|---|
//! | not seen | – | – | nothing: an item outside the window or not read is no evidence |
//! | removed (proof) | none | – | nothing |
//! | removed | link | present | delete the CRM event (Exchange deletion carries over) |
//! | removed | link | deleted / not found | forget the pair |
//! | removed | link | not read / not visible | nothing now (it is read next time) |
//! | present, private, private sync off | – | – | a problem if shared or asked; never sent; not asked, an event made for it by a withdrawn share is deleted |
//! | present | none | present (same external id) | share asked: relink, the event was made for this item, and send what Exchange holds beyond it |
//! | present | none | present (same external id) | no share asked (withdrawn before it was linked): delete the event, if the user may |
//! | present | none | absent | share asked: create (owner's app, or a delegate allowed to add directly); a delegate waits for the owner's sync, told when it is off |
//! | present | none | absent | no share asked: nothing |
//! | present | none | not read / not visible / deleted | nothing |
//! | present | link | present | merge: changes on one side go to the other, both-changed fields go to the winner and what the winner overwrote is noted; a CRM change to a meeting becomes a conflict; missing rights become problems |
//! | present | link | deleted (proof) | unlink: remove link and category, keep the meeting, say so |
//! | present | link | not visible | a problem: no CRM access to the event |
//! | present | link | not read | nothing now |
//!
//! The merge of a linked pair, field by field against the link's hashes (S = the field's value
//! as last synced):
//!
//! | Exchange | CRM | what happens |
//! |---|---|---|
//! | = S | = S | nothing (the base moves on if it was behind) |
//! | changed | = S | the CRM takes Exchange's value |
//! | = S | changed | an appointment takes the CRM's value; a meeting: a conflict, nothing written to either side |
//! | changed | changed, to the same value | nothing to write; the base moves on |
//! | changed | changed, differently | the winner's value is kept on both sides (a meeting when the CRM wins: a conflict), and `Overwrote` notes the field, both values and the winner, after the writes and before the new base |

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::actions::{Action as Right, Wording};
use crate::crm::{CrmEvent, EventTime};
use crate::item::{item_verdict, Creator, ItemFacts};
use crate::permission::Rights;
use crate::sync::hash::{Field, FieldHashes};
use crate::sync::marks::{Link, LINK_FORMAT};
use crate::sync::merge::{merge, Winner};
use crate::sync::model::{ExItem, Fields, ItemKey};

/// The Exchange side of a pair, as far as this cycle knows.
#[derive(Debug, Clone, Copy)]
pub enum ExSide<'a> {
    Present(&'a ExItem),
    /// Proven deleted (a delta's `@removed`, or a read that answered "not found" for an item
    /// the user could read before).
    Removed(&'a ItemKey),
    /// Not read this cycle, or outside the window: no evidence either way.
    NotSeen,
}

/// The CRM side of a pair, as far as this cycle knows.
#[derive(Debug, Clone, Copy)]
pub enum CrmSide<'a> {
    Present(&'a CrmEvent),
    /// Proven deleted (the deleted feed, or a read answering that the record was deleted).
    Deleted,
    /// Looked for by the item's id (the external id) and not there.
    Absent,
    /// There may be an event, but the user may not see it.
    NotVisible,
    /// Not read this cycle.
    NotRead,
}

/// Settings that shape sync, from the user and the admin policy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SyncPolicy {
    /// The admin allows private items to be synced and the user turned it on.
    pub private_sync: bool,
    /// Which side decides a field changed on both.
    pub winner: Winner,
    /// A delegate's app may create the CRM event itself when its CRM user may add events to
    /// the owner's calendar (off by default, per owner).
    pub direct_share: bool,
}

impl Default for SyncPolicy {
    fn default() -> Self {
        SyncPolicy {
            private_sync: false,
            winner: Winner::Exchange,
            direct_share: false,
        }
    }
}

/// Who is acting, with what rights.
#[derive(Debug, Clone)]
pub struct Actor<'a> {
    /// The signed-in user's address.
    pub me: &'a str,
    /// The calendar owner's display name, for words.
    pub owner_name: &'a str,
    /// The item is in the user's own calendar.
    pub is_owner: bool,
    /// The user's rights on the item's calendar.
    pub rights: Rights,
    /// The user's level as they would name it, for words.
    pub level: &'a str,
    /// The owner's Onbehalf runs its sync (from their status record).
    pub owner_sync_on: bool,
    /// The calendar owner's CRM user, when known.
    pub owner_crm_user: Option<&'a str>,
    /// The CRM org the user is signed in to.
    pub crm_org: &'a str,
    /// Which CRM.
    pub crm: &'a str,
    /// The user may add events to the owner's CRM calendar (`None`: not known).
    pub may_add_crm: Option<bool>,
    /// The user may edit this pair's CRM event (`None`: not known).
    pub may_edit_crm: Option<bool>,
    /// The category that shares an item.
    pub share_category: &'a str,
    /// The CRM's events keep the id of the item they were made for; without it, links live
    /// on the Exchange items only.
    pub keeps_item_ids: bool,
    pub policy: SyncPolicy,
    pub now: DateTime<Utc>,
}

/// Why something could not be done, for a person (DESIGN §2.4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "cause", rename_all = "snake_case")]
pub enum Problem {
    /// A delegate's share waits for the owner's sync, which is off.
    OwnerSyncOff,
    /// The CRM event cannot be read by the user (or was deleted and not yet unlinked).
    NoCrmReadAccess,
    /// The user may not change the CRM event.
    NoCrmEditAccess,
    /// The user's Exchange permission does not allow this on the item.
    ExchangePermission { needed: String, reason: String },
    /// A private item is not synced by policy.
    PrivateNotSynced,
    /// The owner has no CRM user to own the event.
    NoCrmUserForOwner,
}

/// A field's values when a CRM change to a meeting cannot be written to Exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConflictField {
    pub field: Field,
    pub exchange: String,
    pub crm: String,
}

/// A field changed on both sides since the last sync, decided by the configured winner: the
/// value kept on both sides and the one it overwrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Overwritten {
    pub field: Field,
    /// The side whose value was kept.
    pub winner: Winner,
    pub kept: String,
    pub overwritten: String,
}

/// What to do, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Create the CRM event of a share; then link the item (`LinkItem`).
    CreateEvent { item: ItemKey, event: CrmEvent },
    /// Bring the CRM event to these fields.
    UpdateEvent { item: ItemKey, event: CrmEvent },
    /// Bring the Exchange item (an appointment) to these fields, while at `version`.
    UpdateItem {
        item: ItemKey,
        version: String,
        fields: Fields,
    },
    /// Write the link (new base after a sync, or a relink), clearing any pending share.
    /// `fields` are what both sides hold afterwards.
    LinkItem {
        item: ItemKey,
        version: String,
        link: Link,
        fields: Fields,
    },
    /// The CRM event is gone: remove the link and the share category, keep the item.
    Unlink {
        item: ItemKey,
        version: String,
        categories: Vec<String>,
    },
    /// The Exchange item is gone: delete its CRM event.
    DeleteEvent { item: ItemKey, event_id: String },
    /// Both sides are gone: forget the pair locally.
    Forget { item: ItemKey },
    /// Fields changed on both sides were decided by the winner: noted for the user once the
    /// writes before it succeeded. `subject` and `time` are what both sides hold afterwards.
    Overwrote {
        item: ItemKey,
        subject: String,
        time: EventTime,
        fields: Vec<Overwritten>,
    },
    /// A CRM change to a meeting waits for the user.
    Conflict {
        item: ItemKey,
        fields: Vec<ConflictField>,
    },
    /// Something stands in the way; shown to the user.
    Problem { item: ItemKey, problem: Problem },
    /// An event the user made in the CRM comes into their own calendar: an appointment (no
    /// attendees) with these fields, private when the event is, linked and shared from the
    /// start.
    CreateItem {
        event_id: String,
        fields: Fields,
        is_private: bool,
        categories: Vec<String>,
        link: Link,
    },
}

/// Plan one pair. `link` is the item's link (or the one the local status remembers for a
/// removed item).
pub fn plan(ex: ExSide<'_>, link: Option<&Link>, crm: CrmSide<'_>, a: &Actor<'_>) -> Vec<Step> {
    match ex {
        ExSide::NotSeen => Vec::new(),
        ExSide::Removed(key) => removed(key, link, crm, a),
        ExSide::Present(item) => match (
            item.is_private && !a.policy.private_sync,
            link,
            wants_share(item, a),
        ) {
            (true, Some(_), _) | (true, None, true) => {
                vec![problem(item, Problem::PrivateNotSynced)]
            }
            // Not asked to be shared: nothing goes to the CRM; an event made for it by a share
            // withdrawn before it was linked goes, as for any item (nothing is sent by that).
            (true, None, false) => unlinked(item, crm, false, a),
            (false, Some(link), _) => linked(item, link, crm, a),
            (false, None, wants) => unlinked(item, crm, wants, a),
        },
    }
}

fn removed(key: &ItemKey, link: Option<&Link>, crm: CrmSide<'_>, a: &Actor<'_>) -> Vec<Step> {
    match (link, crm) {
        (None, _) => Vec::new(),
        (Some(l), CrmSide::Present(_)) => match may_change_crm(a) {
            true => vec![Step::DeleteEvent {
                item: key.clone(),
                event_id: l.event_id.clone(),
            }],
            false => vec![Step::Problem {
                item: key.clone(),
                problem: Problem::NoCrmEditAccess,
            }],
        },
        (Some(_), CrmSide::Deleted | CrmSide::Absent) => vec![Step::Forget { item: key.clone() }],
        (Some(_), CrmSide::NotVisible | CrmSide::NotRead) => Vec::new(),
    }
}

/// The share category, or a share asked for and recorded on the item.
fn wants_share(item: &ExItem, a: &Actor<'_>) -> bool {
    item.pending.is_some()
        || item
            .categories
            .iter()
            .any(|c| c.eq_ignore_ascii_case(a.share_category))
}

fn unlinked(item: &ExItem, crm: CrmSide<'_>, wants: bool, a: &Actor<'_>) -> Vec<Step> {
    match (crm, wants) {
        // Made for this item (it carries the item's id) but never linked: a crash between
        // creating it and linking, or an earlier install. Linking it avoids a duplicate.
        (CrmSide::Present(event), true) => relink(item, event, a),
        // Made for this item, never linked, and the item no longer asks to be shared (unshared
        // by someone who could not see the event, or the category taken off, before the share
        // was finished): the share was withdrawn, and its event goes with it.
        (CrmSide::Present(event), false) => match (may_change_crm(a), &event.id) {
            (true, Some(id)) => vec![Step::DeleteEvent {
                item: item.key.clone(),
                event_id: id.clone(),
            }],
            (true, None) | (false, _) => Vec::new(),
        },
        (CrmSide::Absent, true) => share(item, a),
        (CrmSide::Absent, false) => Vec::new(),
        (CrmSide::Deleted | CrmSide::NotVisible | CrmSide::NotRead, _) => Vec::new(),
    }
}

fn share(item: &ExItem, a: &Actor<'_>) -> Vec<Step> {
    if !may_mark(item, a) {
        return Vec::new();
    }
    let Some(owner_crm) = a.owner_crm_user else {
        return vec![problem(item, Problem::NoCrmUserForOwner)];
    };
    // Not yet known is tried: the CRM's answer is kept, and a refusal leaves the share to
    // the owner's sync. Only where events keep their item's id: without it, the owner's app
    // and the delegate's could both make the event.
    let direct = a.policy.direct_share && a.may_add_crm != Some(false) && a.keeps_item_ids;
    match (a.is_owner, direct, a.owner_sync_on) {
        (true, _, _) | (false, true, _) => vec![Step::CreateEvent {
            item: item.key.clone(),
            event: new_event(item, owner_crm),
        }],
        // Initial sharing is the owner's sync's to do; the share waits on the item.
        (false, false, true) => Vec::new(),
        // Told to whoever asked for the share; the others have nothing to do about it.
        (false, false, false) => match asked_by_me(item, a) {
            true => vec![problem(item, Problem::OwnerSyncOff)],
            false => Vec::new(),
        },
    }
}

fn asked_by_me(item: &ExItem, a: &Actor<'_>) -> bool {
    item.pending
        .as_ref()
        .is_some_and(|p| p.requested_by.eq_ignore_ascii_case(a.me))
}

/// The CRM event a share creates: the owner's, with the records asked for (none on a private
/// event, which a CRM may not link).
fn new_event(item: &ExItem, owner_crm: &str) -> CrmEvent {
    let (who_id, what_id) = match (item.is_private, &item.pending) {
        (false, Some(p)) => (p.who_id.clone(), p.what_id.clone()),
        (false, None) | (true, _) => (None, None),
    };
    CrmEvent {
        id: None,
        owner_id: owner_crm.to_string(),
        subject: item.fields.subject.clone(),
        location: item.fields.location.clone(),
        description: item.fields.body.clone(),
        time: item.fields.time,
        is_private: item.is_private,
        show_as_busy: item.fields.show_as_busy,
        who_id,
        what_id,
        external_id: Some(item.key.id.clone()),
        version: None,
    }
}

fn relink(item: &ExItem, event: &CrmEvent, a: &Actor<'_>) -> Vec<Step> {
    if !may_mark(item, a) {
        return vec![exchange_refused(item, a, Right::ShareToCrm)];
    }
    // What the event holds is taken as the last synced state: Exchange's changes since then
    // go to the CRM in the same pass. (Left to a later cycle, they would not go at all: the
    // link just written makes the item look synced at its new version.)
    let base = FieldHashes::of(&fields_of(event));
    let link = link_of(event, Some(&item.key.id), base, a);
    let synced = sync_pair(item, &link, event, a);
    if synced.iter().any(|s| matches!(s, Step::LinkItem { .. })) {
        return synced;
    }
    vec![Step::LinkItem {
        item: item.key.clone(),
        version: item.version.clone(),
        link,
        fields: fields_of(event),
    }]
}

fn linked(item: &ExItem, link: &Link, crm: CrmSide<'_>, a: &Actor<'_>) -> Vec<Step> {
    // Someone who may not share this item (a Reviewer, an Author on another's item) takes no
    // part in keeping it in sync: the owner's app or another delegate does.
    if !may_mark(item, a) {
        return Vec::new();
    }
    match crm {
        CrmSide::Present(event) => sync_pair(item, link, event, a),
        CrmSide::Deleted => vec![Step::Unlink {
            item: item.key.clone(),
            version: item.version.clone(),
            categories: item
                .categories
                .iter()
                .filter(|c| !c.eq_ignore_ascii_case(a.share_category))
                .cloned()
                .collect(),
        }],
        CrmSide::Absent | CrmSide::NotVisible => vec![problem(item, Problem::NoCrmReadAccess)],
        CrmSide::NotRead => Vec::new(),
    }
}

/// Merge a linked pair whose both sides are present: the writes, what a decided field
/// overwrote, and the new base.
pub(crate) fn sync_pair(item: &ExItem, link: &Link, event: &CrmEvent, a: &Actor<'_>) -> Vec<Step> {
    let crm_fields = fields_of(event);
    let m = merge(&item.fields, &crm_fields, &link.synced, a.policy.winner);
    let records_asked = item.pending.as_ref().filter(|p| {
        (p.who_id.is_some() && p.who_id != event.who_id)
            || (p.what_id.is_some() && p.what_id != event.what_id)
    });
    // The private mark is not a merged field: Exchange's mark is carried to the event, or an
    // item marked (or unmarked) private with no other change would stay as the CRM had it.
    let private_differs = event.is_private != item.is_private;
    // An event made in the CRM and brought into the user's calendar learns its item's id (a
    // write cut short may have left it without), where the CRM keeps one.
    let unpaired = a.is_owner && a.keeps_item_ids && event.external_id.is_none();
    let crm_write = !m.to_crm.is_empty() || records_asked.is_some() || private_differs || unpaired;
    let ex_write = !m.to_exchange.is_empty();
    let mut steps = Vec::new();
    if crm_write {
        if !may_change_crm(a) {
            return vec![problem(item, Problem::NoCrmEditAccess)];
        }
        let (who_id, what_id) = match (item.is_private, records_asked) {
            (true, _) => (None, None),
            (false, Some(p)) => (
                p.who_id.clone().or(event.who_id.clone()),
                p.what_id.clone().or(event.what_id.clone()),
            ),
            (false, None) => (event.who_id.clone(), event.what_id.clone()),
        };
        steps.push(Step::UpdateEvent {
            item: item.key.clone(),
            event: CrmEvent {
                subject: m.result.subject.clone(),
                location: m.result.location.clone(),
                description: m.result.body.clone(),
                time: m.result.time,
                show_as_busy: m.result.show_as_busy,
                is_private: item.is_private,
                who_id,
                what_id,
                external_id: Some(item.key.id.clone()),
                ..event.clone()
            },
        });
    }
    if ex_write {
        match (item.is_meeting(), may_edit_item(item, a)) {
            // Writing a meeting's fields would mail its attendees: the user decides.
            (true, _) => {
                return vec![Step::Conflict {
                    item: item.key.clone(),
                    fields: m
                        .to_exchange
                        .iter()
                        .map(|f| ConflictField {
                            field: *f,
                            exchange: item.fields.value(*f),
                            crm: crm_fields.value(*f),
                        })
                        .collect(),
                }]
            }
            (false, false) => return vec![exchange_refused(item, a, Right::Edit)],
            (false, true) => steps.push(Step::UpdateItem {
                item: item.key.clone(),
                version: item.version.clone(),
                fields: m.result.clone(),
            }),
        }
    }
    if !m.decided.is_empty() {
        steps.push(Step::Overwrote {
            item: item.key.clone(),
            subject: m.result.subject.clone(),
            time: m.result.time,
            fields: m
                .decided
                .iter()
                .map(|(f, winner)| overwritten(*f, *winner, &item.fields, &crm_fields))
                .collect(),
        });
    }
    let pending_left = item.pending.is_some();
    // Both sides already hold the same values, but not the base (a field changed the same way
    // on both, or a cycle was cut off between writing a side and the link): the base moves on,
    // or a later change on one side alone would look like a change on both.
    let base_behind = FieldHashes::of(&m.result) != link.synced;
    if crm_write || ex_write || pending_left || base_behind {
        // The new base: what both sides hold after the writes above.
        let base = FieldHashes::of(&m.result);
        let mut l = link_of(event, Some(&item.key.id), base, a);
        if let Some(Step::UpdateEvent { event: e, .. }) = steps.first() {
            l.who_id = e.who_id.clone();
            l.what_id = e.what_id.clone();
        }
        steps.push(Step::LinkItem {
            item: item.key.clone(),
            version: item.version.clone(),
            link: l,
            fields: m.result.clone(),
        });
    }
    steps
}

/// The link of `event` to the item `item_id` (`None`: an item not made yet).
pub(crate) fn link_of(
    event: &CrmEvent,
    item_id: Option<&str>,
    synced: FieldHashes,
    a: &Actor<'_>,
) -> Link {
    Link {
        v: LINK_FORMAT,
        crm: a.crm.to_string(),
        org_id: a.crm_org.to_string(),
        event_id: event.id.clone().unwrap_or_default(),
        item_id: item_id.map(str::to_string),
        owner_id: event.owner_id.clone(),
        who_id: event.who_id.clone(),
        what_id: event.what_id.clone(),
        synced,
        crm_version: event.version.clone().unwrap_or_default(),
        synced_at: a.now,
    }
}

/// The fields of a CRM event, in Exchange's terms.
pub fn fields_of(event: &CrmEvent) -> Fields {
    Fields {
        subject: event.subject.clone(),
        location: event.location.clone(),
        body: event.description.clone(),
        time: event.time,
        show_as_busy: event.show_as_busy,
    }
}

fn overwritten(field: Field, winner: Winner, ex: &Fields, crm: &Fields) -> Overwritten {
    let (kept, lost) = match winner {
        Winner::Exchange => (ex, crm),
        Winner::Crm => (crm, ex),
    };
    Overwritten {
        field,
        winner,
        kept: kept.value(field),
        overwritten: lost.value(field),
    }
}

/// The owner always may; a delegate when the CRM said so (not knowing is not a yes).
fn may_change_crm(a: &Actor<'_>) -> bool {
    a.is_owner || a.may_edit_crm == Some(true)
}

/// What the rights rules need to know of an item.
pub(crate) fn facts(item: &ExItem, a: &Actor<'_>) -> ItemFacts {
    ItemFacts {
        is_private: item.is_private,
        creator: match &item.creator {
            Some(c) if c.eq_ignore_ascii_case(a.me) => Creator::Me,
            Some(_) => Creator::Someone,
            None => Creator::Unknown,
        },
        composed_on_behalf_by_me: false,
    }
}

pub(crate) fn wording<'w>(a: &'w Actor<'_>) -> Wording<'w> {
    Wording::new(a.owner_name, a.level)
}

/// Whether the user may write Onbehalf's marks on the item (share it).
pub(crate) fn may_mark(item: &ExItem, a: &Actor<'_>) -> bool {
    a.is_owner || item_verdict(Right::ShareToCrm, &a.rights, &facts(item, a), &wording(a)).allowed
}

fn may_edit_item(item: &ExItem, a: &Actor<'_>) -> bool {
    a.is_owner || item_verdict(Right::Edit, &a.rights, &facts(item, a), &wording(a)).allowed
}

fn exchange_refused(item: &ExItem, a: &Actor<'_>, right: Right) -> Step {
    let verdict = item_verdict(right, &a.rights, &facts(item, a), &wording(a));
    problem(
        item,
        Problem::ExchangePermission {
            needed: right.label().to_string(),
            reason: verdict.reason.unwrap_or_default(),
        },
    )
}

fn problem(item: &ExItem, problem: Problem) -> Step {
    Step::Problem {
        item: item.key.clone(),
        problem,
    }
}
