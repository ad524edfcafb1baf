// The one list of the app's IPC commands. `build.rs` reads it to declare each command's
// permission and to generate the handler that registers them (`commands::handler`); a test
// checks the UI's calls (`ui/src/ipc.ts`) and the main window's capability against it.
// (Plain comments only: `build.rs` includes this file as it is.)

/// Every IPC command, by the name the UI invokes it with.
pub const COMMANDS: &[&str] = &[
    "app_state",
    "sign_in",
    "cancel_sign_in",
    "sign_out",
    "refresh_calendars",
    "add_owner",
    "remove_owner",
    "run_doctor",
    "crm_state",
    "crm_whoami",
    "crm_sign_in",
    "crm_sign_out",
    "crm_search",
    "crm_match",
    "crm_records",
    "list_items",
    "share_item",
    "unshare_item",
    "list_conflicts",
    "resolve_conflict",
    "dismiss_overwrite",
    "list_problems",
    "dismiss_problem",
    "open_problem_in_outlook",
    "sync_status",
    "sync_preview",
    "set_sync_on",
    "sync_now",
    "sync_settings",
    "set_sync_settings",
    "slot_calendars",
    "slot_prefs",
    "find_slots",
    "compose_slot_message",
    "copy_slot_message",
    "create_slot_draft",
];
