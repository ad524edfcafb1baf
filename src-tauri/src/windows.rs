//! The main window: made when it is first shown (not at a `--hidden` start), and closed for
//! real by its close button, so that a tray app with its window closed keeps no web view (and
//! none of its processes) alive; the next "Open" makes it again. A place to open at that
//! arrives while there is no window is kept for the window's first paint.

use std::sync::Mutex;

use onbehalf_engine::sync::notices::Opens;
use tauri::{AppHandle, Manager, Runtime, WebviewWindowBuilder, Window, WindowEvent};

/// The label of the window that shows the UI; the capability in `capabilities/` names it.
pub const MAIN_WINDOW: &str = "main";

/// Where the next main window opens, when something asked for a place while there was none.
#[derive(Default)]
pub struct PendingOpen(Mutex<Option<Opens>>);

impl PendingOpen {
    pub fn set(&self, target: Opens) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = Some(target);
    }

    /// The place, once: the window that reads it shows it.
    pub fn take(&self) -> Option<Opens> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).take()
    }
}

/// Bring the main window to the front, making it if there is none, restoring it if
/// minimised. Returns whether it was made now (its page is still loading).
pub fn show_main<R: Runtime>(app: &AppHandle<R>) -> bool {
    let (window, made) = match app.get_webview_window(MAIN_WINDOW) {
        Some(window) => (window, false),
        None => match make_main(app) {
            Ok(window) => (window, true),
            Err(e) => {
                tracing::error!(error = %e, "could not make the main window");
                return false;
            }
        },
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
    made
}

/// The main window as `tauri.conf.json` describes it (`create: false` there: it is made here).
fn make_main<R: Runtime>(app: &AppHandle<R>) -> tauri::Result<tauri::WebviewWindow<R>> {
    let config = app
        .config()
        .app
        .windows
        .iter()
        .find(|w| w.label == MAIN_WINDOW)
        .cloned()
        .ok_or_else(|| tauri::Error::WindowNotFound)?;
    WebviewWindowBuilder::from_config(app, &config)?.build()
}

/// Closing the main window closes it (the app keeps running in the tray: see `lib.rs`).
pub fn on_window_event<R: Runtime>(window: &Window<R>, event: &WindowEvent) {
    if let (MAIN_WINDOW, WindowEvent::Destroyed) = (window.label(), event) {
        tracing::info!("the main window is closed; Onbehalf keeps running in the tray");
    }
}
