//! Generates the Tauri context and the app's command permissions.
//!
//! Declaring the commands here turns off Tauri's "every app command is allowed everywhere"
//! default: a window may call a command only when one of its capabilities grants it.

include!("src/ipc_commands.rs");

/// Write the handler registering every command of the list, for `src/commands.rs`.
fn write_handler() {
    let out = std::env::var_os("OUT_DIR").map(std::path::PathBuf::from);
    let Some(out) = out else {
        panic!("cargo did not set OUT_DIR");
    };
    let handler = format!("tauri::generate_handler![{}]\n", COMMANDS.join(", "));
    if let Err(e) = std::fs::write(out.join("ipc_handler.rs"), handler) {
        panic!("could not write the IPC handler: {e}");
    }
}

fn main() {
    println!("cargo:rerun-if-changed=src/ipc_commands.rs");
    write_handler();
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
