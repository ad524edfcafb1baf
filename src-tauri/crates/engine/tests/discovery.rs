//! Discovery over an in-memory Exchange: which calendars are found, which one is an owner's
//! primary calendar, and which permission each one shows: published, inferred, stale or
//! unknown.

mod common;

use common::*;
use onbehalf_engine::actions::{Action, Applies};
use onbehalf_engine::discovery::{discover, DiscoveryError, Known};
use onbehalf_engine::permission::GraphRole;
use onbehalf_engine::ports::{CalendarInfo, DetailProbe, Grant, Person, SourceError};
use onbehalf_engine::view::{CalendarKind, OwnerRecord, PermissionSource};

#[tokio::test]
async fn own_calendar_first_then_the_delegated_one_with_the_role_sealed_to_the_user() {
    let people = People::new();
    let mut ex = olivia_shares(
        true,
        true,
        Some(people.record_granting(GraphRole::DelegateWithPrivateEventAccess, true, TENANT)),
    );
    ex.calendars.push(own_calendar());
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    assert_eq!(d.calendars.len(), 2);
    let own = &d.calendars[0];
    assert_eq!(own.kind, CalendarKind::Own);
    assert!(own.actions.values().all(|v| v.allowed));

    let boss = &d.calendars[1];
    assert_eq!(boss.kind, CalendarKind::OwnerPrimary);
    assert_eq!(boss.owner, OLIVIA);
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.graph, "delegateWithPrivateEventAccess");
    assert_eq!(boss.permission.owa, "Delegate (view private)");
    assert_eq!(boss.permission.checked_at, Some(at(24)));
    assert!(boss.can_view_private);
    assert!(boss.owner_onbehalf.as_ref().unwrap().same_tenant);
    assert_eq!(boss.owner_record, OwnerRecord::Found);
    assert!(boss.actions[&Action::ViewPrivate].allowed);
}

#[tokio::test]
async fn without_a_record_the_permission_is_inferred_and_says_why() {
    let people = People::new();
    let ex = olivia_shares(false, false, None);
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Inferred);
    assert_eq!(boss.permission.outlook, "Reviewer");
    assert!(boss
        .permission
        .note
        .as_deref()
        .unwrap()
        .contains("does not run Onbehalf"));
    assert_eq!(boss.owner_record, OwnerRecord::Absent);
    assert!(!boss.actions[&Action::ShareToCrm].allowed);
}

#[tokio::test]
async fn a_record_that_no_longer_matches_exchange_yields_to_what_exchange_allows() {
    // Olivia's record still says delegate, but Exchange now shows a read-only calendar.
    let people = People::new();
    let ex = olivia_shares(
        false,
        false,
        Some(people.record_granting(GraphRole::DelegateWithPrivateEventAccess, true, TENANT)),
    );
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Inferred);
    assert_eq!(boss.permission.graph, "read");
    assert!(boss.permission.note.as_deref().unwrap().contains("changed"));
}

// `canViewPrivateItems` without `canEdit` is an old-style delegate holding a viewing role plus
// private access, not the private delegate role: no editing, no sending on behalf.
#[tokio::test]
async fn private_access_without_edit_is_not_taken_for_a_delegate() {
    let people = People::new();
    let ex = olivia_shares(false, true, None);
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.outlook, "Reviewer + can see private items");
    assert_eq!(boss.permission.graph, "read");
    assert!(!boss.permission.rights.send_on_behalf);
    assert!(boss.actions[&Action::ViewPrivate].allowed);
    assert!(!boss.actions[&Action::Edit].allowed);
    assert!(!boss.actions[&Action::ShareToCrm].allowed);
    assert!(!boss.actions[&Action::RemovePrivateMark].allowed);
}

// `canEdit` alone does not prove Editor: Author and up all change items.
#[tokio::test]
async fn edit_access_alone_shows_at_least_author_and_what_it_may_be() {
    let people = People::new();
    let ex = olivia_shares(true, false, None);
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.outlook, "Author");
    assert!(boss
        .permission
        .may_be
        .as_deref()
        .unwrap()
        .contains("Editor"));
    assert_eq!(
        boss.actions[&Action::Edit].applies,
        Some(Applies::OwnExceptPrivate)
    );
    let share = &boss.actions[&Action::Delete];
    assert_eq!(share.applies, Some(Applies::OwnExceptPrivate));
    let private = boss.actions[&Action::ViewPrivate].reason.clone().unwrap();
    assert!(private.contains("may be"), "{private}");
}

#[tokio::test]
async fn a_custom_role_that_edits_is_taken_as_author_and_explained() {
    let people = People::new();
    let ex = olivia_shares(
        true,
        false,
        Some(people.record_granting(GraphRole::Custom, false, TENANT)),
    );
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.graph, "custom");
    assert_eq!(boss.permission.outlook, "Author");
    assert!(boss.permission.note.as_deref().unwrap().contains("custom"));
    assert_eq!(
        boss.actions[&Action::ShareToCrm].applies,
        Some(Applies::OwnExceptPrivate)
    );
}

// A custom role that does not edit (Nonediting Author, Contributor) must agree with its record.
#[tokio::test]
async fn a_custom_role_that_cannot_edit_agrees_with_its_record() {
    let people = People::new();
    let record = people.record_granting(GraphRole::Custom, false, TENANT);
    let ex = olivia_shares(false, false, Some(record.clone()));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.outlook, "Nonediting Author");
    assert!(boss.actions[&Action::Create].allowed);
    assert!(!boss.actions[&Action::Edit].allowed);

    let mut contributor = olivia_shares(false, false, Some(record));
    contributor
        .probes
        .insert("local-olivia".into(), Ok(DetailProbe::Refused));
    let d = discover_as_daniel(&contributor, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.outlook, "Contributor");
    assert_eq!(
        boss.actions[&Action::View].applies,
        Some(Applies::FreeBusyOnly)
    );
}

// A look at the items that failed for a network reason says nothing about the permission.
#[tokio::test]
async fn a_failed_probe_keeps_the_last_verdict_marked_stale() {
    let people = People::new();
    let ex = olivia_shares(false, false, None);
    let before = discover_as_daniel(&ex, &people, &[], &[], at(23)).await;
    assert_eq!(before.calendars[0].permission.outlook, "Reviewer");

    let mut blip = olivia_shares(false, false, None);
    blip.probes.insert("local-olivia".into(), Err(transient()));
    let d = discover_as_daniel(&blip, &people, &[], &before.calendars, at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Stale);
    assert_eq!(boss.permission.outlook, "Reviewer", "not lowered by a blip");
    assert_eq!(boss.permission.checked_at, Some(at(23)));
    assert!(boss
        .permission
        .note
        .as_deref()
        .unwrap()
        .contains("Could not check"));
}

#[tokio::test]
async fn a_failed_probe_with_nothing_known_is_unknown_not_no() {
    let people = People::new();
    let mut ex = olivia_shares(false, false, None);
    ex.probes.insert("local-olivia".into(), Err(transient()));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Unknown);
    assert!(boss
        .permission
        .note
        .as_deref()
        .unwrap()
        .starts_with("Unknown"));
    let edit = &boss.actions[&Action::Edit];
    assert!(!edit.allowed);
    assert!(edit.unknown, "a refusal made without checking is unknown");
    assert!(
        boss.actions[&Action::View].allowed,
        "free/busy is proven by reaching it"
    );
}

#[tokio::test]
async fn a_failed_probe_never_overrules_a_published_record() {
    let people = People::new();
    let mut ex = olivia_shares(
        true,
        false,
        Some(people.record_granting(GraphRole::Write, false, TENANT)),
    );
    ex.probes.insert("local-olivia".into(), Err(transient()));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Published);
    assert_eq!(boss.permission.graph, "write");
}

#[tokio::test]
async fn a_record_that_could_not_be_read_just_now_keeps_the_published_verdict() {
    let people = People::new();
    let ex = olivia_shares(
        true,
        false,
        Some(people.record_granting(GraphRole::DelegateWithoutPrivateEventAccess, true, TENANT)),
    );
    let before = discover_as_daniel(&ex, &people, &[], &[], at(23)).await;
    assert_eq!(
        before.calendars[0].permission.source,
        PermissionSource::Published
    );

    let mut blip = olivia_shares(true, false, None);
    blip.records.insert(OLIVIA.into(), Err(transient()));
    let d = discover_as_daniel(&blip, &people, &[], &before.calendars, at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Stale);
    assert_eq!(boss.permission.graph, "delegateWithoutPrivateEventAccess");
    assert!(matches!(boss.owner_record, OwnerRecord::Unchecked { .. }));
}

#[tokio::test]
async fn a_record_exchange_will_not_show_leads_to_inference_and_says_so() {
    let people = People::new();
    let mut ex = olivia_shares(true, false, None);
    ex.records.insert(
        OLIVIA.into(),
        Err(SourceError::AccessDenied {
            code: "ErrorAccessDenied".into(),
        }),
    );
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.owner_record, OwnerRecord::Denied);
    assert_eq!(boss.permission.source, PermissionSource::Inferred);
    assert!(boss
        .permission
        .note
        .as_deref()
        .unwrap()
        .contains("does not let you read"));
}

#[tokio::test]
async fn a_newer_record_format_says_to_update_rather_than_that_the_owner_has_no_onbehalf() {
    let people = People::new();
    let ex = olivia_shares(true, false, Some(r#"{"v":7}"#.to_string()));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.owner_record, OwnerRecord::NewerFormat { format: 7 });
    let note = boss.permission.note.clone().unwrap();
    assert!(
        note.contains("newer Onbehalf") && note.contains("update"),
        "{note}"
    );
}

#[tokio::test]
async fn a_grantee_without_a_sealed_entry_sees_an_inferred_permission_with_the_reason() {
    let people = People::new();
    // A record sealed for somebody else only.
    let record = people.record(
        &[Grant {
            address: Some("emma.chen@contoso.com".into()),
            role: GraphRole::Write,
            is_inside_organization: true,
            send_on_behalf: false,
        }],
        true,
        TENANT,
    );
    let ex = olivia_shares(false, false, Some(record));
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let boss = &d.calendars[0];
    assert_eq!(boss.permission.source, PermissionSource::Inferred);
    assert!(boss
        .permission
        .note
        .as_deref()
        .unwrap()
        .contains("no entry sealed to you"));
}

// The primary calendar is recognised by identity, not by the name in the user's list.
#[tokio::test]
async fn a_renamed_primary_calendar_keeps_its_record_and_is_not_added_twice() {
    let people = People::new();
    let mut ex = olivia_shares(
        true,
        true,
        Some(people.record_granting(GraphRole::DelegateWithPrivateEventAccess, true, TENANT)),
    );
    ex.calendars = vec![
        cal("local-boss", "Boss", olivia(), true, true),
        cal("local-board", "Board meetings", olivia(), false, false),
    ];
    ex.probes
        .insert("local-boss".into(), Ok(full(&["ical-1", "ical-2"])));
    ex.probes
        .insert("local-board".into(), Ok(full(&["ical-9"])));
    ex.probes
        .insert(OLIVIA.into(), Ok(full(&["ical-2", "ical-3"])));
    ex.owner_calendars.insert(
        OLIVIA.into(),
        Ok(cal("olivia-default", "Calendar", olivia(), true, true)),
    );
    let added = vec![OLIVIA.to_string()];
    let d = discover_as_daniel(&ex, &people, &added, &[], at(24)).await;
    assert_eq!(d.calendars.len(), 2, "{:?}", d.calendars);
    let boss = d.calendars.iter().find(|c| c.name == "Boss").unwrap();
    assert_eq!(boss.kind, CalendarKind::OwnerPrimary);
    assert_eq!(boss.key, format!("{OLIVIA}/primary"));
    assert_eq!(boss.permission.source, PermissionSource::Published);
    let board = d
        .calendars
        .iter()
        .find(|c| c.name == "Board meetings")
        .unwrap();
    assert_eq!(board.kind, CalendarKind::SharedSecondary);
}

#[tokio::test]
async fn a_secondary_calendar_named_like_its_owner_is_not_taken_for_the_primary() {
    let people = People::new();
    let mut ex = olivia_shares(false, false, None);
    ex.probes
        .insert("local-olivia".into(), Ok(full(&["ical-9"])));
    ex.probes.insert(OLIVIA.into(), Ok(full(&["ical-1"])));
    ex.owner_calendars.insert(
        OLIVIA.into(),
        Ok(cal("olivia-default", "Calendar", olivia(), false, false)),
    );
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    assert_eq!(d.calendars[0].kind, CalendarKind::SharedSecondary);
}

#[tokio::test]
async fn a_shared_secondary_calendar_is_not_covered_by_the_owners_record() {
    let people = People::new();
    let carla = Person {
        name: "Carla Mendes".into(),
        address: "carla.mendes@contoso.com".into(),
    };
    let ex = Exchange {
        me: Some(me()),
        calendars: vec![cal("local-visits", "Customer Visits", carla, false, false)],
        ..Default::default()
    };
    let d = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    assert_eq!(d.calendars[0].kind, CalendarKind::SharedSecondary);
    assert_eq!(d.calendars[0].name, "Customer Visits");
    assert_eq!(d.calendars[0].permission.outlook, "Reviewer");
}

fn olivia_default(edit: bool) -> CalendarInfo {
    cal("olivia-default", "Calendar", olivia(), edit, false)
}

/// Daniel reaches Olivia's calendar only through the organisation (free/busy), with her
/// record if any.
fn olivia_through_the_organisation(record: Option<String>) -> Exchange {
    Exchange {
        me: Some(me()),
        owner_calendars: [(OLIVIA.to_string(), Ok(olivia_default(false)))].into(),
        probes: [(OLIVIA.to_string(), Ok(DetailProbe::Refused))].into(),
        records: record
            .map(|r| (OLIVIA.to_string(), Ok(Some(r))))
            .into_iter()
            .collect(),
        ..Default::default()
    }
}

#[tokio::test]
async fn owners_added_by_address_are_probed_and_unreachable_ones_explained() {
    let people = People::new();
    let ex = olivia_through_the_organisation(None);
    let added = vec![
        "Olivia.Grant@contoso.com ".to_string(),
        "nobody@contoso.com".to_string(),
    ];
    let d = discover_as_daniel(&ex, &people, &added, &[], at(24)).await;
    assert_eq!(d.calendars.len(), 2);
    let nobody = d
        .calendars
        .iter()
        .find(|c| c.owner == "nobody@contoso.com")
        .unwrap();
    assert!(nobody
        .problem
        .as_deref()
        .unwrap()
        .contains("has not shared"));
    assert!(!nobody.actions[&Action::View].allowed);
    let olivia = d.calendars.iter().find(|c| c.owner == OLIVIA).unwrap();
    assert_eq!(olivia.kind, CalendarKind::AddedByAddress);
    assert_eq!(olivia.permission.graph, "freeBusyRead");
    assert_eq!(
        olivia.actions[&Action::SendSlots].applies,
        Some(Applies::FreeBusyOnly)
    );
}

#[tokio::test]
async fn an_owner_added_by_address_that_cannot_be_reached_just_now_keeps_what_was_known() {
    let people = People::new();
    let reachable = olivia_through_the_organisation(None);
    let added = vec![OLIVIA.to_string()];
    let before = discover_as_daniel(&reachable, &people, &added, &[], at(23)).await;

    let unreachable = Exchange {
        me: Some(me()),
        owner_calendars: [(OLIVIA.to_string(), Err(transient()))].into(),
        ..Default::default()
    };
    let d = discover_as_daniel(&unreachable, &people, &added, &before.calendars, at(24)).await;
    let olivia = &d.calendars[0];
    assert_eq!(olivia.permission.source, PermissionSource::Stale);
    assert_eq!(olivia.permission.graph, "freeBusyRead");
    assert!(olivia.problem.as_deref().unwrap().contains("just now"));

    let first_time = discover_as_daniel(&unreachable, &people, &added, &[], at(24)).await;
    let olivia = &first_time.calendars[0];
    assert_eq!(olivia.permission.source, PermissionSource::Unknown);
    assert!(olivia.actions[&Action::View].unknown);
}

// Send on Behalf without a calendar grant: the owner seals `none` with send on behalf, and
// the user holds what the organisation holds.
#[tokio::test]
async fn send_on_behalf_only_shares_only_what_is_composed_for_the_owner() {
    let people = People::new();
    let record = people.record_granting(GraphRole::None, true, TENANT);
    let ex = olivia_through_the_organisation(Some(record));
    let d = discover_as_daniel(&ex, &people, &[OLIVIA.to_string()], &[], at(24)).await;
    let olivia = &d.calendars[0];
    assert_eq!(olivia.permission.source, PermissionSource::Published);
    assert_eq!(olivia.permission.outlook, "Free/Busy time + send on behalf");
    assert_eq!(
        olivia.actions[&Action::ShareToCrm].applies,
        Some(Applies::ComposedOnBehalf)
    );
    assert!(!olivia.actions[&Action::Edit].allowed);
}

#[tokio::test]
async fn an_expired_sign_in_stops_discovery_with_a_clear_error() {
    let ex = Exchange::default();
    let known = Known {
        own_record: None,
        keys: None,
        added_owners: &[],
        previous: &[],
        now: at(24),
    };
    let err = discover(&ex, &known).await.unwrap_err();
    assert!(matches!(
        err,
        DiscoveryError::Me(SourceError::SignInExpired)
    ));
}

#[tokio::test]
async fn discovery_is_deterministic() {
    let people = People::new();
    let ex = Exchange {
        me: Some(me()),
        calendars: vec![
            cal(
                "b",
                "Zed Owner",
                Person {
                    name: "Zed Owner".into(),
                    address: "zed@contoso.com".into(),
                },
                false,
                false,
            ),
            cal("a", "Olivia Grant", olivia(), true, false),
            own_calendar(),
        ],
        ..Default::default()
    };
    let one = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    let two = discover_as_daniel(&ex, &people, &[], &[], at(24)).await;
    assert_eq!(one, two);
    let owners: Vec<_> = one
        .calendars
        .iter()
        .map(|c| c.owner_name.as_str())
        .collect();
    assert_eq!(owners, ["Daniel Reyes", "Olivia Grant", "Zed Owner"]);
}
