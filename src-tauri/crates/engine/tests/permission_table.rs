//! DESIGN §1 and §2.2, row by row: every named level in the three vocabularies, and what
//! Onbehalf allows for each permission.

use onbehalf_engine::actions::{verdict, verdicts, Action, Applies, Wording};
use onbehalf_engine::permission::{
    GraphRole, ItemScope, OutlookLevel, PermissionNames, ReadLevel, Rights,
};
use rstest::rstest;

fn wording(level: &str) -> Wording<'_> {
    Wording {
        owner_name: "Olivia Grant",
        current_level: level,
    }
}

#[rstest]
#[case(OutlookLevel::None, "None", "Not shared", "none")]
#[case(
    OutlookLevel::FreeBusyTime,
    "Free/Busy time",
    "Can view when I'm busy",
    "freeBusyRead"
)]
#[case(
    OutlookLevel::FreeBusyTimeSubjectLocation,
    "Free/Busy time, subject, location",
    "Can view titles and locations",
    "limitedRead"
)]
#[case(OutlookLevel::Reviewer, "Reviewer", "Can view all details", "read")]
#[case(OutlookLevel::Editor, "Editor", "Can edit", "write")]
#[case(
    OutlookLevel::Delegate,
    "Editor + delegate",
    "Delegate",
    "delegateWithoutPrivateEventAccess"
)]
#[case(
    OutlookLevel::DelegateWithPrivate,
    "Editor + delegate + can see private items",
    "Delegate (view private)",
    "delegateWithPrivateEventAccess"
)]
#[case(OutlookLevel::Contributor, "Contributor", "—", "custom")]
#[case(OutlookLevel::NonEditingAuthor, "Nonediting Author", "—", "custom")]
#[case(OutlookLevel::Author, "Author", "—", "custom")]
#[case(OutlookLevel::PublishingAuthor, "Publishing Author", "—", "custom")]
#[case(OutlookLevel::PublishingEditor, "Publishing Editor", "—", "custom")]
#[case(OutlookLevel::Owner, "Owner", "—", "custom")]
fn every_level_has_its_three_names(
    #[case] level: OutlookLevel,
    #[case] outlook: &str,
    #[case] owa: &str,
    #[case] graph: &str,
) {
    let names = PermissionNames::of_level(level);
    assert_eq!(names.outlook, outlook);
    assert_eq!(names.owa, owa);
    assert_eq!(names.graph, graph);
    assert_eq!(GraphRole::parse(graph), Some(level.graph_role()));
}

#[test]
fn every_graph_role_but_custom_names_exactly_one_outlook_level() {
    for role in GraphRole::ALL {
        match role.outlook_level() {
            Some(level) => assert_eq!(level.graph_role(), role),
            None => assert_eq!(role, GraphRole::Custom),
        }
    }
    let customs = OutlookLevel::ALL
        .iter()
        .filter(|l| l.graph_role() == GraphRole::Custom)
        .count();
    assert_eq!(customs, 6, "six classic roles collapse into custom");
}

#[rstest]
#[case(
    OutlookLevel::None,
    ReadLevel::None,
    false,
    ItemScope::None,
    ItemScope::None,
    false,
    false
)]
#[case(
    OutlookLevel::FreeBusyTime,
    ReadLevel::FreeBusy,
    false,
    ItemScope::None,
    ItemScope::None,
    false,
    false
)]
#[case(
    OutlookLevel::FreeBusyTimeSubjectLocation,
    ReadLevel::TitlesAndLocations,
    false,
    ItemScope::None,
    ItemScope::None,
    false,
    false
)]
#[case(
    OutlookLevel::Reviewer,
    ReadLevel::Full,
    false,
    ItemScope::None,
    ItemScope::None,
    false,
    false
)]
#[case(
    OutlookLevel::Editor,
    ReadLevel::Full,
    true,
    ItemScope::All,
    ItemScope::All,
    false,
    false
)]
#[case(
    OutlookLevel::Delegate,
    ReadLevel::Full,
    true,
    ItemScope::All,
    ItemScope::All,
    true,
    false
)]
#[case(
    OutlookLevel::DelegateWithPrivate,
    ReadLevel::Full,
    true,
    ItemScope::All,
    ItemScope::All,
    true,
    true
)]
#[case(
    OutlookLevel::Contributor,
    ReadLevel::FreeBusy,
    true,
    ItemScope::None,
    ItemScope::None,
    false,
    false
)]
#[case(
    OutlookLevel::NonEditingAuthor,
    ReadLevel::Full,
    true,
    ItemScope::None,
    ItemScope::Own,
    false,
    false
)]
#[case(
    OutlookLevel::Author,
    ReadLevel::Full,
    true,
    ItemScope::Own,
    ItemScope::Own,
    false,
    false
)]
#[case(
    OutlookLevel::PublishingAuthor,
    ReadLevel::Full,
    true,
    ItemScope::Own,
    ItemScope::Own,
    false,
    false
)]
#[case(
    OutlookLevel::PublishingEditor,
    ReadLevel::Full,
    true,
    ItemScope::All,
    ItemScope::All,
    false,
    false
)]
#[case(
    OutlookLevel::Owner,
    ReadLevel::Full,
    true,
    ItemScope::All,
    ItemScope::All,
    false,
    false
)]
fn every_level_maps_onto_rights(
    #[case] level: OutlookLevel,
    #[case] read: ReadLevel,
    #[case] create: bool,
    #[case] edit: ItemScope,
    #[case] delete: ItemScope,
    #[case] receives_meeting_requests: bool,
    #[case] view_private: bool,
) {
    let r = level.rights();
    assert_eq!(
        (
            r.read,
            r.create,
            r.edit,
            r.delete,
            r.receives_meeting_requests,
            r.view_private
        ),
        (
            read,
            create,
            edit,
            delete,
            receives_meeting_requests,
            view_private
        )
    );
}

// DESIGN §2.2, "Editor / Delegate": all actions, on any item.
#[rstest]
#[case(OutlookLevel::Editor)]
#[case(OutlookLevel::Delegate)]
#[case(OutlookLevel::DelegateWithPrivate)]
fn editor_and_delegates_may_manage_and_share_any_item(#[case] level: OutlookLevel) {
    let v = verdicts(&level.rights(), &wording(level.label()));
    for a in [
        Action::View,
        Action::Create,
        Action::Edit,
        Action::ShareToCrm,
        Action::LinkCrmRecords,
    ] {
        assert!(v[&a].allowed, "{a:?} for {level:?}");
        assert_eq!(
            v[&a].applies,
            Some(Applies::AllItems),
            "{a:?} for {level:?}"
        );
    }
    assert!(v[&Action::SendSlots].allowed);
}

// "Author: view; create; share and edit only the items the delegate created".
#[test]
fn author_shares_and_edits_only_own_items() {
    let v = verdicts(&OutlookLevel::Author.rights(), &wording("Author"));
    assert_eq!(v[&Action::View].applies, Some(Applies::AllItems));
    assert_eq!(v[&Action::Create].applies, Some(Applies::AllItems));
    assert_eq!(v[&Action::Edit].applies, Some(Applies::OwnItems));
    assert_eq!(v[&Action::ShareToCrm].applies, Some(Applies::OwnItems));
    assert_eq!(v[&Action::LinkCrmRecords].applies, Some(Applies::OwnItems));
    assert!(!v[&Action::ViewPrivate].allowed);
}

// "Send-on-behalf only (no calendar rights): share the items the delegate composes".
#[test]
fn send_on_behalf_only_shares_what_the_delegate_composes() {
    let rights = Rights {
        send_on_behalf: true,
        ..Rights::NONE
    };
    let v = verdicts(&rights, &wording("None"));
    assert_eq!(
        v[&Action::ShareToCrm].applies,
        Some(Applies::ComposedOnBehalf)
    );
    assert!(!v[&Action::View].allowed);
    assert!(!v[&Action::Edit].allowed);
    assert!(!v[&Action::Create].allowed);
}

// "Reviewer and below: view only; no sharing, no linking to CRM records".
#[rstest]
#[case(OutlookLevel::Reviewer, Applies::AllItems)]
#[case(OutlookLevel::FreeBusyTimeSubjectLocation, Applies::TitlesAndLocations)]
#[case(OutlookLevel::FreeBusyTime, Applies::FreeBusyOnly)]
fn reviewer_and_below_view_only(#[case] level: OutlookLevel, #[case] view: Applies) {
    let v = verdicts(&level.rights(), &wording(level.label()));
    assert_eq!(v[&Action::View].applies, Some(view));
    for a in [
        Action::Create,
        Action::Edit,
        Action::ShareToCrm,
        Action::LinkCrmRecords,
    ] {
        assert!(!v[&a].allowed, "{a:?} for {level:?}");
        let reason = v[&a].reason.as_deref().unwrap_or_default();
        assert!(reason.contains("Olivia Grant"), "{reason}");
        assert!(
            reason.contains(level.label()),
            "the reason names what you have: {reason}"
        );
    }
}

#[test]
fn no_access_refuses_everything_with_a_reason() {
    let v = verdicts(&Rights::NONE, &wording("None"));
    for (a, verdict) in &v {
        assert!(!verdict.allowed, "{a:?}");
        assert!(verdict.reason.as_deref().is_some_and(|r| !r.is_empty()));
    }
}

// "private items: visible and editable only with view private items".
#[rstest]
#[case(OutlookLevel::DelegateWithPrivate, true)]
#[case(OutlookLevel::Delegate, false)]
#[case(OutlookLevel::Editor, false)]
#[case(OutlookLevel::Author, false)]
#[case(OutlookLevel::Reviewer, false)]
fn private_items_need_view_private(#[case] level: OutlookLevel, #[case] allowed: bool) {
    let v = verdict(
        Action::ViewPrivate,
        &level.rights(),
        &wording(level.label()),
    );
    assert_eq!(v.allowed, allowed);
    if !allowed {
        assert!(v.reason.unwrap_or_default().contains("private"));
    }
}

#[test]
fn the_owner_may_do_everything() {
    let v = verdicts(&Rights::OWNER_SELF, &wording("Owner"));
    assert!(v.values().all(|v| v.allowed && v.applies.is_some()));
}

#[test]
fn the_json_shape_names_each_action_with_allowed_and_reason() {
    let v = verdicts(&OutlookLevel::Reviewer.rights(), &wording("Reviewer"));
    let json = serde_json::to_value(&v).unwrap();
    assert_eq!(json["view"]["allowed"], true);
    assert_eq!(json["share_to_crm"]["allowed"], false);
    assert!(json["share_to_crm"]["reason"].is_string());
    assert!(json["view"].get("reason").is_none());
}
