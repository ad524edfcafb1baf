//! Signing out while the system keyring cannot be reached. The sign-out runs in a child
//! process (this test binary again) whose session bus does not exist, since a process keeps
//! the bus connection it made first.

#![allow(clippy::unwrap_used)]

mod common;

use std::process::Command;

use common::{keyring_available, World, DANIEL};
use onbehalf_service::{Onbehalf, Options};

const TEST: &str = "signing_out_succeeds_here_and_says_what_the_keyring_kept";
/// Set in the child: the data folder and the configuration file to sign out of.
const CHILD: &str = "ONBEHALF_TEST_SIGN_OUT_CHILD";
const REPORT: &str = "LEFT BEHIND: ";

#[tokio::test]
async fn signing_out_succeeds_here_and_says_what_the_keyring_kept() {
    if let Ok(dirs) = std::env::var(CHILD) {
        return sign_out_in_child(&dirs).await;
    }
    if !keyring_available() {
        return;
    }
    let world = World::new().await;
    let app = world.start().await;
    app.sign_in_as(DANIEL.address).await.unwrap();
    app.shutdown().await;

    let child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", TEST, "--nocapture", "--test-threads=1"])
        .env(
            CHILD,
            format!(
                "{}\n{}",
                world.data.path().display(),
                world.config.display()
            ),
        )
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/onbehalf-test-bus",
        )
        .env_remove("ONBEHALF_REQUIRE_KEYRING")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&child.stdout);
    assert!(
        child.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&child.stderr)
    );
    let left = out
        .lines()
        .find_map(|l| l.split_once(REPORT).map(|(_, report)| report))
        .unwrap_or_else(|| panic!("no report in: {out}"));
    assert!(left.contains("system keyring"), "{left}");
    assert!(left.contains("Credential Manager"), "{left}");
    assert!(left.contains("opens nothing"), "{left}");
    assert!(!left.contains(".."), "{left}");

    // Signed out here, the sealed refresh token gone; only the key stayed, as reported.
    let app = world.start().await;
    assert_eq!(app.current_account().await.unwrap(), None);
    assert!(world.vault_files().is_empty(), "{:?}", world.vault_files());
    assert!(world.keyring_entry(&DANIEL).is_some());
    app.shutdown().await;
    world.clean_keyring();
}

async fn sign_out_in_child(dirs: &str) {
    let (data, config) = dirs.split_once('\n').unwrap();
    let app = Onbehalf::start(&Options {
        config_file: Some(config.into()),
        data_dir: Some(data.into()),
        sandbox: false,
        sandbox_tls: false,
        policy_file: None,
    })
    .await
    .unwrap();
    let report = app.sign_out().await.expect("the sign-out itself succeeds");
    println!("{REPORT}{}", report.left_behind.unwrap_or_default());
    app.shutdown().await;
}
