//! The Windows Installer package, built from the same WiX template the Tauri bundler uses on
//! Windows, here with wixl, and read back table by table with `msiinfo export`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use crate::support::{root, run_in, tauri_config, APP_ID, POLICY};

const POLICY_KEY: &str = r"Software\Onbehalf\Policy";
const RUN_KEY: &str = r"Software\Microsoft\Windows\CurrentVersion\Run";
/// Windows Installer's root for "HKLM per machine, HKCU per user" (HKMU).
const HKMU: &str = "-1";

/// The check MSI, built once for every test here.
fn msi() -> &'static Path {
    static MSI: OnceLock<PathBuf> = OnceLock::new();
    MSI.get_or_init(|| {
        let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packages/onbehalf-check.msi");
        let script = root().join("installer/windows/build-msi.sh");
        run_in(Some(&root()), "bash", &[path_str(&script), path_str(&out)]);
        assert!(out.is_file(), "build-msi.sh made no {}", out.display());
        out
    })
}

fn path_str(path: &Path) -> &str {
    path.to_str().expect("paths here are UTF-8")
}

/// The rows of one table: `msiinfo export` prints the column names, their types and the
/// table's keys on three lines, then one row a line, tab-separated.
fn table(name: &str) -> Vec<Vec<String>> {
    // `msiinfo export` writes a table's binary streams (Binary, Icon) as files under the
    // folder it runs in: run it in the tests' scratch folder.
    let scratch = Path::new(env!("CARGO_TARGET_TMPDIR")).join("packages/msi-export");
    std::fs::create_dir_all(&scratch)
        .unwrap_or_else(|e| panic!("cannot make {}: {e}", scratch.display()));
    let text = run_in(
        Some(&scratch),
        "msiinfo",
        &["export", path_str(msi()), name],
    );
    text.lines()
        .skip(3)
        .map(|line| line.split('\t').map(str::to_string).collect())
        .collect()
}

/// The Property table as (name, value) pairs.
fn property(name: &str) -> Option<String> {
    table("Property")
        .into_iter()
        .find(|row| row[0] == name)
        .map(|row| row[1].clone())
}

#[test]
fn the_msi_installs_per_user_by_default_and_per_machine_on_request() {
    assert_eq!(
        property("ALLUSERS").as_deref(),
        Some("2"),
        "ALLUSERS=2 lets one package install per user or per machine"
    );
    assert_eq!(
        property("MSIINSTALLPERUSER").as_deref(),
        Some("1"),
        "MSIINSTALLPERUSER=1 makes the install per user unless the admin asks otherwise"
    );
}

#[test]
fn every_policy_property_is_public_secure_and_empty_unless_given() {
    let secure = property("SecureCustomProperties").unwrap_or_default();
    let secure: Vec<&str> = secure.split(';').collect();
    for (name, _) in POLICY {
        assert_eq!(
            property(name),
            None,
            "{name} must have no default in the Property table (empty unless the admin gives it)"
        );
        assert!(
            secure.contains(&name),
            "{name} must be a secure public property (listed in SecureCustomProperties: {secure:?}) \
             so it reaches a managed per-machine install"
        );
    }
    assert_eq!(
        property("START_AT_LOGIN").as_deref(),
        Some("1"),
        "START_AT_LOGIN defaults to 1: Onbehalf starts in the tray at sign-in"
    );
    assert!(
        secure.contains(&"START_AT_LOGIN"),
        "START_AT_LOGIN must be secure"
    );
}

#[test]
fn a_newer_msi_replaces_the_installed_one_by_its_fixed_upgrade_code() {
    let config = tauri_config();
    let code = config["bundle"]["windows"]["wix"]["upgradeCode"]
        .as_str()
        .expect("tauri.conf.json fixes bundle.windows.wix.upgradeCode")
        .to_uppercase();
    assert_eq!(
        property("UpgradeCode").map(|c| c.to_uppercase()),
        Some(format!("{{{code}}}")),
        "the package's UpgradeCode is the one in tauri.conf.json"
    );
    let rows = table("Upgrade");
    // Columns: UpgradeCode, VersionMin, VersionMax, Language, Attributes, Remove, ActionProperty.
    let major = rows
        .iter()
        .find(|r| r[6] == "WIX_UPGRADE_DETECTED")
        .unwrap_or_else(|| panic!("no major upgrade row in the Upgrade table: {rows:?}"));
    assert_eq!(major[0].to_uppercase(), format!("{{{code}}}"));
    let attributes: u32 = major[4].parse().expect("Upgrade.Attributes is a number");
    assert_eq!(
        attributes & 2,
        0,
        "the major upgrade row must remove the older version, not only detect it: {major:?}"
    );
    assert!(
        major[1].is_empty(),
        "the major upgrade row covers every version before this one (no lowest version): {major:?}"
    );
    let sequence = table("InstallExecuteSequence");
    assert!(
        sequence.iter().any(|r| r[0] == "RemoveExistingProducts"),
        "the older version is removed during the install (RemoveExistingProducts)"
    );
}

#[test]
fn the_msi_writes_every_policy_key_under_hkmu() {
    let rows = table("Registry");
    // Columns: Registry, Root, Key, Name, Value, Component_.
    let policy: Vec<&Vec<String>> = rows.iter().filter(|r| r[2] == POLICY_KEY).collect();
    for (property, key) in POLICY {
        let row = policy
            .iter()
            .find(|r| r[3] == key)
            .unwrap_or_else(|| panic!("no registry value {key} under {POLICY_KEY}"));
        assert_eq!(
            row[1], HKMU,
            "{key} must be written under HKMU (root -1): HKLM per machine, HKCU per user"
        );
        assert_eq!(
            row[4],
            format!("[{property}]"),
            "{key} must hold the value of the MSI property {property}"
        );
    }
    assert_eq!(
        policy.len(),
        POLICY.len(),
        "only the policy keys are written under {POLICY_KEY}: {policy:?}"
    );
}

#[test]
fn the_start_menu_shortcut_carries_the_apps_user_model_id() {
    let shortcuts = table("Shortcut");
    // Columns: Shortcut, Directory_, Name, Component_, Target, ...
    let shortcut = shortcuts
        .iter()
        .find(|r| r[1] == "ProgramMenuFolder")
        .unwrap_or_else(|| panic!("no shortcut in the Start menu: {shortcuts:?}"));
    assert_eq!(
        shortcut[2], "Onbehalf",
        "the Start menu entry is named Onbehalf"
    );
    assert_eq!(
        shortcut[4], "[#OnbehalfApp]",
        "the Start menu entry starts the app"
    );
    let properties = table("MsiShortcutProperty");
    // Columns: MsiShortcutProperty, Shortcut_, PropertyKey, PropVariantValue.
    let id = properties
        .iter()
        .find(|r| r[1] == shortcut[0] && r[2] == "System.AppUserModel.ID")
        .unwrap_or_else(|| {
            panic!("the Start menu shortcut has no System.AppUserModel.ID: {properties:?}")
        });
    assert_eq!(
        id[3], APP_ID,
        "notifications are tied to the shortcut by the app's AppUserModelID"
    );
    assert_eq!(tauri_config()["identifier"], APP_ID);
}

#[test]
fn start_at_login_is_a_feature_left_out_unless_start_at_login_is_1() {
    let rows = table("Registry");
    let run_value = rows
        .iter()
        .find(|r| r[2] == RUN_KEY)
        .unwrap_or_else(|| panic!("no value under {RUN_KEY}"));
    assert_eq!(
        run_value[1], HKMU,
        "the Run value is per user or per machine, as the install"
    );
    assert_eq!(
        run_value[3], "Onbehalf",
        "the Run value has the name the app's own Start at login setting uses"
    );
    assert_eq!(
        run_value[4], "\"[#OnbehalfApp]\" --hidden",
        "at sign-in the app starts in the tray"
    );
    let component = &run_value[5];
    let features = table("FeatureComponents");
    let feature = features
        .iter()
        .find(|r| &r[1] == component)
        .map(|r| r[0].clone())
        .unwrap_or_else(|| panic!("the Run value's component {component} is in no feature"));
    let conditions = table("Condition");
    // Columns: Feature_, Level, Condition.
    assert!(
        conditions
            .iter()
            .any(|r| r[0] == feature && r[1] == "0" && r[2] == "START_AT_LOGIN <> \"1\""),
        "feature {feature} must be turned off (level 0) when START_AT_LOGIN is not 1: {conditions:?}"
    );
    assert_eq!(
        features.iter().filter(|r| r[0] == feature).count(),
        1,
        "feature {feature} holds the Run value only"
    );
}

#[test]
fn the_msi_installs_the_app_and_the_command_line() {
    let files = table("File");
    // Columns: File, Component_, FileName, ...
    for name in ["onbehalf-app.exe", "onbehalf.exe"] {
        let file = files
            .iter()
            .find(|r| r[2].split('|').any(|n| n == name))
            .unwrap_or_else(|| panic!("{name} is not installed: {files:?}"));
        let components = table("Component");
        let component = components
            .iter()
            .find(|c| c[0] == file[1])
            .unwrap_or_else(|| panic!("{name}'s component is missing"));
        assert_eq!(
            component[2], "INSTALLDIR",
            "{name} goes to the install folder"
        );
        assert!(
            table("FeatureComponents")
                .iter()
                .any(|r| r[0] == "Main" && r[1] == file[1]),
            "{name} is part of the main feature"
        );
    }
}

#[test]
fn the_webview2_runtime_is_installed_when_missing() {
    let mode = &tauri_config()["bundle"]["windows"]["webviewInstallMode"];
    assert_eq!(
        mode["type"], "embedBootstrapper",
        "the MSI embeds Microsoft's WebView2 bootstrapper (bundle.windows.webviewInstallMode)"
    );
    let actions = table("CustomAction");
    // Columns: Action, Type, Source, Target.
    let action = actions
        .iter()
        .find(|r| r[0] == "InstallWebView2")
        .unwrap_or_else(|| panic!("no WebView2 custom action: {actions:?}"));
    assert_eq!(
        action[1], "1026",
        "an executable from the Binary table, deferred"
    );
    assert!(table("Binary").iter().any(|r| r[0] == action[2]));
    assert_eq!(action[3], "/silent /install");
    let sequence = table("InstallExecuteSequence");
    let number = |name: &str| -> i32 {
        sequence
            .iter()
            .find(|r| r[0] == name)
            .and_then(|r| r[2].parse().ok())
            .unwrap_or_else(|| panic!("{name} is not in the InstallExecuteSequence"))
    };
    assert!(
        number("InstallInitialize") < number("InstallWebView2")
            && number("InstallWebView2") < number("InstallFinalize"),
        "a deferred action runs inside the install script"
    );
    let step = sequence.iter().find(|r| r[0] == "InstallWebView2");
    assert_eq!(
        step.map(|r| r[1].as_str()),
        Some("NOT Installed AND NOT WEBVIEW2_VERSION"),
        "the bootstrapper runs on a first install where no WebView2 is registered"
    );
}
