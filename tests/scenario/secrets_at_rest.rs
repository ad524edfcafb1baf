//! Where a sign-in is kept: after a real sign-in against the sandbox (realistic token sizes),
//! every keyring entry fits Windows Credential Manager (1,280 UTF-16 units) and no token is
//! anywhere in the data folder in plain text.

use std::path::Path;

use crate::support::{token_for, World};

/// The longest secret Windows Credential Manager keeps (2,560 bytes of UTF-16).
const CREDENTIAL_MANAGER_UNITS: usize = 1280;

/// Every secret Onbehalf keeps in the Secret Service, as `secret-tool` shows them.
fn keyring_secrets() -> Vec<String> {
    let out = std::process::Command::new("secret-tool")
        .args(["search", "--all", "--unlock", "service", "Onbehalf"])
        .output()
        .expect("secret-tool runs (package libsecret-tools)");
    let text =
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr);
    text.lines()
        .filter_map(|l| l.strip_prefix("secret = "))
        .map(str::to_string)
        .collect()
}

/// A run of at least `min` base64url characters right after `prefix`: the shape of a JWT
/// ("eyJ…") or of an Entra refresh token ("0.A…").
fn has_token_shape(text: &str, prefix: &str, min: usize) -> bool {
    text.match_indices(prefix).any(|(at, _)| {
        text[at + prefix.len()..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
            .count()
            >= min
    })
}

fn looks_like_a_token(text: &str) -> bool {
    has_token_shape(text, "eyJ", 200) || has_token_shape(text, "0.A", 200)
}

fn every_file(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, out);
        } else {
            out.push(path);
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn no_keyring_entry_is_too_long_for_windows_and_no_token_is_kept_in_clear() {
    let world = World::start().await;
    // The detector finds a real token of the sandbox, so its silence below means something.
    let access = token_for(&world, "daniel.reyes@contoso.com").await;
    assert!(
        access.len() > 2000,
        "realistic access tokens: {}",
        access.len()
    );
    assert!(looks_like_a_token(&access));

    let daniel = world.machine();
    daniel
        .ok(&["--as", "daniel.reyes@contoso.com", "calendars", "--json"])
        .await;
    // A second run redeems the saved refresh token (access tokens are never kept).
    daniel.ok(&["calendars", "--json"]).await;

    let secrets = keyring_secrets();
    assert!(
        secrets.len() >= 2,
        "the sign-in key and the status key: {secrets:?}"
    );
    for s in &secrets {
        let units = s.encode_utf16().count();
        assert!(
            units <= CREDENTIAL_MANAGER_UNITS,
            "a keyring entry of {units} units"
        );
        assert!(!looks_like_a_token(s), "a token in the keyring");
    }

    let mut files = Vec::new();
    every_file(daniel.dir.path(), &mut files);
    assert!(
        files.iter().any(|f| f.to_string_lossy().contains("tokens")),
        "{files:?}"
    );
    for file in files {
        let bytes = std::fs::read(&file).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !looks_like_a_token(&text),
            "{} holds a token in clear",
            file.display()
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_revoked_or_long_unused_sign_in_asks_to_sign_in_again_and_keeps_everything_else() {
    let world = World::start().await;
    let daniel = world.machine();
    daniel
        .ok(&[
            "--as",
            "daniel",
            "calendars",
            "add",
            "felix.braun@contoso.com",
        ])
        .await;

    for spoil in [
        |w: &World| w.sandbox.faults().revoke_all_refresh_tokens(),
        |w: &World| w.sandbox.faults().age_refresh_tokens(91),
    ] {
        spoil(&world);
        let out = daniel.run(&["calendars"]).await;
        assert_eq!(out.status.code(), Some(4), "exit code for 'sign in again'");
        let said = String::from_utf8_lossy(&out.stderr);
        assert!(said.contains("Sign in again"), "{said}");

        // Signing in again keeps the owner added before.
        let after = daniel.calendars_as("daniel.reyes@contoso.com").await;
        assert!(
            after
                .iter()
                .any(|c| c["owner"] == "felix.braun@contoso.com" && c["kind"] == "added_by_address"),
            "{after:?}"
        );
    }
}
