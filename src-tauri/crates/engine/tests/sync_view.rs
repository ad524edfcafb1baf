//! What the Items view shows of an item: its share state, what waits and why, and what the user
//! may do with it.

mod sync_common;

use onbehalf_engine::actions::Action;
use onbehalf_engine::permission::OutlookLevel;
use onbehalf_engine::sync::plan::Problem;
use onbehalf_engine::sync::view::{item_view, problem_words, ProblemView, ShareState};
use sync_common::*;

fn owner_sync_off() -> ProblemView {
    ProblemView {
        cause: "owner_sync_off".into(),
        message: problem_words(&Problem::OwnerSyncOff, "Olivia Reyes"),
    }
}

#[test]
fn an_item_nobody_shared_is_none_and_the_delegate_may_share_it() {
    let d = delegate(OutlookLevel::Editor, Some(true));
    let v = item_view(&item("Review"), &d, Vec::new());
    assert_eq!(v.share, ShareState::None);
    assert!(v.actions[&Action::ShareToCrm].allowed);
    assert!(v.crm.is_none() && v.pending.is_none() && v.links.is_empty());
}

#[test]
fn a_delegates_share_waiting_for_the_owners_sync_is_pending_with_the_words_to_show() {
    let mut d = delegate(OutlookLevel::Editor, Some(true));
    d.owner_sync_on = false;
    let v = item_view(
        &pending(item("Review"), Some("003-pat")),
        &d,
        vec![owner_sync_off()],
    );
    assert_eq!(v.share, ShareState::Pending);
    assert_eq!(v.links, vec!["003-pat".to_string(), "006-opp".to_string()]);
    let waiting = v.pending.and_then(|p| p.waiting_for).unwrap_or_default();
    assert!(
        waiting.contains("does not have sync turned on"),
        "{waiting}"
    );
}

#[test]
fn a_linked_item_is_shared_with_its_event_and_owner() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let v = item_view(&i, &owner(), Vec::new());
    assert_eq!(v.share, ShareState::Shared);
    let crm = v.crm.expect("the event");
    assert_eq!(crm.id, link(&base).event_id);
    assert_eq!(crm.owner, link(&base).owner_id);
}

#[test]
fn a_problem_other_than_waiting_makes_the_item_a_problem() {
    let base = fields("Review", 9);
    let mut i = item("Review");
    i.link = Some(link(&base));
    let d = delegate(OutlookLevel::Editor, Some(false));
    let words = problem_words(&Problem::NoCrmEditAccess, "Olivia Reyes");
    let v = item_view(
        &i,
        &d,
        vec![ProblemView {
            cause: "no_crm_edit_access".into(),
            message: words.clone(),
        }],
    );
    assert_eq!(v.share, ShareState::Problem);
    assert!(
        words.contains("ask Olivia Reyes to give you edit access"),
        "{words}"
    );
}

#[test]
fn a_private_item_cannot_be_shared_without_the_policy_and_never_with_records() {
    let mut i = item("Doctor");
    i.is_private = true;
    let mut o = owner();
    let v = item_view(&i, &o, Vec::new());
    let share = &v.actions[&Action::ShareToCrm];
    assert!(!share.allowed);
    assert!(share
        .reason
        .as_deref()
        .unwrap_or("")
        .contains("private item"));
    o.policy.private_sync = true;
    let v = item_view(&i, &o, Vec::new());
    assert!(v.actions[&Action::ShareToCrm].allowed);
    let link = &v.actions[&Action::LinkCrmRecords];
    assert!(!link.allowed, "a private event is saved without records");
}

#[test]
fn a_reviewer_may_not_share_and_is_told_why() {
    let d = delegate(OutlookLevel::Reviewer, Some(true));
    let v = item_view(&item("Review"), &d, Vec::new());
    let share = &v.actions[&Action::ShareToCrm];
    assert!(!share.allowed);
    assert!(share.reason.is_some());
}
