//! Onbehalf's desktop app: a thin Tauri shell over `onbehalf-service`. It owns the tray, the
//! windows and the typed IPC between the web UI (`ui/`) and the service; every decision about
//! calendars, permissions, sign-in, sharing and sync is the service's.
//!
//! Invariants: a command parses its input, calls the service and passes its `ServiceError` on
//! unchanged, so the UI always receives `{code, message}`; the scheduled sync runs from the
//! service's start to the app's exit, which stops it; no token, code or verifier crosses
//! IPC or reaches a log (only the types in [`ipc`] and the service's view types do); the sandbox
//! sign-in window has no IPC capability; closing the main window hides it, and only the tray's
//! Quit ends the app.

mod answers;
mod commands;
mod ipc;
#[cfg(test)]
mod ipc_check;
#[cfg(test)]
mod ipc_commands;
mod setup;
mod shell;
mod signin;
mod status;
mod sync_tasks;
#[cfg(desktop)]
mod tray;
mod windows;

#[cfg(test)]
mod bindings;

use onbehalf_service::Options;
use tauri::{Manager, RunEvent};

use crate::shell::Shell;

/// Start the app; returns when it quits.
pub fn run() {
    init_tracing();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let launch = setup::Launch::from_args(&args, Options::from_env_and_args(&args));
    let shell = Shell::new(launch.options.sandbox);

    let builder = tauri::Builder::default();
    // Registered first, so a second launch hands over before anything else starts.
    #[cfg(desktop)]
    let builder = builder
        .plugin(tauri_plugin_single_instance::init(|app, args, _cwd| {
            // A second start at login (the package's autostart entry beside the user's own)
            // finds the app already in the tray and leaves it there; any other opens it.
            if !setup::Launch::is_hidden(&args) {
                windows::show_main(app);
            }
        }))
        .plugin(
            tauri_plugin_autostart::Builder::new()
                .args(launch.login_args())
                .build(),
        );
    let built = builder
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_clipboard_manager::init())
        .manage(shell)
        .manage(windows::PendingOpen::default())
        .invoke_handler(commands::handler())
        .on_window_event(windows::on_window_event)
        .setup(move |app| setup::all(app, &launch))
        .build(tauri::generate_context!());

    match built {
        Ok(app) => app.run(on_run_event),
        Err(e) => {
            tracing::error!(error = %e, "the app could not start");
            eprintln!("Onbehalf could not start: {e}");
            std::process::exit(1);
        }
    }
}

fn on_run_event(app: &tauri::AppHandle, event: RunEvent) {
    match event {
        // A tray app keeps running with no window open (closing it closes it for real, so its
        // web view is gone); Quit exits with an explicit code.
        RunEvent::ExitRequested {
            code: None, api, ..
        } => api.prevent_exit(),
        RunEvent::Exit => {
            // The scheduled sync stops first; then pending writes (a rotated refresh token)
            // must reach the disk before the process ends, so exiting waits for them.
            let shell = app.state::<Shell>();
            tauri::async_runtime::block_on(shell.sync.stop());
            if let Ok(service) = shell.service_now() {
                tauri::async_runtime::block_on(service.shutdown());
            }
        }
        _ => {}
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    // A second initialisation (tests) keeps the first subscriber.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).try_init();
}
