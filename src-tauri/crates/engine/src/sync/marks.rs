//! The marks Onbehalf keeps on an Exchange item: the link to its CRM event with the hashes of
//! the fields as last synced, and a share asked for but not yet done. Each is a single-value
//! named extended property in Onbehalf's GUID namespace, holding JSON, written with `If-Match`
//! so two apps acting on one change cannot both win.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::sync::hash::FieldHashes;

/// The link's property id.
pub const LINK_ID: &str = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfLink";
/// The pending share's property id.
pub const PENDING_ID: &str = "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfShare";
/// The link format this build writes and reads.
pub const LINK_FORMAT: u32 = 1;

/// An item's link to its CRM event.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub v: u32,
    /// Which CRM (`salesforce`).
    pub crm: String,
    pub org_id: String,
    pub event_id: String,
    /// The item the link was written on (`None` in links written before it was kept). Moved
    /// to another mailbox or copied, an item keeps its extended properties under a new id: a
    /// link naming another item is not this item's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item_id: Option<String>,
    /// The CRM owner of the event (the calendar owner's CRM user).
    pub owner_id: String,
    /// The records the event is linked to.
    #[serde(default)]
    pub who_id: Option<String>,
    #[serde(default)]
    pub what_id: Option<String>,
    /// The fields as they were when last synced, hashed: a side changed a field when its value
    /// no longer has the hash. Hashes, so any app that can read the item can merge, without
    /// the item's text being copied anywhere.
    pub synced: FieldHashes,
    /// The CRM event's version when last synced.
    pub crm_version: String,
    pub synced_at: DateTime<Utc>,
}

impl Link {
    /// Whether the link was written on the item `item_id` (or does not say).
    pub fn is_for(&self, item_id: &str) -> bool {
        self.item_id.as_deref().is_none_or(|id| id == item_id)
    }
}

/// The marks of the item `item_id` of `owner`'s calendar as it carries them. A link that came
/// with the item from another one (Graph shows a move to another calendar as a delete and a
/// new item with the old one's properties) is not this item's: the new item is shared on its
/// own, with the records the old event was linked to asked for, unless a share names others.
pub fn own_marks(
    item_id: &str,
    owner: &str,
    link: Option<Link>,
    pending: Option<PendingShare>,
) -> (Option<Link>, Option<PendingShare>) {
    match link {
        Some(l) if !l.is_for(item_id) => {
            let carried = PendingShare {
                v: LINK_FORMAT,
                who_id: l.who_id,
                what_id: l.what_id,
                requested_by: owner.to_string(),
                requested_at: l.synced_at,
            };
            (None, Some(pending.unwrap_or(carried)))
        }
        link => (link, pending),
    }
}

/// A share asked for: which records to link and who asked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingShare {
    pub v: u32,
    #[serde(default)]
    pub who_id: Option<String>,
    #[serde(default)]
    pub what_id: Option<String>,
    /// The address of who asked (the owner or a delegate).
    pub requested_by: String,
    pub requested_at: DateTime<Utc>,
}

/// What to change among Onbehalf's marks on an item; `None` leaves a mark as it is.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Marks {
    /// The whole category list to set.
    pub categories: Option<Vec<String>>,
    /// `Some(None)` removes the link.
    pub link: Option<Option<Link>>,
    /// `Some(None)` removes the pending share.
    pub pending: Option<Option<PendingShare>>,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use chrono::TimeZone;

    fn link(item_id: Option<&str>) -> Link {
        Link {
            v: LINK_FORMAT,
            crm: "salesforce".into(),
            org_id: "00D-contoso".into(),
            event_id: "00U-1".into(),
            item_id: item_id.map(str::to_string),
            owner_id: "005-daniel".into(),
            who_id: Some("003-pat".into()),
            what_id: Some("006-renewal".into()),
            synced: FieldHashes {
                subject: "s".into(),
                location: "l".into(),
                body: "b".into(),
                time: "t".into(),
                show_as: "a".into(),
            },
            crm_version: "v1".into(),
            synced_at: Utc.with_ymd_and_hms(2026, 11, 29, 8, 0, 0).unwrap(),
        }
    }

    #[test]
    fn an_items_own_link_is_kept_and_one_without_an_item_is_believed() {
        for l in [link(Some("AAMk-new")), link(None)] {
            let (kept, pending) =
                own_marks("AAMk-new", "olivia@contoso.com", Some(l.clone()), None);
            assert_eq!(kept, Some(l));
            assert_eq!(pending, None);
        }
    }

    #[test]
    fn a_link_carried_over_from_another_item_becomes_a_share_of_its_records() {
        let (kept, pending) = own_marks(
            "AAMk-new",
            "olivia@contoso.com",
            Some(link(Some("AAMk-old"))),
            None,
        );
        assert_eq!(kept, None);
        let p = pending.unwrap();
        assert_eq!(p.who_id.as_deref(), Some("003-pat"));
        assert_eq!(p.what_id.as_deref(), Some("006-renewal"));
        assert_eq!(p.requested_by, "olivia@contoso.com");
    }

    #[test]
    fn a_share_asked_on_the_item_wins_over_the_carried_link() {
        let asked = PendingShare {
            v: LINK_FORMAT,
            who_id: Some("00Q-lead".into()),
            what_id: None,
            requested_by: "emma.chen@contoso.com".into(),
            requested_at: Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0).unwrap(),
        };
        let (kept, pending) = own_marks(
            "AAMk-new",
            "olivia@contoso.com",
            Some(link(Some("AAMk-old"))),
            Some(asked.clone()),
        );
        assert_eq!((kept, pending), (None, Some(asked)));
    }
}
