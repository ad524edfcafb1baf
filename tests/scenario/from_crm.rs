//! Events an executive makes in the CRM coming into her Outlook calendar, once she turns that
//! direction on: as appointments (nobody is invited, so nobody is mailed), linked, private
//! when the event is, and never twice.

use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::support::{crm_token_for, World};

const OLIVIA: &str = "olivia.grant@contoso.com";

fn crm_user_of_olivia() -> String {
    onbehalf_sandbox::demo_org()
        .users
        .into_iter()
        .find(|u| u.address == OLIVIA)
        .map(|u| u.crm.user_id)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn events_made_in_the_crm_come_into_outlook_once_the_direction_is_on() {
    let world = World::start().await;
    let olivia = world.machine();
    olivia.ok(&["--as", OLIVIA, "sync", "on"]).await;
    let crm = crm_token_for(&world, OLIVIA).await;
    let day = (Utc::now() + Duration::days(3))
        .format("%Y-%m-%d")
        .to_string();
    let made = crm
        .create_event(json!({
            "Subject": "Quarterly review with Fabrikam",
            "StartDateTime": format!("{day}T13:00:00.000+0000"),
            "EndDateTime": format!("{day}T14:00:00.000+0000"),
            "OwnerId": crm_user_of_olivia(),
        }))
        .await;
    let private = crm
        .create_event(json!({
            "Subject": "Dentist",
            "StartDateTime": format!("{day}T08:00:00.000+0000"),
            "EndDateTime": format!("{day}T09:00:00.000+0000"),
            "IsPrivate": true,
            "OwnerId": crm_user_of_olivia(),
        }))
        .await;

    // Off by default: a sync leaves Outlook alone.
    olivia.ok(&["--as", OLIVIA, "sync", "--once"]).await;
    let subjects = |items: &Value| -> Vec<String> {
        items
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|i| i["subject"].as_str().map(str::to_string))
            .collect()
    };
    let items: Value =
        serde_json::from_str(&olivia.ok(&["--as", OLIVIA, "items", "--json"]).await).unwrap();
    assert!(!subjects(&items).contains(&"Quarterly review with Fabrikam".to_string()));

    // On: the next sync brings both in, linked to their events.
    let shown = olivia
        .ok(&[
            "--as",
            OLIVIA,
            "settings",
            "--crm-to-outlook",
            "on",
            "--json",
        ])
        .await;
    assert!(shown.contains("\"crm_to_exchange\": true"), "{shown}");
    // (The demo org's CRM already holds some of her events made there: they come too.)
    let ran: Value = serde_json::from_str(
        &olivia
            .ok(&["--as", OLIVIA, "sync", "--once", "--json"])
            .await,
    )
    .unwrap();
    let created = ran["report"]["created_in_exchange"].as_u64().unwrap();
    assert!(created >= 2, "{ran}");
    let items: Value =
        serde_json::from_str(&olivia.ok(&["--as", OLIVIA, "items", "--json"]).await).unwrap();
    let find = |subject: &str| -> Value {
        items
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["subject"] == subject)
            .cloned()
            .unwrap_or_else(|| panic!("no {subject} in {items}"))
    };
    let review = find("Quarterly review with Fabrikam");
    assert_eq!(review["share"], "shared", "{review}");
    assert_eq!(review["crm"]["id"], made.as_str(), "{review}");
    assert_eq!(
        review["start"].as_str().unwrap()[..16],
        format!("{day}T13:00"),
        "{review}"
    );
    let dentist = find("Dentist");
    assert_eq!(dentist["private"], true, "{dentist}");
    assert_eq!(dentist["crm"]["id"], private.as_str(), "{dentist}");

    // Each event now carries its item's id, and a second sync makes nothing twice.
    let carried = crm.events_for(review["id"].as_str().unwrap()).await;
    assert_eq!(carried.len(), 1, "{carried:?}");
    assert_eq!(carried[0]["Id"], made.as_str());
    let rerun: Value = serde_json::from_str(
        &olivia
            .ok(&["--as", OLIVIA, "sync", "--once", "--json"])
            .await,
    )
    .unwrap();
    assert_eq!(rerun["report"]["created_in_exchange"], 0, "{rerun}");
    let again: Value =
        serde_json::from_str(&olivia.ok(&["--as", OLIVIA, "items", "--json"]).await).unwrap();
    let reviews = subjects(&again)
        .iter()
        .filter(|s| *s == "Quarterly review with Fabrikam")
        .count();
    assert_eq!(reviews, 1, "{again}");
    assert_eq!(world.sandbox.faults().meeting_mail_sent(OLIVIA), 0);
}
