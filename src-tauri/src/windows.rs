//! The main window: shown on launch and from the tray, hidden (not closed) by its close button.

use tauri::{AppHandle, Manager, Runtime, Window, WindowEvent};

/// The label of the window that shows the UI; the capability in `capabilities/` names it.
pub const MAIN_WINDOW: &str = "main";

/// Bring the main window to the front, restoring it if hidden or minimised.
pub fn show_main<R: Runtime>(app: &AppHandle<R>) {
    let Some(window) = app.get_webview_window(MAIN_WINDOW) else {
        tracing::warn!("the main window is gone");
        return;
    };
    let steps = [
        ("unminimize", window.unminimize()),
        ("show", window.show()),
        ("focus", window.set_focus()),
    ];
    for (step, result) in steps {
        if let Err(e) = result {
            tracing::warn!(step, error = %e, "could not bring the main window forward");
        }
    }
}

/// Closing the main window only hides it: Onbehalf keeps running in the tray.
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let WindowEvent::CloseRequested { api, .. } = event {
        if window.label() == MAIN_WINDOW {
            api.prevent_close();
            if let Err(e) = window.hide() {
                tracing::warn!(error = %e, "could not hide the main window");
            }
        }
    }
}
