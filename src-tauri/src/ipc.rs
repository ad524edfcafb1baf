//! The types that cross IPC besides the service's own: the first-paint state, the CRM state
//! and the sync settings of the Settings screen, and the events.
//! TypeScript bindings for all of them live in `ui/src/bindings/` (see `bindings.rs`).

use onbehalf_engine::sync::notice_kinds::NoticeKind;
use onbehalf_engine::sync::notices::Opens;
use onbehalf_service::policy::SettingsView;
use onbehalf_service::{
    AccountView, CalendarEntry, ComposedMessage, CrmAccountView, Refreshed, ServiceError,
    SyncStatus,
};
use serde::Serialize;
use tauri::{AppHandle, Emitter};
use ts_rs::TS;

use crate::windows::MAIN_WINDOW;

/// Everything the UI needs for its first paint, without waiting for Microsoft 365.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppState {
    /// Started on the built-in sandbox with the demo organisation.
    pub sandbox: bool,
    pub account: Option<AccountView>,
    /// The calendars found by the last refresh.
    pub calendars: Vec<CalendarEntry>,
    /// Where to open, when the window was made to show something (a click on a notification).
    pub open: Option<Opens>,
}

/// The CRM as the Settings screen first shows it, without asking the CRM.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CrmState {
    /// A CRM is configured, so signing in to it can be offered.
    pub configured: bool,
    /// The CRM account kept for the Microsoft 365 account signed in, if any.
    pub account: Option<CrmAccountView>,
}

/// A time slot message put on the clipboard, and how many of its times are held.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CopiedMessage {
    pub composed: ComposedMessage,
    pub held: usize,
}

/// The sync settings as the Settings screen shows them, with what the administrator allows.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SyncSettingsState {
    /// The settings in force, with the administrator's locks and bounds.
    pub view: SettingsView,
    /// Every kind of problem that may notify, in the order the settings list them.
    pub notice_kinds: Vec<NoticeKindLabel>,
}

/// A kind of problem and its words.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NoticeKindLabel {
    pub kind: NoticeKind,
    pub label: String,
}

impl NoticeKindLabel {
    pub fn all() -> Vec<NoticeKindLabel> {
        NoticeKind::ALL
            .into_iter()
            .map(|kind| NoticeKindLabel {
                kind,
                label: kind.label().to_string(),
            })
            .collect()
    }
}

/// Events the app sends to the main window, named and typed in one place.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(tag = "event", content = "payload", rename_all = "kebab-case")]
pub enum AppEvent {
    /// A service call started (`true`) or the last one ended (`false`).
    Busy(bool),
    /// The tray's "Refresh calendars" finished.
    CalendarsUpdated(Refreshed),
    /// The tray's "Refresh calendars" failed.
    RefreshFailed(ServiceError),
    /// Where the sync stands changed (a cycle started or ended, it was turned on or off).
    SyncStatus(Box<SyncStatus>),
    /// Show this (a click on a notification, the tray's Problems item).
    Open(Opens),
}

impl AppEvent {
    /// The event's name, as the UI listens for it.
    pub fn name(&self) -> &'static str {
        match self {
            AppEvent::Busy(_) => "busy",
            AppEvent::CalendarsUpdated(_) => "calendars-updated",
            AppEvent::RefreshFailed(_) => "refresh-failed",
            AppEvent::SyncStatus(_) => "sync-status",
            AppEvent::Open(_) => "open",
        }
    }

    /// Send to the main window only: no other window has a use for it.
    pub fn emit(self, app: &AppHandle) {
        let name = self.name();
        let sent = match self {
            AppEvent::Busy(busy) => app.emit_to(MAIN_WINDOW, name, busy),
            AppEvent::CalendarsUpdated(refreshed) => app.emit_to(MAIN_WINDOW, name, refreshed),
            AppEvent::RefreshFailed(error) => app.emit_to(MAIN_WINDOW, name, error),
            AppEvent::SyncStatus(status) => app.emit_to(MAIN_WINDOW, name, status),
            AppEvent::Open(target) => app.emit_to(MAIN_WINDOW, name, target),
        };
        if let Err(e) = sent {
            tracing::warn!(event = name, error = %e, "could not send an event to the window");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_names_match_their_serialized_tags() {
        let events = [
            AppEvent::Busy(true),
            AppEvent::RefreshFailed(ServiceError::config("x")),
            AppEvent::SyncStatus(Box::new(onbehalf_service::SyncStatus {
                on: true,
                last_run: None,
                waiting: 0,
                problems: 0,
                conflicts: 0,
                not_granted: None,
                schedule: Default::default(),
            })),
            AppEvent::Open(Opens::Problems),
        ];
        for event in events {
            let json = serde_json::to_value(&event).unwrap_or_default();
            assert_eq!(json["event"], event.name(), "{json}");
        }
    }
}
