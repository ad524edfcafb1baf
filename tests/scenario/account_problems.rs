//! Problems of the account as a whole, or of an owner's calendar as a whole, kept and told
//! like an item's: an expired CRM sign-in, the CRM out of reach for longer than the user
//! allows, an owner whose Onbehalf works in another CRM org. Commands without `--as` use the
//! sign-ins the machine kept, as the tray app does.

use reqwest::Method;
use serde_json::{json, Value};

use crate::desktop::desktop;
use crate::office::{json_as, office, olivia_adds, DANIEL, OLIVIA};
use crate::support::{graph, token_for, World};

const NOAH: &str = "noah.lind@contoso.com";

/// The open problem of `cause`, as `onbehalf problems --json` lists it.
fn listed(list: &Value, cause: &str) -> Option<Value> {
    list.as_array()?
        .iter()
        .find(|p| p["cause"] == cause)
        .cloned()
}

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_crm_sign_in_is_told_once_listed_and_its_end_told() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, _) = office(&world, true, &[]).await;
    olivia.ok(&["sync", "--once", "--quiet"]).await;

    // Her CRM administrator ends every session of hers, as she shares a meeting.
    olivia_adds(
        &world,
        "Contoso pricing council",
        json!({"categories": ["CRM"]}),
    )
    .await;
    assert!(world
        .sandbox
        .salesforce_faults()
        .revoke_refresh_tokens_of(OLIVIA));
    for _ in 0..3 {
        let out = olivia.run(&["sync", "--once"]).await;
        assert!(!out.status.success(), "the cycle cannot reach the CRM");
    }
    let told = screen.about("Sign in to the CRM again");
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].body.contains("Onbehalf's settings"), "{told:?}");

    // Listed without asking the CRM (or Exchange) anything.
    let list: Value =
        serde_json::from_str(&olivia.ok(&["problems", "--json"]).await).expect("JSON");
    let p = listed(&list, "crm_sign_in_expired").unwrap_or_else(|| panic!("{list}"));
    assert_eq!(p["who_can_fix"], "You", "{p}");
    assert_eq!(p["kind"], "sign_in", "{p}");
    assert!(p.get("item").is_none(), "{p}");

    // She signs in again; the next cycle ends the problem and says so, once.
    olivia.ok(&["--as", OLIVIA, "crm", "whoami"]).await;
    olivia.ok(&["sync", "--once"]).await;
    olivia.ok(&["sync", "--once"]).await;
    let over = screen.about("Signed in to the CRM again");
    assert_eq!(over.len(), 1, "{over:?}");
    let list = json_as(&olivia, OLIVIA, &["problems", "--json"]).await;
    assert!(listed(&list, "crm_sign_in_expired").is_none(), "{list}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_crm_out_of_reach_longer_than_allowed_is_told_once() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, _) = office(&world, true, &[]).await;
    // Olivia wants to hear at once when the CRM cannot be reached.
    olivia
        .ok(&["--as", OLIVIA, "settings", "--problem-after", "0"])
        .await;
    olivia.ok(&["sync", "--once", "--quiet"]).await;

    olivia_adds(&world, "Litware intro call", json!({"categories": ["CRM"]})).await;
    world.sandbox.salesforce_faults().unavailable_every(1);
    for _ in 0..2 {
        let out = olivia.run(&["sync", "--once"]).await;
        assert!(!out.status.success());
    }
    world.sandbox.salesforce_faults().clear();
    let told = screen.about("cannot reach its services");
    assert_eq!(told.len(), 1, "{told:?}");
    assert!(told[0].body.contains("reach the CRM"), "{told:?}");

    olivia.ok(&["sync", "--once"]).await;
    assert_eq!(screen.about("back in touch").len(), 1);
    let list: Value =
        serde_json::from_str(&olivia.ok(&["problems", "--json"]).await).expect("JSON");
    assert!(listed(&list, "cannot_reach").is_none(), "{list}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_whose_onbehalf_uses_another_crm_org_is_named() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, _) = office(&world, true, &[]).await;
    // Olivia shares her calendar with Noah, who works for Contoso Nordic: his Salesforce org
    // was never merged into Contoso's.
    let token = token_for(&world, OLIVIA).await;
    let (status, body) = graph(
        &world,
        &token,
        Method::POST,
        "/me/calendar/calendarPermissions",
        Some(json!({
            "emailAddress": { "address": NOAH, "name": "Noah Lind" },
            "role": "write",
            "isInsideOrganization": true,
            "isRemovable": true,
        })),
    )
    .await;
    assert_eq!(status, 201, "{body}");
    let noah = world.machine();
    noah.ok(&["--as", NOAH, "calendars"]).await;
    olivia.ok(&["--as", OLIVIA, "calendars"]).await;
    noah.ok(&["--as", NOAH, "sync", "--once"]).await;
    noah.ok(&["--as", NOAH, "sync", "--once"]).await;

    let told = screen.about("Olivia Grant uses another CRM org");
    assert_eq!(told.len(), 1, "{told:?}");
    let list = json_as(&noah, NOAH, &["problems", "--json"]).await;
    let p = listed(&list, "other_crm_org").unwrap_or_else(|| panic!("{list}"));
    assert_eq!(p["about"], "Olivia Grant", "{p}");
    assert!(
        p["message"]
            .as_str()
            .unwrap_or("")
            .starts_with("Olivia Grant's Onbehalf is signed in to another CRM org"),
        "{p}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_crms_allowance_spent_is_told_once() {
    let world = World::start().await;
    let screen = desktop();
    let (olivia, _) = office(&world, true, &[]).await;
    olivia.ok(&["sync", "--once", "--quiet"]).await;
    olivia_adds(&world, "Adatum kickoff", json!({"categories": ["CRM"]})).await;
    world.sandbox.salesforce_faults().spend_api_budget();
    for _ in 0..3 {
        olivia.run(&["sync", "--once"]).await;
    }
    let told = screen.about("daily allowance is spent");
    assert_eq!(told.len(), 1, "{told:?}");
    let list: Value =
        serde_json::from_str(&olivia.ok(&["problems", "--json"]).await).expect("JSON");
    let p = listed(&list, "crm_budget_spent").unwrap_or_else(|| panic!("{list}"));
    assert_eq!(p["who_can_fix"], "Your CRM administrator", "{p}");
    assert_eq!(p["kind"], "crm_allowance", "{p}");
}

#[tokio::test(flavor = "multi_thread")]
async fn an_owner_whose_onbehalf_uses_another_microsoft_365_organisation_is_named() {
    let world = World::start().await;
    let screen = desktop();
    // Olivia's own Onbehalf (the sandbox's simulated one) publishes her record; Daniel's
    // finds it.
    let daniel = world.machine();
    daniel.ok(&["--as", DANIEL, "calendars"]).await;
    // Her Onbehalf is signed in to the test tenant her IT set up, not Contoso's.
    assert!(world
        .sandbox
        .faults()
        .executive_signs_in_to_tenant("5d1c7e9a-0b2f-4c3d-8e6f-7a8b9c0d1e2f"));
    let list = daniel.calendars_as(DANIEL).await;
    let hers = crate::support::find(&list, OLIVIA, "owner_primary").unwrap();
    assert_eq!(hers["owner_onbehalf"]["same_tenant"], false, "{hers}");
    for _ in 0..2 {
        daniel.ok(&["--as", DANIEL, "sync", "--once"]).await;
    }
    let told = screen.about("Olivia Grant uses another Microsoft 365 organisation");
    assert_eq!(told.len(), 1, "{told:?}");
    let list = json_as(&daniel, DANIEL, &["problems", "--json"]).await;
    let p = listed(&list, "other_tenant").unwrap_or_else(|| panic!("{list}"));
    assert_eq!(p["about"], "Olivia Grant", "{p}");
    assert_eq!(p["who_can_fix"], "Your administrator", "{p}");
}
