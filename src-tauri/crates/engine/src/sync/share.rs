//! What pressing Share (or Unshare) does to an item: checked against the user's rights and the
//! policy, and recorded on the item itself, so whichever app syncs it next, the owner's or a
//! delegate's, finds the request. Pure.
//!
//! A share is the share category plus a pending-share mark naming the chosen records and who
//! asked; initial sharing is then done by the owner's sync (or, where allowed, directly). A
//! share of an item already shared updates its linked records.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::actions::Action as Right;
use crate::crm::{CrmRecord, RecordKind};
use crate::item::item_verdict;
use crate::sync::marks::{Marks, PendingShare};
use crate::sync::model::ExItem;
use crate::sync::plan::{facts, wording, Actor, Step};

/// The records a share links: one contact or lead, one account, opportunity or case.
#[derive(Debug, Clone, Copy, Default)]
pub struct Records<'a> {
    pub who: Option<&'a CrmRecord>,
    pub what: Option<&'a CrmRecord>,
}

/// Why a share or an unshare is refused, for a person.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ShareRefusal {
    #[error("{reason}")]
    NoRight { reason: String },
    #[error(
        "This is a private item. Private items are not saved to the CRM unless your \
         administrator allows it and you turn it on in Settings."
    )]
    PrivateNotSynced,
    #[error("{name} is a {kind}; the {slot} record of a share must be {expected}.")]
    WrongRecord {
        name: String,
        kind: String,
        slot: String,
        expected: String,
    },
    #[error("This item is not shared.")]
    NotShared,
}

/// What a share does, and what to tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shared {
    /// The marks to write on the item.
    pub marks: Marks,
    /// The share waits for the owner's sync.
    pub waits_for_owner: bool,
    /// Said to the user at once (why links were dropped, that the owner's sync is off).
    pub notes: Vec<String>,
}

/// Record a share of `item` with `records`.
pub fn request_share(
    item: &ExItem,
    records: Records<'_>,
    a: &Actor<'_>,
) -> Result<Shared, ShareRefusal> {
    let verdict = item_verdict(Right::ShareToCrm, &a.rights, &facts(item, a), &wording(a));
    if !a.is_owner && !verdict.allowed {
        return Err(ShareRefusal::NoRight {
            reason: verdict.reason.unwrap_or_default(),
        });
    }
    if item.is_private && !a.policy.private_sync {
        return Err(ShareRefusal::PrivateNotSynced);
    }
    check(
        records.who,
        "first",
        "a contact or a lead",
        RecordKind::is_person,
    )?;
    check(
        records.what,
        "second",
        "an account, an opportunity or a case",
        |k| !k.is_person(),
    )?;
    let mut notes = Vec::new();
    let (who_id, what_id) = match (
        item.is_private,
        records.who.is_some() || records.what.is_some(),
    ) {
        (true, true) => {
            notes.push(
                "A private event cannot be linked to records in the CRM, so it is saved \
                 without the records you chose."
                    .to_string(),
            );
            (None, None)
        }
        (true, false) | (false, _) => (
            records.who.map(|r| r.id.clone()),
            records.what.map(|r| r.id.clone()),
        ),
    };
    let direct = a.policy.direct_share && a.may_add_crm == Some(true) && a.keeps_item_ids;
    let waits_for_owner = !a.is_owner && !direct && item.link.is_none();
    if waits_for_owner && !a.owner_sync_on {
        notes.push(format!(
            "{} does not have sync turned on; this item will be saved to the CRM when they \
             turn it on.",
            a.owner_name
        ));
    }
    let mut categories = item.categories.clone();
    if !categories
        .iter()
        .any(|c| c.eq_ignore_ascii_case(a.share_category))
    {
        categories.push(a.share_category.to_string());
    }
    Ok(Shared {
        marks: Marks {
            categories: Some(categories),
            link: None,
            pending: Some(Some(PendingShare {
                v: 1,
                who_id,
                what_id,
                requested_by: a.me.to_string(),
                requested_at: a.now,
            })),
        },
        waits_for_owner,
        notes,
    })
}

/// What unsharing does: a shared item's CRM event is deleted and the item unlinked; a share
/// still pending is withdrawn.
pub fn request_unshare(item: &ExItem, a: &Actor<'_>) -> Result<Vec<Step>, ShareRefusal> {
    let verdict = item_verdict(Right::ShareToCrm, &a.rights, &facts(item, a), &wording(a));
    if !a.is_owner && !verdict.allowed {
        return Err(ShareRefusal::NoRight {
            reason: verdict.reason.unwrap_or_default(),
        });
    }
    let categories: Vec<String> = item
        .categories
        .iter()
        .filter(|c| !c.eq_ignore_ascii_case(a.share_category))
        .cloned()
        .collect();
    let has_category = categories.len() != item.categories.len();
    let unlink = Step::Unlink {
        item: item.key.clone(),
        version: item.version.clone(),
        categories,
    };
    match (&item.link, &item.pending, has_category) {
        (Some(link), _, _) => Ok(vec![
            Step::DeleteEvent {
                item: item.key.clone(),
                event_id: link.event_id.clone(),
            },
            unlink,
        ]),
        (None, Some(_), _) | (None, None, true) => Ok(vec![unlink]),
        (None, None, false) => Err(ShareRefusal::NotShared),
    }
}

fn check(
    record: Option<&CrmRecord>,
    slot: &str,
    expected: &str,
    fits: impl Fn(RecordKind) -> bool,
) -> Result<(), ShareRefusal> {
    match record {
        Some(r) if !fits(r.kind) => Err(ShareRefusal::WrongRecord {
            name: r.name.clone(),
            kind: format!("{:?}", r.kind).to_lowercase(),
            slot: slot.to_string(),
            expected: expected.to_string(),
        }),
        Some(_) | None => Ok(()),
    }
}
