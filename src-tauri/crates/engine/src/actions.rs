//! What Onbehalf lets a user do on a calendar, derived from `Rights` only (DESIGN §2.2 and the
//! LinkPoint/SmartCloud delegate rules). The level's name is used only to word a refusal.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::permission::{ItemScope, ReadLevel, Rights};

/// Every action the calendars screen and `onbehalf calendars` report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Action {
    View,
    Create,
    Edit,
    Delete,
    RespondToInvites,
    ShareToCrm,
    LinkCrmRecords,
    SendSlots,
    ViewPrivate,
    RemovePrivateMark,
}

impl Action {
    pub const ALL: [Action; 10] = [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::Delete,
        Action::RespondToInvites,
        Action::ShareToCrm,
        Action::LinkCrmRecords,
        Action::SendSlots,
        Action::ViewPrivate,
        Action::RemovePrivateMark,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::View => "View items",
            Action::Create => "Create items",
            Action::Edit => "Edit items",
            Action::Delete => "Delete items",
            Action::RespondToInvites => "Respond to meeting invites",
            Action::ShareToCrm => "Share items to a CRM",
            Action::LinkCrmRecords => "Link CRM records to items",
            Action::SendSlots => "Offer time slots",
            Action::ViewPrivate => "View private items",
            Action::RemovePrivateMark => "Remove the private mark",
        }
    }
}

/// Which items an allowed action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// Every item, private ones included.
    AllItems,
    /// Every item except the owner's private items.
    AllExceptPrivate,
    /// Only the items the signed-in user created in this calendar, private ones included.
    OwnItems,
    /// Only the items the signed-in user created, except private ones.
    OwnExceptPrivate,
    /// New items the user adds.
    NewItems,
    /// Only items the user composes on the owner's behalf (send-on-behalf without calendar rights).
    ComposedOnBehalf,
    /// Free/busy blocks only, no item details.
    FreeBusyOnly,
    /// Subjects and locations, no other details.
    TitlesAndLocations,
}

/// Whether one action is allowed, with the reason when it is not.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct Verdict {
    pub allowed: bool,
    /// What an allowed action applies to; absent when refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub applies: Option<Applies>,
    /// Why it is refused and what would allow it; absent when allowed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional))]
    pub reason: Option<String>,
    /// Refused only because the permission could not be checked just now: not a "no".
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[cfg_attr(feature = "ts", ts(as = "Option<bool>", optional))]
    pub unknown: bool,
}

impl Verdict {
    pub(crate) fn allow(applies: Applies) -> Self {
        Verdict {
            allowed: true,
            applies: Some(applies),
            reason: None,
            unknown: false,
        }
    }

    pub(crate) fn refuse(reason: impl Into<String>) -> Self {
        Verdict {
            allowed: false,
            applies: None,
            reason: Some(reason.into()),
            unknown: false,
        }
    }
}

/// Context that turns a refusal into words.
#[derive(Debug, Clone)]
pub struct Wording<'a> {
    pub owner_name: &'a str,
    /// The user's current level as they would name it, e.g. "Reviewer".
    pub current_level: &'a str,
    /// Higher levels the user may really hold when Exchange could not prove them, in words
    /// ("Editor or Delegate"); a refusal then says so.
    pub may_be: Option<&'a str>,
    /// Why the permission could not be checked just now; refusals are then "unknown".
    pub unchecked: Option<&'a str>,
}

impl<'a> Wording<'a> {
    pub fn new(owner_name: &'a str, current_level: &'a str) -> Self {
        Wording {
            owner_name,
            current_level,
            may_be: None,
            unchecked: None,
        }
    }
}

/// Every action with its verdict, in a stable order.
pub fn verdicts(rights: &Rights, w: &Wording<'_>) -> BTreeMap<Action, Verdict> {
    Action::ALL
        .into_iter()
        .map(|a| (a, verdict(a, rights, w)))
        .collect()
}

/// The verdict for one action, with the caveats of the wording: a refusal that a higher level
/// the user may hold would allow says so, and one made while the permission could not be
/// checked is marked unknown.
pub fn verdict(action: Action, rights: &Rights, w: &Wording<'_>) -> Verdict {
    let mut v = decide(action, rights, w);
    if !v.allowed {
        let mut reason = v.reason.take().unwrap_or_default();
        if let Some(unchecked) = w.unchecked {
            v.unknown = true;
            reason = format!(
                "Could not be checked just now ({unchecked}). Shown as your lowest possible \
                 level until Onbehalf can check again: {reason}"
            );
        } else if let Some(may_be) = w.may_be {
            reason.push_str(&format!(
                " Exchange does not show your exact level: it may be {may_be}, which could \
                 allow this. When {} runs Onbehalf, the exact level is shown.",
                w.owner_name
            ));
        }
        v.reason = Some(reason);
    }
    v
}

/// Items an action on existing items covers, given the scope of the right and private access.
fn items(scope: ItemScope, view_private: bool) -> Option<Applies> {
    match (scope, view_private) {
        (ItemScope::All, true) => Some(Applies::AllItems),
        (ItemScope::All, false) => Some(Applies::AllExceptPrivate),
        (ItemScope::Own, true) => Some(Applies::OwnItems),
        (ItemScope::Own, false) => Some(Applies::OwnExceptPrivate),
        (ItemScope::None, _) => None,
    }
}

/// The rule of each action. Every combination of the rights that matters is a labelled arm.
fn decide(action: Action, r: &Rights, w: &Wording<'_>) -> Verdict {
    let owner = w.owner_name;
    let have = w.current_level;
    let change_it =
        format!("{owner} can change this in Outlook (Calendar > Sharing and permissions).");
    let limit = limit_of(r, have, owner);
    match action {
        Action::View => match (r.read, r.view_private) {
            (ReadLevel::Full, true) => Verdict::allow(Applies::AllItems),
            (ReadLevel::Full, false) => Verdict::allow(Applies::AllExceptPrivate),
            (ReadLevel::TitlesAndLocations, _) => Verdict::allow(Applies::TitlesAndLocations),
            (ReadLevel::FreeBusy, _) => Verdict::allow(Applies::FreeBusyOnly),
            (ReadLevel::None, _) => Verdict::refuse(format!(
                "You have no access to {owner}'s calendar. Ask {owner} to share it with you."
            )),
        },
        Action::Create => match r.create {
            true => Verdict::allow(Applies::NewItems),
            false => Verdict::refuse(format!(
                "{limit} Creating items needs Author or Editor. {change_it}"
            )),
        },
        Action::Edit => match (r.read, items(r.edit, r.view_private)) {
            (ReadLevel::Full, Some(applies)) => Verdict::allow(applies),
            (_, None) => Verdict::refuse(format!(
                "{limit} Editing needs Editor (or Author for the items you created). {change_it}"
            )),
            (ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations, Some(_)) => {
                Verdict::refuse(format!(
                    "{limit} Editing needs full read access as well. {change_it}"
                ))
            }
        },
        Action::Delete => match (r.read, items(r.delete, r.view_private)) {
            (ReadLevel::Full, Some(applies)) => Verdict::allow(applies),
            (_, None) => Verdict::refuse(format!(
                "{limit} Deleting needs Editor (or Author or Nonediting Author for the items \
                 you created). {change_it}"
            )),
            (ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations, Some(_)) => {
                Verdict::refuse(format!(
                    "{limit} Deleting needs full read access as well. {change_it}"
                ))
            }
        },
        // Answering an invitation updates the owner's copy of the meeting, so it takes read
        // access to the item and the right to change items; delegates also receive the
        // requests, which the doctor points out for plain editors.
        Action::RespondToInvites => match (r.read, r.edit, r.view_private) {
            (ReadLevel::Full, ItemScope::All | ItemScope::Own, true) => {
                Verdict::allow(Applies::AllItems)
            }
            (ReadLevel::Full, ItemScope::All | ItemScope::Own, false) => {
                Verdict::allow(Applies::AllExceptPrivate)
            }
            (_, ItemScope::None, _) => Verdict::refuse(format!(
                "{limit} Responding to invitations on {owner}'s behalf needs Author, Editor or \
                 Delegate. {change_it}"
            )),
            (
                ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations,
                ItemScope::All | ItemScope::Own,
                _,
            ) => Verdict::refuse(format!(
                "{limit} Responding to invitations needs full read access as well. {change_it}"
            )),
        },
        Action::ShareToCrm => share(r, &limit, &change_it, "Sharing items to a CRM"),
        Action::LinkCrmRecords => share(r, &limit, &change_it, "Linking CRM records"),
        Action::SendSlots => match r.read {
            ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations | ReadLevel::Full => {
                Verdict::allow(Applies::FreeBusyOnly)
            }
            ReadLevel::None => Verdict::refuse(format!(
                "Time slots need at least free/busy access to {owner}'s calendar; you have none. \
                 Ask {owner} to share free/busy with you."
            )),
        },
        Action::ViewPrivate => match (r.read, r.view_private) {
            (ReadLevel::Full, true) => Verdict::allow(Applies::AllItems),
            (_, false) => Verdict::refuse(format!(
                "Private items are hidden: {owner} has not let you see private items. Only \
                 {owner} can turn on \"Delegate can see my private items\" in Outlook."
            )),
            (ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations, true) => {
                Verdict::refuse(format!(
                    "{limit} Private items need full read access as well. {change_it}"
                ))
            }
        },
        Action::RemovePrivateMark => match (r.read, r.view_private, items(r.edit, true)) {
            (ReadLevel::Full, true, Some(applies)) => Verdict::allow(applies),
            (_, false, _) => Verdict::refuse(format!(
                "Only someone who may see {owner}'s private items can remove the private mark. \
                 Only {owner} can turn on \"Delegate can see my private items\" in Outlook."
            )),
            (_, true, None) => Verdict::refuse(format!(
                "{limit} Removing the private mark changes the item, which needs Editor, \
                 Delegate or Author. {change_it}"
            )),
            (
                ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations,
                true,
                Some(_),
            ) => Verdict::refuse(format!(
                "{limit} Removing the private mark needs full read access as well. \
                     {change_it}"
            )),
        },
    }
}

/// Sharing to the CRM and linking CRM records both write Onbehalf's marks on the owner's item,
/// so they need the right to change it. Send on Behalf alone allows only what the delegate
/// composes for the owner, and only when they hold no calendar rights beyond the free/busy
/// everyone in the organisation sees: Reviewer and below stay view-only even with it.
fn share(r: &Rights, limit: &str, change_it: &str, what: &str) -> Verdict {
    match (r.read, items(r.edit, r.view_private), r.send_on_behalf) {
        (ReadLevel::Full, Some(applies), _) => Verdict::allow(applies),
        (ReadLevel::None | ReadLevel::FreeBusy, None, true) => {
            Verdict::allow(Applies::ComposedOnBehalf)
        }
        (ReadLevel::TitlesAndLocations | ReadLevel::Full, None, true) => Verdict::refuse(format!(
            "{limit} {what} needs Editor (or Author for the items you created); Send on Behalf \
             does not change that while you hold a view-only calendar role. {change_it}"
        )),
        (_, None, false) => Verdict::refuse(format!(
            "{limit} {what} needs Editor (or Author for the items you created). {change_it}"
        )),
        (ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations, Some(_), _) => {
            Verdict::refuse(format!(
                "{limit} {what} needs full read access as well. {change_it}"
            ))
        }
    }
}

/// One sentence saying what the user's level lets them do, so a refusal is worded for that
/// level (a Nonediting Author is not someone who "can only view").
fn limit_of(r: &Rights, have: &str, owner: &str) -> String {
    match (r.read, r.create, r.edit, r.delete) {
        (ReadLevel::None, false, _, _) => format!("You have no access to {owner}'s calendar."),
        (ReadLevel::None | ReadLevel::FreeBusy, true, _, _) => format!(
            "With {have} you can add items to {owner}'s calendar but not see or change them."
        ),
        (ReadLevel::FreeBusy, false, _, _) => {
            format!("With {have} you see only when {owner} is busy.")
        }
        (ReadLevel::TitlesAndLocations, _, _, _) => {
            format!("With {have} you see only the subjects and locations of {owner}'s items.")
        }
        (ReadLevel::Full, false, ItemScope::None, _) => {
            format!("With {have} you can view {owner}'s items but not change them.")
        }
        (ReadLevel::Full, true, ItemScope::None, ItemScope::None) => {
            format!("With {have} you can view and add items but not change or delete them.")
        }
        (ReadLevel::Full, true, ItemScope::None, ItemScope::Own | ItemScope::All) => format!(
            "With {have} you can view and add items and delete the ones you created, but not \
             change any item."
        ),
        (ReadLevel::Full, _, ItemScope::Own, _) => {
            format!("With {have} you can change only the items you created.")
        }
        (ReadLevel::Full, _, ItemScope::All, _) => format!("You have {have}."),
    }
}
