//! DESIGN §1 and §2.2, row by row: every named level in the three vocabularies, and what
//! Onbehalf allows for each permission.

use std::collections::BTreeMap;

use onbehalf_engine::actions::{verdicts, Action, Applies, Verdict, Wording};
use onbehalf_engine::permission::{
    GraphRole, ItemScope, OutlookLevel, Permission, PermissionNames, ReadLevel, Rights,
};
use rstest::rstest;

fn wording(level: &str) -> Wording<'_> {
    Wording::new("Olivia Grant", level)
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

/// What one cell of the table expects: allowed on which items, or refused.
fn expect(code: &str) -> Option<Applies> {
    match code {
        "all" => Some(Applies::AllItems),
        "all-p" => Some(Applies::AllExceptPrivate),
        "own" => Some(Applies::OwnItems),
        "own-p" => Some(Applies::OwnExceptPrivate),
        "new" => Some(Applies::NewItems),
        "composed" => Some(Applies::ComposedOnBehalf),
        "fb" => Some(Applies::FreeBusyOnly),
        "titles" => Some(Applies::TitlesAndLocations),
        "-" => None,
        other => panic!("unknown cell {other}"),
    }
}

fn permission(level: OutlookLevel, private: bool, send_on_behalf: bool) -> Permission {
    Permission::of_level(level)
        .with_private(private)
        .with_send_on_behalf(send_on_behalf)
}

/// DESIGN §2.2 and the delegate rules of the seeds, written out for every named permission.
/// Columns: view, create, edit, delete, respond to invites, share to CRM, link CRM records,
/// time slots, view private, remove the private mark. "-p" means "except private items": a
/// permission without "view private items" never shows, changes, shares or links them.
#[rstest]
//                                                         view      create  edit     delete   respond  share       link        slots  private  unmark
#[case(permission(OutlookLevel::None, false, false),        ["-",     "-",    "-",     "-",     "-",     "-",        "-",        "-",   "-",     "-"])]
#[case(permission(OutlookLevel::FreeBusyTime, false, false), ["fb",   "-",    "-",     "-",     "-",     "-",        "-",        "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::FreeBusyTimeSubjectLocation, false, false), ["titles", "-", "-", "-", "-", "-",      "-",        "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::Reviewer, false, false),    ["all-p", "-",    "-",     "-",     "-",     "-",        "-",        "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::Editor, false, false),      ["all-p", "new",  "all-p", "all-p", "all-p", "all-p",    "all-p",    "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::Delegate, false, false),    ["all-p", "new",  "all-p", "all-p", "all-p", "all-p",    "all-p",    "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::DelegateWithPrivate, false, false), ["all", "new", "all", "all", "all",  "all",      "all",      "fb",  "all",   "all"])]
#[case(permission(OutlookLevel::Contributor, false, false), ["fb",    "new",  "-",     "-",     "-",     "-",        "-",        "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::NonEditingAuthor, false, false), ["all-p", "new", "-", "own-p", "-",     "-",        "-",        "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::Author, false, false),      ["all-p", "new",  "own-p", "own-p", "all-p", "own-p",    "own-p",    "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::PublishingAuthor, false, false), ["all-p", "new", "own-p", "own-p", "all-p", "own-p", "own-p",   "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::PublishingEditor, false, false), ["all-p", "new", "all-p", "all-p", "all-p", "all-p", "all-p",   "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::Owner, false, false),       ["all-p", "new",  "all-p", "all-p", "all-p", "all-p",    "all-p",    "fb",  "-",     "-"])]
// Old-style delegates: a viewing or authoring role plus "can see my private items".
#[case(permission(OutlookLevel::Reviewer, true, false),     ["all",   "-",    "-",     "-",     "-",     "-",        "-",        "fb",  "all",   "-"])]
#[case(permission(OutlookLevel::Author, true, false),       ["all",   "new",  "own",   "own",   "all",   "own",      "own",      "fb",  "all",   "own"])]
#[case(permission(OutlookLevel::Editor, true, false),       ["all",   "new",  "all",   "all",   "all",   "all",      "all",      "fb",  "all",   "all"])]
// Send on Behalf: with no calendar rights beyond the organisation's free/busy it shares what
// the delegate composes; with Reviewer it changes nothing.
#[case(permission(OutlookLevel::None, false, true),         ["-",     "-",    "-",     "-",     "-",     "composed", "composed", "-",   "-",     "-"])]
#[case(permission(OutlookLevel::FreeBusyTime, false, true), ["fb",    "-",    "-",     "-",     "-",     "composed", "composed", "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::Reviewer, false, true),     ["all-p", "-",    "-",     "-",     "-",     "-",        "-",        "fb",  "-",     "-"])]
#[case(permission(OutlookLevel::FreeBusyTimeSubjectLocation, false, true), ["titles", "-", "-", "-", "-", "-",       "-",        "fb",  "-",     "-"])]
fn every_permission_allows_exactly_what_the_rules_say(
    #[case] p: Permission,
    #[case] cells: [&str; 10],
) {
    let columns = [
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
    assert_eq!(
        columns.len(),
        Action::ALL.len(),
        "every action has a column"
    );
    let names = p.names();
    let got: BTreeMap<Action, Verdict> = verdicts(&p.rights(), &wording(&names.outlook));
    for (action, cell) in columns.into_iter().zip(cells) {
        let v = &got[&action];
        match expect(cell) {
            Some(applies) => {
                assert!(v.allowed, "{} / {action:?}: {:?}", names.outlook, v.reason);
                assert_eq!(v.applies, Some(applies), "{} / {action:?}", names.outlook);
            }
            None => {
                assert!(
                    !v.allowed,
                    "{} / {action:?} should be refused",
                    names.outlook
                );
                let reason = v.reason.as_deref().unwrap_or_default();
                assert!(
                    !reason.is_empty(),
                    "{} / {action:?} has a reason",
                    names.outlook
                );
                assert!(!v.unknown, "a known permission refuses for certain");
            }
        }
    }
}

// Each refusal is worded for the level in question.
#[rstest]
#[case(OutlookLevel::NonEditingAuthor, Action::Edit, "not change any item")]
#[case(
    OutlookLevel::NonEditingAuthor,
    Action::ShareToCrm,
    "Nonediting Author"
)]
#[case(OutlookLevel::Contributor, Action::Edit, "add items")]
#[case(OutlookLevel::Reviewer, Action::ShareToCrm, "view")]
#[case(OutlookLevel::FreeBusyTime, Action::Edit, "busy")]
#[case(OutlookLevel::Author, Action::ViewPrivate, "private")]
fn refusals_are_worded_for_the_level(
    #[case] level: OutlookLevel,
    #[case] action: Action,
    #[case] words: &str,
) {
    let v = verdicts(&level.rights(), &wording(level.label()));
    let reason = v[&action].reason.clone().unwrap_or_default();
    assert!(reason.contains(words), "{level:?} {action:?}: {reason}");
    assert!(reason.contains("Olivia Grant"), "names the owner: {reason}");
    if level == OutlookLevel::NonEditingAuthor {
        assert!(!reason.contains("only view"), "{reason}");
    }
}

#[test]
fn reviewer_with_send_on_behalf_is_told_it_does_not_help() {
    let p = permission(OutlookLevel::Reviewer, false, true);
    let v = verdicts(&p.rights(), &wording(&p.names().outlook));
    let reason = v[&Action::ShareToCrm].reason.clone().unwrap_or_default();
    assert!(reason.contains("Send on Behalf"), "{reason}");
}

#[test]
fn a_refusal_a_higher_possible_level_would_lift_says_so() {
    let w = Wording {
        may_be: Some("Editor or Delegate"),
        ..wording("Author")
    };
    let v = verdicts(&OutlookLevel::Author.rights(), &w);
    let reason = v[&Action::ViewPrivate].reason.clone().unwrap_or_default();
    assert!(reason.contains("may be Editor or Delegate"), "{reason}");
    assert!(!v[&Action::ViewPrivate].unknown);
}

#[test]
fn a_refusal_made_without_checking_is_unknown_not_no() {
    let w = Wording {
        unchecked: Some("Microsoft 365 could not be asked"),
        ..wording("Free/Busy time")
    };
    let v = verdicts(&OutlookLevel::FreeBusyTime.rights(), &w);
    assert!(v[&Action::Edit].unknown);
    assert!(!v[&Action::Edit].allowed);
    assert!(!v[&Action::View].unknown, "what is allowed is allowed");
}

#[test]
fn flag_names_are_added_to_the_level_name() {
    assert_eq!(
        permission(OutlookLevel::Reviewer, true, false)
            .names()
            .outlook,
        "Reviewer + can see private items"
    );
    assert_eq!(
        permission(OutlookLevel::Reviewer, false, true)
            .names()
            .outlook,
        "Reviewer + send on behalf"
    );
    // The delegate names already say both.
    assert_eq!(
        permission(OutlookLevel::DelegateWithPrivate, true, true)
            .names()
            .outlook,
        "Editor + delegate + can see private items"
    );
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
    assert!(json["share_to_crm"].get("unknown").is_none());
}
