//! What may be done with one item: an Author only with the items they created (and an item
//! whose creator is unknown is not taken to be theirs), nobody without "view private items"
//! with a private item, and Send on Behalf only with what the delegate composed.

use onbehalf_engine::actions::{Action, Applies, Wording};
use onbehalf_engine::item::{item_verdict, Creator, ItemFacts};
use onbehalf_engine::permission::{OutlookLevel, Permission};
use rstest::rstest;

fn facts(is_private: bool, creator: Creator) -> ItemFacts {
    ItemFacts {
        is_private,
        creator,
        composed_on_behalf_by_me: false,
    }
}

#[rstest]
#[case(OutlookLevel::Author, false, Creator::Me, true)]
#[case(OutlookLevel::Author, false, Creator::Someone, false)]
#[case(OutlookLevel::Author, false, Creator::Unknown, false)]
#[case(OutlookLevel::Author, true, Creator::Me, false)]
#[case(OutlookLevel::Editor, false, Creator::Someone, true)]
#[case(OutlookLevel::Editor, false, Creator::Unknown, true)]
#[case(OutlookLevel::Editor, true, Creator::Me, false)]
#[case(OutlookLevel::Delegate, true, Creator::Someone, false)]
#[case(OutlookLevel::DelegateWithPrivate, true, Creator::Someone, true)]
#[case(OutlookLevel::Reviewer, false, Creator::Me, false)]
fn sharing_one_item(
    #[case] level: OutlookLevel,
    #[case] private: bool,
    #[case] creator: Creator,
    #[case] allowed: bool,
) {
    let p = Permission::of_level(level);
    let w = Wording::new("Olivia Grant", level.label());
    let v = item_verdict(
        Action::ShareToCrm,
        &p.rights(),
        &facts(private, creator),
        &w,
    );
    assert_eq!(
        v.allowed, allowed,
        "{level:?} private={private} {creator:?}: {v:?}"
    );
    if !allowed {
        assert!(v.reason.is_some());
    }
}

#[test]
fn an_unknown_creator_is_refused_with_that_reason() {
    let p = Permission::of_level(OutlookLevel::Author);
    let w = Wording::new("Olivia Grant", "Author");
    let v = item_verdict(
        Action::Edit,
        &p.rights(),
        &facts(false, Creator::Unknown),
        &w,
    );
    assert!(!v.allowed);
    assert!(v.reason.unwrap().contains("does not say who created"));
}

#[test]
fn an_author_with_private_access_may_remove_the_mark_on_their_own_private_item() {
    let p = Permission::of_level(OutlookLevel::Author).with_private(true);
    let w = Wording::new("Olivia Grant", "Author + can see private items");
    let mine = item_verdict(
        Action::RemovePrivateMark,
        &p.rights(),
        &facts(true, Creator::Me),
        &w,
    );
    assert!(mine.allowed);
    assert_eq!(mine.applies, Some(Applies::OwnItems));
    let theirs = item_verdict(
        Action::RemovePrivateMark,
        &p.rights(),
        &facts(true, Creator::Someone),
        &w,
    );
    assert!(!theirs.allowed);
}

#[test]
fn send_on_behalf_only_shares_what_the_delegate_composed() {
    let p = Permission::of_level(OutlookLevel::FreeBusyTime).with_send_on_behalf(true);
    let w = Wording::new("Olivia Grant", "Free/Busy time + send on behalf");
    let composed = ItemFacts {
        composed_on_behalf_by_me: true,
        ..facts(false, Creator::Unknown)
    };
    assert!(item_verdict(Action::ShareToCrm, &p.rights(), &composed, &w).allowed);
    let other = facts(false, Creator::Unknown);
    assert!(!item_verdict(Action::ShareToCrm, &p.rights(), &other, &w).allowed);
}
