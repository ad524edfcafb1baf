//! What Onbehalf lets a user do on a calendar, derived from `Rights` only (DESIGN §2.2).

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
    ShareToCrm,
    LinkCrmRecords,
    SendSlots,
    ViewPrivate,
}

impl Action {
    pub const ALL: [Action; 7] = [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::ShareToCrm,
        Action::LinkCrmRecords,
        Action::SendSlots,
        Action::ViewPrivate,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Action::View => "View items",
            Action::Create => "Create items",
            Action::Edit => "Edit items",
            Action::ShareToCrm => "Share to CRM",
            Action::LinkCrmRecords => "Link CRM records",
            Action::SendSlots => "Send time slots",
            Action::ViewPrivate => "View private items",
        }
    }
}

/// Which items an allowed action applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum Applies {
    /// Every item, including ones the owner created and inbound invitations.
    AllItems,
    /// Only the items the signed-in user created in this calendar.
    OwnItems,
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
}

impl Verdict {
    fn allow(applies: Applies) -> Self {
        Verdict {
            allowed: true,
            applies: Some(applies),
            reason: None,
        }
    }

    fn refuse(reason: impl Into<String>) -> Self {
        Verdict {
            allowed: false,
            applies: None,
            reason: Some(reason.into()),
        }
    }
}

/// Context that turns a refusal into words: who owns the calendar, what the user holds.
#[derive(Debug, Clone)]
pub struct Wording<'a> {
    pub owner_name: &'a str,
    /// The user's current level as they would name it, e.g. "Reviewer".
    pub current_level: &'a str,
}

/// Every action with its verdict, in a stable order.
pub fn verdicts(rights: &Rights, w: &Wording<'_>) -> BTreeMap<Action, Verdict> {
    Action::ALL
        .into_iter()
        .map(|a| (a, verdict(a, rights, w)))
        .collect()
}

/// The verdict for one action. Every combination of the rights that matters is a labelled arm.
pub fn verdict(action: Action, rights: &Rights, w: &Wording<'_>) -> Verdict {
    let owner = w.owner_name;
    let have = w.current_level;
    match action {
        Action::View => match rights.read {
            ReadLevel::Full => Verdict::allow(Applies::AllItems),
            ReadLevel::TitlesAndLocations => Verdict::allow(Applies::TitlesAndLocations),
            ReadLevel::FreeBusy => Verdict::allow(Applies::FreeBusyOnly),
            ReadLevel::None => Verdict::refuse(format!(
                "You have no access to {owner}'s calendar. Ask {owner} to share it with you."
            )),
        },
        Action::Create => match rights.create {
            true => Verdict::allow(Applies::AllItems),
            false => Verdict::refuse(format!(
                "Creating items needs Author or Editor on {owner}'s calendar; you have {have}. \
                 {owner} can change this in Outlook (Calendar properties > Permissions)."
            )),
        },
        Action::Edit => match (rights.read, rights.edit) {
            (ReadLevel::Full, ItemScope::All) => Verdict::allow(Applies::AllItems),
            (ReadLevel::Full, ItemScope::Own) => Verdict::allow(Applies::OwnItems),
            (_, ItemScope::None) => Verdict::refuse(format!(
                "Editing needs Editor (or Author for items you created) on {owner}'s calendar; \
                 you have {have}. {owner} can change this in Outlook."
            )),
            (ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations, _) => {
                Verdict::refuse(format!(
                    "Editing needs full read access to {owner}'s calendar; you have {have}."
                ))
            }
        },
        Action::ShareToCrm => share_verdict(rights, owner, have, "Sharing items to the CRM"),
        Action::LinkCrmRecords => share_verdict(rights, owner, have, "Linking CRM records"),
        Action::SendSlots => match rights.read {
            ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations | ReadLevel::Full => {
                Verdict::allow(Applies::FreeBusyOnly)
            }
            ReadLevel::None => Verdict::refuse(format!(
                "Time slots need at least free/busy access to {owner}'s calendar; you have none. \
                 Ask {owner} to share free/busy with you."
            )),
        },
        Action::ViewPrivate => match (rights.read, rights.view_private) {
            (ReadLevel::Full, true) => Verdict::allow(Applies::AllItems),
            (_, false) => Verdict::refuse(format!(
                "Private items are hidden: {owner} has not let you see private items. Only \
                 {owner} can turn on \"Delegate can see my private items\" in Outlook."
            )),
            (ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations, true) => {
                Verdict::refuse(format!(
                    "Private items need full read access to {owner}'s calendar; you have {have}."
                ))
            }
        },
    }
}

/// Sharing to the CRM and linking CRM records both write Onbehalf's marks on the owner's item.
fn share_verdict(rights: &Rights, owner: &str, have: &str, what: &str) -> Verdict {
    match (rights.read, rights.edit, rights.send_on_behalf) {
        (ReadLevel::Full, ItemScope::All, _) => Verdict::allow(Applies::AllItems),
        (ReadLevel::Full, ItemScope::Own, _) => Verdict::allow(Applies::OwnItems),
        (_, ItemScope::None, true) => Verdict::allow(Applies::ComposedOnBehalf),
        (ReadLevel::Full, ItemScope::None, false) => Verdict::refuse(format!(
            "{have} can only view. {what} needs Editor (or Author for items you created) on \
             {owner}'s calendar; {owner} can change this in Outlook."
        )),
        (
            ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations,
            ItemScope::None | ItemScope::Own | ItemScope::All,
            false,
        ) => Verdict::refuse(format!(
            "You can't see the details of {owner}'s items ({have}). {what} needs Editor on \
             {owner}'s calendar; {owner} can change this in Outlook."
        )),
        (
            ReadLevel::None | ReadLevel::FreeBusy | ReadLevel::TitlesAndLocations,
            ItemScope::Own | ItemScope::All,
            true,
        ) => Verdict::allow(Applies::ComposedOnBehalf),
    }
}
