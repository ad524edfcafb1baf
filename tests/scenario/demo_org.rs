//! `onbehalf --sandbox --as <user> calendars --json` gives, for every demo user, exactly the
//! calendars and permissions the demo organisation grants.

use onbehalf_sandbox::{demo_org, Reach};
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
                    assert_eq!(
                        p["graph"].as_str(),
                        want.graph_role.as_deref(),
                        "{} on {}'s \"{}\": {p}",
                        user.address,
                        want.owner,
                        want.calendar
                    );
                    let exact = want.is_owner_default && want.owner_has_status_record;
                    assert_eq!(
                        p["source"],
                        if exact { "published" } else { "inferred" },
                        "{}: {p}",
                        user.address
                    );
                    assert_eq!(entry["can_view_private"], want.can_view_private_items);
                }
            }
        }
    }
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
    for action in [
        "view",
        "create",
        "edit",
        "share_to_crm",
        "link_crm_records",
        "view_private",
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
