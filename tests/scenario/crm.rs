//! The CRM over real HTTP against the sandbox's Salesforce: who each demo user is there,
//! finding records by a few letters or by attendees' addresses, the doctor's CRM checks, and
//! the exit code when nobody is signed in to the CRM.

use onbehalf_sandbox::demo_org;
use serde_json::Value;

use crate::office::json_as;
use crate::support::World;

#[tokio::test(flavor = "multi_thread")]
async fn every_demo_user_is_signed_in_to_their_own_crm_user_and_org() {
    let world = World::start().await;
    for user in demo_org().users {
        let machine = world.machine();
        let who = json_as(&machine, &user.address, &["crm", "whoami", "--json"]).await;
        assert_eq!(who["email"], user.address.as_str(), "{who}");
        assert_eq!(
            who["org_id"],
            user.crm.org_id.as_str(),
            "{}: {who}",
            user.address
        );
        assert_eq!(
            who["user_id"],
            user.crm.user_id.as_str(),
            "{}: {who}",
            user.address
        );
        assert!(who["budget"]["max"].as_u64().unwrap() > 0, "{who}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn records_are_found_by_a_few_letters_and_attendees_by_address() {
    let world = World::start().await;
    let machine = world.machine();
    let found = json_as(&machine, "daniel", &["crm", "search", "Fabrikam", "--json"]).await;
    let found = found.as_array().unwrap();
    for kind in ["contact", "account", "opportunity"] {
        assert!(
            found.iter().any(|r| r["type"] == kind),
            "no {kind} in {found:?}"
        );
    }
    for r in found {
        assert!(r["id"].is_string() && r["name"].is_string(), "{r}");
    }
    let contact = found.iter().find(|r| r["type"] == "contact").unwrap();
    assert!(
        contact["email"].is_string() && contact["account"].is_string(),
        "{contact}"
    );

    let matched = json_as(
        &machine,
        "daniel",
        &[
            "crm",
            "match",
            "PAT.KIM@fabrikam.com",
            "sam.ortiz@northwindtraders.com",
            "nobody@example.com",
            "--json",
        ],
    )
    .await;
    let emails: Vec<&str> = matched
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["email"].as_str())
        .collect();
    assert!(emails.contains(&"pat.kim@fabrikam.com"), "{matched}");
    assert!(
        emails.contains(&"sam.ortiz@northwindtraders.com"),
        "{matched}"
    );
    assert!(!emails.contains(&"nobody@example.com"));
}

/// The status of one check of `doctor --json`.
fn check<'a>(report: &'a Value, id: &str, owner: &str) -> &'a Value {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id && c["subject"].as_str().unwrap_or("").contains(owner))
        .unwrap_or_else(|| panic!("no {id} check for {owner}: {report}"))
}

async fn doctor_as(world: &World, user: &str, add_olivia: bool) -> Value {
    let machine = world.machine();
    if add_olivia {
        machine
            .ok(&["--as", user, "calendars", "add", "olivia.grant@contoso.com"])
            .await;
    }
    let out = machine.run(&["--as", user, "doctor", "--json"]).await;
    serde_json::from_slice(&out.stdout).unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_doctor_says_what_each_assistant_may_do_with_the_executives_crm_events() {
    let world = World::start().await;
    let olivia = "olivia.grant@contoso.com";
    // Full Access: reads and edits.
    let daniel = doctor_as(&world, "daniel", false).await;
    assert_eq!(check(&daniel, "crm_signed_in", "You")["status"], "pass");
    // The demo org has Onbehalf's package: events keep their Outlook item.
    assert_eq!(check(&daniel, "crm_item_ids", "Your CRM")["status"], "pass");
    assert_eq!(check(&daniel, "same_crm_org", olivia)["status"], "pass");
    assert_eq!(check(&daniel, "owner_crm_user", olivia)["status"], "pass");
    assert_eq!(
        check(&daniel, "crm_access_to_owner_events", olivia)["status"],
        "pass"
    );
    // Show Details (with or without adding): reads, cannot edit.
    for user in ["emma", "aaron"] {
        let report = doctor_as(&world, user, false).await;
        let access = check(&report, "crm_access_to_owner_events", olivia);
        assert_eq!(access["status"], "warn", "{user}: {access}");
        assert!(access["fix"].as_str().unwrap().contains("Full Access"));
    }
    // Hide Details: at most the events her access to their linked records lets her read
    // (activities are Private in the demo org), never to edit.
    let rita = doctor_as(&world, "rita", false).await;
    let access = check(&rita, "crm_access_to_owner_events", olivia);
    assert_ne!(access["status"], "pass", "{access}");
    // Another CRM org than the executive's.
    let noah = doctor_as(&world, "noah", true).await;
    let org = check(&noah, "same_crm_org", olivia);
    assert_eq!(org["status"], "fail", "{org}");
    assert!(org["who_can_fix"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_crm_sign_in_crm_commands_say_so_with_their_exit_code() {
    let world = World::start().await;
    let machine = world.machine();
    machine.ok(&["--as", "daniel", "crm", "logout"]).await;
    let out = machine.run(&["crm", "whoami"]).await;
    assert_eq!(out.status.code(), Some(9));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(said.contains("not signed in to the CRM"), "{said}");
    // Microsoft 365 stays signed in.
    machine.ok(&["calendars", "--json"]).await;
}
