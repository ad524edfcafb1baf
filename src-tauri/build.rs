//! Generates the Tauri context and the app's command permissions.
//!
//! Declaring the commands here turns off Tauri's "every app command is allowed everywhere"
//! default: a window may call a command only when one of its capabilities grants it.

/// Every IPC command of the app; `src/commands.rs` registers the same list.
const COMMANDS: &[&str] = &[
    "app_state",
    "sign_in",
    "cancel_sign_in",
    "sign_out",
    "refresh_calendars",
    "add_owner",
    "remove_owner",
    "run_doctor",
];

fn main() {
    let dist = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../ui/dist/index.html");
    println!("cargo:rerun-if-changed={}", dist.display());
    if !dist.exists() {
        panic!(
            "The web UI is not built ({} is missing). Build it first: \
             npm --prefix ui ci && npm --prefix ui run build",
            dist.display()
        );
    }
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        panic!("tauri-build failed: {e:#}");
    }
}
