//! Permissions as they change: an owner starting Onbehalf, revoking or lowering a grant.

use reqwest::Method;

use crate::office::{grant_path, olivia_sets_role};
use crate::support::{find, graph, token_for, World};

#[tokio::test(flavor = "multi_thread")]
async fn a_published_record_turns_an_inferred_permission_into_an_exact_one() {
    let world = World::start().await;
    let daniel = world.machine();
    let carla = world.machine();

    // Carla does not run Onbehalf yet: her calendar, added by address, is inferred.
    daniel
        .ok(&[
            "--as",
            "daniel.reyes@contoso.com",
            "calendars",
            "add",
            "carla.mendes@contoso.com",
        ])
        .await;
    let before = daniel.calendars_as("daniel.reyes@contoso.com").await;
    let carla_cal = find(&before, "carla.mendes@contoso.com", "added_by_address").unwrap();
    assert_eq!(carla_cal["permission"]["source"], "inferred");
    assert_eq!(carla_cal["permission"]["graph"], "freeBusyRead");
    assert!(carla_cal["owner_onbehalf"].is_null());

    // Carla starts Onbehalf once; it publishes her status record.
    carla
        .ok(&["--as", "carla.mendes@contoso.com", "calendars"])
        .await;

    let after = daniel.calendars_as("daniel.reyes@contoso.com").await;
    let carla_cal = find(&after, "carla.mendes@contoso.com", "added_by_address").unwrap();
    assert_eq!(carla_cal["permission"]["source"], "published");
    assert_eq!(carla_cal["permission"]["graph"], "freeBusyRead");
    assert!(carla_cal["permission"]["published_at"].is_string());
    assert_eq!(carla_cal["owner_onbehalf"]["same_tenant"], true);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_grant_is_noticed_on_refresh() {
    let world = World::start().await;
    let rita = world.machine();
    let before = rita.calendars_as("rita.novak@contoso.com").await;
    let olivia = find(&before, "olivia.grant@contoso.com", "owner_primary").unwrap();
    assert_eq!(olivia["permission"]["graph"], "read");

    // Olivia removes Rita's access in Outlook (here: through Graph, as the owner).
    let token = token_for(&world, "olivia.grant@contoso.com").await;
    let id = grant_path(&world, &token, "rita.novak@contoso.com").await;
    let (status, _) = graph(&world, &token, Method::DELETE, &id, None).await;
    assert_eq!(status, 204);

    let text = rita
        .ok(&["--as", "rita.novak@contoso.com", "calendars"])
        .await;
    assert!(
        text.contains("You no longer have access to olivia.grant@contoso.com's calendar"),
        "{text}"
    );
    let after = rita.calendars_as("rita.novak@contoso.com").await;
    assert!(find(&after, "olivia.grant@contoso.com", "owner_primary").is_none());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_lowered_grant_shows_at_once() {
    let world = World::start().await;
    let emma = world.machine();
    let before = emma.calendars_as("emma.chen@contoso.com").await;
    let olivia = find(&before, "olivia.grant@contoso.com", "owner_primary").unwrap();
    assert_eq!(olivia["permission"]["graph"], "write");
    assert_eq!(olivia["actions"]["share_to_crm"]["allowed"], true);

    olivia_sets_role(&world, "emma.chen@contoso.com", "read").await;

    let text = emma
        .ok(&["--as", "emma.chen@contoso.com", "calendars"])
        .await;
    assert!(text.contains("changed from write to read"), "{text}");
    let after = emma.calendars_as("emma.chen@contoso.com").await;
    let olivia = find(&after, "olivia.grant@contoso.com", "owner_primary").unwrap();
    assert_eq!(olivia["permission"]["graph"], "read");
    // Olivia's Onbehalf republished her record when the grant changed.
    assert_eq!(olivia["permission"]["source"], "published");
    assert_eq!(olivia["actions"]["share_to_crm"]["allowed"], false);
    assert!(olivia["actions"]["share_to_crm"]["reason"]
        .as_str()
        .unwrap()
        .contains("Reviewer"));
}
