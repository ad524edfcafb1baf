//! WebDriver tests of the real Onbehalf app on its built-in sandbox: `tauri-driver` drives the
//! app binary through WebKitWebDriver, under Xvfb with a private D-Bus session and an unlocked
//! keyring (`tests/webdriver/run.sh` sets all of that up).
//!
//! Each test starts its own app with a fresh data folder, signs in as a demo user through the
//! sandbox's sign-in window, and checks what the calendars, Items and Settings screens, the
//! Share dialog, the Time slots view, the sync status line and the tray show.
//! Screenshots of every screen are saved under `target/screenshots/`. Without a display the tests
//! fail with a message saying how to run them, unless `ONBEHALF_SKIP_WEBDRIVER=1` is set.

mod harness;
mod policy;
mod problems;
mod settings;
mod sharing;
mod sign_in;
mod slots;
mod tray;
