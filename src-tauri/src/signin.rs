//! Where the person signs in: the system browser, or in sandbox mode a second app window on the
//! sandbox's sign-in page. That window is named by no capability, so it has no IPC.

use std::sync::Arc;

use onbehalf_service::{ErrorCode, ServiceError};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_opener::OpenerExt;
use tokio::sync::Notify;

/// The sandbox sign-in window's label (tests switch to it by its title).
pub const SIGNIN_WINDOW: &str = "signin";
const SIGNIN_TITLE: &str = "Sign in to Microsoft 365 (sandbox)";

#[derive(Debug, thiserror::Error)]
pub enum SignInPageError {
    #[error("The sign-in address from Microsoft 365 is not a valid URL: {0}")]
    InvalidUrl(#[from] url::ParseError),
    #[error(
        "Could not open your web browser for signing in: {0}. Check that a default browser is set."
    )]
    OpenBrowser(#[from] tauri_plugin_opener::Error),
    #[error("Could not open the sign-in window: {0}")]
    OpenWindow(#[from] tauri::Error),
}

impl From<SignInPageError> for ServiceError {
    fn from(e: SignInPageError) -> Self {
        ServiceError::new(ErrorCode::Other, e.to_string())
    }
}

/// Where the sign-in page was opened: the sandbox's window, or `None` for the system browser.
pub struct SignInPage {
    window: Option<WebviewWindow>,
}

impl SignInPage {
    /// Open `authorize_url`. Closing the sandbox window wakes `cancel`, so the sign-in ends at
    /// once instead of waiting for a redirect that will never come.
    pub fn open(
        app: &AppHandle,
        sandbox: bool,
        authorize_url: &str,
        cancel: Arc<Notify>,
    ) -> Result<SignInPage, SignInPageError> {
        if !sandbox {
            app.opener().open_url(authorize_url, None::<&str>)?;
            return Ok(SignInPage { window: None });
        }
        if let Some(stale) = app.get_webview_window(SIGNIN_WINDOW) {
            stale.destroy()?;
        }
        let url = authorize_url.parse()?;
        let window = WebviewWindowBuilder::new(app, SIGNIN_WINDOW, WebviewUrl::External(url))
            .title(SIGNIN_TITLE)
            .inner_size(560.0, 720.0)
            .center()
            .focused(true)
            .build()?;
        window.on_window_event(move |event| {
            if let WindowEvent::Destroyed = event {
                cancel.notify_one();
            }
        });
        Ok(SignInPage {
            window: Some(window),
        })
    }

    pub fn close(self) {
        if let Some(window) = self.window {
            if let Err(e) = window.destroy() {
                tracing::warn!(error = %e, "could not close the sign-in window");
            }
        }
    }
}
