//! Sign-in, signing in again and signing out through the service, against an identity server
//! that issues tokens as large as Entra's, with saved sign-ins in the system keyring.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::Utc;
use common::{keyring_available, World, DANIEL, MEGAN, TENANT};
use onbehalf_secrets::MAX_SECRET_UTF16_UNITS;
use onbehalf_service::{ErrorCode, SignOutReport};
use onbehalf_store::CalendarRow;

fn owners(world: &World, account_id: &str) -> Vec<String> {
    world
        .store()
        .owners()
        .list(account_id)
        .unwrap()
        .into_iter()
        .map(|o| o.address)
        .collect()
}

/// A calendar row as a refresh would have cached it.
fn cache_a_calendar(world: &World, account_id: &str) {
    let row = CalendarRow {
        owner_address: "olivia.grant@contoso.com".into(),
        calendar_key: "AAMkOlivia".into(),
        name: "Calendar".into(),
        entry_json: "{}".into(),
        graph_role: Some("write".into()),
        source: "inferred".into(),
        seen_at: Utc::now(),
    };
    world
        .store()
        .calendars()
        .replace_all(account_id, &[row])
        .unwrap();
}

fn cached_calendars(world: &World, account_id: &str) -> usize {
    world.store().calendars().list(account_id).unwrap().len()
}

/// Make a Graph call, which first redeems the saved refresh token; the test server serves no
/// Graph, so the call itself fails after the refresh.
async fn use_the_saved_sign_in(world: &World) {
    let app = world.start().await;
    let err = app.refresh().await.unwrap_err();
    assert_ne!(err.code, ErrorCode::SignInRequired, "{err:?}");
    app.shutdown().await;
}

#[tokio::test]
async fn every_keyring_entry_of_a_full_sign_in_fits_windows_credential_manager() {
    if !keyring_available() {
        return;
    }
    let world = World::new().await;
    let app = world.start().await;
    let who = app.sign_in_as(DANIEL.address).await.unwrap();
    assert_eq!(who.address, DANIEL.address);
    app.shutdown().await;
    // A later start redeems the refresh token, and the rotated one is saved.
    use_the_saved_sign_in(&world).await;
    use_the_saved_sign_in(&world).await;
    assert_eq!(world.refreshes(), ["rt-daniel-1", "rt-daniel-2"]);

    let entry = world.keyring_entry(&DANIEL).expect("a keyring entry");
    let units = entry.encode_utf16().count();
    assert!(
        units <= MAX_SECRET_UTF16_UNITS,
        "{units} UTF-16 units in the keyring entry"
    );
    assert!(!entry.contains("rt-daniel") && !entry.contains("at-daniel"));

    let files = world.vault_files();
    assert_eq!(files.len(), 1, "{files:?}");
    let sealed = std::fs::read(&files[0]).unwrap();
    let text = String::from_utf8_lossy(&sealed);
    assert!(!text.contains("rt-daniel") && !text.contains("at-daniel"));
    world.clean_keyring();
}

#[tokio::test]
async fn signing_in_again_keeps_added_owners_and_cached_calendars() {
    if !keyring_available() {
        return;
    }
    let world = World::new().await;
    let app = world.start().await;
    app.sign_in_as(DANIEL.address).await.unwrap();
    let store = world.store();
    store
        .owners()
        .add(&DANIEL.account_id(), "olivia.grant@contoso.com")
        .unwrap();
    cache_a_calendar(&world, &DANIEL.account_id());

    // "Sign in again": the same account, with the sign-in page told who it is for.
    let pending = app.begin_sign_in().await.unwrap();
    let url = url::Url::parse(&pending.authorize_url).unwrap();
    let query: std::collections::HashMap<_, _> = url.query_pairs().into_owned().collect();
    assert_eq!(
        query.get("login_hint").map(String::as_str),
        Some(DANIEL.address)
    );
    assert_eq!(query.get("domain_hint").map(String::as_str), Some(TENANT));
    drop(pending);
    app.sign_in_as(DANIEL.address).await.unwrap();

    assert_eq!(
        owners(&world, &DANIEL.account_id()),
        ["olivia.grant@contoso.com"]
    );
    assert_eq!(cached_calendars(&world, &DANIEL.account_id()), 1);
    assert_eq!(
        app.current_account().await.unwrap().map(|a| a.address),
        Some(DANIEL.address.to_string())
    );
    app.shutdown().await;
    world.clean_keyring();
}

#[tokio::test]
async fn signing_in_as_someone_else_keeps_the_first_accounts_data_for_their_return() {
    if !keyring_available() {
        return;
    }
    let world = World::new().await;
    let app = world.start().await;
    app.sign_in_as(DANIEL.address).await.unwrap();
    let store = world.store();
    store
        .owners()
        .add(&DANIEL.account_id(), "olivia.grant@contoso.com")
        .unwrap();

    app.sign_in_as(MEGAN.address).await.unwrap();
    assert_eq!(
        app.current_account().await.unwrap().map(|a| a.address),
        Some(MEGAN.address.to_string())
    );
    // Daniel's owners and saved sign-in wait for him.
    assert_eq!(
        owners(&world, &DANIEL.account_id()),
        ["olivia.grant@contoso.com"]
    );
    assert!(world.keyring_entry(&DANIEL).is_some());
    assert_eq!(world.vault_files().len(), 2);

    app.sign_in_as(DANIEL.address).await.unwrap();
    assert_eq!(
        owners(&world, &DANIEL.account_id()),
        ["olivia.grant@contoso.com"]
    );
    app.shutdown().await;
    world.clean_keyring();
}

#[tokio::test]
async fn signing_out_removes_the_saved_sign_in_and_keeps_added_owners() {
    if !keyring_available() {
        return;
    }
    let world = World::new().await;
    let app = world.start().await;
    app.sign_in_as(DANIEL.address).await.unwrap();
    world
        .store()
        .owners()
        .add(&DANIEL.account_id(), "olivia.grant@contoso.com")
        .unwrap();
    cache_a_calendar(&world, &DANIEL.account_id());

    let report = app.sign_out().await.unwrap();
    assert_eq!(report, SignOutReport { left_behind: None });
    assert_eq!(app.current_account().await.unwrap(), None);
    assert_eq!(world.keyring_entry(&DANIEL), None);
    assert!(world.vault_files().is_empty(), "{:?}", world.vault_files());
    let err = app.refresh().await.unwrap_err();
    assert_eq!(err.code, ErrorCode::SignInRequired);
    assert_eq!(
        owners(&world, &DANIEL.account_id()),
        ["olivia.grant@contoso.com"]
    );
    assert_eq!(cached_calendars(&world, &DANIEL.account_id()), 1);
    // Signing out with nobody signed in is fine too.
    assert_eq!(app.sign_out().await.unwrap(), SignOutReport::default());
    app.shutdown().await;
}

#[tokio::test]
async fn an_older_versions_keyring_entry_is_moved_into_the_vault_once() {
    if !keyring_available() {
        return;
    }
    let world = World::new().await;
    // What an older Onbehalf left: the account in the store, as its sign-in wrote it, and the
    // whole token set in the keyring entry (this one small enough for the limit).
    let app = world.start().await;
    app.sign_in_as(DANIEL.address).await.unwrap();
    app.shutdown().await;
    std::fs::remove_dir_all(world.data.path().join("tokens")).unwrap();
    let legacy = format!(
        r#"{{"v":1,"access_token":"at-old","refresh_token":"rt-daniel-1","expires_at":"2020-01-01T00:00:00Z","account":{{"tenant_id":"{TENANT}","object_id":"{}","username":"{}","name":"{}"}}}}"#,
        DANIEL.object_id, DANIEL.address, DANIEL.name
    );
    onbehalf_secrets::SecretStore::new("Onbehalf")
        .set(
            &world.keyring_name(&DANIEL),
            &onbehalf_secrets::Sensitive::new(legacy),
        )
        .unwrap();

    use_the_saved_sign_in(&world).await;
    assert_eq!(world.refreshes(), ["rt-daniel-1"]);
    let entry = world.keyring_entry(&DANIEL).unwrap();
    assert_eq!(entry.len(), 44, "the entry now holds a key");
    assert_eq!(world.vault_files().len(), 1);

    // From now on the vault is read: the rotated token is presented next.
    use_the_saved_sign_in(&world).await;
    assert_eq!(world.refreshes(), ["rt-daniel-1", "rt-daniel-2"]);
    world.clean_keyring();
}
