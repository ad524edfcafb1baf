//! The tray icon and its menu: Open Onbehalf, Problems (n) (which opens the window at the
//! Problems view), Sync now, Pause sync (or Turn sync on…, which opens the window), Refresh
//! calendars, Start at login, Quit. The icon shows the app's state
//! (see `status.rs`).

mod icon;
mod menu;

use tauri::menu::{CheckMenuItem, Menu, MenuEvent, MenuItem, PredefinedMenuItem};
use tauri::tray::{MouseButton, MouseButtonState, TrayIcon, TrayIconBuilder, TrayIconEvent};
use tauri::{App, AppHandle, Manager, Wry};
use tauri_plugin_autostart::ManagerExt;

use onbehalf_engine::sync::notices::Opens;

use crate::ipc::AppEvent;
use crate::shell::Shell;
use crate::status::Shown;
use crate::windows;
use menu::{MenuId, TURN_ON_LABEL};

const TRAY_ID: &str = "onbehalf";

/// The "Start at login" item, kept so a failed change can be undone on screen.
struct StartAtLogin(CheckMenuItem<Wry>);

/// The sync items, kept so they follow the state: usable only when signed in, and the second
/// one pauses a running sync or leads to turning it on.
struct SyncItems {
    problems: MenuItem<Wry>,
    now: MenuItem<Wry>,
    pause: MenuItem<Wry>,
}

impl SyncItems {
    /// Whether Sync now and the pause item are usable, and the pause item's label.
    fn state_of(shown: Shown) -> (bool, bool, &'static str) {
        let signed_in = shown != Shown::SignedOut;
        match shown {
            Shown::SyncOff => (false, signed_in, TURN_ON_LABEL),
            _ => (signed_in, signed_in, MenuId::PauseSync.label()),
        }
    }

    fn follow(&self, shown: Shown, problems: usize) {
        let (now_enabled, pause_enabled, label) = SyncItems::state_of(shown);
        let result = self
            .problems
            .set_enabled(shown != Shown::SignedOut)
            .and_then(|()| self.problems.set_text(MenuId::problems_label(problems)))
            .and_then(|()| self.now.set_enabled(now_enabled))
            .and_then(|()| self.pause.set_enabled(pause_enabled))
            .and_then(|()| self.pause.set_text(label));
        if let Err(e) = result {
            tracing::warn!(?shown, error = %e, "could not update the tray's sync items");
        }
    }
}

pub fn setup(app: &mut App) -> tauri::Result<()> {
    let handle = app.handle();
    let enabled_at_login = handle.autolaunch().is_enabled().unwrap_or_else(|e| {
        tracing::warn!(error = %e, "could not read the start-at-login setting");
        false
    });
    let item = |id: MenuId| MenuItem::with_id(handle, id.id(), id.label(), true, None::<&str>);
    let shown = app.state::<Shell>().status.shown();
    // Drawn for the state at hand: changing an item now would wait for an event loop that has
    // not started yet.
    let (now_enabled, pause_enabled, pause_label) = SyncItems::state_of(shown);
    let open = item(MenuId::Open)?;
    let problems = MenuItem::with_id(
        handle,
        MenuId::Problems.id(),
        MenuId::problems_label(app.state::<Shell>().status.problems()),
        shown != Shown::SignedOut,
        None::<&str>,
    )?;
    let sync_now = MenuItem::with_id(
        handle,
        MenuId::SyncNow.id(),
        MenuId::SyncNow.label(),
        now_enabled,
        None::<&str>,
    )?;
    let pause = MenuItem::with_id(
        handle,
        MenuId::PauseSync.id(),
        pause_label,
        pause_enabled,
        None::<&str>,
    )?;
    let refresh = item(MenuId::Refresh)?;
    let start_at_login = CheckMenuItem::with_id(
        handle,
        MenuId::StartAtLogin.id(),
        MenuId::StartAtLogin.label(),
        true,
        enabled_at_login,
        None::<&str>,
    )?;
    let quit = item(MenuId::Quit)?;
    let separator = PredefinedMenuItem::separator(handle)?;
    let menu = Menu::with_items(
        handle,
        &[
            &open,
            &problems,
            &sync_now,
            &pause,
            &refresh,
            &start_at_login,
            &separator,
            &quit,
        ],
    )?;

    TrayIconBuilder::with_id(TRAY_ID)
        .icon(icon::image(shown.indicator())?)
        .tooltip(icon::tooltip(shown))
        .menu(&menu)
        // A left click opens the window (where the platform reports clicks); the menu is on the
        // right button.
        .show_menu_on_left_click(false)
        .on_menu_event(on_menu_event)
        .on_tray_icon_event(on_icon_event)
        .build(app)?;
    app.manage(StartAtLogin(start_at_login));
    app.manage(SyncItems {
        problems,
        now: sync_now,
        pause,
    });
    Ok(())
}

/// Show `shown` on the tray icon and in its tooltip.
pub fn show(app: &AppHandle, shown: Shown) {
    let Some(tray) = app.tray_by_id(TRAY_ID) else {
        // Not built yet: setup draws the current state when it builds the icon.
        return;
    };
    let result = icon::image(shown.indicator())
        .and_then(|image| tray.set_icon(Some(image)))
        .and_then(|()| tray.set_tooltip(Some(icon::tooltip(shown))));
    if let Err(e) = result {
        tracing::warn!(?shown, error = %e, "could not update the tray icon");
    }
    // A menu item is changed on the main thread and waited for, which would never come when
    // this runs there (a synchronous command): done from a task, with the state as it is then.
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        if let Some(items) = app.try_state::<SyncItems>() {
            let status = &app.state::<Shell>().status;
            items.follow(status.shown(), status.problems());
        }
    });
}

fn on_icon_event(tray: &TrayIcon, event: TrayIconEvent) {
    if let TrayIconEvent::Click {
        button: MouseButton::Left,
        button_state: MouseButtonState::Up,
        ..
    } = event
    {
        windows::show_main(tray.app_handle());
    }
}

fn on_menu_event(app: &AppHandle, event: MenuEvent) {
    let Some(id) = MenuId::parse(event.id().as_ref()) else {
        tracing::debug!(id = ?event.id(), "unknown tray menu item");
        return;
    };
    match id {
        MenuId::Open => {
            windows::show_main(app);
        }
        MenuId::Problems => crate::answers::open_at(app, Opens::Problems),
        MenuId::SyncNow => crate::sync_tasks::sync_now(app.clone()),
        MenuId::PauseSync => match app.state::<Shell>().status.shown() {
            Shown::SyncOff => {
                windows::show_main(app);
            }
            _ => pause(app.clone()),
        },
        MenuId::Refresh => refresh(app.clone()),
        MenuId::StartAtLogin => toggle_start_at_login(app),
        MenuId::Quit => app.exit(0),
    }
}

/// Turn the scheduled sync off, as the window's Pause does; the delegates learn it from the
/// published status record.
fn pause(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        let result = crate::commands::pause_sync(&app, &shell).await;
        shell.sync.look_now();
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not pause the sync");
        }
    });
}

fn refresh(app: AppHandle) {
    tauri::async_runtime::spawn(async move {
        let shell = app.state::<Shell>();
        let event = match crate::commands::refresh(&app, &shell).await {
            Ok(refreshed) => AppEvent::CalendarsUpdated(refreshed),
            Err(e) => AppEvent::RefreshFailed(e),
        };
        event.emit(&app);
    });
}

fn toggle_start_at_login(app: &AppHandle) {
    let item = &app.state::<StartAtLogin>().0;
    // The menu has already flipped the check mark; it shows what the person asked for.
    let wanted = match item.is_checked() {
        Ok(checked) => checked,
        Err(e) => {
            tracing::warn!(error = %e, "could not read the start-at-login item");
            return;
        }
    };
    let autolaunch = app.autolaunch();
    let changed = match wanted {
        true => autolaunch.enable(),
        false => autolaunch.disable(),
    };
    if let Err(e) = changed {
        tracing::warn!(wanted, error = %e, "could not change start at login");
        let actual = autolaunch.is_enabled().unwrap_or(!wanted);
        if let Err(e) = item.set_checked(actual) {
            tracing::warn!(error = %e, "could not reset the start-at-login item");
        }
    }
}
