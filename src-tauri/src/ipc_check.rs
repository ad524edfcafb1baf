//! The UI and the main window's capability must agree with the one list of IPC commands
//! (`ipc_commands.rs`); the handler is generated from it, so only these two can drift.

use std::collections::BTreeSet;
use std::path::Path;

use crate::ipc_commands::COMMANDS;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn listed() -> BTreeSet<String> {
    COMMANDS.iter().map(|c| c.to_string()).collect()
}

#[test]
fn the_ui_calls_exactly_the_listed_commands() {
    let ipc = read("../ui/src/ipc.ts");
    // Every call goes through `call<T>("name"...)`.
    let called: BTreeSet<String> = ipc
        .split("call<")
        .skip(1)
        .filter_map(|rest| rest.split('"').nth(1).map(str::to_string))
        .collect();
    assert_eq!(
        called,
        listed(),
        "ui/src/ipc.ts and src/ipc_commands.rs differ"
    );
}

#[test]
fn the_main_window_may_call_exactly_the_listed_commands() {
    let capability: serde_json::Value =
        serde_json::from_str(&read("capabilities/main-window.json")).expect("valid JSON");
    let allowed: BTreeSet<String> = capability["permissions"]
        .as_array()
        .expect("a permissions list")
        .iter()
        .filter_map(|p| p.as_str())
        .filter_map(|p| p.strip_prefix("allow-"))
        .map(|p| p.replace('-', "_"))
        .collect();
    assert_eq!(
        allowed,
        listed(),
        "capabilities/main-window.json and src/ipc_commands.rs differ"
    );
    let readme = read("capabilities/README.md");
    for command in COMMANDS {
        let permission = format!("allow-{}", command.replace('_', "-"));
        assert!(
            readme.contains(&permission),
            "the capabilities README explains {permission}"
        );
    }
}
