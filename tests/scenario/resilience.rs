//! Expired tokens, throttling and outages: the user's command still works, or fails in words.

use crate::support::{find, World};

#[tokio::test(flavor = "multi_thread")]
async fn an_expired_access_token_is_refreshed_without_asking_the_user() {
    let world = World::start().await;
    let daniel = world.machine();
    daniel
        .ok(&["--as", "daniel.reyes@contoso.com", "whoami"])
        .await;
    world.sandbox.faults().expire_all_tokens();
    // No --as: the saved sign-in from the keyring is used and refreshed.
    let out = daniel.ok(&["calendars", "--json"]).await;
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(find(&list, "olivia.grant@contoso.com", "owner_primary").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn throttled_requests_are_retried_after_the_given_delay() {
    let world = World::start().await;
    let daniel = world.machine();
    daniel
        .ok(&["--as", "daniel.reyes@contoso.com", "whoami"])
        .await;
    world.sandbox.faults().throttle_every(3, 1);
    let out = daniel.ok(&["calendars", "--json"]).await;
    let list: Vec<serde_json::Value> = serde_json::from_str(&out).unwrap();
    assert!(find(&list, "olivia.grant@contoso.com", "owner_primary").is_some());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_outage_fails_in_words_with_the_network_exit_code() {
    let world = World::start().await;
    let daniel = world.machine();
    daniel
        .ok(&["--as", "daniel.reyes@contoso.com", "whoami"])
        .await;
    world.sandbox.faults().unavailable_every(1);
    let out = daniel.run(&["calendars"]).await;
    assert_eq!(out.status.code(), Some(7));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("Microsoft 365"), "{err}");
    world.sandbox.faults().clear();
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_sign_in_the_command_says_so_with_its_exit_code() {
    let world = World::start().await;
    let nobody = world.machine();
    let out = nobody.run(&["calendars"]).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not signed in"));
}
