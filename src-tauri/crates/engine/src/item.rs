//! What the user may do with one item, from their rights on its calendar and what is known of
//! the item: whether it is private, and who created it. Pure.
//!
//! Graph has no `createdBy` on events. The creator is found, in order: Onbehalf's own stamp on
//! items it created ([`CREATOR_STAMP_ID`], holding the creator's address), else Exchange's
//! `PidTagCreatorName` where Graph exposes it (a display name, best effort), else it is unknown,
//! and an unknown creator is never taken to be the user.

use crate::actions::{verdict, Action, Applies, Verdict, Wording};
use crate::permission::Rights;

/// The extended property Onbehalf stamps on items it creates: the creator's address.
pub const CREATOR_STAMP_ID: &str =
    "String {6B1F3C52-7E0A-4D8B-9C1E-2A5F0B7D4E91} Name OnbehalfCreatedBy";
/// Exchange's `PidTagCreatorName` (MAPI 0x3FF8, a string), as Graph names it.
pub const CREATOR_NAME_ID: &str = "String 0x3FF8";

/// Who created an item, as far as can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Creator {
    Me,
    Someone,
    Unknown,
}

/// What is known of one item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemFacts {
    pub is_private: bool,
    pub creator: Creator,
    /// The user sent it on the owner's behalf (a meeting they composed as the owner).
    pub composed_on_behalf_by_me: bool,
}

/// Find the creator from Onbehalf's stamp and `PidTagCreatorName`.
pub fn creator_of(
    stamp: Option<&str>,
    creator_name: Option<&str>,
    my_address: &str,
    my_name: &str,
) -> Creator {
    match (filled(stamp), filled(creator_name)) {
        (Some(address), _) if address.eq_ignore_ascii_case(my_address.trim()) => Creator::Me,
        (Some(_), _) => Creator::Someone,
        (None, Some(name))
            if !my_name.trim().is_empty() && name.eq_ignore_ascii_case(my_name.trim()) =>
        {
            Creator::Me
        }
        (None, Some(_)) => Creator::Someone,
        (None, None) => Creator::Unknown,
    }
}

fn filled(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}

/// The verdict for one action on one item: the calendar-level verdict narrowed to this item.
pub fn item_verdict(action: Action, rights: &Rights, item: &ItemFacts, w: &Wording<'_>) -> Verdict {
    let calendar = verdict(action, rights, w);
    let Some(applies) = calendar.applies.filter(|_| calendar.allowed) else {
        return calendar;
    };
    let owner = w.owner_name;
    let private_hidden = || {
        Verdict::refuse(format!(
            "This is one of {owner}'s private items. Only someone {owner} lets see private \
             items may open, change or share it."
        ))
    };
    let not_yours = |creator: Creator| match creator {
        Creator::Unknown => Verdict::refuse(format!(
            "With {} you may do this only on items you created, and Exchange does not say who \
             created this one, so Onbehalf does not assume it was you.",
            w.current_level
        )),
        Creator::Me | Creator::Someone => Verdict::refuse(format!(
            "With {} you may do this only on items you created; this one was created by \
             someone else.",
            w.current_level
        )),
    };
    match (applies, item.is_private, item.creator) {
        (Applies::AllItems, _, _) => calendar,
        (Applies::AllExceptPrivate, false, _) => calendar,
        (Applies::AllExceptPrivate | Applies::OwnExceptPrivate, true, _) => private_hidden(),
        (Applies::OwnItems | Applies::OwnExceptPrivate, _, Creator::Me) => calendar,
        (
            Applies::OwnItems | Applies::OwnExceptPrivate,
            _,
            c @ (Creator::Someone | Creator::Unknown),
        ) => not_yours(c),
        (Applies::ComposedOnBehalf, _, _) => match item.composed_on_behalf_by_me {
            true => calendar,
            false => Verdict::refuse(format!(
                "With Send on Behalf only, you may share just the meetings you send as {owner}; \
                 this item is not one of them."
            )),
        },
        (Applies::NewItems | Applies::FreeBusyOnly | Applies::TitlesAndLocations, _, _) => calendar,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stamp_wins_over_the_creator_name_and_nothing_means_unknown() {
        let me = ("aaron.patel@contoso.com", "Aaron Patel");
        assert_eq!(
            creator_of(
                Some("AARON.PATEL@contoso.com"),
                Some("Olivia Grant"),
                me.0,
                me.1
            ),
            Creator::Me
        );
        assert_eq!(
            creator_of(
                Some("olivia.grant@contoso.com"),
                Some("Aaron Patel"),
                me.0,
                me.1
            ),
            Creator::Someone
        );
        assert_eq!(
            creator_of(None, Some("aaron patel"), me.0, me.1),
            Creator::Me
        );
        assert_eq!(
            creator_of(None, Some("Olivia Grant"), me.0, me.1),
            Creator::Someone
        );
        assert_eq!(creator_of(Some("  "), None, me.0, me.1), Creator::Unknown);
    }
}
