//! Start-up, one small step per concern: the service, the tray, the first state, the window.

use std::sync::Arc;

use onbehalf_service::{Onbehalf, Options};
use tauri::{App, Manager};

use crate::shell::Shell;
use crate::windows;

/// Given when the app starts at login, so it waits in the tray instead of opening its window.
const HIDDEN_FLAG: &str = "--hidden";

/// How the app was launched.
pub struct Launch {
    pub options: Options,
    /// Start in the tray without showing the window.
    pub hidden: bool,
}

impl Launch {
    pub fn from_args(args: &[String], options: Options) -> Launch {
        Launch {
            options,
            hidden: Launch::is_hidden(args),
        }
    }

    /// The arguments ask for the tray only (a start at login).
    pub fn is_hidden(args: &[String]) -> bool {
        args.iter().any(|a| a == HIDDEN_FLAG)
    }

    /// The arguments "Start at login" launches with: the same data and endpoints as now, in the
    /// tray.
    pub fn login_args(&self) -> Vec<String> {
        let mut args = vec![HIDDEN_FLAG.to_string()];
        if self.options.sandbox {
            args.push("--sandbox".into());
        }
        if let Some(dir) = &self.options.data_dir {
            args.extend(["--data-dir".into(), dir.display().to_string()]);
        }
        if let Some(file) = &self.options.config_file {
            args.extend(["--config".into(), file.display().to_string()]);
        }
        args
    }
}

pub fn all(app: &mut App, launch: &Launch) -> Result<(), Box<dyn std::error::Error>> {
    setup_service(app, &launch.options);
    #[cfg(desktop)]
    crate::tray::setup(app)?;
    setup_window(app, launch.hidden);
    Ok(())
}

/// Start the service on the async runtime, so the window and the tray appear at once; commands
/// that arrive before it is ready wait for it. A failure is kept, not fatal: the window shows
/// it in words. Whether someone is signed in then decides the tray's first icon. Once started,
/// the scheduled sync runs until the app exits.
fn setup_service(app: &mut App, options: &Options) {
    let handle = app.handle().clone();
    let options = options.clone();
    tauri::async_runtime::spawn(async move {
        let started = Onbehalf::start(&options).await;
        match &started {
            Ok(service) => {
                tracing::info!(sandbox = service.is_sandbox(), "service started");
                // The sync's problems are told as the desktop's own notifications.
                // A click on one opens the window at the problem; its buttons are answered.
                service.set_notifier(Arc::new(onbehalf_notify::DesktopNotifier::answering(
                    crate::answers::handler(handle.clone()),
                )));
            }
            Err(e) => tracing::error!(code = ?e.code, error = %e, "the service could not start"),
        }
        let shell = handle.state::<Shell>();
        shell.set_service(started);
        let account = match shell.service().await {
            Ok(service) => {
                shell.sync.start(&handle, Arc::clone(&service));
                service.current_account().await
            }
            Err(e) => Err(e),
        };
        shell.status.settle(&handle, &account, Option::is_some);
    });
}

fn setup_window(app: &mut App, hidden: bool) {
    if !hidden {
        windows::show_main(app.handle());
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn start_at_login_keeps_the_data_folder_and_the_sandbox() {
        let options = Options {
            config_file: None,
            data_dir: Some(PathBuf::from("/tmp/onbehalf demo")),
            sandbox: true,
            sandbox_tls: false,
            policy_file: None,
        };
        let launch = Launch::from_args(&[], options);
        assert_eq!(
            launch.login_args(),
            args(&["--hidden", "--sandbox", "--data-dir", "/tmp/onbehalf demo"])
        );
        assert!(!launch.hidden);
    }

    #[test]
    fn hidden_is_read_from_the_arguments() {
        let launch = Launch::from_args(&args(&["--hidden"]), Options::default());
        assert!(launch.hidden);
        assert_eq!(launch.login_args(), args(&["--hidden"]));
    }
}
