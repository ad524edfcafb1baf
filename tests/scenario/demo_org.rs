//! `onbehalf --sandbox --as <user> calendars --json` gives, for every demo user, exactly the
//! calendars and permissions the demo organisation grants.

use onbehalf_engine::permission::{OutlookLevel, Permission, Rights};
use onbehalf_sandbox::{demo_org, Reach, ReachableCalendar};
use serde_json::Value;

use crate::support::{find, Machine};

#[tokio::test(flavor = "multi_thread")]
async fn every_demo_user_sees_exactly_the_calendars_the_organisation_grants() {
    let org = demo_org();
    for user in &org.users {
        let machine = Machine::with_embedded_sandbox();
        let got = machine.calendars_as(&user.address).await;
        let listed: Vec<_> = user
            .reachable
            .iter()
            .filter(|r| r.via != Reach::Organization)
            .collect();
        assert_eq!(
            got.len(),
            listed.len(),
            "{}: expected {:?}, got {}",
            user.address,
            listed
                .iter()
                .map(|r| (&r.owner, &r.calendar))
                .collect::<Vec<_>>(),
            summary(&got)
        );
        for want in listed {
            let entry = match want.via {
                Reach::Own => got
                    .iter()
                    .find(|c| c["kind"] == "own" && c["name"] == want.calendar.as_str()),
                Reach::Grant => {
                    let name = want
                        .name_in_my_calendars
                        .as_deref()
                        .unwrap_or(&want.calendar);
                    got.iter()
                        .find(|c| c["owner"] == want.owner.as_str() && c["name"] == name)
                }
                Reach::Organization => None,
            };
            let entry = entry.unwrap_or_else(|| {
                panic!(
                    "{} should see {}'s \"{}\"; got {}",
                    user.address,
                    want.owner,
                    want.calendar,
                    summary(&got)
                )
            });
            let p = &entry["permission"];
            match want.via {
                Reach::Own => {
                    assert_eq!(p["source"], "own");
                    assert!(entry["actions"]
                        .as_object()
                        .unwrap()
                        .values()
                        .all(|v| v["allowed"] == true));
                }
                Reach::Grant | Reach::Organization => {
                    let kind = if want.is_owner_default {
                        "owner_primary"
                    } else {
                        "shared_secondary"
                    };
                    assert_eq!(entry["kind"], kind, "{}: {entry}", user.address);
                    let exact = want.is_owner_default && want.owner_has_status_record;
                    assert_eq!(
                        p["source"],
                        if exact { "published" } else { "inferred" },
                        "{}: {p}",
                        user.address
                    );
                    match exact {
                        // Published: exactly the role the organisation grants.
                        true => assert_eq!(
                            p["graph"].as_str(),
                            want.graph_role.as_deref(),
                            "{} on {}'s \"{}\": {p}",
                            user.address,
                            want.owner,
                            want.calendar
                        ),
                        // Inferred: never more than the role the organisation grants.
                        false => assert_not_more_than(&p["rights"], want, &user.address),
                    }
                    assert_eq!(entry["can_view_private"], want.can_view_private_items);
                }
            }
        }
    }
}

/// Inferred rights never exceed the rights of the level really granted.
fn assert_not_more_than(rights: &Value, want: &ReachableCalendar, who: &str) {
    let level = OutlookLevel::ALL
        .into_iter()
        .find(|l| l.label() == want.outlook_level)
        .unwrap_or_else(|| panic!("unknown level {}", want.outlook_level));
    let real = Permission::of_level(level)
        .with_private(want.can_view_private_items)
        .with_send_on_behalf(want.send_on_behalf)
        .rights();
    let shown: Rights = serde_json::from_value(rights.clone()).unwrap();
    let within = shown.read <= real.read
        && (!shown.create || real.create)
        && shown.edit <= real.edit
        && shown.delete <= real.delete
        && (!shown.view_private || real.view_private)
        && (!shown.send_on_behalf || real.send_on_behalf);
    assert!(
        within,
        "{who} on {}'s \"{}\": shows {shown:?}, holds {real:?}",
        want.owner, want.calendar
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_delegate_with_private_items_sees_the_executive_exactly() {
    let machine = Machine::with_embedded_sandbox();
    let got = machine.calendars_as("daniel.reyes@contoso.com").await;
    let olivia = find(&got, "olivia.grant@contoso.com", "owner_primary").unwrap();
    let p = &olivia["permission"];
    assert_eq!(p["outlook"], "Editor + delegate + can see private items");
    assert_eq!(p["owa"], "Delegate (view private)");
    assert_eq!(p["graph"], "delegateWithPrivateEventAccess");
    assert_eq!(p["source"], "published");
    assert_eq!(olivia["can_view_private"], true);
    assert_eq!(olivia["owner_onbehalf"]["sync_on"], true);
    assert_eq!(olivia["actions"]["create"]["applies"], "new_items");
    for action in [
        "view",
        "edit",
        "delete",
        "respond_to_invites",
        "share_to_crm",
        "link_crm_records",
        "view_private",
        "remove_private_mark",
    ] {
        assert_eq!(olivia["actions"][action]["allowed"], true, "{action}");
        assert_eq!(
            olivia["actions"][action]["applies"], "all_items",
            "{action}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_reviewer_is_refused_sharing_with_the_reason() {
    let machine = Machine::with_embedded_sandbox();
    let got = machine.calendars_as("rita.novak@contoso.com").await;
    let olivia = find(&got, "olivia.grant@contoso.com", "owner_primary").unwrap();
    assert_eq!(olivia["permission"]["outlook"], "Reviewer");
    let share = &olivia["actions"]["share_to_crm"];
    assert_eq!(share["allowed"], false);
    let reason = share["reason"].as_str().unwrap();
    assert!(
        reason.contains("Editor") && reason.contains("Olivia Grant"),
        "{reason}"
    );
    assert_eq!(olivia["actions"]["view"]["allowed"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn someone_with_nothing_shared_reaches_free_busy_by_adding_an_owner() {
    let machine = Machine::with_embedded_sandbox();
    let got = machine.calendars_as("noah.lind@contoso.com").await;
    assert!(got.iter().all(|c| c["kind"] == "own"), "{}", summary(&got));
    machine
        .ok(&[
            "--as",
            "noah",
            "calendars",
            "add",
            "olivia.grant@contoso.com",
        ])
        .await;
    let got = machine.calendars_as("noah.lind@contoso.com").await;
    let olivia = find(&got, "olivia.grant@contoso.com", "added_by_address").unwrap();
    assert_eq!(olivia["permission"]["graph"], "freeBusyRead");
    assert_eq!(olivia["actions"]["send_slots"]["allowed"], true);
    assert_eq!(olivia["actions"]["view"]["applies"], "free_busy_only");
    assert_eq!(olivia["actions"]["edit"]["allowed"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn the_table_names_the_permission_three_ways() {
    let machine = Machine::with_embedded_sandbox();
    let text = machine
        .ok(&["--as", "aaron.patel@contoso.com", "calendars"])
        .await;
    assert!(
        text.contains("Olivia Grant <olivia.grant@contoso.com>"),
        "{text}"
    );
    assert!(text.contains("Graph: custom"), "{text}");
    assert!(text.contains("only items you created"), "{text}");
}

/// The view each holder of a classic or flagged grant on the executive's calendar gets.
async fn olivia_as(user: &str) -> Value {
    let machine = Machine::with_embedded_sandbox();
    let got = machine.calendars_as(user).await;
    find(&got, "olivia.grant@contoso.com", "owner_primary")
        .unwrap_or_else(|| panic!("{user} sees Olivia's calendar: {}", summary(&got)))
        .clone()
}

fn reason(entry: &Value, action: &str) -> String {
    assert_eq!(
        entry["actions"][action]["allowed"], false,
        "{action}: {entry}"
    );
    entry["actions"][action]["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_old_style_delegate_with_reviewer_sees_private_items_but_changes_nothing() {
    let olivia = olivia_as("hannah.schmidt@contoso.com").await;
    let p = &olivia["permission"];
    assert_eq!(p["outlook"], "Reviewer + can see private items");
    assert_eq!(p["graph"], "read");
    assert_eq!(p["source"], "published");
    assert_eq!(olivia["actions"]["view_private"]["allowed"], true);
    assert_eq!(olivia["actions"]["view"]["applies"], "all_items");
    for action in [
        "edit",
        "share_to_crm",
        "remove_private_mark",
        "respond_to_invites",
    ] {
        assert!(!reason(&olivia, action).is_empty());
    }
    assert_eq!(p["rights"]["send_on_behalf"], false);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_contributor_adds_items_but_neither_sees_nor_shares_them() {
    let olivia = olivia_as("marcus.webb@contoso.com").await;
    assert_eq!(olivia["permission"]["outlook"], "Contributor");
    assert_eq!(olivia["permission"]["graph"], "custom");
    assert_eq!(olivia["permission"]["source"], "published");
    assert_eq!(olivia["actions"]["create"]["allowed"], true);
    assert_eq!(olivia["actions"]["view"]["applies"], "free_busy_only");
    assert!(reason(&olivia, "edit").contains("add items"));
    assert!(!reason(&olivia, "share_to_crm").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_nonediting_author_is_told_why_and_not_that_they_can_only_view() {
    let olivia = olivia_as("priya.raman@contoso.com").await;
    assert_eq!(olivia["permission"]["outlook"], "Nonediting Author");
    assert_eq!(olivia["permission"]["source"], "published");
    assert_eq!(olivia["actions"]["create"]["allowed"], true);
    assert_eq!(olivia["actions"]["delete"]["applies"], "own_except_private");
    let edit = reason(&olivia, "edit");
    assert!(edit.contains("not change any item"), "{edit}");
    assert!(!edit.contains("only view"), "{edit}");
    assert!(reason(&olivia, "share_to_crm").contains("Nonediting Author"));
}

#[tokio::test(flavor = "multi_thread")]
async fn send_on_behalf_only_shares_just_what_is_composed_for_the_owner() {
    let machine = Machine::with_embedded_sandbox();
    let who = "lucas.moreau@contoso.com";
    let got = machine.calendars_as(who).await;
    assert!(got.iter().all(|c| c["kind"] == "own"), "{}", summary(&got));
    machine
        .ok(&["--as", who, "calendars", "add", "olivia.grant@contoso.com"])
        .await;
    let got = machine.calendars_as(who).await;
    let olivia = find(&got, "olivia.grant@contoso.com", "added_by_address").unwrap();
    assert_eq!(
        olivia["permission"]["outlook"],
        "Free/Busy time + send on behalf"
    );
    assert_eq!(olivia["permission"]["source"], "published");
    assert_eq!(
        olivia["actions"]["share_to_crm"]["applies"],
        "composed_on_behalf"
    );
    assert_eq!(
        olivia["actions"]["link_crm_records"]["applies"],
        "composed_on_behalf"
    );
    assert!(!reason(olivia, "edit").is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_reviewer_with_send_on_behalf_may_only_view() {
    let olivia = olivia_as("ines.duarte@contoso.com").await;
    assert_eq!(olivia["permission"]["outlook"], "Reviewer + send on behalf");
    assert_eq!(olivia["permission"]["source"], "published");
    let share = reason(&olivia, "share_to_crm");
    assert!(share.contains("Send on Behalf"), "{share}");
    assert!(!reason(&olivia, "link_crm_records").is_empty());
    assert_eq!(olivia["actions"]["view"]["applies"], "all_except_private");
}

fn summary(got: &[Value]) -> String {
    got.iter()
        .map(|c| {
            format!(
                "{} / {} / {} ({})",
                c["owner"], c["name"], c["permission"]["graph"], c["permission"]["source"]
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}
