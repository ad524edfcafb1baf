//! The status record on the executive's calendar, read by a colleague who holds no grant,
//! tells them neither who has access nor with which role; and reading calendars writes nothing.

use onbehalf_engine::status_record::{StatusRecord, MIN_ENTRIES, PROPERTY_ID};
use onbehalf_sandbox::demo_org;
use reqwest::Method;

use crate::support::{encode, graph, token_for, World};

/// The raw status record on `owner`'s default calendar, read with `token`.
async fn raw_record(world: &World, token: &str, owner: &str) -> String {
    let path = format!(
        "/users/{owner}/calendar?$expand=singleValueExtendedProperties($filter={})",
        encode(&format!("id eq '{PROPERTY_ID}'"))
    );
    let (status, body) = graph(world, token, Method::GET, &path, None).await;
    assert_eq!(status, 200, "{body}");
    body["singleValueExtendedProperties"][0]["value"]
        .as_str()
        .unwrap_or_else(|| panic!("a record on {owner}'s calendar: {body}"))
        .to_string()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_colleague_without_a_grant_learns_nobody_s_access_from_the_record() {
    let world = World::start().await;
    // Daniel's Onbehalf publishes his key, so Olivia's seals his grant for him.
    let daniel = world.machine();
    let seen = daniel.calendars_as("daniel.reyes@contoso.com").await;
    let olivia = seen
        .iter()
        .find(|c| c["owner"] == "olivia.grant@contoso.com" && c["kind"] == "owner_primary")
        .unwrap();
    assert_eq!(olivia["permission"]["source"], "published");

    let noah = token_for(&world, "noah.lind@contoso.com").await;
    let value = raw_record(&world, &noah, "olivia.grant@contoso.com").await;
    let lower = value.to_lowercase();
    for user in demo_org()
        .users
        .iter()
        .filter(|u| !u.address.starts_with("olivia"))
    {
        let local = user.address.split('@').next().unwrap();
        assert!(!lower.contains(local), "{local} is named in {value}");
        assert!(
            !lower.contains(&user.given_name.to_lowercase()),
            "{} in {value}",
            user.given_name
        );
    }
    for role in [
        "delegatewith",
        "\"write\"",
        "\"read\"",
        "limitedread",
        "custom",
    ] {
        assert!(!lower.contains(role), "{role} in {value}");
    }
    let record = StatusRecord::parse(&value).unwrap();
    assert!(record.sealed.len() >= MIN_ENTRIES);
    assert!(record.sealed.len().is_power_of_two(), "padded to a bucket");
    let sizes: std::collections::BTreeSet<usize> = record.sealed.iter().map(String::len).collect();
    assert_eq!(sizes.len(), 1, "every entry has the same size");
}

#[tokio::test(flavor = "multi_thread")]
async fn listing_calendars_again_writes_nothing_to_exchange() {
    let world = World::start().await;
    let daniel = world.machine();
    daniel.calendars_as("daniel.reyes@contoso.com").await;
    let token = token_for(&world, "daniel.reyes@contoso.com").await;
    let first =
        StatusRecord::parse(&raw_record(&world, &token, "daniel.reyes@contoso.com").await).unwrap();
    daniel.ok(&["calendars", "--json"]).await;
    daniel.run(&["doctor", "--json"]).await;
    let again =
        StatusRecord::parse(&raw_record(&world, &token, "daniel.reyes@contoso.com").await).unwrap();
    assert_eq!(again.published_at, first.published_at, "published once");
    assert_eq!(again.sealed, first.sealed, "not sealed again");
}
