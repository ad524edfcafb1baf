//! Where the person signs in, to Microsoft 365 or to the CRM: the system browser, or in sandbox
//! mode a second app window on the sandbox's sign-in page. That window is named by no
//! capability, so it has no IPC.

use std::sync::Arc;

use onbehalf_service::{ErrorCode, ServiceError};
use tauri::{AppHandle, Manager, WebviewUrl, WebviewWindow, WebviewWindowBuilder, WindowEvent};
use tauri_plugin_opener::OpenerExt;
use tokio::sync::Notify;

/// The sandbox sign-in window's label: one for every sign-in, as only one runs at a time.
pub const SIGNIN_WINDOW: &str = "signin";

/// What the person signs in to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignInTo {
    Microsoft365,
    Salesforce,
}

impl SignInTo {
    pub fn name(self) -> &'static str {
        match self {
            SignInTo::Microsoft365 => "Microsoft 365",
            SignInTo::Salesforce => "Salesforce",
        }
    }

    /// The title of the sandbox's sign-in window.
    fn window_title(self) -> String {
        format!("Sign in to {} (sandbox)", self.name())
    }

    /// The error a cancelled sign-in ends with: the code that leads back to its sign-in button.
    pub fn cancelled(self) -> ServiceError {
        match self {
            SignInTo::Microsoft365 => ServiceError::new(
                ErrorCode::SignInRequired,
                "Sign-in was cancelled before it finished.",
            ),
            SignInTo::Salesforce => ServiceError::new(
                ErrorCode::CrmSignInRequired,
                "Sign-in to Salesforce was cancelled before it finished.",
            ),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum SignInPageError {
    #[error("The sign-in address from {to} is not a valid URL: {source}")]
    InvalidUrl {
        to: &'static str,
        source: url::ParseError,
    },
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
    /// Open `authorize_url` for signing in to `to`. Closing the sandbox window wakes `cancel`,
    /// so the sign-in ends at once instead of waiting for a redirect that will never come.
    pub fn open(
        app: &AppHandle,
        to: SignInTo,
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
        let url = authorize_url
            .parse()
            .map_err(|source| SignInPageError::InvalidUrl {
                to: to.name(),
                source,
            })?;
        let window = WebviewWindowBuilder::new(app, SIGNIN_WINDOW, WebviewUrl::External(url))
            .title(to.window_title())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sandbox_window_says_what_it_signs_in_to() {
        assert_eq!(
            SignInTo::Microsoft365.window_title(),
            "Sign in to Microsoft 365 (sandbox)"
        );
        assert_eq!(
            SignInTo::Salesforce.window_title(),
            "Sign in to Salesforce (sandbox)"
        );
    }

    #[test]
    fn a_cancelled_sign_in_leads_back_to_its_own_sign_in_button() {
        assert_eq!(
            SignInTo::Microsoft365.cancelled().code,
            ErrorCode::SignInRequired
        );
        assert_eq!(
            SignInTo::Salesforce.cancelled().code,
            ErrorCode::CrmSignInRequired
        );
    }
}
