//! What the package tests share: the policy contract, paths, and running tools.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Every admin policy setting: its MSI property and its policy key (a TOML key on Linux, a
/// plist key on macOS, a registry value name on Windows).
pub const POLICY: [(&str, &str); 25] = [
    ("TENANT", "microsoft_tenant"),
    ("AUTHORITY", "microsoft_authority"),
    ("GRAPH_URL", "graph_url"),
    ("CLIENT_ID", "microsoft_client_id"),
    ("CRM", "crm"),
    ("SALESFORCE_LOGIN_URL", "salesforce_login_url"),
    ("SALESFORCE_CLIENT_ID", "salesforce_client_id"),
    ("ALLOW_PRIVATE_SYNC", "allow_private_sync"),
    ("PRIVATE_SYNC", "private_sync"),
    ("SYNC_INTERVAL", "sync_interval_minutes"),
    ("SYNC_INTERVAL_MIN", "sync_interval_min_minutes"),
    ("SYNC_INTERVAL_MAX", "sync_interval_max_minutes"),
    ("INSTA_SYNC", "insta_sync"),
    ("ALLOW_DIRECT_SHARE", "allow_direct_share"),
    ("CRM_TO_OUTLOOK", "crm_to_outlook"),
    ("SHARE_CATEGORY", "share_category"),
    ("WATCH_OWNERS", "watch_owners"),
    ("QUIET_NOTIFICATIONS", "quiet_notifications"),
    ("CALENDAR_SYNC", "calendar_sync"),
    ("CONTACT_SYNC", "contact_sync"),
    ("CONTACT_KINDS", "contact_kinds"),
    ("TASK_SYNC", "task_sync"),
    ("EMAIL_INTEGRATION", "email_integration"),
    ("CRM_PROFILES", "crm_profiles"),
    ("ADMIN_CONTACT", "admin_contact"),
];

/// The app's identifier: the AppUserModelID on Windows, the payload type on macOS.
pub const APP_ID: &str = "app.onbehalf.desktop";

/// The repository's root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../..")
}

/// Cargo's target folder (the parent of the tests' scratch folder).
pub fn target_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| tmp.to_path_buf())
}

/// `src-tauri/tauri.conf.json`.
pub fn tauri_config() -> serde_json::Value {
    let path = root().join("src-tauri/tauri.conf.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{} is not JSON: {e}", path.display()))
}

/// Run a program and return what it printed, or fail saying what went wrong and how to get the
/// program if it is missing.
pub fn run(program: &str, args: &[&str]) -> String {
    run_in(None, program, args)
}

pub fn run_in(dir: Option<&Path>, program: &str, args: &[&str]) -> String {
    let mut command = Command::new(program);
    command.args(args);
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let output = command.output().unwrap_or_else(|e| {
        panic!(
            "could not run `{program}` ({e}); installer/setup-dev.sh and installer/package.sh \
             install the tools these tests use"
        )
    });
    assert!(
        output.status.success(),
        "`{program} {}` failed ({}):\n{}{}",
        args.join(" "),
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whether a program can be found on PATH.
pub fn has_program(program: &str) -> bool {
    std::env::var_os("PATH")
        .map(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
        .unwrap_or(false)
}

/// The one file in `target/packages/` with this extension, or a failure saying how to build
/// the packages.
pub fn built_package(extension: &str) -> PathBuf {
    let dir = target_dir().join("packages");
    let found: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == extension))
                .collect()
        })
        .unwrap_or_default();
    match found.as_slice() {
        [one] => one.clone(),
        [] => panic!(
            "no .{extension} package in {}: build the packages first with \
             `installer/package.sh --debug`",
            dir.display()
        ),
        many => panic!(
            "more than one .{extension} package in {}: {many:?}; run installer/package.sh again",
            dir.display()
        ),
    }
}
